//! The little language the explorer runs: threads of atomic steps over shared variables, locks
//! and condition variables, each step printable as one line of pseudo-code.
//!
//! Steps are as fine as the machine's, not the source's: `counter += 1` is two steps (read, then
//! write) because the race lives between them. Anything that is one step is atomic by definition,
//! so choosing the granularity is choosing what the learner can break. Names, not indices, appear
//! in steps so that a program reads like the code on screen; [`Program::validate`] checks them once.

use std::fmt;

use super::expr::{Cond, Expr, Operand};

/// When a [`Step::Wait`] waits, and what happens after a wake-up.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum WaitGuard {
    /// `wait(c)`: always waits; continues with the next step once woken.
    Always,
    /// `if (g) wait(c)`: waits only if `g`; once woken, continues WITHOUT re-checking `g`.
    If(Cond),
    /// `while (g) wait(c)`: waits while `g`; once woken, checks `g` again.
    While(Cond),
}

/// One atomic action of a thread.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Step {
    /// `local = shared`.
    Read {
        /// Destination (thread-local).
        local: String,
        /// Source (shared).
        shared: String,
    },
    /// `shared = value`.
    Write {
        /// Destination (shared).
        shared: String,
        /// The value stored.
        value: Expr,
    },
    /// `lock(l)`: blocks while any thread (itself included: locks are not re-entrant) holds `l`.
    Lock(String),
    /// `unlock(l)`: releasing a lock the thread does not hold is a failure.
    Unlock(String),
    /// Monitor wait on a condition variable; the thread must hold the condition's lock. Waiting
    /// releases the lock and blocks until a [`Step::Notify`]; the woken thread then needs one more
    /// move to re-acquire the lock.
    Wait {
        /// The condition variable.
        condition: String,
        /// Whether and how the wait is guarded.
        guard: WaitGuard,
    },
    /// `notify(c)`: wakes the longest-waiting thread of `c`, if any (FIFO, so that the scheduler's
    /// thread choice stays the only nondeterminism). A notify nobody waits for is lost.
    Notify(String),
    /// `assert(cond)`: a false condition is a detected bug and stops the program.
    Assert(Cond),
    /// `if (cond) goto target`: `target` is a step index (labels print it 1-based, as listings
    /// number lines); `target == steps.len()` ends the thread.
    JumpIf {
        /// The branch condition.
        cond: Cond,
        /// The step index jumped to.
        target: usize,
    },
}

impl Step {
    /// `local = shared`.
    pub fn read(local: impl Into<String>, shared: impl Into<String>) -> Step {
        Step::Read { local: local.into(), shared: shared.into() }
    }

    /// `shared = value`.
    pub fn write(shared: impl Into<String>, value: Expr) -> Step {
        Step::Write { shared: shared.into(), value }
    }

    /// `lock(l)`.
    pub fn lock(lock: impl Into<String>) -> Step {
        Step::Lock(lock.into())
    }

    /// `unlock(l)`.
    pub fn unlock(lock: impl Into<String>) -> Step {
        Step::Unlock(lock.into())
    }

    /// A guarded wait on `condition`.
    pub fn wait(condition: impl Into<String>, guard: WaitGuard) -> Step {
        Step::Wait { condition: condition.into(), guard }
    }

    /// `notify(c)`.
    pub fn notify(condition: impl Into<String>) -> Step {
        Step::Notify(condition.into())
    }

    /// The step as one line of pseudo-code, e.g. `counter = tmp + 1`.
    pub fn label(&self) -> String {
        self.to_string()
    }
}

impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Step::Read { local, shared } => write!(f, "{local} = {shared}"),
            Step::Write { shared, value } => write!(f, "{shared} = {value}"),
            Step::Lock(l) => write!(f, "lock({l})"),
            Step::Unlock(l) => write!(f, "unlock({l})"),
            Step::Wait { condition, guard: WaitGuard::Always } => write!(f, "wait({condition})"),
            Step::Wait { condition, guard: WaitGuard::If(g) } => {
                write!(f, "if ({g}) wait({condition})")
            }
            Step::Wait { condition, guard: WaitGuard::While(g) } => {
                write!(f, "while ({g}) wait({condition})")
            }
            Step::Notify(c) => write!(f, "notify({c})"),
            Step::Assert(c) => write!(f, "assert({c})"),
            Step::JumpIf { cond, target } => write!(f, "if ({cond}) goto {}", target + 1),
        }
    }
}

/// A named thread: its steps run in order, except where a [`Step::JumpIf`] branches.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Thread {
    /// Shown in the UI, e.g. `T1` or `producer`.
    pub name: String,
    /// The thread's code.
    pub steps: Vec<Step>,
}

impl Thread {
    /// A thread named `name` running `steps`.
    pub fn new(name: impl Into<String>, steps: Vec<Step>) -> Thread {
        Thread { name: name.into(), steps }
    }
}

/// A condition variable and the lock it is used with (its monitor).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Condition {
    /// The condition variable's name.
    pub name: String,
    /// The lock a waiter must hold, released while waiting.
    pub lock: String,
}

