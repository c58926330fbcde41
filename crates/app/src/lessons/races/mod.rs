//! Races, locks and deadlocks: a real lost-update race on real threads with its fixes timed,
//! an interleaving explorer where the user is the scheduler, and a real deadlock that is
//! detected and recovered from, so the page never hangs.

mod deadlock;
mod explorer;
mod real;

use yew::prelude::*;

use super::{Change, Ctx, Lesson, Section};
use crate::params::{self, Lim, Param, UrlState};
use crate::url::Query;

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

const K: Param = params::int("k", "pool", Lim::N(2), Lim::Pool, "Threads racing (at least 2).");
const M: Param = params::custom(
    "m",
    "1000000",
    "10000, 100000, 1000000, 4000000 (others: the nearest)",
    "Increments per thread.",
);
const REPEATS: Param =
    params::int("repeats", "20", Lim::N(1), Lim::N(100), "Runs of the racy counter (histogram).");
const ORDER: Param = params::custom(
    "order",
    "opposite",
    "opposite, consistent",
    "Lock order of the deadlock's two threads.",
);
const TRIALS: Param = params::int("trials", "10", Lim::N(1), Lim::N(50), "Deadlock trials.");
const PRESET: Param = params::custom(
    "preset",
    "counter",
    "a program of the interleaving explorer",
    "The explorer's program.",
)
.control("[data-testid=\"explorer-preset\"]");
const SCHEDULE: Param = params::custom(
    "schedule",
    "",
    "comma list of thread numbers",
    "The explorer's steps so far (which thread ran each step).",
)
.control("[data-testid^=\"step-\"]");

impl UrlState for Settings {
    fn params() -> Vec<Param> {
        vec![K, M, REPEATS, ORDER, TRIALS, PRESET, SCHEDULE]
    }

    fn read(q: &Query, pool: usize, notes: &mut Vec<String>) -> Settings {
        let asked = M.int_in(q, 1..=4_000_000, notes) as u64;
        // The nearest offered value (the select shows only these).
        let m = *M_CHOICES.iter().min_by_key(|&&c| c.abs_diff(asked)).unwrap_or(&1_000_000);
        if m != asked {
            notes.push(format!("m={asked} is not offered; using {m}."));
        }
        let preset = PRESET.raw(q).unwrap_or(PRESET.default).to_string();
        let preset = if parlab_model::interleave::preset(&preset).is_some() {
            preset
        } else {
            notes.push(format!("preset={preset} is not a known program; using counter."));
            PRESET.default.into()
        };
        let raw = SCHEDULE.raw(q).unwrap_or_default();
        let steps: Vec<&str> = raw.split(',').map(str::trim).filter(|x| !x.is_empty()).collect();
        let schedule: Vec<usize> = steps.iter().filter_map(|x| x.parse().ok()).collect();
        if schedule.len() != steps.len() {
            notes.push(format!(
                "schedule={raw} has entries that are not thread numbers; they were left out."
            ));
        }
        Settings {
            k: K.int(q, pool.clamp(2, 64), notes),
            m,
            repeats: REPEATS.int(q, pool, notes),
            order_opposite: q.choice(
                ORDER.key,
                true,
                |o| match o {
                    "opposite" => Some(true),
                    "consistent" => Some(false),
                    _ => None,
                },
                notes,
            ),
            trials: TRIALS.int(q, pool, notes),
            preset,
            schedule,
        }
    }

    fn write(&self, q: &mut Query) {
        K.put(q, self.k);
        M.put(q, self.m);
        REPEATS.put(q, self.repeats);
        ORDER.put(q, if self.order_opposite { "opposite" } else { "consistent" });
        TRIALS.put(q, self.trials);
        PRESET.put(q, &self.preset);
        SCHEDULE.put_list(q, &self.schedule);
    }
}

/// A change to the settings, sent up by a section.
pub type Edit = Box<dyn FnOnce(&mut Settings)>;

pub enum Msg {
    Set(Edit),
}

pub struct RacesLesson {
    settings: Settings,
}

impl Lesson for RacesLesson {
    const ROUTE: &'static str = "races";
    const TITLE: &'static str = "Races & locks";
    const SUMMARY: &'static str =
        "Lost updates on real threads, you as the scheduler, and a deadlock that never hangs";
    const SECTIONS: &'static [Section] = &[
        Section { id: "race", title: "A real race on real threads, with its fixes timed" },
        Section { id: "explorer", title: "You are the scheduler (the interleaving explorer)" },
        Section { id: "deadlock", title: "A real deadlock, contained" },
    ];
    const PREDICTS: bool = true;
    type Settings = Settings;
    type Msg = Msg;

    fn create(settings: Settings, _ctx: &Ctx<Self>) -> Self {
        RacesLesson { settings }
    }

    fn settings(&self) -> &Settings {
        &self.settings
    }

    fn update(&mut self, _ctx: &Ctx<Self>, msg: Msg) -> Change {
        let Msg::Set(f) = msg;
        f(&mut self.settings);
        Change::Settings
    }

    fn view(&self, ctx: &Ctx<Self>, notes: Html) -> Html {
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
                { notes }
                <div data-section="race">
                    <real::RealRace compute={ctx.props().compute.clone()} status={ctx.props().status.clone()}
                        settings={s.clone()} on_set={set.clone()} {auto_run}
                        ask={crate::predict::asked(&ctx.props().query)} />
                </div>
                <div data-section="explorer">
                    <h2>{ "You are the scheduler" }</h2>
                    <p class="caption">
                        { "The operating system decides which thread runs next, and it can switch between any two steps. \
                           Here you decide: click a thread to run its next atomic step, and try to break the program." }
                    </p>
                    <explorer::Explorer preset={s.preset.clone()} schedule={s.schedule.clone()} on_change={on_explorer} />
                </div>
                <div data-section="deadlock">
                    <deadlock::RealDeadlock compute={ctx.props().compute.clone()} status={ctx.props().status.clone()}
                        settings={s.clone()} on_set={set} />
                </div>
            </section>
        }
    }
}
