//! Per-thread timelines (the Gantt chart) recorded from real timestamps.
//!
//! Why contiguous segments: every thread is always doing exactly one thing, so the recorder
//! keeps one open segment and each transition takes a single clock reading that ends one
//! segment and starts the next. Under the GIL the reading that starts `Running` is taken
//! after the lock is acquired and the one that ends it before it is released, so `Running`
//! segments of different threads never overlap: the chart shows the lock, not an estimate.

use serde::{Deserialize, Serialize};

use crate::schedule::Clock;

/// What a thread is doing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Activity {
    /// Executing bytecode (holding the GIL, in GIL mode).
    Running,
    /// Blocked until the GIL is handed to it.
    WaitGil,
    /// In a blocking I/O wait (GIL released).
    Io,
    /// In a native C-library call (GIL released).
    Native,
}

impl Activity {
    /// Every activity, in legend order.
    pub const ALL: [Activity; 4] =
        [Activity::Running, Activity::WaitGil, Activity::Io, Activity::Native];
}

/// One bar of the chart, in ms since the run started.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Segment {
    /// What the thread was doing.
    pub activity: Activity,
    /// Start, ms since the run started.
    pub start_ms: f64,
    /// End, ms since the run started (the next segment, if any, starts here).
    pub end_ms: f64,
}

/// Records one thread's segments.
pub struct Recorder<'c> {
    clock: &'c dyn Clock,
    t0: f64,
    open: Option<(Activity, f64)>,
    segments: Vec<Segment>,
}

impl<'c> Recorder<'c> {
    /// A recorder with no open segment; times are reported relative to `t0`.
    pub fn new(clock: &'c dyn Clock, t0: f64) -> Self {
        Recorder { clock, t0, open: None, segments: Vec::new() }
    }

    /// Ends the open segment now and opens `next` (or nothing). Empty segments are dropped
    /// and a segment that continues the previous activity extends it.
    pub fn switch(&mut self, next: Option<Activity>) {
        let now = self.clock.now_ms() - self.t0;
        if let Some((activity, start_ms)) = self.open.take() {
            match self.segments.last_mut() {
                Some(last) if last.activity == activity && last.end_ms == start_ms => {
                    last.end_ms = now;
                }
                _ if now > start_ms => {
                    self.segments.push(Segment { activity, start_ms, end_ms: now });
                }
                _ => {}
            }
        }
        self.open = next.map(|a| (a, now));
    }

    /// Closes the open segment and returns the timeline.
    pub fn finish(mut self) -> Vec<Segment> {
        self.switch(None);
        self.segments
    }
}

/// Whether segments are ordered and do not overlap (each starts at or after the previous end).
pub fn is_well_formed(segments: &[Segment]) -> bool {
    segments.iter().all(|s| s.start_ms <= s.end_ms)
        && segments.windows(2).all(|w| w[0].end_ms <= w[1].start_ms)
}

/// Total time spent in `activity`.
pub fn total_ms(segments: &[Segment], activity: Activity) -> f64 {
    segments.iter().filter(|s| s.activity == activity).map(|s| s.end_ms - s.start_ms).sum()
}

/// The most timelines that were in `activity` at the same instant.
pub fn max_overlap<'a>(
    timelines: impl IntoIterator<Item = &'a [Segment]>,
    activity: Activity,
) -> usize {
    let mut edges: Vec<(f64, i32)> = timelines
        .into_iter()
        .flatten()
        .filter(|s| s.activity == activity)
        .flat_map(|s| [(s.start_ms, 1), (s.end_ms, -1)])
        .collect();
    // Ends sort before starts at the same instant: touching bars do not overlap.
    edges.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let (mut now, mut max) = (0i32, 0i32);
    for (_, d) in edges {
        now += d;
        max = max.max(now);
    }
    max as usize
}
