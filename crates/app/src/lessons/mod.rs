//! The lesson registry. A lesson is one folder (its settings, state and view behind the
//! [`Lesson`] trait) and one line in [`LESSONS`]; the shell builds navigation and routing from
//! this list, and `docs/url-keys.md` is generated from the lessons' parameter tables.
//! `docs/adding-a-lesson.md` has the steps.

use std::rc::Rc;

use yew::prelude::*;

use crate::compute::{Compute, Status};
use crate::params::{Param, UrlState};
use crate::url::Query;

mod amdahl;
mod compare;
mod cpu;
mod gil;
pub mod guides;
pub mod host;
mod machine;
mod overview;
mod races;
pub mod run_buttons;
pub mod runner;
mod serial;
mod simd;
#[cfg(test)]
mod tests;

pub use host::{Change, Ctx, Host, Lesson, Section};

/// What every lesson receives from the shell.
#[derive(Properties, Clone, PartialEq)]
pub struct LessonProps {
    pub compute: Compute,
    /// Start-up state of the compute workers.
    pub status: Status,
    /// The route's query when the lesson was opened (the lesson owns it from then on).
    pub query: Rc<Query>,
    /// The colour scheme (`auto`, `light`, `dark`); a change makes lessons redraw their plots.
    pub theme: AttrValue,
    /// Changes when the window is resized or zoomed: lessons redraw their plots.
    pub layout: u32,
}

/// One entry of the registry, made from a [`Lesson`] by [`entry`].
pub struct Entry {
    /// Hash route without `#/` (`""` is the overview).
    pub route: &'static str,
    pub title: &'static str,
    /// One line for the overview and the navigation tooltip.
    pub summary: &'static str,
    pub view: fn(LessonProps) -> Html,
    /// The parts that can be embedded alone (`section=<id>`).
    pub sections: &'static [Section],
    /// The lesson's URL parameters (read by the docs generator and the contract tests).
    #[cfg_attr(not(test), allow(dead_code))]
    pub params: fn() -> Vec<Param>,
    /// The query the lesson writes for an empty one with `pool` threads (contract tests).
    #[cfg_attr(not(test), allow(dead_code))]
    pub defaults: fn(usize) -> (Query, Vec<String>),
}

fn view<L: Lesson>(props: LessonProps) -> Html {
    html! { <Host<L> ..props /> }
}

fn defaults<L: Lesson>(pool: usize) -> (Query, Vec<String>) {
    let mut notes = Vec::new();
    let settings = L::Settings::read(&Query::default(), pool, &mut notes);
    let mut q = Query::default();
    settings.write(&mut q);
    (q, notes)
}

/// The registry entry of `L`.
pub const fn entry<L: Lesson>() -> Entry {
    Entry {
        route: L::ROUTE,
        title: L::TITLE,
        summary: L::SUMMARY,
        view: view::<L>,
        sections: L::SECTIONS,
        params: L::Settings::params,
        defaults: defaults::<L>,
    }
}

/// Every lesson, in navigation order.
pub const LESSONS: &[Entry] = &[
    entry::<overview::Overview>(),
    entry::<serial::SerialLesson>(),
    entry::<amdahl::AmdahlLesson>(),
    entry::<cpu::CpuLesson>(),
    entry::<gil::GilLesson>(),
    entry::<races::RacesLesson>(),
    entry::<simd::SimdLesson>(),
    entry::<machine::MachineLesson>(),
    entry::<compare::CompareLesson>(),
];

/// The lesson for a route path, if any.
pub fn find(route: &str) -> Option<&'static Entry> {
    LESSONS.iter().find(|l| l.route == route)
}
