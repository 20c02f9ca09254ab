//! Whether the runbook would run to its end with the primary region gone.
//!
//! Automation runs the steps in order; a step that fails with `onFailure:
//! Abort` (the default when the document says nothing) ends the execution,
//! so the steps after it never run. A step fails on the day when it calls an
//! Aurora API that needs a healthy primary (a planned switchover), an API
//! that cannot promote a global secondary, or names a resource that does not
//! exist in the region its call runs in.

use std::collections::BTreeMap;

use super::super::{RunbookAbort, RunbookReference, RunbookStep};
use crate::snapshot::model::AutomationStep;

/// Why an Aurora promotion step cannot fail over a global database whose
/// primary region is gone, or None. `allow_data_loss` and `switchover` are
/// the step's resolved inputs.
pub(super) fn database_failure(
    operation: &str,
    api: &str,
    allow_data_loss: Option<bool>,
    switchover: Option<bool>,
    global_database: bool,
) -> Option<String> {
    match operation {
        "rds:switchoverglobalcluster" => Some(format!(
            "{api} is a planned switchover: it needs the primary region healthy"
        )),
        "rds:failoverglobalcluster" if switchover == Some(true) => Some(format!(
            "{api} with Switchover is a planned switchover: it needs the primary region healthy"
        )),
        "rds:failoverglobalcluster" if allow_data_loss != Some(true) => Some(format!(
            "{api} without AllowDataLoss=true is a planned switchover: it needs the primary region healthy"
        )),
        "rds:promotereadreplicadbcluster" if global_database => Some(format!(
            "{api} fails on a cluster of an Aurora Global Database (it promotes binlog read replicas)"
        )),
        "rds:failoverdbcluster" if global_database => Some(format!(
            "{api} moves the writer inside one cluster: it cannot promote a secondary cluster of a global database"
        )),
        _ => None,
    }
}

/// Why a step would fail because a resource it names is not in its region.
pub(super) fn reference_failure(step: &str, references: &[RunbookReference]) -> Option<String> {
    let missing: Vec<String> = references
        .iter()
        .filter(|r| r.step == step && r.status == "missing")
        .map(|r| {
            let value = r.value.as_deref().unwrap_or_default();
            if r.found_in.is_empty() {
                format!("{} = {value} does not exist", r.input)
            } else {
                format!(
                    "{} = {value} exists only in {}",
                    r.input,
                    r.found_in.join(", ")
                )
            }
        })
        .collect();
    (!missing.is_empty()).then(|| missing.join("; "))
}

/// The `onFailure` in effect.
pub(super) fn on_failure(step: &AutomationStep) -> String {
    step.on_failure
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .unwrap_or("Abort")
        .to_string()
}

/// Actions after which the runbook waits before its next step.
const WAITING_ACTIONS: &[&str] = &[
    "aws:waitforawsresourceproperty",
    "aws:assertawsresourceproperty",
    "aws:sleep",
    "aws:pause",
    "aws:approve",
];

/// For each duty, the duties of earlier steps separated from it by a
/// waiting step (see `Runbook::serial_after`).
pub(super) fn serial_after(steps: &[RunbookStep]) -> BTreeMap<String, Vec<String>> {
    let mut seen: Vec<String> = Vec::new();
    let mut barrier: Vec<String> = Vec::new();
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for step in steps {
        if WAITING_ACTIONS.contains(&step.action.to_ascii_lowercase().as_str()) {
            barrier.clone_from(&seen);
            continue;
        }
        let Some(purpose) = &step.purpose else {
            continue;
        };
        let waits = out.entry(purpose.clone()).or_default();
        for earlier in &barrier {
            if earlier != purpose && !waits.contains(earlier) {
                waits.push(earlier.clone());
            }
        }
        if !seen.contains(purpose) {
            seen.push(purpose.clone());
        }
    }
    out.retain(|_, waits| !waits.is_empty());
    out
}

/// Purposes whose API returns before the work is done: what depends on
/// them must wait for it.
const ASYNCHRONOUS: &[&str] = &["database_promotion", "cache_promotion"];

/// Steps that switch traffic after an asynchronous promotion with no
/// waiting step between them (`SwitchDnsToDr (after PromoteAuroraDR)`):
/// traffic would reach a database or cache that is not writable yet.
pub(in crate::link) fn unguarded_steps(steps: &[RunbookStep]) -> Vec<String> {
    let mut pending: Vec<&str> = Vec::new();
    let mut out = Vec::new();
    for step in steps {
        if WAITING_ACTIONS.contains(&step.action.to_ascii_lowercase().as_str()) {
            pending.clear();
            continue;
        }
        match step.purpose.as_deref() {
            Some(p) if ASYNCHRONOUS.contains(&p) => pending.push(&step.name),
            Some("traffic_switch") if !pending.is_empty() => {
                out.push(format!("{} (after {})", step.name, pending.join(", ")));
            }
            _ => {}
        }
    }
    out
}

