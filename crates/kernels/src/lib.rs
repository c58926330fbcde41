//! The real workloads parlab measures.
//!
//! Every kernel is split into independent *chunks* so the same code can run
//! - on a rayon pool with exactly `k` of its threads busy ([`schedule::run_on_pool`]), which is
//!   how one pool of N threads measures 1..N threads (the wasm pool cannot be resized), and
//! - one chunk at a time in separate Web Workers that share no memory (the `workers` mode),
//!   where a coordinator hands out chunk indices by message passing.
//!
//! Both paths combine chunk results the same way, so every mode gives the same answer.
//! No web-sys here: the crate compiles natively (tests, benchmarks) and to wasm32.

pub mod measure;
pub mod primes;
pub mod schedule;

pub use schedule::{ChunkRecord, Clock, RunOutcome, run_on_pool};

use serde::{Deserialize, Serialize};

/// A workload divided into `chunks()` independent pieces whose results add up.
pub trait ChunkedKernel: Sync {
    /// Number of independent chunks.
    fn chunks(&self) -> usize;
    /// Computes chunk `index` (`0..chunks()`); pure, so any thread may run it.
    fn run_chunk(&self, index: usize) -> u64;
}

/// Problem sizes a user can pick; each kernel maps them to concrete parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Size {
    Small,
    #[default]
    Medium,
    Large,
}

impl Size {
    pub const ALL: [Size; 3] = [Size::Small, Size::Medium, Size::Large];

    pub fn name(self) -> &'static str {
        match self {
            Size::Small => "small",
            Size::Medium => "medium",
            Size::Large => "large",
        }
    }

    pub fn parse(s: &str) -> Option<Size> {
        Size::ALL.into_iter().find(|z| z.name() == s)
    }
}

/// The kernels a user can choose, with their parameters. Serialisable so the UI, the compute
/// worker and the native benchmark describe a job the same way.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kernel", rename_all = "lowercase")]
pub enum KernelSpec {
    /// Count the primes below `limit` by trial division, in `chunks` equal ranges.
    Primes { limit: u64, chunks: usize },
}

impl KernelSpec {
    /// The default job for a kernel name and size (about 0.1 / 0.4 / 1.6 s at 1 thread in wasm
    /// on a laptop-class core).
    pub fn primes(size: Size) -> KernelSpec {
        let limit = match size {
            Size::Small => 1_500_000,
            Size::Medium => 4_000_000,
            Size::Large => 12_000_000,
        };
        KernelSpec::Primes { limit, chunks: 64 }
    }

    /// Runs `f` with the concrete kernel behind this spec.
    pub fn with_kernel<R>(&self, f: impl FnOnce(&dyn ChunkedKernel) -> R) -> R {
        match *self {
            KernelSpec::Primes { limit, chunks } => f(&primes::Primes::new(limit, chunks)),
        }
    }

    /// What the result number means, for display.
    pub fn result_label(&self) -> &'static str {
        match self {
            KernelSpec::Primes { .. } => "primes found",
        }
    }
}
