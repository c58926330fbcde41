//! Running a [`ChunkedKernel`] on exactly `k` threads of a rayon pool.
//!
//! The wasm pool (wasm-bindgen-rayon) is global and cannot be rebuilt, so to measure 1..N
//! threads on one pool of N we start exactly `k` rayon tasks; at most `k` pool threads can then
//! do work and the others idle. The tasks either pull chunk indices from one shared atomic
//! counter ([`Schedule::Dynamic`]) or each own a contiguous block ([`Schedule::Static`]).
//! An optional serial section (a dependent chain no thread can help with) runs first, inside
//! the timed wall, so Amdahl's serial share is a real measurement, not an assumption.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};

use serde::{Deserialize, Serialize};

use crate::ChunkedKernel;

/// Milliseconds on a clock shared by all threads (in the browser: `timeOrigin + now()`, since
/// each worker's `performance.now()` has its own origin).
pub trait Clock: Sync {
    /// The current time, milliseconds; only differences between readings are meaningful.
    fn now_ms(&self) -> f64;
}

impl<F: Fn() -> f64 + Sync> Clock for F {
    fn now_ms(&self) -> f64 {
        self()
    }
}

/// Which thread computed which chunk, and when (ms since the run started).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChunkRecord {
    /// Chunk index, `0..kernel.chunks()`.
    pub chunk: usize,
    /// The thread that ran it: rayon's thread index, or the worker's index in `workers` mode.
    pub thread: usize,
    /// When the chunk started, ms since the run started.
    pub start_ms: f64,
    /// When the chunk finished, ms since the run started.
    pub end_ms: f64,
}

/// One timed run of a whole kernel.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunOutcome {
    /// The kernel's combined result (e.g. the number of primes).
    pub value: u64,
    /// Wall time of the whole run (serial section + parallel section, fork and join included).
    pub wall_ms: f64,
    /// Time of the serial section alone (0 when there is none).
    #[serde(default)]
    pub serial_ms: f64,
    /// The thread that ran the serial section.
    #[serde(default)]
    pub serial_thread: usize,
    /// One record per chunk, in completion order.
    pub chunks: Vec<ChunkRecord>,
}

/// The run was cancelled before every chunk finished.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cancelled;

/// Shared flags a caller uses to watch and stop a run from another thread.
#[derive(Debug, Default)]
pub struct RunControl {
    /// Set to stop the run: every task stops before taking its next chunk.
    pub cancel: AtomicBool,
    /// Chunks finished so far (across all runs that share this control).
    pub chunks_done: AtomicUsize,
}

impl RunControl {
    /// Whether [`RunControl::cancel`] has been set.
    pub fn is_cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }
}

/// How chunks are assigned to the `k` tasks of a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Schedule {
    /// Each task takes the next free chunk (balances uneven chunks; costs one atomic per chunk).
    #[default]
    Dynamic,
    /// Task `j` of `k` owns chunks `j·n/k .. (j+1)·n/k` (no coordination; uneven chunks leave
    /// some threads idle at the end).
    Static,
}

impl Schedule {
    /// Short name, as in URLs and in serialised settings.
    pub fn name(self) -> &'static str {
        match self {
            Schedule::Dynamic => "dynamic",
            Schedule::Static => "static",
        }
    }

    /// The schedule whose [`Schedule::name`] is `s`.
    pub fn parse(s: &str) -> Option<Schedule> {
        [Schedule::Dynamic, Schedule::Static].into_iter().find(|x| x.name() == s)
    }

    /// The chunks task `task` of `tasks` owns under [`Schedule::Static`].
    pub fn static_block(chunks: usize, task: usize, tasks: usize) -> std::ops::Range<usize> {
        (chunks * task / tasks)..(chunks * (task + 1) / tasks)
    }
}

