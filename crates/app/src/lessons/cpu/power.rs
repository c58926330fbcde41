//! Power and clock (a model view): dynamic + leakage power of a core at a voltage and clock, the
//! alpha-power law's highest clock f_max(V), the cube-law shape along that curve anchored on the
//! Pentium M Banias DVFS table, and the same-budget trade of one fast core for 2 or 4 slower ones.

use parlab_model::amdahl;
use parlab_model::cpu::banias::{BANIAS, BANIAS_TDP_W};
use parlab_model::cpu::power::Chip;
use web_sys::HtmlCanvasElement;
use yew::html::Scope;
use yew::prelude::*;

use super::power_state::{CORES_MAX, PowerSettings, REF_MHZ, V_MIN};
use super::{CpuLesson, Settings};
use crate::controls::{edit, on_number, report, slider};
use crate::lessons::Host;
use crate::plot::{LinePlot, Series, Shape, Style, THREAD_COLOURS, Theme, draw_lines};

const CANVAS: &str = "cpu-power-plot";
fn fmt_mhz(mhz: f64) -> String {
    format!("{mhz:.0} MHz")
}

pub fn view(s: &PowerSettings, link: &Scope<Host<CpuLesson>>, plot: &NodeRef) -> Html {
    let chip = s.chip();
    let r = chip.readout(s.point(), s.p);
    let f_max = chip.f_max_mhz(s.v);
    let capped = s.f > f_max + 0.5;
    let (top_mhz, top_v) = BANIAS[BANIAS.len() - 1];
    let table_top = (s.v - top_v).abs() < 1e-6 && (s.f - top_mhz).abs() < 0.5;
    let speedup = amdahl::speedup(s.p, s.cores as f64);
    let rel_perf = r.performance / REF_MHZ;
    let rel_perf_w = if r.total_w > 0.0 { rel_perf / r.total_w * BANIAS_TDP_W } else { 0.0 };
    let json = format!(
        r#"{{"mhz":{},"f_max":{},"capped":{},"dynamic_w":{},"leakage_w":{},"core_w":{},"total_w":{},"performance":{},"perf_per_w":{}}}"#,
        r.mhz, f_max, capped, r.dynamic_w, r.leakage_w, r.core_w, r.total_w, rel_perf, rel_perf_w
    );
    let exponent = chip.dynamic_power_exponent(s.v);
    let over = r.total_w - s.tdp;
    let set = |f: fn(&mut PowerSettings, f64)| {
        on_number(link, move |st: &mut Settings, v| f(&mut st.power, v))
    };
    let preset = edit(link, |st| st.power = PowerSettings::banias(st.power.p, st.power.cores));
    let none = Html::default();
    html! {
        <>
            <div class="cpu-row">
                <div>
                    <div class="controls" role="group" aria-label="Operating point (model)">
                        { slider("v", format!("Supply voltage V = {:.3} V", s.v), (V_MIN, chip.v_max, 0.005), s.v,
                            format!("{:.3} volts", s.v),
                            html! { <span class="hint">{ format!("f_max(V) = {}", fmt_mhz(f_max)) }</span> },
                            set(|p, v| p.v = v)) }
                        { slider("f", format!("Clock f = {} (asked {})", fmt_mhz(r.mhz), fmt_mhz(s.f)), (50.0, 2000.0, 10.0), s.f,
                            format!("{:.0} megahertz", s.f), none.clone(), set(|p, v| p.f = v)) }
                        { slider("c", format!("Switched capacitance C = {:.1} nF", s.c_nf), (5.0, 100.0, 0.1), s.c_nf,
                            format!("{:.1} nanofarads", s.c_nf), none.clone(), set(|p, v| p.c_nf = v)) }
                        { slider("alpha", format!("Activity α = {:.2}", s.alpha), (0.01, 1.0, 0.01), s.alpha,
                            format!("{:.2}", s.alpha), none.clone(), set(|p, v| p.alpha = v)) }
                        { slider("cores", format!("Cores N = {}", s.cores), (1.0, CORES_MAX as f64, 1.0), s.cores as f64,
                            format!("{} cores", s.cores), none.clone(), set(|p, v| p.cores = (v as usize).clamp(1, CORES_MAX))) }
                        { slider("tdp", format!("Power budget (TDP) = {:.1} W", s.tdp), (5.0, 100.0, 0.5), s.tdp,
                            format!("{:.1} watts", s.tdp), none.clone(), set(|p, v| p.tdp = v)) }
                        { slider("p", format!("Parallel share p = {:.2}", s.p), (0.0, 1.0, 0.01), s.p,
                            format!("p = {:.2}", s.p), none, set(|p, v| p.p = v.clamp(0.0, 1.0))) }
                        <div class="buttons">
                            <button data-testid="banias-preset" onclick={preset.reform(|_| ())}
                                title="Pentium M Banias 1.6 GHz: 1.484 V, 1600 MHz, C and α calibrated to its 24.5 W TDP">
                                { "Banias preset" }
                            </button>
                        </div>
                    </div>
                    if capped {
                        <p class="note cpu-capped" data-testid="f-capped" role="status">
                            { format!("You asked for {}, but at V = {:.3} V the transistors switch fast enough for at most \
                                f_max = {}, so the model runs at {}. Raise V to clock higher.",
                                fmt_mhz(s.f), s.v, fmt_mhz(f_max), fmt_mhz(r.mhz)) }
                            if table_top {
                                { format!(" Intel did run Banias at 1600 MHz and 1.484 V: the model's f_max curve is one smooth fit \
                                    through all six table points and passes {:.1} % below this top one (vendor voltages carry \
                                    safety margins), so the model's power here is {:.1} W, not the datasheet's 24.5 W.",
                                    100.0 * (1.0 - f_max / s.f), r.core_w) }
                            }
                        </p>
                    }
                    <div class="summary" data-testid="power-readout" data-json={json}>
                        <div class="stat">
                            <span class="stat-label">{ "Power per core" }</span>
                            <span class="stat-value">{ format!("{:.2} W", r.core_w) }</span>
                            <span class="stat-note">{ format!("dynamic {:.2} W + leakage {:.2} W", r.dynamic_w, r.leakage_w) }</span>
                        </div>
                        <div class={classes!("stat", (over > 0.0).then_some("over"))}>
                            <span class="stat-label">{ format!("Total, {} core{}", s.cores, if s.cores == 1 { "" } else { "s" }) }</span>
                            <span class="stat-value">{ format!("{:.1} W", r.total_w) }</span>
                            <span class="stat-note">{ if over > 0.0 { format!("over the {:.1} W budget by {:.1} W", s.tdp, over) }
                                else { format!("within the {:.1} W budget", s.tdp) } }</span>
                        </div>
                        <div class="stat">
                            <span class="stat-label">{ "Relative performance" }</span>
                            <span class="stat-value">{ format!("{rel_perf:.2}×") }</span>
                            <span class="stat-note">{ format!("f × S(p, N) = {} × {speedup:.2}; 1.00 = one core at 1600 MHz", fmt_mhz(r.mhz)) }</span>
                        </div>
                        <div class="stat">
                            <span class="stat-label">{ "Performance per watt" }</span>
                            <span class="stat-value">{ format!("{rel_perf_w:.2}×") }</span>
                            <span class="stat-note">{ "1.00 = Banias at 1600 MHz, 24.5 W" }</span>
                        </div>
                    </div>
                </div>
                <aside class="cpu-aside">
                    <p><strong>{ "This is a model, not a measurement." }</strong>{ " Each clock tick charges and discharges a share α of \
                        the chip's capacitance C to the voltage V: dynamic power α·C·V²·f. Transistors also leak a little current \
                        all the time (leakage power)." }</p>
                    <p>{ "The catch: a higher clock needs a higher voltage (the transistors must switch faster), and voltage counts \
                        squared. So near the top, power grows roughly with the cube of the clock, while speed grows at best in \
                        proportion to it." }</p>
                    if let Some(e) = exponent {
                        <p class="hint">{ format!("At V = {:.3} V this model's power grows like f to the power {e:.2} along the f_max curve \
                            (the ideal cube law says 3; Banias' fitted threshold voltage keeps it lower).", s.v) }</p>
                    }
                </aside>
            </div>
            <canvas ref={plot.clone()} id={CANVAS} class="plot" data-testid="power-plot" role="img"
                aria-label="Power per core against clock along the highest clock each voltage allows, with the Pentium M Banias DVFS table"></canvas>
            <p class="caption">
                { "Every point on the blue curve is a core run as fast as its voltage allows. The Banias points are Intel's \
                   voltage for each SpeedStep clock (Linux speedstep-centrino table); their power is computed from that voltage \
                   with C and α calibrated so the top point draws the 24.5 W TDP, 10 % of it leakage (an assumption). \
                   The threshold voltage is fitted to the table (alpha-power law, Sakurai & Newton 1990, a = 1.3)." }
            </p>
            { budget(s) }
        </>
    }
}

