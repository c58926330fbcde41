//! The Amdahl lab's markup and plots.

use parlab_kernels::measure::Row;
use parlab_kernels::schedule::Schedule;
use parlab_kernels::{Size, Workload};
use parlab_model::amdahl;
use parlab_model::fit::{AmdahlFit, fit_amdahl};
use web_sys::HtmlCanvasElement;
use yew::prelude::*;

use super::{AmdahlLesson, Msg, N_MAX, SERIAL_MAX, Settings, Tab, multicore};
use crate::challenge::{Challenges, Evidence, SpeedupRun};
use crate::components::ResultsTable;
use crate::controls::{on_check, on_number, on_select, p_from_slider, slider_from_p};
use crate::export::{Downloads, runs};
use crate::lessons::Ctx;
use crate::lessons::runner::{RunControls, RunState, state_line};
use crate::params::Named;
use crate::plot::{
    AMDAHL_COLOUR, Curve, FIT_COLOUR, GUSTAFSON_COLOUR, Measured, SpeedupPlot, Theme, draw_speedup,
};
use crate::predict::Predict;

/// The N slider is log₂: position 0..1000 ↔ N = 2^(x/100).
fn n_from_slider(x: f64) -> usize {
    (2f64.powf(x / 100.0).round() as usize).clamp(1, N_MAX)
}

/// p fitted to the measured speedups (needs a 1-thread row and at least one more).
pub fn fitted(rows: &[Row]) -> Option<AmdahlFit> {
    let points: Vec<(f64, f64)> =
        rows.iter().filter_map(|r| Some((r.threads as f64, r.speedup?))).collect();
    if points.len() < 2 { None } else { fit_amdahl(&points) }
}

/// What the fitted p rests on. With one thread count above 1, that point alone determines p
/// (every p gives 1× on 1 thread), so the residual is 0 by construction and checks nothing.
fn fit_note(f: &AmdahlFit, rows: &[Row]) -> String {
    let limit = if f.p < 1.0 { format!("{:.1}×", amdahl::limit(f.p)) } else { "∞".into() };
    let above: Vec<usize> =
        rows.iter().filter(|r| r.threads > 1 && r.speedup.is_some()).map(|r| r.threads).collect();
    match above.as_slice() {
        [n] => format!(
            "serial share 1 − p = {:.3}; limit {limit}. Determined exactly by the {n}-thread point \
             (1 thread gives 1× for every p), so nothing checks the law yet: measure more thread counts.",
            1.0 - f.p
        ),
        _ => format!(
            "serial share 1 − p = {:.3}; limit {limit}; rms error {:.3}× over {} points tests the law",
            1.0 - f.p,
            f.rmse,
            f.points
        ),
    }
}

/// The speedup plot in words (its `aria-label`): the model curve and the measured points.
fn speedup_summary(p: f64, n: usize, rows: &[Row], fit: Option<&AmdahlFit>) -> String {
    let mut text = format!(
        "Speedup against threads: Amdahl's curve for p = {p:.3} reaches {:.2}× at {n} threads.",
        amdahl::speedup(p, n as f64)
    );
    let points: Vec<String> = rows
        .iter()
        .filter_map(|r| Some(format!("{} threads {:.2}×", r.threads, r.speedup?)))
        .collect();
    if points.is_empty() {
        text += " No measured points yet: press Run.";
    } else {
        text += &format!(" Measured medians: {}.", points.join(", "));
    }
    if let Some(f) = fit {
        text += &format!(" Fitted p = {:.3}.", f.p);
    }
    text
}

/// The measured serial share of the 1-thread run.
pub fn measured_serial(rows: &[Row]) -> Option<f64> {
    let r = rows.iter().find(|r| r.threads == 1)?;
    (r.serial_ms > 0.0).then(|| r.serial_ms / r.median_ms)
}

