//! Summing a large array: one addition per 4 bytes loaded, so the cores spend their time
//! waiting for memory, not computing. The array (64 MiB by default) is far larger than any
//! cache, so every pass streams it from main memory, and all cores share that memory bus: a
//! second or third thread still helps (one core alone cannot saturate it), but soon the bus is
//! full and more threads add nothing. Compare with π, where each thread only uses registers.
//!
//! The array is generated once per kernel; it is summed `passes` times to make the run long
//! enough to time. Chunk `i` is slice `i mod bands` in pass `i / bands`, so consecutive chunks
//! walk through the whole array before any of it is read again.

use std::ops::Range;

use crate::ChunkedKernel;
use crate::pi::SplitMix64;

/// `passes` sums over a generated array of `len` u32, in `bands` slices per pass.
#[derive(Clone, Debug)]
pub struct Reduce {
    data: Vec<u32>,
    passes: usize,
    bands: usize,
}

impl Reduce {
    /// Generates the array (O(len), done once per kernel).
    pub fn new(len: usize, passes: usize, bands: usize) -> Self {
        Self { data: (0..len).map(element).collect(), passes, bands: bands.max(1) }
    }

    /// The array indices chunk `index` sums.
    pub fn slice(&self, index: usize) -> Range<usize> {
        let (band, len) = (index % self.bands, self.data.len());
        (len * band / self.bands)..(len * (band + 1) / self.bands)
    }
}

impl ChunkedKernel for Reduce {
    fn chunks(&self) -> usize {
        self.passes * self.bands
    }

    fn run_chunk(&self, index: usize) -> u64 {
        self.data[self.slice(index)].iter().map(|&x| u64::from(x)).sum()
    }
}

/// Element `i` of the array: 24 bits of SplitMix64 seeded with `i` (small enough that the
/// total, below `passes · len · 2²⁴`, never overflows a u64).
pub fn element(i: usize) -> u32 {
    (SplitMix64(i as u64).next_u64() >> 40) as u32
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn chunks_sum_to_passes_times_the_array(
            len in 0usize..3_000, passes in 0usize..4, bands in 1usize..40,
        ) {
            let k = Reduce::new(len, passes, bands);
            let chunked: u64 = (0..k.chunks()).map(|i| k.run_chunk(i)).sum();
            let mut plain = 0u64;
            for i in 0..len {
                plain += u64::from(element(i));
            }
            proptest::prop_assert_eq!(chunked, passes as u64 * plain);
        }
    }
}
