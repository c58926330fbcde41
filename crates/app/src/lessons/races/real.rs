//! The lost-update race on real threads, with its fixes timed. It needs threads that share
//! memory, so it runs only in `threads` mode; [`super::deadlock`] shares its props and states.

use parlab_kernels::races::{CounterRun, Variant};
use parlab_model::stats::Summary;
use serde::Serialize;
use web_sys::{HtmlCanvasElement, HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::{Edit, M_CHOICES, Settings};
use crate::components::thousands;
use crate::compute::protocol::{Event as WorkerEvent, Request};
use crate::compute::{Compute, Mode, Status};
use crate::export::{Downloads, Results};
use crate::lessons::runner::unavailable;
use crate::plot::draw_histogram;
use crate::predict::{self, Answer, Predict, Slot, blocked_note};

const HISTOGRAM: &str = "race-histogram";
/// Timed repetitions of each fix (the racy variant uses the user's `repeats`).
const FIX_REPS: usize = 3;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub compute: Compute,
    pub status: Status,
    pub settings: Settings,
    pub on_set: Callback<Edit>,
    #[prop_or_default]
    pub auto_run: bool,
    /// `ask=1`: a prediction is required before the run.
    #[prop_or_default]
    pub ask: bool,
}

#[derive(Clone, PartialEq)]
pub(super) enum Run<T> {
    Idle,
    Running,
    Done(T),
    Error(String),
}

impl<T> Run<T> {
    pub(super) fn name(&self) -> &'static str {
        match self {
            Run::Idle => "idle",
            Run::Running => "running",
            Run::Done(_) => "done",
            Run::Error(_) => "error",
        }
    }
}

/// One row of the race table (and its `data-json`).
#[derive(Serialize)]
struct RaceRow {
    variant: &'static str,
    threads: usize,
    median_ms: f64,
    min_ms: f64,
    max_ms: f64,
    reps: usize,
    expected: u64,
    min_total: u64,
    max_total: u64,
    runs_with_lost_updates: usize,
}

fn rows(runs: &[CounterRun]) -> Vec<RaceRow> {
    Variant::ALL
        .iter()
        .filter_map(|&v| {
            let mine: Vec<&CounterRun> = runs.iter().filter(|r| r.variant == v).collect();
            let times: Vec<f64> = mine.iter().map(|r| r.ms).collect();
            let s = Summary::of(&times)?;
            Some(RaceRow {
                variant: v.name(),
                threads: mine[0].threads,
                median_ms: s.median,
                min_ms: s.min,
                max_ms: s.max,
                reps: mine.len(),
                expected: mine[0].expected(),
                min_total: mine.iter().map(|r| r.total).min().unwrap_or(0),
                max_total: mine.iter().map(|r| r.total).max().unwrap_or(0),
                runs_with_lost_updates: mine.iter().filter(|r| r.lost() > 0).count(),
            })
        })
        .collect()
}

/// The race table for the downloads (times, no speedup: every variant runs on K threads).
fn export_results(rows: &[RaceRow]) -> Results {
    let (k, expected) = rows.first().map_or((0, 0), |r| (r.threads, r.expected));
    Results::new(
        "races",
        format!("races/counter/{k}x{}", expected / k.max(1) as u64),
        format!(
            "Races & locks: {k} threads × {} increments, four ways",
            thousands(expected / k.max(1) as u64)
        ),
        rows,
    )
}

/// Why a shared-memory experiment cannot run on this page (`None`: it can, or the workers are
/// still starting).
pub(super) fn cannot_run(compute: &Compute, status: &Status) -> Option<String> {
    crate::lessons::runner::needs_pool(compute, status, "This experiment")
}

pub(super) fn shared_memory_note(compute: &Compute) -> Option<Html> {
    let plan = compute.plan();
    (plan.mode != Mode::Threads).then(|| html! {
        <p class="note" role="note">
            { format!("This experiment needs threads that share memory, which this page cannot have here ({}). \
               Separate workers each have their own memory, so there is nothing to race on: that safety is \
               exactly what processes buy you.", plan.reason) }
        </p>
    })
}

const DESCRIPTIONS: [(&str, &str); 4] = [
    ("racy", "v = load(counter); store(counter, v + 1) — two separate steps"),
    ("mutex", "lock; counter += 1; unlock — every increment"),
    ("atomic", "fetch_add(counter, 1) — one indivisible hardware step"),
    ("reduction", "each thread counts privately, then one fetch_add"),
];

