//! Same watts, more cores: the trade that ended the clock race, and what Amdahl charges for it.
//!
//! A chip is limited by how much heat it may dissipate (its TDP), not by how fast transistors
//! can switch. Because power grows much faster than the clock near the top of the `f_max`
//! curve (see [`super::power`]), lowering `V` and `f` frees enough watts for a second core, and
//! two cores at, say, 80 % of the clock give up to 1.6× the throughput. Up to: the serial share
//! `1 − p` runs on one slower core, so the real gain is `f_N · S(p, N) / f_1` with Amdahl's
//! `S(p, N)`, which drops below 1 (a loss) for serial enough code.
//!
//! Every configuration here runs its cores at `f_max(V)` for the highest `V ≤ v_max` that keeps
//! the total power within the budget.

use super::power::{Chip, OperatingPoint, bisect};

/// One configuration that fits the budget.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BudgetChoice {
    /// Voltage, clock (`f_max(V)`) and core count.
    pub point: OperatingPoint,
    /// Power drawn, watts (≤ the budget; below it only when capped at `v_max`).
    pub total_w: f64,
    /// Performance in single-core MHz equivalents, `f · S(p, N)` ([`Chip::performance`]).
    pub performance: f64,
    /// Speedup over the one-core configuration within the same budget.
    pub speedup: f64,
}

impl Chip {
    /// Highest-voltage full-speed point of `cores` cores within `budget_w`: the largest
    /// `V ≤ v_max` with `N · (P_dyn(V, f_max(V)) + P_leak(V)) ≤ budget`, and `f = f_max(V)`.
    ///
    /// Power along the curve increases with `V`, so bisection finds it. `None` when `cores` is
    /// zero or even `V = V_th` (clock 0, leakage only) exceeds the budget.
    ///
    /// ```
    /// use parlab_model::cpu::power::Chip;
    ///
    /// // On an ideal cube-law chip (f ∝ V, no leakage) P = N·c·V³, so N cores in one core's
    /// // watts each run at N^(−1/3) of its voltage and clock: 79.4 % for two cores.
    /// let ideal = Chip { v_th: 0.0, a: 2.0, i0_a: 0.0, ..Chip::banias() };
    /// let budget = ideal.full_speed_w(1.0, 1);
    /// let one = ideal.fit_budget(budget, 1).unwrap();
    /// let two = ideal.fit_budget(budget, 2).unwrap();
    /// assert!((one.volts - 1.0).abs() < 1e-9);
    /// assert!((two.mhz / one.mhz - 2f64.powf(-1.0 / 3.0)).abs() < 1e-9);
    /// ```
    pub fn fit_budget(&self, budget_w: f64, cores: u32) -> Option<OperatingPoint> {
        if cores == 0 || budget_w.is_nan() || self.full_speed_w(self.v_th, cores) > budget_w {
            return None;
        }
        let volts = if self.full_speed_w(self.v_max, cores) <= budget_w {
            self.v_max
        } else {
            bisect(self.v_th, self.v_max, |v| self.full_speed_w(v, cores) > budget_w).0
        };
        Some(OperatingPoint { volts, mhz: self.f_max_mhz(volts), cores })
    }

