//! x86-64 SIMD paths: SSE2 (4 × f32 in a 128-bit `xmm` register; part of the x86-64
//! baseline, so always present) and AVX2 (8 × f32 in a 256-bit `ymm` register, with FMA;
//! detected at run time).
//!
//! The AVX2 functions are compiled with `#[target_feature(enable = "avx2,fma")]`: only they
//! contain VEX-encoded instructions, so the rest of the binary still runs on any x86-64. They
//! are reached only through the safe wrappers, which check [`avx2_available`] first.
//!
//! Each function does, lane by lane, exactly what [`super::scalar::sum_lanes`] /
//! [`super::scalar::dot_lanes`] / [`super::scalar::escape_time`] write out, so the tests can
//! compare bit for bit.

use core::arch::x86_64::*;

use super::scalar;

/// Whether this CPU has AVX2 and FMA (cached by std after the first query).
pub fn avx2_available() -> bool {
    is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma")
}

fn require_avx2() {
    assert!(avx2_available(), "the avx2 variant needs AVX2 and FMA, which this CPU lacks");
}

/// Σ `x` in 4 lanes (one `addps` per 4 elements), then [`scalar::finish_sum`].
pub fn sum_sse2(x: &[f32]) -> f32 {
    // SAFETY: SSE2 is part of the x86-64 baseline: every x86-64 CPU has it.
    unsafe { sum_sse2_impl(x) }
}

#[inline(never)]
#[target_feature(enable = "sse2")]
fn sum_sse2_impl(x: &[f32]) -> f32 {
    let body = x.chunks_exact(4);
    let tail = body.remainder();
    let mut acc = _mm_setzero_ps();
    for c in body {
        // SAFETY: `c` holds 4 f32; `loadu` has no alignment requirement.
        acc = _mm_add_ps(acc, unsafe { _mm_loadu_ps(c.as_ptr()) });
    }
    let mut lanes = [0.0f32; 4];
    // SAFETY: `lanes` has room for 4 f32.
    unsafe { _mm_storeu_ps(lanes.as_mut_ptr(), acc) };
    scalar::finish_sum(&lanes, tail)
}

/// Σ `x[i]·y[i]` in 4 lanes (`mulps` then `addps`), then [`scalar::finish_dot`].
pub fn dot_sse2(x: &[f32], y: &[f32]) -> f32 {
    // SAFETY: SSE2 is part of the x86-64 baseline: every x86-64 CPU has it.
    unsafe { dot_sse2_impl(x, y) }
}

#[inline(never)]
#[target_feature(enable = "sse2")]
fn dot_sse2_impl(x: &[f32], y: &[f32]) -> f32 {
    let (xs, ys) = (x.chunks_exact(4), y.chunks_exact(4));
    let (xt, yt) = (xs.remainder(), ys.remainder());
    let mut acc = _mm_setzero_ps();
    for (a, b) in xs.zip(ys) {
        // SAFETY: both chunks hold 4 f32; unaligned loads.
        let (a, b) = unsafe { (_mm_loadu_ps(a.as_ptr()), _mm_loadu_ps(b.as_ptr())) };
        acc = _mm_add_ps(acc, _mm_mul_ps(a, b));
    }
    let mut lanes = [0.0f32; 4];
    // SAFETY: `lanes` has room for 4 f32.
    unsafe { _mm_storeu_ps(lanes.as_mut_ptr(), acc) };
    scalar::finish_dot(&lanes, xt, yt)
}

/// `out = a·x + y`, 4 elements per `mulps` + `addps`; the tail with scalar code that rounds
/// the same way, so every element equals [`scalar::saxpy`]'s bit for bit.
pub fn saxpy_sse2(a: f32, x: &[f32], y: &[f32], out: &mut [f32]) {
    // SAFETY: SSE2 is part of the x86-64 baseline: every x86-64 CPU has it.
    unsafe { saxpy_sse2_impl(a, x, y, out) }
}

#[inline(never)]
#[target_feature(enable = "sse2")]
fn saxpy_sse2_impl(a: f32, x: &[f32], y: &[f32], out: &mut [f32]) {
    let body = out.len() / 4 * 4;
    let va = _mm_set1_ps(a);
    let mut o = out.chunks_exact_mut(4);
    for ((o, x), y) in (&mut o).zip(x.chunks_exact(4)).zip(y.chunks_exact(4)) {
        // SAFETY: all three chunks hold 4 f32; unaligned loads and store.
        unsafe {
            let v = _mm_add_ps(_mm_mul_ps(va, _mm_loadu_ps(x.as_ptr())), _mm_loadu_ps(y.as_ptr()));
            _mm_storeu_ps(o.as_mut_ptr(), v);
        }
    }
    scalar::saxpy(a, &x[body..], &y[body..], o.into_remainder());
}

