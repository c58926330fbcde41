//! The compare view's markup: the drop zone and file list, the class picker and plot, and one
//! table per file (machine block and key results).

use serde::Serialize;
use yew::prelude::*;

use super::{CompareLesson, Loaded, Msg, dropped, picked};
use crate::export::Export;
use crate::export::compare::{Class, Curve, KeyResult, classes, curves, key_results, labels};
use crate::lessons::Ctx;

/// What the plot shows: the chosen class, its curves, and every file's label.
pub struct Chosen {
    pub classes: Vec<Class>,
    pub class: Option<Class>,
    /// One per export, in file order.
    pub labels: Vec<String>,
    pub curves: Vec<Curve>,
}

/// The class the user chose (or the one most files hold) and its curves.
pub fn chosen(l: &CompareLesson, exports: &[(usize, &Export)]) -> Chosen {
    let list: Vec<&Export> = exports.iter().map(|(_, e)| *e).collect();
    let classes = classes(&list);
    let labels = labels(&list);
    let class = l
        .class
        .as_ref()
        .and_then(|id| classes.iter().find(|c| &c.id == id))
        .or(classes.first())
        .cloned();
    let curves = class.as_ref().map_or(Vec::new(), |c| curves(&list, &labels, &c.id));
    Chosen { classes, class, labels, curves }
}

pub fn view(l: &CompareLesson, ctx: &Ctx<CompareLesson>, notes: Html) -> Html {
    let link = ctx.link();
    let exports = l.exports();
    let c = chosen(l, &exports);
    let on_pick = link.callback(|e: Event| Msg::Add(picked(&e)));
    let on_drop = link.callback(|e: DragEvent| {
        e.prevent_default();
        Msg::Add(dropped(&e))
    });
    let on_over = link.callback(|e: DragEvent| {
        e.prevent_default();
        Msg::Drag(true)
    });
    let on_leave = link.callback(|_: DragEvent| Msg::Drag(false));
    let on_class = link.callback(|e: Event| {
        Msg::Class(e.target_unchecked_into::<web_sys::HtmlSelectElement>().value())
    });
    let shown = l.files.iter().any(|f| !matches!(f.state, Loaded::Removed));
    html! {
        <section class="lesson compare">
            <h1>{ "Compare results" }</h1>
            <p class="lead">
                { "Every measured lesson saves its results with Download JSON or Download CSV, together with the \
                   machine they ran on: browser, engine, execution mode, pool size, reported and measured cores. \
                   Put files from several machines or browsers here to see their speedups on one plot. The files \
                   are read in this page; nothing is uploaded." }
            </p>
            { notes }
            <div class={classes!("compare-drop", l.dragging.then_some("dragging"))} data-testid="compare-drop"
                ondragover={on_over.clone()} ondragenter={on_over} ondragleave={on_leave} ondrop={on_drop}>
                <p>{ "Drop exported .json or .csv files here, or" }</p>
                <label class="button primary">
                    { "Choose files…" }
                    <input type="file" multiple=true accept=".json,.csv,application/json,text/csv"
                        data-testid="compare-files" class="visually-hidden" onchange={on_pick} />
                </label>
                if shown {
                    <button data-testid="compare-clear" onclick={link.callback(|_| Msg::Clear)}>{ "Remove all" }</button>
                }
            </div>
            { file_list(l, ctx) }
            if !c.classes.is_empty() {
                { plot_section(l, &c, on_class) }
                <h2>{ "Machines" }</h2>
                <div class="compare-machines">
                    { for exports.iter().enumerate().map(|(k, (i, e))| machine_table(*i, e, &c.labels[k])) }
                </div>
            }
        </section>
    }
}

fn file_list(l: &CompareLesson, ctx: &Ctx<CompareLesson>) -> Html {
    let items = l.files.iter().enumerate().filter(|(_, f)| !matches!(f.state, Loaded::Removed));
    html! {
        <ul class="compare-files" data-testid="compare-list" aria-live="polite">
            { for items.map(|(i, f)| {
                let (status, text) = match &f.state {
                    Loaded::Reading => ("reading", "reading…".to_string()),
                    Loaded::Ok(e) => ("ok", format!("{} · {} rows · {}", e.class_title, e.rows.len(), e.machine.label)),
                    Loaded::Bad(why) => ("error", format!("Not used: {why}.")),
                    Loaded::Removed => ("removed", String::new()),
                };
                html! {
                    <li data-testid="compare-file" data-status={status} data-name={f.name.clone()}
                        class={classes!("compare-file", status)}>
                        <strong>{ &f.name }</strong>
                        <span class={classes!((status == "error").then_some("error-text"))}>{ text }</span>
                        <button class="dismiss" aria-label={format!("Remove {}", f.name)}
                            onclick={ctx.link().callback(move |_| Msg::Remove(i))}>{ "×" }</button>
                    </li>
                }
            }) }
        </ul>
    }
}

