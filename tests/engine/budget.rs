//! The RTO/RPO budget is computed from the configuration, not constants:
//! sensitivity tests on the reference example, and the rendered outputs.

use crate::common;

use drguard::budget::Budget;
use serde_json::{Value, json};

const W: &str = "/regions/us-west-2";
const DOC: &str = "/regions/us-west-2/automation_documents/0";

/// The budget the engine computes for a snapshot under a config.
fn budget_with(config: drguard::config::Config, doc: &Value) -> Budget {
    let engine = common::engine(config);
    let snapshot = common::snapshot_from(doc);
    engine.audit(&snapshot, common::as_of()).budget
}

fn budget_of(doc: &Value) -> Budget {
    let budget = budget_with(common::reference_config(), doc);
    assert!(budget.errors.is_empty(), "{:?}", budget.errors);
    budget
}

fn patched(patch: Value) -> Value {
    let mut doc = common::reference_json();
    common::apply_patch(&mut doc, patch.as_array().unwrap());
    doc
}

fn step<'b>(budget: &'b Budget, id: &str) -> &'b drguard::budget::StepResult {
    budget.rto.steps.iter().find(|s| s.id == id).unwrap()
}

/// A fast configuration where DNS is the last thing to finish: the runbook
/// starts automatically, uses the Global Database API, the DR group already
/// runs production capacity, and the failover records are plain records.
fn dns_bound(ttl: i64) -> Value {
    patched(json!([
        {"op": "replace", "path": format!("{DOC}/steps/0/api"), "value": "FailoverGlobalCluster"},
        {"op": "add", "path": format!("{W}/event_rules/0"), "value": {
            "name": "shop-start-failover", "arn": null, "state": "ENABLED", "event_bus": "default",
            "event_pattern": "{\"source\":[\"aws.cloudwatch\"]}", "schedule_expression": null, "description": null,
            "targets": [{"id": "runbook", "arn": "arn:aws:ssm:us-west-2:123456789012:automation-definition/shop-dr-failover:$DEFAULT"}]}},
        {"op": "replace", "path": format!("{W}/auto_scaling_groups/0/min_size"), "value": 10},
        {"op": "replace", "path": "/global/hosted_zones/0/record_sets/2/alias_target", "value": null},
        {"op": "replace", "path": "/global/hosted_zones/0/record_sets/2/type", "value": "CNAME"},
        {"op": "replace", "path": "/global/hosted_zones/0/record_sets/2/ttl", "value": ttl},
        {"op": "replace", "path": "/global/hosted_zones/0/record_sets/2/values", "value": ["shop-alb-use1-1234567890.us-east-1.elb.amazonaws.com"]},
    ]))
}

#[test]
fn ttl_moves_the_rto_one_for_one_when_dns_is_on_the_critical_path() {
    let short = budget_of(&dns_bound(60));
    let long = budget_of(&dns_bound(300));
    assert!(
        long.rto.critical_path.contains(&"dns_failover".to_string()),
        "{:?}",
        long.rto.critical_path
    );
    assert_eq!(
        long.rto.estimate_seconds - short.rto.estimate_seconds,
        240.0
    );
    // The TTL plus the clients' reconnect.
    assert_eq!(step(&long, "dns_failover").seconds, 330.0);
}

#[test]
fn health_check_interval_moves_detection() {
    let fast = budget_of(&common::reference_json());
    let slow = budget_of(&patched(
        json!([{"op": "replace", "path": "/global/health_checks/0/request_interval", "value": 30}]),
    ));
    assert_eq!(
        step(&slow, "detection").seconds - step(&fast, "detection").seconds,
        60.0
    );
    // Detection starts every path, so the whole estimate moves with it.
    assert_eq!(slow.rto.estimate_seconds - fast.rto.estimate_seconds, 60.0);
}

