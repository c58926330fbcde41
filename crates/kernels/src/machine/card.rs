//! The machine card: one small record of what was measured, for comparing browsers, engines,
//! execution modes and machines side by side (and with the native benchmark).

use serde::{Deserialize, Serialize};

use super::bandwidth::BandwidthResult;
use super::cores::CoresResult;
use super::levels::CacheLevel;
use super::memory::SweepResult;
use super::roofline::{RooflineResult, ridge_intensity};
use super::sharing::SharingResult;

/// What the machine is, measured (and what it claims to be). Times in ns, bandwidth in GB/s
/// (10⁹ bytes/s), compute in GFLOP/s.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MachineCard {
    /// Logical cores the platform reports (`navigator.hardwareConcurrency`,
    /// `available_parallelism`).
    pub reported_cores: usize,
    /// Physical cores from the knee of the cores probe.
    pub measured_cores: usize,
    /// Logical threads from the cores probe (= `measured_cores` without SMT).
    pub logical_threads: usize,
    /// Throughput of all cores with two threads each ÷ with one each (1.0 without SMT).
    pub smt_gain: f64,
    /// Best STREAM triad rate on 1 thread.
    pub bandwidth_one_thread_gbs: f64,
    /// Best STREAM triad rate on the most threads measured.
    pub bandwidth_all_threads_gbs: f64,
    /// How many threads "all threads" was.
    pub bandwidth_threads: usize,
    /// Threads from which one more adds less than 10 % bandwidth.
    pub bandwidth_saturation_threads: usize,
    /// Levels found in the latency sweep, L1 first.
    pub cache_levels: Vec<CacheLevel>,
    /// Cache line size found by the false-sharing stride sweep, bytes.
    pub line_bytes: Option<usize>,
    /// Packed ÷ padded counter time at the most threads measured.
    pub false_sharing_slowdown: Option<f64>,
    /// Threads of that slowdown.
    pub false_sharing_threads: usize,
    /// Best f64 rate of the FLOP kernel on 1 thread.
    pub peak_gflops_one_thread: f64,
    /// Best f64 rate on any thread count (the compute roof).
    pub peak_gflops: f64,
    /// Operations per byte where the roofline's two roofs meet (peak ÷ best triad rate; 0 if
    /// no bandwidth was measured).
    pub ridge_intensity: f64,
    /// Browser name and version, if the caller knows it.
    #[serde(default)]
    pub browser: Option<String>,
    /// JavaScript / wasm engine (V8, SpiderMonkey, JavaScriptCore), or "native".
    #[serde(default)]
    pub engine: Option<String>,
    /// Execution mode (`threads`, `workers`, `single`, or `native`).
    #[serde(default)]
    pub mode: Option<String>,
}

impl MachineCard {
    /// The card for a set of results; `browser`, `engine` and `mode` are left empty for the
    /// caller.
    pub fn from_results(
        reported_cores: usize,
        cores: &CoresResult,
        memory: &SweepResult,
        bandwidth: &BandwidthResult,
        sharing: &SharingResult,
        roofline: &RooflineResult,
    ) -> MachineCard {
        let e = cores.estimate;
        MachineCard {
            reported_cores,
            measured_cores: e.physical_cores,
            logical_threads: e.logical_threads,
            smt_gain: e.smt_gain,
            bandwidth_one_thread_gbs: bandwidth.one_thread_gbs(),
            bandwidth_all_threads_gbs: bandwidth.all_threads_gbs(),
            bandwidth_threads: bandwidth.points.last().map_or(0, |p| p.threads),
            bandwidth_saturation_threads: bandwidth.saturation_threads,
            cache_levels: memory.levels.clone(),
            line_bytes: sharing.line_bytes,
            false_sharing_slowdown: sharing.slowdown(),
            false_sharing_threads: sharing.points.last().map_or(0, |p| p.threads),
            peak_gflops_one_thread: roofline.one_thread_gflops,
            peak_gflops: roofline.peak_gflops,
            ridge_intensity: Some(ridge_intensity(roofline.peak_gflops, bandwidth.peak_gbs()))
                .filter(|r| r.is_finite())
                .unwrap_or(0.0),
            browser: None,
            engine: None,
            mode: None,
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use crate::machine::{MachineConfig, MachineReport, run_all};
    use crate::schedule::RunControl;

    /// The whole pipeline at toy sizes: every field filled, snake_case JSON, cancel works.
    #[test]
    fn run_all_fills_the_card() {
        use crate::machine::tests::{clock, pool};
        let mut config = MachineConfig::new(2);
        config.cores.probe_ms = 1.0;
        config.cores.reps = 1;
        config.sweep.max_bytes = 32 << 10;
        config.sweep.target_ms = 0.1;
        config.sweep.reps = 1;
        config.bandwidth.array_bytes = 32 << 10;
        config.bandwidth.reps = 1;
        config.sharing.run_ms = 0.5;
        config.sharing.reps = 1;
        config.peak.probe_ms = 1.0;
        config.peak.reps = 1;
        let control = RunControl::default();
        let report = pool(4).install(|| run_all(&config, 2, &clock(), &control)).unwrap();
        assert_eq!(control.chunks_done.load(std::sync::atomic::Ordering::Relaxed), config.steps());
        let card = &report.card;
        assert_eq!(card.reported_cores, 2);
        assert!(card.measured_cores >= 1 && card.logical_threads >= card.measured_cores);
        assert_eq!(card.bandwidth_threads, 2);
        assert!(card.peak_gflops > 0.0 && card.bandwidth_all_threads_gbs > 0.0);
        assert!(!card.cache_levels.is_empty());
        let json = serde_json::to_value(&report).unwrap();
        for key in [
            "reported_cores",
            "measured_cores",
            "smt_gain",
            "bandwidth_one_thread_gbs",
            "cache_levels",
            "line_bytes",
            "false_sharing_slowdown",
            "peak_gflops",
            "browser",
        ] {
            assert!(json["card"].get(key).is_some(), "card has {key}");
        }
        let back: MachineReport = serde_json::from_value(json).unwrap();
        assert_eq!(back.card.measured_cores, card.measured_cores);

        let cancelled = RunControl::default();
        cancelled.cancel.store(true, std::sync::atomic::Ordering::Relaxed);
        assert!(pool(2).install(|| run_all(&config, 2, &clock(), &cancelled)).is_err());
    }
}
