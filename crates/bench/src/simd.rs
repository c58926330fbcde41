//! `parlab-bench simd`: data parallelism natively (issue 14). The same kernels and the same
//! sweep as the browser's SIMD experiment ([`parlab_kernels::simd::execute`]), but with x86-64
//! SIMD instead of wasm `simd128`: SSE2 (4 lanes, 128 bits, like `simd128`) and, where the CPU
//! has it, AVX2 + FMA (8 lanes, 256 bits: wider than anything WebAssembly offers). Every
//! variant runs on 1..N threads of one rayon pool; the table shows what SIMD gains alone,
//! what threads gain alone, and whether the two multiply.

use std::io::Write;
use std::process::ExitCode;
use std::time::Instant;

use parlab_kernels::Size;
use parlab_kernels::schedule::RunControl;
use parlab_kernels::simd::{self, Job, Kernel, Report, Spec, Variant};
use serde::Serialize;

use crate::args::{available_cores, number, threads};
use crate::{Machine, cpu_ticks, machine, others_cores, write_json};

const USAGE: &str = "\
usage: parlab-bench simd [options]
  --kernel K      sum|dot|saxpy|mandelbrot|all, or a comma list (default all)
  --size S        small|medium|large (default small)
  --variants LIST scalar,sse2,avx2 (default: every variant this CPU has; scalar always runs)
  --threads LIST  thread counts, e.g. 1,2 (default 1..=available cores)
  --reps N        timed runs per variant and thread count, 1..=100 (default 3)
  --json PATH     write the JSON report there (default: stdout)
  -h, --help      this text
A human-readable table goes to stderr.";

#[derive(Clone, Debug, PartialEq)]
struct Options {
    kernels: Vec<Kernel>,
    size: Size,
    variants: Vec<Variant>,
    threads: Vec<usize>,
    reps: usize,
    json: Option<std::path::PathBuf>,
}

/// `None` for `--help`.
fn parse(args: impl IntoIterator<Item = String>) -> Result<Option<Options>, String> {
    let mut o = Options {
        kernels: Kernel::ALL.to_vec(),
        size: Size::Small,
        variants: Variant::available(),
        threads: (1..=available_cores()).collect(),
        reps: 3,
        json: None,
    };
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        if arg == "-h" || arg == "--help" {
            return Ok(None);
        }
        let (flag, value) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), v.to_string()),
            _ if arg.starts_with("--") => {
                let v = args.next().ok_or_else(|| format!("{arg} needs a value"))?;
                (arg, v)
            }
            _ => return Err(format!("unexpected argument `{arg}`")),
        };
        match flag.as_str() {
            "--kernel" => {
                o.kernels = list(&value, Kernel::ALL.to_vec(), Kernel::parse, "--kernel")?
            }
            "--size" => {
                o.size = Size::parse(&value)
                    .ok_or_else(|| format!("--size: `{value}` is not small|medium|large"))?;
            }
            "--variants" => {
                o.variants = list(&value, Variant::available(), Variant::parse, "--variants")?;
                if let Some(v) = o.variants.iter().find(|v| !v.is_available()) {
                    return Err(format!("--variants: {} is not available on this CPU", v.name()));
                }
            }
            "--threads" => o.threads = threads(&value)?,
            "--reps" => o.reps = number(&flag, &value, 1..=100)?,
            "--json" => o.json = Some(value.into()),
            _ => return Err(format!("unknown option `{flag}`")),
        }
    }
    Ok(Some(o))
}

/// `all` or a comma list of names (duplicates dropped, order kept).
fn list<T: PartialEq>(
    value: &str,
    all: Vec<T>,
    parse: fn(&str) -> Option<T>,
    flag: &str,
) -> Result<Vec<T>, String> {
    if value == "all" {
        return Ok(all);
    }
    let mut out = Vec::new();
    for name in value.split(',').map(str::trim) {
        let item = parse(name).ok_or_else(|| format!("{flag}: `{name}` is not known"))?;
        if !out.contains(&item) {
            out.push(item);
        }
    }
    Ok(out)
}

