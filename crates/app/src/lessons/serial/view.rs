//! The serial-vs-parallel lesson's markup and its timeline canvases.

use std::rc::Rc;

use parlab_kernels::{KernelSpec, RunOutcome, Size};
use web_sys::{HtmlCanvasElement, HtmlSelectElement};
use yew::prelude::*;

use super::{Msg, SerialLesson};
use crate::challenge::{Challenges, SpeedupRun};
use crate::components::{ResultsTable, thousands};
use crate::export::{Downloads, runs};
use crate::lessons::Ctx;
use crate::lessons::runner::{RunControls, RunState, state_line};
use crate::plot::draw_timeline;
use crate::predict::{Predict, Spoiler};

/// Canvas id of the timeline for `threads`.
fn canvas_id(threads: usize) -> String {
    format!("timeline-{threads}")
}

/// Numbers tested and chunk count of the primes job for `size`.
fn primes_params(size: Size) -> (u64, usize) {
    match KernelSpec::primes(size) {
        KernelSpec::Primes { limit, chunks } => (limit, chunks),
        _ => unreachable!("KernelSpec::primes builds a Primes spec"),
    }
}

fn fmt_ms(ms: f64) -> String {
    if ms >= 100.0 { format!("{ms:.0} ms") } else { format!("{ms:.1} ms") }
}

pub fn view(lesson: &SerialLesson, ctx: &Ctx<SerialLesson>, notes: Html) -> Html {
    let link = ctx.link();
    let pool = SerialLesson::pool(ctx);
    let running = lesson.runner.running();
    let (limit, chunks) = primes_params(lesson.settings.size);
    let question = lesson.question();
    let on_size = link.callback(|e: Event| {
        let v = e.target_unchecked_into::<HtmlSelectElement>().value();
        Msg::Size(Size::parse(&v).unwrap_or_default())
    });
    html! {
        <section class="lesson serial">
            <h1>{ "Serial vs parallel" }</h1>
            <p class="lead">
                { "Serial processing: one object at a time. Parallel processing: several objects at a time. \
                   Here the objects are the whole numbers below " }<strong>{ thousands(limit) }</strong>
                { ", and the work is testing each one for primality. The range is cut into " }{ chunks }
                { " chunks; threads take the next free chunk until none is left." }
            </p>
            { notes }
            <div class="controls" role="group" aria-label="Experiment settings">
                <label class="control">
                    <span>{ "Workload" }</span>
                    <select disabled=true aria-label="Workload"><option>{ "Count primes (trial division)" }</option></select>
                </label>
                <label class="control">
                    <span>{ "Problem size" }</span>
                    <select data-testid="size" onchange={on_size} disabled={running}>
                        { for Size::ALL.iter().map(|&s| {
                            let (limit, _) = primes_params(s);
                            html! { <option value={s.name()} selected={s == lesson.settings.size}>
                                { format!("{} — below {}", s.name(), thousands(limit)) }
                            </option> }
                        }) }
                    </select>
                </label>
                <RunControls pool={pool} threads={lesson.settings.threads.clone()} reps={lesson.settings.reps}
                    running={running} status={ctx.props().status.clone()}
                    on_toggle={link.callback(Msg::ToggleThreads)} on_reps={link.callback(Msg::Reps)}
                    on_run={link.callback(|_| Msg::Run)} on_cancel={link.callback(|_| Msg::Cancel)}
                    blocked={lesson.predict.blocks(question.as_ref()).map(AttrValue::from)} />
            </div>
            <Predict question={question.clone()} ask={lesson.predict.ask} answer={lesson.predict.answer(question.as_ref()).cloned()}
                reveal={lesson.predict.reveal(lesson.measured())} on_answer={link.callback(Msg::Predict)} {running} />
            { state_line(lesson.runner.state(), &ctx.props().status) }
            { summary(lesson) }
            <ResultsTable rows={lesson.runner.rows.clone()} />
            if let (Some(job), RunState::Done) = (&lesson.runner.job, lesson.runner.state()) {
                <Downloads results={runs::of_job("serial", <SerialLesson as crate::lessons::Lesson>::TITLE, job, &lesson.runner.rows)}
                    compute={ctx.props().compute.clone()} name={format!("parlab-serial-{}", lesson.settings.size.name())} />
            }
            <Challenges lesson="serial" evidence={SpeedupRun::of(0.0, &lesson.runner.rows).map(Rc::new)} />
            { timelines(lesson) }
            <Spoiler revealed={!lesson.runner.rows.is_empty()}>{ explanation() }</Spoiler>
        </section>
    }
}

fn summary(lesson: &SerialLesson) -> Html {
    let (Some(first), Some(last)) = (lesson.runner.rows.first(), lesson.runner.rows.last()) else {
        return html! {};
    };
    let label = lesson.runner.job.as_ref().map_or("", |j| j.spec.result_label());
    html! {
        <div class="summary">
            <div class="stat">
                <span class="stat-label">{ format!("{} thread{}", first.threads, if first.threads == 1 { "" } else { "s" }) }</span>
                <span class="stat-value">{ fmt_ms(first.median_ms) }</span>
            </div>
            if lesson.runner.rows.len() > 1 {
                <div class="stat">
                    <span class="stat-label">{ format!("{} threads", last.threads) }</span>
                    <span class="stat-value">{ fmt_ms(last.median_ms) }</span>
                </div>
            }
            if let (Some(s), Some(e)) = (last.speedup, last.efficiency) {
                if lesson.runner.rows.len() > 1 {
                    <div class="stat accent" data-testid="speedup">
                        <span class="stat-label">{ "Speedup" }</span>
                        <span class="stat-value">{ format!("{s:.2}×") }</span>
                        <span class="stat-note">{ format!("efficiency {:.0} %", e * 100.0) }</span>
                    </div>
                }
            }
            <div class="stat">
                <span class="stat-label">{ "Answer" }</span>
                <span class="stat-value" data-testid="answer">{ thousands(first.value) }</span>
                <span class="stat-note">{ format!("{label}; identical in every run ✓") }</span>
            </div>
        </div>
    }
}

/// The last timed repetition of each measured thread count.
fn timeline_runs(lesson: &SerialLesson) -> Vec<(usize, &RunOutcome)> {
    let r = &lesson.runner;
    r.rows.iter().filter_map(|row| Some((row.threads, r.last_timed(row.threads)?))).collect()
}

fn timelines(lesson: &SerialLesson) -> Html {
    let runs = timeline_runs(lesson);
    if runs.is_empty() {
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
            { for runs.iter().map(|(t, _)| html! {
                <canvas ref={lesson.timeline(*t)} id={canvas_id(*t)} class="plot" role="img"
                    aria-label={format!("Timeline of the {t}-thread run")}></canvas>
            }) }
        </div>
    }
}

/// Draws every timeline canvas (after each render; cheap).
pub fn draw_timelines(lesson: &SerialLesson, pool: usize) {
    let runs = timeline_runs(lesson);
    let x_max = runs.iter().map(|(_, o)| o.wall_ms).fold(0.0, f64::max) * 1.02;
    for (threads, outcome) in runs {
        let Some(canvas) = lesson.timeline(threads).cast::<HtmlCanvasElement>() else {
            continue;
        };
        let caption = format!(
            "{threads} thread{} — {:.0} ms wall time",
            if threads == 1 { "" } else { "s" },
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
