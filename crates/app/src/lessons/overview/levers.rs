//! The overview's three levers as numbers: parallel share p, cores N and supply voltage V give
//! the clock V allows, the watts of N cores at that clock, Amdahl's speedup and performance per
//! watt. All of it comes from the CPU lab's models (the Banias-calibrated power model and
//! Amdahl's law); this file only combines them, the same way the lab's power view does.

use parlab_model::amdahl;
use parlab_model::cpu::banias::{BANIAS, BANIAS_TDP_W};
use parlab_model::cpu::power::{Chip, OperatingPoint};

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

/// `x` with at most `decimals` decimals and no trailing zeros (`0.8`, not `0.800`), so a
/// hand-written link comes back unchanged.
pub fn short(x: f64, decimals: usize) -> String {
    let s = format!("{x:.decimals$}");
    if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.').to_string() } else { s }
}

impl Levers {
    pub fn read(q: &Query, notes: &mut Vec<String>) -> Levers {
        let slow = |s: &str| s.parse::<u32>().ok().filter(|k| crate::die::SLOW.contains(k));
        Levers {
            p: q.float("p", 0.9, 0.0..=1.0, notes),
            n: q.int("n", 4, 1..=N_MAX, notes),
            v: q.float("v", 1.2, V_MIN..=Chip::banias().v_max, notes),
            slow: q.choice("slow", crate::die::SLOW_DEFAULT, slow, notes),
        }
    }

    pub fn write(&self, q: &mut Query) {
        q.set("p", short(self.p, 4));
        q.set("n", self.n);
        q.set("v", short(self.v, 3));
        q.set("slow", self.slow);
    }

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
        (Levers::read(&Query::parse(q), &mut notes), notes)
    }

    #[test]
    fn round_trip_keeps_a_hand_written_link() {
        let (l, notes) = read("p=0.8&n=6&v=1.1&slow=100");
        assert!(notes.is_empty(), "{notes:?}");
        assert_eq!((l.p, l.n, l.v, l.slow), (0.8, 6, 1.1, 100));
        let mut q = Query::default();
        l.write(&mut q);
        assert_eq!(q.to_string(), "p=0.8&n=6&v=1.1&slow=100");
        assert_eq!(short(0.99, 4), "0.99");
        assert_eq!(short(1.0, 3), "1");
        assert_eq!(short(0.12345, 4), "0.1235");
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
