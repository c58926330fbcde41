//! The measurement protocol every lesson and every execution mode follows: one warm-up run,
//! then `reps` timed runs per thread count; median, min and max; results checked against the
//! 1-thread answer (conventions.md, "Measurement").

use parlab_model::{amdahl, stats::Summary};
use serde::{Deserialize, Serialize};

use crate::schedule::{
    Cancelled, Clock, RunConfig, RunControl, Schedule, run_on_pool, serial_chain,
};
use crate::{KernelSpec, RunOutcome};

/// What to measure: a kernel, the thread counts to sweep and repetitions per count.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Job {
    /// The kernel and its problem size.
    pub spec: KernelSpec,
    /// Thread counts to measure, in the order rows are reported (include 1 for speedups).
    pub threads: Vec<usize>,
    /// Timed repetitions per thread count.
    pub reps: usize,
    /// How each run hands out chunks.
    #[serde(default)]
    pub schedule: Schedule,
    /// Target share of the 1-thread time spent in a real serial section (0 = none). The
    /// executor calibrates the section's length by timing; rows report what was measured.
    #[serde(default)]
    pub serial_share: f64,
}

/// What a step is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "phase", content = "rep", rename_all = "lowercase")]
pub enum Phase {
    /// Untimed first run (JIT tier-up, caches, worker start-up).
    Warmup,
    /// Untimed 1-thread run whose time sizes the serial section (only if `serial_share > 0`).
    Calibrate,
    /// The `rep`-th timed run.
    Timed(usize),
}

/// One entry of a job's schedule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    /// Threads (or workers) this run uses.
    pub threads: usize,
    /// Warm-up, calibration or timed repetition.
    pub phase: Phase,
}

impl Step {
    /// Whether this run counts in the results (only [`Phase::Timed`] runs do).
    pub fn is_timed(&self) -> bool {
        matches!(self.phase, Phase::Timed(_))
    }
}

/// Iterations of [`serial_chain`] timed to calibrate its speed.
pub const CALIBRATION_ITERS: u64 = 1 << 21;

/// Serial-chain iterations so that the serial section takes `share` of the 1-thread run:
/// `serial / (serial + t1) = share`, with the chain's speed measured as `calib_ms` for
/// [`CALIBRATION_ITERS`].
pub fn serial_iters(share: f64, t1_ms: f64, calib_ms: f64) -> u64 {
    if !(share > 0.0 && share < 1.0 && t1_ms > 0.0 && calib_ms > 0.0) {
        return 0;
    }
    let serial_ms = share / (1.0 - share) * t1_ms;
    (serial_ms / calib_ms * CALIBRATION_ITERS as f64).round() as u64
}

/// Milliseconds for [`CALIBRATION_ITERS`] of the serial chain: the fastest of three runs, since
/// the first call may still run a baseline (not yet optimised) compilation of the loop.
pub fn calibrate_serial(clock: &dyn Clock) -> f64 {
    (0..3)
        .map(|_| {
            let t = clock.now_ms();
            serial_chain(CALIBRATION_ITERS);
            clock.now_ms() - t
        })
        .fold(f64::INFINITY, f64::min)
}

impl Job {
    /// The runs in order: a warm-up at the largest thread count, a calibration run if there is
    /// a serial section, then `reps` rounds over all thread counts. Interleaving the counts
    /// (1, N, 1, N, …) spreads slow drifts of the machine (other load, clock changes) over
    /// every count instead of biasing one.
    pub fn steps(&self) -> Vec<Step> {
        let max = self.threads.iter().copied().max().unwrap_or(1);
        let mut steps = vec![Step { threads: max, phase: Phase::Warmup }];
        if self.serial_share > 0.0 {
            steps.push(Step { threads: 1, phase: Phase::Calibrate });
        }
        for rep in 0..self.reps {
            steps.extend(
                self.threads.iter().map(|&threads| Step { threads, phase: Phase::Timed(rep) }),
            );
        }
        steps
    }

