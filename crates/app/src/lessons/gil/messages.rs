//! Shared memory vs message passing, measured, and pickle vs dill, honestly mapped: the part of
//! the GIL lesson about what it costs to give work to *another* thread of execution.
//!
//! Python's `multiprocessing` pickles every argument into bytes, because processes share no
//! memory; threads share memory and pass nothing. Web Workers offer the same three choices
//! (copy, transfer ownership, share a `SharedArrayBuffer`), so here the student measures them
//! on real workers, sees what encoding objects costs, and sees the browser refuse to send a
//! function, as pickle refuses a lambda. Everything runs in a bench worker
//! (`compute::message_bench`): the page's thread only draws.
//!
//! URL keys (all `msg_`-prefixed, declared in [`settings`]) belong to the lesson's URL state;
//! the section gets them as props and sends edits up.

mod code;
mod settings;
mod tables;

use parlab_kernels::formats::FormatRow;
use yew::prelude::*;

use crate::compute::Status;
use crate::compute::message_bench::{BenchEvent, MessageBench, TransportRow};
use settings::{DEFAULT_MAX, MAX_CHOICES};
pub use settings::{MSG_RUN, PARAMS, Settings};

/// What the lesson gives the section: its settings (owned by the lesson's URL state), where to
/// send edits, and whether `msg_run=1` asked for a run.
#[derive(Properties, PartialEq)]
pub struct SectionProps {
    pub compute: crate::compute::Compute,
    pub status: Status,
    pub settings: Settings,
    pub on_change: Callback<Settings>,
    pub auto_run: bool,
}

/// The bench's state (`data-state` of `msg-state`).
#[derive(Clone, Debug, PartialEq)]
pub enum Phase {
    Idle,
    Running { done: f64, total: f64, label: String },
    Done,
    Cancelled,
    Error(String),
}

impl Phase {
    /// The `data-state` value.
    pub fn name(&self) -> &'static str {
        match self {
            Phase::Idle => "idle",
            Phase::Running { .. } => "running",
            Phase::Done => "done",
            Phase::Cancelled => "cancelled",
            Phase::Error(_) => "error",
        }
    }
}

/// What the section reacts to: its controls and the bench worker's events.
pub enum Msg {
    SetMax(u64),
    SetReps(usize),
    Run,
    Cancel,
    Bench(BenchEvent),
}

/// Shared memory vs message passing (measured), serialization formats, pickle vs dill.
pub struct MessagePassing {
    auto_run: bool,
    plots: tables::Plots,
    bench: Option<MessageBench>,
    phase: Phase,
    methods: Vec<String>,
    sab_reason: Option<String>,
    rows: Vec<TransportRow>,
    formats: Vec<FormatRow>,
    formats_error: Option<String>,
}

impl Component for MessagePassing {
    type Message = Msg;
    type Properties = SectionProps;

