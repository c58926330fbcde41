//! Predict before you measure (issue #15). Students who commit to a prediction before a
//! demonstration learn more from it than students who only watch it (Crouch, Fagen, Callan &
//! Mazur 2004), so every measured experiment can ask a question first and, after the run, set
//! the prediction against the measurement with an explanation of the gap.
//!
//! This module is the pure part (questions, answers, the comparison and its wording; the gap
//! explanations per experiment are in [`explain`]); [`view`] holds the two small Yew
//! components a lesson places next to its Run controls ([`Predict`]) and around text that
//! would give the answer away ([`Spoiler`]). A lesson keeps one [`Slot`] in its state.
//!
//! `ask=1` (a global URL key, [`ASK`]) makes the prediction required: Run stays disabled until
//! one is entered, and `run=1` waits for it too (the host starts the run once it is).

pub mod explain;
mod view;

use serde::Serialize;

pub use view::{Predict, Reveal, Spoiler, blocked_note};

use crate::lessons::Change;
use crate::params::{self, Param};
use crate::url::Query;

/// `ask=1`: a prediction is required before each measured run.
pub const ASK: Param = params::flag(
    "ask",
    "0",
    "1: ask for a prediction before each measured run; Run stays disabled until one is entered \
     (with run=1 the run starts once it is).",
);

/// Whether the query asks for predictions (the host reads the key with notes; lessons read it
/// quietly with this).
pub fn asked(q: &Query) -> bool {
    q.get(ASK.key) == Some("1")
}

/// What kind of answer a question takes.
#[derive(Clone, Debug, PartialEq)]
pub enum Kind {
    /// A number in `min..=max`, shown with `decimals` decimals and `unit` after it (`×`, ``).
    Number { unit: &'static str, min: f64, max: f64, decimals: usize },
    /// One of the options: `(value, label)`.
    Choice(Vec<(String, String)>),
}

/// A question asked before a run.
#[derive(Clone, Debug, PartialEq)]
pub struct Question {
    /// The question, with the run's parameters in it ("What speedup will 4 threads give?").
    pub prompt: String,
    pub kind: Kind,
}

/// A prediction, or the measured value it is compared with.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Answer {
    Number(f64),
    /// An option's value.
    Choice(String),
}

impl Question {
    /// A question answered with a number.
    pub fn number(prompt: String, unit: &'static str, min: f64, max: f64, decimals: usize) -> Self {
        Question { prompt, kind: Kind::Number { unit, min, max, decimals } }
    }

    /// A question answered by picking one of `options` (`(value, label)`).
    pub fn choice(prompt: String, options: Vec<(String, String)>) -> Self {
        Question { prompt, kind: Kind::Choice(options) }
    }

    /// Reads what the student typed or picked; an error says what is accepted.
    pub fn parse(&self, text: &str) -> Result<Answer, String> {
        let text = text.trim();
        match &self.kind {
            Kind::Number { min, max, unit, .. } => {
                let cleaned: String =
                    text.trim_end_matches(['×', 'x', '%']).replace([',', ' ', '_'], "");
                let v: f64 = cleaned
                    .parse()
                    .map_err(|_| format!("Enter a number between {min} and {max}{unit}."))?;
                if !v.is_finite() || v < *min || v > *max {
                    return Err(format!("Enter a number between {min} and {max}{unit}."));
                }
                Ok(Answer::Number(v))
            }
            Kind::Choice(options) => options
                .iter()
                .find(|(value, _)| value == text)
                .map(|(value, _)| Answer::Choice(value.clone()))
                .ok_or_else(|| "Pick one of the options.".to_string()),
        }
    }

    /// An answer as the page shows it: `2.50×`, `1,234`, or the option's label.
    pub fn show(&self, a: &Answer) -> String {
        match (&self.kind, a) {
            (Kind::Number { unit, decimals, .. }, Answer::Number(v)) => {
                format!("{}{unit}", group(*v, *decimals))
            }
            (Kind::Choice(options), Answer::Choice(c)) => {
                options.iter().find(|(v, _)| v == c).map_or(c.clone(), |(_, l)| l.clone())
            }
            (_, Answer::Number(v)) => v.to_string(),
            (_, Answer::Choice(c)) => c.clone(),
        }
    }
}

/// `v` with `decimals` decimals and thousands separated by commas (`12,345.6`).
fn group(v: f64, decimals: usize) -> String {
    let text = format!("{:.*}", decimals, v.abs());
    let (int, frac) = text.split_once('.').map_or((text.as_str(), None), |(i, f)| (i, Some(f)));
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    let sign =
        if v < 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0') { "-" } else { "" };
    match frac {
        Some(f) => format!("{sign}{out}.{f}"),
        None => format!("{sign}{out}"),
    }
}

