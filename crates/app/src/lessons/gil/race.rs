//! Races inside the interpreter: `counter += 1` against the same update with a call in the
//! middle, on real threads, under the GIL and free-threaded, lost updates counted.
//!
//! Why both programs side by side: CPython 3.10+ checks for a pending GIL hand-over only at
//! backward jumps and calls, so the first program loses nothing under the GIL while the
//! second loses many updates. The difference is where the check points are, which is exactly
//! what "the GIL makes my code thread-safe" gets wrong.

use parlab_kernels::gil::sweep::{Report, Sweep};
use parlab_kernels::gil::{Mode, Preset};
use serde::Serialize;
use yew::prelude::*;

use super::measure::{self, Handle, Update};
use super::settings::mode_label;
use crate::components::thousands;
use crate::compute::{Compute, Mode as ExecMode, Status};

const INCREMENTS: u32 = 500_000;
const THREADS: usize = 2;
const REPS: usize = 3;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub compute: Compute,
    pub status: Status,
    pub switch_ms: f64,
}

/// One row of the comparison (and of its `data-json`).
#[derive(Clone, Debug, PartialEq, Serialize)]
struct RaceRow {
    program: &'static str,
    mode: Mode,
    threads: usize,
    expected: i64,
    counter: i64,
    lost: i64,
}

#[derive(Clone, PartialEq)]
enum State {
    Idle,
    Running(usize),
    Done,
    Error(String),
}

const PROGRAMS: [(&str, Preset); 2] = [
    ("counter += 1", Preset::Counter { increments: INCREMENTS }),
    ("tmp = counter; f(); counter = tmp + 1", Preset::CounterWithCall { increments: INCREMENTS }),
];

fn rows(program: &'static str, report: &Report) -> Vec<RaceRow> {
    report
        .rows
        .iter()
        .filter_map(|r| {
            let (counter, expected) = (r.counter?, r.expected?);
            Some(RaceRow {
                program,
                mode: r.mode,
                threads: r.threads,
                expected,
                counter,
                lost: expected - counter,
            })
        })
        .collect()
}

pub enum Msg {
    Run,
    Update(usize, Update),
}

/// Runs the two programs one after the other and tabulates the lost updates.
pub struct RaceCompare {
    state: State,
    rows: Vec<RaceRow>,
    handle: Option<Handle>,
}

impl RaceCompare {
    /// Starts program `index` of [`PROGRAMS`].
    fn start(&mut self, ctx: &Context<Self>, index: usize) {
        let sweep = Sweep {
            preset: PROGRAMS[index].1,
            modes: vec![Mode::Gil, Mode::FreeThreaded],
            threads: vec![THREADS],
            reps: REPS,
            switch_interval_ms: ctx.props().switch_ms,
        };
        let sink = ctx.link().callback(move |u| Msg::Update(index, u));
        self.handle = Some(measure::start(&ctx.props().compute, sweep, sink));
        self.state = State::Running(index);
    }

    fn enabled(ctx: &Context<Self>) -> bool {
        let plan = ctx.props().compute.plan();
        ctx.props().status == Status::Ready
            && plan.mode == ExecMode::Threads
            && plan.pool >= THREADS
    }
}

impl Component for RaceCompare {
    type Message = Msg;
    type Properties = Props;

    fn create(_ctx: &Context<Self>) -> Self {
        RaceCompare { state: State::Idle, rows: Vec::new(), handle: None }
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::Run => {
                self.rows.clear();
                self.start(ctx, 0);
            }
            Msg::Update(_, Update::Progress { .. }) => return false,
            Msg::Update(index, Update::Done(report)) => {
                self.rows.extend(rows(PROGRAMS[index].0, &report));
                if index + 1 < PROGRAMS.len() {
                    self.start(ctx, index + 1);
                } else {
                    self.state = State::Done;
                    self.handle = None;
                }
            }
            Msg::Update(_, Update::Cancelled) => self.state = State::Idle,
            Msg::Update(_, Update::Failed(e)) => self.state = State::Error(e),
        }
        true
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let enabled = Self::enabled(ctx);
        let running = matches!(self.state, State::Running(_));
        let state_name = match &self.state {
            State::Idle => "idle",
            State::Running(_) => "running",
            State::Done => "done",
            State::Error(_) => "error",
        };
        html! {
            <>
                <h2>{ "Races inside the interpreter" }</h2>
                <p class="caption">
                    { format!("Two threads each add 1 to a shared global {} times ({REPS} repetitions), with each \
                       program, under the GIL and free-threaded. The interpreter may hand the GIL over only at \
                       check points (backward jumps and calls, as in CPython 3.10+).", thousands(u64::from(INCREMENTS))) }
                </p>
                <div class="buttons">
                    <button class="primary" data-testid="gil-race-run" disabled={!enabled || running}
                        onclick={ctx.link().callback(|_| Msg::Run)}>{ "Run both programs" }</button>
                </div>
                if let Some(why) = (!enabled && ctx.props().status != Status::Starting).then(|| match &ctx.props().status {
                    Status::Failed(e) => format!("The workers could not start here: {e}."),
                    _ => "This needs two interpreter threads sharing memory, which this page does not have here.".to_string(),
                }) {
                    { crate::lessons::runner::unavailable("gil-race-state", &why) }
                } else {
                <div class="run-state" data-testid="gil-race-state" data-state={state_name} role="status" aria-live="polite">
                    { match &self.state {
                        State::Idle => String::new(),
                        State::Running(i) => format!("Running {} …", PROGRAMS[*i].0),
                        State::Done => "Done.".into(),
                        State::Error(e) => format!("Error: {e}"),
                    } }
                </div>
                }
                if !self.rows.is_empty() { { table(&self.rows) } }
            </>
        }
    }
}

fn table(rows: &[RaceRow]) -> Html {
    html! {
        <div class="table-wrap">
        <table class="results" data-testid="gil-race" data-json={serde_json::to_string(rows).unwrap_or_default()}>
            <caption>{ "Final value of the shared counter (median of the repetitions)" }</caption>
            <thead><tr>
                <th scope="col">{ "Program" }</th><th scope="col">{ "Mode" }</th>
                <th scope="col">{ "Expected" }</th><th scope="col">{ "Counter" }</th><th scope="col">{ "Lost updates" }</th>
            </tr></thead>
            <tbody>{ for rows.iter().map(|r| html! {
                <tr>
                    <td><code>{ r.program }</code></td><td>{ mode_label(r.mode) }</td>
                    <td>{ thousands(r.expected as u64) }</td><td>{ thousands(r.counter.max(0) as u64) }</td>
                    <td>{ thousands(r.lost.max(0) as u64) }</td>
                </tr>
            }) }</tbody>
        </table>
        </div>
    }
}