fn plot_section(l: &CompareLesson, c: &Chosen, on_class: Callback<Event>) -> Html {
    let json = serde_json::to_string(&c.curves).unwrap_or_default();
    let id = c.class.as_ref().map_or(String::new(), |x| x.id.clone());
    html! {
        <>
            <h2>{ "Speedup on each machine" }</h2>
            <label class="control">
                <span>{ "Experiment" }</span>
                <select data-testid="compare-class" onchange={on_class}>
                    { for c.classes.iter().map(|k| html! {
                        <option value={k.id.clone()} selected={k.id == id}>
                            { format!("{} — {} file{}", k.title, k.files, if k.files == 1 { "" } else { "s" }) }
                        </option>
                    }) }
                </select>
            </label>
            if c.curves.is_empty() {
                <p class="note" role="note" data-testid="compare-no-curves">
                    { "These results have no speedup over one thread to plot (every run used the same thread count); \
                       the tables below compare them." }
                </p>
            }
            <canvas ref={l.plot.clone()} class="plot" data-testid="compare-plot" data-json={json} data-class={id}
                hidden={c.curves.is_empty()} role="img"
                aria-label="Measured speedup against threads, one line per machine and series" />
            <p class="caption">
                { "Speedup = the 1-thread median ÷ the median on N threads, each measured on its own machine; the dashed \
                   line is the ideal (speedup = threads). Only files of the chosen experiment are drawn." }
            </p>
        </>
    }
}

/// `data-json` of a machine table: the file, its machine block and key results.
#[derive(Serialize)]
struct Summary<'a> {
    file: usize,
    label: &'a str,
    lesson: &'a str,
    class: &'a str,
    date: &'a str,
    settings: &'a str,
    machine: &'a crate::export::Machine,
    results: Vec<KeyResult>,
}

fn machine_table(file: usize, e: &Export, label: &str) -> Html {
    let m = &e.machine;
    let results = key_results(e);
    let summary = Summary {
        file,
        label,
        lesson: &e.lesson,
        class: &e.class,
        date: &e.date,
        settings: &e.settings,
        machine: m,
        results: results.clone(),
    };
    let json = serde_json::to_string(&summary).unwrap_or_default();
    let card = |key: &str| m.card.as_ref().and_then(|c| c.get(key)).filter(|v| !v.is_null());
    let num = |key: &str, f: fn(f64) -> String| card(key).and_then(|v| v.as_f64()).map(f);
    let card_text = [
        num("measured_cores", |x| format!("{x:.0} cores")),
        num("smt_gain", |x| format!("SMT gain {x:.2}×")),
        num("bandwidth_all_threads_gbs", |x| format!("{x:.1} GB/s")),
        num("peak_gflops", |x| format!("{x:.1} GFLOP/s")),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" · ");
    let row = |k: &str, v: String| html! { <tr><th scope="row">{ k.to_string() }</th><td>{ v }</td></tr> };
    let open = format!("#/{}?{}", e.lesson, e.settings);
    html! {
        <div class="table-wrap compare-machine">
        <table class="results kv" data-testid="compare-machine" data-json={json}>
            <caption>{ label.to_string() }</caption>
            <tbody>
                { row("Experiment", e.class_title.clone()) }
                { row("Date", e.date.replace('T', " ").trim_end_matches('Z').chars().take(16).collect()) }
                { row("Browser", format!("{} ({}, {})", m.browser, m.engine, m.os)) }
                { row("Mode", format!("{} × {}{}", m.mode, m.pool,
                    if m.cross_origin_isolated { ", cross-origin isolated" } else { "" })) }
                { row("Cores", format!("{} reported, {}", m.reported_cores, match (m.measured_cores, m.probe_conclusive) {
                    (Some(c), Some(false)) => format!("probe inconclusive (kept {c})"),
                    (Some(c), _) => format!("{c} measured at start-up"),
                    (None, _) => "not measured (pool set by the link)".into(),
                })) }
                if !card_text.is_empty() { { row("Machine lab card", card_text) } }
                { for results.iter().map(|r| {
                    let what = if r.series.is_empty() { String::new() } else { format!(" ({})", r.series) };
                    let threads: Vec<String> = r.threads.iter().map(|t| format!("{t}")).collect();
                    html! { <>
                        { row(&format!("Threads{what}"), threads.join(", ")) }
                        if let Some(ms) = r.one_thread_ms { { row(&format!("1 thread{what}"), format!("{ms:.1} ms")) } }
                        if let (Some(s), Some(at)) = (r.best_speedup, r.best_at) {
                            { row(&format!("Best speedup{what}"), format!("{s:.2}× on {at} threads")) }
                        }
                    </> }
                }) }
                <tr><th scope="row">{ "Settings" }</th><td><a href={open}>{ format!("open #/{} with them", e.lesson) }</a></td></tr>
            </tbody>
        </table>
        </div>
    }
}
