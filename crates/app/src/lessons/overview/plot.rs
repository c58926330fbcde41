//! The overview's speedup plot: Amdahl's curve for the lever's p (a model) with the tab's
//! latest measured speedups on top, so model and measurement share one picture.

use parlab_model::amdahl;
use web_sys::HtmlCanvasElement;

use super::levers::Levers;
use crate::activity::LastRun;
use crate::plot::{AMDAHL_COLOUR, Curve, Measured, SpeedupPlot, Theme, draw_speedup};

pub const CANVAS: &str = "overview-speedup";

/// Draws the plot for `levers`, with `run`'s measured points if there are any.
pub fn draw(levers: &Levers, run: Option<&LastRun>, plot: &yew::NodeRef) {
    let Some(canvas) = plot.cast::<HtmlCanvasElement>() else {
        return;
    };
    let points: Vec<Measured> = run
        .map(|r| r.points())
        .unwrap_or_default()
        .into_iter()
        .map(|(n, value, low, high)| Measured { n, value, low, high })
        .collect();
    // A little room right of the last core count, so a measured point there is not cut.
    let n_max = points.iter().map(|m| m.n).fold(levers.n as f64, f64::max).max(2.0);
    let n_max = n_max + (0.04 * n_max).max(0.25);
    let p = levers.p;
    let amdahl_curve = move |n: f64| amdahl::speedup(p, n);
    let ideal = |n: f64| n;
    let theme = Theme::current();
    let curves = vec![
        Curve { label: "ideal S = N".into(), colour: theme.muted, dashed: true, f: &ideal },
        Curve {
            label: format!("Amdahl (model), p = {p:.3}"),
            colour: AMDAHL_COLOUR,
            dashed: false,
            f: &amdahl_curve,
        },
    ];
    let limit = amdahl::limit(p);
    let measured_label = run.map_or(String::new(), |r| format!("measured: {}", r.workload));
    let y_max =
        n_max.min(limit * 1.15).max(points.iter().map(|m| m.high).fold(1.0, f64::max) * 1.1);
    let plot = SpeedupPlot {
        title: "Speedup S = T₁ / T_N (Amdahl's law, a model)",
        x_label: "cores / threads N",
        y_label: "speedup (×)",
        n_max,
        log_x: false,
        curves,
        asymptote: limit.is_finite().then(|| (format!("limit 1/(1 − p) = {limit:.1}"), limit)),
        measured: &points,
        measured_label: &measured_label,
        y_max: Some(y_max.max(2.0)),
    };
    if let Err(e) = draw_speedup(&canvas, &plot, 340) {
        web_sys::console::warn_1(&e.into());
    }
}
