//! A general x–y plot: lines, dashed lines and point clouds on a linear or log₁₀ y axis, with
//! labelled vertical markers and a legend in its own strip (right of the plot on wide canvases,
//! below it on narrow ones) so it never hides data. A log axis is drawn as a linear axis over
//! log₁₀ y with the labels mapped back, as the speedup plot does for log₂ N.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use web_sys::HtmlCanvasElement;

use super::legend::{Framed, LegendEntry, Style, marker};

/// One series: legend label, colour, style and `(x, y)` points in data units.
pub struct Series {
    pub label: String,
    pub colour: RGBColor,
    pub style: Style,
    pub points: Vec<(f64, f64)>,
}

/// A dashed vertical line across the plot with a label at its top.
pub struct VLine {
    pub label: String,
    pub x: f64,
}

pub struct LinePlot<'a> {
    pub title: &'a str,
    pub x_label: &'a str,
    pub y_label: &'a str,
    pub x_range: (f64, f64),
    /// In data units; both ends positive when `log_y`.
    pub y_range: (f64, f64),
    pub log_y: bool,
    /// A log₁₀ x axis (both ends of `x_range` positive), labelled by decades.
    pub log_x: bool,
    pub series: Vec<Series>,
    pub vlines: Vec<VLine>,
    /// Decimals of the x tick labels (0 for years or widths).
    pub x_decimals: usize,
}

impl<'a> LinePlot<'a> {
    /// A linear plot of some speedup against thread counts 1…`max_threads`, from 0 to a
    /// little above `top` (the speedup plots of the GIL, SIMD and compare views).
    pub fn against_threads(
        title: &'a str,
        x_label: &'a str,
        y_label: &'a str,
        max_threads: f64,
        top: f64,
        series: Vec<Series>,
    ) -> Self {
        LinePlot {
            title,
            x_label,
            y_label,
            x_range: (0.8, max_threads + 0.2),
            y_range: (0.0, top * 1.12),
            log_y: false,
            log_x: false,
            series,
            vlines: Vec::new(),
            x_decimals: 0,
        }
    }
}

/// `10^k` as a short label: plain digits for 0.001…1000, else `10` with a superscript exponent.
pub fn decade_label(k: i32) -> String {
    if (-3..=3).contains(&k) {
        let v = 10f64.powi(k);
        return if k < 0 { format!("{v:.*}", (-k) as usize) } else { format!("{v:.0}") };
    }
    const SUP: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];
    let digits: String =
        k.unsigned_abs().to_string().chars().map(|c| SUP[c as usize - '0' as usize]).collect();
    format!("10{}{digits}", if k < 0 { "⁻" } else { "" })
}

