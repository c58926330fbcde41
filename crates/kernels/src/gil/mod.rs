//! Threads vs processes and the GIL, measured: a tiny bytecode interpreter run by real
//! threads that share one real global interpreter lock.
//!
//! Why build an interpreter at all: the GIL is a property of *interpreting* — it protects
//! the eval loop — so the lesson's CPU-bound work must be genuine bytecode dispatch
//! ([`vm`]), written in a readable assembly ([`asm`], [`presets`]). Why real threads and a
//! real lock ([`lock`]): the per-thread Gantt chart, the hand-off count and the wall times are
//! then measurements of what the lock does, including its rules (switch interval, drop
//! request, check points only at backward jumps and calls as in CPython 3.10+), rather than
//! an animation of what it is supposed to do. The same interpreter runs free-threaded (no
//! lock, PEP 703) and as separate processes that exchange serialised bytes ([`process`]).
//!
//! Layout: [`op`] the instruction set, [`vm`] the machine, [`asm`] the assembler, [`presets`]
//! the workloads, [`lock`] the GIL, [`native`] blocking I/O and the "C library", `types` what a
//! run takes and returns ([`Mode`], [`Task`], [`GilRun`], …), `thread` one interpreter thread,
//! [`process`] processes and their messages, [`run`](mod@run) the runner of every mode,
//! [`sweep`] the measured sweep, [`timeline`] the recorded segments. Dependencies go one way,
//! in roughly that order: [`run`](mod@run) uses [`process`], and both use `thread` and
//! `types`.

pub mod asm;
pub mod lock;
pub mod native;
pub mod op;
pub mod presets;
pub mod process;
pub mod run;
pub mod sweep;
mod thread;
pub mod timeline;
mod types;
pub mod vm;
mod wire;

pub use asm::{AsmError, assemble};
pub use lock::{DEFAULT_SWITCH_INTERVAL_MS, Gil};
pub use op::Op;
pub use presets::Preset;
pub use process::{Batch, ProcessJob, ProcessOutput, process_main, run_process, run_processes};
pub use run::run;
pub use timeline::{Activity, Segment};
pub use types::{GilConfig, GilRun, MessageCost, Mode, RunError, Task, ThreadReport};
pub use vm::{Event, Machine, Program, VmError};

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;
