//! The machine lab's plots, all from the measured report.

use parlab_kernels::machine::{MachineReport, attainable_gflops, kernel_intensity};
use parlab_kernels::{KernelSpec, Size, Workload};
use web_sys::HtmlCanvasElement;
use yew::NodeRef;

use super::Canvases;
use crate::activity;
use crate::controls::report;
use crate::plot::{
    Line, LinePlot, Series, Shape, SizePlot, Style, THREAD_COLOURS, VLine, draw_lines, draw_sizes,
};

fn canvas(node: &NodeRef) -> Option<HtmlCanvasElement> {
    node.cast::<HtmlCanvasElement>()
}

/// Draws every plot of `r`.
pub fn draw(r: &MachineReport, c: &Canvases) {
    if let Some(canvas) = canvas(&c.cores) {
        report(draw_lines(&canvas, &cores(r), 300));
    }
    if let Some(canvas) = canvas(&c.latency) {
        let points = &r.memory.points;
        let lines = vec![
            Line {
                label: "page by page: caches (best; whisker: median)".into(),
                colour: THREAD_COLOURS[0],
                shape: Shape::Circle,
                points: points
                    .iter()
                    .filter(|p| p.page_latency_ns > 0.0)
                    .map(|p| {
                        let (best, median) = (p.page_latency_ns, p.median_page_latency_ns);
                        (p.bytes as f64, best, best, median)
                    })
                    .collect(),
            },
            Line {
                label: "fully random: + TLB misses".into(),
                colour: THREAD_COLOURS[3],
                shape: Shape::Triangle,
                points: points
                    .iter()
                    .map(|p| (p.bytes as f64, p.latency_ns, p.latency_ns, p.median_latency_ns))
                    .collect(),
            },
        ];
        let plot = SizePlot {
            title: "Latency of one dependent load",
            x_label: "working set (bytes, log scale)",
            y_label: "ns per load (log scale)",
            lines,
        };
        report(draw_sizes(&canvas, &plot, 300));
    }
    if let Some(canvas) = canvas(&c.read) {
        let lines = vec![Line {
            label: "streaming read, 1 thread".into(),
            colour: THREAD_COLOURS[2],
            shape: Shape::Square,
            points: r
                .memory
                .points
                .iter()
                .map(|p| (p.bytes as f64, p.read_gbs, p.median_read_gbs, p.read_gbs))
                .collect(),
        }];
        let plot = SizePlot {
            title: "Read bandwidth against working set",
            x_label: "working set (bytes, log scale)",
            y_label: "GB/s (log scale)",
            lines,
        };
        report(draw_sizes(&canvas, &plot, 300));
    }
    if let Some(canvas) = canvas(&c.bandwidth) {
        report(draw_lines(&canvas, &bandwidth(r), 300));
    }
    if let Some(canvas) = canvas(&c.stride) {
        let lines = vec![Line {
            label: format!("{} threads, each its own counter", r.sharing.stride_threads),
            colour: THREAD_COLOURS[5],
            shape: Shape::Triangle,
            points: r
                .sharing
                .strides
                .iter()
                .map(|p| (p.stride_bytes as f64, p.ns, p.ns, p.median_ns))
                .collect(),
        }];
        let plot = SizePlot {
            title: "Time per increment against the distance between counters",
            x_label: "distance between neighbouring counters (bytes, log scale)",
            y_label: "ns per increment (log scale)",
            lines,
        };
        report(draw_sizes(&canvas, &plot, 300));
    }
    if let Some(canvas) = canvas(&c.roofline) {
        report(draw_lines(&canvas, &roofline(r), 340));
    }
}

fn cores(r: &MachineReport) -> LinePlot<'static> {
    let pts: Vec<(f64, f64)> =
        r.cores.points.iter().map(|p| (p.threads as f64, p.best_mops)).collect();
    let one = r.cores.points.iter().find(|p| p.threads == 1).map_or(0.0, |p| p.best_mops);
    let k_max = r.cores.points.iter().map(|p| p.threads).max().unwrap_or(1) as f64;
    let top = pts.iter().map(|p| p.1).fold(one * k_max.min(2.0), f64::max);
    LinePlot {
        title: "Total throughput of k copies at once",
        x_label: "copies running at once (k)",
        y_label: "million steps per second",
        x_range: (0.8, k_max + 0.2),
        y_range: (0.0, top * 1.15),
        log_y: false,
        log_x: false,
        series: vec![
            Series {
                label: "measured (best of the repetitions)".into(),
                colour: THREAD_COLOURS[0],
                style: Style::LinePoints(Shape::Circle),
                points: pts,
            },
            Series {
                label: "if every copy had its own core".into(),
                colour: THREAD_COLOURS[7],
                style: Style::Dashed,
                points: vec![(1.0, one), (k_max, one * k_max)],
            },
        ],
        vlines: vec![VLine {
            label: format!("{} cores measured", r.card.measured_cores),
            x: r.card.measured_cores as f64,
        }],
        x_decimals: 0,
    }
}

