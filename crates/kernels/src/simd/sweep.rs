//! SIMD × threads, measured: every variant on every thread count, warmed up and repeated,
//! checked, and summarised into rows and the "product of speedups" comparison.
//!
//! The measurement rules are parlab's (README, "Measurement rules"): one warm-up per variant
//! at the largest thread count (in wasm each function tiers up on its own, so every variant
//! needs its own warm-up), then `reps` rounds that each visit every (variant, threads) once —
//! interleaved, so slow drifts of a shared machine are spread over all of them; median, min
//! and max of the wall time; every answer checked, a wrong one is an error.

use parlab_model::stats::Summary;
use serde::{Deserialize, Serialize};

use super::check::{Check, check_exact, check_reduction, lane_utilisation};
use super::{Kernel, Prepared, SimdError, Spec, Timed, Variant};
use crate::schedule::{Clock, RunControl};

/// What to measure.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Job {
    /// The kernel and its size.
    pub spec: Spec,
    /// Variants to compare; the scalar one is always measured (added first if missing): it is
    /// the baseline of every speedup and the reference of the exact kernels' answers.
    pub variants: Vec<Variant>,
    /// Thread counts, in row order; include 1 for speedups.
    pub threads: Vec<usize>,
    /// Timed repetitions per (variant, threads).
    pub reps: usize,
}

/// One run of a job; `rep` is `None` for a warm-up.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    /// The variant of this run.
    pub variant: Variant,
    /// Tasks started on the pool.
    pub threads: usize,
    /// Which timed repetition this is; `None` for the warm-up.
    pub rep: Option<usize>,
}

impl Job {
    /// The variants measured: scalar first, then the others in the job's order, once each.
    pub fn variants(&self) -> Vec<Variant> {
        let mut out = vec![Variant::Scalar];
        for &v in &self.variants {
            if !out.contains(&v) {
                out.push(v);
            }
        }
        out
    }

    /// Every run in order: one warm-up per variant at the most threads, then `reps` rounds
    /// over every (variant, threads).
    pub fn steps(&self) -> Vec<Step> {
        let max = self.threads.iter().copied().max().unwrap_or(1).max(1);
        let variants = self.variants();
        let mut steps: Vec<Step> =
            variants.iter().map(|&variant| Step { variant, threads: max, rep: None }).collect();
        for rep in 0..self.reps.max(1) {
            for &variant in &variants {
                steps.extend(self.threads.iter().map(|&threads| Step {
                    variant,
                    threads: threads.max(1),
                    rep: Some(rep),
                }));
            }
        }
        steps
    }

    /// Chunks computed over the whole job (for progress bars).
    pub fn total_chunks(&self) -> usize {
        self.steps().len() * self.spec.chunks()
    }
}

/// A finished run of one step.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Measured {
    /// The step that was run.
    pub step: Step,
    /// Its wall time and answer.
    pub timed: Timed,
}

/// One row of the result grid: a variant at a thread count.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Row {
    /// The kernel.
    pub kernel: Kernel,
    /// The variant.
    pub variant: Variant,
    /// Its lanes (1 for scalar).
    pub lanes: usize,
    /// Tasks on the pool.
    pub threads: usize,
    /// Median wall time of the timed runs, ms.
    pub median_ms: f64,
    /// Fastest timed run, ms.
    pub min_ms: f64,
    /// Slowest timed run, ms.
    pub max_ms: f64,
    /// Timed runs behind the median.
    pub reps: usize,
    /// Millions of work items per second at the median ([`Report::unit`]).
    pub throughput: f64,
    /// The answer ([`super::Answer::value`]).
    pub value: f64,
    /// Scalar median at the same threads / this median: what SIMD alone gained.
    pub simd_speedup: Option<f64>,
    /// This variant's 1-thread median / this median: what threads alone gained.
    pub thread_speedup: Option<f64>,
    /// Scalar 1-thread median / this median: both together.
    pub speedup: Option<f64>,
}

/// Do the two speedups multiply? One SIMD variant at one thread count.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Combined {
    /// The SIMD variant.
    pub variant: Variant,
    /// Its lanes.
    pub lanes: usize,
    /// Threads.
    pub threads: usize,
    /// SIMD alone: T(scalar, 1) / T(variant, 1).
    pub simd_speedup: f64,
    /// Threads alone: T(scalar, 1) / T(scalar, k).
    pub thread_speedup: f64,
    /// `simd_speedup × thread_speedup`: what perfectly independent speedups would give.
    pub product: f64,
    /// Measured: T(scalar, 1) / T(variant, k).
    pub measured: f64,
    /// `measured / product` = (SIMD's thread speedup) / (scalar's thread speedup): 1 when the
    /// two multiply; below 1 when the SIMD code scales worse with threads, typically because
    /// it already uses more of what the cores share (cache and memory bandwidth).
    pub ratio: f64,
}

/// A measured job.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// The job's kernel and size.
    pub spec: Spec,
    /// What [`Row::throughput`] counts: `elements` or `iterations`.
    pub unit: String,
    /// Work items per run.
    pub items: f64,
    /// Variants × thread counts, variants in [`Job::variants`] order.
    pub rows: Vec<Row>,
    /// [`combined`] of the rows.
    pub combined: Vec<Combined>,
    /// One answer check per variant (all passed, or there is no report).
    pub checks: Vec<Check>,
}

/// Runs every step of `job` on the current rayon pool with `clock` (inside `pool.install`
/// natively; the global pool in wasm). Progress: `control.chunks_done` against
/// [`Job::total_chunks`].
pub fn execute(job: &Job, clock: &dyn Clock, control: &RunControl) -> Result<Report, SimdError> {
    if let Some(&v) = job.variants().iter().find(|v| !v.is_available()) {
        return Err(SimdError::Unavailable(v));
    }
    let mut prepared = job.spec.prepare();
    let mut runs = Vec::new();
    for step in job.steps() {
        let timed = prepared.run(step.variant, step.threads, clock, control)?;
        runs.push(Measured { step, timed });
    }
    summarize(job, &prepared, &runs)
}

