//! The CPU lab: why single cores stopped getting faster and what chips do instead, as four
//! model views over `parlab_model::cpu` (nothing in them is measured): power against clock and
//! the same-watts trade to more cores, fifty years of microprocessor data, a superscalar core
//! cycle by cycle, and two hardware threads sharing one core (SMT); and a fifth view, the
//! multi-core die lit by the tab's latest real run.

mod cycles;
mod die;
mod power;
mod power_state;
mod smt;
mod ss_state;
mod superscalar;
mod trends;

use serde::Serialize;
use yew::prelude::*;

use super::{Change, Ctx, Lesson, Section};
use crate::controls::{Edit, edit};
use crate::params::{self, Named, Param, UrlState};
use crate::url::Query;

/// Which view of the lab is shown (`view=`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Tab {
    Power,
    Trends,
    Superscalar,
    Smt,
    Die,
}

impl Named for Tab {
    const ALL: &'static [Tab] = &[Tab::Power, Tab::Trends, Tab::Superscalar, Tab::Smt, Tab::Die];
}

impl Tab {
    fn label(self) -> &'static str {
        match self {
            Tab::Power => "Power and clock",
            Tab::Trends => "50 years of chips",
            Tab::Superscalar => "Superscalar core",
            Tab::Smt => "Hyper-threading (SMT)",
            Tab::Die => "Multi-core die (your run)",
        }
    }
}

/// Everything the URL carries (conventions.md: every control lives in the query).
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    pub tab: Tab,
    pub power: power_state::PowerSettings,
    pub trends: trends::TrendSettings,
    pub ss: ss_state::SsSettings,
    pub smt: smt::SmtSettings,
    pub die: die::DieSettings,
}

const VIEW: Param =
    params::choice::<Tab>("view", "power", "Which view of the lab.").control(".lesson > .tabs");

impl UrlState for Settings {
    fn params() -> Vec<Param> {
        let mut v = vec![VIEW];
        v.extend(power_state::PARAMS);
        v.extend(trends::PARAMS);
        v.extend(ss_state::PARAMS);
        v.extend(smt::PARAMS);
        v.extend(die::PARAMS);
        v
    }

    fn read(q: &Query, _pool: usize, notes: &mut Vec<String>) -> Settings {
        let mut settings = Settings {
            tab: VIEW.choice(q, notes),
            power: power_state::PowerSettings::read(q, notes),
            trends: trends::TrendSettings::read(q, notes),
            ss: ss_state::SsSettings::read(q, notes),
            smt: smt::SmtSettings::read(q, notes),
            die: die::DieSettings::read(q, notes),
        };
        settings.ss.normalize(notes);
        settings
    }

    fn write(&self, q: &mut Query) {
        VIEW.put_choice(q, self.tab);
        self.power.write(q);
        self.trends.write(q);
        self.ss.write(q);
        self.smt.write(q);
        self.die.write(q);
    }
}

impl From<Edit<Settings>> for Msg {
    fn from(edit: Edit<Settings>) -> Msg {
        Msg::Set(edit)
    }
}

pub enum Msg {
    Set(Edit<Settings>),
    Play,
    Pause,
    Tick,
}

pub struct CpuLesson {
    settings: Settings,
    /// The shown view's plot (each view has one).
    plot: NodeRef,
    /// The superscalar animation's timer while it plays.
    ticker: Option<superscalar::Ticker>,
    /// The animation starts by itself once (unless the user prefers reduced motion).
    autoplay: bool,
}

/// `prefers-reduced-motion: reduce`.
fn reduced_motion() -> bool {
    web_sys::window()
        .and_then(|w| w.match_media("(prefers-reduced-motion: reduce)").ok().flatten())
        .is_some_and(|m| m.matches())
}

impl CpuLesson {
    fn play(&mut self, ctx: &Ctx<Self>) {
        let ss = &mut self.settings.ss;
        if ss.cycle >= ss.last_cycle() {
            ss.cycle = 0;
        }
        self.ticker = superscalar::Ticker::start(ctx.link(), ss.speed);
    }

    fn maybe_autoplay(&mut self, ctx: &Ctx<Self>) {
        if self.autoplay && self.settings.tab == Tab::Superscalar {
            self.autoplay = false;
            self.play(ctx);
        }
    }
}

