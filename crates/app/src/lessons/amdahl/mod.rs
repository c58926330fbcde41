//! The Amdahl lab: the Amdahl curve for a chosen p and N, measured speedups from real threads
//! on top of it, p fitted from the measurements, Gustafson's scaled speedup, Karp–Flatt, and
//! Hill & Marty's multicore designs as a second view.

mod bands;
mod multicore;
mod view;

use parlab_kernels::measure::Job;
use parlab_kernels::schedule::Schedule;
use parlab_kernels::{KernelSpec, Size, Workload};
use yew::prelude::*;

use serde::Serialize;

use super::runner::{RunState, Runner};
use super::{Change, Ctx, Lesson, Section};
use crate::compute::{Preview, RunEvent};
use crate::controls::Edit;
use crate::params::{self, Lim, Named, Param, UrlState};
use crate::predict::{self, Answer, Question, Slot};
use crate::url::{self, Query};

/// The most threads the model curve can show.
pub const N_MAX: usize = 1024;
/// The largest serial share the knob offers.
pub const SERIAL_MAX: f64 = 0.9;

/// Which view of the lesson is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Tab {
    Measure,
    Multicore,
}

impl Named for Tab {
    const ALL: &'static [Tab] = &[Tab::Measure, Tab::Multicore];
}

/// Everything the URL carries (conventions.md: every control lives in the query).
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    pub tab: Tab,
    pub p: f64,
    pub n: usize,
    pub log_x: bool,
    pub scaled: bool,
    pub workload: Workload,
    pub size: Size,
    pub schedule: Schedule,
    pub serial: f64,
    pub threads: Vec<usize>,
    pub reps: usize,
    pub hm: multicore::HmSettings,
}

const VIEW: Param =
    params::choice::<Tab>("view", "measure", "Which view: measured runs or Hill & Marty.")
        .control(".lesson > .tabs");
const P: Param = params::float("p", "0.9", (0.0, 1.0, 6), "Parallel share p of the model curve.");
const N: Param =
    params::int("n", "16", Lim::N(1), Lim::N(N_MAX as i64), "Threads N the curve reaches.");
const LOG: Param = params::flag("log", "0", "1: logarithmic thread axis.");
const SCALED: Param = params::flag("scaled", "0", "1: also plot Gustafson's scaled speedup.");
const WORKLOAD: Param =
    params::choice::<Workload>("workload", "mandelbrot", "The real kernel that is measured.");
const SIZE: Param = params::choice::<Size>("size", "medium", "Problem size of the kernel.");
const SCHEDULE: Param =
    params::choice::<Schedule>("schedule", "dynamic", "How chunks are handed to threads.");
const SERIAL: Param = params::float(
    "serial",
    "0.00",
    (0.0, SERIAL_MAX, 2),
    "Injected serial share of the 1-thread time (a real dependent computation).",
);
const THREADS: Param =
    params::list("threads", "1,2,4…pool", Lim::N(1), Lim::Pool, "Thread counts the run sweeps.")
        .control("[data-testid^=\"threads-\"]");
const REPS_P: Param =
    params::int("reps", "5", Lim::N(1), Lim::N(20), "Timed repetitions per thread count.");

impl UrlState for Settings {
    fn params() -> Vec<Param> {
        let mut v =
            vec![VIEW, P, N, LOG, SCALED, WORKLOAD, SIZE, SCHEDULE, SERIAL, THREADS, REPS_P];
        v.extend(multicore::PARAMS);
        v
    }

    fn read(q: &Query, pool: usize, notes: &mut Vec<String>) -> Settings {
        Settings {
            tab: VIEW.choice(q, notes),
            p: P.float(q, notes),
            n: N.int(q, pool, notes),
            log_x: LOG.flag(q, notes),
            scaled: SCALED.flag(q, notes),
            workload: WORKLOAD.choice(q, notes),
            size: SIZE.choice(q, notes),
            schedule: SCHEDULE.choice(q, notes),
            serial: SERIAL.float(q, notes),
            threads: THREADS.list(q, pool, notes),
            reps: REPS_P.int(q, pool, notes),
            hm: multicore::HmSettings::read(q, notes),
        }
    }

    fn write(&self, q: &mut Query) {
        VIEW.put_choice(q, self.tab);
        P.put_float(q, self.p);
        N.put(q, self.n);
        LOG.put_flag(q, self.log_x);
        SCALED.put_flag(q, self.scaled);
        WORKLOAD.put_choice(q, self.workload);
        SIZE.put_choice(q, self.size);
        SCHEDULE.put_choice(q, self.schedule);
        SERIAL.put(q, format!("{:.2}", self.serial));
        THREADS.put_list(q, &self.threads);
        REPS_P.put(q, self.reps);
        self.hm.write(q);
    }
}

impl Settings {
    fn job(&self) -> Job {
        Job {
            spec: KernelSpec::new(self.workload, self.size),
            threads: self.threads.clone(),
            reps: self.reps,
            schedule: self.schedule,
            serial_share: self.serial,
        }
    }
}

