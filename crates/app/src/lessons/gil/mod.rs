//! Threads vs processes and the GIL. (Stand-in for testing the message-passing section on its
//! own: the full lesson replaces this file and renders [`messages::MessagePassing`] as one of
//! its parts.)

/// Shared memory vs message passing, measured; pickle vs dill.
pub mod messages;

use yew::prelude::*;

use super::Lesson;

/// The registry entry (route `gil`).
pub const LESSON: Lesson = Lesson {
    route: "gil",
    title: "Threads vs processes",
    summary: "What it costs to hand work to another worker: copy, transfer, share; pickle vs dill",
    view: |props| {
        html! {
            <section class="lesson gil">
                <h1>{ "Threads vs processes" }</h1>
                <messages::MessagePassing ..props />
            </section>
        }
    },
};
