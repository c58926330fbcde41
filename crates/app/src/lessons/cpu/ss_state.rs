//! The superscalar view's state: its URL parameters and the simulated run they give (shared
//! by the view in [`super::superscalar`] and the cycle table in [`super::cycles`]).

use parlab_model::cpu::superscalar::{Core, Issue, Preset, Run, Unit, run};

use crate::params::{self, Kind, Lim, Param};
use crate::url::Query;

pub const GRID: &str = "cpu-cycle-grid";
pub const PROGRAM: &str = "cpu-program";
pub const SPEEDS: [usize; 5] = [1, 2, 4, 8, 16];

pub fn key(p: Preset) -> &'static str {
    match p {
        Preset::Independent => "independent",
        Preset::DependencyChain => "chain",
        Preset::LoadLoop => "loads",
        Preset::BranchyLoop => "branchy",
    }
}

/// The offered speed nearest to `speed` (with a note when it differs).
fn offered_speed(speed: usize, notes: &mut Vec<String>) -> usize {
    let near = *SPEEDS.iter().min_by_key(|s| s.abs_diff(speed)).unwrap_or(&4);
    if near != speed {
        notes.push(format!("speed={speed} is not offered; using {near} cycles per second."));
    }
    near
}

fn program_names() -> Vec<String> {
    Preset::ALL.into_iter().map(|p| key(p).to_string()).collect()
}

const PROGRAM_P: Param = Param {
    key: "program",
    default: "loads",
    kind: Kind::Choice(program_names),
    doc: "The preset program.",
    derived: false,
    action: false,
    control: None,
};
const WIDTH: Param = params::int("width", "4", Lim::N(1), Lim::N(8), "Issue width.");
const ISSUE: Param =
    params::custom("issue", "inorder", "inorder, ooo", "In-order or out-of-order issue.");
const WINDOW: Param =
    params::int("window", "16", Lim::N(2), Lim::N(64), "Out-of-order window (instructions).");
const MISS: Param =
    params::int("miss", "30", Lim::N(1), Lim::N(100), "Cache-miss latency (cycles).");
const ALUS: Param = params::int("alus", "2", Lim::N(1), Lim::N(8), "Integer ALUs.");
const CYCLE: Param = params::custom(
    "cycle",
    "last",
    "0 to the last issue cycle",
    "The cycle the table shows (absent: the animation plays once).",
)
.derived()
.control("[data-testid=\"step\"]");
const SPEED: Param = params::custom(
    "speed",
    "4",
    "1, 2, 4, 8, 16 (others: the nearest)",
    "Animation speed (cycles per second).",
);

/// The view's parameters.
pub const PARAMS: [Param; 8] = [PROGRAM_P, WIDTH, ISSUE, WINDOW, MISS, ALUS, CYCLE, SPEED];

/// The view's URL state: `program`, `width`, `issue`, `window`, `miss`, `alus`, `cycle`, `speed`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SsSettings {
    pub program: Preset,
    pub width: usize,
    pub ooo: bool,
    pub window: usize,
    pub miss: u32,
    pub alus: usize,
    /// The cycle the animation shows (`usize::MAX` until normalised: the last one).
    pub cycle: usize,
    /// Animation speed, cycles per second.
    pub speed: usize,
}

impl SsSettings {
    pub fn read(q: &Query, notes: &mut Vec<String>) -> SsSettings {
        let parse = |s: &str| Preset::ALL.into_iter().find(|p| key(*p) == s);
        let issue = |s: &str| match s {
            "inorder" => Some(false),
            "ooo" => Some(true),
            _ => None,
        };
        let speed = SPEED.int(q, 1, notes);
        SsSettings {
            program: q.choice(PROGRAM_P.key, Preset::LoadLoop, parse, notes),
            width: WIDTH.int(q, 1, notes),
            ooo: q.choice(ISSUE.key, false, issue, notes),
            window: WINDOW.int(q, 1, notes),
            miss: MISS.int(q, 1, notes) as u32,
            alus: ALUS.int(q, 1, notes),
            cycle: match CYCLE.raw(q).map(|c| c.trim().parse::<usize>()) {
                Some(Err(_)) => {
                    let raw = CYCLE.raw(q).unwrap_or_default();
                    notes.push(format!(
                        "cycle={raw} is not a whole number; showing the last cycle."
                    ));
                    usize::MAX
                }
                _ => q.int(CYCLE.key, usize::MAX, 0..=100_000, notes),
            },
            speed: offered_speed(speed, notes),
        }
    }

    pub fn write(&self, q: &mut Query) {
        PROGRAM_P.put(q, key(self.program));
        WIDTH.put(q, self.width);
        ISSUE.put(q, if self.ooo { "ooo" } else { "inorder" });
        WINDOW.put(q, self.window);
        MISS.put(q, self.miss);
        ALUS.put(q, self.alus);
        CYCLE.put(q, self.cycle);
        SPEED.put(q, self.speed);
    }

    /// Everything that changes the simulated run (not the animation).
    pub fn config(&self) -> (Preset, usize, bool, usize, u32, usize) {
        (self.program, self.width, self.ooo, self.window, self.miss, self.alus)
    }

    pub fn core(&self) -> Core {
        let issue =
            if self.ooo { Issue::OutOfOrder { window: self.window } } else { Issue::InOrder };
        Core {
            width: self.width,
            issue,
            alu: Unit { count: self.alus, ..Core::default().alu },
            miss_latency: self.miss,
            ..Core::default()
        }
    }

    pub fn run(&self) -> Run {
        run(&self.core(), &self.program.program())
    }

    /// The last cycle in which an instruction starts.
    pub fn last_cycle(&self) -> usize {
        self.run().log.len().saturating_sub(1)
    }

    /// Clamps `cycle` to the run (a value from the URL past the end gets a note).
    pub fn normalize(&mut self, notes: &mut Vec<String>) {
        let last = self.last_cycle();
        if self.cycle > last {
            if self.cycle != usize::MAX {
                notes.push(format!(
                    "cycle={} is past the last issue cycle; using {last}.",
                    self.cycle
                ));
            }
            self.cycle = last;
        }
    }
}
