//! The power view's state: its URL parameters (defaults: the Pentium M Banias at its top DVFS
//! point) and the chip and operating point they describe.

use parlab_model::cpu::banias::{BANIAS, BANIAS_TDP_W};
use parlab_model::cpu::power::{Chip, OperatingPoint};

use crate::params::{self, Lim, Param};
use crate::url::Query;

/// The reference for "relative performance": one core at Banias' top clock.
pub const REF_MHZ: f64 = 1600.0;
pub const V_MIN: f64 = 0.70;
pub const CORES_MAX: usize = 16;

const V: Param = params::float("v", "1.484", (V_MIN, 1.6, 3), "Supply voltage (V).");
const F: Param =
    params::float("f", "1600", (50.0, 2000.0, 0), "Requested clock (MHz), capped at f_max(V).");
const C: Param =
    params::float("c", "41.719", (5.0, 100.0, 3), "Switched capacitance per core (nF).");
const ALPHA: Param = params::float("alpha", "0.15", (0.01, 1.0, 2), "Activity factor α.");
const CORES: Param = params::int("cores", "1", Lim::N(1), Lim::N(CORES_MAX as i64), "Cores.");
const TDP: Param = params::float("tdp", "24.5", (5.0, 100.0, 1), "Power budget (TDP, W).");
const P: Param = params::float("p", "0.90", (0.0, 1.0, 2), "Parallel share of the program.");

/// The view's parameters (defaults: Pentium M Banias at 1.6 GHz, one core).
pub const PARAMS: [Param; 7] = [V, F, C, ALPHA, CORES, TDP, P];

/// The view's URL state: `v`, `f`, `c`, `alpha`, `cores`, `tdp`, `p`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PowerSettings {
    /// Supply voltage, volts.
    pub v: f64,
    /// Requested clock, MHz (the model caps it at f_max(V)).
    pub f: f64,
    /// Switched capacitance per core, nF.
    pub c_nf: f64,
    /// Activity factor α.
    pub alpha: f64,
    pub cores: usize,
    /// Power budget (TDP), watts.
    pub tdp: f64,
    /// Parallel share of the program.
    pub p: f64,
}

impl PowerSettings {
    /// Pentium M Banias 1.6 GHz at its top DVFS point, one core, its TDP.
    pub fn banias(p: f64, cores: usize) -> PowerSettings {
        let chip = Chip::banias();
        let (f, v) = BANIAS[BANIAS.len() - 1];
        PowerSettings {
            v,
            f,
            c_nf: chip.capacitance_f * 1e9,
            alpha: chip.activity,
            cores,
            tdp: BANIAS_TDP_W,
            p,
        }
    }

    pub fn read(q: &Query, notes: &mut Vec<String>) -> PowerSettings {
        // The Banias preset's exact values (the table documents them as the URL writes them).
        let d = PowerSettings::banias(0.9, 1);
        PowerSettings {
            v: V.float_or(q, d.v, notes),
            f: F.float_or(q, d.f, notes),
            c_nf: C.float_or(q, d.c_nf, notes),
            alpha: ALPHA.float_or(q, d.alpha, notes),
            cores: CORES.int(q, 1, notes),
            tdp: TDP.float_or(q, d.tdp, notes),
            p: P.float_or(q, d.p, notes),
        }
    }

    pub fn write(&self, q: &mut Query) {
        V.put(q, format!("{:.3}", self.v));
        F.put(q, format!("{:.0}", self.f));
        C.put(q, format!("{:.3}", self.c_nf));
        ALPHA.put(q, format!("{:.2}", self.alpha));
        CORES.put(q, self.cores);
        TDP.put(q, format!("{:.1}", self.tdp));
        P.put(q, format!("{:.2}", self.p));
    }

    /// The Banias-fitted chip with this view's C and α.
    pub fn chip(&self) -> Chip {
        Chip { capacitance_f: self.c_nf * 1e-9, activity: self.alpha, ..Chip::banias() }
    }

    pub fn point(&self) -> OperatingPoint {
        OperatingPoint { volts: self.v, mhz: self.f, cores: self.cores as u32 }
    }
}
