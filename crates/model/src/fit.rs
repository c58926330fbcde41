//! Least-squares estimate of Amdahl's parallel share `p` from measured speedups.
//!
//! Minimises `SSE(p) = Σ (S_i − 1 / ((1 − p) + p / N_i))²` over `p ∈ [0, 1]`.
//!
//! Why not the linearisation `1/S = 1 − p · (1 − 1/N)`? It has a closed form, but it minimises
//! errors in `1/S`, which shrinks the residuals of large speedups by `1/S²`: the many-thread
//! points a student cares about would barely count, and noise in `S` biases `1/S`. Fitting in
//! speedup units matches the chart and the reported RMSE. `SSE` is a sum of functions that are
//! each unimodal in `p`, but the sum need not be, so the search scans a grid of 1001 values and
//! then refines the best cell by golden-section search: deterministic, derivative-free, and
//! `p` stays in `[0, 1]` by construction.

use crate::amdahl::speedup;

/// Result of [`fit_amdahl`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AmdahlFit {
    /// Best parallel share, in `[0, 1]`.
    pub p: f64,
    /// Root-mean-square residual in speedup units: `√(SSE / points)`.
    pub rmse: f64,
    /// Number of usable points the fit used.
    pub points: usize,
}

const GRID: usize = 1000;
const GOLDEN_STEPS: usize = 80;

/// Fits Amdahl's `p` to `(threads N, measured speedup S)` pairs by least squares in speedup
/// units: the `p ∈ [0, 1]` minimising `SSE(p) = Σ (S_i − 1 / ((1 − p) + p/N_i))²`.
///
/// Points with `N ≤ 0` or a non-finite value are ignored. `None` unless at least one usable
/// point has `N > 1` (points at `N = 1` say nothing about `p`, though they count in the RMSE).
///
/// ```
/// use parlab_model::fit_amdahl;
///
/// // Quinn (2004), §7.5, Example 1: speedups on 2..=8 processors whose Karp–Flatt serial
/// // fraction is 0.1 throughout. The fit finds the same program: p ≈ 0.9, off by well under
/// // 0.01 in speedup (the data are rounded to two decimals).
/// let speedups = [1.82, 2.50, 3.08, 3.57, 4.00, 4.38, 4.71];
/// let points: Vec<(f64, f64)> = (2..=8).map(f64::from).zip(speedups).collect();
/// let fit = fit_amdahl(&points).unwrap();
/// assert!((fit.p - 0.9).abs() < 1e-3, "{fit:?}");
/// assert!(fit.rmse < 0.01 && fit.points == 7);
/// ```
pub fn fit_amdahl(points: &[(f64, f64)]) -> Option<AmdahlFit> {
    let usable: Vec<(f64, f64)> = points
        .iter()
        .copied()
        .filter(|&(n, s)| n.is_finite() && s.is_finite() && n > 0.0)
        .collect();
    if !usable.iter().any(|&(n, _)| n > 1.0) {
        return None;
    }
    let sse = |p: f64| -> f64 { usable.iter().map(|&(n, s)| (s - speedup(p, n)).powi(2)).sum() };

    // Coarse scan; ties keep the smallest p.
    let mut best = 0;
    let mut best_sse = sse(0.0);
    for i in 1..=GRID {
        let e = sse(i as f64 / GRID as f64);
        if e < best_sse {
            best = i;
            best_sse = e;
        }
    }

    // Golden-section refinement on the neighbouring cells; a tie keeps the grid value.
    let inv_phi = (5f64.sqrt() - 1.0) / 2.0;
    let mut a = best.saturating_sub(1) as f64 / GRID as f64;
    let mut b = (best + 1).min(GRID) as f64 / GRID as f64;
    let mut c = b - inv_phi * (b - a);
    let mut d = a + inv_phi * (b - a);
    let (mut fc, mut fd) = (sse(c), sse(d));
    for _ in 0..GOLDEN_STEPS {
        if fc <= fd {
            b = d;
            d = c;
            fd = fc;
            c = b - inv_phi * (b - a);
            fc = sse(c);
        } else {
            a = c;
            c = d;
            fc = fd;
            d = a + inv_phi * (b - a);
            fd = sse(d);
        }
    }
    let (mut p, mut p_sse) = if fc <= fd { (c, fc) } else { (d, fd) };
    if best_sse <= p_sse {
        (p, p_sse) = (best as f64 / GRID as f64, best_sse);
    }
    Some(AmdahlFit { p, rmse: (p_sse / usable.len() as f64).sqrt(), points: usable.len() })
}

