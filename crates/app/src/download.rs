//! Saving results as files from the browser (a Blob URL or a canvas data URL, clicked).

use wasm_bindgen::JsCast;

fn click_link(href: &str, file: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let Ok(a) = document.create_element("a") else { return };
    let a: web_sys::HtmlAnchorElement = a.unchecked_into();
    a.set_href(href);
    a.set_download(file);
    a.click();
}

/// Offers `text` as a file named `file`.
pub fn text(file: &str, mime: &str, text: &str) {
    let parts = js_sys::Array::of1(&text.into());
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else { return };
    click_link(&url, file);
    let _ = web_sys::Url::revoke_object_url(&url);
}

/// Offers the canvas `canvas` points at as a PNG file.
pub fn canvas_png(canvas: &yew::NodeRef, file: &str) {
    let url = canvas
        .cast::<web_sys::HtmlCanvasElement>()
        .and_then(|c| c.to_data_url_with_type("image/png").ok());
    if let Some(url) = url {
        click_link(&url, file);
    }
}
