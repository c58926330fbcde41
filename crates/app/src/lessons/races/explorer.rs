//! The interleaving explorer: the learner is the scheduler (as in The Deadlock Empire). They pick
//! which thread runs its next atomic step, watch shared memory, locks and wait sets change, and
//! then ask the model to try every other schedule too.
//!
//! The component owns no run state: the schedule (thread ids stepped so far) comes from the URL
//! through the props, and the current [`State`] is derived by replaying it from the preset's
//! initial state. Undo, reset, stepping and replaying a found schedule all just hand a new schedule
//! to the parent, so every state the learner reaches is a link they can share.

mod outcome;
mod report;
mod threads;

use std::rc::Rc;
use std::sync::Arc;

use crate::challenge::{Challenges, Evidence, ExplorerSnapshot};
use parlab_model::interleave::{Preset, Program, State, ThreadId, presets};
use web_sys::HtmlSelectElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ExplorerProps {
    /// Preset id (see [`presets`]); an unknown id shows the first preset with a note.
    pub preset: String,
    /// Thread ids stepped so far, from the URL; an invalid tail is ignored with a note.
    pub schedule: Vec<usize>,
    /// Called with the new (preset id, schedule) on every change; the parent writes the URL.
    pub on_change: Callback<(String, Vec<usize>)>,
}

/// What the props describe, replayed.
struct Derived {
    /// The preset shown (the first one if the id is unknown).
    preset: Preset,
    /// The state after the valid prefix of the schedule.
    state: State,
    /// Length of the longest prefix of the schedule that replays.
    valid: usize,
    /// Calm notes about what in the link could not be used.
    notes: Vec<String>,
}

fn derive(id: &str, schedule: &[usize]) -> Result<Derived, String> {
    let all = presets();
    let mut notes = Vec::new();
    let preset = match all.iter().find(|p| p.id == id) {
        Some(p) => p.clone(),
        None => {
            let first = all.first().ok_or("there are no example programs")?.clone();
            if !id.is_empty() {
                notes.push(format!("There is no example “{id}”; showing “{}” instead.", first.id));
            }
            first
        }
    };
    let mut state = State::new(Arc::new(preset.program.clone())).map_err(|e| e.to_string())?;
    let mut valid = 0;
    for &t in schedule {
        match state.step(t) {
            Ok(next) => {
                state = next;
                valid += 1;
            }
            Err(e) => {
                notes.push(format!(
                    "The linked schedule cannot make move {} ({} cannot move: {e}); showing the \
                     first {valid} moves.",
                    valid + 1,
                    thread_name(state.program(), t),
                ));
                break;
            }
        }
    }
    Ok(Derived { preset, state, valid, notes })
}

/// A thread's display name (`thread 7` for an id the program does not have).
pub(super) fn thread_name(program: &Program, t: ThreadId) -> String {
    program.threads.get(t).map_or_else(|| format!("thread {t}"), |th| th.name.clone())
}

/// A schedule as `T1, T2, T1`, runs of one thread shortened (`producer ×5`).
pub(super) fn schedule_text(program: &Program, schedule: &[ThreadId]) -> String {
    let runs = schedule.chunk_by(|a, b| a == b).map(|run| match run.len() {
        1 => thread_name(program, run[0]),
        n => format!("{} ×{n}", thread_name(program, run[0])),
    });
    runs.collect::<Vec<_>>().join(", ")
}

/// The CSS class giving a thread its colour (Okabe–Ito, cycling after three).
pub(super) fn thread_class(t: ThreadId) -> String {
    format!("t{}", t % 3)
}

