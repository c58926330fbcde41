//! Threads vs processes and the GIL: a real interpreter, a real global interpreter lock on
//! real pool threads, the same program free-threaded and as share-nothing processes, timed.
//!
//! The interpreter, the lock and the runs live in `parlab_kernels::gil` (tested natively);
//! this folder holds the URL state ([`settings`]), the glue that runs a sweep in the page's
//! mode ([`measure`]), the views ([`view`], [`race`]), shared memory vs message passing and
//! pickle vs dill ([`messages`]) and the explanations ([`text`]).

mod measure;
mod messages;
mod race;
mod settings;
mod text;
mod view;

use parlab_kernels::gil::sweep::{Report, Sweep};
use yew::prelude::*;

use super::runner::RunState;
use super::{Lesson, LessonProps};
use crate::compute::{Mode, Status};
use measure::{Handle, Update};
use settings::Settings;

pub const LESSON: Lesson = Lesson {
    route: "gil",
    title: "Threads, processes & the GIL",
    summary: "A real interpreter lock on real threads: CPU-bound vs I/O-bound vs C-library work, and processes",
    view: |props| html! { <GilLesson ..props /> },
};

/// A change to the settings.
pub type Edit = Box<dyn FnOnce(&mut Settings)>;

pub enum Msg {
    Set(Edit),
    DismissNotes,
    Run,
    Cancel,
    Update(Update),
}

pub struct GilLesson {
    settings: Settings,
    notes: Vec<String>,
    auto_start: bool,
    state: RunState,
    handle: Option<Handle>,
    /// The sweep that produced `report`, and the one running.
    sweep: Option<Sweep>,
    running: Option<Sweep>,
    report: Option<Report>,
    /// The canvases need drawing again (not after a mere progress tick, as in the Amdahl lab).
    stale: bool,
}

impl GilLesson {
    fn shared_memory(ctx: &Context<Self>) -> bool {
        ctx.props().compute.plan().mode == Mode::Threads
    }

    fn pool(ctx: &Context<Self>) -> usize {
        ctx.props().compute.plan().pool.max(1)
    }

    fn start(&mut self, ctx: &Context<Self>) {
        let s = &self.settings;
        let modes = s.runnable_modes(Self::shared_memory(ctx));
        if modes.is_empty() || s.threads.is_empty() {
            let what = if modes.is_empty() { "mode" } else { "thread count" };
            self.state = RunState::Error(format!("Pick at least one {what}."));
            return;
        }
        let sweep = Sweep {
            preset: s.preset(),
            modes,
            threads: s.threads.clone(),
            reps: s.reps,
            switch_interval_ms: s.switch_ms,
        };
        let total = sweep.steps().len();
        let sink = ctx.link().callback(Msg::Update);
        self.handle = Some(measure::start(&ctx.props().compute, sweep.clone(), sink));
        self.running = Some(sweep);
        self.state = RunState::Running { id: 0, done: 0, total };
    }
}

impl Component for GilLesson {
    type Message = Msg;
    type Properties = LessonProps;

    fn create(ctx: &Context<Self>) -> Self {
        let mut notes = Vec::new();
        let q = &ctx.props().query;
        let settings = Settings::read(q, Self::pool(ctx), &mut notes);
        settings.write();
        GilLesson {
            settings,
            notes,
            auto_start: q.get("run") == Some("1"),
            state: RunState::Idle,
            handle: None,
            sweep: None,
            running: None,
            report: None,
            stale: true,
        }
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        self.stale |= !matches!(msg, Msg::Update(Update::Progress { .. }));
        match msg {
            Msg::Set(f) => {
                f(&mut self.settings);
                self.settings.write();
            }
            Msg::DismissNotes => self.notes.clear(),
            Msg::Run => self.start(ctx),
            Msg::Cancel => {
                if let Some(h) = &self.handle {
                    h.cancel();
                }
            }
            Msg::Update(u) => {
                self.state = match u {
                    Update::Progress { done, total } => RunState::Running { id: 0, done, total },
                    Update::Done(report) => {
                        self.report = Some(report);
                        self.sweep = self.running.take();
                        RunState::Done
                    }
                    Update::Cancelled => RunState::Cancelled,
                    Update::Failed(e) => RunState::Error(e),
                };
                if !matches!(self.state, RunState::Running { .. }) {
                    self.handle = None;
                }
            }
        }
        true
    }

    fn changed(&mut self, ctx: &Context<Self>, _old: &Self::Properties) -> bool {
        self.stale = true;
        if self.auto_start && ctx.props().status == Status::Ready {
            self.auto_start = false;
            self.start(ctx);
        }
        true
    }

    fn rendered(&mut self, ctx: &Context<Self>, first_render: bool) {
        if first_render && self.auto_start && ctx.props().status == Status::Ready {
            self.auto_start = false;
            ctx.link().send_message(Msg::Run);
        }
        if std::mem::take(&mut self.stale)
            && let (Some(report), Some(sweep)) = (&self.report, &self.sweep)
        {
            view::draw(report, sweep);
        }
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        view::lesson(self, ctx)
    }
}
