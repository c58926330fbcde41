//! Summaries of repeated timings, as the measurement rules ask: median, min and max.

/// Median, minimum and maximum of a set of repetitions (milliseconds).
///
/// The median, not the mean, is the reported time: one run disturbed by the OS or the browser
/// moves the mean but not the median; min and max show the spread.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Summary {
    /// Middle value; the mean of the two middle values for an even count.
    pub median: f64,
    /// Fastest repetition.
    pub min: f64,
    /// Slowest repetition.
    pub max: f64,
}

impl Summary {
    /// Summarises `samples`; `None` when there are none (or any is NaN).
    ///
    /// ```
    /// use parlab_model::stats::Summary;
    ///
    /// let s = Summary::of(&[12.0, 10.0, 31.0, 11.0]).unwrap();
    /// assert_eq!((s.median, s.min, s.max), (11.5, 10.0, 31.0));
    /// ```
    pub fn of(samples: &[f64]) -> Option<Summary> {
        if samples.is_empty() || samples.iter().any(|x| x.is_nan()) {
            return None;
        }
        let mut v = samples.to_vec();
        v.sort_by(f64::total_cmp);
        let n = v.len();
        let median = if n % 2 == 1 { v[n / 2] } else { (v[n / 2 - 1] + v[n / 2]) / 2.0 };
        Some(Summary { median, min: v[0], max: v[n - 1] })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn odd_and_even_counts() {
        assert_eq!(Summary::of(&[3.0, 1.0, 2.0]).unwrap().median, 2.0);
        assert_eq!(Summary::of(&[4.0, 1.0, 2.0, 3.0]).unwrap().median, 2.5);
        assert_eq!(Summary::of(&[]), None);
        assert_eq!(Summary::of(&[1.0, f64::NAN]), None);
    }

    #[cfg(not(target_arch = "wasm32"))]
    proptest::proptest! {
        #[test]
        fn median_lies_between_min_and_max(v in proptest::collection::vec(0.0f64..1e6, 1..50)) {
            let s = Summary::of(&v).unwrap();
            proptest::prop_assert!(s.min <= s.median && s.median <= s.max);
            proptest::prop_assert!(v.iter().all(|&x| s.min <= x && x <= s.max));
        }
    }
}
