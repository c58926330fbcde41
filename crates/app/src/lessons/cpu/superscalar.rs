//! A superscalar core, cycle by cycle (a model view over the deterministic simulator in
//! `parlab_model::cpu::superscalar`): preset programs, issue width 1–8, in-order or out-of-order
//! issue with a window, ALUs and miss latency; an animated issue table and IPC against width.

use parlab_model::cpu::superscalar::{Core, Kind, Preset, UnitKind, critical_path, ilp, run};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;
use web_sys::HtmlCanvasElement;
use yew::html::Scope;
use yew::prelude::*;

use super::ss_state::{GRID, PROGRAM, SsSettings, key};
use super::{CpuLesson, Msg, Settings, cycles};
use crate::controls::{on_number, on_select, report, slider};
use crate::lessons::Host;
use crate::plot::{LinePlot, Series, Shape, Style, THREAD_COLOURS, Theme, draw_lines};

const CANVAS: &str = "cpu-ipc-width";
/// The animation's `setInterval`, cleared when dropped.
pub struct Ticker {
    id: i32,
    _callback: Closure<dyn FnMut()>,
}

impl Ticker {
    pub fn start(link: &Scope<Host<CpuLesson>>, speed: usize) -> Option<Ticker> {
        let link = link.clone();
        let callback = Closure::<dyn FnMut()>::new(move || link.send_message(Msg::Tick));
        let ms = (1000 / speed.max(1)) as i32;
        let id = web_sys::window()?
            .set_interval_with_callback_and_timeout_and_arguments_0(
                callback.as_ref().unchecked_ref(),
                ms,
            )
            .ok()?;
        Some(Ticker { id, _callback: callback })
    }
}

impl Drop for Ticker {
    fn drop(&mut self) {
        if let Some(w) = web_sys::window() {
            w.clear_interval_with_handle(self.id);
        }
    }
}

/// IPC at widths 1..=8 for the current program and core.
fn ipc_by_width(s: &SsSettings) -> Vec<f64> {
    let program = s.program.program();
    (1..=8).map(|w| run(&s.core().with_width(w), &program).ipc()).collect()
}

/// The execution-unit bound on IPC: each kind's units start one instruction per cycle each.
fn unit_bound(core: &Core, program: &[parlab_model::cpu::superscalar::Instr]) -> (f64, UnitKind) {
    let mut worst = (0.0f64, UnitKind::Alu);
    for kind in UnitKind::ALL {
        let n = program.iter().filter(|i| i.kind.unit() == kind).count();
        let cycles = n.div_ceil(core.unit(kind).count) as f64;
        if cycles > worst.0 {
            worst = (cycles, kind);
        }
    }
    (if worst.0 > 0.0 { program.len() as f64 / worst.0 } else { 0.0 }, worst.1)
}

