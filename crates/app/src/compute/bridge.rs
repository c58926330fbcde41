//! The page's side of the compute workers: starts them for the chosen [`Mode`], runs jobs,
//! forwards progress, falls back from `threads` to `workers` if the pool cannot start.
//! Nothing here blocks: every reply arrives as a worker message.

use std::cell::RefCell;
use std::rc::Rc;

use parlab_kernels::measure::{Job, StepResult};
use wasm_bindgen::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{MessageEvent, Worker, WorkerOptions, WorkerType};
use yew::Callback;

use super::chunks::{ChunkDriver, Next};
use super::clock::now_abs_ms;
use super::env::{Mode, Plan};
use super::protocol::{Event, Request};

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
}

/// Deferred callbacks, emitted after the `RefCell` borrow ends (a callback may call back in).
type Outbox = Vec<(Callback<RunEvent>, RunEvent)>;

#[wasm_bindgen]
extern "C" {
    /// URL of the wasm-bindgen JS glue (hashed by Trunk), for workers to import.
    #[wasm_bindgen(thread_local_v2, js_namespace = ["import", "meta"], js_name = url)]
    pub(super) static GLUE_URL: js_sys::JsString;
}

impl Compute {
    /// Starts the workers for `plan`; `on_change` fires whenever [`Compute::status`] or the
    /// plan changes.
    pub fn start(plan: Plan, on_change: Callback<()>) -> Compute {
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
        })));
        compute.spawn_workers();
        compute
    }

    pub fn plan(&self) -> Plan {
        self.0.borrow().plan.clone()
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
                inner.job = Some(Running { id, sink, chunks: None });
            } else {
                let mut driver = ChunkDriver::new(id, job, inner.workers.len());
                let next = driver.start(now_abs_ms());
                inner.job = Some(Running { id, sink, chunks: Some(driver) });
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

    fn spawn_workers(&self) {
        let (mode, pool) = {
            let inner = self.0.borrow();
            (inner.plan.mode, inner.plan.pool)
        };
        let (count, rayon_threads) = match mode {
            Mode::Threads => (1, pool),
            Mode::Workers => (pool, 0),
            Mode::Single => (1, 0),
        };
        let module = wasm_bindgen::module();
        let glue = GLUE_URL.with(|u| u.clone());
        for index in 0..count {
            match new_worker() {
                Ok(worker) => {
                    let me = self.clone();
                    let handler =
                        Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
                            me.on_message(index, e.data());
                        });
                    worker.set_onmessage(Some(handler.as_ref().unchecked_ref()));
                    let init = js_sys::Object::new();
                    for (k, v) in [
                        ("type", JsValue::from_str("init")),
                        ("glueUrl", glue.clone().into()),
                        ("module", module.clone()),
                        ("pool", (rayon_threads as u32).into()),
                    ] {
                        let _ = js_sys::Reflect::set(&init, &k.into(), &v);
                    }
                    let _ = worker.post_message(&init);
                    let mut inner = self.0.borrow_mut();
                    inner.workers.push(worker);
                    inner.handlers.push(handler);
                }
                Err(message) => {
                    self.0.borrow_mut().status = Status::Failed(message);
                    break;
                }
            }
        }
    }

    fn on_message(&self, worker: usize, data: JsValue) {
        let Some(text) = data.as_string() else { return };
        let event: Event = match serde_json::from_str(&text) {
            Ok(e) => e,
            Err(e) => {
                web_sys::console::error_1(&format!("bad worker message: {e}").into());
                return;
            }
        };
        let mut out = Outbox::new();
        let mut changed = false;
        let mut fall_back = None;
        let mut answers = Vec::new();
        {
            let mut inner = self.0.borrow_mut();
            if let Some(id) = event.id()
                && let Some(i) = inner.asks.iter().position(|(a, _)| *a == id)
            {
                let sink = if event.is_progress() {
                    inner.asks[i].1.clone()
                } else {
                    inner.asks.remove(i).1
                };
                answers.push((sink, event));
                drop(inner);
                for (sink, event) in answers {
                    sink.emit(event);
                }
                return;
            }
            match event {
                Event::Ready { .. } => {
                    inner.ready += 1;
                    if inner.ready == inner.workers.len() {
                        inner.status = Status::Ready;
                        changed = true;
                    }
                }
                Event::Failed { message } if inner.plan.mode == Mode::Threads => {
                    fall_back = Some(message);
                }
                Event::Failed { message } => {
                    inner.status = Status::Failed(message);
                    changed = true;
                }
                Event::Progress { id, done, total } => {
                    if let Some(r) = inner.job.as_ref().filter(|r| r.id == id) {
                        out.push((r.sink.clone(), RunEvent::Progress { done, total }));
                    }
                }
                Event::Finished { id, results } => {
                    if let Some(r) = inner.take_job(id) {
                        out.push((r.sink, RunEvent::Finished(results)));
                    }
                }
                Event::Cancelled { id } => {
                    if let Some(r) = inner.take_job(id) {
                        out.push((r.sink, RunEvent::Cancelled));
                    }
                }
                Event::ChunkDone { id, chunk, value, start_abs, end_abs } => {
                    let abs = (start_abs, end_abs);
                    if let Some(d) = inner.driver(id) {
                        let next = d.on_chunk(worker, chunk, value, abs, now_abs_ms());
                        inner.follow(next, &mut out);
                    }
                }
                Event::SerialDone { id, end_abs, .. } => {
                    if let Some(d) = inner.driver(id) {
                        let next = d.on_serial(end_abs);
                        inner.follow(next, &mut out);
                    }
                }
                // Answers to `ask` were routed above; an unknown id is a stale answer.
                Event::Preview { .. }
                | Event::RaceDone { .. }
                | Event::DeadlockDone { .. }
                | Event::GilDone { .. }
                | Event::GilFailed { .. }
                | Event::ProcessDone { .. }
                | Event::MachineDone { .. }
                | Event::SimdDone { .. }
                | Event::SimdFailed { .. } => {}
                Event::Calibrated { id, ms } => {
                    if let Some(d) = inner.driver(id) {
                        let next = d.on_calibrated(ms, now_abs_ms());
                        inner.follow(next, &mut out);
                    }
                }
            }
        }
        if let Some(message) = fall_back {
            self.fall_back_to_workers(&message);
            changed = true;
        }
        emit(out);
        for (sink, event) in answers {
            sink.emit(event);
        }
        if changed {
            let cb = self.0.borrow().on_change.clone();
            cb.emit(());
        }
    }

    /// The shared-memory pool failed (e.g. the browser refused to share memory): use separate
    /// workers instead and say so.
    fn fall_back_to_workers(&self, message: &str) {
        {
            let mut inner = self.0.borrow_mut();
            for w in inner.workers.drain(..) {
                w.terminate();
            }
            inner.handlers.clear();
            inner.ready = 0;
            inner.plan.mode = Mode::Workers;
            inner.plan.reason =
                "the shared-memory pool could not start: separate workers exchange messages".into();
            inner
                .plan
                .notes
                .push(format!("Thread pool failed to start ({message}); using workers."));
        }
        self.spawn_workers();
    }
}

