//! Hill & Marty's multicore corollary to Amdahl's law.
//!
//! Hill, M. D. & Marty, M. R. (2008), "Amdahl's Law in the Multicore Era", IEEE Computer 41(7),
//! 33–38. A chip has a budget of `n` base core equivalents (BCEs); spending `r` BCEs on one core
//! gives it sequential performance `perf(r)` (the paper uses `√r`, [`perf_sqrt`]), relative to a
//! one-BCE core. With parallel fraction `f`:
//!
//! ```text
//! symmetric   n/r cores of r BCEs:          S = 1 / ((1 − f)/perf(r) + f·r / (perf(r)·n))
//! asymmetric  one r-BCE core + n − r base:  S = 1 / ((1 − f)/perf(r) + f / (perf(r) + n − r))
//! dynamic     r BCEs fuse for serial code:  S = 1 / ((1 − f)/perf(r) + f / n)
//! ```
//!
//! Domain: `0 ≤ f ≤ 1`, `1 ≤ r ≤ n`, `perf(r) > 0`; anything else (or non-finite) gives `None`.
//! Whenever `perf(r) ≤ r` (true for `√r`), `dynamic ≥ asymmetric ≥ symmetric`, with equality at
//! `r = 1`, where all three reduce to Amdahl's `speedup(f, n)`.

/// The three chip organisations of the paper, for a budget of `n` BCEs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Design {
    /// `n/r` identical cores of `r` BCEs each; serial code runs on one of them.
    Symmetric,
    /// One big core of `r` BCEs and `n − r` one-BCE cores; serial code runs on the big core,
    /// parallel code on all of them.
    Asymmetric,
    /// `r` BCEs fuse into one big core for serial code and split into `n` base cores for
    /// parallel code: an upper bound, since the paper leaves open how to build it.
    Dynamic,
}

impl Design {
    /// All designs, in the paper's order.
    pub const ALL: [Design; 3] = [Design::Symmetric, Design::Asymmetric, Design::Dynamic];
}

/// The paper's sequential performance of an `r`-BCE core: `perf(r) = √r` (Pollack's rule:
/// performance grows with the square root of the area spent on a core).
///
/// ```
/// // Four times the transistors in one core buy twice its speed.
/// assert_eq!(parlab_model::hill_marty::perf_sqrt(4.0), 2.0);
/// ```
pub fn perf_sqrt(r: f64) -> f64 {
    r.sqrt()
}

/// Speedup of `design` over one base core, for any `perf`; `None` outside the domain. The
/// formulas are in the [module docs](self).
///
/// ```
/// use parlab_model::{amdahl, hill_marty::{Design, speedup_with}};
///
/// // With one-BCE cores (r = 1) every design is Amdahl's law on n cores: 72.1 for f = 0.99,
/// // n = 256 (Hill & Marty 2008, Table 1, "Base Amdahl").
/// for design in Design::ALL {
///     let s = speedup_with(design, 0.99, 256.0, 1.0, f64::sqrt).unwrap();
///     assert!((s - amdahl::speedup(0.99, 256.0)).abs() < 1e-9 && (s - 72.1).abs() < 0.1);
/// }
/// // If a core's speed grew linearly with its area, one huge core would win outright: the
/// // sublinear perf(r) is what makes many cores worth having.
/// let one_big_core = speedup_with(Design::Symmetric, 0.99, 256.0, 256.0, |r| r).unwrap();
/// assert!((one_big_core - 256.0).abs() < 1e-9);
/// ```
pub fn speedup_with(
    design: Design,
    f: f64,
    n: f64,
    r: f64,
    perf: impl Fn(f64) -> f64,
) -> Option<f64> {
    let in_domain = f.is_finite() && n.is_finite() && r.is_finite();
    if !in_domain || !(0.0..=1.0).contains(&f) || r < 1.0 || r > n {
        return None;
    }
    let pr = perf(r);
    if !(pr.is_finite() && pr > 0.0) {
        return None;
    }
    let parallel = match design {
        Design::Symmetric => f * r / (pr * n),
        Design::Asymmetric => f / (pr + n - r),
        Design::Dynamic => f / n,
    };
    Some(1.0 / ((1.0 - f) / pr + parallel))
}