#[function_component]
pub fn Explorer(props: &ExplorerProps) -> Html {
    let derived = use_memo((props.preset.clone(), props.schedule.clone()), |(id, s)| derive(id, s));
    let report = use_state(|| None::<Rc<report::Report>>);
    let d = match derived.as_ref() {
        Ok(d) => d,
        Err(e) => {
            return html! {
                <div class="error-banner" role="alert">{ format!("The explorer cannot run: {e}") }</div>
            };
        }
    };
    let id = d.preset.id;
    let prefix: Rc<Vec<usize>> = Rc::new(props.schedule[..d.valid].to_vec());
    let set = props.on_change.reform(move |s: Vec<usize>| (id.to_string(), s));
    let on_step = {
        let (set, prefix) = (set.clone(), prefix.clone());
        Callback::from(move |t: usize| set.emit([prefix.as_slice(), &[t]].concat()))
    };
    let on_undo = {
        let prefix = prefix.clone();
        set.reform(move |_: MouseEvent| prefix[..prefix.len().saturating_sub(1)].to_vec())
    };
    let on_reset = set.reform(|_: MouseEvent| Vec::new());
    let on_explore = {
        let report = report.clone();
        Callback::from(move |_: MouseEvent| report.set(report::run(id).map(Rc::new)))
    };
    let on_preset = props
        .on_change
        .reform(|e: Event| (e.target_unchecked_into::<HtmlSelectElement>().value(), Vec::new()));
    let program = d.state.program();
    let shown_report = (*report).as_deref().filter(|r| r.preset == id);
    let explored = shown_report.map(|r| &r.exploration);
    let snapshot = ExplorerSnapshot::of(id, &d.state, prefix.len(), explored);
    let evidence = Some(Rc::new(Evidence::Explorer(snapshot)));
    html! {
        <div class="explorer">
            if !d.notes.is_empty() {
                <div class="note" role="note" data-testid="explorer-note">
                    <ul>{ for d.notes.iter().map(|n| html! { <li>{ n }</li> }) }</ul>
                </div>
            }
            <Challenges lesson="races" {evidence} />
            <div class="controls explorer-controls">
                <label class="control wide">
                    <span>{ "Example program" }</span>
                    { picker(id, on_preset) }
                </label>
                <p class="explorer-description">{ &program.description }</p>
            </div>
            <div class="explorer-toolbar">
                <p class="explorer-schedule" data-testid="explorer-schedule"
                    data-schedule={prefix.iter().map(|t| t.to_string()).collect::<Vec<_>>().join(",")}>
                    <span class="muted">{ format!("Moves so far ({}): ", prefix.len()) }</span>
                    if prefix.is_empty() { { "none yet: you are the scheduler, pick a thread to step." } }
                    else { <code>{ schedule_text(program, &prefix) }</code> }
                </p>
                <div class="buttons">
                    <button data-testid="explorer-undo" onclick={on_undo} disabled={prefix.is_empty()}>{ "Undo" }</button>
                    <button data-testid="explorer-reset" onclick={on_reset} disabled={prefix.is_empty()}>{ "Reset" }</button>
                </div>
            </div>
            { outcome::banner(&d.state) }
            <div class="explorer-board">
                { threads::columns(&d.state, &on_step) }
                { threads::shared_panel(&d.state) }
            </div>
            { report::view(program, shown_report, on_explore, set) }
            { explanation() }
        </div>
    }
}

/// The preset `<select>`: each broken program grouped with the version that fixes it.
fn picker(current: &str, onchange: Callback<Event>) -> Html {
    let all = presets();
    let mut groups: Vec<(&str, Vec<&Preset>)> = Vec::new();
    for p in &all {
        let key = p.fixed_by.unwrap_or(p.id);
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, members)) => members.push(p),
            None => groups.push((key, vec![p])),
        }
    }
    let option = |p: &Preset| {
        let kind = if p.fixed_by.is_some() { "Bug" } else { "Fix" };
        html! {
            <option value={p.id} selected={p.id == current}>{ format!("{kind}: {}", p.program.name) }</option>
        }
    };
    html! {
        <select data-testid="explorer-preset" {onchange}>
            { for groups.iter().map(|(_, members)| html! {
                <optgroup label={members[0].program.name.clone()}>
                    { for members.iter().map(|p| option(p)) }
                </optgroup>
            }) }
        </select>
    }
}

fn explanation() -> Html {
    html! {
        <details class="explain" open=true>
            <summary>{ "What this shows" }</summary>
            <p>
                { "A race is a bug whose result depends on the interleaving: the same code is right under one \
                   schedule and wrong under another, which is why trying it once proves nothing. A lock makes a \
                   read-modify-write one indivisible step for every other thread that uses the same lock. \
                   A deadlock needs a cycle of threads, each holding what the next one wants, and taking locks \
                   in one agreed order makes that cycle impossible. Around a wait, use while, not if: a woken \
                   thread must re-check its condition, because another thread can get there first." }
            </p>
        </details>
    }
}