    fn create(ctx: &Context<Self>) -> Self {
        let coi = crate::compute::detect_browser().cross_origin_isolated;
        MessagePassing {
            auto_run: ctx.props().auto_run,
            plots: tables::Plots::default(),
            bench: None,
            phase: Phase::Idle,
            methods: Vec::new(),
            sab_reason: (!coi).then(|| tables::SAB_REASON.to_string()),
            rows: Vec::new(),
            formats: Vec::new(),
            formats_error: None,
        }
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::SetMax(v) => {
                let s = &ctx.props().settings;
                ctx.props().on_change.emit(Settings { max_bytes: v, ..s.clone() });
                return false;
            }
            Msg::SetReps(v) => {
                let s = &ctx.props().settings;
                ctx.props().on_change.emit(Settings { reps: v, ..s.clone() });
                return false;
            }
            Msg::Run => {
                self.bench = None;
                self.rows.clear();
                self.formats.clear();
                self.formats_error = None;
                let sink = ctx.link().callback(Msg::Bench);
                let s = &ctx.props().settings;
                match MessageBench::start(s.max_bytes, s.reps, sink) {
                    Ok(bench) => {
                        self.bench = Some(bench);
                        self.phase =
                            Phase::Running { done: 0.0, total: 1.0, label: "Starting…".into() };
                    }
                    Err(e) => self.phase = Phase::Error(e),
                }
            }
            Msg::Cancel => {
                // Dropping the handle terminates the bench worker (and its echo worker).
                if self.bench.take().is_some() && matches!(self.phase, Phase::Running { .. }) {
                    self.phase = Phase::Cancelled;
                }
            }
            Msg::Bench(event) => {
                if !matches!(self.phase, Phase::Running { .. }) {
                    return false; // a late message from a cancelled bench
                }
                match event {
                    BenchEvent::Methods(methods) => {
                        let shared = methods.iter().any(|m| m == "share");
                        self.sab_reason = (!shared).then(|| tables::SAB_REASON.to_string());
                        self.methods = methods;
                    }
                    BenchEvent::Progress { done, total, label } => {
                        self.phase = Phase::Running { done, total, label };
                    }
                    BenchEvent::Transport(rows) => self.rows = rows,
                    BenchEvent::Formats(rows) => self.formats = rows,
                    BenchEvent::FormatsFailed(e) => self.formats_error = Some(e),
                    BenchEvent::Done => self.phase = Phase::Done,
                    BenchEvent::Failed(e) => self.phase = Phase::Error(e),
                }
            }
        }
        true
    }

    fn rendered(&mut self, ctx: &Context<Self>, _first_render: bool) {
        // `msg_run=1` starts once the page is ready (the compute workers have started), so the
        // bench does not compete with their start-up.
        if self.auto_run && ctx.props().status != Status::Starting {
            self.auto_run = false;
            ctx.link().send_message(Msg::Run);
        }
        tables::draw_plots(&self.rows, &self.methods, &self.plots);
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let running = matches!(self.phase, Phase::Running { .. });
        let on_max = link.callback(|e: Event| {
            let v = e.target_unchecked_into::<web_sys::HtmlSelectElement>().value();
            Msg::SetMax(v.parse().unwrap_or(DEFAULT_MAX))
        });
        let on_reps = link.callback(|e: InputEvent| {
            let v = e.target_unchecked_into::<web_sys::HtmlInputElement>().value();
            Msg::SetReps(v.parse().unwrap_or(5))
        });
        let s = &ctx.props().settings;
        let mut choices = MAX_CHOICES.to_vec();
        if !choices.contains(&s.max_bytes) {
            choices.push(s.max_bytes);
            choices.sort_unstable();
        }
        html! {
            <section class="messages">
                <h2>{ "Shared memory vs message passing, measured" }</h2>
                <p class="caption">
                    { "Processes (and Web Workers) do not share memory, so data is handed over in a message. \
                       Here one worker sends a buffer to another worker three ways and waits for a tiny reply: \
                       " }<strong>{ "copy" }</strong>{ " (the browser duplicates every byte, like pickling), " }
                    <strong>{ "transfer" }</strong>{ " (ownership moves: no bytes are copied, but the sender can no longer use \
                       the buffer) and " }<strong>{ "share" }</strong>{ " (both workers see one SharedArrayBuffer, \
                       as threads share memory). The receiver reads every 4096th byte each time, so every method pays \
                       for actually reaching the data." }
                </p>
                <div class="controls" role="group" aria-label="Message-passing settings">
                    <label class="control">
                        <span>{ "Largest message" }</span>
                        <select data-testid="msg-max" onchange={on_max} disabled={running}>
                            { for choices.iter().map(|&b| html! {
                                <option value={b.to_string()} selected={b == s.max_bytes}>{ crate::plot::size_label(b as f64) }</option>
                            }) }
                        </select>
                    </label>
                    <label class="control">
                        <span>{ format!("Repetitions per size: {}", s.reps) }</span>
                        <input type="range" min="1" max="20" value={s.reps.to_string()} data-testid="msg-reps"
                            oninput={on_reps} disabled={running} aria-valuetext={format!("{} repetitions", s.reps)} />
                    </label>
                    <div class="buttons">
                        <button class="primary" data-testid="msg-run" disabled={running}
                            onclick={link.callback(|_| Msg::Run)}>{ "Measure" }</button>
                        <button data-testid="msg-cancel" disabled={!running}
                            onclick={link.callback(|_| Msg::Cancel)}>{ "Cancel" }</button>
                    </div>
                </div>
                { tables::state_line(&self.phase) }
                if let Some(reason) = &self.sab_reason {
                    <p class="note" role="note" data-testid="msg-sab-note">
                        <span><strong>{ "Share cannot run here. " }</strong>{ reason }</span>
                    </p>
                }
                { tables::transport(&self.rows, &self.methods, &self.plots) }
                { tables::formats(&self.formats, self.formats_error.as_deref()) }
                <code::SendingCode compute={ctx.props().compute.clone()} rows={self.rows.clone()} />
            </section>
        }
    }
}
