//! Hill & Marty, "Amdahl's Law in the Multicore Era" (IEEE Computer, 2008): how to spend a chip
//! budget of n base-core equivalents (BCEs) when a core built from r BCEs runs perf(r) = √r
//! times faster. A model view (no measurement): its own sliders f, n, r.

use parlab_model::hill_marty::{self, Design};
use web_sys::{HtmlCanvasElement, HtmlInputElement};
use yew::prelude::*;

use crate::controls::{p_from_slider, slider_from_p};
use crate::params::{self, Param};
use crate::plot::{
    AMDAHL_COLOUR, Curve, FIT_COLOUR, GUSTAFSON_COLOUR, Measured, SpeedupPlot, draw_speedup,
};
use crate::url::Query;

const CANVAS: &str = "hill-marty";

/// The view's URL state (`hm_f`, `hm_n`, `hm_r`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct HmSettings {
    pub f: f64,
    /// Chip budget in BCEs (a power of two, 1..=1024).
    pub n: usize,
    /// BCEs per (big) core, 1..=n.
    pub r: usize,
}

const HM_F: Param =
    params::float("hm_f", "0.975", (0.0, 1.0, 6), "Parallel fraction f of the program.")
        .control("[data-testid=\"hm-f\"]");
const HM_N: Param = params::custom(
    "hm_n",
    "256",
    "a power of two, 1–1024 (others are rounded up)",
    "Chip budget in base-core equivalents (BCEs).",
)
.control("[data-testid=\"hm-n\"]");
const HM_R: Param =
    params::custom("hm_r", "16", "1–hm_n", "BCEs per big core.").control("[data-testid=\"hm-r\"]");

/// The view's parameters.
pub const PARAMS: [Param; 3] = [HM_F, HM_N, HM_R];

impl HmSettings {
    pub fn read(q: &Query, notes: &mut Vec<String>) -> HmSettings {
        let asked = HM_N.int_in(q, 1..=1024, notes);
        let n = asked.next_power_of_two().min(1024);
        if n != asked {
            notes.push(format!("hm_n={asked} is not a power of two; using {n}."));
        }
        let r = HM_R.int_in(q, 1..=n, notes);
        HmSettings { f: HM_F.float(q, notes), n, r }
    }

    pub fn write(&self, q: &mut Query) {
        HM_F.put_float(q, self.f);
        HM_N.put(q, self.n);
        HM_R.put(q, self.r);
    }
}

/// Each design: its legend name, its description and its colour.
const DESIGNS: [(Design, &str, &str, plotters::style::RGBColor); 3] = [
    (Design::Symmetric, "symmetric", "symmetric: n/r cores of r BCEs each", AMDAHL_COLOUR),
    (Design::Asymmetric, "asymmetric", "asymmetric: one r-BCE core + n − r small ones", FIT_COLOUR),
    (Design::Dynamic, "dynamic", "dynamic: r BCEs fuse for serial code", GUSTAFSON_COLOUR),
];

#[derive(Properties, PartialEq)]
pub struct MulticoreProps {
    pub settings: HmSettings,
    /// The speedup-vs-r canvas (drawn by the lesson, see [`draw`]).
    pub plot: NodeRef,
    pub on_change: Callback<HmSettings>,
}

