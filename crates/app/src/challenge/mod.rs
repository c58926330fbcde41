//! Challenges with win conditions (after The Deadlock Empire's levels): each lesson offers a
//! short ladder of goals — lose an update, reach a deadlock, prove a fix on every schedule, cap
//! a speedup with a serial share — that the page checks itself, on the learner's own explorer
//! state or on the real numbers of the run they just measured.
//!
//! Why one facility for every lesson: the rules (the explorer's ladder opens level by level,
//! progress survives a reload, a reset) and the look are the same everywhere, so a lesson only
//! hands its latest [`Evidence`] to [`Challenges`]. The win conditions ([`levels`]) are pure
//! functions of that evidence and are tested natively; [`progress`] is the stored state and
//! [`panel`] the small component around them.

mod evidence;
mod levels;
mod panel;
mod progress;
#[cfg(test)]
mod tests;

pub use evidence::{Evidence, ExplorerSnapshot, GilRun, SharingRun, SimdRun, SpeedupRun};
pub use panel::{Challenges, card_summary};
