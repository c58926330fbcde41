//! Dense matrix multiply C = A·B (n × n), one band of rows of C per chunk. There are n³
//! multiply-adds and every band is the same size, so the work divides evenly; what limits
//! scaling is *memory traffic*: every band reads all of B. The inner loops are tiled so that a
//! tile of B is reused from cache for all rows of a band, but the cores still share the last
//! cache level and the memory bus, so speedup stays below the thread count.
//!
//! The inputs are generated from their indices (no data transfer to workers). Entries are small
//! integers 0..=9, so every product and partial sum is an integer below 81·n, exact in f32 for
//! n < 2²⁴ / 81 ≈ 207 000; the checksum is therefore identical however the sums are ordered.

use std::ops::Range;

use crate::ChunkedKernel;
use crate::pi::SplitMix64;

/// Rows of B per tile (tile of B = `TILE_K × TILE_J` f32 = 128 KiB, sized for L2).
const TILE_K: usize = 128;
/// Columns per tile (one row of a C tile = 1 KiB, stays in L1).
const TILE_J: usize = 256;

/// C = A·B with generated inputs; chunk result = [`checksum`] of a band of rows of C.
#[derive(Clone, Debug)]
pub struct Matmul {
    n: usize,
    bands: usize,
    a: Vec<f32>,
    b: Vec<f32>,
}

impl Matmul {
    /// Generates A and B (row-major); costs O(n²), done once per kernel.
    pub fn new(n: usize, bands: usize) -> Self {
        let fill = |m| (0..n * n).map(|i| entry(m, i / n, i % n) as f32).collect();
        Self { n, bands: bands.max(1), a: fill(0), b: fill(1) }
    }

    /// The rows of C band `index` covers.
    pub fn band_rows(&self, index: usize) -> Range<usize> {
        (self.n * index / self.bands)..(self.n * (index + 1) / self.bands)
    }

    /// Rows `rows` of C, row-major, computed tile by tile.
    pub fn rows_of_c(&self, rows: Range<usize>) -> Vec<f32> {
        let n = self.n;
        let mut c = vec![0.0f32; rows.len() * n];
        for k0 in (0..n).step_by(TILE_K) {
            let ks = k0..(k0 + TILE_K).min(n);
            for j0 in (0..n).step_by(TILE_J) {
                let js = j0..(j0 + TILE_J).min(n);
                for (i, c_row) in rows.clone().zip(c.chunks_exact_mut(n)) {
                    let c_tile = &mut c_row[js.clone()];
                    for k in ks.clone() {
                        let a = self.a[i * n + k];
                        let b_tile = &self.b[k * n + js.start..k * n + js.end];
                        for (c, &b) in c_tile.iter_mut().zip(b_tile) {
                            *c += a * b;
                        }
                    }
                }
            }
        }
        c
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The textbook triple loop in integers.
    fn naive_checksum(n: usize) -> u64 {
        let mut sum = 0;
        for i in 0..n {
            for j in 0..n {
                let c: u64 = (0..n).map(|k| u64::from(entry(0, i, k) * entry(1, k, j))).sum();
                sum += checksum(i, j, c);
            }
        }
        sum
    }

    #[test]
    fn tiles_cover_a_matrix_larger_than_one_tile() {
        let n = TILE_J + 37;
        let k = Matmul::new(n, 5);
        let total: u64 = (0..5).map(|i| k.run_chunk(i)).sum();
        assert_eq!(total, naive_checksum(n));
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
            proptest::prop_assert_eq!(chunked, naive_checksum(n));
        }
    }
}
