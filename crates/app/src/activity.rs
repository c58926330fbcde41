//! The latest real run in this tab, kept app-wide so views that do not run anything (the CPU
//! lab's die view, the overview) can show what the hardware actually did.
//!
//! Why a store: the measured lessons own their runs and forget them when the user navigates
//! away, but the die view is about *those* runs. [`crate::lessons::runner::Runner`] records a
//! summary here when a run finishes; nothing else writes it, so the die can only ever light
//! up from measured chunk times. The summary is built by pure code ([`LastRun::new`]) that is
//! unit-tested natively; only the thread-local cell is browser state.

use std::cell::RefCell;
use std::rc::Rc;

use parlab_kernels::busy::Busy;
use parlab_kernels::measure::{Job, Row, StepResult};
use parlab_kernels::{KernelSpec, Size, Workload};

use crate::compute::Mode;

/// What the overview and the die view need from one finished run.
#[derive(Clone, Debug, PartialEq)]
pub struct LastRun {
    /// The lesson's route (`serial`, `amdahl`).
    pub lesson: String,
    /// The workload in words, e.g. "Mandelbrot set, medium".
    pub workload: String,
    pub mode: Mode,
    /// Pool size when the run started (threads or workers available).
    pub pool: usize,
    /// The largest thread count of the sweep: the run whose activity [`LastRun::busy`] holds.
    pub threads: usize,
    /// Per-thread activity of the last timed repetition on [`LastRun::threads`] threads.
    pub busy: Busy,
    /// The run's result rows (medians, speedups) for the measured points on a speedup plot.
    pub rows: Vec<Row>,
    /// The kernel and size that ran (the machine lab places it on its roofline).
    pub spec: parlab_kernels::KernelSpec,
}

/// One measured speedup: `(threads, median, slowest, fastest)` relative to the 1-thread median.
pub type Point = (f64, f64, f64, f64);

impl LastRun {
    /// The summary of a finished job, or `None` if it has no timed run at its largest count.
    pub fn new(
        lesson: &str,
        job: &Job,
        results: &[StepResult],
        rows: &[Row],
        mode: Mode,
        pool: usize,
    ) -> Option<LastRun> {
        let threads = job.threads.iter().copied().max()?;
        let last = results.iter().rev().find(|r| r.step.threads == threads && r.step.is_timed())?;
        Some(LastRun {
            lesson: lesson.to_string(),
            workload: workload_label(&job.spec),
            mode,
            pool,
            threads,
            busy: Busy::of(&last.outcome),
            rows: rows.to_vec(),
            spec: job.spec,
        })
    }

    /// Measured speedups (median, and the range from the slowest to the fastest repetition);
    /// empty when the run had no 1-thread row to compare with.
    pub fn points(&self) -> Vec<Point> {
        let Some(t1) = self.rows.iter().find(|r| r.threads == 1).map(|r| r.median_ms) else {
            return Vec::new();
        };
        self.rows
            .iter()
            .filter(|r| r.median_ms > 0.0 && r.min_ms > 0.0 && r.max_ms > 0.0)
            .map(|r| (r.threads as f64, t1 / r.median_ms, t1 / r.max_ms, t1 / r.min_ms))
            .collect()
    }

    /// The lesson's title for display.
    pub fn lesson_title(&self) -> &'static str {
        crate::lessons::find(&self.lesson).map_or("a lesson", |l| l.title)
    }
}

/// "Mandelbrot set, medium" for a lesson's default job of that size, else the workload alone.
pub fn workload_label(spec: &KernelSpec) -> String {
    let w = spec.workload();
    let size = Size::ALL.into_iter().find(|&z| {
        KernelSpec::new(w, z) == *spec || (w == Workload::Primes && KernelSpec::primes(z) == *spec)
    });
    match size {
        Some(z) => format!("{}, {}", w.label(), z.name()),
        None => w.label().to_string(),
    }
}

thread_local! {
    static LAST: RefCell<Option<Rc<LastRun>>> = const { RefCell::new(None) };
}

/// Replaces the stored run (called by the runner when a run finishes).
pub fn record(run: LastRun) {
    LAST.with(|l| *l.borrow_mut() = Some(Rc::new(run)));
}

