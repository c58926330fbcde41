//! "Serial vs parallel": one real kernel on 1 thread and on several, timed, with a timeline of
//! which thread computed which chunk. The smallest complete example of the pattern every
//! measured lesson follows: controls ↔ URL, a [`Runner`], a results table.

mod view;

use parlab_kernels::measure::Job;
use parlab_kernels::schedule::Schedule;
use parlab_kernels::{KernelSpec, Size};
use yew::prelude::*;

use super::runner::{REPS, Runner};
use super::{Change, Ctx, Lesson};
use crate::compute::RunEvent;
use crate::params::{self, Lim, Param, UrlState};
use crate::predict::{self, Answer, Question, Slot};
use crate::url::{self, Query};

/// The lesson's URL state.
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    pub size: Size,
    pub threads: Vec<usize>,
    pub reps: usize,
}

const SIZE: Param = params::choice::<Size>("size", "medium", "Problem size (numbers tested).");
const THREADS: Param =
    params::list("threads", "1,pool", Lim::N(1), Lim::Pool, "Thread counts the run sweeps.")
        .control("[data-testid^=\"threads-\"]");
const REPS_P: Param =
    params::int("reps", "3", Lim::N(1), Lim::N(20), "Timed repetitions per thread count.");

impl UrlState for Settings {
    fn params() -> Vec<Param> {
        vec![SIZE, THREADS, REPS_P]
    }

    fn read(q: &Query, pool: usize, notes: &mut Vec<String>) -> Settings {
        Settings {
            size: SIZE.choice(q, notes),
            threads: THREADS.list(q, pool, notes),
            reps: REPS_P.int(q, pool, notes),
        }
    }

    fn write(&self, q: &mut Query) {
        SIZE.put_choice(q, self.size);
        THREADS.put_list(q, &self.threads);
        REPS_P.put(q, self.reps);
    }
}

pub enum Msg {
    Size(Size),
    ToggleThreads(usize),
    Reps(usize),
    Run,
    Cancel,
    Event(RunEvent),
    Predict(Option<Answer>),
}

pub struct SerialLesson {
    settings: Settings,
    runner: Runner,
    /// The timeline canvas of each thread count (index = threads).
    timelines: Vec<NodeRef>,
    predict: Slot,
}

impl SerialLesson {
    fn timeline(&self, threads: usize) -> NodeRef {
        self.timelines.get(threads).cloned().unwrap_or_default()
    }

    fn pool(ctx: &Ctx<Self>) -> usize {
        ctx.props().compute.plan().pool
    }

    /// "What speedup will N threads give?" for the largest thread count (needs 1 and another).
    fn question(&self) -> Option<Question> {
        let t = &self.settings.threads;
        let n = t.iter().copied().max()?;
        (n > 1 && t.contains(&1)).then(|| predict::explain::speedup_question(n))
    }

    /// The finished run's speedup on its largest thread count, and why it is what it is.
    fn measured(&self) -> Option<(Answer, String)> {
        if *self.runner.state() != super::runner::RunState::Done {
            return None;
        }
        let row = self.runner.rows.iter().max_by_key(|r| r.threads)?;
        let s = row.speedup?;
        Some((Answer::Number(s), predict::explain::serial(row.threads, s)))
    }

    fn start(&mut self, ctx: &Ctx<Self>) {
        let s = &self.settings;
        let job = Job {
            spec: KernelSpec::primes(s.size),
            threads: s.threads.clone(),
            reps: s.reps,
            schedule: Schedule::Dynamic,
            serial_share: 0.0,
        };
        self.runner.start(&ctx.props().compute, job, ctx.link().callback(Msg::Event));
    }
}

impl Lesson for SerialLesson {
    const ROUTE: &'static str = "serial";
    const TITLE: &'static str = "Serial vs parallel";
    const SUMMARY: &'static str =
        "Count primes on one thread, then on all of them: time, speedup and who did what";
    const PREDICTS: bool = true;
    type Settings = Settings;
    type Msg = Msg;

    fn create(settings: Settings, ctx: &Ctx<Self>) -> Self {
        // One NodeRef each (cloning a NodeRef shares it).
        let timelines = (0..=crate::compute::env::MAX_POOL).map(|_| NodeRef::default()).collect();
        let predict = Slot::new(&ctx.props().query);
        SerialLesson { settings, runner: Runner::default(), timelines, predict }
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
        let s = &mut self.settings;
        match msg {
            Msg::Size(z) => s.size = z,
            Msg::ToggleThreads(t) => url::toggle(&mut s.threads, t),
            Msg::Reps(r) => s.reps = r.clamp(*REPS.start(), *REPS.end()),
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
            Msg::Event(event) => {
                let progress = matches!(event, RunEvent::Progress { .. });
                self.runner.handle(event);
                return if progress { Change::Progress } else { Change::Redraw };
            }
        }
        Change::Settings
    }

    fn view(&self, ctx: &Ctx<Self>, notes: Html) -> Html {
        view::view(self, ctx, notes)
    }

    /// Draws the timelines.
    fn draw(&self, ctx: &Ctx<Self>) {
        view::draw_timelines(self, Self::pool(ctx));
    }
}
