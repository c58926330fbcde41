//! Processes: separate interpreters that share no lock and no globals.
//!
//! Why: `multiprocessing` sidesteps the GIL by giving every worker its own interpreter (and
//! its own GIL, which nobody contends), at the price of copying inputs and outputs across the
//! process boundary as pickled bytes, and of not sharing state: a child's `counter += 1`
//! changes the child's copy only. Here a "process" is a job encoded to bytes, run by
//! [`process_main`] on a fresh machine with its own globals, and answered with bytes. In the
//! UI's workers mode each job goes to a separate Web Worker (no shared memory at all);
//! [`run_processes`] runs the same function on the rayon pool, still passing only bytes.

use std::sync::Mutex;
use std::sync::atomic::{AtomicI64, AtomicUsize, Ordering};

use super::thread::{Shared, StartBarrier};
use super::timeline::{Activity, Segment, max_overlap};
use super::types::{GilRun, MessageCost, Mode, RunError, Task, ThreadReport};
use super::vm::Program;
use super::wire::{Reader, Writer};
use crate::schedule::{Clock, RunControl};

const JOB_MAGIC: &[u8; 4] = b"GIJ1";
const OUTPUT_MAGIC: &[u8; 4] = b"GIO1";

/// What a parent sends a child: the code to run (the pickled callable), its arguments, a
/// copy of the globals, and the run's start on the shared clock (for the timeline).
#[derive(Clone, Debug, PartialEq)]
pub struct ProcessJob {
    /// The program to run; the child calls its `main`.
    pub program: Program,
    /// Arguments to `main`.
    pub args: Vec<i64>,
    /// The child's initial globals: a copy of the parent's, never written back.
    pub globals: Vec<i64>,
    /// The run's start on the shared clock, ms, so the child's timeline lines up with the
    /// others.
    pub t0_ms: f64,
}

/// What a child sends back.
#[derive(Clone, Debug, PartialEq)]
pub struct ProcessOutput {
    /// `main`'s result, or why the process failed.
    pub result: Result<i64, String>,
    /// Bytecode instructions the child executed.
    pub ops: u64,
    /// The child's globals at exit (never merged into the parent's).
    pub globals: Vec<i64>,
    /// The child's timeline, ms since the run's `t0_ms`.
    pub segments: Vec<Segment>,
    /// Time the child spent decoding its job.
    pub decode_ms: f64,
}

impl ProcessJob {
    /// The job as a message.
    pub fn encode(&self) -> Vec<u8> {
        let mut w = Writer(JOB_MAGIC.to_vec());
        w.program(&self.program);
        w.ints(&self.args);
        w.ints(&self.globals);
        w.f(self.t0_ms);
        w.0
    }

    /// Reads a message written by [`ProcessJob::encode`].
    pub fn decode(bytes: &[u8]) -> Result<ProcessJob, String> {
        let mut r = Reader { bytes: bytes.strip_prefix(JOB_MAGIC).ok_or("not a job")? };
        let job = ProcessJob {
            program: r.program()?,
            args: r.ints()?,
            globals: r.ints()?,
            t0_ms: r.f()?,
        };
        r.end()?;
        Ok(job)
    }
}

impl ProcessOutput {
    fn failed(message: String) -> ProcessOutput {
        let (globals, segments) = (Vec::new(), Vec::new());
        ProcessOutput { result: Err(message), ops: 0, globals, segments, decode_ms: 0.0 }
    }

    /// The output as a message.
    pub fn encode(&self) -> Vec<u8> {
        let mut w = Writer(OUTPUT_MAGIC.to_vec());
        match &self.result {
            Ok(v) => {
                w.0.push(0);
                w.i(*v);
            }
            Err(e) => {
                w.0.push(1);
                w.s(e);
            }
        }
        w.u(self.ops);
        w.ints(&self.globals);
        w.segments(&self.segments);
        w.f(self.decode_ms);
        w.0
    }

    /// Reads a message written by [`ProcessOutput::encode`].
    pub fn decode(bytes: &[u8]) -> Result<ProcessOutput, String> {
        let mut r = Reader { bytes: bytes.strip_prefix(OUTPUT_MAGIC).ok_or("not an output")? };
        let result = match r.byte()? {
            0 => Ok(r.i()?),
            1 => Err(r.s()?),
            _ => return Err("bad result tag".into()),
        };
        let (ops, globals, segments, decode_ms) = (r.u()?, r.ints()?, r.segments()?, r.f()?);
        r.end()?;
        Ok(ProcessOutput { result, ops, globals, segments, decode_ms })
    }
}

