//! The measured results of the message-passing section: status line, summary, the two plots,
//! the transport table (`msg-results`) and the serialization table (`msg-formats`).

use parlab_kernels::formats::{Format, FormatRow};
use web_sys::HtmlCanvasElement;
use yew::prelude::*;

use super::Phase;
use crate::components::thousands;
use crate::compute::message_bench::TransportRow;
use crate::plot::{Line, Shape, SizePlot, THREAD_COLOURS, draw_sizes, size_label};

/// Why the `share` series is missing on a page that is not cross-origin isolated.
pub const SAB_REASON: &str = "SharedArrayBuffer exists only in a cross-origin isolated page (one served with the \
    COOP and COEP headers). This page is not isolated, for example because it is embedded in course notes that \
    do not send them, so only copy and transfer are measured. Open parlab in its own tab to compare all three.";

const TIME_PLOT: &str = "msg-time-plot";
const RATE_PLOT: &str = "msg-rate-plot";

/// Colour, marker and legend label of a method.
fn look(method: &str) -> (RGBColour, Shape, &'static str) {
    match method {
        "copy" => (THREAD_COLOURS[0], Shape::Circle, "copy (structured clone)"),
        "transfer" => (THREAD_COLOURS[1], Shape::Triangle, "transfer (ownership moves)"),
        _ => (THREAD_COLOURS[2], Shape::Square, "share (SharedArrayBuffer)"),
    }
}

type RGBColour = plotters::style::RGBColor;

/// The bench's status line with a progress bar (`data-testid="msg-state"`).
pub fn state_line(phase: &Phase) -> Html {
    let (text, progress) = match phase {
        Phase::Idle => {
            ("Ready. Press Measure: it takes a few seconds, longer for 64 MiB.".to_string(), None)
        }
        Phase::Running { done, total, label } => (label.clone(), Some((*done, total.max(1.0)))),
        Phase::Done => ("Done.".to_string(), None),
        Phase::Cancelled => {
            ("Cancelled: the bench worker was stopped. Press Measure to start again.".into(), None)
        }
        Phase::Error(e) => (format!("Error: {e}"), None),
    };
    let error = matches!(phase, Phase::Error(_)).then_some("error-text");
    html! {
        <div class="run-state" data-testid="msg-state" data-state={phase.name()} role="status" aria-live="polite">
            if let Some((done, total)) = progress {
                <progress max={total.to_string()} value={done.to_string()} aria-label="Progress"></progress>
            }
            <span class={classes!(error)}>{ text }</span>
        </div>
    }
}

/// The two plots: time per message and throughput.
#[derive(Default)]
pub struct Plots {
    pub time: NodeRef,
    pub rate: NodeRef,
}

/// Redraws both plots from `rows` (no-op until there are rows).
pub fn draw_plots(rows: &[TransportRow], methods: &[String], canvases: &Plots) {
    if rows.is_empty() {
        return;
    }
    let lines = |f: fn(&TransportRow) -> (f64, f64, f64)| -> Vec<Line> {
        methods
            .iter()
            .map(|m| {
                let (colour, shape, label) = look(m);
                let points = rows
                    .iter()
                    .filter(|r| &r.method == m)
                    .map(|r| {
                        let (y, lo, hi) = f(r);
                        (r.bytes as f64, y, lo, hi)
                    })
                    .collect();
                Line { label: label.into(), colour, shape, points }
            })
            .collect()
    };
    let plots = [
        (
            &canvases.time,
            SizePlot {
                x_label: "message size (bytes, log scale)",
                title: "Time per message (send → receiver's ack)",
                y_label: "time (ms, log scale)",
                lines: lines(|r| (r.median_ms, r.min_ms, r.max_ms)),
            },
        ),
        (
            &canvases.rate,
            SizePlot {
                x_label: "message size (bytes, log scale)",
                title: "Throughput",
                y_label: "MiB per second (log scale)",
                lines: lines(|r| {
                    (
                        r.mib_per_s.unwrap_or(f64::NAN),
                        mib_per_s(r.bytes, r.max_ms),
                        mib_per_s(r.bytes, r.min_ms),
                    )
                }),
            },
        ),
    ];
    for (node, p) in plots {
        if let Some(c) = node.cast::<HtmlCanvasElement>()
            && let Err(e) = draw_sizes(&c, &p, 320)
        {
            web_sys::console::warn_1(&e.into());
        }
    }
}

