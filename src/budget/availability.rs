//! The availability arithmetic: the downtime a year the target allows, and
//! how many failovers at the estimated RTO fit in it.

use super::Availability;
use crate::config::Targets;

/// Minutes in a 365-day year.
const MINUTES_PER_YEAR: f64 = 365.0 * 24.0 * 60.0;

/// The allowance of `targets.availability` against `expected_failovers_per_year`
/// failovers of `rto_seconds` each, and of `worst_case_seconds` each (None
/// when the worst case is unbounded: it never fits).
pub fn compute(
    targets: &Targets,
    rto_seconds: f64,
    worst_case_seconds: Option<f64>,
) -> Availability {
    let allowance = (100.0 - targets.availability_percent) / 100.0 * MINUTES_PER_YEAR;
    let expected = targets.expected_failovers_per_year;
    let estimate_minutes = rto_seconds / 60.0;
    Availability {
        target_percent: targets.availability_percent,
        allowance_minutes_per_year: (allowance * 100.0).round() / 100.0,
        failovers_per_year_affordable: (estimate_minutes > 0.0)
            .then(|| ((allowance / estimate_minutes) * 10.0).floor() / 10.0),
        expected_failovers_per_year: expected,
        expected_downtime_minutes: ((expected * estimate_minutes) * 100.0).round() / 100.0,
        fits: expected * estimate_minutes <= allowance,
        worst_case_downtime_minutes: worst_case_seconds
            .map(|w| ((expected * w / 60.0) * 100.0).round() / 100.0),
        fits_worst_case: worst_case_seconds.is_some_and(|w| expected * w / 60.0 <= allowance),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn four_nines_allow_52_minutes_a_year() {
        let targets = Targets {
            rto_seconds: 900,
            rpo_seconds: 300,
            availability_percent: 99.99,
            expected_failovers_per_year: 2.0,
        };
        let fifteen_minutes = compute(&targets, 900.0, Some(1800.0));
        assert_eq!(fifteen_minutes.allowance_minutes_per_year, 52.56);
        assert_eq!(fifteen_minutes.failovers_per_year_affordable, Some(3.5));
        assert_eq!(fifteen_minutes.expected_downtime_minutes, 30.0);
        assert!(fifteen_minutes.fits);
        assert!(!fifteen_minutes.fits_worst_case);
        assert_eq!(fifteen_minutes.worst_case_downtime_minutes, Some(60.0));
        let thirty_minutes = compute(&targets, 1800.0, Some(1800.0));
        assert!(!thirty_minutes.fits);
        assert_eq!(
            compute(&targets, 0.0, None).failovers_per_year_affordable,
            None
        );
        let unbounded = compute(&targets, 600.0, None);
        assert!(unbounded.fits && !unbounded.fits_worst_case);
        assert_eq!(unbounded.worst_case_downtime_minutes, None);
    }
}
