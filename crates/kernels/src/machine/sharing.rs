//! False sharing: threads that share no data but share a cache line.
//!
//! **Why it happens.** Caches keep memory coherent per *line* (64 bytes on x86 and most ARM
//! cores, 128 on Apple's): before a core may write a byte it must own the whole line, and the
//! other cores' copies are invalidated (the MESI protocol). When two threads each increment
//! their *own* counter and the two counters sit in one line, every write steals the line from
//! the other core, and the line ping-pongs between their caches at the latency of a
//! cache-to-cache transfer (tens of ns) instead of staying in L1 (about 1 ns). Nothing is
//! shared logically; the hardware shares it anyway. The classic demonstration (e.g. Bolosky &
//! Scott 1993; every vendor's tuning guide) is exactly this experiment: per-thread counters
//! packed next to each other vs padded to their own lines.
//!
//! **How.** `k` tasks each add 1 to their own `AtomicU64` as a relaxed load and a relaxed store
//! ([`bump`]; it is `counts[t] += 1` in C, but the compiler must do every load and store, so it
//! cannot keep the counter in a register), for a fixed time (`run_ms`, 20 ms by default), and
//! count how many increments they did. A fixed time rather than a fixed count keeps a run long
//! enough for the threads to really overlap (a sub-millisecond run on a busy machine may run
//! the threads one after the other) and short however slow the sharing makes it. The result is
//! the time of one increment on one thread, ns. [`PackedCounters`] puts eight counters in one
//! 64-byte line; [`PaddedCounter`] gives each its own 128 bytes (two lines: Intel's
//! adjacent-line prefetcher pulls lines in pairs, and Apple's lines are 128 bytes). Slowdown =
//! packed time ÷ padded time.
//!
//! **The line size.** The stride sweep places the counters 8, 16, 32, … 256 bytes apart in a
//! 256-byte-aligned buffer. While the stride is below the line size some counters share a line
//! and the run is slow; from the line size on, each has its own and the time drops.
//! [`line_size`] (in [`super::knee`]) finds that knee.

use std::sync::atomic::{AtomicU64, Ordering};

use serde::{Deserialize, Serialize};

use super::knee::line_size;
use super::{Spread, counted, tick, together, usable_threads};
use crate::schedule::{Cancelled, Clock, RunControl};

/// Eight counters packed into one 64-byte cache line.
#[derive(Debug, Default)]
#[repr(C, align(64))]
pub struct PackedCounters(pub [AtomicU64; 8]);

/// One counter alone in 128 bytes (a pair of 64-byte lines).
#[derive(Debug, Default)]
#[repr(align(128))]
pub struct PaddedCounter(pub AtomicU64);

/// 256 bytes of counter slots, aligned to 256 (for the stride sweep).
#[derive(Debug, Default)]
#[repr(align(256))]
struct Block([AtomicU64; 32]);

/// Increments between two readings of the clock (µs of work uncontended, about a millisecond
/// when the line ping-pongs).
pub const BUMP_BLOCK: u64 = 16_384;

/// How the counters are laid out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Layout {
    /// [`PackedCounters`]: eight to a line.
    Packed,
    /// [`PaddedCounter`]: one per 128 bytes.
    Padded,
    /// Counters this many bytes apart (a multiple of 8, at most 256).
    Stride(usize),
}

/// What to measure.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SharingConfig {
    /// Thread counts for packed vs padded (clamped to the pool).
    pub threads: Vec<usize>,
    /// How long each run increments, ms.
    pub run_ms: f64,
    /// Rounds (each round runs every thread count, packed then padded, or every stride).
    pub reps: usize,
    /// Strides of the line-size sweep, bytes (multiples of 8 up to 256).
    pub strides: Vec<usize>,
    /// Threads in the stride sweep (at least 2 to see anything).
    pub stride_threads: usize,
}

impl SharingConfig {
    /// Powers of two up to `threads` and `threads` itself; 20 ms runs; 3 rounds; strides
    /// 8 … 256 on all threads.
    pub fn new(threads: usize) -> SharingConfig {
        let n = threads.max(1);
        let mut list: Vec<usize> = (0..).map(|i| 1 << i).take_while(|&k| k < n).collect();
        list.push(n);
        SharingConfig {
            threads: list,
            run_ms: 20.0,
            reps: 3,
            strides: vec![8, 16, 32, 64, 128, 256],
            stride_threads: n.max(2),
        }
    }

    /// Measurements, for progress.
    pub fn steps(&self) -> usize {
        self.reps.max(1) * (2 * self.threads.len() + self.strides.len())
    }
}

