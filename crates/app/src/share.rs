//! Sharing and comfort controls in the shell: copy a link to the current state, get an
//! `<iframe>` snippet for course notes, pick light/dark. Embedded pages report their height
//! to the parent so notes can size the frame.

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use yew::prelude::*;

use crate::lessons::Section;
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
    /// The lesson's parts that can be embedded alone (`section=`).
    #[prop_or_default]
    pub sections: &'static [Section],
}

/// How the embedded lesson's controls behave (`lock=all`, `hide=all`).
const CONTROL_CHOICES: [(&str, &str); 3] =
    [("", "students can change them"), ("lock", "shown read-only"), ("hide", "hidden")];

/// The parent page's optional script that sizes the frame from the lab's height messages.
const RESIZE_SCRIPT: &str = "<script>\naddEventListener('message', (e) => {\n  if (e.data && e.data.type === 'parlab:height')\n    document.querySelector('iframe[src*=\"embed=1\"]').style.height = e.data.height + 'px';\n});\n</script>";

/// The height (CSS px) of what will be embedded, measured on this page: the chosen part, or
/// the whole lesson, plus the embedded page's status bar; at least 300.
fn measured_height(part: &str) -> i32 {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return 900 };
    let selector = if part.is_empty() {
        ".lesson".to_string()
    } else {
        format!(".lesson > [data-section=\"{part}\"]")
    };
    let element = doc
        .query_selector(&selector)
        .ok()
        .flatten()
        .or_else(|| doc.query_selector(".lesson").ok().flatten());
    let content = element.map_or(820, |e| e.scroll_height());
    // The embedded page adds its status bar and padding (about 80 px).
    ((content + 80 + 9) / 10 * 10).max(300)
}

/// The `<iframe>` snippet for `part` (empty: the whole lesson) and `controls` (`lock`, `hide`
/// or empty).
fn snippet(title: &str, part: &str, controls: &str) -> (String, i32) {
    let Some(w) = web_sys::window() else { return (String::new(), 900) };
    let mut route = url::current();
    route.query.set("embed", 1);
    if !part.is_empty() {
        route.query.set("section", part);
    }
    if !controls.is_empty() {
        route.query.set(controls, "all");
    }
    let href = w.location().href().unwrap_or_default();
    let src = format!("{}{}", sibling(&href, EMBED_PAGE), route.to_hash());
    let height = measured_height(part);
    let html = format!(
        "<iframe src=\"{src}\" title=\"parlab: {title}\" width=\"100%\" height=\"{height}\" style=\"border:0\" \
         allow=\"cross-origin-isolated\" loading=\"lazy\"></iframe>"
    );
    (html, height)
}

/// "Copy link", "Embed" (part, controls, a copy-ready snippet with a measured height) and the
/// theme switch.
#[function_component]
pub fn ShareBar(props: &ShareProps) -> Html {
    let open = use_state(|| false);
    let part = use_state(String::new);
    let controls = use_state(String::new);
    let copied = use_state(|| false);
    let on_link = {
        let copied = copied.clone();
        Callback::from(move |_| {
            copy(&web_sys::window().and_then(|w| w.location().href().ok()).unwrap_or_default());
            copied.set(true);
        })
    };
    let on_embed = {
        let open = open.clone();
        Callback::from(move |_| open.set(!*open))
    };
    let on_part = {
        let part = part.clone();
        Callback::from(move |e: Event| {
            part.set(e.target_unchecked_into::<web_sys::HtmlSelectElement>().value())
        })
    };
    let on_controls = {
        let controls = controls.clone();
        Callback::from(move |e: Event| {
            controls.set(e.target_unchecked_into::<web_sys::HtmlSelectElement>().value())
        })
    };
    let next_theme = match props.theme.as_str() {
        "auto" => "light",
        "light" => "dark",
        _ => "auto",
    };
    let on_theme = props.on_theme.reform(move |_| next_theme.to_string());
    let (code, height) =
        if *open { snippet(&props.title, &part, &controls) } else { (String::new(), 0) };
    html! {
        <div class="share">
            <button onclick={on_link} data-testid="copy-link">{ if *copied { "Link copied ✓" } else { "Copy link" } }</button>
            <button onclick={on_embed} data-testid="embed" aria-expanded={open.to_string()}>{ "Embed" }</button>
            <button onclick={on_theme} data-testid="theme" title="Colour scheme: follow the system, light or dark">
                { format!("Theme: {}", props.theme) }
            </button>
            if *open {
                <div class="snippet">
                    <div class="controls">
                        <label class="control">
                            <span>{ "Part" }</span>
                            <select data-testid="embed-part" onchange={on_part}>
                                <option value="" selected={part.is_empty()}>{ "the whole lesson" }</option>
                                { for props.sections.iter().map(|s| html! {
                                    <option value={s.id} selected={*part == s.id}>{ s.title }</option>
                                }) }
                            </select>
                        </label>
                        <label class="control">
                            <span>{ "Controls" }</span>
                            <select data-testid="embed-controls" onchange={on_controls}>
                                { for CONTROL_CHOICES.iter().map(|(v, label)| html! {
                                    <option value={*v} selected={*controls == *v}>{ *label }</option>
                                }) }
                            </select>
                        </label>
                    </div>
                    <label for="embed-snippet">{ format!("Paste this into your course notes. It keeps the lesson's current settings; \
                        its height ({height} px) was measured on this page for what it shows.") }</label>
                    <textarea id="embed-snippet" data-testid="embed-snippet" data-height={height.to_string()}
                        readonly=true rows="3" value={code.clone()} />
                    <button onclick={Callback::from(move |_| copy(&code))}>{ "Copy snippet" }</button>
                    <details>
                        <summary>{ "Optional: let the frame follow the lesson's height" }</summary>
                        <p class="caption">{ "Where your notes allow scripts, this sizes the frame from the height the lab reports \
                            (a message {type: \"parlab:height\", height}). Editors that strip scripts keep the measured height above." }</p>
                        <textarea data-testid="embed-script" readonly=true rows="5" value={RESIZE_SCRIPT} />
                    </details>
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
            let msg = crate::compute::js_object(&[
                ("type", "parlab:height".into()),
                ("height", height.into()),
            ]);
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
