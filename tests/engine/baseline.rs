//! `audit --baseline`: every result new, unchanged, updated or absent by
//! fingerprint (rule id + ARN, never the message), from a previous JSON report
//! or snapshot; `--fail-on-new`; SARIF and OCSF carry the states.

use crate::common;

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::{Value, json};

/// The bundled example a day later: the runbook's database step now calls
/// another wrong API (DRG-SSM-003 updated), its Route 53 step is gone
/// (DRG-SSM-006 fixed: absent) and the DR template moved to a smaller type
/// (DRG-PAR-001 new).
fn today() -> Value {
    let mut doc = common::reference_json();
    common::apply_patch(
        &mut doc,
        &[
            json!({"op": "replace", "path": "/regions/us-west-2/automation_documents/0/steps/0/api", "value": "FailoverDBCluster"}),
            json!({"op": "remove", "path": "/regions/us-west-2/automation_documents/0/steps/3"}),
            json!({"op": "replace", "path": "/regions/us-west-2/launch_templates/0/versions/0/instance_type", "value": "m7i.medium"}),
            json!({"op": "replace", "path": "/captured_at", "value": "2026-11-21T03:00:00Z"}),
        ],
    );
    doc
}

fn write(dir: &Path, name: &str, value: &Value) -> String {
    let path = dir.join(name);
    std::fs::write(&path, serde_json::to_string_pretty(value).unwrap()).unwrap();
    path.to_str().unwrap().to_string()
}

/// The JSON report of auditing `doc`.
fn report_of(dir: &Path, doc: &Value, extra: &[&str]) -> (Option<i32>, Value) {
    let mut args = vec!["--format", "json"];
    args.extend_from_slice(extra);
    let sub = tempfile::tempdir_in(dir).unwrap();
    let output = common::audit_doc(sub.path(), doc, None, &args);
    assert_ne!(
        output.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    (
        output.status.code(),
        serde_json::from_slice(&output.stdout).unwrap(),
    )
}

fn states(report: &Value) -> BTreeMap<String, String> {
    report["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                format!(
                    "{} {}",
                    r["rule_id"].as_str().unwrap(),
                    r["resource_id"].as_str().unwrap()
                ),
                r["baseline_state"].as_str().unwrap_or("null").to_string(),
            )
        })
        .collect()
}

fn assert_expected_states(report: &Value) {
    let states = states(report);
    assert_eq!(
        states["DRG-SSM-003 shop"], "updated",
        "still failing, other evidence"
    );
    assert_eq!(states["DRG-SSM-006 shop"], "absent", "fixed");
    assert_eq!(states["DRG-PAR-001 shop-web-usw2"], "new");
    // Passing results whose message names the runbook's steps read differently now.
    assert_eq!(states["DRG-SSM-002 shop"], "updated");
    assert_eq!(states["DRG-SSM-004 shop"], "updated");
    // Still not achievable, blocked by another promotion step.
    assert_eq!(states["DRG-BUD-001 shop"], "updated");
    // The DNS step was the one promotion-dependent step without a wait.
    assert_eq!(states["DRG-SSM-007 shop"], "absent", "fixed");
    // The DNS step's dependency on us-east-1 is gone with the step (absent,
    // no result); the us-east-1 alarm's is still there.
    assert_eq!(
        states["DRG-REG-001 alarm/shop-primary-health-hc-primary-0001@us-east-1"],
        "unchanged"
    );
    assert!(!states.contains_key("DRG-REG-001 step/SwitchDnsToDr"));
    let named = [
        "DRG-SSM-007 shop",
        "DRG-SSM-003 shop",
        "DRG-SSM-006 shop",
        "DRG-PAR-001 shop-web-usw2",
        "DRG-SSM-002 shop",
        "DRG-SSM-004 shop",
        "DRG-BUD-001 shop",
    ];
    let others: Vec<_> = states
        .iter()
        .filter(|(k, _)| !named.contains(&k.as_str()))
        .filter(|(_, v)| v.as_str() != "unchanged")
        .collect();
    assert!(
        others.is_empty(),
        "everything else is unchanged: {others:?}"
    );
    let counts = &report["drift"]["baseline"]["counts"];
    assert_eq!(counts["new"], 1);
    assert_eq!(counts["updated"], 4);
    // Absent: DRG-SSM-006 and DRG-SSM-007 now pass; DRG-REG-001's DNS-step
    // dependency has no result any more.
    assert_eq!(counts["absent"], 3);
    assert_eq!(counts["unchanged"], states.len() - 7);
}

