//! The "Challenges" panel a lesson shows: its levels with solved, open and locked marks, and a
//! reset. It is also where evidence is judged: each new piece the lesson hands in is added to
//! this visit's history, the open levels are checked against it, and wins are stored.

use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

use super::evidence::Evidence;
use super::levels::{Level, of_lesson};
use super::progress::{self, Progress};

/// Most pieces of evidence kept per visit (only the SIMD tour needs more than the latest).
const HISTORY: usize = 32;

#[derive(Properties, PartialEq)]
pub struct ChallengesProps {
    /// The lesson's route (its levels are shown).
    pub lesson: &'static str,
    /// The latest thing the learner did (a snapshot or a finished run), if any.
    pub evidence: Option<Rc<Evidence>>,
}

/// The lesson's challenges.
#[function_component]
pub fn Challenges(props: &ChallengesProps) -> Html {
    let progress = use_state(progress::load);
    let history = use_mut_ref(Vec::<Evidence>::new);
    {
        let (progress, history, lesson) = (progress.clone(), history.clone(), props.lesson);
        use_effect_with(props.evidence.clone(), move |evidence| {
            if let Some(e) = evidence {
                judge(lesson, e, &history, &progress);
            }
        });
    }
    let on_reset = {
        let (progress, lesson) = (progress.clone(), props.lesson);
        Callback::from(move |_: MouseEvent| {
            // Re-read: another lesson's tab may have solved something meanwhile.
            let mut p = progress::load();
            p.reset(lesson);
            progress::save(&p);
            progress.set(p);
        })
    };
    let (solved, total) = progress.count(Some(props.lesson));
    html! {
        <details class="challenges" data-testid="challenges" data-lesson={props.lesson} open=true
            data-solved={solved.to_string()} data-total={total.to_string()}>
            <summary>
                <strong>{ "Challenges" }</strong>
                <span class="muted">{ format!(" — {solved} of {total} solved") }</span>
            </summary>
            <ol class="challenge-list">
                { for of_lesson(props.lesson).enumerate().map(|(i, l)| level(i + 1, l, &progress)) }
            </ol>
            <p class="challenge-foot">
                <span class="hint">{ "Progress is kept in this browser only." }</span>
                <button data-testid="challenges-reset" onclick={on_reset} disabled={solved == 0}>
                    { "Reset these challenges" }
                </button>
            </p>
        </details>
    }
}

/// Adds `evidence` to the history and stores any level it wins.
fn judge(
    lesson: &'static str,
    evidence: &Evidence,
    history: &Rc<RefCell<Vec<Evidence>>>,
    progress: &UseStateHandle<Progress>,
) {
    let mut h = history.borrow_mut();
    h.push(evidence.clone());
    if h.len() > HISTORY {
        h.remove(0);
    }
    let mut p = progress::load();
    if !p.apply(lesson, &h).is_empty() {
        progress::save(&p);
    }
    if p != **progress {
        progress.set(p);
    }
}

/// Level number `n` of its lesson: a mark (✓ or its number), its goal once open, and its proof
/// and why once solved.
fn level(n: usize, l: &Level, progress: &Progress) -> Html {
    let solved = progress.is_solved(l.id);
    let open = progress.is_unlocked(l);
    let (mark, label, state) = match (solved, open) {
        (true, _) => ("✓".to_string(), "Solved", "solved"),
        (false, true) => (n.to_string(), "Open", "open"),
        (false, false) => (n.to_string(), "Locked", "locked"),
    };
    html! {
        <li class={classes!("challenge", format!("challenge-{state}"))} data-testid="challenge" data-level={l.id}
            data-solved={solved.to_string()} data-state={state}>
            <span class="challenge-mark" role="img" aria-label={format!("{label}, level {n}")}>{ mark }</span>
            <div class="challenge-body">
                <strong>{ l.title }</strong>
                if open || solved {
                    <p class="challenge-goal">{ l.goal }</p>
                } else {
                    <span class="muted">{ " — opens when the one above is solved" }</span>
                }
                if let Some(proof) = progress.proof(l.id) {
                    <p class="challenge-proof" data-testid="challenge-proof">{ proof }</p>
                    <p class="challenge-why">{ l.why }</p>
                }
            </div>
        </li>
    }
}

/// A one-line "k of n challenges solved" for the overview's card of `lesson` (empty for a
/// lesson without challenges).
pub fn card_summary(lesson: &str) -> Html {
    let (solved, total) = progress::load().count(Some(lesson));
    if total == 0 {
        return Html::default();
    }
    html! {
        <p class={classes!("challenge-summary", (solved > 0).then_some("some"))} data-testid="challenge-summary" data-lesson={lesson.to_string()}
            data-solved={solved.to_string()} data-total={total.to_string()}>
            { format!("Challenges: {solved} of {total} solved") }
        </p>
    }
}
