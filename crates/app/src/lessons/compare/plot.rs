//! The compare plot: every curve of the chosen class against threads, the ideal dashed.

use web_sys::HtmlCanvasElement;

use crate::export::compare::Curve;
use crate::plot::{LinePlot, Series, Shape, Style, THREAD_COLOURS, draw_lines};

/// Draws `curves` (threads → speedup) into `canvas`. The title stays short (the experiment is
/// named by the picker above), so it fits a phone's width.
pub fn draw(canvas: &HtmlCanvasElement, curves: &[Curve]) {
    if curves.is_empty() {
        return;
    }
    let points = || curves.iter().flat_map(|c| c.points.iter());
    let max_threads = points().map(|p| p.0).fold(1.0, f64::max);
    let top = points().map(|p| p.1).fold(max_threads, f64::max);
    let mut series: Vec<Series> = curves
        .iter()
        .enumerate()
        .map(|(i, c)| Series {
            label: c.label.clone(),
            colour: THREAD_COLOURS[i % THREAD_COLOURS.len()],
            style: Style::LinePoints(Shape::ALL[i % Shape::ALL.len()]),
            points: c.points.clone(),
        })
        .collect();
    series.push(Series {
        label: "ideal (speedup = threads)".into(),
        colour: THREAD_COLOURS[7],
        style: Style::Dashed,
        points: vec![(1.0, 1.0), (max_threads, max_threads)],
    });
    let plot = LinePlot::against_threads(
        "Measured speedup, one line per machine",
        "threads",
        "speedup over 1 thread (×)",
        max_threads,
        top,
        series,
    );
    if let Err(e) = draw_lines(canvas, &plot, 320) {
        web_sys::console::warn_1(&format!("compare plot: {e}").into());
    }
}
