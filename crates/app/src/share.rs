//! Sharing and comfort controls in the shell: copy a link to the current state, get an
//! `<iframe>` snippet for course notes, pick light/dark. Embedded pages report their height
//! to the parent so notes can size the frame.

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use yew::prelude::*;

use crate::url;

/// `auto` (follow the OS), `light` or `dark`; the URL's global `theme=`.
pub fn theme_from_url() -> String {
    match url::current().query.get("theme") {
        Some(t @ ("light" | "dark")) => t.to_string(),
        _ => "auto".to_string(),
    }
}

/// Applies `theme` to the document (`<html data-theme>`; the CSS and the plots read it).
pub fn apply_theme(theme: &str) {
    if let Some(html) =
        web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element())
    {
        let _ = if theme == "auto" {
            html.remove_attribute("data-theme")
        } else {
            html.set_attribute("data-theme", theme)
        };
    }
}

/// The embedding entry point: the same page as `index.html`, served with
/// `Document-Isolation-Policy` (web/_headers), so it can be isolated inside notes that are not.
pub const EMBED_PAGE: &str = "embed.html";

/// `href` (without its hash) with the file name replaced by `page`.
pub fn sibling(href: &str, page: &str) -> String {
    let base = href.split('#').next().unwrap_or_default();
    let base = base.split('?').next().unwrap_or_default();
    let dir = base.rsplit_once('/').map_or(base, |(d, _)| d);
    format!("{dir}/{page}")
}

/// Whether this document was loaded as [`EMBED_PAGE`].
pub fn is_embed_page() -> bool {
    web_sys::window()
        .and_then(|w| w.location().pathname().ok())
        .is_some_and(|p| p.ends_with(EMBED_PAGE))
}

/// The current page URL as it should be embedded (`embed.html`, `embed=1`).
fn embed_url() -> String {
    let Some(w) = web_sys::window() else { return String::new() };
    let mut route = url::current();
    route.query.set("embed", 1);
    let href = w.location().href().unwrap_or_default();
    format!("{}{}", sibling(&href, EMBED_PAGE), route.to_hash())
}

fn copy(text: &str) {
    if let Some(w) = web_sys::window() {
        let _ = w.navigator().clipboard().write_text(text);
    }
}

#[derive(Properties, PartialEq)]
pub struct ShareProps {
    pub title: AttrValue,
    pub theme: AttrValue,
    pub on_theme: Callback<String>,
}

/// "Copy link", "Embed" (with a copy-ready snippet) and the theme switch.
#[function_component]
pub fn ShareBar(props: &ShareProps) -> Html {
    let snippet = use_state(|| None::<String>);
    let copied = use_state(|| false);
    let on_link = {
        let copied = copied.clone();
        Callback::from(move |_| {
            copy(&web_sys::window().and_then(|w| w.location().href().ok()).unwrap_or_default());
            copied.set(true);
        })
    };
    let on_embed = {
        let (snippet, title) = (snippet.clone(), props.title.clone());
        Callback::from(move |_| {
            snippet.set(match *snippet {
                Some(_) => None,
                None => Some(format!(
                    "<iframe src=\"{}\" title=\"parlab: {}\" width=\"100%\" height=\"900\" style=\"border:0\" \
                     allow=\"cross-origin-isolated\" loading=\"lazy\"></iframe>",
                    embed_url(),
                    title
                )),
            })
        })
    };
    let next_theme = match props.theme.as_str() {
        "auto" => "light",
        "light" => "dark",
        _ => "auto",
    };
    let on_theme = props.on_theme.reform(move |_| next_theme.to_string());
    html! {
        <div class="share">
            <button onclick={on_link} data-testid="copy-link">{ if *copied { "Link copied ✓" } else { "Copy link" } }</button>
            <button onclick={on_embed} data-testid="embed" aria-expanded={snippet.is_some().to_string()}>{ "Embed" }</button>
            <button onclick={on_theme} data-testid="theme" title="Colour scheme: follow the system, light or dark">
                { format!("Theme: {}", props.theme) }
            </button>
            if let Some(s) = &*snippet {
                <div class="snippet">
                    <label for="embed-snippet">{ "Paste this into your course notes. It keeps the lesson's current settings; \
                        the page reports its height to the parent as a message {type: \"parlab:height\", height}." }</label>
                    <textarea id="embed-snippet" data-testid="embed-snippet" readonly=true rows="3" value={s.clone()} />
                    <button onclick={let s = s.clone(); Callback::from(move |_| copy(&s))}>{ "Copy snippet" }</button>
                </div>
            }
        </div>
    }
}

/// In an iframe: posts `{type: "parlab:height", height}` to the parent whenever the page's
/// height changes (checked twice a second; cheap), so course notes can size the frame.
pub fn report_height_to_parent() {
    let Some(w) = web_sys::window() else { return };
    let Ok(Some(parent)) = w.parent() else { return };
    if !in_frame(&w) {
        return;
    }
    let mut last = 0;
    let tick = Closure::<dyn FnMut()>::new(move || {
        let Some(doc) =
            web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element())
        else {
            return;
        };
        let height = doc.scroll_height();
        if height != last {
            last = height;
            let msg = js_sys::Object::new();
            let _ = js_sys::Reflect::set(&msg, &"type".into(), &"parlab:height".into());
            let _ = js_sys::Reflect::set(&msg, &"height".into(), &height.into());
            let _ = parent.post_message(&msg, "*");
        }
    });
    let _ = w
        .set_interval_with_callback_and_timeout_and_arguments_0(tick.as_ref().unchecked_ref(), 500);
    tick.forget(); // lives as long as the page
}

/// Registers `sw.js` (offline copy; isolation headers on hosts that cannot send them) unless
/// the URL says `sw=0` or the page is in an iframe. If the page is not cross-origin isolated
/// yet, the worker's headers only apply from the next load: reload once (remembered for the
/// tab's session, so it can never loop).
pub fn register_service_worker() {
    let Some(w) = web_sys::window() else { return };
    if url::current().query.get("sw") == Some("0") || in_frame(&w) {
        return;
    }
    let container = w.navigator().service_worker();
    let isolated =
        js_sys::Reflect::get(&w, &"crossOriginIsolated".into()).ok().and_then(|v| v.as_bool());
    let promise = container.register("./sw.js");
    if isolated == Some(true) {
        return;
    }
    let then = Closure::once(move |_: JsValue| {
        let Some(w) = web_sys::window() else { return };
        let Ok(Some(store)) = w.session_storage() else { return };
        if store.get_item("parlab-sw-reload").ok().flatten().is_none() {
            let _ = store.set_item("parlab-sw-reload", "1");
            let _ = w.location().reload();
        }
    });
    let _ = promise.then(&then);
    then.forget();
}

/// Whether this page runs inside a frame of another page.
pub fn in_frame(w: &web_sys::Window) -> bool {
    w.top().ok().flatten().is_some_and(|top| !js_sys::Object::is(&top, w))
}

#[cfg(test)]
mod tests {
    use super::sibling;

    #[test]
    fn sibling_replaces_the_file_name_and_drops_query_and_hash() {
        let e = "embed.html";
        assert_eq!(sibling("https://x.org/lab/#/gil?a=1", e), "https://x.org/lab/embed.html");
        assert_eq!(sibling("https://x.org/lab/index.html#/", e), "https://x.org/lab/embed.html");
        assert_eq!(
            sibling("http://127.0.0.1:8080/embed.html?x#/", "index.html"),
            "http://127.0.0.1:8080/index.html"
        );
    }
}
