//! The page's side of the compute workers: measures how many threads are useful, starts the
//! workers for the chosen [`Mode`], runs jobs, forwards progress, falls back from `threads` to
//! `workers` if the pool cannot start (or does not start in time). Nothing here blocks: every
//! reply arrives as a worker message.
//!
//! This file holds the handle and its job API; `probe.rs` runs the start-up probe,
//! `startup.rs` starts the workers (watchdog, fallback), `messages.rs` handles what they send
//! back.

use std::cell::RefCell;
use std::rc::Rc;

use parlab_kernels::measure::{Job, StepResult};
use wasm_bindgen::JsValue;
use wasm_bindgen::prelude::*;
use web_sys::{MessageEvent, Worker};
use yew::Callback;

use super::chunks::{ChunkDriver, Next};
use super::clock::now_abs_ms;
use super::env::{Mode, Plan};
use super::probe::Estimate;
use super::progress::ProgressGate;
use super::protocol::{Event, Request};

mod messages;
mod probe;
mod startup;

pub(super) use startup::GLUE_URL;

/// What a lesson hears about its job.
#[derive(Clone, Debug, PartialEq)]
pub enum RunEvent {
    Progress { done: usize, total: usize },
    Finished(Vec<StepResult>),
    Cancelled,
    Failed(String),
}

/// Start-up state of the compute workers.
#[derive(Clone, Debug, PartialEq)]
pub enum Status {
    Starting,
    Ready,
    Failed(String),
}

/// Handle to the compute workers, shared by the app and its lessons (cheap to clone).
#[derive(Clone)]
pub struct Compute(Rc<RefCell<Inner>>);

impl PartialEq for Compute {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

struct Inner {
    plan: Plan,
    status: Status,
    workers: Vec<Worker>,
    ready: usize,
    handlers: Vec<Closure<dyn FnMut(MessageEvent)>>,
    next_id: u32,
    job: Option<Running>,
    /// One-off requests to worker 0 awaiting their answer, by request id.
    asks: Vec<(u32, Callback<Event>)>,
    on_change: Callback<()>,
    /// Bumped each time workers are started; timers of an earlier start do nothing.
    generation: u32,
    /// The start-up probe while it runs.
    probe: Option<probe::Probing>,
    /// A `threads`-mode compute worker started with the probe: it loads the wasm module while
    /// the probe workers start, and starts its pool once the probe has sized it.
    held: Option<Held>,
    /// What the probe concluded (`None`: not run, or still running).
    estimate: Option<Estimate>,
    /// When the workers first became ready, ms since navigation (the start-up cost
    /// `./bench` reports as `data-ready-ms`).
    ready_ms: Option<f64>,
    /// `fault=` from the URL: injected start-up faults for tests (`pool-hang`, `pool-stall`,
    /// `pool-fail`, `probe-hang`).
    fault: Option<String>,
    /// The pool stalled while starting its threads and was started again (once per page).
    restarted: bool,
}

/// The compute worker held during the probe (see `Inner::held`).
struct Held {
    /// It has said `loaded`: its start-up work is done, so the probe's timed rounds have the
    /// cores to themselves.
    loaded: bool,
}

/// A small Mandelbrot image: row-major iteration counts, top row first.
#[derive(Clone, Debug, PartialEq)]
pub struct Preview {
    pub width: usize,
    pub height: usize,
    pub iters: Vec<u16>,
}

struct Running {
    id: u32,
    sink: Callback<RunEvent>,
    /// `Some` in `workers`/`single` mode, where the page hands out chunks itself.
    chunks: Option<ChunkDriver>,
    /// Throttles the progress reports of `workers`/`single` mode (threads mode: the worker).
    progress: ProgressGate,
}

/// Deferred callbacks, emitted after the `RefCell` borrow ends (a callback may call back in).
type Outbox = Vec<(Callback<RunEvent>, RunEvent)>;

impl Compute {
    /// Measures the useful thread count (unless `plan` fixes the pool), then starts the workers
    /// for `plan`; `on_change` fires whenever [`Compute::status`] or the plan changes.
    pub fn start(plan: Plan, on_change: Callback<()>) -> Compute {
        let fault = crate::url::current().query.get("fault").map(str::to_string);
        let compute = Compute(Rc::new(RefCell::new(Inner {
            plan,
            status: Status::Starting,
            workers: Vec::new(),
            ready: 0,
            handlers: Vec::new(),
            next_id: 1,
            job: None,
            asks: Vec::new(),
            on_change,
            generation: 0,
            probe: None,
            held: None,
            estimate: None,
            ready_ms: None,
            fault,
            restarted: false,
        })));
        compute.begin();
        compute
    }

    /// The mode and pool in use (the pool is the reported core count until the probe ends;
    /// lessons are re-created when it changes).
    pub fn plan(&self) -> Plan {
        self.0.borrow().plan.clone()
    }