pub enum Msg {
    Preview(Preview),
    Set(Edit<Settings>),
    ToggleThreads(usize),
    Run,
    Cancel,
    Event(RunEvent),
    Predict(Option<Answer>),
}

impl From<Edit<Settings>> for Msg {
    fn from(edit: Edit<Settings>) -> Msg {
        Msg::Set(edit)
    }
}

/// The lesson's canvases.
#[derive(Default)]
pub struct Canvases {
    pub speedup: NodeRef,
    pub efficiency: NodeRef,
    pub timeline: NodeRef,
    pub image: NodeRef,
    pub hill_marty: NodeRef,
}

pub struct AmdahlLesson {
    settings: Settings,
    canvases: Canvases,
    runner: Runner,
    /// The Mandelbrot image of the last run (only for that workload).
    preview: Option<Preview>,
    predict: Slot,
}

impl AmdahlLesson {
    fn pool(ctx: &Ctx<Self>) -> usize {
        ctx.props().compute.plan().pool
    }

    /// "What speedup will N threads give?" for the largest thread count (needs 1 and another).
    fn question(&self) -> Option<Question> {
        let t = &self.settings.threads;
        let n = t.iter().copied().max()?;
        (n > 1 && t.contains(&1)).then(|| predict::explain::speedup_question(n))
    }

    /// The finished run's speedup on its largest thread count, and the Amdahl explanation of
    /// the gap from the run's measured serial share and fitted p.
    fn measured(&self) -> Option<(Answer, String)> {
        if *self.runner.state() != RunState::Done {
            return None;
        }
        let rows = &self.runner.rows;
        let row = rows.iter().max_by_key(|r| r.threads)?;
        let s = row.speedup?;
        let why = predict::explain::amdahl(
            row.threads,
            s,
            view::measured_serial(rows),
            view::fitted(rows).map(|f| f.p),
        );
        Some((Answer::Number(s), why))
    }

    fn start(&mut self, ctx: &Ctx<Self>) {
        self.runner.start(
            &ctx.props().compute,
            self.settings.job(),
            ctx.link().callback(Msg::Event),
        );
    }
}

impl Lesson for AmdahlLesson {
    const ROUTE: &'static str = "amdahl";
    const TITLE: &'static str = "Amdahl's law";
    const SUMMARY: &'static str =
        "Measured speedup on real threads against Amdahl's curve; fit p; Gustafson; Hill & Marty";
    const SECTIONS: &'static [Section] = &[
        Section { id: "measure", title: "Measured speedup against Amdahl's curve" },
        Section { id: "multicore", title: "Multicore design (Hill & Marty)" },
    ];
    const PREDICTS: bool = true;
    type Settings = Settings;
    type Msg = Msg;

    fn create(mut settings: Settings, ctx: &Ctx<Self>) -> Self {
        // `section=<view>` embeds that view alone, so it is the one shown.
        if let Some(tab) = ctx.props().query.get("section").and_then(<Tab as Named>::parse) {
            settings.tab = tab;
        }
        AmdahlLesson {
            settings,
            canvases: Canvases::default(),
            runner: Runner::default(),
            preview: None,
            predict: Slot::new(&ctx.props().query),
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

    fn draw(&self, ctx: &Ctx<Self>) {
        view::draw_plots(self);
        if self.settings.tab == Tab::Measure {
            bands::draw(self, Self::pool(ctx));
        }
    }

    fn update(&mut self, ctx: &Ctx<Self>, msg: Msg) -> Change {
        match msg {
            Msg::Set(f) => f(&mut self.settings),
            Msg::ToggleThreads(t) => url::toggle(&mut self.settings.threads, t),
            Msg::Run => {
                if self.run_blocked() {
                    return Change::None;
                }
                self.predict.start(self.question());
                self.start(ctx);
                return Change::Redraw;
            }
            Msg::Predict(a) => return self.predict.enter(self.question().as_ref(), a),
            Msg::Cancel => {
                self.runner.cancel(&ctx.props().compute);
                return Change::None;
            }
            Msg::Event(e) => {
                let progress = matches!(e, RunEvent::Progress { .. });
                self.runner.handle(e);
                let done = *self.runner.state() == RunState::Done;
                if let (true, Some(job)) = (done, &self.runner.job) {
                    self.preview = None;
                    if let Some((w, h, max_iter)) = bands::preview_size(&job.spec) {
                        let sink = ctx.link().callback(Msg::Preview);
                        ctx.props().compute.preview(w, h, max_iter, sink);
                    }
                }
                return if progress { Change::Progress } else { Change::Redraw };
            }
            Msg::Preview(p) => {
                self.preview = Some(p);
                return Change::Redraw;
            }
        }
        Change::Settings
    }

    fn view(&self, ctx: &Ctx<Self>, notes: Html) -> Html {
        view::view(self, ctx, notes)
    }
}
