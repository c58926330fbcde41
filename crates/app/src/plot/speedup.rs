//! Speedup (or efficiency) against thread count: measured points with min–max error bars over
//! the Amdahl curve for the chosen p, the curve for the fitted p, the ideal line and the
//! asymptote 1/(1 − p). A log₂ thread axis is drawn as a linear axis over log₂ N with labels
//! mapped back, so one code path serves both.

use plotters::prelude::*;
use web_sys::HtmlCanvasElement;

use super::legend::{LegendEntry, Shape, Style, draw_legend};
use super::{Surface, THREAD_COLOURS, Theme};

/// One measured thread count.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Measured {
    pub n: f64,
    pub value: f64,
    pub low: f64,
    pub high: f64,
}

/// A model curve to draw: a label, a colour index and y(N).
pub struct Curve<'a> {
    pub label: String,
    pub colour: RGBColor,
    pub dashed: bool,
    pub f: &'a dyn Fn(f64) -> f64,
}

pub struct SpeedupPlot<'a> {
    pub title: &'a str,
    /// Name of the x quantity, e.g. "threads N".
    pub x_label: &'a str,
    pub y_label: &'a str,
    pub n_max: f64,
    pub log_x: bool,
    pub curves: Vec<Curve<'a>>,
    /// A horizontal asymptote (label, y) drawn dotted when it is inside the view.
    pub asymptote: Option<(String, f64)>,
    pub measured: &'a [Measured],
    pub measured_label: &'a str,
    /// Upper bound of the y axis (`None`: fit to the curves and points).
    pub y_max: Option<f64>,
}

pub const AMDAHL_COLOUR: RGBColor = THREAD_COLOURS[0];
pub const FIT_COLOUR: RGBColor = THREAD_COLOURS[1];
pub const GUSTAFSON_COLOUR: RGBColor = THREAD_COLOURS[2];

fn x_of(n: f64, log: bool) -> f64 {
    if log { n.max(1.0).log2() } else { n }
}

/// Draws the plot into `canvas` (CSS height `css_height`).
pub fn draw_speedup(
    canvas: &HtmlCanvasElement,
    plot: &SpeedupPlot,
    css_height: u32,
) -> Result<(), String> {
    let Surface { root, dpr, theme } = Surface::new(canvas, css_height)?;
    let px = |v: f64| (v * dpr).round() as u32;
    let font = |size: f64| ("sans-serif", size * dpr).into_font();
    // The legend gets its own strip (right on wide canvases, below on narrow ones) so it never
    // hides a curve or a measured point.
    let (w, h) = root.dim_in_pixel();
    let entries = legend_entries(plot, &theme);
    let (chart_area, legend_area, legend_top) = if (w as f64 / dpr) >= 640.0 {
        let (a, b) = root.split_horizontally(w - px(240.0));
        (a, b, 34.0)
    } else {
        let (a, b) = root.split_vertically(h - px(16.0 + 18.0 * entries.len() as f64));
        (a, b, 8.0)
    };
    draw_legend(&legend_area, &entries, &theme, dpr, legend_top)?;
    let log = plot.log_x;
    let n_max = plot.n_max.max(2.0);
    let samples: Vec<f64> = (0..=400)
        .map(|i| {
            let t = i as f64 / 400.0;
            if log { 2f64.powf(t * n_max.log2()) } else { 1.0 + t * (n_max - 1.0) }
        })
        .collect();
    let curve_max =
        plot.curves.iter().flat_map(|c| samples.iter().map(|&n| (c.f)(n))).fold(1.0, f64::max);
    let point_max = plot.measured.iter().map(|m| m.high).fold(1.0, f64::max);
    let y_max = plot.y_max.unwrap_or_else(|| curve_max.max(point_max) * 1.08).max(1e-3);
    let x_range = x_of(1.0, log)..x_of(n_max, log);
    let mut chart = ChartBuilder::on(&chart_area)
        .caption(plot.title, font(15.0).color(&theme.fg))
        .margin(px(10.0))
        .x_label_area_size(px(40.0))
        .y_label_area_size(px(56.0))
        .build_cartesian_2d(x_range, 0.0..y_max)
        .map_err(|e| e.to_string())?;
    let x_fmt = |x: &f64| {
        let n = if log { 2f64.powf(*x) } else { *x };
        if (n - n.round()).abs() < 1e-6 { format!("{}", n.round()) } else { format!("{n:.1}") }
    };
    theme
        .style_mesh(&mut chart.configure_mesh(), dpr)
        .x_desc(if log {
            format!("{} (log₂ scale)", plot.x_label)
        } else {
            plot.x_label.to_string()
        })
        .y_desc(plot.y_label)
        .x_labels(if log { (n_max.log2().ceil() as usize + 1).min(12) } else { 10 })
        .x_label_formatter(&x_fmt)
        .draw()
        .map_err(|e| e.to_string())?;
    for c in &plot.curves {
        let style = ShapeStyle::from(c.colour).stroke_width(px(2.0));
        // Stop a curve where it leaves the view instead of letting it run along the top edge.
        let points: Vec<(f64, f64)> = samples
            .iter()
            .map(|&n| (x_of(n, log), (c.f)(n)))
            .take_while(|&(_, y)| y <= y_max)
            .collect();
        if c.dashed {
            chart.draw_series(DashedLineSeries::new(points, px(7.0), px(5.0), style))
        } else {
            chart.draw_series(LineSeries::new(points, style))
        }
        .map_err(|e| e.to_string())?;
    }
    if let Some((_, y)) = &plot.asymptote
        && *y < y_max
    {
        let style = ShapeStyle::from(theme.muted).stroke_width(px(2.0));
        let line = [(x_of(1.0, log), *y), (x_of(n_max, log), *y)];
        chart
            .draw_series(DashedLineSeries::new(line, px(3.0), px(4.0), style))
            .map_err(|e| e.to_string())?;
    }
    if !plot.measured.is_empty() {
        let fg = theme.fg;
        let bars = plot.measured.iter().map(|m| {
            ErrorBar::new_vertical(x_of(m.n, log), m.low, m.value, m.high, fg.filled(), px(8.0))
        });
        chart.draw_series(bars).map_err(|e| e.to_string())?;
        let dots = plot
            .measured
            .iter()
            .map(|m| Circle::new((x_of(m.n, log), m.value), px(4.5), fg.filled()));
        chart.draw_series(dots).map_err(|e| e.to_string())?;
    }
    root.present().map_err(|e| e.to_string())
}

fn legend_entries(plot: &SpeedupPlot, theme: &Theme) -> Vec<LegendEntry> {
    let line = |label: &str, colour, dashed| LegendEntry {
        label: label.to_string(),
        colour,
        style: if dashed { Style::Dashed } else { Style::Line },
    };
    let mut entries: Vec<LegendEntry> =
        plot.curves.iter().map(|c| line(&c.label, c.colour, c.dashed)).collect();
    if let Some((label, _)) = &plot.asymptote {
        entries.push(line(label, theme.muted, true));
    }
    if !plot.measured.is_empty() {
        let style = Style::Points(Shape::Circle);
        entries.push(LegendEntry {
            label: plot.measured_label.to_string(),
            colour: theme.fg,
            style,
        });
    }
    entries
}
