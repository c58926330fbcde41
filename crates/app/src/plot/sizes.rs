//! A log–log plot of a quantity against a size in bytes (message size, working set), one line
//! per series, with the min–max range of the repetitions as a whisker. Sizes are powers of two, so the x axis is
//! log₂ bytes labelled as `KiB` / `MiB`; the y axis is log₁₀, labelled by decades.

use plotters::prelude::*;
use web_sys::HtmlCanvasElement;

use super::{Framed, LegendEntry, Shape, Style, decade_label, marker};

/// One method's points: `(bytes, y, y_min, y_max)`.
pub struct Line {
    pub label: String,
    pub colour: RGBColor,
    pub shape: Shape,
    pub points: Vec<(f64, f64, f64, f64)>,
}

/// A plot of some quantity against a size in bytes.
pub struct SizePlot<'a> {
    pub title: &'a str,
    /// What the sizes are, e.g. `message size (bytes, log scale)`.
    pub x_label: &'a str,
    pub y_label: &'a str,
    pub lines: Vec<Line>,
}

/// `1024` → `1 KiB`, `16777216` → `16 MiB`.
pub fn size_label(bytes: f64) -> String {
    let short = |v: f64| {
        if (v - v.round()).abs() < 1e-9 || v >= 100.0 {
            format!("{v:.0}")
        } else {
            format!("{v:.1}")
        }
    };
    if bytes >= (1u64 << 20) as f64 {
        format!("{} MiB", short(bytes / (1u64 << 20) as f64))
    } else if bytes >= 1024.0 {
        format!("{} KiB", short(bytes / 1024.0))
    } else {
        format!("{bytes:.0} B")
    }
}

/// Draws `plot` into `canvas` (CSS height `css_height`, plus the legend strip when narrow).
pub fn draw_sizes(
    canvas: &HtmlCanvasElement,
    plot: &SizePlot,
    css_height: u32,
) -> Result<(), String> {
    let all: Vec<(f64, f64)> = plot
        .lines
        .iter()
        .flat_map(|l| l.points.iter())
        .flat_map(|&(x, y, lo, hi)| [(x, y), (x, lo), (x, hi)])
        .filter(|&(x, y)| x > 0.0 && y > 0.0 && y.is_finite())
        .collect();
    if all.is_empty() {
        return Ok(());
    }
    let fold = |f: fn(f64, f64) -> f64, init: f64, g: fn(&(f64, f64)) -> f64| {
        all.iter().map(g).fold(init, f)
    };
    let (x0, x1) = (fold(f64::min, f64::MAX, |p| p.0).log2(), fold(f64::max, 0.0, |p| p.0).log2());
    let (y0, y1) = (
        fold(f64::min, f64::MAX, |p| p.1).log10().floor(),
        fold(f64::max, 0.0, |p| p.1).log10().ceil(),
    );
    let (x0, x1) = (x0 - 0.4, x1.max(x0 + 1.0) + 0.4);
    let y1 = y1.max(y0 + 1.0);

    let entries: Vec<LegendEntry> = plot
        .lines
        .iter()
        .map(|l| LegendEntry {
            label: l.label.clone(),
            colour: l.colour,
            style: Style::LinePoints(l.shape),
        })
        .collect();
    let Framed { root, plot: chart_area, dpr, theme } = Framed::new(canvas, css_height, &entries)?;
    let px = |v: f64| (v * dpr).round() as i32;
    let font = |size: f64| ("sans-serif", size * dpr).into_font();

    let mut chart = ChartBuilder::on(&chart_area)
        .caption(plot.title, font(15.0).color(&theme.fg))
        .margin(px(10.0) as u32)
        .x_label_area_size(px(40.0) as u32)
        .y_label_area_size(px(60.0) as u32)
        .build_cartesian_2d(x0..x1, y0..y1)
        .map_err(|e| e.to_string())?;
    let x_fmt = |v: &f64| {
        if (v - v.round()).abs() < 1e-6 {
            size_label(2f64.powi(v.round() as i32))
        } else {
            String::new()
        }
    };
    let y_fmt = |v: &f64| {
        if (v - v.round()).abs() < 1e-6 { decade_label(v.round() as i32) } else { String::new() }
    };
    let x_labels = ((chart_area.dim_in_pixel().0 as f64 / dpr - 80.0) / 70.0).clamp(3.0, 10.0);
    theme
        .style_mesh(&mut chart.configure_mesh(), dpr)
        .x_desc(plot.x_label)
        .y_desc(plot.y_label)
        .x_labels(x_labels as usize)
        .y_labels(((y1 - y0).round() as usize + 1).clamp(2, 14))
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&y_fmt)
        .draw()
        .map_err(|e| e.to_string())?;

    let t = |x: f64, y: f64| (x.log2(), y.log10());
    for l in &plot.lines {
        let pts: Vec<(f64, f64)> = l
            .points
            .iter()
            .filter(|p| p.0 > 0.0 && p.1 > 0.0 && p.1.is_finite())
            .map(|&(x, y, _, _)| t(x, y))
            .collect();
        let stroke = ShapeStyle::from(l.colour).stroke_width(px(2.0) as u32);
        chart.draw_series(LineSeries::new(pts.clone(), stroke)).map_err(|e| e.to_string())?;
        let whiskers = l.points.iter().filter(|p| p.0 > 0.0 && p.2 > 0.0 && p.3 > p.2).map(
            |&(x, _, lo, hi)| {
                PathElement::new([t(x, lo), t(x, hi)], l.colour.stroke_width(px(1.0) as u32))
            },
        );
        chart.draw_series(whiskers).map_err(|e| e.to_string())?;
        chart
            .draw_series(pts.iter().map(|&p| marker(l.shape, p, px(3.5), l.colour.filled())))
            .map_err(|e| e.to_string())?;
    }
    root.present().map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::size_label;

    #[test]
    fn sizes_read_as_binary_units() {
        assert_eq!(size_label(1024.0), "1 KiB");
        assert_eq!(size_label(262_144.0), "256 KiB");
        assert_eq!(size_label(16_777_216.0), "16 MiB");
        assert_eq!(size_label(512.0), "512 B");
    }
}
