//! Calibration on a real chip: the Pentium M "Banias" 1.6 GHz and its DVFS table.
//!
//! A model is only as convincing as its anchor. Banias (2003, 130 nm) is a clean one: Intel
//! published its SpeedStep voltage/frequency pairs (as carried in the Linux `speedstep-centrino`
//! driver) and its 24.5 W TDP at 1.6 GHz / 1.484 V. We fit the alpha-power law
//! `f = k·(V − V_th)^a / V` ([`super::power`]) through the table by least squares and
//! calibrate the switched capacitance from the TDP.
//!
//! Caveat, stated in the lab: a DVFS table lists the voltage the vendor *chose* for each clock,
//! with a safety margin, not the silicon's exact `f_max(V)`, and `V_th` here is the effective
//! parameter of the fit, not a measured device threshold.

use super::power::{Chip, T_REF_K};

/// Pentium M "Banias" 1.6 GHz SpeedStep table, `(MHz, volts)`, from the Linux
/// `speedstep-centrino` driver (`drivers/cpufreq/speedstep-centrino.c`, table `banias_1600`,
/// entries `OP(MHz, mV)`).
pub const BANIAS: [(f64, f64); 6] = [
    (600.0, 0.956),
    (800.0, 1.036),
    (1000.0, 1.164),
    (1200.0, 1.276),
    (1400.0, 1.420),
    (1600.0, 1.484),
];

/// Banias 1.6 GHz thermal design power, watts (Intel Pentium M datasheet), at 1600 MHz/1.484 V.
pub const BANIAS_TDP_W: f64 = 24.5;

/// The velocity-saturation index the preset uses, `a = 1.3` (Sakurai & Newton's short-channel
/// range is about 1.2–1.5).
pub const BANIAS_A: f64 = 1.3;

/// Assumed share of leakage in the TDP (an assumption for a 130 nm part, not a published figure).
pub const BANIAS_LEAK_SHARE: f64 = 0.1;

/// Assumed activity factor `α`. The TDP pins only the product `α·C`, so another `α` rescales `C`
/// and leaves every watt unchanged.
pub const BANIAS_ACTIVITY: f64 = 0.15;

/// A least-squares fit of the alpha-power law to `(MHz, volts)` points.
#[derive(Clone, Debug, PartialEq)]
pub struct AlphaPowerFit {
    /// Coefficient `k`, MHz·V^(1−a).
    pub k_mhz: f64,
    /// Effective threshold voltage `V_th`, volts.
    pub v_th: f64,
    /// The fixed exponent `a`.
    pub a: f64,
    /// `f_fit(V_i) − f_i` per point, MHz, in input order.
    pub residuals_mhz: Vec<f64>,
    /// Root mean square of the residuals, MHz.
    pub rms_mhz: f64,
}

