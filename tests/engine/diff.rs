//! `drguard diff OLD NEW`: resources matched by ARN (then by id: replaced),
//! field-level before/after limited to the fields that matter unless
//! `--all-fields`, exit 0 when nothing relevant changed and 1 when something did.

use crate::common;

use std::path::Path;
use std::process::Output;

use serde_json::{Value, json};

const CONFIG: &str = "fixtures/reference/drguard.toml";

fn diff(dir: &Path, old: &Value, new: &Value, extra: &[&str]) -> Output {
    let write = |name: &str, value: &Value| {
        let path = dir.join(name);
        std::fs::write(&path, serde_json::to_string_pretty(value).unwrap()).unwrap();
        path.to_str().unwrap().to_string()
    };
    let old = write("old.json", old);
    let new = write("new.json", new);
    let config = common::root().join(CONFIG);
    let mut args = vec!["diff", &old, &new, "--config", config.to_str().unwrap()];
    args.extend_from_slice(extra);
    common::drguard(dir, &args)
}

fn json_diff(old: &Value, new: &Value, extra: &[&str]) -> (Option<i32>, Value) {
    let dir = tempfile::tempdir().unwrap();
    let mut args = vec!["--format", "json"];
    args.extend_from_slice(extra);
    let output = diff(dir.path(), old, new, &args);
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

#[test]
fn identical_snapshots_exit_0() {
    let dir = tempfile::tempdir().unwrap();
    let reference = common::reference_json();
    let output = diff(dir.path(), &reference, &reference, &[]);
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.trim_end().ends_with(
            "0 change(s): 0 added, 0 removed, 0 changed, 0 replaced · nothing relevant changed"
        ),
        "{text}"
    );
}

#[test]
fn a_relevant_change_shows_field_level_before_and_after_and_exits_1() {
    let mut new = common::reference_json();
    new["regions"]["us-west-2"]["auto_scaling_groups"][0]["min_size"] = 0.into();
    new["global"]["buckets"][0]["replication"]["rules"][0]["status"] = "Disabled".into();
    new["captured_at"] = "2026-11-21T03:00:00Z".into();
    let (code, report) = json_diff(&common::reference_json(), &new, &[]);
    assert_eq!(code, Some(1));
    assert_eq!(report["schema_version"], "1");
    assert_eq!(
        report["summary"],
        json!({"added": 0, "removed": 0, "changed": 2, "replaced": 0})
    );
    // Neither change moves the RTO; the bucket stays a store, now with no bound.
    assert_eq!(report["budget"]["rto"]["delta_seconds"], 0.0);
    assert_eq!(report["budget"]["steps"], json!([]));
    let stores = report["budget"]["stores"].as_array().unwrap();
    assert_eq!(stores.len(), 1, "{stores:#?}");
    assert_eq!(stores[0]["id"], "s3");
    assert_eq!(stores[0]["in_new"], true);
    assert_eq!(stores[0]["guaranteed"]["old_seconds"], 900.0);
    assert_eq!(stores[0]["guaranteed"]["new_seconds"], Value::Null);
    assert!(
        stores[0]["source"]
            .as_str()
            .unwrap()
            .contains("shop-assets-use1 not replicated to us-west-2"),
        "{stores:#?}"
    );
    let changes = report["changes"].as_array().unwrap();
    assert_eq!(changes[0]["resource_type"], "autoscaling.group");
    assert_eq!(changes[0]["resource_id"], "shop-web-usw2");
    assert_eq!(
        changes[0]["fields"],
        json!([{"path": "min_size", "before": 2, "after": 0}])
    );
    assert_eq!(changes[1]["resource_type"], "s3.bucket");
    assert_eq!(
        changes[1]["fields"],
        json!([{"path": "replication.rules[0].status", "before": "Enabled", "after": "Disabled"}])
    );
    let dir = tempfile::tempdir().unwrap();
    let human = diff(dir.path(), &common::reference_json(), &new, &[]);
    let text = String::from_utf8(human.stdout).unwrap();
    assert!(
        text.contains("~ changed autoscaling.group shop-web-usw2 (us-west-2)\n    min_size: 2 → 0"),
        "{text}"
    );
    insta::assert_snapshot!("diff_human", text);
    let markdown = diff(
        dir.path(),
        &common::reference_json(),
        &new,
        &["--format", "markdown"],
    );
    let text = String::from_utf8(markdown.stdout).unwrap();
    assert!(
        text.contains(
            "| changed | `autoscaling.group shop-web-usw2` (us-west-2) | `min_size`: 2 → 0 |"
        ),
        "{text}"
    );
    assert!(text.contains("<!-- drguard:budget-delta:start -->"));
}

