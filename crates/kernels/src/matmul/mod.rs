//! Dense matrix multiply C = A·B (n × n), one band of rows of C per chunk. There are n³
//! multiply-adds and every band is the same size, so the work divides evenly; what limits
//! scaling is *memory traffic*: every band reads all of B. The loops are blocked so that a strip
//! of B is reused from cache by every row of a band and a [`tile`] of C stays in registers, but
//! the cores still share the last cache level and the memory bus, so speedup stays below the
//! thread count.
//!
//! The inputs are generated from their indices (no data transfer to workers). Entries are small
//! integers 0..=9, so every product and partial sum is an integer below 81·n, exact in f32 for
//! n < 2²⁴ / 81 ≈ 207 000; the checksum is therefore identical however the sums are ordered.

mod tile;

use std::ops::Range;

use crate::ChunkedKernel;
use crate::pi::SplitMix64;
use tile::{MR, NR};

/// Values of k per block: a block of a band's rows of A (≤ 22 rows × 128 × 4 B) and one panel's
/// strip of B (128 × 8 × 4 B = 4 KiB) stay in L1 while a band is multiplied.
const KC: usize = 128;

/// C = A·B with generated inputs; chunk result = [`checksum`] of a band of rows of C.
///
/// A is stored row-major. B is stored as *panels* of [`NR`] columns, each panel row-major
/// (k = 0..n, then the [`NR`] columns, zero past column n): the layout BLAS libraries pack B
/// into, so the inner loop reads B sequentially. It is chosen once, when B is generated.
#[derive(Clone, Debug)]
pub struct Matmul {
    n: usize,
    bands: usize,
    a: Vec<f32>,
    b_panels: Vec<f32>,
}

impl Matmul {
    /// Generates A and B; costs O(n²), done once per kernel.
    pub fn new(n: usize, bands: usize) -> Self {
        let a = (0..n * n).map(|i| entry(0, i / n, i % n) as f32).collect();
        let b_panels = (0..n.div_ceil(NR) * n * NR)
            .map(|i| {
                let (panel, k, t) = (i / (n * NR), i / NR % n, i % NR);
                let col = panel * NR + t;
                if col < n { entry(1, k, col) as f32 } else { 0.0 }
            })
            .collect();
        Self { n, bands: bands.max(1), a, b_panels }
    }

    /// The rows of C band `index` covers.
    pub fn band_rows(&self, index: usize) -> Range<usize> {
        (self.n * index / self.bands)..(self.n * (index + 1) / self.bands)
    }

    /// Rows `rows` of C, row-major: for each block of k, the band's rows of A are packed in
    /// groups of [`MR`] (column by column), then every panel of B meets every group in a
    /// [`tile::tile`] of C.
    pub fn rows_of_c(&self, rows: Range<usize>) -> Vec<f32> {
        let n = self.n;
        let mut c = vec![0.0f32; rows.len() * n];
        let mut packed_a = Vec::with_capacity(rows.len() * KC);
        for k0 in (0..n).step_by(KC) {
            let ks = k0..(k0 + KC).min(n);
            packed_a.clear();
            for group in rows.clone().step_by(MR) {
                let group = group..(group + MR).min(rows.end);
                for k in ks.clone() {
                    packed_a.extend(group.clone().map(|i| self.a[i * n + k]));
                }
            }
            for (panel, b) in self.b_panels.chunks_exact(n * NR).enumerate() {
                let b = &b[ks.start * NR..ks.end * NR];
                let mut a = packed_a.as_slice();
                for first in (0..rows.len()).step_by(MR) {
                    let height = MR.min(rows.len() - first);
                    let (group, rest) = a.split_at(height * ks.len());
                    a = rest;
                    let at = (first, panel * NR);
                    match height {
                        4 => add_tile(&mut c, n, at, tile::tile::<4>(group, b)),
                        3 => add_tile(&mut c, n, at, tile::tile::<3>(group, b)),
                        2 => add_tile(&mut c, n, at, tile::tile::<2>(group, b)),
                        _ => add_tile(&mut c, n, at, tile::tile::<1>(group, b)),
                    }
                }
            }
        }
        c
    }
}

/// Adds `tile` to the n-column row-major `c` at (row, column) `at`, dropping columns past n.
fn add_tile<const ROWS: usize>(
    c: &mut [f32],
    n: usize,
    at: (usize, usize),
    tile: [[f32; NR]; ROWS],
) {
    let width = NR.min(n - at.1);
    for (row, values) in c[at.0 * n..].chunks_mut(n).zip(tile) {
        for (c, v) in row[at.1..at.1 + width].iter_mut().zip(values) {
            *c += v;
        }
    }
}

impl ChunkedKernel for Matmul {
    fn chunks(&self) -> usize {
        self.bands
    }

    fn run_chunk(&self, index: usize) -> u64 {
        let rows = self.band_rows(index);
        let first = rows.start;
        let c = self.rows_of_c(rows);
        c.chunks_exact(self.n.max(1))
            .enumerate()
            .flat_map(|(r, row)| row.iter().enumerate().map(move |(j, &v)| (first + r, j, v)))
            .map(|(i, j, v)| checksum(i, j, v as u64))
            .sum()
    }
}

/// Entry (`row`, `col`) of input `matrix` (0 = A, 1 = B): a hash of the indices mod 10.
pub fn entry(matrix: u64, row: usize, col: usize) -> u32 {
    let key = (matrix << 62) ^ ((row as u64) << 31) ^ col as u64;
    (SplitMix64(key).next_u64() % 10) as u32
}

/// Contribution of `C[i][j]` = `value` to the checksum: value · (1 + (i + 2j) mod 7). The weights
/// make a misplaced or transposed entry change the sum; the total stays far below 2⁶⁴.
pub fn checksum(i: usize, j: usize, value: u64) -> u64 {
    value * (1 + (i + 2 * j) as u64 % 7)
}

/// The [`checksum`] of C = A·B by the textbook triple loop in integers, O(n³): the reference
/// the tiled kernel is tested against (natively and in the browser).
pub fn triple_loop_checksum(n: usize) -> u64 {
    let mut sum = 0;
    for i in 0..n {
        for j in 0..n {
            let c: u64 = (0..n).map(|k| u64::from(entry(0, i, k) * entry(1, k, j))).sum();
            sum += checksum(i, j, c);
        }
    }
    sum
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiles_cover_a_matrix_larger_than_one_tile() {
        let n = 2 * KC + NR + 3;
        let k = Matmul::new(n, 5);
        let total: u64 = (0..5).map(|i| k.run_chunk(i)).sum();
        assert_eq!(total, triple_loop_checksum(n));
    }

    #[test]
    fn entries_are_digits() {
        assert!((0..50).all(|i| entry(0, i, 2 * i) < 10 && entry(1, 3, i) < 10));
    }

    #[cfg(not(target_arch = "wasm32"))]
    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
        #[test]
        fn chunks_match_the_triple_loop(n in 0usize..40, bands in 1usize..50) {
            let k = Matmul::new(n, bands);
            let chunked: u64 = (0..bands).map(|i| k.run_chunk(i)).sum();
            proptest::prop_assert_eq!(chunked, triple_loop_checksum(n));
        }
    }
}
