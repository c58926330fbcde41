//! Races, locks and deadlocks on real threads.
//!
//! The racy counter is a *real* race without undefined behaviour: every thread does a separate
//! atomic load and atomic store (`v = load; store(v + 1)`), so another thread's store between
//! the two is lost, exactly like `counter += 1` in C or Python, yet each access is well
//! defined. The fixes (a mutex, an atomic `fetch_add`, per-thread sums reduced at the end) run
//! the same K × M increments so their costs compare directly.
//!
//! The deadlock demo takes two locks in opposite order on two threads. Locks are acquired
//! with a timed spin that records who waits for what in a lock-owner table; a waiting thread
//! that finds a wait-for cycle through itself reports it and backs off (releases its lock),
//! so the demo always finishes: it never hangs the page.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use serde::{Deserialize, Serialize};

use crate::schedule::Clock;

/// How the K threads update the shared counter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Variant {
    /// Separate atomic load and store: updates get lost.
    Racy,
    /// A `std::sync::Mutex<u64>` around each increment.
    Mutex,
    /// One atomic read-modify-write (`fetch_add`) per increment.
    Atomic,
    /// Each thread counts privately; one `fetch_add` per thread at the end.
    Reduction,
}

impl Variant {
    /// Every variant, in the lesson's order: the bug, then its fixes from slowest to fastest.
    pub const ALL: [Variant; 4] =
        [Variant::Racy, Variant::Mutex, Variant::Atomic, Variant::Reduction];

    /// Short name, as in URLs and serialised results.
    pub fn name(self) -> &'static str {
        match self {
            Variant::Racy => "racy",
            Variant::Mutex => "mutex",
            Variant::Atomic => "atomic",
            Variant::Reduction => "reduction",
        }
    }
}

/// One timed run of K threads × M increments.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct CounterRun {
    /// How the threads updated the counter.
    pub variant: Variant,
    /// Threads K (at least 1).
    pub threads: usize,
    /// Increments per thread, M.
    pub increments: u64,
    /// The counter's final value (K × M unless updates were lost).
    pub total: u64,
    /// Wall time of the run, ms, start barrier included.
    pub ms: f64,
}

impl CounterRun {
    /// What the counter should read: K × M.
    pub fn expected(&self) -> u64 {
        self.threads as u64 * self.increments
    }

    /// Increments lost to the race: `expected − total` (0 for the correct variants).
    pub fn lost(&self) -> u64 {
        self.expected().saturating_sub(self.total)
    }
}

/// Runs `threads` rayon tasks (at most that many pool threads) that each add 1, `increments`
/// times, to one shared counter in the way `variant` says.
pub fn count(variant: Variant, threads: usize, increments: u64, clock: &dyn Clock) -> CounterRun {
    let atomic = AtomicU64::new(0);
    let locked = Mutex::new(0u64);
    let ready = AtomicUsize::new(0);
    let t0 = clock.now_ms();
    rayon::scope(|s| {
        for _ in 0..threads.max(1) {
            let (atomic, locked, ready) = (&atomic, &locked, &ready);
            s.spawn(move |_| {
                start_together(ready, threads.max(1), clock, t0);
                increment(variant, atomic, locked, increments);
            });
        }
    });
    let ms = clock.now_ms() - t0;
    let total = match variant {
        Variant::Mutex => locked.into_inner().unwrap_or_else(|e| e.into_inner()),
        _ => atomic.into_inner(),
    };
    CounterRun { variant, threads: threads.max(1), increments, total, ms }
}

/// A start barrier: without it the first thread may finish before a sleeping pool thread even
/// wakes up, and nothing overlaps. Gives up after 200 ms (fewer pool threads than tasks).
fn start_together(ready: &AtomicUsize, threads: usize, clock: &dyn Clock, t0: f64) {
    ready.fetch_add(1, Ordering::AcqRel);
    while ready.load(Ordering::Acquire) < threads && clock.now_ms() - t0 < 200.0 {
        std::hint::spin_loop();
    }
}

/// One thread's share of the work: `increments` additions of 1, the `variant` way.
fn increment(variant: Variant, atomic: &AtomicU64, locked: &Mutex<u64>, increments: u64) {
    match variant {
        Variant::Racy => {
            for _ in 0..increments {
                let v = atomic.load(Ordering::Relaxed);
                atomic.store(v + 1, Ordering::Relaxed);
            }
        }
        Variant::Mutex => {
            for _ in 0..increments {
                *locked.lock().unwrap_or_else(|e| e.into_inner()) += 1;
            }
        }
        Variant::Atomic => {
            for _ in 0..increments {
                atomic.fetch_add(1, Ordering::Relaxed);
            }
        }
        Variant::Reduction => {
            let mut mine = 0u64;
            for _ in 0..increments {
                mine = std::hint::black_box(mine + 1);
            }
            atomic.fetch_add(mine, Ordering::Relaxed);
        }
    }
}

/// Which order the two threads take the two locks in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LockOrder {
    /// Thread 0 takes A then B, thread 1 takes B then A: a cycle is possible.
    Opposite,
    /// Both take A then B: no cycle can form.
    Consistent,
}

/// What one deadlock trial saw.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeadlockTrial {
    /// The wait-for cycle found, e.g. "thread 1 waits for A (held by thread 0), thread 0 waits
    /// for B (held by thread 1)"; `None` if both threads finished normally.
    pub cycle: Option<String>,
    /// Milliseconds from the start of the trial until the cycle was detected (or the end).
    pub ms: f64,
}

const FREE: usize = usize::MAX;
const LOCK_NAMES: [&str; 2] = ["A", "B"];

