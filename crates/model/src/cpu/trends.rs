//! Fifty years of microprocessors on real data: the end of frequency scaling, measured.
//!
//! "Clocks stopped rising around 2005" and "cores double every 18–24 months" are claims; this
//! module lets the lab check them against the data set behind the well-known chart: transistor
//! counts, single-thread SpecINT, clock, typical power and logical cores, 1971–2021. The files
//! are unmodified copies in `crates/model/data/microprocessor-trend-data/` (with their README
//! and license), embedded at compile time so the lab works offline.
//!
//! Growth is measured two ways:
//! - [`doubling_time`]: ordinary least squares of `log2(value)` against the year over a chosen
//!   range; the slope `b` (doublings per year) gives the doubling time `1/b` years. R² tells how
//!   well one exponential describes the range.
//! - [`median_growth_per_year`]: the Theil–Sen estimator (median of the slopes of all pairs of
//!   points), robust to the scatter of chips of the same year: growth `2^median − 1` per year.

/// Credit for the data, as its CC BY 4.0 license requires; the wording follows the chart in the
/// data set's repository.
pub const ATTRIBUTION: &str = "Microprocessor trend data by K. Rupp \
(https://github.com/karlrupp/microprocessor-trend-data). Original data up to the year 2010 \
collected and plotted by M. Horowitz, F. Labonte, O. Shacham, K. Olukotun, L. Hammond, and \
C. Batten. New plot and data collected for 2010-2021 by K. Rupp. Licensed under CC BY 4.0 \
(https://creativecommons.org/licenses/by/4.0/); data used unmodified.";

/// The slide's claim the lab sets the measured core-count doubling time against, months.
pub const CORES_CLAIM_MONTHS: (f64, f64) = (18.0, 24.0);

/// The five series of the data set.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Trend {
    /// Transistors per chip (`transistors.dat`), thousands.
    Transistors,
    /// Single-thread SpecINT (`specint.dat`), × 10³.
    SpecInt,
    /// Clock frequency (`frequency.dat`), MHz.
    Frequency,
    /// Typical power (`watts.dat`), watts.
    Power,
    /// Logical cores (`cores.dat`), SMT threads counted separately.
    Cores,
}

impl Trend {
    /// All series, in the chart's legend order.
    pub const ALL: [Trend; 5] =
        [Trend::Transistors, Trend::SpecInt, Trend::Frequency, Trend::Power, Trend::Cores];

    /// Display name.
    pub fn name(self) -> &'static str {
        match self {
            Trend::Transistors => "Transistors",
            Trend::SpecInt => "Single-thread performance",
            Trend::Frequency => "Frequency",
            Trend::Power => "Typical power",
            Trend::Cores => "Logical cores",
        }
    }

    /// Unit of the values, as on the chart (SMT threads count as logical cores).
    pub fn unit(self) -> &'static str {
        match self {
            Trend::Transistors => "thousands",
            Trend::SpecInt => "SpecINT × 10³",
            Trend::Frequency => "MHz",
            Trend::Power => "W",
            Trend::Cores => "logical cores",
        }
    }

    /// The embedded data file, verbatim.
    pub fn raw(self) -> &'static str {
        match self {
            Trend::Transistors => {
                include_str!("../../data/microprocessor-trend-data/transistors.dat")
            }
            Trend::SpecInt => include_str!("../../data/microprocessor-trend-data/specint.dat"),
            Trend::Frequency => include_str!("../../data/microprocessor-trend-data/frequency.dat"),
            Trend::Power => include_str!("../../data/microprocessor-trend-data/watts.dat"),
            Trend::Cores => include_str!("../../data/microprocessor-trend-data/cores.dat"),
        }
    }

    /// The parsed series (the embedded files are tested to parse).
    pub fn series(self) -> Series {
        Series::parse(self.name(), self.unit(), self.raw()).expect("embedded data parses")
    }
}

/// One time series: `(year, value)` points in file order.
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    /// Display name.
    pub name: &'static str,
    /// Unit of the values.
    pub unit: &'static str,
    /// `(year, value)`, years fractional.
    pub points: Vec<(f64, f64)>,
}

/// A line of a data file that is neither blank, a comment, nor `year value`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    /// 1-based line number.
    pub line: usize,
}

impl Series {
    /// Parses `year value` lines; `#` starts a comment (the files use `####` separators and
    /// trailing `# chip name` notes) and blank lines are skipped.
    pub fn parse(name: &'static str, unit: &'static str, text: &str) -> Result<Series, ParseError> {
        let mut points = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let data = line.split('#').next().unwrap_or("").trim();
            if data.is_empty() {
                continue;
            }
            let mut fields = data.split_whitespace().map(str::parse::<f64>);
            match (fields.next(), fields.next(), fields.next()) {
                (Some(Ok(year)), Some(Ok(value)), None) => points.push((year, value)),
                _ => return Err(ParseError { line: i + 1 }),
            }
        }
        Ok(Series { name, unit, points })
    }

    /// Points with `from ≤ year ≤ to` and a positive value (the ones a log axis can show).
    pub fn between(&self, from: f64, to: f64) -> impl Iterator<Item = (f64, f64)> + '_ {
        self.points.iter().copied().filter(move |&(y, v)| from <= y && y <= to && v > 0.0)
    }
}

