//! Latency and read bandwidth against working-set size: where the caches end.
//!
//! **Anchor.** lmbench's `lat_mem_rd` (McVoy & Staelin, USENIX 1996) and Intel's Memory Latency
//! Checker measure the time of one *dependent* load over a buffer of growing size: every load's
//! address is the value the previous load returned, so the loads cannot overlap and each one
//! costs the full latency of wherever the data lives. While the buffer fits in L1 that is a
//! few cycles; once it outgrows L1 the time steps up to L2's latency, then L3's, then main
//! memory's. The steps are where the caches end ([`super::levels`] finds them).
//!
//! **The chase** ([`build_chase`], [`chase`]): one pointer per 64-byte line (the usual line
//! size; with 128-byte lines every pair of lines is one line and the curve steps at half the
//! size), linked in a random order that is one single cycle (Sattolo's algorithm), so every
//! line is visited once per lap and no hardware prefetcher can guess the next address.
//! lmbench's default walks with a fixed stride, which today's prefetchers follow; random order
//! is what MLC and lmbench's random mode do.
//!
//! **Two orders** ([`ChaseOrder`]). Fully random, every load beyond the TLB's reach also
//! misses the TLB and pays a page walk (in a VM a nested one: up to 24 memory reads), so its
//! curve has steps that are address translation, not caches: on our KVM guest the random
//! curve steps at ≈ 200 KiB, 1.4 MiB and 4.5 MiB as well. Page by page (the pages in random
//! order, the 64 lines of each page in random order before the next page) pays one TLB miss
//! per 64 loads, and cache misses keep their full latency: that curve steps where the caches
//! end, and the levels are detected on it. The gap between the curves is the cost of
//! translating addresses, shown per level.
//!
//! **The streaming read** ([`read_sum`]) sums the same buffer front to back: independent loads
//! the prefetchers can follow, so it measures bandwidth (GB/s) rather than latency. In L1 it is
//! limited by how fast one core can add, not by the cache.
//!
//! **Timing.** Each size is built once (the build also leaves the buffer cache-warm), then each
//! measurement is calibrated by doubling until a run takes an eighth of `target_ms`, and timed
//! `reps` times at about `target_ms`; the best repetition counts (lmbench reports the minimum).
//! Many short repetitions (5 × 1.5 ms) rather than a few long ones: on a shared machine a long
//! one is likely to lose the core for a while, and the best short one is a clean measurement.
//! (Where timers are coarse, 100 µs in pages that are not cross-origin isolated, raise
//! `target_ms`.) Each size gets a buffer of exactly its size, allocated fallibly: the sweep
//! stops at the first size the tab cannot allocate. (Reusing the front of one 256 MiB buffer
//! for every size was tried first: on our KVM guest it turned the 6–32 KiB points into 4–6 ns
//! "L1" loads, against 1.7 ns with a buffer per size.) With the defaults (4 KiB … 256 MiB,
//! two sizes per octave) the sweep takes 1–2 s.

use serde::{Deserialize, Serialize};

use super::levels::{CacheLevel, detect_levels};
use super::{Spread, counted, tick, try_zeroed};
use crate::pi::SplitMix64;
use crate::schedule::{Cancelled, Clock, RunControl};

/// Bytes between two chased pointers: one pointer per (64-byte) cache line.
pub const LINE: usize = 64;
/// `u32` slots per [`LINE`].
const SLOTS: usize = LINE / 4;
/// The smallest page of every platform we run on (x86-64, AArch64 Linux/macOS use 4 or 16 KiB;
/// grouping by 4 KiB keeps each group inside one page either way).
pub const PAGE: usize = 4096;

/// The order in which a chase visits its lines.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChaseOrder {
    /// Any line may follow any other: beyond the TLB's reach most loads also miss the TLB.
    Random,
    /// Pages in random order, each page's lines in random order before the next page: one TLB
    /// miss per [`PAGE`] / [`LINE`] loads, so the steps are the caches'.
    PageByPage,
}

/// What to sweep.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SweepConfig {
    /// Smallest working set, bytes (default 4 KiB).
    pub min_bytes: usize,
    /// Largest working set, bytes (default 256 MiB; the sweep stops early at a size it cannot
    /// allocate).
    pub max_bytes: usize,
    /// Sizes per doubling (default 2: 4 K, 5.7 K, 8 K, …).
    pub steps_per_octave: usize,
    /// Time of one timed repetition, ms.
    pub target_ms: f64,
    /// Timed repetitions per size and measurement.
    pub reps: usize,
    /// Seeds the random order of the chase.
    pub seed: u64,
}

