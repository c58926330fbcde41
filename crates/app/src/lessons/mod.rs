//! The lesson registry. A lesson is one folder (its view, and the glue to its model) and one
//! line in [`LESSONS`]; the shell builds navigation and routing from this list.

use std::rc::Rc;

use yew::prelude::*;

use crate::compute::{Compute, Status};
use crate::url::Query;

mod amdahl;
mod cpu;
mod gil;
mod overview;
mod races;
pub mod runner;
mod serial;

/// What every lesson receives from the shell.
#[derive(Properties, Clone, PartialEq)]
pub struct LessonProps {
    pub compute: Compute,
    /// Start-up state of the compute workers (changes re-render the lesson).
    pub status: Status,
    /// The route's query when the lesson was opened (the lesson owns it from then on).
    pub query: Rc<Query>,
    /// The colour scheme (`auto`, `light`, `dark`); a change makes lessons redraw their plots.
    pub theme: AttrValue,
    /// Changes when the window is resized or zoomed: lessons redraw their plots.
    pub layout: u32,
}

/// One entry of the registry.
pub struct Lesson {
    /// Hash route without `#/` (`""` is the overview).
    pub route: &'static str,
    pub title: &'static str,
    /// One line for the overview and the navigation tooltip.
    pub summary: &'static str,
    pub view: fn(LessonProps) -> Html,
}

/// Every lesson, in navigation order.
pub const LESSONS: &[Lesson] =
    &[overview::LESSON, serial::LESSON, amdahl::LESSON, cpu::LESSON, races::LESSON, gil::LESSON];

/// The lesson for a route path, if any.
pub fn find(route: &str) -> Option<&'static Lesson> {
    LESSONS.iter().find(|l| l.route == route)
}
