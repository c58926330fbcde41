//! Command-line arguments, parsed by hand (no dependency for a handful of flags).
//! Each flag takes a value, as `--flag value` or `--flag=value`.

use std::path::PathBuf;

use parlab_kernels::schedule::Schedule;
use parlab_kernels::{Size, Workload};

pub const USAGE: &str = "\
usage: parlab-bench [options]
  --workload W    primes|mandelbrot|pi|matmul|reduce|all, or a comma list (default all)
  --size S        small|medium|large (default medium)
  --threads LIST  thread counts, e.g. 1,2 (default 1..=available cores)
  --reps N        timed runs per thread count, 1..=100 (default 5)
  --serial F      injected serial share, 0.0..=0.9 (default 0.0)
  --schedule S    dynamic|static (default dynamic)
  --json PATH     write the JSON report there (default: stdout)
  -h, --help      this text
A human-readable table goes to stderr.";

/// The most threads one may ask for (as the browser's `pool=` clamp).
pub const MAX_THREADS: usize = 64;
/// The largest serial share (as the Amdahl lesson's knob).
pub const MAX_SERIAL: f64 = 0.9;

#[derive(Clone, Debug, PartialEq)]
pub struct Options {
    pub workloads: Vec<Workload>,
    pub size: Size,
    pub threads: Vec<usize>,
    pub reps: usize,
    pub serial: f64,
    pub schedule: Schedule,
    pub json: Option<PathBuf>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            workloads: Workload::ALL.to_vec(),
            size: Size::Medium,
            threads: (1..=available_cores()).collect(),
            reps: 5,
            serial: 0.0,
            schedule: Schedule::Dynamic,
            json: None,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    Run(Options),
    Help,
}

/// Logical cores this process may use (1 if unknown).
pub fn available_cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Parses the arguments after the program name.
pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Command, String> {
    let mut options = Options::default();
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        if arg == "-h" || arg == "--help" {
            return Ok(Command::Help);
        }
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => (flag.to_string(), Some(value.into())),
            _ => (arg, None),
        };
        if !flag.starts_with("--") {
            return Err(format!("unexpected argument `{flag}`"));
        }
        let value = match inline {
            Some(value) => value,
            None => args.next().ok_or_else(|| format!("{flag} needs a value"))?,
        };
        match flag.as_str() {
            "--workload" => options.workloads = workloads(&value)?,
            "--size" => {
                options.size = Size::parse(&value)
                    .ok_or_else(|| format!("--size: `{value}` is not small|medium|large"))?;
            }
            "--threads" => options.threads = threads(&value)?,
            "--reps" => options.reps = number(&flag, &value, 1..=100)?,
            "--serial" => {
                options.serial = value
                    .parse::<f64>()
                    .ok()
                    .filter(|s| (0.0..=MAX_SERIAL).contains(s))
                    .ok_or_else(|| {
                        format!("--serial: `{value}` is not a number in 0..={MAX_SERIAL}")
                    })?;
            }
            "--schedule" => {
                options.schedule = Schedule::parse(&value)
                    .ok_or_else(|| format!("--schedule: `{value}` is not dynamic|static"))?;
            }
            "--json" => options.json = Some(PathBuf::from(value)),
            _ => return Err(format!("unknown option `{flag}`")),
        }
    }
    Ok(Command::Run(options))
}

/// `all`, one workload, or a comma list of them (duplicates dropped, order kept).
fn workloads(value: &str) -> Result<Vec<Workload>, String> {
    if value == "all" {
        return Ok(Workload::ALL.to_vec());
    }
    let mut list = Vec::new();
    for name in value.split(',').map(str::trim) {
        let w = Workload::parse(name).ok_or_else(|| {
            format!("--workload: `{name}` is not primes|mandelbrot|pi|matmul|reduce|all")
        })?;
        if !list.contains(&w) {
            list.push(w);
        }
    }
    Ok(list)
}

/// A comma list of thread counts in 1..=MAX_THREADS (duplicates dropped, order kept).
pub(crate) fn threads(value: &str) -> Result<Vec<usize>, String> {
    let mut list = Vec::new();
    for item in value.split(',').map(str::trim) {
        let t = number("--threads", item, 1..=MAX_THREADS)?;
        if !list.contains(&t) {
            list.push(t);
        }
    }
    Ok(list)
}

pub(crate) fn number(
    flag: &str,
    value: &str,
    range: std::ops::RangeInclusive<usize>,
) -> Result<usize, String> {
    value.parse().ok().filter(|n| range.contains(n)).ok_or_else(|| {
        format!("{flag}: `{value}` is not a whole number in {}..={}", range.start(), range.end())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(args: &[&str]) -> Result<Options, String> {
        match parse(args.iter().map(|s| s.to_string()))? {
            Command::Run(options) => Ok(options),
            Command::Help => Err("help".into()),
        }
    }

    #[test]
    fn defaults() {
        let o = run(&[]).unwrap();
        assert_eq!(o.workloads, Workload::ALL.to_vec());
        assert_eq!(o.size, Size::Medium);
        assert_eq!(o.threads, (1..=available_cores()).collect::<Vec<_>>());
        assert_eq!((o.reps, o.serial, o.schedule, o.json), (5, 0.0, Schedule::Dynamic, None));
    }

    #[test]
    fn every_flag_in_both_spellings() {
        let o = run(&[
            "--workload",
            "pi",
            "--size=small",
            "--threads",
            "1,2,2,4",
            "--reps=3",
            "--serial",
            "0.25",
            "--schedule=static",
            "--json",
            "target/bench/native.json",
        ])
        .unwrap();
        assert_eq!(o.workloads, vec![Workload::Pi]);
        assert_eq!(o.size, Size::Small);
        assert_eq!(o.threads, vec![1, 2, 4]);
        assert_eq!((o.reps, o.serial, o.schedule), (3, 0.25, Schedule::Static));
        assert_eq!(o.json, Some(PathBuf::from("target/bench/native.json")));
        assert_eq!(run(&["--workload=all"]).unwrap().workloads.len(), 5);
        let two = run(&["--workload", "matmul,reduce"]).unwrap().workloads;
        assert_eq!(two, vec![Workload::Matmul, Workload::Reduce]);
    }

    #[test]
    fn help() {
        assert_eq!(parse(["--help".to_string()]), Ok(Command::Help));
        assert_eq!(parse(["-h".to_string()]), Ok(Command::Help));
    }

    #[test]
    fn bad_input_is_an_error_that_names_the_flag() {
        for (args, needle) in [
            (&["--workload", "fft"][..], "--workload"),
            (&["--size", "huge"], "--size"),
            (&["--threads", "0"], "--threads"),
            (&["--threads", "1,x"], "--threads"),
            (&["--threads", "65"], "--threads"),
            (&["--reps", "0"], "--reps"),
            (&["--serial", "0.95"], "--serial"),
            (&["--serial", "nan"], "--serial"),
            (&["--schedule", "guided"], "--schedule"),
            (&["--reps"], "--reps needs a value"),
            (&["--frobnicate", "1"], "unknown option"),
            (&["pi"], "unexpected argument"),
        ] {
            let err = run(args).unwrap_err();
            assert!(err.contains(needle), "{args:?}: {err}");
        }
    }
}