/// Escape times of 4 pixels at once: each lane has its own z; a lane that has escaped is
/// masked off (its count stops) and the vector loop ends when all 4 have escaped.
pub fn mandelbrot_row_sse2(re: &[f32], im: f32, max_iter: u32, out: &mut [u32]) {
    // SAFETY: SSE2 is part of the x86-64 baseline: every x86-64 CPU has it.
    unsafe { mandelbrot_row_sse2_impl(re, im, max_iter, out) }
}

#[inline(never)]
#[target_feature(enable = "sse2")]
fn mandelbrot_row_sse2_impl(re: &[f32], im: f32, max_iter: u32, out: &mut [u32]) {
    let (ci, two, four) = (_mm_set1_ps(im), _mm_set1_ps(2.0), _mm_set1_ps(4.0));
    let mut o = out.chunks_exact_mut(4);
    for (o, r) in (&mut o).zip(re.chunks_exact(4)) {
        // SAFETY: `r` holds 4 f32.
        let cr = unsafe { _mm_loadu_ps(r.as_ptr()) };
        let (mut x, mut y) = (_mm_setzero_ps(), _mm_setzero_ps());
        let mut count = _mm_setzero_si128();
        let mut active = _mm_castsi128_ps(_mm_set1_epi32(-1));
        for _ in 0..max_iter {
            let (x2, y2) = (_mm_mul_ps(x, x), _mm_mul_ps(y, y));
            active = _mm_and_ps(active, _mm_cmple_ps(_mm_add_ps(x2, y2), four));
            if _mm_movemask_ps(active) == 0 {
                break;
            }
            // An active lane is all ones, i.e. −1 as an integer: subtracting adds 1.
            count = _mm_sub_epi32(count, _mm_castps_si128(active));
            y = _mm_add_ps(_mm_mul_ps(_mm_mul_ps(two, x), y), ci);
            x = _mm_add_ps(_mm_sub_ps(x2, y2), cr);
        }
        // SAFETY: `o` holds 4 u32 = 16 bytes; unaligned store.
        unsafe { _mm_storeu_si128(o.as_mut_ptr().cast(), count) };
    }
    let body = re.len() / 4 * 4;
    scalar::mandelbrot_row(&re[body..], im, max_iter, o.into_remainder());
}

/// [`sum_sse2`] with 8 lanes (`vaddps ymm`).
pub fn sum_avx2(x: &[f32]) -> f32 {
    require_avx2();
    // SAFETY: the CPU has AVX2 and FMA (checked just above).
    unsafe { sum_avx2_impl(x) }
}

#[inline(never)]
#[target_feature(enable = "avx2,fma")]
fn sum_avx2_impl(x: &[f32]) -> f32 {
    let body = x.chunks_exact(8);
    let tail = body.remainder();
    let mut acc = _mm256_setzero_ps();
    for c in body {
        // SAFETY: `c` holds 8 f32; unaligned load.
        acc = _mm256_add_ps(acc, unsafe { _mm256_loadu_ps(c.as_ptr()) });
    }
    let mut lanes = [0.0f32; 8];
    // SAFETY: `lanes` has room for 8 f32.
    unsafe { _mm256_storeu_ps(lanes.as_mut_ptr(), acc) };
    scalar::finish_sum(&lanes, tail)
}

/// Σ `x[i]·y[i]` in 8 lanes with one fused multiply-add per 8 elements (`vfmadd231ps`: the
/// product is not rounded on its own, so the answer differs from a mul-then-add order in the
/// last bits too); then [`scalar::finish_dot`].
pub fn dot_avx2(x: &[f32], y: &[f32]) -> f32 {
    require_avx2();
    // SAFETY: the CPU has AVX2 and FMA (checked just above).
    unsafe { dot_avx2_impl(x, y) }
}

