//! Code that runs inside a compute worker (`web/compute-worker.js` loads the same wasm module
//! and calls these exports). In `threads` mode the worker owns the rayon pool; jobs run on the
//! pool while the worker's own event loop stays free to answer `worker_poll` and `Cancel`.

use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};

use parlab_kernels::measure::{calibrate_serial, execute_on_pool};
use parlab_kernels::schedule::{RunControl, serial_chain};
use parlab_kernels::{gil, mandelbrot, races};
use wasm_bindgen::prelude::*;

use super::clock::now_abs_ms;
use super::progress::ProgressGate;
use super::protocol::{Event, Request};

/// A job running on the pool.
struct Active {
    id: u32,
    total: usize,
    control: RunControl,
    /// The final event, once the pool thread has finished (or given up).
    outcome: Mutex<Option<Event>>,
}

/// The longest a deadlock-demo thread waits for a lock before giving up (it normally detects
/// the cycle within microseconds).
const DEADLOCK_BOUND_MS: f64 = 2_000.0;

static ACTIVE: Mutex<Option<Arc<Active>>> = Mutex::new(None);
/// The chunk count last reported for the active job, and when reports may go out.
static LAST_PROGRESS: Mutex<(usize, ProgressGate)> = Mutex::new((usize::MAX, ProgressGate::new()));

/// Handles one request (a JSON [`Request`]); returns a JSON [`Event`] to post back, if any.
#[wasm_bindgen]
pub fn worker_handle(message: &str) -> Option<String> {
    let request: Request = match serde_json::from_str(message) {
        Ok(r) => r,
        Err(e) => {
            return Some(Event::Failed { message: format!("bad request: {e}") }.to_json());
        }
    };
    match request {
        Request::RunJob { id, job } => {
            start(id, job.total_chunks(), move |control| {
                match execute_on_pool(&job, &now_abs_ms, control) {
                    Ok(results) => Event::Finished { id, results },
                    Err(_) => Event::Cancelled { id },
                }
            });
            None
        }
        Request::Gil { id, sweep } => {
            start(id, sweep.steps().len(), move |control| {
                match gil::sweep::execute(&sweep, &now_abs_ms, control) {
                    Ok(report) => Event::GilDone { id, report },
                    Err(gil::RunError::Cancelled) => Event::Cancelled { id },
                    Err(e) => Event::GilFailed { id, message: gil_error(&e) },
                }
            });
            None
        }
        Request::Machine { id, config, reported } => {
            start(id, config.steps(), move |control| {
                match parlab_kernels::machine::run_all(&config, reported, &now_abs_ms, control) {
                    Ok(report) => Event::MachineDone { id, report: Box::new(report) },
                    Err(_) => Event::Cancelled { id },
                }
            });
            None
        }
        Request::Simd { id, job } => {
            start(id, job.total_chunks(), move |control| {
                match parlab_kernels::simd::execute(&job, &now_abs_ms, control) {
                    Ok(report) => Event::SimdDone { id, report: Box::new(report) },
                    Err(parlab_kernels::simd::SimdError::Cancelled) => Event::Cancelled { id },
                    Err(e) => Event::SimdFailed { id, message: e.to_string() },
                }
            });
            None
        }
        Request::Process { id, job } => {
            let output = gil::process_main(&job, &now_abs_ms, &RunControl::default());
            Some(Event::ProcessDone { id, output }.to_json())
        }
        Request::Cancel { id } => {
            if let Some(a) = lock(&ACTIVE).as_ref().filter(|a| a.id == id) {
                a.control.cancel.store(true, Ordering::Relaxed);
            }
            None
        }
        Request::Serial { id, iters } => {
            let start_abs = now_abs_ms();
            serial_chain(iters);
            let end_abs = now_abs_ms();
            Some(Event::SerialDone { id, start_abs, end_abs }.to_json())
        }
        Request::Preview { id, width, height, max_iter } => {
            let iters = mandelbrot::render(width, height, max_iter)
                .into_iter()
                .map(|i| i.min(u16::MAX as u32) as u16)
                .collect();
            Some(Event::Preview { id, width, height, iters }.to_json())
        }
        Request::Race { id, plan, threads, increments } => {
            let runs = plan
                .iter()
                .flat_map(|&(v, times)| (0..times).map(move |_| v))
                .map(|v| races::count(v, threads, increments, &now_abs_ms))
                .collect();
            Some(Event::RaceDone { id, runs }.to_json())
        }
        Request::Deadlock { id, order, trials, hold_ms } => {
            let trials = (0..trials)
                .map(|_| races::deadlock_trial(order, hold_ms, DEADLOCK_BOUND_MS, &now_abs_ms))
                .collect();
            Some(Event::DeadlockDone { id, trials }.to_json())
        }
        Request::Calibrate { id } => {
            Some(Event::Calibrated { id, ms: calibrate_serial(&now_abs_ms) }.to_json())
        }
        Request::Chunk { id, spec, chunk } => {
            let start_abs = now_abs_ms();
            let value = spec.with_kernel(|k| k.run_chunk(chunk));
            let end_abs = now_abs_ms();
            Some(Event::ChunkDone { id, chunk, value, start_abs, end_abs }.to_json())
        }
    }
}

/// Called by the worker's timer: progress of the running job, or its final event.
#[wasm_bindgen]
pub fn worker_poll() -> Option<String> {
    let mut slot = lock(&ACTIVE);
    let active = slot.as_ref()?.clone();
    let finished = lock(&active.outcome).take();
    let Some(outcome) = finished else {
        let done = active.control.chunks_done.load(Ordering::Relaxed);
        let mut last = lock(&LAST_PROGRESS);
        if last.0 == done || !last.1.due(now_abs_ms()) {
            return None;
        }
        last.0 = done;
        return Some(Event::Progress { id: active.id, done, total: active.total }.to_json());
    };
    *slot = None;
    Some(outcome.to_json())
}

/// Runs `work` on the pool as the active job (cancelling any other), `total` steps long.
fn start(id: u32, total: usize, work: impl FnOnce(&RunControl) -> Event + Send + 'static) {
    let active =
        Arc::new(Active { id, total, control: RunControl::default(), outcome: Mutex::new(None) });
    if let Some(old) = lock(&ACTIVE).replace(active.clone()) {
        old.control.cancel.store(true, Ordering::Relaxed);
    }
    *lock(&LAST_PROGRESS) = (usize::MAX, ProgressGate::new());
    rayon::spawn(move || {
        let outcome = work(&active.control);
        *lock(&active.outcome) = Some(outcome);
    });
}

fn gil_error(e: &gil::RunError) -> String {
    match e {
        gil::RunError::Vm { task, error } => format!("interpreter thread {task} faulted: {error}"),
        gil::RunError::Process { message, .. } => message.clone(),
        gil::RunError::Cancelled => "cancelled".into(),
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}
