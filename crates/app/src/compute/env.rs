//! Which execution mode this page can use, decided once at start-up.
//!
//! - `threads`: the page is cross-origin isolated, so one compute worker owns a rayon pool whose
//!   Web Workers share one wasm memory (SharedArrayBuffer).
//! - `workers`: no isolation (e.g. embedded in course notes without COOP/COEP). Several workers,
//!   each with its own wasm instance and memory, get chunks by message passing: still real
//!   parallelism, with the messaging cost included in the timings.
//! - `single`: one worker, no parallelism (forced, or a pool of one).

use serde::{Deserialize, Serialize};

/// Upper bound on the pool size a URL may ask for.
pub const MAX_POOL: usize = 64;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    Threads,
    Workers,
    Single,
}

impl Mode {
    pub fn name(self) -> &'static str {
        match self {
            Mode::Threads => "threads",
            Mode::Workers => "workers",
            Mode::Single => "single",
        }
    }

    pub fn parse(s: &str) -> Option<Mode> {
        [Mode::Threads, Mode::Workers, Mode::Single].into_iter().find(|m| m.name() == s)
    }
}

/// What the browser offers, read once.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Browser {
    pub cross_origin_isolated: bool,
    pub shared_array_buffer: bool,
    /// `navigator.hardwareConcurrency` (logical cores; some browsers clamp or randomise it).
    pub cores: usize,
}

/// The chosen mode and pool size, with the reason in words.
#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    pub mode: Mode,
    pub pool: usize,
    pub reason: String,
    /// Notes about URL values that were changed (shown to the user).
    pub notes: Vec<String>,
}

/// Decides the mode from the browser and the `mode=` / `pool=` URL overrides (already parsed
/// and clamped; `pool` is `None` when absent).
pub fn plan(browser: Browser, forced: Option<Mode>, pool: Option<usize>) -> Plan {
    let mut notes = Vec::new();
    let pool = pool.unwrap_or(browser.cores).clamp(1, MAX_POOL);
    let can_share = browser.cross_origin_isolated && browser.shared_array_buffer;
    let (mode, reason) = match forced {
        Some(Mode::Threads) if !can_share => {
            notes.push("mode=threads needs a cross-origin isolated page; using workers.".into());
            (Mode::Workers, not_isolated())
        }
        Some(Mode::Single) => (Mode::Single, "forced by mode=single".to_string()),
        Some(m) if pool == 1 && m != Mode::Single => {
            (Mode::Single, "pool of one thread: nothing to run in parallel".into())
        }
        Some(m) => (m, format!("forced by mode={}", m.name())),
        None if pool == 1 => {
            (Mode::Single, "pool of one thread: nothing to run in parallel".into())
        }
        None if can_share => (
            Mode::Threads,
            "cross-origin isolated: a rayon pool on Web Workers sharing one memory".into(),
        ),
        None => (Mode::Workers, not_isolated()),
    };
    Plan { mode, pool: if mode == Mode::Single { 1 } else { pool }, reason, notes }
}

fn not_isolated() -> String {
    "not cross-origin isolated (no SharedArrayBuffer): separate workers exchange messages".into()
}

#[cfg(test)]
mod tests {
    use super::*;

    const ISOLATED: Browser =
        Browser { cross_origin_isolated: true, shared_array_buffer: true, cores: 8 };
    const PLAIN: Browser =
        Browser { cross_origin_isolated: false, shared_array_buffer: false, cores: 4 };

    #[test]
    fn modes() {
        assert_eq!(plan(ISOLATED, None, None).mode, Mode::Threads);
        assert_eq!(plan(ISOLATED, None, None).pool, 8);
        assert_eq!(plan(PLAIN, None, None).mode, Mode::Workers);
        let p = plan(PLAIN, Some(Mode::Threads), Some(200));
        assert_eq!((p.mode, p.pool, p.notes.len()), (Mode::Workers, 64, 1));
        assert_eq!(plan(ISOLATED, None, Some(1)).mode, Mode::Single);
        assert_eq!(plan(ISOLATED, Some(Mode::Single), None).pool, 1);
    }
}
