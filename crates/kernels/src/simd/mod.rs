//! Data parallelism: the same kernels written scalar and SIMD, and SIMD × threads (issue 14).
//!
//! # Lanes
//! A SIMD instruction works on a whole register of *lanes* at once: one `addps` (SSE2) or
//! `f32x4.add` (WebAssembly `simd128`) adds 4 pairs of f32 held in 128-bit registers; one
//! `vaddps` on a 256-bit AVX2 register adds 8. Same instruction, several data: Flynn's SIMD
//! class ([`flynn`]). A slice is processed `lanes` elements per instruction; the `len mod
//! lanes` elements left over (the *tail*) are finished by scalar code. Four kernels, each
//! written both ways: f32 sum, f32 dot product, saxpy (`a·x + y`) and Mandelbrot (4 or 8
//! pixels per vector).
//!
//! # Reassociation
//! A SIMD sum keeps `lanes` partial sums, lane `j` adding elements `j, j + lanes, …`, and adds
//! them up at the end. Float addition is not associative, so that answer differs from the
//! one-accumulator scalar loop in the last bits. Neither is "the" right one: both lie within
//! the rounding-error bound of recursive summation, γₖ·Σ|xᵢ| with γₖ ≈ k·2⁻²⁴ for a chain of k
//! f32 additions ([`check`]); the lane order has the shorter chain (k ≈ n / lanes), so its
//! bound is tighter. The tests show that reassociation is the *only* difference: each SIMD
//! path equals, bit for bit, its order of operations written in scalar code
//! ([`scalar::sum_lanes`], [`scalar::dot_lanes`]). Element-wise saxpy and Mandelbrot do the
//! same IEEE operations in the same order in every lane, so they agree *exactly* (every
//! element, every pixel's iteration count). Fused multiply-add (`a·b + c` rounded once) would
//! break that, so the AVX2 path uses FMA only in the dot product, where a tolerance applies
//! anyway; `simd128` has no FMA.
//!
//! # What the compiler's auto-vectoriser does
//! LLVM vectorises loops by itself at `opt-level` ≥ 2: an element-wise loop such as a plain
//! saxpy compiles to `mulps`/`addps` (or `f32x4.mul`/`f32x4.add`) with no help, and integer
//! sums too (integer addition is associative). It must *not* vectorise a float sum: splitting
//! it into lanes changes the answer, and Rust has no fast-math flag that would allow it. Nor
//! does it vectorise a loop with a data-dependent exit such as Mandelbrot's escape loop.
//! That is why the SIMD paths here are written by hand with `core::arch` intrinsics: the
//! reassociation and the lane masks are decisions the programmer makes, not the compiler.
//!
//! # Why the scalar path must stay scalar
//! The experiment compares one element per instruction with `lanes` per instruction. If the
//! compiler quietly vectorised the "scalar" loop, the comparison would be SIMD against SIMD
//! and show no speedup. So [`scalar`] keeps it scalar honestly, without slowing it down:
//! the sum has one accumulator in index order (a strict dependency the vectoriser may not
//! reassociate); the dot product too, and it reads its inputs with volatile loads, because
//! its *products* are independent and LLVM's SLP vectoriser did pack two of them into one
//! `mulps` (the additions stayed in order); saxpy reads and writes each element with a
//! volatile access — one scalar load or store per element, exactly a scalar loop's memory
//! traffic, which the compiler may neither merge nor widen at any optimisation level;
//! Mandelbrot's per-pixel loop has an early exit and is `#[inline(never)]`, so there is no
//! loop across pixels to vectorise.
//!
//! Checked in the generated code (release profile, nightly-2026-05-20): x86-64 with
//! `cargo rustc --release -p parlab-kernels --lib -- --emit asm` and `objdump -d` of the
//! optimised test binary; wasm32 with the same `cargo rustc` plus `--target
//! wasm32-unknown-unknown` inside `scripts/wasm-env.sh`. The scalar functions contain only
//! `movss`/`addss`/`mulss`/`subss`/`ucomiss` (wasm: `f32.load`/`f32.add`/`f32.mul`/
//! `f32.sub`/`f32.gt`) and no packed instruction (`…ps`, `f32x4.*`, `v128.*`). The SSE2
//! paths use `addps`/`mulps`/`cmpleps`/`movmskps`/`psubd`, the AVX2 ones `vaddps`/
//! `vfmadd231ps`/`vcmpleps`/`vpsubd` on `ymm` registers, the `simd128` ones `f32x4.add`/
//! `f32x4.mul`/`f32x4.le`/`v128.any_true`/`i32x4.sub`. For comparison, the same loops
//! written plainly: `a·x + y` compiles to `mulps`/`addps` (wasm: `f32x4.mul`/`f32x4.add`),
//! an f32 sum to one `addss` chain, a u32 sum to `paddd` (wasm: `i32x4.add`).
//!
//! # SIMD × threads
//! [`Spec`] describes a job (kernel + size), [`Prepared`] holds its inputs and outputs, and
//! [`Prepared::run`] runs it on exactly `k` rayon tasks that pull chunk indices from one
//! atomic counter, as [`crate::schedule`] does, timed with the caller's clock (never
//! `std::time::Instant`, which panics in wasm32-unknown-unknown). [`execute`] measures a
//! [`Job`] (warm-up, interleaved repetitions, median) into a [`Report`]: rows per variant ×
//! threads, the answer [`check`]s, and [`combined`]: the product of the SIMD speedup and the
//! thread speedup against the measured combined speedup.
//!
//! # Availability
//! x86-64: [`Variant::Sse2`] always (SSE2 is part of the x86-64 baseline), [`Variant::Avx2`]
//! when the CPU has AVX2 and FMA (detected at run time; those functions are compiled with
//! `#[target_feature(enable = "avx2,fma")]`). wasm32: [`Variant::Simd128`] when the build has
//! `simd128` (parlab's does); there is no run-time detection inside wasm, see `wasm.rs`.