/// Speedup of `design` with `perf(r) = √r`; `None` outside the domain.
///
/// ```
/// use parlab_model::hill_marty::{Design, speedup};
///
/// // Hill & Marty (2008), Table 1, upper bounds for f = 0.99 and n = 256 BCEs:
/// // symmetric 80, asymmetric 166, dynamic < 223.
/// let (f, n) = (0.99, 256.0);
/// // Symmetric: dS/dr = 0 at r = n(1 − f)/f ≈ 2.6 BCEs per core, S ≈ 80.4.
/// let r = n * (1.0 - f) / f;
/// assert!((speedup(Design::Symmetric, f, n, r).unwrap() - 80.4).abs() < 0.05);
/// // Asymmetric: best big core r ≈ 41.5 BCEs (found numerically), S ≈ 165.75.
/// assert!((speedup(Design::Asymmetric, f, n, 41.5).unwrap() - 165.75).abs() < 0.01);
/// // Dynamic: grows with r, so all 256 BCEs fuse: 1 / (0.01/16 + 0.99/256) ≈ 222.6.
/// assert!((speedup(Design::Dynamic, f, n, n).unwrap() - 222.6).abs() < 0.05);
/// ```
pub fn speedup(design: Design, f: f64, n: f64, r: f64) -> Option<f64> {
    speedup_with(design, f, n, r, perf_sqrt)
}

/// One point of a curve: `r` BCEs in the big core(s) and the resulting speedup.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Point {
    /// BCEs per core (symmetric), in the big core (asymmetric) or fused for serial code
    /// (dynamic).
    pub r: f64,
    /// Speedup over one base core.
    pub speedup: f64,
}

/// A design's speedup over the sampled `r`, and the best sample.
#[derive(Clone, Debug, PartialEq)]
pub struct Curve {
    /// The chip organisation.
    pub design: Design,
    /// One point per sampled `r`, in increasing `r`.
    pub points: Vec<Point>,
    /// The point with the highest speedup (the smallest `r` on a tie).
    pub best: Point,
}

/// The `r` values a sweep samples: `1, 2, 4, …` up to `n`, plus `n` itself if not a power of two.
///
/// ```
/// use parlab_model::hill_marty::powers_of_two_up_to;
///
/// assert_eq!(powers_of_two_up_to(12.0), [1.0, 2.0, 4.0, 8.0, 12.0]);
/// ```
pub fn powers_of_two_up_to(n: f64) -> Vec<f64> {
    let mut rs = Vec::new();
    let mut r = 1.0;
    while r <= n {
        rs.push(r);
        r *= 2.0;
    }
    if rs.last().is_some_and(|&last| last < n) {
        rs.push(n);
    }
    rs
}

/// Curves of all three designs (in [`Design::ALL`] order) for `perf(r) = √r`.
///
/// ```
/// use parlab_model::hill_marty::curves;
///
/// // n = 256 BCEs, f = 0.975, the middle curves of the paper's Figures 2(b), 3(b) and 4(b).
/// let [sym, asym, dynamic] = curves(0.975, 256.0).unwrap();
/// // Symmetric: of the sampled r, 8-BCE cores are best, S ≈ 51.0 (the continuous optimum,
/// // r = n(1 − f)/f ≈ 6.6, gives 51.2).
/// assert_eq!(sym.best.r, 8.0);
/// assert!((sym.best.speedup - 50.99).abs() < 0.01);
/// // Asymmetric: a 64-BCE big core, 1 / (0.025/8 + 0.975/(8 + 192)) = 125 exactly.
/// assert_eq!(asym.best.r, 64.0);
/// assert!((asym.best.speedup - 125.0).abs() < 1e-9);
/// // Dynamic: all 256 BCEs fuse for serial code, 1 / (0.025/16 + 0.975/256) ≈ 186.2.
/// assert_eq!(dynamic.best.r, 256.0);
/// assert!((dynamic.best.speedup - 186.18).abs() < 0.01);
/// ```
pub fn curves(f: f64, n: f64) -> Option<[Curve; 3]> {
    curves_with(f, n, perf_sqrt)
}

