//! Threads vs processes and the GIL: a real interpreter, a real global interpreter lock on
//! real pool threads, the same program free-threaded and as share-nothing processes, timed.
//!
//! The interpreter, the lock and the runs live in `parlab_kernels::gil` (tested natively);
//! this folder holds the URL state ([`settings`]), the glue that runs a sweep in the page's
//! mode ([`measure`]), the views ([`view`], [`race`]), shared memory vs message passing and
//! pickle vs dill ([`messages`]) and the explanations ([`text`]).

mod measure;
mod messages;
mod predict;
mod race;
mod results;
mod settings;
mod text;
mod view;

use parlab_kernels::gil::sweep::{Report, Sweep};
use yew::prelude::*;

use super::runner::RunState;
use super::{Change, Ctx, Lesson, Section};
use crate::compute::Mode;
use crate::controls::Edit;
use measure::{Handle, Update};
use settings::Settings;

use crate::predict::{Answer, Question, Slot};

pub enum Msg {
    Set(Edit<Settings>),
    Run,
    Cancel,
    Update(Update),
    Predict(Option<Answer>),
}

impl From<Edit<Settings>> for Msg {
    fn from(edit: Edit<Settings>) -> Msg {
        Msg::Set(edit)
    }
}

pub struct GilLesson {
    settings: Settings,
    canvases: results::Canvases,
    state: RunState,
    handle: Option<Handle>,
    /// The sweep that produced `report`, and the one running.
    sweep: Option<Sweep>,
    running: Option<Sweep>,
    report: Option<Report>,
    predict: Slot,
    /// Threads can share memory here (interpreter threads can run), as of the latest update.
    shared: bool,
}

impl GilLesson {
    fn shared_memory(ctx: &Ctx<Self>) -> bool {
        ctx.props().compute.plan().mode == Mode::Threads
    }

    fn pool(ctx: &Ctx<Self>) -> usize {
        ctx.props().compute.plan().pool.max(1)
    }

    fn question(&self) -> Option<Question> {
        predict::question(&self.settings, self.shared)
    }

    /// The finished sweep's answer and its explanation.
    fn measured(&self) -> Option<(Answer, String)> {
        if self.state != RunState::Done {
            return None;
        }
        let (report, sweep) = (self.report.as_ref()?, self.sweep.as_ref()?);
        predict::measured(report, sweep, self.settings.workload)
    }

    fn start(&mut self, ctx: &Ctx<Self>) {
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

impl Lesson for GilLesson {
    const ROUTE: &'static str = "gil";
    const TITLE: &'static str = "Threads, processes & the GIL";
    const SUMMARY: &'static str = "A real interpreter lock on real threads: CPU-bound vs I/O-bound vs C-library work, and processes";
    const SECTIONS: &'static [Section] = &[
        Section { id: "measured", title: "The GIL measured: threads, free-threaded, processes" },
        Section { id: "race", title: "Races inside the interpreter" },
        Section { id: "messages", title: "Shared memory vs message passing, measured" },
    ];
    const PREDICTS: bool = true;
    type Settings = Settings;
    type Msg = Msg;

    fn create(settings: Settings, ctx: &Ctx<Self>) -> Self {
        GilLesson {
            predict: Slot::new(&ctx.props().query),
            shared: Self::shared_memory(ctx),
            settings,
            canvases: results::Canvases::default(),
            state: RunState::Idle,
            handle: None,
            sweep: None,
            running: None,
            report: None,
        }
    }

    fn settings(&self) -> &Settings {
        &self.settings
    }

    fn run_message() -> Option<Msg> {
        Some(Msg::Run)
    }

    fn prediction(&self) -> Option<(&Slot, Option<Question>)> {
        Some((&self.predict, self.question()))
    }

    fn update(&mut self, ctx: &Ctx<Self>, msg: Msg) -> Change {
        self.shared = Self::shared_memory(ctx);
        match msg {
            Msg::Set(f) => {
                f(&mut self.settings);
                return Change::Settings;
            }
            Msg::Run => {
                if self.run_blocked() {
                    return Change::None;
                }
                self.predict.start(self.question());
                self.start(ctx);
            }
            Msg::Predict(a) => return self.predict.enter(self.question().as_ref(), a),
            Msg::Cancel => {
                if let Some(h) = &self.handle {
                    h.cancel();
                }
            }
            Msg::Update(u) => {
                let progress = matches!(u, Update::Progress { .. });
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
                if progress {
                    return Change::Progress;
                }
            }
        }
        Change::Redraw
    }

    fn draw(&self, _ctx: &Ctx<Self>) {
        if let (Some(report), Some(sweep)) = (&self.report, &self.sweep) {
            results::draw(report, sweep, &self.canvases);
        }
    }

    fn view(&self, ctx: &Ctx<Self>, notes: Html) -> Html {
        view::lesson(self, ctx, notes)
    }
}
