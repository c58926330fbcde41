//! Data parallelism, measured: the same kernel written scalar (one element per instruction)
//! and with WebAssembly's 128-bit SIMD (four f32 lanes per instruction), on 1..N pool threads,
//! so a student sees data-level and thread-level parallelism multiply, and where they stop
//! multiplying (memory). Flynn's taxonomy and ILP / DLP / TLP tie it to the other lessons.
//!
//! The kernels, their checks and the sweep live in `parlab_kernels::simd` (tested natively
//! against SSE2/AVX2 and in the browser); this folder is settings, the run and the view.

mod flynn;
mod view;

use parlab_kernels::Size;
use parlab_kernels::simd::{self, Kernel, Report, Variant};
use yew::prelude::*;

use super::runner::RunState;
use super::{Change, Ctx, Lesson, Section};
use crate::compute::protocol::{Event, Request};
use crate::compute::{Mode, Status};
use crate::controls::Edit;
use crate::params::{self, Lim, Param, UrlState};
use crate::url::{self, Query};

const KERNEL: Param = params::choice::<Kernel>("kernel", "sum", "The kernel measured.");
const SIZE: Param = params::choice::<Size>("size", "medium", "Work per run.");
const THREADS: Param = params::list(
    "threads",
    "1,2,4…pool",
    Lim::N(1),
    Lim::Pool,
    "Thread counts, each run scalar and SIMD.",
)
.control("[data-testid^=\"threads-\"]");
const REPS: Param =
    params::int("reps", "3", Lim::N(1), Lim::N(20), "Timed repetitions per variant and threads.");

/// The lesson's URL state.
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    pub kernel: Kernel,
    pub size: Size,
    pub threads: Vec<usize>,
    pub reps: usize,
}

impl UrlState for Settings {
    fn params() -> Vec<Param> {
        vec![KERNEL, SIZE, THREADS, REPS]
    }

    fn read(q: &Query, pool: usize, notes: &mut Vec<String>) -> Settings {
        Settings {
            kernel: KERNEL.choice(q, notes),
            size: SIZE.choice(q, notes),
            threads: THREADS.list(q, pool, notes),
            reps: REPS.int(q, pool, notes),
        }
    }

    fn write(&self, q: &mut Query) {
        KERNEL.put_choice(q, self.kernel);
        SIZE.put_choice(q, self.size);
        THREADS.put_list(q, &self.threads);
        REPS.put(q, self.reps);
    }
}

pub enum Msg {
    Set(Edit<Settings>),
    ToggleThreads(usize),
    Run,
    Cancel,
    Event(Event),
}

impl From<Edit<Settings>> for Msg {
    fn from(edit: Edit<Settings>) -> Msg {
        Msg::Set(edit)
    }
}

pub struct SimdLesson {
    settings: Settings,
    state: RunState,
    /// The request in flight (for Cancel).
    asked: Option<u32>,
    report: Option<Report>,
    plot: NodeRef,
}

impl SimdLesson {
    fn pool(ctx: &Ctx<Self>) -> usize {
        ctx.props().compute.plan().pool.max(1)
    }

    /// Why the experiment cannot run on this page, if it cannot.
    fn unavailable(ctx: &Ctx<Self>) -> Option<String> {
        match &ctx.props().status {
            Status::Failed(e) => Some(format!("The workers could not start here: {e}.")),
            Status::Ready if ctx.props().compute.plan().mode != Mode::Threads => Some(
                "SIMD × threads runs on the shared-memory pool, which this page does not have here."
                    .into(),
            ),
            _ => None,
        }
    }

    fn start(&mut self, ctx: &Ctx<Self>) {
        let s = &self.settings;
        if s.threads.is_empty() {
            self.state = RunState::Error("Pick at least one thread count.".into());
            return;
        }
        let variants: Vec<Variant> =
            Variant::available().into_iter().filter(|v| *v != Variant::Scalar).collect();
        let job = simd::Job {
            spec: simd::Spec::new(s.kernel, s.size),
            variants,
            threads: s.threads.clone(),
            reps: s.reps,
        };
        let total = job.total_chunks();
        let id = ctx
            .props()
            .compute
            .ask(|id| Request::Simd { id, job }, ctx.link().callback(Msg::Event));
        self.asked = Some(id);
        self.state = RunState::Running { id, done: 0, total };
    }
}

impl Lesson for SimdLesson {
    const ROUTE: &'static str = "simd";
    const TITLE: &'static str = "SIMD";
    const SUMMARY: &'static str =
        "Data parallelism measured: scalar vs 128-bit SIMD on 1..N threads, and Flynn's taxonomy";
    const SECTIONS: &'static [Section] = &[
        Section { id: "measure", title: "Scalar vs SIMD on 1..N threads, measured" },
        Section { id: "flynn", title: "Flynn's taxonomy; ILP, DLP and TLP" },
    ];
    type Settings = Settings;
    type Msg = Msg;

    fn create(settings: Settings, _ctx: &Ctx<Self>) -> Self {
        SimdLesson {
            settings,
            state: RunState::Idle,
            asked: None,
            report: None,
            plot: NodeRef::default(),
        }
    }

    fn settings(&self) -> &Settings {
        &self.settings
    }

    fn run_message() -> Option<Msg> {
        Some(Msg::Run)
    }

    fn update(&mut self, ctx: &Ctx<Self>, msg: Msg) -> Change {
        match msg {
            Msg::Set(f) => f(&mut self.settings),
            Msg::ToggleThreads(t) => url::toggle(&mut self.settings.threads, t),
            Msg::Run => {
                if Self::unavailable(ctx).is_none() {
                    self.start(ctx);
                }
                return Change::Redraw;
            }
            Msg::Cancel => {
                if let Some(id) = self.asked {
                    ctx.props().compute.cancel_ask(id);
                }
                return Change::None;
            }
            Msg::Event(e) => {
                self.state = match e {
                    Event::Progress { id, done, total } => {
                        self.state = RunState::Running { id, done, total };
                        return Change::Progress;
                    }
                    Event::SimdDone { report, .. } => {
                        self.report = Some(*report);
                        RunState::Done
                    }
                    Event::Cancelled { .. } => RunState::Cancelled,
                    Event::SimdFailed { message, .. } | Event::Failed { message } => {
                        RunState::Error(message)
                    }
                    other => {
                        RunState::Error(format!("unexpected answer from the worker: {other:?}"))
                    }
                };
                self.asked = None;
                return Change::Redraw;
            }
        }
        Change::Settings
    }

    fn view(&self, ctx: &Ctx<Self>, notes: Html) -> Html {
        view::view(self, ctx, notes)
    }

    fn draw(&self, _ctx: &Ctx<Self>) {
        if let Some(report) = &self.report {
            view::draw(report, &self.plot);
        }
    }
}