#[test]
fn a_report_baseline_marks_new_unchanged_updated_and_absent() {
    let dir = tempfile::tempdir().unwrap();
    let (_, yesterday) = report_of(dir.path(), &common::reference_json(), &[]);
    assert!(yesterday["drift"].is_null(), "no baseline, no drift");
    let base = write(dir.path(), "yesterday.json", &yesterday);
    let (code, report) = report_of(dir.path(), &today(), &["--baseline", &base]);
    assert_eq!(code, Some(1), "SSM-003 (high) still fails");
    assert_expected_states(&report);
    assert_eq!(report["drift"]["baseline"]["kind"], "report");
    assert_eq!(
        report["drift"]["baseline"]["captured_at"],
        "2026-11-20T03:00:00Z"
    );
    assert!(
        report["drift"]["changes"].is_null(),
        "a report baseline has no snapshot to diff"
    );
}

#[test]
fn a_snapshot_baseline_gives_the_same_states_and_the_resource_changes() {
    let dir = tempfile::tempdir().unwrap();
    let base = write(
        dir.path(),
        "yesterday-snapshot.json",
        &common::reference_json(),
    );
    let (_, report) = report_of(dir.path(), &today(), &["--baseline", &base]);
    assert_expected_states(&report);
    assert_eq!(report["drift"]["baseline"]["kind"], "snapshot");
    let changes = report["drift"]["changes"]["changes"].as_array().unwrap();
    let changed: Vec<(&str, &str)> = changes
        .iter()
        .map(|c| {
            (
                c["change"].as_str().unwrap(),
                c["resource_id"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        changed,
        [
            ("changed", "lt-0ccc3333dddd4444e"),
            // The DNS step's dependency on us-east-1 went with the step.
            ("removed", "step/SwitchDnsToDr"),
            ("changed", "shop-dr-failover")
        ]
    );
    let template_fields = &changes[0]["fields"];
    assert_eq!(
        template_fields,
        &json!([{"path": "versions[0].instance_type", "before": "m7i.large", "after": "m7i.medium"}])
    );
}

#[test]
fn fingerprints_ignore_message_wording() {
    let dir = tempfile::tempdir().unwrap();
    let (_, first) = report_of(dir.path(), &common::reference_json(), &[]);
    let (_, second) = report_of(dir.path(), &common::reference_json(), &[]);
    let prints = |r: &Value| -> Vec<String> {
        r["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["fingerprint"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(prints(&first), prints(&second), "stable across runs");
    let unique: std::collections::BTreeSet<_> = prints(&first).into_iter().collect();
    assert_eq!(
        unique.len(),
        prints(&first).len(),
        "unique per rule × resource"
    );
    // Reword every message of the baseline: nothing becomes new, findings are `updated`.
    let mut reworded = first.clone();
    for result in reworded["results"].as_array_mut().unwrap() {
        result["message"] = json!(format!(
            "(reworded) {}",
            result["message"].as_str().unwrap()
        ));
    }
    let base = write(dir.path(), "reworded.json", &reworded);
    let (code, report) = report_of(
        dir.path(),
        &common::reference_json(),
        &["--baseline", &base, "--fail-on-new"],
    );
    assert_eq!(code, Some(0), "rewording never makes a finding new");
    let states = states(&report);
    assert!(states.values().all(|s| s == "updated"), "{states:?}");
    assert_eq!(prints(&report), prints(&first));
}

#[test]
fn fail_on_new_gates_only_on_new_failures() {
    let dir = tempfile::tempdir().unwrap();
    let (_, yesterday) = report_of(dir.path(), &common::reference_json(), &[]);
    let base = write(dir.path(), "yesterday.json", &yesterday);
    let run = |doc: &Value, extra: &[&str]| {
        let mut args = vec!["--baseline", base.as_str()];
        args.extend_from_slice(extra);
        report_of(dir.path(), doc, &args).0
    };
    // Same account, same known gaps: nothing new.
    assert_eq!(run(&common::reference_json(), &[]), Some(1));
    assert_eq!(run(&common::reference_json(), &["--fail-on-new"]), Some(0));
    // A new medium failure (DRG-PAR-001) gates at --fail-on medium, not at high.
    assert_eq!(
        run(&today(), &["--fail-on-new", "--fail-on", "medium"]),
        Some(1)
    );
    assert_eq!(run(&today(), &["--fail-on-new"]), Some(0));
    // --fail-on-new without a baseline is a usage error.
    let output = common::audit_doc(
        dir.path(),
        &common::reference_json(),
        None,
        &["--fail-on-new"],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--baseline"));
}

#[test]
fn replaced_resources_are_new_findings_and_renamed_ones_are_not() {
    let dir = tempfile::tempdir().unwrap();
    // The primary ALB spans one AZ yesterday and today: DRG-ELB-001 fails on both days.
    let mut yesterday = common::reference_json();
    yesterday["regions"]["us-east-1"]["load_balancers"][0]["availability_zones"] =
        json!(["us-east-1a"]);
    // Today it was re-created (same name, new ARN) and the DR template renamed (same id).
    let mut today = yesterday.clone();
    let old_arn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/shop-alb-use1/50dc6c495c0c9188";
    let new_arn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/shop-alb-use1/ffffffffffffffff";
    let text = serde_json::to_string(&today)
        .unwrap()
        .replace(old_arn, new_arn);
    today = serde_json::from_str(&text).unwrap();
    today["regions"]["us-west-2"]["launch_templates"][0]["name"] = json!("shop-web-usw2-renamed");
    today["regions"]["us-west-2"]["auto_scaling_groups"][0]["launch_template"]["name"] =
        json!("shop-web-usw2-renamed");
    let base = write(dir.path(), "yesterday-snapshot.json", &yesterday);
    let (_, report) = report_of(dir.path(), &today, &["--baseline", &base]);
    let states = states(&report);
    assert_eq!(
        states["DRG-ELB-001 shop-alb-use1"], "new",
        "a new ARN is a new finding"
    );
    let gone = report["drift"]["baseline"]["gone"].as_array().unwrap();
    assert_eq!(gone.len(), 1);
    assert_eq!(gone[0]["resource_arn"], old_arn);
    assert_eq!(gone[0]["baseline_state"], "absent");
    assert_eq!(
        states["DRG-PAR-001 shop-web-usw2"], "unchanged",
        "renaming a template changes no finding"
    );
    let changes = report["drift"]["changes"]["changes"].as_array().unwrap();
    let kinds: Vec<(&str, &str)> = changes
        .iter()
        .map(|c| {
            (
                c["change"].as_str().unwrap(),
                c["resource_type"].as_str().unwrap(),
            )
        })
        .collect();
    assert!(
        kinds.contains(&("replaced", "elbv2.load_balancer")),
        "{kinds:?}"
    );
    assert!(
        kinds.contains(&("changed", "ec2.launch_template")),
        "{kinds:?}"
    );
    // With --sarif-all the finding on the old ARN is written as absent, still valid SARIF.
    let sub = tempfile::tempdir_in(dir.path()).unwrap();
    let output = common::audit_doc(
        sub.path(),
        &today,
        None,
        &["--format", "sarif", "--sarif-all", "--baseline", &base],
    );
    let log: Value = serde_json::from_slice(&output.stdout).unwrap();
    let errors = common::schema_errors("sarif-2.1.0.json", &log);
    assert!(errors.is_empty(), "{errors:?}");
    let absent: Vec<&Value> = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| {
            r["baselineState"] == "absent"
                && r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == old_arn
        })
        .collect();
    assert_eq!(absent.len(), 1);
    assert_eq!(absent[0]["ruleId"], "DRG-ELB-001");
    let index = absent[0]["ruleIndex"].as_u64().unwrap() as usize;
    assert_eq!(
        log["runs"][0]["tool"]["driver"]["rules"][index]["id"],
        "DRG-ELB-001"
    );
    assert_eq!(
        absent[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "aws/123456789012/us-east-1/elbv2/shop-alb-use1"
    );
}

#[test]
fn sarif_and_ocsf_carry_the_baseline_state() {
    let dir = tempfile::tempdir().unwrap();
    let (_, yesterday) = report_of(dir.path(), &common::reference_json(), &[]);
    let base = write(dir.path(), "yesterday.json", &yesterday);
    // SARIF: failures only by default, with baselineState.
    let output = common::audit_doc(
        dir.path(),
        &today(),
        None,
        &["--format", "sarif", "--baseline", &base],
    );
    let log: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(common::schema_errors("sarif-2.1.0.json", &log).is_empty());
    let results: Vec<(&str, &str)> = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["ruleId"].as_str().unwrap(),
                r["baselineState"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        results,
        [
            ("DRG-ASG-004", "unchanged"),
            ("DRG-BUD-001", "updated"),
            ("DRG-BUD-002", "unchanged"),
            ("DRG-BUD-002", "unchanged"),
            ("DRG-BUD-002", "unchanged"),
            ("DRG-BUD-003", "unchanged"),
            ("DRG-PAR-001", "new"),
            ("DRG-PAR-004", "unchanged"),
            ("DRG-REG-001", "unchanged"),
            ("DRG-SSM-003", "updated"),
            ("DRG-SSM-005", "unchanged")
        ]
    );
    // --sarif-all also writes the fixed finding as absent.
    let output = common::audit_doc(
        dir.path(),
        &today(),
        None,
        &["--format", "sarif", "--baseline", &base, "--sarif-all"],
    );
    let log: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(common::schema_errors("sarif-2.1.0.json", &log).is_empty());
    let absent: Vec<&str> = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["baselineState"] == "absent")
        .map(|r| r["ruleId"].as_str().unwrap())
        .collect();
    assert_eq!(absent, ["DRG-SSM-006", "DRG-SSM-007", "DRG-REG-001"]);
    // OCSF: new → Create, unchanged/updated → Update, absent → Close.
    let output = common::audit_doc(
        dir.path(),
        &today(),
        None,
        &["--format", "ocsf", "--baseline", &base],
    );
    let events: Vec<Value> = serde_json::from_slice(&output.stdout).unwrap();
    let activity = |rule: &str| {
        events
            .iter()
            .find(|e| e["compliance"]["control"] == rule)
            .map(|e| {
                (
                    e["activity_name"].as_str().unwrap().to_string(),
                    e["type_uid"].as_u64().unwrap(),
                )
            })
            .unwrap()
    };
    assert_eq!(activity("DRG-PAR-001"), ("Create".into(), 200301));
    assert_eq!(activity("DRG-SSM-003"), ("Update".into(), 200302));
    assert_eq!(activity("DRG-R53-001"), ("Update".into(), 200302));
    assert_eq!(activity("DRG-SSM-006"), ("Close".into(), 200303));
    let validator = common::schema("ocsf-1.6.0-compliance_finding-cloud-datetime.schema.json");
    for event in &events {
        let errors = common::errors_of(&validator, event);
        assert!(errors.is_empty(), "{errors:?}");
    }
}

#[test]
fn markdown_and_human_show_drift_since_the_baseline() {
    let dir = tempfile::tempdir().unwrap();
    let base = write(
        dir.path(),
        "yesterday-snapshot.json",
        &common::reference_json(),
    );
    let output = common::audit_doc(
        dir.path(),
        &today(),
        None,
        &["--format", "markdown", "--baseline", &base],
    );
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.contains("1 new, 4 updated, 44 unchanged, 3 absent"),
        "{text}"
    );
    assert!(
        text.contains("- new failure: `DRG-PAR-001` `autoscaling.group shop-web-usw2` (us-west-2)")
    );
    assert!(text.contains("- fixed: `DRG-SSM-006`"));
    assert!(text.contains("| changed | `ec2.launch_template lt-0ccc3333dddd4444e` (us-west-2) | `versions[0].instance_type`: m7i.large → m7i.medium |"));
    let output = common::audit_doc(dir.path(), &today(), None, &["--baseline", &base]);
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("SINCE BASELINE (snapshot"), "{text}");
    assert!(text.contains("since baseline: new"));
}

#[test]
fn a_finding_that_cannot_be_evaluated_now_is_not_absent() {
    let dir = tempfile::tempdir().unwrap();
    let (_, yesterday) = report_of(dir.path(), &common::reference_json(), &[]);
    let base = write(dir.path(), "yesterday.json", &yesterday);
    let mut doc = common::reference_json();
    doc["gaps"] = json!([{"service": "ssm", "resource": null, "region": "us-west-2", "operation": "ListDocuments", "error_code": "AccessDenied", "message": "denied"}]);
    let (code, report) = report_of(dir.path(), &doc, &["--baseline", &base]);
    assert_eq!(code, Some(3));
    let states = states(&report);
    assert_eq!(
        states["DRG-SSM-003 shop"], "updated",
        "an error is not a fix"
    );
    assert_eq!(states["DRG-SSM-006 shop"], "updated");
    assert_eq!(report["drift"]["baseline"]["counts"]["absent"], 0);
}

#[test]
fn findings_of_a_rule_that_cannot_be_evaluated_now_are_not_closed() {
    let dir = tempfile::tempdir().unwrap();
    // Yesterday DRG-S3-002 failed on the primary bucket.
    let mut yesterday_doc = common::reference_json();
    yesterday_doc["global"]["buckets"][0]["replication"]["rules"][0]["replication_time_enabled"] =
        false.into();
    let (_, yesterday) = report_of(dir.path(), &yesterday_doc, &[]);
    let base = write(dir.path(), "yesterday.json", &yesterday);
    // Today the replication data could not be read: one rule-level error, no bucket result.
    let mut today = yesterday_doc.clone();
    today["gaps"] = json!([{"service": "s3", "resource": "replication", "region": "us-east-1", "operation": "GetBucketReplication", "error_code": "AccessDenied", "message": "denied"}]);
    let (code, report) = report_of(dir.path(), &today, &["--baseline", &base]);
    assert_eq!(code, Some(3));
    let baseline = &report["drift"]["baseline"];
    assert_eq!(baseline["gone"], json!([]), "not closed: {baseline:#}");
    // DRG-S3-002 on the bucket, and the S3 part of the RPO budget (DRG-BUD-002
    // needs s3 too), stay open while they cannot be evaluated.
    let not_evaluated: Vec<(&str, &str)> = baseline["not_evaluated"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["rule_id"].as_str().unwrap(),
                r["resource_arn"].as_str().unwrap(),
            )
        })
        .collect();
    assert!(
        not_evaluated.contains(&("DRG-S3-002", "arn:aws:s3:::shop-assets-use1")),
        "{not_evaluated:?}"
    );
    assert_eq!(baseline["counts"]["absent"], 0);
    // OCSF closes nothing.
    let output = common::audit_doc(
        dir.path(),
        &today,
        None,
        &["--format", "ocsf", "--baseline", &base],
    );
    let events: Vec<Value> = serde_json::from_slice(&output.stdout).unwrap();
    assert!(events.iter().all(|e| e["activity_name"] != "Close"));
}

#[test]
fn baseline_json_errors_point_at_the_offending_text_after_non_ascii() {
    use miette::Diagnostic;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("baseline.json");
    // serde_json counts columns in bytes: "é" and "Ռ" are two bytes each.
    let text = "{\"results\": [], \"résumé\": \"Ռ\", x}";
    std::fs::write(&path, text).unwrap();
    let Err(err) = drguard::drift::baseline::load(&path) else {
        panic!("a baseline with a syntax error loaded");
    };
    let label = err.labels().unwrap().next().unwrap();
    assert_eq!(&text[label.offset()..label.offset() + label.len()], "x");
}

/// The report a previous release wrote (commit 72cf640, with an active, an
/// expired, a stale and a mistyped waiver) is still the v1 contract: it
/// reads into the published types and writes back byte for byte.
#[test]
fn a_previous_release_report_is_the_v1_contract() {
    let path = common::root().join("fixtures/reports/v1-72cf640-waived.json");
    let text = std::fs::read_to_string(&path).unwrap();
    let report: drguard::contract::ReportV1 = serde_json::from_str(&text).unwrap();
    assert_eq!(report.results.len(), 37);
    assert!(report.results.iter().any(|r| r.waiver.is_some()));
    let written = drguard::report::json::to_pretty(&report).unwrap();
    // Every field it had is written back as it was; the fields added since
    // (additive changes of the v1 contract) are the only difference.
    let mut rewritten: Value = serde_json::from_str(&written).unwrap();
    let added = [
        "/budget/availability/worst_case_downtime_minutes",
        "/budget/availability/fits_worst_case",
        "/budget/rto/achievable",
        "/budget/rto/blockers",
        "/budget/rto/worst_case_unbounded",
        "/budget/rto/steps/*/worst_case_unbounded",
        "/budget/primary_region_gone",
        "/waivers/*/expires_in_days",
        "/waivers/*/expiring_soon",
    ];
    for path in added {
        assert!(remove_all(&mut rewritten, path), "{path} is not written");
    }
    let original: Value = serde_json::from_str(&text).unwrap();
    assert!(
        rewritten == original,
        "the v1 wire types no longer write what the previous release wrote"
    );
}

/// ... and it still loads as a baseline: auditing the same snapshot now, the
/// only difference is the failure its waiver no longer covers (this config
/// has no waivers).
#[test]
fn a_previous_release_report_loads_as_a_baseline() {
    let baseline = common::root().join("fixtures/reports/v1-72cf640-waived.json");
    let dir = tempfile::tempdir().unwrap();
    let (code, report) = report_of(
        dir.path(),
        &common::reference_json(),
        &["--baseline", baseline.to_str().unwrap()],
    );
    assert_eq!(code, Some(1));
    let counts = &report["drift"]["baseline"]["counts"];
    // New: the results of rules the previous release did not have.
    let old: Value = serde_json::from_str(&std::fs::read_to_string(&baseline).unwrap()).unwrap();
    let old_rules: std::collections::BTreeSet<&str> = old["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["rule_id"].as_str().unwrap())
        .collect();
    let of_new_rules = report["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| !old_rules.contains(r["rule_id"].as_str().unwrap()))
        .count();
    assert!(of_new_rules > 0);
    // New also: DRG-BUD-003, which passed and now fails (a failover that
    // cannot complete spends the whole downtime allowance), and
    // DRG-SSM-005, which passed against the DesiredCapacity at snapshot
    // time and now fails against the primary's peak.
    assert_eq!(counts["new"], of_new_rules + 2, "{counts}");
    assert_eq!(counts["absent"], 0, "{counts}");
    // Updated: DRG-SSM-003, whose waiver this config does not have (and
    // whose catalog-v2 message names the failing step), DRG-SSM-006, whose
    // message now says the records move traffic without it, and DRG-BUD-001,
    // which failed the worst case (high) and now finds the RTO not
    // achievable (critical). DRG-ELB-001 passes still, but now expects three
    // AZs (catalog v2), so its message changed.
    let updated: BTreeMap<&str, &str> = report["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["baseline_state"] == "updated")
        .map(|r| {
            (
                r["rule_id"].as_str().unwrap(),
                r["status"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        updated,
        BTreeMap::from([
            ("DRG-BUD-001", "fail"),
            ("DRG-ELB-001", "pass"),
            ("DRG-SSM-003", "fail"),
            ("DRG-SSM-006", "fail")
        ])
    );
    assert_eq!(counts["updated"], updated.len(), "{counts}");
    let total = report["results"].as_array().unwrap().len();
    assert_eq!(
        counts["unchanged"],
        total - (of_new_rules + 2) - updated.len(),
        "{counts}"
    );
}

/// Removes the key at a JSON pointer whose segments may be `*` (every array
/// element); true when at least one was there.
fn remove_all(value: &mut Value, path: &str) -> bool {
    fn walk(value: &mut Value, segments: &[&str]) -> bool {
        match segments {
            [] => false,
            [last] => value
                .as_object_mut()
                .is_some_and(|map| map.remove(*last).is_some()),
            ["*", rest @ ..] => {
                // Every element, not just the first that has the key.
                let mut found = false;
                for item in value.as_array_mut().into_iter().flatten() {
                    found |= walk(item, rest);
                }
                found
            }
            [head, rest @ ..] => value.get_mut(*head).is_some_and(|v| walk(v, rest)),
        }
    }
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    walk(value, &segments)
}
