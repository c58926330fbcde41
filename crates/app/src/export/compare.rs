//! Overlaying several exports: which files hold what, one speedup curve per machine (and per
//! series inside a file), and the key numbers of each file for its table. Pure, so the compare
//! view only draws what these functions return.

use serde::Serialize;

use super::csv;
use super::schema::{Export, Machine};

/// Reads one dropped or picked file: JSON or CSV, told apart by the name's ending or, failing
/// that, by the first character.
pub fn parse_file(name: &str, text: &str) -> Result<Export, String> {
    let lower = name.to_ascii_lowercase();
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if trimmed.is_empty() {
        return Err("the file is empty".into());
    }
    if lower.ends_with(".csv") || trimmed.starts_with('#') {
        csv::parse(text)
    } else if lower.ends_with(".json") || trimmed.starts_with(['{', '[']) {
        Export::from_json(trimmed)
    } else {
        Err("neither a parlab JSON nor a parlab CSV export (pick the files the lessons' \
             Download JSON / Download CSV buttons save)"
            .into())
    }
}

/// A class of results present among the files.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Class {
    pub id: String,
    pub title: String,
    /// How many files hold it.
    pub files: usize,
}

/// The classes of `exports`, most files first (ties: first seen first).
pub fn classes(exports: &[&Export]) -> Vec<Class> {
    let mut out: Vec<Class> = Vec::new();
    for e in exports {
        match out.iter_mut().find(|c| c.id == e.class) {
            Some(c) => c.files += 1,
            None => out.push(Class {
                id: e.class.clone(),
                title: if e.class_title.is_empty() {
                    e.class.clone()
                } else {
                    e.class_title.clone()
                },
                files: 1,
            }),
        }
    }
    out.sort_by_key(|c| std::cmp::Reverse(c.files));
    out
}

/// One label per export: the machine's label (or browser · mode · pool when it has none), with
/// " (2)", " (3)" … added where labels repeat, so every legend entry is told apart.
pub fn labels(exports: &[&Export]) -> Vec<String> {
    let base: Vec<String> = exports.iter().map(|e| machine_label(&e.machine)).collect();
    base.iter()
        .enumerate()
        .map(|(i, b)| {
            let before = base[..i].iter().filter(|x| *x == b).count();
            let total = base.iter().filter(|x| *x == b).count();
            if total > 1 { format!("{b} ({})", before + 1) } else { b.clone() }
        })
        .collect()
}

/// The machine's label, or one made from what it says.
pub fn machine_label(m: &Machine) -> String {
    let label = m.label.trim();
    if label.is_empty() {
        format!("{} · {} × {}", m.browser, m.mode, m.pool)
    } else {
        label.to_string()
    }
}

/// One line on the compare plot.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Curve {
    /// The machine's label (and the series, e.g. "… — gil").
    pub label: String,
    /// Index of the export it comes from.
    pub file: usize,
    /// (threads, speedup), ascending in threads.
    pub points: Vec<(f64, f64)>,
}

/// The series of an export: `(name, rows)`; one unnamed series without `series_by`.
fn series(e: &Export) -> Vec<(String, Vec<&super::Record>)> {
    let Some(key) = &e.series_by else { return vec![(String::new(), e.rows.iter().collect())] };
    let mut out: Vec<(String, Vec<&super::Record>)> = Vec::new();
    for r in &e.rows {
        let name = r.text(key);
        match out.iter_mut().find(|(n, _)| *n == name) {
            Some((_, rows)) => rows.push(r),
            None => out.push((name, vec![r])),
        }
    }
    out
}

/// The speedup curves of the exports in `class` (threads → speedup), one per export and series;
/// series without a single (threads, speedup) point are left out.
pub fn curves(exports: &[&Export], labels: &[String], class: &str) -> Vec<Curve> {
    let mut out = Vec::new();
    for (i, e) in exports.iter().enumerate().filter(|(_, e)| e.class == class) {
        for (name, rows) in series(e) {
            let mut points: Vec<(f64, f64)> = rows
                .iter()
                .filter_map(|r| Some((r.number("threads")?, r.number("speedup")?)))
                .collect();
            points.sort_by(|a, b| a.0.total_cmp(&b.0));
            if points.is_empty() {
                continue;
            }
            let label = if name.is_empty() {
                labels[i].clone()
            } else {
                format!("{} — {name}", labels[i])
            };
            out.push(Curve { label, file: i, points });
        }
    }
    out
}

