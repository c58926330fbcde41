//! Power and frequency of a CMOS core: why a faster clock costs far more than it buys.
//!
//! Three textbook relations, per core:
//!
//! ```text
//! dynamic   P_dyn  = α · C · V² · f
//! leakage   P_leak = V · I_leak,  I_leak = I0 · (T/T_ref)² · exp(−V_th / (n·v_T)),  v_T = k_B·T/q
//! max clock f_max  = k · (V − V_th)^a / V                       (alpha-power law, a ≈ 1.3)
//! ```
//!
//! - Dynamic power: every clock, a share `α` (activity) of the switched capacitance `C` is
//!   charged to `V` and discharged (e.g. Weste & Harris, "CMOS VLSI Design", 4th ed., ch. 5).
//! - Leakage: the subthreshold current of an "off" transistor (`V_GS = 0`); it grows
//!   exponentially as `V_th` falls and as the temperature `T` rises, through the thermal voltage
//!   `v_T` and the `T²` prefactor of the subthreshold equation. Simplifications, on purpose: no
//!   drain-induced barrier lowering (so `I_leak` does not depend on `V`), no temperature drift of
//!   `V_th` itself, no gate leakage.
//! - Clock: Sakurai, T. & Newton, A. R. (1990), "Alpha-power law MOSFET model and its applications
//!   to CMOS inverter delay and other formulas", IEEE JSSC 25(2), 584–594. Gate delay ∝
//!   `C·V / I_on` with `I_on ∝ (V − V_th)^a`; velocity saturation gives `1 ≤ a ≤ 2` (2 is the
//!   long-channel square law). The code assumes `a ≥ 1`, which makes `f_max` increase with `V`.
//!
//! Run at `f_max(V)`, dynamic power is `α·C·k·V·(V − V_th)^a`: near the top of the curve a
//! clock step needs a voltage step too, so power grows like `f^e` with `e` approaching 3 in the
//! classic `V ∝ f` idealisation ("the cube law"; [`Chip::dynamic_power_exponent`] gives the
//! exact local exponent of this model). Performance grows like `f` at best, which is why chips
//! went multicore; see [`super::budget`] for the same-watts comparison.

use crate::amdahl;

/// Boltzmann constant over the elementary charge, `k_B / q`, in volts per kelvin (CODATA 2018).
pub const K_B_OVER_Q: f64 = 8.617_333_262e-5;

/// Reference temperature of the leakage model, kelvin (100 °C, a typical junction limit).
pub const T_REF_K: f64 = 373.15;

/// A chip of identical cores, with the parameters the lab's sliders move.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Chip {
    /// Alpha-power coefficient `k` in MHz·V^(1−a): `f_max = k·(V − V_th)^a / V`.
    pub k_mhz: f64,
    /// Threshold voltage `V_th`, volts.
    pub v_th: f64,
    /// Velocity-saturation index `a` of the alpha-power law (1 ≤ a ≤ 2).
    pub a: f64,
    /// Switched capacitance per core `C`, farads.
    pub capacitance_f: f64,
    /// Activity factor `α`: the share of `C` switched per clock.
    pub activity: f64,
    /// Leakage prefactor `I0` per core at [`T_REF_K`], amperes.
    pub i0_a: f64,
    /// Subthreshold slope factor `n` (about 1.2–1.6).
    pub slope_n: f64,
    /// Junction temperature `T`, kelvin.
    pub temperature_k: f64,
    /// Highest supply voltage the chip may use, volts (slider top and budget-search ceiling).
    pub v_max: f64,
}

/// Where a chip runs: supply voltage, clock and how many cores are active.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct OperatingPoint {
    /// Supply voltage `V`, volts.
    pub volts: f64,
    /// Clock `f`, MHz.
    pub mhz: f64,
    /// Active cores `N`, all at the same `V` and `f`.
    pub cores: u32,
}

