//! A histogram of final values over repeated runs (e.g. a racy counter), with the expected
//! value marked.

use plotters::prelude::*;
use web_sys::HtmlCanvasElement;

use super::{Surface, THREAD_COLOURS};

/// Bins below the expected value's bin.
const BINS: usize = 20;

/// The bin of `v`: bin `BINS` is centred on `expected`, each bin `width` wide, lower values to
/// the left (values above `expected`, which a counter cannot reach, join its bin).
fn bin_of(v: u64, expected: u64, width: f64) -> usize {
    let below = expected.saturating_sub(v) as f64 / width;
    BINS - (below.round() as usize).min(BINS)
}

/// Draws `values` in equal bins whose last one is centred on `expected` (which is marked), so
/// the runs that reached the expected value stand on its line, not beside it.
pub fn draw_histogram(
    canvas: &HtmlCanvasElement,
    values: &[u64],
    expected: u64,
    caption: &str,
    x_label: &str,
) -> Result<(), String> {
    let Surface { root, dpr, theme } = Surface::new(canvas, 280)?;
    let px = |v: f64| (v * dpr).round() as u32;
    let font = |size: f64| ("sans-serif", size * dpr).into_font();
    let lo = values.iter().copied().min().unwrap_or(0).min(expected);
    let span = (expected - lo).max(1) as f64;
    let width = span / BINS as f64;
    let mut counts = [0u32; BINS + 1];
    for &v in values {
        counts[bin_of(v, expected, width)] += 1;
    }
    let y_max = counts.iter().copied().max().unwrap_or(1).max(1) as f64 * 1.15;
    let x0 = lo as f64 - width;
    let x1 = expected as f64 + width * 1.5;
    let mut chart = ChartBuilder::on(&root)
        .caption(caption, font(14.0).color(&theme.fg))
        .margin(px(10.0))
        .x_label_area_size(px(40.0))
        .y_label_area_size(px(48.0))
        .build_cartesian_2d(x0..x1, 0.0..y_max)
        .map_err(|e| e.to_string())?;
    theme
        .style_mesh(&mut chart.configure_mesh(), dpr)
        .disable_x_mesh()
        .light_line_style(TRANSPARENT)
        .x_desc(x_label)
        .y_desc("runs")
        .x_label_formatter(&|x| format!("{:.0}", x))
        .y_label_formatter(&|y| format!("{:.0}", y))
        .y_labels((y_max as usize).clamp(2, 10))
        .x_labels(6)
        .draw()
        .map_err(|e| e.to_string())?;
    let colour = THREAD_COLOURS[5];
    let bars = counts.iter().enumerate().filter(|(_, c)| **c > 0).map(|(i, &c)| {
        let centre = expected as f64 - (BINS - i) as f64 * width;
        let a = centre - width / 2.0;
        let mut r = Rectangle::new([(a, 0.0), (a + width, c as f64)], colour.filled());
        r.set_margin(0, 0, 1, 1);
        r
    });
    chart.draw_series(bars).map_err(|e| e.to_string())?;
    let e = expected as f64;
    let style = ShapeStyle::from(theme.fg).stroke_width(px(2.0));
    chart
        .draw_series(DashedLineSeries::new([(e, 0.0), (e, y_max)], px(5.0), px(4.0), style))
        .map_err(|e| e.to_string())?;
    chart
        .draw_series(std::iter::once(Text::new(
            format!("expected {expected}"),
            (e, y_max * 0.97),
            font(12.0).color(&theme.fg).pos(plotters::style::text_anchor::Pos::new(
                plotters::style::text_anchor::HPos::Right,
                plotters::style::text_anchor::VPos::Top,
            )),
        )))
        .map_err(|e| e.to_string())?;
    root.present().map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_expected_value_has_the_centred_last_bin() {
        // 0..=2000 in 20 bins of 100: 2000 is bin 20 (centred on 2000), 1960 rounds to it,
        // 1940 to bin 19 (centred on 1900), 0 to bin 0.
        assert_eq!(bin_of(2000, 2000, 100.0), BINS);
        assert_eq!(bin_of(1960, 2000, 100.0), BINS);
        assert_eq!(bin_of(1940, 2000, 100.0), BINS - 1);
        assert_eq!(bin_of(0, 2000, 100.0), 0);
        assert_eq!(bin_of(2100, 2000, 100.0), BINS);
    }
}
