//! plotters-canvas helpers shared by lessons: crisp on high-DPI screens, light and dark.

mod gantt;
mod histogram;
mod legend;
mod lines;
mod sizes;
mod slots;
mod speedup;
mod timeline;

pub use gantt::{Gantt, Lane, draw_gantt};
pub use histogram::draw_histogram;
pub use legend::{Framed, LegendEntry, Shape, Style, marker};
pub use lines::{LinePlot, Series, VLine, decade_label, draw_lines};
pub use sizes::{Line, SizePlot, draw_sizes, size_label};
pub use slots::{SlotPlot, SlotRow, draw_slots};
pub use speedup::{
    AMDAHL_COLOUR, Curve, FIT_COLOUR, GUSTAFSON_COLOUR, Measured, SpeedupPlot, draw_speedup,
};
pub use timeline::draw_timeline;

use plotters::chart::MeshStyle;
use plotters::coord::Shift;
use plotters::coord::ranged1d::Ranged;
use plotters::prelude::{Color, DrawingArea, DrawingBackend, IntoDrawingArea, IntoFont};
use plotters::style::RGBColor;
use plotters_canvas::CanvasBackend;
use web_sys::HtmlCanvasElement;

/// Okabe–Ito palette: distinguishable with the common colour-vision deficiencies.
pub const THREAD_COLOURS: [RGBColor; 8] = [
    RGBColor(0, 114, 178),
    RGBColor(230, 159, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(86, 180, 233),
    RGBColor(213, 94, 0),
    RGBColor(240, 228, 66),
    RGBColor(120, 120, 120),
];

/// Foreground, muted and background colours for the current colour scheme.
pub struct Theme {
    pub fg: RGBColor,
    pub muted: RGBColor,
    pub grid: RGBColor,
    pub bg: RGBColor,
}

impl Theme {
    /// parlab's look for a chart's mesh: faint minor and light major grid lines, muted axes,
    /// 12 px tick labels and 13 px axis titles (scaled by `dpr`). A plot may override any of
    /// them afterwards (e.g. no minor lines on lane charts).
    pub fn style_mesh<'m, 'a, 'b, X: Ranged, Y: Ranged, DB: DrawingBackend>(
        &'b self,
        mesh: &'m mut MeshStyle<'a, 'b, X, Y, DB>,
        dpr: f64,
    ) -> &'m mut MeshStyle<'a, 'b, X, Y, DB> {
        let font = |size: f64| ("sans-serif", size * dpr).into_font();
        mesh.light_line_style(self.grid.mix(0.5))
            .bold_line_style(self.grid)
            .axis_style(self.muted)
            .label_style(font(12.0).color(&self.fg))
            .axis_desc_style(font(13.0).color(&self.fg))
    }

    pub fn current() -> Theme {
        let window = web_sys::window();
        let chosen = window
            .as_ref()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
            .and_then(|e| e.get_attribute("data-theme"));
        let dark = match chosen.as_deref() {
            Some("dark") => true,
            Some("light") => false,
            _ => window
                .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
                .is_some_and(|m| m.matches()),
        };
        if dark {
            Theme {
                fg: RGBColor(230, 232, 236),
                muted: RGBColor(160, 166, 176),
                grid: RGBColor(60, 64, 72),
                bg: RGBColor(24, 26, 31),
            }
        } else {
            Theme {
                fg: RGBColor(28, 30, 36),
                muted: RGBColor(96, 102, 112),
                grid: RGBColor(226, 229, 234),
                bg: RGBColor(255, 255, 255),
            }
        }
    }
}

/// A canvas ready to draw on: sized for the device-pixel ratio and cleared to the theme's
/// background. Every plot starts here.
pub struct Surface {
    pub root: DrawingArea<CanvasBackend, Shift>,
    /// Canvas pixels per CSS pixel (multiply sizes by it).
    pub dpr: f64,
    pub theme: Theme,
}

impl Surface {
    pub fn new(canvas: &HtmlCanvasElement, css_height: u32) -> Result<Surface, String> {
        let dpr = fit_to_dpr(canvas, css_height);
        let theme = Theme::current();
        let root = CanvasBackend::with_canvas_object(canvas.clone())
            .ok_or("no 2d canvas context")?
            .into_drawing_area();
        root.fill(&theme.bg).map_err(|e| e.to_string())?;
        Ok(Surface { root, dpr, theme })
    }
}

/// Sizes the canvas's backing store to its CSS size × devicePixelRatio and returns the ratio
/// (multiply font sizes and margins by it).
fn fit_to_dpr(canvas: &HtmlCanvasElement, css_height: u32) -> f64 {
    let dpr = web_sys::window().map_or(1.0, |w| w.device_pixel_ratio()).max(1.0);
    let css_width = canvas.client_width().max(200) as f64;
    let _ = canvas.style().set_property("height", &format!("{css_height}px"));
    canvas.set_width((css_width * dpr).round() as u32);
    canvas.set_height((css_height as f64 * dpr).round() as u32);
    dpr
}
