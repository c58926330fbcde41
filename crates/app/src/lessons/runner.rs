//! What every measured lesson shares: the run's state machine (start, progress, cancel,
//! summarise) and its controls (thread chips, repetitions, Run/Cancel, status line).

use parlab_kernels::RunOutcome;
use parlab_kernels::measure::{Job, Row, StepResult, summarize};
use yew::prelude::*;

use crate::activity::{self, LastRun};
use crate::compute::protocol::{Event, Request};
use crate::compute::{Compute, Mode, RunEvent, Status};

/// Repetitions a user may ask for.
pub const REPS: std::ops::RangeInclusive<usize> = 1..=20;

#[derive(Clone, Debug, PartialEq)]
pub enum RunState {
    Idle,
    Running { id: u32, done: usize, total: usize },
    Done,
    Cancelled,
    Error(String),
}

impl RunState {
    /// The `data-state` value (conventions.md).
    pub fn name(&self) -> &'static str {
        match self {
            RunState::Idle => "idle",
            RunState::Running { .. } => "running",
            RunState::Done => "done",
            RunState::Cancelled => "cancelled",
            RunState::Error(_) => "error",
        }
    }
}

/// A lesson's latest measured run.
#[derive(Default)]
pub struct Runner {
    pub state: Option<RunState>,
    pub job: Option<Job>,
    pub results: Vec<StepResult>,
    pub rows: Vec<Row>,
    /// Where the running job was started: lesson route, mode and pool size (for [`activity`]).
    origin: Option<(String, Mode, usize)>,
}

impl Runner {
    pub fn state(&self) -> &RunState {
        self.state.as_ref().unwrap_or(&RunState::Idle)
    }

    pub fn running(&self) -> bool {
        matches!(self.state(), RunState::Running { .. })
    }

    pub fn start(&mut self, compute: &Compute, job: Job, sink: Callback<RunEvent>) {
        if job.threads.is_empty() {
            self.state = Some(RunState::Error("Pick at least one thread count.".into()));
            return;
        }
        let total = job.total_chunks();
        let id = compute.run(job.clone(), sink);
        let plan = compute.plan();
        self.origin = Some((crate::url::current().path, plan.mode, plan.pool));
        self.job = Some(job);
        self.state = Some(RunState::Running { id, done: 0, total });
    }

    pub fn cancel(&self, compute: &Compute) {
        if let RunState::Running { id, .. } = self.state() {
            compute.cancel(*id);
        }
    }

    /// Applies a worker event; on success the rows are recomputed and the run is recorded as the
    /// tab's latest real run (the die view and the overview show it).
    pub fn handle(&mut self, event: RunEvent) {
        let state = match event {
            RunEvent::Progress { done, total } => match self.state() {
                RunState::Running { id, .. } => RunState::Running { id: *id, done, total },
                other => other.clone(),
            },
            RunEvent::Finished(results) => {
                let job = self.job.as_ref().expect("a job was started");
                match summarize(job, &results) {
                    Ok(rows) => {
                        if let Some((lesson, mode, pool)) = &self.origin
                            && let Some(run) =
                                LastRun::new(lesson, job, &results, &rows, *mode, *pool)
                        {
                            activity::record(run);
                        }
                        self.rows = rows;
                        self.results = results;
                        RunState::Done
                    }
                    Err(e) => RunState::Error(e),
                }
            }
            RunEvent::Cancelled => RunState::Cancelled,
            RunEvent::Failed(e) => RunState::Error(e),
        };
        self.state = Some(state);
    }

    /// The last timed repetition on `threads` threads.
    pub fn last_timed(&self, threads: usize) -> Option<&RunOutcome> {
        let r =
            self.results.iter().rev().find(|r| r.step.threads == threads && r.step.is_timed())?;
        Some(&r.outcome)
    }
}

/// A measured run that is one request to the compute worker's pool (SIMD, the machine lab):
/// its state, progress and cancel, so such lessons share this instead of each writing it.
#[derive(Default)]
pub struct PoolAsk {
    state: Option<RunState>,
    asked: Option<u32>,
}