/// The lab's live readouts for one operating point.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Readout {
    /// The clock actually used: the requested one capped at `f_max(V)`, MHz.
    pub mhz: f64,
    /// Dynamic power of one core, watts.
    pub dynamic_w: f64,
    /// Leakage power of one core, watts.
    pub leakage_w: f64,
    /// Total power of one core, watts.
    pub core_w: f64,
    /// Total power of all `N` cores, watts.
    pub total_w: f64,
    /// Performance in single-core MHz equivalents, see [`Chip::performance`].
    pub performance: f64,
    /// `performance / total_w`, MHz-equivalents per watt.
    pub perf_per_w: f64,
}

impl Chip {
    /// Thermal voltage `v_T = k_B·T/q` at the chip's temperature, volts.
    ///
    /// ```
    /// use parlab_model::cpu::power::Chip;
    ///
    /// // About 25.85 mV at room temperature (300 K).
    /// let chip = Chip { temperature_k: 300.0, ..Chip::banias() };
    /// assert!((chip.thermal_voltage() - 0.025_85).abs() < 1e-5);
    /// ```
    pub fn thermal_voltage(&self) -> f64 {
        K_B_OVER_Q * self.temperature_k
    }

    /// Highest clock at supply `volts`: `f_max = k·(V − V_th)^a / V` in MHz (0 when `V ≤ V_th`),
    /// the alpha-power law of Sakurai & Newton (1990).
    ///
    /// ```
    /// use parlab_model::cpu::{banias::BANIAS, power::Chip};
    ///
    /// // Fitted to the Pentium M's SpeedStep table (Linux `speedstep-centrino`), the law gives
    /// // every listed clock within 4 % at its listed voltage.
    /// let chip = Chip::banias();
    /// for (mhz, volts) in BANIAS {
    ///     assert!((chip.f_max_mhz(volts) - mhz).abs() < 0.04 * mhz, "{mhz} MHz at {volts} V");
    /// }
    /// assert_eq!(chip.f_max_mhz(chip.v_th), 0.0);
    /// ```
    pub fn f_max_mhz(&self, volts: f64) -> f64 {
        if volts <= self.v_th {
            return 0.0;
        }
        self.k_mhz * (volts - self.v_th).powf(self.a) / volts
    }

    /// Lowest supply voltage whose `f_max` reaches `mhz`: the inverse of [`Chip::f_max_mhz`] by
    /// bisection, volts. `None` when `mhz` is not positive or needs more than [`Chip::v_max`].
    ///
    /// ```
    /// use parlab_model::cpu::power::Chip;
    ///
    /// let chip = Chip::banias();
    /// // 600 MHz needs 0.955 V on the fitted curve; Intel's table lists 0.956 V.
    /// let v = chip.voltage_for_mhz(600.0).unwrap();
    /// assert!((v - 0.956).abs() < 0.005);
    /// assert!((chip.f_max_mhz(v) - 600.0).abs() < 1e-6);
    /// assert_eq!(chip.voltage_for_mhz(10_000.0), None); // beyond v_max
    /// ```
    pub fn voltage_for_mhz(&self, mhz: f64) -> Option<f64> {
        if mhz.is_nan() || mhz <= 0.0 || self.f_max_mhz(self.v_max) < mhz {
            return None;
        }
        Some(bisect(self.v_th, self.v_max, |v| self.f_max_mhz(v) >= mhz).1)
    }

    /// Dynamic power of one core `P_dyn = α·C·V²·f`, watts (`volts` in V, `mhz` in MHz): each
    /// clock charges and discharges the switched share `α·C` of the capacitance through `V`.
    ///
    /// ```
    /// use parlab_model::cpu::power::Chip;
    ///
    /// let chip = Chip::banias();
    /// // SpeedStep on the 1.6 GHz Pentium M steps from 1.484 V at 1600 MHz to 0.956 V at
    /// // 600 MHz, which cuts dynamic power (1.484/0.956)² · 1600/600 ≈ 6.4 times.
    /// let ratio = chip.dynamic_w(1.484, 1600.0) / chip.dynamic_w(0.956, 600.0);
    /// assert!((ratio - 6.43).abs() < 0.01);
    /// // The preset's C is calibrated so that 90 % of the 24.5 W TDP is dynamic.
    /// assert!((chip.dynamic_w(1.484, 1600.0) - 0.9 * 24.5).abs() < 1e-9);
    /// ```
    pub fn dynamic_w(&self, volts: f64, mhz: f64) -> f64 {
        self.activity * self.capacitance_f * volts * volts * mhz * 1e6
    }

