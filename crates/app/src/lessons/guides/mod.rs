//! "For instructors": per lesson, learning goals, questions to ask the class, typical results on
//! 2-, 4- and 8-core machines and the embed options, as data in one place (one file per lesson
//! here), shown by the host as a folded panel (`data-testid="guide"`) and collected in
//! `docs/teaching.md`, which a test generates from the same data.
//!
//! Why honest columns: this project is measured on a 2-core VM, so only the 2-core numbers are
//! measurements (from `BENCHMARKS.md`). The 4- and 8-core columns are computed here from the
//! model — Amdahl's law with the serial share 1 − p that the 2-core measurement implies
//! (Karp–Flatt) — or are published values with their source, and they say which.

mod amdahl;
mod compare;
mod cpu;
mod gil;
mod machine;
mod overview;
mod races;
mod serial;
mod simd;
#[cfg(test)]
mod tests;
mod view;

pub use view::panel;

use parlab_model::amdahl::{karp_flatt, speedup as amdahl_speedup};

/// What an instructor needs for one lesson.
pub struct Guide {
    /// What students should be able to say or do afterwards.
    pub goals: &'static [&'static str],
    /// Questions to ask the class (before and after running).
    pub questions: &'static [&'static str],
    /// Typical results on machines of 2, 4 and 8 cores.
    pub typical: &'static [Typical],
    /// Ready-made embed queries (appended to `#/<route>?embed=1&`) and what each gives.
    pub embeds: &'static [Embed],
}

/// One line of the typical-results table.
pub enum Typical {
    /// A measured speedup on 2 cores (`t1_ms` → `t2_ms`, medians from `source`); the 4- and
    /// 8-core columns are Amdahl's law with the serial share that speedup implies.
    Scaling { what: &'static str, t1_ms: f64, t2_ms: f64, source: &'static str },
    /// Computed from a model for each core count of [`CORES`] (nothing measured).
    Model { what: &'static str, cell: fn(usize) -> String, basis: &'static str },
    /// Values given as text: what each column is based on is in `basis`.
    Text { what: &'static str, cores: [&'static str; 3], basis: &'static str },
}

/// An embed example: the query after `embed=1&` and what it shows.
pub struct Embed {
    pub query: &'static str,
    pub gives: &'static str,
}

/// The core counts of the typical-results columns.
pub const CORES: [usize; 3] = [2, 4, 8];

/// A typical-results line as the cells to show: what, 2, 4, 8 cores, basis.
pub struct Cells {
    pub what: &'static str,
    pub cores: [String; 3],
    pub basis: String,
}

impl Typical {
    /// The cells of this line; scaling lines compute their 4- and 8-core columns.
    pub fn cells(&self) -> Cells {
        match self {
            Typical::Text { what, cores, basis } => {
                Cells { what, cores: cores.map(str::to_string), basis: basis.to_string() }
            }
            Typical::Model { what, cell, basis } => {
                Cells { what, cores: CORES.map(cell), basis: basis.to_string() }
            }
            Typical::Scaling { what, t1_ms, t2_ms, source } => {
                let s2 = t1_ms / t2_ms;
                let serial = serial_share(s2);
                let expected = |n: f64| amdahl_speedup(1.0 - serial, n);
                Cells {
                    what,
                    cores: [
                        format!("{s2:.2}× (measured: {t1_ms:.0} → {t2_ms:.0} ms)"),
                        format!("≈ {:.1}× (expected)", expected(4.0)),
                        format!("≈ {:.1}× (expected)", expected(8.0)),
                    ],
                    basis: format!(
                        "2 cores: {source}. 4 and 8 cores: Amdahl's law with the serial share \
                         1 − p = {:.3} that the 2-core speedup implies (Karp–Flatt); real machines \
                         also lose to memory bandwidth and clock limits, so read them as upper \
                         estimates.",
                        serial
                    ),
                }
            }
        }
    }
}

/// The serial share 1 − p a 2-core speedup implies (Karp–Flatt), kept within 0..=1.
pub fn serial_share(speedup_2: f64) -> f64 {
    karp_flatt(speedup_2, 2.0).unwrap_or(1.0).clamp(0.0, 1.0)
}

/// The guide of the lesson at `route` (every registered lesson has one; a test checks).
pub fn for_route(route: &str) -> Option<&'static Guide> {
    Some(match route {
        "" => &overview::GUIDE,
        "serial" => &serial::GUIDE,
        "amdahl" => &amdahl::GUIDE,
        "cpu" => &cpu::GUIDE,
        "gil" => &gil::GUIDE,
        "races" => &races::GUIDE,
        "simd" => &simd::GUIDE,
        "machine" => &machine::GUIDE,
        "compare" => &compare::GUIDE,
        _ => return None,
    })
}

/// What every lesson can do when embedded (from the registry: its sections, its keys).
pub const EMBED_BASICS: &str = "Embed with an iframe on `index.html#/<route>?embed=1` (or \
    `embed.html`, which asks for cross-origin isolation inside your notes). `section=<id>` shows one \
    part; `lock=<keys>` shows those controls read-only and `hide=<keys>` hides them (`all` for every \
    key); `run=1` starts the measured run as soon as the workers are ready. The page's Embed dialog \
    builds these links; `docs/url-keys.md` lists every key.";
