//! The landing page: all three levers of the course on one screen (parallel share p, cores N,
//! supply voltage V) so a student sees speedup, cores and watts move together, then what
//! parlab is and where each lesson starts.
//!
//! Why here: each lever has its own lesson (Amdahl, the die, power and clock), but the point
//! of multicore is the trade between them. The speedup and power numbers are models (the same
//! ones the Amdahl and CPU labs use) and say so; the die and the plot's points light up only
//! from the tab's latest real run ([`crate::activity`]).

mod levers;
mod plot;

use yew::prelude::*;

use super::{Change, Ctx, LESSONS, Lesson};
use crate::activity;
use crate::controls::{Edit, on_number, p_from_slider, slider_from_p};
use crate::die::Die;
use crate::die::lamps::smt_of;
use levers::{Levers, N_MAX, V_MIN};
use parlab_model::cpu::power::Chip;

/// The plot in words (its `aria-label`): the model's numbers and the measured points.
fn plot_summary(l: &Levers, run: Option<&activity::LastRun>) -> String {
    let s = parlab_model::amdahl::speedup(l.p, l.n as f64);
    let limit = parlab_model::amdahl::limit(l.p);
    let limit = if limit.is_finite() { format!("{limit:.1}×") } else { "none".into() };
    let mut text = format!(
        "Speedup against cores, a model: Amdahl's curve for p = {:.3} gives {s:.2}× on {} cores \
         (limit {limit}), below the ideal line S = N.",
        l.p, l.n
    );
    if let Some(r) = run {
        let points: Vec<String> = r
            .rows
            .iter()
            .filter_map(|x| Some(format!("{} threads {:.2}×", x.threads, x.speedup?)))
            .collect();
        text += &format!(" Measured in this tab ({}): {}.", r.workload, points.join(", "));
    }
    text
}

/// What "Banias" is, for the abbreviation's tooltip.
const BANIAS: &str =
    "Intel Pentium M \"Banias\" (2003), the laptop chip the power model is calibrated to";

pub enum Msg {
    Set(Edit<Levers>),
}

pub struct Overview {
    levers: Levers,
    plot: NodeRef,
}

impl From<Edit<Levers>> for Msg {
    fn from(edit: Edit<Levers>) -> Msg {
        Msg::Set(edit)
    }
}

impl Lesson for Overview {
    const ROUTE: &'static str = "";
    const TITLE: &'static str = "Overview";
    const SUMMARY: &'static str = "What parlab measures and how";
    type Settings = Levers;
    type Msg = Msg;

    fn create(levers: Levers, _ctx: &Ctx<Self>) -> Self {
        Overview { levers, plot: NodeRef::default() }
    }

    fn settings(&self) -> &Levers {
        &self.levers
    }

    fn draw(&self, _ctx: &Ctx<Self>) {
        plot::draw(&self.levers, activity::last().as_deref(), &self.plot);
    }

    fn update(&mut self, _ctx: &Ctx<Self>, msg: Msg) -> Change {
        let Msg::Set(f) = msg;
        f(&mut self.levers);
        Change::Settings
    }

