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

use super::runner::{Answer, PoolAsk, needs_pool};
use super::{Change, Ctx, Lesson, Section};
use crate::compute::protocol::{Event, Request};
use crate::controls::Edit;
use crate::params::{self, Lim, Param, UrlState};
use crate::predict::{self, Answer as Prediction, Question, Slot};
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
    Predict(Option<Prediction>),
}

impl From<Edit<Settings>> for Msg {
    fn from(edit: Edit<Settings>) -> Msg {
        Msg::Set(edit)
    }
}

pub struct SimdLesson {
    settings: Settings,
    run: PoolAsk,
    report: Option<Report>,
    plot: NodeRef,
    predict: Slot,
}

impl SimdLesson {
    fn pool(ctx: &Ctx<Self>) -> usize {
        ctx.props().compute.plan().pool.max(1)
    }

    /// Why the experiment cannot run on this page, if it cannot.
    fn unavailable(ctx: &Ctx<Self>) -> Option<String> {
        let p = ctx.props();
        needs_pool(&p.compute, &p.status, "SIMD × threads")
    }

    /// "How much faster will simd128 be than scalar?" on the fewest threads measured.
    fn question(&self) -> Option<Question> {
        let t = self.settings.threads.iter().copied().min()?;
        Some(predict::explain::simd_question(Variant::Simd128.lanes(), t))
    }

    /// The finished run's simd128-over-scalar speedup on its fewest threads, and why.
    fn measured(&self) -> Option<(Prediction, String)> {
        if *self.run.state() != super::runner::RunState::Done {
            return None;
        }
        let report = self.report.as_ref()?;
        let t = report.rows.iter().map(|r| r.threads).min()?;
        let row = report.rows.iter().find(|r| r.variant == Variant::Simd128 && r.threads == t)?;
        let s = row.simd_speedup?;
        Some((Prediction::Number(s), predict::explain::simd(row.kernel.name(), row.lanes, s)))
    }

    fn start(&mut self, ctx: &Ctx<Self>) {
        let s = &self.settings;
        if s.threads.is_empty() {
            self.run.fail("Pick at least one thread count.".into());
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
        let (compute, sink) = (&ctx.props().compute, ctx.link().callback(Msg::Event));
        self.run.start(compute, job.total_chunks(), |id| Request::Simd { id, job }, sink);
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
    const PREDICTS: bool = true;
    type Settings = Settings;
    type Msg = Msg;

    fn create(settings: Settings, ctx: &Ctx<Self>) -> Self {
        let predict = Slot::new(&ctx.props().query);
        SimdLesson {
            settings,
            run: PoolAsk::default(),
            report: None,
            plot: NodeRef::default(),
            predict,
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
        match msg {
            Msg::Set(f) => f(&mut self.settings),
            Msg::ToggleThreads(t) => url::toggle(&mut self.settings.threads, t),
            Msg::Run => {
                if self.run_blocked() {
                    return Change::None;
                }
                if Self::unavailable(ctx).is_none() {
                    self.predict.start(self.question());
                    self.start(ctx);
                }
                return Change::Redraw;
            }
            Msg::Predict(a) => return self.predict.enter(self.question().as_ref(), a),
            Msg::Cancel => {
                self.run.cancel(&ctx.props().compute);
                return Change::None;
            }
            Msg::Event(e) => {
                match self.run.handle(e) {
                    Answer::Progress => return Change::Progress,
                    Answer::Ended => {}
                    Answer::Event(Event::SimdDone { report, .. }) => self.report = Some(*report),
                    Answer::Event(Event::SimdFailed { message, .. }) => self.run.fail(message),
                    Answer::Event(other) => self.run.fail(format!("unexpected answer: {other:?}")),
                }
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
