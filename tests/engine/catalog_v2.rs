//! Catalog v2: each false pass and false alarm of the v1 catalog that the DR
//! review found (../shared/dr-review.md), as a test that failed on v1 and
//! passes now, and the snapshot's `sources`: data a snapshot does not carry
//! is never judged.

use serde_json::{Value, json};

use crate::common;
use drguard::rules::Status;

/// The results of `rule` on the reference snapshot with `patch` applied.
fn results(patch: Value, rule: &str) -> Vec<(Status, String)> {
    let mut doc = common::reference_json();
    common::apply_patch(&mut doc, patch.as_array().unwrap());
    let snapshot = common::snapshot_from(&doc);
    let engine = common::reference_engine();
    let audit = engine.audit(&snapshot, common::as_of());
    audit
        .rows(None)
        .iter()
        .filter(|row| row.rule.id == rule)
        .map(|row| (row.status, row.message.clone()))
        .collect()
}

fn statuses(patch: Value, rule: &str) -> Vec<Status> {
    results(patch, rule).into_iter().map(|(s, _)| s).collect()
}

/// The budget's detection step on the reference snapshot with `patch`.
fn detection(patch: Value) -> Value {
    let mut doc = common::reference_json();
    common::apply_patch(&mut doc, patch.as_array().unwrap());
    let snapshot = common::snapshot_from(&doc);
    let engine = common::reference_engine();
    let audit = engine.audit(&snapshot, common::as_of());
    let budget = serde_json::to_value(&audit.budget).unwrap();
    budget["rto"]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|step| step["id"] == "detection")
        .cloned()
        .unwrap()
}

/// A CLOUDWATCH_METRIC check on the PRIMARY record, as Route 53 returns it:
/// no interval, no threshold.
fn alarm_check() -> Value {
    json!({
        "id": "hc-alarm-0009", "type": "CLOUDWATCH_METRIC", "fqdn": null, "ip_address": null,
        "port": null, "resource_path": null, "request_interval": null, "failure_threshold": null,
        "inverted": false, "disabled": false, "status": null, "health_threshold": null,
        "child_health_checks": [], "regions": [],
        "alarm_identifier": {"region": "us-east-1", "name": "shop-5xx"},
        "insufficient_data_health_status": "LastKnownStatus", "routing_control_arn": null
    })
}

fn guard_primary_with(check: Value) -> Value {
    let id = check["id"].clone();
    json!([
        {"op": "add", "path": "/global/health_checks/-", "value": check},
        {"op": "replace", "path": "/global/hosted_zones/0/record_sets/2/health_check_id", "value": id}
    ])
}

/// R2: "after you disable a health check, Route 53 considers the status of
/// the health check to always be healthy"; v1 passed DRG-R53-004.
#[test]
fn a_disabled_primary_check_is_not_health_checking() {
    let patch = json!([
        {"op": "replace", "path": "/global/health_checks/0/disabled", "value": true},
        {"op": "replace", "path": "/global/hosted_zones/0/record_sets/2/alias_target/evaluate_target_health", "value": false}
    ]);
    assert_eq!(statuses(patch.clone(), "DRG-R53-004"), vec![Status::Fail]);
    assert!(
        statuses(patch, "DRG-R53-007").contains(&Status::Fail),
        "DRG-R53-007 names the disabled check"
    );
}

/// R3: a calculated check with HealthThreshold 0 is always healthy.
#[test]
fn a_calculated_check_with_threshold_zero_is_not_health_checking() {
    let calculated = json!({
        "id": "hc-calc-0003", "type": "CALCULATED", "fqdn": null, "ip_address": null,
        "port": null, "resource_path": null, "request_interval": null, "failure_threshold": null,
        "inverted": false, "disabled": false, "status": null, "health_threshold": 0,
        "child_health_checks": ["hc-primary-0001"], "regions": [], "alarm_identifier": null,
        "insufficient_data_health_status": null, "routing_control_arn": null
    });
    let mut patch = guard_primary_with(calculated);
    patch.as_array_mut().unwrap().push(json!({
        "op": "replace",
        "path": "/global/hosted_zones/0/record_sets/2/alias_target/evaluate_target_health",
        "value": false
    }));
    let (status, message) = results(patch, "DRG-R53-004").remove(0);
    assert_eq!(status, Status::Fail, "{message}");
    assert!(message.contains("HealthThreshold 0"), "{message}");
}

