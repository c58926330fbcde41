//! The GIL lesson's markup: controls, the results table, the speedup plot, one timeline per
//! mode and the program's source.

use parlab_kernels::gil::sweep::{Report, Row, Sweep};
use parlab_kernels::gil::{Activity, GilRun, Mode};
use plotters::style::RGBColor;
use wasm_bindgen::JsCast;
use web_sys::HtmlCanvasElement;
use yew::prelude::*;

use parlab_kernels::Size;

use super::settings::{Settings, Workload, mode_label, mode_name};
use super::{GilLesson, Msg, messages, race, text};
use crate::components::{Downloads, thousands};
use crate::controls::{on_number, on_select};
use crate::lessons::runner::{RunControls, state_line_of};
use crate::lessons::{Ctx, Host};
use crate::params::Named;
use crate::plot::{
    Gantt, Lane, LinePlot, Series, Shape, Style, THREAD_COLOURS, draw_gantt, draw_lines,
};

const SPEEDUP_CANVAS: &str = "gil-speedup";

fn mode_colour(mode: Mode) -> RGBColor {
    match mode {
        Mode::Gil => THREAD_COLOURS[5],
        Mode::FreeThreaded => THREAD_COLOURS[0],
        Mode::Processes => THREAD_COLOURS[2],
    }
}

fn mode_shape(mode: Mode) -> Shape {
    match mode {
        Mode::Gil => Shape::Square,
        Mode::FreeThreaded => Shape::Circle,
        Mode::Processes => Shape::Triangle,
    }
}

const ACTIVITIES: [(&str, RGBColor); 4] = [
    ("running bytecode", THREAD_COLOURS[0]),
    ("waiting for the GIL", THREAD_COLOURS[3]),
    ("I/O (GIL released)", THREAD_COLOURS[1]),
    ("C library (GIL released)", THREAD_COLOURS[2]),
];

fn activity_index(a: Activity) -> usize {
    Activity::ALL.iter().position(|&x| x == a).unwrap_or(0)
}

fn timeline_id(mode: Mode) -> String {
    format!("gil-timeline-{}", mode_name(mode))
}

pub fn lesson(l: &GilLesson, ctx: &Ctx<GilLesson>, notes: Html) -> Html {
    let link = ctx.link();
    let s = &l.settings;
    let shared = GilLesson::shared_memory(ctx);
    let running = matches!(l.state, crate::lessons::runner::RunState::Running { .. });
    let on_workload =
        on_select(link, |s: &mut Settings, v| s.workload = Named::parse(&v).unwrap_or(s.workload));
    let on_size =
        on_select(link, |s: &mut Settings, v| s.size = Named::parse(&v).unwrap_or(s.size));
    let on_switch = on_number(link, |s: &mut Settings, v| s.switch_ms = v);
    let on_toggle = link.callback(|t: usize| {
        Msg::Set(Box::new(move |s: &mut Settings| crate::url::toggle(&mut s.threads, t)))
    });
    let on_reps = link.callback(|r: usize| Msg::Set(Box::new(move |s: &mut Settings| s.reps = r)));
    html! {
        <section class="lesson gil">
            <h1>{ "Threads vs processes and the GIL" }</h1>
            { text::lead() }
            { notes }
            if !shared { { text::workers_mode_note() } }
            <div class="controls" role="group" aria-label="GIL experiment settings">
                <label class="control">
                    <span>{ "Workload" }</span>
                    <select data-testid="workload" onchange={on_workload} disabled={running}>
                        { for Workload::ALL.iter().map(|&w| html! {
                            <option value={w.name()} selected={w == s.workload}>{ w.label() }</option>
                        }) }
                    </select>
                </label>
                <label class="control">
                    <span>{ "Size" }</span>
                    <select data-testid="size" onchange={on_size} disabled={running}>
                        { for Size::ALL.iter().map(|&z| html! {
                            <option value={z.name()} selected={z == s.size}>{ z.name() }</option>
                        }) }
                    </select>
                </label>
                if s.workload == Workload::Mixed { { mix_controls(link, s, running) } }
                { mode_chips(link, s, shared, running) }
                <label class="control">
                    <span>{ format!("Switch interval: {} ms", s.switch_ms) }</span>
                    <input type="range" min="0.1" max="20" step="0.1" value={s.switch_ms.to_string()}
                        data-testid="switch" oninput={on_switch} disabled={running}
                        aria-valuetext={format!("{} milliseconds", s.switch_ms)} />
                </label>
                <RunControls pool={GilLesson::pool(ctx)} threads={s.threads.clone()} reps={s.reps}
                    {running} status={ctx.props().status.clone()} {on_toggle} {on_reps}
                    on_run={link.callback(|_| Msg::Run)} on_cancel={link.callback(|_| Msg::Cancel)} />
            </div>
            { state_line_of(&l.state, &ctx.props().status, "runs", false) }
            <p class="explain" data-testid="gil-explain">{ text::workload(s.workload) }</p>
            if shared && s.workload == Workload::Io && GilLesson::pool(ctx) < OVERSUBSCRIBE { { oversubscribe() } }
            if let (Some(report), Some(sweep)) = (&l.report, &l.sweep) { { results(report, sweep) } }
            { source(s) }
            <race::RaceCompare compute={ctx.props().compute.clone()} status={ctx.props().status.clone()}
                switch_ms={s.switch_ms} />
            <messages::MessagePassing compute={ctx.props().compute.clone()} status={ctx.props().status.clone()} settings={s.msg.clone()}
                on_change={link.callback(|m: messages::Settings| Msg::Set(Box::new(move |s: &mut Settings| s.msg = m)))}
                auto_run={ctx.props().query.get(messages::MSG_RUN.key) == Some("1")} />
        </section>
    }
}

