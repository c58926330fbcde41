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

#![warn(missing_docs)]

pub mod busy;
pub mod formats;
pub mod gil;
pub mod lanes;
pub mod machine;
pub mod mandelbrot;
pub mod matmul;
pub mod measure;
pub mod pi;
pub mod primes;
pub mod races;
pub mod reduce;
pub mod schedule;
pub mod simd;

pub use schedule::{ChunkRecord, Clock, RunOutcome, run_on_pool};

use std::sync::{Arc, Mutex};

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
    /// About 0.1 s at 1 thread: quick checks, slow devices.
    Small,
    /// About 0.35 s at 1 thread: the default.
    #[default]
    Medium,
    /// About 1.1 s at 1 thread: steadier timings.
    Large,
}

impl Size {
    /// Every size, smallest first.
    pub const ALL: [Size; 3] = [Size::Small, Size::Medium, Size::Large];

    /// Short name, as in URLs and serialised jobs.
    pub fn name(self) -> &'static str {
        match self {
            Size::Small => "small",
            Size::Medium => "medium",
            Size::Large => "large",
        }
    }

    /// The size whose [`Size::name`] is `s`.
    pub fn parse(s: &str) -> Option<Size> {
        Size::ALL.into_iter().find(|z| z.name() == s)
    }

    /// The one of three values that matches this size.
    pub fn pick<T>(self, small: T, medium: T, large: T) -> T {
        match self {
            Size::Small => small,
            Size::Medium => medium,
            Size::Large => large,
        }
    }
}

/// The workloads a user can choose (a [`KernelSpec`] without its parameters).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Workload {
    /// [`primes::Primes`]: uneven chunks (later numbers cost more), compute-bound.
    #[default]
    Primes,
    /// [`mandelbrot::Mandelbrot`]: very uneven bands, the case for dynamic scheduling.
    Mandelbrot,
    /// [`pi::Pi`]: equal chunks, registers only; scales almost perfectly.
    Pi,
    /// [`matmul::Matmul`]: equal bands, limited by shared cache and memory traffic.
    Matmul,
    /// [`reduce::Reduce`]: one add per 4 bytes loaded, limited by memory bandwidth.
    Reduce,
}

impl Workload {
    /// Every workload, in menu order.
    pub const ALL: [Workload; 5] =
        [Workload::Primes, Workload::Mandelbrot, Workload::Pi, Workload::Matmul, Workload::Reduce];

    /// Short name, as in URLs and in a serialised [`KernelSpec`]'s `kernel` tag.
    pub fn name(self) -> &'static str {
        match self {
            Workload::Primes => "primes",
            Workload::Mandelbrot => "mandelbrot",
            Workload::Pi => "pi",
            Workload::Matmul => "matmul",
            Workload::Reduce => "reduce",
        }
    }

    /// The workload whose [`Workload::name`] is `s`.
    pub fn parse(s: &str) -> Option<Workload> {
        Workload::ALL.into_iter().find(|w| w.name() == s)
    }

    /// Human title.
    pub fn label(self) -> &'static str {
        match self {
            Workload::Primes => "Counting primes",
            Workload::Mandelbrot => "Mandelbrot set",
            Workload::Pi => "Monte-Carlo \u{3c0}",
            Workload::Matmul => "Matrix multiply",
            Workload::Reduce => "Array sum (memory-bound)",
        }
    }
}

/// The kernels a user can choose, with their parameters. Serialisable so the UI, the compute
/// worker and the native benchmark describe a job the same way.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kernel", rename_all = "lowercase")]
pub enum KernelSpec {
    /// Count the primes below `limit` by trial division, in `chunks` equal ranges.
    Primes {
        /// Numbers `0..limit` are tested.
        limit: u64,
        /// Equal ranges of numbers (not equal work).
        chunks: usize,
    },
    /// Sum of escape-time iterations over a `width × height` image, in `bands` bands of rows.
    Mandelbrot {
        /// Pixels per row.
        width: usize,
        /// Rows.
        height: usize,
        /// Iteration cap per pixel (points inside the set run all of them).
        max_iter: u32,
        /// Bands of rows, one chunk each.
        bands: usize,
    },
    /// Hits inside the quarter circle out of `samples` random points, in `chunks` runs.
    Pi {
        /// Random points in the unit square.
        samples: u64,
        /// Equal runs, each with its own generator.
        chunks: usize,
        /// Seeds every chunk's generator, with the chunk index.
        seed: u64,
    },
    /// Checksum of C = A·B for generated `n × n` matrices, in `bands` bands of rows.
    Matmul {
        /// Matrix order.
        n: usize,
        /// Bands of rows of C, one chunk each.
        bands: usize,
    },
    /// `passes` sums over a generated array of `len` u32, in `bands` slices per pass.
    Reduce {
        /// Array length in `u32` elements (4 bytes each).
        len: usize,
        /// Times the whole array is summed.
        passes: usize,
        /// Slices per pass; the job has `passes × bands` chunks.
        bands: usize,
    },
}

