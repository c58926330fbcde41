//! Fifty years of microprocessors on real data (K. Rupp's microprocessor-trend-data): the five
//! series on a log axis against the year, the end of Dennard scaling marked, and least-squares
//! doubling times over a chosen range set against the slide's "cores double every 18–24 months".

use parlab_model::cpu::trends::{
    ATTRIBUTION, CORES_CLAIM_MONTHS, Doubling, Trend, dennard_end_year, doubling_time,
    growth_before_after,
};
use web_sys::HtmlCanvasElement;
use web_sys::HtmlInputElement;
use yew::html::Scope;
use yew::prelude::*;

use super::{CpuLesson, Msg, Settings};
use crate::controls::{edit, report};
use crate::lessons::Host;
use crate::params::{self, Param};
use crate::plot::{LinePlot, Series, Shape, Style, THREAD_COLOURS, VLine, draw_lines};
use crate::url::Query;

const CANVAS: &str = "cpu-trends-plot";
const FIRST_YEAR: usize = 1971;
const LAST_YEAR: usize = 2021;

/// URL name of a series.
fn key(t: Trend) -> &'static str {
    match t {
        Trend::Transistors => "transistors",
        Trend::SpecInt => "specint",
        Trend::Frequency => "frequency",
        Trend::Power => "power",
        Trend::Cores => "cores",
    }
}

fn index(t: Trend) -> usize {
    Trend::ALL.iter().position(|x| *x == t).unwrap_or(0)
}

/// Okabe–Ito colour index per series (cores in vermilion, far from the transistors' blue).
const COLOURS: [usize; 5] = [0, 1, 2, 3, 5];

/// "Name (unit)", without repeating a unit that is the name.
fn label(t: Trend) -> String {
    if t.unit().eq_ignore_ascii_case(t.name()) {
        t.name().to_string()
    } else {
        format!("{} ({})", t.name(), t.unit())
    }
}

const SERIES: Param = params::custom(
    "series",
    "transistors,specint,frequency,power,cores",
    "comma list of transistors, specint, frequency, power, cores",
    "Series shown.",
)
.control("[data-testid^=\"series-\"]");
const FROM: Param = params::custom("from", "2005", "1971–2021", "First year of the fitted trend.");
const TO: Param = params::custom("to", "2021", "1971–2021", "Last year of the fitted trend.");

/// The view's parameters.
pub const PARAMS: [Param; 3] = [SERIES, FROM, TO];

/// The view's URL state: `series` (comma list), `from`, `to` (years of the fit).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TrendSettings {
    pub shown: [bool; 5],
    pub from: usize,
    pub to: usize,
}

impl TrendSettings {
    pub fn read(q: &Query, notes: &mut Vec<String>) -> TrendSettings {
        let mut shown = [true; 5];
        if let Some(raw) = SERIES.raw(q) {
            shown = [false; 5];
            for part in raw.split(',').map(str::trim).filter(|p| !p.is_empty()) {
                match Trend::ALL.iter().find(|t| key(**t) == part) {
                    Some(t) => shown[index(*t)] = true,
                    None => notes.push(format!("series: {part} is not a known series; left out.")),
                }
            }
        }
        let years = FIRST_YEAR..=LAST_YEAR;
        let mut from = FROM.int_in(q, years.clone(), notes);
        let mut to = TO.int_in(q, years, notes);
        if from > to {
            notes.push(format!("from={from} is after to={to}; swapped them."));
            std::mem::swap(&mut from, &mut to);
        }
        TrendSettings { shown, from, to }
    }

    pub fn write(&self, q: &mut Query) {
        let names: Vec<&str> =
            Trend::ALL.iter().filter(|t| self.shown[index(**t)]).map(|t| key(*t)).collect();
        SERIES.put(q, names.join(","));
        FROM.put(q, self.from);
        TO.put(q, self.to);
    }
}

fn fit(t: Trend, s: &TrendSettings) -> Option<Doubling> {
    doubling_time(&t.series(), s.from as f64, s.to as f64 + 0.999)
}

/// A callback for a year field (on change, so typing is not interrupted): clamped to the data.
fn on_year(link: &Scope<Host<CpuLesson>>, f: fn(&mut TrendSettings, usize)) -> Callback<Event> {
    link.batch_callback(move |e: Event| {
        let v = e.target_unchecked_into::<HtmlInputElement>().value().trim().parse::<f64>().ok()?;
        let year = (v.round() as i64).clamp(FIRST_YEAR as i64, LAST_YEAR as i64) as usize;
        Some(Msg::Set(Box::new(move |s: &mut Settings| {
            f(&mut s.trends, year);
            if s.trends.from > s.trends.to {
                let t = &mut s.trends;
                std::mem::swap(&mut t.from, &mut t.to);
            }
        })))
    })
}