pub mod check;
pub mod flynn;
pub mod scalar;
mod spec;
mod sweep;
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod wasm;
mod workload;
#[cfg(target_arch = "x86_64")]
mod x86;

pub use spec::{ARRAY_LEN, Kernel, Spec};
pub use sweep::{Combined, Job, Measured, Report, Row, Step, combined, execute, summarize};
pub use workload::{Answer, Prepared, SAXPY_A, Timed};

use serde::{Deserialize, Serialize};

/// How a kernel is computed: one element per instruction, or a SIMD instruction set.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Variant {
    /// One element per instruction (kept scalar on purpose, see the module docs).
    Scalar,
    /// WebAssembly 128-bit SIMD: 4 × f32 (wasm32 builds with `simd128` only).
    Simd128,
    /// x86-64 SSE2: 4 × f32 in 128-bit registers (every x86-64 CPU).
    Sse2,
    /// x86-64 AVX2 (+ FMA in the dot product): 8 × f32 in 256-bit registers, where detected.
    Avx2,
}

impl Variant {
    /// Every variant, scalar first.
    pub const ALL: [Variant; 4] = [Variant::Scalar, Variant::Simd128, Variant::Sse2, Variant::Avx2];

    /// Short name, as in URLs and JSON.
    pub fn name(self) -> &'static str {
        match self {
            Variant::Scalar => "scalar",
            Variant::Simd128 => "simd128",
            Variant::Sse2 => "sse2",
            Variant::Avx2 => "avx2",
        }
    }

    /// The variant whose [`Variant::name`] is `s`.
    pub fn parse(s: &str) -> Option<Variant> {
        Variant::ALL.into_iter().find(|v| v.name() == s)
    }

    /// Human title.
    pub fn label(self) -> &'static str {
        match self {
            Variant::Scalar => "Scalar (1 lane)",
            Variant::Simd128 => "WebAssembly SIMD (simd128, 4 lanes)",
            Variant::Sse2 => "SSE2 (4 lanes)",
            Variant::Avx2 => "AVX2 + FMA (8 lanes)",
        }
    }

    /// f32 values one instruction processes.
    pub fn lanes(self) -> usize {
        match self {
            Variant::Scalar => 1,
            Variant::Simd128 | Variant::Sse2 => 4,
            Variant::Avx2 => 8,
        }
    }

    /// Whether the dot product uses fused multiply-add (one rounding per term instead of two).
    pub fn fused_dot(self) -> bool {
        self == Variant::Avx2
    }

    /// Whether this build, on this CPU, can run the variant.
    pub fn is_available(self) -> bool {
        match self {
            Variant::Scalar => true,
            Variant::Simd128 => cfg!(all(target_arch = "wasm32", target_feature = "simd128")),
            #[cfg(target_arch = "x86_64")]
            Variant::Sse2 => true,
            #[cfg(target_arch = "x86_64")]
            Variant::Avx2 => x86::avx2_available(),
            #[cfg(not(target_arch = "x86_64"))]
            Variant::Sse2 | Variant::Avx2 => false,
        }
    }

    /// The variants this build can run here, scalar first (wasm: scalar, simd128; x86-64:
    /// scalar, sse2 and, with AVX2 + FMA, avx2).
    pub fn available() -> Vec<Variant> {
        Variant::ALL.into_iter().filter(|v| v.is_available()).collect()
    }
}

