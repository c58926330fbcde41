//! One column per thread (its code with the current line marked, its status and a Step button)
//! and the shared-state panel (variables, lock owners, wait sets).

use parlab_model::interleave::{Blocked, State, ThreadId, ThreadStatus};
use yew::prelude::*;

use super::{thread_class, thread_name};

/// What a thread is doing, as a `data-status` key and a sentence.
fn status(state: &State, t: ThreadId) -> (&'static str, String) {
    let program = state.program();
    let th = &state.threads()[t];
    if th.status == ThreadStatus::Done {
        return ("done", "finished".into());
    }
    if let Some(f) = state.failure() {
        return if f.thread == t {
            ("failed", format!("failed: {}", f.kind))
        } else {
            ("stopped", "stopped (another thread failed)".into())
        };
    }
    match state.blocked_on(t) {
        Some(Blocked::Lock { lock, holder }) if holder == t => {
            ("blocked", format!("blocked: it already holds {lock} (locks are not re-entrant)"))
        }
        Some(Blocked::Lock { lock, holder }) => {
            ("blocked", format!("blocked: {lock} is held by {}", thread_name(program, holder)))
        }
        Some(Blocked::Condition { condition }) => {
            ("waiting", format!("waiting on {condition} until notified"))
        }
        None if matches!(th.status, ThreadStatus::Woken { .. }) => {
            ("woken", "woken: must re-take its lock".into())
        }
        None => ("ready", "ready".into()),
    }
}

pub fn columns(state: &State, on_step: &Callback<usize>) -> Html {
    html! {
        <div class="explorer-threads">
            { for (0..state.threads().len()).map(|t| column(state, t, on_step)) }
        </div>
    }
}

fn column(state: &State, t: ThreadId, on_step: &Callback<usize>) -> Html {
    let program = state.program();
    let thread = &program.threads[t];
    let th = &state.threads()[t];
    let (key, text) = status(state, t);
    let enabled = state.is_enabled(t);
    let current = (th.status != ThreadStatus::Done).then_some(th.pc);
    let next = match (state.next_label(t), enabled) {
        (None, _) => "Nothing left to run.".to_string(),
        (Some(_), _) if state.failure().is_some() => "The failure stopped the program.".into(),
        (Some(l), true) => format!("Next: {l}"),
        (Some(l), false) => format!("Next, when it can move: {l}"),
    };
    let locals: Vec<String> = th.locals.iter().map(|(n, v)| format!("{n} = {v}")).collect();
    let next_id = format!("explorer-next-{t}");
    let onclick = on_step.reform(move |_: MouseEvent| t);
    html! {
        <section class={classes!("explorer-thread", thread_class(t), key)} data-testid={format!("thread-{t}")}
            data-status={key} data-pc={th.pc.to_string()} aria-label={format!("Thread {}", thread.name)}>
            <header>
                <h3>{ &thread.name }</h3>
                <span class="thread-status">{ text }</span>
            </header>
            <ol class="explorer-code">
                { for thread.steps.iter().enumerate().map(|(i, step)| {
                    let here = current == Some(i);
                    html! {
                        <li class={classes!(here.then_some("current"))} aria-current={here.then_some("step")}>
                            <span class="pc-arrow" aria-hidden="true">{ if here { "→" } else { "" } }</span>
                            <code>{ step.label() }</code>
                        </li>
                    }
                }) }
            </ol>
            <p class="explorer-locals">
                { if locals.is_empty() { "no locals yet".to_string() } else { format!("locals: {}", locals.join(", ")) } }
            </p>
            <p class="explorer-next" id={next_id.clone()}><code>{ next }</code></p>
            <button class="primary" data-testid={format!("step-{t}")} disabled={!enabled} {onclick}
                aria-describedby={next_id}>
                { format!("Step {}", thread.name) }
            </button>
        </section>
    }
}

pub fn shared_panel(state: &State) -> Html {
    let program = state.program();
    let holder = |t: ThreadId| {
        html! { <span class={classes!("who", thread_class(t))}>{ thread_name(program, t) }</span> }
    };
    html! {
        <aside class="explorer-shared" aria-label="Shared state">
            <h3>{ "Shared variables" }</h3>
            <dl>
                { for state.shared_values().into_iter().map(|(name, v)| html! {
                    <div class="explorer-var">
                        <dt><code>{ &name }</code></dt>
                        <dd data-testid={format!("shared-{name}")} data-value={v.to_string()}>{ v }</dd>
                    </div>
                }) }
            </dl>
            if let Some(e) = &program.expected {
                <p class="hint">{ format!("Expected at the end: {e}") }</p>
            }
            if !program.locks.is_empty() {
                <h3>{ "Locks" }</h3>
                <ul class="explorer-locks">
                    { for program.locks.iter().map(|l| {
                        let owner = state.lock_owner(l);
                        html! {
                            <li data-testid={format!("lock-{l}")} data-owner={owner.map(|o| o.to_string())}>
                                <code>{ l }</code>{ ": " }
                                if let Some(o) = owner { { "held by " }{ holder(o) } } else { { "free" } }
                            </li>
                        }
                    }) }
                </ul>
            }
            if !program.conditions.is_empty() {
                <h3>{ "Condition variables" }</h3>
                <ul class="explorer-locks">
                    { for program.conditions.iter().map(|c| {
                        let waiting = state.waiting_on(&c.name);
                        html! {
                            <li data-testid={format!("cond-{}", c.name)} data-waiting={waiting.len().to_string()}>
                                <code>{ &c.name }</code>{ format!(" (with {}): ", c.lock) }
                                if waiting.is_empty() { { "nobody waiting" } } else {
                                    { "waiting: " }
                                    { for waiting.iter().enumerate().map(|(i, &w)| html! {
                                        <>{ if i > 0 { ", " } else { "" } }{ holder(w) }</>
                                    }) }
                                }
                            </li>
                        }
                    }) }
                </ul>
            }
        </aside>
    }
}
