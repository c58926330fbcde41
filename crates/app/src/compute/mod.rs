//! The only place that knows about Workers, the rayon pool and execution modes. Lessons see a
//! [`Compute`] handle: `run(job, callback)` and `cancel(id)`, the same in every mode.

mod bridge;
pub mod chunks;
pub mod clock;
pub mod env;
pub mod message_bench;
pub mod probe;
pub mod progress;
pub mod protocol;
pub mod worker;

pub use bridge::{Compute, Preview, RunEvent, Status};
pub use env::{Browser, Mode};

/// A plain JS object with these fields: the messages posted to workers and to the parent page.
pub fn js_object(fields: &[(&str, wasm_bindgen::JsValue)]) -> js_sys::Object {
    let object = js_sys::Object::new();
    for (key, value) in fields {
        // Cannot fail on a fresh plain object.
        let _ = js_sys::Reflect::set(&object, &(*key).into(), value);
    }
    object
}

/// Reads what the browser offers (main thread). `dip_header` stays unknown: `Compute::start`
/// asks the server when it matters.
pub fn detect_browser() -> Browser {
    let global = js_sys::global();
    let get = |k: &str| {
        js_sys::Reflect::get(&global, &k.into()).unwrap_or(wasm_bindgen::JsValue::UNDEFINED)
    };
    let window = web_sys::window();
    let cores = window
        .as_ref()
        .map(|w| w.navigator().hardware_concurrency())
        .filter(|c| c.is_finite() && *c >= 1.0)
        .unwrap_or(1.0) as usize;
    Browser {
        cross_origin_isolated: get("crossOriginIsolated").as_bool() == Some(true),
        shared_array_buffer: !get("SharedArrayBuffer").is_undefined(),
        cores,
        secure_context: get("isSecureContext").as_bool() != Some(false),
        embed_page: crate::share::is_embed_page(),
        in_frame: window.as_ref().is_some_and(crate::share::in_frame),
        dip_supported: chromium_version().is_some_and(|v| v >= 137),
        dip_header: None,
    }
}

/// The Chromium version from `navigator.userAgentData.brands` (Chrome, Edge, Opera, Brave…);
/// `None` elsewhere.
fn chromium_version() -> Option<u32> {
    let navigator = web_sys::window()?.navigator();
    let data = js_sys::Reflect::get(&navigator, &"userAgentData".into()).ok()?;
    let brands = js_sys::Reflect::get(&data, &"brands".into()).ok()?;
    js_sys::Array::from(&brands).iter().find_map(|b| {
        let brand = js_sys::Reflect::get(&b, &"brand".into()).ok()?.as_string()?;
        let version = js_sys::Reflect::get(&b, &"version".into()).ok()?.as_string()?;
        (brand == "Chromium").then(|| version.parse().ok()).flatten()
    })
}
