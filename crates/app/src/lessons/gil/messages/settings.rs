//! The message-passing section's URL state: `msg_max` (a size such as `16M`, a power of two
//! from 1 KiB to 64 MiB) and `msg_reps`, read with clamping notes and written back without
//! touching any other key of the lesson's URL.

use crate::params::{self, Lim, Param};
use crate::url::Query;

/// The largest buffer sizes offered in the selector.
pub const MAX_CHOICES: [u64; 5] = [1 << 18, 1 << 20, 1 << 22, 1 << 24, 1 << 26];
/// The smallest `msg_max`.
pub const MIN_BYTES: u64 = 1 << 10;
/// The largest `msg_max`.
pub const MAX_BYTES: u64 = 1 << 26;
/// `msg_max` when the URL has none.
pub const DEFAULT_MAX: u64 = 1 << 24;

const MSG_MAX: Param = params::custom(
    "msg_max",
    "16M",
    "a power of two from 1K to 64M (others rounded down or clamped)",
    "Largest buffer sent.",
)
.control("[data-testid=\"msg-max\"]");
const MSG_REPS: Param =
    params::int("msg_reps", "5", Lim::N(1), Lim::N(20), "Timed rounds per size and method.")
        .control("[data-testid=\"msg-reps\"]");
/// `msg_run=1`: measure once the compute workers have started.
pub const MSG_RUN: Param =
    params::flag("msg_run", "0", "1: measure message passing once the workers have started.")
        .action();

/// The section's parameters.
pub const PARAMS: [Param; 3] = [MSG_MAX, MSG_REPS, MSG_RUN];

/// This section's URL state.
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    /// Largest buffer sent (a power of two, 1 KiB ..= 64 MiB).
    pub max_bytes: u64,
    /// Timed repetitions per size and method.
    pub reps: usize,
}

/// `16M`, `256K`, `4096`, `1MiB` → bytes; anything else is `None`.
pub fn parse_size(raw: &str) -> Option<u64> {
    let s = raw.trim().to_ascii_uppercase();
    let s = s.trim_end_matches("IB").trim_end_matches('B');
    let (digits, unit) = match s.char_indices().last()? {
        (i, 'K') => (&s[..i], 1u64 << 10),
        (i, 'M') => (&s[..i], 1 << 20),
        (i, 'G') => (&s[..i], 1 << 30),
        _ => (s, 1),
    };
    digits.trim().parse::<u64>().ok()?.checked_mul(unit)
}

/// Bytes as the URL writes them: `16M`, `256K`, or plain digits.
pub fn size_param(bytes: u64) -> String {
    if bytes >= 1 << 20 && bytes.is_multiple_of(1 << 20) {
        format!("{}M", bytes >> 20)
    } else if bytes >= 1 << 10 && bytes.is_multiple_of(1 << 10) {
        format!("{}K", bytes >> 10)
    } else {
        bytes.to_string()
    }
}

impl Settings {
    /// Reads `msg_max` and `msg_reps`, clamping with a note.
    pub fn read(q: &Query, notes: &mut Vec<String>) -> Settings {
        let max_bytes = match MSG_MAX.raw(q) {
            None => DEFAULT_MAX,
            Some(raw) => match parse_size(raw) {
                None => {
                    notes.push(format!("msg_max={raw} is not a size like 16M; using 16M."));
                    DEFAULT_MAX
                }
                Some(v) => {
                    let clamped = v.clamp(MIN_BYTES, MAX_BYTES);
                    let pow2 = 1u64 << (63 - clamped.leading_zeros());
                    if pow2 != v {
                        notes.push(format!(
                            "msg_max={raw} must be a power of two from 1K to 64M; using {}.",
                            size_param(pow2)
                        ));
                    }
                    pow2
                }
            },
        };
        Settings { max_bytes, reps: MSG_REPS.int(q, 1, notes) }
    }

    /// Writes this section's keys.
    pub fn write(&self, q: &mut Query) {
        MSG_MAX.put(q, size_param(self.max_bytes));
        MSG_REPS.put(q, self.reps);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_and_print() {
        assert_eq!(parse_size("16M"), Some(16 << 20));
        assert_eq!(parse_size("256k"), Some(256 << 10));
        assert_eq!(parse_size("1MiB"), Some(1 << 20));
        assert_eq!(parse_size("4096"), Some(4096));
        assert_eq!(parse_size("M"), None);
        assert_eq!(parse_size("lots"), None);
        assert_eq!(parse_size("99999999999G"), None);
        assert_eq!(size_param(16 << 20), "16M");
        assert_eq!(size_param(256 << 10), "256K");
        assert_eq!(size_param(100), "100");
    }

    #[test]
    fn settings_clamp_with_notes() {
        let mut notes = Vec::new();
        let s = Settings::read(&Query::parse("msg_max=1M&msg_reps=3"), &mut notes);
        assert_eq!(s, Settings { max_bytes: 1 << 20, reps: 3 });
        assert!(notes.is_empty());
        let s = Settings::read(&Query::parse("msg_max=1G&msg_reps=99"), &mut notes);
        assert_eq!(s, Settings { max_bytes: 1 << 26, reps: 20 });
        let s = Settings::read(&Query::parse("msg_max=3M"), &mut notes);
        assert_eq!(s.max_bytes, 2 << 20);
        let s = Settings::read(&Query::parse("msg_max=x"), &mut notes);
        assert_eq!(s.max_bytes, DEFAULT_MAX);
        let s = Settings::read(&Query::parse("msg_max=0"), &mut notes);
        assert_eq!(s.max_bytes, 1 << 10);
        assert_eq!(notes.len(), 5, "{notes:?}");
    }
}
