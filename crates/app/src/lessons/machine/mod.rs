//! "Your machine": cores and hyper-threads, caches, memory bandwidth, false sharing and the
//! roofline, measured in this tab on the real pool (`parlab_kernels::machine`, the same code
//! `parlab-bench machine` runs natively). Why: the browser's core count is a claim, and memory,
//! not arithmetic, is why `reduce` and `matmul` scale worse than `pi`; here both are measured.
//!
//! The result is remembered for the site (`localStorage`, [`crate::activity::machine_card`]) as a machine card
//! that can be downloaded for comparing machines and browsers.

mod plots;
mod view;

use parlab_kernels::machine::{MachineConfig, MachineReport};
use serde::Serialize;
use yew::prelude::*;

use super::runner::{Answer, PoolAsk, needs_pool};
use super::{Change, Ctx, Lesson, Section};
use crate::compute::protocol::{Event, Request};
use crate::controls::Edit;
use crate::params::{self, Named, Param, UrlState};
use crate::predict::{self, Answer as Prediction, Question, Slot};
use crate::url::Query;

/// How thorough a run is (`extent=`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Extent {
    /// Working sets up to 16 MiB, shorter probes: a few seconds.
    Quick,
    /// Working sets up to 256 MiB (past any L3), the default.
    Full,
}

impl Named for Extent {
    const ALL: &'static [Extent] = &[Extent::Quick, Extent::Full];
}

const EXTENT: Param = params::choice::<Extent>(
    "extent",
    "full",
    "quick: working sets up to 16 MiB, short probes; full: up to 256 MiB.",
);

/// The lesson's URL state.
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    pub extent: Extent,
}

impl UrlState for Settings {
    fn params() -> Vec<Param> {
        vec![EXTENT]
    }

    fn read(q: &Query, _pool: usize, notes: &mut Vec<String>) -> Settings {
        Settings { extent: EXTENT.choice(q, notes) }
    }

    fn write(&self, q: &mut Query) {
        EXTENT.put_choice(q, self.extent);
    }
}

impl Settings {
    /// The experiments' settings for a page that reports `reported` cores.
    fn config(&self, reported: usize) -> MachineConfig {
        let mut c = MachineConfig::new(reported);
        if self.extent == Extent::Quick {
            c.sweep.max_bytes = 16 << 20;
            c.sweep.reps = 3;
            c.cores.probe_ms = 20.0;
            c.cores.reps = 2;
            c.bandwidth.array_bytes = 16 << 20;
            c.bandwidth.reps = 3;
            c.sharing.run_ms = 10.0;
            c.sharing.reps = 2;
            c.peak.probe_ms = 15.0;
            c.peak.reps = 2;
        }
        c
    }
}

pub enum Msg {
    Set(Edit<Settings>),
    Run,
    Cancel,
    /// Forget the stored machine card.
    Forget,
    Event(Event),
    Predict(Option<Prediction>),
}

impl From<Edit<Settings>> for Msg {
    fn from(edit: Edit<Settings>) -> Msg {
        Msg::Set(edit)
    }
}

/// The canvases.
#[derive(Default)]
pub struct Canvases {
    pub cores: NodeRef,
    pub latency: NodeRef,
    pub read: NodeRef,
    pub bandwidth: NodeRef,
    pub stride: NodeRef,
    pub roofline: NodeRef,
}

pub struct MachineLesson {
    settings: Settings,
    run: PoolAsk,
    report: Option<MachineReport>,
    canvases: Canvases,
    predict: Slot,
}

/// `navigator.hardwareConcurrency`.
pub fn reported_cores() -> usize {
    crate::die::hardware_concurrency().max(1)
}

impl MachineLesson {
    fn unavailable(ctx: &Ctx<Self>) -> Option<String> {
        let p = ctx.props();
        needs_pool(
            &p.compute,
            &p.status,
            "Each of the five experiments (false sharing and bandwidth scaling above all)",
        )
    }

    fn question(&self) -> Option<Question> {
        Some(predict::explain::machine_question())
    }

    /// The finished run's measured core count against the browser's report.
    fn measured(&self) -> Option<(Prediction, String)> {
        if *self.run.state() != super::runner::RunState::Done {
            return None;
        }
        let c = &self.report.as_ref()?.card;
        let why = predict::explain::machine(c.reported_cores, c.measured_cores);
        Some((Prediction::Number(c.measured_cores as f64), why))
    }

    fn start(&mut self, ctx: &Ctx<Self>) {
        let reported = reported_cores();
        let config = self.settings.config(reported);
        let (compute, sink) = (&ctx.props().compute, ctx.link().callback(Msg::Event));
        let total = config.steps();
        self.run.start(compute, total, |id| Request::Machine { id, config, reported }, sink);
    }
}

impl Lesson for MachineLesson {
    const ROUTE: &'static str = "machine";
    const TITLE: &'static str = "Your machine";
    const SUMMARY: &'static str =
        "Cores, hyper-threads, caches, memory bandwidth, false sharing and the roofline, measured";
    const SECTIONS: &'static [Section] = &[
        Section { id: "cores", title: "Cores and hyper-threads" },
        Section { id: "memory", title: "Caches and memory latency" },
        Section { id: "bandwidth", title: "Memory bandwidth against threads" },
        Section { id: "sharing", title: "False sharing" },
        Section { id: "roofline", title: "The roofline" },
    ];
    const PREDICTS: bool = true;
    type Settings = Settings;
    type Msg = Msg;

    fn create(settings: Settings, ctx: &Ctx<Self>) -> Self {
        MachineLesson {
            predict: Slot::new(&ctx.props().query),
            settings,
            run: PoolAsk::default(),
            report: None,
            canvases: Canvases::default(),
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
            Msg::Set(f) => {
                f(&mut self.settings);
                return Change::Settings;
            }
            Msg::Run => {
                if self.run_blocked() {
                    return Change::None;
                }
                if Self::unavailable(ctx).is_none() {
                    self.predict.start(self.question());
                    self.start(ctx);
                }
            }
            Msg::Predict(a) => return self.predict.enter(self.question().as_ref(), a),
            Msg::Cancel => {
                self.run.cancel(&ctx.props().compute);
                return Change::None;
            }
            Msg::Forget => crate::activity::forget_machine(),
            Msg::Event(e) => match self.run.handle(e) {
                Answer::Progress => return Change::Progress,
                Answer::Ended => {}
                Answer::Event(Event::MachineDone { mut report, .. }) => {
                    report.card.mode = Some(ctx.props().compute.plan().mode.name().to_string());
                    report.card.browser =
                        web_sys::window().and_then(|w| w.navigator().user_agent().ok());
                    crate::activity::remember_machine(&report.card);
                    self.report = Some(*report);
                }
                Answer::Event(other) => self.run.fail(format!("unexpected answer: {other:?}")),
            },
        }
        Change::Redraw
    }

    fn view(&self, ctx: &Ctx<Self>, notes: Html) -> Html {
        view::view(self, ctx, notes)
    }

    fn draw(&self, _ctx: &Ctx<Self>) {
        if let Some(report) = &self.report {
            plots::draw(report, &self.canvases);
        }
    }
}
