//! `parlab-bench`: the browser's kernels, timed natively on rayon.
//!
//! Why a native benchmark: parlab claims that Rust compiled to WebAssembly, running on real Web
//! Worker threads, is a fair place to *measure* serial vs parallel. That claim needs a
//! reference. This binary runs the very same kernels ([`KernelSpec::new`] for a workload and
//! size), through the very same measurement protocol ([`execute_on_pool`]: one warm-up, `reps`
//! interleaved rounds over the thread counts, answers checked against the 1-thread run) and the
//! same summary ([`summarize`] → [`Row`]), but on a native rayon pool with a monotonic
//! [`Instant`] clock. The `rows` it writes are the same `Row` type the browser serialises into
//! `data-testid="results"` `data-json`, so `tests/bench-wasm.mjs` output and ours compare field
//! by field (see `./bench`, which prints the side-by-side table into `BENCHMARKS.md`).
//!
//! As in the browser, one pool of `max(threads)` threads measures every thread count: a run on
//! `k` threads starts exactly `k` tasks on it (`parlab_kernels::schedule`).
//!
//! Usage: `parlab-bench [--workload primes|mandelbrot|pi|matmul|reduce|all] [--size
//! small|medium|large] [--threads 1,2] [--reps 5] [--serial 0.0] [--schedule dynamic|static]
//! [--json PATH]`. JSON goes to stdout unless `--json` is given; a human table goes to stderr.
//!
//! `parlab-bench machine [--max-size 256M] [--cores N] [--json PATH]` runs the "Your machine"
//! experiments instead (cores probe, cache sweep, STREAM, false sharing, roofline; see
//! `machine_lab`) and writes the machine card with every experiment's result.

mod args;
mod machine_lab;
mod simd;

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use parlab_kernels::measure::{Job, Row, execute_on_pool, summarize};
use parlab_kernels::schedule::RunControl;
use parlab_kernels::{KernelSpec, Size, Workload};
use parlab_model::fit::fit_amdahl;
use serde::Serialize;

use args::{Command, Options};

/// Where and on what the numbers were measured.
#[derive(Debug, Serialize)]
struct Machine {
    /// `model name` from `/proc/cpuinfo`, when readable.
    cpu: Option<String>,
    logical_cores: usize,
    /// `std::env::consts::OS`, plus `PRETTY_NAME` from `/etc/os-release` when readable.
    os: String,
    arch: &'static str,
    /// SIMD features this binary was compiled with (the default x86-64 target has only SSE2;
    /// `RUSTFLAGS="-C target-cpu=native"` adds AVX2 & co.).
    target_features: Vec<&'static str>,
}