/// The latest real run in this tab, if any.
pub fn last() -> Option<Rc<LastRun>> {
    LAST.with(|l| l.borrow().clone())
}

/// `localStorage` key of the machine lab's last measured card (this site, every tab).
pub const MACHINE_CARD_KEY: &str = "parlab.machine-card";

/// Remembers the machine lab's card, so other lessons (the die) can use measured cores.
pub fn remember_machine(card: &parlab_kernels::machine::MachineCard) {
    if let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten())
        && let Ok(json) = serde_json::to_string(card)
    {
        let _ = storage.set_item(MACHINE_CARD_KEY, &json);
    }
}

/// Removes the machine lab's card (the die and the pool go back to their defaults).
pub fn forget_machine() {
    if let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
        let _ = storage.remove_item(MACHINE_CARD_KEY);
    }
}

/// The machine lab's last card on this site, if it ever ran here.
pub fn machine_card() -> Option<parlab_kernels::machine::MachineCard> {
    let storage = web_sys::window()?.local_storage().ok().flatten()?;
    serde_json::from_str(&storage.get_item(MACHINE_CARD_KEY).ok().flatten()?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use parlab_kernels::ChunkRecord;
    use parlab_kernels::RunOutcome;
    use parlab_kernels::measure::{Phase, Step, summarize};
    use parlab_kernels::schedule::Schedule;

    fn step(threads: usize, phase: Phase, wall: f64) -> StepResult {
        let chunks = (0..threads)
            .map(|t| ChunkRecord { chunk: t, thread: t, start_ms: 0.0, end_ms: wall * 0.5 })
            .collect();
        StepResult {
            step: Step { threads, phase },
            outcome: RunOutcome {
                value: 1,
                wall_ms: wall,
                serial_ms: 0.0,
                serial_thread: 0,
                chunks,
            },
        }
    }

    fn job() -> Job {
        Job {
            spec: KernelSpec::primes(Size::Small),
            threads: vec![1, 2],
            reps: 2,
            schedule: Schedule::Dynamic,
            serial_share: 0.0,
        }
    }

    #[test]
    fn keeps_the_last_timed_run_at_the_largest_count() {
        let results = vec![
            step(2, Phase::Warmup, 500.0),
            step(1, Phase::Timed(0), 100.0),
            step(2, Phase::Timed(0), 60.0),
            step(1, Phase::Timed(1), 110.0),
            step(2, Phase::Timed(1), 50.0),
        ];
        let rows = summarize(&job(), &results).unwrap();
        let run = LastRun::new("serial", &job(), &results, &rows, Mode::Threads, 2).unwrap();
        assert_eq!(run.threads, 2);
        assert_eq!(run.busy.wall_ms, 50.0);
        assert_eq!(run.busy.fractions(2), vec![0.5, 0.5]);
        assert_eq!(run.workload, "Counting primes, small");
        assert_eq!(run.lesson_title(), "Serial vs parallel");
        let points = run.points();
        assert_eq!(points.len(), 2);
        assert_eq!(points[0].0, 1.0);
        assert!((points[1].1 - 105.0 / 55.0).abs() < 1e-12);
        assert!(points.iter().all(|&(_, v, lo, hi)| lo <= v && v <= hi));
    }

    #[test]
    fn no_timed_run_gives_nothing() {
        let results = vec![step(2, Phase::Warmup, 500.0)];
        assert_eq!(LastRun::new("amdahl", &job(), &results, &[], Mode::Workers, 2), None);
        let empty = Job { threads: Vec::new(), ..job() };
        assert_eq!(LastRun::new("amdahl", &empty, &results, &[], Mode::Workers, 2), None);
    }

    #[test]
    fn store_round_trip() {
        assert!(last().is_none());
        let results = vec![step(1, Phase::Timed(0), 10.0), step(2, Phase::Timed(0), 6.0)];
        let run = LastRun::new("amdahl", &job(), &results, &[], Mode::Single, 1).unwrap();
        record(run.clone());
        assert_eq!(last().as_deref(), Some(&run));
        assert!(run.points().is_empty(), "no rows, no points");
    }
}
