//! "Serial vs parallel": one real kernel on 1 thread and on several, timed, with a timeline of
//! which thread computed which chunk. The first lesson, and the smallest complete example of
//! the pattern every measured lesson follows: controls ↔ URL, `Compute::run`, results table.

mod view;

use parlab_kernels::measure::{Job, Row, StepResult};
use parlab_kernels::{KernelSpec, RunOutcome, Size};
use yew::prelude::*;

use super::{Lesson, LessonProps};
use crate::compute::{RunEvent, Status};
use crate::url;

pub const LESSON: Lesson = Lesson {
    route: "serial",
    title: "Serial vs parallel",
    summary: "Count primes on one thread, then on all of them: time, speedup and who did what",
    view: |props| html! { <SerialLesson ..props /> },
};

/// Repetitions a user may ask for.
const REPS: std::ops::RangeInclusive<usize> = 1..=20;

#[derive(Clone, Debug, PartialEq)]
pub enum RunState {
    Idle,
    Running { id: u32, done: usize, total: usize },
    Done,
    Cancelled,
    Error(String),
}

impl RunState {
    fn name(&self) -> &'static str {
        match self {
            RunState::Idle => "idle",
            RunState::Running { .. } => "running",
            RunState::Done => "done",
            RunState::Cancelled => "cancelled",
            RunState::Error(_) => "error",
        }
    }
}

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
    state: RunState,
    /// The job the results belong to.
    job: Option<Job>,
    rows: Vec<Row>,
    /// Last timed repetition of each thread count, for the timelines.
    timelines: Vec<(usize, RunOutcome)>,
    auto_run: bool,
}

impl SerialLesson {
    fn pool(ctx: &Context<Self>) -> usize {
        ctx.props().compute.plan().pool
    }

    fn write_url(&self) {
        let mut route = url::current();
        let q = &mut route.query;
        q.set("size", self.size.name());
        let list: Vec<String> = self.threads.iter().map(|t| t.to_string()).collect();
        q.set("threads", list.join(","));
        q.set("reps", self.reps);
        url::replace(&route);
    }

    fn start(&mut self, ctx: &Context<Self>) {
        if self.threads.is_empty() {
            self.state = RunState::Error("Pick at least one thread count.".into());
            return;
        }
        let job = Job {
            spec: KernelSpec::primes(self.size),
            threads: self.threads.clone(),
            reps: self.reps,
        };
        let total = job.total_chunks();
        let id = ctx
            .props()
            .compute
            .run(job.clone(), ctx.link().callback(Msg::Event));
        self.job = Some(job);
        self.state = RunState::Running { id, done: 0, total };
    }

    fn finish(&mut self, results: Vec<StepResult>) {
        let Some(job) = &self.job else { return };
        match parlab_kernels::measure::summarize(job, &results) {
            Ok(rows) => {
                self.timelines = job
                    .threads
                    .iter()
                    .filter_map(|&t| {
                        let last = results
                            .iter()
                            .rev()
                            .find(|r| r.step.threads == t && r.step.rep.is_some())?;
                        Some((t, last.outcome.clone()))
                    })
                    .collect();
                self.rows = rows;
                self.state = RunState::Done;
            }
            Err(e) => self.state = RunState::Error(e),
        }
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
        let auto_run = q.get("run") == Some("1");
        let lesson = SerialLesson {
            size,
            threads,
            reps,
            notes,
            state: RunState::Idle,
            job: None,
            rows: Vec::new(),
            timelines: Vec::new(),
            auto_run,
        };
        lesson.write_url();
        lesson
    }

    fn changed(&mut self, ctx: &Context<Self>, _old: &Self::Properties) -> bool {
        if self.auto_run && ctx.props().status == Status::Ready {
            self.auto_run = false;
            self.start(ctx);
        }
        true
    }

    fn rendered(&mut self, ctx: &Context<Self>, first_render: bool) {
        if first_render && self.auto_run && ctx.props().status == Status::Ready {
            self.auto_run = false;
            ctx.link().send_message(Msg::Run);
        }
        view::draw_timelines(self, Self::pool(ctx));
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::Size(s) => self.size = s,
            Msg::ToggleThreads(t) => match self.threads.binary_search(&t) {
                Ok(i) => {
                    self.threads.remove(i);
                }
                Err(i) => self.threads.insert(i, t),
            },
            Msg::Reps(r) => self.reps = r.clamp(*REPS.start(), *REPS.end()),
            Msg::Run => {
                self.start(ctx);
                return true;
            }
            Msg::Cancel => {
                if let RunState::Running { id, .. } = self.state {
                    ctx.props().compute.cancel(id);
                }
                return false;
            }
            Msg::Event(event) => {
                match event {
                    RunEvent::Progress { done, total } => {
                        if let RunState::Running {
                            done: d, total: t, ..
                        } = &mut self.state
                        {
                            (*d, *t) = (done, total);
                        }
                    }
                    RunEvent::Finished(results) => self.finish(results),
                    RunEvent::Cancelled => self.state = RunState::Cancelled,
                    RunEvent::Failed(e) => self.state = RunState::Error(e),
                }
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
