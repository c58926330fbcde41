//! The one host every lesson runs in, so the lifecycle lives in one place.
//!
//! A lesson implements [`Lesson`] (egui_demo_lib's `Demo` is the model: a name, its state, a
//! view). [`Host`] owns what every lesson used to repeat: reading the route's query into the
//! lesson's [`UrlState`] with clamping notes, writing the URL after an edit, the dismissible
//! notes, `run=1` auto-start once the workers are ready, and the redraw rule — canvases are
//! drawn again only when data, settings, theme or size changed, never on a progress tick, so the
//! page takes nothing from the cores a run is measured on.

use yew::prelude::*;

use super::LessonProps;
use crate::components::Notes;
use crate::compute::Status;
use crate::params::{Param, UrlState};
use crate::predict::{Question, Slot};
use crate::url;

/// What an update changed, so the host knows whether to re-render, redraw and write the URL.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    /// Nothing visible.
    None,
    /// Only a progress count: re-render the DOM, keep the canvases.
    Progress,
    /// Data changed: re-render and redraw.
    Redraw,
    /// Settings changed: write them to the URL, re-render and redraw.
    Settings,
}

/// A part of a lesson that can be embedded alone (`section=<id>`): the lesson's view marks it
/// with `data-section="<id>"` on a child of its `.lesson` element.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Section {
    pub id: &'static str,
    /// What it shows, for the docs and the Embed dialog.
    pub title: &'static str,
}

/// A lesson: its settings (declared URL parameters), state, messages, view and canvases.
pub trait Lesson: Sized + 'static {
    /// Hash route without `#/` (`""` is the overview).
    const ROUTE: &'static str;
    /// The navigation title.
    const TITLE: &'static str;
    /// One line for the overview and the navigation tooltip.
    const SUMMARY: &'static str;
    /// Re-render when only the workers' start-up status changed. Model-only lessons say no: a
    /// re-render resets an input the user is typing in to its state value.
    const USES_STATUS: bool = true;
    /// The parts that can be embedded alone (`section=<id>`).
    const SECTIONS: &'static [Section] = &[];
    /// The lesson asks for a prediction before its run ([`crate::predict`], `ask=1`).
    const PREDICTS: bool = false;

    /// Everything the URL carries.
    type Settings: UrlState;
    /// The lesson's messages (`ctx.link().callback(Msg::…)` works as in any component).
    type Msg: 'static;

    /// The lesson's state for settings read from the URL.
    fn create(settings: Self::Settings, ctx: &Ctx<Self>) -> Self;
    /// The settings to write to the URL.
    fn settings(&self) -> &Self::Settings;
    /// Applies a message.
    fn update(&mut self, ctx: &Ctx<Self>, msg: Self::Msg) -> Change;
    /// The lesson's DOM; `notes` (the URL notes) goes below its lead paragraph.
    fn view(&self, ctx: &Ctx<Self>, notes: Html) -> Html;
    /// Draws the canvases (called after a render when something they show changed).
    fn draw(&self, _ctx: &Ctx<Self>) {}
    /// The message that starts the measured run (`run=1`), if the lesson has one.
    fn run_message() -> Option<Self::Msg> {
        None
    }
    /// The lesson's prediction slot and the question for its next run (`None` when these
    /// settings ask none), if it keeps one in its state ([`crate::predict`]). The default, no
    /// slot, never blocks the run.
    fn prediction(&self) -> Option<(&Slot, Option<Question>)> {
        None
    }
    /// The run waits for something the student must do first (a prediction with `ask=1`,
    /// [`crate::predict`]): `run=1` starts it only once this is false.
    fn run_blocked(&self) -> bool {
        self.prediction().is_some_and(|(slot, question)| slot.blocks(question.as_ref()).is_some())
    }
}

/// A lesson's component context.
pub type Ctx<L> = Context<Host<L>>;

/// The generic component that runs a [`Lesson`].
pub struct Host<L: Lesson> {
    lesson: L,
    notes: Vec<String>,
    /// `run=1`: start once the workers are ready.
    auto_start: bool,
    /// The canvases need drawing again.
    stale: bool,
    /// `section=<id>`: show only this part.
    section: Option<&'static str>,
    /// `lock=<keys>` and `hide=<keys>`: the controls of these parameters are read-only or hidden.
    lock: Vec<Param>,
    hide: Vec<Param>,
    root: NodeRef,
}

impl<L: Lesson> Host<L> {
    fn write_url(&self) {
        let mut route = url::current();
        self.lesson.settings().write(&mut route.query);
        url::replace(&route);
    }

    fn take_auto_start(&mut self, ctx: &Ctx<L>) -> Option<L::Msg> {
        if !self.auto_start || ctx.props().status != Status::Ready || self.lesson.run_blocked() {
            return None;
        }
        self.auto_start = false;
        L::run_message()
    }
}

impl<L: Lesson> Component for Host<L> {
    type Message = L::Msg;
    type Properties = LessonProps;

