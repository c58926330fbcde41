//! The outcome banner: running, finished, wrong result, failed assertion or deadlock. A lock
//! deadlock is drawn as its wait-for cycle; a deadlock without one is explained as a lost wakeup.

use parlab_model::interleave::{Blocked, FailureKind, Outcome, Program, State, WaitEdge};
use yew::prelude::*;

use super::{thread_class, thread_name};

/// The banner's `data-outcome` value.
pub fn key(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Running => "running",
        Outcome::Finished => "finished",
        Outcome::WrongResult => "wrong",
        Outcome::Failed(_) => "failed",
        Outcome::Deadlock => "deadlock",
    }
}

/// An outcome in a few words, for the table of endings.
pub fn short(outcome: Outcome, program: &Program) -> String {
    match outcome {
        Outcome::Running => "unfinished".into(),
        Outcome::Finished => "correct".into(),
        Outcome::WrongResult => "wrong result".into(),
        Outcome::Failed(f) => format!("{} failed: {}", thread_name(program, f.thread), f.kind),
        Outcome::Deadlock => "deadlock".into(),
    }
}

/// `counter = 1, total = 3`.
pub fn values_text(values: &[(String, i64)]) -> String {
    let parts: Vec<String> = values.iter().map(|(n, v)| format!("{n} = {v}")).collect();
    parts.join(", ")
}

pub fn banner(state: &State) -> Html {
    let outcome = state.outcome();
    let program = state.program();
    let values = values_text(&state.shared_values());
    let expected = program.expected.as_ref().map(|e| e.to_string());
    let (title, body): (&str, Html) = match outcome {
        Outcome::Running => {
            let enabled: Vec<String> =
                state.enabled_threads().into_iter().map(|t| thread_name(program, t)).collect();
            (
                "Running",
                html! { format!("Your move. Threads that can move now: {}.", enabled.join(", ")) },
            )
        }
        Outcome::Finished => {
            let text = match &expected {
                Some(e) => format!("Every thread finished and {e} holds ({values})."),
                None => format!("Every thread finished and no check failed ({values})."),
            };
            ("Finished correctly", html! { text })
        }
        Outcome::WrongResult => {
            let e = expected.unwrap_or_default();
            let text = format!(
                "Every thread finished, but {e} is false: {values}. The threads' read-modify-writes \
                 interleaved, so one thread wrote a value computed from a stale read and an update \
                 was lost."
            );
            ("Wrong result (lost update)", html! { text })
        }
        Outcome::Failed(f) => {
            let who = thread_name(program, f.thread);
            let step = program.threads[f.thread].steps.get(f.pc).map(|s| s.label());
            let step = step.unwrap_or_default();
            let text = match f.kind {
                FailureKind::Assertion => {
                    format!("{who}'s {step} (line {}) is false: {values}.", f.pc + 1)
                }
                kind => format!("{who} at line {} ({step}): {kind}.", f.pc + 1),
            };
            ("Failed", html! { text })
        }
        Outcome::Deadlock => ("Deadlock", deadlock(state)),
    };
    let k = key(outcome);
    html! {
        <div class={classes!("explorer-outcome", k)} data-testid="explorer-outcome" data-outcome={k}
            role="status" aria-live="polite">
            <strong>{ title }</strong>{ " " }{ body }
        </div>
    }
}

fn deadlock(state: &State) -> Html {
    let program = state.program();
    if let Some(cycle) = state.wait_for_cycle() {
        let parts: Vec<String> = cycle
            .iter()
            .map(|e| {
                let (t, h) = (thread_name(program, e.thread), thread_name(program, e.holder));
                if e.thread == e.holder {
                    format!(
                        "{t} wants {}, which it already holds (locks are not re-entrant)",
                        e.lock
                    )
                } else {
                    format!("{t} wants {}, held by {h}", e.lock)
                }
            })
            .collect();
        let text = format!(
            "{}. Each thread waits for the next one around a cycle, so none can ever move.",
            parts.join("; ")
        );
        return html! {
            <>
                { text.clone() }
                { cycle_svg(program, &cycle, &text) }
            </>
        };
    }
    let mut lost_wakeup = false;
    let parts: Vec<String> = (0..state.threads().len())
        .filter_map(|t| {
            let name = thread_name(program, t);
            Some(match state.blocked_on(t)? {
                Blocked::Condition { condition } => {
                    lost_wakeup = true;
                    format!("{name} waits on {condition}")
                }
                Blocked::Lock { lock, holder } => {
                    format!("{name} wants {lock}, held by {}", thread_name(program, holder))
                }
            })
        })
        .collect();
    let why = if lost_wakeup {
        "There is no cycle of locks: a thread waits for a notify that no thread is left to send \
         (a lost wakeup)."
    } else {
        "There is no cycle of locks: a lock is still held by a thread that has finished."
    };
    html! { format!("{}. {why}", parts.join("; ")) }
}

