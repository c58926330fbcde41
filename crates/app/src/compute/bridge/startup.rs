//! Starting the compute workers for the plan's mode, and the fallback from the shared-memory
//! pool to separate workers.

use wasm_bindgen::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{MessageEvent, Worker, WorkerOptions, WorkerType};

use super::{Compute, Status};
use crate::compute::env::Mode;

#[wasm_bindgen]
extern "C" {
    /// URL of the wasm-bindgen JS glue (hashed by Trunk), for workers to import.
    #[wasm_bindgen(thread_local_v2, js_namespace = ["import", "meta"], js_name = url)]
    pub(in crate::compute) static GLUE_URL: js_sys::JsString;
}

impl Compute {
    pub(super) fn spawn_workers(&self) {
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

    /// The shared-memory pool failed (e.g. the browser refused to share memory): use separate
    /// workers instead and say so.
    pub(super) fn fall_back_to_workers(&self, message: &str) {
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

fn new_worker() -> Result<Worker, String> {
    let options = WorkerOptions::new();
    options.set_type(WorkerType::Module);
    Worker::new_with_options("./compute-worker.js", &options)
        .map_err(|e| format!("cannot start a Web Worker: {e:?}"))
}