    /// Leakage current of one core `I_leak = I0·(T/T_ref)²·exp(−V_th/(n·v_T))`, amperes.
    ///
    /// ```
    /// use parlab_model::cpu::power::Chip;
    ///
    /// // Each `n·v_T·ln 10` off the threshold voltage means ten times the leakage. At room
    /// // temperature with n = 1 that step is 59.5 mV: the textbook limit of about 60 mV per
    /// // decade of subthreshold current.
    /// let chip = Chip { temperature_k: 300.0, slope_n: 1.0, ..Chip::banias() };
    /// let decade = chip.slope_n * chip.thermal_voltage() * 10f64.ln();
    /// assert!((decade - 0.0595).abs() < 1e-4);
    /// let lower = Chip { v_th: chip.v_th - decade, ..chip };
    /// assert!((lower.leakage_a() / chip.leakage_a() - 10.0).abs() < 1e-9);
    /// ```
    pub fn leakage_a(&self) -> f64 {
        let t = self.temperature_k / T_REF_K;
        self.i0_a * t * t * (-self.v_th / (self.slope_n * self.thermal_voltage())).exp()
    }

    /// Leakage power of one core `P_leak = V·I_leak`, watts.
    ///
    /// ```
    /// use parlab_model::cpu::power::Chip;
    ///
    /// // The Banias preset assumes 10 % of the 24.5 W TDP leaks: 2.45 W at 1.484 V.
    /// assert!((Chip::banias().leakage_w(1.484) - 2.45).abs() < 1e-9);
    /// ```
    pub fn leakage_w(&self, volts: f64) -> f64 {
        volts * self.leakage_a()
    }

    /// Total power of one core, `P_dyn + P_leak`, watts.
    ///
    /// ```
    /// use parlab_model::cpu::power::Chip;
    ///
    /// // The Banias preset draws its 24.5 W TDP at 1600 MHz and 1.484 V.
    /// assert!((Chip::banias().core_w(1.484, 1600.0) - 24.5).abs() < 1e-9);
    /// ```
    pub fn core_w(&self, volts: f64, mhz: f64) -> f64 {
        self.dynamic_w(volts, mhz) + self.leakage_w(volts)
    }

    /// Total power of `cores` cores at `f_max(volts)`, `N · (P_dyn(V, f_max(V)) + P_leak(V))`,
    /// watts: the chip at full speed for a voltage.
    pub fn full_speed_w(&self, volts: f64, cores: u32) -> f64 {
        cores as f64 * self.core_w(volts, self.f_max_mhz(volts))
    }

    /// `point` with its clock capped at `f_max(V)`, as the lab's frequency slider is.
    pub fn capped(&self, point: OperatingPoint) -> OperatingPoint {
        OperatingPoint { mhz: point.mhz.min(self.f_max_mhz(point.volts)).max(0.0), ..point }
    }

    /// Performance in single-core MHz equivalents: `f · S(p, N)`, with Amdahl's
    /// `S(p, N) = 1 / ((1 − p) + p/N)` ([`amdahl::speedup`]) for parallel share `p`.
    ///
    /// One core at `f` scores `f`: the model assumes run time ∝ 1/f (no memory-bound stalls).
    ///
    /// ```
    /// use parlab_model::cpu::power::{Chip, OperatingPoint};
    ///
    /// // Two cores at 1000 MHz on 90 % parallel code: 1000 · 1 / (0.1 + 0.9/2) ≈ 1818.
    /// let two = OperatingPoint { volts: 1.2, mhz: 1000.0, cores: 2 };
    /// assert!((Chip::banias().performance(two, 0.9) - 1818.18).abs() < 0.01);
    /// ```
    pub fn performance(&self, point: OperatingPoint, p: f64) -> f64 {
        point.mhz * amdahl::speedup(p, point.cores.max(1) as f64)
    }