/// Checks the runs and builds the report. Fails if a variant's answers differ between runs
/// (the chunks and their order of operations are fixed, so every thread count must give the
/// same bits) or a variant's answer fails its [check](super::check).
pub fn summarize(job: &Job, prepared: &Prepared, runs: &[Measured]) -> Result<Report, SimdError> {
    let kernel = job.spec.kernel();
    let mut checks = Vec::new();
    let mut scalar: Option<(f64, u64)> = None;
    for variant in job.variants() {
        let mine: Vec<&Measured> = runs.iter().filter(|r| r.step.variant == variant).collect();
        let Some(first) = mine.first().map(|r| r.timed.answer) else { continue };
        if let Some(bad) = mine.iter().find(|r| r.timed.answer.digest != first.digest) {
            return Err(SimdError::WrongAnswer(format!(
                "{} gave {} on {} thread(s) but {} on another run",
                variant.name(),
                bad.timed.answer.value,
                bad.step.threads,
                first.value
            )));
        }
        let mut check = match (prepared.exact(), scalar) {
            (Some((exact, abs)), _) => {
                let (len, n) = (prepared.chunk_len(), prepared.chunks());
                check_reduction(kernel, variant, first.value, exact, abs, len, n)
            }
            (None, None) => {
                check_exact(variant, first.value, first.digest, first.value, first.digest)
            }
            (None, Some(s)) => check_exact(variant, first.value, first.digest, s.0, s.1),
        };
        if variant == Variant::Scalar {
            scalar = Some((first.value, first.digest));
        }
        if let (Some(image), Some(width)) = (prepared.image(), prepared.width()) {
            check.lane_use = lane_utilisation(&image, width, variant.lanes());
        }
        if !check.ok {
            return Err(SimdError::WrongAnswer(format!(
                "{} gave {} but the reference is {} (error {:e}, allowed {:e})",
                variant.name(),
                check.value,
                check.reference,
                check.abs_error,
                check.bound
            )));
        }
        checks.push(check);
    }
    let reference = checks.first().map_or(0.0, |c| c.value);
    let items = prepared.items(reference);
    let mut rows = Vec::new();
    for variant in job.variants() {
        for &threads in &job.threads {
            let threads = threads.max(1);
            let mine: Vec<&Measured> = runs
                .iter()
                .filter(|r| {
                    r.step.rep.is_some() && (r.step.variant, r.step.threads) == (variant, threads)
                })
                .collect();
            let times: Vec<f64> = mine.iter().map(|r| r.timed.wall_ms).collect();
            let Some(s) = Summary::of(&times) else { continue };
            rows.push(Row {
                kernel,
                variant,
                lanes: variant.lanes(),
                threads,
                median_ms: s.median,
                min_ms: s.min,
                max_ms: s.max,
                reps: times.len(),
                throughput: if s.median > 0.0 { items / (s.median * 1e3) } else { 0.0 },
                value: mine[0].timed.answer.value,
                simd_speedup: None,
                thread_speedup: None,
                speedup: None,
            });
        }
    }
    fill_speedups(&mut rows);
    let combined = combined(&rows);
    Ok(Report { spec: job.spec, unit: kernel.unit().into(), items, rows, combined, checks })
}

/// Median of the row for (`variant`, `threads`).
fn median(rows: &[Row], variant: Variant, threads: usize) -> Option<f64> {
    rows.iter().find(|r| r.variant == variant && r.threads == threads).map(|r| r.median_ms)
}

fn fill_speedups(rows: &mut [Row]) {
    let ratio = |a: Option<f64>, b: f64| a.filter(|_| b > 0.0).map(|a| a / b);
    let base = median(rows, Variant::Scalar, 1);
    let (scalar_at, own_1): (Vec<_>, Vec<_>) = rows
        .iter()
        .map(|r| (median(rows, Variant::Scalar, r.threads), median(rows, r.variant, 1)))
        .unzip();
    for ((row, scalar_at), own_1) in rows.iter_mut().zip(scalar_at).zip(own_1) {
        row.simd_speedup = ratio(scalar_at, row.median_ms);
        row.thread_speedup = ratio(own_1, row.median_ms);
        row.speedup = ratio(base, row.median_ms);
    }
}

/// The product of the SIMD speedup (1 thread) and the scalar thread speedup (k threads)
/// against the measured combined speedup, for every SIMD variant and thread count that has
/// the rows it needs. Pure: only medians are read.
pub fn combined(rows: &[Row]) -> Vec<Combined> {
    let Some(t_s1) = median(rows, Variant::Scalar, 1) else { return Vec::new() };
    let mut out = Vec::new();
    for row in rows.iter().filter(|r| r.variant != Variant::Scalar) {
        let (Some(t_v1), Some(t_sk)) =
            (median(rows, row.variant, 1), median(rows, Variant::Scalar, row.threads))
        else {
            continue;
        };
        if t_v1 <= 0.0 || t_sk <= 0.0 || row.median_ms <= 0.0 {
            continue;
        }
        let (simd_speedup, thread_speedup) = (t_s1 / t_v1, t_s1 / t_sk);
        let product = simd_speedup * thread_speedup;
        let measured = t_s1 / row.median_ms;
        out.push(Combined {
            variant: row.variant,
            lanes: row.lanes,
            threads: row.threads,
            simd_speedup,
            thread_speedup,
            product,
            measured,
            ratio: measured / product,
        });
    }
    out
}
