//! The Amdahl lab: the Amdahl curve for a chosen p and N, measured speedups from real threads
//! on top of it, p fitted from the measurements, Gustafson's scaled speedup, Karp–Flatt, and
//! Hill & Marty's multicore designs as a second view.

mod bands;
mod multicore;
mod view;

/// The p slider's log scale, shared with the overview.
pub use view::{p_from_slider, slider_from_p};

use parlab_kernels::measure::Job;
use parlab_kernels::schedule::Schedule;
use parlab_kernels::{KernelSpec, Size, Workload};
use yew::prelude::*;

use super::runner::{REPS, RunState, Runner, thread_choices};
use super::{Lesson, LessonProps};
use crate::compute::{Preview, RunEvent};
use crate::url::{self, Query};

pub const LESSON: Lesson = Lesson {
    route: "amdahl",
    title: "Amdahl's law",
    summary: "Measured speedup on real threads against Amdahl's curve; fit p; Gustafson; Hill & Marty",
    view: |props| html! { <AmdahlLesson ..props /> },
};

/// The most threads the model curve can show.
pub const N_MAX: usize = 1024;
/// The largest serial share the knob offers.
pub const SERIAL_MAX: f64 = 0.9;

/// Which view of the lesson is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    Measure,
    Multicore,
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

impl Settings {
    fn read(q: &Query, pool: usize, notes: &mut Vec<String>) -> Settings {
        let tab = q.choice(
            "view",
            Tab::Measure,
            |s| match s {
                "measure" => Some(Tab::Measure),
                "multicore" => Some(Tab::Multicore),
                _ => None,
            },
            notes,
        );
        Settings {
            tab,
            p: q.float("p", 0.9, 0.0..=1.0, notes),
            n: q.int("n", 16, 1..=N_MAX, notes),
            log_x: q.flag("log", false, notes),
            scaled: q.flag("scaled", false, notes),
            workload: q.choice("workload", Workload::Mandelbrot, Workload::parse, notes),
            size: q.choice("size", Size::Medium, Size::parse, notes),
            schedule: q.choice("schedule", Schedule::Dynamic, Schedule::parse, notes),
            serial: q.float("serial", 0.0, 0.0..=SERIAL_MAX, notes),
            threads: q.int_list("threads", thread_choices(pool), 1..=pool, notes),
            reps: q.int("reps", 5, REPS, notes),
            hm: multicore::HmSettings::read(q, notes),
        }
    }

    fn write(&self) {
        let mut route = url::current();
        let q = &mut route.query;
        q.set("view", if self.tab == Tab::Measure { "measure" } else { "multicore" });
        q.set("p", url::decimal(self.p, 6));
        q.set("n", self.n);
        q.set("log", u8::from(self.log_x));
        q.set("scaled", u8::from(self.scaled));
        q.set("workload", self.workload.name());
        q.set("size", self.size.name());
        q.set("schedule", self.schedule.name());
        q.set("serial", format!("{:.2}", self.serial));
        q.set("threads", url::join(&self.threads));
        q.set("reps", self.reps);
        self.hm.write(q);
        url::replace(&route);
    }

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
    Set(Box<dyn FnOnce(&mut Settings)>),
    ToggleThreads(usize),
    Run,
    Cancel,
    Event(RunEvent),
    DismissNotes,
}

pub struct AmdahlLesson {
    settings: Settings,
    notes: Vec<String>,
    runner: Runner,
    /// The Mandelbrot image of the last run (only for that workload).
    preview: Option<Preview>,
    /// The canvases need drawing again (see `rendered`).
    stale: bool,
}

impl AmdahlLesson {
    fn pool(ctx: &Context<Self>) -> usize {
        ctx.props().compute.plan().pool
    }

    fn start(&mut self, ctx: &Context<Self>) {
        self.runner.start(
            &ctx.props().compute,
            self.settings.job(),
            ctx.link().callback(Msg::Event),
        );
    }
}

impl Component for AmdahlLesson {
    type Message = Msg;
    type Properties = LessonProps;

    fn create(ctx: &Context<Self>) -> Self {
        let mut notes = Vec::new();
        let settings = Settings::read(&ctx.props().query, Self::pool(ctx), &mut notes);
        settings.write();
        let runner = Runner::new(&ctx.props().query);
        AmdahlLesson { settings, notes, runner, preview: None, stale: true }
    }

    fn changed(&mut self, ctx: &Context<Self>, _old: &Self::Properties) -> bool {
        self.stale = true;
        if self.runner.take_auto_start(&ctx.props().status) {
            self.start(ctx);
        }
        true
    }

    /// Draws the canvases, except after a mere progress tick: redrawing every plot 25 times a
    /// second would take page time from the 2 cores the pool threads are being measured on.
    fn rendered(&mut self, ctx: &Context<Self>, first_render: bool) {
        if first_render && self.runner.take_auto_start(&ctx.props().status) {
            ctx.link().send_message(Msg::Run);
        }
        if !std::mem::take(&mut self.stale) {
            return;
        }
        view::draw_plots(self);
        if self.settings.tab == Tab::Measure {
            bands::draw(self, Self::pool(ctx));
        }
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        self.stale |= !matches!(msg, Msg::Event(RunEvent::Progress { .. }));
        match msg {
            Msg::Set(f) => f(&mut self.settings),
            Msg::ToggleThreads(t) => url::toggle(&mut self.settings.threads, t),
            Msg::Run => {
                self.start(ctx);
                return true;
            }
            Msg::Cancel => {
                self.runner.cancel(&ctx.props().compute);
                return false;
            }
            Msg::Event(e) => {
                self.runner.handle(e);
                let done = *self.runner.state() == RunState::Done;
                if let (true, Some(job)) = (done, &self.runner.job) {
                    self.preview = None;
                    if let Some((w, h, max_iter)) = bands::preview_size(&job.spec) {
                        let sink = ctx.link().callback(Msg::Preview);
                        ctx.props().compute.preview(w, h, max_iter, sink);
                    }
                }
                return true;
            }
            Msg::Preview(p) => {
                self.preview = Some(p);
                return true;
            }
            Msg::DismissNotes => {
                self.notes.clear();
                return true;
            }
        }
        self.settings.write();
        true
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        view::view(self, ctx)
    }
}