/// The reference with its promotion step fixed (FailoverGlobalCluster with
/// AllowDataLoss), so the scale-up is the longest path.
fn fixed_promotion() -> Vec<Value> {
    vec![
        json!({"op": "replace", "path": format!("{DOC}/steps/0/api"), "value": "FailoverGlobalCluster"}),
        json!({"op": "replace", "path": format!("{DOC}/steps/0/inputs"), "value": {
            "GlobalClusterIdentifier": "shop-global", "AllowDataLoss": true,
            "TargetDbClusterIdentifier": "arn:aws:rds:us-west-2:123456789012:cluster:shop-aurora-usw2"}}),
    ]
}

#[test]
fn a_dr_group_at_production_size_removes_the_scale_up() {
    let reference = budget_of(&patched(json!(fixed_promotion())));
    assert!(step(&reference, "scale_up").applies && step(&reference, "warm_up").applies);
    let mut warmer = fixed_promotion();
    warmer.push(json!({"op": "replace", "path": format!("{W}/auto_scaling_groups/0/min_size"), "value": 10}));
    let warm = budget_of(&patched(json!(warmer)));
    assert!(!step(&warm, "scale_up").applies && !step(&warm, "warm_up").applies);
    assert!(!warm.rto.critical_path.contains(&"scale_up".to_string()));
    assert!(warm.rto.estimate_seconds < reference.rto.estimate_seconds);
}

#[test]
fn an_automatic_runbook_trigger_removes_the_decision() {
    let reference = budget_of(&common::reference_json());
    assert!(step(&reference, "decision").applies);
    let automatic = budget_of(&patched(
        json!([{"op": "add", "path": format!("{W}/event_rules/0"), "value": {
        "name": "shop-start-failover", "arn": null, "state": "ENABLED", "event_bus": "default",
        "event_pattern": "{\"source\":[\"aws.cloudwatch\"]}", "schedule_expression": null, "description": null,
        "targets": [{"id": "runbook", "arn": "arn:aws:ssm:us-west-2:123456789012:automation-definition/shop-dr-failover"}]}}]),
    ));
    assert!(!step(&automatic, "decision").applies);
    // An automated start is never free: the alarm and EventBridge take minutes.
    assert!(step(&automatic, "automated_start").applies);
    assert_eq!(step(&automatic, "automated_start").seconds, 120.0);
    assert_eq!(
        reference.rto.estimate_seconds - automatic.rto.estimate_seconds,
        600.0 - 120.0
    );
}

/// v1 credited any enabled rule targeting the runbook, in any region: a rule
/// in the primary region fails with it, so a human still decides.
#[test]
fn a_trigger_in_the_primary_region_is_not_automation() {
    let in_primary = budget_of(&patched(
        json!([{"op": "add", "path": "/regions/us-east-1/event_rules/0", "value": {
        "name": "shop-start-failover", "arn": null, "state": "ENABLED", "event_bus": "default",
        "event_pattern": "{\"source\":[\"aws.cloudwatch\"]}", "schedule_expression": null, "description": null,
        "targets": [{"id": "runbook", "arn": "arn:aws:ssm:us-west-2:123456789012:automation-definition/shop-dr-failover"}]}}]),
    ));
    assert!(step(&in_primary, "decision").applies);
    assert!(!step(&in_primary, "automated_start").applies);
    let source = &step(&in_primary, "decision").source;
    assert!(source.contains("lives in us-east-1"), "{source}");
}