pub fn view(lesson: &AmdahlLesson, ctx: &Ctx<AmdahlLesson>, notes: Html) -> Html {
    let link = ctx.link();
    let s = &lesson.settings;
    let tab = |t: Tab, label: &str| {
        let onclick = link.callback(move |_| Msg::Set(Box::new(move |s: &mut Settings| s.tab = t)));
        html! {
            <button role="tab" aria-selected={(s.tab == t).to_string()} class={classes!("tab", (s.tab == t).then_some("current"))}
                {onclick}>{ label }</button>
        }
    };
    html! {
        <section class="lesson amdahl">
            <h1>{ "Amdahl's law" }</h1>
            <p class="lead">
                { "The small part of a program that cannot be parallelised limits the overall speedup. \
                   With p the share of the 1-thread time that can run in parallel (so 1 − p is the serial share), \
                   and s the speedup of that part (s = N for N ideal threads):" }
            </p>
            <p class="formula" aria-label="S latency of s equals 1 over the sum of 1 minus p and p over s">
                { "S" }<sub>{ "latency" }</sub>{ "(s) = 1 / ((1 − p) + p / s)" }
            </p>
            { notes }
            <div class="tabs" role="tablist">
                { tab(Tab::Measure, "Measure on this device") }
                { tab(Tab::Multicore, "Multicore design (Hill & Marty)") }
            </div>
            <div data-section={s.tab.name()}>
            if s.tab == Tab::Measure { { measure_view(lesson, ctx) } } else {
                <multicore::Multicore settings={s.hm} plot={lesson.canvases.hill_marty.clone()} on_change={link.callback(|hm| Msg::Set(Box::new(move |s: &mut Settings| s.hm = hm)))} />
            }
            </div>
        </section>
    }
}

