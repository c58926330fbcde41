//! `parlab-bench machine`: the "Your machine" experiments natively (issue 13).
//!
//! Runs [`parlab_kernels::machine::run_all`] (the same code the browser lesson runs on its
//! wasm pool) on a native rayon pool of twice the reported cores (the cores probe goes up to
//! 2 × N copies; every other experiment uses at most N), then times each of the five lesson
//! kernels (small size, N threads) to place them on the roofline. A table goes to stderr, the
//! JSON report (the machine card, every experiment's result, the kernel points) to stdout or
//! `--json`.

use std::io::Write;
use std::process::ExitCode;
use std::time::Instant;

use parlab_kernels::machine::{
    KernelIntensity, MachineConfig, MachineReport, attainable_gflops, kernel_intensity, run_all,
};
use parlab_kernels::schedule::{Clock, RunConfig, RunControl, Schedule};
use parlab_kernels::{KernelSpec, Size, Workload, run_on_pool};
use serde::Serialize;

use crate::args::MachineOptions;
use crate::{Machine, cpu_ticks, machine, others_cores, write_json};

/// One lesson kernel placed on the roofline.
#[derive(Debug, Serialize)]
struct KernelPoint {
    /// The estimate of its operations and bytes.
    #[serde(flatten)]
    estimate: KernelIntensity,
    /// Threads it ran on.
    threads: usize,
    /// Wall time of the timed run, ms.
    wall_ms: f64,
    /// Operations per second achieved, 10⁹/s.
    gops: f64,
    /// The roofline's bound at its intensity (the compute roof if it moves no data), GFLOP/s.
    attainable_gflops: f64,
}

#[derive(Debug, Serialize)]
struct MachineRun {
    machine: Machine,
    env: &'static str,
    /// Cores other processes used on average meanwhile (Linux): above ~0.1 the numbers shared
    /// the machine.
    others_cores: Option<f64>,
    /// Seconds the experiments took (kernel points excluded).
    seconds: f64,
    #[serde(flatten)]
    report: MachineReport,
    kernels: Vec<KernelPoint>,
}

