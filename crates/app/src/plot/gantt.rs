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

/// Approximate CSS width of `text` at 12–14 px sans-serif (for laying out before drawing).
fn text_w(text: &str) -> f64 {
    6.8 * text.chars().count() as f64
}

/// Draws `plot`; the canvas height follows from the number of lanes, and on a narrow canvas
/// the title and the legend wrap onto more lines instead of running off the edge.
pub fn draw_gantt(canvas: &HtmlCanvasElement, plot: &Gantt) -> Result<(), String> {
    let lanes = plot.lanes.len().max(1);
    let css_w = f64::from(canvas.client_width().max(200));
    // The title, split after its first ": " when it does not fit on one line.
    let title: Vec<&str> = match plot.title.split_once(": ") {
        Some((head, rest)) if text_w(plot.title) > css_w - 16.0 => vec![head, rest],
        _ => vec![plot.title],
    };
    // Legend boxes in rows that fit the width.
    let mut rows: Vec<Vec<(f64, &str, RGBColor)>> = vec![Vec::new()];
    let mut x = 8.0;
    for &(name, colour) in plot.categories {
        let w = 30.0 + text_w(name);
        if x + w > css_w && x > 8.0 {
            rows.push(Vec::new());
            x = 8.0;
        }
        rows.last_mut().expect("a row").push((x, name, colour));
        x += w;
    }
    let head = 8.0 + 20.0 * title.len() as f64 + 18.0 * rows.len() as f64;
    let height = head + 54.0 + 28.0 * lanes as f64;
    let Surface { root, dpr, theme } = Surface::new(canvas, height.round() as u32)?;
    let px = |v: f64| (v * dpr).round() as i32;
    let font = |size: f64| ("sans-serif", size * dpr).into_font();
    let err = |e: DrawingAreaErrorKind<_>| e.to_string();
    let (legend, body) = root.split_vertically(px(head));
    for (i, line) in title.iter().enumerate() {
        let at = (px(8.0), px(4.0 + 20.0 * i as f64));
        legend.draw(&Text::new(*line, at, font(14.0).color(&theme.fg))).map_err(err)?;
    }
    for (r, row) in rows.iter().enumerate() {
        let y = 8.0 + 20.0 * title.len() as f64 + 18.0 * r as f64;
        for &(x, name, colour) in row {
            let swatch =
                Rectangle::new([(px(x), px(y)), (px(x + 14.0), px(y + 12.0))], colour.filled());
            legend.draw(&swatch).map_err(err)?;
            let label = Text::new(name, (px(x + 19.0), px(y - 1.0)), font(12.0).color(&theme.fg));
            legend.draw(&label).map_err(err)?;
        }
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
    // About one time label per 50 CSS pixels, so narrow charts do not run them together.
    let x_labels = (chart.plotting_area().dim_in_pixel().0 as f64 / dpr / 50.0).clamp(4.0, 10.0);
    theme
        .style_mesh(&mut chart.configure_mesh(), dpr)
        .x_labels(x_labels as usize)
        .disable_y_mesh()
        .light_line_style(TRANSPARENT)
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
