//! The four kernels as measurable jobs: generated inputs, outputs, chunks, and a run on
//! exactly `k` rayon tasks.
//!
//! Sum, dot and saxpy work on arrays of 2¹⁸ f32 (1 MiB each: they stay in the cache, so the
//! arithmetic is measured rather than main memory) swept `passes` times; chunk `c` is band
//! `c mod bands` of pass `c / bands`, so consecutive chunks walk through the whole array
//! before any of it is read again. Mandelbrot (f32) has one band of rows per chunk. Inputs
//! are multiples of 2⁻²⁴ in [0, 1), so the exact sum and dot product can be computed in
//! integers as the reference.

use std::ops::Range;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering};

use serde::{Deserialize, Serialize};

use super::check::digest;
use super::{Kernel, SimdError, Spec, Variant};
use crate::mandelbrot::pixel_point;
use crate::pi::SplitMix64;
use crate::schedule::{Clock, RunControl};

/// The scaling constant of saxpy (not a power of two, so a·x really rounds).
pub const SAXPY_A: f32 = 1.7;

const Y_SEED: u64 = 0x5EED_0000_0000_0000;

/// A multiple of 2⁻²⁴ in [0, 1), from 24 random bits of SplitMix64 seeded with `i`.
fn unit(i: u64) -> f32 {
    (SplitMix64(i).next_u64() >> 40) as f32 * (1.0 / 16_777_216.0)
}

/// Σ x exactly (each x is k·2⁻²⁴, so Σk is an integer), rounded once to f64.
fn exact_sum(x: &[f32]) -> f64 {
    let k: u64 = x.iter().map(|&v| (v * 16_777_216.0) as u64).sum();
    k as f64 / 16_777_216.0
}

/// Σ x·y exactly in integers (products are k·2⁻⁴⁸), rounded once to f64.
fn exact_dot(x: &[f32], y: &[f32]) -> f64 {
    let k: u128 = x
        .iter()
        .zip(y)
        .map(|(&a, &b)| {
            u128::from((a * 16_777_216.0) as u64) * u128::from((b * 16_777_216.0) as u64)
        })
        .sum();
    k as f64 / (16_777_216.0 * 16_777_216.0)
}

/// Band `b` of `bands` over `0..len`.
fn band(len: usize, bands: usize, b: usize) -> Range<usize> {
    (len * b / bands)..(len * (b + 1) / bands)
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

enum Data {
    Reduce {
        x: Vec<f32>,
        /// Empty for the sum.
        y: Vec<f32>,
        passes: usize,
        bands: usize,
        /// f32 bits of each chunk's partial result.
        partials: Vec<AtomicU32>,
        exact: f64,
    },
    Saxpy {
        x: Vec<f32>,
        y: Vec<f32>,
        passes: usize,
        bands: usize,
        z: Vec<Mutex<Vec<f32>>>,
    },
    Mandelbrot {
        width: usize,
        re: Vec<f32>,
        im: Vec<f32>,
        max_iter: u32,
        bands: usize,
        counts: Vec<Mutex<Vec<u32>>>,
    },
}

/// A run's answer: a number to show and a digest of every output word to compare.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Answer {
    /// Sum / dot: the sum over one pass (chunk partials added in f64, in band order);
    /// saxpy: Σ z in f64; Mandelbrot: total iterations.
    pub value: f64,
    /// [`digest`] of every chunk partial's bits (sum, dot), of z's bits (saxpy) or of every
    /// pixel's count (Mandelbrot): equal for equal outputs.
    pub digest: u64,
}

/// One timed run.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Timed {
    /// Wall time, fork and join included, ms (the caller's clock).
    pub wall_ms: f64,
    /// What the run computed (read after the clock stopped).
    pub answer: Answer,
}

/// A job's inputs and outputs, ready to run any number of times with any variant.
pub struct Prepared {
    spec: Spec,
    data: Data,
}

