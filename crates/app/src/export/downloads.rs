//! The Download CSV / JSON / PNG buttons every measured lesson shows, and the machine block
//! read from the page (the browser glue of this module).

use yew::prelude::*;

use super::agent;
use super::schema::{Export, Machine, Results};
use crate::compute::Compute;

/// `localStorage` key of the name the user gave this machine (every lesson's downloads).
const LABEL_KEY: &str = "parlab.machine-label";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The name the user gave this machine, if any.
fn saved_label() -> String {
    storage().and_then(|s| s.get_item(LABEL_KEY).ok().flatten()).unwrap_or_default()
}

/// What the page knows about the machine now; `label` replaces the made-up label when set.
pub fn machine(compute: &Compute, label: &str) -> Machine {
    let plan = compute.plan();
    let ua = web_sys::window().and_then(|w| w.navigator().user_agent().ok()).unwrap_or_default();
    let a = agent::parse(&ua);
    let made = format!("{} · {} · {} × {}", a.browser, a.os, plan.mode.name(), plan.pool);
    Machine {
        label: if label.trim().is_empty() { made } else { label.trim().to_string() },
        browser: a.browser,
        engine: a.engine.to_string(),
        os: a.os.to_string(),
        user_agent: ua,
        mode: plan.mode.name().to_string(),
        pool: plan.pool,
        reported_cores: plan.browser.cores,
        measured_cores: compute.estimate().map(|e| e.raw),
        probe_conclusive: compute.estimate().map(|e| e.conclusive),
        cross_origin_isolated: plan.browser.cross_origin_isolated,
        card: crate::activity::machine_card().and_then(|c| serde_json::to_value(c).ok()),
    }
}

/// The export of `results` as of now (machine, URL settings, date).
pub fn export(results: &Results, compute: &Compute, label: &str) -> Export {
    let settings = crate::url::current().query.to_string();
    let date = String::from(js_sys::Date::new_0().to_iso_string());
    Export::new(results, machine(compute, label), settings, date)
}

#[derive(Properties, PartialEq)]
pub struct DownloadsProps {
    /// The lesson's latest results; no rows: no buttons.
    pub results: Results,
    pub compute: Compute,
    /// File name stem, e.g. `parlab-amdahl-pi`.
    pub name: String,
    /// The canvas the PNG button saves (no PNG button without one).
    #[prop_or_default]
    pub canvas: Option<NodeRef>,
}

/// Download CSV / JSON (`parlab-results` v1, with the machine block) and PNG of the main plot,
/// with a field to name this machine (kept for the site) and a link to the compare view.
#[function_component]
pub fn Downloads(props: &DownloadsProps) -> Html {
    let label = use_state(saved_label);
    if props.results.rows.is_empty() {
        return html! { <div class="downloads" /> };
    }
    let save = |ext: &'static str, mime: &'static str| {
        let (results, compute) = (props.results.clone(), props.compute.clone());
        let (name, label) = (props.name.clone(), label.clone());
        Callback::from(move |_: MouseEvent| {
            let e = export(&results, &compute, &label);
            let text = if ext == "csv" { super::csv::write(&e) } else { e.to_json() };
            crate::download::text(&format!("{name}.{ext}"), mime, &text);
        })
    };
    let on_label = {
        let label = label.clone();
        Callback::from(move |e: InputEvent| {
            let v = e.target_unchecked_into::<web_sys::HtmlInputElement>().value();
            if let Some(s) = storage() {
                let _ = if v.trim().is_empty() {
                    s.remove_item(LABEL_KEY)
                } else {
                    s.set_item(LABEL_KEY, &v)
                };
            }
            label.set(v);
        })
    };
    let placeholder = machine(&props.compute, "").label;
    html! {
        <div class="downloads">
            <label class="machine-label">
                <span>{ "Machine name in the files" }</span>
                <input type="text" data-testid="machine-label" value={(*label).clone()} {placeholder}
                    maxlength="80" oninput={on_label} />
            </label>
            <button onclick={save("csv", "text/csv")} data-testid="download-csv">{ "Download CSV" }</button>
            <button onclick={save("json", "application/json")} data-testid="download-json">{ "Download JSON" }</button>
            if let Some(canvas) = props.canvas.clone() {
                <button onclick={{ let png = format!("{}.png", props.name);
                    Callback::from(move |_| crate::download::canvas_png(&canvas, &png)) }} data-testid="download-png">
                    { "Download plot (PNG)" }
                </button>
            }
            <a href="#/compare" class="compare-link" data-testid="compare-link">{ "Compare files from several machines" }</a>
        </div>
    }
}
