//! "Your machine": what the hardware under a tab really is, measured rather than reported.
//!
//! `navigator.hardwareConcurrency` is whatever the browser chooses to say (rounded, capped, or
//! randomised against fingerprinting), and the lessons' models assume two hardware threads per
//! core. This module measures instead, with five small experiments, each in its own file and
//! each modelled on a well-known tool so that its numbers mean what the tool's numbers mean:
//!
//! | file | experiment | anchor |
//! |---|---|---|
//! | [`cores`] | k = 1 … 2N copies of a fixed compute kernel at once; the knee of total throughput gives physical cores, logical threads and the SMT gain | Core Estimator (E. Grey, 2013), which timed the same workload on 1, 2, … Web Workers |
//! | [`memory`], [`levels`] | a pointer chase (ns per dependent load) and a streaming read (GB/s) over working sets of 4 KiB … 256 MiB; steps in latency labelled L1 / L2 / L3 / DRAM | lmbench `lat_mem_rd` (McVoy & Staelin 1996), Intel Memory Latency Checker |
//! | [`bandwidth`] | STREAM copy and triad on 1 … N threads, GB/s with STREAM's byte counting, and where adding threads stops helping | STREAM (J. McCalpin 1995) |
//! | [`sharing`] | per-thread counters in one cache line vs padded to their own lines, and a stride sweep whose knee is the line size | the classic false-sharing demonstration (e.g. Bolosky & Scott 1993; Intel's tuning guides) |
//! | [`roofline`] | peak GFLOP/s of an FMA-like f64 kernel on 1 … N threads; with the bandwidth it forms the roofs; the five lesson kernels' arithmetic intensity | the roofline model (Williams, Waterman & Patterson 2009) |
//!
//! [`card`] condenses the results into a [`MachineCard`] (serialisable, for comparison across
//! browsers and machines) and [`run_all`] runs everything in order.
//!
//! **How the code runs.** Like every kernel in this crate it goes through the rayon pool only
//! (on wasm32 no OS thread can be spawned): a measurement on `k` threads starts exactly `k`
//! rayon tasks ([`together`]) that wait at a start barrier and are timed from the moment they
//! are released, as [`crate::schedule`] does for the lessons' kernels. Time comes from the
//! caller's [`Clock`] (in the browser `performance.timeOrigin + now()`; `Instant` panics on
//! wasm32-unknown-unknown). Progress and cancel use the crate's [`RunControl`]: every
//! experiment has a `steps()` count and adds one to `chunks_done` per finished measurement;
//! `cancel` is checked between measurements (each takes at most some tens of ms).
//!
//! **Measured loops are functions of their own** (`#[inline(never)]`: [`memory::chase`],
//! [`memory::read_sum`], [`bandwidth::copy`], [`bandwidth::triad`], [`cores::compute_block`],
//! [`sharing::bump`], [`roofline::flops_block`]) and each is called many times. V8 compiles wasm
//! first with its baseline compiler (Liftoff) and re-compiles a function that runs hot with its
//! optimising compiler (TurboFan), but only for the *next* call: there is no on-stack
//! replacement for wasm. A loop inlined into the experiment, which is called once, ran on
//! baseline code for the whole run: the streaming read measured 4.3 GB/s in L1 where the same
//! code as its own function gets 44 GB/s (native: 45–50).
//!
//! **Which number is reported.** Every measurement is repeated; results keep the best and the
//! median. The detectors use the *best* (least time, most throughput), as STREAM ("best rate")
//! and lmbench (minimum) do: on a shared machine other load can only slow a run down, so the
//! best repetition is the closest to what the hardware can do.

pub mod bandwidth;
pub mod card;
pub mod cores;
pub mod intensity;
pub mod knee;
pub mod levels;
pub mod memory;
pub mod roofline;
mod run;
pub mod sharing;

use serde::{Deserialize, Serialize};

pub use bandwidth::{BandwidthConfig, BandwidthResult, saturation_threads};
pub use card::MachineCard;
pub use cores::{CoresConfig, CoresResult};
pub use intensity::{KernelIntensity, kernel_intensity};
pub use knee::{CoreEstimate, estimate_cores, line_size};
pub use levels::{CacheLevel, detect_levels};
pub use memory::{SweepConfig, SweepResult};
pub use roofline::{PeakConfig, RooflineResult, attainable_gflops, ridge_intensity};
pub use run::together;
use run::{blocks_for, counted, tick, try_zeroed};
pub use sharing::{SharingConfig, SharingResult};

use crate::schedule::{Cancelled, Clock, RunControl};

/// Settings of all five experiments (each has sensible defaults for `threads` hardware threads).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MachineConfig {
    /// The cores probe.
    pub cores: CoresConfig,
    /// The working-set sweep.
    pub sweep: SweepConfig,
    /// STREAM copy / triad scaling.
    pub bandwidth: BandwidthConfig,
    /// False sharing and the line-size sweep.
    pub sharing: SharingConfig,
    /// Peak compute for the roofline.
    pub peak: PeakConfig,
}

