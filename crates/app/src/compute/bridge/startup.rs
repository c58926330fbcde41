//! Starting the compute workers for the plan's mode; the start-up watchdog; the fallback from
//! the shared-memory pool to separate workers; asking the server whether `embed.html` came
//! with `Document-Isolation-Policy`.

use wasm_bindgen::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{MessageEvent, Worker, WorkerOptions, WorkerType};

use super::{Compute, Status};
use crate::compute::env::{Mode, Why, pool_stall_ms, pool_watchdog_ms};
use crate::compute::js_object;
use crate::compute::probe::{Estimate, probe_sizes_the_pool};

#[wasm_bindgen]
extern "C" {
    /// URL of the wasm-bindgen JS glue (hashed by Trunk), for workers to import.
    #[wasm_bindgen(thread_local_v2, js_namespace = ["import", "meta"], js_name = url)]
    pub(in crate::compute) static GLUE_URL: js_sys::JsString;
}

impl Compute {
    /// Start-up: the probe first when the plan wants one (it starts the workers when it ends),
    /// else the workers at once. In `threads` mode the compute worker starts with the probe:
    /// its pool too when the probe cannot change its size, else it loads and waits (held).
    /// The probe's timed rounds wait until that start-up work is done.
    pub(super) fn begin(&self) {
        let (probe, ask_dip) = {
            let inner = self.0.borrow();
            let b = inner.plan.browser;
            (inner.plan.wants_probe(), b.embed_page && !b.cross_origin_isolated)
        };
        if ask_dip {
            let me = self.clone();
            wasm_bindgen_futures::spawn_local(async move {
                if let Some(sent) = dip_header_sent().await {
                    me.set_dip_header(sent);
                }
            });
        }
        let card = probe.then(crate::activity::machine_card).flatten().and_then(|c| {
            let reported = self.0.borrow().plan.browser.cores;
            Estimate::from_machine_lab(reported, c.reported_cores, c.logical_threads)
        });
        if let Some(estimate) = card {
            self.finish_probe(estimate);
        } else if probe {
            let plan = self.plan();
            if plan.mode == Mode::Threads {
                if probe_sizes_the_pool(plan.browser.cores) {
                    self.spawn_held_worker();
                } else {
                    self.spawn_workers();
                }
            }
            self.start_probe();
        } else {
            self.spawn_workers();
        }
    }

    fn set_dip_header(&self, sent: bool) {
        let on_change = {
            let mut inner = self.0.borrow_mut();
            inner.plan = inner.plan.with_dip_header(sent);
            inner.on_change.clone()
        };
        on_change.emit(());
    }

    /// Starts the workers for the plan's mode and pool.
    pub(super) fn spawn_workers(&self) {
        self.spawn(false);
    }

    /// Starts the one `threads`-mode compute worker without its pool: it loads the module and
    /// says `loaded`; [`Compute::release_held_worker`] starts the pool.
    fn spawn_held_worker(&self) {
        self.0.borrow_mut().held = Some(super::Held { loaded: false });
        self.spawn(true);
    }

    /// Tells the held worker the pool size, once the probe has measured it.
    pub(super) fn release_held_worker(&self) {
        let (pool, generation) = {
            let inner = self.0.borrow();
            let Some(worker) = inner.workers.first() else { return };
            let message = js_object(&[
                ("type", JsValue::from_str("pool")),
                ("pool", (inner.plan.pool as u32).into()),
                ("fault", inner.fault.clone().map_or(JsValue::UNDEFINED, JsValue::from)),
            ]);
            let _ = worker.post_message(&message);
            (inner.plan.pool, inner.generation)
        };
        let me = self.clone();
        set_timeout(pool_watchdog_ms(pool), move || me.watchdog(generation));
    }