/// Draws `plot` into `canvas` (CSS height `css_height`).
pub fn draw_lines(
    canvas: &HtmlCanvasElement,
    plot: &LinePlot,
    css_height: u32,
) -> Result<(), String> {
    let entries: Vec<LegendEntry> = plot
        .series
        .iter()
        .map(|s| LegendEntry { label: s.label.clone(), colour: s.colour, style: s.style })
        .collect();
    let Framed { root, plot: chart_area, dpr, theme } = Framed::new(canvas, css_height, &entries)?;
    let px = |v: f64| (v * dpr).round() as i32;
    let font = |size: f64| ("sans-serif", size * dpr).into_font();
    let ty = |y: f64| if plot.log_y { y.log10() } else { y };
    let tx = |x: f64| if plot.log_x { x.log10() } else { x };
    let (x0, x1) = (tx(plot.x_range.0), tx(plot.x_range.1));
    let (y0, y1) = (ty(plot.y_range.0), ty(plot.y_range.1));
    let mut chart = ChartBuilder::on(&chart_area)
        .caption(plot.title, font(15.0).color(&theme.fg))
        .margin(px(10.0) as u32)
        .x_label_area_size(px(40.0) as u32)
        .y_label_area_size(px(60.0) as u32)
        .build_cartesian_2d(x0..x1, y0..y1)
        .map_err(|e| e.to_string())?;
    let log = plot.log_y;
    // About one x label per 60 CSS pixels, so narrow canvases do not run the labels together.
    let x_labels =
        ((chart_area.dim_in_pixel().0 as f64 / dpr - 80.0) / 60.0).clamp(4.0, 12.0) as usize;
    let y_fmt = |v: &f64| {
        if !log {
            let digits = if (y1 - y0) < 3.0 {
                2
            } else if (y1 - y0) < 30.0 {
                1
            } else {
                0
            };
            format!("{v:.digits$}")
        } else if (v - v.round()).abs() < 1e-6 {
            decade_label(v.round() as i32)
        } else {
            String::new()
        }
    };
    // Whole-number axes (threads, years) label only whole numbers.
    let x_fmt = |v: &f64| {
        if plot.log_x {
            if (v - v.round()).abs() < 1e-6 {
                decade_label(v.round() as i32)
            } else {
                String::new()
            }
        } else if plot.x_decimals == 0 && (v - v.round()).abs() > 1e-6 {
            String::new()
        } else {
            format!("{v:.*}", plot.x_decimals)
        }
    };
    let mut mesh = chart.configure_mesh();
    theme
        .style_mesh(&mut mesh, dpr)
        .x_desc(plot.x_label)
        .y_desc(plot.y_label)
        .x_labels(x_labels)
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&y_fmt);
    if log {
        mesh.y_labels(((y1 - y0).round() as usize + 1).clamp(2, 14));
    }
    if plot.log_x {
        mesh.x_labels(((x1 - x0).round() as usize + 1).clamp(2, 14));
    }
    mesh.draw().map_err(|e| e.to_string())?;
    let inside = |&(x, y): &(f64, f64)| {
        (!log || y > 0.0)
            && (!plot.log_x || x > 0.0)
            && tx(x) >= x0 - 1e-9
            && tx(x) <= x1 + 1e-9
            && ty(y) >= y0 - 1e-9
            && ty(y) <= y1 + 1e-9
    };
    for s in &plot.series {
        let pts: Vec<(f64, f64)> =
            s.points.iter().filter(|p| inside(p)).map(|&(x, y)| (tx(x), ty(y))).collect();
        let line = ShapeStyle::from(s.colour).stroke_width(px(2.0) as u32);
        match s.style {
            Style::Line | Style::LinePoints(_) => {
                chart.draw_series(LineSeries::new(pts.clone(), line)).map(|_| ())
            }
            Style::Dashed => chart
                .draw_series(DashedLineSeries::new(
                    pts.clone(),
                    px(7.0) as u32,
                    px(5.0) as u32,
                    line,
                ))
                .map(|_| ()),
            Style::Points(_) => Ok(()),
        }
        .map_err(|e| e.to_string())?;
        if let Style::Points(shape) | Style::LinePoints(shape) = s.style {
            let style = s.colour.filled();
            chart
                .draw_series(pts.iter().map(|&p| marker(shape, p, px(3.5), style)))
                .map_err(|e| e.to_string())?;
        }
    }
    for v in
        plot.vlines.iter().filter(|v| (!plot.log_x || v.x > 0.0) && tx(v.x) >= x0 && tx(v.x) <= x1)
    {
        let vx = tx(v.x);
        let style = ShapeStyle::from(theme.fg).stroke_width(px(1.5) as u32);
        chart
            .draw_series(DashedLineSeries::new(
                [(vx, y0), (vx, y1)],
                px(4.0) as u32,
                px(4.0) as u32,
                style,
            ))
            .map_err(|e| e.to_string())?;
        // Right of the line, or left of it when the label would run past the plot's edge.
        let text = format!(" {} ", v.label);
        let style = font(12.0).color(&theme.fg);
        let width = root.estimate_text_size(&text, &style).map_or(0, |s| s.0 as i32);
        let line_x = chart.backend_coord(&(vx, y1)).0;
        let right_edge = chart.plotting_area().get_pixel_range().0.end;
        let h = if line_x + width > right_edge { HPos::Right } else { HPos::Left };
        let anchor = Pos::new(h, VPos::Top);
        chart
            .draw_series(std::iter::once(Text::new(
                text,
                (vx, y1),
                font(12.0).color(&theme.fg).pos(anchor),
            )))
            .map_err(|e| e.to_string())?;
    }
    root.present().map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::decade_label;

    #[test]
    fn decade_labels() {
        assert_eq!(decade_label(0), "1");
        assert_eq!(decade_label(3), "1000");
        assert_eq!(decade_label(-1), "0.1");
        assert_eq!(decade_label(6), "10⁶");
        assert_eq!(decade_label(-4), "10⁻⁴");
    }
}
