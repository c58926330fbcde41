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

use super::runner::RunState;
use super::{Change, Ctx, Lesson, Section};
use crate::compute::protocol::{Event, Request};
use crate::compute::{Mode, Status};
use crate::controls::Edit;
use crate::params::{self, Named, Param, UrlState};
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
    Event(Event),
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
    state: RunState,
    asked: Option<u32>,
    report: Option<MachineReport>,
    canvases: Canvases,
}

/// `navigator.hardwareConcurrency`.
pub fn reported_cores() -> usize {
    web_sys::window().map_or(1, |w| w.navigator().hardware_concurrency() as usize).max(1)
}

impl MachineLesson {
    fn unavailable(ctx: &Ctx<Self>) -> Option<String> {
        match &ctx.props().status {
            Status::Failed(e) => Some(format!("The workers could not start here: {e}.")),
            Status::Ready if ctx.props().compute.plan().mode != Mode::Threads => Some(
                "All five experiments run threads on one shared memory (false sharing and \
                 bandwidth scaling need exactly that), which this page does not have here."
                    .into(),
            ),
            _ => None,
        }
    }

    fn start(&mut self, ctx: &Ctx<Self>) {
        let reported = reported_cores();
        let config = self.settings.config(reported);
        let total = config.steps();
        let id = ctx
            .props()
            .compute
            .ask(|id| Request::Machine { id, config, reported }, ctx.link().callback(Msg::Event));
        self.asked = Some(id);
        self.state = RunState::Running { id, done: 0, total };
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
    type Settings = Settings;
    type Msg = Msg;

    fn create(settings: Settings, _ctx: &Ctx<Self>) -> Self {
        MachineLesson {
            settings,
            state: RunState::Idle,
            asked: None,
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

    fn update(&mut self, ctx: &Ctx<Self>, msg: Msg) -> Change {
        match msg {
            Msg::Set(f) => {
                f(&mut self.settings);
                return Change::Settings;
            }
            Msg::Run => {
                if Self::unavailable(ctx).is_none() {
                    self.start(ctx);
                }
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
                        self.state = RunState::Running { id, done: done.min(total), total };
                        return Change::Progress;
                    }
                    Event::MachineDone { mut report, .. } => {
                        let plan = ctx.props().compute.plan();
                        report.card.mode = Some(plan.mode.name().to_string());
                        report.card.browser =
                            web_sys::window().and_then(|w| w.navigator().user_agent().ok());
                        crate::activity::remember_machine(&report.card);
                        self.report = Some(*report);
                        RunState::Done
                    }
                    Event::Cancelled { .. } => RunState::Cancelled,
                    Event::Failed { message } => RunState::Error(message),
                    other => {
                        RunState::Error(format!("unexpected answer from the worker: {other:?}"))
                    }
                };
                self.asked = None;
            }
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