impl Default for SweepConfig {
    fn default() -> Self {
        SweepConfig {
            min_bytes: 4 << 10,
            max_bytes: 256 << 20,
            steps_per_octave: 2,
            target_ms: 1.5,
            reps: 5,
            seed: 13,
        }
    }
}

impl SweepConfig {
    /// The working-set sizes, ascending: `min_bytes · 2^(i / steps_per_octave)` rounded down to
    /// whole lines, up to `max_bytes`.
    pub fn sizes(&self) -> Vec<usize> {
        let per = self.steps_per_octave.max(1);
        let min = self.min_bytes.max(LINE);
        let mut sizes: Vec<usize> = Vec::new();
        for i in 0.. {
            let (octave, frac) = (i / per, i % per);
            if octave >= 48 {
                break;
            }
            let base = (min as f64) * (1u64 << octave) as f64;
            let size = (base * 2f64.powf(frac as f64 / per as f64)) as usize / LINE * LINE;
            if size > self.max_bytes {
                break;
            }
            if sizes.last() != Some(&size) {
                sizes.push(size);
            }
        }
        sizes
    }

    /// Measurements, for progress: two chases and a read per size.
    pub fn steps(&self) -> usize {
        3 * self.sizes().len()
    }
}

/// One working-set size.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct SweepPoint {
    /// Working set, bytes.
    pub bytes: usize,
    /// Best repetition of the random pointer chase ([`ChaseOrder::Random`]), ns per load.
    pub latency_ns: f64,
    /// Median repetition of the random chase, ns per load.
    pub median_latency_ns: f64,
    /// Best repetition of the page-by-page chase ([`ChaseOrder::PageByPage`]), ns per load:
    /// the curve the levels are found on. (0 in results saved before it existed.)
    #[serde(default)]
    pub page_latency_ns: f64,
    /// Median repetition of the page-by-page chase, ns per load.
    #[serde(default)]
    pub median_page_latency_ns: f64,
    /// Best repetition of the streaming read, GB/s (10⁹ bytes per second).
    pub read_gbs: f64,
    /// Median repetition of the read, GB/s.
    pub median_read_gbs: f64,
}

/// The whole sweep and the levels found in it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SweepResult {
    /// One point per size, ascending.
    pub points: Vec<SweepPoint>,
    /// Plateaus of the page-by-page latency curve, smallest first, labelled L1, L2, … and DRAM.
    pub levels: Vec<CacheLevel>,
    /// The largest size swept (less than asked if the memory could not be allocated).
    pub max_bytes: usize,
}

/// Writes a single-cycle chase over the first `lines` lines of `buf` in `order`: slot `16·i`
/// holds the slot index of the line after line `i`. `scratch` is reused between calls.
pub fn build_chase(
    buf: &mut [u32],
    lines: usize,
    order: ChaseOrder,
    seed: u64,
    scratch: &mut Vec<u32>,
) {
    let lines = lines.min(buf.len() / SLOTS);
    let mut rng = SplitMix64(seed);
    let mut shuffle = |v: &mut [u32]| {
        // Fisher–Yates: every order equally likely.
        for i in (1..v.len()).rev() {
            let j = (((rng.next_u64() >> 32) * (i as u64 + 1)) >> 32) as usize;
            v.swap(i, j);
        }
    };
    scratch.clear();
    match order {
        ChaseOrder::Random => {
            scratch.extend(0..lines as u32);
            shuffle(scratch);
        }
        ChaseOrder::PageByPage => {
            // Pages of the address space, not of the buffer: an allocation rarely starts on a
            // page boundary, and a group straddling two pages would pay two TLB misses.
            let skew = buf.as_ptr() as usize % PAGE;
            let page_of = |line: usize| (skew + line * LINE) / PAGE;
            let first_line = |page: usize| (page * PAGE).saturating_sub(skew).div_ceil(LINE);
            let pages = if lines == 0 { 0 } else { page_of(lines - 1) + 1 };
            let mut order: Vec<u32> = (0..pages as u32).collect();
            shuffle(&mut order);
            for page in order {
                let (from, to) = (first_line(page as usize), first_line(page as usize + 1));
                let at = scratch.len();
                scratch.extend(from as u32..to.min(lines) as u32);
                shuffle(&mut scratch[at..]);
            }
        }
    }
    // The visiting order, closed into one cycle: every lap touches every line exactly once.
    for (k, &line) in scratch.iter().enumerate() {
        let next = scratch[(k + 1) % lines];
        buf[line as usize * SLOTS] = next * SLOTS as u32;
    }
}

