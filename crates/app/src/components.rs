//! Small view pieces every lesson uses: URL notes and the results table.

use parlab_kernels::measure::Row;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct NotesProps {
    pub notes: Vec<String>,
    pub on_dismiss: Callback<()>,
}

/// A dismissible note listing URL values that were clamped or replaced.
#[function_component]
pub fn Notes(props: &NotesProps) -> Html {
    if props.notes.is_empty() {
        return html! { <div class="notes-slot" /> };
    }
    let dismiss = props.on_dismiss.reform(|_| ());
    html! {
        <div class="note" data-testid="url-note" role="note">
            <div>
                <strong>{ "Some link settings were adjusted:" }</strong>
                <ul>{ for props.notes.iter().map(|n| html! { <li>{ n }</li> }) }</ul>
            </div>
            <button class="dismiss" onclick={dismiss} aria-label="Dismiss note">{ "×" }</button>
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct ResultsProps {
    pub rows: Vec<Row>,
}

/// The measured results (conventions.md: `data-testid="results"` with `data-json`).
#[function_component]
pub fn ResultsTable(props: &ResultsProps) -> Html {
    if props.rows.is_empty() {
        return html! { <div class="table-wrap" /> };
    }
    let json = serde_json::to_string(&props.rows).unwrap_or_default();
    let opt = |v: Option<f64>, f: fn(f64) -> String| v.map_or("—".to_string(), f);
    html! {
        <div class="table-wrap">
        <table class="results" data-testid="results" data-json={json}>
            <caption>{ "Measured wall time per thread count (median of the repetitions, after one warm-up run)" }</caption>
            <thead><tr>
                <th scope="col">{ "Threads" }</th>
                <th scope="col">{ "Median (ms)" }</th>
                <th scope="col">{ "Min (ms)" }</th>
                <th scope="col">{ "Max (ms)" }</th>
                <th scope="col">{ "Reps" }</th>
                <th scope="col">{ "Speedup" }</th>
                <th scope="col">{ "Efficiency" }</th>
                <th scope="col">{ "Threads that worked" }</th>
            </tr></thead>
            <tbody>
                { for props.rows.iter().map(|r| html! {
                    <tr>
                        <td>{ r.threads }</td>
                        <td>{ format!("{:.1}", r.median_ms) }</td>
                        <td>{ format!("{:.1}", r.min_ms) }</td>
                        <td>{ format!("{:.1}", r.max_ms) }</td>
                        <td>{ r.reps }</td>
                        <td>{ opt(r.speedup, |s| format!("{s:.2}×")) }</td>
                        <td>{ opt(r.efficiency, |e| format!("{:.0} %", e * 100.0)) }</td>
                        <td>{ r.threads_used }</td>
                    </tr>
                }) }
            </tbody>
        </table>
        </div>
    }
}
