//! Running a GIL sweep in whichever mode the page has.
//!
//! Why two paths: interpreter threads need shared memory, so in `threads` mode the whole
//! sweep runs on the compute worker's rayon pool (one request, progress, cancel). Processes
//! need no shared memory, so in `workers` mode the page plays the parent process: it encodes
//! each job, posts it to its own Web Worker, and decodes the answers, which makes every byte
//! and every copy of the "pickled" messages real. Both paths end in `sweep::summarize`.

use std::cell::RefCell;
use std::rc::Rc;

use parlab_kernels::gil::sweep::{Report, Step, Sweep, summarize};
use parlab_kernels::gil::{Batch, GilRun};
use yew::Callback;

use crate::compute::clock::now_abs_ms;
use crate::compute::protocol::{Event, Request};
use crate::compute::{Compute, Mode};

/// What the lesson hears about its sweep.
#[derive(Clone, Debug, PartialEq)]
pub enum Update {
    Progress { done: usize, total: usize },
    Done(Report),
    Cancelled,
    Failed(String),
}

/// A sweep in progress; [`Handle::cancel`] stops it.
pub enum Handle {
    Pool { compute: Compute, id: u32 },
    Workers(Rc<RefCell<Driver>>),
}

/// Starts `sweep`: on the pool in `threads` mode, else as processes on separate workers
/// (the caller keeps only [`parlab_kernels::gil::Mode::Processes`] in that case).
pub fn start(compute: &Compute, sweep: Sweep, sink: Callback<Update>) -> Handle {
    if compute.plan().mode == Mode::Threads {
        let on_event = sink.reform(|e: Event| match e {
            Event::Progress { done, total, .. } => Update::Progress { done, total },
            Event::GilDone { report, .. } => Update::Done(report),
            Event::Cancelled { .. } => Update::Cancelled,
            Event::GilFailed { message, .. } | Event::Failed { message } => Update::Failed(message),
            other => Update::Failed(format!("unexpected answer from the worker: {other:?}")),
        });
        let id = compute.ask(|id| Request::Gil { id, sweep }, on_event);
        return Handle::Pool { compute: compute.clone(), id };
    }
    let steps = sweep.steps();
    let driver = Rc::new(RefCell::new(Driver {
        compute: compute.clone(),
        sweep,
        steps,
        runs: Vec::new(),
        batch: None,
        outputs: Vec::new(),
        pending: Vec::new(),
        stopped: false,
        sink,
    }));
    launch(&driver);
    Handle::Workers(driver)
}

impl Handle {
    pub fn cancel(&self) {
        match self {
            Handle::Pool { compute, id } => compute.cancel_ask(*id),
            Handle::Workers(d) => {
                let sink = {
                    let mut d = d.borrow_mut();
                    if d.stopped {
                        return;
                    }
                    d.stopped = true;
                    for id in std::mem::take(&mut d.pending) {
                        d.compute.forget(id);
                    }
                    d.sink.clone()
                };
                sink.emit(Update::Cancelled);
            }
        }
    }
}

/// The page as parent process: one step at a time, one worker per child.
pub struct Driver {
    compute: Compute,
    sweep: Sweep,
    steps: Vec<Step>,
    runs: Vec<(Step, GilRun)>,
    batch: Option<Batch>,
    outputs: Vec<Option<(usize, Vec<u8>)>>,
    pending: Vec<u32>,
    stopped: bool,
    sink: Callback<Update>,
}

/// Posts the next step's jobs, or summarises when every step is done.
fn launch(rc: &Rc<RefCell<Driver>>) {
    let mut d = rc.borrow_mut();
    if d.stopped {
        return;
    }
    let Some(&step) = d.steps.get(d.runs.len()) else {
        d.stopped = true;
        let update = match summarize(&d.sweep, &d.runs) {
            Ok(report) => Update::Done(report),
            Err(e) => Update::Failed(e),
        };
        let sink = d.sink.clone();
        drop(d);
        return sink.emit(update);
    };
    let tasks = d.sweep.preset.tasks(step.threads);
    let batch = Batch::encode(&tasks, &now_abs_ms);
    let inputs = batch.inputs.clone();
    d.outputs = vec![None; inputs.len()];
    d.batch = Some(batch);
    let compute = d.compute.clone();
    let workers = compute.workers().max(1);
    drop(d);
    for (i, job) in inputs.into_iter().enumerate() {
        let me = rc.clone();
        let on_answer = Callback::from(move |e: Event| answer(&me, i, i % workers, step, e));
        let id = compute.ask_worker(i, |id| Request::Process { id, job }, on_answer);
        rc.borrow_mut().pending.push(id);
    }
}

/// One child answered; when all have, the step's run is decoded and the next step starts.
fn answer(rc: &Rc<RefCell<Driver>>, task: usize, worker: usize, step: Step, event: Event) {
    let mut d = rc.borrow_mut();
    if d.stopped {
        return;
    }
    let output = match event {
        Event::ProcessDone { id, output } => {
            d.pending.retain(|p| *p != id);
            output
        }
        Event::Failed { message } => return fail(d, message),
        other => return fail(d, format!("unexpected answer from a worker: {other:?}")),
    };
    d.outputs[task] = Some((worker, output));
    if d.outputs.iter().any(Option::is_none) {
        return;
    }
    let outputs = d.outputs.drain(..).flatten().collect();
    let batch = d.batch.take().expect("a step is running");
    match batch.finish(outputs, &now_abs_ms) {
        Ok(run) => d.runs.push((step, run)),
        Err(e) => return fail(d, format!("{e:?}")),
    }
    let (done, total, sink) = (d.runs.len(), d.steps.len(), d.sink.clone());
    drop(d);
    sink.emit(Update::Progress { done, total });
    launch(rc);
}

fn fail(mut d: std::cell::RefMut<'_, Driver>, message: String) {
    d.stopped = true;
    let sink = d.sink.clone();
    drop(d);
    sink.emit(Update::Failed(message));
}
