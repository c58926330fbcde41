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
//! is two straight segments and a plateau, and [`estimate_cores`] fits exactly that shape.
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

use super::{Spread, blocks_for, tick, usable_threads};
use crate::schedule::{Cancelled, Clock, RunControl};

/// Default time each measurement runs its copies, ms.
pub const PROBE_MS: f64 = 40.0;

/// Steps of each of the four chains per [`compute_block`] (some tens of µs of work, so reading
/// the clock after each block costs nothing measurable).
pub const BLOCK_STEPS: u64 = 16_384;

/// A gain below this from the second hardware threads counts as no SMT at all (noise, or time
/// slicing's small losses and wins).
pub const MIN_SMT_GAIN: f64 = 1.1;

/// The second slope (per extra thread) may be at most this share of the first. A second
/// hardware thread adds 0.1–0.5 of a core to throughput code like [`compute_block`] (and an
/// efficiency core 0.3–0.6 of a performance core); a thread that adds more than this *is* a
/// core for our purpose. Without the limit, "1 core, then SMT worth 0.9" would fit a noisy
/// 2-core curve as well as "2 cores", and a straight line as well as anything.
pub const MAX_SECOND_SLOPE: f64 = 0.7;

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
    /// Up to `max_threads` copies, [`PROBE_MS`] each, 3 repetitions.
    pub fn new(max_threads: usize) -> CoresConfig {
        CoresConfig { max_threads: max_threads.max(1), probe_ms: PROBE_MS, reps: 3 }
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

/// What the knee of the curve says.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct CoreEstimate {
    /// Threads up to which every added thread adds a whole core's throughput.
    pub physical_cores: usize,
    /// Threads up to which adding one still helps (= `physical_cores` without SMT).
    pub logical_threads: usize,
    /// Throughput of the cores fully loaded by `logical_threads` threads ÷ by one thread each
    /// (1.0 without SMT).
    pub smt_gain: f64,
    /// Root-mean-square relative misfit of the fitted model (how much to trust the knee: 0.02
    /// means the points lie within about 2 % of the fitted segments).
    pub misfit: f64,
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
    let ks = config.thread_counts();
    let mut samples: Vec<Vec<f64>> = vec![Vec::new(); ks.len()];
    // Warm-up: wake every pool thread and let the clock speed settle.
    blocks_for(*ks.last().unwrap_or(&1), config.probe_ms / 4.0, clock, |t| compute_block(t as u64));
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
}

/// The weighted least-squares fit of `T(k) = a·min(k, p) + b·clamp(k − p, 0, l − p)` for fixed
/// breakpoints over `(k, T, weight)` points: `(a, b, weighted sum of squared errors)`, or
/// `None` if the shape does not apply (`a ≤ 0`, or a second slope above
/// [`MAX_SECOND_SLOPE`] of the first).
fn fit(curve: &[(usize, f64, f64)], p: usize, l: usize) -> Option<(f64, f64, f64)> {
    let feature = |k: usize| (k.min(p) as f64, (k.clamp(p, l) - p) as f64);
    let (mut uu, mut uv, mut vv, mut tu, mut tv) = (0.0, 0.0, 0.0, 0.0, 0.0);
    for &(k, t, w) in curve {
        let (u, v) = feature(k);
        uu += w * u * u;
        uv += w * u * v;
        vv += w * v * v;
        tu += w * t * u;
        tv += w * t * v;
    }
    let det = uu * vv - uv * uv;
    let (mut a, mut b) = if l > p && det > 1e-9 * uu * vv {
        ((tu * vv - tv * uv) / det, (tv * uu - tu * uv) / det)
    } else {
        (tu / uu, 0.0)
    };
    if b < 0.0 {
        (a, b) = (tu / uu, 0.0);
    }
    if a.is_nan() || a <= 0.0 || b > MAX_SECOND_SLOPE * a {
        return None;
    }
    let sse = curve
        .iter()
        .map(|&(k, t, w)| {
            let (u, v) = feature(k);
            w * (t - a * u - b * v).powi(2)
        })
        .sum();
    Some((a, b, sse))
}