/// Pool size offered for I/O: more threads than cores, which only pays off when they wait.
const OVERSUBSCRIBE: usize = 8;

/// Reloads the page with a larger pool (the pool is sized once, at start-up).
fn oversubscribe() -> Html {
    let reload = Callback::from(|_: MouseEvent| {
        let mut route = crate::url::current();
        route.query.set("pool", OVERSUBSCRIBE);
        route.query.set("threads", "1,2,4,8");
        route.query.set("run", 1);
        if let Some(location) = web_sys::window().map(|w| w.location()) {
            let _ = location.set_hash(route.to_hash().trim_start_matches('#'));
            let _ = location.reload();
        }
    });
    html! {
        <p class="caption">
            { "Waiting threads need no core, so I/O-bound code gains from more threads than cores. " }
            <button data-testid="gil-oversubscribe" onclick={reload}>
                { format!("Reload with {OVERSUBSCRIBE} pool threads and measure 1, 2, 4, 8") }
            </button>
        </p>
    }
}

fn mix_controls(link: &yew::html::Scope<Host<GilLesson>>, s: &Settings, running: bool) -> Html {
    let slider = |label: String,
                  key: &'static str,
                  max: usize,
                  step: usize,
                  value: usize,
                  f: fn(&mut Settings, usize)| {
        let on = on_number(link, move |s: &mut Settings, v| f(s, v.max(0.0) as usize));
        html! {
            <label class="control">
                <span>{ label }</span>
                <input type="range" min="0" max={max.to_string()} step={step.to_string()}
                    value={value.to_string()} data-testid={key} oninput={on} disabled={running} />
            </label>
        }
    };
    html! {
        <>
            { slider(format!("Bytecode per item: {} loop turns", thousands(s.mix_cpu as u64)), "mix-cpu", 20_000, 500, s.mix_cpu, |s, v| s.mix_cpu = v) }
            { slider(format!("I/O per item: {} ms", s.mix_io), "mix-io", 20, 1, s.mix_io, |s, v| s.mix_io = v) }
            { slider(format!("C library per item: {} KB hashed", thousands(s.mix_kb as u64)), "mix-kb", 4_000, 100, s.mix_kb, |s, v| s.mix_kb = v) }
        </>
    }
}

