//! "Serial vs parallel": one real kernel on 1 thread and on several, timed, with a timeline of
//! which thread computed which chunk. The smallest complete example of the pattern every
//! measured lesson follows: controls ↔ URL, a [`Runner`], a results table.

mod view;

use parlab_kernels::measure::Job;
use parlab_kernels::schedule::Schedule;
use parlab_kernels::{KernelSpec, Size};
use yew::prelude::*;

use super::runner::{REPS, Runner};
use super::{Lesson, LessonProps};
use crate::compute::RunEvent;
use crate::url;

pub const LESSON: Lesson = Lesson {
    route: "serial",
    title: "Serial vs parallel",
    summary: "Count primes on one thread, then on all of them: time, speedup and who did what",
    view: |props| html! { <SerialLesson ..props /> },
};

pub enum Msg {
    Size(Size),
    ToggleThreads(usize),
    Reps(usize),
    Run,
    Cancel,
    Event(RunEvent),
    DismissNotes,
}

pub struct SerialLesson {
    size: Size,
    threads: Vec<usize>,
    reps: usize,
    notes: Vec<String>,
    runner: Runner,
    /// The timelines need drawing again (see `rendered`).
    stale: bool,
}

impl SerialLesson {
    fn pool(ctx: &Context<Self>) -> usize {
        ctx.props().compute.plan().pool
    }

    fn write_url(&self) {
        let mut route = url::current();
        let q = &mut route.query;
        q.set("size", self.size.name());
        q.set("threads", url::join(&self.threads));
        q.set("reps", self.reps);
        url::replace(&route);
    }

    fn start(&mut self, ctx: &Context<Self>) {
        let job = Job {
            spec: KernelSpec::primes(self.size),
            threads: self.threads.clone(),
            reps: self.reps,
            schedule: Schedule::Dynamic,
            serial_share: 0.0,
        };
        self.runner.start(&ctx.props().compute, job, ctx.link().callback(Msg::Event));
    }
}

impl Component for SerialLesson {
    type Message = Msg;
    type Properties = LessonProps;

    fn create(ctx: &Context<Self>) -> Self {
        let q = &ctx.props().query;
        let pool = Self::pool(ctx);
        let mut notes = Vec::new();
        let size = q.choice("size", Size::Medium, Size::parse, &mut notes);
        let default_threads = if pool > 1 { vec![1, pool] } else { vec![1] };
        let threads = q.int_list("threads", default_threads, 1..=pool, &mut notes);
        let reps = q.int("reps", 3, REPS, &mut notes);
        let lesson =
            SerialLesson { size, threads, reps, notes, runner: Runner::new(q), stale: true };
        lesson.write_url();
        lesson
    }

    fn changed(&mut self, ctx: &Context<Self>, _old: &Self::Properties) -> bool {
        self.stale = true;
        if self.runner.take_auto_start(&ctx.props().status) {
            self.start(ctx);
        }
        true
    }

    /// Draws the timelines, except after a mere progress tick (as in the Amdahl lab: the page
    /// must not take the cores the run is measured on).
    fn rendered(&mut self, ctx: &Context<Self>, first_render: bool) {
        if first_render && self.runner.take_auto_start(&ctx.props().status) {
            ctx.link().send_message(Msg::Run);
        }
        if std::mem::take(&mut self.stale) {
            view::draw_timelines(self, Self::pool(ctx));
        }
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        self.stale |= !matches!(msg, Msg::Event(RunEvent::Progress { .. }));
        match msg {
            Msg::Size(s) => self.size = s,
            Msg::ToggleThreads(t) => url::toggle(&mut self.threads, t),
            Msg::Reps(r) => self.reps = r.clamp(*REPS.start(), *REPS.end()),
            Msg::Run => {
                self.start(ctx);
                return true;
            }
            Msg::Cancel => {
                self.runner.cancel(&ctx.props().compute);
                return false;
            }
            Msg::Event(event) => {
                self.runner.handle(event);
                return true;
            }
            Msg::DismissNotes => {
                self.notes.clear();
                return true;
            }
        }
        self.write_url();
        true
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        view::view(self, ctx)
    }
}
