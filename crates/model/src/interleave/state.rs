//! A snapshot of a running program and the only move a scheduler has: run one step of one thread.
//!
//! [`State::step`] is pure, returning a new state, because both users of it branch: the learner
//! undoes and retries (undo is keeping the earlier states), and the explorer tries every enabled
//! thread from the same state. States compare and hash by their contents (not by the [`Program`],
//! which they share behind an [`Arc`]), which is what lets the explorer recognise a state it has
//! already seen along another schedule.

use std::collections::BTreeMap;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use super::expr::{Cond, Expr, Operand};
use super::program::{Program, ProgramError, Step, WaitGuard};

/// A thread's index in [`Program::threads`].
pub type ThreadId = usize;

/// What a thread is doing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ThreadStatus {
    /// Will run the step at its `pc` when scheduled (unless that is a `lock` someone holds).
    Ready,
    /// In the wait set of a condition (index into [`Program::conditions`]) until notified.
    Waiting {
        /// The condition waited on.
        condition: usize,
    },
    /// Notified; its next move re-acquires the condition's lock, once free.
    Woken {
        /// The condition it was waiting on.
        condition: usize,
    },
    /// Ran past its last step.
    Done,
}

/// One thread's private part of a [`State`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ThreadState {
    /// Index of the next step (of the `wait` step while waiting or woken).
    pub pc: usize,
    /// Ready, waiting, woken or done.
    pub status: ThreadStatus,
    /// Local variables assigned so far (unassigned ones read as 0).
    pub locals: BTreeMap<String, i64>,
}

/// The kinds of bug a single step can reveal.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FailureKind {
    /// An `assert` found its condition false.
    Assertion,
    /// `unlock` of a lock the thread does not hold.
    UnlockNotHeld,
    /// `wait` without holding the condition's lock.
    WaitWithoutLock,
}

impl fmt::Display for FailureKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            FailureKind::Assertion => "assertion failed",
            FailureKind::UnlockNotHeld => "unlock of a lock the thread does not hold",
            FailureKind::WaitWithoutLock => "wait without holding the condition's lock",
        })
    }
}

/// A detected bug: which thread, at which step, and what went wrong. It stops the program.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Failure {
    /// The thread that failed.
    pub thread: ThreadId,
    /// The index of the failing step.
    pub pc: usize,
    /// What went wrong.
    pub kind: FailureKind,
}

/// Why [`State::step`] refused to move a thread; the state is unchanged.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StepError {
    /// No thread has that id.
    NoSuchThread,
    /// The thread already finished.
    Finished,
    /// The thread waits for a lock or a notify.
    Blocked,
    /// A failure already stopped the program.
    Stopped,
}

impl fmt::Display for StepError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            StepError::NoSuchThread => "no such thread",
            StepError::Finished => "the thread has finished",
            StepError::Blocked => "the thread is blocked",
            StepError::Stopped => "a failure stopped the program",
        })
    }
}

impl std::error::Error for StepError {}

/// Everything that changes while a program runs; see the module docs.
#[derive(Clone, Debug)]
pub struct State {
    pub(super) program: Arc<Program>,
    pub(super) shared: Vec<i64>,
    pub(super) owners: Vec<Option<ThreadId>>,
    pub(super) waiting: Vec<Vec<ThreadId>>,
    pub(super) threads: Vec<ThreadState>,
    pub(super) failure: Option<Failure>,
}

const VALIDATED: &str = "names are checked by Program::validate in State::new";

impl State {
    /// The initial state: shared variables at their initial values, locks free, every thread at
    /// its first step.
    pub fn new(program: Arc<Program>) -> Result<State, ProgramError> {
        program.validate()?;
        let threads = program
            .threads
            .iter()
            .map(|t| ThreadState {
                pc: 0,
                status: if t.steps.is_empty() { ThreadStatus::Done } else { ThreadStatus::Ready },
                locals: BTreeMap::new(),
            })
            .collect();
        Ok(State {
            shared: program.shared.iter().map(|&(_, v)| v).collect(),
            owners: vec![None; program.locks.len()],
            waiting: vec![Vec::new(); program.conditions.len()],
            threads,
            failure: None,
            program,
        })
    }

    /// The program being run.
    pub fn program(&self) -> &Program {
        &self.program
    }

    /// Every thread's pc, status and locals, by [`ThreadId`].
    pub fn threads(&self) -> &[ThreadState] {
        &self.threads
    }