/// One workload's measurement (the same shape `tests/bench-wasm.mjs` writes).
#[derive(Debug, Serialize)]
struct Run {
    workload: Workload,
    size: Size,
    env: &'static str,
    reps: usize,
    schedule: &'static str,
    serial: f64,
    spec: KernelSpec,
    /// Cores that *other* processes used on average during this run (machine CPU time minus
    /// ours, over wall time; Linux only). On a shared VM, more than ~0.1 means this run shared
    /// its cores and its numbers are suspect.
    others_cores: Option<f64>,
    rows: Vec<Row>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

#[derive(Debug, Serialize)]
struct Report {
    machine: Machine,
    runs: Vec<Run>,
}

fn main() -> ExitCode {
    if std::env::args().nth(1).as_deref() == Some("simd") {
        return simd::main(std::env::args().skip(2));
    }
    let options = match args::parse(std::env::args().skip(1)) {
        Ok(Command::Run(options)) => options,
        Ok(Command::Machine(options)) => return machine_lab::main(&options),
        Ok(Command::Help) => {
            println!("{}", args::USAGE);
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("parlab-bench: {message}\n\n{}", args::USAGE);
            return ExitCode::from(2);
        }
    };
    let machine = machine();
    eprintln!(
        "parlab-bench: {} ({} logical cores), size {}, threads {:?}, reps {}, schedule {}, serial {}",
        machine.cpu.as_deref().unwrap_or("unknown CPU"),
        machine.logical_cores,
        options.size.name(),
        options.threads,
        options.reps,
        options.schedule.name(),
        options.serial,
    );
    let runs: Vec<Run> = options.workloads.iter().map(|&w| measure(w, &options)).collect();
    let failed = runs.iter().filter(|r| r.error.is_some()).count();
    let report = Report { machine, runs };
    let json = serde_json::to_string_pretty(&report).expect("the report serialises");
    if let Err(e) = write_json(options.json.as_deref(), &json) {
        eprintln!("parlab-bench: cannot write the JSON: {e}");
        return ExitCode::FAILURE;
    }
    if failed > 0 {
        eprintln!("parlab-bench: {failed} workload(s) failed");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

/// Measures one workload (the browser's job for it) and prints its rows.
fn measure(workload: Workload, options: &Options) -> Run {
    let job = Job {
        spec: KernelSpec::new(workload, options.size),
        threads: options.threads.clone(),
        reps: options.reps,
        schedule: options.schedule,
        serial_share: options.serial,
    };
    let run = measure_job(&job, options.size);
    print_run(&run);
    run
}

/// Runs `job` on a fresh pool of `max(threads)` threads.
fn measure_job(job: &Job, size: Size) -> Run {
    let mut run = Run {
        workload: job.spec.workload(),
        size,
        env: "native",
        reps: job.reps,
        schedule: job.schedule.name(),
        serial: job.serial_share,
        spec: job.spec,
        others_cores: None,
        rows: Vec::new(),
        error: None,
    };
    let max = job.threads.iter().copied().max().unwrap_or(1);
    let pool = match rayon::ThreadPoolBuilder::new().num_threads(max).build() {
        Ok(pool) => pool,
        Err(e) => {
            run.error = Some(format!("cannot build a rayon pool of {max} threads: {e}"));
            return run;
        }
    };
    let start = Instant::now();
    let clock = move || start.elapsed().as_secs_f64() * 1e3;
    let cpu_before = cpu_ticks();
    let results = pool.install(|| execute_on_pool(job, &clock, &RunControl::default()));
    run.others_cores = others_cores(cpu_before, cpu_ticks(), start.elapsed().as_secs_f64());
    match results {
        Err(_) => run.error = Some("the run was cancelled".into()),
        Ok(results) => match summarize(job, &results) {
            Ok(rows) => run.rows = rows,
            Err(e) => run.error = Some(e),
        },
    }
    run
}

/// A few lines per workload on stderr, as the runs finish.
fn print_run(run: &Run) {
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "\n{} ({}, {})", run.workload.label(), run.size.name(), run.env);
    if let Some(e) = &run.error {
        let _ = writeln!(err, "  ERROR: {e}");
        return;
    }
    let _ = writeln!(
        err,
        "  {:>7} {:>11} {:>11} {:>11} {:>8} {:>8}",
        "threads", "median ms", "min ms", "max ms", "speedup", "eff."
    );
    for r in &run.rows {
        let opt = |x: Option<f64>| x.map_or("-".to_string(), |x| format!("{x:.2}"));
        let _ = writeln!(
            err,
            "  {:>7} {:>11.1} {:>11.1} {:>11.1} {:>8} {:>8}",
            r.threads,
            r.median_ms,
            r.min_ms,
            r.max_ms,
            opt(r.speedup),
            opt(r.efficiency)
        );
    }
    let points: Vec<(f64, f64)> =
        run.rows.iter().filter_map(|r| Some((r.threads as f64, r.speedup?))).collect();
    if let Some(others) = run.others_cores {
        let _ = writeln!(err, "  other processes used {others:.2} cores meanwhile");
    }
    let answer = run.rows.first().map_or(0, |r| r.value);
    match fit_amdahl(&points) {
        Some(fit) => {
            let _ = writeln!(err, "  answer {answer}; fitted parallel share p = {:.3}", fit.p);
        }
        None => {
            let _ = writeln!(err, "  answer {answer}");
        }
    }
}

fn write_json(path: Option<&Path>, json: &str) -> std::io::Result<()> {
    match path {
        None => {
            let mut out = std::io::stdout().lock();
            writeln!(out, "{json}")
        }
        Some(path) => {
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir)?;
            }
            std::fs::write(path, format!("{json}\n"))?;
            eprintln!("\nparlab-bench: wrote {}", path.display());
            Ok(())
        }
    }
}

fn machine() -> Machine {
    let cpu = std::fs::read_to_string("/proc/cpuinfo").ok().and_then(|s| cpu_model(&s));
    let pretty = std::fs::read_to_string("/etc/os-release").ok().and_then(|s| {
        s.lines()
            .find_map(|l| l.strip_prefix("PRETTY_NAME="))
            .map(|v| v.trim_matches('"').to_string())
    });
    let os = match pretty {
        Some(p) => format!("{} ({p})", std::env::consts::OS),
        None => std::env::consts::OS.to_string(),
    };
    Machine {
        cpu,
        logical_cores: args::available_cores(),
        os,
        arch: std::env::consts::ARCH,
        target_features: target_features(),
    }
}

/// The SIMD features enabled at compile time.
fn target_features() -> Vec<&'static str> {
    let all = [
        ("sse2", cfg!(target_feature = "sse2")),
        ("sse4.1", cfg!(target_feature = "sse4.1")),
        ("avx", cfg!(target_feature = "avx")),
        ("avx2", cfg!(target_feature = "avx2")),
        ("fma", cfg!(target_feature = "fma")),
        ("avx512f", cfg!(target_feature = "avx512f")),
        ("neon", cfg!(target_feature = "neon")),
        ("simd128", cfg!(target_feature = "simd128")),
    ];
    all.into_iter().filter_map(|(name, on)| on.then_some(name)).collect()
}

