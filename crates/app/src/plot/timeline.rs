//! A per-thread timeline (Gantt chart) of one run: each bar is one chunk, on the lane of the
//! thread that computed it, from its measured start to its measured end.

use parlab_kernels::RunOutcome;
use plotters::coord::ranged1d::SegmentValue;
use plotters::prelude::*;
use web_sys::HtmlCanvasElement;

use super::{Surface, THREAD_COLOURS};

/// Draws `outcome` with `lanes` thread lanes on a time axis from 0 to `x_max_ms`.
pub fn draw_timeline(
    canvas: &HtmlCanvasElement,
    outcome: &RunOutcome,
    lanes: usize,
    x_max_ms: f64,
    caption: &str,
) -> Result<(), String> {
    let lanes = lanes.max(1);
    let Surface { root, dpr, theme } = Surface::new(canvas, 76 + 30 * lanes as u32)?;
    let px = |v: f64| (v * dpr).round() as u32;
    let font = |size: f64| ("sans-serif", size * dpr).into_font();
    let mut chart = ChartBuilder::on(&root)
        .caption(caption, font(14.0).color(&theme.fg))
        .margin(px(8.0))
        .x_label_area_size(px(34.0))
        .y_label_area_size(px(70.0))
        // Integer ranges are inclusive in plotters: 0..lanes-1 gives exactly `lanes` segments.
        .build_cartesian_2d(0.0..x_max_ms.max(1e-3), (0..lanes - 1).into_segmented())
        .map_err(|e| e.to_string())?;
    super::gantt::lane_mesh(&mut chart, &theme, dpr, lanes, &|k| format!("thread {k}"))?;
    let bars = outcome.chunks.iter().map(|c| {
        let lane = c.thread.min(lanes - 1);
        let colour = THREAD_COLOURS[c.thread % THREAD_COLOURS.len()];
        let mut bar = Rectangle::new(
            [(c.start_ms, SegmentValue::Exact(lane)), (c.end_ms, SegmentValue::Exact(lane + 1))],
            colour.filled(),
        );
        bar.set_margin(px(5.0), px(5.0), 0, px(1.0));
        bar
    });
    chart.draw_series(bars).map_err(|e| e.to_string())?;
    if outcome.serial_ms > 0.0 {
        // The serial section: one thread works, the others can only wait.
        let lane = outcome.serial_thread.min(lanes - 1);
        let mut bar = Rectangle::new(
            [(0.0, SegmentValue::Exact(lane)), (outcome.serial_ms, SegmentValue::Exact(lane + 1))],
            theme.muted.filled(),
        );
        bar.set_margin(px(5.0), px(5.0), 0, 0);
        chart.draw_series(std::iter::once(bar)).map_err(|e| e.to_string())?;
        let label = Text::new(
            "serial",
            (outcome.serial_ms / 2.0, SegmentValue::CenterOf(lane)),
            font(11.0).color(&theme.bg),
        );
        chart.draw_series(std::iter::once(label)).map_err(|e| e.to_string())?;
    }
    root.present().map_err(|e| e.to_string())
}