/// A complete program: threads plus the shared world they start in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Program {
    /// Display name.
    pub name: String,
    /// What the program shows and why it is (or is not) correct.
    pub description: String,
    /// The threads, indexed by [`ThreadId`](super::ThreadId).
    pub threads: Vec<Thread>,
    /// Shared variables and their initial values.
    pub shared: Vec<(String, i64)>,
    /// Lock names.
    pub locks: Vec<String>,
    /// Condition variables.
    pub conditions: Vec<Condition>,
    /// What must hold over the shared variables once every thread finished (only shared operands);
    /// a finished run that breaks it is a [`Outcome::WrongResult`](super::Outcome::WrongResult).
    pub expected: Option<Cond>,
}

/// Why a [`Program`] cannot run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProgramError(pub String);

impl fmt::Display for ProgramError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ProgramError {}

impl Program {
    /// A program without locks, conditions or expectation; add them with the `with_*` methods.
    pub fn new(
        name: impl Into<String>,
        description: impl Into<String>,
        threads: Vec<Thread>,
        shared: &[(&str, i64)],
    ) -> Program {
        Program {
            name: name.into(),
            description: description.into(),
            threads,
            shared: shared.iter().map(|&(n, v)| (n.to_string(), v)).collect(),
            locks: Vec::new(),
            conditions: Vec::new(),
            expected: None,
        }
    }

    /// Declares locks.
    pub fn with_locks(mut self, locks: &[&str]) -> Program {
        self.locks.extend(locks.iter().map(|l| l.to_string()));
        self
    }

    /// Declares a condition variable used with `lock`.
    pub fn with_condition(mut self, name: &str, lock: &str) -> Program {
        self.conditions.push(Condition { name: name.to_string(), lock: lock.to_string() });
        self
    }

    /// Sets what must hold once every thread finished.
    pub fn expecting(mut self, expected: Cond) -> Program {
        self.expected = Some(expected);
        self
    }

    /// Checks that every name a step uses is declared and every jump lands inside its thread.
    pub fn validate(&self) -> Result<(), ProgramError> {
        let err = |msg: String| Err(ProgramError(msg));
        if self.threads.is_empty() {
            return err("a program needs at least one thread".into());
        }
        for c in &self.conditions {
            if self.lock_index(&c.lock).is_none() {
                return err(format!("condition {} uses undeclared lock {}", c.name, c.lock));
            }
        }
        if let Some(e) = &self.expected {
            if e.operands().iter().any(|o| matches!(o, Operand::Local(_))) {
                return err(format!("expectation {e} may only use shared variables"));
            }
            self.check_operands(e.operands())?;
        }
        for thread in &self.threads {
            for (i, step) in thread.steps.iter().enumerate() {
                self.check_step(step, thread.steps.len()).map_err(|ProgramError(m)| {
                    ProgramError(format!("{} step {} ({step}): {m}", thread.name, i + 1))
                })?;
            }
        }
        Ok(())
    }

    fn check_step(&self, step: &Step, len: usize) -> Result<(), ProgramError> {
        let known = |found: Option<usize>, kind: &str, name: &str| match found {
            Some(_) => Ok(()),
            None => Err(ProgramError(format!("undeclared {kind} {name}"))),
        };
        match step {
            Step::Read { shared, .. } => {
                known(self.shared_index(shared), "shared variable", shared)
            }
            Step::Write { shared, value } => {
                known(self.shared_index(shared), "shared variable", shared)?;
                self.check_operands(value.operands())
            }
            Step::Lock(l) | Step::Unlock(l) => known(self.lock_index(l), "lock", l),
            Step::Wait { condition, guard } => {
                known(self.condition_index(condition), "condition", condition)?;
                match guard {
                    WaitGuard::Always => Ok(()),
                    WaitGuard::If(g) | WaitGuard::While(g) => self.check_operands(g.operands()),
                }
            }
            Step::Notify(c) => known(self.condition_index(c), "condition", c),
            Step::Assert(cond) => self.check_operands(cond.operands()),
            Step::JumpIf { cond, target } if *target <= len => self.check_operands(cond.operands()),
            Step::JumpIf { target, .. } => {
                Err(ProgramError(format!("jump to {} beyond the thread's end", target + 1)))
            }
        }
    }

    fn check_operands<'a>(
        &self,
        operands: impl IntoIterator<Item = &'a Operand>,
    ) -> Result<(), ProgramError> {
        for operand in operands {
            if let Operand::Shared(name) = operand
                && self.shared_index(name).is_none()
            {
                return Err(ProgramError(format!("undeclared shared variable {name}")));
            }
        }
        Ok(())
    }

    pub(crate) fn shared_index(&self, name: &str) -> Option<usize> {
        self.shared.iter().position(|(n, _)| n == name)
    }

    pub(crate) fn lock_index(&self, name: &str) -> Option<usize> {
        self.locks.iter().position(|n| n == name)
    }

    pub(crate) fn condition_index(&self, name: &str) -> Option<usize> {
        self.conditions.iter().position(|c| c.name == name)
    }
}
