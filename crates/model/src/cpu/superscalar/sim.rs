//! The cycle loop: one or more hardware threads issuing into one core's shared units.
//!
//! Each cycle, every thread in turn (the first one rotating round-robin, so no thread starves)
//! starts what it can under its own issue policy, using the issue slots and units the threads
//! before it left. One thread is an ordinary superscalar run; two are SMT (see
//! [`super::super::smt`]).

use super::{Core, Instr, Issue, UnitKind};

/// An instruction starting on a unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Issued {
    /// Hardware thread (0 in a single-thread run).
    pub thread: usize,
    /// Index in the thread's program.
    pub instr: usize,
    /// The unit kind it occupies.
    pub unit: UnitKind,
    /// Which of the kind's units (0-based).
    pub slot: usize,
    /// Cycle at which its result is ready (start + latency).
    pub done: u64,
}

/// Why an instruction could not start.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StallReason {
    /// A source is produced by instruction `on` (same thread), whose result is not ready yet.
    Dependency {
        /// The producing instruction's index.
        on: usize,
    },
    /// Every unit of this kind already started an instruction this cycle.
    NoFreeUnit(UnitKind),
    /// Out of order: the window holds `window` unfinished instructions, so this one, the first
    /// outside it, must wait for the oldest to finish before it can even be considered.
    WindowFull,
    /// The other hardware thread used the remaining issue slots (SMT only).
    SlotsTaken,
}

/// An instruction that could not start in a cycle in which its thread started fewer than
/// `width` instructions. Per thread and cycle the log holds the oldest such instruction and, out
/// of order, also [`StallReason::WindowFull`] for the first one outside a full window while
/// issue slots were left.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stall {
    /// Hardware thread.
    pub thread: usize,
    /// Index in the thread's program.
    pub instr: usize,
    /// Why it did not start.
    pub reason: StallReason,
}

/// One cycle of the log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cycle {
    /// Cycle number, from 0.
    pub cycle: u64,
    /// Instructions started this cycle, in the order they were picked.
    pub issued: Vec<Issued>,
    /// Threads that left issue slots unused, and why.
    pub stalls: Vec<Stall>,
}

/// The outcome of a run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Run {
    /// Total cycles: until the last result is ready.
    pub cycles: u64,
    /// Instructions per thread.
    pub instructions: Vec<usize>,
    /// Cycle at which each thread's last result is ready.
    pub finished: Vec<u64>,
    /// Every cycle from 0 to the last start; the remaining cycles only wait for results.
    pub log: Vec<Cycle>,
}

impl Run {
    /// Instructions per cycle of all threads together: `Σ instructions / cycles` (0 if empty).
    pub fn ipc(&self) -> f64 {
        ratio(self.instructions.iter().sum::<usize>(), self.cycles)
    }

    /// Instructions per cycle of `thread` over its own run time, `instructions / finished`.
    pub fn thread_ipc(&self, thread: usize) -> f64 {
        ratio(self.instructions[thread], self.finished[thread])
    }
}

fn ratio(n: usize, cycles: u64) -> f64 {
    if cycles == 0 { 0.0 } else { n as f64 / cycles as f64 }
}

/// Simulates one thread running `program` on `core`.
pub fn run(core: &Core, program: &[Instr]) -> Run {
    run_threads(core, &[program])
}

/// Simulates hardware threads sharing `core`'s issue slots and units. Each thread has its own
/// registers; out of order, the window is split evenly among the threads that still have
/// instructions to start (halved while two run, whole again when one is done).
pub fn run_threads(core: &Core, programs: &[&[Instr]]) -> Run {
    let width = core.width.max(1);
    let mut threads: Vec<Thread> = programs.iter().map(|p| Thread::new(core, p)).collect();
    let mut log = Vec::new();
    let mut t = 0u64;
    while threads.iter().any(|th| th.unstarted > 0) {
        let mut cycle = Cycle { cycle: t, issued: Vec::new(), stalls: Vec::new() };
        let mut used = [0usize; 4];
        let active = threads.iter().filter(|th| th.unstarted > 0).count();
        for k in 0..threads.len() {
            let id = (t as usize + k) % threads.len();
            threads[id].issue(core, t, width, (id, active), &mut used, &mut cycle);
        }
        log.push(cycle);
        t += 1;
    }
    let finished: Vec<u64> =
        threads.iter().map(|th| th.done.iter().copied().max().unwrap_or(0)).collect();
    Run {
        cycles: finished.iter().copied().max().unwrap_or(0),
        instructions: programs.iter().map(|p| p.len()).collect(),
        finished,
        log,
    }
}

