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
//! URL keys (all `msg_`-prefixed, so they coexist with the rest of the lesson): `msg_max` (the
//! largest buffer, `1K`…`64M`, a power of two), `msg_reps` (1–20) and `msg_run=1` (start on load).

mod code;
mod plot;
mod tables;

use parlab_kernels::formats::FormatRow;
use yew::prelude::*;

use super::super::LessonProps;
use crate::compute::Status;
use crate::compute::message_bench::{BenchEvent, MessageBench, TransportRow};
use crate::url::{self, Query};

/// The largest buffer sizes offered in the selector.
pub const MAX_CHOICES: [u64; 5] = [1 << 18, 1 << 20, 1 << 22, 1 << 24, 1 << 26];
const MIN_BYTES: u64 = 1 << 10;
const MAX_BYTES: u64 = 1 << 26;
const DEFAULT_MAX: u64 = 1 << 24;

/// This section's URL state.
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    /// Largest buffer sent (a power of two, 1 KiB ..= 64 MiB).
    pub max_bytes: u64,
    /// Timed repetitions per size and method.
    pub reps: usize,
}

/// `16M`, `256K`, `4096`, `1MiB` → bytes; anything else is `None`.
pub fn parse_size(raw: &str) -> Option<u64> {
    let s = raw.trim().to_ascii_uppercase();
    let s = s.trim_end_matches("IB").trim_end_matches('B');
    let (digits, unit) = match s.char_indices().last()? {
        (i, 'K') => (&s[..i], 1u64 << 10),
        (i, 'M') => (&s[..i], 1 << 20),
        (i, 'G') => (&s[..i], 1 << 30),
        _ => (s, 1),
    };
    digits.trim().parse::<u64>().ok()?.checked_mul(unit)
}

/// Bytes as the URL writes them: `16M`, `256K`, or plain digits.
pub fn size_param(bytes: u64) -> String {
    if bytes >= 1 << 20 && bytes.is_multiple_of(1 << 20) {
        format!("{}M", bytes >> 20)
    } else if bytes >= 1 << 10 && bytes.is_multiple_of(1 << 10) {
        format!("{}K", bytes >> 10)
    } else {
        bytes.to_string()
    }
}

impl Settings {
    /// Reads `msg_max` and `msg_reps`, clamping with a note.
    pub fn read(q: &Query, notes: &mut Vec<String>) -> Settings {
        let max_bytes = match q.get("msg_max") {
            None => DEFAULT_MAX,
            Some(raw) => match parse_size(raw) {
                None => {
                    notes.push(format!("msg_max={raw} is not a size like 16M; using 16M."));
                    DEFAULT_MAX
                }
                Some(v) => {
                    let clamped = v.clamp(MIN_BYTES, MAX_BYTES);
                    let pow2 = 1u64 << (63 - clamped.leading_zeros());
                    if pow2 != v {
                        notes.push(format!(
                            "msg_max={raw} must be a power of two from 1K to 64M; using {}.",
                            size_param(pow2)
                        ));
                    }
                    pow2
                }
            },
        };
        Settings { max_bytes, reps: q.int("msg_reps", 5, 1..=20, notes) }
    }

    /// Writes this section's keys into the current URL, leaving every other key alone.
    fn write(&self) {
        let mut route = url::current();
        route.query.set("msg_max", size_param(self.max_bytes));
        route.query.set("msg_reps", self.reps);
        url::replace(&route);
    }
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

pub enum Msg {
    SetMax(u64),
    SetReps(usize),
    Run,
    Cancel,
    Bench(BenchEvent),
    DismissNotes,
}

/// Shared memory vs message passing (measured), serialization formats, pickle vs dill.
pub struct MessagePassing {
    settings: Settings,
    notes: Vec<String>,
    auto_run: bool,
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
    type Properties = LessonProps;

    fn create(ctx: &Context<Self>) -> Self {
        let mut notes = Vec::new();
        let settings = Settings::read(&ctx.props().query, &mut notes);
        settings.write();
        let coi = crate::compute::detect_browser().cross_origin_isolated;
        MessagePassing {
            settings,
            notes,
            auto_run: ctx.props().query.get("msg_run") == Some("1"),
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
                self.settings.max_bytes = v;
                self.settings.write();
            }
            Msg::SetReps(v) => {
                self.settings.reps = v;
                self.settings.write();
            }
            Msg::Run => {
                self.bench = None;
                self.rows.clear();
                self.formats.clear();
                self.formats_error = None;
                let sink = ctx.link().callback(Msg::Bench);
                match MessageBench::start(self.settings.max_bytes, self.settings.reps, sink) {
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
            Msg::DismissNotes => self.notes.clear(),
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
        tables::draw_plots(&self.rows, &self.methods);
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
        let s = &self.settings;
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
                <crate::components::Notes notes={self.notes.clone()} on_dismiss={link.callback(|_| Msg::DismissNotes)} />
                <div class="controls" role="group" aria-label="Message-passing settings">
                    <label class="control">
                        <span>{ "Largest message" }</span>
                        <select data-testid="msg-max" onchange={on_max} disabled={running}>
                            { for choices.iter().map(|&b| html! {
                                <option value={b.to_string()} selected={b == s.max_bytes}>{ plot::size_label(b as f64) }</option>
                            }) }
                        </select>
                    </label>
                    <label class="control">
                        <span>{ format!("Repetitions: {}", s.reps) }</span>
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
                { tables::transport(&self.rows, &self.methods) }
                { tables::formats(&self.formats, self.formats_error.as_deref()) }
                <code::SendingCode compute={ctx.props().compute.clone()} rows={self.rows.clone()} />
            </section>
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_and_print() {
        assert_eq!(parse_size("16M"), Some(16 << 20));
        assert_eq!(parse_size("256k"), Some(256 << 10));
        assert_eq!(parse_size("1MiB"), Some(1 << 20));
        assert_eq!(parse_size("4096"), Some(4096));
        assert_eq!(parse_size("M"), None);
        assert_eq!(parse_size("lots"), None);
        assert_eq!(parse_size("99999999999G"), None);
        assert_eq!(size_param(16 << 20), "16M");
        assert_eq!(size_param(256 << 10), "256K");
        assert_eq!(size_param(100), "100");
    }

    #[test]
    fn settings_clamp_with_notes() {
        let mut notes = Vec::new();
        let s = Settings::read(&Query::parse("msg_max=1M&msg_reps=3"), &mut notes);
        assert_eq!(s, Settings { max_bytes: 1 << 20, reps: 3 });
        assert!(notes.is_empty());
        let s = Settings::read(&Query::parse("msg_max=1G&msg_reps=99"), &mut notes);
        assert_eq!(s, Settings { max_bytes: 1 << 26, reps: 20 });
        let s = Settings::read(&Query::parse("msg_max=3M"), &mut notes);
        assert_eq!(s.max_bytes, 2 << 20);
        let s = Settings::read(&Query::parse("msg_max=x"), &mut notes);
        assert_eq!(s.max_bytes, DEFAULT_MAX);
        let s = Settings::read(&Query::parse("msg_max=0"), &mut notes);
        assert_eq!(s.max_bytes, 1 << 10);
        assert_eq!(notes.len(), 5, "{notes:?}");
    }
}