fn mode_chips(
    link: &yew::html::Scope<Host<GilLesson>>,
    s: &Settings,
    shared: bool,
    running: bool,
) -> Html {
    html! {
        <fieldset class="control threads" disabled={running}>
            <legend>{ "Modes" }</legend>
            { for Mode::ALL.iter().map(|&m| {
                let on = link.callback(move |_: Event| Msg::Set(Box::new(move |s: &mut Settings| {
                    if s.modes.contains(&m) { s.modes.retain(|&x| x != m) } else { s.modes.push(m) }
                    s.modes.sort_by_key(|x| Mode::ALL.iter().position(|y| y == x));
                })));
                let disabled = !shared && m != Mode::Processes;
                html! {
                    <label class="chip" title={if disabled { "needs shared memory" } else { "" }}>
                        <input type="checkbox" checked={s.modes.contains(&m)} onchange={on}
                            data-testid={format!("mode-{}", mode_name(m))} disabled={disabled} />
                        { mode_label(m) }
                    </label>
                }
            }) }
        </fieldset>
    }
}

fn results(report: &Report, sweep: &Sweep) -> Html {
    let json = serde_json::to_string(&report.rows).unwrap_or_default();
    let counting = sweep.preset.expected_counter(1).is_some();
    let processes = report.rows.iter().any(|r| r.mode == Mode::Processes);
    let opt = |v: Option<f64>| v.map_or("—".to_string(), |x| format!("{x:.2}×"));
    let row = |r: &Row| {
        html! {
            <tr>
                <td>{ mode_label(r.mode) }</td>
                <td>{ r.threads }</td>
                <td>{ format!("{:.1}", r.median_ms) }</td>
                <td>{ format!("{:.1}", r.min_ms) }</td>
                <td>{ format!("{:.1}", r.max_ms) }</td>
                <td>{ opt(r.speedup) }</td>
                if counting {
                    <td>{ r.counter.map_or("—".into(), |c| thousands(c.max(0) as u64)) }</td>
                    <td>{ match (r.counter, r.expected) {
                        (Some(c), Some(e)) if r.mode != Mode::Processes => thousands((e - c).max(0) as u64),
                        _ => "—".into(),
                    } }</td>
                } else {
                    <td>{ thousands(r.value.max(0) as u64) }</td>
                }
                <td>{ if r.mode == Mode::Gil { thousands(r.handoffs) } else { "—".into() } }</td>
                if processes {
                    <td>{ if r.mode == Mode::Processes {
                        format!("{} B, {:.2} ms", thousands(r.message_bytes), r.message_ms)
                    } else { "—".into() } }</td>
                }
            </tr>
        }
    };
    html! {
        <>
            <h2>{ "Measured" }</h2>
            <canvas id={SPEEDUP_CANVAS} class="plot" data-testid="gil-speedup" role="img"
                aria-label="Measured speedup per mode against the number of threads" />
            <div class="table-wrap">
            <table class="results" data-testid="results" data-json={json}>
                <caption>{ format!("Wall time per mode and thread count (median of {} repetitions after one warm-up)", sweep.reps) }</caption>
                <thead><tr>
                    <th scope="col">{ "Mode" }</th>
                    <th scope="col">{ "Threads" }</th>
                    <th scope="col">{ "Median (ms)" }</th>
                    <th scope="col">{ "Min (ms)" }</th>
                    <th scope="col">{ "Max (ms)" }</th>
                    <th scope="col">{ "Speedup" }</th>
                    if counting {
                        <th scope="col">{ "Shared counter" }</th>
                        <th scope="col">{ "Lost updates" }</th>
                    } else {
                        <th scope="col">{ "Answer" }</th>
                    }
                    <th scope="col">{ "GIL hand-offs" }</th>
                    if processes { <th scope="col">{ "Messages" }</th> }
                </tr></thead>
                <tbody>{ for report.rows.iter().map(row) }</tbody>
            </table>
            </div>
            <Downloads json={serde_json::to_string_pretty(&report.rows).unwrap_or_default()} csv={to_csv(&report.rows)}
                name={format!("parlab-gil-{}", sweep.preset.name())} canvas={SPEEDUP_CANVAS} />
            if processes { { text::processes() } }
            <h2>{ "What each thread did" }</h2>
            { text::timelines() }
            { for report.timelines.iter().map(|t| html! {
                <canvas id={timeline_id(t.mode)} class="plot" data-testid={timeline_id(t.mode)} role="img"
                    aria-label={format!("Timeline of {}", mode_label(t.mode))} />
            }) }
        </>
    }
}

