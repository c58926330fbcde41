//! The GIL lesson's URL state: which workload, how big, which modes, how many threads.

use parlab_kernels::Size;
use parlab_kernels::gil::{Mode, Preset};

use serde::Serialize;

use crate::params::{self, Lim, Named, Param, UrlState};
use crate::url::{self, Query};

/// The workload presets a user can pick (`workload=`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Workload {
    Primes,
    Io,
    Native,
    Mixed,
    Counter,
    CounterCall,
}

impl Named for Workload {
    const ALL: &'static [Workload] = &[
        Workload::Primes,
        Workload::Io,
        Workload::Native,
        Workload::Mixed,
        Workload::Counter,
        Workload::CounterCall,
    ];
}

impl Workload {
    pub fn label(self) -> &'static str {
        match self {
            Workload::Primes => "CPU-bound: count primes in bytecode",
            Workload::Io => "I/O-bound: blocking waits",
            Workload::Native => "C-library-bound: native hashing",
            Workload::Mixed => "Mixed: you set the mix",
            Workload::Counter => "Race: counter += 1",
            Workload::CounterCall => "Race: read, call f(), write",
        }
    }
}

/// The short URL name of a mode (`modes=gil,free,processes`).
pub fn mode_name(mode: Mode) -> &'static str {
    match mode {
        Mode::Gil => "gil",
        Mode::FreeThreaded => "free",
        Mode::Processes => "processes",
    }
}

/// How a mode is called in the UI.
pub fn mode_label(mode: Mode) -> &'static str {
    match mode {
        Mode::Gil => "threads + GIL (CPython)",
        Mode::FreeThreaded => "threads, free-threaded (3.13t)",
        Mode::Processes => "processes (multiprocessing)",
    }
}

fn parse_mode(s: &str) -> Option<Mode> {
    Mode::ALL.into_iter().find(|&m| mode_name(m) == s)
}

/// Everything the URL carries.
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    pub workload: Workload,
    pub size: Size,
    pub modes: Vec<Mode>,
    pub threads: Vec<usize>,
    pub reps: usize,
    pub switch_ms: f64,
    /// Mixed workload: interpreted loop iterations, I/O ms and native KB per item.
    pub mix_cpu: usize,
    pub mix_io: usize,
    pub mix_kb: usize,
    /// The message-passing section's settings.
    pub msg: super::messages::Settings,
}

/// The most threads the lesson runs (each is a real pool thread or worker).
pub const MAX_THREADS: usize = 16;

const WORKLOAD: Param =
    params::choice::<Workload>("workload", "primes", "The program the threads run.");
const SIZE: Param = params::choice::<Size>("size", "medium", "Work per thread.");
const MODES: Param = params::custom(
    "modes",
    "gil,free,processes",
    "comma list of gil, free, processes",
    "Execution modes to measure.",
)
.control("[data-testid^=\"mode-\"]");
const THREADS: Param = params::custom(
    "threads",
    "1,pool",
    "list of 1–16, at most pool",
    "Thread counts the sweep measures (above the pool: dropped with a note).",
)
.control("[data-testid^=\"threads-\"]");
const REPS: Param = params::int("reps", "3", Lim::N(1), Lim::N(10), "Timed repetitions.");
const SWITCH: Param = params::float(
    "switch",
    "5",
    (0.1, 20.0, 3),
    "GIL switch interval (ms; CPython's default is 5).",
);
const CPU: Param = params::int(
    "cpu",
    "2000",
    Lim::N(0),
    Lim::N(20_000),
    "Mixed: interpreted loop iterations per item.",
)
.control("[data-testid=\"mix-cpu\"]");
const IO: Param =
    params::int("io", "2", Lim::N(0), Lim::N(20), "Mixed: blocking I/O per item (ms).")
        .control("[data-testid=\"mix-io\"]");
const KB: Param =
    params::int("kb", "500", Lim::N(0), Lim::N(4_000), "Mixed: native hashing per item (KB).")
        .control("[data-testid=\"mix-kb\"]");

impl UrlState for Settings {
    fn params() -> Vec<Param> {
        let mut v = vec![WORKLOAD, SIZE, MODES, THREADS, REPS, SWITCH, CPU, IO, KB];
        v.extend(super::messages::PARAMS);
        v
    }