    fn view(&self, ctx: &Ctx<Self>, notes: Html) -> Html {
        let link = ctx.link();
        let l = &self.levers;
        let r = l.readout();
        let run = activity::last();
        let (smt, smt_measured) = smt_of(activity::machine_card().as_ref());
        let v_max = Chip::banias().v_max;
        let on_slow = link.callback(|k: u32| Msg::Set(Box::new(move |l: &mut Levers| l.slow = k)));
        let plural = if l.n == 1 { "" } else { "s" };
        html! {
            <section class="lesson overview">
                <h1>{ "Serial vs parallel processing, measured" }</h1>
                <p class="lead">
                    { "Serial processing handles one object at a time; parallel processing handles several at once. \
                       parlab lets you see the difference on your own machine: every measured number comes from \
                       real work on real threads in this browser tab, not from a drawing, and the views that are \
                       models say so." }
                </p>
                { notes }
                <section class="start-here" data-testid="start-here" aria-labelledby="start-here-title">
                    <h2 id="start-here-title">{ "Start here" }</h2>
                    <ol>
                        <li><a href="#/serial">{ "Serial vs parallel" }</a>{ ": press Run and see one workload on 1 thread and on all of them — your first measured speedup." }</li>
                        <li><a href="#/amdahl">{ "Amdahl's law" }</a>{ ": why the speedup stays below the number of threads — the serial share 1 − p sets the limit." }</li>
                        <li><a href="#/cpu">{ "CPU lab" }</a>{ ", " }<a href="#/gil">{ "the GIL" }</a>{ " and " }<a href="#/races">{ "races" }</a>{ ": why chips went multi-core, and what goes wrong when threads share memory." }</li>
                    </ol>
                    <p class="caption">{ "Below: a model of the three levers together. Teaching with parlab? Every lesson ends with a folded “For instructors” panel." }</p>
                </section>
                <h2>{ "Three levers: parallel share, cores, voltage" }</h2>
                <div class="controls" role="group" aria-label="Levers (models)">
                    <label class="control wide">
                        <span>{ format!("Parallel share p = {:.3}", l.p) }</span>
                        <input type="range" min="0" max="1000" step="1" data-testid="overview-p"
                            value={format!("{:.0}", slider_from_p(l.p))} aria-valuetext={format!("p = {:.3}", l.p)}
                            oninput={on_number(link, |l, x| l.p = p_from_slider(x))} />
                        <span class="hint">{ "finer steps near 1, where the curve changes most" }</span>
                    </label>
                    <label class="control wide">
                        <span>{ format!("Cores N = {}", l.n) }</span>
                        <input type="range" min="1" max={N_MAX.to_string()} step="1" data-testid="overview-n"
                            value={l.n.to_string()} aria-valuetext={format!("{} cores", l.n)}
                            oninput={on_number(link, |l, x| l.n = (x as usize).clamp(1, N_MAX))} />
                        <span class="hint">{ format!("{} logical CPUs with 2 hyper-threads per core", 2 * l.n) }</span>
                    </label>
                    <label class="control wide">
                        <span>{ format!("Supply voltage V = {:.3} V", l.v) }</span>
                        <input type="range" min={V_MIN.to_string()} max={v_max.to_string()} step="0.005" data-testid="overview-v"
                            value={l.v.to_string()} aria-valuetext={format!("{:.3} volts", l.v)}
                            oninput={on_number(link, move |l, x| l.v = x.clamp(V_MIN, v_max))} />
                        <span class="hint">{ "allows a clock of at most " }<abbr title="the highest clock the voltage allows">{ "f_max" }</abbr>{ format!(" = {:.0} MHz", r.mhz) }</span>
                    </label>
                </div>
                <div class="summary" data-testid="overview-power" data-json={r.json(l)}>
                    <div class="stat">
                        <span class="stat-label">{ "Clock the voltage allows" }</span>
                        <span class="stat-value">{ format!("{:.0} MHz", r.mhz) }</span>
                        <span class="stat-note">{ format!("f_max({:.3} V), model fitted to the ", l.v) }<abbr title={BANIAS}>{ "Banias" }</abbr></span>
                    </div>
                    <div class="stat">
                        <span class="stat-label">{ format!("Power, {} core{plural}", l.n) }</span>
                        <span class="stat-value">{ format!("{:.1} W", r.total_w) }</span>
                        <span class="stat-note">{ format!("{:.2} W per core × {}", r.core_w, l.n) }</span>
                    </div>
                    <div class="stat accent">
                        <span class="stat-label">{ format!("Speedup on {} core{plural}", l.n) }</span>
                        <span class="stat-value">{ format!("{:.2}×", r.speedup) }</span>
                        <span class="stat-note">{ format!("Amdahl, p = {:.3}", l.p) }</span>
                    </div>
                    <div class="stat">
                        <span class="stat-label">{ "Performance per watt" }</span>
                        <span class="stat-value">{ format!("{:.2}×", r.perf_per_w) }</span>
                        <span class="stat-note">{ format!("performance {:.2}× (clock × speedup); 1.00 = one Banias core at 1600 MHz, 24.5 W", r.performance) }</span>
                    </div>
                </div>
                <div class={classes!("overview-grid", (l.n > 8).then_some("many"))}>
                    <div>
                        <canvas ref={self.plot.clone()} id={plot::CANVAS} class="plot" data-testid="overview-plot" role="img"
                            aria-label={plot_summary(l, run.as_deref())}></canvas>
                    </div>
                    <div>
                        <h3 class="die-title">{ format!("{} core{plural} × {smt} hardware thread{}{}", l.n,
                            if smt == 1 { "" } else { "s" }, if smt_measured { " (measured)" } else { "" }) }</h3>
                        <Die cores={l.n} {smt} run={run.clone()} slow={l.slow} {on_slow} layout={ctx.props().layout} />
                    </div>
                </div>
                <p class="caption">
                    { "The curve, the clock and the watts are models: Amdahl's law, and the power model of the " }
                    <a href="#/cpu?view=power">{ "CPU lab" }</a>
                    { " calibrated to the Pentium M Banias (every core at the highest clock the voltage allows). \
                       Only the black points and the lit die are measurements, from the latest run in this tab. \
                       More on the die: " }
                    <a href="#/cpu?view=die">{ "logical vs physical cores" }</a>{ "." }
                </p>
                <h2>{ "Lessons" }</h2>
                <div class="cards">
                    { for LESSONS.iter().filter(|l| !l.route.is_empty()).map(|l| html! {
                        <a class="card" href={format!("#/{}", l.route)}>
                            <h2>{ l.title }</h2>
                            <p>{ l.summary }</p>
                            { crate::challenge::card_summary(l.route) }
                        </a>
                    }) }
                </div>
                <h2>{ "How the measurements are made" }</h2>
                <ul class="facts">
                    <li>{ "The workloads are Rust compiled to WebAssembly. They run in Web Workers, never on the page's own thread, so the page stays responsive." }</li>
                    <li>{ "In threads mode the workers share one memory and a rayon thread pool (SharedArrayBuffer). That needs a cross-origin isolated page; elsewhere (for example inside course notes) separate workers exchange messages instead." }</li>
                    <li>{ "Each measurement is warmed up once and repeated; we report the median, minimum and maximum wall time, and check that every run gave the same answer." }</li>
                    <li>{ "The same kernels also run natively (./bench in the repository), so the browser's numbers can be compared with a native build on the same machine." }</li>
                </ul>
            </section>
        }
    }
}
