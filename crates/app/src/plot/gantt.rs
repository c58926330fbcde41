//! A per-thread Gantt chart of what each thread was doing (e.g. running bytecode, waiting for
//! the GIL, in I/O), one lane per thread, bars coloured by category, with a legend strip of
//! filled boxes above the chart so it never hides a bar.

use plotters::coord::ranged1d::{SegmentValue, SegmentedCoord};
use plotters::coord::types::{RangedCoordf64, RangedCoordusize};
use plotters::prelude::*;
use web_sys::HtmlCanvasElement;

use super::{Surface, Theme};

/// One lane: its label and `(start_ms, end_ms, category)` bars.
pub struct Lane {
    pub label: String,
    pub bars: Vec<(f64, f64, usize)>,
}

pub struct Gantt<'a> {
    pub title: &'a str,
    pub lanes: &'a [Lane],
    /// Legend name and colour of each category.
    pub categories: &'a [(&'a str, RGBColor)],
    pub x_max_ms: f64,
}

/// Draws `plot`; the canvas height follows from the number of lanes.
pub fn draw_gantt(canvas: &HtmlCanvasElement, plot: &Gantt) -> Result<(), String> {
    let lanes = plot.lanes.len().max(1);
    let Surface { root, dpr, theme } = Surface::new(canvas, 104 + 28 * lanes as u32)?;
    let px = |v: f64| (v * dpr).round() as i32;
    let font = |size: f64| ("sans-serif", size * dpr).into_font();
    let err = |e: DrawingAreaErrorKind<_>| e.to_string();
    let (legend, body) = root.split_vertically(px(50.0));
    legend
        .draw(&Text::new(plot.title, (px(8.0), px(4.0)), font(14.0).color(&theme.fg)))
        .map_err(err)?;
    let mut x = 8.0;
    for (name, colour) in plot.categories {
        let y = 28.0;
        legend
            .draw(&Rectangle::new([(px(x), px(y)), (px(x + 14.0), px(y + 12.0))], colour.filled()))
            .map_err(err)?;
        legend
            .draw(&Text::new(*name, (px(x + 19.0), px(y - 1.0)), font(12.0).color(&theme.fg)))
            .map_err(err)?;
        x += 30.0 + 6.5 * name.chars().count() as f64;
    }
    let mut chart = ChartBuilder::on(&body)
        .margin_left(px(8.0))
        .margin_right(px(14.0))
        .margin_bottom(px(4.0))
        .x_label_area_size(px(34.0))
        .y_label_area_size(px(70.0))
        // Integer ranges are inclusive in plotters: 0..lanes-1 gives exactly `lanes` segments.
        .build_cartesian_2d(0.0..plot.x_max_ms.max(1e-3), (0..lanes - 1).into_segmented())
        .map_err(|e| e.to_string())?;
    let label = |k: usize| plot.lanes.get(k).map_or(String::new(), |l| l.label.clone());
    lane_mesh(&mut chart, &theme, dpr, lanes, &label)?;
    let bars = plot.lanes.iter().enumerate().flat_map(|(lane, l)| {
        l.bars.iter().map(move |&(start, end, category)| {
            let colour = plot.categories.get(category).map_or(theme.muted, |c| c.1);
            let mut bar = Rectangle::new(
                [(start, SegmentValue::Exact(lane)), (end, SegmentValue::Exact(lane + 1))],
                colour.filled(),
            );
            bar.set_margin(px(4.0) as u32, px(4.0) as u32, 0, 0);
            bar
        })
    });
    chart.draw_series(bars).map_err(|e| e.to_string())?;
    root.present().map_err(|e| e.to_string())
}

/// Draws the mesh of a lane chart: a time axis in ms and one labelled lane per row.
pub(super) fn lane_mesh<DB: DrawingBackend>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<RangedCoordf64, SegmentedCoord<RangedCoordusize>>>,
    theme: &Theme,
    dpr: f64,
    lanes: usize,
    label: &dyn Fn(usize) -> String,
) -> Result<(), String> {
    let font = |size: f64| ("sans-serif", size * dpr).into_font();
    chart
        .configure_mesh()
        .disable_y_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(theme.grid)
        .axis_style(theme.muted)
        .label_style(font(12.0).color(&theme.fg))
        .axis_desc_style(font(12.0).color(&theme.muted))
        .x_desc("time since the run started (ms)")
        .y_labels(lanes)
        .y_label_formatter(&|v| match v {
            SegmentValue::CenterOf(k) => label(*k),
            _ => String::new(),
        })
        .draw()
        .map_err(|e| e.to_string())
}