/// R1: v1 gave every check a 30 s interval and threshold 3 when AWS returned
/// none, so an alarm-based PRIMARY check failed DRG-R53-001 ("polls every
/// 30 s") and DRG-R53-003 ("not HTTP(S)"), and the budget timed 90 s of
/// polling that never happens.
#[test]
fn an_alarm_check_is_not_judged_as_a_polling_one() {
    let patch = guard_primary_with(alarm_check());
    for rule in ["DRG-R53-001", "DRG-R53-002", "DRG-R53-003"] {
        assert_eq!(
            statuses(patch.clone(), rule),
            vec![Status::NotApplicable],
            "{rule}"
        );
    }
    let (status, message) = results(patch.clone(), "DRG-R53-007")
        .into_iter()
        .find(|(_, m)| m.contains("hc-alarm-0009"))
        .unwrap();
    assert_eq!(status, Status::Pass, "{message}");
    let step = detection(patch);
    assert_eq!(step["seconds"], 180.0, "{step:#}");
    let source = step["source"].as_str().unwrap();
    assert!(source.contains("shop-5xx@us-east-1"), "{source}");
}

/// The collector no longer invents an interval: a snapshot of a calculated
/// check carries nulls, and its polling child sets the detection time.
#[test]
fn a_calculated_check_is_timed_by_its_slowest_child() {
    let calculated = json!({
        "id": "hc-calc-0003", "type": "CALCULATED", "fqdn": null, "ip_address": null,
        "port": null, "resource_path": null, "request_interval": null, "failure_threshold": null,
        "inverted": false, "disabled": false, "status": null, "health_threshold": 1,
        "child_health_checks": ["hc-primary-0001"], "regions": [], "alarm_identifier": null,
        "insufficient_data_health_status": null, "routing_control_arn": null
    });
    let step = detection(guard_primary_with(calculated));
    assert_eq!(step["seconds"], 30.0, "{step:#}");
    let source = step["source"].as_str().unwrap();
    assert!(source.contains("slowest child hc-primary-0001"), "{source}");
}

/// A snapshot written before a data source existed (no `sources` list) does
/// not carry it: a rule that needs it is `error`, never judged on the
/// absence of data that was never read.
#[test]
fn data_a_snapshot_does_not_carry_is_an_error_not_a_finding() {
    // The reference lists its sources; drguard 0.1's snapshots list none and
    // carry only the format-1.0 sources, which do not include ACM.
    let patch = json!([{"op": "remove", "path": "/sources"}]);
    let mut doc = common::reference_json();
    common::apply_patch(&mut doc, patch.as_array().unwrap());
    let snapshot = common::snapshot_from(&doc);
    assert!(snapshot.carries("route53.health_checks"));
    assert!(snapshot.carries("route53"));
    assert!(!snapshot.carries("acm"));
    // A listed snapshot carries what it lists, and a service when it lists a part.
    let mut listed = snapshot.clone();
    listed.sources = Some(vec!["elbv2.load_balancers".into()]);
    assert!(listed.carries("elbv2"));
    assert!(listed.carries("elbv2.load_balancers"));
    assert!(!listed.carries("elbv2.target_groups"));
    assert!(!listed.carries("route53"));
    // Through a rule: DRG-R53-007 requires route53 data, which the listed
    // snapshot does not carry.
    let engine = common::reference_engine();
    let audit = engine.audit(&listed, common::as_of());
    let rows = audit.rows(None);
    let row = rows
        .iter()
        .find(|row| row.rule.id == "DRG-R53-007")
        .unwrap();
    assert_eq!(row.status, Status::Error, "{}", row.message);
    assert!(
        row.message.contains("carries no `route53"),
        "{}",
        row.message
    );
}

/// DRG-SSM-006 is high when the runbook's ChangeResourceRecordSets is the
/// only way traffic moves, low when health-checked records move it anyway.
#[test]
fn a_runbook_dns_switch_is_high_only_when_nothing_else_moves_traffic() {
    let severity = |patch: Value| {
        let mut doc = common::reference_json();
        common::apply_patch(&mut doc, patch.as_array().unwrap());
        let snapshot = common::snapshot_from(&doc);
        let engine = common::reference_engine();
        let audit = engine.audit(&snapshot, common::as_of());
        let rows = audit.rows(None);
        let row = rows.iter().find(|r| r.rule.id == "DRG-SSM-006").unwrap();
        assert_eq!(row.status, Status::Fail, "{}", row.message);
        row.severity
    };
    assert_eq!(severity(json!([])), drguard::rules::Severity::Low);
    let unguarded = json!([
        {"op": "replace", "path": "/global/hosted_zones/0/record_sets/2/health_check_id", "value": null},
        {"op": "replace", "path": "/global/hosted_zones/0/record_sets/2/alias_target/evaluate_target_health", "value": false}
    ]);
    assert_eq!(severity(unguarded), drguard::rules::Severity::High);
}