    /// Chunks computed over the whole job (for progress bars).
    pub fn total_chunks(&self) -> usize {
        self.steps().len() * self.spec.chunks()
    }

    /// The run configuration of `step`, given the calibrated serial iterations.
    pub fn config(&self, step: Step, serial_iters: u64) -> RunConfig {
        let serial_iters = if step.is_timed() { serial_iters } else { 0 };
        RunConfig { threads: step.threads, schedule: self.schedule, serial_iters }
    }
}

/// Runs every step of `job` on the current rayon pool (the `threads` mode and the native
/// benchmark), calibrating the serial section after the calibration step.
pub fn execute_on_pool(
    job: &Job,
    clock: &dyn Clock,
    control: &RunControl,
) -> Result<Vec<StepResult>, Cancelled> {
    job.spec.with_kernel(|kernel| {
        let mut iters = 0;
        let mut results = Vec::new();
        for step in job.steps() {
            let outcome = run_on_pool(kernel, job.config(step, iters), clock, control)?;
            if step.phase == Phase::Calibrate {
                iters = serial_iters(job.serial_share, outcome.wall_ms, calibrate_serial(clock));
            }
            results.push(StepResult { step, outcome });
        }
        Ok(results)
    })
}

/// A finished run of one step.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StepResult {
    /// The step that was run.
    pub step: Step,
    /// Its answer, wall time and chunk records.
    pub outcome: RunOutcome,
}

/// One row of a lesson's results table (and of its `data-json`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Row {
    /// Threads (or workers) asked for.
    pub threads: usize,
    /// Median wall time of the timed runs, ms (the number every chart plots).
    pub median_ms: f64,
    /// Fastest timed run, ms.
    pub min_ms: f64,
    /// Slowest timed run, ms.
    pub max_ms: f64,
    /// Timed runs behind the median.
    pub reps: usize,
    /// 1-thread median / this median (absent if the job did not measure 1 thread).
    pub speedup: Option<f64>,
    /// `speedup / threads` (absent with `speedup`).
    pub efficiency: Option<f64>,
    /// The kernel's answer (identical for every row, or [`summarize`] fails).
    pub value: u64,
    /// Distinct threads that computed at least one chunk in the last repetition.
    pub threads_used: usize,
    /// Median time of the serial section (0 without one).
    pub serial_ms: f64,
    /// Karp–Flatt experimentally determined serial fraction e(N) (absent for N = 1).
    pub karp_flatt: Option<f64>,
}

/// Turns raw step results into rows, one per thread count, in the job's order. Fails if any
/// run's answer differs from the first timed run's (the 1-thread one when present).
pub fn summarize(job: &Job, results: &[StepResult]) -> Result<Vec<Row>, String> {
    let timed: Vec<&StepResult> = results.iter().filter(|r| r.step.is_timed()).collect();
    let reference =
        timed.iter().find(|r| r.step.threads == 1).or(timed.first()).ok_or("no timed runs")?;
    let expected = reference.outcome.value;
    if let Some(bad) = results.iter().find(|r| r.outcome.value != expected) {
        return Err(format!(
            "wrong result on {} thread(s): {} but the reference run gave {}",
            bad.step.threads, bad.outcome.value, expected
        ));
    }
    let mut rows: Vec<Row> = Vec::new();
    for &threads in &job.threads {
        let runs: Vec<&&StepResult> = timed.iter().filter(|r| r.step.threads == threads).collect();
        let times: Vec<f64> = runs.iter().map(|r| r.outcome.wall_ms).collect();
        let Some(s) = Summary::of(&times) else {
            continue;
        };
        let used = runs.last().map_or(0, |r| distinct_threads(&r.outcome));
        let serial: Vec<f64> = runs.iter().map(|r| r.outcome.serial_ms).collect();
        let serial_ms = Summary::of(&serial).map_or(0.0, |s| s.median);
        rows.push(Row {
            threads,
            median_ms: s.median,
            min_ms: s.min,
            max_ms: s.max,
            reps: times.len(),
            speedup: None,
            efficiency: None,
            value: expected,
            threads_used: used,
            serial_ms,
            karp_flatt: None,
        });
    }
    if let Some(t1) = rows.iter().find(|r| r.threads == 1).map(|r| r.median_ms) {
        for row in &mut rows {
            let (s, e) = amdahl::measured(t1, row.median_ms, row.threads);
            row.speedup = Some(s);
            row.efficiency = Some(e);
            row.karp_flatt = amdahl::karp_flatt(s, row.threads as f64);
        }
    }
    Ok(rows)
}