/// One run's shape: how many tasks, how chunks are handed out, how long the serial part is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunConfig {
    /// Rayon tasks to start, so at most this many pool threads work (0 counts as 1).
    pub threads: usize,
    /// How the tasks share out the chunks.
    pub schedule: Schedule,
    /// Iterations of [`serial_chain`] run before the parallel section (0 = none).
    pub serial_iters: u64,
}

/// A dependent computation that cannot be split: each step needs the previous result
/// (a 64-bit LCG followed by an xorshift). Returns the final state so it is not optimised away.
pub fn serial_chain(iters: u64) -> u64 {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    for _ in 0..iters {
        x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        x ^= x >> 29;
    }
    std::hint::black_box(x)
}

/// Runs the serial section (if any), then `kernel` with exactly `config.threads` rayon tasks on
/// the current pool (call it inside `pool.install` natively; in wasm the global pool is used).
/// Returns [`Cancelled`] if `control.cancel` was set before all chunks finished.
pub fn run_on_pool(
    kernel: &dyn ChunkedKernel,
    config: RunConfig,
    clock: &dyn Clock,
    control: &RunControl,
) -> Result<RunOutcome, Cancelled> {
    let tasks = config.threads.max(1);
    let n = kernel.chunks();
    let next = AtomicUsize::new(0);
    let total = AtomicU64::new(0);
    let records = Mutex::new(Vec::with_capacity(n));
    let t0 = clock.now_ms();
    serial_chain(config.serial_iters);
    let serial_ms = clock.now_ms() - t0;
    rayon::scope(|s| {
        for task in 0..tasks {
            let (next, total, records) = (&next, &total, &records);
            s.spawn(move |_| {
                let thread = rayon::current_thread_index().unwrap_or(0);
                let mut block = Schedule::static_block(n, task, tasks);
                let mut take = || match config.schedule {
                    Schedule::Dynamic => {
                        Some(next.fetch_add(1, Ordering::Relaxed)).filter(|&c| c < n)
                    }
                    Schedule::Static => block.next(),
                };
                let mut sum = 0u64;
                let mut mine = Vec::new();
                while !control.is_cancelled() {
                    let Some(chunk) = take() else { break };
                    let start_ms = clock.now_ms() - t0;
                    sum += kernel.run_chunk(chunk);
                    let end_ms = clock.now_ms() - t0;
                    mine.push(ChunkRecord { chunk, thread, start_ms, end_ms });
                    control.chunks_done.fetch_add(1, Ordering::Relaxed);
                }
                total.fetch_add(sum, Ordering::Relaxed);
                records.lock().unwrap_or_else(|e| e.into_inner()).extend(mine);
            });
        }
    });
    let wall_ms = clock.now_ms() - t0;
    let mut chunks = records.into_inner().unwrap_or_else(|e| e.into_inner());
    if chunks.len() < n {
        return Err(Cancelled);
    }
    chunks.sort_by(|a, b| a.end_ms.total_cmp(&b.end_ms));
    let serial_thread = rayon::current_thread_index().unwrap_or(0);
    Ok(RunOutcome { value: total.into_inner(), wall_ms, serial_ms, serial_thread, chunks })
}