fn doubling_text(d: &Option<Doubling>) -> String {
    match d {
        None => "not enough points in this range".into(),
        Some(d) if d.slope_log2_per_year <= 1e-3 => {
            format!("no growth: flat (R² {:.2}, {} points)", d.r_squared, d.points)
        }
        Some(d) => format!(
            "doubles every {:.2} years = {:.1} months (R² {:.2}, {} points)",
            d.years, d.months, d.r_squared, d.points
        ),
    }
}

/// An honest comparison of the fitted core doubling time with the slide's 18–24 months.
fn verdict(d: &Option<Doubling>, s: &TrendSettings) -> String {
    let (lo, hi) = CORES_CLAIM_MONTHS;
    let range = format!("{}–{}", s.from, s.to);
    let Some(d) = d else { return format!("With {range} there is nothing to fit.") };
    if d.slope_log2_per_year <= 1e-3 {
        return format!(
            "In {range} the core count does not double at all: the claim does not hold here."
        );
    }
    let mut text = if d.months > hi {
        format!(
            "In {range} logical cores doubled every {:.0} months: slower than the claim.",
            d.months
        )
    } else if d.months < lo {
        format!(
            "In {range} logical cores doubled every {:.0} months: faster than the claim.",
            d.months
        )
    } else {
        format!("In {range} logical cores doubled every {:.0} months: within the claim.", d.months)
    };
    if d.r_squared < 0.5 {
        text += " But one exponential fits these points poorly (R² below 0.5), so the number says little.";
    }
    text
}