#[cfg(test)]
mod tests {
    use super::*;

    const THREADS: [f64; 6] = [1.0, 2.0, 4.0, 8.0, 12.0, 16.0];

    fn exact(p: f64) -> Vec<(f64, f64)> {
        THREADS.iter().map(|&n| (n, speedup(p, n))).collect()
    }

    /// Deterministic multiplicative noise in `[−3 %, +3 %]`, several repetitions per `N`.
    fn noisy(p: f64) -> Vec<(f64, f64)> {
        let mut state: u32 = 0x2545_f491;
        let mut out = Vec::new();
        for &n in &THREADS {
            for _ in 0..5 {
                state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                let u = (state >> 8) as f64 / (1u32 << 24) as f64; // [0, 1)
                out.push((n, speedup(p, n) * (1.0 + 0.06 * (u - 0.5))));
            }
        }
        out
    }

    #[test]
    fn recovers_p_from_exact_data() {
        for k in 0..=999 {
            let p = k as f64 / 1000.0;
            let fit = fit_amdahl(&exact(p)).unwrap();
            assert!((fit.p - p).abs() < 1e-6, "p = {p}, fit = {fit:?}");
            assert!(fit.rmse < 1e-6);
            assert_eq!(fit.points, THREADS.len());
        }
    }

    #[test]
    fn recovers_p_from_noisy_data() {
        for k in 0..=99 {
            let p = k as f64 / 100.0;
            let fit = fit_amdahl(&noisy(p)).unwrap();
            assert!((fit.p - p).abs() <= 0.02, "p = {p}, fit = {fit:?}");
        }
    }

    #[test]
    fn injected_serial_share_of_a_fifth() {
        // A 1000 ms task with 200 ms that no thread can share.
        let points: Vec<(f64, f64)> =
            [1.0, 2.0, 4.0, 8.0].iter().map(|&n| (n, 1000.0 / (200.0 + 800.0 / n))).collect();
        let fit = fit_amdahl(&points).unwrap();
        assert!((fit.p - 0.8).abs() < 1e-6, "{fit:?}");
    }

    #[test]
    fn ignores_unusable_points() {
        assert_eq!(fit_amdahl(&[]), None);
        assert_eq!(fit_amdahl(&[(1.0, 1.0)]), None);
        assert_eq!(fit_amdahl(&[(0.0, 3.0), (-2.0, 1.0), (4.0, f64::NAN)]), None);
        let mut pts = exact(0.9);
        pts.extend([(f64::INFINITY, 2.0), (0.0, 5.0), (8.0, f64::NAN)]);
        let fit = fit_amdahl(&pts).unwrap();
        assert_eq!(fit.points, THREADS.len());
        assert!((fit.p - 0.9).abs() < 1e-6);
    }

    #[test]
    fn clamps_to_the_unit_interval() {
        // Slower than serial → p = 0; superlinear → p = 1.
        assert_eq!(fit_amdahl(&[(4.0, 0.5)]).unwrap().p, 0.0);
        assert_eq!(fit_amdahl(&[(4.0, 6.0)]).unwrap().p, 1.0);
    }

    #[cfg(not(target_arch = "wasm32"))]
    proptest::proptest! {
        #[test]
        fn exact_data_round_trips(p in 0.0f64..0.999, ns in proptest::collection::vec(2.0f64..256.0, 1..8)) {
            let pts: Vec<(f64, f64)> = ns.iter().map(|&n| (n, speedup(p, n))).collect();
            let fit = fit_amdahl(&pts).unwrap();
            proptest::prop_assert!((fit.p - p).abs() < 1e-6, "p = {}, fit = {:?}", p, fit);
        }

        #[test]
        fn never_panics_and_stays_in_range(pts in proptest::collection::vec((-4.0f64..1e3, -1e3f64..1e6), 0..20)) {
            if let Some(fit) = fit_amdahl(&pts) {
                proptest::prop_assert!((0.0..=1.0).contains(&fit.p));
                proptest::prop_assert!(fit.rmse >= 0.0);
            }
        }
    }
}
