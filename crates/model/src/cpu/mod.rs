//! Models behind the "CPU lab": why single cores stopped getting faster, and what cores do instead.
//!
//! The lesson argues from physics and data to the architecture every later lab assumes, so each
//! step is a model the student can push on:
//!
//! - [`power`]: dynamic and leakage power and the alpha-power law for the highest clock a voltage
//!   allows, so a clock bump visibly costs roughly cubic power; [`banias`] anchors it on a real
//!   chip's DVFS table and TDP; [`budget`] shows why, at the same watts, two slower cores can
//!   beat one fast core, but only as far as Amdahl's serial share lets them.
//! - [`trends`]: the real 50-year microprocessor data (transistors, single-thread SpecINT, clock,
//!   power, logical cores) with least-squares doubling times, so the "end of frequency scaling"
//!   and "cores double every 18–24 months" claims are checked against measurements, not taken
//!   on faith.
//! - [`superscalar`]: a deterministic cycle-by-cycle issue simulator showing where
//!   instruction-level parallelism runs out (dependencies, units, window) long before the issue
//!   width does.
//! - [`smt`]: two hardware threads sharing that core, to measure when hyper-threading fills idle
//!   issue slots and when it cannot help.

pub mod banias;
pub mod budget;
pub mod power;
pub mod smt;
pub mod superscalar;
pub mod trends;
