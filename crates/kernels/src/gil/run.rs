//! Running interpreter threads: with the GIL, free-threaded, or as separate processes.
//!
//! Why K rayon tasks: as in `schedule`, the wasm pool cannot be resized, so "K threads" means
//! exactly K tasks on the current pool, each one interpreter thread with its own machine.
//! The threads share the program's globals (one `AtomicI64` per slot) and, in
//! [`Mode::Gil`], one [`Gil`]: a thread runs bytecode only while holding it, offers it up at
//! check points when asked, and releases it around I/O and native calls. In
//! [`Mode::FreeThreaded`] (PEP 703, Python 3.13t) the same threads run with no lock at all.
//! [`Mode::Processes`] is in `process`: separate interpreters that share nothing.

use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicI64, AtomicUsize, Ordering};

use serde::{Deserialize, Serialize};

use super::lock::{DEFAULT_SWITCH_INTERVAL_MS, Gil};
use super::native::{block_for, native_hash};
use super::timeline::{Activity, Recorder, Segment};
use super::vm::{Event, Machine, Program, VmError};
use crate::schedule::{Clock, RunControl};

/// How the interpreter threads are organised.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// Threads sharing one GIL (CPython).
    #[default]
    Gil,
    /// Threads with no GIL (PEP 703, Python 3.13t).
    FreeThreaded,
    /// Separate interpreters with their own globals, talking through serialised messages.
    Processes,
}

impl Mode {
    /// Every mode.
    pub const ALL: [Mode; 3] = [Mode::Gil, Mode::FreeThreaded, Mode::Processes];
}

/// One interpreter thread's job: `program`'s `main` called with `args`.
#[derive(Clone, Debug, PartialEq)]
pub struct Task {
    pub program: Arc<Program>,
    pub args: Vec<i64>,
}

/// A run's settings.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct GilConfig {
    pub mode: Mode,
    /// How long a waiter waits before asking the holder to drop the GIL (ms).
    pub switch_interval_ms: f64,
}

impl Default for GilConfig {
    fn default() -> Self {
        GilConfig { mode: Mode::Gil, switch_interval_ms: DEFAULT_SWITCH_INTERVAL_MS }
    }
}

/// What one interpreter thread (or process) did.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ThreadReport {
    /// The rayon thread that ran it.
    pub thread: usize,
    /// `main`'s return value.
    pub result: i64,
    /// Bytecode instructions executed.
    pub ops: u64,
    pub segments: Vec<Segment>,
    /// Processes only: this process's own globals at exit (threads share [`GilRun::globals`]).
    pub globals: Vec<i64>,
}

/// What serialising messages cost ([`Mode::Processes`]; zero for threads).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MessageCost {
    pub messages: u64,
    pub bytes_in: u64,
    pub bytes_out: u64,
    /// Time spent encoding and decoding, summed over all messages (each child's final encode
    /// of its own output cannot be timed inside that output and is left out).
    pub ms: f64,
}

/// One timed run of K interpreter threads.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GilRun {
    pub mode: Mode,
    pub wall_ms: f64,
    /// One report per task, in task order.
    pub threads: Vec<ThreadReport>,
    /// The shared globals afterwards (untouched in [`Mode::Processes`]).
    pub globals: Vec<i64>,
    /// Times the GIL passed to a different thread.
    pub handoffs: u64,
    /// The most threads that were executing bytecode at once (1 under the GIL).
    pub max_in_bytecode: usize,
    pub messages: MessageCost,
}

impl GilRun {
    /// Sum of the threads' results (e.g. the prime count when the work was split).
    pub fn total(&self) -> i64 {
        self.threads.iter().map(|t| t.result).sum()
    }
}

/// Why a run did not finish.
#[derive(Clone, Debug, PartialEq)]
pub enum RunError {
    /// Task `task`'s program faulted.
    Vm { task: usize, error: VmError },
    /// `RunControl::cancel` was set.
    Cancelled,
    /// Process `task` failed (a fault inside it, or a message that could not be decoded).
    Process { task: usize, message: String },
}

/// Runs one interpreter thread per task on the current rayon pool, in `config.mode`.
pub fn run(
    tasks: &[Task],
    config: GilConfig,
    clock: &dyn Clock,
    control: &RunControl,
) -> Result<GilRun, RunError> {
    if config.mode == Mode::Processes {
        return super::process::run_processes(tasks, clock, control);
    }
    let slots = tasks.iter().map(|t| t.program.globals.len()).max().unwrap_or(0);
    let globals: Vec<AtomicI64> = (0..slots).map(|_| AtomicI64::new(0)).collect();
    let gil = Gil::new(config.switch_interval_ms);
    let t0 = clock.now_ms();
    let ctx = Shared {
        gil: (config.mode == Mode::Gil).then_some(&gil),
        globals: &globals,
        clock,
        control,
        t0,
        in_bytecode: AtomicUsize::new(0),
        max_in_bytecode: AtomicUsize::new(0),
    };
    let results = Mutex::new(vec![None; tasks.len()]);
    let ready = AtomicUsize::new(0);
    rayon::scope(|s| {
        for (i, task) in tasks.iter().enumerate() {
            let (ctx, results, ready) = (&ctx, &results, &ready);
            s.spawn(move |_| {
                start_together(ready, tasks.len(), clock, t0);
                let out = ctx.interpret(i, &task.program, &task.args);
                results.lock().unwrap_or_else(|e| e.into_inner())[i] = Some(out);
            });
        }
    });
    let wall_ms = clock.now_ms() - t0;
    let threads = results
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .into_iter()
        .map(|r| r.expect("every task reports"))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(GilRun {
        mode: config.mode,
        wall_ms,
        threads,
        globals: globals.iter().map(|g| g.load(Ordering::Relaxed)).collect(),
        handoffs: gil.handoffs(),
        max_in_bytecode: ctx.max_in_bytecode.into_inner(),
        messages: MessageCost::default(),
    })
}

/// A start barrier (as in `races`): otherwise one thread may finish before a sleeping pool
/// thread wakes and nothing overlaps. Gives up after 200 ms (fewer pool threads than tasks).
pub(super) fn start_together(ready: &AtomicUsize, tasks: usize, clock: &dyn Clock, t0: f64) {
    ready.fetch_add(1, Ordering::AcqRel);
    while ready.load(Ordering::Acquire) < tasks && clock.now_ms() - t0 < 200.0 {
        std::hint::spin_loop();
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
