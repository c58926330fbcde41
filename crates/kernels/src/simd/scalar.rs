//! The scalar paths: one element per instruction, on purpose (see the module docs of
//! [`crate::simd`] for why and for how it was checked in the generated code), plus the SIMD
//! paths' order of operations written out in scalar code ([`sum_lanes`], [`dot_lanes`]).
//!
//! Every function here is `#[inline(never)]`: each is one call per chunk (or per pixel), so
//! the call costs nothing measurable, and the compiled loop stays a function of its own that
//! can be read in the assembly (`parlab_kernels::simd::scalar::sum` and so on).

/// The most lanes any SIMD path here uses (AVX2: 8 × f32); [`sum_lanes`] and [`dot_lanes`]
/// accept up to this many.
pub const MAX_LANES: usize = 16;

/// Σ `x`, one accumulator, in index order: `((0 + x₀) + x₁) + x₂ …`.
///
/// Stays scalar without any trick: every addition needs the previous one's result, and
/// float addition is not associative, so the compiler may not split the chain into lanes
/// (Rust has no fast-math). The loop runs at one addition per add *latency* (≈ 3–4 cycles).
#[inline(never)]
pub fn sum(x: &[f32]) -> f32 {
    let mut s = 0.0f32;
    for &v in x {
        s += v;
    }
    s
}

/// Σ `x[i]·y[i]` over the common length, one accumulator, in index order, each product
/// rounded before it is added (no FMA).
///
/// The additions stay in order for the same reason as in [`sum`], but the *products* are
/// independent of each other: with plain loads, LLVM's SLP vectoriser packed two of every
/// four into one `mulps` (seen in the x86-64 assembly). So the inputs are read with volatile
/// loads, as in [`saxpy`]: one scalar load per element, nothing merged or widened.
#[inline(never)]
pub fn dot(x: &[f32], y: &[f32]) -> f32 {
    let mut s = 0.0f32;
    for (a, b) in x.iter().zip(y) {
        // SAFETY: both pointers come from live references (valid, aligned, initialised).
        let (a, b) = unsafe { (std::ptr::read_volatile(a), std::ptr::read_volatile(b)) };
        s += a * b;
    }
    s
}

/// `out[i] = a·x[i] + y[i]` (product rounded, then the sum: no FMA).
///
/// An element-wise loop like this is exactly what the auto-vectoriser turns into SIMD by
/// itself, so each element is read and written with a *volatile* access: one scalar load
/// per input and one scalar store per output, in order, which the compiler may neither
/// merge nor widen. That is precisely the memory traffic of a scalar loop, so nothing extra
/// is measured; only the vectorisation is ruled out, at any optimisation level.
///
/// # Panics
/// If the three lengths differ.
#[inline(never)]
pub fn saxpy(a: f32, x: &[f32], y: &[f32], out: &mut [f32]) {
    assert!(x.len() == out.len() && y.len() == out.len(), "saxpy: lengths differ");
    for ((o, xi), yi) in out.iter_mut().zip(x).zip(y) {
        // SAFETY: each pointer comes from a live reference, so it is valid, aligned and
        // initialised; volatile only forbids merging or widening the access.
        unsafe {
            let (xi, yi) = (std::ptr::read_volatile(xi), std::ptr::read_volatile(yi));
            std::ptr::write_volatile(o, a * xi + yi);
        }
    }
}

/// Iterations of z ← z² + c from z = 0 until |z|² > 4, capped at `max_iter`, in f32 — the
/// same arithmetic, in the same order, as every SIMD lane does, so the counts agree exactly:
/// `x² `, `y²`, the test, then `y ← (2x)·y + im`, `x ← (x² − y²) + re`.
///
/// Scalar by construction: the loop exits when *this* pixel escapes, and the function is not
/// inlined into the loop over pixels, so there is no loop across pixels to vectorise.
#[inline(never)]
pub fn escape_time(re: f32, im: f32, max_iter: u32) -> u32 {
    let (mut x, mut y) = (0.0f32, 0.0f32);
    let mut n = 0;
    while n < max_iter {
        let (x2, y2) = (x * x, y * y);
        if x2 + y2 > 4.0 {
            break;
        }
        y = 2.0 * x * y + im;
        x = x2 - y2 + re;
        n += 1;
    }
    n
}

/// Escape times of one image row: pixel `i` is c = `re[i]` + `im`·i.
///
/// # Panics
/// If `re` and `out` differ in length.
#[inline(never)]
pub fn mandelbrot_row(re: &[f32], im: f32, max_iter: u32, out: &mut [u32]) {
    assert_eq!(re.len(), out.len(), "mandelbrot_row: lengths differ");
    for (o, &r) in out.iter_mut().zip(re) {
        *o = escape_time(r, im, max_iter);
    }
}

/// How every SIMD sum ends: the lane totals added in lane order starting from 0, then the
/// `tail` (the `len mod lanes` elements no full vector covered) one by one.
pub fn finish_sum(lanes: &[f32], tail: &[f32]) -> f32 {
    let mut s = lanes.iter().fold(0.0f32, |s, &v| s + v);
    for &v in tail {
        s += v;
    }
    s
}

/// How every SIMD dot product ends: as [`finish_sum`], with the tail's products rounded
/// before they are added (no FMA).
pub fn finish_dot(lanes: &[f32], x_tail: &[f32], y_tail: &[f32]) -> f32 {
    let mut s = lanes.iter().fold(0.0f32, |s, &v| s + v);
    for (&a, &b) in x_tail.iter().zip(y_tail) {
        s += a * b;
    }
    s
}

/// The SIMD sum's order of operations in scalar code: element `i` of the vector part goes to
/// partial sum `i mod lanes`, then [`finish_sum`]. A `lanes`-wide SIMD sum returns exactly
/// this (bit for bit): reassociation is the *only* difference from [`sum`].
///
/// # Panics
/// If `lanes` is 0 or more than [`MAX_LANES`].
pub fn sum_lanes(x: &[f32], lanes: usize) -> f32 {
    assert!((1..=MAX_LANES).contains(&lanes), "sum_lanes: 1..={MAX_LANES} lanes");
    let body = x.len() / lanes * lanes;
    let mut acc = [0.0f32; MAX_LANES];
    for (i, &v) in x[..body].iter().enumerate() {
        acc[i % lanes] += v;
    }
    finish_sum(&acc[..lanes], &x[body..])
}

/// The SIMD dot product's order of operations in scalar code (see [`sum_lanes`]); `fused`
/// adds each lane's product with one rounding (`mul_add`, as FMA does), otherwise the
/// product is rounded first.
///
/// # Panics
/// If `lanes` is 0 or more than [`MAX_LANES`], or the lengths differ.
pub fn dot_lanes(x: &[f32], y: &[f32], lanes: usize, fused: bool) -> f32 {
    assert!((1..=MAX_LANES).contains(&lanes), "dot_lanes: 1..={MAX_LANES} lanes");
    assert_eq!(x.len(), y.len(), "dot_lanes: lengths differ");
    let body = x.len() / lanes * lanes;
    let mut acc = [0.0f32; MAX_LANES];
    for (i, (&a, &b)) in x[..body].iter().zip(&y[..body]).enumerate() {
        let l = &mut acc[i % lanes];
        *l = if fused { a.mul_add(b, *l) } else { *l + a * b };
    }
    finish_dot(&acc[..lanes], &x[body..], &y[body..])
}
