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
//! is what MLC and lmbench's random mode do. At large sizes each load also misses the TLB, so
//! the "DRAM" latency includes a page walk, as it would for any random access in a program.
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

    /// Measurements, for progress: a chase and a read per size.
    pub fn steps(&self) -> usize {
        2 * self.sizes().len()
    }
}

/// One working-set size.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct SweepPoint {
    /// Working set, bytes.
    pub bytes: usize,
    /// Best repetition of the pointer chase, ns per load.
    pub latency_ns: f64,
    /// Median repetition of the chase, ns per load.
    pub median_latency_ns: f64,
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
    /// Plateaus of the latency curve, smallest first, labelled L1, L2, … and DRAM.
    pub levels: Vec<CacheLevel>,
    /// The largest size swept (less than asked if the memory could not be allocated).
    pub max_bytes: usize,
}

/// Writes a random single-cycle chase over the first `lines` lines of `buf`: slot `16·i` holds
/// the slot index of the line after line `i`. `scratch` is reused between calls.
pub fn build_chase(buf: &mut [u32], lines: usize, seed: u64, scratch: &mut Vec<u32>) {
    let lines = lines.min(buf.len() / SLOTS);
    scratch.clear();
    scratch.extend(0..lines as u32);
    // Sattolo (1986): like Fisher–Yates but j < i strictly, which makes i ↦ next[i] one cycle
    // through all lines (every lap of the chase touches every line exactly once).
    let mut rng = SplitMix64(seed);
    for i in (1..lines).rev() {
        let j = (((rng.next_u64() >> 32) * i as u64) >> 32) as usize;
        scratch.swap(i, j);
    }
    for (line, &next) in scratch.iter().enumerate() {
        buf[line * SLOTS] = next * SLOTS as u32;
    }
}

/// Follows the chase in `buf` for `loads` dependent loads from slot `start`; returns where it
/// stopped (the caller must use it, or the loads could be dropped).
pub fn chase(buf: &[u32], start: u32, loads: u64) -> u32 {
    let mut i = start;
    for _ in 0..loads {
        i = buf[i as usize];
    }
    i
}

/// Sum of `buf` (wrapping): a streaming read of every byte.
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
            return (n as f64 * target_ms / t.max(1e-6)).ceil().max(1.0) as u64;
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
            build_chase(&mut buf, lines, config.seed ^ i as u64, &mut scratch);
            let mut at = 0u32;
            let time = |loads: u64, at: &mut u32| {
                let t0 = clock.now_ms();
                *at = chase(&buf, *at, loads);
                clock.now_ms() - t0
            };
            let loads = calibrate(clock, config.target_ms, lines.min(1 << 14) as u64, |n| {
                time(n, &mut at);
            });
            let ns: Vec<f64> =
                (0..reps).map(|_| time(loads, &mut at) * 1e6 / loads as f64).collect();
            std::hint::black_box(at);
            tick(control)?;

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

            let (ns, gbs) = (Spread::of(&ns), Spread::of(&gbs));
            points.push(SweepPoint {
                bytes,
                latency_ns: ns.min,
                median_latency_ns: ns.median,
                read_gbs: gbs.max,
                median_read_gbs: gbs.median,
            });
        }
        let curve: Vec<(usize, f64)> = points.iter().map(|p| (p.bytes, p.latency_ns)).collect();
        let mut levels = detect_levels(&curve);
        for level in &mut levels {
            let reads: Vec<f64> = points
                .iter()
                .filter(|p| (level.from_bytes..=level.to_bytes).contains(&p.bytes))
                .map(|p| p.read_gbs)
                .collect();
            level.read_gbs = (!reads.is_empty()).then(|| Spread::of(&reads).median);
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
        assert_eq!(d.steps(), 2 * 33);
    }

    #[test]
    fn the_chase_visits_every_line_once_per_lap() {
        let mut scratch = Vec::new();
        for lines in [1, 2, 3, 64, 1000] {
            let mut buf = vec![0u32; lines * SLOTS + 7];
            build_chase(&mut buf, lines, lines as u64, &mut scratch);
            let mut seen = vec![false; lines];
            let mut at = 0u32;
            for _ in 0..lines {
                assert_eq!(at as usize % SLOTS, 0, "pointers point at line starts");
                assert!(!seen[at as usize / SLOTS], "{lines} lines: a line seen twice in one lap");
                seen[at as usize / SLOTS] = true;
                at = chase(&buf, at, 1);
            }
            assert_eq!(at, 0, "back at the start after one lap");
            assert!(seen.iter().all(|&s| s));
            assert_eq!(chase(&buf, 0, 3 * lines as u64), 0);
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
        assert!(r.points.iter().all(|p| p.latency_ns > 0.0 && p.read_gbs > 0.0));
        assert!(r.points.iter().all(|p| p.latency_ns <= p.median_latency_ns));
        assert!(!r.levels.is_empty());
        assert_eq!(control.chunks_done.load(std::sync::atomic::Ordering::Relaxed), config.steps());
    }
}
