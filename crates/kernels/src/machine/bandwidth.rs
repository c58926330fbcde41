//! Memory bandwidth against threads: STREAM copy and triad.
//!
//! **Anchor.** STREAM (John McCalpin, 1995–) is the standard measure of sustainable memory
//! bandwidth. It times four simple loops over three arrays far larger than the caches and
//! reports the best rate, counting only the bytes the loop names: *copy* `c[i] = a[i]` moves
//! 16 bytes per element (one f64 read, one written), *triad* `a[i] = b[i] + s·c[i]` moves 24.
//! (A cache that fetches a line before writing it, write-allocate, really moves one more
//! read per written element; STREAM does not count it, and neither do we, so our numbers
//! compare with published STREAM results.)
//!
//! **Why it saturates.** One core can only keep so many cache misses in flight (its line fill
//! buffers), so one thread rarely reaches what the memory controllers can deliver; a second
//! and third thread add their own misses in flight and the rate grows, until the memory bus
//! itself is the limit and more threads only queue behind each other. [`saturation_threads`]
//! finds that point: the first thread count from which one more thread adds less than 10 %.
//! This is why `reduce` (one add per 4 bytes) scales worse than `pi` in the Amdahl lesson.
//!
//! **How.** Three arrays of `array_bytes` each (default 64 MiB: STREAM asks for 4× the last
//! cache; that would be 128 MiB each on a 32 MiB L3, too much for many browser tabs, and 64
//! MiB is already twice it), initialised in parallel. A run on `k` threads gives each of `k`
//! tasks one contiguous slice of every array, as STREAM's OpenMP static schedule does, and is
//! timed from the tasks' common start to the last one's end. Thread counts are interleaved
//! over `reps` rounds and the best round counts.

use serde::{Deserialize, Serialize};

use super::{Spread, counted, tick, together, try_zeroed, usable_threads};
use crate::schedule::{Cancelled, Clock, RunControl, Schedule};

/// STREAM's scalar is 3.0; we use 0.5 so that repeated copy + triad rounds converge (to
/// a = b / (1 − s) = 4) instead of growing towards infinity. The value does not change the
/// traffic.
pub const SCALAR: f64 = 0.5;

/// One more thread must add at least this share to count as helping.
pub const MIN_GAIN: f64 = 0.10;

/// What to measure.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BandwidthConfig {
    /// Thread counts, in the order of each round (clamped to the pool).
    pub threads: Vec<usize>,
    /// Bytes of each of the three arrays (default 64 MiB).
    pub array_bytes: usize,
    /// Rounds over all thread counts.
    pub reps: usize,
}

impl BandwidthConfig {
    /// 1 … `threads` threads, 64 MiB arrays, 5 rounds.
    pub fn new(threads: usize) -> BandwidthConfig {
        BandwidthConfig { threads: (1..=threads.max(1)).collect(), array_bytes: 64 << 20, reps: 5 }
    }

    /// Measurements, for progress: copy and triad per thread count and round.
    pub fn steps(&self) -> usize {
        2 * self.threads.len().max(1) * self.reps.max(1)
    }
}

/// Bandwidth at one thread count, GB/s (10⁹ bytes per second, STREAM's byte counts).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct BandwidthPoint {
    /// Threads.
    pub threads: usize,
    /// Best copy rate, GB/s.
    pub copy_gbs: f64,
    /// Median copy rate, GB/s.
    pub median_copy_gbs: f64,
    /// Best triad rate, GB/s.
    pub triad_gbs: f64,
    /// Median triad rate, GB/s.
    pub median_triad_gbs: f64,
    /// Fastest copy, ms.
    pub copy_ms: f64,
    /// Fastest triad, ms.
    pub triad_ms: f64,
}

/// The scaling curve.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BandwidthResult {
    /// Bytes per array (less than asked if the memory could not be allocated).
    pub array_bytes: usize,
    /// One point per thread count, ascending.
    pub points: Vec<BandwidthPoint>,
    /// Threads from which one more adds less than [`MIN_GAIN`] to the triad rate.
    pub saturation_threads: usize,
    /// The same for copy.
    pub copy_saturation_threads: usize,
}

impl BandwidthResult {
    /// Best triad rate at 1 thread, GB/s (0 if not measured).
    pub fn one_thread_gbs(&self) -> f64 {
        self.points.iter().find(|p| p.threads == 1).map_or(0.0, |p| p.triad_gbs)
    }

