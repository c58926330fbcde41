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
