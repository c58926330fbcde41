//! What a challenge is judged on: a small, plain snapshot of what the learner just did — the
//! explorer's state after their schedule, or the numbers of a measured run that just finished.
//!
//! Why snapshots instead of the lessons' own types: the win conditions stay pure functions of
//! plain data (native tests build the same snapshots from real model states and real kernel
//! rows), and each lesson hooks in with one constructor call, without the challenge module
//! knowing its internals.

use parlab_kernels::gil::Mode as GilMode;
use parlab_kernels::gil::sweep::Report as GilReport;
use parlab_kernels::machine::MachineReport;
use parlab_kernels::measure::Row;
use parlab_kernels::simd::{Kernel, Report as SimdReport, Variant};
use parlab_model::interleave::{Exploration, Outcome, State};

/// One thing the learner did that a level can be won by.
#[derive(Clone, Debug, PartialEq)]
pub enum Evidence {
    /// The interleaving explorer after the learner's schedule.
    Explorer(ExplorerSnapshot),
    /// A finished primes/Amdahl run: its serial share and the speedup per thread count.
    Speedup(SpeedupRun),
    /// A finished GIL sweep.
    Gil(GilRun),
    /// A finished SIMD run of one kernel.
    Simd(SimdRun),
    /// A finished machine lab: false sharing's cost per thread count.
    Sharing(SharingRun),
}

/// The explorer's state as the win conditions see it.
#[derive(Clone, Debug, PartialEq)]
pub struct ExplorerSnapshot {
    /// The preset id.
    pub preset: String,
    /// Where the learner's schedule left the program.
    pub outcome: Outcome,
    /// The shared variables now.
    pub values: Vec<(String, i64)>,
    /// Whether a deadlock (if any) is a cycle of threads waiting for each other's locks.
    pub lock_cycle: bool,
    /// Moves played.
    pub moves: usize,
    /// The "Explore all schedules" result shown for this preset, if the learner asked for it.
    pub explored: Option<Explored>,
}

/// The counts of an exhaustive exploration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Explored {
    /// Complete schedules.
    pub schedules: u64,
    /// Schedules ending in a wrong result, failure or deadlock.
    pub failing: u64,
    /// Whether no schedule was cut by the search limits.
    pub exhaustive: bool,
}

impl ExplorerSnapshot {
    /// The snapshot of `state` (reached by `moves` moves) of preset `preset`, with the
    /// exploration shown for it, if any.
    pub fn of(
        preset: &str,
        state: &State,
        moves: usize,
        explored: Option<&Exploration>,
    ) -> ExplorerSnapshot {
        ExplorerSnapshot {
            preset: preset.to_string(),
            outcome: state.outcome(),
            values: state.shared_values(),
            lock_cycle: state.wait_for_cycle().is_some(),
            moves,
            explored: explored.map(|e| Explored {
                schedules: e.schedules,
                failing: e.failing_schedules,
                exhaustive: e.is_exhaustive(),
            }),
        }
    }

    /// The value of shared variable `name`, if the program has it.
    pub fn value(&self, name: &str) -> Option<i64> {
        self.values.iter().find(|(n, _)| n == name).map(|&(_, v)| v)
    }
}

/// A run of the primes (serial lesson) or Amdahl kernels.
#[derive(Clone, Debug, PartialEq)]
pub struct SpeedupRun {
    /// The serial share the run injected (0 for none).
    pub serial_share: f64,
    /// (threads, speedup against this run's 1-thread median), for rows that have one.
    pub speedups: Vec<(usize, f64)>,
}

impl SpeedupRun {
    /// The run's rows as evidence (`None` without any speedup, i.e. without a 1-thread row).
    pub fn of(serial_share: f64, rows: &[Row]) -> Option<Evidence> {
        let speedups: Vec<(usize, f64)> =
            rows.iter().filter_map(|r| Some((r.threads, r.speedup?))).collect();
        (!speedups.is_empty()).then_some(Evidence::Speedup(SpeedupRun { serial_share, speedups }))
    }

    /// The measured speedup on `threads` threads.
    pub fn at(&self, threads: usize) -> Option<f64> {
        self.speedups.iter().find(|&&(t, _)| t == threads).map(|&(_, s)| s)
    }
}

/// A GIL sweep's speedups.
#[derive(Clone, Debug, PartialEq)]
pub struct GilRun {
    /// The workload's short name (`primes`, `io`, …).
    pub workload: String,
    /// (mode, threads, speedup against the same mode's 1-thread median).
    pub speedups: Vec<(GilMode, usize, f64)>,
}

impl GilRun {
    /// The sweep's report as evidence (`None` without a speedup).
    pub fn of(workload: &str, report: &GilReport) -> Option<Evidence> {
        let speedups: Vec<(GilMode, usize, f64)> =
            report.rows.iter().filter_map(|r| Some((r.mode, r.threads, r.speedup?))).collect();
        (!speedups.is_empty())
            .then(|| Evidence::Gil(GilRun { workload: workload.to_string(), speedups }))
    }

    /// The measured speedup of `mode` on `threads` threads.
    pub fn at(&self, mode: GilMode, threads: usize) -> Option<f64> {
        self.speedups.iter().find(|&&(m, t, _)| m == mode && t == threads).map(|&(.., s)| s)
    }
}

/// What SIMD gained over scalar code in one run of one kernel.
#[derive(Clone, Debug, PartialEq)]
pub struct SimdRun {
    /// The kernel.
    pub kernel: Kernel,
    /// SIMD median vs scalar median at the fewest threads measured (the best vector variant).
    pub gain: f64,
}

impl SimdRun {
    /// The report as evidence (`None` if it has no vector row with a gain).
    pub fn of(report: &SimdReport) -> Option<Evidence> {
        let fewest = report.rows.iter().map(|r| r.threads).min()?;
        let gain = report
            .rows
            .iter()
            .filter(|r| r.threads == fewest && r.variant != Variant::Scalar)
            .filter_map(|r| r.simd_speedup)
            .fold(None, |best: Option<f64>, g| Some(best.map_or(g, |b| b.max(g))))?;
        Some(Evidence::Simd(SimdRun { kernel: report.spec.kernel(), gain }))
    }
}

/// False sharing's measured cost.
#[derive(Clone, Debug, PartialEq)]
pub struct SharingRun {
    /// (threads, packed time / padded time), for two threads or more.
    pub slowdowns: Vec<(usize, f64)>,
}

impl SharingRun {
    /// The machine report as evidence (`None` without a multi-thread sharing point).
    pub fn of(report: &MachineReport) -> Option<Evidence> {
        let slowdowns: Vec<(usize, f64)> = report
            .sharing
            .points
            .iter()
            .filter(|p| p.threads >= 2 && p.slowdown.is_finite())
            .map(|p| (p.threads, p.slowdown))
            .collect();
        (!slowdowns.is_empty()).then_some(Evidence::Sharing(SharingRun { slowdowns }))
    }
}