pub fn view(s: &SsSettings, link: &Scope<Host<CpuLesson>>, playing: bool, plot: &NodeRef) -> Html {
    let core = s.core();
    let program = s.program.program();
    let r = s.run();
    let bound = ilp(&core, &program);
    let path = critical_path(&core, &program);
    let ipcs = ipc_by_width(s);
    let set =
        |f: fn(&mut SsSettings, f64)| on_number(link, move |st: &mut Settings, v| f(&mut st.ss, v));
    let on_program = on_select(link, |st, v| {
        st.ss.program = Preset::ALL.into_iter().find(|p| key(*p) == v).unwrap_or(Preset::LoadLoop)
    });
    let on_issue = on_select(link, |st, v| st.ss.ooo = v == "ooo");
    let json = format!(
        r#"{{"ipc":{},"cycles":{},"instructions":{},"ilp":{},"critical_path":{}}}"#,
        r.ipc(),
        r.cycles,
        program.len(),
        bound,
        path
    );
    let none = Html::default();
    html! {
        <>
            <div class="cpu-row">
                <div>
                    <div class="controls" role="group" aria-label="Core and program (model)">
                        <label class="control">
                            <span>{ "Program" }</span>
                            <select data-testid="program" onchange={on_program}>
                                { for Preset::ALL.iter().map(|p| html! {
                                    <option value={key(*p)} selected={*p == s.program}>{ p.name() }</option>
                                }) }
                            </select>
                        </label>
                        <label class="control">
                            <span>{ "Issue" }</span>
                            <select data-testid="issue" onchange={on_issue}>
                                <option value="inorder" selected={!s.ooo}>{ "in order" }</option>
                                <option value="ooo" selected={s.ooo}>{ "out of order" }</option>
                            </select>
                        </label>
                        { slider("width", format!("Issue width = {}", s.width), (1.0, 8.0, 1.0), s.width as f64,
                            format!("{} per cycle", s.width), none.clone(), set(|p, v| p.width = (v as usize).clamp(1, 8))) }
                        { slider("window", format!("Window = {} instructions{}", s.window, if s.ooo { "" } else { " (out of order only)" }),
                            (2.0, 64.0, 1.0), s.window as f64, format!("{} instructions", s.window), none.clone(),
                            set(|p, v| p.window = (v as usize).clamp(2, 64))) }
                        { slider("miss", format!("Cache-miss latency = {} cycles", s.miss), (1.0, 100.0, 1.0), s.miss as f64,
                            format!("{} cycles", s.miss), none.clone(), set(|p, v| p.miss = (v as u32).clamp(1, 200))) }
                        { slider("alus", format!("Integer ALUs = {}", s.alus), (1.0, 8.0, 1.0), s.alus as f64,
                            format!("{} ALUs", s.alus), none, set(|p, v| p.alus = (v as usize).clamp(1, 8))) }
                    </div>
                    <div class="summary">
                        <div class="stat accent" data-testid="ipc" data-json={json}>
                            <span class="stat-label">{ "Instructions per cycle (IPC)" }</span>
                            <span class="stat-value">{ format!("{:.2}", r.ipc()) }</span>
                            <span class="stat-note">{ format!("{} instructions in {} cycles", program.len(), r.cycles) }</span>
                        </div>
                        <div class="stat">
                            <span class="stat-label">{ "Program's " }<abbr title="instruction-level parallelism: instructions per cycle its dependencies allow">{ "ILP" }</abbr>{ " (no unit limits)" }</span>
                            <span class="stat-value">{ format!("{bound:.2}") }</span>
                            <span class="stat-note">{ format!("{} instructions / {path}-cycle critical path", program.len()) }</span>
                        </div>
                    </div>
                </div>
                <aside class="cpu-aside">
                    <p><strong>{ "A model." }</strong>{ " A superscalar core starts several instructions per cycle, but only those \
                        whose inputs are ready, on a free unit of the right kind. In order, it stops at the first instruction \
                        that must wait; out of order, it looks ahead up to its window for others that can go." }</p>
                    <p>{ "Latencies: ALU 1 cycle, FPU 4, load/store 3 (a hit), a miss as set. Branches are predicted perfectly." }</p>
                </aside>
            </div>
            { cycles::view(s, &r, &program, link, playing) }
            <h2>{ "Does a wider core help?" }</h2>
            <div class="cpu-row">
                <div data-testid="ipc-width" data-json={format!("{ipcs:?}")}>
                    <canvas ref={plot.clone()} id={CANVAS} class="plot" data-testid="ipc-width-plot" role="img"
                        aria-label="IPC against issue width 1 to 8 for this program"></canvas>
                </div>
                <aside class="cpu-aside">{ width_verdict(s, &ipcs, bound, &core, &program) }</aside>
            </div>
        </>
    }
}