/// Curves of all three designs over [`powers_of_two_up_to`]`(n)`; `None` outside the domain.
/// Ties for the best keep the smallest `r`.
pub fn curves_with(f: f64, n: f64, perf: impl Fn(f64) -> f64) -> Option<[Curve; 3]> {
    if !n.is_finite() || n < 1.0 {
        return None;
    }
    let rs = powers_of_two_up_to(n);
    let curve = |design| -> Option<Curve> {
        let points = rs
            .iter()
            .map(|&r| speedup_with(design, f, n, r, &perf).map(|speedup| Point { r, speedup }))
            .collect::<Option<Vec<Point>>>()?;
        let best =
            points.iter().copied().reduce(|a, b| if b.speedup > a.speedup { b } else { a })?;
        Some(Curve { design, points, best })
    };
    Some([curve(Design::Symmetric)?, curve(Design::Asymmetric)?, curve(Design::Dynamic)?])
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::amdahl;
    use Design::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol
    }

    #[test]
    fn outside_the_domain_is_none() {
        assert_eq!(speedup(Symmetric, 0.9, 16.0, 0.5), None);
        assert_eq!(speedup(Symmetric, 0.9, 16.0, 17.0), None);
        assert_eq!(speedup(Asymmetric, 1.1, 16.0, 2.0), None);
        assert_eq!(speedup(Dynamic, -0.1, 16.0, 2.0), None);
        assert_eq!(speedup(Dynamic, f64::NAN, 16.0, 2.0), None);
        assert_eq!(speedup(Dynamic, 0.9, f64::INFINITY, 2.0), None);
        assert_eq!(speedup_with(Dynamic, 0.9, 16.0, 2.0, |_| 0.0), None);
        assert_eq!(curves(0.9, 0.5), None);
        assert_eq!(curves(2.0, 16.0), None);
    }

    #[test]
    fn sampled_r() {
        assert_eq!(powers_of_two_up_to(1.0), [1.0]);
        assert_eq!(powers_of_two_up_to(16.0), [1.0, 2.0, 4.0, 8.0, 16.0]);
        assert_eq!(powers_of_two_up_to(12.0), [1.0, 2.0, 4.0, 8.0, 12.0]);
    }

    #[test]
    fn n256_f0975_symmetric() {
        // Figure 2(b). Continuous optimum of √r / ((1 − f) + f·r/n) is r* = n(1 − f)/f ≈ 6.56,
        // S* = √r* / (2(1 − f)) ≈ 51.24; of the powers of two r = 8 is best, S ≈ 50.99.
        let r_star = 256.0 * 0.025 / 0.975;
        assert!(close(speedup(Symmetric, 0.975, 256.0, r_star).unwrap(), 51.24, 0.01));
        let [sym, ..] = curves(0.975, 256.0).unwrap();
        assert_eq!(sym.best.r, 8.0);
        assert!(close(sym.best.speedup, 50.99, 0.01));
    }

    #[test]
    fn n256_f0975_asymmetric_and_dynamic() {
        // Figure 3(b): at r = 64, 1 / (0.025/8 + 0.975/200) = 125 exactly; the continuous
        // optimum (r ≈ 66) is only ≈ 125.02.
        let [_, asym, dynamic] = curves(0.975, 256.0).unwrap();
        assert_eq!(asym.best.r, 64.0);
        assert!(close(asym.best.speedup, 125.0, 1e-9));
        // Figure 4(b): dynamic grows with r, best at r = n: 1 / (0.025/16 + 0.975/256) ≈ 186.18.
        assert_eq!(dynamic.best.r, 256.0);
        assert!(close(dynamic.best.speedup, 186.18, 0.01));
    }

    #[test]
    fn n16_f09() {
        // Figure 2(a): symmetric best of the powers of two is r = 2, S ≈ 6.66 (continuous:
        // r* ≈ 1.78, S* ≈ 6.67). Asymmetric: r = 4, S = 8.75. Dynamic: r = 16, S ≈ 12.31.
        let [sym, asym, dynamic] = curves(0.9, 16.0).unwrap();
        assert_eq!((sym.best.r, asym.best.r, dynamic.best.r), (2.0, 4.0, 16.0));
        assert!(close(sym.best.speedup, 6.655, 0.001));
        assert!(close(asym.best.speedup, 8.75, 1e-9));
        assert!(close(dynamic.best.speedup, 12.308, 0.001));
    }

    #[test]
    fn dynamic_tends_to_n_as_f_tends_to_one() {
        assert!(close(speedup(Dynamic, 1.0, 256.0, 256.0).unwrap(), 256.0, 1e-9));
        assert!(close(speedup(Dynamic, 0.0, 256.0, 256.0).unwrap(), 16.0, 1e-9));
    }

    #[cfg(not(target_arch = "wasm32"))]
    proptest::proptest! {
        #[test]
        fn one_bce_cores_are_amdahl(f in 0.0f64..=1.0, n in 1.0f64..1024.0) {
            let a = amdahl::speedup(f, n);
            for design in Design::ALL {
                let s = speedup(design, f, n, 1.0).unwrap();
                proptest::prop_assert!(s >= 1.0 - 1e-12);
                proptest::prop_assert!((s - a).abs() <= 1e-9 * a);
            }
        }

        #[test]
        fn dynamic_ge_asymmetric_ge_symmetric(f in 0.0f64..=1.0, n in 1.0f64..1024.0, t in 0.0f64..=1.0) {
            let r = 1.0 + t * (n - 1.0);
            let sym = speedup(Symmetric, f, n, r).unwrap();
            let asym = speedup(Asymmetric, f, n, r).unwrap();
            let dynamic = speedup(Dynamic, f, n, r).unwrap();
            proptest::prop_assert!(asym >= sym * (1.0 - 1e-12));
            proptest::prop_assert!(dynamic >= asym * (1.0 - 1e-12));
        }

        #[test]
        fn best_is_the_curve_maximum(f in 0.0f64..=1.0, n in 1.0f64..4096.0) {
            for curve in curves(f, n).unwrap() {
                proptest::prop_assert!(curve.points.iter().all(|pt| pt.speedup <= curve.best.speedup));
                proptest::prop_assert!(curve.points.contains(&curve.best));
            }
        }
    }
}