/// Runs one decoded job alone: its own machine, its own globals, no lock.
pub fn run_process(job: &ProcessJob, clock: &dyn Clock, control: &RunControl) -> ProcessOutput {
    let n = job.program.globals.len().max(job.globals.len());
    let globals: Vec<AtomicI64> =
        (0..n).map(|i| AtomicI64::new(job.globals.get(i).copied().unwrap_or(0))).collect();
    let ctx = Shared {
        gil: None,
        globals: &globals,
        clock,
        control,
        t0: job.t0_ms,
        in_bytecode: AtomicUsize::new(0),
        max_in_bytecode: AtomicUsize::new(0),
    };
    let out = ctx.interpret(0, &job.program, &job.args);
    let globals = globals.iter().map(|g| g.load(Ordering::Relaxed)).collect();
    match out {
        Ok(r) => {
            let result = Ok(r.result);
            ProcessOutput { result, ops: r.ops, globals, segments: r.segments, decode_ms: 0.0 }
        }
        Err(RunError::Vm { error, .. }) => ProcessOutput::failed(error.to_string()),
        Err(e) => ProcessOutput::failed(format!("{e:?}")),
    }
}

/// The body of a child process (a Web Worker in workers mode): job bytes in, output bytes
/// out. Must run off the browser's main thread (I/O waits block).
pub fn process_main(input: &[u8], clock: &dyn Clock, control: &RunControl) -> Vec<u8> {
    let start = clock.now_ms();
    let out = match ProcessJob::decode(input) {
        Ok(job) => {
            let decode_ms = clock.now_ms() - start;
            ProcessOutput { decode_ms, ..run_process(&job, clock, control) }
        }
        Err(e) => ProcessOutput::failed(e),
    };
    out.encode()
}

/// A batch of process jobs, encoded: what a parent posts to its children.
#[derive(Clone, Debug, PartialEq)]
pub struct Batch {
    /// The run's start on the shared clock (before encoding).
    pub t0: f64,
    /// One encoded [`ProcessJob`] per task.
    pub inputs: Vec<Vec<u8>>,
    globals: Vec<i64>,
    encode_ms: f64,
}

impl Batch {
    /// Encodes one job per task (the clock starts before the first encode).
    pub fn encode(tasks: &[Task], clock: &dyn Clock) -> Batch {
        let t0 = clock.now_ms();
        let globals = vec![0; tasks.iter().map(|t| t.program.globals.len()).max().unwrap_or(0)];
        let job = |t: &Task| ProcessJob {
            program: Program::clone(&t.program),
            args: t.args.clone(),
            globals: globals.clone(),
            t0_ms: t0,
        };
        let inputs = tasks.iter().map(|t| job(t).encode()).collect();
        Batch { t0, inputs, globals, encode_ms: clock.now_ms() - t0 }
    }

    /// Decodes the children's answers (`(thread, bytes)` in task order) into a run; the wall
    /// time ends after the last decode.
    pub fn finish(
        self,
        outputs: Vec<(usize, Vec<u8>)>,
        clock: &dyn Clock,
    ) -> Result<GilRun, RunError> {
        let decode_from = clock.now_ms();
        let mut messages =
            MessageCost { messages: 2 * self.inputs.len() as u64, ..Default::default() };
        messages.bytes_in = self.inputs.iter().map(|m| m.len() as u64).sum();
        let mut threads = Vec::with_capacity(outputs.len());
        for (task, (thread, bytes)) in outputs.into_iter().enumerate() {
            messages.bytes_out += bytes.len() as u64;
            let failed = |message| RunError::Process { task, message };
            let out = ProcessOutput::decode(&bytes).map_err(failed)?;
            messages.ms += out.decode_ms;
            let result = out.result.map_err(failed)?;
            let (ops, segments, globals) = (out.ops, out.segments, out.globals);
            threads.push(ThreadReport { thread, result, ops, segments, globals });
        }
        let end = clock.now_ms();
        messages.ms += self.encode_ms + (end - decode_from);
        let max_in_bytecode =
            max_overlap(threads.iter().map(|t| &t.segments[..]), Activity::Running);
        Ok(GilRun {
            mode: Mode::Processes,
            wall_ms: end - self.t0,
            threads,
            globals: self.globals,
            handoffs: 0,
            max_in_bytecode,
            messages,
        })
    }
}

/// [`Mode::Processes`] on the current rayon pool: one child per task, fed and answered
/// only through bytes. The wall time includes encoding the jobs and decoding the outputs.
pub fn run_processes(
    tasks: &[Task],
    clock: &dyn Clock,
    control: &RunControl,
) -> Result<GilRun, RunError> {
    let batch = Batch::encode(tasks, clock);
    let outputs = Mutex::new(vec![(0, Vec::new()); tasks.len()]);
    let ready = StartBarrier::new(tasks.len());
    rayon::scope(|s| {
        for (i, input) in batch.inputs.iter().enumerate() {
            let (outputs, ready) = (&outputs, &ready);
            s.spawn(move |_| {
                ready.arrive(clock, batch.t0);
                let out = process_main(input, clock, control);
                let thread = rayon::current_thread_index().unwrap_or(0);
                outputs.lock().unwrap_or_else(|e| e.into_inner())[i] = (thread, out);
            });
        }
    });
    if control.is_cancelled() {
        return Err(RunError::Cancelled);
    }
    batch.finish(outputs.into_inner().unwrap_or_else(|e| e.into_inner()), clock)
}
