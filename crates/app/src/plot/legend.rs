//! Legends drawn in their own strip beside or below a plot (never over the data), and the
//! point markers they share with the plots.

use plotters::coord::Shift;
use plotters::element::DynElement;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use web_sys::HtmlCanvasElement;

use super::{Surface, Theme};

/// Point marker shapes (distinct shapes as well as colours, for colour-blind readers).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    Circle,
    Triangle,
    Square,
    Diamond,
    Cross,
}

impl Shape {
    pub const ALL: [Shape; 5] =
        [Shape::Circle, Shape::Triangle, Shape::Square, Shape::Diamond, Shape::Cross];
}

/// How a series is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    Line,
    Dashed,
    Points(Shape),
    LinePoints(Shape),
}

/// One legend row: its label and how its series is drawn.
pub struct LegendEntry {
    pub label: String,
    pub colour: RGBColor,
    pub style: Style,
}

/// A marker of `shape` with radius `r` (backend pixels) at `at`, in any coordinate system.
pub fn marker<DB: DrawingBackend + 'static, C: Clone + 'static>(
    shape: Shape,
    at: C,
    r: i32,
    style: ShapeStyle,
) -> DynElement<'static, DB, C> {
    let e = EmptyElement::at(at);
    match shape {
        Shape::Circle => (e + Circle::new((0, 0), r, style)).into_dyn(),
        Shape::Triangle => (e + TriangleMarker::new((0, 0), r + 1, style)).into_dyn(),
        Shape::Square => (e + Rectangle::new([(-r, -r), (r, r)], style)).into_dyn(),
        Shape::Diamond => {
            let r = r + 1;
            (e + Polygon::new(vec![(0, -r), (r, 0), (0, r), (-r, 0)], style)).into_dyn()
        }
        Shape::Cross => (e + Cross::new((0, 0), r, style.stroke_width(2))).into_dyn(),
    }
}

/// Draws `entries` one per row, starting `top` CSS pixels down `area`.
pub fn draw_legend<DB: DrawingBackend + 'static>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    entries: &[LegendEntry],
    theme: &Theme,
    dpr: f64,
    top: f64,
) -> Result<(), String> {
    let px = |v: f64| (v * dpr).round() as i32;
    let font = ("sans-serif", 12.0 * dpr).into_font().color(&theme.fg);
    for (i, s) in entries.iter().enumerate() {
        let y = px(top + 18.0 * i as f64);
        let (x0, x1) = (px(8.0), px(30.0));
        let stroke = s.colour.stroke_width(px(2.0) as u32);
        let line = match s.style {
            Style::Line | Style::LinePoints(_) => {
                area.draw(&PathElement::new([(x0, y), (x1, y)], stroke))
            }
            Style::Dashed => (0..3).try_for_each(|k| {
                let a = x0 + px(8.0) * k;
                area.draw(&PathElement::new([(a, y), (a + px(5.0), y)], stroke))
            }),
            Style::Points(_) => Ok(()),
        };
        line.map_err(|e| e.to_string())?;
        if let Style::Points(shape) | Style::LinePoints(shape) = s.style {
            area.draw(&marker(shape, ((x0 + x1) / 2, y), px(4.0), s.colour.filled()))
                .map_err(|e| e.to_string())?;
        }
        area.draw(&Text::new(s.label.clone(), (px(38.0), y - px(7.0)), font.clone()))
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// A canvas split into a plot area and a legend strip: right of the plot on wide canvases,
/// below it (the canvas grown to fit) on narrow ones, so the legend never hides data.
pub struct Framed {
    pub root: DrawingArea<CanvasBackend, Shift>,
    pub plot: DrawingArea<CanvasBackend, Shift>,
    pub dpr: f64,
    pub theme: Theme,
}

impl Framed {
    /// Sizes `canvas` (CSS height `css_height` for the plot) and draws `entries` in the strip.
    pub fn new(
        canvas: &HtmlCanvasElement,
        css_height: u32,
        entries: &[LegendEntry],
    ) -> Result<Framed, String> {
        let legend_h = 14 + 18 * entries.len() as u32;
        let narrow = (canvas.client_width() as f64) < 640.0;
        let Surface { root, dpr, theme } =
            Surface::new(canvas, if narrow { css_height + legend_h } else { css_height })?;
        let px = |v: f64| (v * dpr).round() as i32;
        let (w, h) = root.dim_in_pixel();
        let (plot, legend, top) = if narrow {
            let (a, b) = root.split_vertically(h - px(legend_h as f64) as u32);
            (a, b, 8.0)
        } else {
            let font = TextStyle::from(("sans-serif", 12.0 * dpr).into_font());
            let label_w = entries
                .iter()
                .filter_map(|e| root.estimate_text_size(&e.label, &font).ok())
                .map(|(tw, _)| tw as f64 / dpr)
                .fold(0.0, f64::max);
            let strip = (label_w + 52.0).clamp(150.0, 0.42 * w as f64 / dpr);
            let (a, b) = root.split_horizontally(w - px(strip) as u32);
            (a, b, 34.0)
        };
        draw_legend(&legend, entries, &theme, dpr, top)?;
        Ok(Framed { root, plot, dpr, theme })
    }
}