/// MiB per second for `bytes` in `ms` (NaN when the time is not positive).
fn mib_per_s(bytes: u64, ms: f64) -> f64 {
    if ms > 0.0 { bytes as f64 / (1u64 << 20) as f64 / (ms / 1e3) } else { f64::NAN }
}

fn ms(v: f64) -> String {
    if v >= 10.0 {
        format!("{v:.1}")
    } else if v >= 0.1 {
        format!("{v:.2}")
    } else {
        format!("{v:.3}")
    }
}

fn rate(v: Option<f64>) -> String {
    v.map_or("—".into(), |r| thousands(r.round() as u64))
}

/// The summary, both plots and the table of the transport measurements.
pub fn transport(rows: &[TransportRow], methods: &[String], canvases: &Plots) -> Html {
    if rows.is_empty() {
        return html! {};
    }
    let json = serde_json::to_string(rows).unwrap_or_default();
    let mut sizes: Vec<u64> = rows.iter().map(|r| r.bytes).collect();
    sizes.sort_unstable();
    sizes.dedup();
    let find = |m: &str, b: u64| rows.iter().find(|r| r.method == m && r.bytes == b);
    let biggest = *sizes.last().unwrap_or(&0);
    html! {
        <>
            <div class="summary" data-testid="msg-summary">
                { for methods.iter().filter_map(|m| find(m, biggest)).map(|r| html! {
                    <div class={classes!("stat", (r.method == "copy").then_some("accent"))}>
                        <span class="stat-label">{ format!("{} of {}", look(&r.method).2, size_label(biggest as f64)) }</span>
                        <span class="stat-value">{ format!("{} ms", ms(r.median_ms)) }</span>
                        <span class="stat-note">{ format!("{} MiB/s, median of {}", rate(r.mib_per_s), r.reps) }</span>
                    </div>
                }) }
            </div>
            <div class="plots">
                <canvas ref={canvases.time.clone()} id={TIME_PLOT} data-testid={TIME_PLOT} class="plot" role="img"
                    aria-label="Time per message against message size, one line per method"></canvas>
                <canvas ref={canvases.rate.clone()} id={RATE_PLOT} data-testid={RATE_PLOT} class="plot" role="img"
                    aria-label="Throughput in MiB per second against message size, one line per method"></canvas>
            </div>
            <p class="caption">
                { "Read the plots from left to right. Small messages cost about the same whichever way they go: the \
                   fixed price of waking the other worker dominates. As messages grow, copy time grows with the \
                   bytes (its throughput levels off at the speed the browser can allocate and copy memory), while transfer and share stay almost \
                   flat: nothing is copied, so their “throughput” just keeps rising. Whiskers show the fastest and \
                   slowest repetition." }
            </p>
            <div class="table-wrap">
                <table class="results" data-testid="msg-results" data-json={json}>
                    <caption>{ "Time per message (median ms) and throughput (MiB/s), sender's clock, from send to the receiver's reply" }</caption>
                    <thead><tr>
                        <th scope="col">{ "Size" }</th>
                        { for methods.iter().map(|m| html! {
                            <>
                                <th scope="col">{ format!("{m} (ms)") }</th>
                                <th scope="col">{ format!("{m} (MiB/s)") }</th>
                            </>
                        }) }
                    </tr></thead>
                    <tbody>
                        { for sizes.iter().map(|&b| html! {
                            <tr>
                                <td class="nowrap">{ size_label(b as f64) }</td>
                                { for methods.iter().map(|m| match find(m, b) {
                                    Some(r) => html! {
                                        <>
                                            <td title={format!("min {} – max {} ms, {} reps{}", ms(r.min_ms), ms(r.max_ms), r.reps,
                                                if r.batch > 1 { format!(", each the mean of {} back-to-back messages", r.batch) } else { String::new() })}>
                                                { ms(r.median_ms) }
                                            </td>
                                            <td>{ rate(r.mib_per_s) }</td>
                                        </>
                                    },
                                    None => html! { <><td>{ "—" }</td><td>{ "—" }</td></> },
                                }) }
                            </tr>
                        }) }
                    </tbody>
                </table>
            </div>
        </>
    }
}