/// Per-thread issue state.
struct Thread<'a> {
    program: &'a [Instr],
    /// For each instruction, the producers of its sources (latest earlier writer).
    producers: Vec<[Option<usize>; 2]>,
    started: Vec<bool>,
    /// Result-ready cycle of started instructions.
    done: Vec<u64>,
    latency: Vec<u64>,
    /// Oldest instruction whose result is not ready (the window's head).
    head: usize,
    /// Oldest instruction not started.
    next: usize,
    unstarted: usize,
}

impl<'a> Thread<'a> {
    fn new(core: &Core, program: &'a [Instr]) -> Thread<'a> {
        let mut last_writer = [None; 256];
        let producers = program
            .iter()
            .enumerate()
            .map(|(i, ins)| {
                let p = ins.srcs.map(|s| s.and_then(|r| last_writer[r as usize]));
                if let Some(d) = ins.dest {
                    last_writer[d as usize] = Some(i);
                }
                p
            })
            .collect();
        Thread {
            program,
            producers,
            started: vec![false; program.len()],
            done: vec![0; program.len()],
            latency: program.iter().map(|i| core.latency(i) as u64).collect(),
            head: 0,
            next: 0,
            unstarted: program.len(),
        }
    }

    /// Why instruction `i` cannot start at cycle `t` (`None`: it can).
    fn blocked(&self, core: &Core, i: usize, t: u64, used: &[usize; 4]) -> Option<StallReason> {
        for p in self.producers[i].into_iter().flatten() {
            if !self.started[p] || self.done[p] > t {
                return Some(StallReason::Dependency { on: p });
            }
        }
        let unit = self.program[i].kind.unit();
        (used[unit.index()] >= core.unit(unit).count).then_some(StallReason::NoFreeUnit(unit))
    }

    fn issue(
        &mut self,
        core: &Core,
        t: u64,
        width: usize,
        (id, active): (usize, usize),
        used: &mut [usize; 4],
        cycle: &mut Cycle,
    ) {
        while self.head < self.program.len() && self.started[self.head] && self.done[self.head] <= t
        {
            self.head += 1;
        }
        let end = match core.issue {
            Issue::InOrder => self.program.len(),
            Issue::OutOfOrder { window } => {
                (self.head + (window / active).max(1)).min(self.program.len())
            }
        };
        let mut mine = 0;
        let mut stall = None;
        for i in self.next..end {
            if self.started[i] {
                continue;
            }
            let slots_left = cycle.issued.len() < width;
            let reason = if slots_left {
                self.blocked(core, i, t, used)
            } else {
                Some(StallReason::SlotsTaken)
            };
            match reason {
                None => {
                    let unit = self.program[i].kind.unit();
                    let done = t + self.latency[i];
                    cycle.issued.push(Issued {
                        thread: id,
                        instr: i,
                        unit,
                        slot: used[unit.index()],
                        done,
                    });
                    used[unit.index()] += 1;
                    (self.started[i], self.done[i]) = (true, done);
                    self.unstarted -= 1;
                    mine += 1;
                }
                Some(reason) => {
                    stall.get_or_insert(Stall { thread: id, instr: i, reason });
                    if core.issue == Issue::InOrder || !slots_left {
                        break;
                    }
                }
            }
        }
        while self.next < self.program.len() && self.started[self.next] {
            self.next += 1;
        }
        if mine < width && self.unstarted > 0 {
            cycle.stalls.extend(stall);
            if end < self.program.len() && cycle.issued.len() < width {
                cycle.stalls.push(Stall {
                    thread: id,
                    instr: end,
                    reason: StallReason::WindowFull,
                });
            }
        }
    }
}

/// Length of the longest dependency path of `program` on `core`, in cycles: each instruction
/// finishes `latency` after its latest producer. No schedule can finish sooner.
pub fn critical_path(core: &Core, program: &[Instr]) -> u64 {
    let th = Thread::new(core, program);
    let mut finish = vec![0u64; program.len()];
    for i in 0..program.len() {
        let ready = th.producers[i].into_iter().flatten().map(|p| finish[p]).max().unwrap_or(0);
        finish[i] = ready + th.latency[i];
    }
    finish.into_iter().max().unwrap_or(0)
}

/// The program's instruction-level parallelism on `core`: `instructions / critical path`, an
/// upper bound on IPC at any width with unlimited units.
pub fn ilp(core: &Core, program: &[Instr]) -> f64 {
    ratio(program.len(), critical_path(core, program))
}
