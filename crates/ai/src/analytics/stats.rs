//! Summary statistics over durations, defined once so every report agrees.
//!
//! - mean: the arithmetic mean.
//! - median: the middle value of the sorted sample; for an even count, the average of the
//!   two middle values.
//! - p90: nearest rank, i.e. the value at 1-based rank `ceil(0.9 × n)` of the sorted sample,
//!   so it is always one of the observed values.
//!
//! An empty sample has `count: 0` and `null` mean, median and p90: "no data" must not read
//! as "zero seconds", and NaN cannot be serialised as JSON.

use serde::Serialize;
use utoipa::ToSchema;

/// Count, mean, median and p90 of a set of durations, in seconds.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct DurationStats {
    pub count: usize,
    pub mean: Option<f64>,
    pub median: Option<f64>,
    pub p90: Option<f64>,
}

impl DurationStats {
    /// Summarises `values` (any order). Non-finite values are ignored.
    pub fn from_values(values: &[f64]) -> Self {
        let mut sorted: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
        sorted.sort_by(f64::total_cmp);
        let count = sorted.len();
        let mean = (count > 0).then(|| sorted.iter().sum::<f64>() / count as f64);
        Self { count, mean, median: median_sorted(&sorted), p90: nearest_rank(&sorted, 90) }
    }
}

/// Median of an ascending slice; `None` when empty.
pub fn median_sorted(sorted: &[f64]) -> Option<f64> {
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(sorted[n / 2]),
        _ => Some((sorted[n / 2 - 1] + sorted[n / 2]) / 2.0),
    }
}

/// Nearest-rank percentile `p` (1–100) of an ascending slice; `None` when empty.
pub fn nearest_rank(sorted: &[f64], p: usize) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    // ceil(p × n / 100) in integers, so no float rounding can pick the wrong rank.
    let rank = (p * sorted.len()).div_ceil(100).max(1);
    Some(sorted[rank - 1])
}

/// `num / den`, or `None` when the denominator is zero (a rate of nothing is unknown).
pub fn ratio(num: usize, den: usize) -> Option<f64> {
    (den > 0).then(|| num as f64 / den as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_sample_is_all_null_and_serialises_without_nan() {
        let s = DurationStats::from_values(&[]);
        assert_eq!(s, DurationStats { count: 0, mean: None, median: None, p90: None });
        let json = serde_json::to_value(&s).expect("serialise");
        assert_eq!(
            json,
            serde_json::json!({"count": 0, "mean": null, "median": null, "p90": null})
        );
    }

    #[test]
    fn one_value_is_its_own_median_and_p90() {
        let s = DurationStats::from_values(&[7.0]);
        assert_eq!((s.count, s.mean, s.median, s.p90), (1, Some(7.0), Some(7.0), Some(7.0)));
    }

    #[test]
    fn even_count_median_averages_the_two_middle_values() {
        let s = DurationStats::from_values(&[40.0, 10.0, 30.0, 20.0]);
        assert_eq!(s.median, Some(25.0));
        assert_eq!(s.mean, Some(25.0));
        // ceil(0.9 × 4) = 4th value.
        assert_eq!(s.p90, Some(40.0));
    }

    #[test]
    fn p90_uses_nearest_rank() {
        let ten: Vec<f64> = (1..=10).map(f64::from).collect();
        // ceil(0.9 × 10) = 9th value.
        assert_eq!(nearest_rank(&ten, 90), Some(9.0));
        let eleven: Vec<f64> = (1..=11).map(f64::from).collect();
        // ceil(0.9 × 11) = ceil(9.9) = 10th value.
        assert_eq!(nearest_rank(&eleven, 90), Some(10.0));
        let twenty: Vec<f64> = (1..=20).map(f64::from).collect();
        assert_eq!(nearest_rank(&twenty, 90), Some(18.0));
        assert_eq!(nearest_rank(&[5.0, 6.0], 90), Some(6.0));
        assert_eq!(nearest_rank(&ten, 100), Some(10.0));
        assert_eq!(nearest_rank(&ten, 1), Some(1.0));
    }

    #[test]
    fn non_finite_values_are_ignored() {
        let s = DurationStats::from_values(&[f64::NAN, 3.0, f64::INFINITY]);
        assert_eq!((s.count, s.median), (1, Some(3.0)));
    }

    #[test]
    fn ratio_of_nothing_is_unknown() {
        assert_eq!(ratio(0, 0), None);
        assert_eq!(ratio(1, 4), Some(0.25));
    }
}
