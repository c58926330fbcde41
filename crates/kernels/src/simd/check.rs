//! Answer checks, pure functions shared by the tests, the sweep and the view.
//!
//! - **Exact kernels** (saxpy, Mandelbrot): every lane does the same IEEE operations in the
//!   same order as the scalar code, so the outputs must be identical bit for bit (saxpy) and
//!   count for count (Mandelbrot). A run's output is summarised by a [`digest`] of its words
//!   and compared with the scalar run's ([`check_exact`]).
//! - **Reductions** (sum, dot product): the SIMD paths reassociate (lane-wise partial sums),
//!   so they are compared with the *exact* answer (computed in integers: the generated inputs
//!   are multiples of 2⁻²⁴) within the classical bound for recursive summation: a term that
//!   goes through a chain of k roundings carries a relative error of at most γₖ = k·u / (1 −
//!   k·u), u = 2⁻²⁴ for f32, so |computed − exact| ≤ γₖ·Σ|termᵢ| ([`reduction_bound`]).
//!   That bound is rigorous (it never fails a correct run) and lane-aware: k is about
//!   `chunk_len / lanes`, so the SIMD order is allowed, and typically makes, a *smaller*
//!   error than the scalar one. Typical errors are far below the bound (random roundings
//!   cancel, ≈ √k·u); the tests pin the SIMD answers down exactly with
//!   [`super::scalar::sum_lanes`] instead.

use serde::{Deserialize, Serialize};

use super::{Kernel, Variant};

/// Unit roundoff of f32 with round-to-nearest: 2⁻²⁴ (half the gap between 1 and the next f32).
pub const F32_UNIT_ROUNDOFF: f64 = 1.0 / 16_777_216.0;

/// Unit roundoff of f64: 2⁻⁵³ (the chunk partial sums are added in f64).
pub const F64_UNIT_ROUNDOFF: f64 = 1.0 / 9_007_199_254_740_992.0;

/// γₖ = k·u / (1 − k·u): the relative error bound after a chain of `k` roundings with unit
/// roundoff `u` (infinite once k·u ≥ 1, when the bound says nothing).
pub fn gamma(k: usize, u: f64) -> f64 {
    let ku = k as f64 * u;
    if ku < 1.0 { ku / (1.0 - ku) } else { f64::INFINITY }
}

/// The longest chain of f32 roundings any one term of a chunk of `chunk_len` elements goes
/// through on `lanes` lanes: `chunk_len` additions in one accumulator (scalar), or
/// `chunk_len / lanes` in its lane + up to `lanes` when the lanes are added up + the tail
/// (SIMD); a dot product's term is also rounded once as a product.
pub fn rounding_chain(kernel: Kernel, chunk_len: usize, lanes: usize) -> usize {
    let adds = if lanes <= 1 { chunk_len } else { chunk_len / lanes + lanes + chunk_len % lanes };
    adds + usize::from(kernel == Kernel::Dot)
}

/// The largest error allowed for a sum or dot product computed in chunks of at most
/// `chunk_len` elements on `lanes` lanes, the `chunks` partial results added in f64, when
/// Σ|termᵢ| = `abs_sum`.
pub fn reduction_bound(
    kernel: Kernel,
    chunk_len: usize,
    chunks: usize,
    lanes: usize,
    abs_sum: f64,
) -> f64 {
    let f32_part = gamma(rounding_chain(kernel, chunk_len, lanes), F32_UNIT_ROUNDOFF);
    let f64_part = 2.0 * gamma(chunks, F64_UNIT_ROUNDOFF);
    (f32_part + f64_part) * abs_sum
}

/// One variant's answer against the reference.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Check {
    /// The variant checked.
    pub variant: Variant,
    /// Its lanes.
    pub lanes: usize,
    /// Its answer.
    pub value: f64,
    /// The reference: the exact answer (sum, dot) or the scalar run's (saxpy, Mandelbrot).
    pub reference: f64,
    /// |value − reference|.
    pub abs_error: f64,
    /// `abs_error / Σ|termᵢ|` (reductions; 0 for exact kernels).
    pub rel_error: f64,
    /// The largest `abs_error` allowed ([`reduction_bound`]; 0 for exact kernels).
    pub bound: f64,
    /// Whether the check is bit for bit (saxpy, Mandelbrot) rather than within `bound`.
    pub exact: bool,
    /// Whether the answer passed.
    pub ok: bool,
    /// Mandelbrot with SIMD: the share of lane-iterations that did a pixel's work
    /// ([`lane_utilisation`]).
    #[serde(default)]
    pub lane_use: Option<f64>,
}

