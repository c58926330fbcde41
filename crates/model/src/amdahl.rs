//! Amdahl's law and the speedup arithmetic every lesson shares.
//!
//! Amdahl, G. M. (1967), "Validity of the single processor approach to achieving large scale
//! computing capabilities", AFIPS Conference Proceedings 30, 483–485. The paper argues in words;
//! the formula it is known for, in the slides' notation:
//!
//! ```text
//! S_latency(s) = 1 / ((1 − p) + p / s)
//! ```
//!
//! where `p` is the share of the 1-thread time that can be parallelised and `s` the speedup of
//! that part (`s = N` for N ideal threads). Its companions live here too: Gustafson's scaled
//! speedup, parallel efficiency and the Karp–Flatt serial fraction.

/// Amdahl's law: whole-task speedup when the parallel share `p` (0..=1 of the one-thread time)
/// runs `s` times faster, `S = 1 / ((1 − p) + p/s)`; `s = N` for `N` ideal threads.
///
/// The serial share `1 − p` is untouched, so `S < 1 / (1 − p)` ([`limit`]) however large `s`.
///
/// ```
/// use parlab_model::amdahl::speedup;
///
/// // Hill & Marty (2008), Table 1, "Base Amdahl" column: f = 0.99 on 16, 64, 256 and 1024
/// // cores gives 14, 39, 72 and 91.
/// for (n, paper) in [(16.0, 14.0), (64.0, 39.0), (256.0, 72.0), (1024.0, 91.0)] {
///     assert!((speedup(0.99, n) - paper).abs() < 0.5, "N = {n}");
/// }
/// // 95 % parallel code on 8 threads: 1 / (0.05 + 0.95/8) ≈ 5.93, not 8.
/// assert!((speedup(0.95, 8.0) - 5.926).abs() < 1e-3);
/// ```
pub fn speedup(p: f64, s: f64) -> f64 {
    1.0 / ((1.0 - p) + p / s)
}

/// The limit of [`speedup`] as `s → ∞`: `S_max = 1 / (1 − p)` (infinite for `p = 1`).
///
/// ```
/// use parlab_model::amdahl::limit;
///
/// // Amdahl (1967): sequential housekeeping is 40 % of executed instructions, could perhaps be
/// // halved but hardly cut by a factor of three, which caps throughput at "five to seven times
/// // the sequential processing rate": a serial share between 40 %/3 and 40 %/2.
/// assert!((limit(1.0 - 0.4 / 2.0) - 5.0).abs() < 1e-9);
/// assert!((limit(1.0 - 0.4 / 3.0) - 7.5).abs() < 1e-9);
/// // The textbook example: 95 % parallel code never runs more than 20× faster.
/// assert!((limit(0.95) - 20.0).abs() < 1e-9);
/// ```
pub fn limit(p: f64) -> f64 {
    1.0 / (1.0 - p)
}

/// Measured speedup `S = t1 / tN` and parallel efficiency `E = S / N`, from the median times
/// of one thread (`t1_ms`) and of `n` threads (`tn_ms`), both in milliseconds.
///
/// ```
/// use parlab_model::amdahl::measured;
///
/// // 400 ms on one thread, 125 ms on four: 3.2× faster, 80 % of four threads' capacity.
/// assert_eq!(measured(400.0, 125.0, 4), (3.2, 0.8));
/// ```
pub fn measured(t1_ms: f64, tn_ms: f64, n: usize) -> (f64, f64) {
    let s = t1_ms / tn_ms;
    (s, efficiency(s, n as f64))
}

/// Parallel efficiency `E = S / N`: the share of `N` threads' capacity the speedup `S` uses
/// (1 is perfect linear speedup).
///
/// ```
/// use parlab_model::amdahl::{efficiency, speedup};
///
/// // Under Amdahl's law efficiency falls as threads are added: p = 0.99 on 1024 cores uses
/// // under 9 % of them (S ≈ 91, Hill & Marty 2008, Table 1).
/// let e = efficiency(speedup(0.99, 1024.0), 1024.0);
/// assert!((e - 0.089).abs() < 1e-3);
/// ```
pub fn efficiency(speedup: f64, n: f64) -> f64 {
    speedup / n
}

/// Gustafson's scaled speedup `S = (1 − p) + p·N = N − (N − 1)·(1 − p)`.
///
/// The problem grows with `N` so the parallel part keeps every thread busy for a fixed time;
/// `p` is the parallel share of the *N-thread* run (Gustafson's `p′ = 1 − s′`), so the serial
/// share no longer caps the speedup. Gustafson, J. L. (1988), "Reevaluating Amdahl's law",
/// Communications of the ACM 31(5), 532–533.
///
/// ```
/// use parlab_model::amdahl::{gustafson, speedup};
///
/// // Gustafson (1988): on a 1024-processor hypercube, with serial shares s′ = 0.4–0.8 %,
/// // Sandia measured scaled speedups of 1016 to 1021.
/// assert!((gustafson(1.0 - 0.004, 1024.0) - 1019.9).abs() < 0.1);
/// assert!((gustafson(1.0 - 0.008, 1024.0) - 1015.8).abs() < 0.1);
/// // Amdahl's law, with the same serial share of a fixed-size job, would predict about 201.
/// assert!((speedup(1.0 - 0.004, 1024.0) - 201.1).abs() < 0.1);
/// ```
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
///
/// ```
/// use parlab_model::amdahl::karp_flatt;
///
/// // Quinn, "Parallel Programming in C with MPI and OpenMP" (2004), §7.5, Examples 1 and 2:
/// // two programs both reach 4.71× on 8 processors, for different reasons.
/// let n = [2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0];
/// let serial = [1.82, 2.50, 3.08, 3.57, 4.00, 4.38, 4.71];
/// let overhead = [1.87, 2.61, 3.23, 3.73, 4.14, 4.46, 4.71];
/// // e stays at 0.1: the limit is serial code.
/// for (&n, &s) in n.iter().zip(&serial) {
///     assert!((karp_flatt(s, n).unwrap() - 0.100).abs() < 0.002);
/// }
/// // e climbs from 0.070 to 0.100: the limit is parallel overhead that grows with N.
/// let e: Vec<f64> = n.iter().zip(&overhead).map(|(&n, &s)| karp_flatt(s, n).unwrap()).collect();
/// assert!((e[0] - 0.070).abs() < 0.001 && (e[6] - 0.100).abs() < 0.001);
/// assert!(e.windows(2).all(|w| w[1] > w[0]));
/// ```
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
