//! The GIL lesson's measured results: the speedup plot, the results table (with its CSV and
//! JSON downloads) and one timeline per mode, drawn from real timestamps.

use parlab_kernels::gil::sweep::{Report, Row, Sweep};
use parlab_kernels::gil::{Activity, GilRun, Mode};
use plotters::style::RGBColor;
use web_sys::HtmlCanvasElement;
use yew::prelude::*;

use super::settings::{mode_label, mode_name};
use super::text;
use crate::components::thousands;
use crate::compute::Compute;
use crate::export::{Downloads, Results};
use crate::plot::{
    Gantt, Lane, LinePlot, Series, Shape, Style, THREAD_COLOURS, draw_gantt, draw_lines,
};

/// The section's canvases: the speedup plot and one timeline per mode.
#[derive(Default)]
pub struct Canvases {
    pub speedup: NodeRef,
    timelines: [NodeRef; 3],
}

impl Canvases {
    /// The timeline canvas of `mode`.
    pub fn timeline(&self, mode: Mode) -> NodeRef {
        let i = Mode::ALL.iter().position(|&m| m == mode).unwrap_or(0);
        self.timelines[i].clone()
    }
}

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

/// The measured section: speedup plot, table, downloads and one timeline per mode.
pub fn view(report: &Report, sweep: &Sweep, canvases: &Canvases, compute: &Compute) -> Html {
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
            <canvas ref={canvases.speedup.clone()} id="gil-speedup" class="plot" data-testid="gil-speedup" role="img"
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
            <Downloads results={results(report, sweep)} compute={compute.clone()}
                name={format!("parlab-gil-{}", sweep.preset.name())} canvas={canvases.speedup.clone()} />
            if processes { { text::processes() } }
            <h2>{ "What each thread did" }</h2>
            { text::timelines() }
            { for report.timelines.iter().map(|t| html! {
                <canvas ref={canvases.timeline(t.mode)} id={timeline_id(t.mode)} class="plot" data-testid={timeline_id(t.mode)} role="img"
                    aria-label={format!("Timeline of {}", mode_label(t.mode))} />
            }) }
        </>
    }
}

/// The rows for the downloads: one curve per mode; the class is the workload with its sizes.
fn results(report: &Report, sweep: &Sweep) -> Results {
    let preset = serde_json::to_string(&sweep.preset).unwrap_or_default();
    Results::new(
        "gil",
        format!("gil/{}", crate::export::runs::slug(&preset)),
        format!("Threads, processes & the GIL: {} ({preset})", sweep.preset.name()),
        &report.rows,
    )
    .series_by("mode")
    .details(
        &serde_json::json!({ "switch_interval_ms": sweep.switch_interval_ms, "reps": sweep.reps }),
    )
}

/// Draws the speedup plot and the timelines (after the markup exists).
pub fn draw(report: &Report, sweep: &Sweep, canvases: &Canvases) {
    if let Some(c) = canvases.speedup.cast::<HtmlCanvasElement>() {
        let _ = draw_lines(&c, &speedup_plot(report, sweep), 300);
    }
    let x_max = report.timelines.iter().map(|t| t.wall_ms).fold(0.0, f64::max);
    for run in &report.timelines {
        if let Some(c) = canvases.timeline(run.mode).cast::<HtmlCanvasElement>() {
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
    LinePlot::against_threads(
        "Measured speedup per mode",
        "threads (or processes)",
        "speedup over 1 thread (×)",
        max_threads,
        top,
        series,
    )
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
