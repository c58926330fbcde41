//! What a SIMD job is: the kernel and its parameters.

use serde::{Deserialize, Serialize};

use super::Prepared;
use crate::Size;

/// The kernels, each written scalar and SIMD.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Kernel {
    /// Σ xᵢ: one add per element, a reduction (reassociated by SIMD).
    #[default]
    Sum,
    /// Σ xᵢ·yᵢ: a multiply and an add per element, a reduction.
    Dot,
    /// zᵢ = a·xᵢ + yᵢ: element-wise, two loads and a store per element.
    Saxpy,
    /// Escape-time iterations, 4 or 8 pixels per vector with lane masks.
    Mandelbrot,
}

impl Kernel {
    /// Every kernel, in menu order.
    pub const ALL: [Kernel; 4] = [Kernel::Sum, Kernel::Dot, Kernel::Saxpy, Kernel::Mandelbrot];

    /// Short name, as in URLs and JSON.
    pub fn name(self) -> &'static str {
        match self {
            Kernel::Sum => "sum",
            Kernel::Dot => "dot",
            Kernel::Saxpy => "saxpy",
            Kernel::Mandelbrot => "mandelbrot",
        }
    }

    /// The kernel whose [`Kernel::name`] is `s`.
    pub fn parse(s: &str) -> Option<Kernel> {
        Kernel::ALL.into_iter().find(|k| k.name() == s)
    }

    /// Human title.
    pub fn label(self) -> &'static str {
        match self {
            Kernel::Sum => "f32 sum",
            Kernel::Dot => "f32 dot product",
            Kernel::Saxpy => "saxpy (z = a·x + y)",
            Kernel::Mandelbrot => "Mandelbrot (f32)",
        }
    }

    /// What the throughput counts: array elements, or Mandelbrot iterations.
    pub fn unit(self) -> &'static str {
        if self == Kernel::Mandelbrot { "iterations" } else { "elements" }
    }

    /// Whether every variant must give the scalar answer bit for bit (otherwise: within a
    /// rounding-error bound, see [`super::check`]).
    pub fn is_exact(self) -> bool {
        matches!(self, Kernel::Saxpy | Kernel::Mandelbrot)
    }
}

/// A job's kernel with its parameters (serialisable, as [`crate::KernelSpec`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kernel", rename_all = "lowercase")]
pub enum Spec {
    /// Σ x over `len` f32, `passes` times, in `bands` slices per pass.
    Sum {
        /// Array length (f32).
        len: usize,
        /// Times the array is summed.
        passes: usize,
        /// Slices per pass (chunks = passes × bands).
        bands: usize,
    },
    /// Σ x·y over two arrays of `len` f32, as [`Spec::Sum`].
    Dot {
        /// Array length (f32).
        len: usize,
        /// Times the arrays are swept.
        passes: usize,
        /// Slices per pass.
        bands: usize,
    },
    /// z = a·x + y over arrays of `len` f32, as [`Spec::Sum`].
    Saxpy {
        /// Array length (f32).
        len: usize,
        /// Times z is computed.
        passes: usize,
        /// Slices per pass.
        bands: usize,
    },
    /// Escape times of a `width × height` f32 image of the window of [`crate::mandelbrot`].
    Mandelbrot {
        /// Pixels per row.
        width: usize,
        /// Rows.
        height: usize,
        /// Iteration cap per pixel.
        max_iter: u32,
        /// Bands of rows, one chunk each.
        bands: usize,
    },
}

/// Length of the sum, dot and saxpy arrays: 1 MiB of f32 each.
pub const ARRAY_LEN: usize = 1 << 18;

impl Spec {
    /// The default job: about 0.1 / 0.35 / 1.1 s for the scalar variant on 1 thread (native,
    /// one server core; `simd::tests::sweep::timing` prints them). Sum and dot run at one
    /// scalar addition per add latency (≈ 1 ns per element), saxpy at ≈ 0.6 ns per element;
    /// Mandelbrot keeps the Amdahl lesson's window and iteration cap, slightly smaller.
    pub fn new(kernel: Kernel, size: Size) -> Spec {
        let (len, bands) = (ARRAY_LEN, 8);
        let reduce_passes = size.pick(360, 1_250, 3_900);
        match kernel {
            Kernel::Sum => Spec::Sum { len, passes: reduce_passes, bands },
            Kernel::Dot => Spec::Dot { len, passes: reduce_passes, bands },
            Kernel::Saxpy => Spec::Saxpy { len, passes: size.pick(620, 2_200, 6_900), bands },
            Kernel::Mandelbrot => {
                let width = size.pick(340, 620, 1_100);
                // Square pixels: the window is 2.6 wide and 2.4 high.
                Spec::Mandelbrot { width, height: width * 12 / 13, max_iter: 1_000, bands: 64 }
            }
        }
    }

    /// The kernel, without its parameters.
    pub fn kernel(&self) -> Kernel {
        match self {
            Spec::Sum { .. } => Kernel::Sum,
            Spec::Dot { .. } => Kernel::Dot,
            Spec::Saxpy { .. } => Kernel::Saxpy,
            Spec::Mandelbrot { .. } => Kernel::Mandelbrot,
        }
    }

    /// Chunks of one run (cheap: nothing is built).
    pub fn chunks(&self) -> usize {
        match *self {
            Spec::Sum { passes, bands, .. }
            | Spec::Dot { passes, bands, .. }
            | Spec::Saxpy { passes, bands, .. } => passes * bands.max(1),
            Spec::Mandelbrot { bands, .. } => bands.max(1),
        }
    }

    /// Generates the inputs and allocates the outputs (O(size), done once per job).
    pub fn prepare(&self) -> Prepared {
        Prepared::new(*self)
    }
}
