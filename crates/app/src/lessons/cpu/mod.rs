//! The CPU lab: why single cores stopped getting faster and what chips do instead, as four
//! model views over `parlab_model::cpu` (nothing in them is measured): power against clock and
//! the same-watts trade to more cores, fifty years of microprocessor data, a superscalar core
//! cycle by cycle, and two hardware threads sharing one core (SMT); and a fifth view, the
//! multi-core die lit by the tab's latest real run.

mod cycles;
mod die;
mod power;
mod smt;
mod superscalar;
mod trends;

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::html::Scope;
use yew::prelude::*;

use super::{Lesson, LessonProps};
use crate::components::Notes;
use crate::url::{self, Query};

pub const LESSON: Lesson = Lesson {
    route: "cpu",
    title: "CPU lab",
    summary: "Why clocks stopped rising: power vs frequency, 50 years of chip data, superscalar issue, hyper-threading",
    view: |props| html! { <CpuLesson ..props /> },
};

/// Which view of the lab is shown (`view=`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    Power,
    Trends,
    Superscalar,
    Smt,
    Die,
}

impl Tab {
    const ALL: [Tab; 5] = [Tab::Power, Tab::Trends, Tab::Superscalar, Tab::Smt, Tab::Die];

    fn name(self) -> &'static str {
        match self {
            Tab::Power => "power",
            Tab::Trends => "trends",
            Tab::Superscalar => "superscalar",
            Tab::Smt => "smt",
            Tab::Die => "die",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Tab::Power => "Power and clock",
            Tab::Trends => "50 years of chips",
            Tab::Superscalar => "Superscalar core",
            Tab::Smt => "Hyper-threading (SMT)",
            Tab::Die => "Multi-core die (your run)",
        }
    }

    fn parse(s: &str) -> Option<Tab> {
        Tab::ALL.into_iter().find(|t| t.name() == s)
    }
}

/// Everything the URL carries (conventions.md: every control lives in the query).
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    pub tab: Tab,
    pub power: power::PowerSettings,
    pub trends: trends::TrendSettings,
    pub ss: superscalar::SsSettings,
    pub smt: smt::SmtSettings,
    pub die: die::DieSettings,
}

impl Settings {
    fn read(q: &Query, notes: &mut Vec<String>) -> Settings {
        Settings {
            tab: q.choice("view", Tab::Power, Tab::parse, notes),
            power: power::PowerSettings::read(q, notes),
            trends: trends::TrendSettings::read(q, notes),
            ss: superscalar::SsSettings::read(q, notes),
            smt: smt::SmtSettings::read(q, notes),
            die: die::DieSettings::read(q, notes),
        }
    }

    fn write(&self) {
        let mut route = url::current();
        let q = &mut route.query;
        q.set("view", self.tab.name());
        self.power.write(q);
        self.trends.write(q);
        self.ss.write(q);
        self.smt.write(q);
        self.die.write(q);
        url::replace(&route);
    }
}

/// A change to the settings.
pub type Edit = Box<dyn FnOnce(&mut Settings)>;

pub enum Msg {
    Set(Edit),
    Play,
    Pause,
    Tick,
    DismissNotes,
}

pub struct CpuLesson {
    settings: Settings,
    notes: Vec<String>,
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
    fn play(&mut self, ctx: &Context<Self>) {
        let ss = &mut self.settings.ss;
        if ss.cycle >= ss.last_cycle() {
            ss.cycle = 0;
        }
        self.ticker = superscalar::Ticker::start(ctx.link(), ss.speed);
    }

    fn maybe_autoplay(&mut self, ctx: &Context<Self>) {
        if self.autoplay && self.settings.tab == Tab::Superscalar {
            self.autoplay = false;
            self.play(ctx);
        }
    }
}

impl Component for CpuLesson {
    type Message = Msg;
    type Properties = LessonProps;

    fn create(ctx: &Context<Self>) -> Self {
        let mut notes = Vec::new();
        let q = &ctx.props().query;
        let mut settings = Settings::read(q, &mut notes);
        settings.ss.normalize(&mut notes);
        settings.write();
        let autoplay = q.get("cycle").is_none() && !reduced_motion();
        let mut lesson = CpuLesson { settings, notes, ticker: None, autoplay };
        lesson.maybe_autoplay(ctx);
        lesson
    }

