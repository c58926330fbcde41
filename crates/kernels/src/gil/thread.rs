//! One interpreter thread, as the threaded runner ([`super::run`]) and each process
//! ([`super::process`]) run it: a machine on the shared globals, taking and releasing the GIL
//! (if there is one) around bytecode, I/O and native calls, and recording its timeline.

use std::sync::atomic::{AtomicI64, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex};
use std::time::Duration;

use super::lock::Gil;
use super::native::{block_for, native_hash};
use super::timeline::{Activity, Recorder};
use super::types::{RunError, ThreadReport};
use super::vm::{Event, Machine, Program};
use crate::schedule::{Clock, RunControl};

/// A start barrier: otherwise one thread may finish before a sleeping pool thread wakes and
/// nothing overlaps. Gives up after 200 ms (fewer pool threads than tasks).
///
/// Arrivals *block* (a `Condvar`: a futex natively, `memory.atomic.wait32` on wasm) rather
/// than spin: with 8 interpreter threads on 2 cores, spinning arrivals took the cores the
/// sleeping pool threads needed to wake up, and the start alone cost tens of milliseconds —
/// a quarter of an I/O-bound run at 8 threads, which then scaled 4× instead of 8×.
pub(super) struct StartBarrier {
    arrived: Mutex<usize>,
    all_here: Condvar,
    tasks: usize,
}

impl StartBarrier {
    /// A barrier for `tasks` threads.
    pub fn new(tasks: usize) -> Self {
        StartBarrier { arrived: Mutex::new(0), all_here: Condvar::new(), tasks }
    }

    /// Blocks until every task has arrived or 200 ms of `clock` time have passed since `t0`.
    pub fn arrive(&self, clock: &dyn Clock, t0: f64) {
        let mut arrived = self.arrived.lock().unwrap_or_else(|e| e.into_inner());
        *arrived += 1;
        if *arrived >= self.tasks {
            self.all_here.notify_all();
            return;
        }
        while *arrived < self.tasks {
            let left = 200.0 - (clock.now_ms() - t0);
            if left <= 0.0 {
                return;
            }
            let wait = Duration::from_secs_f64(left.min(10.0) / 1e3);
            arrived = self
                .all_here
                .wait_timeout(arrived, wait)
                .map_or_else(|e| e.into_inner().0, |(g, _)| g);
        }
    }
}

/// What the threads of one run share.
pub(super) struct Shared<'a> {
    /// `None`: free-threaded (or a process's only thread, whose own GIL nobody contends).
    pub gil: Option<&'a Gil>,
    pub globals: &'a [AtomicI64],
    pub clock: &'a dyn Clock,
    pub control: &'a RunControl,
    pub t0: f64,
    pub in_bytecode: AtomicUsize,
    pub max_in_bytecode: AtomicUsize,
}

impl Shared<'_> {
    /// Takes the GIL (if any) and starts a `Running` segment once it is held.
    fn enter(&self, me: usize, rec: &mut Recorder) {
        if let Some(gil) = self.gil {
            rec.switch(Some(Activity::WaitGil));
            gil.take(me, self.clock);
        }
        let now = self.in_bytecode.fetch_add(1, Ordering::SeqCst) + 1;
        self.max_in_bytecode.fetch_max(now, Ordering::Relaxed);
        rec.switch(Some(Activity::Running));
    }

    /// Ends the `Running` segment (still holding the GIL), then releases the GIL.
    fn leave(&self, me: usize, rec: &mut Recorder, next: Option<Activity>) {
        rec.switch(next);
        self.in_bytecode.fetch_sub(1, Ordering::SeqCst);
        if let Some(gil) = self.gil {
            gil.release(me);
        }
    }

    /// One interpreter thread: runs `task` to the end, handling the machine's events.
    pub fn interpret(
        &self,
        me: usize,
        program: &Program,
        args: &[i64],
    ) -> Result<ThreadReport, RunError> {
        let vm = |error| RunError::Vm { task: me, error };
        let mut machine = Machine::new(program, args).map_err(vm)?;
        let mut rec = Recorder::new(self.clock, self.t0);
        self.enter(me, &mut rec);
        let outcome = loop {
            let event = match machine.run(self.globals) {
                Ok(event) => event,
                Err(e) => break Err(vm(e)),
            };
            match event {
                Event::CheckPoint if self.control.is_cancelled() => break Err(RunError::Cancelled),
                Event::CheckPoint => {
                    if self.gil.is_some_and(Gil::drop_requested) {
                        self.leave(me, &mut rec, Some(Activity::WaitGil));
                        self.enter(me, &mut rec);
                    }
                }
                Event::Io(ms) => {
                    self.leave(me, &mut rec, Some(Activity::Io));
                    block_for(f64::from(ms), self.clock);
                    self.enter(me, &mut rec);
                }
                Event::Native(bytes) => {
                    self.leave(me, &mut rec, Some(Activity::Native));
                    let hash = native_hash(bytes);
                    self.enter(me, &mut rec);
                    if let Err(e) = machine.push(hash) {
                        break Err(vm(e));
                    }
                }
                Event::Done(result) => break Ok(result),
            }
        };
        self.leave(me, &mut rec, None);
        let thread = rayon::current_thread_index().unwrap_or(0);
        let ops = machine.ops();
        let segments = rec.finish();
        outcome.map(|result| ThreadReport { thread, result, ops, segments, globals: Vec::new() })
    }
}
