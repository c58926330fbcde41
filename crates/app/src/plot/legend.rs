//! Legends drawn in their own strip beside or below a plot (never over the data), and the
//! point markers they share with the plots.

use plotters::element::DynElement;
use plotters::prelude::*;

use super::Theme;

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