fn bandwidth(r: &MachineReport) -> LinePlot<'static> {
    let k_max = r.bandwidth.points.iter().map(|p| p.threads).max().unwrap_or(1) as f64;
    let top = r.bandwidth.points.iter().map(|p| p.copy_gbs.max(p.triad_gbs)).fold(1.0, f64::max);
    let line =
        |label: &str,
         colour,
         shape,
         f: fn(&parlab_kernels::machine::bandwidth::BandwidthPoint) -> f64| Series {
            label: label.into(),
            colour,
            style: Style::LinePoints(shape),
            points: r.bandwidth.points.iter().map(|p| (p.threads as f64, f(p))).collect(),
        };
    LinePlot {
        title: "STREAM bandwidth against threads",
        x_label: "threads",
        y_label: "GB/s (10⁹ bytes per second)",
        x_range: (0.8, k_max + 0.2),
        y_range: (0.0, top * 1.2),
        log_y: false,
        log_x: false,
        series: vec![
            line("copy: c[i] = a[i]", THREAD_COLOURS[1], Shape::Circle, |p| p.copy_gbs),
            line("triad: a[i] = b[i] + s·c[i]", THREAD_COLOURS[2], Shape::Square, |p| p.triad_gbs),
        ],
        vlines: vec![VLine {
            label: "more threads add < 10 %".into(),
            x: r.bandwidth.saturation_threads as f64,
        }],
        x_decimals: 0,
    }
}

/// The roofs (attainable GFLOP/s = min(peak, intensity × bandwidth)), each lesson kernel's
/// intensity as a line, and the tab's latest measured Amdahl/serial run as a point.
fn roofline(r: &MachineReport) -> LinePlot<'static> {
    let (peak, bw) = (r.card.peak_gflops, r.card.bandwidth_all_threads_gbs);
    let (peak1, bw1) = (r.card.peak_gflops_one_thread, r.card.bandwidth_one_thread_gbs);
    let xs: Vec<f64> = (-60..=70).map(|i| 10f64.powf(i as f64 / 20.0)).collect();
    let roof =
        |p: f64, b: f64| xs.iter().map(|&x| (x, attainable_gflops(x, p, b))).collect::<Vec<_>>();
    let mut series = vec![
        Series {
            label: format!("roof, all threads ({peak:.1} GFLOP/s, {bw:.1} GB/s)"),
            colour: THREAD_COLOURS[0],
            style: Style::Line,
            points: roof(peak, bw),
        },
        Series {
            label: format!("roof, 1 thread ({peak1:.1} GFLOP/s, {bw1:.1} GB/s)"),
            colour: THREAD_COLOURS[7],
            style: Style::Dashed,
            points: roof(peak1, bw1),
        },
    ];
    if let Some(run) = activity::last()
        && let Some(row) = run.rows.iter().max_by_key(|row| row.threads)
    {
        let k = kernel_intensity(&run.spec, row.value);
        if let Some(i) = k.intensity {
            series.push(Series {
                label: format!("{} on {} threads, measured ({})", run.workload, row.threads, k.op),
                colour: THREAD_COLOURS[5],
                style: Style::Points(Shape::Square),
                points: vec![(i, k.gops(row.median_ms))],
            });
        }
    }
    let vlines = Workload::ALL
        .into_iter()
        .filter_map(|w| {
            let k = kernel_intensity(&KernelSpec::new(w, Size::Medium), 0);
            Some(VLine { label: w.name().into(), x: k.intensity.filter(|i| *i > 0.0)? })
        })
        .collect();
    let top = peak.max(1e-3);
    LinePlot {
        title: "Roofline: what each kernel could reach",
        x_label: "arithmetic intensity (operations per byte, log scale)",
        y_label: "GFLOP/s (log scale)",
        x_range: (10f64.powi(-3), 10f64.powf(3.5)),
        y_range: (top / 1e4, top * 3.0),
        log_y: true,
        log_x: true,
        series,
        vlines,
        x_decimals: 0,
    }
}
