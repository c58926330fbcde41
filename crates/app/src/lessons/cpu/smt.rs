//! Simultaneous multithreading ("Hyper-Threading"), a model view over `parlab_model::cpu::smt`:
//! thread A alone, B alone and both sharing one core, the throughput gain, and which thread
//! filled each issue slot in the first cycles.

use parlab_model::cpu::smt::SmtPreset;
use parlab_model::cpu::superscalar::{Run, run, run_threads};
use web_sys::HtmlCanvasElement;
use yew::html::Scope;
use yew::prelude::*;

use super::{CpuLesson, Settings};
use crate::controls::{on_number, on_select, report, slider};
use crate::lessons::Host;
use crate::params::{self, Kind, Lim, Param};
use crate::plot::{SlotPlot, SlotRow, THREAD_COLOURS, draw_slots};
use crate::url::Query;

const CANVAS: &str = "cpu-smt-strip";
const CYCLES_SHOWN: usize = 60;

fn key(p: SmtPreset) -> &'static str {
    match p {
        SmtPreset::Mixed => "mixed",
        SmtPreset::SameUnit => "same",
    }
}

fn preset_names() -> Vec<String> {
    SmtPreset::ALL.into_iter().map(|p| key(p).to_string()).collect()
}

const SMT: Param = Param {
    key: "smt",
    default: "mixed",
    kind: Kind::Choice(preset_names),
    doc: "The two threads' programs.",
    derived: false,
    action: false,
    control: Some("[data-testid=\"smt-preset\"]"),
};
const SMT_MISS: Param =
    params::int("smt_miss", "30", Lim::N(1), Lim::N(200), "Cache-miss latency (cycles).")
        .control("[data-testid=\"smt-miss\"]");

/// The view's parameters.
pub const PARAMS: [Param; 2] = [SMT, SMT_MISS];

/// The view's URL state: `smt` (preset) and `smt_miss` (cycles).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SmtSettings {
    pub preset: SmtPreset,
    pub miss: u32,
}

impl SmtSettings {
    pub fn read(q: &Query, notes: &mut Vec<String>) -> SmtSettings {
        let parse = |s: &str| SmtPreset::ALL.into_iter().find(|p| key(*p) == s);
        SmtSettings {
            preset: q.choice(SMT.key, SmtPreset::Mixed, parse, notes),
            miss: SMT_MISS.int(q, 1, notes) as u32,
        }
    }

    pub fn write(&self, q: &mut Query) {
        SMT.put(q, key(self.preset));
        SMT_MISS.put(q, self.miss);
    }

    /// A alone, B alone, both together.
    fn runs(&self) -> [Run; 3] {
        let core =
            parlab_model::cpu::superscalar::Core { miss_latency: self.miss, ..self.preset.core() };
        let (a, b) = self.preset.threads();
        [run(&core, &a), run(&core, &b), run_threads(&core, &[&a, &b])]
    }
}

fn describe(p: SmtPreset) -> &'static str {
    match p {
        SmtPreset::Mixed => {
            "Thread A sums an array and misses the cache on every 4th load; thread B does integer \
            arithmetic in two independent chains. 128 instructions each."
        }
        SmtPreset::SameUnit => {
            "Both threads are floating-point additions in four chains; either one alone already keeps \
            the core's single FPU busy every cycle. 128 instructions each."
        }
    }
}

