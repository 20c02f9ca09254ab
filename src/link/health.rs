//! What a Route 53 health check can actually tell: whether it polls, whether
//! Route 53 can judge the endpoint with it at all (a disabled check is
//! "always healthy", an inverted one is healthy when the endpoint is down, a
//! calculated one with threshold 0 is always healthy), which checks decide
//! the failover (the records' checks and, through calculated checks, their
//! children), and how failure is detected (the budget's first step).

use std::collections::BTreeSet;

use serde::Serialize;

use super::Linker;
use crate::snapshot::model::HealthCheck;

/// The check types whose checkers send requests (and so have an interval and
/// a failure threshold); the others follow children, an alarm or a routing
/// control.
pub const POLLING_TYPES: &[&str] = &["HTTP", "HTTPS", "HTTP_STR_MATCH", "HTTPS_STR_MATCH", "TCP"];

/// True when the check's checkers poll the endpoint.
pub fn polls(check: &HealthCheck) -> bool {
    POLLING_TYPES.contains(&check.check_type.as_str())
}

/// Why Route 53 cannot judge the endpoint with this check, or None: the
/// check's own configuration makes its status meaningless for failover.
pub fn defect(check: &HealthCheck) -> Option<String> {
    if check.disabled {
        return Some(format!(
            "health check {} is disabled: Route 53 considers it always healthy",
            check.id
        ));
    }
    if check.inverted {
        return Some(format!(
            "health check {} is inverted: it reports healthy while the endpoint is down",
            check.id
        ));
    }
    if check.check_type == "CALCULATED" {
        let children = check.child_health_checks.len() as i64;
        return match check.health_threshold {
            None => Some(format!(
                "calculated health check {} has no HealthThreshold in the snapshot",
                check.id
            )),
            Some(0) => Some(format!(
                "calculated health check {} has HealthThreshold 0: it is always healthy",
                check.id
            )),
            Some(threshold) if threshold > children => Some(format!(
                "calculated health check {} needs {threshold} healthy children of {children}: it can never be healthy",
                check.id
            )),
            Some(_) => None,
        };
    }
    None
}

/// The checks that decide the failover, by id.
#[derive(Debug, Clone, Default, Serialize)]
pub struct DecidingChecks {
    /// The PRIMARY record's check and, through calculated checks, its descendants.
    pub primary: BTreeSet<String>,
    /// The same for the PRIMARY and the SECONDARY records.
    pub all: BTreeSet<String>,
}

/// How the PRIMARY endpoint's failure is detected, for the budget.
#[derive(Debug, Clone, Serialize)]
pub struct Detection {
    /// The check on the PRIMARY record.
    pub check_id: String,
    /// `polling`, `calculated` (through its slowest polling child), `alarm`
    /// or `routing_control`.
    pub mode: String,
    /// Seconds between requests of the polling check that sets the pace
    /// (the record's own, or a calculated check's slowest child); null
    /// otherwise.
    pub request_interval: Option<i64>,
    /// Its `FailureThreshold`; null when nothing polls.
    pub failure_threshold: Option<i64>,
    /// For a calculated check: the child that sets the pace.
    pub via_child: Option<String>,
    /// For an alarm check: the alarm's name and region (`name@region`).
    pub alarm: Option<String>,
}

impl Linker<'_, '_> {
    /// The ids of every check that decides the failover: the checks on the
    /// PRIMARY and SECONDARY records and, through calculated checks, their
    /// descendants.
    pub(super) fn deciding_checks(&self, primary_only: bool) -> BTreeSet<String> {
        let mut roots: Vec<&str> = Vec::new();
        let records = if primary_only {
            vec![&self.topology.primary_record]
        } else {
            vec![
                &self.topology.primary_record,
                &self.topology.secondary_record,
            ]
        };
        for record in records.into_iter().flatten() {
            if let Some(id) = &record.health_check_id {
                roots.push(id);
            }
        }
        let mut seen = BTreeSet::new();
        while let Some(id) = roots.pop() {
            if !seen.insert(id.to_string()) {
                continue; // a cycle of calculated checks is not followed twice
            }
            if let Some(check) = self.lookups.health_check(id) {
                roots.extend(check.child_health_checks.iter().map(String::as_str));
            }
        }
        seen
    }

    /// How the failure of the endpoint behind the PRIMARY record's check is
    /// detected.
    pub(super) fn detection(&self) -> Option<Detection> {
        let id = self
            .topology
            .primary_record
            .as_ref()?
            .health_check_id
            .as_ref()?;
        let check = self.lookups.health_check(id)?;
        if defect(check).is_some() {
            return None; // it detects nothing: DRG-R53-004/007 say why
        }
        let mut detection = Detection {
            check_id: check.id.clone(),
            mode: String::new(),
            request_interval: None,
            failure_threshold: None,
            via_child: None,
            alarm: None,
        };
        if polls(check) {
            detection.mode = "polling".into();
            detection.request_interval = check.request_interval;
            detection.failure_threshold = check.failure_threshold;
        } else if check.check_type == "CALCULATED" {
            detection.mode = "calculated".into();
            // The slowest polling descendant bounds when enough children fail.
            let slowest = self
                .deciding_checks(true)
                .iter()
                .filter_map(|id| self.lookups.health_check(id))
                .filter(|child| child.id != check.id && polls(child))
                .filter_map(|child| {
                    Some((child.request_interval? * child.failure_threshold?, child))
                })
                .max_by_key(|(seconds, _)| *seconds);
            if let Some((_, child)) = slowest {
                detection.request_interval = child.request_interval;
                detection.failure_threshold = child.failure_threshold;
                detection.via_child = Some(child.id.clone());
            }
        } else if let Some(alarm) = &check.alarm_identifier {
            detection.mode = "alarm".into();
            detection.alarm = Some(format!("{}@{}", alarm.name, alarm.region));
        } else if check.routing_control_arn.is_some() || check.check_type == "RECOVERY_CONTROL" {
            detection.mode = "routing_control".into();
        } else {
            detection.mode = check.check_type.to_ascii_lowercase();
        }
        Some(detection)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(kind: &str) -> HealthCheck {
        HealthCheck {
            id: "hc".into(),
            check_type: kind.into(),
            ..HealthCheck::default()
        }
    }

    #[test]
    fn a_check_that_cannot_judge_says_why() {
        assert!(defect(&check("HTTPS")).is_none());
        let disabled = HealthCheck {
            disabled: true,
            ..check("HTTPS")
        };
        assert!(defect(&disabled).is_some_and(|d| d.contains("always healthy")));
        let inverted = HealthCheck {
            inverted: true,
            ..check("TCP")
        };
        assert!(defect(&inverted).is_some_and(|d| d.contains("inverted")));
        let calculated = |threshold, children: usize| HealthCheck {
            health_threshold: threshold,
            child_health_checks: (0..children).map(|i| format!("c{i}")).collect(),
            ..check("CALCULATED")
        };
        assert!(defect(&calculated(Some(0), 2)).is_some_and(|d| d.contains("always healthy")));
        assert!(defect(&calculated(Some(3), 2)).is_some_and(|d| d.contains("never")));
        assert!(defect(&calculated(None, 2)).is_some());
        assert!(defect(&calculated(Some(2), 2)).is_none());
    }

    #[test]
    fn only_endpoint_checks_poll() {
        assert!(polls(&check("HTTPS_STR_MATCH")));
        assert!(!polls(&check("CALCULATED")));
        assert!(!polls(&check("CLOUDWATCH_METRIC")));
        assert!(!polls(&check("RECOVERY_CONTROL")));
    }
}