/// A built kernel, shareable between threads.
pub type SharedKernel = Arc<dyn ChunkedKernel + Send + Sync>;

impl KernelSpec {
    /// The default job for a workload and size: about 0.1 / 0.35 / 1.1 s at 1 thread in an
    /// optimised native build on one server core (`tests::timing`); primes was sized for wasm,
    /// where matmul and reduce run slower than natively (no SIMD).
    pub fn new(workload: Workload, size: Size) -> KernelSpec {
        match workload {
            Workload::Primes => KernelSpec::primes(size),
            Workload::Mandelbrot => {
                let width = size.pick(400, 700, 1_200);
                // Square pixels: the view is 2.6 wide and 2.4 high.
                KernelSpec::Mandelbrot {
                    width,
                    height: width * 12 / 13,
                    max_iter: 1_000,
                    bands: 64,
                }
            }
            Workload::Pi => KernelSpec::Pi {
                samples: size.pick(40_000_000, 160_000_000, 500_000_000),
                chunks: 64,
                seed: 2024,
            },
            Workload::Matmul => KernelSpec::Matmul { n: size.pick(900, 1_400, 2_000), bands: 64 },
            Workload::Reduce => {
                KernelSpec::Reduce { len: 1 << 24, passes: size.pick(20, 80, 240), bands: 8 }
            }
        }
    }

    /// The default primes job (about 0.1 / 0.4 / 1.6 s at 1 thread in wasm on a laptop-class
    /// core).
    pub fn primes(size: Size) -> KernelSpec {
        let limit = match size {
            Size::Small => 1_500_000,
            Size::Medium => 4_000_000,
            Size::Large => 12_000_000,
        };
        KernelSpec::Primes { limit, chunks: 64 }
    }

    /// Which workload this is, without its parameters.
    pub fn workload(&self) -> Workload {
        match self {
            KernelSpec::Primes { .. } => Workload::Primes,
            KernelSpec::Mandelbrot { .. } => Workload::Mandelbrot,
            KernelSpec::Pi { .. } => Workload::Pi,
            KernelSpec::Matmul { .. } => Workload::Matmul,
            KernelSpec::Reduce { .. } => Workload::Reduce,
        }
    }

    /// Number of chunks, without building the kernel (cheap; use it on the UI thread).
    pub fn chunks(&self) -> usize {
        match *self {
            KernelSpec::Primes { chunks, .. } | KernelSpec::Pi { chunks, .. } => chunks.max(1),
            KernelSpec::Mandelbrot { bands, .. } | KernelSpec::Matmul { bands, .. } => bands.max(1),
            KernelSpec::Reduce { passes, bands, .. } => passes * bands.max(1),
        }
    }

    /// Builds the kernel behind this spec (may allocate and fill large inputs).
    pub fn build(&self) -> SharedKernel {
        match *self {
            KernelSpec::Primes { limit, chunks } => Arc::new(primes::Primes::new(limit, chunks)),
            KernelSpec::Mandelbrot { width, height, max_iter, bands } => {
                Arc::new(mandelbrot::Mandelbrot::new(width, height, max_iter, bands))
            }
            KernelSpec::Pi { samples, chunks, seed } => {
                Arc::new(pi::Pi::new(samples, chunks, seed))
            }
            KernelSpec::Matmul { n, bands } => Arc::new(matmul::Matmul::new(n, bands)),
            KernelSpec::Reduce { len, passes, bands } => {
                Arc::new(reduce::Reduce::new(len, passes, bands))
            }
        }
    }

    /// The kernel for this spec, built once and reused while the spec stays the same: a
    /// one-entry cache per process (per wasm instance), so a worker answering one chunk
    /// message at a time does not regenerate matrices or arrays for every chunk. The lock is
    /// not held while building, so no thread ever waits on a build (two threads racing on a
    /// new spec may both build it).
    pub fn kernel(&self) -> SharedKernel {
        static CACHE: Mutex<Option<(KernelSpec, SharedKernel)>> = Mutex::new(None);
        let lock = || CACHE.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((spec, kernel)) = lock().as_ref()
            && spec == self
        {
            return kernel.clone();
        }
        let kernel = self.build();
        *lock() = Some((*self, kernel.clone()));
        kernel
    }