/// A trigger in the DR region whose alarm reads Route 53 health-check
/// metrics never fires: Route 53 publishes them in us-east-1 only.
#[test]
fn a_dr_trigger_on_route53_metrics_is_not_automation() {
    let on_route53 = budget_of(&patched(json!([
        {"op": "add", "path": format!("{W}/alarms/-"), "value": {
            "name": "shop-primary-health-usw2", "arn": "arn:aws:cloudwatch:us-west-2:123456789012:alarm:shop-primary-health-usw2",
            "namespace": "AWS/Route53", "metric_name": "HealthCheckStatus", "dimensions": {"HealthCheckId": "hc-primary-0001"},
            "statistic": "Minimum", "period": 60, "evaluation_periods": 1, "datapoints_to_alarm": 1, "threshold": 1.0,
            "comparison_operator": "LessThanThreshold", "state": "INSUFFICIENT_DATA", "actions_enabled": true,
            "alarm_actions": [], "composite_rule": null, "metrics_namespaces": []}},
        {"op": "add", "path": format!("{W}/event_rules/0"), "value": {
            "name": "shop-start-failover", "arn": null, "state": "ENABLED", "event_bus": "default",
            "event_pattern": "{\"source\":[\"aws.cloudwatch\"],\"detail\":{\"alarmName\":[\"shop-primary-health-usw2\"]}}",
            "schedule_expression": null, "description": null,
            "targets": [{"id": "runbook", "arn": "arn:aws:ssm:us-west-2:123456789012:automation-definition/shop-dr-failover"}]}},
    ])));
    assert!(step(&on_route53, "decision").applies);
    assert!(!step(&on_route53, "automated_start").applies);
    let source = &step(&on_route53, "decision").source;
    assert!(source.contains("reads AWS/Route53 metrics"), "{source}");
}

/// A runbook that waits for the database before scaling makes the scale-up
/// start after the promotion; without the wait they run side by side.
#[test]
fn a_wait_step_in_the_runbook_serialises_the_budget() {
    let side_by_side = budget_of(&patched(json!(fixed_promotion())));
    assert_eq!(
        step(&side_by_side, "scale_up").start_seconds,
        step(&side_by_side, "database_promotion").start_seconds
    );
    let mut waiting = fixed_promotion();
    waiting.push(
        json!({"op": "add", "path": format!("{DOC}/steps/1"), "value": {
        "name": "WaitForWriter", "action": "aws:waitForAwsResourceProperty", "service": "rds",
        "api": "DescribeDBClusters", "inputs": {"DBClusterIdentifier": "shop-aurora-usw2"}}}),
    );
    let serial = budget_of(&patched(json!(waiting)));
    let promotion = step(&serial, "database_promotion");
    assert_eq!(
        step(&serial, "scale_up").start_seconds,
        promotion.start_seconds + promotion.seconds
    );
    assert!(
        step(&serial, "scale_up")
            .after
            .contains(&"database_promotion".to_string())
    );
    assert!(serial.rto.estimate_seconds > side_by_side.rto.estimate_seconds);
}

/// A warm pool credits the scale-up (a Stopped pool still starts instances).
#[test]
fn a_warm_pool_shortens_the_scale_up() {
    let reference = budget_of(&patched(json!(fixed_promotion())));
    let mut pooled = fixed_promotion();
    pooled.push(
        json!({"op": "replace", "path": format!("{W}/auto_scaling_groups/0/warm_pool"), "value": {
        "min_size": 8, "max_group_prepared_capacity": 10, "pool_state": "Stopped"}}),
    );
    let pooled = budget_of(&patched(json!(pooled)));
    assert_eq!(step(&reference, "scale_up").seconds, 300.0);
    assert_eq!(step(&pooled, "scale_up").seconds, 60.0);
    assert!(step(&pooled, "scale_up").source.contains("Stopped"));
}

/// The runbook's ChangeResourceRecordSets path has no worst-case bound when
/// its control plane (us-east-1) is the region that failed.
#[test]
fn a_runbook_dns_switch_has_an_unbounded_worst_case_when_us_east_1_fails() {
    let unguarded = budget_of(&patched(json!([
        {"op": "replace", "path": "/global/hosted_zones/0/record_sets/2/health_check_id", "value": null},
        {"op": "replace", "path": "/global/hosted_zones/0/record_sets/2/alias_target/evaluate_target_health", "value": false}
    ])));
    let switch = step(&unguarded, "dns_switch_by_runbook");
    assert!(switch.applies && switch.worst_case_unbounded);
    assert!(unguarded.rto.worst_case_unbounded);
    assert!(
        unguarded
            .rto
            .worst_case_text()
            .starts_with("unbounded (dns_switch_by_runbook"),
        "{}",
        unguarded.rto.worst_case_text()
    );
    // With health-checked records, DNS fails over on the data plane.
    assert!(
        !budget_of(&common::reference_json())
            .rto
            .worst_case_unbounded
    );
}

