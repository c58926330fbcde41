//! The `simd128` paths in a real browser engine (headless Chromium via
//! wasm-bindgen-test-runner, as `./test` runs `wasm_pool.rs`): each against the scalar path,
//! and a small SIMD × threads sweep on the real wasm rayon pool.
#![cfg(target_arch = "wasm32")]

use std::sync::atomic::{AtomicBool, Ordering};

use parlab_kernels::pi::SplitMix64;
use parlab_kernels::schedule::RunControl;
use parlab_kernels::simd::{self, Job, Kernel, Spec, Variant, scalar};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_dedicated_worker);

pub use wasm_bindgen_rayon::init_thread_pool;

mod perf {
    use wasm_bindgen::prelude::*;
    #[wasm_bindgen]
    extern "C" {
        pub type Performance;
        #[wasm_bindgen(method)]
        pub fn now(this: &Performance) -> f64;
        #[wasm_bindgen(method, getter, js_name = timeOrigin)]
        pub fn time_origin(this: &Performance) -> f64;
    }
}

fn now() -> f64 {
    let perf: perf::Performance =
        js_sys::Reflect::get(&js_sys::global(), &"performance".into()).unwrap().unchecked_into();
    perf.time_origin() + perf.now()
}

async fn start_pool() {
    static STARTED: AtomicBool = AtomicBool::new(false);
    if !STARTED.swap(true, Ordering::SeqCst) {
        JsFuture::from(init_thread_pool(2)).await.expect("thread pool starts");
    }
}

fn random(len: usize, seed: u64) -> Vec<f32> {
    let mut g = SplitMix64(seed);
    (0..len).map(|_| (g.next_u64() >> 40) as f32 / 8_388_608.0 - 1.0).collect()
}

#[wasm_bindgen_test]
fn simd128_is_built_in() {
    assert_eq!(Variant::available(), vec![Variant::Scalar, Variant::Simd128]);
}

#[wasm_bindgen_test]
fn simd128_agrees_with_the_scalar_path() {
    let v = Variant::Simd128;
    for len in (0..=21).chain([64, 65, 1001]) {
        let (x, y) = (random(len, len as u64), random(len, 1000 + len as u64));
        assert_eq!(simd::sum(v, &x).to_bits(), scalar::sum_lanes(&x, 4).to_bits(), "sum {len}");
        let want = scalar::dot_lanes(&x, &y, 4, false);
        assert_eq!(simd::dot(v, &x, &y).to_bits(), want.to_bits(), "dot {len}");
        let (mut want, mut got) = (vec![0.0; len], vec![0.0; len]);
        scalar::saxpy(1.7, &x, &y, &mut want);
        simd::saxpy(v, 1.7, &x, &y, &mut got);
        assert_eq!(simd::check::first_bit_difference(&want, &got), None, "saxpy {len}");
        let re: Vec<f32> = x.iter().map(|r| r * 2.0 - 0.5).collect();
        let (mut want, mut got) = (vec![0; len], vec![0; len]);
        scalar::mandelbrot_row(&re, 0.3, 200, &mut want);
        simd::mandelbrot_row(v, &re, 0.3, 200, &mut got);
        assert_eq!(want, got, "mandelbrot {len}");
    }
}

#[wasm_bindgen_test]
async fn a_sweep_on_the_wasm_pool() {
    start_pool().await;
    for spec in [
        Spec::Dot { len: 5_003, passes: 2, bands: 4 },
        Spec::Mandelbrot { width: 41, height: 30, max_iter: 100, bands: 6 },
    ] {
        let job = Job { spec, variants: vec![Variant::Simd128], threads: vec![1, 2], reps: 1 };
        let report = simd::execute(&job, &now, &RunControl::default()).expect("runs and checks");
        assert_eq!(report.rows.len(), 4);
        assert!(report.checks.iter().all(|c| c.ok));
        assert_eq!(report.checks[0].exact, spec.kernel() == Kernel::Mandelbrot);
        assert_eq!(report.combined.len(), 2);
    }
}

/// matmul's hand-written `simd128` tile against the textbook triple loop in integers, for sizes
/// that leave partial tiles in both directions.
#[wasm_bindgen_test]
fn the_matmul_tile_agrees_with_the_triple_loop() {
    use parlab_kernels::ChunkedKernel;
    use parlab_kernels::matmul::{Matmul, triple_loop_checksum};
    for (n, bands) in [(1, 1), (9, 2), (37, 3), (131, 7)] {
        let k = Matmul::new(n, bands);
        let chunked: u64 = (0..bands).map(|b| k.run_chunk(b)).sum();
        assert_eq!(chunked, triple_loop_checksum(n), "n = {n}");
    }
}

/// The roofline's hand-packed `f64x2` chains compute what the same chains do one by one.
#[wasm_bindgen_test]
fn the_compute_roof_block_agrees_with_scalar_chains() {
    use parlab_kernels::machine::roofline::{flops_block, scalar_chains};
    assert_eq!(flops_block(3.0).to_bits(), scalar_chains(3.0).to_bits());
}