    /// Runs `f` with the (cached, see [`KernelSpec::kernel`]) kernel behind this spec.
    pub fn with_kernel<R>(&self, f: impl FnOnce(&dyn ChunkedKernel) -> R) -> R {
        f(&*self.kernel())
    }

    /// What the result number means, for display.
    pub fn result_label(&self) -> &'static str {
        match self {
            KernelSpec::Primes { .. } => "primes found",
            KernelSpec::Mandelbrot { .. } => "total iterations",
            KernelSpec::Pi { .. } => "points inside the quarter circle",
            KernelSpec::Matmul { .. } => "checksum of C",
            KernelSpec::Reduce { .. } => "sum over all passes",
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use schedule::Schedule::{Dynamic, Static};
    use schedule::{RunConfig, RunControl, run_chunks_serially};

    fn clock() -> impl Fn() -> f64 + Sync {
        let start = std::time::Instant::now();
        move || start.elapsed().as_secs_f64() * 1e3
    }

    /// Small jobs of every workload.
    fn small_specs() -> [KernelSpec; 5] {
        [
            KernelSpec::Primes { limit: 50_000, chunks: 13 },
            KernelSpec::Mandelbrot { width: 60, height: 45, max_iter: 300, bands: 64 },
            KernelSpec::Pi { samples: 100_000, chunks: 64, seed: 7 },
            KernelSpec::Matmul { n: 70, bands: 64 },
            KernelSpec::Reduce { len: 100_000, passes: 3, bands: 16 },
        ]
    }

    #[test]
    fn every_thread_count_gives_the_serial_answer() {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(4).build().unwrap();
        for spec in small_specs() {
            let kernel = spec.kernel();
            assert_eq!(kernel.chunks(), spec.chunks(), "{spec:?}");
            let (serial, _) = run_chunks_serially(&*kernel, 0..spec.chunks(), 0, &clock(), 0.0);
            for (threads, schedule) in (1..=4).flat_map(|k| [(k, Dynamic), (k, Static)]) {
                let config = RunConfig { threads, schedule, serial_iters: 0 };
                let out = pool
                    .install(|| run_on_pool(&*kernel, config, &clock(), &RunControl::default()));
                assert_eq!(out.unwrap().value, serial, "{spec:?}, {config:?}");
            }
        }
    }

    #[test]
    fn cache_reuses_the_kernel_for_the_same_spec() {
        let spec = KernelSpec::Matmul { n: 33, bands: 3 };
        // Tests run in parallel and share the one-entry cache, so retry a few times.
        assert!((0..100).any(|_| Arc::ptr_eq(&spec.kernel(), &spec.kernel())));
        assert_eq!(spec.with_kernel(|k| k.chunks()), 3);
    }

    #[test]
    fn names_round_trip() {
        for w in Workload::ALL {
            assert_eq!(Workload::parse(w.name()), Some(w));
            assert_eq!(format!("{w:?}").to_lowercase(), w.name()); // = the serde tag
            for size in Size::ALL {
                assert_eq!(KernelSpec::new(w, size).workload(), w);
            }
        }
        let small = KernelSpec::new(Workload::Primes, Size::Small);
        assert_eq!(small, KernelSpec::primes(Size::Small));
    }

    /// Calibration of [`KernelSpec::new`]: `cargo test --release -p parlab-kernels timing --
    /// --ignored --nocapture` prints times at 1 thread and on all cores (kernel built first).
    #[test]
    #[ignore]
    fn timing() {
        let all = std::thread::available_parallelism().map_or(1, |n| n.get());
        let pool = rayon::ThreadPoolBuilder::new().num_threads(all).build().unwrap();
        for w in Workload::ALL {
            for size in Size::ALL {
                let kernel = KernelSpec::new(w, size).build();
                let ms = |threads| {
                    let config = RunConfig { threads, schedule: Dynamic, serial_iters: 0 };
                    let run = || run_on_pool(&*kernel, config, &clock(), &RunControl::default());
                    pool.install(run).unwrap().wall_ms
                };
                let (one, many) = (ms(1), ms(all));
                println!(
                    "{:>10} {:>6}: {one:7.1} ms, {many:7.1} ms on {all}",
                    w.name(),
                    size.name()
                );
            }
        }
    }
}
