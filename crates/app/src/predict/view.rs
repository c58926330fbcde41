//! The prediction box a lesson places next to its Run controls, the "you predicted X —
//! measured Y" panel after a run, and the fold around text that would give the answer away.

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::{Answer, Kind, Outcome, Question};

/// What [`Predict`] shows after a run: the question the run was started with, the comparison
/// and the experiment's explanation of the gap.
#[derive(Clone, Debug, PartialEq)]
pub struct Reveal {
    pub question: Question,
    pub outcome: Outcome,
    pub explanation: String,
}

#[derive(Properties, PartialEq)]
pub struct PredictProps {
    /// The question for the current settings (`None`: nothing to predict, e.g. one thread).
    pub question: Option<Question>,
    /// `ask=1`: the box is open and required; otherwise folded and optional.
    pub ask: bool,
    /// The answer entered for this question.
    pub answer: Option<Answer>,
    /// After a run that had a prediction.
    pub reveal: Option<Reveal>,
    /// A new (or cleared) answer to the current question.
    pub on_answer: Callback<Option<Answer>>,
    /// A run is going on: the answer cannot change.
    #[prop_or_default]
    pub running: bool,
}

/// The prediction box (`predict`, `predict-input`, `predict-lock`, `predict-locked`) and, after
/// a run, the comparison (`predict-result` with `data-json` `{predicted, measured, gap, close}`).
#[function_component]
pub fn Predict(p: &PredictProps) -> Html {
    let draft = use_state(String::new);
    let error = use_state(|| None::<String>);
    let commit = {
        let (question, on_answer, error) = (p.question.clone(), p.on_answer.clone(), error.clone());
        Callback::from(move |text: String| {
            let Some(q) = &question else { return };
            if text.trim().is_empty() {
                error.set(None);
                on_answer.emit(None);
                return;
            }
            match q.parse(&text) {
                Ok(a) => {
                    error.set(None);
                    on_answer.emit(Some(a));
                }
                Err(e) => {
                    error.set(Some(e));
                    on_answer.emit(None);
                }
            }
        })
    };
    let reveal = p.reveal.as_ref().map(result);
    let Some(q) = &p.question else { return reveal.unwrap_or_default() };
    let input = match &q.kind {
        Kind::Number { .. } => {
            let on_input = {
                let draft = draft.clone();
                Callback::from(move |e: InputEvent| {
                    draft.set(e.target_unchecked_into::<HtmlInputElement>().value())
                })
            };
            let on_change =
                commit.reform(|e: Event| e.target_unchecked_into::<HtmlInputElement>().value());
            html! {
                <input type="text" inputmode="decimal" data-testid="predict-input" value={(*draft).clone()}
                    oninput={on_input} onchange={on_change} disabled={p.running}
                    aria-label={q.prompt.clone()} placeholder="your guess" size="10" />
            }
        }
        Kind::Choice(options) => {
            let on_change = {
                let (commit, draft) = (commit.clone(), draft.clone());
                Callback::from(move |e: Event| {
                    let v = e.target_unchecked_into::<HtmlSelectElement>().value();
                    draft.set(v.clone());
                    commit.emit(v);
                })
            };
            let chosen = match &p.answer {
                Some(Answer::Choice(c)) => c.clone(),
                _ => String::new(),
            };
            html! {
                <select data-testid="predict-input" onchange={on_change} disabled={p.running}
                    aria-label={q.prompt.clone()}>
                    <option value="" selected={chosen.is_empty()}>{ "— pick one —" }</option>
                    { for options.iter().map(|(v, label)| html! {
                        <option value={v.clone()} selected={*v == chosen}>{ label }</option>
                    }) }
                </select>
            }
        }
    };
    let lock = commit.reform({
        let draft = draft.clone();
        move |_: MouseEvent| (*draft).clone()
    });
    let form = html! {
        <div class="predict-form">
            { input }
            if matches!(q.kind, Kind::Number { .. }) {
                <button data-testid="predict-lock" onclick={lock} disabled={p.running}>{ "Lock in" }</button>
            }
            if let Some(e) = &*error { <span class="error-text" role="alert">{ e }</span> }
            if let Some(a) = &p.answer {
                <span class="predict-locked" data-testid="predict-locked">{ format!("Your prediction: {}", q.show(a)) }</span>
            }
        </div>
    };
    html! {
        <>
            if p.ask {
                <div class="predict required" data-testid="predict" data-required="true">
                    <p class="predict-prompt"><strong>{ "Predict first. " }</strong>{ &q.prompt }</p>
                    { form }
                </div>
            } else {
                <details class="predict" data-testid="predict" data-required="false">
                    <summary>{ "Predict first (optional): " }{ &q.prompt }</summary>
                    { form }
                </details>
            }
            { reveal.unwrap_or_default() }
        </>
    }
}

/// "You predicted X — measured Y", the verdict and the explanation.
fn result(r: &Reveal) -> Html {
    let json = serde_json::to_string(&r.outcome).unwrap_or_default();
    let q = &r.question;
    let gap = match (r.outcome.gap, &q.kind) {
        (Some(g), Kind::Number { .. }) => {
            let sign = if g > 0.0 {
                "+"
            } else if g < 0.0 {
                "−"
            } else {
                "±"
            };
            format!(" (gap {sign}{})", q.show(&Answer::Number(g.abs())))
        }
        _ => String::new(),
    };
    html! {
        <div class={classes!("predict-result", r.outcome.close.then_some("close"))} data-testid="predict-result"
            data-json={json} role="status">
            <p>
                <strong>{ format!("You predicted {} — measured {}{gap}.", q.show(&r.outcome.predicted),
                    q.show(&r.outcome.measured)) }</strong>
                { " " }{ r.outcome.verdict(q) }
            </p>
            <p class="caption">{ &r.explanation }</p>
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct SpoilerProps {
    /// A run has finished (or the experiment cannot run here): show the text.
    pub revealed: bool,
    pub children: Html,
}

/// Text that gives the answer away, folded until a run has finished or the student asks for
/// it (`spoiler`, `data-state` `folded` or `shown`; `spoiler-show`).
#[function_component]
pub fn Spoiler(p: &SpoilerProps) -> Html {
    let anyway = use_state(|| false);
    if p.revealed || *anyway {
        return html! { <div class="spoiler" data-testid="spoiler" data-state="shown">{ p.children.clone() }</div> };
    }
    let show = {
        let anyway = anyway.clone();
        Callback::from(move |_: MouseEvent| anyway.set(true))
    };
    html! {
        <div class="spoiler folded" data-testid="spoiler" data-state="folded">
            <span>{ "The explanation of what to expect is folded until a run has finished, so that it does not give the answer away. " }</span>
            <button data-testid="spoiler-show" onclick={show}>{ "Show anyway" }</button>
        </div>
    }
}

/// The sentence next to a Run button that waits for a prediction (`run-blocked`).
pub fn blocked_note(why: Option<&str>) -> Html {
    match why {
        Some(why) => {
            html! { <p class="run-blocked" data-testid="run-blocked" role="status">{ why }</p> }
        }
        None => html! {},
    }
}
