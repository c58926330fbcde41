//! The SIMD lesson's markup: controls, the measured tables (with `data-json`), the speedup plot.

use parlab_kernels::Size;
use parlab_kernels::simd::{Kernel, Report, Variant};
use web_sys::HtmlCanvasElement;
use yew::prelude::*;

use super::{Msg, Settings, SimdLesson, flynn};
use crate::challenge::{Challenges, SimdRun};
use crate::compute::Compute;
use crate::controls::on_select;
use crate::export::{Downloads, Results};
use crate::lessons::Ctx;
use crate::lessons::runner::{RunControls, state_line_of, unavailable};
use crate::params::Named;
use crate::plot::{LinePlot, Series, Shape, Style, THREAD_COLOURS, draw_lines};
use crate::predict::{Predict, Spoiler};

pub fn view(l: &SimdLesson, ctx: &Ctx<SimdLesson>, notes: Html) -> Html {
    let link = ctx.link();
    let s = &l.settings;
    let running = l.run.running();
    let on_kernel =
        on_select(link, |s: &mut Settings, v| s.kernel = Named::parse(&v).unwrap_or(s.kernel));
    let on_size =
        on_select(link, |s: &mut Settings, v| s.size = Named::parse(&v).unwrap_or(s.size));
    let on_reps = link.callback(|r: usize| Msg::Set(Box::new(move |s: &mut Settings| s.reps = r)));
    let lanes = Variant::Simd128.lanes();
    let question = l.question();
    let unavailable_why = SimdLesson::unavailable(ctx);
    html! {
        <section class="lesson simd">
            <h1>{ "Data parallelism: SIMD" }</h1>
            <p class="lead">
                { format!("Threads run different instruction streams on different cores. SIMD (single instruction, multiple \
                   data) is parallelism inside one instruction: a 128-bit WebAssembly instruction adds {lanes} \
                   32-bit floats at once. Here the same kernel runs written both ways, one element per instruction \
                   (scalar, kept scalar on purpose) and {lanes} per instruction, on 1 to N threads, so you can see \
                   whether the two speedups multiply.") }
            </p>
            { notes }
            <div data-section="measure">
                <div class="controls" role="group" aria-label="SIMD experiment settings">
                    <label class="control">
                        <span>{ "Kernel" }</span>
                        <select data-testid="kernel" onchange={on_kernel} disabled={running}>
                            { for Kernel::ALL.iter().map(|&k| html! {
                                <option value={k.name()} selected={k == s.kernel}>{ k.label() }</option>
                            }) }
                        </select>
                    </label>
                    <label class="control">
                        <span>{ "Size" }</span>
                        <select data-testid="size" onchange={on_size} disabled={running}>
                            { for Size::ALL.iter().map(|&z| html! {
                                <option value={Named::name(z)} selected={z == s.size}>{ Named::name(z) }</option>
                            }) }
                        </select>
                    </label>
                    <RunControls pool={SimdLesson::pool(ctx)} threads={s.threads.clone()} reps={s.reps}
                        {running} status={ctx.props().status.clone()} on_toggle={link.callback(Msg::ToggleThreads)} {on_reps}
                        on_run={link.callback(|_| Msg::Run)} on_cancel={link.callback(|_| Msg::Cancel)}
                        blocked={l.predict.blocks(question.as_ref()).map(AttrValue::from)} />
                </div>
                <Predict question={question.clone()} ask={l.predict.ask} answer={l.predict.answer(question.as_ref()).cloned()}
                    reveal={l.predict.reveal(l.measured())} on_answer={link.callback(Msg::Predict)} {running} />
                if let Some(why) = &unavailable_why {
                    { unavailable("run-state", why) }
                } else {
                    { state_line_of(l.run.state(), &ctx.props().status, "chunks", false) }
                }
                if let Some(report) = &l.report { { results(report, &l.plot, &ctx.props().compute) } }
                <Spoiler revealed={l.report.is_some() || unavailable_why.is_some()}>{ explanation() }</Spoiler>
                <Challenges lesson="simd" evidence={l.report.as_ref().and_then(SimdRun::of).map(std::rc::Rc::new)} />
            </div>
            <div data-section="flynn">{ flynn::view() }</div>
        </section>
    }
}