    /// What the start-up probe measured, once it has.
    pub fn estimate(&self) -> Option<Estimate> {
        self.0.borrow().estimate.clone()
    }

    /// When the workers first became ready, in ms since navigation.
    pub fn ready_ms(&self) -> Option<f64> {
        self.0.borrow().ready_ms
    }

    /// Whether the start-up probe is still measuring.
    pub fn probing(&self) -> bool {
        self.0.borrow().probe.is_some()
    }

    pub fn status(&self) -> Status {
        self.0.borrow().status.clone()
    }

    /// Starts `job`, cancelling any job still running. Returns its id.
    pub fn run(&self, job: Job, sink: Callback<RunEvent>) -> u32 {
        let mut out = Outbox::new();
        let id = {
            let mut inner = self.0.borrow_mut();
            if let Some(old) = inner.job.take() {
                out.push((old.sink, RunEvent::Cancelled));
            }
            let id = inner.next_id;
            inner.next_id += 1;
            if inner.status != Status::Ready {
                out.push((sink, RunEvent::Failed("the compute workers are not ready".into())));
            } else if inner.plan.mode == Mode::Threads {
                post(&inner.workers[0], &Request::RunJob { id, job: job.clone() });
                inner.job = Some(Running { id, sink, chunks: None, progress: ProgressGate::new() });
            } else {
                let mut driver = ChunkDriver::new(id, job, inner.workers.len());
                let next = driver.start(now_abs_ms());
                inner.job =
                    Some(Running { id, sink, chunks: Some(driver), progress: ProgressGate::new() });
                inner.follow(next, &mut out);
            }
            id
        };
        emit(out);
        id
    }

    /// Sends worker 0 a one-off request built from a fresh id; its answer (the events with
    /// that id: progress, then one final event) goes to `sink`. In `threads` mode worker 0
    /// owns the pool, so the request may use it. Returns the id.
    pub fn ask(&self, request: impl FnOnce(u32) -> Request, sink: Callback<Event>) -> u32 {
        self.ask_worker(0, request, sink)
    }

    /// [`Compute::ask`] to worker `worker` (modulo the number of workers).
    pub fn ask_worker(
        &self,
        worker: usize,
        request: impl FnOnce(u32) -> Request,
        sink: Callback<Event>,
    ) -> u32 {
        let mut inner = self.0.borrow_mut();
        let id = inner.next_id;
        inner.next_id += 1;
        if inner.status != Status::Ready || inner.workers.is_empty() {
            let message = "the compute workers are not ready".to_string();
            drop(inner);
            sink.emit(Event::Failed { message });
            return id;
        }
        let n = inner.workers.len();
        post(&inner.workers[worker % n], &request(id));
        inner.asks.push((id, sink));
        id
    }

    /// Asks worker 0 to stop the pool job started by `ask` with id `id` (it answers
    /// `Cancelled`).
    pub fn cancel_ask(&self, id: u32) {
        let inner = self.0.borrow();
        if inner.asks.iter().any(|(a, _)| *a == id)
            && let Some(w) = inner.workers.first()
        {
            post(w, &Request::Cancel { id });
        }
    }

    /// Drops the pending answer to `id` (it will be ignored when it arrives).
    pub fn forget(&self, id: u32) {
        self.0.borrow_mut().asks.retain(|(a, _)| *a != id);
    }

    /// Number of compute workers (1 in `threads` mode: it owns the pool).
    pub fn workers(&self) -> usize {
        self.0.borrow().workers.len()
    }

    /// Asks worker 0 for a `width × height` Mandelbrot image (drawn off the page's thread).
    pub fn preview(&self, width: usize, height: usize, max_iter: u32, sink: Callback<Preview>) {
        let sink = Callback::from(move |e: Event| {
            if let Event::Preview { width, height, iters, .. } = e {
                sink.emit(Preview { width, height, iters });
            }
        });
        self.ask(|id| Request::Preview { id, width, height, max_iter }, sink);
    }

    /// Asks the running job `id` to stop; it ends with [`RunEvent::Cancelled`].
    pub fn cancel(&self, id: u32) {
        let mut out = Outbox::new();
        {
            let mut inner = self.0.borrow_mut();
            let Some(running) = inner.job.as_mut().filter(|r| r.id == id) else {
                return;
            };
            match running.chunks.as_mut() {
                None => post(&inner.workers[0], &Request::Cancel { id }),
                Some(driver) => {
                    if driver.cancel() {
                        inner.follow(Next::Cancelled, &mut out);
                    }
                }
            }
        }
        emit(out);
    }
}

fn post(worker: &Worker, request: &Request) {
    let text = serde_json::to_string(request).unwrap_or_default();
    if let Err(e) = worker.post_message(&JsValue::from_str(&text)) {
        web_sys::console::error_1(&e);
    }
}

fn emit(out: Outbox) {
    for (cb, ev) in out {
        cb.emit(ev);
    }
}