impl Inner {
    fn take_job(&mut self, id: u32) -> Option<Running> {
        if self.job.as_ref().is_some_and(|r| r.id == id) { self.job.take() } else { None }
    }

    /// Applies what the `workers`-mode driver asks for: post requests, report progress, or end
    /// the job.
    fn follow(&mut self, next: Next, out: &mut Outbox) {
        let Some(running) = self.job.as_mut() else { return };
        match next {
            Next::Post(posts) => {
                for (w, request) in posts {
                    post(&self.workers[w], &request);
                }
                if let Some(d) = &running.chunks {
                    let (done, total) = (d.done, d.total);
                    if done.is_multiple_of(8) || done == total {
                        out.push((running.sink.clone(), RunEvent::Progress { done, total }));
                    }
                }
            }
            Next::Finished(results) => {
                let r = self.job.take().expect("running");
                out.push((r.sink, RunEvent::Finished(results)));
            }
            Next::Cancelled => {
                let r = self.job.take().expect("running");
                out.push((r.sink, RunEvent::Cancelled));
            }
        }
    }

    /// The running `workers`-mode driver for job `id`, if any.
    fn driver(&mut self, id: u32) -> Option<&mut ChunkDriver> {
        self.job.as_mut().filter(|r| r.id == id)?.chunks.as_mut()
    }
}

fn new_worker() -> Result<Worker, String> {
    let options = WorkerOptions::new();
    options.set_type(WorkerType::Module);
    Worker::new_with_options("./compute-worker.js", &options)
        .map_err(|e| format!("cannot start a Web Worker: {e:?}"))
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
