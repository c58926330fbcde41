//! The `parlab-results` format, version 1: one measured run, the machine it ran on and the
//! settings that made it (docs/results-format.md describes every field).
//!
//! Why a machine block in every file: a speedup means little without the browser, the execution
//! mode and the cores behind it, and results only travel (to a teacher, a forum, another
//! machine's tab) if they carry that context with them.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::record::Record;

/// The `format` field of every export.
pub const FORMAT: &str = "parlab-results";
/// The version this build writes and the newest it reads.
pub const VERSION: u32 = 1;

/// What the page knew about the machine when the file was made.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Machine {
    /// A short name for legends, e.g. "Chrome 131 · Linux · threads × 4" (edit it to name the
    /// machine; the compare view uses it).
    pub label: String,
    /// Browser name and version from the user agent, e.g. "Firefox 128".
    pub browser: String,
    /// JavaScript / WebAssembly engine: V8, SpiderMonkey, JavaScriptCore (or "unknown").
    pub engine: String,
    /// Operating system from the user agent (or "unknown").
    #[serde(default)]
    pub os: String,
    /// `navigator.userAgent`, verbatim.
    #[serde(default)]
    pub user_agent: String,
    /// Execution mode: `threads`, `workers` or `single`.
    pub mode: String,
    /// Pool threads (or workers) the page ran with.
    pub pool: usize,
    /// `navigator.hardwareConcurrency`.
    pub reported_cores: usize,
    /// Useful threads the start-up probe measured, as the status bar's `data-measured` (`null`:
    /// `pool=` skipped it, or it had not answered). The pool may be larger (never below 2).
    #[serde(default)]
    pub measured_cores: Option<usize>,
    /// Whether the probe could read a count (`false`: inconclusive, `measured_cores` is then
    /// the reported count; `null` without a probe).
    #[serde(default)]
    pub probe_conclusive: Option<bool>,
    /// Whether the page was cross-origin isolated.
    #[serde(default)]
    pub cross_origin_isolated: bool,
    /// The machine lab's last card on this site (`null` if it never ran here): measured cores,
    /// SMT gain, bandwidth, peak GFLOP/s, cache levels.
    #[serde(default)]
    pub card: Option<Value>,
}

/// What a lesson hands to the downloads: its rows and what kind of experiment made them.
#[derive(Clone, Debug, PartialEq)]
pub struct Results {
    /// The lesson's route (`amdahl`).
    pub lesson: String,
    /// Results that may be overlaid share a class, e.g. `amdahl/pi/small`.
    pub class: String,
    /// The class in words, e.g. "Amdahl's law: Monte-Carlo π, small".
    pub class_title: String,
    /// The column that splits the rows into curves (`mode` in the GIL lesson), if any.
    pub series_by: Option<String>,
    /// One object per measured configuration, with at least `threads` and, where defined,
    /// `speedup`.
    pub rows: Vec<Record>,
    /// More of the run in the lesson's own shape (JSON only).
    pub details: Option<Value>,
}

impl Results {
    /// Results of `lesson` in `class` from rows of any serialisable type.
    pub fn new<T: Serialize>(lesson: &str, class: String, class_title: String, rows: &[T]) -> Self {
        Results {
            lesson: lesson.to_string(),
            class,
            class_title,
            series_by: None,
            rows: rows.iter().filter_map(Record::of).collect(),
            details: None,
        }
    }

    /// The rows form one curve per value of `column`.
    pub fn series_by(mut self, column: &str) -> Self {
        self.series_by = Some(column.to_string());
        self
    }

    /// Adds the lesson's full report (kept in the JSON file only).
    pub fn details<T: Serialize>(mut self, details: &T) -> Self {
        self.details = serde_json::to_value(details).ok();
        self
    }
}

/// One exported run: the file's whole content.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Export {
    /// Always [`FORMAT`].
    pub format: String,
    /// [`VERSION`] when written by this build.
    pub version: u32,
    /// The lesson's route.
    pub lesson: String,
    /// See [`Results::class`].
    pub class: String,
    /// See [`Results::class_title`].
    #[serde(default)]
    pub class_title: String,
    /// See [`Results::series_by`].
    #[serde(default)]
    pub series_by: Option<String>,
    /// The lesson's URL query when the file was made (opening `#/<lesson>?<settings>` restores
    /// the settings).
    #[serde(default)]
    pub settings: String,
    /// When the file was made, ISO 8601 in UTC.
    pub date: String,
    pub machine: Machine,
    pub rows: Vec<Record>,
    /// The lesson's own report (JSON only; absent in CSV).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<Value>,
}

impl Export {
    /// The export of `results`, made on `machine` at `date` with URL query `settings`.
    pub fn new(results: &Results, machine: Machine, settings: String, date: String) -> Export {
        Export {
            format: FORMAT.to_string(),
            version: VERSION,
            lesson: results.lesson.clone(),
            class: results.class.clone(),
            class_title: results.class_title.clone(),
            series_by: results.series_by.clone(),
            settings,
            date,
            machine,
            rows: results.rows.clone(),
            details: results.details.clone(),
        }
    }

