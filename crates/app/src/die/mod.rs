//! The multi-core die view: a chip of N cores × k hardware threads (k measured by the machine
//! lab, else 2), lit by how busy each
//! thread of the tab's latest *real* run was, with a replay of that run's timeline.
//!
//! Why it exists: "N cores" and "N threads" are easy to say and hard to picture. Seeing which
//! logical CPUs a measured run kept busy (and for how long) connects the speedup numbers to
//! hardware. Honesty rules: the lamps light only from measured chunk times
//! ([`crate::activity`]); the browser never says which core ran a worker, so thread `i` is
//! drawn on logical CPU `i` and the text says so. Used by the CPU lab (`view=die`) and by the
//! overview, which draws it for the core count of its slider.

mod explain;
mod frames;
pub mod lamps;
mod svg;

use std::rc::Rc;

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::activity::LastRun;
use frames::Frames;
use lamps::{hidden_threads, lamps};

pub use explain::explanation;

/// Replay slow-down factors a user may pick (1 ms of the run lasts `k` ms on screen).
pub const SLOW: [u32; 4] = [10, 100, 1000, 10_000];
/// The default slow-down.
pub const SLOW_DEFAULT: u32 = 100;
/// Replay steps per run for the Step button.
const STEPS: f64 = 50.0;

/// `prefers-reduced-motion: reduce`: the replay then starts paused.
pub fn reduced_motion() -> bool {
    web_sys::window()
        .and_then(|w| w.match_media("(prefers-reduced-motion: reduce)").ok().flatten())
        .is_some_and(|m| m.matches())
}

/// `navigator.hardwareConcurrency` (logical CPUs the browser reports; 0 if unknown).
pub fn hardware_concurrency() -> usize {
    let n = web_sys::window().map_or(0.0, |w| w.navigator().hardware_concurrency());
    if n.is_finite() && n >= 1.0 { n as usize } else { 0 }
}

fn narrow() -> bool {
    web_sys::window()
        .and_then(|w| w.inner_width().ok())
        .and_then(|w| w.as_f64())
        .is_some_and(|w| w < 600.0)
}

#[derive(Properties, PartialEq)]
pub struct DieProps {
    /// Physical cores to draw.
    pub cores: usize,
    /// Hardware threads per core ([`lamps::smt_of`]).
    #[prop_or(lamps::SMT_ASSUMED)]
    pub smt: usize,
    /// The run that lights the die (`None`: nothing measured in this tab yet).
    pub run: Option<Rc<LastRun>>,
    /// Replay slow-down factor (the host lesson keeps it in its URL).
    pub slow: u32,
    pub on_slow: Callback<u32>,
    /// Changes on resize / zoom (the die picks fewer columns on a phone).
    pub layout: u32,
}

pub enum Msg {
    Play,
    Pause,
    Step,
    Seek(f64),
    Frame(f64),
    Slow(u32),
}

/// The die, its replay controls and what was measured.
pub struct Die {
    /// Replay time in ms since the run started; `None` shows the whole run.
    t_ms: Option<f64>,
    frames: Option<Frames>,
    last_ts: Option<f64>,
}

impl Die {
    fn wall(ctx: &Context<Self>) -> f64 {
        ctx.props().run.as_ref().map_or(0.0, |r| r.busy.wall_ms)
    }

    fn play(&mut self, ctx: &Context<Self>) {
        if Self::wall(ctx) <= 0.0 {
            return;
        }
        if self.t_ms.is_none_or(|t| t >= Self::wall(ctx)) {
            self.t_ms = Some(0.0);
        }
        self.last_ts = None;
        self.frames = Some(Frames::start(ctx.link().callback(Msg::Frame)));
    }
}

impl Component for Die {
    type Message = Msg;
    type Properties = DieProps;

    fn create(ctx: &Context<Self>) -> Self {
        let mut die = Die { t_ms: None, frames: None, last_ts: None };
        if !reduced_motion() {
            die.play(ctx);
        }
        die
    }

