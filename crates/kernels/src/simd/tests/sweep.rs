//! SIMD × threads: runs, answer checks, the combined-speedup summary, names and tables.

use super::simd_variants;
use crate::schedule::RunControl;
use crate::simd::check::*;
use crate::simd::flynn::{self, FLYNN, LEVELS};
use crate::simd::*;

fn tiny(kernel: Kernel) -> Spec {
    match kernel {
        Kernel::Sum => Spec::Sum { len: 10_001, passes: 3, bands: 5 },
        Kernel::Dot => Spec::Dot { len: 10_003, passes: 2, bands: 7 },
        Kernel::Saxpy => Spec::Saxpy { len: 9_999, passes: 2, bands: 6 },
        Kernel::Mandelbrot => Spec::Mandelbrot { width: 61, height: 40, max_iter: 200, bands: 9 },
    }
}

fn clock() -> impl Fn() -> f64 + Sync {
    let start = std::time::Instant::now();
    move || start.elapsed().as_secs_f64() * 1e3
}

#[test]
fn every_variant_on_every_thread_count_passes_its_check() {
    let pool = rayon::ThreadPoolBuilder::new().num_threads(3).build().unwrap();
    for kernel in Kernel::ALL {
        let job =
            Job { spec: tiny(kernel), variants: simd_variants(), threads: vec![1, 2, 3], reps: 2 };
        let control = RunControl::default();
        let report = pool.install(|| execute(&job, &clock(), &control)).unwrap();
        assert_eq!(control.chunks_done.into_inner(), job.total_chunks());
        let variants = job.variants();
        assert_eq!(report.rows.len(), variants.len() * 3, "{kernel:?}");
        assert_eq!(report.checks.len(), variants.len());
        assert!(report.checks.iter().all(|c| c.ok && c.exact == kernel.is_exact()));
        assert_eq!(report.combined.len(), (variants.len() - 1) * 3);
        let scalar_1 = &report.rows[0];
        assert_eq!((scalar_1.variant, scalar_1.threads), (Variant::Scalar, 1));
        assert_eq!(scalar_1.speedup, Some(1.0));
        assert_eq!(report.unit, kernel.unit());
        let json = serde_json::to_value(&report).unwrap();
        for key in ["kernel", "variant", "lanes", "threads", "median_ms", "min_ms", "max_ms"] {
            assert!(json["rows"][0].get(key).is_some(), "{key}");
        }
        for key in ["throughput", "value", "simd_speedup", "thread_speedup", "speedup"] {
            assert!(json["rows"][0].get(key).is_some(), "{key}");
        }
        let back: Report = serde_json::from_value(json).unwrap();
        assert_eq!(back, report);
    }
}

#[test]
fn every_thread_count_gives_the_same_bits() {
    let pool = rayon::ThreadPoolBuilder::new().num_threads(4).build().unwrap();
    for kernel in Kernel::ALL {
        let mut p = tiny(kernel).prepare();
        for v in Variant::available() {
            let mut run =
                |k| pool.install(|| p.run(v, k, &|| 0.0, &RunControl::default()).unwrap());
            let one = run(1).answer;
            for k in 2..=5 {
                assert_eq!(run(k).answer, one, "{kernel:?} {v:?} on {k} threads");
            }
        }
    }
}

#[test]
fn exact_references() {
    let p = Spec::Sum { len: 1000, passes: 1, bands: 3 }.prepare();
    let (exact, abs) = p.exact().unwrap();
    assert_eq!(exact, abs);
    assert!((exact - 500.0).abs() < 30.0, "mean ½: {exact}");
    assert_eq!(Spec::Saxpy { len: 5, passes: 1, bands: 1 }.prepare().exact(), None);
}

#[test]
fn a_wrong_answer_is_an_error() {
    let job = Job { spec: tiny(Kernel::Saxpy), variants: vec![], threads: vec![1], reps: 1 };
    let mut p = job.spec.prepare();
    let timed = p.run(Variant::Scalar, 1, &|| 1.0, &RunControl::default()).unwrap();
    let step = |rep| Step { variant: Variant::Scalar, threads: 1, rep };
    let mut bad = timed;
    bad.answer.digest ^= 1;
    let runs = [Measured { step: step(None), timed }, Measured { step: step(Some(0)), timed: bad }];
    assert!(matches!(summarize(&job, &p, &runs), Err(SimdError::WrongAnswer(_))));
}

#[test]
fn cancel_stops_a_run() {
    let mut p = tiny(Kernel::Sum).prepare();
    let control = RunControl::default();
    control.cancel.store(true, std::sync::atomic::Ordering::Relaxed);
    assert_eq!(p.run(Variant::Scalar, 2, &|| 0.0, &control), Err(SimdError::Cancelled));
}

fn row(variant: Variant, threads: usize, median_ms: f64) -> Row {
    Row {
        kernel: Kernel::Sum,
        variant,
        lanes: variant.lanes(),
        threads,
        median_ms,
        min_ms: median_ms,
        max_ms: median_ms,
        reps: 1,
        throughput: 0.0,
        value: 0.0,
        simd_speedup: None,
        thread_speedup: None,
        speedup: None,
    }
}

