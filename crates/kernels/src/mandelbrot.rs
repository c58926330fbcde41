//! The Mandelbrot set by escape time: every pixel is independent, yet the work is *uneven*.
//! A pixel outside the set escapes after a few iterations, while one inside runs all
//! `max_iter`, so the bands through the middle of the picture cost far more than those at the
//! top and bottom. Split statically (each thread a contiguous block of bands) some threads
//! finish early and wait; handing out bands dynamically, as [`crate::schedule`] does by
//! default, keeps all threads busy.

use std::ops::Range;

use crate::ChunkedKernel;

/// The complex-plane window rendered: re ∈ [`X_MIN`, `X_MAX`], im ∈ [`Y_MIN`, `Y_MAX`].
pub const X_MIN: f64 = -2.0;
/// Right edge of the window (largest real part).
pub const X_MAX: f64 = 0.6;
/// Bottom edge of the window (smallest imaginary part, the last row).
pub const Y_MIN: f64 = -1.2;
/// Top edge of the window (largest imaginary part, row 0).
pub const Y_MAX: f64 = 1.2;

/// Sum of escape-time iteration counts over a `width × height` image, in horizontal bands.
#[derive(Clone, Copy, Debug)]
pub struct Mandelbrot {
    width: usize,
    height: usize,
    max_iter: u32,
    bands: usize,
}

impl Mandelbrot {
    /// An image of `width × height` pixels over the fixed window, at most `max_iter` iterations
    /// per pixel, in `bands` bands of rows (at least 1).
    pub fn new(width: usize, height: usize, max_iter: u32, bands: usize) -> Self {
        Self { width, height, max_iter, bands: bands.max(1) }
    }

    /// The rows of the image band `index` covers (bands tile `0..height` in order).
    pub fn band_rows(&self, index: usize) -> Range<usize> {
        (self.height * index / self.bands)..(self.height * (index + 1) / self.bands)
    }

    /// Iteration count of pixel (`col`, `row`); row 0 is the top (im = [`Y_MAX`]).
    pub fn pixel(&self, col: usize, row: usize) -> u32 {
        let (re, im) = pixel_point(col, row, self.width, self.height);
        escape_time(re, im, self.max_iter)
    }
}

impl ChunkedKernel for Mandelbrot {
    fn chunks(&self) -> usize {
        self.bands
    }

    fn run_chunk(&self, index: usize) -> u64 {
        self.band_rows(index)
            .flat_map(|row| (0..self.width).map(move |col| (col, row)))
            .map(|(col, row)| u64::from(self.pixel(col, row)))
            .sum()
    }
}

/// The centre of pixel (`col`, `row`) in the complex plane.
pub fn pixel_point(col: usize, row: usize, width: usize, height: usize) -> (f64, f64) {
    let re = X_MIN + (col as f64 + 0.5) * (X_MAX - X_MIN) / width as f64;
    let im = Y_MAX - (row as f64 + 0.5) * (Y_MAX - Y_MIN) / height as f64;
    (re, im)
}

/// Iterations of z ← z² + c from z = 0 until |z| > 2, capped at `max_iter` (points that never
/// escape, i.e. inside the set, cost the full `max_iter`).
pub fn escape_time(re: f64, im: f64, max_iter: u32) -> u32 {
    let (mut x, mut y) = (0.0f64, 0.0f64);
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

/// Per-pixel iteration counts of a `width × height` preview, row-major from the top row.
pub fn render(width: usize, height: usize, max_iter: u32) -> Vec<u32> {
    let m = Mandelbrot::new(width, height, max_iter, 1);
    (0..height)
        .flat_map(|row| (0..width).map(move |col| (col, row)))
        .map(|(col, row)| m.pixel(col, row))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_points() {
        // Inside: the origin, the centre of the period-2 bulb (−1), the cusp region (−0.1 + 0.1i).
        for (re, im) in [(0.0, 0.0), (-1.0, 0.0), (-0.1, 0.1)] {
            assert_eq!(escape_time(re, im, 500), 500, "{re} + {im}i");
        }
        // Outside: |c| > 2 escapes after one step; c = 1 escapes at the 3rd (0, 1, 2, 5).
        assert_eq!(escape_time(2.5, 0.0, 500), 1);
        assert_eq!(escape_time(1.0, 0.0, 500), 3);
    }

    #[test]
    fn middle_bands_cost_more() {
        let m = Mandelbrot::new(64, 64, 200, 8);
        let edge = m.run_chunk(0);
        let middle = m.run_chunk(4);
        assert!(middle > 5 * edge, "middle {middle}, edge {edge}");
    }

    #[cfg(not(target_arch = "wasm32"))]
    proptest::proptest! {
        #[test]
        fn bands_sum_to_the_whole_image(
            width in 1usize..40, height in 0usize..40, max_iter in 0u32..60, bands in 1usize..70,
        ) {
            let m = Mandelbrot::new(width, height, max_iter, bands);
            let chunked: u64 = (0..bands).map(|i| m.run_chunk(i)).sum();
            let whole: u64 = render(width, height, max_iter).iter().map(|&n| u64::from(n)).sum();
            proptest::prop_assert_eq!(chunked, whole);
            let mut next = 0;
            for i in 0..bands {
                let r = m.band_rows(i);
                proptest::prop_assert_eq!(r.start, next);
                next = r.end;
            }
            proptest::prop_assert_eq!(next, height);
        }
    }
}
