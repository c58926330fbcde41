//! 128-bit vectors written out explicitly, for the kernels whose speed must not depend on the
//! compiler choosing to vectorise: SSE2 natively (part of every x86-64), `simd128` in wasm, plain
//! arrays elsewhere. Both sides then run the same instructions.
//!
//! Why explicit: the wasm build turns LLVM's SLP vectoriser off (`.cargo/config.toml`; it made
//! π 2× slower in V8), so code that relied on SLP to pack independent scalars into vectors ran
//! scalar in wasm and vectorised natively: the roofline's peak was 5.5 GFLOP/s in wasm against
//! 15 natively (issue #16). Only `mul` and `add` are offered, never a fused multiply-add, so the
//! rounding is the same on every target.

pub use imp::{F32x4, F64x2};

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod imp {
    use core::arch::wasm32::*;

    /// 4 × f32 in one `v128`.
    #[derive(Clone, Copy, Debug)]
    pub struct F32x4(v128);
    /// 2 × f64 in one `v128`.
    #[derive(Clone, Copy, Debug)]
    pub struct F64x2(v128);

    impl F32x4 {
        /// `x` in every lane (`f32x4.splat`).
        #[inline(always)]
        pub fn splat(x: f32) -> Self {
            F32x4(f32x4_splat(x))
        }

        /// The first 4 values of `s`, which must hold 4 (`v128.load`).
        #[inline(always)]
        pub fn load(s: &[f32]) -> Self {
            assert!(s.len() >= 4);
            // SAFETY: `s` holds at least 16 bytes; `v128_load` has no alignment requirement.
            F32x4(unsafe { v128_load(s.as_ptr().cast()) })
        }

        /// `self + x · y` lane by lane (`f32x4.mul`, then `f32x4.add`).
        #[inline(always)]
        pub fn mul_add(self, x: Self, y: Self) -> Self {
            F32x4(f32x4_add(self.0, f32x4_mul(x.0, y.0)))
        }

        /// Writes the lanes to the first 4 values of `s`, which must hold 4 (`v128.store`).
        #[inline(always)]
        pub fn store(self, s: &mut [f32]) {
            assert!(s.len() >= 4);
            // SAFETY: `s` holds at least 16 writable bytes; no alignment requirement.
            unsafe { v128_store(s.as_mut_ptr().cast(), self.0) }
        }
    }

    impl F64x2 {
        /// `[a, b]` (`f64x2` from two lanes).
        #[inline(always)]
        pub fn new(a: f64, b: f64) -> Self {
            F64x2(f64x2(a, b))
        }

        /// `x` in both lanes (`f64x2.splat`).
        #[inline(always)]
        pub fn splat(x: f64) -> Self {
            F64x2(f64x2_splat(x))
        }

        /// `self · m + a` lane by lane (`f64x2.mul`, then `f64x2.add`).
        #[inline(always)]
        pub fn mul_add(self, m: Self, a: Self) -> Self {
            F64x2(f64x2_add(f64x2_mul(self.0, m.0), a.0))
        }

        /// The two lanes.
        #[inline(always)]
        pub fn to_array(self) -> [f64; 2] {
            [f64x2_extract_lane::<0>(self.0), f64x2_extract_lane::<1>(self.0)]
        }
    }
}

#[cfg(target_arch = "x86_64")]
mod imp {
    use core::arch::x86_64::*;

    /// 4 × f32 in one `xmm` register.
    #[derive(Clone, Copy, Debug)]
    pub struct F32x4(__m128);
    /// 2 × f64 in one `xmm` register.
    #[derive(Clone, Copy, Debug)]
    pub struct F64x2(__m128d);

    // SAFETY (every `unsafe` below without its own note): SSE and SSE2 are part of every
    // x86-64 CPU, so these intrinsics are always available.

    impl F32x4 {
        /// `x` in every lane.
        #[inline(always)]
        pub fn splat(x: f32) -> Self {
            F32x4(unsafe { _mm_set1_ps(x) })
        }

        /// The first 4 values of `s`, which must hold 4 (`movups`).
        #[inline(always)]
        pub fn load(s: &[f32]) -> Self {
            assert!(s.len() >= 4);
            // SAFETY: `s` holds at least 16 bytes; `loadu` has no alignment requirement.
            F32x4(unsafe { _mm_loadu_ps(s.as_ptr()) })
        }