/// Runs `kernel` one chunk at a time on the calling thread (the serial reference, and what one
/// worker does in `workers` mode).
pub fn run_chunks_serially(
    kernel: &dyn ChunkedKernel,
    chunks: impl IntoIterator<Item = usize>,
    thread: usize,
    clock: &dyn Clock,
    t0: f64,
) -> (u64, Vec<ChunkRecord>) {
    let mut sum = 0;
    let mut records = Vec::new();
    for chunk in chunks {
        let start_ms = clock.now_ms() - t0;
        sum += kernel.run_chunk(chunk);
        records.push(ChunkRecord { chunk, thread, start_ms, end_ms: clock.now_ms() - t0 });
    }
    (sum, records)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::primes::Primes;
    use std::collections::HashSet;
    use std::time::Instant;

    fn clock() -> impl Fn() -> f64 + Sync {
        let start = Instant::now();
        move || start.elapsed().as_secs_f64() * 1e3
    }

    fn cfg(threads: usize) -> RunConfig {
        RunConfig { threads, schedule: Schedule::Dynamic, serial_iters: 0 }
    }

    fn pool(n: usize) -> rayon::ThreadPool {
        rayon::ThreadPoolBuilder::new().num_threads(n).build().unwrap()
    }

    #[test]
    fn same_answer_for_every_thread_count() {
        let k = Primes::new(200_000, 32);
        let (serial, _) = run_chunks_serially(&k, 0..32, 0, &clock(), 0.0);
        assert_eq!(serial, 17_984); // π(200000), OEIS A000720
        let p = pool(4);
        for threads in 1..=6 {
            let out = p.install(|| run_on_pool(&k, cfg(threads), &clock(), &RunControl::default()));
            let out = out.unwrap();
            assert_eq!(out.value, serial, "threads = {threads}");
            assert_eq!(out.chunks.len(), 32);
            let mut seen: Vec<_> = out.chunks.iter().map(|c| c.chunk).collect();
            seen.sort();
            assert_eq!(seen, (0..32).collect::<Vec<_>>());
        }
    }

    #[test]
    fn uses_at_most_k_threads() {
        let k = Primes::new(100_000, 64);
        let p = pool(4);
        for threads in 1..=4 {
            let out = p.install(|| run_on_pool(&k, cfg(threads), &clock(), &RunControl::default()));
            let used: HashSet<_> = out.unwrap().chunks.iter().map(|c| c.thread).collect();
            assert!(used.len() <= threads, "{threads} tasks ran on {used:?}");
        }
    }

    #[test]
    fn cancel_stops_the_run() {
        let k = Primes::new(100_000, 16);
        let control = RunControl::default();
        control.cancel.store(true, Ordering::Relaxed);
        let out = pool(2).install(|| run_on_pool(&k, cfg(2), &clock(), &control));
        assert_eq!(out, Err(Cancelled));
        assert_eq!(control.chunks_done.load(Ordering::Relaxed), 0);
    }

    #[test]
    fn static_blocks_tile_the_chunks() {
        for (n, k) in [(64, 1), (64, 3), (5, 8), (0, 2)] {
            let all: Vec<usize> = (0..k).flat_map(|t| Schedule::static_block(n, t, k)).collect();
            assert_eq!(all, (0..n).collect::<Vec<_>>());
        }
    }

    #[test]
    fn static_schedule_gives_each_task_its_block() {
        let k = Primes::new(50_000, 16);
        let config = RunConfig { threads: 2, schedule: Schedule::Static, serial_iters: 0 };
        let out = pool(2).install(|| run_on_pool(&k, config, &clock(), &RunControl::default()));
        let out = out.unwrap();
        let (serial, _) = run_chunks_serially(&k, 0..16, 0, &clock(), 0.0);
        assert_eq!(out.value, serial);
        // Chunks 0..8 were done by one thread, 8..16 by one thread.
        let owner = |c: usize| out.chunks.iter().find(|r| r.chunk == c).unwrap().thread;
        assert!((0..8).all(|c| owner(c) == owner(0)));
        assert!((8..16).all(|c| owner(c) == owner(8)));
    }

    #[test]
    fn serial_section_is_timed_inside_the_wall() {
        let k = Primes::new(1_000, 4);
        let config = RunConfig { threads: 1, schedule: Schedule::Dynamic, serial_iters: 2_000_000 };
        let out = pool(1).install(|| run_on_pool(&k, config, &clock(), &RunControl::default()));
        let out = out.unwrap();
        assert!(out.serial_ms > 0.0 && out.serial_ms <= out.wall_ms);
        assert!(out.chunks.iter().all(|c| c.start_ms >= out.serial_ms));
        assert_ne!(serial_chain(10), serial_chain(11));
    }
}