    fn create(ctx: &Context<Self>) -> Self {
        let props = ctx.props();
        let mut notes = Vec::new();
        let settings = L::Settings::read(&props.query, props.compute.plan().pool, &mut notes);
        let lesson = L::create(settings, ctx);
        let auto_start = props.query.get("run") == Some("1") && L::run_message().is_some();
        let ask = crate::predict::ASK.flag(&props.query, &mut notes);
        if ask && L::PREDICTS && props.query.get("run") == Some("1") {
            notes.push(
                "run=1 with ask=1: the run starts once you have entered your prediction, not before."
                    .into(),
            );
        }
        let section = read_section(&props.query, L::SECTIONS, &mut notes);
        let params = L::Settings::params();
        let lock = read_keys(&props.query, "lock", &params, &mut notes);
        let hide = read_keys(&props.query, "hide", &params, &mut notes);
        let host = Host {
            lesson,
            notes,
            auto_start,
            stale: true,
            section,
            lock,
            hide,
            root: NodeRef::default(),
        };
        host.write_url();
        host
    }

    fn changed(&mut self, ctx: &Context<Self>, old: &Self::Properties) -> bool {
        let new = ctx.props();
        let shown = (&new.compute, &new.query, &new.theme, new.layout)
            != (&old.compute, &old.query, &old.theme, old.layout);
        let status = new.status != old.status;
        if let Some(run) = self.take_auto_start(ctx) {
            ctx.link().send_message(run);
        }
        let render = shown || (status && L::USES_STATUS);
        self.stale |= render;
        render
    }

    fn rendered(&mut self, ctx: &Context<Self>, first_render: bool) {
        if first_render && let Some(run) = self.take_auto_start(ctx) {
            ctx.link().send_message(run);
        }
        if std::mem::take(&mut self.stale) {
            self.lesson.draw(ctx);
        }
        self.apply_lock_and_hide();
        if let Some(root) = self.root.cast::<web_sys::Element>() {
            crate::a11y::label_scroll_areas(&root);
        }
    }

    fn update(&mut self, ctx: &Context<Self>, msg: L::Msg) -> bool {
        let change = self.lesson.update(ctx, msg);
        // `run=1` that waited for a prediction starts once it is entered.
        if let Some(run) = self.take_auto_start(ctx) {
            ctx.link().send_message(run);
        }
        match change {
            Change::None => false,
            Change::Progress => true,
            Change::Redraw => {
                self.stale = true;
                true
            }
            Change::Settings => {
                self.write_url();
                self.stale = true;
                true
            }
        }
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let notes = html! { <Notes notes={self.notes.clone()} /> };
        // The instructors' panel is for the full page, not for students in an embed.
        let embedded = ctx.props().query.get("embed") == Some("1");
        // Only the chosen section (and the notes) is shown; the rule names its id.
        let only = self.section.map(|id| {
            format!(".lesson-host .lesson > [data-section]:not([data-section=\"{id}\"]) {{ display: none; }}")
        });
        html! {
            <div class="lesson-host" ref={self.root.clone()} data-section-only={self.section}>
                if let Some(css) = only { <style>{ css }</style> }
                { self.lesson.view(ctx, notes) }
                if !embedded { { super::guides::panel(L::ROUTE) } }
            </div>
        }
    }
}

impl<L: Lesson> Host<L> {
    /// Marks the controls of `lock=` keys inert (read-only, still visible) and hides those of
    /// `hide=` keys. Attributes Yew does not manage, so they survive re-renders.
    fn apply_lock_and_hide(&self) {
        use wasm_bindgen::JsCast;
        let Some(root) = self.root.cast::<web_sys::Element>() else { return };
        for (params, hide) in [(&self.lock, false), (&self.hide, true)] {
            for p in params {
                let Ok(list) = root.query_selector_all(&p.control_selector()) else { continue };
                for i in 0..list.length() {
                    let Some(el) = list.item(i).and_then(|n| n.dyn_into::<web_sys::Element>().ok())
                    else {
                        continue;
                    };
                    let target = el.closest("label, fieldset, .tabs").ok().flatten().unwrap_or(el);
                    if hide {
                        let _ = target.set_attribute("hidden", "");
                    } else {
                        let _ = target.set_attribute("inert", "");
                        let _ = target.class_list().add_1("locked");
                        let _ = target
                            .set_attribute("title", "Set by the page that embeds this lesson");
                    }
                }
            }
        }
    }
}

/// `section=<id>`: one of `sections`, or `None` with a note.
fn read_section(
    q: &crate::url::Query,
    sections: &[Section],
    notes: &mut Vec<String>,
) -> Option<&'static str> {
    let id = q.get("section").filter(|s| !s.is_empty())?;
    let found = sections.iter().find(|s| s.id == id).map(|s| s.id);
    if found.is_none() {
        let ids: Vec<&str> = sections.iter().map(|s| s.id).collect();
        notes.push(if ids.is_empty() {
            format!("section={id}: this lesson has no parts to show alone; showing all of it.")
        } else {
            format!(
                "section={id} is not a part of this lesson ({}); showing all of it.",
                ids.join(", ")
            )
        });
    }
    found
}

/// `lock=`/`hide=`: a comma list of this lesson's keys, or `all`; unknown keys get a note.
fn read_keys(
    q: &crate::url::Query,
    name: &str,
    params: &[Param],
    notes: &mut Vec<String>,
) -> Vec<Param> {
    let Some(raw) = q.get(name).filter(|s| !s.is_empty()) else { return Vec::new() };
    if raw == "all" {
        return params.iter().filter(|p| !p.action).copied().collect();
    }
    let mut out = Vec::new();
    for key in raw.split(',').map(str::trim).filter(|k| !k.is_empty()) {
        match params.iter().find(|p| p.key == key && !p.action) {
            Some(p) => out.push(*p),
            None => notes.push(format!("{name}: {key} is not a setting of this lesson; ignored.")),
        }
    }
    out
}