/// The key numbers of one series of a file.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct KeyResult {
    /// The series (empty without `series_by`).
    pub series: String,
    /// Thread counts measured, ascending.
    pub threads: Vec<f64>,
    /// Median wall time on 1 thread, ms.
    pub one_thread_ms: Option<f64>,
    /// Best speedup and its thread count.
    pub best_speedup: Option<f64>,
    pub best_at: Option<f64>,
}

/// Each series' key numbers.
pub fn key_results(e: &Export) -> Vec<KeyResult> {
    series(e)
        .into_iter()
        .map(|(name, rows)| {
            let mut threads: Vec<f64> = rows.iter().filter_map(|r| r.number("threads")).collect();
            threads.sort_by(f64::total_cmp);
            threads.dedup();
            let one = rows
                .iter()
                .find(|r| r.number("threads") == Some(1.0))
                .and_then(|r| r.number("median_ms"));
            let best = rows
                .iter()
                .filter_map(|r| Some((r.number("speedup")?, r.number("threads")?)))
                .max_by(|a, b| a.0.total_cmp(&b.0));
            KeyResult {
                series: name,
                threads,
                one_thread_ms: one,
                best_speedup: best.map(|b| b.0),
                best_at: best.map(|b| b.1),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::schema::tests::sample;

    #[test]
    fn parses_json_and_csv_and_names_bad_files() {
        let e = sample("A");
        assert_eq!(parse_file("a.json", &e.to_json()).unwrap(), e);
        assert_eq!(parse_file("a.csv", &csv::write(&e)).unwrap().rows, e.rows);
        assert_eq!(parse_file("noext", &csv::write(&e)).unwrap().class, "gil/cpu");
        assert!(parse_file("x.json", "  ").unwrap_err().contains("empty"));
        assert!(parse_file("x.png", "\u{89}PNG").unwrap_err().contains("neither"));
        assert!(parse_file("x.json", "{oops").unwrap_err().contains("not valid JSON"));
    }

    #[test]
    fn curves_per_machine_and_series() {
        let (a, b) = (sample("Laptop"), sample("Laptop"));
        let mut other = sample("Desk");
        other.class = "amdahl/pi/small".into();
        let all = [&a, &b, &other];
        let labels = labels(&all);
        assert_eq!(labels, ["Laptop (1)", "Laptop (2)", "Desk"]);
        let classes = classes(&all);
        assert_eq!(classes[0].id, "gil/cpu");
        assert_eq!(classes[0].files, 2);
        assert_eq!(classes[1].files, 1);
        let c = curves(&all, &labels, "gil/cpu");
        let names: Vec<&str> = c.iter().map(|c| c.label.as_str()).collect();
        // free_threaded has only a 1-thread speedup (its 2-thread one is null).
        assert_eq!(
            names,
            [
                "Laptop (1) — gil",
                "Laptop (1) — free_threaded",
                "Laptop (2) — gil",
                "Laptop (2) — free_threaded"
            ]
        );
        assert_eq!(c[0].points, vec![(1.0, 1.0), (2.0, 100.0 / 98.5)]);
        assert_eq!(c[1].points, vec![(1.0, 1.0)]);
        assert_eq!(curves(&all, &labels, "amdahl/pi/small")[0].file, 2);
        assert!(curves(&all, &labels, "none").is_empty());
    }

    #[test]
    fn key_results_per_series() {
        let k = key_results(&sample("A"));
        assert_eq!(k.len(), 2);
        assert_eq!(k[0].series, "gil");
        assert_eq!(k[0].threads, vec![1.0, 2.0]);
        assert_eq!(k[0].one_thread_ms, Some(100.0));
        assert_eq!(k[0].best_at, Some(2.0));
        assert_eq!(k[1].best_speedup, Some(1.0));
        let mut m = sample("").machine;
        m.label = " ".into();
        assert_eq!(machine_label(&m), "Chrome 131 · threads × 4");
    }
}
