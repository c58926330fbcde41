//! A superscalar core, cycle by cycle: where instruction-level parallelism runs out.
//!
//! Wider issue was the other way to spend transistors on one thread. This deterministic
//! simulator shows why it saturates: an instruction can start only when its source registers
//! are ready (true dependencies), a free execution unit of its kind exists, an issue slot is
//! left, and (out of order) it is inside the instruction window. Each cycle's log says which
//! instruction started on which unit and why the others waited.
//!
//! The model, kept small on purpose:
//! - Instructions have a kind (integer ALU, FP ALU, load, store, branch), an optional
//!   destination register and up to two source registers. Only read-after-write dependencies
//!   exist: registers are renamed, so reusing a register name never serialises.
//! - Units are pipelined: each of a kind's `count` units accepts one instruction per cycle and
//!   delivers its result `latency` cycles later. A load marked `miss` takes the core's
//!   `miss_latency` instead of the load/store latency; memory is otherwise ideal.
//! - Branches are perfectly predicted: a branch only occupies a branch unit (latency 1) and
//!   waits for its sources; there is no misprediction penalty and no fetch limit (the front end
//!   always delivers).
//! - In-order issue starts instructions in program order and stops at the first one that
//!   cannot start. Out-of-order issue starts any ready instruction among the `window` oldest
//!   unfinished ones, oldest first; an instruction leaves the window when its result is ready,
//!   in order (a reorder buffer of `window` entries).
//!
//! A wider core never slows an in-order program. Out of order it can, rarely, by a cycle:
//! oldest-first is a greedy list schedule, and starting something earlier can hand a unit to an
//! older instruction that is off the critical path (Graham's scheduling anomalies; real
//! schedulers are greedy too). The tests pin one such case.
//!
//! Everything is an integer count of cycles, so runs are exactly reproducible.

mod programs;
mod sim;

pub use programs::{
    Preset, alu_chains, branchy_loop, dependency_chain, fp_chains, independent, load_loop,
};
pub use sim::{Cycle, Issued, Run, Stall, StallReason, critical_path, ilp, run, run_threads};

use std::fmt;

/// A register name; the presets use r0 as a constant that no instruction writes.
pub type Reg = u8;

/// What an instruction does, which decides the unit it needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Integer arithmetic or compare, on an ALU.
    IntAlu,
    /// Floating-point arithmetic, on the FPU.
    FpAlu,
    /// Memory read, on the load/store unit.
    Load,
    /// Memory write, on the load/store unit.
    Store,
    /// Conditional branch, on the branch unit.
    Branch,
}

impl Kind {
    /// The unit kind that executes this instruction kind (loads and stores share load/store).
    pub fn unit(self) -> UnitKind {
        match self {
            Kind::IntAlu => UnitKind::Alu,
            Kind::FpAlu => UnitKind::Fpu,
            Kind::Load | Kind::Store => UnitKind::LoadStore,
            Kind::Branch => UnitKind::Branch,
        }
    }
}

/// Kinds of execution unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnitKind {
    /// Integer ALU.
    Alu,
    /// Floating-point unit.
    Fpu,
    /// Load/store unit (address generation and cache access).
    LoadStore,
    /// Branch unit.
    Branch,
}

impl UnitKind {
    /// All unit kinds, in display order.
    pub const ALL: [UnitKind; 4] =
        [UnitKind::Alu, UnitKind::Fpu, UnitKind::LoadStore, UnitKind::Branch];

    /// Position in [`UnitKind::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// Short display name.
    pub fn name(self) -> &'static str {
        match self {
            UnitKind::Alu => "ALU",
            UnitKind::Fpu => "FPU",
            UnitKind::LoadStore => "LSU",
            UnitKind::Branch => "BRU",
        }
    }
}

/// One instruction: kind, destination, up to two sources and, for loads, a cache-miss flag.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Instr {
    /// What it does, hence which unit it needs.
    pub kind: Kind,
    /// The register it writes, if any.
    pub dest: Option<Reg>,
    /// The registers it reads.
    pub srcs: [Option<Reg>; 2],
    /// A load that misses the cache and takes [`Core::miss_latency`] cycles.
    pub miss: bool,
}

impl Instr {
    /// An instruction of `kind` writing `dest` from `srcs`. Panics with more than two sources.
    pub fn new(kind: Kind, dest: Option<Reg>, srcs: &[Reg]) -> Instr {
        assert!(srcs.len() <= 2, "at most two source registers");
        Instr { kind, dest, srcs: [srcs.first().copied(), srcs.get(1).copied()], miss: false }
    }

    /// Integer ALU operation `dest ← f(srcs)`.
    pub fn alu(dest: Reg, srcs: &[Reg]) -> Instr {
        Instr::new(Kind::IntAlu, Some(dest), srcs)
    }

    /// Floating-point operation `dest ← f(srcs)`.
    pub fn fp(dest: Reg, srcs: &[Reg]) -> Instr {
        Instr::new(Kind::FpAlu, Some(dest), srcs)
    }

