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
    assert_eq!(step(&long, "dns_failover").seconds, 300.0);
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

#[test]
fn a_dr_group_at_production_size_removes_the_scale_up() {
    let reference = budget_of(&common::reference_json());
    assert!(step(&reference, "scale_up").applies && step(&reference, "warm_up").applies);
    let warm = budget_of(&patched(
        json!([{"op": "replace", "path": format!("{W}/auto_scaling_groups/0/min_size"), "value": 10}]),
    ));
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
    assert_eq!(
        reference.rto.estimate_seconds - automatic.rto.estimate_seconds,
        300.0
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
    assert_eq!(step(&fixed, "database_promotion").seconds, 60.0);
}

#[test]
fn config_overrides_single_defaults() {
    let budget = budget_with(
        common::reference_config_with("[budget.defaults]\ndecision = \"10m\"\n"),
        &common::reference_json(),
    );
    assert_eq!(step(&budget, "decision").seconds, 600.0);
    assert!(step(&budget, "decision").worst_case_seconds >= 900.0);
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
    assert_eq!(code, Some(1), "the RPO target is not guaranteed");
    assert!(human.contains(
        "critical path: detection 30s → decision 5m → scale_up 5m → warm_up 2m = 12m30s"
    ));
    insta::assert_snapshot!("budget_human", human);
    let (_, markdown) = run_budget("markdown");
    insta::assert_snapshot!("budget_markdown", markdown);
    let (_, json) = run_budget("json");
    let json: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(json["rto"]["estimate_seconds"], 750.0);
    assert_eq!(json["rto"]["target_seconds"], 900.0);
    assert_eq!(json["rpo"]["guaranteed_seconds"], Value::Null);
    assert_eq!(json["availability"]["allowance_minutes_per_year"], 52.56);
    insta::assert_json_snapshot!("budget_json", json);
}