/// Follows the chase in `buf` for `loads` dependent loads from slot `start`; returns where it
/// stopped (the caller must use it, or the loads could be dropped).
#[inline(never)] // a function of its own, called often: see [`super`]
pub fn chase(buf: &[u32], start: u32, loads: u64) -> u32 {
    let mut i = start;
    for _ in 0..loads {
        i = buf[i as usize];
    }
    i
}

/// Sum of `buf` (wrapping): a streaming read of every byte.
#[inline(never)] // a function of its own, called often: see [`super`]
pub fn read_sum(buf: &[u32]) -> u32 {
    buf.iter().fold(0u32, |a, &x| a.wrapping_add(x))
}

/// Work units that take about `target_ms`: doubles `n` from `start` until one `run(n)` takes an
/// eighth of the target (so coarse browser timers still resolve it), then scales. The runs also
/// warm caches and TLB.
fn calibrate(clock: &dyn Clock, target_ms: f64, start: u64, mut run: impl FnMut(u64)) -> u64 {
    let mut n = start.max(1);
    loop {
        let t0 = clock.now_ms();
        run(n);
        let t = clock.now_ms() - t0;
        if t >= target_ms / 8.0 || n >= 1 << 40 {
            // Never less work than this run: if it was stretched by a pause (the thread lost
            // its core), scaling down could leave the timed runs shorter than the browser's
            // timer step (5 µs), and a run timed as 0 ms would read as 0 ns per load.
            return (n as f64 * target_ms / t.max(1e-6)).ceil().max(n as f64) as u64;
        }
        n *= if t > 0.0 { 2 } else { 16 };
    }
}