#[inline(never)]
#[target_feature(enable = "avx2,fma")]
fn dot_avx2_impl(x: &[f32], y: &[f32]) -> f32 {
    let (xs, ys) = (x.chunks_exact(8), y.chunks_exact(8));
    let (xt, yt) = (xs.remainder(), ys.remainder());
    let mut acc = _mm256_setzero_ps();
    for (a, b) in xs.zip(ys) {
        // SAFETY: both chunks hold 8 f32; unaligned loads.
        let (a, b) = unsafe { (_mm256_loadu_ps(a.as_ptr()), _mm256_loadu_ps(b.as_ptr())) };
        acc = _mm256_fmadd_ps(a, b, acc);
    }
    let mut lanes = [0.0f32; 8];
    // SAFETY: `lanes` has room for 8 f32.
    unsafe { _mm256_storeu_ps(lanes.as_mut_ptr(), acc) };
    scalar::finish_dot(&lanes, xt, yt)
}

/// [`saxpy_sse2`] with 8 lanes. Deliberately *no* FMA: a fused `a·x + y` rounds once instead
/// of twice, and saxpy is checked to be exact element by element.
pub fn saxpy_avx2(a: f32, x: &[f32], y: &[f32], out: &mut [f32]) {
    require_avx2();
    // SAFETY: the CPU has AVX2 and FMA (checked just above).
    unsafe { saxpy_avx2_impl(a, x, y, out) }
}

#[inline(never)]
#[target_feature(enable = "avx2,fma")]
fn saxpy_avx2_impl(a: f32, x: &[f32], y: &[f32], out: &mut [f32]) {
    let body = out.len() / 8 * 8;
    let va = _mm256_set1_ps(a);
    let mut o = out.chunks_exact_mut(8);
    for ((o, x), y) in (&mut o).zip(x.chunks_exact(8)).zip(y.chunks_exact(8)) {
        // SAFETY: all three chunks hold 8 f32; unaligned loads and store.
        unsafe {
            let v = _mm256_mul_ps(va, _mm256_loadu_ps(x.as_ptr()));
            _mm256_storeu_ps(o.as_mut_ptr(), _mm256_add_ps(v, _mm256_loadu_ps(y.as_ptr())));
        }
    }
    scalar::saxpy(a, &x[body..], &y[body..], o.into_remainder());
}

/// [`mandelbrot_row_sse2`] with 8 pixels per vector. No FMA here either: a fused update
/// would round differently and change some escape counts.
pub fn mandelbrot_row_avx2(re: &[f32], im: f32, max_iter: u32, out: &mut [u32]) {
    require_avx2();
    // SAFETY: the CPU has AVX2 and FMA (checked just above).
    unsafe { mandelbrot_row_avx2_impl(re, im, max_iter, out) }
}

#[inline(never)]
#[target_feature(enable = "avx2,fma")]
fn mandelbrot_row_avx2_impl(re: &[f32], im: f32, max_iter: u32, out: &mut [u32]) {
    let (ci, two, four) = (_mm256_set1_ps(im), _mm256_set1_ps(2.0), _mm256_set1_ps(4.0));
    let mut o = out.chunks_exact_mut(8);
    for (o, r) in (&mut o).zip(re.chunks_exact(8)) {
        // SAFETY: `r` holds 8 f32.
        let cr = unsafe { _mm256_loadu_ps(r.as_ptr()) };
        let (mut x, mut y) = (_mm256_setzero_ps(), _mm256_setzero_ps());
        let mut count = _mm256_setzero_si256();
        let mut active = _mm256_castsi256_ps(_mm256_set1_epi32(-1));
        for _ in 0..max_iter {
            let (x2, y2) = (_mm256_mul_ps(x, x), _mm256_mul_ps(y, y));
            let inside = _mm256_cmp_ps::<_CMP_LE_OQ>(_mm256_add_ps(x2, y2), four);
            active = _mm256_and_ps(active, inside);
            if _mm256_movemask_ps(active) == 0 {
                break;
            }
            count = _mm256_sub_epi32(count, _mm256_castps_si256(active));
            y = _mm256_add_ps(_mm256_mul_ps(_mm256_mul_ps(two, x), y), ci);
            x = _mm256_add_ps(_mm256_sub_ps(x2, y2), cr);
        }
        // SAFETY: `o` holds 8 u32 = 32 bytes; unaligned store.
        unsafe { _mm256_storeu_si256(o.as_mut_ptr().cast(), count) };
    }
    let body = re.len() / 8 * 8;
    scalar::mandelbrot_row(&re[body..], im, max_iter, o.into_remainder());
}