/// Least-squares fit of `(k, V_th)` for a fixed `a`: minimises `Σ (k·g_i − f_i)²` with
/// `g_i = (V_i − V_th)^a / V_i`.
///
/// For a given `V_th` the best `k = Σ f_i·g_i / Σ g_i²` in closed form; `V_th` is found by a
/// scan of `[0, min V_i)` refined by golden-section search. `None` with fewer than two points or
/// any non-positive value.
///
/// ```
/// use parlab_model::cpu::banias::{BANIAS, fit_alpha_power};
///
/// // Intel's SpeedStep table for the 1.6 GHz Pentium M, a = 1.3: V_th ≈ 0.677 V,
/// // k ≈ 3026 MHz·V^−0.3, residuals of 34.5 MHz RMS (the table has safety margins).
/// let fit = fit_alpha_power(&BANIAS, 1.3).unwrap();
/// assert!((fit.v_th - 0.677).abs() < 0.001);
/// assert!((fit.k_mhz - 3026.0).abs() < 1.0);
/// assert!((fit.rms_mhz - 34.5).abs() < 0.1);
/// ```
pub fn fit_alpha_power(points: &[(f64, f64)], a: f64) -> Option<AlphaPowerFit> {
    let valid = |&(f, v): &(f64, f64)| f > 0.0 && v > 0.0 && f.is_finite() && v.is_finite();
    if points.len() < 2 || !points.iter().all(valid) || !(a.is_finite() && a > 0.0) {
        return None;
    }
    let v_min = points.iter().map(|p| p.1).fold(f64::INFINITY, f64::min);
    let k_for = |v_th: f64| {
        let g = |v: f64| (v - v_th).powf(a) / v;
        let num: f64 = points.iter().map(|&(f, v)| f * g(v)).sum();
        let den: f64 = points.iter().map(|&(_, v)| g(v) * g(v)).sum();
        num / den
    };
    let sse = |v_th: f64| {
        let k = k_for(v_th);
        points.iter().map(|&(f, v)| (k * (v - v_th).powf(a) / v - f).powi(2)).sum::<f64>()
    };
    const STEPS: usize = 1000;
    let step = v_min / STEPS as f64;
    let best = (0..STEPS).map(|i| i as f64 * step).min_by(|x, y| sse(*x).total_cmp(&sse(*y)))?;
    let v_th = golden_min(&sse, (best - step).max(0.0), (best + step).min(v_min - 1e-9));
    let k_mhz = k_for(v_th);
    let residuals_mhz: Vec<f64> =
        points.iter().map(|&(f, v)| k_mhz * (v - v_th).powf(a) / v - f).collect();
    let rms_mhz = (residuals_mhz.iter().map(|r| r * r).sum::<f64>() / points.len() as f64).sqrt();
    Some(AlphaPowerFit { k_mhz, v_th, a, residuals_mhz, rms_mhz })
}

/// Minimum of a unimodal `f` on `[lo, hi]` by golden-section search.
fn golden_min(f: &impl Fn(f64) -> f64, mut lo: f64, mut hi: f64) -> f64 {
    let r = (5f64.sqrt() - 1.0) / 2.0;
    for _ in 0..100 {
        let (x1, x2) = (hi - r * (hi - lo), lo + r * (hi - lo));
        if f(x1) < f(x2) {
            hi = x2;
        } else {
            lo = x1;
        }
    }
    0.5 * (lo + hi)
}

/// The Banias preset: the alpha-power fit of [`BANIAS`] with `a` = [`BANIAS_A`], `C` and `I0`
/// calibrated so one core draws [`BANIAS_TDP_W`] at 1600 MHz / 1.484 V and [`T_REF_K`], of which
/// [`BANIAS_LEAK_SHARE`] is leakage (subthreshold slope factor `n = 1.5`).
///
/// `C = (1 − share)·TDP / (α·V²·f)` and `I0 = share·TDP / (V·exp(−V_th/(n·v_T)))`.
/// `v_max` is 1.6 V, a little above the table's 1.484 V, so the sliders can overshoot.
///
/// ```
/// use parlab_model::cpu::banias::banias;
///
/// let chip = banias();
/// assert!((chip.core_w(1.484, 1600.0) - 24.5).abs() < 1e-9); // the TDP
/// // α·C = 22.05 W / ((1.484 V)² · 1.6 GHz) ≈ 6.26 nF, so C ≈ 41.7 nF at α = 0.15.
/// assert!((chip.capacitance_f - 41.7e-9).abs() < 0.1e-9);
/// ```
pub fn banias() -> Chip {
    let fit = fit_alpha_power(&BANIAS, BANIAS_A).expect("the Banias table is valid");
    let (mhz, volts) = BANIAS[BANIAS.len() - 1];
    let mut chip = Chip {
        k_mhz: fit.k_mhz,
        v_th: fit.v_th,
        a: fit.a,
        capacitance_f: 0.0,
        activity: BANIAS_ACTIVITY,
        i0_a: 1.0,
        slope_n: 1.5,
        temperature_k: T_REF_K,
        v_max: 1.6,
    };
    let dynamic_w = (1.0 - BANIAS_LEAK_SHARE) * BANIAS_TDP_W;
    chip.capacitance_f = dynamic_w / (BANIAS_ACTIVITY * volts * volts * mhz * 1e6);
    chip.i0_a = BANIAS_LEAK_SHARE * BANIAS_TDP_W / chip.leakage_w(volts);
    chip
}