/// Why a SIMD job did not produce a report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SimdError {
    /// [`crate::schedule::RunControl::cancel`] was set before every chunk finished.
    Cancelled,
    /// The variant cannot run in this build or on this CPU.
    Unavailable(Variant),
    /// An answer failed its check (a wrong answer is an error, never a number).
    WrongAnswer(String),
}

impl std::fmt::Display for SimdError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SimdError::Cancelled => write!(f, "the run was cancelled"),
            SimdError::Unavailable(v) => write!(f, "{} is not available here", v.label()),
            SimdError::WrongAnswer(m) => write!(f, "wrong answer: {m}"),
        }
    }
}

impl std::error::Error for SimdError {}

fn unavailable(v: Variant) -> ! {
    panic!("the {} variant is not available in this build or on this CPU", v.name())
}

/// Σ `x` with `variant` (scalar: in index order; SIMD: lane-wise partial sums, see
/// [`scalar::sum_lanes`]).
///
/// # Panics
/// If the variant is not [available](Variant::is_available).
pub fn sum(variant: Variant, x: &[f32]) -> f32 {
    match variant {
        Variant::Scalar => scalar::sum(x),
        #[cfg(target_arch = "x86_64")]
        Variant::Sse2 => x86::sum_sse2(x),
        #[cfg(target_arch = "x86_64")]
        Variant::Avx2 => x86::sum_avx2(x),
        #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
        Variant::Simd128 => wasm::sum_simd128(x),
        other => unavailable(other),
    }
}

/// Σ `x[i]·y[i]` with `variant` (see [`scalar::dot_lanes`] for the SIMD order).
///
/// # Panics
/// If the lengths differ or the variant is not available.
pub fn dot(variant: Variant, x: &[f32], y: &[f32]) -> f32 {
    assert_eq!(x.len(), y.len(), "dot: lengths differ");
    match variant {
        Variant::Scalar => scalar::dot(x, y),
        #[cfg(target_arch = "x86_64")]
        Variant::Sse2 => x86::dot_sse2(x, y),
        #[cfg(target_arch = "x86_64")]
        Variant::Avx2 => x86::dot_avx2(x, y),
        #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
        Variant::Simd128 => wasm::dot_simd128(x, y),
        other => unavailable(other),
    }
}

/// `out[i] = a·x[i] + y[i]` with `variant`; every variant gives the same bits.
///
/// # Panics
/// If the lengths differ or the variant is not available.
pub fn saxpy(variant: Variant, a: f32, x: &[f32], y: &[f32], out: &mut [f32]) {
    assert!(x.len() == out.len() && y.len() == out.len(), "saxpy: lengths differ");
    match variant {
        Variant::Scalar => scalar::saxpy(a, x, y, out),
        #[cfg(target_arch = "x86_64")]
        Variant::Sse2 => x86::saxpy_sse2(a, x, y, out),
        #[cfg(target_arch = "x86_64")]
        Variant::Avx2 => x86::saxpy_avx2(a, x, y, out),
        #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
        Variant::Simd128 => wasm::saxpy_simd128(a, x, y, out),
        other => unavailable(other),
    }
}

/// Escape times (f32, at most `max_iter`) of the pixels c = `re[i]` + `im`·i into `out`;
/// every variant gives the same counts.
///
/// # Panics
/// If the lengths differ or the variant is not available.
pub fn mandelbrot_row(variant: Variant, re: &[f32], im: f32, max_iter: u32, out: &mut [u32]) {
    assert_eq!(re.len(), out.len(), "mandelbrot_row: lengths differ");
    match variant {
        Variant::Scalar => scalar::mandelbrot_row(re, im, max_iter, out),
        #[cfg(target_arch = "x86_64")]
        Variant::Sse2 => x86::mandelbrot_row_sse2(re, im, max_iter, out),
        #[cfg(target_arch = "x86_64")]
        Variant::Avx2 => x86::mandelbrot_row_avx2(re, im, max_iter, out),
        #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
        Variant::Simd128 => wasm::mandelbrot_row_simd128(re, im, max_iter, out),
        other => unavailable(other),
    }
}