pub fn main(options: &MachineOptions) -> ExitCode {
    let n = options.cores;
    let mut config = MachineConfig::new(n);
    config.sweep.max_bytes = options.max_bytes;
    let info = machine();
    eprintln!(
        "parlab-bench machine: {} ({} logical cores reported; probing up to {} threads), sweep to {} MiB",
        info.cpu.as_deref().unwrap_or("unknown CPU"),
        info.logical_cores,
        2 * n,
        options.max_bytes >> 20,
    );
    let pool = match rayon::ThreadPoolBuilder::new().num_threads(2 * n).build() {
        Ok(pool) => pool,
        Err(e) => {
            eprintln!("parlab-bench: cannot build a rayon pool of {} threads: {e}", 2 * n);
            return ExitCode::FAILURE;
        }
    };
    let start = Instant::now();
    let clock = move || start.elapsed().as_secs_f64() * 1e3;
    let before = cpu_ticks();
    let Ok(mut report) = pool.install(|| run_all(&config, n, &clock, &RunControl::default()))
    else {
        eprintln!("parlab-bench: cancelled");
        return ExitCode::FAILURE;
    };
    let seconds = start.elapsed().as_secs_f64();
    let others = others_cores(before, cpu_ticks(), seconds);
    report.card.engine = Some("native".into());
    report.card.mode = Some("native".into());
    let kernels = pool.install(|| kernel_points(&report, n, &clock));
    let run =
        MachineRun { machine: info, env: "native", others_cores: others, seconds, report, kernels };
    print_tables(&run);
    let json = serde_json::to_string_pretty(&run).expect("the report serialises");
    match write_json(options.json.as_deref(), &json) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("parlab-bench: cannot write the JSON: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Times each lesson kernel (small size) on `threads` threads, after one untimed run.
fn kernel_points(report: &MachineReport, threads: usize, clock: &dyn Clock) -> Vec<KernelPoint> {
    let peak = report.roofline.peak_gflops;
    let bw = report.bandwidth.peak_gbs();
    Workload::ALL
        .into_iter()
        .filter_map(|w| {
            let spec = KernelSpec::new(w, Size::Small);
            let config = RunConfig { threads, schedule: Schedule::Dynamic, serial_iters: 0 };
            spec.with_kernel(|k| {
                run_on_pool(k, config, clock, &RunControl::default()).ok()?;
                let out = run_on_pool(k, config, clock, &RunControl::default()).ok()?;
                let estimate = kernel_intensity(&spec, out.value);
                let bound =
                    attainable_gflops(estimate.intensity.unwrap_or(f64::INFINITY), peak, bw);
                Some(KernelPoint {
                    gops: estimate.gops(out.wall_ms),
                    estimate,
                    threads,
                    wall_ms: out.wall_ms,
                    attainable_gflops: bound,
                })
            })
        })
        .collect()
}

fn print_tables(run: &MachineRun) {
    let r = &run.report;
    let mut err = std::io::stderr().lock();
    let mut line = |s: String| {
        let _ = writeln!(err, "{s}");
    };
    let e = r.cores.estimate;
    line(format!("\nCores probe ({} ms per point, best of reps)", r.cores.probe_ms));
    line(format!("  {:>7} {:>12} {:>12} {:>9}", "threads", "best Mstep/s", "median", "relative"));
    for p in &r.cores.points {
        line(format!(
            "  {:>7} {:>12.0} {:>12.0} {:>9.2}",
            p.threads, p.best_mops, p.median_mops, p.relative
        ));
    }
    line(format!(
        "  -> {} physical cores, {} logical threads, SMT gain {:.2} (misfit {:.1} %)",
        e.physical_cores,
        e.logical_threads,
        e.smt_gain,
        100.0 * e.misfit
    ));

    line(
        "\nWorking-set sweep (pointer chase page by page and random, streaming read; 1 thread)"
            .into(),
    );
    line(format!("  {:>10} {:>10} {:>10} {:>10}", "size", "ns paged", "ns random", "read GB/s"));
    for p in &r.memory.points {
        line(format!(
            "  {:>10} {:>10.2} {:>10.2} {:>10.1}",
            bytes(p.bytes),
            p.page_latency_ns,
            p.latency_ns,
            p.read_gbs
        ));
    }
    for l in &r.memory.levels {
        line(format!(
            "  -> {:<4} {:>9} {:>7.2} ns (random {:>7}) {:>7} GB/s   (plateau {} .. {})",
            l.label,
            l.size_bytes.map_or("-".into(), bytes),
            l.latency_ns,
            l.random_latency_ns.map_or("-".into(), |n| format!("{n:.2} ns")),
            l.read_gbs.map_or("-".into(), |g| format!("{g:.1}")),
            bytes(l.from_bytes),
            bytes(l.to_bytes),
        ));
    }

    let b = &r.bandwidth;
    line(format!("\nSTREAM ({} MiB per array, best of reps)", b.array_bytes >> 20));
    line(format!("  {:>7} {:>10} {:>10}", "threads", "copy GB/s", "triad GB/s"));
    for p in &b.points {
        line(format!("  {:>7} {:>10.1} {:>10.1}", p.threads, p.copy_gbs, p.triad_gbs));
    }
    line(format!(
        "  -> triad saturates at {} thread(s), copy at {}",
        b.saturation_threads, b.copy_saturation_threads
    ));

    let s = &r.sharing;
    line(format!("\nFalse sharing (ns per increment per thread, fastest of {} ms runs)", s.run_ms));
    line(format!("  {:>7} {:>10} {:>10} {:>9}", "threads", "packed ns", "padded ns", "slowdown"));
    for p in &s.points {
        line(format!(
            "  {:>7} {:>10.2} {:>10.2} {:>8.2}x",
            p.threads, p.packed_ns, p.padded_ns, p.slowdown
        ));
    }
    let strides: Vec<String> =
        s.strides.iter().map(|p| format!("{} B: {:.2} ns", p.stride_bytes, p.ns)).collect();
    line(format!("  stride sweep on {} threads: {}", s.stride_threads, strides.join(", ")));
    line(format!(
        "  -> line size {}",
        s.line_bytes.map_or("not found".into(), |b| format!("{b} B"))
    ));

    let f = &r.roofline;
    line("\nRoofline".into());
    for p in &f.points {
        line(format!("  {:>7} threads {:>8.2} GFLOP/s (f64, best)", p.threads, p.gflops));
    }
    line(format!(
        "  -> roofs: {:.2} GFLOP/s, {:.1} GB/s; ridge at {:.2} FLOP/byte",
        f.peak_gflops,
        b.peak_gbs(),
        r.card.ridge_intensity
    ));
    line(format!(
        "  {:>10} {:>16} {:>10} {:>9} {:>10}",
        "kernel", "op", "ops/byte", "Gop/s", "roof"
    ));
    for k in &run.kernels {
        line(format!(
            "  {:>10} {:>16} {:>10} {:>9.2} {:>10.2}",
            k.estimate.workload.name(),
            k.estimate.op,
            k.estimate.intensity.map_or("inf".into(), |i| format!("{i:.2}")),
            k.gops,
            k.attainable_gflops
        ));
    }
    if let Some(o) = run.others_cores {
        line(format!("\nother processes used {o:.2} cores meanwhile; {:.1} s", run.seconds));
    }
}

/// `4 KiB`, `5.62 KiB`, `1.41 MiB`, …
fn bytes(b: usize) -> String {
    let (v, unit) = if b >= 1 << 20 {
        (b as f64 / (1 << 20) as f64, "MiB")
    } else {
        (b as f64 / 1024.0, "KiB")
    };
    let v = format!("{v:.2}");
    format!("{} {unit}", v.trim_end_matches('0').trim_end_matches('.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_print_short() {
        assert_eq!(bytes(4096), "4 KiB");
        assert_eq!(bytes(5760), "5.62 KiB"); // 5.625, rounded to even
        assert_eq!(bytes(256 << 20), "256 MiB");
        assert_eq!(bytes(1_482_752), "1.41 MiB");
    }
}