/// A least-squares exponential fit `log2(value) = intercept + slope · year`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Doubling {
    /// Doublings per year, `b`.
    pub slope_log2_per_year: f64,
    /// `log2(value)` of the line at year 0.
    pub intercept_log2: f64,
    /// Doubling time `1/b` in years (negative: halving time; infinite: flat).
    pub years: f64,
    /// Doubling time in months, `12/b`.
    pub months: f64,
    /// Coefficient of determination of the fit in log space.
    pub r_squared: f64,
    /// Points used.
    pub points: usize,
}

impl Doubling {
    /// The fitted curve's value at `year`, for drawing the line: `2^(intercept + slope·year)`.
    pub fn value_at(&self, year: f64) -> f64 {
        (self.intercept_log2 + self.slope_log2_per_year * year).exp2()
    }
}

/// Least-squares doubling time of `series` over `from ≤ year ≤ to`: `b = Sxy / Sxx` on
/// `(year, log2 value)` and `R² = Sxy² / (Sxx·Syy)` (taken as 1 when all values are equal: the
/// flat line fits exactly). `None` with fewer than two points or a single distinct year.
///
/// ```
/// use parlab_model::cpu::trends::{Trend, doubling_time};
///
/// // Moore's law as revised in 1975 (G. E. Moore, "Progress in digital integrated
/// // electronics", IEDM): transistors per chip double about every two years. The data say
/// // 2.00 years over 1971–2021, one exponential explaining 98 % of the variance.
/// let d = doubling_time(&Trend::Transistors.series(), 1971.0, 2021.0).unwrap();
/// assert!((d.years - 2.0).abs() < 0.05 && d.r_squared > 0.97, "{d:?}");
/// ```
pub fn doubling_time(series: &Series, from: f64, to: f64) -> Option<Doubling> {
    let pts: Vec<(f64, f64)> = series.between(from, to).map(|(y, v)| (y, v.log2())).collect();
    let n = pts.len();
    if n < 2 {
        return None;
    }
    let mean = |f: fn(&(f64, f64)) -> f64| pts.iter().map(f).sum::<f64>() / n as f64;
    let (mx, my) = (mean(|p| p.0), mean(|p| p.1));
    let (mut sxx, mut sxy, mut syy) = (0.0, 0.0, 0.0);
    for &(x, y) in &pts {
        sxx += (x - mx) * (x - mx);
        sxy += (x - mx) * (y - my);
        syy += (y - my) * (y - my);
    }
    if sxx <= 0.0 {
        return None;
    }
    let slope = sxy / sxx;
    let r_squared = if syy > 0.0 { sxy * sxy / (sxx * syy) } else { 1.0 };
    Some(Doubling {
        slope_log2_per_year: slope,
        intercept_log2: my - slope * mx,
        years: 1.0 / slope,
        months: 12.0 / slope,
        r_squared,
        points: n,
    })
}

/// The year the lesson marks as the end of Dennard scaling: about 2005, when supply voltage
/// stopped falling with feature size, so power density rose and clocks flattened (Dennard et
/// al. 1974, IEEE JSSC 9(5), gave the scaling rules; the stall is visible in [`Trend::Frequency`]
/// and [`Trend::Power`] and quantified by [`growth_before_after`]).
pub const fn dennard_end_year() -> f64 {
    2005.0
}

/// Robust growth per year of `series` over `from ≤ year < to`: `2^m − 1`, with `m` the Theil–Sen
/// slope, the median of `(log2 v_j − log2 v_i) / (y_j − y_i)` over all pairs with distinct
/// years. `0.3` means +30 % a year. `None` when no such pair exists.
///
/// ```
/// use parlab_model::cpu::trends::{Trend, median_growth_per_year};
///
/// // Clocks rose about 31 % a year until 2005 and have been flat since.
/// let f = Trend::Frequency.series();
/// let before = median_growth_per_year(&f, 1971.0, 2005.0).unwrap();
/// let after = median_growth_per_year(&f, 2005.0, 2022.0).unwrap();
/// assert!((before - 0.31).abs() < 0.01 && after.abs() < 0.02, "{before} {after}");
/// ```
pub fn median_growth_per_year(series: &Series, from: f64, to: f64) -> Option<f64> {
    let pts: Vec<(f64, f64)> =
        series.between(from, to).filter(|&(y, _)| y < to).map(|(y, v)| (y, v.log2())).collect();
    let mut slopes = Vec::new();
    for (i, &(xi, yi)) in pts.iter().enumerate() {
        for &(xj, yj) in &pts[i + 1..] {
            if xj != xi {
                slopes.push((yj - yi) / (xj - xi));
            }
        }
    }
    if slopes.is_empty() {
        return None;
    }
    slopes.sort_by(f64::total_cmp);
    let k = slopes.len();
    let m = if k % 2 == 1 { slopes[k / 2] } else { 0.5 * (slopes[k / 2 - 1] + slopes[k / 2]) };
    Some(m.exp2() - 1.0)
}