/// What [`PoolAsk::handle`] made of an event.
pub enum Answer {
    /// Only a progress tick (re-render, no redraw).
    Progress,
    /// The run ended without an answer (cancelled, failed); the state says how.
    Ended,
    /// The worker's answer; the state is `Done` unless the lesson calls [`PoolAsk::fail`].
    Event(Event),
}

impl PoolAsk {
    pub fn state(&self) -> &RunState {
        self.state.as_ref().unwrap_or(&RunState::Idle)
    }

    pub fn running(&self) -> bool {
        matches!(self.state(), RunState::Running { .. })
    }

    /// Sends the request made by `request(id)`; `total` progress steps.
    pub fn start(
        &mut self,
        compute: &Compute,
        total: usize,
        request: impl FnOnce(u32) -> Request,
        sink: Callback<Event>,
    ) {
        let id = compute.ask(request, sink);
        self.asked = Some(id);
        self.state = Some(RunState::Running { id, done: 0, total });
    }

    pub fn cancel(&self, compute: &Compute) {
        if let Some(id) = self.asked {
            compute.cancel_ask(id);
        }
    }

    /// Marks the run failed (e.g. the answer was not the expected one).
    pub fn fail(&mut self, message: String) {
        self.state = Some(RunState::Error(message));
    }

    /// Applies a worker event.
    pub fn handle(&mut self, event: Event) -> Answer {
        if let Event::Progress { id, done, total } = event {
            self.state = Some(RunState::Running { id, done: done.min(total), total });
            return Answer::Progress;
        }
        self.asked = None;
        match event {
            Event::Cancelled { .. } => self.state = Some(RunState::Cancelled),
            Event::Failed { message } => self.state = Some(RunState::Error(message)),
            other => {
                self.state = Some(RunState::Done);
                return Answer::Event(other);
            }
        }
        Answer::Ended
    }
}

/// Why an experiment that needs the shared-memory pool cannot run on this page (`None`: it
/// can, or the workers are still starting).
pub fn needs_pool(compute: &Compute, status: &Status, what: &str) -> Option<String> {
    match status {
        Status::Failed(e) => Some(format!("The workers could not start here: {e}.")),
        Status::Ready if compute.plan().mode != Mode::Threads => Some(format!(
            "{what} needs threads that share memory, which this page does not have here \
             ({}).",
            compute.plan().reason
        )),
        _ => None,
    }
}

/// 1, 2, 4, … below `max`, plus `max` itself.
pub fn thread_choices(max: usize) -> Vec<usize> {
    let mut v: Vec<usize> =
        std::iter::successors(Some(1), |&t| Some(t * 2)).take_while(|&t| t < max).collect();
    v.push(max);
    v
}

#[derive(Properties, PartialEq)]
pub struct RunControlsProps {
    pub pool: usize,
    pub threads: Vec<usize>,
    pub reps: usize,
    pub running: bool,
    pub status: Status,
    pub on_toggle: Callback<usize>,
    pub on_reps: Callback<usize>,
    pub on_run: Callback<()>,
    pub on_cancel: Callback<()>,
    /// Why Run must wait (a prediction is required first, `ask=1`): disables Run and says so.
    #[prop_or_default]
    pub blocked: Option<AttrValue>,
}

