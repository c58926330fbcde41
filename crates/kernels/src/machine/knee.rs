//! Finding knees in measured curves (the pure halves of [`super::cores`] and
//! [`super::sharing`]; no clock, no threads, unit-tested on synthetic curves).
//!
//! - [`estimate_cores`]: throughput against threads is two straight segments and a plateau
//!   (see [`super::cores`]): slope 1 per thread up to the physical cores, a smaller slope up to
//!   the logical threads (SMT), flat after. It fits that shape by least squares over every
//!   choice of breakpoints, and only admits the SMT segment when the data really ask for it.
//! - [`line_size`]: time against the stride between per-thread counters drops once the stride
//!   reaches the cache line (see [`super::sharing`]); the first stride on the fast side is the
//!   line size.

use serde::{Deserialize, Serialize};

/// A throughput below this share of the best at fewer threads was disturbed by other load.
pub const DISTURBED: f64 = 0.9;

/// A gain below this from the second hardware threads counts as no SMT at all (noise, or time
/// slicing's small losses and wins).
pub const MIN_SMT_GAIN: f64 = 1.1;

/// The second slope (per extra thread) may be at most this share of the first. A second
/// hardware thread adds 0.1–0.5 of a core to throughput code like
/// [`super::cores::compute_block`] (and an
/// efficiency core 0.3–0.6 of a performance core); a thread that adds more than this *is* a
/// core for our purpose. Without the limit, "1 core, then SMT worth 0.9" would fit a noisy
/// 2-core curve as well as "2 cores", and a straight line as well as anything.
pub const MAX_SECOND_SLOPE: f64 = 0.7;

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
/// A point below [`DISTURBED`] of the best throughput at fewer threads is first raised to it
/// (other load can only lower a measurement, and one more thread cannot lose capacity; small
/// dips are left alone, so noise does not ratchet up). Then two models are fitted
/// by least squares on *relative* errors (each point weighted by
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
    // More threads never have less capacity than fewer (beyond a little time-slicing
    // overhead): a point well below an earlier one was slowed by other load, so raise it.
    let mut best = f64::NEG_INFINITY;
    for point in &mut curve {
        if point.1 < DISTURBED * best {
            point.1 = best;
        }
        best = best.max(point.1);
    }
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
/// A slowdown below this between the smallest and the largest stride shows no false sharing
/// (e.g. on one core) and no line size is reported.
pub const MIN_SLOWDOWN: f64 = 1.3;

/// A stride whose time is within this factor of the fastest stride's counts as "no sharing".
pub const SEPARATE: f64 = 1.5;

/// The line size from `(stride bytes, time)` points: the smallest stride from which every
/// larger stride runs within [`SEPARATE`] of the fastest time, i.e. the spacing from which
/// counters stop slowing each other down (the unit the caches keep coherent). Where pairs of
/// lines interfere (Intel's adjacent-line prefetcher) that can be 128 bytes on a 64-byte-line
/// CPU. `None` when the smallest stride is less than [`MIN_SLOWDOWN`] times slower than the
/// fastest (no false sharing to see, e.g. on one core). Depends only on time ratios.
pub fn line_size(curve: &[(usize, f64)]) -> Option<usize> {
    let mut pts: Vec<(usize, f64)> =
        curve.iter().copied().filter(|&(_, t)| t.is_finite() && t > 0.0).collect();
    pts.sort_by_key(|&(s, _)| s);
    let slow = pts.first()?.1;
    let fast = pts.iter().map(|&(_, t)| t).fold(f64::INFINITY, f64::min);
    if slow < fast * MIN_SLOWDOWN {
        return None;
    }
    let first_fast = pts.iter().rposition(|&(_, t)| t > fast * SEPARATE).map_or(0, |i| i + 1);
    pts.get(first_fast).map(|&(s, _)| s)
}

#[cfg(test)]
mod tests {
    use super::*;

    const STRIDES: [usize; 6] = [8, 16, 32, 64, 128, 256];

    fn stride_curve(times: [f64; 6]) -> Vec<(usize, f64)> {
        STRIDES.into_iter().zip(times).collect()
    }

    #[test]
    fn the_knee_is_the_line() {
        assert_eq!(line_size(&stride_curve([10.0, 10.0, 9.0, 1.0, 1.0, 1.0])), Some(64));
        // Apple: 128-byte lines.
        assert_eq!(line_size(&stride_curve([10.0, 10.0, 10.0, 9.0, 1.0, 1.1])), Some(128));
        // Half a line apart is still one line, however much faster than 8 bytes apart
        // (measured on this project's 2-core AMD VM, ns per increment).
        let measured = [6.26, 6.31, 1.58, 0.42, 0.42, 0.42];
        assert_eq!(line_size(&stride_curve(measured)), Some(64));
        // Intel's adjacent-line prefetcher: a little slower at 64 still counts as separate,
        // twice as slow means pairs of lines interfere.
        assert_eq!(line_size(&stride_curve([12.0, 11.0, 10.0, 1.3, 1.0, 1.0])), Some(64));
        assert_eq!(line_size(&stride_curve([12.0, 11.0, 10.0, 2.0, 1.0, 1.0])), Some(128));
        // A noisy dip before the knee does not count.
        assert_eq!(line_size(&stride_curve([10.0, 2.0, 9.0, 1.0, 1.2, 1.0])), Some(64));
        // No false sharing (one core): no answer.
        assert_eq!(line_size(&stride_curve([1.1, 1.0, 1.05, 1.0, 1.0, 1.0])), None);
        assert_eq!(line_size(&[]), None);
        assert_eq!(line_size(&[(8, 5.0), (64, 1.0)]), Some(64), "any subset of strides");
    }

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
        // A run slowed by other load (3 threads) does not hide the knee.
        let disturbed = [(1, 1.0), (2, 1.97), (3, 1.2), (4, 2.0)];
        let e = estimate_cores(&disturbed);
        assert_eq!((e.physical_cores, e.logical_threads), (2, 2), "{e:?}");
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

    #[cfg(not(target_arch = "wasm32"))]
    proptest::proptest! {
        #[test]
        fn line_size_ignores_the_unit(t in proptest::collection::vec(0.1f64..100.0, 6), e in -20i32..20) {
            let c: Vec<(usize, f64)> = STRIDES.into_iter().zip(t.iter().copied()).collect();
            let s: Vec<(usize, f64)> = c.iter().map(|&(k, x)| (k, x * 2f64.powi(e))).collect();
            proptest::prop_assert_eq!(line_size(&c), line_size(&s));
        }
    }
}
