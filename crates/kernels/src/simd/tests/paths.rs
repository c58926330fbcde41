//! The scalar and SIMD paths agree: bit for bit with the lane order (sum, dot), exactly
//! (saxpy, Mandelbrot), within the rounding bound (property tests).

use super::{lengths, random, simd_variants};
use crate::schedule::RunControl;
use crate::simd::check::*;
use crate::simd::*;

#[test]
fn native_builds_have_sse2_and_the_scalar_path() {
    let all = Variant::available();
    assert_eq!(all[0], Variant::Scalar);
    #[cfg(target_arch = "x86_64")]
    assert!(all.contains(&Variant::Sse2));
    assert!(!all.contains(&Variant::Simd128));
}

#[test]
fn the_scalar_order_is_one_lane() {
    for len in lengths() {
        let (x, y) = (random(len, 1, 1.0), random(len, 2, 1.0));
        assert_eq!(sum(Variant::Scalar, &x).to_bits(), scalar::sum_lanes(&x, 1).to_bits());
        let d = scalar::dot_lanes(&x, &y, 1, false);
        assert_eq!(dot(Variant::Scalar, &x, &y).to_bits(), d.to_bits());
    }
}

#[test]
fn simd_sums_differ_from_scalar_only_by_reassociation() {
    for v in simd_variants() {
        for len in lengths() {
            let (x, y) = (random(len, len as u64, 10.0), random(len, 99 + len as u64, 10.0));
            let want = scalar::sum_lanes(&x, v.lanes());
            assert_eq!(sum(v, &x).to_bits(), want.to_bits(), "{v:?} sum, len {len}");
            let want = scalar::dot_lanes(&x, &y, v.lanes(), v.fused_dot());
            assert_eq!(dot(v, &x, &y).to_bits(), want.to_bits(), "{v:?} dot, len {len}");
        }
    }
}

#[test]
fn reassociation_really_changes_the_bits_but_stays_in_bound() {
    let x = random(100_000, 5, 1.0);
    let exact: f64 = x.iter().map(|&v| f64::from(v)).sum();
    let abs: f64 = x.iter().map(|&v| f64::from(v.abs())).sum();
    let (one, four) = (scalar::sum(&x), scalar::sum_lanes(&x, 4));
    assert_ne!(one.to_bits(), four.to_bits(), "the lane order rounds differently");
    for (v, s) in [(Variant::Scalar, one), (Variant::Sse2, four)] {
        let c = check_reduction(Kernel::Sum, v, f64::from(s), exact, abs, x.len(), 1);
        assert!(c.ok, "{c:?}");
    }
}

#[test]
fn saxpy_is_exact_on_edge_values() {
    let edge = [0.0, -0.0, 1e-40, -1e-40, f32::MIN_POSITIVE, 1e30, -1e30, f32::MAX, 3.5, -2.25];
    for v in simd_variants() {
        for len in lengths() {
            let mut x = random(len, 7, 100.0);
            let y = random(len, 8, 100.0);
            for (xi, e) in x.iter_mut().zip(edge.iter().cycle()) {
                if len % 3 == 0 {
                    *xi = *e;
                }
            }
            let (mut want, mut got) = (vec![0.0; len], vec![1.0; len]);
            scalar::saxpy(-0.3, &x, &y, &mut want);
            saxpy(v, -0.3, &x, &y, &mut got);
            assert_eq!(first_bit_difference(&want, &got), None, "{v:?}, len {len}");
        }
    }
}