#[function_component]
pub fn Multicore(props: &MulticoreProps) -> Html {
    let s = props.settings;
    let change = |f: fn(&mut HmSettings, f64)| {
        let cb = props.on_change.clone();
        Callback::from(move |e: InputEvent| {
            let v = e.target_unchecked_into::<HtmlInputElement>().value().parse().unwrap_or(0.0);
            let mut next = s;
            f(&mut next, v);
            next.r = next.r.clamp(1, next.n);
            cb.emit(next);
        })
    };
    let curves = hill_marty::curves(s.f, s.n as f64);
    html! {
        <>
            <p class="lead">
                { "A chip has a budget of n base-core equivalents (BCEs). Spending r BCEs on one core makes it \
                   √r times faster (Pollack's rule), so designers trade many small cores against fewer big ones. \
                   f is the parallel share, as p above. This view is a model; nothing here is measured." }
            </p>
            <div class="controls" role="group" aria-label="Multicore model">
                <label class="control wide">
                    <span>{ format!("Parallel share f = {:.3}", s.f) }</span>
                    <input type="range" min="0" max="1000" value={format!("{:.0}", slider_from_p(s.f))} data-testid="hm-f"
                        oninput={change(|s, v| s.f = p_from_slider(v))} aria-valuetext={format!("f = {:.3}", s.f)} />
                </label>
                <label class="control wide">
                    <span>{ format!("Chip budget n = {} BCEs", s.n) }</span>
                    <input type="range" min="0" max="10" step="1" value={(s.n as f64).log2().to_string()} data-testid="hm-n"
                        oninput={change(|s, v| s.n = 1 << (v as u32).min(10))} aria-valuetext={format!("n = {}", s.n)} />
                </label>
                <label class="control wide">
                    <span>{ format!("BCEs per core r = {}", s.r) }</span>
                    <input type="range" min="0" max={(s.n as f64).log2().to_string()} step="1" data-testid="hm-r"
                        value={(s.r as f64).log2().to_string()}
                        oninput={change(|s, v| s.r = 1 << (v as u32).min(10))} aria-valuetext={format!("r = {}", s.r)} />
                </label>
            </div>
            <div class="summary">
                { for DESIGNS.iter().map(|(d, _, label, _)| {
                    let at = hill_marty::speedup(*d, s.f, s.n as f64, s.r as f64).unwrap_or(f64::NAN);
                    let best = curves.as_ref().and_then(|c| c.iter().find(|c| c.design == *d)).map(|c| c.best);
                    html! {
                        <div class="stat">
                            <span class="stat-label">{ label }</span>
                            <span class="stat-value">{ format!("{at:.1}×") }</span>
                            if let Some(b) = best {
                                <span class="stat-note">{ format!("best {:.1}× at r = {}", b.speedup, b.r) }</span>
                            }
                        </div>
                    }
                }) }
            </div>
            <canvas ref={props.plot.clone()} id={CANVAS} class="plot" role="img" aria-label="Hill and Marty speedup against r"></canvas>
            <p class="caption">
                { "Symmetric chips peak at a small r unless f is close to 1; asymmetric chips gain from one big core for the \
                   serial part; dynamic chips (cores that fuse for serial code) always do best. Source: M. D. Hill and \
                   M. R. Marty, “Amdahl's Law in the Multicore Era”, IEEE Computer 41(7), 2008." }
            </p>
        </>
    }
}

/// Draws the speedup-vs-r plot for `s`.
pub fn draw(s: &HmSettings, plot: &NodeRef) {
    let Some(canvas) = plot.cast::<HtmlCanvasElement>() else {
        return;
    };
    let (f, n) = (s.f, s.n as f64);
    let fns: Vec<Box<dyn Fn(f64) -> f64>> = DESIGNS
        .iter()
        .map(|(d, _, _, _)| {
            let d = *d;
            Box::new(move |r: f64| hill_marty::speedup(d, f, n, r.min(n)).unwrap_or(0.0))
                as Box<dyn Fn(f64) -> f64>
        })
        .collect();
    let curves = DESIGNS
        .iter()
        .zip(&fns)
        .map(|((_, label, _, colour), f)| Curve {
            label: (*label).into(),
            colour: *colour,
            dashed: false,
            f: f.as_ref(),
        })
        .collect();
    let marks: Vec<Measured> = fns
        .iter()
        .map(|f| {
            let v = f(s.r as f64);
            Measured { n: s.r as f64, value: v, low: v, high: v }
        })
        .collect();
    let plot = SpeedupPlot {
        title: "Speedup of a chip with n BCEs against core size r",
        x_label: "BCEs per core r",
        y_label: "speedup vs one BCE (×)",
        n_max: n.max(2.0),
        log_x: true,
        curves,
        asymptote: None,
        measured: &marks,
        measured_label: "your r",
        y_max: None,
    };
    let _ = draw_speedup(&canvas, &plot, 380).map_err(|e| web_sys::console::warn_1(&e.into()));
}