/// Packed vs padded at one thread count.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct SharingPoint {
    /// Threads, each with its own counter.
    pub threads: usize,
    /// One increment on one thread, packed, ns (fastest run).
    pub packed_ns: f64,
    /// The same, median run.
    pub median_packed_ns: f64,
    /// One increment on one thread, padded, ns (fastest run).
    pub padded_ns: f64,
    /// The same, median run.
    pub median_padded_ns: f64,
    /// `packed_ns / padded_ns` (fastest runs).
    pub slowdown: f64,
}

/// One stride of the line-size sweep.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct StridePoint {
    /// Bytes between neighbouring counters.
    pub stride_bytes: usize,
    /// One increment on one thread, ns (fastest run).
    pub ns: f64,
    /// The same, median run.
    pub median_ns: f64,
}

/// Both experiments.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SharingResult {
    /// Milliseconds each run incremented.
    pub run_ms: f64,
    /// Packed vs padded, per thread count (ascending).
    pub points: Vec<SharingPoint>,
    /// Threads in the stride sweep.
    pub stride_threads: usize,
    /// The stride sweep, ascending.
    pub strides: Vec<StridePoint>,
    /// The line size found by the sweep, bytes (`None` if no stride was slower).
    pub line_bytes: Option<usize>,
}

impl SharingResult {
    /// The slowdown at the most threads measured (`None` below 2 threads).
    pub fn slowdown(&self) -> Option<f64> {
        self.points.last().filter(|p| p.threads >= 2).map(|p| p.slowdown)
    }
}

/// `n` increments of `counter`, each a separate load and store (relaxed: no fence, but every
/// access happens).
#[inline(never)] // a function of its own, called often: see [`super`]
pub fn bump(counter: &AtomicU64, n: u64) {
    for _ in 0..n {
        let v = counter.load(Ordering::Relaxed);
        counter.store(v + 1, Ordering::Relaxed);
    }
}

/// What one run did.
#[derive(Clone, Debug, PartialEq)]
pub struct CounterRun {
    /// Wall time from the common start to the last thread's end, ms.
    pub ms: f64,
    /// Increments each thread did.
    pub increments: Vec<u64>,
    /// Each counter's final value (equal to `increments`: nobody else writes it).
    pub counts: Vec<u64>,
}

impl CounterRun {
    /// The average time of one increment on one thread, ns: wall time × threads ÷ increments.
    pub fn ns_per_increment(&self) -> f64 {
        let total: u64 = self.increments.iter().sum();
        if total == 0 { 0.0 } else { self.ms * 1e6 * self.increments.len() as f64 / total as f64 }
    }
}

/// One run: `threads` tasks each bump their own counter, laid out as `layout`, in blocks of
/// [`BUMP_BLOCK`] until `ms` have passed.
pub fn run_counters(layout: Layout, threads: usize, ms: f64, clock: &dyn Clock) -> CounterRun {
    let k = threads.max(1);
    let (packed, padded, blocks);
    let counters: Vec<&AtomicU64> = match layout {
        Layout::Packed => {
            packed = (0..k.div_ceil(8)).map(|_| PackedCounters::default()).collect::<Vec<_>>();
            (0..k).map(|t| &packed[t / 8].0[t % 8]).collect()
        }
        Layout::Padded => {
            padded = (0..k).map(|_| PaddedCounter::default()).collect::<Vec<_>>();
            padded.iter().map(|c| &c.0).collect()
        }
        Layout::Stride(stride) => {
            let slots = (stride / 8).clamp(1, 32);
            blocks = (0..(k * slots).div_ceil(32)).map(|_| Block::default()).collect::<Vec<_>>();
            (0..k).map(|t| &blocks[t * slots / 32].0[t * slots % 32]).collect()
        }
    };
    let (increments, wall) = together(counters.clone(), clock, |_, c| {
        let start = clock.now_ms();
        let mut done = 0;
        loop {
            bump(c, BUMP_BLOCK);
            done += BUMP_BLOCK;
            if clock.now_ms() - start >= ms {
                return done;
            }
        }
    });
    let counts = counters.iter().map(|c| c.load(Ordering::Relaxed)).collect();
    CounterRun { ms: wall, increments, counts }
}

