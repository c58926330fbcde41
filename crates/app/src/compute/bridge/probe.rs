//! Runs the start-up probe ([`crate::compute::probe`]) on real workers: one small JS worker
//! per reported core (`web/probe-worker.js`, no wasm), driven by [`ProbeRun`]; when it ends
//! (or after [`probe_timeout_ms`]), the probe workers are ended, the plan takes the measured
//! count and the compute workers start.

use wasm_bindgen::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{MessageEvent, Worker};

use super::Compute;
use super::startup::set_timeout;
use crate::compute::clock::now_abs_ms;
use crate::compute::env::{MAX_POOL, Mode};
use crate::compute::probe::{Estimate, ProbeRun, ProbeStep};

/// The probe while it runs.
pub(super) struct Probing {
    workers: Vec<Worker>,
    _handlers: Vec<Closure<dyn FnMut(MessageEvent)>>,
    hello: usize,
    /// The timed rounds have begun.
    running: bool,
    run: ProbeRun,
    started: f64,
}

/// The probe stops after this long, keeping what its finished sweeps say (the reported count if
/// that is not conclusive): it takes 0.1–0.3 s on a quiet machine, and a machine busy enough to
/// need longer would not give a clear answer anyway.
fn probe_timeout_ms(workers: usize) -> u32 {
    1_500 + 50 * workers as u32
}

impl Compute {
    pub(super) fn start_probe(&self) {
        // The probe runs once per page, so its timer needs no generation (and must not bump
        // the workers' one: a pool started with the probe keeps its watchdog).
        let n = self.0.borrow().plan.browser.cores.clamp(1, MAX_POOL);
        let mut workers = Vec::new();
        let mut handlers = Vec::new();
        for _ in 0..n {
            let Ok(worker) = Worker::new("./probe-worker.js") else {
                for w in workers {
                    Worker::terminate(&w);
                }
                self.finish_probe(ProbeRun::new(n).estimate());
                return;
            };
            let me = self.clone();
            let handler = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
                me.on_probe_message(e.data());
            });
            worker.set_onmessage(Some(handler.as_ref().unchecked_ref()));
            workers.push(worker);
            handlers.push(handler);
        }
        self.0.borrow_mut().probe = Some(Probing {
            workers,
            _handlers: handlers,
            hello: 0,
            running: false,
            run: ProbeRun::new(n),
            started: now_abs_ms(),
        });
        let me = self.clone();
        set_timeout(probe_timeout_ms(n), move || me.probe_timeout());
    }

    fn on_probe_message(&self, data: JsValue) {
        let field = |k: &str| js_sys::Reflect::get(&data, &k.into()).unwrap_or(JsValue::UNDEFINED);
        let step = {
            let mut inner = self.0.borrow_mut();
            let Some(p) = inner.probe.as_mut() else { return };
            match field("type").as_string().as_deref() {
                Some("hello") => {
                    p.hello += 1;
                    drop(inner);
                    return self.maybe_start_probe();
                }
                Some("done") => {
                    let round = field("round").as_f64().unwrap_or(-1.0) as u32;
                    let start = field("start").as_f64().unwrap_or(f64::NAN);
                    let end = field("end").as_f64().unwrap_or(f64::NAN);
                    p.run.on_reply(round, start, end)
                }
                _ => ProbeStep::Wait,
            }
        };
        self.follow_probe(step);
    }

    /// Starts the timed rounds once every probe worker has said hello and the compute worker
    /// started with the probe (if any) has loaded, or started its pool: that start-up must not
    /// take a core from the rounds.
    pub(super) fn maybe_start_probe(&self) {
        let step = {
            let mut inner = self.0.borrow_mut();
            let hang = inner.fault.as_deref() == Some("probe-hang");
            let loading = inner.compute_starting();
            let Some(p) = inner.probe.as_mut() else { return };
            if p.running || hang || loading || p.hello < p.workers.len() {
                return;
            }
            p.running = true;
            p.run.start()
        };
        self.follow_probe(step);
    }

    fn follow_probe(&self, step: ProbeStep) {
        match step {
            ProbeStep::Run { k, n, round } => {
                let inner = self.0.borrow();
                let Some(p) = inner.probe.as_ref() else { return };
                let message =
                    crate::compute::js_object(&[("n", (n as f64).into()), ("round", round.into())]);
                for w in &p.workers[..k] {
                    let _ = w.post_message(&message);
                }
            }
            ProbeStep::Wait => {}
            ProbeStep::Finished(estimate) => self.finish_probe(estimate),
        }
    }

    /// The probe took too long (a worker that never started, a machine far too busy): the
    /// reported count stays. Time spent waiting for the compute worker does not count (its
    /// own watchdog ends a pool that hangs): the timer starts again.
    fn probe_timeout(&self) {
        let estimate = {
            let inner = self.0.borrow();
            let Some(p) = inner.probe.as_ref() else { return };
            if !p.running && p.hello == p.workers.len() && inner.compute_starting() {
                let (me, n) = (self.clone(), p.workers.len());
                drop(inner);
                set_timeout(probe_timeout_ms(n), move || me.probe_timeout());
                return;
            }
            web_sys::console::warn_1(&"parlab: the core-count probe timed out".into());
            let mut e = p.run.estimate();
            e.conclusive = false;
            e.measured = inner.plan.browser.cores.clamp(1, MAX_POOL);
            e.raw = e.measured;
            e
        };
        self.finish_probe(estimate);
    }

    /// Ends the probe workers, sets the pool to the measured count and starts the compute
    /// workers (or the held one's pool).
    pub(super) fn finish_probe(&self, mut estimate: Estimate) {
        let on_change = {
            let mut inner = self.0.borrow_mut();
            if let Some(p) = inner.probe.take() {
                for w in &p.workers {
                    w.set_onmessage(None);
                    w.terminate();
                }
                estimate.probe_ms = now_abs_ms() - p.started;
            }
            inner.plan = inner.plan.with_measured(estimate.measured);
            inner.estimate = Some(estimate);
            inner.on_change.clone()
        };
        let (held, started) = {
            let mut inner = self.0.borrow_mut();
            (inner.held.take().is_some(), !inner.workers.is_empty())
        };
        if held && self.plan().mode == Mode::Threads {
            self.release_held_worker();
        } else if held || !started {
            self.end_workers();
            self.spawn_workers();
        } else {
            // The pool started with the probe; it may be ready already.
            self.0.borrow_mut().ready_if_all_started();
        }
        on_change.emit(());
    }
}