impl Prepared {
    /// Generates the inputs of `spec` and allocates its outputs (O(size), once per job).
    pub fn new(spec: Spec) -> Prepared {
        let data = match spec {
            Spec::Sum { len, passes, bands } | Spec::Dot { len, passes, bands } => {
                let dot = spec.kernel() == Kernel::Dot;
                let x: Vec<f32> = (0..len).map(|i| unit(i as u64)).collect();
                let y: Vec<f32> = if dot {
                    (0..len).map(|i| unit(Y_SEED ^ i as u64)).collect()
                } else {
                    Vec::new()
                };
                let exact = if dot { exact_dot(&x, &y) } else { exact_sum(&x) };
                let partials = (0..passes * bands.max(1)).map(|_| AtomicU32::new(0)).collect();
                Data::Reduce { x, y, passes, bands: bands.max(1), partials, exact }
            }
            Spec::Saxpy { len, passes, bands } => {
                let bands = bands.max(1);
                let z = (0..bands).map(|b| Mutex::new(vec![0.0; band(len, bands, b).len()]));
                Data::Saxpy {
                    x: (0..len).map(|i| unit(i as u64)).collect(),
                    y: (0..len).map(|i| unit(Y_SEED ^ i as u64)).collect(),
                    passes,
                    bands,
                    z: z.collect(),
                }
            }
            Spec::Mandelbrot { width, height, max_iter, bands } => {
                let bands = bands.max(1);
                let re = (0..width).map(|c| pixel_point(c, 0, width, height).0 as f32).collect();
                let im = (0..height).map(|r| pixel_point(0, r, width, height).1 as f32).collect();
                let counts =
                    (0..bands).map(|b| Mutex::new(vec![0; band(height, bands, b).len() * width]));
                Data::Mandelbrot { width, re, im, max_iter, bands, counts: counts.collect() }
            }
        };
        Prepared { spec, data }
    }

    /// The job this was prepared from.
    pub fn spec(&self) -> Spec {
        self.spec
    }

    /// Chunks per run.
    pub fn chunks(&self) -> usize {
        self.spec.chunks()
    }

    /// The largest number of elements one chunk reduces (for [`super::check::reduction_bound`]).
    pub fn chunk_len(&self) -> usize {
        match &self.data {
            Data::Reduce { x, bands, .. } => x.len().div_ceil(*bands),
            Data::Saxpy { x, bands, .. } => x.len().div_ceil(*bands),
            Data::Mandelbrot { width, im, bands, .. } => im.len().div_ceil(*bands) * width,
        }
    }

    /// Sum and dot: the exact answer of one pass and Σ|termᵢ| (equal: all terms are ≥ 0).
    pub fn exact(&self) -> Option<(f64, f64)> {
        match &self.data {
            Data::Reduce { exact, .. } => Some((*exact, *exact)),
            _ => None,
        }
    }

    /// Work items of one run for a run that answered `value`: elements × passes, or
    /// Mandelbrot iterations (the value itself).
    pub fn items(&self, value: f64) -> f64 {
        match &self.data {
            Data::Reduce { x, passes, .. } | Data::Saxpy { x, passes, .. } => {
                (x.len() * passes) as f64
            }
            Data::Mandelbrot { .. } => value,
        }
    }

    /// Mandelbrot: image width in pixels.
    pub fn width(&self) -> Option<usize> {
        match &self.data {
            Data::Mandelbrot { width, .. } => Some(*width),
            _ => None,
        }
    }

    /// Mandelbrot: every pixel's count from the latest run, row-major from the top row.
    pub fn image(&self) -> Option<Vec<u32>> {
        match &self.data {
            Data::Mandelbrot { counts, .. } => {
                Some(counts.iter().flat_map(|b| lock(b).clone()).collect())
            }
            _ => None,
        }
    }

    /// Saxpy: z from the latest run.
    pub fn output(&self) -> Option<Vec<f32>> {
        match &self.data {
            Data::Saxpy { z, .. } => Some(z.iter().flat_map(|b| lock(b).clone()).collect()),
            _ => None,
        }
    }