    /// Pretty JSON (the file's text).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Reads a JSON export, with a message a person can act on when it is not one.
    pub fn from_json(text: &str) -> Result<Export, String> {
        let value: Value =
            serde_json::from_str(text).map_err(|e| format!("not valid JSON ({e})"))?;
        if value.is_array() {
            return Err("a list of rows without a machine block (an older parlab download?): \
                        download the results again from the lesson"
                .into());
        }
        check_header(
            value.get("format").and_then(Value::as_str),
            value.get("version").and_then(Value::as_u64),
        )?;
        // From the text again, not from `value`: its maps are sorted, a row's columns are not.
        let export: Export = serde_json::from_str(text)
            .map_err(|e| format!("a parlab-results file with a missing or wrong field: {e}"))?;
        export.check()?;
        Ok(export)
    }

    /// What is wrong with a parsed export, if anything.
    pub fn check(&self) -> Result<(), String> {
        if self.rows.is_empty() {
            return Err("it holds no result rows".into());
        }
        if self.lesson.is_empty() {
            return Err("it does not say which lesson made it".into());
        }
        Ok(())
    }
}

/// Checks `format` and `version` (shared by the JSON and CSV readers).
pub fn check_header(format: Option<&str>, version: Option<u64>) -> Result<(), String> {
    match format {
        Some(FORMAT) => {}
        Some(other) => return Err(format!("format is \"{other}\", not \"{FORMAT}\"")),
        None => return Err(format!("not a parlab results file (no \"format\": \"{FORMAT}\")")),
    }
    match version {
        Some(v) if v >= 1 && v <= u64::from(VERSION) => Ok(()),
        Some(v) => Err(format!(
            "made by a newer parlab (format version {v}); this page reads version {VERSION}"
        )),
        None => Err("no format version".into()),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Row {
        threads: usize,
        median_ms: f64,
        speedup: Option<f64>,
        mode: &'static str,
    }

    pub(crate) fn machine(label: &str) -> Machine {
        Machine {
            label: label.into(),
            browser: "Chrome 131".into(),
            engine: "V8".into(),
            os: "Linux".into(),
            user_agent: "Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0.0.0 Safari/537.36".into(),
            mode: "threads".into(),
            pool: 4,
            reported_cores: 8,
            measured_cores: Some(4),
            probe_conclusive: Some(true),
            cross_origin_isolated: true,
            card: Some(serde_json::json!({"measured_cores": 4, "smt_gain": 1.25})),
        }
    }

    /// A two-series export (as the GIL lesson makes) with awkward text in it.
    pub(crate) fn sample(label: &str) -> Export {
        let rows = [
            Row { threads: 1, median_ms: 100.0, speedup: Some(1.0), mode: "gil" },
            Row { threads: 2, median_ms: 98.5, speedup: Some(100.0 / 98.5), mode: "gil" },
            Row { threads: 1, median_ms: 90.0, speedup: Some(1.0), mode: "free_threaded" },
            Row { threads: 2, median_ms: 47.25, speedup: None, mode: "free_threaded" },
        ];
        let results = Results::new("gil", "gil/cpu".into(), "GIL: \"cpu\", small".into(), &rows)
            .series_by("mode")
            .details(&serde_json::json!({"note": "kept in JSON only"}));
        Export::new(
            &results,
            machine(label),
            "workload=cpu&threads=1,2".into(),
            "2026-12-01T15:00:00.000Z".into(),
        )
    }

    #[test]
    fn json_round_trip() {
        let e = sample("lab PC, row 3");
        let text = e.to_json();
        assert!(text.contains("\"format\": \"parlab-results\""));
        assert_eq!(Export::from_json(&text).unwrap(), e);
        let cols: Vec<&str> = e.rows[0].0.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(cols, ["threads", "median_ms", "speedup", "mode"]);
    }

    #[test]
    fn bad_json_gets_a_message_not_a_panic() {
        let msg = |t: &str| Export::from_json(t).unwrap_err();
        assert!(msg("{").starts_with("not valid JSON"));
        assert!(msg("[{\"threads\":1}]").contains("without a machine block"));
        assert!(msg("{\"a\":1}").contains("not a parlab results file"));
        assert!(msg("{\"format\":\"other\",\"version\":1}").contains("\"other\""));
        let newer = sample("x").to_json().replace("\"version\": 1", "\"version\": 7");
        assert!(msg(&newer).contains("newer parlab"));
        let no_rows = serde_json::to_string(&Export { rows: vec![], ..sample("x") }).unwrap();
        assert!(msg(&no_rows).contains("no result rows"));
        let mut v = serde_json::to_value(sample("x")).unwrap();
        v["machine"] = Value::String("mine".into());
        assert!(msg(&v.to_string()).contains("missing or wrong field"));
    }
}