/// A prediction set against the run's measurement (the `data-json` of `predict-result`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Outcome {
    pub predicted: Answer,
    pub measured: Answer,
    /// Numbers: measured − predicted. Choices: `None`.
    pub gap: Option<f64>,
    /// Choices: whether the pick was right. Numbers: within 10 % (or exactly right at 0).
    pub close: bool,
}

/// How near a number prediction must be to count as close (relative to the measurement).
pub const CLOSE: f64 = 0.10;

impl Outcome {
    /// Compares a prediction with what was measured.
    pub fn of(predicted: Answer, measured: Answer) -> Outcome {
        let (gap, close) = match (&predicted, &measured) {
            (Answer::Number(p), Answer::Number(m)) => {
                let gap = m - p;
                let close = if *m == 0.0 { *p == 0.0 } else { (gap / m).abs() <= CLOSE };
                (Some(gap), close)
            }
            (p, m) => (None, p == m),
        };
        Outcome { predicted, measured, gap, close }
    }

    /// One sentence on how far off the prediction was.
    pub fn verdict(&self, q: &Question) -> String {
        let measured = q.show(&self.measured);
        match (&self.predicted, &self.measured) {
            (Answer::Number(p), Answer::Number(m)) => {
                if self.close {
                    return format!("Close: within {:.0} % of the measurement.", CLOSE * 100.0);
                }
                if *p == 0.0 || *m == 0.0 {
                    return format!(
                        "You expected {}; the measurement was {measured}.",
                        q.show(&self.predicted)
                    );
                }
                let off = (m - p).abs() / p.abs() * 100.0;
                if m < p {
                    format!(
                        "You expected more: the measurement is {off:.0} % below your prediction."
                    )
                } else {
                    format!(
                        "You expected less: the measurement is {off:.0} % above your prediction."
                    )
                }
            }
            _ if self.close => "Right.".to_string(),
            _ => "Not this time.".to_string(),
        }
    }
}

/// A lesson's prediction state: whether one is required, the one entered, and the one the
/// latest run was started with.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Slot {
    /// `ask=1`.
    pub ask: bool,
    /// The entered answer and the prompt it answers (a changed question drops it).
    entered: Option<(String, Answer)>,
    /// The question and answer the latest run started with.
    at_run: Option<(Question, Answer)>,
}

/// The sentence shown (and read by screen readers) while Run waits for a prediction.
pub const BLOCKED: &str =
    "Run unlocks once you have entered your prediction (Predict first, below).";

impl Slot {
    /// A slot for a lesson opened with query `q`.
    pub fn new(q: &Query) -> Slot {
        Slot { ask: asked(q), ..Slot::default() }
    }

    /// A slot for a component that is told `ask` by its lesson.
    pub fn asking(ask: bool) -> Slot {
        Slot { ask, ..Slot::default() }
    }

    /// The answer entered for `question` (none if it was for another question).
    pub fn answer(&self, question: Option<&Question>) -> Option<&Answer> {
        let q = question?;
        self.entered.as_ref().filter(|(prompt, _)| *prompt == q.prompt).map(|(_, a)| a)
    }

    /// Records (or clears) the answer to `question`.
    pub fn set(&mut self, question: &Question, answer: Option<Answer>) {
        self.entered = answer.map(|a| (question.prompt.clone(), a));
    }

    /// The `Predict` message of a lesson: records `answer` (or its removal) for `question`, the
    /// lesson's current one (nothing to record without one), and returns the lesson's
    /// [`Change`]: only the Predict box and the Run button change, so re-render and keep the
    /// canvases. The host then starts a `run=1` that was waiting for this answer.
    pub fn enter(&mut self, question: Option<&Question>, answer: Option<Answer>) -> Change {
        if let Some(q) = question {
            self.set(q, answer);
        }
        Change::Progress
    }

    /// Why Run must wait (`ask=1`, a question, no answer), if it must.
    pub fn blocks(&self, question: Option<&Question>) -> Option<&'static str> {
        (self.ask && question.is_some() && self.answer(question).is_none()).then_some(BLOCKED)
    }

    /// A run starts: remembers the question and answer it is compared with afterwards.
    pub fn start(&mut self, question: Option<Question>) {
        let answer = self.answer(question.as_ref()).cloned();
        self.at_run = question.zip(answer);
    }

    /// The question the latest run was started with and the prediction against `measured`.
    pub fn outcome(&self, measured: Option<Answer>) -> Option<(Question, Outcome)> {
        let (q, predicted) = self.at_run.clone()?;
        Some((q, Outcome::of(predicted, measured?)))
    }

    /// What [`Predict`] shows after a run: `measured` is the run's value and the experiment's
    /// explanation of the gap (`None` before a run has finished).
    pub fn reveal(&self, measured: Option<(Answer, String)>) -> Option<Reveal> {
        let (measured, explanation) = measured?;
        let (question, outcome) = self.outcome(Some(measured))?;
        Some(Reveal { question, outcome, explanation })
    }
}

#[cfg(test)]
mod tests;
