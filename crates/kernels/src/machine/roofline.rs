//! Peak compute, and the roofline it forms with the memory bandwidth.
//!
//! **Anchor.** Williams, Waterman & Patterson, "Roofline: an insightful visual performance
//! model for multicore architectures" (CACM 52(4), 2009). A kernel that does `I` operations
//! per byte it moves to or from memory (its *arithmetic intensity*) can run no faster than
//! `min(peak compute, I × memory bandwidth)`: on a log–log plot, a slanted roof (bandwidth)
//! meeting a flat one (compute) at the *ridge point* `peak / bandwidth`. Left of the ridge a
//! kernel is memory-bound (more cores help only until the bus is full: `reduce`), right of it
//! compute-bound (more cores help: `pi`, `mandelbrot`).
//!
//! **The compute roof** ([`flops_block`]) is measured, not taken from a datasheet: 16
//! independent chains `x ← x·m + a` in f64 (one multiply and one add each, the work of a fused
//! multiply-add, but written as two operations so every target computes it the same way),
//! packed two to a 128-bit register by hand ([`crate::lanes::F64x2`]: SSE2 natively, simd128
//! in wasm): eight registers of independent work. That covers most of the multiply-then-add
//! latency (6–8 cycles), so the units run about two-thirds full on current cores. So the roof
//! is what plain, well-vectorised f64 code reaches, a lower bound of the hardware: a datasheet peak
//! with 256- or 512-bit FMA is 3–10× higher, and f32 code (matmul) packs four numbers per
//! register, so it can run above this f64 roof. The chains converge (m = 0.5), so no value
//! ever becomes denormal or infinite.
//!
//! **The memory roof** is the best STREAM triad rate ([`super::bandwidth`]).

use serde::{Deserialize, Serialize};

use super::{Spread, blocks_for, counted, tick, usable_threads};
use crate::lanes::F64x2;
use crate::schedule::{Cancelled, Clock, RunControl};

/// Independent chains in [`flops_block`].
pub const CHAINS: usize = 16;
/// Steps of every chain per block (a block is some tens of µs, so reading the clock after
/// each costs nothing measurable).
pub const FLOP_STEPS: usize = 16_384;
/// Each step of a chain is `x ← x · CHAIN_M + CHAIN_A` (converges to 0.5).
const CHAIN_M: f64 = 0.5;
/// See [`CHAIN_M`].
const CHAIN_A: f64 = 0.25;
/// Floating-point operations per block: a multiply and an add per chain and step.
pub const FLOPS_PER_BLOCK: f64 = (2 * CHAINS * FLOP_STEPS) as f64;

/// What to measure.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PeakConfig {
    /// Thread counts (clamped to the pool).
    pub threads: Vec<usize>,
    /// How long each measurement runs, ms.
    pub probe_ms: f64,
    /// Rounds over all thread counts.
    pub reps: usize,
}

impl PeakConfig {
    /// 1 … `threads`, 30 ms each, 3 rounds.
    pub fn new(threads: usize) -> PeakConfig {
        PeakConfig { threads: (1..=threads.max(1)).collect(), probe_ms: 30.0, reps: 3 }
    }

    /// Measurements, for progress.
    pub fn steps(&self) -> usize {
        self.threads.len().max(1) * self.reps.max(1)
    }
}

/// Compute rate at one thread count.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct PeakPoint {
    /// Threads.
    pub threads: usize,
    /// Best repetition, GFLOP/s (10⁹ f64 operations per second, all threads together).
    pub gflops: f64,
    /// Median repetition, GFLOP/s.
    pub median_gflops: f64,
}

/// The compute roof.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RooflineResult {
    /// One point per thread count, ascending.
    pub points: Vec<PeakPoint>,
    /// Best rate at 1 thread, GFLOP/s.
    pub one_thread_gflops: f64,
    /// Best rate at any thread count, GFLOP/s (the compute roof).
    pub peak_gflops: f64,
}

/// [`CHAINS`] chains of [`FLOP_STEPS`] multiply-adds from `seed`; returns their sum so nothing
/// can be skipped. [`FLOPS_PER_BLOCK`] operations.
#[inline(never)] // a function of its own, called often: see [`super`]
pub fn flops_block(seed: f64) -> f64 {
    let (m, a) = (F64x2::splat(CHAIN_M), F64x2::splat(CHAIN_A));
    let mut x: [F64x2; CHAINS / 2] =
        std::array::from_fn(|i| F64x2::new(seed + (2 * i) as f64, seed + (2 * i + 1) as f64));
    for _ in 0..FLOP_STEPS {
        for v in &mut x {
            *v = v.mul_add(m, a);
        }
    }
    x.iter().flat_map(|v| v.to_array()).sum()
}