/// Median yearly growth before and after a split year.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GrowthSplit {
    /// The split year.
    pub year: f64,
    /// Growth per year of the points with `year < split`.
    pub before: Option<f64>,
    /// Growth per year of the points with `year ≥ split`.
    pub after: Option<f64>,
}

/// [`median_growth_per_year`] of `series` before and after `year` (e.g. [`dennard_end_year`]).
pub fn growth_before_after(series: &Series, year: f64) -> GrowthSplit {
    GrowthSplit {
        year,
        before: median_growth_per_year(series, f64::NEG_INFINITY, year),
        after: median_growth_per_year(series, year, f64::INFINITY),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_parses_completely() {
        for t in Trend::ALL {
            let s = t.series();
            let data_lines = t.raw().lines().filter(|l| !l.trim().starts_with('#')).count();
            assert_eq!(s.points.len(), data_lines, "{}", s.name);
            assert!(s.points.iter().all(|&(y, v)| (1970.0..2023.0).contains(&y) && v > 0.0));
        }
        assert_eq!(Trend::Transistors.series().points.len(), 99);
        assert_eq!(Trend::SpecInt.series().points.len(), 74);
    }

    #[test]
    fn parser_rules() {
        let s = Series::parse("x", "u", "# head\n\n1990 2\n####\n1991.5  4 # note\n").unwrap();
        assert_eq!(s.points, vec![(1990.0, 2.0), (1991.5, 4.0)]);
        assert_eq!(Series::parse("x", "u", "1990 2\n1991\n"), Err(ParseError { line: 2 }));
        assert_eq!(Series::parse("x", "u", "1990 2 3\n"), Err(ParseError { line: 1 }));
    }

    #[test]
    fn exact_exponential_gives_exact_doubling() {
        let pts = (0..20).map(|i| (1970.0 + i as f64, 3.0 * (i as f64 / 2.0).exp2())).collect();
        let s = Series { name: "x", unit: "u", points: pts };
        let d = doubling_time(&s, 1970.0, 2000.0).unwrap();
        assert!((d.years - 2.0).abs() < 1e-9 && (d.months - 24.0).abs() < 1e-9);
        assert!((d.r_squared - 1.0).abs() < 1e-12 && d.points == 20);
        assert!((d.value_at(1980.0) - 96.0).abs() < 1e-6);
        let g = median_growth_per_year(&s, 1970.0, 2000.0).unwrap();
        assert!((g - (2f64.sqrt() - 1.0)).abs() < 1e-12);
        assert_eq!(doubling_time(&s, 1975.0, 1975.5), None);
        assert_eq!(median_growth_per_year(&s, 1975.0, 1975.5), None);
    }

    #[test]
    fn moores_law_on_the_real_data() {
        // Measured: transistors 1971–2010 double every 2.02 years (R² 0.965, 71 chips);
        // 1971–2021 every 2.00 years (R² 0.978, 96 chips).
        let tr = Trend::Transistors.series();
        let d = doubling_time(&tr, 1971.0, 2010.0).unwrap();
        assert!((1.9..2.15).contains(&d.years), "{d:?}");
        assert!(d.r_squared > 0.95 && d.points == 71, "{d:?}");
        let d = doubling_time(&tr, 1971.0, 2021.0).unwrap();
        assert!((1.9..2.1).contains(&d.years), "{d:?}");
    }

    #[test]
    fn cores_double_slower_than_the_slide_claims() {
        // Measured: logical cores 2005–2021 double every 30.7 months (R² 0.70, 47 chips), slower
        // than the slide's 18–24 months; before 2005 there is nothing to fit (one core).
        let d = doubling_time(&Trend::Cores.series(), 2005.0, 2021.0).unwrap();
        assert!((28.0..34.0).contains(&d.months), "{d:?}");
        assert!(d.months > CORES_CLAIM_MONTHS.1);
        assert_eq!(median_growth_per_year(&Trend::Cores.series(), 1971.0, 2005.0), Some(0.0));
    }

    #[test]
    fn clocks_stopped_at_the_end_of_dennard_scaling() {
        // Measured (Theil–Sen): +30.6 % a year before 2005, −0.4 % a year since.
        let g = growth_before_after(&Trend::Frequency.series(), dennard_end_year());
        let (before, after) = (g.before.unwrap(), g.after.unwrap());
        assert!((0.25..0.35).contains(&before), "{g:?}");
        assert!(after.abs() < 0.02, "{g:?}");
    }
}
