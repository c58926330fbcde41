//! The overview's three levers as numbers: parallel share p, cores N and supply voltage V give
//! the clock V allows, the watts of N cores at that clock, Amdahl's speedup and performance per
//! watt. All of it comes from the CPU lab's models (the Banias-calibrated power model and
//! Amdahl's law); this file only combines them, the same way the lab's power view does.

use parlab_model::amdahl;
use parlab_model::cpu::banias::{BANIAS, BANIAS_TDP_W};
use parlab_model::cpu::power::{Chip, OperatingPoint};

use crate::params::{self, Lim, Param, UrlState};
use crate::url::Query;

/// Lowest voltage the slider offers (as in the CPU lab's power view).
pub const V_MIN: f64 = 0.70;
/// Most cores the slider offers.
pub const N_MAX: usize = 32;

/// The overview's URL state: `p`, `n`, `v`, `slow`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Levers {
    /// Parallel share of the program, 0..=1.
    pub p: f64,
    /// Cores, 1..=[`N_MAX`].
    pub n: usize,
    /// Supply voltage, volts.
    pub v: f64,
    /// The die replay's slow-down factor.
    pub slow: u32,
}

const P: Param = params::float("p", "0.9", (0.0, 1.0, 4), "Parallel share of the program.")
    .control("[data-testid=\"overview-p\"]");
const N: Param = params::int("n", "4", Lim::N(1), Lim::N(N_MAX as i64), "Cores.")
    .control("[data-testid=\"overview-n\"]");
const V: Param = params::float(
    "v",
    "1.2",
    (V_MIN, BANIAS_V_MAX, 3),
    "Supply voltage (V); the clock follows f_max(V) of the Banias-fitted model.",
)
.control("[data-testid=\"overview-v\"]");
const SLOW: Param = params::custom(
    "slow",
    "100",
    "10, 100, 1000, 10000",
    "Slow-down of the die's replay of the latest run.",
)
.control("[data-testid=\"die-slow\"]");

/// The slider's top voltage: the Banias model's `v_max` (checked by a test).
const BANIAS_V_MAX: f64 = 1.6;

impl UrlState for Levers {
    fn params() -> Vec<Param> {
        vec![P, N, V, SLOW]
    }

    fn read(q: &Query, pool: usize, notes: &mut Vec<String>) -> Levers {
        let slow = |s: &str| s.parse::<u32>().ok().filter(|k| crate::die::SLOW.contains(k));
        Levers {
            p: P.float(q, notes),
            n: N.int(q, pool, notes),
            v: V.float(q, notes),
            slow: q.choice(SLOW.key, crate::die::SLOW_DEFAULT, slow, notes),
        }
    }

    fn write(&self, q: &mut Query) {
        P.put_float(q, self.p);
        N.put(q, self.n);
        V.put_float(q, self.v);
        SLOW.put(q, self.slow);
    }
}

impl Levers {
    /// The model readout for these levers.
    pub fn readout(&self) -> Readout {
        let chip = Chip::banias();
        let mhz = chip.f_max_mhz(self.v);
        let point = OperatingPoint { volts: self.v, mhz, cores: self.n as u32 };
        let r = chip.readout(point, self.p);
        // As in the CPU lab: 1.00 = one Banias core at its top clock, at its TDP.
        let top_mhz = BANIAS[BANIAS.len() - 1].0;
        let performance = r.performance / top_mhz;
        let perf_per_w = if r.total_w > 0.0 { performance / r.total_w * BANIAS_TDP_W } else { 0.0 };
        Readout {
            mhz: r.mhz,
            core_w: r.core_w,
            total_w: r.total_w,
            speedup: amdahl::speedup(self.p, self.n as f64),
            performance,
            perf_per_w,
        }
    }
}

/// What the overview shows for one setting of the levers (all from models).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Readout {
    /// Highest clock the voltage allows, f_max(V), MHz (every core runs at it).
    pub mhz: f64,
    /// Power of one core at (V, f_max(V)), watts.
    pub core_w: f64,
    /// Power of all N cores, watts.
    pub total_w: f64,
    /// Amdahl's speedup S(p, N) over one core at the same clock.
    pub speedup: f64,
    /// f × S(p, N) relative to one Banias core at 1600 MHz.
    pub performance: f64,
    /// Performance per watt relative to Banias at 1600 MHz and 24.5 W.
    pub perf_per_w: f64,
}

impl Readout {
    /// The `data-json` of `overview-power`.
    pub fn json(&self, l: &Levers) -> String {
        format!(
            r#"{{"p":{},"n":{},"volts":{},"mhz":{},"core_w":{},"total_w":{},"speedup":{},"performance":{},"perf_per_w":{}}}"#,
            l.p,
            l.n,
            l.v,
            self.mhz,
            self.core_w,
            self.total_w,
            self.speedup,
            self.performance,
            self.perf_per_w
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(q: &str) -> (Levers, Vec<String>) {
        let mut notes = Vec::new();
        (Levers::read(&Query::parse(q), 2, &mut notes), notes)
    }

    #[test]
    fn round_trip_keeps_a_hand_written_link() {
        let (l, notes) = read("p=0.8&n=6&v=1.1&slow=100");
        assert!(notes.is_empty(), "{notes:?}");
        assert_eq!((l.p, l.n, l.v, l.slow), (0.8, 6, 1.1, 100));
        let mut q = Query::default();
        l.write(&mut q);
        assert_eq!(q.to_string(), "p=0.8&n=6&v=1.1&slow=100");
        assert_eq!(Chip::banias().v_max, BANIAS_V_MAX);
    }

    #[test]
    fn bad_links_are_clamped_with_notes() {
        let (l, notes) = read("p=2&n=999&v=abc&slow=3");
        assert_eq!((l.p, l.n, l.v, l.slow), (1.0, N_MAX, 1.2, crate::die::SLOW_DEFAULT));
        for key in ["p=2", "n=999", "v=abc", "slow=3"] {
            assert!(notes.iter().any(|n| n.contains(key)), "{key} in {notes:?}");
        }
    }

    #[test]
    fn more_volts_more_clock_more_watts() {
        let (lo, _) = read("v=1.0&n=4&p=0.9");
        let (hi, _) = read("v=1.4&n=4&p=0.9");
        let (a, b) = (lo.readout(), hi.readout());
        assert!(b.mhz > a.mhz && b.core_w > a.core_w);
        assert!((a.total_w - 4.0 * a.core_w).abs() < 1e-9);
        assert!((a.speedup - 1.0 / (0.1 + 0.9 / 4.0)).abs() < 1e-12);
        assert!(a.perf_per_w > b.perf_per_w, "lower voltage is more efficient");
        // Banias' top point is (close to) 1.00 performance on one core.
        let (top, _) = read("v=1.484&n=1&p=0");
        assert!((top.readout().performance - 1.0).abs() < 0.05);
    }
}