/// Number of distinct threads that ran at least one chunk.
pub fn distinct_threads(outcome: &RunOutcome) -> usize {
    let mut ids: Vec<usize> = outcome.chunks.iter().map(|c| c.thread).collect();
    ids.sort_unstable();
    ids.dedup();
    ids.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ChunkRecord;

    fn result(threads: usize, phase: Phase, ms: f64, value: u64) -> StepResult {
        let chunks = (0..threads)
            .map(|t| ChunkRecord { chunk: t, thread: t, start_ms: 0.0, end_ms: ms })
            .collect();
        StepResult {
            step: Step { threads, phase },
            outcome: RunOutcome { value, wall_ms: ms, serial_ms: 0.0, serial_thread: 0, chunks },
        }
    }

    fn job() -> Job {
        Job {
            spec: KernelSpec::primes(crate::Size::Small),
            threads: vec![1, 2],
            reps: 3,
            schedule: Schedule::Dynamic,
            serial_share: 0.0,
        }
    }

    #[test]
    fn steps_start_with_one_warm_up() {
        let steps = job().steps();
        assert_eq!(steps.len(), 7);
        assert_eq!(steps[0], Step { threads: 2, phase: Phase::Warmup });
        assert_eq!(steps[1..].iter().filter(|s| s.threads == 2).count(), 3);
        assert_eq!(
            (steps[1].threads, steps[2].threads, steps[3].threads),
            (1, 2, 1),
            "interleaved"
        );
    }

    #[test]
    fn rows_have_median_and_speedup() {
        let mut rs = vec![result(2, Phase::Warmup, 999.0, 7)];
        rs.extend([400.0, 410.0, 390.0].map(|ms| result(1, Phase::Timed(0), ms, 7)));
        rs.extend([200.0, 195.0, 250.0].map(|ms| result(2, Phase::Timed(0), ms, 7)));
        let rows = summarize(&job(), &rs).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!((rows[0].median_ms, rows[0].min_ms, rows[0].max_ms), (400.0, 390.0, 410.0));
        assert_eq!(rows[1].speedup, Some(2.0));
        assert_eq!(rows[1].threads_used, 2);
    }

    #[test]
    fn a_wrong_answer_is_an_error() {
        let rs = vec![result(1, Phase::Timed(0), 400.0, 7), result(2, Phase::Timed(0), 200.0, 8)];
        assert!(summarize(&job(), &rs).unwrap_err().contains("wrong result"));
    }

    #[test]
    fn serial_section_sizing() {
        let j = Job { serial_share: 0.2, ..job() };
        assert_eq!(j.steps()[1], Step { threads: 1, phase: Phase::Calibrate });
        // 20 % of the total: serial = 0.25 × 400 ms = 100 ms = 10 × the calibration time.
        assert_eq!(serial_iters(0.2, 400.0, 10.0), 10 * CALIBRATION_ITERS);
        assert_eq!(serial_iters(0.0, 400.0, 10.0), 0);
        assert_eq!(serial_iters(1.0, 400.0, 10.0), 0);
        assert_eq!(j.config(j.steps()[0], 99).serial_iters, 0, "warm-up has no serial part");
        assert_eq!(j.config(j.steps()[2], 99).serial_iters, 99);
    }
}
