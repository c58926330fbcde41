//! How every experiment runs on the pool: `k` tasks released together, fixed-time throughput,
//! progress and cancel.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};

use crate::schedule::{Cancelled, Clock, RunControl};

/// Fails with [`Cancelled`] if the caller asked to stop.
fn check(control: &RunControl) -> Result<(), Cancelled> {
    if control.is_cancelled() { Err(Cancelled) } else { Ok(()) }
}

/// Counts one finished measurement, then checks for cancel.
pub(super) fn tick(control: &RunControl) -> Result<(), Cancelled> {
    control.chunks_done.fetch_add(1, Ordering::Relaxed);
    check(control)
}

/// Runs one experiment and tops its progress up to `steps`, however many measurements it
/// really made (thread counts above the pool's size are skipped; a sweep shrinks when memory
/// is short), so a progress bar over [`MachineConfig::steps`] ends full.
pub(super) fn counted<R>(
    control: &RunControl,
    steps: usize,
    run: impl FnOnce() -> Result<R, Cancelled>,
) -> Result<R, Cancelled> {
    let before = control.chunks_done.load(Ordering::Relaxed);
    let result = run()?;
    let done = control.chunks_done.load(Ordering::Relaxed).saturating_sub(before);
    if done < steps {
        control.chunks_done.fetch_add(steps - done, Ordering::Relaxed);
    }
    Ok(result)
}

/// A buffer of `len` default values, or `None` if the memory is not there (a browser tab may
/// have far less than a native process; wasm32 has at most 4 GiB, parlab asks for 1).
pub(super) fn try_zeroed<T: Clone + Default>(len: usize) -> Option<Vec<T>> {
    let mut v = Vec::new();
    v.try_reserve_exact(len).ok()?;
    v.resize(len, T::default());
    Some(v)
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// The longest a task waits at the start barrier for the others (they may never come if the
/// pool has fewer threads than tasks).
const BARRIER_MS: f64 = 200.0;

/// Runs `f(task, input)` for every input on its own rayon task (so at most `inputs.len()` pool
/// threads work), all released together from a start barrier. Returns the results in input
/// order and the wall time from the first task's release to the last task's end, in ms.
///
/// Without the barrier the first task could be half done before a sleeping pool thread even
/// wakes up (tens of µs natively, more in a browser), and nothing would overlap.
pub fn together<T: Send, R: Send>(
    inputs: Vec<T>,
    clock: &dyn Clock,
    f: impl Fn(usize, T) -> R + Sync,
) -> (Vec<R>, f64) {
    let k = inputs.len();
    let ready = AtomicUsize::new(0);
    let slots: Mutex<Vec<Option<(R, f64, f64)>>> = Mutex::new((0..k).map(|_| None).collect());
    rayon::scope(|s| {
        for (task, input) in inputs.into_iter().enumerate() {
            let (ready, slots, f) = (&ready, &slots, &f);
            s.spawn(move |_| {
                ready.fetch_add(1, Ordering::AcqRel);
                let arrived = clock.now_ms();
                while ready.load(Ordering::Acquire) < k && clock.now_ms() - arrived < BARRIER_MS {
                    std::hint::spin_loop();
                }
                let start = clock.now_ms();
                let r = f(task, input);
                let end = clock.now_ms();
                lock(slots)[task] = Some((r, start, end));
            });
        }
    });
    let slots = slots.into_inner().unwrap_or_else(|e| e.into_inner());
    let (mut first, mut last) = (f64::INFINITY, f64::NEG_INFINITY);
    let mut out = Vec::with_capacity(k);
    for (r, start, end) in slots.into_iter().flatten() {
        first = first.min(start);
        last = last.max(end);
        out.push(r);
    }
    let wall = if out.is_empty() { 0.0 } else { last - first };
    (out, wall)
}

/// Runs `k` tasks together, each calling `block(task)` (which does a fixed amount of work and
/// returns a checksum) until `ms` have passed since its release. Returns the blocks done by all
/// tasks and the wall time, ms: throughput = blocks / wall. Fixed *time* rather than fixed work
/// means a task the OS runs slower (more tasks than cores) simply does fewer blocks; the total
/// still measures what the machine did in that time.
pub(super) fn blocks_for(
    k: usize,
    ms: f64,
    clock: &dyn Clock,
    block: impl Fn(usize) -> u64 + Sync,
) -> (u64, f64) {
    let (counts, wall) = together((0..k).collect(), clock, |_, task| {
        let start = clock.now_ms();
        let mut blocks = 0u64;
        let mut sink = 0u64;
        loop {
            // `black_box`: `block` is pure and `task` fixed, so without it the optimiser
            // computes the block once and the loop only reads the clock (it did: the cores
            // probe reported 300 000 M steps/s).
            sink ^= block(std::hint::black_box(task));
            blocks += 1;
            if clock.now_ms() - start >= ms {
                break;
            }
        }
        std::hint::black_box(sink);
        blocks
    });
    (counts.iter().sum(), wall)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::machine::tests::{clock, pool};

    #[test]
    fn together_runs_every_input_once_on_distinct_threads() {
        let (out, ms) = pool(3).install(|| {
            together(vec![10, 20, 30], &clock(), |task, x| (task, x, rayon::current_thread_index()))
        });
        assert_eq!(out.iter().map(|r| (r.0, r.1)).collect::<Vec<_>>(), [(0, 10), (1, 20), (2, 30)]);
        let mut threads: Vec<_> = out.iter().map(|r| r.2).collect();
        threads.sort();
        threads.dedup();
        assert_eq!(threads.len(), 3, "three tasks held at a barrier need three threads");
        assert!(ms >= 0.0);
    }
}
