//! What a state means for the lesson: still running, finished (rightly or wrongly), failed, or
//! deadlocked, and if deadlocked, the cycle of threads and locks that explains it.
//!
//! Deadlock here is the plain definition (someone has not finished, nobody can move), so it also
//! covers threads waiting for a notify that never comes. The wait-for cycle is reported separately
//! because it is the textbook explanation of lock-order deadlocks (T1 holds a and wants b, T2
//! holds b and wants a), and its absence tells the learner to look for a lost wakeup instead.

use super::state::{Failure, State, ThreadId, ThreadStatus};

/// Where a run stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Outcome {
    /// Some thread can still move.
    Running,
    /// Every thread finished and the program's expectation (if any) holds.
    Finished,
    /// Every thread finished but the program's expectation is false (e.g. a lost update).
    WrongResult,
    /// A step found a bug (failed assertion, unlock not held, ...).
    Failed(Failure),
    /// Some thread has not finished and none can move.
    Deadlock,
}

impl Outcome {
    /// Whether the run is over.
    pub fn is_terminal(self) -> bool {
        self != Outcome::Running
    }

    /// Whether the run ended in a bug: wrong result, failure or deadlock.
    pub fn is_failure(self) -> bool {
        matches!(self, Outcome::WrongResult | Outcome::Failed(_) | Outcome::Deadlock)
    }
}

/// Why a thread cannot move.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Blocked {
    /// Its next move takes `lock`, which `holder` holds (possibly itself).
    Lock {
        /// The lock wanted.
        lock: String,
        /// The thread holding it.
        holder: ThreadId,
    },
    /// It is in the wait set of `condition` until notified.
    Condition {
        /// The condition waited on.
        condition: String,
    },
}

/// One edge of a wait-for cycle: `thread` wants `lock`, which `holder` holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WaitEdge {
    /// The blocked thread.
    pub thread: ThreadId,
    /// The lock it wants.
    pub lock: String,
    /// The thread holding that lock (the next edge's `thread`).
    pub holder: ThreadId,
}

impl State {
    /// Where the run stands; see [`Outcome`].
    pub fn outcome(&self) -> Outcome {
        if let Some(f) = self.failure {
            return Outcome::Failed(f);
        }
        if self.threads.iter().all(|t| t.status == ThreadStatus::Done) {
            let holds = self.program.expected.as_ref().is_none_or(|e| self.test(None, e));
            return if holds { Outcome::Finished } else { Outcome::WrongResult };
        }
        if self.enabled_threads().is_empty() { Outcome::Deadlock } else { Outcome::Running }
    }

    /// Some thread is unfinished, no failure stopped the program, and no thread can move.
    pub fn is_deadlocked(&self) -> bool {
        self.outcome() == Outcome::Deadlock
    }

    /// Why `thread` cannot move, or `None` if it can (or is done, or does not exist).
    pub fn blocked_on(&self, thread: ThreadId) -> Option<Blocked> {
        let t = self.threads.get(thread)?;
        if let ThreadStatus::Waiting { condition } = t.status {
            let condition = self.program.conditions[condition].name.clone();
            return Some(Blocked::Condition { condition });
        }
        if t.status == ThreadStatus::Done {
            return None;
        }
        let lock = self.wanted_lock(thread)?;
        let holder = self.owners[lock]?;
        Some(Blocked::Lock { lock: self.program.locks[lock].clone(), holder })
    }

    /// A cycle of threads each wanting a lock the next one holds, starting at its smallest
    /// thread id; `None` if there is none. A thread re-locking its own lock is a cycle of one.
    pub fn wait_for_cycle(&self) -> Option<Vec<WaitEdge>> {
        (0..self.threads.len()).find_map(|start| {
            let mut path: Vec<WaitEdge> = Vec::new();
            let mut current = start;
            while let Some(Blocked::Lock { lock, holder }) = self.blocked_on(current) {
                path.push(WaitEdge { thread: current, lock, holder });
                if let Some(i) = path.iter().position(|e| e.thread == holder) {
                    let mut cycle = path.split_off(i);
                    let first = (0..cycle.len()).min_by_key(|&k| cycle[k].thread)?;
                    cycle.rotate_left(first);
                    return Some(cycle);
                }
                current = holder;
            }
            None
        })
    }
}
