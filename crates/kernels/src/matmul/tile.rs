//! The register-blocked inner kernel of [`super::Matmul`]: one tile of C, [`MR`] rows ×
//! [`NR`] columns, is summed in registers over a run of k and written once.
//!
//! Why: the plain loop `c[j] += a · b[j]` loads and stores C for every multiply-add, so it is
//! bound by loads and stores, not arithmetic, and how well an engine handles those (addressing,
//! bounds, unrolling) decides its speed: wasm ran it at 0.7–0.8× native (issue #16). Keeping a
//! 4 × 8 tile in eight 4-lane registers needs only 2 vector loads of B and 4 scalars of A per
//! 32 multiply-adds, the same shape as the micro-kernels of BLIS (Van Zee & van de Geijn 2015,
//! "BLIS: A Framework for Rapidly Instantiating BLAS Functionality"). It is written with
//! explicit 4-lane vectors: SSE2 natively (part of every x86-64), `simd128` in wasm, so both
//! sides run the same instructions; other targets get plain arrays.

use lanes::{load, mul_add, splat, store};

/// Rows of C per tile.
pub const MR: usize = 4;
/// Columns of C per tile: two 4-lane vectors.
pub const NR: usize = 8;

/// Σₖ `a[k][r]` · `b[k][t]` for the `ROWS` × [`NR`] tile (`ROWS` ≤ [`MR`]): `a` holds, for each
/// k, the `ROWS` entries of A's column k (one per row of the tile); `b` holds, for each k, the
/// [`NR`] entries of B's row k. Extra groups in the longer of the two are ignored.
#[inline(always)]
pub fn tile<const ROWS: usize>(a: &[f32], b: &[f32]) -> [[f32; NR]; ROWS] {
    let mut acc = [[splat(0.0); 2]; ROWS];
    for (ak, bk) in a.as_chunks::<ROWS>().0.iter().zip(b.as_chunks::<NR>().0) {
        let (b0, b1) = (load(&bk[..4]), load(&bk[4..]));
        for (row, &x) in acc.iter_mut().zip(ak) {
            let x = splat(x);
            row[0] = mul_add(row[0], x, b0);
            row[1] = mul_add(row[1], x, b1);
        }
    }
    let mut out = [[0.0; NR]; ROWS];
    for (o, row) in out.iter_mut().zip(acc) {
        store(row[0], &mut o[..4]);
        store(row[1], &mut o[4..]);
    }
    out
}

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod lanes {
    //! `simd128`: each call is one wasm instruction (`f32x4.splat`, `v128.load`, `f32x4.mul`,
    //! `f32x4.add`, `v128.store`); relaxed-simd's fused multiply-add is not used, so the
    //! rounding is the same as natively.
    use core::arch::wasm32::*;

    pub type F32x4 = v128;

    #[inline(always)]
    pub fn splat(x: f32) -> F32x4 {
        f32x4_splat(x)
    }

    /// The first 4 values of `s` (which must hold 4).
    #[inline(always)]
    pub fn load(s: &[f32]) -> F32x4 {
        assert!(s.len() >= 4);
        // SAFETY: `s` holds at least 16 bytes; `v128_load` has no alignment requirement.
        unsafe { v128_load(s.as_ptr().cast()) }
    }

    #[inline(always)]
    pub fn mul_add(acc: F32x4, x: F32x4, y: F32x4) -> F32x4 {
        f32x4_add(acc, f32x4_mul(x, y))
    }

    /// Writes the 4 lanes of `v` to the first 4 values of `s` (which must hold 4).
    #[inline(always)]
    pub fn store(v: F32x4, s: &mut [f32]) {
        assert!(s.len() >= 4);
        // SAFETY: `s` holds at least 16 writable bytes; no alignment requirement.
        unsafe { v128_store(s.as_mut_ptr().cast(), v) }
    }
}

#[cfg(target_arch = "x86_64")]
mod lanes {
    //! SSE2 (part of every x86-64): `mulps` then `addps`, no FMA, matching `simd128`.
    use core::arch::x86_64::*;

    pub type F32x4 = __m128;

    #[inline(always)]
    pub fn splat(x: f32) -> F32x4 {
        // SAFETY: SSE is part of every x86-64 CPU.
        unsafe { _mm_set1_ps(x) }
    }

    /// The first 4 values of `s` (which must hold 4).
    #[inline(always)]
    pub fn load(s: &[f32]) -> F32x4 {
        assert!(s.len() >= 4);
        // SAFETY: `s` holds at least 16 bytes; `loadu` has no alignment requirement.
        unsafe { _mm_loadu_ps(s.as_ptr()) }
    }

    #[inline(always)]
    pub fn mul_add(acc: F32x4, x: F32x4, y: F32x4) -> F32x4 {
        // SAFETY: SSE is part of every x86-64 CPU.
        unsafe { _mm_add_ps(acc, _mm_mul_ps(x, y)) }
    }

    /// Writes the 4 lanes of `v` to the first 4 values of `s` (which must hold 4).
    #[inline(always)]
    pub fn store(v: F32x4, s: &mut [f32]) {
        assert!(s.len() >= 4);
        // SAFETY: `s` holds at least 16 writable bytes; `storeu` has no alignment requirement.
        unsafe { _mm_storeu_ps(s.as_mut_ptr(), v) }
    }
}

#[cfg(not(any(all(target_arch = "wasm32", target_feature = "simd128"), target_arch = "x86_64")))]
mod lanes {
    //! Any other target: 4 plain lanes, left to the compiler.
    pub type F32x4 = [f32; 4];

    pub fn splat(x: f32) -> F32x4 {
        [x; 4]
    }

    pub fn load(s: &[f32]) -> F32x4 {
        [s[0], s[1], s[2], s[3]]
    }

    pub fn mul_add(acc: F32x4, x: F32x4, y: F32x4) -> F32x4 {
        std::array::from_fn(|i| acc[i] + x[i] * y[i])
    }

    pub fn store(v: F32x4, s: &mut [f32]) {
        s[..4].copy_from_slice(&v);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tile_is_the_sum_of_outer_products() {
        let kc = 5;
        let a: Vec<f32> = (0..kc * 3).map(|i| (i % 7) as f32).collect();
        let b: Vec<f32> = (0..kc * NR).map(|i| (i % 5) as f32 - 2.0).collect();
        let got = tile::<3>(&a, &b);
        for r in 0..3 {
            for t in 0..NR {
                let want: f32 = (0..kc).map(|k| a[k * 3 + r] * b[k * NR + t]).sum();
                assert_eq!(got[r][t], want, "row {r}, column {t}");
            }
        }
    }
}