pub fn view(s: &SmtSettings, link: &Scope<Host<CpuLesson>>, pool: usize, plot: &NodeRef) -> Html {
    let r = s.preset.measure(s.miss);
    let on_preset = on_select(link, |st, v| {
        st.smt.preset =
            SmtPreset::ALL.into_iter().find(|p| key(*p) == v).unwrap_or(SmtPreset::Mixed)
    });
    let on_miss = on_number(link, |st: &mut Settings, v| st.smt.miss = (v as u32).clamp(1, 200));
    let json = format!(
        r#"{{"cycles_a":{},"cycles_b":{},"cycles_together":{},"ipc_a":{},"ipc_b":{},"ipc_together":{},"gain":{}}}"#,
        r.cycles_a, r.cycles_b, r.cycles_together, r.ipc_a, r.ipc_b, r.ipc_together, r.gain
    );
    let cores = web_sys::window().map_or(0.0, |w| w.navigator().hardware_concurrency());
    html! {
        <>
            <div class="cpu-row">
                <div>
                    <div class="controls" role="group" aria-label="Two threads on one core (model)">
                        <label class="control">
                            <span>{ "Threads" }</span>
                            <select data-testid="smt-preset" onchange={on_preset}>
                                { for SmtPreset::ALL.iter().map(|p| html! {
                                    <option value={key(*p)} selected={*p == s.preset}>{ p.name() }</option>
                                }) }
                            </select>
                        </label>
                        { slider("smt-miss", format!("Cache-miss latency = {} cycles", s.miss), (1.0, 200.0, 1.0), s.miss as f64,
                            format!("{} cycles", s.miss), Html::default(), on_miss) }
                    </div>
                    <p class="caption">{ describe(s.preset) }{ " The core: 4-wide, in order, 2 ALUs, 1 FPU, 1 load/store unit." }</p>
                    <div class="summary" data-testid="smt-results" data-json={json}>
                        <div class="stat">
                            <span class="stat-label">{ "IPC of A alone" }</span>
                            <span class="stat-value">{ format!("{:.2}", r.ipc_a) }</span>
                            <span class="stat-note">{ format!("{} cycles", r.cycles_a) }</span>
                        </div>
                        <div class="stat">
                            <span class="stat-label">{ "IPC of B alone" }</span>
                            <span class="stat-value">{ format!("{:.2}", r.ipc_b) }</span>
                            <span class="stat-note">{ format!("{} cycles", r.cycles_b) }</span>
                        </div>
                        <div class="stat">
                            <span class="stat-label">{ "IPC of A + B together (SMT)" }</span>
                            <span class="stat-value">{ format!("{:.2}", r.ipc_together) }</span>
                            <span class="stat-note">{ format!("{} cycles; one after the other: {} cycles, IPC {:.2}",
                                r.cycles_together, r.cycles_a + r.cycles_b, r.ipc_one_after_other) }</span>
                        </div>
                        <div class="stat accent">
                            <span class="stat-label">{ "SMT gain" }</span>
                            <span class="stat-value">{ format!("{:+.1} %", r.gain * 100.0) }</span>
                            <span class="stat-note">{ "(T_A + T_B) / T_AB − 1: same work, fewer cycles" }</span>
                        </div>
                    </div>
                </div>
                <aside class="cpu-aside">
                    <p><strong>{ "A model." }</strong>{ " One thread leaves issue slots empty whenever it waits, for a cache miss or a \
                        result. Simultaneous multithreading keeps a second thread's registers in the same core, so the second \
                        thread fills those bubbles. It adds no execution units: when both threads need the same busy unit, \
                        there is nothing to gain." }</p>
                    <p>{ "Intel reported up to about 30 % more throughput for its first Hyper-Threading chips (Marr et al. 2002)." }</p>
                </aside>
            </div>
            <canvas ref={plot.clone()} id={CANVAS} class="plot" data-testid="smt-strip" role="img"
                aria-label={format!("Issue slots of the first {CYCLES_SHOWN} cycles: A alone, B alone, and both with SMT")}></canvas>
            <p class="caption">{ "Each column is one cycle, each small box one of the 4 issue slots. Pale boxes are bubbles: \
                slots nobody used. With SMT, B's instructions land in A's bubbles." }</p>
            <div class="cpu-row">
                <div class="cpu-aside cpu-cores" data-testid="logical-cores">
                    <p>{ format!("Your browser reports navigator.hardwareConcurrency = {cores:.0} logical cores (the lab's pool uses {pool}).") }</p>
                    <p>{ "That number counts hardware threads, not physical cores: on a chip with SMT each physical core shows up \
                        twice, and the two share one core's units. So two busy threads on the same physical core give far less \
                        than 2× (the gain above), and a speedup that stalls at half the reported count is often SMT, not your code. \
                        A web page cannot ask how many physical cores there are." }</p>
                </div>
            </div>
        </>
    }
}

pub fn draw(s: &SmtSettings, plot: &NodeRef) {
    let Some(c) = plot.cast::<HtmlCanvasElement>() else { return };
    let [a, b, ab] = s.runs();
    let strip = |label: &str, r: &Run, thread: Option<usize>| SlotRow {
        label: label.into(),
        cycles: r
            .log
            .iter()
            .take(CYCLES_SHOWN)
            .map(|c| c.issued.iter().map(|i| thread.unwrap_or(i.thread)).collect())
            .collect(),
    };
    let rows = [
        strip("A alone", &a, Some(0)),
        strip("B alone", &b, Some(1)),
        strip("A + B (SMT)", &ab, None),
    ];
    let width = s.preset.core().width;
    let plot = SlotPlot {
        title: "Issue slots, cycle by cycle",
        rows: &rows,
        width,
        cycles: CYCLES_SHOWN,
        threads: &[("thread A", THREAD_COLOURS[0]), ("thread B", THREAD_COLOURS[1])],
    };
    report(draw_slots(&c, &plot));
}
