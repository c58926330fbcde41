//! The contained deadlock on real threads: two threads take two locks in opposite (or the
//! same) order; a watchdog detects the cycle and recovers, so the page never hangs.

use parlab_kernels::races::{DeadlockTrial, LockOrder};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use parlab_model::stats::Summary;

use super::real::{Props, Run, cannot_run, shared_memory_note};
use super::{Edit, Settings};
use crate::compute::protocol::{Event as WorkerEvent, Request};
use crate::compute::{Mode, Status};
use crate::lessons::runner::unavailable;

#[function_component]
pub fn RealDeadlock(props: &Props) -> Html {
    let state = use_state(|| Run::<Vec<DeadlockTrial>>::Idle);
    let s = &props.settings;
    let enabled = props.status == Status::Ready && props.compute.plan().mode == Mode::Threads;
    let run = {
        let (state, compute, s) = (state.clone(), props.compute.clone(), s.clone());
        Callback::from(move |_| {
            state.set(Run::Running);
            let st = state.clone();
            let sink = Callback::from(move |e: WorkerEvent| match e {
                WorkerEvent::DeadlockDone { trials, .. } => st.set(Run::Done(trials)),
                WorkerEvent::Failed { message } => st.set(Run::Error(message)),
                _ => {}
            });
            let order = if s.order_opposite { LockOrder::Opposite } else { LockOrder::Consistent };
            let trials = s.trials;
            compute.ask(|id| Request::Deadlock { id, order, trials, hold_ms: 5.0 }, sink);
        })
    };
    let on_order = props.on_set.reform(|e: Event| {
        let opposite = e.target_unchecked_into::<HtmlSelectElement>().value() == "opposite";
        Box::new(move |s: &mut Settings| s.order_opposite = opposite) as Edit
    });
    let on_trials = props.on_set.reform(|e: InputEvent| {
        let v: usize = e.target_unchecked_into::<HtmlInputElement>().value().parse().unwrap_or(10);
        Box::new(move |s: &mut Settings| s.trials = v) as Edit
    });
    let running = *state == Run::Running;
    html! {
        <>
            <h2>{ "A real deadlock, contained" }</h2>
            <p class="caption">
                { "Two real threads each take lock A and lock B, holding the first for 5 ms. Every lock wait is timed \
                   and recorded in a lock-owner table; a waiting thread that finds a cycle (it waits for a lock whose \
                   holder waits for a lock it holds) reports it and backs off. So the demo always ends." }
            </p>
            { shared_memory_note(&props.compute).unwrap_or_default() }
            <div class="controls" role="group" aria-label="Deadlock settings">
                <label class="control">
                    <span>{ "Lock order" }</span>
                    <select data-testid="order" onchange={on_order} disabled={running}>
                        <option value="opposite" selected={s.order_opposite}>{ "opposite (T0: A then B, T1: B then A)" }</option>
                        <option value="consistent" selected={!s.order_opposite}>{ "consistent (both: A then B)" }</option>
                    </select>
                </label>
                <label class="control">
                    <span>{ format!("Trials: {}", s.trials) }</span>
                    <input type="range" min="1" max="50" value={s.trials.to_string()} data-testid="trials"
                        oninput={on_trials} disabled={running} />
                </label>
                <div class="buttons">
                    <button class="primary" data-testid="run-deadlock" disabled={!enabled || running}
                        onclick={run.reform(|_| ())}>{ "Run trials" }</button>
                </div>
            </div>
            if let Some(why) = cannot_run(&props.compute, &props.status) {
                { unavailable("deadlock-state", &why) }
            } else {
                { deadlock_result(&state) }
            }
        </>
    }
}

fn deadlock_result(state: &Run<Vec<DeadlockTrial>>) -> Html {
    let Run::Done(trials) = state else {
        let text = match state {
            Run::Running => "Running…".to_string(),
            Run::Error(e) => format!("Error: {e}"),
            _ => "Ready.".to_string(),
        };
        return html! { <div class="run-state" data-testid="deadlock-state" data-state={state.name()}>{ text }</div> };
    };
    let found: Vec<&DeadlockTrial> = trials.iter().filter(|t| t.cycle.is_some()).collect();
    let times: Vec<f64> = found.iter().map(|t| t.ms).collect();
    let detect = Summary::of(&times).map(|s| s.median);
    html! {
        <div class="deadlock-result" data-testid="deadlock-result" data-deadlocks={found.len().to_string()}
            data-trials={trials.len().to_string()} data-state="done" role="status" aria-live="polite">
            <p class="big">{ format!("{} of {} trials deadlocked", found.len(), trials.len()) }</p>
            if let (Some(first), Some(ms)) = (found.first(), detect) {
                <p>{ format!("Detected (median {ms:.1} ms after the start) and recovered by backing off. Cycle found: {}.",
                    first.cycle.as_deref().unwrap_or("")) }</p>
            } else {
                <p>{ "No cycle: with one lock order, whoever gets A first also gets B; the other waits, then proceeds." }</p>
            }
        </div>
    }
}
