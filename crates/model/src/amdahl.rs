//! Amdahl's law and the speedup arithmetic every lesson shares.
//!
//! Amdahl, G. M. (1967), "Validity of the single processor approach to achieving large scale
//! computing capabilities", AFIPS Conference Proceedings 30, 483–485. In the slides' notation:
//!
//! ```text
//! S_latency(s) = 1 / ((1 − p) + p / s)
//! ```
//!
//! where `p` is the share of the 1-thread time that can be parallelised and `s` the speedup of
//! that part (`s = N` for N ideal threads). Its companions live here too: Gustafson's scaled
//! speedup, parallel efficiency and the Karp–Flatt serial fraction.

/// Predicted whole-task speedup when the parallel share `p` (0..=1) runs `s` times faster.
pub fn speedup(p: f64, s: f64) -> f64 {
    1.0 / ((1.0 - p) + p / s)
}

/// The limit of [`speedup`] as `s → ∞`: `1 / (1 − p)` (infinite for `p = 1`).
pub fn limit(p: f64) -> f64 {
    1.0 / (1.0 - p)
}

/// Measured speedup `t1 / tn` and parallel efficiency `speedup / n`.
pub fn measured(t1_ms: f64, tn_ms: f64, n: usize) -> (f64, f64) {
    let s = t1_ms / tn_ms;
    (s, efficiency(s, n as f64))
}

/// Parallel efficiency `E = S / N`: the share of `N` threads' capacity the speedup `S` uses.
pub fn efficiency(speedup: f64, n: f64) -> f64 {
    speedup / n
}

/// Gustafson's scaled speedup `S = (1 − p) + p · N`.
///
/// The problem grows with `N` so the parallel part keeps every thread busy for a fixed time;
/// `p` is the parallel share of the *N-thread* run. Gustafson, J. L. (1988), "Reevaluating
/// Amdahl's law", Communications of the ACM 31(5), 532–533.
pub fn gustafson(p: f64, n: f64) -> f64 {
    (1.0 - p) + p * n
}

/// Karp–Flatt experimentally determined serial fraction `e = (1/S − 1/N) / (1 − 1/N)`.
///
/// For a speedup that follows Amdahl's law exactly, `e = 1 − p` at every `N`; an `e` that grows
/// with `N` points at overhead (synchronisation, imbalance) rather than serial code. Negative
/// for superlinear speedups. `None` when `n ≤ 1`, `speedup ≤ 0` or either is not finite.
/// Karp, A. H. & Flatt, H. P. (1990), "Measuring parallel processor performance",
/// Communications of the ACM 33(5), 539–543.
pub fn karp_flatt(speedup: f64, n: f64) -> Option<f64> {
    if !(speedup.is_finite() && n.is_finite()) || n <= 1.0 || speedup <= 0.0 {
        return None;
    }
    Some((1.0 / speedup - 1.0 / n) / (1.0 - 1.0 / n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn textbook_values() {
        assert!((speedup(0.95, 8.0) - 5.925_925_9).abs() < 1e-6);
        assert_eq!(speedup(0.0, 64.0), 1.0);
        assert_eq!(speedup(1.0, 64.0), 64.0);
        assert!((limit(0.95) - 20.0).abs() < 1e-9);
        assert_eq!(measured(400.0, 200.0, 2), (2.0, 1.0));
        assert_eq!(efficiency(6.0, 8.0), 0.75);
    }

    #[test]
    fn gustafson_values() {
        assert_eq!(gustafson(0.0, 64.0), 1.0);
        assert_eq!(gustafson(1.0, 64.0), 64.0);
        assert!((gustafson(0.95, 8.0) - 7.65).abs() < 1e-12);
    }

    #[test]
    fn karp_flatt_values() {
        // Perfect linear speedup: no serial fraction.
        assert_eq!(karp_flatt(8.0, 8.0), Some(0.0));
        // No speedup at all: everything is serial.
        assert_eq!(karp_flatt(1.0, 8.0), Some(1.0));
        // Superlinear: negative.
        assert!(karp_flatt(9.0, 8.0).unwrap() < 0.0);
        assert_eq!(karp_flatt(2.0, 1.0), None);
        assert_eq!(karp_flatt(2.0, 0.5), None);
        assert_eq!(karp_flatt(0.0, 4.0), None);
        assert_eq!(karp_flatt(f64::NAN, 4.0), None);
        assert_eq!(karp_flatt(2.0, f64::INFINITY), None);
    }

    #[cfg(not(target_arch = "wasm32"))]
    proptest::proptest! {
        #[test]
        fn bounded_by_s_and_by_the_limit(p in 0.0f64..0.999, s in 1.0f64..4096.0) {
            let x = speedup(p, s);
            proptest::prop_assert!(x >= 1.0 - 1e-12);
            proptest::prop_assert!(x <= s + 1e-9);
            proptest::prop_assert!(x <= limit(p) + 1e-9);
        }

        #[test]
        fn monotone_in_s(p in 0.0f64..1.0, s in 1.0f64..1000.0) {
            proptest::prop_assert!(speedup(p, s + 1.0) >= speedup(p, s) - 1e-12);
        }

        #[test]
        fn one_thread_gives_no_speedup(p in 0.0f64..=1.0) {
            proptest::prop_assert!((speedup(p, 1.0) - 1.0).abs() < 1e-12);
            proptest::prop_assert!((gustafson(p, 1.0) - 1.0).abs() < 1e-12);
        }

        #[test]
        fn gustafson_at_least_amdahl(p in 0.0f64..=1.0, n in 1.0f64..4096.0) {
            // ((1−p) + pN)((1−p) + p/N) = 1 + p(1−p)(N + 1/N − 2) ≥ 1.
            proptest::prop_assert!(gustafson(p, n) >= speedup(p, n) * (1.0 - 1e-12));
        }

        #[test]
        fn karp_flatt_recovers_the_serial_share(p in 0.0f64..=1.0, n in 2.0f64..4096.0) {
            let e = karp_flatt(speedup(p, n), n).unwrap();
            proptest::prop_assert!((e - (1.0 - p)).abs() < 1e-9, "e = {e}, 1 − p = {}", 1.0 - p);
        }
    }
}
