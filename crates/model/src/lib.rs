//! Pure models behind parlab's lessons: Amdahl's law and its companions, a least-squares fit of
//! the parallel share, Hill & Marty's multicore designs, and timing statistics.
//!
//! The crate has no web dependency (no `web-sys`, no `wasm-bindgen`) on purpose: formulas are the
//! part of the lab that must be right, so they live where `cargo test` runs them natively in
//! milliseconds, property tests included, and the browser UI and the native benchmark share one
//! implementation instead of two that can drift apart.

pub mod amdahl;
pub mod cpu;
pub mod fit;
pub mod hill_marty;
pub mod interleave;
pub mod stats;

pub use fit::{AmdahlFit, fit_amdahl};