/// Thread-count chips, the repetitions slider and Run / Cancel.
#[function_component]
pub fn RunControls(p: &RunControlsProps) -> Html {
    let on_reps = p.on_reps.reform(|e: InputEvent| {
        e.target_unchecked_into::<web_sys::HtmlInputElement>().value().parse().unwrap_or(3)
    });
    html! {
        <>
            <fieldset class="control threads" disabled={p.running}>
                <legend>{ "Threads to measure" }</legend>
                { for thread_choices(p.pool).into_iter().map(|t| {
                    let on_toggle = p.on_toggle.reform(move |_| t);
                    html! {
                        <label class="chip">
                            <input type="checkbox" checked={p.threads.contains(&t)}
                                data-testid={format!("threads-{t}")} onchange={on_toggle} />
                            { t }
                        </label>
                    }
                }) }
            </fieldset>
            <label class="control">
                <span>{ format!("Repetitions: {}", p.reps) }</span>
                <input type="range" min={REPS.start().to_string()} max={REPS.end().to_string()}
                    value={p.reps.to_string()} oninput={on_reps} disabled={p.running} data-testid="reps"
                    aria-valuetext={format!("{} repetitions", p.reps)} />
            </label>
            <super::run_buttons::RunButtons running={p.running} can_run={p.status == Status::Ready && p.blocked.is_none()}
                on_run={p.on_run.clone()} on_cancel={p.on_cancel.clone()} />
            { crate::predict::blocked_note(p.blocked.as_deref()) }
        </>
    }
}

/// The run's status line with a progress bar (`data-testid="run-state"`), for lessons whose
/// runs the die view can show (they record the tab's latest run).
pub fn state_line(state: &RunState, status: &Status) -> Html {
    state_line_of(state, status, "chunks", true)
}

/// The status line counting progress in `unit` (e.g. `runs`); `die`: link to the die view
/// after a finished run (only for runs it can show). A page whose workers failed to start shows
/// `unavailable` instead of a silent `idle`, so `run=1` always ends in a final state.
pub fn state_line_of(state: &RunState, status: &Status, unit: &str, die: bool) -> Html {
    if let (RunState::Idle, Status::Failed(why)) = (state, status) {
        return unavailable("run-state", &format!("The workers could not start here: {why}."));
    }
    let (text, progress) = match state {
        RunState::Idle => ("Ready. Press Run to measure.".to_string(), None),
        RunState::Running { done, total, .. } => {
            (format!("Running… {done} of {total} {unit}"), Some((*done, (*total).max(1))))
        }
        RunState::Done => ("Done.".to_string(), None),
        RunState::Cancelled => (
            "Cancelled. Nothing was measured to the end; press Run to start again.".to_string(),
            None,
        ),
        RunState::Error(e) => (format!("Error: {e}"), None),
    };
    let error = matches!(state, RunState::Error(_)).then_some("error-text");
    html! {
        <div class="run-state" data-testid="run-state" data-state={state.name()} role="status" aria-live="polite">
            if let Some((done, total)) = progress {
                <progress max={total.to_string()} value={done.to_string()} aria-label="Progress"></progress>
            }
            <span class={classes!(error)}>{ text }</span>
            if die && *state == RunState::Done {
                <a href="#/cpu?view=die" data-testid="die-link">{ "See each thread's busy time on a multi-core die" }</a>
            }
        </div>
    }
}

/// The final state of an experiment that cannot run on this page: `data-state="unavailable"`,
/// one sentence why, and a link that opens the same lesson and settings in a tab of its own
/// (where it can be cross-origin isolated).
pub fn unavailable(testid: &'static str, why: &str) -> Html {
    html! {
        <div class="run-state unavailable" data-testid={testid} data-state="unavailable" role="status">
            <span>{ why }</span>
            { own_tab_link() }
        </div>
    }
}

/// "Open in its own tab": `index.html` with the current hash (settings kept, `embed=1` dropped).
pub fn own_tab_link() -> Html {
    let href = web_sys::window()
        .and_then(|w| w.location().href().ok())
        .map(|h| {
            let hash = h.split_once('#').map_or(String::new(), |(_, x)| format!("#{x}"));
            let hash = hash.replace("embed=1", "embed=0");
            format!("{}{hash}", crate::share::sibling(&h, "index.html"))
        })
        .unwrap_or_default();
    html! {
        <a class="button own-tab" data-testid="open-own-tab" href={href} target="_blank" rel="noopener">
            { "Open in its own tab ↗" }
        </a>
    }
}
