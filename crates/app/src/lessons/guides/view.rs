//! The "For instructors" panel: a folded `<details data-testid="guide">` below a lesson, and
//! its Markdown twin for `docs/teaching.md`. Both read the same [`Guide`] data.

use yew::prelude::*;

use super::{CORES, EMBED_BASICS, for_route};

/// The panel for the lesson at `route` (nothing when it has no guide).
pub fn panel(route: &str) -> Html {
    let Some(g) = for_route(route) else { return Html::default() };
    let rows: Vec<_> = g.typical.iter().map(|t| t.cells()).collect();
    html! {
        <details class="guide" data-testid="guide">
            <summary>{ "For instructors: goals, questions, typical results, embedding" }</summary>
            <h2>{ "Learning goals" }</h2>
            <ul>{ for g.goals.iter().map(|t| html! { <li>{ *t }</li> }) }</ul>
            <h2>{ "Questions to ask the class" }</h2>
            <ol>{ for g.questions.iter().map(|t| html! { <li>{ *t }</li> }) }</ol>
            <h2>{ "Typical results" }</h2>
            <p class="caption">{ "Only the 2-core column is measured (this project's 2-core test machine, BENCHMARKS.md). \
                The 4- and 8-core columns are expected values from a model or published figures; each row says which." }</p>
            <div class="table-wrap">
                <table class="results guide-typical">
                    <caption>{ "Typical results on 2, 4 and 8 cores" }</caption>
                    <thead><tr>
                        <th scope="col">{ "What" }</th>
                        { for CORES.iter().map(|n| html! { <th scope="col">{ format!("{n} cores") }</th> }) }
                    </tr></thead>
                    <tbody>
                        { for rows.iter().map(|r| html! {
                            <tr>
                                <th scope="row">{ r.what }</th>
                                { for r.cores.iter().map(|c| html! { <td>{ c.clone() }</td> }) }
                            </tr>
                        }) }
                    </tbody>
                </table>
            </div>
            <ul class="guide-basis">
                { for rows.iter().map(|r| html! { <li><strong>{ r.what }</strong>{ ": " }{ r.basis.clone() }</li> }) }
            </ul>
            <h2>{ "Embedding" }</h2>
            <p>{ strip_ticks(EMBED_BASICS) }</p>
            <ul>
                { for g.embeds.iter().map(|e| html! {
                    <li><code>{ format!("#/{route}?embed=1&{}", e.query) }</code>{ " — " }{ e.gives }</li>
                }) }
            </ul>
        </details>
    }
}

/// Markdown backticks read as noise in the page.
fn strip_ticks(s: &str) -> String {
    s.replace('`', "")
}

/// The Markdown section of one lesson for `docs/teaching.md` (written by the tests).
#[cfg(test)]
pub fn markdown(route: &str, title: &str, g: &super::Guide) -> String {
    let mut s = format!("## `#/{route}` — {title}\n\n### Learning goals\n\n");
    for t in g.goals {
        s += &format!("- {t}\n");
    }
    s += "\n### Questions to ask the class\n\n";
    for (i, t) in g.questions.iter().enumerate() {
        s += &format!("{}. {t}\n", i + 1);
    }
    s += "\n### Typical results\n\n| What | 2 cores | 4 cores | 8 cores |\n|---|---|---|---|\n";
    let rows: Vec<_> = g.typical.iter().map(|t| t.cells()).collect();
    for r in &rows {
        s += &format!("| {} | {} | {} | {} |\n", r.what, r.cores[0], r.cores[1], r.cores[2]);
    }
    s += "\n";
    for r in &rows {
        s += &format!("- **{}**: {}\n", r.what, r.basis);
    }
    s += "\n### Embedding\n\n";
    for e in g.embeds {
        s += &format!("- `#/{route}?embed=1&{}` — {}\n", e.query, e.gives);
    }
    s
}
