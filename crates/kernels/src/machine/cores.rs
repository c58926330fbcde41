//! How many cores, really: the knee of throughput against concurrent copies of a kernel.
//!
//! **Anchor.** Core Estimator (Eli Grey, 2013) filled the gap before `hardwareConcurrency`
//! existed: it ran the same workload on 1, 2, 3, … Web Workers at once and found the worker
//! count at which the time per workload starts to grow. We do the same with throughput: `k`
//! copies of a fixed compute kernel run at once on `k` pool threads for a fixed time
//! ([`PROBE_MS`] by default), and the total work done per second is measured for
//! k = 1 … 2 × the reported count.
//!
//! **Why it works.** While `k` ≤ the physical cores, each copy has a core to itself and the
//! total grows by one copy's worth per thread (slope 1, in units of the 1-thread throughput).
//! Past the physical cores the OS puts the extra copies on the second hardware thread of a core
//! (SMT, "hyper-threading"): two threads share one core's execution units, so together they
//! do `g` times what one does, `1 ≤ g < 2`; the total grows by `g − 1` per thread. Past the
//! logical threads copies only take turns (time slicing): the total stays flat. So the curve
//! is two straight segments and a plateau, and [`estimate_cores`] (in [`super::knee`]) fits
//! exactly that shape.
//!
//! **The kernel** ([`compute_block`]) runs four independent integer multiply–xorshift chains: it
//! keeps a core's single 64-bit multiplier about two-thirds busy, like ordinary integer code, so
//! a second hardware thread has room to add something but not a whole core's worth. The SMT
//! gain is the gain *for this kernel*: latency-bound code gains more, vectorised floating point
//! less.
//!
//! **Limits.** It assumes the OS spreads threads over physical cores first (Linux, Windows and
//! macOS do). On hybrid CPUs (Apple M, Intel since Alder Lake) the efficiency cores also add
//! less than one performance core per thread, so they look like SMT threads here: the second
//! slope is then "efficiency cores", not hyper-threads. Turbo clocks that fall as more cores
//! are busy bend the first segment a little; the fit takes its average slope.

use serde::{Deserialize, Serialize};

use super::knee::{CoreEstimate, estimate_cores};
use super::{Spread, blocks_for, counted, tick, usable_threads};
use crate::schedule::{Cancelled, Clock, RunControl};

/// Default time each measurement runs its copies, ms.
pub const PROBE_MS: f64 = 25.0;

/// Steps of each of the four chains per [`compute_block`] (some tens of µs of work, so reading
/// the clock after each block costs nothing measurable).
pub const BLOCK_STEPS: u64 = 16_384;

/// What to measure.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CoresConfig {
    /// Largest number of concurrent copies (default: twice the reported cores; it is clamped
    /// to the pool's threads, since tasks beyond them cannot run at the same time).
    pub max_threads: usize,
    /// How long each measurement runs, ms.
    pub probe_ms: f64,
    /// Repetitions per thread count (rounds interleaved 1, 2, …, K, 1, 2, …).
    pub reps: usize,
}

impl CoresConfig {
    /// Up to `max_threads` copies, [`PROBE_MS`] each, 15 repetitions (more, shorter runs give
    /// the best one a better chance to be undisturbed on a shared machine; in the browser the
    /// page's own threads share the cores too: with 7, one `./bench` run's best 2-thread
    /// window was still disturbed and read 2 cores as 1 core with SMT).
    pub fn new(max_threads: usize) -> CoresConfig {
        CoresConfig { max_threads: max_threads.max(1), probe_ms: PROBE_MS, reps: 15 }
    }

    /// The thread counts measured on the current pool.
    pub fn thread_counts(&self) -> Vec<usize> {
        usable_threads(&(1..=self.max_threads.max(1)).collect::<Vec<_>>())
    }

    /// Measurements, for progress (an upper bound if the pool is smaller than `max_threads`).
    pub fn steps(&self) -> usize {
        self.max_threads.max(1) * self.reps.max(1)
    }
}

/// Throughput at one thread count, in million chain steps per second (all copies together).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct CoresPoint {
    /// Concurrent copies (= pool threads busy).
    pub threads: usize,
    /// Best repetition, million steps / s.
    pub best_mops: f64,
    /// Median repetition, million steps / s.
    pub median_mops: f64,
    /// Worst repetition, million steps / s.
    pub min_mops: f64,
    /// Best throughput relative to the best at 1 thread (1.0 at `threads` = 1).
    pub relative: f64,
}