/// Where IPC stops growing with width, and why.
fn width_verdict(
    s: &SsSettings,
    ipcs: &[f64],
    bound: f64,
    core: &Core,
    program: &[parlab_model::cpu::superscalar::Instr],
) -> Html {
    let top = ipcs.iter().copied().fold(0.0, f64::max);
    let from = ipcs.iter().position(|&x| x >= 0.99 * top).map_or(1, |i| i + 1);
    let (units, kind) = unit_bound(core, program);
    let limit = bound.min(units);
    let why = if top >= 0.95 * limit && bound <= units {
        format!("the program's dependencies: its ILP is {bound:.2}, so no core can average more")
    } else if top >= 0.95 * limit {
        let n = core.unit(kind).count;
        format!(
            "the {n} {} unit{} (at most {units:.2} per cycle for this mix; try more ALUs)",
            kind.name(),
            if n == 1 { "" } else { "s" }
        )
    } else if s.ooo {
        format!(
            "the {}-instruction window: it cannot see far enough past a wait (try a larger one)",
            s.window
        )
    } else {
        "in-order issue: it stops at the first instruction that must wait, though later ones could go (try out of order)".into()
    };
    let has_fp = program.iter().any(|i| i.kind == Kind::FpAlu);
    html! {
        <>
            <p>{ format!("From width {from} on, IPC stays at {top:.2}: extra issue slots buy nothing. The limit is {why}.") }</p>
            if has_fp && !s.ooo {
                <p class="hint">{ "A chain of FP additions waits the FPU's 4 cycles for every result, at any width." }</p>
            }
        </>
    }
}

/// Scrolls the element `id` (not the page) so its first `item` is in view.
fn scroll_to(id: &str, item: &str) {
    let Some(scroller) =
        web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(id))
    else {
        return;
    };
    let Ok(Some(row)) = scroller.query_selector(item) else { return };
    let top = scroller.get_bounding_client_rect().top();
    let row_top = row.get_bounding_client_rect().top();
    let target =
        scroller.scroll_top() as f64 + row_top - top - scroller.client_height() as f64 * 0.6;
    scroller.set_scroll_top(target.max(0.0) as i32);
}

pub fn draw(s: &SsSettings, plot: &NodeRef) {
    scroll_to(GRID, "tr.current");
    scroll_to(PROGRAM, "li.now");
    let Some(c) = plot.cast::<HtmlCanvasElement>() else { return };
    let theme = Theme::current();
    let core = s.core();
    let program = s.program.program();
    let ipcs = ipc_by_width(s);
    let bound = ilp(&core, &program);
    let (units, _) = unit_bound(&core, &program);
    let y_max = ipcs.iter().copied().fold(1.0, f64::max).max(bound.min(units).min(8.0)) * 1.15;
    let flat = |y: f64| vec![(1.0, y), (8.0, y)];
    let mut series = vec![Series {
        label: "IPC = width (ideal)".into(),
        colour: theme.muted,
        style: Style::Dashed,
        points: (1..=8)
            .map(|w| w as f64)
            .chain([y_max])
            .filter(|&w| w <= y_max && w <= 8.0)
            .map(|w| (w, w))
            .collect(),
    }];
    let above = |y: f64| if y > y_max { " (above the plot)" } else { "" };
    series.push(Series {
        label: format!("program's ILP = {bound:.2}{}", above(bound)),
        colour: THREAD_COLOURS[1],
        style: Style::Dashed,
        points: flat(bound),
    });
    series.push(Series {
        label: format!("unit limit = {units:.2}{}", above(units)),
        colour: THREAD_COLOURS[2],
        style: Style::Dashed,
        points: flat(units),
    });
    series.push(Series {
        label: "simulated IPC".into(),
        colour: THREAD_COLOURS[0],
        style: Style::LinePoints(Shape::Circle),
        points: ipcs.iter().enumerate().map(|(i, &y)| ((i + 1) as f64, y)).collect(),
    });
    series.push(Series {
        label: format!("your width ({})", s.width),
        colour: theme.fg,
        style: Style::Points(Shape::Square),
        points: vec![(s.width as f64, ipcs[s.width.clamp(1, 8) - 1])],
    });
    let plot = LinePlot {
        title: &format!("IPC against issue width: {}", s.program.name()),
        x_label: "issue width (instructions per cycle)",
        y_label: "IPC (instructions / cycle)",
        x_range: (0.7, 8.3),
        y_range: (0.0, y_max),
        log_y: false,
        log_x: false,
        series,
        vlines: Vec::new(),
        x_decimals: 0,
    };
    report(draw_lines(&c, &plot, 300));
}