#[test]
fn the_rto_delta_names_the_steps_that_moved_and_the_new_critical_path() {
    // The reference with its promotion step fixed (so the scale-up is the
    // longest path), then the DR group at production capacity: no scale-up,
    // no warm-up.
    let mut old = common::reference_json();
    let step = &mut old["regions"]["us-west-2"]["automation_documents"][0]["steps"][0];
    step["api"] = "FailoverGlobalCluster".into();
    step["inputs"] = json!({"GlobalClusterIdentifier": "shop-global", "AllowDataLoss": true,
        "TargetDbClusterIdentifier": "arn:aws:rds:us-west-2:123456789012:cluster:shop-aurora-usw2"});
    let mut new = old.clone();
    let group = &mut new["regions"]["us-west-2"]["auto_scaling_groups"][0];
    group["min_size"] = 10.into();
    group["desired_capacity"] = 10.into();
    let (code, report) = json_diff(&old, &new, &[]);
    assert_eq!(code, Some(1));
    let budget = &report["budget"];
    assert_eq!(
        budget["rto"],
        json!({"old_seconds": 1050.0, "new_seconds": 930.0, "delta_seconds": -120.0})
    );
    assert_eq!(budget["rto_worst_case"]["delta_seconds"], -60.0);
    assert_eq!(budget["rpo_guaranteed"]["new_seconds"], Value::Null);
    let moved: Vec<&str> = budget["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(moved, ["scale_up", "warm_up"]);
    assert_eq!(budget["steps"][0]["nominal"]["new_seconds"], Value::Null);
    assert_eq!(
        budget["old_critical_path"],
        json!(["detection", "decision", "scale_up", "warm_up"])
    );
    assert_eq!(
        budget["new_critical_path"],
        json!([
            "detection",
            "decision",
            "database_promotion",
            "db_reconnect",
            "dns_failover"
        ])
    );

    let dir = tempfile::tempdir().unwrap();
    let output = diff(dir.path(), &old, &new, &["--format", "markdown"]);
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.contains("| RTO estimate | 17m30s | 15m30s | -2m |"),
        "{text}"
    );
    assert!(
        text.contains("| step `scale_up` | 5m | n/a | no longer applies |"),
        "{text}"
    );
    insta::assert_snapshot!("diff_budget_markdown", text);
}

#[test]
fn a_measurement_alone_moves_the_rpo_estimate_but_is_not_a_change() {
    let mut new = common::reference_json();
    new["regions"]["us-east-1"]["metrics"][0]["maximum"] = 120.0.into();
    let (code, report) = json_diff(&common::reference_json(), &new, &[]);
    assert_eq!(code, Some(0), "{report:#}");
    assert_eq!(
        report["budget"]["rpo"],
        json!({"old_seconds": 38.0, "new_seconds": 120.0, "delta_seconds": 82.0})
    );
    assert_eq!(
        report["budget"]["stores"][0]["measured"]["new_seconds"],
        120.0
    );
}

#[test]
fn fields_no_rule_reads_count_only_with_all_fields() {
    let mut new = common::reference_json();
    new["regions"]["us-east-1"]["images"][0]["creation_date"] = "2026-11-19T00:00:00Z".into();
    new["regions"]["us-east-1"]["load_balancers"][0]["canonical_hosted_zone_id"] = "ZNEW".into();
    let (code, report) = json_diff(&common::reference_json(), &new, &[]);
    assert_eq!(code, Some(0), "{report:#}");
    assert_eq!(report["all_fields"], false);
    let (code, report) = json_diff(&common::reference_json(), &new, &["--all-fields"]);
    assert_eq!(code, Some(1));
    let paths: Vec<&str> = report["changes"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["fields"].as_array().unwrap())
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    // Sorted by resource type: ec2.image before elbv2.load_balancer.
    assert_eq!(paths, ["creation_date", "canonical_hosted_zone_id"]);
}