/// The measured curve and its knee.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CoresResult {
    /// One point per thread count, ascending.
    pub points: Vec<CoresPoint>,
    /// Cores, threads and SMT gain from the best throughputs.
    pub estimate: CoreEstimate,
    /// Threads in the pool that ran the probe (thread counts above it were not measured).
    pub pool_threads: usize,
    /// Milliseconds each measurement ran.
    pub probe_ms: f64,
}

/// Four independent multiply–xorshift chains, [`BLOCK_STEPS`] steps each, seeded by `seed`.
/// Different shift amounts per chain keep the compiler from packing the chains into SIMD lanes
/// (64-bit vector multiplies are emulated on x86 and in V8), so every engine runs the same
/// scalar code.
#[inline(never)] // a function of its own, called often: see [`super`]
pub fn compute_block(seed: u64) -> u64 {
    const A: u64 = 6_364_136_223_846_793_005;
    const C: u64 = 1_442_695_040_888_963_407;
    let (mut x0, mut x1, mut x2, mut x3) = (seed, seed ^ 0x9E37, seed ^ 0x7F4A, seed ^ 0x7C15);
    for _ in 0..BLOCK_STEPS {
        x0 = x0.wrapping_mul(A).wrapping_add(C);
        x1 = x1.wrapping_mul(A).wrapping_add(C);
        x2 = x2.wrapping_mul(A).wrapping_add(C);
        x3 = x3.wrapping_mul(A).wrapping_add(C);
        x0 ^= x0 >> 29;
        x1 ^= x1 >> 31;
        x2 ^= x2 >> 27;
        x3 ^= x3 >> 33;
    }
    x0 ^ x1 ^ x2 ^ x3
}

/// Runs the probe on the current pool: for each round, each thread count in turn.
pub fn probe(
    config: &CoresConfig,
    clock: &dyn Clock,
    control: &RunControl,
) -> Result<CoresResult, Cancelled> {
    counted(control, config.steps(), || {
        let ks = config.thread_counts();
        let mut samples: Vec<Vec<f64>> = vec![Vec::new(); ks.len()];
        // Warm-up: wake every pool thread and let the clock speed settle.
        blocks_for(*ks.last().unwrap_or(&1), config.probe_ms / 4.0, clock, |t| {
            compute_block(t as u64)
        });
        for _ in 0..config.reps.max(1) {
            for (i, &k) in ks.iter().enumerate() {
                let (blocks, ms) =
                    blocks_for(k, config.probe_ms, clock, |t| compute_block(t as u64 + 1));
                let steps = blocks as f64 * 4.0 * BLOCK_STEPS as f64;
                samples[i].push(if ms > 0.0 { steps / ms / 1e3 } else { 0.0 });
                tick(control)?;
            }
        }
        let spreads: Vec<Spread> = samples.iter().map(|s| Spread::of(s)).collect();
        let one = spreads.first().map_or(1.0, |s| s.max).max(f64::MIN_POSITIVE);
        let points: Vec<CoresPoint> = ks
            .iter()
            .zip(&spreads)
            .map(|(&threads, s)| CoresPoint {
                threads,
                best_mops: s.max,
                median_mops: s.median,
                min_mops: s.min,
                relative: s.max / one,
            })
            .collect();
        let curve: Vec<(usize, f64)> = points.iter().map(|p| (p.threads, p.best_mops)).collect();
        Ok(CoresResult {
            estimate: estimate_cores(&curve),
            points,
            pool_threads: super::pool_threads(),
            probe_ms: config.probe_ms,
        })
    })
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_block_is_deterministic() {
        assert_eq!(compute_block(7), compute_block(7));
        assert_ne!(compute_block(7), compute_block(8));
    }

    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn a_small_probe_has_one_point_per_thread_count() {
        use crate::machine::tests::{clock, pool};
        let config = CoresConfig { max_threads: 3, probe_ms: 2.0, reps: 2 };
        let control = RunControl::default();
        let r = pool(2).install(|| probe(&config, &clock(), &control)).unwrap();
        assert_eq!(r.points.iter().map(|p| p.threads).collect::<Vec<_>>(), [1, 2]);
        assert_eq!(r.pool_threads, 2);
        assert!(
            r.points.iter().all(|p| p.min_mops <= p.median_mops && p.median_mops <= p.best_mops)
        );
        assert_eq!(r.points[0].relative, 1.0);
        // Each chain step is a dependent 64-bit multiply (≥ 3 cycles): even at 6 GHz four
        // chains make at most 8 000 M steps/s per thread. More means the work was optimised
        // away and the probe timed only the clock.
        assert!(r.points[0].best_mops < 8_000.0, "{:?}", r.points[0]);
        // 2 thread counts × 2 reps measured; progress topped up to the 3 × 2 announced.
        assert_eq!(control.chunks_done.load(std::sync::atomic::Ordering::Relaxed), config.steps());
    }
}