pub fn view(s: &TrendSettings, link: &Scope<Host<CpuLesson>>, plot: &NodeRef) -> Html {
    let transistors = fit(Trend::Transistors, s);
    let cores = fit(Trend::Cores, s);
    let json = |d: &Option<Doubling>| {
        d.map_or("null".into(), |d| {
            format!(
                r#"{{"years":{},"months":{},"r2":{},"points":{}}}"#,
                d.years, d.months, d.r_squared, d.points
            )
        })
    };
    let dennard = dennard_end_year();
    let growth = |t: Trend| {
        let g = growth_before_after(&t.series(), dennard);
        let pct = |x: Option<f64>| x.map_or("—".into(), |x| format!("{:+.1} %", x * 100.0));
        html! { <tr><td>{ label(t) }</td><td>{ pct(g.before) }</td><td>{ pct(g.after) }</td></tr> }
    };
    html! {
        <>
            <div class="cpu-row">
                <div>
                    <fieldset class="controls cpu-series" aria-label="Series shown">
                        <legend class="visually-hidden">{ "Series shown" }</legend>
                        { for Trend::ALL.iter().map(|&t| {
                            let i = index(t);
                            let onchange = edit(link, move |st| st.trends.shown[i] = !st.trends.shown[i]);
                            html! {
                                <label class="check">
                                    <input type="checkbox" checked={s.shown[i]} data-testid={format!("series-{}", key(t))}
                                        onchange={onchange.reform(|_| ())} />
                                    { label(t) }
                                </label>
                            }
                        }) }
                    </fieldset>
                </div>
                <aside class="cpu-aside">
                    <p>{ "Real chips, 1971–2021, one point per processor. Transistors kept doubling about every two years \
                        (Moore's law). Clock and power climbed too, until about 2005: then voltage could no longer fall with \
                        each smaller transistor (the end of Dennard scaling), power density hit the cooling limit, and the \
                        clock flattened. The extra transistors went into more cores instead." }</p>
                </aside>
            </div>
            <canvas ref={plot.clone()} id={CANVAS} class="plot" data-testid="trends-plot" role="img"
                aria-label="Microprocessor trends 1971 to 2021 on a logarithmic axis: transistors, single-thread performance, frequency, power, logical cores"></canvas>
            <p class="caption attribution" data-testid="attribution">{ ATTRIBUTION }</p>
            <div class="table-wrap">
            <table class="results cpu-growth">
                <caption>{ format!("Median growth per year before and after {dennard:.0} (Theil–Sen: median slope over all pairs of chips)") }</caption>
                <thead><tr><th scope="col">{ "Series" }</th><th scope="col">{ format!("before {dennard:.0}") }</th>
                    <th scope="col">{ format!("{dennard:.0} and later") }</th></tr></thead>
                <tbody>{ for Trend::ALL.into_iter().map(growth) }</tbody>
            </table>
            </div>
            <h2>{ "Moore's law, checked" }</h2>
            <div class="cpu-row">
                <div>
                    <div class="controls" role="group" aria-label="Years of the fit">
                        <label class="control">
                            <span>{ "From year" }</span>
                            <input type="number" min={FIRST_YEAR.to_string()} max={LAST_YEAR.to_string()} step="1"
                                value={s.from.to_string()} data-testid="from" onchange={on_year(link, |t, y| t.from = y)} />
                        </label>
                        <label class="control">
                            <span>{ "To year (inclusive)" }</span>
                            <input type="number" min={FIRST_YEAR.to_string()} max={LAST_YEAR.to_string()} step="1"
                                value={s.to.to_string()} data-testid="to" onchange={on_year(link, |t, y| t.to = y)} />
                        </label>
                    </div>
                    <div class="summary">
                        <div class="stat" data-testid="doubling-transistors" data-json={json(&transistors)}>
                            <span class="stat-label">{ format!("Transistors, {}–{}", s.from, s.to) }</span>
                            <span class="stat-value">{ transistors.filter(|d| d.slope_log2_per_year > 1e-3)
                                .map_or("—".into(), |d| format!("{:.1} months", d.months)) }</span>
                            <span class="stat-note">{ doubling_text(&transistors) }</span>
                        </div>
                        <div class="stat" data-testid="doubling-cores" data-json={json(&cores)}>
                            <span class="stat-label">{ format!("Logical cores, {}–{}", s.from, s.to) }</span>
                            <span class="stat-value">{ cores.filter(|d| d.slope_log2_per_year > 1e-3)
                                .map_or("—".into(), |d| format!("{:.1} months", d.months)) }</span>
                            <span class="stat-note">{ doubling_text(&cores) }</span>
                        </div>
                        <div class="stat accent" data-testid="cores-claim">
                            <span class="stat-label">{ "The slide's claim" }</span>
                            <span class="stat-value">{ "18–24 months" }</span>
                            <span class="stat-note">{ format!("“cores double every 18–24 months”. {}", verdict(&cores, s)) }</span>
                        </div>
                    </div>
                </div>
                <aside class="cpu-aside">
                    <p>{ "A straight line on a log axis is exponential growth. The fit is least squares of log₂(value) against the \
                        year; its slope is doublings per year. R² near 1 means one exponential describes the points well." }</p>
                    <p>{ "Try 1971–2005 against 2005–2021, and see how the core count behaves before 2005 (one core per chip)." }</p>
                </aside>
            </div>
        </>
    }
}

pub fn draw(s: &TrendSettings, plot: &NodeRef) {
    let Some(c) = plot.cast::<HtmlCanvasElement>() else { return };
    let mut series = Vec::new();
    for (i, t) in Trend::ALL.into_iter().enumerate().filter(|(i, _)| s.shown[*i]) {
        series.push(Series {
            label: label(t),
            colour: THREAD_COLOURS[COLOURS[i]],
            style: Style::Points(Shape::ALL[i]),
            points: t.series().points,
        });
    }
    for t in [Trend::Transistors, Trend::Cores] {
        let i = index(t);
        if let (true, Some(d)) = (s.shown[i], fit(t, s)) {
            let (a, b) = (s.from as f64, s.to as f64 + 1.0);
            series.push(Series {
                label: format!("{} fit {}–{}", t.name(), s.from, s.to),
                colour: THREAD_COLOURS[COLOURS[i]],
                style: Style::Dashed,
                points: (0..=20)
                    .map(|k| a + (b - a) * k as f64 / 20.0)
                    .map(|y| (y, d.value_at(y)))
                    .collect(),
            });
        }
    }
    let plot = LinePlot {
        title: "Microprocessor trends, 1971–2021",
        x_label: "year",
        y_label: "value (log scale)",
        x_range: (1970.0, 2023.0),
        y_range: (0.1, 1e9),
        log_y: true,
        log_x: false,
        series,
        vlines: vec![VLine {
            label: "end of Dennard scaling (~2005)".into(),
            x: dennard_end_year(),
        }],
        x_decimals: 0,
    };
    report(draw_lines(&c, &plot, 440));
}
