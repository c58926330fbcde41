//! Issue-slot strips: one row per run, one column per cycle, the core's issue slots stacked in
//! each column and filled with the colour of the thread whose instruction started in that slot.
//! Empty slots (bubbles) stay pale, so the eye sees where a second thread could fit.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use web_sys::HtmlCanvasElement;

use super::Surface;

/// One strip: its label and, per cycle, the thread of each instruction started.
pub struct SlotRow {
    pub label: String,
    pub cycles: Vec<Vec<usize>>,
}

pub struct SlotPlot<'a> {
    pub title: &'a str,
    pub rows: &'a [SlotRow],
    /// Issue slots per cycle (the core's width).
    pub width: usize,
    /// Cycles shown (columns).
    pub cycles: usize,
    /// Legend name and colour per thread index.
    pub threads: &'a [(&'a str, RGBColor)],
}

const SLOT: f64 = 6.0;

/// Draws the strips; the canvas height follows from the rows and the width.
pub fn draw_slots(canvas: &HtmlCanvasElement, plot: &SlotPlot) -> Result<(), String> {
    let width = plot.width.max(1);
    let row_h = width as f64 * SLOT + 16.0;
    let css_h = 30.0 + plot.rows.len() as f64 * row_h + 36.0 + 26.0;
    let Surface { root, dpr, theme } = Surface::new(canvas, css_h.round() as u32)?;
    let px = |v: f64| (v * dpr).round() as i32;
    let font = |size: f64| ("sans-serif", size * dpr).into_font().color(&theme.fg);
    let err = |e: DrawingAreaErrorKind<_>| e.to_string();
    let css_w = root.dim_in_pixel().0 as f64 / dpr;
    let left = if css_w < 500.0 { 74.0 } else { 110.0 };
    let right = 12.0;
    let cycles = plot.cycles.max(1);
    let cw = (css_w - left - right) / cycles as f64;
    let centre = Pos::new(HPos::Center, VPos::Top);
    root.draw(&Text::new(plot.title, (px(css_w / 2.0), px(6.0)), font(14.0).pos(centre)))
        .map_err(err)?;
    let top = 30.0;
    for (r, row) in plot.rows.iter().enumerate() {
        let y_top = top + r as f64 * row_h;
        let y_bottom = y_top + width as f64 * SLOT;
        let label_pos = Pos::new(HPos::Right, VPos::Center);
        root.draw(&Text::new(
            row.label.clone(),
            (px(left - 8.0), px((y_top + y_bottom) / 2.0)),
            font(12.0).pos(label_pos),
        ))
        .map_err(err)?;
        for c in 0..cycles {
            let x = left + c as f64 * cw;
            let started = row.cycles.get(c).map_or(&[][..], Vec::as_slice);
            for k in 0..width {
                let colour = match started.get(k) {
                    Some(&t) => plot.threads.get(t).map_or(theme.fg, |p| p.1).filled(),
                    None => theme.grid.filled(),
                };
                let y = y_bottom - (k + 1) as f64 * SLOT;
                let gap = if cw > 4.0 { 1.0 } else { 0.0 };
                root.draw(&Rectangle::new(
                    [(px(x), px(y)), (px(x + cw - gap), px(y + SLOT - 1.0))],
                    colour,
                ))
                .map_err(err)?;
            }
        }
    }
    // Cycle axis under the last strip.
    let axis_y = top + plot.rows.len() as f64 * row_h - 8.0;
    let axis = ShapeStyle::from(theme.muted).stroke_width(px(1.0) as u32);
    root.draw(&PathElement::new(
        [(px(left), px(axis_y)), (px(left + cycles as f64 * cw), px(axis_y))],
        axis,
    ))
    .map_err(err)?;
    let step = if cycles > 40 { 10 } else { 5 };
    for c in (0..=cycles).step_by(step) {
        let x = px(left + c as f64 * cw);
        root.draw(&PathElement::new([(x, px(axis_y)), (x, px(axis_y + 4.0))], axis))
            .map_err(err)?;
        root.draw(&Text::new(c.to_string(), (x, px(axis_y + 6.0)), font(11.0).pos(centre)))
            .map_err(err)?;
    }
    let desc = format!("cycle (each column: {width} issue slots, bottom up)");
    root.draw(&Text::new(
        desc,
        (px(left + cycles as f64 * cw / 2.0), px(axis_y + 20.0)),
        font(12.0).pos(centre),
    ))
    .map_err(err)?;
    // Legend, below the plot area.
    let mut x = if css_w < 500.0 { 8.0 } else { left };
    let ly = axis_y + 42.0;
    let entries = plot
        .threads
        .iter()
        .map(|(n, c)| (n.to_string(), *c))
        .chain(std::iter::once(("empty slot (bubble)".to_string(), theme.grid)));
    for (name, colour) in entries {
        root.draw(&Rectangle::new(
            [(px(x), px(ly - 5.0)), (px(x + 12.0), px(ly + 5.0))],
            colour.filled(),
        ))
        .map_err(err)?;
        let label_pos = Pos::new(HPos::Left, VPos::Center);
        root.draw(&Text::new(name.clone(), (px(x + 16.0), px(ly)), font(12.0).pos(label_pos)))
            .map_err(err)?;
        let tw = root.estimate_text_size(&name, &font(12.0)).map_or(80, |s| s.0) as f64 / dpr;
        x += 16.0 + tw + 18.0;
    }
    root.present().map_err(|e| e.to_string())
}