    fn changed(&mut self, ctx: &Context<Self>, old: &DieProps) -> bool {
        let same_run = match (&old.run, &ctx.props().run) {
            (Some(a), Some(b)) => Rc::ptr_eq(a, b),
            (a, b) => a.is_none() && b.is_none(),
        };
        if !same_run {
            self.frames = None;
            self.t_ms = None;
        }
        true
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        let wall = Self::wall(ctx);
        match msg {
            Msg::Play => self.play(ctx),
            Msg::Pause => self.frames = None,
            Msg::Step => {
                self.frames = None;
                let t = self.t_ms.filter(|&t| t < wall).unwrap_or(-wall / STEPS);
                let next = t + wall / STEPS;
                self.t_ms = (next < wall - 1e-9).then_some(next);
            }
            Msg::Seek(x) => {
                self.frames = None;
                let t = wall * x.clamp(0.0, 1.0);
                self.t_ms = (t < wall).then_some(t);
            }
            Msg::Frame(ts) => {
                let slow = f64::from(ctx.props().slow.max(1));
                let dt = self.last_ts.map_or(0.0, |last| (ts - last).clamp(0.0, 100.0));
                self.last_ts = Some(ts);
                let t = self.t_ms.unwrap_or(0.0) + dt / slow;
                if t >= wall {
                    self.t_ms = None;
                    self.frames = None;
                } else {
                    self.t_ms = Some(t);
                }
            }
            Msg::Slow(k) => ctx.props().on_slow.emit(k),
        }
        true
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let p = ctx.props();
        let cores = p.cores.max(1);
        let smt = p.smt.clamp(1, lamps::SMT_MAX);
        let run = p.run.as_deref();
        let busy = run.map(|r| &r.busy);
        let whole = lamps(busy, cores, smt, None);
        let shown = lamps(busy, cores, smt, self.t_ms);
        let json = serde_json::to_string(
            &whole.iter().map(|l| (l.share.unwrap_or(0.0) * 1e4).round() / 1e4).collect::<Vec<_>>(),
        )
        .unwrap_or_default();
        let used = busy.map_or(0, |b| b.threads.len());
        let summary = match run {
            Some(r) => format!(
                "Die with {cores} cores and {} logical CPUs, lit by the last measured run ({}, {} threads): {}",
                smt * cores,
                r.workload,
                r.threads,
                whole
                    .iter()
                    .filter(|l| l.share.is_some())
                    .map(|l| format!("CPU {} busy {}", l.cpu, svg::percent(l.share)))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            None => format!(
                "Die with {cores} cores and {} logical CPUs; nothing measured yet",
                smt * cores
            ),
        };
        html! {
            <div class="die-view" data-testid="die" data-busy={json} data-cores={cores.to_string()}
                data-logical={(smt * cores).to_string()} data-smt={smt.to_string()} data-threads-used={used.to_string()}
                data-run={run.map_or("none".to_string(), |r| r.lesson.clone())}>
                { source(run, cores, smt) }
                { svg::die(cores, smt, &shown, narrow(), &summary) }
                if run.is_some() { { self.controls(ctx) } }
            </div>
        }
    }
}

impl Die {
    fn controls(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let wall = Self::wall(ctx);
        let playing = self.frames.is_some();
        let t = self.t_ms.unwrap_or(wall);
        let position = if wall > 0.0 { (t / wall * 1000.0).round() } else { 1000.0 };
        let on_seek = link.batch_callback(|e: InputEvent| {
            let v = e.target_unchecked_into::<HtmlInputElement>().value().parse::<f64>().ok()?;
            Some(Msg::Seek(v / 1000.0))
        });
        let on_slow = link.batch_callback(|e: Event| {
            let v = e.target_unchecked_into::<HtmlSelectElement>().value().parse::<u32>().ok()?;
            Some(Msg::Slow(v))
        });
        let slow = ctx.props().slow;
        let status = match self.t_ms {
            Some(t) => format!("replay: t = {t:.1} ms of {wall:.1} ms"),
            None => format!("whole run: {wall:.1} ms wall time"),
        };
        html! {
            <div class="controls die-controls" role="group" aria-label="Replay of the measured run">
                if playing {
                    <button data-testid="die-pause" onclick={link.callback(|_| Msg::Pause)}>{ "Pause" }</button>
                } else {
                    <button class="primary" data-testid="die-play" onclick={link.callback(|_| Msg::Play)}>{ "Replay" }</button>
                }
                <button data-testid="die-step" onclick={link.callback(|_| Msg::Step)}
                    title="Advance the replay by 2 % of the run">{ "Step" }</button>
                <label class="control">
                    <span>{ "Speed" }</span>
                    <select data-testid="die-slow" onchange={on_slow}>
                        { for SLOW.iter().map(|&k| html! {
                            <option value={k.to_string()} selected={k == slow}>{ format!("{k}× slower than real time") }</option>
                        }) }
                    </select>
                </label>
                <label class="control wide">
                    <span data-testid="die-time" role="status">{ status }</span>
                    <input type="range" min="0" max="1000" step="1" value={position.to_string()} oninput={on_seek}
                        data-testid="die-seek" aria-valuetext={format!("{t:.1} milliseconds")} />
                </label>
            </div>
        }
    }
}

/// Where the light comes from: the measured run, or how to make one.
fn source(run: Option<&LastRun>, cores: usize, smt: usize) -> Html {
    let Some(r) = run else {
        return html! {
            <p class="die-empty" data-testid="die-empty">
                { "Nothing has been measured in this tab yet, so every lamp is dark (the die never lights from made-up numbers). Run a lesson, then come back: " }
                <a href="#/amdahl?run=1">{ "Amdahl's law" }</a>{ " or " }<a href="#/serial?run=1">{ "Serial vs parallel" }</a>{ "." }
            </p>
        };
    };
    let hidden = hidden_threads(&r.busy, cores, smt);
    html! {
        <p class="die-source">
            { format!("Measured: {} in “{}”, {} thread{} in {} mode, the last timed repetition ({:.1} ms). \
                Lamp brightness is the share of that wall time each thread spent computing. Thread i is drawn on \
                logical CPU i: the browser does not say which core ran it, the operating system picks the real one.",
                r.workload, r.lesson_title(), r.threads, if r.threads == 1 { "" } else { "s" }, r.mode.name(), r.busy.wall_ms) }
            if hidden > 0 {
                <strong>{ format!(" {hidden} busy thread{} of that run do not fit on {cores} cores and are not drawn.",
                    if hidden == 1 { "" } else { "s" }) }</strong>
            }
        </p>
    }
}
