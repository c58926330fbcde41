//! The lab's preset instruction streams, each isolating one limit of a superscalar core.
//!
//! Loops are unrolled (the simulator has no fetch or branch prediction, see the parent module),
//! and r0 is a constant no instruction writes, so `add r5 ← r0` depends on nothing.

use super::Instr;

/// The presets of the lab's superscalar panel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Preset {
    /// [`independent`]`(32)`: width and ALUs are the only limit.
    Independent,
    /// [`dependency_chain`]`(16)`: latency is the only limit.
    DependencyChain,
    /// [`load_loop`]`(16, 8)`: loads and misses, where out of order helps.
    LoadLoop,
    /// [`branchy_loop`]`(8)`: two branches per iteration on one branch unit.
    BranchyLoop,
}

impl Preset {
    /// All presets, in display order.
    pub const ALL: [Preset; 4] =
        [Preset::Independent, Preset::DependencyChain, Preset::LoadLoop, Preset::BranchyLoop];

    /// Display name.
    pub fn name(self) -> &'static str {
        match self {
            Preset::Independent => "Independent operations",
            Preset::DependencyChain => "Dependency chain",
            Preset::LoadLoop => "Loop with loads",
            Preset::BranchyLoop => "Branchy loop",
        }
    }

    /// The preset's program, at the lab's default size.
    pub fn program(self) -> Vec<Instr> {
        match self {
            Preset::Independent => independent(32),
            Preset::DependencyChain => dependency_chain(16),
            Preset::LoadLoop => load_loop(16, 8),
            Preset::BranchyLoop => branchy_loop(8),
        }
    }
}

/// `n` integer additions with no dependencies between them (`add r(1 + i mod 30) ← r0`):
/// IPC is limited only by the issue width and the number of ALUs.
pub fn independent(n: usize) -> Vec<Instr> {
    (0..n).map(|i| Instr::alu(1 + (i % 30) as u8, &[0])).collect()
}

/// `n` integer additions in `chains` independent dependency chains, interleaved
/// (`add r(10 + i mod chains) ← itself, r0`): ILP = `chains` (1 to 16).
pub fn alu_chains(n: usize, chains: u8) -> Vec<Instr> {
    let chains = chains.clamp(1, 16);
    (0..n).map(|i| 10 + (i % chains as usize) as u8).map(|r| Instr::alu(r, &[r, 0])).collect()
}

/// `n` floating-point additions in `chains` independent chains (`fadd r(30 + i mod chains) ←
/// itself, r0`): with `chains` ≥ the FPU latency, one FPU is busy every cycle.
pub fn fp_chains(n: usize, chains: u8) -> Vec<Instr> {
    let chains = chains.clamp(1, 16);
    (0..n).map(|i| 30 + (i % chains as usize) as u8).map(|r| Instr::fp(r, &[r, 0])).collect()
}

/// `n` floating-point additions, each needing the previous result (`fadd r1 ← r1, r2`): one
/// instruction per FPU latency at any width, IPC = 1 / latency.
pub fn dependency_chain(n: usize) -> Vec<Instr> {
    (0..n).map(|_| Instr::fp(1, &[1, 2])).collect()
}

/// Summing an array, `iterations` times unrolled; every `miss_every`-th load misses the cache
/// (8-byte elements on 64-byte lines without prefetching miss every 8th; 0 = never):
///
/// ```text
/// load r2 ← [r1]      element
/// add  r3 ← r3, r2    sum += element (waits for the load)
/// add  r1 ← r1, r0    next address
/// branch r1           loop back
/// ```
///
/// In order, every add waits for its load; out of order, later iterations' loads start early.
pub fn load_loop(iterations: usize, miss_every: usize) -> Vec<Instr> {
    let mut p = Vec::with_capacity(4 * iterations);
    for i in 0..iterations {
        let miss = miss_every > 0 && i % miss_every == 0;
        p.push(if miss { Instr::load_miss(2, 1) } else { Instr::load(2, 1) });
        p.extend([Instr::alu(3, &[3, 2]), Instr::alu(1, &[1, 0]), Instr::branch(&[1])]);
    }
    p
}

/// Summing the elements above a threshold, `iterations` times unrolled: two branches per
/// iteration compete for the branch unit, and each compare waits for its load:
///
/// ```text
/// load   r2 ← [r1]      element
/// add    r4 ← r2, r5    compare with the threshold
/// branch r4             skip if below (predicted perfectly)
/// add    r3 ← r3, r2    sum += element
/// add    r1 ← r1, r0    next address
/// add    r6 ← r1, r7    compare with the end
/// branch r6             loop back
/// ```
pub fn branchy_loop(iterations: usize) -> Vec<Instr> {
    let body = [
        Instr::load(2, 1),
        Instr::alu(4, &[2, 5]),
        Instr::branch(&[4]),
        Instr::alu(3, &[3, 2]),
        Instr::alu(1, &[1, 0]),
        Instr::alu(6, &[1, 7]),
        Instr::branch(&[6]),
    ];
    (0..iterations).flat_map(|_| body).collect()
}