impl Lesson for CpuLesson {
    const ROUTE: &'static str = "cpu";
    const TITLE: &'static str = "CPU lab";
    const SUMMARY: &'static str = "Why clocks stopped rising: power vs frequency, 50 years of chip data, superscalar issue, hyper-threading";
    /// Model views: a re-render when the workers become ready would reset an input the user
    /// is typing in (a year in the trends view).
    const USES_STATUS: bool = false;
    const SECTIONS: &'static [Section] = &[
        Section { id: "power", title: "Power and clock" },
        Section { id: "trends", title: "50 years of chips" },
        Section { id: "superscalar", title: "Superscalar core" },
        Section { id: "smt", title: "Hyper-threading (SMT)" },
        Section { id: "die", title: "Multi-core die (your run)" },
    ];
    type Settings = Settings;
    type Msg = Msg;

    fn create(mut settings: Settings, ctx: &Ctx<Self>) -> Self {
        // `section=<view>` embeds that view alone, so it is the one shown.
        if let Some(tab) = ctx.props().query.get("section").and_then(Tab::parse) {
            settings.tab = tab;
        }
        let autoplay = ctx.props().query.get("cycle").is_none() && !reduced_motion();
        let mut lesson = CpuLesson { settings, plot: NodeRef::default(), ticker: None, autoplay };
        lesson.maybe_autoplay(ctx);
        lesson
    }

    fn settings(&self) -> &Settings {
        &self.settings
    }

    fn draw(&self, _ctx: &Ctx<Self>) {
        let s = &self.settings;
        match s.tab {
            Tab::Power => power::draw(&s.power, &self.plot),
            Tab::Trends => trends::draw(&s.trends, &self.plot),
            Tab::Superscalar => superscalar::draw(&s.ss, &self.plot),
            Tab::Smt => smt::draw(&s.smt, &self.plot),
            Tab::Die => {}
        }
    }

    fn update(&mut self, ctx: &Ctx<Self>, msg: Msg) -> Change {
        match msg {
            Msg::Set(f) => {
                let before = self.settings.clone();
                f(&mut self.settings);
                let s = &mut self.settings;
                if s.ss.config() != before.ss.config() {
                    s.ss.cycle = usize::MAX;
                    self.ticker = None;
                }
                s.ss.normalize(&mut Vec::new());
                if s.tab != Tab::Superscalar {
                    self.ticker = None;
                }
                if self.ticker.is_some() && s.ss.speed != before.ss.speed {
                    self.ticker = superscalar::Ticker::start(ctx.link(), s.ss.speed);
                }
                self.maybe_autoplay(ctx);
            }
            Msg::Play => self.play(ctx),
            Msg::Pause => self.ticker = None,
            Msg::Tick => {
                let ss = &mut self.settings.ss;
                if ss.cycle >= ss.last_cycle() {
                    self.ticker = None;
                    return Change::None;
                }
                ss.cycle += 1;
                if ss.cycle >= ss.last_cycle() {
                    self.ticker = None;
                }
            }
        }
        Change::Settings
    }

    fn view(&self, ctx: &Ctx<Self>, notes: Html) -> Html {
        let link = ctx.link();
        let s = &self.settings;
        let tab = |t: Tab| {
            let current = s.tab == t;
            let onclick = edit(link, move |s| s.tab = t);
            html! {
                <button role="tab" aria-selected={current.to_string()} data-testid={format!("tab-{}", t.name())}
                    class={classes!("tab", current.then_some("current"))} onclick={onclick.reform(|_| ())}>{ t.label() }</button>
            }
        };
        let body = match s.tab {
            Tab::Power => power::view(&s.power, link, &self.plot),
            Tab::Trends => trends::view(&s.trends, link, &self.plot),
            Tab::Superscalar => superscalar::view(&s.ss, link, self.ticker.is_some(), &self.plot),
            Tab::Smt => smt::view(&s.smt, link, ctx.props().compute.plan().pool, &self.plot),
            Tab::Die => {
                die::view(&s.die, link, ctx.props().compute.plan().pool, ctx.props().layout)
            }
        };
        html! {
            <section class="lesson cpu">
                <h1>{ "CPU lab" }</h1>
                <p class="lead">
                    { "Until about 2005 every new processor ran single programs faster, mostly by raising the clock. \
                       Then the clock stopped rising and chips got more cores instead. The first four views are models \
                       (nothing in them is measured): push on them to see why. The die view shows your own latest \
                       measured run on the cores of a chip." }
                </p>
                { notes }
                <div class="tabs" role="tablist">
                    { for Tab::ALL.iter().copied().map(tab) }
                </div>
                <div data-section={s.tab.name()}>{ body }</div>
            </section>
        }
    }
}

#[cfg(test)]
mod tests;
