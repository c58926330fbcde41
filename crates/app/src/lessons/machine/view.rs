//! The machine lab's markup: controls, the machine card, and one section per experiment with
//! its plot and a table (`data-json` on each measured result).

use parlab_kernels::machine::MachineReport;
use yew::prelude::*;

use super::{Extent, MachineLesson, Msg, Settings, reported_cores};
use crate::activity;
use crate::challenge::{Challenges, SharingRun};
use crate::compute::Compute;
use crate::compute::probe::Estimate;
use crate::controls::on_select;
use crate::die::lamps::smt_of;
use crate::export::{Downloads, Record, Results};
use crate::lessons::Ctx;
use crate::lessons::runner::{state_line_of, unavailable};
use crate::params::Named;
use crate::plot::size_label;
use crate::predict::{Predict, blocked_note};

pub fn view(l: &MachineLesson, ctx: &Ctx<MachineLesson>, notes: Html) -> Html {
    let link = ctx.link();
    let running = l.run.running();
    let on_extent =
        on_select(link, |s: &mut Settings, v| s.extent = Named::parse(&v).unwrap_or(s.extent));
    let pool = ctx.props().compute.plan().pool;
    let reported = reported_cores();
    let ready = ctx.props().status == crate::compute::Status::Ready;
    let question = l.question();
    let blocked = l.predict.blocks(question.as_ref());
    html! {
        <section class="lesson machine">
            <h1>{ "Your machine, measured" }</h1>
            <p class="lead">
                { format!("Your browser says this device has {reported} logical cores. Browsers round, cap or randomise \
                   that number, and it says nothing about caches or memory. Here five small experiments measure \
                   instead, on {pool} real threads in this tab: how many cores really work at once, how far \
                   each cache reaches, how much memory bandwidth threads can share, what false sharing costs, and \
                   the roofline that shows which kernels are limited by arithmetic and which by memory.") }
            </p>
            { notes }
            <div class="controls" role="group" aria-label="Machine lab settings">
                <label class="control">
                    <span>{ "Extent" }</span>
                    <select data-testid="extent" onchange={on_extent} disabled={running}>
                        { for Extent::ALL.iter().map(|&e| html! {
                            <option value={e.name()} selected={e == l.settings.extent}>{ match e {
                                Extent::Quick => "quick (working sets to 16 MiB, a few seconds)",
                                Extent::Full => "full (working sets to 256 MiB, about half a minute)",
                            } }</option>
                        }) }
                    </select>
                </label>
                <crate::lessons::run_buttons::RunButtons running={running} can_run={ready && blocked.is_none()} label="Measure"
                    on_run={link.callback(|_| Msg::Run)} on_cancel={link.callback(|_| Msg::Cancel)} />
                { blocked_note(blocked) }
            </div>
            <Predict question={question.clone()} ask={l.predict.ask} answer={l.predict.answer(question.as_ref()).cloned()}
                reveal={l.predict.reveal(l.measured())} on_answer={link.callback(Msg::Predict)} {running} />
            if let Some(why) = MachineLesson::unavailable(ctx) {
                { unavailable("run-state", &why) }
            } else {
                { state_line_of(l.run.state(), &ctx.props().status, "measurements", false) }
            }
            <p class="caption">
                { format!("The cores probe runs up to the pool's {pool} threads. To look for hyper-threads the browser \
                   does not report, ") }
                <button data-testid="machine-oversubscribe" onclick={reload_with_pool((2 * reported).min(64))}>
                    { format!("reload with {} pool threads and measure", (2 * reported).min(64)) }</button>
            </p>
            { remembered(ctx) }
            if let Some(r) = &l.report { { report(l, r, &ctx.props().compute) } }
            <div data-section="sharing">
                <Challenges lesson="machine" evidence={l.report.as_ref().and_then(SharingRun::of).map(std::rc::Rc::new)} />
            </div>
        </section>
    }
}

/// What the stored card changes on this site, and a way to forget it (a card measured while
/// something else took the cores would otherwise stay).
fn remembered(ctx: &Ctx<MachineLesson>) -> Html {
    let Some(c) = activity::machine_card() else { return html! {} };
    let (smt, _) = smt_of(Some(&c));
    let reported = reported_cores();
    let pool = match Estimate::from_machine_lab(reported, c.reported_cores, c.logical_threads) {
        Some(e) => format!(
            "every lesson starts {} threads from the next page load (the status bar says \
            \"measured … by the machine lab\") instead of probing",
            e.measured
        ),
        None => {
            "the start-up probe still sizes the pool (this card's count is not used for it: it was \
            measured with another reported count, or found 1 thread where more are reported)"
                .to_string()
        }
    };
    html! {
        <p class="caption" data-testid="machine-remembered" data-cores={c.measured_cores.to_string()}
            data-smt={smt.to_string()}>
            { format!("Remembered in this browser for this site: the CPU lab's die draws {} cores × {smt} hardware \
                thread{}, and {pool}. ", c.measured_cores, if smt == 1 { "" } else { "s" }) }
            <button class="linkish" data-testid="machine-forget" onclick={ctx.link().callback(|_| Msg::Forget)}>
                { "Forget this machine card" }</button>
        </p>
    }
}

