//! Command-line arguments, parsed by hand (no dependency for a handful of flags).
//! Each flag takes a value, as `--flag value` or `--flag=value`.

use std::path::PathBuf;

use parlab_kernels::schedule::Schedule;
use parlab_kernels::{Size, Workload};

pub const USAGE: &str = "\
usage: parlab-bench [options]
       parlab-bench machine [--max-size SIZE] [--cores N] [--json PATH]
  --workload W    primes|mandelbrot|pi|matmul|reduce|all, or a comma list (default all)
  --size S        small|medium|large (default medium)
  --threads LIST  thread counts, e.g. 1,2 (default 1..=available cores)
  --reps N        timed runs per thread count, 1..=100 (default 5)
  --serial F      injected serial share, 0.0..=0.9 (default 0.0)
  --schedule S    dynamic|static (default dynamic)
  --json PATH     write the JSON report there (default: stdout)
  -h, --help      this text
machine: the \"Your machine\" experiments (cores probe, cache sweep, STREAM, false
sharing, roofline) and the machine card:
  --max-size SIZE largest working set of the cache sweep, e.g. 64M, 256M (default 256M)
  --cores N       the reported core count to start from (default: available cores)
  --json PATH     write the JSON report there (default: stdout)
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

/// Options of the `machine` subcommand.
#[derive(Clone, Debug, PartialEq)]
pub struct MachineOptions {
    pub max_bytes: usize,
    pub cores: usize,
    pub json: Option<PathBuf>,
}

impl Default for MachineOptions {
    fn default() -> Self {
        MachineOptions { max_bytes: 256 << 20, cores: available_cores(), json: None }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    Run(Options),
    Machine(MachineOptions),
    Help,
}

/// Logical cores this process may use (1 if unknown).
pub fn available_cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Parses the arguments after the program name.
pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Command, String> {
    let mut args = args.into_iter().peekable();
    if args.peek().is_some_and(|a| a == "machine") {
        args.next();
        return parse_machine(args);
    }
    let mut options = Options::default();
    while let Some((flag, value)) = next_flag(&mut args)? {
        let Some(value) = value else {
            return Ok(Command::Help);
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

/// The next `--flag value` (or `--flag=value`) pair; `(help, None)` for `-h` / `--help`;
/// `None` at the end.
fn next_flag(
    args: &mut impl Iterator<Item = String>,
) -> Result<Option<(String, Option<String>)>, String> {
    let Some(arg) = args.next() else {
        return Ok(None);
    };
    if arg == "-h" || arg == "--help" {
        return Ok(Some((arg, None)));
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
    Ok(Some((flag, Some(value))))
}

/// The options of `parlab-bench machine`.
fn parse_machine(mut args: impl Iterator<Item = String>) -> Result<Command, String> {
    let mut options = MachineOptions::default();
    while let Some((flag, value)) = next_flag(&mut args)? {
        let Some(value) = value else {
            return Ok(Command::Help);
        };
        match flag.as_str() {
            "--max-size" => {
                options.max_bytes = size(&value).ok_or_else(|| {
                    format!("--max-size: `{value}` is not a size from 64K to 4G, e.g. 256M")
                })?;
            }
            "--cores" => options.cores = number(&flag, &value, 1..=MAX_THREADS)?,
            "--json" => options.json = Some(PathBuf::from(value)),
            _ => return Err(format!("unknown option `{flag}` for machine")),
        }
    }
    Ok(Command::Machine(options))
}

/// `4096`, `64K`, `256M` or `1G` (binary units) in 64 KiB ..= 4 GiB.
fn size(value: &str) -> Option<usize> {
    let (digits, unit) = match value.char_indices().last()? {
        (i, c) if c.is_ascii_alphabetic() => (&value[..i], c.to_ascii_uppercase()),
        _ => (value, 'B'),
    };
    let shift = match unit {
        'B' => 0,
        'K' => 10,
        'M' => 20,
        'G' => 30,
        _ => return None,
    };
    let bytes = digits.parse::<usize>().ok()?.checked_mul(1 << shift)?;
    (64 << 10..=4 << 30).contains(&bytes).then_some(bytes)
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
            Command::Machine(_) => Err("machine".into()),
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
    fn machine_subcommand() {
        assert_eq!(parse(["machine".to_string()]), Ok(Command::Machine(MachineOptions::default())));
        let args = ["machine", "--max-size=64M", "--cores", "4", "--json", "m.json"];
        let expect = MachineOptions { max_bytes: 64 << 20, cores: 4, json: Some("m.json".into()) };
        assert_eq!(parse(args.map(String::from)), Ok(Command::Machine(expect)));
        assert_eq!(size("4096K"), Some(4 << 20));
        assert_eq!(size("1g"), Some(1 << 30));
        assert_eq!(size("65536"), Some(64 << 10));
        for bad in ["", "12X", "1K", "8G", "M", "-1M"] {
            assert_eq!(size(bad), None, "{bad}");
        }
        let err = parse(["machine", "--size", "small"].map(String::from)).unwrap_err();
        assert!(err.contains("unknown option"), "{err}");
        assert!(parse(["machine", "--max-size", "3X"].map(String::from)).is_err());
        assert_eq!(parse(["machine", "-h"].map(String::from)), Ok(Command::Help));
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
