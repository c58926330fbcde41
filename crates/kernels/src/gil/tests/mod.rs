//! Tests: the interpreter alone (`vm`), then real threads on small rayon pools (`threads`).
//! Timing assertions are loose on purpose: the machine is shared and noisy.

mod sweep;
mod threads;
mod vm;

use std::sync::atomic::AtomicI64;
use std::sync::atomic::Ordering::Relaxed;

use super::native::native_hash;
use super::vm::{Event, Machine, Program, VmError};

fn clock() -> impl Fn() -> f64 + Sync {
    let start = std::time::Instant::now();
    move || start.elapsed().as_secs_f64() * 1e3
}

fn pool(n: usize) -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new().num_threads(n).build().unwrap()
}

/// Runs `program` on this thread with fresh globals, skipping I/O waits; returns the result
/// and the globals.
fn try_run(program: &Program, args: &[i64]) -> Result<(i64, Vec<i64>), VmError> {
    let globals: Vec<AtomicI64> = program.globals.iter().map(|_| AtomicI64::new(0)).collect();
    let mut m = Machine::new(program, args)?;
    loop {
        match m.run(&globals)? {
            Event::CheckPoint | Event::Io(_) => {}
            Event::Native(n) => m.push(native_hash(n))?,
            Event::Done(v) => return Ok((v, globals.iter().map(|g| g.load(Relaxed)).collect())),
        }
    }
}

fn run_alone(program: &Program, args: &[i64]) -> (i64, Vec<i64>) {
    try_run(program, args).unwrap()
}