    /// Re-renders only for what the lab shows: not for the compute workers' start-up status,
    /// which it does not use. A re-render resets an input to its state value, so one at the
    /// moment the workers became ready used to wipe a year the user was still typing.
    fn changed(&mut self, ctx: &Context<Self>, old: &Self::Properties) -> bool {
        let new = ctx.props();
        (&new.compute, &new.query, &new.theme, new.layout)
            != (&old.compute, &old.query, &old.theme, old.layout)
    }

    fn rendered(&mut self, _ctx: &Context<Self>, _first_render: bool) {
        let s = &self.settings;
        match s.tab {
            Tab::Power => power::draw(&s.power),
            Tab::Trends => trends::draw(&s.trends),
            Tab::Superscalar => superscalar::draw(&s.ss),
            Tab::Smt => smt::draw(&s.smt),
            Tab::Die => {}
        }
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
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
                    return false;
                }
                ss.cycle += 1;
                if ss.cycle >= ss.last_cycle() {
                    self.ticker = None;
                }
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
            Tab::Power => power::view(&s.power, link),
            Tab::Trends => trends::view(&s.trends, link),
            Tab::Superscalar => superscalar::view(&s.ss, link, self.ticker.is_some()),
            Tab::Smt => smt::view(&s.smt, link, ctx.props().compute.plan().pool),
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
                <Notes notes={self.notes.clone()} on_dismiss={link.callback(|_| Msg::DismissNotes)} />
                <div class="tabs" role="tablist">
                    { for Tab::ALL.into_iter().map(tab) }
                </div>
                { body }
            </section>
        }
    }
}

/// A callback applying `f` to the settings.
fn edit(link: &Scope<CpuLesson>, f: impl Fn(&mut Settings) + 'static) -> Callback<()> {
    let f = std::rc::Rc::new(f);
    link.callback(move |()| {
        let f = f.clone();
        Msg::Set(Box::new(move |s| f(s)))
    })
}

/// A callback for a range or number input: `f(settings, value)`; unparsable input is ignored.
fn on_number(
    link: &Scope<CpuLesson>,
    f: impl Fn(&mut Settings, f64) + 'static,
) -> Callback<InputEvent> {
    let f = std::rc::Rc::new(f);
    link.batch_callback(move |e: InputEvent| {
        let v = e.target_unchecked_into::<HtmlInputElement>().value().trim().parse::<f64>().ok()?;
        let f = f.clone();
        Some(Msg::Set(Box::new(move |s| f(s, v))))
    })
}

/// A callback for a `<select>`: `f(settings, value)`.
fn on_select(
    link: &Scope<CpuLesson>,
    f: impl Fn(&mut Settings, &str) + 'static,
) -> Callback<Event> {
    let f = std::rc::Rc::new(f);
    link.callback(move |e: Event| {
        let v = e.target_unchecked_into::<HtmlSelectElement>().value();
        let f = f.clone();
        Msg::Set(Box::new(move |s| f(s, &v)))
    })
}

/// A labelled range slider (`min`, `max`, `step`) with its current value spoken as `valuetext`.
#[allow(clippy::too_many_arguments)]
fn slider(
    testid: &'static str,
    label: String,
    (min, max, step): (f64, f64, f64),
    value: f64,
    valuetext: String,
    hint: Html,
    oninput: Callback<InputEvent>,
) -> Html {
    html! {
        <label class="control wide">
            <span>{ label }</span>
            <input type="range" min={min.to_string()} max={max.to_string()} step={step.to_string()}
                value={value.to_string()} data-testid={testid} {oninput} aria-valuetext={valuetext} />
            { hint }
        </label>
    }
}

/// Reads the element with `id` as a canvas.
fn canvas(id: &str) -> Option<web_sys::HtmlCanvasElement> {
    use wasm_bindgen::JsCast;
    web_sys::window()?.document()?.get_element_by_id(id)?.dyn_into().ok()
}

/// Logs a drawing failure (a plot that cannot draw must not break the page).
fn report(result: Result<(), String>) {
    if let Err(e) = result {
        web_sys::console::warn_1(&e.into());
    }
}

#[cfg(test)]
mod tests;