#[function_component]
pub fn RealRace(props: &Props) -> Html {
    let state = use_state(|| Run::<Vec<CounterRun>>::Idle);
    let slot = use_state(|| Slot::asking(props.ask));
    let s = &props.settings;
    let question = predict::explain::races_question(s.k, s.m, s.repeats);
    let blocked = slot.blocks(Some(&question));
    let enabled = props.status == Status::Ready && props.compute.plan().mode == Mode::Threads;
    let run = {
        let (state, compute, s) = (state.clone(), props.compute.clone(), s.clone());
        let (slot, question) = (slot.clone(), question.clone());
        Callback::from(move |_: ()| {
            let mut at_run = (*slot).clone();
            at_run.start(Some(question.clone()));
            slot.set(at_run);
            state.set(Run::Running);
            let st = state.clone();
            let sink = Callback::from(move |e: WorkerEvent| match e {
                WorkerEvent::RaceDone { runs, .. } => st.set(Run::Done(runs)),
                WorkerEvent::Failed { message } => st.set(Run::Error(message)),
                _ => {}
            });
            let plan = vec![
                (Variant::Racy, s.repeats),
                (Variant::Mutex, FIX_REPS),
                (Variant::Atomic, FIX_REPS),
                (Variant::Reduction, FIX_REPS),
            ];
            let (threads, increments) = (s.k, s.m);
            compute.ask(|id| Request::Race { id, plan, threads, increments }, sink);
        })
    };
    {
        // `run=1` (with `ask=1`: once a prediction is entered), once.
        let (run, auto) = (run.clone(), props.auto_run && enabled && blocked.is_none());
        let started = use_mut_ref(|| false);
        use_effect_with(auto, move |auto| {
            if *auto && !std::mem::replace(&mut *started.borrow_mut(), true) {
                run.emit(());
            }
        });
    }
    let on_answer = {
        let (slot, question) = (slot.clone(), question.clone());
        Callback::from(move |a: Option<Answer>| {
            let mut next = (*slot).clone();
            next.set(&question, a);
            slot.set(next);
        })
    };
    let reveal = match &*state {
        Run::Done(runs) => slot.reveal(measured(runs)),
        _ => None,
    };
    let histogram = use_node_ref();
    {
        let (data, histogram) = (state.clone(), histogram.clone());
        use_effect(move || {
            if let Run::Done(runs) = &*data {
                draw(runs, &histogram);
            }
        });
    }
    let on_k = props.on_set.reform(|e: InputEvent| {
        let v: usize = e.target_unchecked_into::<HtmlInputElement>().value().parse().unwrap_or(2);
        Box::new(move |s: &mut Settings| s.k = v) as Edit
    });
    let on_m = props.on_set.reform(|e: Event| {
        let v: u64 =
            e.target_unchecked_into::<HtmlSelectElement>().value().parse().unwrap_or(1_000_000);
        Box::new(move |s: &mut Settings| s.m = v) as Edit
    });
    let on_repeats = props.on_set.reform(|e: InputEvent| {
        let v: usize = e.target_unchecked_into::<HtmlInputElement>().value().parse().unwrap_or(20);
        Box::new(move |s: &mut Settings| s.repeats = v) as Edit
    });
    let running = *state == Run::Running;
    let pool = props.compute.plan().pool.max(2);
    html! {
        <>
            <h2>{ "A real race on real threads" }</h2>
            { shared_memory_note(&props.compute).unwrap_or_default() }
            <div class="controls" role="group" aria-label="Race settings">
                <label class="control">
                    <span>{ format!("Threads K = {}", s.k) }</span>
                    <input type="range" min="2" max={pool.to_string()} value={s.k.to_string()} data-testid="k"
                        oninput={on_k} disabled={running} aria-valuetext={format!("{} threads", s.k)} />
                </label>
                <label class="control">
                    <span>{ "Increments per thread M" }</span>
                    <select data-testid="m" onchange={on_m} disabled={running}>
                        { for M_CHOICES.iter().map(|&m| html! {
                            <option value={m.to_string()} selected={m == s.m}>{ thousands(m) }</option>
                        }) }
                    </select>
                </label>
                <label class="control">
                    <span>{ format!("Racy runs: {}", s.repeats) }</span>
                    <input type="range" min="1" max="100" value={s.repeats.to_string()} data-testid="repeats"
                        oninput={on_repeats} disabled={running} />
                </label>
                <div class="buttons">
                    <button class="primary" data-testid="run" disabled={!enabled || running || blocked.is_some()}
                        onclick={run.reform(|_| ())}>{ "Run" }</button>
                </div>
                { blocked_note(blocked) }
            </div>
            <Predict question={Some(question.clone())} ask={slot.ask} answer={slot.answer(Some(&question)).cloned()}
                {reveal} {on_answer} {running} />
            if let Some(why) = cannot_run(&props.compute, &props.status) {
                { unavailable("run-state", &why) }
            } else {
                <div class="run-state" data-testid="run-state" data-state={state.name()} role="status" aria-live="polite">
                    { match &*state {
                        Run::Idle => "Ready.".to_string(),
                        Run::Running => "Running on real threads…".to_string(),
                        Run::Done(_) => "Done.".to_string(),
                        Run::Error(e) => format!("Error: {e}"),
                    } }
                </div>
            }
            if let Run::Done(runs) = &*state { { results(runs, &histogram, &props.compute) } }
        </>
    }
}

