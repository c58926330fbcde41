//! parlab's browser entry point. The same wasm module also runs inside every compute worker;
//! there `main` returns at once (no `window`) and the worker calls the exports in
//! [`compute::worker`] instead.

mod a11y;
mod activity;
mod app;
mod challenge;
mod components;
mod compute;
mod controls;
mod die;
mod download;
mod export;
mod lessons;
mod params;
mod plot;
mod predict;
mod share;
mod url;

/// Re-exported so the compute worker can start the rayon pool (`initThreadPool`).
pub use wasm_bindgen_rayon::init_thread_pool;

fn main() {
    let Some(window) = web_sys::window() else {
        return;
    };
    std::panic::set_hook(Box::new(show_panic));
    share::apply_theme(&share::theme_from_url());
    share::report_height_to_parent();
    share::register_service_worker();
    let root = window
        .document()
        .and_then(|d| d.get_element_by_id("app"))
        .expect("index.html has <div id=app>");
    yew::Renderer::<app::App>::with_root(root).render();
}

/// Shows a panic as an error banner (the wasm instance is dead after it, so the banner is
/// plain DOM, not Yew).
fn show_panic(info: &std::panic::PanicHookInfo<'_>) {
    let message = info.to_string();
    web_sys::console::error_1(&message.clone().into());
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Ok(banner) = document.create_element("div") else {
        return;
    };
    banner.set_class_name("error-banner");
    let _ = banner.set_attribute("data-testid", "error");
    let _ = banner.set_attribute("role", "alert");
    banner.set_text_content(Some(&format!(
        "Something went wrong and this page stopped working. Reload to start again. Details: {message}"
    )));
    if let Some(body) = document.body() {
        let _ = body.prepend_with_node_1(&banner);
    }
}