fn measure_view(lesson: &AmdahlLesson, ctx: &Ctx<AmdahlLesson>) -> Html {
    let link = ctx.link();
    let s = &lesson.settings;
    let running = lesson.runner.running();
    let rows = &lesson.runner.rows;
    let fit = fitted(rows);
    let question = lesson.question();
    let on_p = on_number(link, |s: &mut Settings, v| s.p = p_from_slider(v));
    let on_n = on_number(link, |s: &mut Settings, v| s.n = n_from_slider(v));
    let on_log = on_check(link, |s: &mut Settings, v| s.log_x = v);
    let on_scaled = on_check(link, |s: &mut Settings, v| s.scaled = v);
    let on_workload =
        on_select(link, |s: &mut Settings, v| s.workload = Named::parse(&v).unwrap_or_default());
    let on_size =
        on_select(link, |s: &mut Settings, v| s.size = Named::parse(&v).unwrap_or_default());
    let on_schedule =
        on_select(link, |s: &mut Settings, v| s.schedule = Named::parse(&v).unwrap_or_default());
    let on_serial = on_number(link, |s: &mut Settings, v| s.serial = v.clamp(0.0, SERIAL_MAX));
    let on_reps = link.callback(|r: usize| Msg::Set(Box::new(move |s: &mut Settings| s.reps = r)));
    let limit = amdahl::limit(s.p);
    let limit_text = if limit.is_finite() { format!("{limit:.1}×") } else { "∞".into() };
    html! {
        <>
            <div class="controls" role="group" aria-label="Model">
                <label class="control wide">
                    <span>{ format!("Parallel share p = {:.3}", s.p) }</span>
                    <input type="range" min="0" max="1000" step="1" data-testid="p"
                        value={format!("{:.0}", slider_from_p(s.p))} oninput={on_p}
                        aria-valuetext={format!("p = {:.3}", s.p)} />
                    <span class="hint">{ format!("limit 1/(1 − p) = {limit_text}") }</span>
                </label>
                <label class="control wide">
                    <span>{ format!("Threads N = {}", s.n) }</span>
                    <input type="range" min="0" max="1000" step="10" data-testid="n"
                        value={format!("{:.0}", (s.n as f64).log2() * 100.0)} oninput={on_n}
                        aria-valuetext={format!("N = {}", s.n)} />
                    <span class="hint">{ format!("Amdahl: S = {:.2}×, efficiency {:.0} %",
                        amdahl::speedup(s.p, s.n as f64), 100.0 * amdahl::speedup(s.p, s.n as f64) / s.n as f64) }</span>
                </label>
                <label class="check"><input type="checkbox" checked={s.log_x} data-testid="log"
                    onchange={on_log} />{ "log₂ thread axis" }</label>
                <label class="check"><input type="checkbox" checked={s.scaled} data-testid="scaled"
                    onchange={on_scaled} />{ "show Gustafson's scaled speedup" }</label>
            </div>
            <div class="controls" role="group" aria-label="Experiment">
                <label class="control">
                    <span>{ "Workload" }</span>
                    <select data-testid="workload" onchange={on_workload} disabled={running}>
                        { for Workload::ALL.iter().map(|w| html! {
                            <option value={w.name()} selected={*w == s.workload}>{ w.label() }</option>
                        }) }
                    </select>
                </label>
                <label class="control">
                    <span>{ "Problem size" }</span>
                    <select data-testid="size" onchange={on_size} disabled={running}>
                        { for Size::ALL.iter().map(|z| html! {
                            <option value={z.name()} selected={*z == s.size}>{ z.name() }</option>
                        }) }
                    </select>
                </label>
                <label class="control">
                    <span>{ "Scheduling" }</span>
                    <select data-testid="schedule" onchange={on_schedule} disabled={running}>
                        <option value="dynamic" selected={s.schedule == Schedule::Dynamic}>{ "dynamic (next free chunk)" }</option>
                        <option value="static" selected={s.schedule == Schedule::Static}>{ "static (equal blocks)" }</option>
                    </select>
                </label>
                <label class="control">
                    <span>{ format!("Injected serial share (part of 1 − p): {:.0} %", s.serial * 100.0) }</span>
                    <input type="range" min="0" max={SERIAL_MAX.to_string()} step="0.05" data-testid="serial"
                        value={s.serial.to_string()} oninput={on_serial} disabled={running}
                        aria-valuetext={format!("{:.0} percent", s.serial * 100.0)} />
                    <span class="hint">{ measured_serial(rows).map_or("a real dependent computation, sized by timing".into(),
                        |m| format!("measured: {:.1} % of the 1-thread time", m * 100.0)) }</span>
                </label>
                <RunControls pool={ctx.props().compute.plan().pool} threads={s.threads.clone()} reps={s.reps}
                    running={running} status={ctx.props().status.clone()}
                    on_toggle={link.callback(Msg::ToggleThreads)} on_reps={on_reps}
                    on_run={link.callback(|_| Msg::Run)} on_cancel={link.callback(|_| Msg::Cancel)}
                    blocked={lesson.predict.blocks(question.as_ref()).map(AttrValue::from)} />
            </div>
            <Predict question={question.clone()} ask={lesson.predict.ask} answer={lesson.predict.answer(question.as_ref()).cloned()}
                reveal={lesson.predict.reveal(lesson.measured())} on_answer={link.callback(Msg::Predict)} {running} />
            { state_line(lesson.runner.state(), &ctx.props().status) }
            <div class="summary">
                if let Some(f) = fit {
                    <div class="stat accent" data-testid="fitted-p">
                        <span class="stat-label">{ "p fitted to the measurements" }</span>
                        <span class="stat-value">{ format!("{:.3}", f.p) }</span>
                        <span class="stat-note">{ fit_note(&f, rows) }</span>
                    </div>
                }
                if let Some(best) = rows.iter().filter(|r| r.speedup.is_some()).max_by(|a, b| a.speedup.partial_cmp(&b.speedup).unwrap_or(std::cmp::Ordering::Equal)) {
                    <div class="stat">
                        <span class="stat-label">{ format!("Best measured speedup ({} threads)", best.threads) }</span>
                        <span class="stat-value">{ format!("{:.2}×", best.speedup.unwrap_or(0.0)) }</span>
                        <span class="stat-note">{ format!("{:.1} ms vs {:.1} ms on 1 thread", best.median_ms,
                            rows.iter().find(|r| r.threads == 1).map_or(0.0, |r| r.median_ms)) }</span>
                    </div>
                }
            </div>
            <div class="plots">
                <canvas ref={lesson.canvases.speedup.clone()} id="amdahl-speedup" class="plot" data-testid="speedup-plot" role="img"
                    aria-label={speedup_summary(s.p, s.n, rows, fit.as_ref())}></canvas>
                <canvas ref={lesson.canvases.efficiency.clone()} id="amdahl-efficiency" class="plot" data-testid="efficiency-plot" role="img"
                    aria-label="Parallel efficiency against thread count"></canvas>
            </div>
            <ResultsTable rows={rows.clone()} />
            <Challenges lesson="amdahl" evidence={challenge_evidence(lesson)} />
            { super::bands::view(lesson) }
            if let (Some(job), RunState::Done) = (&lesson.runner.job, lesson.runner.state()) {
                <Downloads results={runs::of_job("amdahl", <AmdahlLesson as crate::lessons::Lesson>::TITLE, job, rows)}
                    compute={ctx.props().compute.clone()} name={format!("parlab-amdahl-{}", s.workload.name())}
                    canvas={lesson.canvases.speedup.clone()} />
            }
            { explanation() }
        </>
    }
}