/// Checks a sum or dot product `value` against the `exact` answer, Σ|termᵢ| = `abs_sum`,
/// computed by `variant` in `chunks` chunks of at most `chunk_len` elements.
pub fn check_reduction(
    kernel: Kernel,
    variant: Variant,
    value: f64,
    exact: f64,
    abs_sum: f64,
    chunk_len: usize,
    chunks: usize,
) -> Check {
    let abs_error = (value - exact).abs();
    let bound = reduction_bound(kernel, chunk_len, chunks, variant.lanes(), abs_sum);
    Check {
        variant,
        lanes: variant.lanes(),
        value,
        reference: exact,
        abs_error,
        rel_error: if abs_sum > 0.0 { abs_error / abs_sum } else { abs_error },
        bound,
        exact: false,
        ok: abs_error <= bound,
        lane_use: None,
    }
}

/// Checks an exact kernel: `digest` must equal the scalar run's `reference_digest` (and the
/// values, computed from the same words, then agree too).
pub fn check_exact(
    variant: Variant,
    value: f64,
    digest: u64,
    reference_value: f64,
    reference_digest: u64,
) -> Check {
    Check {
        variant,
        lanes: variant.lanes(),
        value,
        reference: reference_value,
        abs_error: (value - reference_value).abs(),
        rel_error: 0.0,
        bound: 0.0,
        exact: true,
        ok: digest == reference_digest && value == reference_value,
        lane_use: None,
    }
}

/// A 64-bit FNV-1a digest of a sequence of 32-bit words (f32 bits or iteration counts), in
/// order: equal outputs give equal digests; any difference almost surely changes it.
pub fn digest(words: impl IntoIterator<Item = u32>) -> u64 {
    words
        .into_iter()
        .fold(0xcbf2_9ce4_8422_2325, |h, w| (h ^ u64::from(w)).wrapping_mul(0x0000_0100_0000_01b3))
}

/// Index of the first element whose bits differ (also when the lengths differ: the shorter
/// length), or `None` when `a` and `b` are identical.
pub fn first_bit_difference(a: &[f32], b: &[f32]) -> Option<usize> {
    let n = a.len().min(b.len());
    (0..n).find(|&i| a[i].to_bits() != b[i].to_bits()).or((a.len() != b.len()).then_some(n))
}

/// Pixels whose iteration counts differ between two images, and the largest difference.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PixelDiff {
    /// Pixels that differ.
    pub pixels: usize,
    /// Largest |a − b| over all pixels.
    pub max_iterations: u32,
}

/// Compares two Mandelbrot images pixel by pixel (over the common length).
pub fn pixel_differences(a: &[u32], b: &[u32]) -> PixelDiff {
    a.iter().zip(b).filter(|(p, q)| p != q).fold(PixelDiff::default(), |d, (&p, &q)| PixelDiff {
        pixels: d.pixels + 1,
        max_iterations: d.max_iterations.max(p.abs_diff(q)),
    })
}

/// SIMD Mandelbrot's lane utilisation: the vector loop for `lanes` neighbouring pixels runs
/// until the *slowest* of them escapes, so the lanes of pixels that escaped earlier idle.
/// Returns Σ counts / (lanes × Σ per-vector maximum) over the full vectors of each row of a
/// `width`-wide image (the scalar tail is left out); `None` for one lane or no full vector.
pub fn lane_utilisation(counts: &[u32], width: usize, lanes: usize) -> Option<f64> {
    if lanes <= 1 || width < lanes {
        return None;
    }
    let (mut useful, mut issued) = (0u64, 0u64);
    for row in counts.chunks_exact(width) {
        for group in row.chunks_exact(lanes) {
            useful += group.iter().map(|&c| u64::from(c)).sum::<u64>();
            issued += lanes as u64 * u64::from(group.iter().copied().max().unwrap_or(0));
        }
    }
    (issued > 0).then(|| useful as f64 / issued as f64)
}