    /// The lab's comparison: for each of `core_counts`, the best point within `budget_w` and its
    /// speedup over one core in the same budget, `f_N · S(p, N) / f_1`, for parallel share `p`.
    /// Counts that do not fit are left out; `None` when one core does not fit.
    ///
    /// ```
    /// use parlab_model::cpu::power::Chip;
    ///
    /// // The Banias preset in its 24.5 W TDP: one core at 1565 MHz, or two at 1111 MHz each.
    /// let chip = Chip::banias();
    /// let parallel = chip.same_budget(24.5, 1.0, &[1, 2]).unwrap();
    /// let serial = chip.same_budget(24.5, 0.0, &[1, 2]).unwrap();
    /// assert!((parallel[0].point.mhz - 1565.0).abs() < 1.0);
    /// assert!((parallel[1].point.mhz - 1111.0).abs() < 1.0);
    /// // Two slower cores win 1.42× on parallel code and lose (0.71×) on serial code.
    /// assert!((parallel[1].speedup - 1.42).abs() < 0.005);
    /// assert!((serial[1].speedup - 0.71).abs() < 0.005);
    /// ```
    pub fn same_budget(
        &self,
        budget_w: f64,
        p: f64,
        core_counts: &[u32],
    ) -> Option<Vec<BudgetChoice>> {
        let one = self.performance(self.fit_budget(budget_w, 1)?, p);
        let choices = core_counts
            .iter()
            .filter_map(|&n| self.fit_budget(budget_w, n))
            .map(|point| {
                let performance = self.performance(point, p);
                let total_w = self.full_speed_w(point.volts, point.cores);
                BudgetChoice { point, total_w, performance, speedup: performance / one }
            })
            .collect();
        Some(choices)
    }
}

#[cfg(test)]
mod tests {
    use super::super::banias::banias;

    #[test]
    fn one_core_uses_the_whole_banias_budget() {
        let chip = banias();
        let one = chip.fit_budget(24.5, 1).unwrap();
        let w = chip.full_speed_w(one.volts, 1);
        assert!((w - 24.5).abs() < 1e-6 || one.volts == chip.v_max, "{w} W at {one:?}");
    }

    #[test]
    fn two_slower_cores_win_only_with_enough_parallel_work() {
        let chip = banias();
        let all_parallel = chip.same_budget(24.5, 1.0, &[1, 2, 4]).unwrap();
        let serial = chip.same_budget(24.5, 0.0, &[1, 2, 4]).unwrap();
        let half = chip.same_budget(24.5, 0.5, &[1, 2]).unwrap();
        let (one, two) = (all_parallel[0], all_parallel[1]);
        assert!(two.point.mhz < one.point.mhz && two.point.volts < one.point.volts);
        // Measured on the Banias preset at 24.5 W: one core 1.500 V / 1565 MHz, two cores
        // 1.214 V / 1111 MHz each: 1.42× when all work is parallel, 0.71× when none is.
        assert!((two.speedup - 1.42).abs() < 0.02, "{two:?}");
        assert!((serial[1].speedup - 0.71).abs() < 0.02, "{:?}", serial[1]);
        assert!(all_parallel[2].speedup > two.speedup);
        assert!(serial[1].speedup < 1.0 && serial[2].speedup < serial[1].speedup);
        assert!(half[1].speedup < two.speedup);
        assert!((all_parallel[0].speedup - 1.0).abs() < 1e-12);
    }

    #[test]
    fn impossible_budgets() {
        let chip = banias();
        assert_eq!(chip.fit_budget(24.5, 0), None);
        assert_eq!(chip.fit_budget(0.0, 1), None);
        assert_eq!(chip.same_budget(0.0, 0.5, &[1, 2]), None);
        let capped = chip.fit_budget(1e6, 1).unwrap();
        assert_eq!(capped.volts, chip.v_max);
    }

    #[cfg(not(target_arch = "wasm32"))]
    proptest::proptest! {
        #[test]
        fn fits_stay_within_budget(budget in 1.0f64..100.0, n in 1u32..16) {
            let chip = banias();
            if let Some(pt) = chip.fit_budget(budget, n) {
                proptest::prop_assert!(chip.full_speed_w(pt.volts, n) <= budget * (1.0 + 1e-9));
                proptest::prop_assert!(pt.volts > chip.v_th && pt.volts <= chip.v_max);
            }
        }

        #[test]
        fn more_cores_in_the_same_budget_run_slower(budget in 1.0f64..60.0, n in 1u32..16) {
            let chip = banias();
            let (a, b) = (chip.fit_budget(budget, n), chip.fit_budget(budget, n + 1));
            if let (Some(a), Some(b)) = (a, b) {
                proptest::prop_assert!(b.mhz <= a.mhz + 1e-9);
            }
        }
    }
}