    /// The current value of shared variable `name`.
    pub fn shared(&self, name: &str) -> Option<i64> {
        self.program.shared_index(name).map(|i| self.shared[i])
    }

    /// All shared variables with their current values, in declaration order.
    pub fn shared_values(&self) -> Vec<(String, i64)> {
        self.program.shared.iter().zip(&self.shared).map(|((n, _), &v)| (n.clone(), v)).collect()
    }

    /// The thread holding lock `name`, if any.
    pub fn lock_owner(&self, name: &str) -> Option<ThreadId> {
        self.program.lock_index(name).and_then(|i| self.owners[i])
    }

    /// The threads waiting on condition `name`, longest-waiting first.
    pub fn waiting_on(&self, name: &str) -> &[ThreadId] {
        self.program.condition_index(name).map_or(&[], |i| &self.waiting[i])
    }

    /// The bug that stopped the program, if one did.
    pub fn failure(&self) -> Option<Failure> {
        self.failure
    }

    /// Threads that [`step`](State::step) would move, in id order.
    pub fn enabled_threads(&self) -> Vec<ThreadId> {
        (0..self.threads.len()).filter(|&t| self.is_enabled(t)).collect()
    }

    /// Whether `thread` can move now.
    pub fn is_enabled(&self, thread: ThreadId) -> bool {
        let Some(t) = self.threads.get(thread) else { return false };
        self.failure.is_none()
            && matches!(t.status, ThreadStatus::Ready | ThreadStatus::Woken { .. })
            && self.wanted_lock(thread).is_none_or(|l| self.owners[l].is_none())
    }

    /// What `thread` does when next scheduled, as pseudo-code; `None` once it is done.
    pub fn next_label(&self, thread: ThreadId) -> Option<String> {
        let t = self.threads.get(thread)?;
        match t.status {
            ThreadStatus::Done => None,
            ThreadStatus::Woken { condition } => {
                let c = &self.program.conditions[condition];
                Some(format!("lock({}) after wait({})", c.lock, c.name))
            }
            _ => Some(self.program.threads[thread].steps[t.pc].label()),
        }
    }

    /// Runs one step of `thread`, returning the new state; `self` is untouched.
    pub fn step(&self, thread: ThreadId) -> Result<State, StepError> {
        let t = self.threads.get(thread).ok_or(StepError::NoSuchThread)?;
        if self.failure.is_some() {
            return Err(StepError::Stopped);
        }
        if t.status == ThreadStatus::Done {
            return Err(StepError::Finished);
        }
        if !self.is_enabled(thread) {
            return Err(StepError::Blocked);
        }
        let mut next = self.clone();
        match t.status {
            ThreadStatus::Woken { condition } => next.reacquire(thread, condition),
            _ => next.execute(thread),
        }
        let t = &mut next.threads[thread];
        if t.status == ThreadStatus::Ready && t.pc >= self.program.threads[thread].steps.len() {
            t.status = ThreadStatus::Done;
        }
        Ok(next)
    }

    /// Runs `schedule` (thread ids, one per move) from this state.
    pub fn replay(&self, schedule: &[ThreadId]) -> Result<State, StepError> {
        schedule.iter().try_fold(self.clone(), |s, &t| s.step(t))
    }

    /// The lock `thread` needs for its next move: its `lock` step's, or its monitor's once woken.
    pub(super) fn wanted_lock(&self, thread: ThreadId) -> Option<usize> {
        let t = &self.threads[thread];
        match t.status {
            ThreadStatus::Woken { condition } => {
                self.program.lock_index(&self.program.conditions[condition].lock)
            }
            ThreadStatus::Ready => match &self.program.threads[thread].steps[t.pc] {
                Step::Lock(l) => self.program.lock_index(l),
                _ => None,
            },
            _ => None,
        }
    }

    fn reacquire(&mut self, thread: ThreadId, condition: usize) {
        let lock = self.lock_slot(&self.program.conditions[condition].lock);
        self.owners[lock] = Some(thread);
        let t = &mut self.threads[thread];
        t.status = ThreadStatus::Ready;
        let step = &self.program.threads[thread].steps[t.pc];
        if !matches!(step, Step::Wait { guard: WaitGuard::While(_), .. }) {
            t.pc += 1;
        }
    }

