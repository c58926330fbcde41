//! Counting primes by trial division: embarrassingly parallel, but the cost of a number grows
//! with √n, so equal ranges of numbers are *not* equal work (later chunks are slower). That
//! makes load imbalance visible under static scheduling.

use crate::ChunkedKernel;

/// Count of primes in `[0, limit)`, split into `chunks` equal ranges.
#[derive(Clone, Copy, Debug)]
pub struct Primes {
    limit: u64,
    chunks: usize,
}

impl Primes {
    /// The primes below `limit`, counted in `chunks` equal ranges of numbers (at least 1).
    pub fn new(limit: u64, chunks: usize) -> Self {
        Self { limit, chunks: chunks.max(1) }
    }

    /// The half-open range of numbers chunk `index` covers.
    pub fn range(&self, index: usize) -> std::ops::Range<u64> {
        let c = self.chunks as u64;
        let i = index as u64;
        (self.limit * i / c)..(self.limit * (i + 1) / c)
    }
}

impl ChunkedKernel for Primes {
    fn chunks(&self) -> usize {
        self.chunks
    }

    fn run_chunk(&self, index: usize) -> u64 {
        self.range(index).filter(|&n| is_prime(n)).count() as u64
    }
}

/// Trial division by 2, 3 and numbers of the form 6k ± 1 up to √n.
pub fn is_prime(n: u64) -> bool {
    match u32::try_from(n) {
        Ok(small) => is_prime_u32(small),
        Err(_) => is_prime_u64(n),
    }
}

/// [`is_prime`] in 32-bit arithmetic, for every number that fits (all the lessons' sizes).
/// Same algorithm, narrower division: wasm's 64-bit `i64.rem_u` ran at 0.85 of native speed
/// in V8 and SpiderMonkey, the 32-bit one at 0.97–1.01 (BENCHMARKS.md, issue #16); natively
/// the two cost the same on this CPU.
fn is_prime_u32(n: u32) -> bool {
    if n < 4 {
        return n >= 2;
    }
    if n.is_multiple_of(2) || n.is_multiple_of(3) {
        return false;
    }
    let mut d = 5u32;
    while u64::from(d) * u64::from(d) <= u64::from(n) {
        if n.is_multiple_of(d) || n.is_multiple_of(d + 2) {
            return false;
        }
        d += 6;
    }
    true
}

/// [`is_prime`] for numbers beyond `u32`.
fn is_prime_u64(n: u64) -> bool {
    if n < 4 {
        return n >= 2;
    }
    if n.is_multiple_of(2) || n.is_multiple_of(3) {
        return false;
    }
    let mut d = 5;
    while d * d <= n {
        if n.is_multiple_of(d) || n.is_multiple_of(d + 2) {
            return false;
        }
        d += 6;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_widths_meet_at_u32_max() {
        // 4294967291 is the largest prime below 2^32; 2^32 + 15 the smallest above.
        assert!(is_prime(4_294_967_291) && !is_prime(4_294_967_295) && !is_prime(1 << 32));
        assert!(is_prime((1 << 32) + 15) && is_prime_u32(65_521) && !is_prime_u32(65_521 * 65_521));
    }

    #[test]
    fn known_prime_counts() {
        // π(x) from OEIS A006880: primes below 10^k.
        for (limit, count) in [(10, 4), (100, 25), (1_000, 168), (10_000, 1_229), (100_000, 9_592)]
        {
            let k = Primes::new(limit, 7);
            let total: u64 = (0..k.chunks()).map(|i| k.run_chunk(i)).sum();
            assert_eq!(total, count, "primes below {limit}");
        }
    }

    #[test]
    fn small_job_answer() {
        let total: u64 = crate::KernelSpec::primes(crate::Size::Small)
            .with_kernel(|k| (0..k.chunks()).map(|i| k.run_chunk(i)).sum());
        assert_eq!(total, 114_155); // π(1.5·10^6)
    }

    #[cfg(not(target_arch = "wasm32"))]
    proptest::proptest! {
        /// The 32-bit path agrees with the 64-bit one (up to u32::MAX, squares near 2^32 too).
        #[test]
        fn both_widths_agree(n in 0u32..=u32::MAX) {
            proptest::prop_assert_eq!(is_prime_u32(n), is_prime_u64(u64::from(n)));
        }

        #[test]
        fn chunks_tile_the_range(limit in 0u64..100_000, chunks in 1usize..200) {
            let k = Primes::new(limit, chunks);
            let mut next = 0;
            for i in 0..chunks {
                let r = k.range(i);
                proptest::prop_assert_eq!(r.start, next);
                next = r.end;
            }
            proptest::prop_assert_eq!(next, limit);
        }
    }
}