/// A3: v1 accepted SwitchoverGlobalCluster and FailoverGlobalCluster
/// without AllowDataLoss, neither of which works against a dead primary.
#[test]
fn a_planned_switchover_is_not_a_disaster_recovery_runbook() {
    for (api, inputs) in [
        (
            "SwitchoverGlobalCluster",
            json!({"GlobalClusterIdentifier": "shop-global"}),
        ),
        (
            "FailoverGlobalCluster",
            json!({"GlobalClusterIdentifier": "shop-global"}),
        ),
        (
            "FailoverGlobalCluster",
            json!({"GlobalClusterIdentifier": "shop-global", "AllowDataLoss": "false"}),
        ),
    ] {
        let patch = json!([
            {"op": "replace", "path": "/regions/us-west-2/automation_documents/0/steps/0/api", "value": api},
            {"op": "replace", "path": "/regions/us-west-2/automation_documents/0/steps/0/inputs", "value": inputs}
        ]);
        let (status, message) = results(patch, "DRG-SSM-003").remove(0);
        assert_eq!(status, Status::Fail, "{api} {inputs}: {message}");
        assert!(message.contains("planned switchover"), "{message}");
    }
}

/// v1's DRG-SSM-004 searched every region: a DR runbook that scales the
/// primary's group passed.
#[test]
fn a_runbook_target_in_the_wrong_region_is_missing() {
    let patch = json!([{
        "op": "replace",
        "path": "/regions/us-west-2/automation_documents/0/parameters/2/default",
        "value": "shop-web-use1"
    }]);
    let (status, message) = results(patch, "DRG-SSM-004").remove(0);
    assert_eq!(status, Status::Fail, "{message}");
    assert!(message.contains("only in us-east-1"), "{message}");
}

/// The bundled example carries every data source this build reads, so that
/// every rule is judged on it (a new source must come with its reference data).
#[test]
fn the_reference_snapshot_carries_every_source() {
    let doc = common::reference_json();
    let listed: std::collections::BTreeSet<&str> = doc["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    let known = drguard::snapshot::spec::leaf_sources()
        .into_iter()
        .collect();
    assert_eq!(listed, known);
}

/// A blocking check that could not be decided (its data was not collected)
/// never lets the budget pass: on DRG-BUD-001's pass fixture, a gap in the
/// AMIs (data DRG-BUD-001 itself does not require) makes it `error`.
#[test]
fn an_undecided_blocking_check_makes_the_rto_verdict_an_error() {
    let path = common::root().join("fixtures/rules/DRG-BUD-001/pass.json");
    let fixture: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let engine = common::engine(common::reference_config_with(
        fixture["config"].as_str().unwrap(),
    ));
    let verdict = |gap: bool| {
        let mut doc = common::reference_json();
        common::apply_patch(&mut doc, fixture["patch"].as_array().unwrap());
        if gap {
            common::apply_patch(
                &mut doc,
                &[json!({"op": "add", "path": "/gaps/-", "value": {
                    "service": "ec2", "resource": "images", "region": "us-west-2",
                    "operation": "DescribeImages", "error_code": "ThrottlingException",
                    "message": "Rate exceeded"}})],
            );
        }
        let snapshot = common::snapshot_from(&doc);
        let audit = engine.audit(&snapshot, common::as_of());
        let rows = audit.rows(None);
        let status_of = |id: &str| {
            let row = rows.iter().find(|r| r.rule.id == id).unwrap();
            (row.status, row.message.clone())
        };
        (status_of("DRG-AMI-002"), status_of("DRG-BUD-001"))
    };
    let ((_, _), (clean, _)) = verdict(false);
    assert_eq!(clean, Status::Pass);
    let ((ami, _), (status, message)) = verdict(true);
    assert_eq!(ami, Status::Error);
    assert_eq!(status, Status::Error, "{message}");
    assert!(message.contains("DescribeImages"), "{message}");
}

/// `cloudwatch` was the metric summaries alone until `cloudwatch.alarms`
/// made it a service with parts: a snapshot that lists the old name carries
/// the summaries, never the alarms it did not read; one without `sources`
/// (drguard 0.1) carries the summaries only too.
#[test]
fn a_snapshot_listing_cloudwatch_carries_the_metrics_not_the_alarms() {
    let mut doc = common::reference_json();
    let sources: Vec<Value> = doc["sources"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| !s.as_str().unwrap().starts_with("cloudwatch"))
        .cloned()
        .chain([json!("cloudwatch")])
        .collect();
    doc["sources"] = Value::Array(sources);
    let older = common::snapshot_from(&doc);
    assert!(older.carries("cloudwatch.metrics"));
    assert!(older.carries("cloudwatch"));
    assert!(!older.carries("cloudwatch.alarms"));
    doc.as_object_mut().unwrap().remove("sources");
    let unlisted = common::snapshot_from(&doc);
    assert!(unlisted.carries("cloudwatch.metrics"));
    assert!(!unlisted.carries("cloudwatch.alarms"));
    assert!(!unlisted.carries("iam"));
    // The rules that read the lag summaries still run on the older snapshot.
    let engine = common::reference_engine();
    let audit = engine.audit(&older, common::as_of());
    let rows = audit.rows(None);
    let lag = rows.iter().find(|r| r.rule.id == "DRG-RDS-003").unwrap();
    assert_ne!(lag.status, Status::Error, "{}", lag.message);
}
