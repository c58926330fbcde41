//! The global interpreter lock, modelled on CPython's `Python/ceval_gil.c`.
//!
//! Why it looks like this:
//! - **Drop request, not preemption.** A waiter cannot take the lock away; it can only ask.
//!   Once the holder has had the lock for a whole *switch interval*
//!   (`sys.getswitchinterval()`, 5 ms by default) and a thread has been waiting that long,
//!   the waiter sets the drop request ([`Gil::drop_requested`], CPython's
//!   `gil_drop_request`); the lock's owner is an atomic beside it ([`Gil::owner`]). The holder only looks at it at eval-breaker check points (backward
//!   jumps and calls in 3.10+), which is why a `counter += 1` with no call inside never loses
//!   updates while one with a call between the read and the write does.
//! - **Hand-off rule: first come, first served.** Requests are served in ticket order (a
//!   ticket lock). A holder answering a drop request releases and immediately asks again, so
//!   it queues *behind* every thread already waiting: the GIL goes round-robin, one interval
//!   each. CPython gets the same effect differently (`FORCE_SWITCHING`: the dropper waits
//!   until someone else has taken the lock) and leaves the order among several waiters to
//!   the OS; a strict queue makes the lesson's timelines reproducible.
//! - **Blocking waits.** Waiters block (a `Condvar` with a timeout: a futex natively,
//!   `memory.atomic.wait32` on wasm) instead of spinning, so a waiting thread costs no CPU,
//!   as in CPython. The mutex guards only the queue and is touched at hand-offs; the
//!   holder's hot path (the check point) is one relaxed atomic load, like `eval_breaker`.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::Duration;

use crate::schedule::Clock;

const FREE: usize = usize::MAX;

/// CPython's default switch interval, `sys.getswitchinterval()` = 0.005 s.
pub const DEFAULT_SWITCH_INTERVAL_MS: f64 = 5.0;

#[derive(Default)]
struct Queue {
    next_ticket: u64,
    serving: u64,
    /// When the current holder took the lock: it is owed a whole interval from then.
    taken_at: f64,
    last_holder: Option<usize>,
    handoffs: u64,
}

/// One global interpreter lock shared by the interpreter threads of a run.
pub struct Gil {
    queue: Mutex<Queue>,
    wake: Condvar,
    drop_request: AtomicBool,
    owner: AtomicUsize,
    interval_ms: f64,
}

impl Gil {
    /// A free lock with the given switch interval (milliseconds, clamped to ≥ 0.01).
    pub fn new(switch_interval_ms: f64) -> Gil {
        Gil {
            queue: Mutex::new(Queue::default()),
            wake: Condvar::new(),
            drop_request: AtomicBool::new(false),
            owner: AtomicUsize::new(FREE),
            interval_ms: switch_interval_ms.max(0.01),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Queue> {
        self.queue.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Blocks until thread `me` holds the lock. While it waits, it sets the drop request
    /// once the holder has had the lock for a whole switch interval (counted from when it
    /// took the lock or from when `me` started waiting, whichever is later), and again every
    /// interval after that until the holder lets go.
    pub fn take(&self, me: usize, clock: &dyn Clock) {
        let mut q = self.lock();
        let ticket = q.next_ticket;
        q.next_ticket += 1;
        let arrived = clock.now_ms();
        while q.serving != ticket {
            let now = clock.now_ms();
            let due = arrived.max(q.taken_at) + self.interval_ms;
            let wait_ms = if now >= due {
                self.drop_request.store(true, Ordering::Relaxed);
                self.interval_ms
            } else {
                due - now
            };
            let wait = Duration::from_secs_f64(wait_ms / 1e3);
            q = self.wake.wait_timeout(q, wait).map_or_else(|e| e.into_inner().0, |(g, _)| g);
        }
        q.taken_at = clock.now_ms();
        if q.last_holder.is_some_and(|last| last != me) {
            q.handoffs += 1;
        }
        q.last_holder = Some(me);
        self.owner.store(me, Ordering::Relaxed);
        // As in CPython's take_gil: the request was for whoever held the lock before.
        self.drop_request.store(false, Ordering::Relaxed);
    }

    /// Releases the lock (held by `me`) to the next thread in the queue.
    pub fn release(&self, me: usize) {
        let mut q = self.lock();
        debug_assert_eq!(self.owner.load(Ordering::Relaxed), me, "released by a non-holder");
        self.owner.store(FREE, Ordering::Relaxed);
        q.serving += 1;
        drop(q);
        self.wake.notify_all();
    }

    /// Whether a waiter has asked the holder to let go (checked at eval-breaker points).
    pub fn drop_requested(&self) -> bool {
        self.drop_request.load(Ordering::Relaxed)
    }

    /// The thread holding the lock, if any.
    pub fn owner(&self) -> Option<usize> {
        Some(self.owner.load(Ordering::Relaxed)).filter(|&o| o != FREE)
    }

    /// Times the lock passed from one thread to a different one.
    pub fn handoffs(&self) -> u64 {
        self.lock().handoffs
    }

    /// The switch interval in milliseconds.
    pub fn switch_interval_ms(&self) -> f64 {
        self.interval_ms
    }
}