    /// Every readout of the lab at `point` (clock capped at `f_max(V)`), parallel share `p`.
    pub fn readout(&self, point: OperatingPoint, p: f64) -> Readout {
        let point = self.capped(point);
        let dynamic_w = self.dynamic_w(point.volts, point.mhz);
        let leakage_w = self.leakage_w(point.volts);
        let core_w = dynamic_w + leakage_w;
        let total_w = core_w * point.cores as f64;
        let performance = self.performance(point, p);
        let perf_per_w = if total_w > 0.0 { performance / total_w } else { 0.0 };
        Readout { mhz: point.mhz, dynamic_w, leakage_w, core_w, total_w, performance, perf_per_w }
    }

    /// Power of one core at `mhz` relative to `base_mhz`, each at the lowest voltage that reaches
    /// it (the voltage follows the `f_max` curve, as DVFS does): the cube law, leakage included.
    /// `None` when either clock is out of reach.
    ///
    /// ```
    /// use parlab_model::cpu::power::Chip;
    ///
    /// // An idealised chip (V_th = 0, a = 2, so f ∝ V; no leakage) obeys P ∝ f³ exactly. That is
    /// // Intel's argument for dual core (IDF Spring 2006): 20 % more clock costs 73 % more
    /// // power, 20 % less saves about half, so two cores at 80 % fit in one core's watts.
    /// let ideal = Chip { v_th: 0.0, a: 2.0, i0_a: 0.0, ..Chip::banias() };
    /// assert!((ideal.power_ratio_along_curve(1000.0, 1200.0).unwrap() - 1.728).abs() < 1e-6);
    /// assert!((ideal.power_ratio_along_curve(1000.0, 800.0).unwrap() - 0.512).abs() < 1e-6);
    /// // The Banias preset is far from ideal: doubling 800 → 1600 MHz costs 3.55×, not 8×.
    /// let r = Chip::banias().power_ratio_along_curve(800.0, 1600.0).unwrap();
    /// assert!((r - 3.55).abs() < 0.01);
    /// ```
    pub fn power_ratio_along_curve(&self, base_mhz: f64, mhz: f64) -> Option<f64> {
        let base = self.core_w(self.voltage_for_mhz(base_mhz)?, base_mhz);
        let at = self.core_w(self.voltage_for_mhz(mhz)?, mhz);
        Some(at / base)
    }

    /// Local exponent `e` of `P_dyn ∝ f^e` along the `f_max` curve at `volts`:
    /// `e = d ln P_dyn / d ln f = (1 + x) / (x − 1)` with `x = a·V / (V − V_th)`.
    ///
    /// Derivation: on the curve `P_dyn = α·C·k·V·(V − V_th)^a`, so `d ln P/d ln V = 1 + x`, and
    /// `d ln f/d ln V = x − 1`. With `V_th = 0` and `a = 2` (`f ∝ V`) it is exactly 3, the cube
    /// law; it tends to 1 just above `V_th` and grows with `V`. `None` when `V ≤ V_th` or the
    /// curve is not increasing there.
    ///
    /// ```
    /// use parlab_model::cpu::power::Chip;
    ///
    /// let ideal = Chip { v_th: 0.0, a: 2.0, ..Chip::banias() };
    /// assert!((ideal.dynamic_power_exponent(1.0).unwrap() - 3.0).abs() < 1e-12);
    /// // The Banias preset at its top voltage (1.484 V): P_dyn ∝ f^2.44 locally.
    /// let e = Chip::banias().dynamic_power_exponent(1.484).unwrap();
    /// assert!((e - 2.44).abs() < 0.01);
    /// ```
    pub fn dynamic_power_exponent(&self, volts: f64) -> Option<f64> {
        if volts <= self.v_th {
            return None;
        }
        let x = self.a * volts / (volts - self.v_th);
        (x > 1.0).then(|| (1.0 + x) / (x - 1.0))
    }
}

