//! The GIL experiment's prediction: which mode runs N threads fastest (or, with one mode, its
//! speedup), and the measured answer from the sweep's report.

use parlab_kernels::gil::Mode;
use parlab_kernels::gil::sweep::{Report, Sweep};

use super::settings::{Settings, Workload, mode_label};
use crate::predict::{Answer, Question, explain};

/// A mode's value in the question: its name in the results' `data-json` (`free_threaded`).
fn value(m: Mode) -> String {
    serde_json::to_string(&m).unwrap_or_default().trim_matches('"').to_string()
}

/// The question for the modes that will run (`shared`: threads can share memory here).
pub fn question(s: &Settings, shared: bool) -> Option<Question> {
    let modes = s.runnable_modes(shared);
    let n = s.threads.iter().copied().max()?;
    if n < 2 || modes.is_empty() || (modes.len() == 1 && !s.threads.contains(&1)) {
        return None;
    }
    let options: Vec<(String, String)> =
        modes.iter().map(|&m| (value(m), mode_label(m).to_string())).collect();
    Some(explain::gil_question(n, &options))
}

/// The finished sweep's answer on its largest thread count, and the explanation.
pub fn measured(report: &Report, sweep: &Sweep, workload: Workload) -> Option<(Answer, String)> {
    let n = sweep.threads.iter().copied().max()?;
    let at_n: Vec<_> = report.rows.iter().filter(|r| r.threads == n).collect();
    let medians: Vec<(String, f64)> =
        at_n.iter().map(|r| (mode_label(r.mode).to_string(), r.median_ms)).collect();
    let handoffs = at_n.iter().find(|r| r.mode == Mode::Gil).map_or(0, |r| r.handoffs);
    let releases = matches!(workload, Workload::Io | Workload::Native | Workload::Mixed);
    let why = explain::gil(n, &medians, handoffs, releases);
    let answer = if sweep.modes.len() == 1 {
        Answer::Number(at_n.first()?.speedup?)
    } else {
        let fastest = at_n.iter().min_by(|a, b| a.median_ms.total_cmp(&b.median_ms))?;
        Answer::Choice(value(fastest.mode))
    };
    Some((answer, why))
}