#[test]
fn added_removed_replaced_and_renamed_resources() {
    let old = common::reference_json();
    let mut new = old.clone();
    // Added: a bucket. Removed: the CI logs bucket.
    new["global"]["buckets"][2] = json!({"name": "shop-assets-archive", "region": "us-west-2", "versioning": "Enabled", "replication": null, "tags": {"App": "shop"}});
    // Replaced: the DR ALB re-created under the same name (new ARN everywhere it is named).
    let old_arn = "arn:aws:elasticloadbalancing:us-west-2:123456789012:loadbalancer/app/shop-alb-usw2/6d0ecf831eec9f09";
    let new_arn = "arn:aws:elasticloadbalancing:us-west-2:123456789012:loadbalancer/app/shop-alb-usw2/0000000000000001";
    new = serde_json::from_str(
        &serde_json::to_string(&new)
            .unwrap()
            .replace(old_arn, new_arn),
    )
    .unwrap();
    // Renamed: the primary launch template keeps its id (and so its ARN).
    new["regions"]["us-east-1"]["launch_templates"][0]["name"] = "shop-web-use1-v2".into();
    let (code, report) = json_diff(&old, &new, &[]);
    assert_eq!(code, Some(1));
    let summary: Vec<(String, String)> = report["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["change"].as_str().unwrap().to_string(),
                format!(
                    "{} {}",
                    c["resource_type"].as_str().unwrap(),
                    c["resource_id"].as_str().unwrap()
                ),
            )
        })
        .collect();
    let expect = |change: &str, what: &str| (change.to_string(), what.to_string());
    assert!(
        summary.contains(&expect("added", "s3.bucket shop-assets-archive")),
        "{summary:?}"
    );
    assert!(
        summary.contains(&expect("removed", "s3.bucket shop-ci-logs")),
        "{summary:?}"
    );
    assert!(
        summary.contains(&expect("replaced", "elbv2.load_balancer shop-alb-usw2")),
        "{summary:?}"
    );
    assert!(
        summary.contains(&expect(
            "changed",
            "ec2.launch_template lt-0aaa1111bbbb2222c"
        )),
        "{summary:?}"
    );
    // Resources that name the ALB changed too: its target group, the accelerator.
    assert!(
        summary.contains(&expect("changed", "elbv2.target_group shop-web-usw2")),
        "{summary:?}"
    );
    let replaced = report["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["change"] == "replaced")
        .unwrap();
    assert_eq!(replaced["previous_arn"], old_arn);
    assert_eq!(replaced["resource_arn"], new_arn);
    let renamed = report["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["resource_id"] == "lt-0aaa1111bbbb2222c")
        .unwrap();
    assert_eq!(
        renamed["fields"],
        json!([{"path": "name", "before": "shop-web-use1", "after": "shop-web-use1-v2"}])
    );
    assert_eq!(report["summary"]["replaced"], 1);
}

#[test]
fn diff_help_documents_exit_codes() {
    let output = common::drguard(&common::root(), &["diff", "--help"]);
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("--all-fields") && text.contains("OLD") && text.contains("NEW"));
    assert!(text.contains("Exit codes:") && text.contains("1  a resource was added"));
}

#[test]
fn link_inputs_name_real_model_fields() {
    use drguard::rules::resources::{ResourceKind, records};
    let config = common::reference_config();
    let snapshot = common::snapshot_from(&common::reference_json());
    let linked = drguard::link::link(&snapshot, &config);
    for &kind in ResourceKind::all() {
        let name = kind.as_str();
        let inputs = drguard::link::inputs(name);
        // The app and the budget's data stores are derived, not collected.
        if kind == ResourceKind::APP || kind == ResourceKind::BUDGET_STORE {
            assert!(inputs.is_empty());
            continue;
        }
        let found = records(kind, &snapshot, &config, &linked, None);
        let Some(first) = found.first() else {
            panic!("the reference snapshot has no {name}: add one so its inputs are checked");
        };
        for field in inputs {
            assert!(
                first.model.get(field).is_some(),
                "link::inputs({name}) names `{field}`, which {name} does not have"
            );
        }
    }
}

#[test]
fn an_incomplete_snapshot_is_called_out() {
    let mut new = common::reference_json();
    new["gaps"] = json!([{"service": "s3", "resource": "replication", "region": "us-east-1", "operation": "GetBucketReplication", "error_code": "AccessDenied", "message": "denied"}]);
    new["global"]["buckets"][0]["replication"] = Value::Null;
    let (code, report) = json_diff(&common::reference_json(), &new, &[]);
    assert_eq!(code, Some(1));
    assert_eq!(
        report["new"]["gaps"],
        json!(["s3.replication GetBucketReplication in us-east-1: AccessDenied"])
    );
    assert_eq!(report["old"]["gaps"], json!([]));
    let dir = tempfile::tempdir().unwrap();
    let human = diff(dir.path(), &common::reference_json(), &new, &[]);
    let text = String::from_utf8(human.stdout).unwrap();
    assert!(
        text.contains("warning: the NEW snapshot is incomplete (s3.replication GetBucketReplication in us-east-1: AccessDenied)"),
        "{text}"
    );
}