/// The same-budget comparison: 1, 2 and 4 cores at the highest voltage that fits the TDP.
fn budget(s: &PowerSettings) -> Html {
    let chip = s.chip();
    let Some(choices) = chip.same_budget(s.tdp, s.p, &[1, 2, 4]) else {
        return html! {
            <p class="note" data-testid="budget-table">
                { format!("A {:.1} W budget cannot run even one core of this chip (leakage alone is more). Raise the TDP.", s.tdp) }
            </p>
        };
    };
    let json = format!(
        "[{}]",
        choices
            .iter()
            .map(|c| format!(
                r#"{{"cores":{},"volts":{},"mhz":{},"total_w":{},"speedup":{}}}"#,
                c.point.cores, c.point.volts, c.point.mhz, c.total_w, c.speedup
            ))
            .collect::<Vec<_>>()
            .join(",")
    );
    let two = choices.iter().find(|c| c.point.cores == 2);
    let serial_two = chip.same_budget(s.tdp, 0.0, &[2]).and_then(|v| v.first().map(|c| c.speedup));
    let amdahl_href = format!("#/amdahl?p={:.3}", s.p);
    html! {
        <div class="cpu-row">
            <div>
                <h2>{ "Same watts: one fast core or several slower ones?" }</h2>
                <div class="table-wrap">
                <table class="results" data-testid="budget-table" data-json={json}>
                    <caption>{ format!("Each design uses the highest voltage (and its f_max) that keeps all cores within {:.1} W; p = {:.2}", s.tdp, s.p) }</caption>
                    <thead><tr>
                        <th scope="col">{ "Cores" }</th><th scope="col">{ "Voltage (V)" }</th><th scope="col">{ "Clock (MHz)" }</th>
                        <th scope="col">{ "Power (W)" }</th><th scope="col">{ "Speedup vs 1 core" }</th>
                    </tr></thead>
                    <tbody>
                        { for choices.iter().map(|c| html! {
                            <tr>
                                <td>{ c.point.cores }</td>
                                <td>{ format!("{:.3}", c.point.volts) }</td>
                                <td>{ format!("{:.0}", c.point.mhz) }</td>
                                <td>{ format!("{:.1}", c.total_w) }</td>
                                <td>{ format!("{:.2}×", c.speedup) }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
                </div>
            </div>
            <aside class="cpu-aside">
                if let Some(t) = two {
                    <p>{ format!("Two cores at {:.0} MHz fit in the power of one at {:.0} MHz, because the lower clock also allows a \
                        lower voltage. With p = {:.2} they give {:.2}× the speed of the single core.",
                        t.point.mhz, choices[0].point.mhz, s.p, t.speedup) }</p>
                }
                if let Some(sv) = serial_two {
                    <p>{ format!("But only parallel work gains: a purely serial program (p = 0) runs on one of the slower cores, at {sv:.2}×.") }</p>
                }
                <p>{ "The serial share 1 − p decides, as Amdahl's law says: " }
                    <a href={amdahl_href} data-testid="amdahl-link">{ format!("Amdahl's law for p = {:.2}", s.p) }</a>{ "." }</p>
            </aside>
        </div>
    }
}

/// Power per core along the f_max(V) curve of `chip`, sampled in voltage.
fn curve(chip: &Chip) -> Vec<(f64, f64)> {
    (0..=200)
        .map(|i| chip.v_th + 0.002 + (chip.v_max - chip.v_th - 0.002) * i as f64 / 200.0)
        .map(|v| {
            let f = chip.f_max_mhz(v);
            (f, chip.core_w(v, f))
        })
        .collect()
}

pub fn draw(s: &PowerSettings, plot: &NodeRef) {
    let Some(c) = plot.cast::<HtmlCanvasElement>() else { return };
    let theme = Theme::current();
    let banias = Chip::banias();
    let chip = s.chip();
    let r = chip.readout(s.point(), s.p);
    let ours = curve(&chip);
    let reference = curve(&banias);
    let table: Vec<(f64, f64)> = BANIAS.iter().map(|&(f, v)| (f, banias.core_w(v, f))).collect();
    let y_max = ours.iter().chain(&reference).map(|p| p.1).fold(r.core_w, f64::max) * 1.08;
    let x_max = 1800.0;
    let (f0, p0) = (REF_MHZ, BANIAS_TDP_W);
    let sample = |g: &dyn Fn(f64) -> f64| -> Vec<(f64, f64)> {
        (0..=120)
            .map(|i| x_max * i as f64 / 120.0)
            .map(|f| (f, g(f)))
            .take_while(|p| p.1 <= y_max)
            .collect()
    };
    let mut series = vec![Series {
        label: "model through the Banias table (f = f_max(V))".into(),
        colour: THREAD_COLOURS[0],
        style: Style::Line,
        points: reference,
    }];
    if (s.c_nf * s.alpha - banias.capacitance_f * 1e9 * banias.activity).abs() > 1e-3 {
        series.push(Series {
            label: format!("your C = {:.1} nF, α = {:.2}", s.c_nf, s.alpha),
            colour: THREAD_COLOURS[2],
            style: Style::Line,
            points: ours,
        });
    }
    series.extend([
        Series {
            label: "ideal cube law P ∝ f³".into(),
            colour: THREAD_COLOURS[1],
            style: Style::Dashed,
            points: sample(&|f| p0 * (f / f0).powi(3)),
        },
        Series {
            label: "P ∝ f (if V could stay fixed)".into(),
            colour: theme.muted,
            style: Style::Dashed,
            points: sample(&|f| p0 * f / f0),
        },
        Series {
            label: "Pentium M Banias (measured DVFS table)".into(),
            colour: THREAD_COLOURS[5],
            style: Style::Points(Shape::Diamond),
            points: table,
        },
        Series {
            label: format!("your point: {:.0} MHz, {:.2} W", r.mhz, r.core_w),
            colour: theme.fg,
            style: Style::Points(Shape::Circle),
            points: vec![(r.mhz, r.core_w)],
        },
    ]);
    let plot = LinePlot {
        title: "Power of one core against its clock",
        x_label: "clock f (MHz)",
        y_label: "power per core (W)",
        x_range: (0.0, x_max),
        y_range: (0.0, y_max),
        log_y: false,
        log_x: false,
        series,
        vlines: Vec::new(),
        x_decimals: 0,
    };
    report(draw_lines(&c, &plot, 380));
}