        /// `self + x · y` lane by lane (`mulps`, then `addps`).
        #[inline(always)]
        pub fn mul_add(self, x: Self, y: Self) -> Self {
            F32x4(unsafe { _mm_add_ps(self.0, _mm_mul_ps(x.0, y.0)) })
        }

        /// Writes the lanes to the first 4 values of `s`, which must hold 4 (`movups`).
        #[inline(always)]
        pub fn store(self, s: &mut [f32]) {
            assert!(s.len() >= 4);
            // SAFETY: `s` holds at least 16 writable bytes; `storeu` has no alignment requirement.
            unsafe { _mm_storeu_ps(s.as_mut_ptr(), self.0) }
        }
    }

    impl F64x2 {
        /// `[a, b]`.
        #[inline(always)]
        pub fn new(a: f64, b: f64) -> Self {
            F64x2(unsafe { _mm_set_pd(b, a) })
        }

        /// `x` in both lanes.
        #[inline(always)]
        pub fn splat(x: f64) -> Self {
            F64x2(unsafe { _mm_set1_pd(x) })
        }

        /// `self · m + a` lane by lane (`mulpd`, then `addpd`).
        #[inline(always)]
        pub fn mul_add(self, m: Self, a: Self) -> Self {
            F64x2(unsafe { _mm_add_pd(_mm_mul_pd(self.0, m.0), a.0) })
        }

        /// The two lanes.
        #[inline(always)]
        pub fn to_array(self) -> [f64; 2] {
            let mut out = [0.0; 2];
            // SAFETY: `out` holds 16 writable bytes; `storeu` has no alignment requirement.
            unsafe { _mm_storeu_pd(out.as_mut_ptr(), self.0) };
            out
        }
    }
}

#[cfg(not(any(all(target_arch = "wasm32", target_feature = "simd128"), target_arch = "x86_64")))]
mod imp {
    /// 4 × f32 as plain lanes, left to the compiler.
    #[derive(Clone, Copy, Debug)]
    pub struct F32x4([f32; 4]);
    /// 2 × f64 as plain lanes.
    #[derive(Clone, Copy, Debug)]
    pub struct F64x2([f64; 2]);

    impl F32x4 {
        /// `x` in every lane.
        pub fn splat(x: f32) -> Self {
            F32x4([x; 4])
        }

        /// The first 4 values of `s`.
        pub fn load(s: &[f32]) -> Self {
            F32x4([s[0], s[1], s[2], s[3]])
        }

        /// `self + x · y` lane by lane.
        pub fn mul_add(self, x: Self, y: Self) -> Self {
            F32x4(std::array::from_fn(|i| self.0[i] + x.0[i] * y.0[i]))
        }

        /// Writes the lanes to the first 4 values of `s`.
        pub fn store(self, s: &mut [f32]) {
            s[..4].copy_from_slice(&self.0);
        }
    }

    impl F64x2 {
        /// `[a, b]`.
        pub fn new(a: f64, b: f64) -> Self {
            F64x2([a, b])
        }

        /// `x` in both lanes.
        pub fn splat(x: f64) -> Self {
            F64x2([x; 2])
        }

        /// `self · m + a` lane by lane.
        pub fn mul_add(self, m: Self, a: Self) -> Self {
            F64x2(std::array::from_fn(|i| self.0[i] * m.0[i] + a.0[i]))
        }

        /// The two lanes.
        pub fn to_array(self) -> [f64; 2] {
            self.0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn f32_lanes_multiply_then_add() {
        let mut out = [0.0f32; 5];
        let acc = F32x4::load(&[1.0, 2.0, 3.0, 4.0]);
        acc.mul_add(F32x4::splat(2.0), F32x4::load(&[1.0, -1.0, 0.5, 10.0])).store(&mut out[1..]);
        assert_eq!(out, [0.0, 3.0, 0.0, 4.0, 24.0]);
    }

    #[test]
    fn f64_lanes_multiply_then_add_in_order() {
        let v = F64x2::new(1.0, -3.0).mul_add(F64x2::splat(0.5), F64x2::splat(0.25));
        assert_eq!(v.to_array(), [0.75, -1.25]);
    }
}
