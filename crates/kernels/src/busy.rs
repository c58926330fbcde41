//! How busy each thread was during one measured run, computed from its chunk records.
//!
//! The die view lights a logical CPU by how much of the run's wall time its thread spent
//! computing. That number must come from the measurement itself (the chunk start/end times
//! every run records), never from a drawing, and it must be honest: a thread is busy at most
//! the whole wall, idle gaps count as idle, and a malformed record cannot make a thread look
//! more than 100 % busy. The same intervals drive a replay (busy or idle at time `t`).
//! Pure and web-free so it is unit-tested natively.

use crate::{ChunkRecord, RunOutcome};

/// One thread's measured activity in a run.
#[derive(Clone, Debug, PartialEq)]
pub struct ThreadBusy {
    /// The thread index the run recorded (rayon pool index, or worker index in `workers` mode).
    pub thread: usize,
    /// Disjoint, sorted `(start_ms, end_ms)` intervals of work, clipped to `0..=wall_ms`.
    pub intervals: Vec<(f64, f64)>,
    /// Chunks this thread computed.
    pub chunks: usize,
    /// Whether it also ran the run's serial section.
    pub serial: bool,
}

impl ThreadBusy {
    /// Total busy time, milliseconds (the intervals are disjoint, so this never exceeds the wall).
    pub fn busy_ms(&self) -> f64 {
        self.intervals.iter().map(|(a, b)| b - a).sum()
    }

    /// Whether the thread was working at time `t_ms` (intervals are half-open: `[start, end)`).
    pub fn busy_at(&self, t_ms: f64) -> bool {
        self.intervals.iter().any(|&(a, b)| a <= t_ms && t_ms < b)
    }

    /// Busy time from the start of the run up to `t_ms`, milliseconds.
    pub fn busy_until(&self, t_ms: f64) -> f64 {
        self.intervals.iter().map(|&(a, b)| (b.min(t_ms) - a).max(0.0)).sum()
    }
}

/// Every thread's activity over one run's wall time.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Busy {
    /// Wall time of the run, milliseconds (0 if the record had none).
    pub wall_ms: f64,
    /// One entry per thread that did any work, sorted by thread index.
    pub threads: Vec<ThreadBusy>,
}

impl Busy {
    /// The activity of `outcome`: its chunks, plus its serial section (work too, on one thread).
    pub fn of(outcome: &RunOutcome) -> Busy {
        let serial =
            (outcome.serial_ms > 0.0).then_some((outcome.serial_thread, outcome.serial_ms));
        Busy::from_parts(outcome.wall_ms, serial, &outcome.chunks)
    }

    /// The activity from raw parts: wall time, an optional serial section `(thread, ms)` that
    /// starts at 0, and chunk records. Records that are not finite, end before they start or
    /// lie outside `0..=wall_ms` are clipped to the wall (or dropped when nothing remains).
    pub fn from_parts(wall_ms: f64, serial: Option<(usize, f64)>, chunks: &[ChunkRecord]) -> Busy {
        let wall_ms = if wall_ms.is_finite() { wall_ms.max(0.0) } else { 0.0 };
        let mut raw: Vec<(usize, f64, f64, bool)> = chunks
            .iter()
            .map(|c| (c.thread, c.start_ms, c.end_ms, false))
            .chain(serial.map(|(t, ms)| (t, 0.0, ms, true)))
            .collect();
        raw.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
        let mut threads: Vec<ThreadBusy> = Vec::new();
        for (thread, start, end, is_serial) in raw {
            if threads.last().is_none_or(|t| t.thread != thread) {
                threads.push(ThreadBusy {
                    thread,
                    intervals: Vec::new(),
                    chunks: 0,
                    serial: false,
                });
            }
            let Some(t) = threads.last_mut() else { continue };
            if is_serial {
                t.serial = true;
            } else {
                t.chunks += 1;
            }
            if !(start.is_finite() && end.is_finite()) {
                continue;
            }
            let (a, b) = (start.clamp(0.0, wall_ms), end.clamp(0.0, wall_ms));
            if b <= a {
                continue;
            }
            // Sorted by start: merge with the previous interval when they touch or overlap.
            match t.intervals.last_mut() {
                Some(last) if a <= last.1 => last.1 = last.1.max(b),
                _ => t.intervals.push((a, b)),
            }
        }
        Busy { wall_ms, threads }
    }

    /// The activity of `thread`, if it did any work.
    pub fn thread(&self, thread: usize) -> Option<&ThreadBusy> {
        self.threads.iter().find(|t| t.thread == thread)
    }

    /// Busy share of the wall time for `thread` (0 when it did nothing or the wall is 0).
    pub fn fraction(&self, thread: usize) -> f64 {
        match self.thread(thread) {
            Some(t) if self.wall_ms > 0.0 => (t.busy_ms() / self.wall_ms).clamp(0.0, 1.0),
            _ => 0.0,
        }
    }

    /// Busy fractions for threads `0..n` (index = thread), zeros for idle threads.
    pub fn fractions(&self, n: usize) -> Vec<f64> {
        (0..n).map(|t| self.fraction(t)).collect()
    }

    /// Sum of all threads' busy time, milliseconds (≤ threads × wall).
    pub fn total_busy_ms(&self) -> f64 {
        self.threads.iter().map(ThreadBusy::busy_ms).sum()
    }

