//! Where the lessons' five kernels sit on the roofline: their arithmetic intensity, estimated.
//!
//! Arithmetic intensity = operations ÷ bytes moved between the cores and memory. These are
//! **estimates counted from the code**, not measurements (counting real memory traffic needs
//! hardware counters a browser does not expose). Each one says what was counted:
//!
//! - *operations* are the kernel's own basic operation, which is not always a floating-point
//!   one: f64 operations (Mandelbrot), f32 (matmul), 64-bit integer operations (π, reduce),
//!   64-bit integer remainders (primes). The compute roof is measured in f64 operations, so
//!   integer kernels sit on it only roughly: an integer division costs far more than an add.
//! - *bytes* are the traffic from beyond the private caches (L2), i.e. data that must stream
//!   from the shared L3 or DRAM. Three of the kernels keep everything in registers: they move
//!   no data at all, their intensity is unbounded (`None`), and they sit to the right of any
//!   ridge: compute-bound, which is why they scale with cores.
//!
//! The operation counts of Mandelbrot and primes depend on the data, so [`kernel_intensity`]
//! takes the run's answer (the total iteration count; the number of primes found).

use serde::{Deserialize, Serialize};

use crate::{KernelSpec, Workload};

/// A kernel's estimated work and traffic for one job.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KernelIntensity {
    /// Which kernel.
    pub workload: Workload,
    /// What one operation is, e.g. "f64 add/mul".
    pub op: String,
    /// Estimated operations in the whole job.
    pub ops: f64,
    /// Estimated bytes from beyond the private caches in the whole job (0 for register-only).
    pub bytes: f64,
    /// `ops / bytes`, operations per byte; `None` if the kernel moves no data.
    pub intensity: Option<f64>,
    /// How the estimate was counted.
    pub basis: String,
}

impl KernelIntensity {
    /// Operations per second achieved in a run of `wall_ms`, in 10⁹ per second.
    pub fn gops(&self, wall_ms: f64) -> f64 {
        if wall_ms > 0.0 { self.ops / wall_ms / 1e6 } else { 0.0 }
    }
}

/// The estimate for `spec`, given its answer `value` (see the module docs).
pub fn kernel_intensity(spec: &KernelSpec, value: u64) -> KernelIntensity {
    let workload = spec.workload();
    let (op, ops, bytes, basis) = match *spec {
        KernelSpec::Primes { limit, .. } => {
            // A prime p costs ≈ √p / 3 loop turns of two remainders each (d = 5, 11, 17, …
            // up to √p); Σ √p over the primes below X ≈ (2/3)·√X·π(X) (from ∫ √x / ln x).
            // Composites mostly stop at 2 or 3 and are left out: a lower bound.
            let ops = (2.0 / 9.0) * (limit as f64).sqrt() * value as f64;
            (
                "u64 remainder",
                ops,
                0.0,
                "≈ (2/9)·√limit remainders per prime found (primes only: composites mostly \
                 stop at 2 or 3); the numbers are generated in registers, no data is read",
            )
        }
        KernelSpec::Mandelbrot { .. } => (
            "f64 add/mul",
            8.0 * value as f64,
            0.0,
            "8 per iteration (x², y², 2·x·y: 4 multiplies; x²+y², +im, x²−y², +re: 4 adds; \
             the escape compare not counted) × the total iteration count; pixels are summed \
             in registers, no image is stored",
        ),
        KernelSpec::Pi { samples, .. } => (
            "u64 integer op",
            16.0 * samples as f64,
            0.0,
            "≈ 16 per sample (xoshiro256++: 10 shifts, rotates, adds and xors; the test: 2 \
             shifts/masks, 2 multiplies, 1 add, 1 compare); the generator state lives in \
             registers",
        ),
        KernelSpec::Matmul { n, bands } => {
            let (n, bands) = (n as f64, bands.max(1) as f64);
            (
                "f32 add/mul",
                2.0 * n * n * n,
                (bands + 2.0) * 4.0 * n * n,
                "2n³ (a multiply and an add per term); bytes: every band of rows re-reads all \
                 of B (4n² bytes, tiles of 128 KiB reused from L2), plus A and C once: \
                 (bands + 2)·4n². When B fits in L3 (7.8 MB at n = 1400) DRAM sees less, so \
                 this is a lower bound for the intensity against DRAM",
            )
        }
        KernelSpec::Reduce { len, passes, .. } => {
            let elements = (len * passes) as f64;
            (
                "u64 integer add",
                elements,
                4.0 * elements,
                "one add per u32 element, 4 bytes each, every pass streamed again (the 64 MiB \
                 array is larger than the caches): 0.25 operations per byte",
            )
        }
    };
    KernelIntensity {
        workload,
        op: op.into(),
        ops,
        bytes,
        intensity: (bytes > 0.0).then(|| ops / bytes),
        basis: basis.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Size;

    #[test]
    fn memory_bound_and_register_only_kernels() {
        let reduce = kernel_intensity(&KernelSpec::new(Workload::Reduce, Size::Medium), 0);
        assert_eq!(reduce.intensity, Some(0.25));
        assert_eq!(reduce.ops, (80 << 24) as f64);
        let matmul = kernel_intensity(&KernelSpec::Matmul { n: 1_320, bands: 64 }, 0);
        assert_eq!(matmul.intensity, Some(10.0), "n / (2·(bands + 2))");
        for w in [Workload::Primes, Workload::Mandelbrot, Workload::Pi] {
            let k = kernel_intensity(&KernelSpec::new(w, Size::Small), 1_000);
            assert_eq!((k.intensity, k.bytes), (None, 0.0), "{w:?}");
            assert!(k.ops > 0.0 && !k.basis.is_empty());
        }
    }

    #[test]
    fn data_dependent_counts_follow_the_answer() {
        let spec = KernelSpec::Mandelbrot { width: 10, height: 10, max_iter: 50, bands: 2 };
        assert_eq!(kernel_intensity(&spec, 1_000).ops, 8_000.0);
        let primes = KernelSpec::Primes { limit: 1_000_000, chunks: 4 };
        // 78 498 primes below 10⁶, ≈ (2/9)·1000 remainders each.
        let k = kernel_intensity(&primes, 78_498);
        assert!((k.ops - 78_498.0 * 1000.0 * 2.0 / 9.0).abs() < 1.0);
        assert_eq!(k.gops(1_000.0), k.ops / 1e9);
    }
}
