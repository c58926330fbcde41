//! "Explore all": every schedule of the program from its initial state, counted and classified,
//! with the shortest failing one ready to replay, next to the same numbers for its fix (or, for a
//! fixed program, for the broken versions it fixes).

use std::sync::Arc;

use parlab_model::interleave::{Exploration, Limits, Program, State, explore, presets};
use yew::prelude::*;

use super::outcome::{key, short, values_text};
use super::schedule_text;

/// The numbers for one preset and its partners.
pub struct Report {
    /// The preset explored.
    pub preset: &'static str,
    pub exploration: Exploration,
    /// (relation, preset id, its exploration) for the fix or the broken versions.
    pub compare: Vec<(&'static str, &'static str, Exploration)>,
}

/// Explores every schedule of `program` from its initial state. This runs on the UI thread on
/// purpose: it is bounded by the default [`Limits`] (at most 256 moves per schedule and 100 000
/// memoised states), and the presets take well under a millisecond each natively.
fn explore_all(program: &Program) -> Option<Exploration> {
    let start = State::new(Arc::new(program.clone())).ok()?;
    Some(explore(&start, Limits::default()))
}

/// Explores preset `id` and the presets it is compared with.
pub fn run(id: &'static str) -> Option<Report> {
    let all = presets();
    let preset = all.iter().find(|p| p.id == id)?;
    let exploration = explore_all(&preset.program)?;
    let partners = all.iter().filter(|p| match preset.fixed_by {
        Some(fix) => p.id == fix,
        None => p.fixed_by == Some(id),
    });
    let relation = if preset.fixed_by.is_some() { "fixed" } else { "broken" };
    let compare =
        partners.filter_map(|p| Some((relation, p.id, explore_all(&p.program)?))).collect();
    Some(Report { preset: id, exploration, compare })
}

pub fn view(
    program: &Program,
    report: Option<&Report>,
    on_explore: Callback<MouseEvent>,
    on_replay: Callback<Vec<usize>>,
) -> Html {
    html! {
        <section class="explorer-report" aria-labelledby="explorer-report-title">
            <h3 id="explorer-report-title">{ "Every schedule" }</h3>
            <p class="hint">
                { "You played one schedule. The explorer plays all of them from the start and counts how they end." }
            </p>
            <button class="primary" data-testid="explore-all" onclick={on_explore}>{ "Explore all schedules" }</button>
            if let Some(r) = report { { stats(program, r, &on_replay) } }
        </section>
    }
}

fn stats(program: &Program, report: &Report, on_replay: &Callback<Vec<usize>>) -> Html {
    let e = &report.exploration;
    let percent = if e.schedules == 0 {
        0.0
    } else {
        100.0 * e.failing_schedules as f64 / e.schedules as f64
    };
    let replay = |schedule: &[usize]| {
        let schedule = schedule.to_vec();
        on_replay.reform(move |_: MouseEvent| schedule.clone())
    };
    html! {
        <div class="explorer-stats" data-testid="explorer-stats" data-schedules={e.schedules.to_string()}
            data-failing={e.failing_schedules.to_string()} data-outcomes={e.outcomes.len().to_string()}
            data-exhaustive={e.is_exhaustive().to_string()}>
            <p>
                <strong>{ e.schedules }</strong>{ " complete schedules; " }
                <strong>{ e.failing_schedules }</strong>
                { format!(" of them fail ({percent:.0} %). {} distinct endings:", e.outcomes.len()) }
            </p>
            <div class="table-wrap">
                <table class="results explorer-endings">
                    <thead><tr>
                        <th scope="col">{ "Ending" }</th>
                        <th scope="col">{ "Final values" }</th>
                        <th scope="col">{ "Schedules" }</th>
                        <th scope="col">{ "Shortest" }</th>
                    </tr></thead>
                    <tbody>
                        { for e.outcomes.iter().enumerate().map(|(i, o)| html! {
                            <tr class={classes!(o.outcome.is_failure().then_some("failing"))} data-outcome={key(o.outcome)}>
                                <td>{ short(o.outcome, program) }</td>
                                <td>{ values_text(&o.values) }</td>
                                <td>{ o.schedules }</td>
                                <td>
                                    <button data-testid={format!("replay-outcome-{i}")} onclick={replay(&o.shortest)}
                                        aria-label={format!("Replay a shortest schedule ending: {}", short(o.outcome, program))}>
                                        { format!("Replay ({} moves)", o.shortest.len()) }
                                    </button>
                                </td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            </div>
            if let Some(s) = &e.shortest_failure {
                <p class="explorer-shortest">
                    { format!("Shortest failing schedule ({} moves): ", s.len()) }
                    <code data-testid="shortest-failure" data-schedule={s.iter().map(|t| t.to_string()).collect::<Vec<_>>().join(",")}>
                        { schedule_text(program, s) }
                    </code>
                    { " " }
                    <button data-testid="replay-shortest" onclick={replay(s)}>{ "Replay" }</button>
                    <span class="hint">{ " then Undo walks back through it one move at a time." }</span>
                </p>
            } else {
                <p class="explorer-shortest">{ "No schedule fails: this program is correct under every interleaving." }</p>
            }
            if !e.is_exhaustive() {
                <p class="hint">{ format!("{} schedules were cut by the search limits; the numbers cover the rest.", e.cut_schedules) }</p>
            }
            if !report.compare.is_empty() {
                <ul class="explorer-compare" data-testid="explorer-compare">
                    { for report.compare.iter().map(|(relation, id, x)| html! {
                        <li data-testid={format!("compare-{id}")} data-schedules={x.schedules.to_string()}
                            data-failing={x.failing_schedules.to_string()}>
                            { format!("The {relation} version, {id}: {} failing schedules out of {}.", x.failing_schedules, x.schedules) }
                        </li>
                    }) }
                </ul>
            }
        </div>
    }
}