    /// Computes chunk `index` with `variant` into the outputs (any thread may call it).
    ///
    /// # Panics
    /// If `variant` is not available or `index` is out of range.
    pub fn run_chunk(&self, variant: Variant, index: usize) {
        match &self.data {
            Data::Reduce { x, y, bands, partials, .. } => {
                let r = band(x.len(), *bands, index % bands);
                let v = if y.is_empty() {
                    super::sum(variant, &x[r])
                } else {
                    super::dot(variant, &x[r.clone()], &y[r])
                };
                partials[index].store(v.to_bits(), Ordering::Relaxed);
            }
            Data::Saxpy { x, y, bands, z, .. } => {
                let r = band(x.len(), *bands, index % bands);
                super::saxpy(variant, SAXPY_A, &x[r.clone()], &y[r], &mut lock(&z[index % bands]));
            }
            Data::Mandelbrot { width, re, im, max_iter, bands, counts } => {
                let mut out = lock(&counts[index]);
                let rows = band(im.len(), *bands, index);
                for (row, o) in im[rows].iter().zip(out.chunks_exact_mut(*width)) {
                    super::mandelbrot_row(variant, re, *row, *max_iter, o);
                }
            }
        }
    }

    /// Overwrites every output with a marker (NaN, `u32::MAX`), so a chunk that was skipped
    /// cannot pass for one computed by an earlier run.
    fn clear(&self) {
        match &self.data {
            Data::Reduce { partials, .. } => {
                partials.iter().for_each(|p| p.store(f32::NAN.to_bits(), Ordering::Relaxed))
            }
            Data::Saxpy { z, .. } => z.iter().for_each(|b| lock(b).fill(f32::NAN)),
            Data::Mandelbrot { counts, .. } => counts.iter().for_each(|b| lock(b).fill(u32::MAX)),
        }
    }

    /// The answer of the latest run.
    pub fn answer(&self) -> Answer {
        match &self.data {
            Data::Reduce { passes, bands, partials, .. } => {
                let bits = || partials.iter().map(|p| p.load(Ordering::Relaxed));
                let first = bits().take(if *passes > 0 { *bands } else { 0 });
                Answer {
                    value: first.map(|b| f64::from(f32::from_bits(b))).sum(),
                    digest: digest(bits()),
                }
            }
            Data::Saxpy { z, .. } => {
                let z: Vec<f32> = z.iter().flat_map(|b| lock(b).clone()).collect();
                let value = z.iter().map(|&v| f64::from(v)).sum();
                Answer { value, digest: digest(z.iter().map(|v| v.to_bits())) }
            }
            Data::Mandelbrot { counts, .. } => {
                let counts: Vec<u32> = counts.iter().flat_map(|b| lock(b).clone()).collect();
                let value = counts.iter().map(|&c| f64::from(c)).sum();
                Answer { value, digest: digest(counts) }
            }
        }
    }

    /// Runs every chunk with `variant` on exactly `threads` rayon tasks of the current pool
    /// (natively inside `pool.install`; in wasm the global pool), each pulling the next chunk
    /// index from one atomic counter; `clock` times the whole parallel section, fork and
    /// join included. Counts finished chunks in `control.chunks_done`. `&mut self`: one run
    /// at a time, since every run overwrites the same outputs.
    pub fn run(
        &mut self,
        variant: Variant,
        threads: usize,
        clock: &dyn Clock,
        control: &RunControl,
    ) -> Result<Timed, SimdError> {
        if !variant.is_available() {
            return Err(SimdError::Unavailable(variant));
        }
        self.clear();
        let this = &*self;
        let n = this.chunks();
        let (next, done) = (AtomicUsize::new(0), AtomicUsize::new(0));
        let t0 = clock.now_ms();
        rayon::scope(|s| {
            for _ in 0..threads.max(1) {
                let (next, done) = (&next, &done);
                s.spawn(move |_| {
                    while !control.is_cancelled() {
                        let chunk = next.fetch_add(1, Ordering::Relaxed);
                        if chunk >= n {
                            break;
                        }
                        this.run_chunk(variant, chunk);
                        done.fetch_add(1, Ordering::Relaxed);
                        control.chunks_done.fetch_add(1, Ordering::Relaxed);
                    }
                });
            }
        });
        let wall_ms = clock.now_ms() - t0;
        if done.into_inner() < n {
            return Err(SimdError::Cancelled);
        }
        Ok(Timed { wall_ms, answer: self.answer() })
    }
}