/// Reloads the lesson with a pool of `pool` threads (sized once, at start-up) and runs it.
fn reload_with_pool(pool: usize) -> Callback<MouseEvent> {
    Callback::from(move |_: MouseEvent| {
        crate::url::reload_with(&[("pool", pool.to_string()), ("run", "1".into())]);
    })
}

fn card(r: &MachineReport) -> Html {
    let c = &r.card;
    let json = serde_json::to_string(c).unwrap_or_default();
    let levels: Vec<String> = c
        .cache_levels
        .iter()
        .map(|l| match l.size_bytes {
            Some(b) => format!("{} ≈ {} ({:.1} ns)", l.label, size_label(b as f64), l.latency_ns),
            None => format!("{} ({:.1} ns)", l.label, l.latency_ns),
        })
        .collect();
    html! {
        <div class="summary" data-testid="machine-card" data-json={json}>
            <div class="stat accent">
                <span class="stat-label">{ "Cores that work at once" }</span>
                <span class="stat-value">{ c.measured_cores }</span>
                <span class="stat-note">{ format!("measured; the browser reports {} logical cores", c.reported_cores) }</span>
            </div>
            <div class="stat">
                <span class="stat-label">{ "Hyper-threading gain" }</span>
                <span class="stat-value">{ format!("{:.2}×", c.smt_gain) }</span>
                <span class="stat-note">{ format!("{} logical threads measured", c.logical_threads) }</span>
            </div>
            <div class="stat">
                <span class="stat-label">{ "Memory bandwidth" }</span>
                <span class="stat-value">{ format!("{:.1} GB/s", c.bandwidth_all_threads_gbs) }</span>
                <span class="stat-note">{ format!("{:.1} GB/s on 1 thread; STREAM triad", c.bandwidth_one_thread_gbs) }</span>
            </div>
            <div class="stat">
                <span class="stat-label">{ "Caches found" }</span>
                <span class="stat-value">{ c.cache_levels.len() }</span>
                <span class="stat-note">{ levels.join(" · ") }</span>
            </div>
            <div class="stat">
                <span class="stat-label">{ "False sharing" }</span>
                <span class="stat-value">{ c.false_sharing_slowdown.map_or("—".into(), |s| format!("{s:.1}× slower")) }</span>
                <span class="stat-note">{ format!("{} threads; cache line {}", c.false_sharing_threads,
                    c.line_bytes.map_or("not found".into(), |b| format!("{b} bytes"))) }</span>
            </div>
            <div class="stat">
                <span class="stat-label">{ "Peak compute" }</span>
                <span class="stat-value">{ format!("{:.1} GFLOP/s", c.peak_gflops) }</span>
                <span class="stat-note">{ format!("{:.1} on 1 thread; ridge at {:.1} flop/byte", c.peak_gflops_one_thread, c.ridge_intensity) }</span>
            </div>
        </div>
    }
}