/// Physical cores, logical threads and SMT gain from `(threads, throughput)` points (any order,
/// any unit; throughput of all threads together).
///
/// Two models are fitted by least squares on *relative* errors (each point weighted by
/// 1/throughput², since timing noise is a share of the value), each over every choice of
/// breakpoints among the
/// measured thread counts: *without SMT*, slope `a` up to `p` threads and flat after; *with
/// SMT*, slope `a` up to `p`, a smaller slope `b` (at most [`MAX_SECOND_SLOPE`]·`a`) up to `l`,
/// flat after. The SMT model has two more parameters, so it must earn them: it is taken only
/// if it cuts the squared error by the factor the Bayesian information criterion asks
/// (`n^(−2/n)` for `n` points) and its gain reaches [`MIN_SMT_GAIN`]. Equal fits go to the
/// smaller breakpoints. Only ratios of errors are compared, so the unit of throughput does not
/// matter.
pub fn estimate_cores(curve: &[(usize, f64)]) -> CoreEstimate {
    let mut curve: Vec<(usize, f64)> =
        curve.iter().copied().filter(|&(k, t)| k > 0 && t.is_finite()).collect();
    curve.sort_by_key(|&(k, _)| k);
    let mut ks: Vec<usize> = curve.iter().map(|&(k, _)| k).collect();
    ks.dedup();
    let top = curve.iter().map(|&(_, t)| t.abs()).fold(0.0, f64::max);
    let floor = if top > 0.0 { top * 1e-9 } else { 1.0 };
    let curve: Vec<(usize, f64, f64)> =
        curve.iter().map(|&(k, t)| (k, t, 1.0 / t.abs().max(floor).powi(2))).collect();
    let total: f64 = curve.iter().map(|&(_, t, w)| w * t * t).sum();
    // (p, l, a, b, sse) of the best fit of each model.
    type Fit = (usize, usize, f64, f64, f64);
    let (mut flat, mut smt): (Option<Fit>, Option<Fit>) = (None, None);
    for (i, &p) in ks.iter().enumerate() {
        for &l in &ks[i..] {
            let Some((a, b, sse)) = fit(&curve, p, l) else { continue };
            let slot = if l == p || b == 0.0 { &mut flat } else { &mut smt };
            // Strictly better by more than rounding: equal fits keep the smaller breakpoints.
            if slot.is_none_or(|(.., e)| sse < e - 1e-12 * total) {
                *slot = Some((p, l, a, b, sse));
            }
        }
    }
    let n = curve.len() as f64;
    let gain = |(p, l, a, b, _): Fit| (a * p as f64 + b * (l - p) as f64) / (a * p as f64);
    let chosen = match (flat, smt) {
        (Some(f), Some(s)) if s.4 < f.4 * n.powf(-2.0 / n) && gain(s) >= MIN_SMT_GAIN => Some(s),
        (Some(f), _) => Some(f),
        (None, s) => s,
    };
    let Some(best @ (p, l, _, _, sse)) = chosen else {
        return CoreEstimate { physical_cores: 1, logical_threads: 1, smt_gain: 1.0, misfit: 0.0 };
    };
    let misfit = (sse / n).sqrt();
    CoreEstimate { physical_cores: p, logical_threads: l, smt_gain: gain(best), misfit }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A machine with `p` cores, SMT gain `g` on `l` threads, measured at 1..=kmax threads.
    fn synthetic(p: usize, l: usize, g: f64, kmax: usize) -> Vec<(usize, f64)> {
        let per_extra = if l > p { (g - 1.0) * p as f64 / (l - p) as f64 } else { 0.0 };
        (1..=kmax)
            .map(|k| {
                let t = k.min(p) as f64 + per_extra * k.clamp(p, l).saturating_sub(p) as f64;
                (k, 100.0 * t)
            })
            .collect()
    }

    /// Deterministic multiplicative noise in ±`amp`.
    fn noisy(curve: &[(usize, f64)], amp: f64, seed: u64) -> Vec<(usize, f64)> {
        let mut rng = crate::pi::SplitMix64(seed);
        curve
            .iter()
            .map(|&(k, t)| {
                let u = (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
                (k, t * (1.0 + amp * (2.0 * u - 1.0)))
            })
            .collect()
    }

    #[test]
    fn two_cores_without_smt() {
        let e = estimate_cores(&synthetic(2, 2, 1.0, 4));
        assert_eq!((e.physical_cores, e.logical_threads, e.smt_gain), (2, 2, 1.0));
        assert!(e.misfit < 1e-9);
    }

    #[test]
    fn four_cores_with_smt_gain_1_25() {
        let e = estimate_cores(&synthetic(4, 8, 1.25, 16));
        assert_eq!((e.physical_cores, e.logical_threads), (4, 8));
        assert!((e.smt_gain - 1.25).abs() < 1e-9, "{e:?}");
    }

    #[test]
    fn noisy_curves_keep_their_knee() {
        for seed in 0..200 {
            // The second slope is small (0.06 of a core per thread here) while ±4 % of the
            // total is ±0.2 of a core, so noise can move its end by a thread or two; the
            // physical knee does not move. At ±2 % the end moves by at most one.
            let e = estimate_cores(&noisy(&synthetic(4, 8, 1.25, 16), 0.04, seed));
            assert_eq!(e.physical_cores, 4, "seed {seed}: {e:?}");
            assert!((6..=10).contains(&e.logical_threads), "seed {seed}: {e:?}");
            let e = estimate_cores(&noisy(&synthetic(4, 8, 1.25, 16), 0.02, seed));
            assert_eq!(e.physical_cores, 4, "seed {seed}: {e:?}");
            assert!((7..=9).contains(&e.logical_threads), "seed {seed}: {e:?}");
            assert!((e.smt_gain - 1.25).abs() < 0.08, "seed {seed}: {e:?}");
            let e = estimate_cores(&noisy(&synthetic(2, 2, 1.0, 4), 0.04, seed));
            assert_eq!((e.physical_cores, e.logical_threads), (2, 2), "seed {seed}: {e:?}");
            // At 8 cores ±4 % is ±0.3 of a core, so the knee can read one early (seed 35 has
            // 7.70 at 8 threads and 8.21 at 9); at ±2 % it is exact.
            let e = estimate_cores(&noisy(&synthetic(8, 8, 1.0, 16), 0.04, seed));
            assert!((7..=8).contains(&e.physical_cores), "seed {seed}: {e:?}");
            let e = estimate_cores(&noisy(&synthetic(8, 8, 1.0, 16), 0.02, seed));
            assert_eq!((e.physical_cores, e.logical_threads), (8, 8), "seed {seed}: {e:?}");
        }
    }

    #[test]
    fn flat_curve_is_one_core() {
        let flat: Vec<_> = (1..=8).map(|k| (k, 5.0)).collect();
        let e = estimate_cores(&flat);
        assert_eq!((e.physical_cores, e.logical_threads, e.smt_gain), (1, 1, 1.0));
        // Oversubscription that costs a little still reads as the same cores.
        let sagging = [(1, 1.0), (2, 2.0), (3, 1.95), (4, 1.9)];
        assert_eq!(estimate_cores(&sagging).physical_cores, 2);
    }

    #[test]
    fn never_more_cores_than_measured_and_degenerate_input() {
        let e = estimate_cores(&synthetic(8, 8, 1.0, 4));
        assert_eq!(e.physical_cores, 4, "a straight line: at least the largest count");
        assert_eq!(estimate_cores(&[]).physical_cores, 1);
        assert_eq!(estimate_cores(&[(1, 0.0), (2, 0.0)]).physical_cores, 1);
        let sparse = [(1, 1.0), (2, 2.0), (4, 4.0), (8, 5.0), (16, 5.0)];
        let e = estimate_cores(&sparse);
        assert_eq!((e.physical_cores, e.logical_threads), (4, 8));
    }

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
        assert_eq!(control.chunks_done.load(std::sync::atomic::Ordering::Relaxed), 4);
    }

    #[cfg(not(target_arch = "wasm32"))]
    proptest::proptest! {
        /// Changing the unit of throughput (a power of two: exact in floating point) changes
        /// nothing.
        #[test]
        fn scaling_throughput_changes_nothing(
            ts in proptest::collection::vec(0.1f64..100.0, 1..12), e in -20i32..20,
        ) {
            let curve: Vec<(usize, f64)> = ts.iter().enumerate().map(|(i, &t)| (i + 1, t)).collect();
            let scaled: Vec<(usize, f64)> = curve.iter().map(|&(k, t)| (k, t * 2f64.powi(e))).collect();
            let (a, b) = (estimate_cores(&curve), estimate_cores(&scaled));
            proptest::prop_assert_eq!((a.physical_cores, a.logical_threads), (b.physical_cores, b.logical_threads));
            proptest::prop_assert!((a.smt_gain - b.smt_gain).abs() < 1e-9);
        }

        /// The estimate stays within the measured thread counts.
        #[test]
        fn estimate_is_within_the_measured_counts(ts in proptest::collection::vec(0.0f64..100.0, 1..12)) {
            let curve: Vec<(usize, f64)> = ts.iter().enumerate().map(|(i, &t)| (i + 1, t)).collect();
            let e = estimate_cores(&curve);
            proptest::prop_assert!(1 <= e.physical_cores && e.physical_cores <= e.logical_threads);
            proptest::prop_assert!(e.logical_threads <= curve.len());
            proptest::prop_assert!(e.smt_gain >= 1.0);
        }
    }
}