#[test]
fn mandelbrot_rows_agree_pixel_for_pixel() {
    assert_eq!(scalar::escape_time(0.0, 0.0, 500), 500);
    assert_eq!(scalar::escape_time(-1.0, 0.0, 500), 500);
    assert_eq!(scalar::escape_time(2.5, 0.0, 500), 1);
    assert_eq!(scalar::escape_time(1.0, 0.0, 500), 3);
    for v in simd_variants() {
        for width in [0, 1, 3, 4, 7, 8, 9, 17, 61] {
            for (im, max_iter) in [(0.0, 0), (0.0, 1), (0.1, 300), (0.65, 1000), (-1.1, 50)] {
                let re: Vec<f32> = (0..width).map(|c| -2.0 + 2.6 * c as f32 / 61.0).collect();
                let (mut want, mut got) = (vec![0; width], vec![7; width]);
                scalar::mandelbrot_row(&re, im, max_iter, &mut want);
                mandelbrot_row(v, &re, im, max_iter, &mut got);
                assert_eq!(want, got, "{v:?}, width {width}, im {im}, max {max_iter}");
            }
        }
    }
}

#[test]
fn whole_images_agree_and_simd_lanes_idle_at_the_edge_of_the_set() {
    let spec = Spec::Mandelbrot { width: 133, height: 90, max_iter: 400, bands: 7 };
    let mut p = spec.prepare();
    let clock = || 0.0;
    p.run(Variant::Scalar, 1, &clock, &RunControl::default()).unwrap();
    let want = p.image().unwrap();
    assert_eq!(want.len(), 133 * 90);
    for v in simd_variants() {
        p.run(v, 2, &clock, &RunControl::default()).unwrap();
        assert_eq!(pixel_differences(&want, &p.image().unwrap()), PixelDiff::default(), "{v:?}");
        let used = lane_utilisation(&want, 133, v.lanes()).unwrap();
        assert!(used > 0.5 && used < 1.0, "{v:?}: {used}");
    }
}

#[test]
#[cfg(target_arch = "x86_64")]
#[should_panic(expected = "not available")]
fn an_unavailable_variant_panics_in_the_plain_functions() {
    sum(Variant::Simd128, &[1.0]);
}

#[test]
#[cfg(target_arch = "x86_64")]
fn an_unavailable_variant_is_an_error_in_a_run() {
    let mut p = Spec::Sum { len: 10, passes: 1, bands: 1 }.prepare();
    let out = p.run(Variant::Simd128, 1, &|| 0.0, &RunControl::default());
    assert_eq!(out, Err(SimdError::Unavailable(Variant::Simd128)));
}

proptest::proptest! {
    #[test]
    fn saxpy_exact_for_any_input(
        a in -1e6f32..1e6,
        xy in proptest::collection::vec((-1e20f32..1e20, -1e20f32..1e20), 0..300),
    ) {
        let (x, y): (Vec<f32>, Vec<f32>) = xy.into_iter().unzip();
        let mut want = vec![0.0; x.len()];
        scalar::saxpy(a, &x, &y, &mut want);
        for v in Variant::available() {
            let mut got = vec![0.0; x.len()];
            saxpy(v, a, &x, &y, &mut got);
            proptest::prop_assert_eq!(first_bit_difference(&want, &got), None);
        }
    }

    #[test]
    fn sums_stay_within_the_rounding_bound(
        x in proptest::collection::vec(-1e4f32..1e4, 0..3000),
    ) {
        let exact: f64 = x.iter().map(|&v| f64::from(v)).sum();
        let abs: f64 = x.iter().map(|&v| f64::from(v.abs())).sum();
        let y: Vec<f32> = x.iter().map(|v| v * 0.5 + 1.0).collect();
        let dot_exact: f64 = x.iter().zip(&y).map(|(&a, &b)| f64::from(a) * f64::from(b)).sum();
        let dot_abs: f64 = x.iter().zip(&y).map(|(&a, &b)| (f64::from(a) * f64::from(b)).abs()).sum();
        for v in Variant::available() {
            let s = check_reduction(Kernel::Sum, v, sum(v, &x).into(), exact, abs, x.len(), 1);
            proptest::prop_assert!(s.ok, "{:?}", s);
            let d = dot(v, &x, &y).into();
            let d = check_reduction(Kernel::Dot, v, d, dot_exact, dot_abs, x.len(), 1);
            proptest::prop_assert!(d.ok, "{:?}", d);
        }
    }
}