fn report(l: &MachineLesson, r: &MachineReport, compute: &Compute) -> Html {
    let c = &l.canvases;
    let json = |v: &dyn erased::Json| v.json();
    html! {
        <>
            { card(r) }
            <Downloads results={export_results(r)} compute={compute.clone()}
                name={"parlab-machine-card".to_string()} canvas={c.roofline.clone()} />
            <div data-section="cores">
                <h2>{ "Cores and hyper-threads" }</h2>
                <p class="caption">{ "k copies of one compute loop start together. While each copy has a core of its own, total \
                    throughput grows by one copy's worth per copy; past the physical cores it grows only by what a second \
                    hardware thread on a busy core adds (hyper-threading), and past the logical threads not at all. The knee \
                    is the core count (after Core Estimator, which timed Web Workers the same way)." }</p>
                <canvas ref={c.cores.clone()} class="plot" data-testid="cores-plot" role="img"
                    aria-label="Total throughput against the number of copies running at once" />
                <div data-testid="machine-cores" data-json={json(&r.cores)} hidden=true />
            </div>
            <div data-section="memory">
                <h2>{ "Caches and memory" }</h2>
                <p class="caption">{ "A pointer chase visits a working set in random order, each load needing the one before \
                    (like lmbench's lat_mem_rd): its time per load steps up each time the set outgrows a cache. Visited page \
                    by page (every line of a 4 KiB page before the next page), it misses the TLB, the cache of address \
                    translations, once per 64 loads, so its steps are the caches'; fully random, nearly every load beyond the \
                    TLB's reach also pays a page walk, and the gap between the two curves is that cost. A streaming read of \
                    the same set shows the bandwidth of each level. Levels are detected from the page-by-page steps; sizes \
                    are where each plateau ends, measured, not read from the CPU. In a virtual machine or beside busy \
                    neighbours the last cache can be much smaller than the chip's: this is the share you get." }</p>
                <div class="plots">
                    <canvas ref={c.latency.clone()} class="plot" data-testid="latency-plot" role="img"
                        aria-label="Nanoseconds per dependent load against working-set size" />
                    <canvas ref={c.read.clone()} class="plot" data-testid="read-plot" role="img"
                        aria-label="Read bandwidth against working-set size" />
                </div>
                <div class="table-wrap" tabindex="0">
                <table class="results" data-testid="cache-levels" data-json={json(&r.memory)}>
                    <thead><tr><th scope="col">{ "Level (measured)" }</th><th scope="col">{ "Up to" }</th>
                        <th scope="col">{ "Latency" }</th><th scope="col">{ "Random (with TLB misses)" }</th>
                        <th scope="col">{ "Read" }</th></tr></thead>
                    <tbody>{ for r.memory.levels.iter().map(|v| html! {
                        <tr><td>{ &v.label }</td><td>{ v.size_bytes.map_or("—".into(), |b| size_label(b as f64)) }</td>
                            <td>{ format!("{:.1} ns", v.latency_ns) }</td>
                            <td>{ v.random_latency_ns.map_or("—".into(), |n| format!("{n:.1} ns")) }</td>
                            <td>{ v.read_gbs.map_or("—".into(), |g| format!("{g:.1} GB/s")) }</td></tr>
                    }) }</tbody>
                </table>
                </div>
            </div>
            <div data-section="bandwidth">
                <h2>{ "Memory bandwidth against threads" }</h2>
                <p class="caption">{ "STREAM's copy and triad (McCalpin) over arrays far larger than the caches, on 1 … N threads, \
                    counting the bytes each kernel must move. Compute-bound kernels scale with cores; these stop scaling where \
                    the memory bus is full, which is why reduce and matmul scale worse than pi in the Amdahl lab." }</p>
                <canvas ref={c.bandwidth.clone()} class="plot" data-testid="bandwidth-plot" role="img"
                    aria-label="STREAM copy and triad bandwidth against threads" />
                <div data-testid="machine-bandwidth" data-json={json(&r.bandwidth)} hidden=true />
            </div>
            <div data-section="sharing">
                <h2>{ "False sharing" }</h2>
                <p class="caption">{ "Each thread increments only its own counter: nothing is shared in the program. Packed into one \
                    64-byte cache line, the line still bounces between cores on every write; padded to a line each, it does not." }</p>
                <div class="table-wrap" tabindex="0">
                <table class="results" data-testid="machine-sharing" data-json={json(&r.sharing)}>
                    <thead><tr><th scope="col">{ "Threads" }</th><th scope="col">{ "Packed (ns per increment)" }</th>
                        <th scope="col">{ "Padded" }</th><th scope="col">{ "Slowdown" }</th></tr></thead>
                    <tbody>{ for r.sharing.points.iter().map(|p| html! {
                        <tr><td>{ p.threads }</td><td>{ format!("{:.2}", p.packed_ns) }</td>
                            <td>{ format!("{:.2}", p.padded_ns) }</td><td>{ format!("{:.2}×", p.slowdown) }</td></tr>
                    }) }</tbody>
                </table>
                </div>
                <canvas ref={c.stride.clone()} class="plot" data-testid="stride-plot" role="img"
                    aria-label="Time per increment against the distance between counters" />
            </div>
            <div data-section="roofline">
                <h2>{ "The roofline" }</h2>
                <p class="caption">{ "A kernel that does I operations per byte it moves can reach at most min(peak, I × bandwidth) \
                    (Williams, Waterman & Patterson 2009). Both roofs here are measured. The vertical lines are the Amdahl lab's \
                    five kernels at their estimated intensity; after a run there, its kernel appears as a measured point." }</p>
                <canvas ref={c.roofline.clone()} class="plot" data-testid="roofline-plot" role="img"
                    aria-label="Roofline: attainable GFLOP/s against arithmetic intensity, with the lesson kernels" />
                <div data-testid="machine-roofline" data-json={json(&r.roofline)} hidden=true />
            </div>
        </>
    }
}

/// The rows for the downloads: the cores probe (k copies at once; `speedup` = throughput over
/// one copy's, the curve the compare view overlays). The card is the machine block's `card`;
/// the whole report is in the JSON.
fn export_results(r: &MachineReport) -> Results {
    let rows: Vec<Record> = r
        .cores
        .points
        .iter()
        .filter_map(|p| {
            let mut rec = Record::of(p)?;
            rec.set("speedup", serde_json::json!(p.relative));
            Some(rec)
        })
        .collect();
    let mut results = Results::new(
        "machine",
        "machine/cores".to_string(),
        "Your machine: k copies of a compute loop at once (throughput over one copy)".to_string(),
        &rows,
    );
    results.details = serde_json::to_value(r).ok();
    results
}

mod erased {
    /// Anything serialisable, as JSON text for `data-json`.
    pub trait Json {
        fn json(&self) -> String;
    }

    impl<T: serde::Serialize> Json for T {
        fn json(&self) -> String {
            serde_json::to_string(self).unwrap_or_default()
        }
    }
}