    /// Reads the query; `threads` above `pool` are dropped with a note (K threads need K pool
    /// threads or workers).
    fn read(q: &Query, pool: usize, notes: &mut Vec<String>) -> Settings {
        let pool = pool.max(1);
        let default = if pool > 1 { vec![1, pool] } else { vec![1] };
        let mut threads = q.int_list(THREADS.key, default, 1..=MAX_THREADS, notes);
        if threads.iter().any(|&k| k > pool) {
            notes.push(format!(
                "This page has {pool} pool threads, so runs use at most {pool} threads \
                 (add pool=8 to the URL to start more threads than cores, e.g. for I/O)."
            ));
            threads.retain(|&k| k <= pool);
            if threads.is_empty() {
                threads.push(pool);
            }
        }
        let modes = match MODES.raw(q) {
            None => Mode::ALL.to_vec(),
            Some(raw) => {
                let m: Vec<Mode> = Mode::ALL
                    .into_iter()
                    .filter(|&m| raw.split(',').any(|p| parse_mode(p.trim()) == Some(m)))
                    .collect();
                if m.is_empty() || raw.split(',').any(|p| parse_mode(p.trim()).is_none()) {
                    notes.push(format!("modes={raw}: known modes are gil, free, processes."));
                }
                if m.is_empty() { Mode::ALL.to_vec() } else { m }
            }
        };
        Settings {
            workload: WORKLOAD.choice(q, notes),
            size: SIZE.choice(q, notes),
            modes,
            threads,
            reps: REPS.int(q, pool, notes),
            switch_ms: SWITCH.float(q, notes),
            mix_cpu: CPU.int(q, pool, notes),
            mix_io: IO.int(q, pool, notes),
            mix_kb: KB.int(q, pool, notes),
            msg: super::messages::Settings::read(q, notes),
        }
    }

    fn write(&self, q: &mut Query) {
        WORKLOAD.put_choice(q, self.workload);
        SIZE.put_choice(q, self.size);
        let modes: Vec<&str> = self.modes.iter().map(|&m| mode_name(m)).collect();
        MODES.put(q, modes.join(","));
        THREADS.put(q, url::join(&self.threads));
        REPS.put(q, self.reps);
        SWITCH.put(q, self.switch_ms);
        CPU.put(q, self.mix_cpu);
        IO.put(q, self.mix_io);
        KB.put(q, self.mix_kb);
        self.msg.write(q);
    }
}

impl Settings {
    /// The kernels' preset for these settings (sizes are tenths of a second per thread at
    /// `medium` on a laptop).
    pub fn preset(&self) -> Preset {
        let z = |medium: u32| self.size.pick(medium / 4, medium, medium * 3);
        match self.workload {
            Workload::Primes => Preset::Primes { limit: z(120_000) },
            Workload::Io => Preset::Io { calls: z(40), ms: 5 },
            Workload::Native => Preset::Native { calls: 40, bytes: z(2_000_000) },
            Workload::Mixed => Preset::Mixed {
                items: z(40),
                cpu: self.mix_cpu as u32,
                io_ms: self.mix_io as u32,
                bytes: self.mix_kb as u32 * 1000,
            },
            Workload::Counter => Preset::Counter { increments: z(1_000_000) },
            Workload::CounterCall => Preset::CounterWithCall { increments: z(1_000_000) },
        }
    }

    /// Modes that can run here: without shared memory only processes are real.
    pub fn runnable_modes(&self, shared_memory: bool) -> Vec<Mode> {
        self.modes.iter().copied().filter(|&m| shared_memory || m == Mode::Processes).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_clamping() {
        let mut notes = Vec::new();
        let s = Settings::read(&Query::parse(""), 2, &mut notes);
        assert_eq!(
            (s.workload, s.threads.clone(), s.modes.len()),
            (Workload::Primes, vec![1, 2], 3)
        );
        assert!(notes.is_empty());
        let q = Query::parse("workload=bogus&threads=1,2,8&modes=gil,nope&switch=500");
        let s = Settings::read(&q, 2, &mut notes);
        assert_eq!(s.workload, Workload::Primes);
        assert_eq!(s.threads, vec![1, 2]);
        assert_eq!(s.modes, vec![Mode::Gil]);
        assert_eq!(s.switch_ms, 20.0);
        assert_eq!(notes.len(), 4, "{notes:?}");
    }

    #[test]
    fn every_workload_and_size_gives_a_preset_that_assembles() {
        let mut notes = Vec::new();
        let base = Settings::read(&Query::parse(""), 2, &mut notes);
        for &workload in Workload::ALL {
            for size in Size::ALL {
                let s = Settings { workload, size, ..base.clone() };
                assert!(!s.preset().program().code.is_empty());
            }
        }
    }

    #[test]
    fn without_shared_memory_only_processes_run() {
        let mut notes = Vec::new();
        let s = Settings::read(&Query::parse(""), 2, &mut notes);
        assert_eq!(s.runnable_modes(false), vec![Mode::Processes]);
        assert_eq!(s.runnable_modes(true).len(), 3);
    }
}
