//! Running a [`ChunkedKernel`] on exactly `k` threads of a rayon pool.
//!
//! The wasm pool (wasm-bindgen-rayon) is global and cannot be rebuilt, so to measure 1..N
//! threads on one pool of N we start exactly `k` rayon tasks that pull chunk indices from one
//! shared atomic counter (dynamic scheduling). At most `k` pool threads can then do work; the
//! others idle. Wall time covers the whole scope, fork and join included.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};

use serde::{Deserialize, Serialize};

use crate::ChunkedKernel;

/// Milliseconds on a clock shared by all threads (in the browser: `timeOrigin + now()`, since
/// each worker's `performance.now()` has its own origin).
pub trait Clock: Sync {
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
    pub chunk: usize,
    pub thread: usize,
    pub start_ms: f64,
    pub end_ms: f64,
}

/// One timed run of a whole kernel.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunOutcome {
    /// The kernel's combined result (e.g. the number of primes).
    pub value: u64,
    /// Wall time of the parallel section, fork and join included.
    pub wall_ms: f64,
    /// One record per chunk, in completion order.
    pub chunks: Vec<ChunkRecord>,
}

/// The run was cancelled before every chunk finished.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cancelled;

/// Shared flags a caller uses to watch and stop a run from another thread.
#[derive(Debug, Default)]
pub struct RunControl {
    pub cancel: AtomicBool,
    /// Chunks finished so far (across all runs that share this control).
    pub chunks_done: AtomicUsize,
}

impl RunControl {
    pub fn is_cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }
}

/// Runs `kernel` with exactly `threads` rayon tasks on the current pool (call it inside
/// `pool.install` natively; in wasm the global pool is used). Returns [`Cancelled`] if
/// `control.cancel` was set before all chunks finished.
pub fn run_on_pool(
    kernel: &dyn ChunkedKernel,
    threads: usize,
    clock: &dyn Clock,
    control: &RunControl,
) -> Result<RunOutcome, Cancelled> {
    let next = AtomicUsize::new(0);
    let total = AtomicU64::new(0);
    let records = Mutex::new(Vec::with_capacity(kernel.chunks()));
    let t0 = clock.now_ms();
    rayon::scope(|s| {
        for _ in 0..threads.max(1) {
            s.spawn(|_| {
                let thread = rayon::current_thread_index().unwrap_or(0);
                let mut sum = 0u64;
                let mut mine = Vec::new();
                loop {
                    if control.is_cancelled() {
                        break;
                    }
                    let chunk = next.fetch_add(1, Ordering::Relaxed);
                    if chunk >= kernel.chunks() {
                        break;
                    }
                    let start_ms = clock.now_ms() - t0;
                    sum += kernel.run_chunk(chunk);
                    let end_ms = clock.now_ms() - t0;
                    mine.push(ChunkRecord {
                        chunk,
                        thread,
                        start_ms,
                        end_ms,
                    });
                    control.chunks_done.fetch_add(1, Ordering::Relaxed);
                }
                total.fetch_add(sum, Ordering::Relaxed);
                records
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .extend(mine);
            });
        }
    });
    let wall_ms = clock.now_ms() - t0;
    let mut chunks = records.into_inner().unwrap_or_else(|e| e.into_inner());
    if chunks.len() < kernel.chunks() {
        return Err(Cancelled);
    }
    chunks.sort_by(|a, b| a.end_ms.total_cmp(&b.end_ms));
    Ok(RunOutcome {
        value: total.into_inner(),
        wall_ms,
        chunks,
    })
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
        records.push(ChunkRecord {
            chunk,
            thread,
            start_ms,
            end_ms: clock.now_ms() - t0,
        });
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

    fn pool(n: usize) -> rayon::ThreadPool {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build()
            .unwrap()
    }

    #[test]
    fn same_answer_for_every_thread_count() {
        let k = Primes::new(200_000, 32);
        let (serial, _) = run_chunks_serially(&k, 0..32, 0, &clock(), 0.0);
        assert_eq!(serial, 17_984); // π(200000), OEIS A000720
        let p = pool(4);
        for threads in 1..=6 {
            let out = p.install(|| run_on_pool(&k, threads, &clock(), &RunControl::default()));
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
            let out = p.install(|| run_on_pool(&k, threads, &clock(), &RunControl::default()));
            let used: HashSet<_> = out.unwrap().chunks.iter().map(|c| c.thread).collect();
            assert!(used.len() <= threads, "{threads} tasks ran on {used:?}");
        }
    }

    #[test]
    fn cancel_stops_the_run() {
        let k = Primes::new(100_000, 16);
        let control = RunControl::default();
        control.cancel.store(true, Ordering::Relaxed);
        let out = pool(2).install(|| run_on_pool(&k, 2, &clock(), &control));
        assert_eq!(out, Err(Cancelled));
        assert_eq!(control.chunks_done.load(Ordering::Relaxed), 0);
    }
}
