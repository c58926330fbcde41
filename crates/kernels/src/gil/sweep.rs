//! A measured sweep: one preset run in several modes at several thread counts, warmed up and
//! repeated, summarised into the lesson's table.
//!
//! Why one module for both paths: in `threads` mode the whole sweep runs on the worker's
//! rayon pool ([`execute`]); in `workers` mode the page itself sends each process to its own
//! Web Worker and collects the answers. Both hand their runs to [`summarize`], so the table,
//! the speedups and the correctness check cannot differ between the two.

use parlab_model::stats::Summary;
use serde::{Deserialize, Serialize};

use super::presets::Preset;
use super::run::run;
use super::types::{GilConfig, GilRun, Mode, RunError};
use crate::schedule::{Clock, RunControl};

/// What to measure.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Sweep {
    /// The workload and its size.
    pub preset: Preset,
    /// Modes to compare, in table order.
    pub modes: Vec<Mode>,
    /// Thread (or process) counts, in table order; include 1 for speedups.
    pub threads: Vec<usize>,
    /// Timed repetitions per configuration (after one warm-up each).
    pub reps: usize,
    /// The GIL's switch interval for every run, ms ([`GilConfig::switch_interval_ms`]).
    pub switch_interval_ms: f64,
}

/// One run of a sweep; `rep` is `None` for the warm-up.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    /// The mode of this run.
    pub mode: Mode,
    /// Threads (or processes) of this run.
    pub threads: usize,
    /// Which timed repetition this is; `None` for the warm-up.
    pub rep: Option<usize>,
}

impl Sweep {
    /// Every run in order: one warm-up per configuration, then `reps` rounds that each visit
    /// every configuration once (interleaved, so a slow spell of the machine is shared out).
    pub fn steps(&self) -> Vec<Step> {
        let configs: Vec<(Mode, usize)> =
            self.modes.iter().flat_map(|&m| self.threads.iter().map(move |&k| (m, k))).collect();
        let warm = configs.iter().map(|&(mode, threads)| Step { mode, threads, rep: None });
        let timed = (0..self.reps.max(1)).flat_map(|r| {
            configs.iter().map(move |&(mode, threads)| Step { mode, threads, rep: Some(r) })
        });
        warm.chain(timed).collect()
    }
}

/// One row of the table: a mode at a thread count.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Row {
    /// The mode.
    pub mode: Mode,
    /// Threads (or processes).
    pub threads: usize,
    /// Median wall time of the timed runs, ms.
    pub median_ms: f64,
    /// Fastest timed run, ms.
    pub min_ms: f64,
    /// Slowest timed run, ms.
    pub max_ms: f64,
    /// Timed runs behind the median.
    pub reps: usize,
    /// This mode's 1-thread median / this median (absent without a 1-thread row).
    pub speedup: Option<f64>,
    /// Sum of the threads' results (e.g. primes found); equal in every row or the sweep fails.
    pub value: i64,
    /// Counter presets: the shared `counter` afterwards (median over reps) and what it
    /// would be if no update were lost. Processes never share it: the parent's stays 0.
    pub counter: Option<i64>,
    /// Counter presets: threads × increments, the value with no lost update.
    pub expected: Option<i64>,
    /// Median GIL hand-offs between threads.
    pub handoffs: u64,
    /// Most threads seen executing bytecode at the same instant (any run).
    pub max_in_bytecode: usize,
    /// Processes: bytes sent both ways (median; 0 for threads).
    pub message_bytes: u64,
    /// Processes: ms spent encoding and decoding messages (median; 0 for threads).
    pub message_ms: f64,
}

/// A sweep's table plus, per mode, the last timed run at the most threads (its timeline).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// One row per (mode, thread count) measured, modes in the sweep's order.
    pub rows: Vec<Row>,
    /// One run per mode, for its Gantt chart.
    pub timelines: Vec<GilRun>,
}

/// Runs every step of `sweep` on the current rayon pool, counting finished steps in
/// `control.chunks_done`.
pub fn execute(sweep: &Sweep, clock: &dyn Clock, control: &RunControl) -> Result<Report, RunError> {
    let mut runs = Vec::new();
    for step in sweep.steps() {
        let tasks = sweep.preset.tasks(step.threads);
        let config = GilConfig { mode: step.mode, switch_interval_ms: sweep.switch_interval_ms };
        let result = run(&tasks, config, clock, control)?;
        control.chunks_done.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        runs.push((step, result));
    }
    summarize(sweep, &runs).map_err(|message| RunError::Process { task: 0, message })
}

/// Builds the table from the runs (warm-ups are ignored). Fails if a work preset's answer
/// differs between runs: a wrong number is never shown.
pub fn summarize(sweep: &Sweep, runs: &[(Step, GilRun)]) -> Result<Report, String> {
    let timed: Vec<&(Step, GilRun)> = runs.iter().filter(|(s, _)| s.rep.is_some()).collect();
    let counting = sweep.preset.expected_counter(1).is_some();
    if !counting
        && let Some((first, rest)) = timed.split_first()
        && let Some((s, r)) = rest.iter().find(|(_, r)| r.total() != first.1.total())
    {
        return Err(format!(
            "wrong answer: {:?} on {} threads gave {}, {:?} on {} gave {}",
            s.mode,
            s.threads,
            r.total(),
            first.0.mode,
            first.0.threads,
            first.1.total()
        ));
    }
    let mut rows = Vec::new();
    let mut timelines = Vec::new();
    for &mode in &sweep.modes {
        let mut base = None;
        for &threads in &sweep.threads {
            let of: Vec<&GilRun> = timed
                .iter()
                .filter(|(s, _)| s.mode == mode && s.threads == threads)
                .map(|(_, r)| r)
                .collect();
            let Some(row) = row(sweep, mode, threads, &of) else { continue };
            if threads == 1 {
                base = Some(row.median_ms);
            }
            rows.push(row);
        }
        for row in rows.iter_mut().filter(|r| r.mode == mode) {
            row.speedup = base.map(|b| b / row.median_ms);
        }
        let most = sweep.threads.iter().max().copied().unwrap_or(1);
        let last = timed.iter().rev().find(|(s, _)| s.mode == mode && s.threads == most);
        timelines.extend(last.map(|(_, r)| r.clone()));
    }
    Ok(Report { rows, timelines })
}

fn row(sweep: &Sweep, mode: Mode, threads: usize, runs: &[&GilRun]) -> Option<Row> {
    let walls: Vec<f64> = runs.iter().map(|r| r.wall_ms).collect();
    let s = Summary::of(&walls)?;
    let median = |f: &dyn Fn(&GilRun) -> f64| {
        Summary::of(&runs.iter().map(|r| f(r)).collect::<Vec<_>>()).map_or(0.0, |s| s.median)
    };
    let expected = sweep.preset.expected_counter(threads);
    let counter = expected.map(|_| median(&|r| r.globals.first().copied().unwrap_or(0) as f64));
    Some(Row {
        mode,
        threads,
        median_ms: s.median,
        min_ms: s.min,
        max_ms: s.max,
        reps: runs.len(),
        speedup: None,
        value: runs[0].total(),
        counter: counter.map(|c| c.round() as i64),
        expected,
        handoffs: median(&|r| r.handoffs as f64).round() as u64,
        max_in_bytecode: runs.iter().map(|r| r.max_in_bytecode).max().unwrap_or(0),
        message_bytes: median(&|r| (r.messages.bytes_in + r.messages.bytes_out) as f64) as u64,
        message_ms: median(&|r| r.messages.ms),
    })
}