/// Runs packed vs padded and the stride sweep on the current pool.
pub fn measure(
    config: &SharingConfig,
    clock: &dyn Clock,
    control: &RunControl,
) -> Result<SharingResult, Cancelled> {
    counted(control, config.steps(), || {
        let ks = usable_threads(&config.threads);
        let sk = usable_threads(&[config.stride_threads.max(2)])[0];
        let strides: Vec<usize> =
            config.strides.iter().map(|&s| (s / 8).clamp(1, 32) * 8).collect();
        let mut packed = vec![Vec::new(); ks.len()];
        let mut padded = vec![Vec::new(); ks.len()];
        let mut strided = vec![Vec::new(); strides.len()];
        let run = |layout, k| {
            let r = run_counters(layout, k, config.run_ms, clock);
            assert_eq!(r.counts, r.increments, "a private counter lost an update");
            r.ns_per_increment()
        };
        run_counters(Layout::Packed, *ks.last().unwrap_or(&1), config.run_ms / 4.0, clock); // warm-up
        for _ in 0..config.reps.max(1) {
            for (i, &k) in ks.iter().enumerate() {
                packed[i].push(run(Layout::Packed, k));
                tick(control)?;
                padded[i].push(run(Layout::Padded, k));
                tick(control)?;
            }
            for (i, &s) in strides.iter().enumerate() {
                strided[i].push(run(Layout::Stride(s), sk));
                tick(control)?;
            }
        }
        let mut points: Vec<SharingPoint> = ks
            .iter()
            .enumerate()
            .map(|(i, &threads)| {
                let (p, q) = (Spread::of(&packed[i]), Spread::of(&padded[i]));
                SharingPoint {
                    threads,
                    packed_ns: p.min,
                    median_packed_ns: p.median,
                    padded_ns: q.min,
                    median_padded_ns: q.median,
                    slowdown: p.min / q.min.max(1e-9),
                }
            })
            .collect();
        points.sort_by_key(|p| p.threads);
        let mut stride_points: Vec<StridePoint> = strides
            .iter()
            .zip(&strided)
            .map(|(&stride_bytes, t)| {
                let s = Spread::of(t);
                StridePoint { stride_bytes, ns: s.min, median_ns: s.median }
            })
            .collect();
        stride_points.sort_by_key(|p| p.stride_bytes);
        stride_points.dedup_by_key(|p| p.stride_bytes);
        let curve: Vec<(usize, f64)> =
            stride_points.iter().map(|p| (p.stride_bytes, p.ns)).collect();
        Ok(SharingResult {
            run_ms: config.run_ms,
            points,
            stride_threads: sk,
            line_bytes: if sk >= 2 { line_size(&curve) } else { None },
            strides: stride_points,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layouts_are_what_they_claim() {
        assert_eq!(std::mem::size_of::<PackedCounters>(), 64);
        assert_eq!(std::mem::align_of::<PackedCounters>(), 64);
        assert_eq!(std::mem::size_of::<PaddedCounter>(), 128);
        assert_eq!(std::mem::align_of::<Block>(), 256);
        let c = SharingConfig::new(6);
        assert_eq!(c.threads, [1, 2, 4, 6]);
        assert_eq!(SharingConfig::new(1).threads, [1]);
        assert_eq!(SharingConfig::new(4).threads, [1, 2, 4]);
    }

    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn every_private_counter_counts_every_increment() {
        use crate::machine::tests::{clock, pool};
        pool(3).install(|| {
            for layout in [Layout::Packed, Layout::Padded, Layout::Stride(8), Layout::Stride(256)] {
                for k in [1, 3, 9] {
                    let r = run_counters(layout, k, 0.5, &clock());
                    assert_eq!(r.counts, r.increments, "{layout:?} × {k}");
                    assert_eq!(r.increments.len(), k);
                    assert!(r.increments.iter().all(|&n| n > 0 && n % BUMP_BLOCK == 0));
                    assert!(r.ns_per_increment() > 0.0);
                }
            }
        });
    }

    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn a_small_run_reports_every_stride() {
        use crate::machine::tests::{clock, pool};
        let config = SharingConfig { run_ms: 0.5, reps: 2, ..SharingConfig::new(2) };
        let control = RunControl::default();
        let r = pool(2).install(|| measure(&config, &clock(), &control)).unwrap();
        assert_eq!(r.points.iter().map(|p| p.threads).collect::<Vec<_>>(), [1, 2]);
        assert_eq!(r.strides.iter().map(|p| p.stride_bytes).collect::<Vec<_>>(), config.strides);
        assert_eq!(r.stride_threads, 2);
        assert!(r.slowdown().is_some());
        assert_eq!(control.chunks_done.load(Ordering::Relaxed), config.steps());
    }
}
