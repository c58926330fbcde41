//! The serial-vs-parallel lesson's markup and its timeline canvases.

use parlab_kernels::{KernelSpec, Size};
use wasm_bindgen::JsCast;
use web_sys::{HtmlCanvasElement, HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::{Msg, REPS, RunState, SerialLesson};
use crate::components::{Notes, ResultsTable};
use crate::plot::draw_timeline;

/// Canvas id of the timeline for `threads`.
fn canvas_id(threads: usize) -> String {
    format!("timeline-{threads}")
}

fn fmt_ms(ms: f64) -> String {
    if ms >= 100.0 {
        format!("{ms:.0} ms")
    } else {
        format!("{ms:.1} ms")
    }
}

fn group_digits(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

pub fn view(lesson: &SerialLesson, ctx: &Context<SerialLesson>) -> Html {
    let link = ctx.link();
    let pool = SerialLesson::pool(ctx);
    let running = matches!(lesson.state, RunState::Running { .. });
    let KernelSpec::Primes { limit, chunks } = KernelSpec::primes(lesson.size);
    let on_size = link.callback(|e: Event| {
        let v = e.target_unchecked_into::<HtmlSelectElement>().value();
        Msg::Size(Size::parse(&v).unwrap_or_default())
    });
    let on_reps = link.callback(|e: InputEvent| {
        Msg::Reps(
            e.target_unchecked_into::<HtmlInputElement>()
                .value()
                .parse()
                .unwrap_or(3),
        )
    });
    let thread_choices = thread_choices(pool);
    html! {
        <section class="lesson serial">
            <h1>{ "Serial vs parallel" }</h1>
            <p class="lead">
                { "Serial processing: one object at a time. Parallel processing: several objects at a time. \
                   Here the objects are the whole numbers below " }<strong>{ group_digits(limit) }</strong>
                { ", and the work is testing each one for primality. The range is cut into " }{ chunks }
                { " chunks; threads take the next free chunk until none is left." }
            </p>
            <Notes notes={lesson.notes.clone()} on_dismiss={link.callback(|_| Msg::DismissNotes)} />
            <div class="controls" role="group" aria-label="Experiment settings">
                <label class="control">
                    <span>{ "Workload" }</span>
                    <select disabled=true aria-label="Workload"><option>{ "Count primes (trial division)" }</option></select>
                </label>
                <label class="control">
                    <span>{ "Problem size" }</span>
                    <select data-testid="size" onchange={on_size} disabled={running}>
                        { for Size::ALL.iter().map(|&s| {
                            let KernelSpec::Primes { limit, .. } = KernelSpec::primes(s);
                            html! { <option value={s.name()} selected={s == lesson.size}>
                                { format!("{} — below {}", s.name(), group_digits(limit)) }
                            </option> }
                        }) }
                    </select>
                </label>
                <fieldset class="control threads" disabled={running}>
                    <legend>{ "Threads to compare" }</legend>
                    { for thread_choices.iter().map(|&t| {
                        let checked = lesson.threads.contains(&t);
                        html! {
                            <label class="chip">
                                <input type="checkbox" checked={checked} data-testid={format!("threads-{t}")}
                                    onchange={link.callback(move |_| Msg::ToggleThreads(t))} />
                                { t }
                            </label>
                        }
                    }) }
                </fieldset>
                <label class="control">
                    <span>{ format!("Repetitions: {}", lesson.reps) }</span>
                    <input type="range" min={REPS.start().to_string()} max={REPS.end().to_string()}
                        value={lesson.reps.to_string()} oninput={on_reps} disabled={running}
                        aria-valuetext={format!("{} repetitions", lesson.reps)} />
                </label>
                <div class="buttons">
                    <button class="primary" data-testid="run" onclick={link.callback(|_| Msg::Run)}
                        disabled={running || ctx.props().status != crate::compute::Status::Ready}>
                        { "Run" }
                    </button>
                    <button data-testid="cancel" onclick={link.callback(|_| Msg::Cancel)} disabled={!running}>
                        { "Cancel" }
                    </button>
                </div>
            </div>
            { state_line(lesson) }
            { summary(lesson) }
            <ResultsTable rows={lesson.rows.clone()} />
            { timelines(lesson) }
            { explanation() }
        </section>
    }
}

/// 1, 2, 4, … up to the pool size, plus the pool size itself.
fn thread_choices(pool: usize) -> Vec<usize> {
    let mut v: Vec<usize> = std::iter::successors(Some(1), |&t| Some(t * 2))
        .take_while(|&t| t < pool)
        .collect();
    v.push(pool);
    v
}

fn state_line(lesson: &SerialLesson) -> Html {
    let (text, progress) = match &lesson.state {
        RunState::Idle => ("Ready. Press Run to measure.".to_string(), None),
        RunState::Running { done, total, .. } => (
            format!("Running… {done} of {total} chunks"),
            Some((*done, (*total).max(1))),
        ),
        RunState::Done => ("Done.".to_string(), None),
        RunState::Cancelled => (
            "Cancelled. Nothing was measured to the end; press Run to start again.".to_string(),
            None,
        ),
        RunState::Error(e) => (format!("Error: {e}"), None),
    };
    html! {
        <div class="run-state" data-testid="run-state" data-state={lesson.state.name()} role="status" aria-live="polite">
            if let Some((done, total)) = progress {
                <progress max={total.to_string()} value={done.to_string()} aria-label="Progress"></progress>
            }
            <span class={classes!(matches!(lesson.state, RunState::Error(_)).then_some("error-text"))}>{ text }</span>
        </div>
    }
}

fn summary(lesson: &SerialLesson) -> Html {
    let (Some(first), Some(last)) = (lesson.rows.first(), lesson.rows.last()) else {
        return html! {};
    };
    let label = lesson.job.as_ref().map_or("", |j| j.spec.result_label());
    html! {
        <div class="summary">
            <div class="stat">
                <span class="stat-label">{ format!("{} thread{}", first.threads, if first.threads == 1 { "" } else { "s" }) }</span>
                <span class="stat-value">{ fmt_ms(first.median_ms) }</span>
            </div>
            if lesson.rows.len() > 1 {
                <div class="stat">
                    <span class="stat-label">{ format!("{} threads", last.threads) }</span>
                    <span class="stat-value">{ fmt_ms(last.median_ms) }</span>
                </div>
            }
            if let (Some(s), Some(e)) = (last.speedup, last.efficiency) {
                if lesson.rows.len() > 1 {
                    <div class="stat accent" data-testid="speedup">
                        <span class="stat-label">{ "Speedup" }</span>
                        <span class="stat-value">{ format!("{s:.2}×") }</span>
                        <span class="stat-note">{ format!("efficiency {:.0} %", e * 100.0) }</span>
                    </div>
                }
            }
            <div class="stat">
                <span class="stat-label">{ "Answer" }</span>
                <span class="stat-value" data-testid="answer">{ group_digits(first.value) }</span>
                <span class="stat-note">{ format!("{label}; identical in every run ✓") }</span>
            </div>
        </div>
    }
}

fn timelines(lesson: &SerialLesson) -> Html {
    if lesson.timelines.is_empty() {
        return html! { <div class="figure" /> };
    }
    html! {
        <div class="figure">
            <h2>{ "Who computed what" }</h2>
            <p class="caption">
                { "Each bar is one chunk of numbers, drawn on the lane of the thread that computed it (last repetition). \
                   All panels share one time axis, so a shorter panel means a faster run. Later chunks hold bigger \
                   numbers and take longer to test." }
            </p>
            { for lesson.timelines.iter().map(|(t, _)| html! {
                <canvas id={canvas_id(*t)} class="plot" role="img"
                    aria-label={format!("Timeline of the {t}-thread run")}></canvas>
            }) }
        </div>
    }
}

/// Draws every timeline canvas (after each render; cheap).
pub fn draw_timelines(lesson: &SerialLesson, pool: usize) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let x_max = lesson
        .timelines
        .iter()
        .map(|(_, o)| o.wall_ms)
        .fold(0.0, f64::max)
        * 1.02;
    for (threads, outcome) in &lesson.timelines {
        let Some(canvas) = document.get_element_by_id(&canvas_id(*threads)) else {
            continue;
        };
        let Ok(canvas) = canvas.dyn_into::<HtmlCanvasElement>() else {
            continue;
        };
        let caption = format!(
            "{threads} thread{} — {:.0} ms wall time",
            if *threads == 1 { "" } else { "s" },
            outcome.wall_ms
        );
        if let Err(e) = draw_timeline(&canvas, outcome, pool, x_max, &caption) {
            web_sys::console::warn_1(&format!("timeline: {e}").into());
        }
    }
}

fn explanation() -> Html {
    html! {
        <details class="explain" open=true>
            <summary>{ "Why is the speedup less than the number of threads?" }</summary>
            <ul>
                <li>{ "Starting and joining threads, and handing out chunks, costs time that a serial run does not pay." }</li>
                <li>{ "Uneven work: a chunk of large numbers takes longer than one of small numbers. At the end one thread may still be busy while the others wait (look at the right edge of the timeline)." }</li>
                <li>{ "The cores are shared with the browser, the operating system and other programs. Logical cores from hyper-threading share one physical core's execution units." }</li>
                <li>{ "Amdahl's law: any part of a program that stays serial limits the speedup, however many threads you add." }</li>
            </ul>
        </details>
    }
}
