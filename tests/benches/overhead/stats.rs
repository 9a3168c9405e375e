//! Medians, percentiles and the ratio lines every case prints.

use std::time::Duration;

pub fn median(values: &mut [f64]) -> f64 {
    percentile(values, 0.5)
}

/// Returns the value at quantile `q` (0 to 1) of `values`, sorting them.
pub fn percentile(values: &mut [f64], q: f64) -> f64 {
    values.sort_by(f64::total_cmp);
    let last = values.len() - 1;
    // Rounded to the nearest rank; the inputs are a few thousand values at most.
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss
    )]
    let rank = ((last as f64) * q).round() as usize;
    values[rank]
}

pub fn micros(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1e6
}