    /// Best triad rate at the most threads measured, GB/s.
    pub fn all_threads_gbs(&self) -> f64 {
        self.points.last().map_or(0.0, |p| p.triad_gbs)
    }

    /// Best triad rate at any thread count, GB/s (the memory roof of the roofline).
    pub fn peak_gbs(&self) -> f64 {
        self.points.iter().map(|p| p.triad_gbs).fold(0.0, f64::max)
    }
}

/// STREAM copy: `c[i] = a[i]`.
#[inline(never)] // a function of its own, called often: see [`super`]
pub fn copy(a: &[f64], c: &mut [f64]) {
    c.copy_from_slice(a);
}

/// STREAM triad: `a[i] = b[i] + s·c[i]`.
#[inline(never)] // a function of its own, called often: see [`super`]
pub fn triad(a: &mut [f64], b: &[f64], c: &[f64], s: f64) {
    for ((a, &b), &c) in a.iter_mut().zip(b).zip(c) {
        *a = b + s * c;
    }
}

/// `v` cut into `k` contiguous blocks, as [`Schedule::static_block`] divides work.
fn blocks_mut(mut v: &mut [f64], k: usize) -> Vec<&mut [f64]> {
    let n = v.len();
    let mut out = Vec::with_capacity(k);
    for t in 0..k {
        let (head, tail) = v.split_at_mut(Schedule::static_block(n, t, k).len());
        out.push(head);
        v = tail;
    }
    out
}

/// `v` cut into the same `k` blocks, shared.
fn blocks(v: &[f64], k: usize) -> Vec<&[f64]> {
    (0..k).map(|t| &v[Schedule::static_block(v.len(), t, k)]).collect()
}

/// Runs the scaling measurement on the current pool.
pub fn measure(
    config: &BandwidthConfig,
    clock: &dyn Clock,
    control: &RunControl,
) -> Result<BandwidthResult, Cancelled> {
    counted(control, config.steps(), || {
        let ks = usable_threads(&config.threads);
        let kmax = ks.iter().copied().max().unwrap_or(1);
        // Halve the arrays until all three fit (a browser tab may not have 192 MiB to spare).
        let mut n = (config.array_bytes / 8).max(1);
        let (mut a, mut b, mut c) = loop {
            if let (Some(a), Some(b), Some(c)) = (try_zeroed(n), try_zeroed(n), try_zeroed(n)) {
                break (a, b, c);
            }
            n = (n / 2).max(1);
        };
        // Parallel first touch (on NUMA machines each thread's pages land near it, as in STREAM).
        let parts = blocks_mut(&mut a, kmax)
            .into_iter()
            .zip(blocks_mut(&mut b, kmax))
            .zip(blocks_mut(&mut c, kmax));
        together(parts.collect(), clock, |_, ((a, b), c)| {
            a.fill(1.0);
            b.fill(2.0);
            c.fill(0.0);
        });
        let mut copy_ms: Vec<Vec<f64>> = vec![Vec::new(); ks.len()];
        let mut triad_ms: Vec<Vec<f64>> = vec![Vec::new(); ks.len()];
        for _ in 0..config.reps.max(1) {
            for (i, &k) in ks.iter().enumerate() {
                let jobs: Vec<_> = blocks(&a, k).into_iter().zip(blocks_mut(&mut c, k)).collect();
                copy_ms[i].push(together(jobs, clock, |_, (a, c)| copy(a, c)).1);
                tick(control)?;
                let jobs: Vec<_> = blocks_mut(&mut a, k)
                    .into_iter()
                    .zip(blocks(&b, k))
                    .zip(blocks(&c, k))
                    .collect();
                triad_ms[i].push(together(jobs, clock, |_, ((a, b), c)| triad(a, b, c, SCALAR)).1);
                tick(control)?;
            }
        }
        std::hint::black_box((&a, &c));
        let rate = |bytes_per_elem: f64, ms: f64| bytes_per_elem * n as f64 / ms.max(1e-6) / 1e6;
        let points: Vec<BandwidthPoint> = ks
            .iter()
            .enumerate()
            .map(|(i, &threads)| {
                let (cm, tm) = (Spread::of(&copy_ms[i]), Spread::of(&triad_ms[i]));
                BandwidthPoint {
                    threads,
                    copy_gbs: rate(16.0, cm.min),
                    median_copy_gbs: rate(16.0, cm.median),
                    triad_gbs: rate(24.0, tm.min),
                    median_triad_gbs: rate(24.0, tm.median),
                    copy_ms: cm.min,
                    triad_ms: tm.min,
                }
            })
            .collect();
        let mut points = points;
        points.sort_by_key(|p| p.threads);
        let curve = |f: fn(&BandwidthPoint) -> f64| {
            points.iter().map(|p| (p.threads, f(p))).collect::<Vec<_>>()
        };
        Ok(BandwidthResult {
            array_bytes: n * 8,
            saturation_threads: saturation_threads(&curve(|p| p.triad_gbs), MIN_GAIN),
            copy_saturation_threads: saturation_threads(&curve(|p| p.copy_gbs), MIN_GAIN),
            points,
        })
    })
}

