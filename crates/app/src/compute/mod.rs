//! The only place that knows about Workers, the rayon pool and execution modes. Lessons see a
//! [`Compute`] handle: `run(job, callback)` and `cancel(id)`, the same in every mode.

mod bridge;
pub mod chunks;
pub mod clock;
pub mod env;
pub mod message_bench;
pub mod protocol;
pub mod worker;

pub use bridge::{Compute, Preview, RunEvent, Status};
pub use env::{Browser, Mode};

/// Reads what the browser offers (main thread).
pub fn detect_browser() -> Browser {
    let global = js_sys::global();
    let get = |k: &str| {
        js_sys::Reflect::get(&global, &k.into()).unwrap_or(wasm_bindgen::JsValue::UNDEFINED)
    };
    let cores = web_sys::window()
        .map(|w| w.navigator().hardware_concurrency())
        .filter(|c| c.is_finite() && *c >= 1.0)
        .unwrap_or(1.0) as usize;
    Browser {
        cross_origin_isolated: get("crossOriginIsolated").as_bool() == Some(true),
        shared_array_buffer: !get("SharedArrayBuffer").is_undefined(),
        cores,
    }
}
