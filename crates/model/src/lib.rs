//! Pure models behind parlab's lessons: formulas and statistics with no web dependencies, so
//! they test natively in milliseconds and the browser and the native benchmark share them.

pub mod amdahl;
pub mod stats;