/// A short table label for an object of `formats::measure`.
fn short_name(object: &str) -> &'static str {
    match object {
        "samples" => "f64 samples",
        "records" => "records",
        _ => "tree",
    }
}

/// The serialization table: bytes and times of each object in JSON and postcard.
pub fn formats(rows: &[FormatRow], error: Option<&str>) -> Html {
    let json = serde_json::to_string(rows).unwrap_or_default();
    let bytes = |object: &str, f: Format| {
        rows.iter().find(|r| r.object == object && r.format == f).map(|r| r.bytes as f64)
    };
    let mut objects: Vec<&str> = rows.iter().map(|r| r.description.as_str()).collect();
    objects.dedup();
    let ratio =
        bytes("samples", Format::Json).zip(bytes("samples", Format::Postcard)).map(|(j, p)| j / p);
    html! {
        <>
            <h3>{ "Turning objects into bytes" }</h3>
            <p class="caption">
                { "A message between processes is only bytes, so every object is encoded by the sender and decoded by \
                   the receiver — Python's multiprocessing pickles every argument and every result. Text formats such \
                   as JSON write numbers as decimal digits and repeat every field name; a binary format such as \
                   postcard writes an f64 as its 8 bytes and leaves the names out, because both sides know the type. \
                   Measured here in Rust (in the bench worker), with a check that decoding gives back exactly the input." }
            </p>
            if let Some(e) = error {
                <p class="note" role="note">{ format!("The serialization bench could not run: {e}") }</p>
            }
            if !rows.is_empty() {
                <p class="caption">{ format!("The objects: {}.", objects.join("; ")) }</p>
                <div class="table-wrap">
                    <table class="results" data-testid="msg-formats" data-json={json}>
                        <caption>{ format!("Encode and decode times (median of {} repetitions)", rows[0].reps) }</caption>
                        <thead><tr>
                            <th scope="col">{ "Object" }</th><th scope="col">{ "Format" }</th>
                            <th scope="col">{ "Size (bytes)" }</th><th scope="col">{ "Encode (ms)" }</th>
                            <th scope="col">{ "Decode (ms)" }</th><th scope="col">{ "Round trip" }</th>
                        </tr></thead>
                        <tbody>
                            { for rows.iter().map(|r| html! {
                                <tr>
                                    <td class="object" title={r.description.clone()}>{ short_name(&r.object) }</td>
                                    <td>{ r.format.name() }</td>
                                    <td>{ thousands(r.bytes as u64) }</td>
                                    <td>{ ms(r.encode_ms) }</td>
                                    <td>{ ms(r.decode_ms) }</td>
                                    <td>{ if r.round_trip { "exact" } else { "CHANGED" } }</td>
                                </tr>
                            }) }
                        </tbody>
                    </table>
                </div>
                if let Some(x) = ratio {
                    <p class="caption">
                        { format!("For the f64 samples JSON needs {x:.1}× the bytes of the binary format, and every one \
                                   of those bytes must then be copied to the other side. Field names make records and \
                                   trees bigger still. Sharing memory skips both steps; that is why threads are cheap \
                                   to talk to.") }
                    </p>
                }
            }
        </>
    }
}
