//! The typed messages between the page and its compute workers, sent as JSON strings.

use parlab_kernels::KernelSpec;
use parlab_kernels::gil::sweep::{Report, Sweep};
use parlab_kernels::measure::{Job, StepResult};
use parlab_kernels::races::{CounterRun, DeadlockTrial, LockOrder, Variant};
use serde::{Deserialize, Serialize};

/// Page → worker.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Request {
    /// `threads` mode: run a whole job on the worker's rayon pool.
    RunJob { id: u32, job: Job },
    /// `threads` mode: stop the job between chunks.
    Cancel { id: u32 },
    /// `workers` / `single` mode: run the serial section (or its calibration) here.
    Serial { id: u32, iters: u64 },
    /// `workers` / `single` mode: time the serial chain to size the serial section.
    Calibrate { id: u32 },
    /// Render a small Mandelbrot image (iteration counts) for display; any mode, worker 0.
    Preview { id: u32, width: usize, height: usize, max_iter: u32 },
    /// `threads` mode: K threads × M increments of a shared counter; each `(variant, times)`
    /// of `plan` is run `times` times.
    Race { id: u32, plan: Vec<(Variant, usize)>, threads: usize, increments: u64 },
    /// `threads` mode: two threads, two locks, `trials` times.
    Deadlock { id: u32, order: LockOrder, trials: usize, hold_ms: f64 },
    /// `workers` / `single` mode: compute one chunk on this worker's own thread.
    Chunk { id: u32, spec: KernelSpec, chunk: usize },
    /// `threads` mode: a GIL sweep on the pool, with progress and cancel like `RunJob`.
    Gil { id: u32, sweep: Sweep },
    /// Any mode: run one encoded interpreter process (`gil::ProcessJob`) on this worker.
    Process { id: u32, job: Vec<u8> },
    /// `threads` mode: the machine lab's five experiments on the pool, with progress and
    /// cancel; `reported` is `navigator.hardwareConcurrency`.
    Machine { id: u32, config: parlab_kernels::machine::MachineConfig, reported: usize },
    /// `threads` mode: scalar vs SIMD on 1..N pool threads, with progress and cancel.
    Simd { id: u32, job: parlab_kernels::simd::Job },
}

/// Worker → page.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Event {
    /// A worker started with `hold` has its wasm instance and waits for its pool size (the
    /// start-up probe runs meanwhile).
    Loaded,
    /// `threads` mode: the wasm instance is ready and the pool's threads are being started
    /// (normally done within a second; see [`crate::compute::env::pool_stall_ms`]).
    PoolStarting {
        threads: usize,
    },
    /// The wasm instance (and, in `threads` mode, its pool) is ready.
    Ready {
        threads: usize,
    },
    /// Start-up failed (e.g. no SharedArrayBuffer for the pool).
    Failed {
        message: String,
    },
    Progress {
        id: u32,
        done: usize,
        total: usize,
    },
    Finished {
        id: u32,
        results: Vec<StepResult>,
    },
    Cancelled {
        id: u32,
    },
    /// The serial section is done; times on the shared clock.
    SerialDone {
        id: u32,
        start_abs: f64,
        end_abs: f64,
    },
    /// [`Request::Calibrate`] done: ms for `CALIBRATION_ITERS` iterations.
    Calibrated {
        id: u32,
        ms: f64,
    },
    /// [`Request::Preview`] done: row-major iteration counts, top row first.
    Preview {
        id: u32,
        width: usize,
        height: usize,
        iters: Vec<u16>,
    },
    RaceDone {
        id: u32,
        runs: Vec<CounterRun>,
    },
    DeadlockDone {
        id: u32,
        trials: Vec<DeadlockTrial>,
    },
    /// One chunk done; times are on the shared clock (`timeOrigin + now()`, ms).
    ChunkDone {
        id: u32,
        chunk: usize,
        value: u64,
        start_abs: f64,
        end_abs: f64,
    },
    /// [`Request::Gil`] done.
    GilDone {
        id: u32,
        report: Report,
    },
    /// [`Request::Gil`] failed (a fault in the interpreter or a wrong answer).
    GilFailed {
        id: u32,
        message: String,
    },
    /// [`Request::Process`] done: the encoded `gil::ProcessOutput`.
    ProcessDone {
        id: u32,
        output: Vec<u8>,
    },
    /// [`Request::Machine`] done.
    MachineDone {
        id: u32,
        report: Box<parlab_kernels::machine::MachineReport>,
    },
    /// [`Request::Simd`] done.
    SimdDone {
        id: u32,
        report: Box<parlab_kernels::simd::Report>,
    },
    /// [`Request::Simd`] failed (a variant this engine lacks, or a wrong answer).
    SimdFailed {
        id: u32,
        message: String,
    },
}

impl Event {
    /// The request id this event answers, if any (see `Compute::ask`).
    pub fn id(&self) -> Option<u32> {
        match self {
            Event::Loaded
            | Event::PoolStarting { .. }
            | Event::Ready { .. }
            | Event::Failed { .. } => None,
            Event::Progress { id, .. }
            | Event::Finished { id, .. }
            | Event::Cancelled { id }
            | Event::SerialDone { id, .. }
            | Event::Calibrated { id, .. }
            | Event::Preview { id, .. }
            | Event::RaceDone { id, .. }
            | Event::DeadlockDone { id, .. }
            | Event::ChunkDone { id, .. }
            | Event::GilDone { id, .. }
            | Event::GilFailed { id, .. }
            | Event::ProcessDone { id, .. }
            | Event::MachineDone { id, .. }
            | Event::SimdDone { id, .. }
            | Event::SimdFailed { id, .. } => Some(*id),
        }
    }

    /// Whether more events may follow this one for the same request.
    pub fn is_progress(&self) -> bool {
        matches!(self, Event::Progress { .. })
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}