    /// Load `dest ← [addr]` that hits the cache.
    pub fn load(dest: Reg, addr: Reg) -> Instr {
        Instr::new(Kind::Load, Some(dest), &[addr])
    }

    /// Load `dest ← [addr]` that misses the cache.
    pub fn load_miss(dest: Reg, addr: Reg) -> Instr {
        Instr { miss: true, ..Instr::load(dest, addr) }
    }

    /// Store `[addr] ← value`.
    pub fn store(value: Reg, addr: Reg) -> Instr {
        Instr::new(Kind::Store, None, &[value, addr])
    }

    /// Branch on `srcs` (perfectly predicted).
    pub fn branch(srcs: &[Reg]) -> Instr {
        Instr::new(Kind::Branch, None, srcs)
    }

    /// The source registers.
    pub fn sources(&self) -> impl Iterator<Item = Reg> + '_ {
        self.srcs.iter().flatten().copied()
    }
}

impl fmt::Display for Instr {
    /// Assembly-like text, e.g. `add r3 ← r3, r2`, `load r2 ← [r1] (miss)`, `branch r6`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let srcs: Vec<String> = self.sources().map(|r| format!("r{r}")).collect();
        let srcs = srcs.join(", ");
        let dest = self.dest.map(|d| format!("r{d}")).unwrap_or_default();
        match self.kind {
            Kind::IntAlu => write!(f, "add {dest} ← {srcs}"),
            Kind::FpAlu => write!(f, "fadd {dest} ← {srcs}"),
            Kind::Load => {
                write!(f, "load {dest} ← [{srcs}]")?;
                if self.miss { write!(f, " (miss)") } else { Ok(()) }
            }
            Kind::Store => match self.srcs {
                [Some(v), Some(a)] => write!(f, "store [r{a}] ← r{v}"),
                _ => write!(f, "store {srcs}"),
            },
            Kind::Branch => write!(f, "branch {srcs}"),
        }
    }
}

/// How many units of a kind there are and their latency in cycles.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Unit {
    /// Units of this kind; each starts at most one instruction per cycle.
    pub count: usize,
    /// Cycles from start to result.
    pub latency: u32,
}

/// Issue policy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Issue {
    /// Program order; stop at the first instruction that cannot start. There is no window:
    /// after a miss, independent instructions keep starting until one needs the result
    /// ("stall on use").
    InOrder,
    /// Any ready instruction among the `window` oldest unfinished ones, oldest first.
    OutOfOrder {
        /// Instructions in flight per thread (the reorder buffer's size).
        window: usize,
    },
}

/// A core: issue width and policy, execution units, and the load miss latency.
///
/// The simulator treats counts, latencies, the width and the window below 1 as 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Core {
    /// Instructions started per cycle at most (the lab's slider: 1–8).
    pub width: usize,
    /// In order or out of order.
    pub issue: Issue,
    /// Integer ALUs.
    pub alu: Unit,
    /// Floating-point units.
    pub fpu: Unit,
    /// Load/store units; their latency is the cache-hit latency.
    pub load_store: Unit,
    /// Branch units.
    pub branch: Unit,
    /// Load-to-use latency of a load marked `miss`, cycles (at least the load/store latency).
    pub miss_latency: u32,
}

impl Default for Core {
    /// Width 4, in order; 2 ALUs (1 cycle), 1 FPU (4), 1 load/store (3), 1 branch (1); misses
    /// take 30 cycles (a teaching default for the lab's latency slider, not a measured value).
    fn default() -> Core {
        Core {
            width: 4,
            issue: Issue::InOrder,
            alu: Unit { count: 2, latency: 1 },
            fpu: Unit { count: 1, latency: 4 },
            load_store: Unit { count: 1, latency: 3 },
            branch: Unit { count: 1, latency: 1 },
            miss_latency: 30,
        }
    }
}

impl Core {
    /// The units of `kind`, with count and latency at least 1.
    pub fn unit(&self, kind: UnitKind) -> Unit {
        let u = match kind {
            UnitKind::Alu => self.alu,
            UnitKind::Fpu => self.fpu,
            UnitKind::LoadStore => self.load_store,
            UnitKind::Branch => self.branch,
        };
        Unit { count: u.count.max(1), latency: u.latency.max(1) }
    }

    /// Cycles from start to result of `instr`: its unit's latency, or for a missing load
    /// `max(miss_latency, load/store latency)`.
    pub fn latency(&self, instr: &Instr) -> u32 {
        let base = self.unit(instr.kind.unit()).latency;
        if instr.miss && instr.kind == Kind::Load { base.max(self.miss_latency) } else { base }
    }

    /// This core with issue width `width`.
    pub fn with_width(self, width: usize) -> Core {
        Core { width, ..self }
    }

    /// This core with issue policy `issue`.
    pub fn with_issue(self, issue: Issue) -> Core {
        Core { issue, ..self }
    }
}

#[cfg(test)]
mod tests;