impl Chip {
    /// The Pentium M "Banias" 1.6 GHz preset, see [`banias`].
    pub fn banias() -> Chip {
        banias()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_recovers_exact_synthetic_parameters() {
        let (k, v_th, a) = (3000.0, 0.5, 1.3);
        let pts: Vec<(f64, f64)> =
            [0.8f64, 0.9, 1.0, 1.2, 1.4].iter().map(|&v| (k * (v - v_th).powf(a) / v, v)).collect();
        let fit = fit_alpha_power(&pts, a).unwrap();
        assert!((fit.v_th - v_th).abs() < 1e-6, "{fit:?}");
        assert!((fit.k_mhz - k).abs() < 1e-2, "{fit:?}");
        assert!(fit.rms_mhz < 1e-3);
    }

    #[test]
    fn banias_fit_passes_near_the_table() {
        let fit = fit_alpha_power(&BANIAS, BANIAS_A).unwrap();
        // Measured: V_th ≈ 0.677 V, k ≈ 3026 MHz·V^−0.3, RMS ≈ 34.5 MHz, worst −57.5 MHz at
        // 1600 MHz (3.6 %); the table is a vendor's choice with margins, not a smooth curve.
        assert!((fit.v_th - 0.677).abs() < 0.01, "{fit:?}");
        assert!((fit.k_mhz - 3026.0).abs() < 30.0, "{fit:?}");
        assert!(fit.rms_mhz < 40.0, "{fit:?}");
        for (r, (f, _)) in fit.residuals_mhz.iter().zip(BANIAS) {
            assert!(r.abs() < 0.05 * f, "{r} MHz at {f} MHz");
        }
    }

    #[test]
    fn banias_preset_reproduces_the_tdp() {
        let chip = Chip::banias();
        let w = chip.core_w(1.484, 1600.0);
        assert!((w - BANIAS_TDP_W).abs() < 1e-9, "{w}");
        assert!((chip.leakage_w(1.484) - 2.45).abs() < 1e-9);
        // α·C ≈ 22.05 W / (1.484² V² · 1.6 GHz) ≈ 6.26 nF, so C ≈ 41.7 nF at α = 0.15.
        assert!((chip.capacitance_f - 41.7e-9).abs() < 0.1e-9, "{}", chip.capacitance_f);
    }

    #[test]
    fn banias_is_far_from_the_ideal_cube_law() {
        let chip = Chip::banias();
        // Measured: e ≈ 2.44 at the top (1.484 V); 3 only near V = 2·V_th/(2 − a) ≈ 1.93 V.
        let top = chip.dynamic_power_exponent(1.484).unwrap();
        assert!((top - 2.44).abs() < 0.05, "{top}");
        let low = chip.dynamic_power_exponent(0.956).unwrap();
        assert!(low < top);
        let cube_v = 2.0 * chip.v_th / (2.0 - chip.a);
        assert!((chip.dynamic_power_exponent(cube_v).unwrap() - 3.0).abs() < 1e-9);
        // Doubling the clock from 800 to 1600 MHz along the curve costs ≈ 3.55× the power
        // (leakage included), not 2×, and not the ideal 8×.
        let r = chip.power_ratio_along_curve(800.0, 1600.0).unwrap();
        assert!((3.4..3.7).contains(&r), "{r}");
    }

    #[test]
    fn invalid_input_gives_no_fit() {
        assert_eq!(fit_alpha_power(&[(600.0, 0.9)], 1.3), None);
        assert_eq!(fit_alpha_power(&[(600.0, 0.9), (-1.0, 1.0)], 1.3), None);
        assert_eq!(fit_alpha_power(&BANIAS, 0.0), None);
    }
}
