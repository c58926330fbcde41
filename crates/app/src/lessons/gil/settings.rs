//! The GIL lesson's URL state: which workload, how big, which modes, how many threads.

use parlab_kernels::Size;
use parlab_kernels::gil::{Mode, Preset};

use crate::url::{self, Query};

/// The workload presets a user can pick (`workload=`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Workload {
    Primes,
    Io,
    Native,
    Mixed,
    Counter,
    CounterCall,
}

impl Workload {
    pub const ALL: [Workload; 6] = [
        Workload::Primes,
        Workload::Io,
        Workload::Native,
        Workload::Mixed,
        Workload::Counter,
        Workload::CounterCall,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Workload::Primes => "primes",
            Workload::Io => "io",
            Workload::Native => "native",
            Workload::Mixed => "mixed",
            Workload::Counter => "counter",
            Workload::CounterCall => "counter_call",
        }
    }

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

    fn parse(s: &str) -> Option<Workload> {
        Workload::ALL.into_iter().find(|w| w.name() == s)
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
}

/// The most threads the lesson runs (each is a real pool thread or worker).
pub const MAX_THREADS: usize = 16;
/// Switch interval bounds (ms); CPython's default is 5 ms.
pub const SWITCH_MS: std::ops::RangeInclusive<f64> = 0.1..=20.0;

impl Settings {
    /// Reads the query; `threads` above `pool` are dropped with a note (K threads need K pool
    /// threads or workers).
    pub fn read(q: &Query, pool: usize, notes: &mut Vec<String>) -> Settings {
        let pool = pool.max(1);
        let default = if pool > 1 { vec![1, pool] } else { vec![1] };
        let mut threads = q.int_list("threads", default, 1..=MAX_THREADS, notes);
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
        let modes = match q.get("modes") {
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
            workload: q.choice("workload", Workload::Primes, Workload::parse, notes),
            size: q.choice("size", Size::Medium, Size::parse, notes),
            modes,
            threads,
            reps: q.int("reps", 3, 1..=10, notes),
            switch_ms: q.float("switch", 5.0, SWITCH_MS, notes),
            mix_cpu: q.int("cpu", 2_000, 0..=20_000, notes),
            mix_io: q.int("io", 2, 0..=20, notes),
            mix_kb: q.int("kb", 500, 0..=4_000, notes),
        }
    }

    pub fn write(&self) {
        let mut route = url::current();
        let q = &mut route.query;
        q.set("workload", self.workload.name());
        q.set("size", self.size.name());
        let modes: Vec<&str> = self.modes.iter().map(|&m| mode_name(m)).collect();
        q.set("modes", modes.join(","));
        q.set("threads", url::join(&self.threads));
        q.set("reps", self.reps);
        q.set("switch", self.switch_ms);
        q.set("cpu", self.mix_cpu);
        q.set("io", self.mix_io);
        q.set("kb", self.mix_kb);
        url::replace(&route);
    }

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
        for workload in Workload::ALL {
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
