//! WebAssembly `simd128` paths: one 128-bit `v128` value holds 4 × f32 (`f32x4`), as SSE2's
//! `xmm` registers do; the engine (V8, SpiderMonkey, JavaScriptCore) maps each `f32x4`
//! instruction to one SSE/AVX or NEON instruction of the machine.
//!
//! WebAssembly has no run-time feature detection *inside* a module: `simd128` is enabled for
//! the whole build (`.cargo/config.toml`), and an engine without SIMD rejects the module when
//! it validates it. So the check that a browser supports SIMD belongs to the page, before it
//! loads parlab's module (e.g. `WebAssembly.validate` on a few bytes of SIMD code).
//!
//! Each function does, lane by lane, what [`super::scalar::sum_lanes`] /
//! [`super::scalar::dot_lanes`] / [`super::scalar::escape_time`] write out.

use core::arch::wasm32::*;

use super::scalar;

/// The 4 lanes of `v`, lane 0 first.
fn lanes(v: v128) -> [f32; 4] {
    [
        f32x4_extract_lane::<0>(v),
        f32x4_extract_lane::<1>(v),
        f32x4_extract_lane::<2>(v),
        f32x4_extract_lane::<3>(v),
    ]
}

/// 4 f32 from `c` (which must hold at least 4).
fn load(c: &[f32]) -> v128 {
    assert!(c.len() >= 4);
    // SAFETY: `c` holds at least 16 bytes; `v128_load` has no alignment requirement.
    unsafe { v128_load(c.as_ptr().cast()) }
}

/// Σ `x` in 4 lanes (one `f32x4.add` per 4 elements), then [`scalar::finish_sum`].
#[inline(never)]
pub fn sum_simd128(x: &[f32]) -> f32 {
    let body = x.chunks_exact(4);
    let tail = body.remainder();
    let mut acc = f32x4_splat(0.0);
    for c in body {
        acc = f32x4_add(acc, load(c));
    }
    scalar::finish_sum(&lanes(acc), tail)
}

/// Σ `x[i]·y[i]` in 4 lanes (`f32x4.mul` then `f32x4.add`: wasm has no FMA in `simd128`),
/// then [`scalar::finish_dot`].
#[inline(never)]
pub fn dot_simd128(x: &[f32], y: &[f32]) -> f32 {
    let (xs, ys) = (x.chunks_exact(4), y.chunks_exact(4));
    let (xt, yt) = (xs.remainder(), ys.remainder());
    let mut acc = f32x4_splat(0.0);
    for (a, b) in xs.zip(ys) {
        acc = f32x4_add(acc, f32x4_mul(load(a), load(b)));
    }
    scalar::finish_dot(&lanes(acc), xt, yt)
}

/// `out = a·x + y`, 4 elements per `f32x4.mul` + `f32x4.add`; exact like the scalar path.
#[inline(never)]
pub fn saxpy_simd128(a: f32, x: &[f32], y: &[f32], out: &mut [f32]) {
    let body = out.len() / 4 * 4;
    let va = f32x4_splat(a);
    let mut o = out.chunks_exact_mut(4);
    for ((o, x), y) in (&mut o).zip(x.chunks_exact(4)).zip(y.chunks_exact(4)) {
        let v = f32x4_add(f32x4_mul(va, load(x)), load(y));
        // SAFETY: `o` holds 4 f32 = 16 bytes; unaligned store.
        unsafe { v128_store(o.as_mut_ptr().cast(), v) };
    }
    scalar::saxpy(a, &x[body..], &y[body..], o.into_remainder());
}

/// Escape times of 4 pixels at once, with a lane mask (`f32x4.le`, `v128.and`,
/// `v128.any_true`), as [`super::x86::mandelbrot_row_sse2`] does on x86.
#[inline(never)]
pub fn mandelbrot_row_simd128(re: &[f32], im: f32, max_iter: u32, out: &mut [u32]) {
    let (ci, two, four) = (f32x4_splat(im), f32x4_splat(2.0), f32x4_splat(4.0));
    let mut o = out.chunks_exact_mut(4);
    for (o, r) in (&mut o).zip(re.chunks_exact(4)) {
        let cr = load(r);
        let (mut x, mut y) = (f32x4_splat(0.0), f32x4_splat(0.0));
        let mut count = i32x4_splat(0);
        let mut active = i32x4_splat(-1);
        for _ in 0..max_iter {
            let (x2, y2) = (f32x4_mul(x, x), f32x4_mul(y, y));
            active = v128_and(active, f32x4_le(f32x4_add(x2, y2), four));
            if !v128_any_true(active) {
                break;
            }
            // An active lane is all ones, i.e. −1 as an integer: subtracting adds 1.
            count = i32x4_sub(count, active);
            y = f32x4_add(f32x4_mul(f32x4_mul(two, x), y), ci);
            x = f32x4_add(f32x4_sub(x2, y2), cr);
        }
        // SAFETY: `o` holds 4 u32 = 16 bytes; unaligned store.
        unsafe { v128_store(o.as_mut_ptr().cast(), count) };
    }
    let body = re.len() / 4 * 4;
    scalar::mandelbrot_row(&re[body..], im, max_iter, o.into_remainder());
}