/// The finished run's speedups with the serial share it really ran with.
fn challenge_evidence(lesson: &AmdahlLesson) -> Option<std::rc::Rc<Evidence>> {
    let share = lesson.runner.job.as_ref()?.serial_share;
    SpeedupRun::of(share, &lesson.runner.rows).map(std::rc::Rc::new)
}

fn measured_points(rows: &[Row], efficiency: bool) -> Vec<Measured> {
    let Some(t1) = rows.iter().find(|r| r.threads == 1).map(|r| r.median_ms) else {
        return Vec::new();
    };
    rows.iter()
        .map(|r| {
            let n = r.threads as f64;
            let scale = if efficiency { n } else { 1.0 };
            Measured {
                n,
                value: t1 / r.median_ms / scale,
                low: t1 / r.max_ms / scale,
                high: t1 / r.min_ms / scale,
            }
        })
        .collect()
}

/// Draws both plots (after every render; cheap).
pub fn draw_plots(lesson: &AmdahlLesson) {
    let s = &lesson.settings;
    if s.tab != Tab::Measure {
        multicore::draw(&s.hm, &lesson.canvases.hill_marty);
        return;
    }
    let canvas = |node: &NodeRef| node.cast::<HtmlCanvasElement>();
    let rows = &lesson.runner.rows;
    let fit = fitted(rows);
    let n_max = rows.iter().map(|r| r.threads).max().unwrap_or(1).max(s.n) as f64;
    let p = s.p;
    let amdahl_curve = move |n: f64| amdahl::speedup(p, n);
    let ideal = |n: f64| n;
    let gustafson = move |n: f64| amdahl::gustafson(p, n);
    let fit_p = fit.map(|f| f.p);
    let fit_curve = move |n: f64| amdahl::speedup(fit_p.unwrap_or(0.0), n);
    let theme = Theme::current();
    let mut curves = vec![
        Curve { label: "ideal S = N".into(), colour: theme.muted, dashed: true, f: &ideal },
        Curve {
            label: format!("Amdahl, p = {p:.3}"),
            colour: AMDAHL_COLOUR,
            dashed: false,
            f: &amdahl_curve,
        },
    ];
    if let Some(fp) = fit_p {
        curves.push(Curve {
            label: format!("Amdahl, fitted p = {fp:.3}"),
            colour: FIT_COLOUR,
            dashed: true,
            f: &fit_curve,
        });
    }
    if s.scaled {
        curves.push(Curve {
            label: format!("Gustafson (scaled), p = {p:.3}"),
            colour: GUSTAFSON_COLOUR,
            dashed: false,
            f: &gustafson,
        });
    }
    let points = measured_points(rows, false);
    let limit = amdahl::limit(p);
    let speedup_y_max = if s.scaled {
        None
    } else {
        Some(
            n_max
                .min(limit * 1.15)
                .max(points.iter().map(|m| m.high).fold(1.0, f64::max) * 1.1)
                .max(2.0),
        )
    };
    let plot = SpeedupPlot {
        title: "Speedup S = T₁ / T_N",
        x_label: "threads N",
        y_label: "speedup (×)",
        n_max,
        log_x: s.log_x,
        curves,
        asymptote: limit.is_finite().then(|| (format!("limit 1/(1 − p) = {limit:.1}"), limit)),
        measured: &points,
        measured_label: "measured (median, min–max)",
        y_max: speedup_y_max,
    };
    if let Some(c) = canvas(&lesson.canvases.speedup) {
        let _ = draw_speedup(&c, &plot, 380).map_err(|e| web_sys::console::warn_1(&e.into()));
    }
    let amdahl_eff = move |n: f64| amdahl::speedup(p, n) / n;
    let fit_eff = move |n: f64| amdahl::speedup(fit_p.unwrap_or(0.0), n) / n;
    let one = |_: f64| 1.0;
    let mut curves = vec![
        Curve { label: "ideal E = 1".into(), colour: theme.muted, dashed: true, f: &one },
        Curve {
            label: format!("Amdahl, p = {p:.3}"),
            colour: AMDAHL_COLOUR,
            dashed: false,
            f: &amdahl_eff,
        },
    ];
    if let Some(fp) = fit_p {
        curves.push(Curve {
            label: format!("fitted p = {fp:.3}"),
            colour: FIT_COLOUR,
            dashed: true,
            f: &fit_eff,
        });
    }
    let points = measured_points(rows, true);
    let y_max = points.iter().map(|m| m.high).fold(1.0, f64::max) * 1.15;
    let plot = SpeedupPlot {
        title: "Parallel efficiency E = S / N",
        x_label: "threads N",
        y_label: "efficiency",
        n_max,
        log_x: s.log_x,
        curves,
        asymptote: None,
        measured: &points,
        measured_label: "measured",
        y_max: Some(y_max),
    };
    if let Some(c) = canvas(&lesson.canvases.efficiency) {
        let _ = draw_speedup(&c, &plot, 300).map_err(|e| web_sys::console::warn_1(&e.into()));
    }
}

fn explanation() -> Html {
    html! {
        <details class="explain" open=true>
            <summary>{ "Reading the plot" }</summary>
            <ul>
                <li>{ "The blue curve is Amdahl's law for the p you choose. However many threads you add, the speedup cannot pass 1/(1 − p), the dotted line." }</li>
                <li>{ "The black points are real runs on this device: the median speedup over the repetitions, with bars from the slowest to the fastest run. The orange dashed curve is the p that fits them best (least squares)." }</li>
                <li>{ "Raise the injected serial share: a real computation that no thread can help with runs before the parallel part, and the fitted p falls towards 1 minus that share (the serial share 1 − p grows)." }</li>
                <li>{ "Karp–Flatt's e(N) in the table is the serial share 1 − p each point implies: if it grows with N, the overhead of parallelism (start-up, imbalance, memory bandwidth), not a fixed serial part, is what limits you." }</li>
                <li>{ "Gustafson's scaled speedup is a model curve only: it assumes the problem grows with N so the parallel part keeps every thread busy. These runs keep the problem size fixed, which is Amdahl's setting." }</li>
                <li>{ "A browser reports logical cores (hyper-threads count twice), and other programs share them, so points beyond the physical core count usually stall." }</li>
            </ul>
        </details>
    }
}