/// The thread count at which bandwidth saturates: the first `k` (in ascending order of the
/// measured counts) whose successor adds less than `min_gain` (e.g. 0.1 = 10 %) relative to
/// `k`'s rate; the largest count if every step helps. Depends only on ratios, so any unit will
/// do. 1 for an empty curve.
pub fn saturation_threads(curve: &[(usize, f64)], min_gain: f64) -> usize {
    let mut pts: Vec<(usize, f64)> = curve.to_vec();
    pts.sort_by_key(|&(k, _)| k);
    for w in pts.windows(2) {
        let ((k, r), (_, next)) = (w[0], w[1]);
        if !(next >= r * (1.0 + min_gain) && next > r) {
            return k;
        }
    }
    pts.last().map_or(1, |&(k, _)| k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saturation_is_where_the_gain_drops_below_ten_percent() {
        let c = [(1, 10.0), (2, 17.0), (3, 18.0), (4, 19.5)];
        assert_eq!(saturation_threads(&c, MIN_GAIN), 2);
        assert_eq!(saturation_threads(&[(1, 10.0), (2, 20.0), (3, 30.0)], MIN_GAIN), 3);
        assert_eq!(saturation_threads(&[(1, 10.0), (2, 10.5)], MIN_GAIN), 1);
        assert_eq!(saturation_threads(&[(2, 17.0), (1, 10.0)], MIN_GAIN), 2, "any order");
        assert_eq!(saturation_threads(&[], MIN_GAIN), 1);
        assert_eq!(saturation_threads(&[(1, 0.0), (2, 0.0)], MIN_GAIN), 1);
    }

    #[test]
    fn kernels_compute_stream_results() {
        let a: Vec<f64> = (0..1000).map(f64::from).collect();
        let mut c = vec![0.0; 1000];
        copy(&a, &mut c);
        assert_eq!(a, c);
        let b: Vec<f64> = (0..1000).map(|i| f64::from(i) * 2.0).collect();
        let mut out = vec![0.0; 1000];
        triad(&mut out, &b, &c, 3.0);
        assert!(out.iter().enumerate().all(|(i, &x)| x == 5.0 * i as f64));
    }

    #[test]
    fn blocks_tile_the_array() {
        let mut v: Vec<f64> = (0..10).map(f64::from).collect();
        let lens: Vec<usize> = blocks_mut(&mut v, 3).iter().map(|b| b.len()).collect();
        assert_eq!(lens, [3, 3, 4]);
        let joined: Vec<f64> = blocks(&v, 4).concat();
        assert_eq!(joined, v);
    }

    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn a_small_run_has_a_point_per_thread_count() {
        use crate::machine::tests::{clock, pool};
        let config = BandwidthConfig { threads: vec![1, 2], array_bytes: 64 << 10, reps: 2 };
        let control = RunControl::default();
        let r = pool(2).install(|| measure(&config, &clock(), &control)).unwrap();
        assert_eq!(r.points.iter().map(|p| p.threads).collect::<Vec<_>>(), [1, 2]);
        assert!(r.points.iter().all(|p| p.triad_gbs > 0.0 && p.triad_gbs >= p.median_triad_gbs));
        assert!((1..=2).contains(&r.saturation_threads));
        assert_eq!(control.chunks_done.load(std::sync::atomic::Ordering::Relaxed), config.steps());
    }

    #[cfg(not(target_arch = "wasm32"))]
    proptest::proptest! {
        #[test]
        fn saturation_ignores_the_unit(rates in proptest::collection::vec(0.1f64..100.0, 1..10), e in -20i32..20) {
            let c: Vec<(usize, f64)> = rates.iter().enumerate().map(|(i, &r)| (i + 1, r)).collect();
            let s: Vec<(usize, f64)> = c.iter().map(|&(k, r)| (k, r * 2f64.powi(e))).collect();
            proptest::prop_assert_eq!(saturation_threads(&c, MIN_GAIN), saturation_threads(&s, MIN_GAIN));
        }
    }
}