/// The rows as CSV (the fields of the JSON).
fn to_csv(rows: &[Row]) -> String {
    let opt = |v: Option<f64>| v.map_or(String::new(), |x| x.to_string());
    let mut out = String::from(
        "mode,threads,median_ms,min_ms,max_ms,reps,speedup,value,counter,expected,handoffs,max_in_bytecode,message_bytes,message_ms\n",
    );
    for r in rows {
        out += &format!(
            "{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n",
            serde_json::to_string(&r.mode).unwrap_or_default().trim_matches('"'),
            r.threads,
            r.median_ms,
            r.min_ms,
            r.max_ms,
            r.reps,
            opt(r.speedup),
            r.value,
            r.counter.map_or(String::new(), |c| c.to_string()),
            r.expected.map_or(String::new(), |c| c.to_string()),
            r.handoffs,
            r.max_in_bytecode,
            r.message_bytes,
            r.message_ms
        );
    }
    out
}

fn source(s: &Settings) -> Html {
    let preset = s.preset();
    html! {
        <details class="source">
            <summary>{ "The program each thread runs (Python, and the bytecode it is compiled to)" }</summary>
            <div class="columns">
                <pre data-testid="gil-python"><code>{ preset.python() }</code></pre>
                <pre data-testid="gil-bytecode"><code>{ preset.source() }</code></pre>
            </div>
        </details>
    }
}

/// Draws the speedup plot and the timelines (after the markup exists).
pub fn draw(report: &Report, sweep: &Sweep) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let canvas = |id: &str| document.get_element_by_id(id)?.dyn_into::<HtmlCanvasElement>().ok();
    if let Some(c) = canvas(SPEEDUP_CANVAS) {
        let _ = draw_lines(&c, &speedup_plot(report, sweep), 300);
    }
    let x_max = report.timelines.iter().map(|t| t.wall_ms).fold(0.0, f64::max);
    for run in &report.timelines {
        if let Some(c) = canvas(&timeline_id(run.mode)) {
            let title = timeline_title(run);
            let lanes = lanes(run);
            let plot =
                Gantt { title: &title, lanes: &lanes, categories: &ACTIVITIES, x_max_ms: x_max };
            let _ = draw_gantt(&c, &plot);
        }
    }
}

fn speedup_plot<'a>(report: &Report, sweep: &Sweep) -> LinePlot<'a> {
    let max_threads = sweep.threads.iter().copied().max().unwrap_or(1) as f64;
    let mut series: Vec<Series> = sweep
        .modes
        .iter()
        .map(|&m| Series {
            label: mode_label(m).to_string(),
            colour: mode_colour(m),
            style: Style::LinePoints(mode_shape(m)),
            points: report
                .rows
                .iter()
                .filter(|r| r.mode == m)
                .filter_map(|r| Some((r.threads as f64, r.speedup?)))
                .collect(),
        })
        .collect();
    series.push(Series {
        label: "ideal (speedup = threads)".into(),
        colour: THREAD_COLOURS[7],
        style: Style::Dashed,
        points: vec![(1.0, 1.0), (max_threads, max_threads)],
    });
    let top = report.rows.iter().filter_map(|r| r.speedup).fold(max_threads, f64::max);
    LinePlot {
        title: "Measured speedup per mode",
        x_label: "threads (or processes)",
        y_label: "speedup over 1 thread (×)",
        x_range: (0.8, max_threads + 0.2),
        y_range: (0.0, top * 1.1),
        log_y: false,
        series,
        vlines: Vec::new(),
        x_decimals: 0,
    }
}

fn timeline_title(run: &GilRun) -> String {
    let extra = match run.mode {
        Mode::Gil => format!(", {} GIL hand-offs", thousands(run.handoffs)),
        Mode::Processes => {
            format!(", {} B of messages", thousands(run.messages.bytes_in + run.messages.bytes_out))
        }
        Mode::FreeThreaded => String::new(),
    };
    format!("{}: {} threads, {:.0} ms{extra}", mode_label(run.mode), run.threads.len(), run.wall_ms)
}

fn lanes(run: &GilRun) -> Vec<Lane> {
    let unit = if run.mode == Mode::Processes { "process" } else { "thread" };
    run.threads
        .iter()
        .enumerate()
        .map(|(i, t)| Lane {
            label: format!("{unit} {i}"),
            bars: t
                .segments
                .iter()
                .map(|s| (s.start_ms, s.end_ms, activity_index(s.activity)))
                .collect(),
        })
        .collect()
}
