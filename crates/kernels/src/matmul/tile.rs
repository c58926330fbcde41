//! The register-blocked inner kernel of [`super::Matmul`]: one tile of C, [`MR`] rows ×
//! [`NR`] columns, is summed in registers over a run of k and written once.
//!
//! Why: the plain loop `c[j] += a · b[j]` loads and stores C for every multiply-add, so it is
//! bound by loads and stores, not arithmetic, and how well an engine handles those (addressing,
//! bounds, unrolling) decides its speed: wasm ran it at 0.7–0.8× native (issue #16). Keeping a
//! 4 × 8 tile in eight 4-lane registers needs only 2 vector loads of B and 4 scalars of A per
//! 32 multiply-adds, the same shape as the micro-kernels of BLIS (Van Zee & van de Geijn 2015,
//! "BLIS: A Framework for Rapidly Instantiating BLAS Functionality"). It is written with
//! explicit 4-lane vectors ([`crate::lanes`]), so both sides run the same instructions.

use crate::lanes::F32x4;

/// Rows of C per tile.
pub const MR: usize = 4;
/// Columns of C per tile: two 4-lane vectors.
pub const NR: usize = 8;

/// Σₖ `a[k][r]` · `b[k][t]` for the `ROWS` × [`NR`] tile (`ROWS` ≤ [`MR`]): `a` holds, for each
/// k, the `ROWS` entries of A's column k (one per row of the tile); `b` holds, for each k, the
/// [`NR`] entries of B's row k. Extra groups in the longer of the two are ignored.
#[inline(always)]
pub fn tile<const ROWS: usize>(a: &[f32], b: &[f32]) -> [[f32; NR]; ROWS] {
    let mut acc = [[F32x4::splat(0.0); 2]; ROWS];
    for (ak, bk) in a.as_chunks::<ROWS>().0.iter().zip(b.as_chunks::<NR>().0) {
        let (b0, b1) = (F32x4::load(&bk[..4]), F32x4::load(&bk[4..]));
        for (row, &x) in acc.iter_mut().zip(ak) {
            let x = F32x4::splat(x);
            row[0] = row[0].mul_add(x, b0);
            row[1] = row[1].mul_add(x, b1);
        }
    }
    let mut out = [[0.0; NR]; ROWS];
    for (o, row) in out.iter_mut().zip(acc) {
        row[0].store(&mut o[..4]);
        row[1].store(&mut o[4..]);
    }
    out
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