/// [`flops_block`] one chain at a time, unpacked: the reference its hand-packed vectors are
/// tested against (natively and in the browser); it gives the same bits.
pub fn scalar_chains(seed: f64) -> f64 {
    (0..CHAINS).map(|i| (0..FLOP_STEPS).fold(seed + i as f64, |x, _| x * CHAIN_M + CHAIN_A)).sum()
}

/// Measures the compute rate on the current pool.
pub fn measure_peak(
    config: &PeakConfig,
    clock: &dyn Clock,
    control: &RunControl,
) -> Result<RooflineResult, Cancelled> {
    counted(control, config.steps(), || {
        let ks = usable_threads(&config.threads);
        let block = |t: usize| flops_block(std::hint::black_box(t as f64)).to_bits();
        blocks_for(*ks.iter().max().unwrap_or(&1), config.probe_ms / 4.0, clock, block); // warm-up
        let mut samples: Vec<Vec<f64>> = vec![Vec::new(); ks.len()];
        for _ in 0..config.reps.max(1) {
            for (i, &k) in ks.iter().enumerate() {
                let (blocks, ms) = blocks_for(k, config.probe_ms, clock, block);
                samples[i].push(blocks as f64 * FLOPS_PER_BLOCK / ms.max(1e-6) / 1e6);
                tick(control)?;
            }
        }
        let mut points: Vec<PeakPoint> = ks
            .iter()
            .zip(&samples)
            .map(|(&threads, s)| {
                let s = Spread::of(s);
                PeakPoint { threads, gflops: s.max, median_gflops: s.median }
            })
            .collect();
        points.sort_by_key(|p| p.threads);
        Ok(RooflineResult {
            one_thread_gflops: points.iter().find(|p| p.threads == 1).map_or(0.0, |p| p.gflops),
            peak_gflops: points.iter().map(|p| p.gflops).fold(0.0, f64::max),
            points,
        })
    })
}

/// The roofline: the most GFLOP/s (or Gop/s) a kernel of `intensity` operations per byte can
/// reach under a compute roof of `peak_gflops` and a memory roof of `bandwidth_gbs`:
/// `min(peak, intensity × bandwidth)`.
pub fn attainable_gflops(intensity: f64, peak_gflops: f64, bandwidth_gbs: f64) -> f64 {
    (intensity * bandwidth_gbs).min(peak_gflops)
}

/// The ridge point, operations per byte: below it a kernel is memory-bound, above it
/// compute-bound.
pub fn ridge_intensity(peak_gflops: f64, bandwidth_gbs: f64) -> f64 {
    if bandwidth_gbs > 0.0 { peak_gflops / bandwidth_gbs } else { f64::INFINITY }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_packed_block_computes_the_scalar_chains() {
        assert_eq!(flops_block(3.0).to_bits(), scalar_chains(3.0).to_bits());
    }

    #[test]
    fn the_two_roofs_meet_at_the_ridge() {
        let (peak, bw) = (40.0, 10.0);
        assert_eq!(ridge_intensity(peak, bw), 4.0);
        assert_eq!(attainable_gflops(0.25, peak, bw), 2.5); // reduce: memory-bound
        assert_eq!(attainable_gflops(4.0, peak, bw), 40.0);
        assert_eq!(attainable_gflops(100.0, peak, bw), 40.0); // compute-bound
        assert_eq!(attainable_gflops(f64::INFINITY, peak, bw), 40.0); // no memory traffic
        assert_eq!(ridge_intensity(peak, 0.0), f64::INFINITY);
    }

    #[test]
    fn the_flop_kernel_converges_and_is_deterministic() {
        let s = flops_block(3.0);
        assert_eq!(s, flops_block(3.0));
        // Every chain converges to a / (1 − m) = 0.5.
        assert!((s - 0.5 * CHAINS as f64).abs() < 1e-9, "{s}");
        assert_eq!(FLOPS_PER_BLOCK, 524_288.0);
    }

    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn a_small_measurement_has_a_point_per_thread_count() {
        use crate::machine::tests::{clock, pool};
        let config = PeakConfig { threads: vec![2, 1], probe_ms: 2.0, reps: 2 };
        let r =
            pool(2).install(|| measure_peak(&config, &clock(), &RunControl::default())).unwrap();
        assert_eq!(r.points.iter().map(|p| p.threads).collect::<Vec<_>>(), [1, 2]);
        assert!(r.peak_gflops >= r.one_thread_gflops && r.one_thread_gflops > 0.0);
    }

    #[cfg(not(target_arch = "wasm32"))]
    proptest::proptest! {
        #[test]
        fn attainable_never_exceeds_either_roof_and_grows_with_intensity(
            i in 0.0f64..1e3, j in 0.0f64..1e3, peak in 0.1f64..1e4, bw in 0.1f64..1e3,
        ) {
            let a = attainable_gflops(i, peak, bw);
            proptest::prop_assert!(a <= peak && a <= i * bw);
            proptest::prop_assert!(i > j || a <= attainable_gflops(j, peak, bw));
        }
    }
}