#[test]
fn removing_rtc_makes_the_s3_guarantee_unbounded() {
    let store = |b: &Budget| {
        b.rpo
            .stores
            .iter()
            .find(|s| s.id == "s3")
            .unwrap()
            .guaranteed_seconds
    };
    assert_eq!(store(&budget_of(&common::reference_json())), Some(900.0));
    let without = budget_of(&patched(json!([
        {"op": "replace", "path": "/global/buckets/0/replication/rules/0/replication_time_enabled", "value": false}
    ])));
    assert_eq!(store(&without), None);
    assert_eq!(without.rpo.guaranteed_seconds, None);
}

/// DRG-BUD-002's (status, resource id, message) on `doc`.
fn rpo_results(doc: &Value) -> Vec<(drguard::vocab::Status, String, String)> {
    let snapshot = common::snapshot_from(doc);
    let engine = common::reference_engine();
    let audit = engine.audit(&snapshot, common::as_of());
    audit
        .rows(None)
        .iter()
        .filter(|row| row.rule.id == "DRG-BUD-002")
        .map(|row| (row.status, row.resource.id.clone(), row.message.clone()))
        .collect()
}

/// The reference snapshot with shop-assets-use1's replication configuration removed.
fn unreplicated() -> Value {
    patched(json!([
        {"op": "replace", "path": "/global/buckets/0/replication", "value": null}
    ]))
}

#[test]
fn an_unreplicated_primary_bucket_stays_in_the_rpo_budget_with_no_bound() {
    let doc = unreplicated();
    assert_eq!(doc["global"]["buckets"][0]["name"], "shop-assets-use1");
    let budget = budget_of(&doc);
    let s3 = budget.rpo.stores.iter().find(|s| s.id == "s3").unwrap();
    assert_eq!(s3.guaranteed_seconds, None);
    // Its old ReplicationLatency datapoints measure nothing any more.
    assert_eq!(s3.measured_seconds, None);
    assert!(
        s3.source.starts_with(
            "bucket(s) shop-assets-use1 not replicated to us-west-2: no enabled replication rule"
        ),
        "{}",
        s3.source
    );
    assert_eq!(budget.rpo.guaranteed_seconds, None);
    let s3_results: Vec<_> = rpo_results(&doc)
        .into_iter()
        .filter(|(_, id, _)| id == "s3")
        .collect();
    assert_eq!(s3_results.len(), 1, "{s3_results:?}");
    let (status, _, message) = &s3_results[0];
    assert_eq!(*status, drguard::vocab::Status::Fail);
    assert!(
        message.contains("guarantees no RPO at all")
            && message.contains("not replicated to us-west-2: no enabled replication rule"),
        "{message}"
    );
}

#[test]
fn a_bucket_whose_replication_was_not_read_is_an_error_not_unreplicated() {
    let mut doc = unreplicated();
    doc["gaps"].as_array_mut().unwrap().push(json!({
        "service": "s3", "resource": "replication", "region": "us-east-1",
        "operation": "GetBucketReplication", "error_code": "AccessDenied", "message": "denied"
    }));
    let budget = budget_with(common::reference_config(), &doc);
    let s3 = budget.rpo.stores.iter().find(|s| s.id == "s3").unwrap();
    assert_eq!(s3.guaranteed_seconds, None);
    assert!(
        s3.source.contains("shop-assets-use1 could not be read")
            && !s3.source.contains("not replicated"),
        "{}",
        s3.source
    );
    let results = rpo_results(&doc);
    assert_eq!(results.len(), 1, "{results:?}");
    assert_eq!(results[0].0, drguard::vocab::Status::Error, "{results:?}");
    assert!(results[0].2.contains("GetBucketReplication"), "{results:?}");
    // The same gap in the DR region says nothing about the primary bucket.
    let mut dr_gap = unreplicated();
    dr_gap["gaps"].as_array_mut().unwrap().push(json!({
        "service": "s3", "resource": "replication", "region": "us-west-2",
        "operation": "GetBucketReplication", "error_code": "AccessDenied", "message": "denied"
    }));
    let budget = budget_with(common::reference_config(), &dr_gap);
    let s3 = budget.rpo.stores.iter().find(|s| s.id == "s3").unwrap();
    assert!(
        s3.source.contains("not replicated to us-west-2"),
        "{}",
        s3.source
    );
}