impl MachineConfig {
    /// Defaults for a machine that reports `reported` logical cores (the cores probe goes up to
    /// twice that; the other experiments up to `reported`). Together about 3–6 s natively.
    pub fn new(reported: usize) -> MachineConfig {
        let n = reported.max(1);
        MachineConfig {
            cores: CoresConfig::new(2 * n),
            sweep: SweepConfig::default(),
            bandwidth: BandwidthConfig::new(n),
            sharing: SharingConfig::new(n),
            peak: PeakConfig::new(n),
        }
    }

    /// Measurements in [`run_all`], for a progress bar over `RunControl::chunks_done`.
    pub fn steps(&self) -> usize {
        self.cores.steps()
            + self.sweep.steps()
            + self.bandwidth.steps()
            + self.sharing.steps()
            + self.peak.steps()
    }
}

/// Everything [`run_all`] measured, and the card that sums it up.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MachineReport {
    /// The summary.
    pub card: MachineCard,
    /// Throughput against concurrent copies, and the knee.
    pub cores: CoresResult,
    /// Latency and read bandwidth against working-set size, and the levels found.
    pub memory: SweepResult,
    /// STREAM copy / triad against threads.
    pub bandwidth: BandwidthResult,
    /// Packed vs padded counters, and the stride sweep.
    pub sharing: SharingResult,
    /// Peak GFLOP/s against threads.
    pub roofline: RooflineResult,
}

/// Runs the five experiments on the current rayon pool (call it inside `pool.install`
/// natively; on wasm on a pool thread) and fills in the card. `reported` is the core count the
/// platform claims (`hardwareConcurrency`, `available_parallelism`).
pub fn run_all(
    config: &MachineConfig,
    reported: usize,
    clock: &dyn Clock,
    control: &RunControl,
) -> Result<MachineReport, Cancelled> {
    let cores = cores::probe(&config.cores, clock, control)?;
    let memory = memory::sweep(&config.sweep, clock, control)?;
    let bandwidth = bandwidth::measure(&config.bandwidth, clock, control)?;
    let sharing = sharing::measure(&config.sharing, clock, control)?;
    let roofline = roofline::measure_peak(&config.peak, clock, control)?;
    let card =
        MachineCard::from_results(reported, &cores, &memory, &bandwidth, &sharing, &roofline);
    Ok(MachineReport { card, cores, memory, bandwidth, sharing, roofline })
}

/// Best, median and worst of repeated measurements of one quantity.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Spread {
    /// Median of the repetitions.
    pub median: f64,
    /// Smallest repetition.
    pub min: f64,
    /// Largest repetition.
    pub max: f64,
}

impl Spread {
    /// The spread of `samples` (all zero when there are none).
    pub fn of(samples: &[f64]) -> Spread {
        parlab_model::stats::Summary::of(samples).map_or(
            Spread { median: 0.0, min: 0.0, max: 0.0 },
            |s| Spread { median: s.median, min: s.min, max: s.max },
        )
    }
}

/// Thread counts `1..=max`, limited to the threads of the current pool (more tasks than pool
/// threads cannot run at the same time, so they would not measure `k` threads).
pub fn thread_range(max: usize) -> Vec<usize> {
    (1..=max.clamp(1, pool_threads())).collect()
}

/// Threads of the current rayon pool.
pub fn pool_threads() -> usize {
    rayon::current_num_threads().max(1)
}

/// `list` without zeros and without counts above the pool's size, deduplicated, in order.
fn usable_threads(list: &[usize]) -> Vec<usize> {
    let pool = pool_threads();
    let mut out: Vec<usize> = Vec::new();
    for &k in list {
        if (1..=pool).contains(&k) && !out.contains(&k) {
            out.push(k);
        }
    }
    if out.is_empty() {
        out.push(1);
    }
    out
}

#[cfg(all(test, not(target_arch = "wasm32")))]
pub(crate) mod tests {
    use super::*;

    pub fn clock() -> impl Fn() -> f64 + Sync {
        let start = std::time::Instant::now();
        move || start.elapsed().as_secs_f64() * 1e3
    }

    pub fn pool(n: usize) -> rayon::ThreadPool {
        rayon::ThreadPoolBuilder::new().num_threads(n).build().unwrap()
    }

    #[test]
    fn thread_lists_are_clamped_to_the_pool() {
        pool(2).install(|| {
            assert_eq!(thread_range(5), vec![1, 2]);
            assert_eq!(usable_threads(&[0, 2, 2, 3, 1]), vec![2, 1]);
            assert_eq!(usable_threads(&[9]), vec![1]);
        });
    }

    #[test]
    fn config_steps_add_up() {
        let c = pool(2).install(|| MachineConfig::new(2));
        let sum = c.cores.steps()
            + c.sweep.steps()
            + c.bandwidth.steps()
            + c.sharing.steps()
            + c.peak.steps();
        assert_eq!(c.steps(), sum);
    }
}