    fn spawn(&self, hold: bool) {
        let (mode, pool, fault, generation) = {
            let mut inner = self.0.borrow_mut();
            inner.generation += 1;
            (inner.plan.mode, inner.plan.pool, inner.fault.clone(), inner.generation)
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
                    let init = js_object(&[
                        ("type", JsValue::from_str("init")),
                        ("glueUrl", glue.clone().into()),
                        ("module", module.clone()),
                        ("pool", (rayon_threads as u32).into()),
                        ("fault", fault.clone().map_or(JsValue::UNDEFINED, JsValue::from)),
                        ("hold", hold.into()),
                    ]);
                    let _ = worker.post_message(&init);
                    let mut inner = self.0.borrow_mut();
                    inner.workers.push(worker);
                    inner.handlers.push(handler);
                }
                Err(message) => {
                    self.0.borrow_mut().status = Status::Failed(message);
                    return;
                }
            }
        }
        if !hold {
            let me = self.clone();
            set_timeout(pool_watchdog_ms(pool), move || me.watchdog(generation));
        }
    }

    /// The pool has said `pool_starting`: if it is not ready within [`pool_stall_ms`], it
    /// is restarted once (a fresh compute worker; the start-up watchdog still applies).
    pub(super) fn arm_stall_deadline(&self, threads: usize) {
        let generation = self.0.borrow().generation;
        let me = self.clone();
        let ms = pool_stall_ms(threads);
        set_timeout(ms, move || me.pool_stalled(generation, ms));
    }

    fn pool_stalled(&self, generation: u32, ms: u32) {
        let on_change = {
            let mut inner = self.0.borrow_mut();
            if !inner.still_starting(generation) || inner.restarted {
                return;
            }
            inner.restarted = true;
            if inner.fault.as_deref() == Some("pool-stall") {
                inner.fault = None; // the injected stall happens once, like the real one
            }
            let secs = f64::from(ms) / 1000.0;
            inner.plan.notes.push(format!(
                "The thread pool stalled while starting its threads (not ready {secs} s after \
                 it began); it was started again."
            ));
            inner.on_change.clone()
        };
        web_sys::console::warn_1(
            &"parlab: the thread pool stalled while starting; restarting it".into(),
        );
        self.end_workers();
        self.spawn_workers();
        on_change.emit(());
    }

    /// The start-up deadline passed: a pool that has not reported ready is ended and replaced
    /// by separate workers; workers that have not started make the start-up fail, visibly.
    fn watchdog(&self, generation: u32) {
        let on_change = {
            let inner = self.0.borrow();
            if !inner.still_starting(generation) {
                return;
            }
            inner.on_change.clone()
        };
        let limit = format!("{} s", pool_watchdog_ms(self.plan().pool) / 1000);
        if self.plan().mode == Mode::Threads {
            web_sys::console::warn_1(
                &format!("parlab: the thread pool did not start within {limit}; using workers")
                    .into(),
            );
            self.fall_back_to_workers(Why::Watchdog, &limit);
        } else {
            let mut inner = self.0.borrow_mut();
            let (ready, all) = (inner.ready, inner.workers.len());
            inner.status = Status::Failed(format!(
                "only {ready} of {all} workers started within {limit}; reload to try again"
            ));
        }
        on_change.emit(());
    }

    /// The shared-memory pool failed or hung (`why`; `detail` says how): use separate workers
    /// instead and say so.
    pub(super) fn fall_back_to_workers(&self, why: Why, detail: &str) {
        self.end_workers();
        {
            let mut inner = self.0.borrow_mut();
            inner.plan.fall_back(why, detail);
            if inner.probe.is_some() {
                // The pool failed while the probe runs: the probe's end starts the workers
                // (its rounds no longer wait for a pool that will not start).
                drop(inner);
                self.maybe_start_probe();
                return;
            }
        }
        self.spawn_workers();
    }

    /// Ends every compute worker, a held one too (their pending replies are dropped).
    pub(super) fn end_workers(&self) {
        let mut inner = self.0.borrow_mut();
        inner.held = None;
        for w in inner.workers.drain(..) {
            w.set_onmessage(None);
            w.terminate();
        }
        inner.handlers.clear();
        inner.ready = 0;
    }
}

fn new_worker() -> Result<Worker, String> {
    let options = WorkerOptions::new();
    options.set_type(WorkerType::Module);
    Worker::new_with_options("./compute-worker.js", &options)
        .map_err(|e| format!("cannot start a Web Worker: {e:?}"))
}

/// Runs `f` once after `ms` milliseconds (page timers).
pub(super) fn set_timeout(ms: u32, f: impl FnOnce() + 'static) {
    let Some(w) = web_sys::window() else { return };
    let f = Closure::once_into_js(f);
    let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(f.unchecked_ref(), ms as i32);
}

/// Asks the server (a same-origin `HEAD` of this document) whether it sends
/// `Document-Isolation-Policy`; `None` if the request failed.
async fn dip_header_sent() -> Option<bool> {
    let w = web_sys::window()?;
    let href = w.location().href().ok()?;
    let url = href.split('#').next()?.to_string();
    let init = js_object(&[("method", "HEAD".into()), ("cache", "no-store".into())]);
    let fetch: js_sys::Function =
        js_sys::Reflect::get(&w, &"fetch".into()).ok()?.dyn_into().ok()?;
    let promise: js_sys::Promise = fetch.call2(&w, &url.into(), &init).ok()?.dyn_into().ok()?;
    let response = wasm_bindgen_futures::JsFuture::from(promise).await.ok()?;
    let headers = js_sys::Reflect::get(&response, &"headers".into()).ok()?;
    let get: js_sys::Function =
        js_sys::Reflect::get(&headers, &"get".into()).ok()?.dyn_into().ok()?;
    let value = get.call1(&headers, &"document-isolation-policy".into()).ok()?;
    Some(value.as_string().is_some_and(|v| v.contains("isolate")))
}