/// Runs the sweep on the calling thread.
pub fn sweep(
    config: &SweepConfig,
    clock: &dyn Clock,
    control: &RunControl,
) -> Result<SweepResult, Cancelled> {
    counted(control, config.steps(), || {
        let sizes = config.sizes();
        let mut scratch = Vec::new();
        let reps = config.reps.max(1);
        let mut points = Vec::with_capacity(sizes.len());
        for (i, &bytes) in sizes.iter().enumerate() {
            // A buffer of exactly this size, so nothing else of ours is in the address space
            // nearby (reusing the front of one 256 MiB buffer measured 4–6 ns "L1" loads at
            // 6–32 KiB on our VM, 1.7 ns with a buffer per size). Stop where memory runs out.
            let Some(mut buf) = try_zeroed::<u32>(bytes / 4) else { break };
            let lines = bytes / LINE;
            let mut latency = |order: ChaseOrder| {
                build_chase(&mut buf, lines, order, config.seed ^ i as u64, &mut scratch);
                let mut at = 0u32;
                let mut time = |loads: u64| {
                    let t0 = clock.now_ms();
                    at = chase(&buf, at, loads);
                    clock.now_ms() - t0
                };
                let loads = calibrate(clock, config.target_ms, lines.min(1 << 14) as u64, |n| {
                    time(n);
                });
                let ns: Vec<f64> = (0..reps).map(|_| time(loads) * 1e6 / loads as f64).collect();
                std::hint::black_box(at);
                tick(control).map(|()| Spread::of(&ns))
            };
            let random = latency(ChaseOrder::Random)?;
            let paged = latency(ChaseOrder::PageByPage)?;

            let data = &buf[..bytes / 4];
            let mut sink = 0u32;
            let mut read = |passes: u64| {
                let t0 = clock.now_ms();
                for _ in 0..passes {
                    sink ^= read_sum(std::hint::black_box(data));
                }
                clock.now_ms() - t0
            };
            let passes = calibrate(clock, config.target_ms, 1, |n| {
                read(n);
            });
            let gbs: Vec<f64> = (0..reps)
                .map(|_| (bytes as u64 * passes) as f64 / read(passes).max(1e-6) / 1e6)
                .collect();
            std::hint::black_box(sink);
            tick(control)?;

            let gbs = Spread::of(&gbs);
            points.push(SweepPoint {
                bytes,
                latency_ns: random.min,
                median_latency_ns: random.median,
                page_latency_ns: paged.min,
                median_page_latency_ns: paged.median,
                read_gbs: gbs.max,
                median_read_gbs: gbs.median,
            });
        }
        let curve: Vec<(usize, f64)> =
            points.iter().map(|p| (p.bytes, p.page_latency_ns)).collect();
        let mut levels = detect_levels(&curve);
        for level in &mut levels {
            let on_level: Vec<&SweepPoint> = points
                .iter()
                .filter(|p| (level.from_bytes..=level.to_bytes).contains(&p.bytes))
                .collect();
            let median = |f: fn(&SweepPoint) -> f64| {
                let v: Vec<f64> = on_level.iter().map(|p| f(p)).collect();
                (!v.is_empty()).then(|| Spread::of(&v).median)
            };
            level.read_gbs = median(|p| p.read_gbs);
            level.random_latency_ns = median(|p| p.latency_ns);
        }
        let max_bytes = points.last().map_or(0, |p| p.bytes);
        Ok(SweepResult { points, levels, max_bytes })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_whole_lines_in_half_octaves() {
        let c = SweepConfig { max_bytes: 64 << 10, ..SweepConfig::default() };
        assert_eq!(c.sizes(), [4096, 5760, 8192, 11584, 16384, 23168, 32768, 46336, 65536]);
        assert!(c.sizes().iter().all(|s| s % LINE == 0));
        let d = SweepConfig::default();
        assert_eq!((d.sizes()[0], *d.sizes().last().unwrap()), (4 << 10, 256 << 20));
        assert_eq!(d.steps(), 3 * 33);
    }

    #[test]
    fn the_chase_visits_every_line_once_per_lap() {
        let mut scratch = Vec::new();
        for order in [ChaseOrder::Random, ChaseOrder::PageByPage] {
            for lines in [1, 2, 3, 64, 65, 1000] {
                let mut buf = vec![0u32; lines * SLOTS + 7];
                build_chase(&mut buf, lines, order, lines as u64, &mut scratch);
                let mut seen = vec![false; lines];
                let mut at = 0u32;
                for _ in 0..lines {
                    assert_eq!(at as usize % SLOTS, 0, "pointers point at line starts");
                    assert!(!seen[at as usize / SLOTS], "{lines} lines: a line seen twice");
                    seen[at as usize / SLOTS] = true;
                    at = chase(&buf, at, 1);
                }
                assert_eq!(at, 0, "{order:?}, {lines} lines: back at the start after one lap");
                assert!(seen.iter().all(|&s| s));
                assert_eq!(chase(&buf, 0, 3 * lines as u64), 0);
            }
        }
    }

    #[test]
    fn page_by_page_finishes_a_page_before_the_next() {
        let lines = 1000;
        for pad in [0, 1, 5] {
            // Start the buffer at different offsets within a page.
            let mut backing = vec![0u32; (lines + 64) * SLOTS + pad];
            let buf = &mut backing[pad..];
            build_chase(buf, lines, ChaseOrder::PageByPage, 3, &mut Vec::new());
            let base = buf.as_ptr() as usize;
            let page = |slot: u32| (base + slot as usize * 4) / PAGE;
            let pages = page((lines as u32 - 1) * SLOTS as u32) - page(0) + 1;
            let mut at = 0u32;
            let mut changes = 0;
            for _ in 0..lines {
                let next = chase(buf, at, 1);
                changes += usize::from(page(next) != page(at));
                at = next;
            }
            assert_eq!(changes, pages, "pad {pad}: one page change per page and lap");
            // Within a page the order is shuffled, not front to back.
            let nexts: Vec<u32> = (0..32).map(|l| buf[l * SLOTS]).collect();
            assert!(nexts.windows(2).any(|w| w[1] != w[0] + SLOTS as u32));
        }
    }

    #[test]
    fn read_sum_adds_everything() {
        let v: Vec<u32> = (1..=1000).collect();
        assert_eq!(read_sum(&v), 500_500);
        assert_eq!(read_sum(&[u32::MAX, 2]), 1);
    }

    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn a_small_sweep_measures_every_size() {
        let config =
            SweepConfig { max_bytes: 64 << 10, target_ms: 0.2, reps: 2, ..Default::default() };
        let control = RunControl::default();
        let r = sweep(&config, &crate::machine::tests::clock(), &control).unwrap();
        assert_eq!(r.points.iter().map(|p| p.bytes).collect::<Vec<_>>(), config.sizes());
        assert_eq!(r.max_bytes, 64 << 10);
        assert!(r.points.iter().all(|p| p.latency_ns > 0.0 && p.page_latency_ns > 0.0));
        assert!(r.points.iter().all(|p| p.read_gbs > 0.0));
        assert!(r.levels.iter().all(|l| l.random_latency_ns.is_some()));
        assert!(r.points.iter().all(|p| p.latency_ns <= p.median_latency_ns));
        assert!(!r.levels.is_empty());
        assert_eq!(control.chunks_done.load(std::sync::atomic::Ordering::Relaxed), config.steps());
    }
}