/// A deleted replication configuration (the `replication-deleted` plan
/// fixture) keeps the bucket in the budget: its store goes from the RTC
/// figure to no bound, and DRG-BUD-002 fails on it instead of vanishing.
#[test]
fn a_plan_deleting_replication_leaves_the_s3_store_with_no_bound() {
    let args = [
        "audit",
        "--config",
        "fixtures/reference/drguard.toml",
        "--snapshot",
        "fixtures/reference/snapshot.json",
        "--plan",
        "fixtures/plan/replication-deleted.json",
    ];
    let output = common::drguard(
        &common::root(),
        &[&args[..], &["--format", "json"]].concat(),
    );
    let doc: Value = serde_json::from_slice(&output.stdout).unwrap();
    let s3 = doc["plan"]["budget"]["stores"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "s3")
        .expect("the s3 store moved");
    assert_eq!(s3["in_old"], true);
    assert_eq!(s3["in_new"], true, "the store stays: {s3:#}");
    assert_eq!(s3["guaranteed"]["old_seconds"], 900.0);
    assert_eq!(s3["guaranteed"]["new_seconds"], Value::Null);
    let result = doc["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["rule_id"] == "DRG-BUD-002" && r["resource_id"] == "s3")
        .expect("DRG-BUD-002 still judges the s3 store");
    assert_eq!(result["status"], "fail");
    let message = result["message"].as_str().unwrap();
    assert!(
        message.contains(
            "no RPO at all (typical 10 s): bucket(s) shop-assets-use1 not replicated to us-west-2: no enabled replication rule"
        ),
        "{message}"
    );
    let output = common::drguard(
        &common::root(),
        &[&args[..], &["--format", "markdown"]].concat(),
    );
    let markdown = String::from_utf8_lossy(&output.stdout);
    assert!(
        markdown.contains("| RPO guaranteed for s3 | 15m | none ⚠️ |"),
        "{markdown}"
    );
    assert!(
        markdown.contains("updated failure: `DRG-BUD-002` `budget.store s3`")
            && !markdown.contains("gone: `DRG-BUD-002`"),
        "{markdown}"
    );
    assert!(
        markdown.contains("| s3 | 10s | none | none | ❌ nothing bounds the loss | bucket(s) shop-assets-use1 not replicated to us-west-2"),
        "{markdown}"
    );
    // The topology draws the bucket with no arrow to the DR side, and says why.
    assert!(
        markdown.contains("S3 shop-assets-use1<br/>not replicated"),
        "{markdown}"
    );
}

#[test]
fn rds_global_db_rpo_on_the_primary_bounds_the_aurora_rpo() {
    let aurora = |b: &Budget| {
        b.rpo
            .stores
            .iter()
            .find(|s| s.id == "aurora")
            .unwrap()
            .clone()
    };
    let reference = aurora(&budget_of(&common::reference_json()));
    assert_eq!(reference.guaranteed_seconds, None);
    assert!(
        reference.source.contains("no guarantee"),
        "{}",
        reference.source
    );

    let bounded = budget_of(&patched(json!([
        {"op": "add", "path": "/regions/us-east-1/db_clusters/0/parameter_group", "value": "shop-aurora-pg15"},
        {"op": "add", "path": "/regions/us-east-1/db_clusters/0/global_db_rpo_seconds", "value": 60}
    ])));
    let store = aurora(&bounded);
    assert_eq!(store.guaranteed_seconds, Some(60.0));
    assert!(
        store
            .source
            .contains("shop-aurora-use1: shop-aurora-pg15 = 60 s"),
        "{}",
        store.source
    );

    // The secondary's parameter group does not bound the primary's commits.
    let on_secondary = budget_of(&patched(json!([
        {"op": "add", "path": "/regions/us-west-2/db_clusters/0/global_db_rpo_seconds", "value": 60}
    ])));
    assert_eq!(aurora(&on_secondary).guaranteed_seconds, None);

    // A bound declared in drguard.toml wins over the parameter group.
    let declared = budget_with(
        common::reference_config_with("[budget.defaults]\naurora_guarantee = \"20s\"\n"),
        &patched(json!([
            {"op": "add", "path": "/regions/us-east-1/db_clusters/0/global_db_rpo_seconds", "value": 60}
        ])),
    );
    assert_eq!(aurora(&declared).guaranteed_seconds, Some(20.0));
}

#[test]
fn the_wrong_promotion_api_costs_minutes() {
    let reference = budget_of(&common::reference_json());
    let fixed = budget_of(&patched(
        json!([{"op": "replace", "path": format!("{DOC}/steps/0/api"), "value": "FailoverGlobalCluster"}]),
    ));
    assert_eq!(step(&reference, "database_promotion").seconds, 300.0);
    // "Within a few minutes": 3 min nominal, not the one minute v1 assumed.
    assert_eq!(step(&fixed, "database_promotion").seconds, 180.0);
}

#[test]
fn config_overrides_single_defaults() {
    let budget = budget_with(
        common::reference_config_with("[budget.defaults]\ndecision = \"20m\"\n"),
        &common::reference_json(),
    );
    assert_eq!(step(&budget, "decision").seconds, 1200.0);
    assert!(step(&budget, "decision").worst_case_seconds >= 1200.0);
}

fn run_budget(format: &str) -> (Option<i32>, String) {
    let output = common::drguard(
        &common::root(),
        &[
            "budget",
            "--config",
            "fixtures/reference/drguard.toml",
            "--snapshot",
            "fixtures/reference/snapshot.json",
            "--format",
            format,
        ],
    );
    (
        output.status.code(),
        String::from_utf8(output.stdout).unwrap(),
    )
}

#[test]
fn budget_outputs_on_the_reference_example() {
    let (code, human) = run_budget("human");
    assert_eq!(
        code,
        Some(1),
        "the runbook aborts: the RTO is not achievable"
    );
    assert!(human.contains("RTO: NOT ACHIEVABLE"), "{human}");
    insta::assert_snapshot!("budget_human", human);
    let (_, markdown) = run_budget("markdown");
    insta::assert_snapshot!("budget_markdown", markdown);
    let (_, json) = run_budget("json");
    let json: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(json["rto"]["achievable"], false);
    assert_eq!(json["rto"]["blockers"][0]["rule_id"], "DRG-SSM-003");
    assert_eq!(json["rto"]["estimate_seconds"], 1050.0);
    assert_eq!(json["rto"]["target_seconds"], 900.0);
    assert_eq!(json["rpo"]["guaranteed_seconds"], Value::Null);
    assert_eq!(json["availability"]["allowance_minutes_per_year"], 52.56);
    insta::assert_json_snapshot!("budget_json", json);
}

/// "If the primary region is gone" lists what only us-east-1 serves on the
/// failover path, with the step each blocks; a design without them lists
/// nothing.
#[test]
fn the_primary_region_gone_view_names_each_dependency_and_its_step() {
    let reference = budget_of(&common::reference_json());
    let listed: Vec<(&str, &str)> = reference
        .primary_region_gone
        .iter()
        .map(|d| (d.id.as_str(), d.blocks.as_str()))
        .collect();
    assert_eq!(
        listed,
        [
            ("step/SwitchDnsToDr", "dns_switch_by_runbook"),
            (
                "alarm/shop-primary-health-hc-primary-0001@us-east-1",
                "decision"
            )
        ]
    );
    let without = budget_of(&patched(json!([
        {"op": "remove", "path": format!("{DOC}/steps/3")},
        {"op": "remove", "path": "/regions/us-east-1/alarms/0"},
    ])));
    assert!(
        without.primary_region_gone.is_empty(),
        "{:?}",
        without.primary_region_gone
    );
}
