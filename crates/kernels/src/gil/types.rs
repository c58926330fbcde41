//! What a run takes and what it gives back: the mode, the tasks, the settings, the reports and
//! the errors.
//!
//! Both runners, the threaded one ([`super::run`]) and the processes one ([`super::process`]),
//! speak this vocabulary, so it lives below both of them and neither has to import the other's
//! types.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::lock::DEFAULT_SWITCH_INTERVAL_MS;
use super::timeline::Segment;
use super::vm::{Program, VmError};

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
    /// The program, shared by every thread that runs it.
    pub program: Arc<Program>,
    /// Arguments to `main`, e.g. this thread's share of the work.
    pub args: Vec<i64>,
}

/// A run's settings.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct GilConfig {
    /// GIL, free-threaded or processes.
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
    /// Its timeline (the Gantt chart's row), ms since the run started.
    pub segments: Vec<Segment>,
    /// Processes only: this process's own globals at exit (threads share [`GilRun::globals`]).
    pub globals: Vec<i64>,
}

/// What serialising messages cost ([`Mode::Processes`]; zero for threads).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MessageCost {
    /// Messages sent: one job to and one answer from each process.
    pub messages: u64,
    /// Bytes of the jobs, parent to children.
    pub bytes_in: u64,
    /// Bytes of the answers, children to parent.
    pub bytes_out: u64,
    /// Time spent encoding and decoding, summed over all messages (each child's final encode
    /// of its own output cannot be timed inside that output and is left out).
    pub ms: f64,
}

/// One timed run of K interpreter threads.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GilRun {
    /// The mode it ran in.
    pub mode: Mode,
    /// Wall time from the start until every thread finished (processes: until the last
    /// answer was decoded), ms.
    pub wall_ms: f64,
    /// One report per task, in task order.
    pub threads: Vec<ThreadReport>,
    /// The shared globals afterwards (untouched in [`Mode::Processes`]).
    pub globals: Vec<i64>,
    /// Times the GIL passed to a different thread.
    pub handoffs: u64,
    /// The most threads that were executing bytecode at once (1 under the GIL).
    pub max_in_bytecode: usize,
    /// Serialisation cost (all zero for threads).
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
    Vm {
        /// Index of the task, in the order given.
        task: usize,
        /// The fault and where it happened.
        error: VmError,
    },
    /// `RunControl::cancel` was set.
    Cancelled,
    /// Process `task` failed (a fault inside it, or a message that could not be decoded).
    Process {
        /// Index of the task (0 for a sweep's own failures).
        task: usize,
        /// What went wrong, in words.
        message: String,
    },
}
