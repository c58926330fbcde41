//! The interleaving explorer of the Races, Locks and Deadlocks lesson: the learner plays the
//! scheduler (as in The Deadlock Empire), and the model checks every choice they could have made.
//!
//! Why a model instead of real threads: a real race shows up once in a million runs and never
//! twice the same way, which is useless for teaching. Here a [`Program`] is a few threads of
//! atomic steps, a [`State`] advances by running one step of a chosen thread, so any schedule
//! replays exactly and undo is just keeping the previous state. The same [`State::step`] drives
//! [`explore`], which turns "it worked when I tried" into "k of n schedules fail, here is the
//! shortest": correctness is a property of all interleavings, not of the one you happened to get.
//! The [`presets`] pair each classic bug (lost update, check-then-act, lock-order deadlock, the
//! `if`-instead-of-`while` wait, the missing notify) with its one-line fix.

mod diagnosis;
mod explore;
mod expr;
mod presets;
mod program;
mod state;

#[cfg(test)]
mod explore_tests;
#[cfg(test)]
mod tests;

pub use diagnosis::{Blocked, Outcome, WaitEdge};
pub use explore::{
    Exploration, Limits, OutcomeSummary, count_schedules_without_reduction, explore,
};
pub use expr::{Cmp, Cond, Expr, Operand};
pub use presets::{Preset, preset, presets};
pub use program::{Condition, Program, ProgramError, Step, Thread, WaitGuard};
pub use state::{Failure, FailureKind, State, StepError, ThreadId, ThreadState, ThreadStatus};