    fn execute(&mut self, thread: ThreadId) {
        let program = Arc::clone(&self.program);
        let pc = self.threads[thread].pc;
        let mut next_pc = pc + 1;
        match &program.threads[thread].steps[pc] {
            Step::Read { local, shared } => {
                let value = self.shared[self.shared_slot(shared)];
                self.threads[thread].locals.insert(local.clone(), value);
            }
            Step::Write { shared, value } => {
                let slot = self.shared_slot(shared);
                self.shared[slot] = self.eval(Some(thread), value);
            }
            Step::Lock(l) => {
                let slot = self.lock_slot(l);
                self.owners[slot] = Some(thread);
            }
            Step::Unlock(l) => {
                let slot = self.lock_slot(l);
                if self.owners[slot] != Some(thread) {
                    return self.fail(thread, FailureKind::UnlockNotHeld);
                }
                self.owners[slot] = None;
            }
            Step::Wait { condition, guard } => {
                let c = self.condition_slot(condition);
                let lock = self.lock_slot(&program.conditions[c].lock);
                if self.owners[lock] != Some(thread) {
                    return self.fail(thread, FailureKind::WaitWithoutLock);
                }
                let must_wait = match guard {
                    WaitGuard::Always => true,
                    WaitGuard::If(g) | WaitGuard::While(g) => self.test(Some(thread), g),
                };
                if must_wait {
                    self.owners[lock] = None;
                    self.waiting[c].push(thread);
                    self.threads[thread].status = ThreadStatus::Waiting { condition: c };
                    next_pc = pc;
                }
            }
            Step::Notify(condition) => {
                let c = self.condition_slot(condition);
                if !self.waiting[c].is_empty() {
                    let woken = self.waiting[c].remove(0);
                    self.threads[woken].status = ThreadStatus::Woken { condition: c };
                }
            }
            Step::Assert(cond) => {
                if !self.test(Some(thread), cond) {
                    return self.fail(thread, FailureKind::Assertion);
                }
            }
            Step::JumpIf { cond, target } => {
                if self.test(Some(thread), cond) {
                    next_pc = *target;
                }
            }
        }
        self.threads[thread].pc = next_pc;
    }

    fn fail(&mut self, thread: ThreadId, kind: FailureKind) {
        self.failure = Some(Failure { thread, pc: self.threads[thread].pc, kind });
    }

    /// Evaluates `operand` for `thread` (`None`: no thread, so locals read as 0).
    fn value(&self, thread: Option<ThreadId>, operand: &Operand) -> i64 {
        match operand {
            Operand::Const(v) => *v,
            Operand::Local(name) => {
                thread.and_then(|t| self.threads[t].locals.get(name).copied()).unwrap_or(0)
            }
            Operand::Shared(name) => self.shared[self.shared_slot(name)],
        }
    }

    fn eval(&self, thread: Option<ThreadId>, expr: &Expr) -> i64 {
        match expr {
            Expr::Value(a) => self.value(thread, a),
            Expr::Add(a, b) => self.value(thread, a).wrapping_add(self.value(thread, b)),
            Expr::Sub(a, b) => self.value(thread, a).wrapping_sub(self.value(thread, b)),
        }
    }

    pub(super) fn test(&self, thread: Option<ThreadId>, cond: &Cond) -> bool {
        cond.cmp.holds(self.value(thread, &cond.lhs), self.value(thread, &cond.rhs))
    }

    fn shared_slot(&self, name: &str) -> usize {
        self.program.shared_index(name).expect(VALIDATED)
    }

    fn lock_slot(&self, name: &str) -> usize {
        self.program.lock_index(name).expect(VALIDATED)
    }

    fn condition_slot(&self, name: &str) -> usize {
        self.program.condition_index(name).expect(VALIDATED)
    }
}

/// Equal when the programs are equal and every variable, lock, wait set and thread is.
impl PartialEq for State {
    fn eq(&self, other: &State) -> bool {
        (Arc::ptr_eq(&self.program, &other.program) || self.program == other.program)
            && self.shared == other.shared
            && self.owners == other.owners
            && self.waiting == other.waiting
            && self.threads == other.threads
            && self.failure == other.failure
    }
}

impl Eq for State {}

/// Hashes the changing part only (the program is shared by all states being compared).
impl Hash for State {
    fn hash<H: Hasher>(&self, h: &mut H) {
        self.shared.hash(h);
        self.owners.hash(h);
        self.waiting.hash(h);
        self.threads.hash(h);
        self.failure.hash(h);
    }
}