/// Bisection for the boundary of a predicate that is false at `lo`, true at `hi` and flips once:
/// returns `(last false, first true)`, at most 1e-12 apart. Used to invert monotone curves.
pub(crate) fn bisect(mut lo: f64, mut hi: f64, flipped: impl Fn(f64) -> bool) -> (f64, f64) {
    for _ in 0..200 {
        if hi - lo < 1e-12 {
            break;
        }
        let mid = 0.5 * (lo + hi);
        if flipped(mid) {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    (lo, hi)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A round-number chip: f_max(1 V) = 2000 MHz with V_th = 0, a = 2 (f ∝ V).
    fn ideal() -> Chip {
        Chip {
            k_mhz: 2000.0,
            v_th: 0.0,
            a: 2.0,
            capacitance_f: 1e-9,
            activity: 0.5,
            i0_a: 0.0,
            slope_n: 1.5,
            temperature_k: T_REF_K,
            v_max: 2.0,
        }
    }

    #[test]
    fn dynamic_power_formula() {
        // 0.5 · 1 nF · (1 V)² · 2 GHz = 1 W.
        assert!((ideal().dynamic_w(1.0, 2000.0) - 1.0).abs() < 1e-12);
        assert!((ideal().f_max_mhz(1.0) - 2000.0).abs() < 1e-9);
        assert_eq!(ideal().f_max_mhz(-0.1), 0.0);
    }

    #[test]
    fn ideal_chip_obeys_the_cube_law_exactly() {
        let chip = ideal();
        assert!((chip.dynamic_power_exponent(1.0).unwrap() - 3.0).abs() < 1e-12);
        let r = chip.power_ratio_along_curve(1000.0, 2000.0).unwrap();
        assert!((r - 8.0).abs() < 1e-6, "{r}");
    }

    #[test]
    fn leakage_grows_as_v_th_falls_and_temperature_rises() {
        let chip = Chip { i0_a: 1.0, v_th: 0.3, ..ideal() };
        let lower_vth = Chip { v_th: 0.2, ..chip };
        let hotter = Chip { temperature_k: T_REF_K + 20.0, ..chip };
        assert!(lower_vth.leakage_a() > 5.0 * chip.leakage_a());
        assert!(hotter.leakage_a() > 1.3 * chip.leakage_a());
        assert!((chip.leakage_w(1.2) - 1.2 * chip.leakage_a()).abs() < 1e-15);
    }

    #[test]
    fn readout_caps_the_clock_and_adds_cores() {
        let chip = ideal();
        let r = chip.readout(OperatingPoint { volts: 1.0, mhz: 5000.0, cores: 4 }, 1.0);
        assert_eq!(r.mhz, 2000.0);
        assert!((r.total_w - 4.0).abs() < 1e-9);
        assert!((r.performance - 8000.0).abs() < 1e-9);
        assert!((r.perf_per_w - 2000.0).abs() < 1e-9);
    }

    #[test]
    fn voltage_for_mhz_inverts_f_max() {
        let chip = Chip { v_th: 0.4, a: 1.3, ..ideal() };
        let v = chip.voltage_for_mhz(700.0).unwrap();
        assert!((chip.f_max_mhz(v) - 700.0).abs() < 1e-6);
        assert_eq!(chip.voltage_for_mhz(1e9), None);
        assert_eq!(chip.voltage_for_mhz(0.0), None);
    }

    #[cfg(not(target_arch = "wasm32"))]
    proptest::proptest! {
        #[test]
        fn f_max_increases_with_voltage(v_th in 0.0f64..0.8, a in 1.0f64..2.0, v in 0.81f64..1.9) {
            let chip = Chip { v_th, a, ..ideal() };
            proptest::prop_assert!(chip.f_max_mhz(v + 0.01) > chip.f_max_mhz(v));
        }

        #[test]
        fn exponent_exceeds_one_and_matches_numerics(v_th in 0.1f64..0.8, a in 1.0f64..2.0,
                                                         v in 0.81f64..1.9) {
            let chip = Chip { v_th, a, ..ideal() };
            let e = chip.dynamic_power_exponent(v).unwrap();
            proptest::prop_assert!(e > 1.0);
            // Numerical check of the closed form.
            let (f1, f2) = (chip.f_max_mhz(v), chip.f_max_mhz(v * 1.0001));
            let (p1, p2) = (chip.dynamic_w(v, f1), chip.dynamic_w(v * 1.0001, f2));
            let numeric = (p2 / p1).ln() / (f2 / f1).ln();
            proptest::prop_assert!((numeric - e).abs() < 1e-2 * e, "{numeric} vs {e}");
        }
    }
}
