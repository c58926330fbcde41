//! Running interpreter threads: with the GIL, free-threaded, or as separate processes.
//!
//! Why K rayon tasks: as in `schedule`, the wasm pool cannot be resized, so "K threads" means
//! exactly K tasks on the current pool, each one interpreter thread with its own machine.
//! The threads share the program's globals (one `AtomicI64` per slot) and, in
//! [`Mode::Gil`], one [`Gil`]: a thread runs bytecode only while holding it, offers it up at
//! check points when asked, and releases it around I/O and native calls. In
//! [`Mode::FreeThreaded`] (PEP 703, Python 3.13t) the same threads run with no lock at all.
//! [`Mode::Processes`] is in `process`: separate interpreters that share nothing.
//!
//! Dependencies go one way: this module uses [`super::process`], and both use the interpreter
//! thread (`thread`) and the run's types (`types`), which use neither.

use std::sync::Mutex;
use std::sync::atomic::{AtomicI64, AtomicUsize, Ordering};

use super::lock::Gil;
use super::process::run_processes;
use super::thread::{Shared, StartBarrier};
use super::types::{GilConfig, GilRun, MessageCost, Mode, RunError, Task};
use crate::schedule::{Clock, RunControl};

/// Runs one interpreter thread per task on the current rayon pool, in `config.mode`.
pub fn run(
    tasks: &[Task],
    config: GilConfig,
    clock: &dyn Clock,
    control: &RunControl,
) -> Result<GilRun, RunError> {
    if config.mode == Mode::Processes {
        return run_processes(tasks, clock, control);
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
    let ready = StartBarrier::new(tasks.len());
    rayon::scope(|s| {
        for (i, task) in tasks.iter().enumerate() {
            let (ctx, results, ready) = (&ctx, &results, &ready);
            s.spawn(move |_| {
                ready.arrive(clock, t0);
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
