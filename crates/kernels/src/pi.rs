//! Monte-Carlo π: throw random points into the unit square and count those inside the quarter
//! circle (hits/samples → π/4). Samples are independent and every chunk costs the same, so this
//! scales almost perfectly. The lesson is about randomness: one shared generator would make the
//! answer depend on which thread drew which number, so each chunk seeds its *own* generator from
//! (seed, chunk index) and the count is identical for every thread count and mode.

use std::ops::Range;

use crate::ChunkedKernel;

/// Points in the quarter circle out of `samples`, split into `chunks` equal runs.
#[derive(Clone, Copy, Debug)]
pub struct Pi {
    samples: u64,
    chunks: usize,
    seed: u64,
}

impl Pi {
    /// `samples` points in `chunks` equal runs (at least 1); `seed` fixes every chunk's
    /// generator, so the count depends on nothing else.
    pub fn new(samples: u64, chunks: usize, seed: u64) -> Self {
        Self { samples, chunks: chunks.max(1), seed }
    }

    /// The half-open range of sample numbers chunk `index` draws.
    pub fn range(&self, index: usize) -> Range<u64> {
        let c = self.chunks as u64;
        let i = index as u64;
        (self.samples * i / c)..(self.samples * (i + 1) / c)
    }

    /// The generator chunk `index` draws from, seeded from (seed, index) by SplitMix64.
    pub fn rng(&self, index: usize) -> Xoshiro256PlusPlus {
        let mut mix = SplitMix64(self.seed ^ (index as u64).wrapping_mul(0xD1B5_4A32_D192_ED03));
        Xoshiro256PlusPlus([mix.next_u64(), mix.next_u64(), mix.next_u64(), mix.next_u64()])
    }
}

impl ChunkedKernel for Pi {
    fn chunks(&self) -> usize {
        self.chunks
    }

    fn run_chunk(&self, index: usize) -> u64 {
        let mut rng = self.rng(index);
        let n = self.range(index).count() as u64;
        n - (0..n).map(|_| outside(rng.next_u64())).sum::<u64>()
    }
}

/// Whether the point whose coordinates are the two 31-bit halves of `bits` lies inside the
/// quarter circle of radius 2³¹: x² + y² < 2⁶² (exact integer arithmetic, no rounding).
pub fn in_quarter_circle(bits: u64) -> bool {
    outside(bits) == 0
}

/// 1 if the point of `bits` lies outside the quarter circle, else 0. With x, y < 2³¹ the sum
/// x² + y² is below 2⁶³, so bit 62 alone says whether it reached 2⁶²: a shift, where a
/// comparison would need a flag turned into a number (`setb` + `movzx` in V8's code; LLVM's
/// native code gets away with `adc`), one of the few places where pi's wasm lagged native.
fn outside(bits: u64) -> u64 {
    let (x, y) = (bits >> 33, bits & 0x7FFF_FFFF);
    (x * x + y * y) >> 62
}

/// π ≈ 4 · hits / samples.
pub fn estimate(hits: u64, samples: u64) -> f64 {
    4.0 * hits as f64 / samples.max(1) as f64
}

/// xoshiro256++ (Blackman & Vigna 2018), the per-chunk sample generator. Its state update is a
/// non-linear recurrence, so compilers keep the sampling loop scalar: with SplitMix64 (a counter
/// plus a mix) LLVM vectorised the loop into 64-bit vector multiplies, which wasm's simd128 has
/// but x86-64 lacks, and V8's emulation made π 2.4× slower than native (BENCHMARKS.md).
#[derive(Clone, Copy, Debug)]
pub struct Xoshiro256PlusPlus(pub [u64; 4]);

impl Xoshiro256PlusPlus {
    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let s = &mut self.0;
        let result = s[0].wrapping_add(s[3]).rotate_left(23).wrapping_add(s[0]);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        result
    }
}

/// SplitMix64 (Steele, Lea & Flood 2014; constants from Vigna's reference code): a tiny,
/// fast generator that passes BigCrush, good enough for Monte-Carlo teaching.
#[derive(Clone, Copy, Debug)]
pub struct SplitMix64(pub u64);

impl SplitMix64 {
    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix_reference_values() {
        // First outputs for seed 1234567 from Vigna's splitmix64.c.
        let mut r = SplitMix64(1234567);
        assert_eq!(r.next_u64(), 6457827717110365317);
        assert_eq!(r.next_u64(), 3203168211198807973);
    }

    #[test]
    fn xoshiro_reference_values() {
        // xoshiro256plusplus.c from state {1, 2, 3, 4}.
        let mut r = Xoshiro256PlusPlus([1, 2, 3, 4]);
        assert_eq!(r.next_u64(), 41943041);
        assert_eq!(r.next_u64(), 58720359);
        assert_eq!(r.next_u64(), 3588806011781223);
    }

    #[test]
    fn estimate_is_close_to_pi() {
        let k = Pi::new(4_000_000, 16, 42);
        let hits: u64 = (0..k.chunks()).map(|i| k.run_chunk(i)).sum();
        // Standard error of 4·hits/n is 4·√(p(1−p)/n) ≈ 8.2e-4 here; allow ~6σ.
        let pi = estimate(hits, 4_000_000);
        assert!((pi - std::f64::consts::PI).abs() < 5e-3, "{pi}");
    }

    #[test]
    fn corners() {
        assert!(in_quarter_circle(0));
        assert!(!in_quarter_circle(u64::MAX));
    }

    #[cfg(not(target_arch = "wasm32"))]
    proptest::proptest! {
        #[test]
        fn chunks_match_a_plain_loop(samples in 0u64..5_000, chunks in 1usize..40, seed: u64) {
            let k = Pi::new(samples, chunks, seed);
            let chunked: u64 = (0..chunks).map(|i| k.run_chunk(i)).sum();
            let mut plain = 0;
            for i in 0..chunks {
                let mut rng = k.rng(i);
                for _ in k.range(i) {
                    let bits = rng.next_u64();
                    let (x, y) = (u128::from(bits >> 33), u128::from(bits % (1 << 31)));
                    plain += u64::from(x.pow(2) + y.pow(2) < 1 << 62);
                }
            }
            proptest::prop_assert_eq!(chunked, plain);
        }
    }
}
