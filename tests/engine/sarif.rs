//! SARIF output: valid against the official 2.1.0 schema (committed copy) and
//! shaped the way GitHub code scanning requires.

use crate::common;

use std::collections::BTreeSet;

use serde_json::Value;

fn sarif_for(snapshot_json: &Value, extra: &[&str]) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let mut args = vec!["--format", "sarif"];
    args.extend_from_slice(extra);
    let output = common::audit_doc(dir.path(), snapshot_json, None, &args);
    serde_json::from_slice(&output.stdout).unwrap()
}

fn validate(log: &Value) {
    let errors = common::schema_errors("sarif-2.1.0.json", log);
    assert!(
        errors.is_empty(),
        "SARIF schema errors:\n{}",
        errors.join("\n")
    );
}

fn github_requirements(log: &Value) {
    let run = &log["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    for rule in rules {
        assert!(
            rule["help"]["text"].is_string() && rule["help"]["markdown"].is_string(),
            "{rule}"
        );
        assert!(
            rule["shortDescription"]["text"].is_string()
                && rule["fullDescription"]["text"].is_string()
        );
        let severity: f64 = rule["properties"]["security-severity"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!((0.0..=10.0).contains(&severity));
    }
    let mut hashes = BTreeSet::new();
    for result in run["results"].as_array().unwrap() {
        let location = &result["locations"][0]["physicalLocation"];
        let uri = location["artifactLocation"]["uri"].as_str().unwrap();
        assert!(
            !uri.contains("://") && !uri.starts_with('/'),
            "scheme-less relative uri: {uri}"
        );
        assert!(uri.starts_with("aws/123456789012/"), "{uri}");
        assert_eq!(location["region"]["startLine"], 1);
        assert_eq!(
            result["locations"][0]["logicalLocations"][0]["kind"],
            "resource"
        );
        let hash = result["partialFingerprints"]["primaryLocationLineHash"]
            .as_str()
            .unwrap();
        assert!(hashes.insert((
            result["ruleId"].as_str().unwrap().to_string(),
            hash.to_string()
        )));
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
    }
    assert_eq!(run["automationDetails"]["id"], "drguard/123456789012/");
}

#[test]
fn reference_example_sarif_is_valid_and_github_ready() {
    let log = sarif_for(&common::reference_json(), &[]);
    validate(&log);
    github_requirements(&log);
    let ids: Vec<&str> = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["ruleId"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "DRG-ASG-004",
            "DRG-BUD-001",
            "DRG-BUD-002",
            "DRG-BUD-002",
            "DRG-BUD-002",
            "DRG-BUD-003",
            "DRG-PAR-004",
            "DRG-REG-001",
            "DRG-REG-001",
            "DRG-SSM-003",
            "DRG-SSM-005",
            "DRG-SSM-006",
            "DRG-SSM-007"
        ]
    );
    assert_eq!(
        log["runs"][0]["invocations"][0]["executionSuccessful"],
        true
    );
    insta::assert_json_snapshot!(log, { ".runs[0].tool.driver.version" => "[VERSION]", ".runs[0].tool.driver.semanticVersion" => "[VERSION]" });
}

#[test]
fn failing_and_incomplete_snapshot_sarif_is_valid() {
    let mut doc = common::reference_json();
    // Many failures at once, plus a collection gap.
    doc["global"]["health_checks"][0]["request_interval"] = 30.into();
    doc["regions"]["us-west-2"]["auto_scaling_groups"][0]["min_size"] = 0.into();
    doc["regions"]["us-east-1"]["event_rules"][0]["state"] = "DISABLED".into();
    doc["gaps"] = serde_json::json!([{"service": "rds", "resource": null, "region": "us-west-2", "operation": "DescribeDBClusters", "error_code": "Throttling", "message": "Rate exceeded"}]);
    let log = sarif_for(&doc, &["--sarif-all"]);
    validate(&log);
    github_requirements(&log);
    let run = &log["runs"][0];
    assert_eq!(run["invocations"][0]["executionSuccessful"], false);
    assert!(
        !run["invocations"][0]["toolExecutionNotifications"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    let kinds: BTreeSet<&str> = run["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["kind"].as_str().unwrap())
        .collect();
    assert!(
        kinds.contains("pass") && kinds.contains("fail"),
        "--sarif-all writes passes too: {kinds:?}"
    );
}

/// A result carries the severity it has: a failure of DRG-BUD-001's warning
/// tier (worst case over the target, estimate within it) is high in SARIF
/// too, while the rule's descriptor keeps its default, critical.
#[test]
fn a_warning_tier_failure_has_its_own_severity() {
    let dir = tempfile::tempdir().unwrap();
    // DRG-BUD-001's pass fixture without its drill-measured worst cases: the
    // estimate (7m30s) fits the 15m target, the worst case does not.
    let fixture: Value = serde_json::from_str(
        &std::fs::read_to_string(common::root().join("fixtures/rules/DRG-BUD-001/pass.json"))
            .unwrap(),
    )
    .unwrap();
    let mut doc = common::reference_json();
    common::apply_patch(&mut doc, fixture["patch"].as_array().unwrap());
    let output = common::audit_doc(
        dir.path(),
        &doc,
        None,
        &["--format", "sarif", "--fail-on", "none"],
    );
    assert_eq!(output.status.code(), Some(0));
    let sarif: Value = serde_json::from_slice(&output.stdout).unwrap();
    let run = &sarif["runs"][0];
    let result = run["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "DRG-BUD-001")
        .expect("the warning tier fails");
    assert_eq!(result["properties"]["severity"], "high");
    assert_eq!(result["properties"]["security-severity"], "8.0");
    assert_eq!(result["level"], "error");
    let rule = run["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "DRG-BUD-001")
        .unwrap();
    assert_eq!(rule["properties"]["security-severity"], "9.5");
}