/// The worst racy run's lost updates, and why (for the prediction panel).
fn measured(runs: &[CounterRun]) -> Option<(Answer, String)> {
    let rows = rows(runs);
    let r = rows.iter().find(|r| r.variant == "racy")?;
    let lost = r.expected - r.min_total;
    let why = predict::explain::races(lost, r.expected, r.reps, r.runs_with_lost_updates);
    Some((Answer::Number(lost as f64), why))
}

fn results(runs: &[CounterRun], histogram: &NodeRef, compute: &Compute) -> Html {
    let rows = rows(runs);
    let json = serde_json::to_string(&rows).unwrap_or_default();
    let racy = rows.iter().find(|r| r.variant == "racy");
    let fastest_fix = rows
        .iter()
        .filter(|r| r.variant != "racy")
        .min_by(|a, b| a.median_ms.total_cmp(&b.median_ms));
    html! {
        <>
            if let Some(r) = racy {
                <div class="summary">
                    <div class="stat accent">
                        <span class="stat-label">{ "Expected total" }</span>
                        <span class="stat-value">{ thousands(r.expected) }</span>
                        <span class="stat-note">{ format!("{} threads × {} increments", r.threads, thousands(r.expected / r.threads as u64)) }</span>
                    </div>
                    <div class="stat">
                        <span class="stat-label">{ "Racy counter got" }</span>
                        <span class="stat-value" data-testid="racy-min">{ thousands(r.min_total) }</span>
                        <span class="stat-note">{ format!("worst of {} runs; {} of them lost updates (up to {} lost)",
                            r.reps, r.runs_with_lost_updates, thousands(r.expected - r.min_total)) }</span>
                    </div>
                    if let Some(f) = fastest_fix {
                        <div class="stat">
                            <span class="stat-label">{ "Fastest correct fix" }</span>
                            <span class="stat-value">{ f.variant }</span>
                            <span class="stat-note">{ format!("{:.1} ms, exactly {}", f.median_ms, thousands(f.expected)) }</span>
                        </div>
                    }
                </div>
            }
            <canvas ref={histogram.clone()} id={HISTOGRAM} class="plot" role="img" aria-label={racy.map_or_else(
                || "Histogram of the racy counter's final values".to_string(),
                |r| format!("Histogram of the racy counter's final values: {} runs, {} lost updates, the lowest {} of the expected {}",
                    r.reps, r.runs_with_lost_updates, thousands(r.min_total), thousands(r.expected)))}></canvas>
            <div class="table-wrap">
                <table class="results" data-testid="results" data-json={json}>
                    <caption>{ "The same K × M increments, four ways (median time of the runs)" }</caption>
                    <thead><tr>
                        <th scope="col">{ "Variant" }</th><th scope="col">{ "What each increment does" }</th>
                        <th scope="col">{ "Median (ms)" }</th><th scope="col">{ "Runs" }</th>
                        <th scope="col">{ "Final value (min – max)" }</th><th scope="col">{ "Runs with lost updates" }</th>
                    </tr></thead>
                    <tbody>
                        { for rows.iter().map(|r| html! {
                            <tr>
                                <td>{ r.variant }</td>
                                <td class="left">{ DESCRIPTIONS.iter().find(|d| d.0 == r.variant).map_or("", |d| d.1) }</td>
                                <td>{ format!("{:.1}", r.median_ms) }</td>
                                <td>{ r.reps }</td>
                                <td>{ if r.min_total == r.max_total { thousands(r.min_total) } else { format!("{} – {}", thousands(r.min_total), thousands(r.max_total)) } }</td>
                                <td>{ r.runs_with_lost_updates }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            </div>
            <Downloads results={export_results(&rows)} compute={compute.clone()}
                name={"parlab-races".to_string()} canvas={histogram.clone()} />
            <p class="caption">
                { "The mutex is correct but every increment waits for the lock, so threads mostly queue; the atomic \
                   is one hardware instruction but the cache line still bounces between cores; the reduction shares \
                   nothing until the end, so it is both correct and fastest. Sharing is what costs." }
            </p>
        </>
    }
}

fn draw(runs: &[CounterRun], histogram: &NodeRef) {
    let Some(canvas) = histogram.cast::<HtmlCanvasElement>() else {
        return;
    };
    let racy: Vec<u64> =
        runs.iter().filter(|r| r.variant == Variant::Racy).map(|r| r.total).collect();
    let Some(expected) = runs.first().map(|r| r.expected()) else { return };
    let caption = format!("Final value of the racy counter over {} runs", racy.len());
    let _ = draw_histogram(&canvas, &racy, expected, &caption, "final counter value")
        .map_err(|e| web_sys::console::warn_1(&e.into()));
}