    /// The highest thread index that did work, plus one (0 when none did).
    pub fn span(&self) -> usize {
        self.threads.last().map_or(0, |t| t.thread + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(chunk: usize, thread: usize, start_ms: f64, end_ms: f64) -> ChunkRecord {
        ChunkRecord { chunk, thread, start_ms, end_ms }
    }

    #[test]
    fn empty_run_is_idle() {
        let b = Busy::from_parts(0.0, None, &[]);
        assert!(b.threads.is_empty());
        assert_eq!(b.fraction(0), 0.0);
        assert_eq!(b.fractions(3), vec![0.0; 3]);
        assert_eq!(b.span(), 0);
        let b = Busy::from_parts(10.0, None, &[]);
        assert_eq!(b.total_busy_ms(), 0.0);
    }

    #[test]
    fn two_threads_sum_their_chunks() {
        let chunks =
            [rec(0, 0, 0.0, 4.0), rec(1, 1, 0.5, 3.0), rec(2, 0, 4.0, 9.0), rec(3, 1, 5.0, 6.0)];
        let b = Busy::from_parts(10.0, None, &chunks);
        assert_eq!(b.threads.len(), 2);
        // Thread 0: 0–4 and 4–9 touch, so they merge into one interval.
        assert_eq!(b.thread(0).unwrap().intervals, vec![(0.0, 9.0)]);
        assert_eq!(b.thread(0).unwrap().chunks, 2);
        assert!((b.fraction(0) - 0.9).abs() < 1e-12);
        assert!((b.fraction(1) - 0.35).abs() < 1e-12);
        assert!((b.total_busy_ms() - 12.5).abs() < 1e-12);
        assert_eq!(b.fractions(3)[2], 0.0);
        assert_eq!(b.span(), 2);
    }

    #[test]
    fn busy_never_exceeds_the_wall() {
        // Overlapping, out-of-range, reversed and NaN records must not inflate anything.
        let chunks = [
            rec(0, 3, -5.0, 6.0),
            rec(1, 3, 2.0, 8.0),
            rec(2, 3, 7.0, 50.0),
            rec(3, 3, 4.0, 1.0),
            rec(4, 3, f64::NAN, 2.0),
        ];
        let b = Busy::from_parts(10.0, None, &chunks);
        let t = b.thread(3).unwrap();
        assert_eq!(t.intervals, vec![(0.0, 10.0)]);
        assert_eq!(t.chunks, 5);
        assert_eq!(b.fraction(3), 1.0);
        assert!(t.busy_ms() <= b.wall_ms);
        let b = Busy::from_parts(f64::NAN, None, &chunks);
        assert_eq!(b.wall_ms, 0.0);
        assert_eq!(b.fraction(3), 0.0);
    }

    #[test]
    fn serial_section_is_work_on_its_thread() {
        let out = RunOutcome {
            value: 0,
            wall_ms: 20.0,
            serial_ms: 5.0,
            serial_thread: 1,
            chunks: vec![rec(0, 0, 5.0, 20.0), rec(1, 1, 5.0, 15.0)],
        };
        let b = Busy::of(&out);
        let t1 = b.thread(1).unwrap();
        assert!(t1.serial);
        assert_eq!(t1.intervals, vec![(0.0, 15.0)]);
        assert!((b.fraction(1) - 0.75).abs() < 1e-12);
        assert!(!b.thread(0).unwrap().serial);
        assert!((b.fraction(0) - 0.75).abs() < 1e-12);
    }

    #[test]
    fn replay_at_time_t() {
        let b = Busy::from_parts(10.0, None, &[rec(0, 0, 1.0, 3.0), rec(1, 0, 6.0, 8.0)]);
        let t = b.thread(0).unwrap();
        assert!(!t.busy_at(0.5));
        assert!(t.busy_at(1.0));
        assert!(!t.busy_at(3.0), "half-open");
        assert!(t.busy_at(7.0));
        assert_eq!(t.busy_until(0.0), 0.0);
        assert_eq!(t.busy_until(2.0), 1.0);
        assert_eq!(t.busy_until(7.0), 3.0);
        assert_eq!(t.busy_until(100.0), t.busy_ms());
    }

    #[test]
    fn real_run_fractions_are_sane() {
        use crate::primes::Primes;
        use crate::schedule::{RunConfig, RunControl, Schedule, run_on_pool};
        let start = std::time::Instant::now();
        let clock = move || start.elapsed().as_secs_f64() * 1e3;
        let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
        let config = RunConfig { threads: 2, schedule: Schedule::Dynamic, serial_iters: 0 };
        let k = Primes::new(200_000, 16);
        let out = pool.install(|| run_on_pool(&k, config, &clock, &RunControl::default())).unwrap();
        let b = Busy::of(&out);
        assert_eq!(b.threads.iter().map(|t| t.chunks).sum::<usize>(), 16);
        for t in &b.threads {
            let f = b.fraction(t.thread);
            assert!(f > 0.0 && f <= 1.0, "thread {} busy {f}", t.thread);
        }
        assert!(b.total_busy_ms() <= 2.0 * b.wall_ms + 1e-9);
    }
}
