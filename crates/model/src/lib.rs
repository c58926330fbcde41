//! Pure models behind parlab's lessons: Amdahl's law and its companions, a least-squares fit of
//! the parallel share, Hill & Marty's multicore designs, and timing statistics.
//!
//! The crate has no web dependency (no `web-sys`, no `wasm-bindgen`) on purpose: formulas are the
//! part of the lab that must be right, so they live where `cargo test` runs them natively in
//! milliseconds, property tests included, and the browser UI and the native benchmark share one
//! implementation instead of two that can drift apart.
//!
//! Each formula's documentation writes it out, cites its source and, in a doctest, checks the
//! code against a value published in that source (Amdahl 1967, Gustafson 1988, Hill & Marty
//! 2008, Intel's SpeedStep table, …) where one exists.

#![warn(missing_docs)]

pub mod amdahl;
pub mod cpu;
pub mod fit;
pub mod hill_marty;
pub mod interleave;
pub mod stats;

pub use fit::{AmdahlFit, fit_amdahl};