/// One kernel's sweep.
#[derive(Debug, Serialize)]
struct Run {
    kernel: Kernel,
    size: Size,
    env: &'static str,
    reps: usize,
    /// Cores other processes used meanwhile (see the main benchmark's `others_cores`).
    others_cores: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    report: Option<Report>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

#[derive(Debug, Serialize)]
struct SimdBench {
    machine: Machine,
    /// Variants this binary can run on this CPU.
    available: Vec<Variant>,
    runs: Vec<Run>,
}

/// Entry point of `parlab-bench simd ARGS…`.
pub fn main(args: impl IntoIterator<Item = String>) -> ExitCode {
    let o = match parse(args) {
        Ok(Some(o)) => o,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("parlab-bench simd: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let machine = machine();
    eprintln!(
        "parlab-bench simd: {} ({} logical cores), size {}, variants {:?}, threads {:?}, reps {}",
        machine.cpu.as_deref().unwrap_or("unknown CPU"),
        machine.logical_cores,
        o.size.name(),
        o.variants.iter().map(|v| v.name()).collect::<Vec<_>>(),
        o.threads,
        o.reps,
    );
    let runs: Vec<Run> = o.kernels.iter().map(|&k| measure(k, &o)).collect();
    let failed = runs.iter().filter(|r| r.error.is_some()).count();
    let bench = SimdBench { machine, available: Variant::available(), runs };
    let json = serde_json::to_string_pretty(&bench).expect("the report serialises");
    if let Err(e) = write_json(o.json.as_deref(), &json) {
        eprintln!("parlab-bench simd: cannot write the JSON: {e}");
        return ExitCode::FAILURE;
    }
    if failed > 0 {
        eprintln!("parlab-bench simd: {failed} kernel(s) failed");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

fn measure(kernel: Kernel, o: &Options) -> Run {
    let job = Job {
        spec: Spec::new(kernel, o.size),
        variants: o.variants.clone(),
        threads: o.threads.clone(),
        reps: o.reps,
    };
    let mut run = Run {
        kernel,
        size: o.size,
        env: "native",
        reps: o.reps,
        others_cores: None,
        report: None,
        error: None,
    };
    let max = o.threads.iter().copied().max().unwrap_or(1);
    match rayon::ThreadPoolBuilder::new().num_threads(max).build() {
        Err(e) => run.error = Some(format!("cannot build a rayon pool of {max} threads: {e}")),
        Ok(pool) => {
            let start = Instant::now();
            let clock = move || start.elapsed().as_secs_f64() * 1e3;
            let before = cpu_ticks();
            let result = pool.install(|| simd::execute(&job, &clock, &RunControl::default()));
            run.others_cores = others_cores(before, cpu_ticks(), start.elapsed().as_secs_f64());
            match result {
                Ok(report) => run.report = Some(report),
                Err(e) => run.error = Some(e.to_string()),
            }
        }
    }
    print_run(&run);
    run
}

fn print_run(run: &Run) {
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "\n{} ({}, {})", run.kernel.label(), run.size.name(), run.env);
    let report = match (&run.report, &run.error) {
        (Some(r), _) => r,
        (None, e) => {
            let _ = writeln!(err, "  ERROR: {}", e.as_deref().unwrap_or("no report"));
            return;
        }
    };
    let opt = |x: Option<f64>| x.map_or("-".to_string(), |x| format!("{x:.2}"));
    let _ = writeln!(
        err,
        "  {:>8} {:>5} {:>7} {:>9} {:>9} {:>9} {:>10} {:>6} {:>8} {:>6}",
        "variant",
        "lanes",
        "threads",
        "median ms",
        "min ms",
        "max ms",
        "M/s",
        "SIMD×",
        "threads×",
        "total×"
    );
    for r in &report.rows {
        let _ = writeln!(
            err,
            "  {:>8} {:>5} {:>7} {:>9.1} {:>9.1} {:>9.1} {:>10.0} {:>6} {:>8} {:>6}",
            r.variant.name(),
            r.lanes,
            r.threads,
            r.median_ms,
            r.min_ms,
            r.max_ms,
            r.throughput,
            opt(r.simd_speedup),
            opt(r.thread_speedup),
            opt(r.speedup)
        );
    }
    let _ = writeln!(err, "  (M/s: millions of {} per second)", report.unit);
    let _ = writeln!(err, "  SIMD × threads: product of the speedups vs measured");
    for c in report.combined.iter().filter(|c| c.threads > 1) {
        let _ = writeln!(
            err,
            "  {:>8} on {} threads: {:.2} × {:.2} = {:.2}, measured {:.2} (ratio {:.2})",
            c.variant.name(),
            c.threads,
            c.simd_speedup,
            c.thread_speedup,
            c.product,
            c.measured,
            c.ratio
        );
    }
    for c in &report.checks {
        let how = if c.exact {
            "identical to scalar".to_string()
        } else {
            format!("rel. error {:.1e} (bound {:.1e})", c.rel_error, c.bound / c.reference.abs())
        };
        let lanes =
            c.lane_use.map_or(String::new(), |u| format!(", lanes busy {:.0} %", u * 100.0));
        let _ = writeln!(err, "  check {:>8}: answer {}, {how}{lanes}", c.variant.name(), c.value);
    }
    if let Some(others) = run.others_cores {
        let _ = writeln!(err, "  other processes used {others:.2} cores meanwhile");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn options() {
        let o = parse(args(&[])).unwrap().unwrap();
        assert_eq!((o.kernels.len(), o.size, o.reps), (4, Size::Small, 3));
        assert_eq!(o.variants, Variant::available());
        let o = parse(args(&["--kernel=dot,sum", "--variants", "scalar,sse2", "--threads", "1,2"]));
        let o = o.unwrap().unwrap();
        assert_eq!(o.kernels, vec![Kernel::Dot, Kernel::Sum]);
        assert_eq!(o.variants, vec![Variant::Scalar, Variant::Sse2]);
        assert_eq!(o.threads, vec![1, 2]);
        assert_eq!(parse(args(&["-h"])), Ok(None));
        for bad in [&["--kernel", "fft"][..], &["--variants", "simd128"], &["--reps", "0"], &["x"]]
        {
            assert!(parse(args(bad)).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn a_tiny_sweep_reports_and_prints() {
        let job = Job {
            spec: Spec::Sum { len: 4_000, passes: 2, bands: 4 },
            variants: Variant::available(),
            threads: vec![1, 2],
            reps: 1,
        };
        let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
        let clock = || 0.0;
        let report = pool.install(|| simd::execute(&job, &clock, &RunControl::default())).unwrap();
        let run = Run {
            kernel: Kernel::Sum,
            size: Size::Small,
            env: "native",
            reps: 1,
            others_cores: None,
            report: Some(report),
            error: None,
        };
        print_run(&run);
        let json = serde_json::to_value(&run).unwrap();
        assert_eq!(json["report"]["rows"][0]["variant"], "scalar");
    }
}