/// Clock ticks per second of `/proc/stat` and `/proc/self/stat` (`USER_HZ`, 100 on every common
/// Linux build; reading `sysconf` would need libc).
const USER_HZ: f64 = 100.0;

/// (busy ticks of the whole machine, CPU ticks of this process), from `/proc`; `None` where
/// unreadable (not Linux).
fn cpu_ticks() -> Option<(u64, u64)> {
    let stat = std::fs::read_to_string("/proc/stat").ok()?;
    let own = std::fs::read_to_string("/proc/self/stat").ok()?;
    Some((machine_busy_ticks(&stat)?, process_ticks(&own)?))
}

/// Busy ticks in `/proc/stat`'s `cpu` line: user, nice, system, irq, softirq, steal.
fn machine_busy_ticks(stat: &str) -> Option<u64> {
    let line = stat.lines().find(|l| l.starts_with("cpu "))?;
    let f: Vec<u64> = line.split_whitespace().skip(1).map_while(|x| x.parse().ok()).collect();
    Some([0, 1, 2, 5, 6, 7].iter().filter_map(|&i| f.get(i)).sum())
}

/// utime + stime of a `/proc/PID/stat` line (fields 14 and 15; the name may contain spaces).
fn process_ticks(stat: &str) -> Option<u64> {
    let rest = &stat[stat.rfind(')')? + 1..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    // After the name: state is field 3, so utime (14) and stime (15) are at 11 and 12.
    Some(f.get(11)?.parse::<u64>().ok()? + f.get(12)?.parse::<u64>().ok()?)
}

/// Average cores used by other processes between two [`cpu_ticks`] samples `secs` apart.
fn others_cores(before: Option<(u64, u64)>, after: Option<(u64, u64)>, secs: f64) -> Option<f64> {
    let ((m0, p0), (m1, p1)) = (before?, after?);
    let others = m1.saturating_sub(m0) as f64 - p1.saturating_sub(p0) as f64;
    (secs > 0.0).then(|| ((others / USER_HZ / secs).max(0.0) * 100.0).round() / 100.0)
}

/// The first `model name` in a `/proc/cpuinfo` text.
fn cpu_model(cpuinfo: &str) -> Option<String> {
    cpuinfo.lines().find_map(|line| {
        let (key, value) = line.split_once(':')?;
        (key.trim() == "model name").then(|| value.trim().to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpu_model_is_read_from_cpuinfo() {
        let text = "processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC 7B13\n";
        assert_eq!(cpu_model(text).as_deref(), Some("AMD EPYC 7B13"));
        assert_eq!(cpu_model("processor : 0\n"), None);
    }

    #[test]
    fn cpu_accounting_parses_proc() {
        let stat = "cpu  100 5 50 1000 7 3 2 1 0 0\ncpu0 50 2 25 500 3 1 1 0 0 0\n";
        assert_eq!(machine_busy_ticks(stat), Some(100 + 5 + 50 + 3 + 2 + 1));
        let own = "42 (parlab (bench)) R 1 42 42 0 -1 4194304 100 0 0 0 250 30 0 0 20 0 3 0";
        assert_eq!(process_ticks(own), Some(280));
        // 300 busy ticks in 2 s, 100 of them ours: others used 1 core.
        assert_eq!(others_cores(Some((1000, 50)), Some((1300, 150)), 2.0), Some(1.0));
        assert_eq!(others_cores(None, Some((1, 1)), 1.0), None);
        if cfg!(target_os = "linux") {
            assert!(cpu_ticks().is_some());
        }
    }

    #[test]
    fn a_small_run_has_rows_like_the_browser() {
        // A tiny job: the real sizes take seconds in a debug build.
        let job = Job {
            spec: KernelSpec::Pi { samples: 200_000, chunks: 16, seed: 1 },
            threads: vec![1, 2],
            reps: 2,
            schedule: parlab_kernels::schedule::Schedule::Dynamic,
            serial_share: 0.0,
        };
        let run = measure_job(&job, Size::Small);
        assert!(run.error.is_none(), "{:?}", run.error);
        assert_eq!(run.rows.iter().map(|r| r.threads).collect::<Vec<_>>(), vec![1, 2]);
        assert_eq!(run.rows[0].speedup, Some(1.0));
        let json = serde_json::to_value(&run).unwrap();
        assert_eq!(json["env"], "native");
        assert_eq!(json["workload"], "pi");
        assert_eq!(json["size"], "small");
        let row = &json["rows"][1];
        for key in [
            "threads",
            "median_ms",
            "min_ms",
            "max_ms",
            "reps",
            "speedup",
            "efficiency",
            "value",
            "threads_used",
        ] {
            assert!(row.get(key).is_some(), "row has {key}: {row}");
        }
    }
}