#[test]
fn combined_speedup_against_the_product() {
    let rows = [
        row(Variant::Scalar, 1, 100.0),
        row(Variant::Scalar, 2, 50.0),
        row(Variant::Sse2, 1, 25.0),
        row(Variant::Sse2, 2, 15.0),
        row(Variant::Avx2, 2, 10.0), // no 1-thread row: left out
    ];
    let c = combined(&rows);
    assert_eq!(c.len(), 2);
    assert_eq!((c[0].threads, c[0].product, c[0].measured, c[0].ratio), (1, 4.0, 4.0, 1.0));
    let two = &c[1];
    assert_eq!((two.simd_speedup, two.thread_speedup, two.product), (4.0, 2.0, 8.0));
    assert!((two.measured - 100.0 / 15.0).abs() < 1e-12);
    assert!((two.ratio - (25.0 / 15.0) / 2.0).abs() < 1e-12, "SIMD scales 1.67× vs 2×");
    assert!(combined(&rows[1..]).is_empty(), "no scalar 1-thread baseline");
}

#[test]
fn checks_and_bounds() {
    assert_eq!(gamma(0, F32_UNIT_ROUNDOFF), 0.0);
    assert!(gamma(1 << 24, F32_UNIT_ROUNDOFF).is_infinite());
    assert_eq!(rounding_chain(Kernel::Sum, 1000, 1), 1000);
    assert_eq!(rounding_chain(Kernel::Sum, 1003, 4), 250 + 4 + 3);
    assert_eq!(rounding_chain(Kernel::Dot, 1000, 8), 125 + 8 + 1);
    let tight = reduction_bound(Kernel::Sum, 1 << 15, 8, 8, 1.0);
    let loose = reduction_bound(Kernel::Sum, 1 << 15, 8, 1, 1.0);
    assert!(tight < loose / 7.0, "more lanes, shorter chains: {tight} vs {loose}");
    let c = check_reduction(Kernel::Sum, Variant::Scalar, 1.0 + 1e-3, 1.0, 1.0, 10, 1);
    assert!(!c.ok && (c.rel_error - 1e-3).abs() < 1e-12);
    assert!(check_exact(Variant::Sse2, 5.0, 9, 5.0, 9).ok);
    assert!(!check_exact(Variant::Sse2, 5.0, 8, 5.0, 9).ok);
    assert_eq!(first_bit_difference(&[0.0, 1.0], &[-0.0, 1.0]), Some(0));
    assert_eq!(first_bit_difference(&[1.0], &[1.0, 2.0]), Some(1));
    let d = pixel_differences(&[1, 5, 9], &[1, 6, 7]);
    assert_eq!(d, PixelDiff { pixels: 2, max_iterations: 2 });
    assert_eq!(lane_utilisation(&[1, 1, 1, 5, 9], 5, 4), Some(8.0 / 20.0));
    assert_eq!(lane_utilisation(&[1, 2], 2, 4), None);
    assert_ne!(digest([1, 2]), digest([2, 1]));
}

#[test]
fn names_round_trip() {
    for v in Variant::ALL {
        assert_eq!(Variant::parse(v.name()), Some(v));
        assert_eq!(serde_json::to_value(v).unwrap(), v.name());
    }
    for k in Kernel::ALL {
        assert_eq!(Kernel::parse(k.name()), Some(k));
        for size in crate::Size::ALL {
            let spec = Spec::new(k, size);
            assert_eq!(spec.kernel(), k);
            assert_eq!(serde_json::to_value(spec).unwrap()["kernel"], k.name());
        }
    }
}

#[test]
fn flynn_table_links_each_class_to_an_experiment_or_says_why_not() {
    let names: Vec<_> = FLYNN.iter().map(|c| c.name).collect();
    assert_eq!(names, ["SISD", "SIMD", "MISD", "MIMD"]);
    for c in FLYNN {
        assert_eq!(c.experiments.is_empty(), c.no_experiment.is_some(), "{}", c.name);
        assert!(c.experiments.iter().all(|e| e.route.starts_with("#/")));
    }
    assert!(FLYNN[2].example.contains("Space Shuttle"));
    let routes: Vec<_> = LEVELS.iter().map(|l| l.experiment.route).collect();
    assert_eq!(routes, ["#/cpu?view=superscalar", flynn::SIMD_ROUTE, "#/serial"]);
}

/// Calibration of [`Spec::new`]: `cargo test --release -p parlab-kernels
/// simd::tests::sweep::timing -- --ignored --nocapture` prints 1-thread times per variant.
#[test]
#[ignore]
fn timing() {
    let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
    for kernel in Kernel::ALL {
        for size in crate::Size::ALL {
            let mut p = Spec::new(kernel, size).prepare();
            for v in Variant::available() {
                let ms = pool.install(|| p.run(v, 1, &clock(), &RunControl::default())).unwrap();
                println!(
                    "{:>10} {:>6} {:>7}: {:8.1} ms",
                    kernel.name(),
                    size.name(),
                    v.name(),
                    ms.wall_ms
                );
            }
        }
    }
}
