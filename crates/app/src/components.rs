//! Small view pieces every lesson uses: URL notes and the results table (the downloads are in
//! [`crate::export`]).

use parlab_kernels::measure::Row;
use yew::prelude::*;

/// `1234567` → `1,234,567`.
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[derive(Properties, PartialEq)]
pub struct NotesProps {
    pub notes: Vec<String>,
    /// Called when the user dismisses the note (it hides itself either way).
    #[prop_or_default]
    pub on_dismiss: Option<Callback<()>>,
}

/// A dismissible note listing URL values that were clamped or replaced. Dismissing hides these
/// notes; a different list shows again.
#[function_component]
pub fn Notes(props: &NotesProps) -> Html {
    let dismissed = use_state(Vec::<String>::new);
    if props.notes.is_empty() || *dismissed == props.notes {
        return html! { <div class="notes-slot" /> };
    }
    let dismiss = {
        let (dismissed, notes, on_dismiss) =
            (dismissed.clone(), props.notes.clone(), props.on_dismiss.clone());
        Callback::from(move |_| {
            dismissed.set(notes.clone());
            if let Some(cb) = &on_dismiss {
                cb.emit(());
            }
        })
    };
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
    let serial = props.rows.iter().any(|r| r.serial_ms > 0.0);
    let karp = props.rows.iter().any(|r| r.karp_flatt.is_some() && r.threads > 1);
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
                if karp { <th scope="col"><abbr title="Karp–Flatt: the serial share 1 − p this point implies">{ "e(N)" }</abbr></th> }
                if serial { <th scope="col">{ "Serial part (ms)" }</th> }
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
                        if karp { <td>{ if r.threads > 1 { opt(r.karp_flatt, |e| format!("{e:.3}")) } else { "—".into() } }</td> }
                        if serial { <td>{ format!("{:.1}", r.serial_ms) }</td> }
                    </tr>
                }) }
            </tbody>
        </table>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_groups_digits() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000), "1,000");
        assert_eq!(thousands(283_146), "283,146");
        assert_eq!(thousands(12_000_000), "12,000,000");
    }
}
