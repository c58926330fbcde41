//! The GIL lesson's markup: controls, the results table, the speedup plot, one timeline per
//! mode and the program's source.

use parlab_kernels::Size;
use parlab_kernels::gil::Mode;
use yew::prelude::*;

use super::settings::{Settings, Workload, mode_label, mode_name};
use super::{GilLesson, Msg, messages, race, results, text};
use crate::challenge::{Challenges, GilRun};
use crate::components::thousands;
use crate::controls::{on_number, on_select};
use crate::lessons::runner::{RunControls, state_line_of};
use crate::lessons::{Ctx, Host};
use crate::params::Named;
use crate::predict::{Predict, Spoiler};

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
    let question = predict_question(l, shared);
    html! {
        <section class="lesson gil">
            <h1>{ "Threads vs processes and the GIL" }</h1>
            { text::lead() }
            { notes }
            <div data-section="measured">
            if !shared { { text::workers_mode_note(&ctx.props().compute.plan().reason) } }
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
                    on_run={link.callback(|_| Msg::Run)} on_cancel={link.callback(|_| Msg::Cancel)}
                    blocked={l.predict.blocks(question.as_ref()).map(AttrValue::from)} />
            </div>
            <Predict question={question.clone()} ask={l.predict.ask} answer={l.predict.answer(question.as_ref()).cloned()}
                reveal={l.predict.reveal(l.measured())} on_answer={link.callback(Msg::Predict)} {running} />
            { state_line_of(&l.state, &ctx.props().status, "runs", false) }
            <Spoiler revealed={l.report.is_some()}>
                <p class="explain" data-testid="gil-explain">{ text::workload(s.workload) }</p>
            </Spoiler>
            if shared && s.workload == Workload::Io && GilLesson::pool(ctx) < OVERSUBSCRIBE { { oversubscribe() } }
            if let (Some(report), Some(sweep)) = (&l.report, &l.sweep) { { results::view(report, sweep, &l.canvases, &ctx.props().compute) } }
            <Challenges lesson="gil" evidence={l.report.as_ref().zip(l.sweep.as_ref())
                .and_then(|(r, sw)| GilRun::of(sw.preset.name(), r)).map(std::rc::Rc::new)} />
            { source(s) }
            </div>
            <div data-section="race">
                <race::RaceCompare compute={ctx.props().compute.clone()} status={ctx.props().status.clone()}
                    switch_ms={s.switch_ms} />
            </div>
            <div data-section="messages">
            <messages::MessagePassing compute={ctx.props().compute.clone()} status={ctx.props().status.clone()} settings={s.msg.clone()}
                on_change={link.callback(|m: messages::Settings| Msg::Set(Box::new(move |s: &mut Settings| s.msg = m)))}
                auto_run={ctx.props().query.get(messages::MSG_RUN.key) == Some("1")} />
            </div>
        </section>
    }
}

/// The question for this page's modes (the view knows the page's mode even before an update).
fn predict_question(l: &GilLesson, shared: bool) -> Option<crate::predict::Question> {
    super::predict::question(&l.settings, shared)
}

/// Pool size offered for I/O: more threads than cores, which only pays off when they wait.
const OVERSUBSCRIBE: usize = 8;

/// Reloads the page with a larger pool (the pool is sized once, at start-up).
fn oversubscribe() -> Html {
    let reload = Callback::from(|_: MouseEvent| {
        crate::url::reload_with(&[
            ("pool", OVERSUBSCRIBE.to_string()),
            ("threads", "1,2,4,8".into()),
            ("run", "1".into()),
        ]);
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