fn opt(v: Option<f64>) -> String {
    v.map_or("—".into(), |x| format!("{x:.2}×"))
}

fn results(report: &Report, plot: &NodeRef, compute: &Compute) -> Html {
    let json = serde_json::to_string(&report.rows).unwrap_or_default();
    let combined = serde_json::to_string(&report.combined).unwrap_or_default();
    let checks = serde_json::to_string(&report.checks).unwrap_or_default();
    html! {
        <>
            <canvas ref={plot.clone()} class="plot" data-testid="simd-plot" role="img"
                aria-label="Speedup over scalar on one thread, against threads: scalar, SIMD, and the product of the two speedups" />
            <div class="table-wrap" tabindex="0">
            <table class="results" data-testid="results" data-json={json}>
                <caption>{ format!("Wall time per variant and thread count (median of the repetitions after a warm-up); \
                    throughput in millions of {} per second", report.unit) }</caption>
                <thead><tr>
                    <th scope="col">{ "Variant" }</th><th scope="col">{ "Lanes" }</th><th scope="col">{ "Threads" }</th>
                    <th scope="col">{ "Median (ms)" }</th><th scope="col">{ "Min" }</th><th scope="col">{ "Max" }</th>
                    <th scope="col">{ "Throughput" }</th><th scope="col">{ "SIMD ×" }</th>
                    <th scope="col">{ "Threads ×" }</th><th scope="col">{ "Both ×" }</th>
                </tr></thead>
                <tbody>
                    { for report.rows.iter().map(|r| html! {
                        <tr>
                            <td>{ r.variant.label() }</td><td>{ r.lanes }</td><td>{ r.threads }</td>
                            <td>{ format!("{:.1}", r.median_ms) }</td><td>{ format!("{:.1}", r.min_ms) }</td>
                            <td>{ format!("{:.1}", r.max_ms) }</td><td>{ format!("{:.0}", r.throughput) }</td>
                            <td>{ opt(r.simd_speedup) }</td><td>{ opt(r.thread_speedup) }</td><td>{ opt(r.speedup) }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
            </div>
            <h3>{ "Do the speedups multiply?" }</h3>
            <div class="table-wrap" tabindex="0">
            <table class="results" data-testid="simd-combined" data-json={combined}>
                <thead><tr>
                    <th scope="col">{ "Variant" }</th><th scope="col">{ "Threads" }</th>
                    <th scope="col">{ "SIMD alone" }</th><th scope="col">{ "Threads alone" }</th>
                    <th scope="col">{ "Product" }</th><th scope="col">{ "Measured together" }</th>
                    <th scope="col">{ "Measured ÷ product" }</th>
                </tr></thead>
                <tbody>
                    { for report.combined.iter().map(|c| html! {
                        <tr>
                            <td>{ c.variant.label() }</td><td>{ c.threads }</td>
                            <td>{ format!("{:.2}×", c.simd_speedup) }</td><td>{ format!("{:.2}×", c.thread_speedup) }</td>
                            <td>{ format!("{:.2}×", c.product) }</td><td>{ format!("{:.2}×", c.measured) }</td>
                            <td>{ format!("{:.2}", c.ratio) }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
            </div>
            <h3>{ "Same answer?" }</h3>
            <div class="table-wrap" tabindex="0">
            <table class="results" data-testid="simd-checks" data-json={checks}>
                <thead><tr>
                    <th scope="col">{ "Variant" }</th><th scope="col">{ "Answer" }</th><th scope="col">{ "Reference" }</th>
                    <th scope="col">{ "Check" }</th>
                </tr></thead>
                <tbody>
                    { for report.checks.iter().map(|c| html! {
                        <tr>
                            <td>{ c.variant.label() }</td><td>{ format!("{}", c.value) }</td><td>{ format!("{}", c.reference) }</td>
                            <td>{ if c.exact { "identical, bit for bit".to_string() } else {
                                format!("relative error {:.1e} (allowed {:.1e}: the lanes add in another order)",
                                    c.rel_error, c.bound) } }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
            </div>
            <Downloads results={export_results(report)} compute={compute.clone()}
                name={format!("parlab-simd-{}", report.rows.first().map_or("run", |r| r.kernel.name()))}
                canvas={plot.clone()} />
        </>
    }
}

/// The rows for the downloads: one curve per variant (speedup over scalar on 1 thread); the
/// full report (combined speedups, answer checks) in the JSON.
fn export_results(report: &Report) -> Results {
    let spec = serde_json::to_string(&report.spec).unwrap_or_default();
    let kernel = report.rows.first().map_or("run", |r| r.kernel.label());
    Results::new(
        "simd",
        format!("simd/{}", crate::export::runs::slug(&spec)),
        format!("SIMD: {kernel} ({spec}), speedup over scalar on 1 thread"),
        &report.rows,
    )
    .series_by("variant")
    .details(report)
}

fn explanation() -> Html {
    html! {
        <details class="explain">
            <summary>{ "Why SIMD gains less than its lane count, and why sums differ in the last digits" }</summary>
            <ul>
                <li>{ "Sum and dot product wait on one addition after another; four lanes keep four partial sums, so four \
                       additions are in flight per instruction. Mandelbrot lanes wait for the slowest of their four pixels." }</li>
                <li>{ "saxpy (y = a·x + y) moves 12 bytes for 2 flops: memory, not arithmetic, limits it, for scalar and SIMD \
                       alike. Adding threads helps until the memory bus is full." }</li>
                <li>{ "Floating-point addition is not associative: four lane-wise partial sums added at the end round differently \
                       from one running sum. The check allows the textbook rounding bound for each order; saxpy and Mandelbrot \
                       give identical results." }</li>
                <li>{ "The scalar code is kept scalar on purpose (the compiler would otherwise vectorise it itself), so the \
                       comparison is one element per instruction against four." }</li>
            </ul>
        </details>
    }
}

/// Speedup over scalar on one thread, against threads: scalar, SIMD, and the product of the
/// separate speedups (perfect multiplication), dashed.
pub fn draw(report: &Report, plot: &NodeRef) {
    let Some(canvas) = plot.cast::<HtmlCanvasElement>() else { return };
    let max_threads = report.rows.iter().map(|r| r.threads).max().unwrap_or(1) as f64;
    let mut series = Vec::new();
    for (i, v) in
        [Variant::Scalar, Variant::Simd128, Variant::Sse2, Variant::Avx2].into_iter().enumerate()
    {
        let points: Vec<(f64, f64)> = report
            .rows
            .iter()
            .filter(|r| r.variant == v)
            .filter_map(|r| Some((r.threads as f64, r.speedup?)))
            .collect();
        if points.is_empty() {
            continue;
        }
        series.push(Series {
            label: format!("{} (measured)", v.label()),
            colour: THREAD_COLOURS[i * 2 % THREAD_COLOURS.len()],
            style: Style::LinePoints(if v == Variant::Scalar {
                Shape::Circle
            } else {
                Shape::Square
            }),
            points,
        });
    }
    let product: Vec<(f64, f64)> =
        report.combined.iter().map(|c| (c.threads as f64, c.product)).collect();
    if !product.is_empty() {
        series.push(Series {
            label: "SIMD × threads (product of the two)".into(),
            colour: THREAD_COLOURS[7],
            style: Style::Dashed,
            points: product,
        });
    }
    let top = report
        .rows
        .iter()
        .filter_map(|r| r.speedup)
        .chain(report.combined.iter().map(|c| c.product))
        .fold(1.0, f64::max);
    let p = LinePlot::against_threads(
        "Speedup over scalar on 1 thread",
        "threads",
        "speedup (×)",
        max_threads,
        top,
        series,
    );
    if let Err(e) = draw_lines(&canvas, &p, 300) {
        web_sys::console::warn_1(&e.into());
    }
}
