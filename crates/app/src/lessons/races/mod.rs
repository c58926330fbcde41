//! Races, locks and deadlocks: a real lost-update race on real threads with its fixes timed,
//! an interleaving explorer where the user is the scheduler, and a real deadlock that is
//! detected and recovered from, so the page never hangs.

mod explorer;
mod real;

use yew::prelude::*;

use super::{Lesson, LessonProps};
use crate::url::{self, Query};

pub const LESSON: Lesson = Lesson {
    route: "races",
    title: "Races & locks",
    summary: "Lost updates on real threads, you as the scheduler, and a deadlock that never hangs",
    view: |props| html! { <RacesLesson ..props /> },
};

/// The lesson's URL state.
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    /// Threads racing (2..=pool).
    pub k: usize,
    /// Increments per thread.
    pub m: u64,
    /// Repetitions of the racy run (for the histogram).
    pub repeats: usize,
    pub order_opposite: bool,
    pub trials: usize,
    pub preset: String,
    pub schedule: Vec<usize>,
}

/// Increments per thread a user may pick.
pub const M_CHOICES: [u64; 4] = [10_000, 100_000, 1_000_000, 4_000_000];

impl Settings {
    fn read(q: &Query, pool: usize, notes: &mut Vec<String>) -> Settings {
        let asked = q.int("m", 1_000_000, 1..=4_000_000, notes) as u64;
        // The nearest offered value (the select shows only these).
        let m = *M_CHOICES.iter().min_by_key(|&&c| c.abs_diff(asked)).unwrap_or(&1_000_000);
        if m != asked {
            notes.push(format!("m={asked} is not offered; using {m}."));
        }
        let preset = q.get("preset").unwrap_or("counter").to_string();
        let preset = if parlab_model::interleave::preset(&preset).is_some() {
            preset
        } else {
            notes.push(format!("preset={preset} is not a known program; using counter."));
            "counter".into()
        };
        let raw = q.get("schedule").unwrap_or_default();
        let steps: Vec<&str> = raw.split(',').map(str::trim).filter(|x| !x.is_empty()).collect();
        let schedule: Vec<usize> = steps.iter().filter_map(|x| x.parse().ok()).collect();
        if schedule.len() != steps.len() {
            notes.push(format!(
                "schedule={raw} has entries that are not thread numbers; they were left out."
            ));
        }
        Settings {
            k: q.int("k", pool.clamp(2, 64), 2..=pool.max(2), notes),
            m,
            repeats: q.int("repeats", 20, 1..=100, notes),
            order_opposite: q.choice(
                "order",
                true,
                |o| match o {
                    "opposite" => Some(true),
                    "consistent" => Some(false),
                    _ => None,
                },
                notes,
            ),
            trials: q.int("trials", 10, 1..=50, notes),
            preset,
            schedule,
        }
    }

    fn write(&self) {
        let mut route = url::current();
        let q = &mut route.query;
        q.set("k", self.k);
        q.set("m", self.m);
        q.set("repeats", self.repeats);
        q.set("order", if self.order_opposite { "opposite" } else { "consistent" });
        q.set("trials", self.trials);
        q.set("preset", &self.preset);
        q.set("schedule", url::join(&self.schedule));
        url::replace(&route);
    }
}

/// A change to the settings, sent up by a section.
pub type Edit = Box<dyn FnOnce(&mut Settings)>;

pub enum Msg {
    Set(Edit),
    DismissNotes,
}

pub struct RacesLesson {
    settings: Settings,
    notes: Vec<String>,
}

impl Component for RacesLesson {
    type Message = Msg;
    type Properties = LessonProps;

    fn create(ctx: &Context<Self>) -> Self {
        let mut notes = Vec::new();
        let pool = ctx.props().compute.plan().pool;
        let settings = Settings::read(&ctx.props().query, pool, &mut notes);
        settings.write();
        RacesLesson { settings, notes }
    }

    fn update(&mut self, _ctx: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::Set(f) => {
                f(&mut self.settings);
                self.settings.write();
            }
            Msg::DismissNotes => self.notes.clear(),
        }
        true
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let set = link.callback(Msg::Set);
        let s = &self.settings;
        let on_explorer = link.callback(|(preset, schedule): (String, Vec<usize>)| {
            Msg::Set(Box::new(move |s: &mut Settings| {
                s.preset = preset;
                s.schedule = schedule;
            }))
        });
        let auto_run = ctx.props().query.get("run") == Some("1");
        html! {
            <section class="lesson races">
                <h1>{ "Races, locks and deadlocks" }</h1>
                <p class="lead">
                    { "Threads of one process share memory. When two of them read, change and write the same \
                       variable, the result depends on how their steps interleave, and updates get lost. A lock \
                       makes the read-change-write one step for everyone who takes the lock, but two locks taken \
                       in opposite orders can leave two threads waiting for each other for ever." }
                </p>
                <crate::components::Notes notes={self.notes.clone()} on_dismiss={link.callback(|_| Msg::DismissNotes)} />
                <real::RealRace compute={ctx.props().compute.clone()} status={ctx.props().status.clone()}
                    settings={s.clone()} on_set={set.clone()} {auto_run} />
                <h2>{ "You are the scheduler" }</h2>
                <p class="caption">
                    { "The operating system decides which thread runs next, and it can switch between any two steps. \
                       Here you decide: click a thread to run its next atomic step, and try to break the program." }
                </p>
                <explorer::Explorer preset={s.preset.clone()} schedule={s.schedule.clone()} on_change={on_explorer} />
                <real::RealDeadlock compute={ctx.props().compute.clone()} status={ctx.props().status.clone()}
                    settings={s.clone()} on_set={set} />
            </section>
        }
    }
}