/// The wait-for cycle: threads as circles, an arrow from each thread to the holder of the lock it
/// wants, labelled with that lock.
fn cycle_svg(program: &Program, cycle: &[WaitEdge], text: &str) -> Html {
    const W: f64 = 320.0;
    const R: f64 = 26.0;
    let k = cycle.len();
    // Tight heights: a self-loop rises above its node, two nodes sit side by side.
    let (h, cy) = match k {
        1 => (150.0, 110.0),
        2 => (130.0, 65.0),
        _ => (230.0, 118.0),
    };
    let cx = W / 2.0;
    let spread = if k == 1 { 0.0 } else { 70.0 };
    let pos = |i: usize| {
        let a = std::f64::consts::PI + std::f64::consts::TAU * i as f64 / k as f64;
        (cx + spread * a.cos(), cy + spread * a.sin())
    };
    let index_of = |t| cycle.iter().position(|e| e.thread == t).unwrap_or(0);
    let edges = cycle.iter().enumerate().map(|(i, e)| {
        let (ax, ay) = pos(i);
        let (path, lx, ly) = if k == 1 {
            let path = format!(
                "M{:.1},{:.1} C{:.1},{:.1} {:.1},{:.1} {:.1},{:.1}",
                ax - 12.0,
                ay - R + 2.0,
                ax - 50.0,
                ay - R - 60.0,
                ax + 50.0,
                ay - R - 60.0,
                ax + 12.0,
                ay - R - 4.0
            );
            (path, ax, ay - R - 52.0)
        } else {
            let (bx, by) = pos(index_of(e.holder));
            let (dx, dy) = (bx - ax, by - ay);
            let len = dx.hypot(dy).max(1.0);
            // Bend every edge to its left, so the two edges of a 2-cycle do not overlap.
            let (qx, qy) = ((ax + bx) / 2.0 + dy / len * 45.0, (ay + by) / 2.0 - dx / len * 45.0);
            let towards = |(px, py): (f64, f64), r: f64| {
                let (ux, uy) = (qx - px, qy - py);
                let l = ux.hypot(uy).max(1.0);
                (px + ux / l * r, py + uy / l * r)
            };
            let (sx, sy) = towards((ax, ay), R);
            let (ex, ey) = towards((bx, by), R + 3.0);
            let path = format!("M{sx:.1},{sy:.1} Q{qx:.1},{qy:.1} {ex:.1},{ey:.1}");
            let (mx, my) = (0.25 * sx + 0.5 * qx + 0.25 * ex, 0.25 * sy + 0.5 * qy + 0.25 * ey);
            (path, mx + dy / len * 12.0, my - dx / len * 12.0 + 4.0)
        };
        html! {
            <g class="edge">
                <path d={path} fill="none" stroke="currentColor" stroke-width="2"
                    marker-end="url(#explorer-arrow)" />
                <text x={format!("{lx:.1}")} y={format!("{ly:.1}")} text-anchor="middle">
                    { format!("wants {}", e.lock) }
                </text>
            </g>
        }
    });
    let nodes = cycle.iter().enumerate().map(|(i, e)| {
        let (x, y) = pos(i);
        html! {
            <g class={classes!("node", thread_class(e.thread))}>
                <circle cx={format!("{x:.1}")} cy={format!("{y:.1}")} r={R.to_string()} />
                <text x={format!("{x:.1}")} y={format!("{:.1}", y + 5.0)} text-anchor="middle">
                    { thread_name(program, e.thread) }
                </text>
            </g>
        }
    });
    html! {
        <svg class="explorer-cycle" data-testid="explorer-cycle" viewBox={format!("0 0 {W} {h}")}
            role="img" aria-label={format!("Wait-for cycle: {text}")}>
            <defs>
                <marker id="explorer-arrow" viewBox="0 0 10 10" refX="9" refY="5"
                    markerWidth="7" markerHeight="7" orient="auto">
                    <path d="M0,0 L10,5 L0,10 z" fill="currentColor" />
                </marker>
            </defs>
            { for edges }
            { for nodes }
        </svg>
    }
}