/// Marks the steps an aborting step keeps from running, and returns where
/// the runbook stops.
pub(super) fn trace(steps: &mut [RunbookStep]) -> Option<RunbookAbort> {
    let position = steps.iter().position(|s| s.aborts)?;
    let skipped_steps = steps
        .iter_mut()
        .skip(position + 1)
        .map(|later| {
            later.reached = false;
            later.name.clone()
        })
        .collect();
    let stop = steps.get(position)?;
    Some(RunbookAbort {
        step: stop.name.clone(),
        reason: stop.failure.clone().unwrap_or_default(),
        skipped_steps,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_an_unplanned_aurora_failover_survives_a_dead_primary() {
        let fail = |op, api, loss, switch| database_failure(op, api, loss, switch, true);
        assert!(
            fail(
                "rds:failoverglobalcluster",
                "FailoverGlobalCluster",
                Some(true),
                None
            )
            .is_none()
        );
        assert!(
            fail(
                "rds:removefromglobalcluster",
                "RemoveFromGlobalCluster",
                None,
                None
            )
            .is_none()
        );
        assert!(
            fail(
                "rds:failoverglobalcluster",
                "FailoverGlobalCluster",
                None,
                None
            )
            .is_some()
        );
        assert!(
            fail(
                "rds:failoverglobalcluster",
                "FailoverGlobalCluster",
                Some(true),
                Some(true)
            )
            .is_some()
        );
        assert!(
            fail(
                "rds:switchoverglobalcluster",
                "SwitchoverGlobalCluster",
                None,
                None
            )
            .is_some()
        );
        assert!(
            fail(
                "rds:promotereadreplicadbcluster",
                "PromoteReadReplicaDBCluster",
                None,
                None
            )
            .is_some()
        );
        // Without a global database, promoting a binlog replica is what it is for.
        assert!(
            database_failure(
                "rds:promotereadreplicadbcluster",
                "PromoteReadReplicaDBCluster",
                None,
                None,
                false
            )
            .is_none()
        );
    }

    fn step(name: &str, aborts: bool) -> RunbookStep {
        RunbookStep {
            name: name.into(),
            action: "aws:executeAwsApi".into(),
            operation: None,
            purpose: None,
            api: None,
            region: "us-west-2".into(),
            on_failure: "Abort".into(),
            failure: aborts.then(|| "fails".to_string()),
            aborts,
            reached: true,
        }
    }

    /// A step with a failover purpose.
    fn duty(name: &str, purpose: &str) -> RunbookStep {
        RunbookStep {
            purpose: Some(purpose.into()),
            ..step(name, false)
        }
    }

    /// A step the runbook waits at.
    fn wait() -> RunbookStep {
        RunbookStep {
            action: "aws:waitForAwsResourceProperty".into(),
            ..step("WaitDb", false)
        }
    }

    #[test]
    fn a_wait_step_makes_the_later_duties_wait() {
        let steps = vec![
            duty("Promote", "database_promotion"),
            duty("Cache", "cache_promotion"),
            wait(),
            duty("Scale", "scale_up"),
        ];
        let serial = serial_after(&steps);
        assert_eq!(
            serial.get("scale_up"),
            Some(&vec![
                "database_promotion".to_string(),
                "cache_promotion".to_string()
            ])
        );
        assert!(!serial.contains_key("cache_promotion"));
        // Without a waiting step, the duties run side by side.
        let side_by_side = vec![
            duty("Promote", "database_promotion"),
            duty("Scale", "scale_up"),
        ];
        assert!(serial_after(&side_by_side).is_empty());
    }

    #[test]
    fn a_traffic_switch_waits_for_the_promotions_before_it() {
        let steps = vec![
            duty("Promote", "database_promotion"),
            duty("Scale", "scale_up"),
            duty("Cache", "cache_promotion"),
            duty("Switch", "traffic_switch"),
        ];
        assert_eq!(unguarded_steps(&steps), ["Switch (after Promote, Cache)"]);
        let guarded = vec![
            duty("Promote", "database_promotion"),
            wait(),
            duty("Switch", "traffic_switch"),
        ];
        assert!(unguarded_steps(&guarded).is_empty());
    }

    #[test]
    fn an_aborting_step_keeps_the_later_ones_from_running() {
        let mut steps = vec![step("a", false), step("b", true), step("c", false)];
        let stop = trace(&mut steps).unwrap();
        assert_eq!(stop.step, "b");
        assert_eq!(stop.skipped_steps, vec!["c".to_string()]);
        assert!(steps[0].reached && steps[1].reached && !steps[2].reached);
        let mut fine = vec![step("a", false)];
        assert!(trace(&mut fine).is_none());
    }
}
