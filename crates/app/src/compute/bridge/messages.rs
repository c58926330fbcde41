//! What the compute workers send back: start-up replies, job progress and results, answers
//! to one-off requests, and the `workers`-mode chunk replies fed to the [`ChunkDriver`].

use wasm_bindgen::JsValue;

use super::{Compute, Inner, Outbox, RunEvent, Running, Status, emit, post};
use crate::compute::chunks::{ChunkDriver, Next};
use crate::compute::clock::now_abs_ms;
use crate::compute::env::{Mode, Why};
use crate::compute::protocol::Event;

impl Compute {
    pub(super) fn on_message(&self, worker: usize, data: JsValue) {
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
                Event::Loaded => {
                    if let Some(held) = inner.held.as_mut() {
                        held.loaded = true;
                    }
                    drop(inner);
                    self.maybe_start_probe();
                    return;
                }
                Event::PoolStarting { threads } => {
                    drop(inner);
                    self.arm_stall_deadline(threads);
                    return;
                }
                Event::Ready { .. } => {
                    inner.ready += 1;
                    if inner.probe.is_some() {
                        // Started with the probe: ready once the probe has ended.
                        drop(inner);
                        self.maybe_start_probe();
                        return;
                    }
                    changed = inner.ready_if_all_started();
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
            self.fall_back_to_workers(Why::PoolFailed, &message);
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
}

impl Inner {
    /// A compute worker started with the probe is still loading (held) or starting its pool.
    pub(super) fn compute_starting(&self) -> bool {
        match &self.held {
            Some(held) => !held.loaded,
            None => self.ready < self.workers.len(),
        }
    }

    /// The workers of start `generation` are still starting (no later start replaced them,
    /// and not all of them have said ready): what a start-up deadline checks when it fires.
    pub(super) fn still_starting(&self, generation: u32) -> bool {
        self.generation == generation && self.status == Status::Starting && !self.all_ready()
    }

    /// Every compute worker (at least one) has said it is ready.
    pub(super) fn all_ready(&self) -> bool {
        !self.workers.is_empty() && self.ready >= self.workers.len()
    }

    /// Ready once every worker has said so (and records when, the first time); `true` if that
    /// changed the status.
    pub(super) fn ready_if_all_started(&mut self) -> bool {
        if !self.all_ready() || self.status == Status::Ready {
            return false;
        }
        self.status = Status::Ready;
        self.ready_ms.get_or_insert_with(crate::compute::clock::since_navigation_ms);
        true
    }

    pub(super) fn take_job(&mut self, id: u32) -> Option<Running> {
        if self.job.as_ref().is_some_and(|r| r.id == id) { self.job.take() } else { None }
    }

    /// Applies what the `workers`-mode driver asks for: post requests, report progress, or end
    /// the job.
    pub(super) fn follow(&mut self, next: Next, out: &mut Outbox) {
        let Some(running) = self.job.as_mut() else { return };
        match next {
            Next::Post(posts) => {
                for (w, request) in posts {
                    post(&self.workers[w], &request);
                }
                if let Some(d) = &running.chunks {
                    let (done, total) = (d.done, d.total);
                    if done == total || running.progress.due(now_abs_ms()) {
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
    pub(super) fn driver(&mut self, id: u32) -> Option<&mut ChunkDriver> {
        self.job.as_mut().filter(|r| r.id == id)?.chunks.as_mut()
    }
}