/// The lock-owner table: who holds each lock and which lock each thread waits for.
struct Table {
    owner: [AtomicUsize; 2],
    waits_for: [AtomicUsize; 2],
}

impl Table {
    fn new() -> Self {
        Table {
            owner: [AtomicUsize::new(FREE), AtomicUsize::new(FREE)],
            waits_for: [AtomicUsize::new(FREE), AtomicUsize::new(FREE)],
        }
    }

    fn release(&self, lock: usize) {
        self.owner[lock].store(FREE, Ordering::Release);
    }

    /// Spins for `lock`. Returns the cycle description if, while waiting, `me` finds itself on
    /// a wait-for cycle (then it holds nothing new and must back off), or if `bound_ms` passes.
    fn acquire(
        &self,
        me: usize,
        lock: usize,
        clock: &dyn Clock,
        t0: f64,
        bound_ms: f64,
    ) -> Result<(), String> {
        self.waits_for[me].store(lock, Ordering::Release);
        loop {
            if self.owner[lock]
                .compare_exchange(FREE, me, Ordering::Acquire, Ordering::Relaxed)
                .is_ok()
            {
                self.waits_for[me].store(FREE, Ordering::Release);
                return Ok(());
            }
            let holder = self.owner[lock].load(Ordering::Acquire);
            if holder != FREE && holder != me {
                let theirs = self.waits_for[holder].load(Ordering::Acquire);
                if theirs != FREE && self.owner[theirs].load(Ordering::Acquire) == me {
                    self.waits_for[me].store(FREE, Ordering::Release);
                    return Err(format!(
                        "thread {me} waits for {} (held by thread {holder}), thread {holder} waits for {} (held by thread {me})",
                        LOCK_NAMES[lock], LOCK_NAMES[theirs]
                    ));
                }
            }
            if clock.now_ms() - t0 > bound_ms {
                self.waits_for[me].store(FREE, Ordering::Release);
                return Err(format!(
                    "thread {me} gave up waiting for {} after {bound_ms} ms",
                    LOCK_NAMES[lock]
                ));
            }
            std::hint::spin_loop();
        }
    }
}

/// Busy work while holding the first lock, so the other thread can take its first lock too.
fn hold_for(ms: f64, clock: &dyn Clock) {
    let t = clock.now_ms();
    while clock.now_ms() - t < ms {
        std::hint::spin_loop();
    }
}

/// One trial: two rayon tasks take locks A and B in `order`, holding the first for `hold_ms`.
/// Needs a pool of at least two threads to deadlock for real. Never waits longer than
/// `bound_ms` for a lock.
pub fn deadlock_trial(
    order: LockOrder,
    hold_ms: f64,
    bound_ms: f64,
    clock: &dyn Clock,
) -> DeadlockTrial {
    let table = Table::new();
    let found: Mutex<Option<(String, f64)>> = Mutex::new(None);
    let t0 = clock.now_ms();
    rayon::scope(|s| {
        for me in 0..2 {
            let (table, found) = (&table, &found);
            s.spawn(move |_| {
                let (first, second) = match (order, me) {
                    (LockOrder::Opposite, 1) => (1, 0),
                    _ => (0, 1),
                };
                if table.acquire(me, first, clock, t0, bound_ms).is_err() {
                    return;
                }
                hold_for(hold_ms, clock);
                match table.acquire(me, second, clock, t0, bound_ms) {
                    Ok(()) => {
                        hold_for(hold_ms / 4.0, clock);
                        table.release(second);
                    }
                    Err(cycle) => {
                        // Recover: back off, releasing what we hold, so the other can finish.
                        let mut f = found.lock().unwrap_or_else(|e| e.into_inner());
                        f.get_or_insert((cycle, clock.now_ms() - t0));
                    }
                }
                table.release(first);
            });
        }
    });
    match found.into_inner().unwrap_or_else(|e| e.into_inner()) {
        Some((cycle, ms)) => DeadlockTrial { cycle: Some(cycle), ms },
        None => DeadlockTrial { cycle: None, ms: clock.now_ms() - t0 },
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use std::time::Instant;

    fn clock() -> impl Fn() -> f64 + Sync {
        let start = Instant::now();
        move || start.elapsed().as_secs_f64() * 1e3
    }

    fn pool(n: usize) -> rayon::ThreadPool {
        rayon::ThreadPoolBuilder::new().num_threads(n).build().unwrap()
    }

    #[test]
    fn fixes_are_exact_and_the_race_never_overcounts() {
        let p = pool(4);
        for v in Variant::ALL {
            let run = p.install(|| count(v, 4, 20_000, &clock()));
            assert!(run.total <= run.expected(), "{v:?}");
            if v != Variant::Racy {
                assert_eq!(run.total, 80_000, "{v:?}");
            }
        }
    }

    #[test]
    fn one_thread_loses_nothing() {
        let run = pool(2).install(|| count(Variant::Racy, 1, 50_000, &clock()));
        assert_eq!(run.lost(), 0);
    }

    #[test]
    fn consistent_order_never_deadlocks() {
        let p = pool(2);
        for _ in 0..20 {
            let t = p.install(|| deadlock_trial(LockOrder::Consistent, 1.0, 2_000.0, &clock()));
            assert_eq!(t.cycle, None);
        }
    }

    #[test]
    fn opposite_order_is_detected_and_recovered() {
        let p = pool(2);
        // With each thread holding its first lock for 20 ms, both hold one lock when they ask
        // for the other, whatever the scheduling; the demo must report it and return.
        let t = p.install(|| deadlock_trial(LockOrder::Opposite, 20.0, 5_000.0, &clock()));
        let cycle = t.cycle.expect("a cycle");
        assert!(cycle.contains("waits for"), "{cycle}");
        assert!(t.ms < 5_000.0);
    }
}
