//! Every SIMD path against the scalar one ([`paths`]), and the sweep, the checks and the
//! tables ([`sweep`]). Native only; `tests/wasm_simd.rs` runs the simd128 paths in Chromium.

mod paths;
mod sweep;

use super::Variant;
use crate::pi::SplitMix64;

/// Random f32 in [−scale, scale) (NaN-free), from a seed.
pub fn random(len: usize, seed: u64, scale: f32) -> Vec<f32> {
    let mut g = SplitMix64(seed);
    (0..len).map(|_| ((g.next_u64() >> 40) as f32 / 8_388_608.0 - 1.0) * scale).collect()
}

/// Lengths around every lane count: empty, shorter than a vector, not multiples, longer.
pub fn lengths() -> impl Iterator<Item = usize> {
    (0..=40).chain([63, 64, 65, 127, 1000, 1023, 4099])
}

pub fn simd_variants() -> Vec<Variant> {
    Variant::available().into_iter().filter(|&v| v != Variant::Scalar).collect()
}
