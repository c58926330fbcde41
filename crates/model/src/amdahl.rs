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
//! that part (`s = N` for N ideal threads).

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
    (s, s / n as f64)
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
    }
}
