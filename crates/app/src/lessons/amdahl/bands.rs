//! "Who computed what" for the Amdahl lab: the timeline of the last run on the most threads
//! and, for the Mandelbrot workload, the image itself with each band tinted by the thread that
//! computed it, so static vs dynamic scheduling and load imbalance are visible.

use parlab_kernels::mandelbrot::Mandelbrot;
use parlab_kernels::{KernelSpec, RunOutcome};
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, ImageData};
use yew::prelude::*;

use super::AmdahlLesson;
use crate::compute::Preview;
use crate::plot::{THREAD_COLOURS, draw_timeline};

const TIMELINE: &str = "amdahl-timeline";
const IMAGE: &str = "mandelbrot-bands";
/// Width of the preview image in pixels.
pub const PREVIEW_WIDTH: usize = 420;

/// The last timed run on the largest thread count, with that count.
fn widest_run(lesson: &AmdahlLesson) -> Option<(usize, &RunOutcome)> {
    let threads = lesson.runner.rows.iter().map(|r| r.threads).max()?;
    Some((threads, lesson.runner.last_timed(threads)?))
}

/// The preview size for a Mandelbrot spec (same aspect ratio), if the job is one.
pub fn preview_size(spec: &KernelSpec) -> Option<(usize, usize, u32)> {
    match *spec {
        KernelSpec::Mandelbrot { width, height, max_iter, .. } => {
            Some((PREVIEW_WIDTH, PREVIEW_WIDTH * height / width.max(1), max_iter))
        }
        _ => None,
    }
}

pub fn view(lesson: &AmdahlLesson) -> Html {
    let Some((threads, run)) = widest_run(lesson) else { return html! { <div class="figure" /> } };
    let used: Vec<usize> = {
        let mut t: Vec<usize> = run.chunks.iter().map(|c| c.thread).collect();
        t.sort_unstable();
        t.dedup();
        t
    };
    let schedule = lesson.runner.job.as_ref().map_or("dynamic", |j| j.schedule.name());
    html! {
        <div class="figure">
            <h2>{ format!("Who computed what ({threads} threads, {schedule} scheduling, last repetition)") }</h2>
            <canvas ref={lesson.canvases.timeline.clone()} id={TIMELINE} class="plot" role="img" aria-label="Per-thread timeline of the run"></canvas>
            if lesson.preview.is_some() {
                <div class="bands">
                    <canvas ref={lesson.canvases.image.clone()} id={IMAGE} class="image" data-testid="mandelbrot-image" role="img"
                        aria-label="Mandelbrot image, each band tinted by the thread that computed it"></canvas>
                    <div>
                        <p class="caption">
                            { "The image this run computed, each band of rows tinted by the thread that computed it. \
                               Bands through the set's black interior cost the full iteration budget per pixel. \
                               With static scheduling each thread owns one block of bands, so the thread with the \
                               interior finishes last; dynamic scheduling hands out bands one at a time." }
                        </p>
                        <ul class="legend">
                            { for used.iter().map(|t| {
                                let c = THREAD_COLOURS[t % THREAD_COLOURS.len()];
                                html! { <li><span class="swatch" style={format!("background: rgb({},{},{})", c.0, c.1, c.2)} />{ format!("thread {t}") }</li> }
                            }) }
                        </ul>
                    </div>
                </div>
            }
        </div>
    }
}

pub fn draw(lesson: &AmdahlLesson, pool: usize) {
    let Some((threads, run)) = widest_run(lesson) else { return };
    let canvas = |node: &NodeRef| node.cast::<HtmlCanvasElement>();
    if let Some(c) = canvas(&lesson.canvases.timeline) {
        let caption = format!("{threads} threads — {:.0} ms wall time", run.wall_ms);
        let lanes = pool.max(run.chunks.iter().map(|c| c.thread + 1).max().unwrap_or(1));
        let _ = draw_timeline(&c, run, lanes, run.wall_ms * 1.02, &caption);
    }
    let (Some(preview), Some(c), Some(job)) =
        (&lesson.preview, canvas(&lesson.canvases.image), &lesson.runner.job)
    else {
        return;
    };
    let KernelSpec::Mandelbrot { height, width, max_iter, bands } = job.spec else { return };
    let full = Mandelbrot::new(width, height, max_iter, bands);
    let owner: Vec<usize> = {
        let mut o = vec![0; bands];
        for r in &run.chunks {
            if let Some(slot) = o.get_mut(r.chunk) {
                *slot = r.thread;
            }
        }
        o
    };
    let rgba = tint(preview, &full, height, &owner, max_iter);
    // ImageData refuses views of shared memory (the threaded wasm heap): copy into a plain array.
    let pixels = js_sys::Uint8ClampedArray::new_with_length(rgba.len() as u32);
    pixels.copy_from(&rgba);
    let image = match ImageData::new_with_js_u8_clamped_array_and_sh(
        &pixels,
        preview.width as u32,
        preview.height as u32,
    ) {
        Ok(image) => image,
        Err(e) => return web_sys::console::warn_1(&e),
    };
    c.set_width(preview.width as u32);
    c.set_height(preview.height as u32);
    if let Some(ctx) = c
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|x| x.dyn_into::<CanvasRenderingContext2d>().ok())
    {
        let _ = ctx.put_image_data(&image, 0.0, 0.0);
    }
}

/// RGBA pixels: brightness from the iteration count, hue from the thread that computed the
/// pixel's band (bands are defined on the full-size image; preview rows map onto them).
fn tint(
    preview: &Preview,
    full: &Mandelbrot,
    height: usize,
    owner: &[usize],
    max_iter: u32,
) -> Vec<u8> {
    let band_of = |preview_row: usize| {
        let row = preview_row * height / preview.height.max(1);
        (0..owner.len()).find(|&b| full.band_rows(b).contains(&row)).unwrap_or(0)
    };
    let mut out = Vec::with_capacity(preview.iters.len() * 4);
    for (row, line) in preview.iters.chunks(preview.width.max(1)).enumerate() {
        let c = THREAD_COLOURS[owner[band_of(row)] % THREAD_COLOURS.len()];
        for &i in line {
            let v = if i as u32 >= max_iter {
                0.12
            } else {
                0.3 + 0.7 * (i as f64 / 60.0).min(1.0).sqrt()
            };
            out.extend([
                (c.0 as f64 * v) as u8,
                (c.1 as f64 * v) as u8,
                (c.2 as f64 * v) as u8,
                255,
            ]);
        }
    }
    out
}
