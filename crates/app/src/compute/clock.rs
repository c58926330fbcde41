//! One clock for every thread: `performance.timeOrigin + performance.now()`.
//! Each worker's `performance.now()` counts from its own start, so raw values from different
//! workers cannot be compared; adding `timeOrigin` puts them on one time base.

use wasm_bindgen::JsCast;

thread_local! {
    static PERF: web_sys::Performance = js_sys::Reflect::get(&js_sys::global(), &"performance".into())
        .expect("performance is available in windows and workers")
        .unchecked_into();
}

/// Milliseconds since the Unix epoch, with sub-millisecond resolution.
pub fn now_abs_ms() -> f64 {
    PERF.with(|p| p.time_origin() + p.now())
}

/// Milliseconds since this document's (or worker's) navigation started: `performance.now()`.
pub fn since_navigation_ms() -> f64 {
    PERF.with(|p| p.now())
}
