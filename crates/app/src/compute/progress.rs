//! How often a running job tells the page how far it is.
//!
//! Every progress report re-renders the lesson on the page's main thread, and on a machine with
//! as many cores as the run uses, that CPU time comes out of the run being measured. On this
//! project's 2-core machine, reports at 10 Hz made 2-thread runs about 7 % slower in Chromium
//! (mandelbrot's wasm/native scaling ratio 0.93 against 0.99 with no reports; issue #16).
//! Twice a second still moves a progress bar and costs a fifth of that.

/// The least time between two progress reports, in milliseconds.
pub const PROGRESS_EVERY_MS: f64 = 500.0;

/// Lets a report through at most every [`PROGRESS_EVERY_MS`]; the first one at once.
#[derive(Clone, Copy, Debug, Default)]
pub struct ProgressGate {
    last_ms: Option<f64>,
}

impl ProgressGate {
    /// A gate that has sent nothing yet.
    pub const fn new() -> Self {
        ProgressGate { last_ms: None }
    }

    /// Whether a report may go out at `now_ms` (and if so, counts it as sent).
    pub fn due(&mut self, now_ms: f64) -> bool {
        if self.last_ms.is_some_and(|last| now_ms - last < PROGRESS_EVERY_MS) {
            return false;
        }
        self.last_ms = Some(now_ms);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_report_goes_out_then_at_most_one_per_interval() {
        let mut gate = ProgressGate::default();
        let sent: Vec<f64> =
            (0..30).map(|i| f64::from(i) * 100.0).filter(|&t| gate.due(t)).collect();
        assert_eq!(sent, [0.0, 500.0, 1000.0, 1500.0, 2000.0, 2500.0]);
    }

    #[test]
    fn a_clock_that_goes_back_does_not_flood() {
        let mut gate = ProgressGate::default();
        assert!(gate.due(1000.0));
        assert!(!gate.due(900.0));
        assert!(!gate.due(1499.0));
        assert!(gate.due(1500.0));
    }
}
