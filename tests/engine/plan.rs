//! `drguard audit --plan`: the plan fixtures of fixtures/plan/ (written by
//! scripts/plan-fixtures) over the bundled snapshot and alone, bad input,
//! and the real third-party plans of ../shared/tfplan/ when present.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::common;

const CONFIG: &str = "fixtures/reference/drguard.toml";
const SNAPSHOT: &str = "fixtures/reference/snapshot.json";

fn plan_path(name: &str) -> String {
    format!("fixtures/plan/{name}.json")
}

/// Runs `drguard audit` from the repository root.
fn run(args: &[&str]) -> std::process::Output {
    let mut all = vec!["audit", "--config", CONFIG];
    all.extend_from_slice(args);
    common::drguard(&common::root(), &all)
}

/// The JSON report of a plan over `snapshot` (None: the plan alone).
fn report(plan: &str, snapshot: Option<&str>, extra: &[&str]) -> (i32, Value) {
    let plan = plan_path(plan);
    let mut args = vec!["--plan", plan.as_str(), "--format", "json"];
    if let Some(snapshot) = snapshot {
        args.extend(["--snapshot", snapshot]);
    }
    args.extend_from_slice(extra);
    let output = run(&args);
    let text = String::from_utf8_lossy(&output.stdout);
    let doc: Value = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{e}: {}\n{}", text, String::from_utf8_lossy(&output.stderr)));
    (output.status.code().unwrap_or(-1), doc)
}

fn results(doc: &Value) -> &Vec<Value> {
    doc["results"].as_array().unwrap()
}

/// Asserts the first result of each rule passes.
fn assert_pass(doc: &Value, rules: &[&str]) {
    for rule in rules {
        let row = results(doc)
            .iter()
            .find(|r| r["rule_id"] == *rule)
            .unwrap_or_else(|| panic!("{rule}"));
        assert_eq!(row["status"], "pass", "{row:#}");
    }
}

/// (rule, resource, status) of every failing or unevaluable result.
fn findings(doc: &Value) -> BTreeSet<(String, String, String)> {
    results(doc)
        .iter()
        .filter(|r| r["status"] == "fail" || r["status"] == "error")
        .map(|r| {
            (
                r["rule_id"].as_str().unwrap().to_string(),
                r["resource_id"].as_str().unwrap().to_string(),
                r["status"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Every (rule, resource, status).
fn verdicts(doc: &Value) -> BTreeSet<(String, String, String)> {
    results(doc)
        .iter()
        .map(|r| {
            (
                r["rule_id"].as_str().unwrap().to_string(),
                r["resource_id"].as_str().unwrap().to_string(),
                r["status"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// The bundled snapshot with the runbook as the plan fixtures write it: the
/// Aurora step fixed (the bundled example calls PromoteReadReplicaDBCluster)
/// and no DNS step, so a plan that breaks the Aurora step again introduces
/// that failure alone.
fn snapshot_with_fixed_runbook(dir: &Path) -> PathBuf {
    let mut doc = common::reference_json();
    let steps = &mut doc["regions"]["us-west-2"]["automation_documents"][0]["steps"];
    steps
        .as_array_mut()
        .unwrap()
        .retain(|s| s["name"] != "SwitchDnsToDr");
    let step = &mut steps[0];
    step["api"] = "FailoverGlobalCluster".into();
    step["inputs"] = serde_json::json!({
        "GlobalClusterIdentifier": "shop-global",
        "TargetDbClusterIdentifier": "arn:aws:rds:us-west-2:123456789012:cluster:shop-aurora-usw2",
        "AllowDataLoss": true
    });
    let path = dir.join("snapshot.json");
    std::fs::write(&path, serde_json::to_string_pretty(&doc).unwrap()).unwrap();
    path
}

#[test]
fn a_no_op_plan_audits_as_the_snapshot_does() {
    let output = run(&["--snapshot", SNAPSHOT, "--format", "json"]);
    let base: Value = serde_json::from_slice(&output.stdout).unwrap();
    for name in [
        "noop",
        "noop-provider6",
        "nested-noop",
        "dr-listener-rule-noop",
    ] {
        let (code, doc) = report(name, Some(SNAPSHOT), &[]);
        assert_eq!(Some(code), output.status.code(), "{name}");
        assert_eq!(verdicts(&doc), verdicts(&base), "{name}");
        assert_eq!(doc["plan"]["changes"], serde_json::json!([]), "{name}");
        assert_eq!(doc["plan"]["unplaced"], serde_json::json!([]), "{name}");
        assert_eq!(doc["plan"]["new_findings"], 0, "{name}");
        assert!(
            results(&doc).iter().all(|r| r["plan_new"] == false),
            "{name}: nothing is new"
        );
    }
    // Without --plan, no plan field appears at all (the report stays byte-identical).
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        !text.contains("\"plan"),
        "plan fields leak into a report without --plan"
    );
}

/// (fixture, base snapshot, the new findings as (rule, resource, the address
/// of the resource judged), a piece of the attribute change that causes it).
type Case<'a> = (&'a str, &'a str, &'a [(&'a str, &'a str, &'a str)], &'a str);

/// Each regression fixture introduces exactly its failure, on the address of
/// the resource it judges, naming the attribute change that causes it (on
/// that resource or, shared/terraform-plan.md §7.5, on another).
#[test]
fn each_regression_fails_exactly_its_rule_with_its_address() {
    let dir = tempfile::tempdir().unwrap();
    let fixed = snapshot_with_fixed_runbook(dir.path());
    let fixed = fixed.to_str().unwrap();
    let cases: &[Case] = &[
        (
            "ttl",
            SNAPSHOT,
            &[(
                "DRG-R53-006",
                "Z0123456789ABCDEFGHIJ/api.yourstore.com./AAAA/primary-us-east-1-v6",
                "aws_route53_record.primary_v6",
            )],
            "`aws_route53_record.primary_v6`: `ttl` 60 → 300",
        ),
        (
            "hc-interval",
            SNAPSHOT,
            // A new interval replaces the check (its id is known after
            // apply); the record and the alarm that name it follow it, so
            // nothing else fails and nothing is in error. The DR check,
            // faster, is no parity gap.
            &[(
                "DRG-R53-001",
                "(known after apply: aws_route53_health_check.primary)",
                "aws_route53_health_check.primary",
            )],
            "`aws_route53_health_check.primary`: `request_interval` 10 → 30",
        ),
        (
            "rtc-removed",
            SNAPSHOT,
            &[(
                "DRG-S3-002",
                "shop-assets-use1",
                "aws_s3_bucket_replication_configuration.assets",
            )],
            "`aws_s3_bucket_replication_configuration.assets`: `rule[0].destination[0].replication_time` removed",
        ),
        (
            "dr-min-size",
            SNAPSHOT,
            &[(
                "DRG-ASG-002",
                "shop-web-usw2",
                "aws_autoscaling_group.web_dr",
            )],
            "`aws_autoscaling_group.web_dr`: `min_size` 2 → 1",
        ),
        (
            "image-no-dr-copy",
            SNAPSHOT,
            // The new image is not in the snapshot: DRG-AMI-001 asks for
            // its DR copy rather than reading it as not owned.
            &[
                (
                    "DRG-AMI-001",
                    "ami-0golden000000002",
                    "aws_launch_template.web",
                ),
                (
                    "DRG-AMI-002",
                    "shop-web-usw2",
                    "aws_autoscaling_group.web_dr",
                ),
            ],
            "`aws_launch_template.web`: `image_id` ami-0golden000000001 → ami-0golden000000002",
        ),
        (
            "dr-global-member-removed",
            SNAPSHOT,
            &[("DRG-RDS-002", "shop-global", "aws_rds_global_cluster.shop")],
            "`aws_rds_cluster.dr`: `global_cluster_identifier` shop-global → \"\"",
        ),
        (
            "hc-disabled",
            SNAPSHOT,
            &[(
                "DRG-R53-007",
                "hc-primary-0001",
                "aws_route53_health_check.primary",
            )],
            "`aws_route53_health_check.primary`: `disabled` false → true",
        ),
        (
            "replication-deleted",
            SNAPSHOT,
            &[(
                "DRG-S3-001",
                "shop-assets-use1",
                "aws_s3_bucket_replication_configuration.assets",
            )],
            "`aws_s3_bucket_replication_configuration.assets`: deleted",
        ),
        (
            "secondary-deleted",
            SNAPSHOT,
            &[("DRG-R53-005", "shop", "aws_route53_record.secondary")],
            "`aws_route53_record.secondary`: deleted",
        ),
        (
            "dr-attachment-deleted",
            SNAPSHOT,
            // The DR group was behind its target group through an
            // `aws_autoscaling_attachment`; nothing serves the DR load balancer.
            &[
                ("DRG-ASG-002", "shop", "aws_autoscaling_attachment.web_dr"),
                ("DRG-ASG-003", "shop", "aws_autoscaling_attachment.web_dr"),
            ],
            "`aws_autoscaling_attachment.web_dr`: deleted",
        ),
        (
            "dr-listeners-stop-forwarding",
            SNAPSHOT,
            // Both DR listeners answer a fixed page: the DR target group is
            // behind no load balancer, so no group serves it and none of its
            // targets is healthy. Two listeners cause it: no single address.
            &[
                ("DRG-ASG-002", "shop", ""),
                ("DRG-ASG-003", "shop", ""),
                ("DRG-R53-008", "shop", ""),
            ],
            "`aws_lb_listener.dr_https`: `default_action[0].type` forward → fixed-response",
        ),
        (
            "dr-listener-rule-deleted",
            SNAPSHOT,
            // The DR listeners answer 404 by default; the rule that forwarded
            // to the DR target group is deleted.
            &[
                ("DRG-ASG-002", "shop", "aws_lb_listener_rule.dr_web"),
                ("DRG-ASG-003", "shop", "aws_lb_listener_rule.dr_web"),
                ("DRG-R53-008", "shop", "aws_lb_listener_rule.dr_web"),
            ],
            "`aws_lb_listener_rule.dr_web`: deleted",
        ),
        (
            "ami-copy-rule-deleted",
            SNAPSHOT,
            // Two changes cause it (the rule and its target): no single address.
            &[("DRG-AMI-003", "shop", "")],
            "`aws_cloudwatch_event_rule.ami_copy`: deleted",
        ),
        (
            "dr-certificate-other-region",
            SNAPSHOT,
            &[("DRG-ELB-003", "shop-alb-usw2", "aws_lb_listener.dr_https")],
            "`aws_lb_listener.dr_https`: `certificate_arn` arn:aws:acm:us-west-2:",
        ),
        (
            "dr-cache-left-global",
            SNAPSHOT,
            // Judged on the primary group; caused by the DR group's change.
            &[(
                "DRG-EC-002",
                "shop-cache-use1",
                "aws_elasticache_replication_group.cache",
            )],
            "`aws_elasticache_replication_group.cache_dr`: `global_replication_group_id` ldgnf-shop-cache-global → \"\"",
        ),
        (
            "ga-dr-endpoint-group-deleted",
            SNAPSHOT,
            &[(
                "DRG-GA-001",
                "shop",
                "aws_globalaccelerator_endpoint_group.dr",
            )],
            "`aws_globalaccelerator_endpoint_group.dr`: deleted",
        ),
        (
            "runbook-promote-read-replica",
            fixed,
            &[("DRG-SSM-003", "shop", "aws_ssm_document.failover")],
            "`aws_ssm_document.failover`: `content, line 22` Api: FailoverGlobalCluster → Api: PromoteReadReplicaDBCluster",
        ),
    ];
    for (name, base, expected, change) in cases {
        let (_, noop) = report("noop", Some(base), &[]);
        let (code, doc) = report(name, Some(base), &[]);
        assert_eq!(code, 1, "{name}");
        let before = findings(&noop);
        let new: BTreeSet<(String, String)> = findings(&doc)
            .difference(&before)
            .map(|(rule, resource, _)| (rule.clone(), resource.clone()))
            .collect();
        let wanted: BTreeSet<(String, String)> = expected
            .iter()
            .map(|(r, id, _)| (r.to_string(), id.to_string()))
            .collect();
        assert_eq!(new, wanted, "{name}: new findings");
        for (rule, resource, address) in *expected {
            let row = results(&doc)
                .iter()
                .find(|r| r["rule_id"] == *rule && r["resource_id"] == *resource)
                .unwrap();
            assert_eq!(row["status"], "fail", "{name} {rule}");
            if address.is_empty() {
                assert!(row.get("plan_address").is_none(), "{name} {rule}: {row:#}");
            } else {
                assert_eq!(row["plan_address"], *address, "{name} {rule}: {row:#}");
            }
            assert_eq!(row["plan_new"], true, "{name} {rule}");
            let changes: Vec<&str> = row["plan_changes"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(Value::as_str)
                .collect();
            let changes = changes.join("; ");
            assert!(changes.contains(change), "{name} {rule}: {changes}");
        }
        assert_eq!(doc["plan"]["new_findings"], wanted.len(), "{name}");
        // The Markdown comment names the change, the rule and the resource.
        let plan = plan_path(name);
        let output = run(&["--snapshot", base, "--plan", &plan, "--format", "markdown"]);
        let markdown = String::from_utf8_lossy(&output.stdout);
        for (rule, _, _) in *expected {
            let line = markdown
                .lines()
                .find(|l| l.contains(&format!("**{rule}**")))
                .unwrap_or_else(|| panic!("{name}: no line for {rule} in {markdown}"));
            assert!(line.starts_with("- "), "{line}");
            assert!(line.contains(change), "{name}: {line}");
        }
    }
}

#[test]
fn the_budget_delta_shows_what_the_plan_costs() {
    let (_, doc) = report("rtc-removed", Some(SNAPSHOT), &[]);
    let budget = &doc["plan"]["budget"];
    assert_eq!(
        budget["rpo_guaranteed"]["old_seconds"],
        Value::Null,
        "aurora has no bound already"
    );
    let s3 = budget["stores"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "s3")
        .expect("the s3 store moved");
    assert_eq!(s3["guaranteed"]["old_seconds"], 900.0);
    assert_eq!(s3["guaranteed"]["new_seconds"], Value::Null);
    let plan = plan_path("rtc-removed");
    let output = run(&[
        "--snapshot",
        SNAPSHOT,
        "--plan",
        &plan,
        "--format",
        "markdown",
    ]);
    let markdown = String::from_utf8_lossy(&output.stdout);
    assert!(
        markdown.contains("`aws_s3_bucket_replication_configuration.assets`: `rule[0].destination[0].replication_time` removed → **DRG-S3-002** fails"),
        "{markdown}"
    );
    assert!(
        markdown.contains("| RPO guaranteed for s3 | 15m | none ⚠️ |"),
        "{markdown}"
    );
    assert!(markdown.contains("| RTO nominal |"), "{markdown}");
    assert!(markdown.contains("| critical path |"), "{markdown}");
    assert!(markdown.contains("expected downtime"), "{markdown}");
}

/// Deleting the SECONDARY record leaves DNS nowhere to fail over to: the
/// budget says "not achievable", rather than dropping the DNS step from the
/// critical path and reporting a faster RTO.
#[test]
fn deleting_the_secondary_makes_the_failover_not_achievable() {
    let dir = tempfile::tempdir().unwrap();
    let snapshot = snapshot_with_fixed_runbook(dir.path());
    let snapshot = snapshot.to_str().unwrap();
    let (_, before) = report("noop", Some(snapshot), &[]);
    assert_eq!(
        before["budget"]["rto"]["achievable"], true,
        "{:#}",
        before["budget"]["rto"]["blockers"]
    );
    let (code, after) = report("secondary-deleted", Some(snapshot), &[]);
    assert_eq!(code, 1);
    let rto = &after["budget"]["rto"];
    assert_eq!(rto["achievable"], false);
    let blockers: Vec<&str> = rto["blockers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["rule_id"].as_str().unwrap())
        .collect();
    assert_eq!(blockers, ["DRG-R53-005"]);
    let bud = results(&after)
        .iter()
        .find(|r| r["rule_id"] == "DRG-BUD-001")
        .unwrap();
    assert_eq!(bud["status"], "fail", "{bud:#}");
    let message = bud["message"].as_str().unwrap();
    assert!(
        message.starts_with("RTO not achievable") && message.contains("DRG-R53-005"),
        "{message}"
    );
}

#[test]
fn fail_on_new_gates_only_on_what_the_plan_introduces() {
    // The bundled example fails several rules already: a plan that changes
    // nothing must not be blocked by them.
    let (code, doc) = report("noop", Some(SNAPSHOT), &["--fail-on-new"]);
    assert_eq!(code, 0, "{:#}", doc["summary"]);
    let (code, _) = report("rtc-removed", Some(SNAPSHOT), &["--fail-on-new"]);
    assert_eq!(code, 1);
}

#[test]
fn fail_on_new_needs_a_baseline_or_a_plan() {
    let output = run(&["--snapshot", SNAPSHOT, "--fail-on-new"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("--fail-on-new needs something to be new against"),
        "{stderr}"
    );
    assert!(stderr.contains("--plan"), "{stderr}");
}

#[test]
fn nested_module_results_name_the_module_address() {
    let (_, noop) = report("nested-noop", Some(SNAPSHOT), &[]);
    let (code, doc) = report("nested-dr-min-size", Some(SNAPSHOT), &[]);
    assert_eq!(code, 1);
    let new: Vec<_> = findings(&doc)
        .difference(&findings(&noop))
        .cloned()
        .collect();
    assert!(
        new.iter()
            .any(|(rule, id, _)| rule == "DRG-ASG-002" && id == "shop-web-usw2"),
        "{new:?}"
    );
    let row = results(&doc)
        .iter()
        .find(|r| r["rule_id"] == "DRG-ASG-002")
        .unwrap();
    assert_eq!(
        row["plan_address"],
        "module.dr.aws_autoscaling_group.web_dr"
    );
}

#[test]
fn alone_a_plan_audits_its_prior_state_and_never_passes_what_it_does_not_manage() {
    let (code, doc) = report("noop", None, &[]);
    assert_eq!(doc["plan"]["base"], "prior_state");
    assert_ne!(code, 2);
    // No CloudWatch metrics in a plan: the lag rule is not applicable, with the reason.
    let lag = results(&doc)
        .iter()
        .find(|r| r["rule_id"] == "DRG-RDS-003")
        .unwrap();
    assert_eq!(lag["status"], "not_applicable");
    assert!(
        lag["message"]
            .as_str()
            .unwrap()
            .contains("not managed in this plan"),
        "{lag:#}"
    );
    // What the plan manages is judged: the primary health check passes, and
    // the Auto Scaling rules, which need the target groups, are judged too.
    for rule in [
        "DRG-R53-001",
        "DRG-ASG-002",
        "DRG-ELB-003",
        "DRG-EC-002",
        "DRG-GA-001",
    ] {
        assert!(
            results(&doc)
                .iter()
                .any(|r| r["rule_id"] == rule && r["status"] == "pass"),
            "{rule}"
        );
    }
    // Target health is measured, not planned.
    let healthy = results(&doc)
        .iter()
        .find(|r| r["rule_id"] == "DRG-R53-008")
        .unwrap();
    assert_eq!(healthy["status"], "not_applicable", "{healthy:#}");
}

/// A plan that removes a finding introduces nothing, and the finding is gone.
/// Alone, the plan's prior state is read as it was before the change (a
/// listener still forwarding, an attachment still there), so what the plan
/// breaks is new and gates under `--fail-on-new`.
#[test]
fn alone_a_plan_that_detaches_the_dr_group_introduces_the_finding() {
    for name in [
        "dr-listeners-stop-forwarding",
        "dr-listener-rule-deleted",
        "dr-attachment-deleted",
    ] {
        let (code, doc) = report(name, None, &["--fail-on-new"]);
        assert_eq!(code, 1, "{name}");
        let new: BTreeSet<&str> = results(&doc)
            .iter()
            .filter(|r| r["plan_new"] == true)
            .filter_map(|r| r["rule_id"].as_str())
            .collect();
        assert_eq!(
            new,
            BTreeSet::from(["DRG-ASG-002", "DRG-ASG-003"]),
            "{name}"
        );
    }
}

#[test]
fn a_plan_that_fixes_a_finding_removes_it() {
    let alarm = "alarm/shop-primary-health-hc-primary-0001@us-east-1";
    let (_, noop) = report("noop", Some(SNAPSHOT), &[]);
    assert!(
        findings(&noop)
            .iter()
            .any(|(rule, id, _)| rule == "DRG-REG-001" && id == alarm),
        "the reference pages on-call from a us-east-1 alarm on a Route 53 metric"
    );
    let (_, doc) = report("primary-alarm-deleted", Some(SNAPSHOT), &[]);
    assert_eq!(doc["plan"]["new_findings"], 0);
    assert!(
        !results(&doc)
            .iter()
            .any(|r| r["rule_id"] == "DRG-REG-001" && r["resource_id"] == alarm),
        "the deleted alarm is no longer a dependency"
    );
    let removed = doc["plan"]["changes"].to_string();
    assert!(
        removed.contains("aws_cloudwatch_metric_alarm.primary_health"),
        "{removed}"
    );
}

/// A new golden image with its DR copy created by the same plan: the DR
/// template's image is the copy's id, known after apply, and links to it.
#[test]
fn a_new_image_copied_in_the_same_plan_passes() {
    // Copied (`aws_ami_copy`), or registered in the DR region (`aws_ami`,
    // tagged with its source image): the DR template boots it after apply.
    for (name, image) in [
        ("image-with-dr-copy", "aws_ami_copy.golden_dr_v2"),
        ("image-registered-in-dr", "aws_ami.golden_dr_v2"),
    ] {
        let (code, doc) = report(name, Some(SNAPSHOT), &[]);
        assert_ne!(code, 3, "{name}: {:#}", doc["plan"]["unknown"]);
        assert_eq!(doc["plan"]["new_findings"], 0, "{name}");
        let launch = results(&doc)
            .iter()
            .find(|r| r["rule_id"] == "DRG-AMI-002")
            .unwrap();
        assert_eq!(launch["status"], "pass", "{launch:#}");
        assert!(
            launch["message"].as_str().unwrap().contains(image),
            "{launch:#}"
        );
    }
    // The same image without the copy fails (fixture image-no-dr-copy).
    let (_, without) = report("image-no-dr-copy", Some(SNAPSHOT), &[]);
    assert_eq!(without["plan"]["new_findings"], 2);
}

/// A certificate created by the plan is issued, or not, only after apply:
/// the TLS rule cannot pass on it.
#[test]
fn a_new_certificate_is_not_trusted_before_apply() {
    let (code, doc) = report("create-dr-certificate", None, &[]);
    assert_eq!(code, 3);
    let tls = results(&doc)
        .iter()
        .find(|r| r["rule_id"] == "DRG-ELB-003")
        .unwrap();
    assert_eq!(tls["status"], "error", "{tls:#}");
    assert!(
        tls["message"]
            .as_str()
            .unwrap()
            .contains("aws_acm_certificate.dr.status` is known after apply"),
        "{tls:#}"
    );
}

#[test]
fn a_create_plan_links_through_configuration_references() {
    // The whole DR side is created: the SECONDARY record's alias target, its
    // health check, the group's launch template are known only after apply.
    let (code, doc) = report("create-dr", None, &[]);
    assert_ne!(code, 3, "links must resolve: {:#}", doc["plan"]["unknown"]);
    assert_eq!(doc["plan"]["unknown"], serde_json::json!([]));
    let secondary = results(&doc)
        .iter()
        .find(|r| r["rule_id"] == "DRG-R53-005")
        .unwrap();
    assert_eq!(secondary["status"], "pass", "{secondary:#}");
    let dr_check = results(&doc)
        .iter()
        .find(|r| r["rule_id"] == "DRG-PAR-003")
        .unwrap();
    assert_eq!(dr_check["plan_address"], "aws_route53_health_check.dr");
    assert_eq!(dr_check["plan_action"], "create");
    // The new DR listener serves the DR certificate, the new target group is
    // behind the new load balancer (through the listener), the new cache
    // joins the datastore, the accelerator gets a DR group, and the template
    // boots the new copy: every link resolves and the rules pass.
    assert_pass(
        &doc,
        &[
            "DRG-ELB-003",
            "DRG-ASG-002",
            "DRG-EC-002",
            "DRG-PAR-002",
            "DRG-GA-001",
            "DRG-R53-005",
        ],
    );
}

#[test]
fn a_target_group_reached_through_a_listener_rule_is_behind_its_load_balancer() {
    // The DR listeners answer 404 by default; a new `aws_lb_listener_rule`
    // forwards to the new target group. Its load balancers, known only after
    // apply, are those of the rule's listener.
    let (code, doc) = report("create-dr-listener-rule", None, &[]);
    assert_eq!(doc["plan"]["unknown"], serde_json::json!([]));
    assert_eq!(
        findings(&doc),
        findings(&report("create-dr", None, &[]).1),
        "the rule links the group as the default action does"
    );
    assert_ne!(code, 3);
    assert_pass(&doc, &["DRG-ASG-002", "DRG-ASG-003"]);
}

#[test]
fn a_group_attached_by_a_traffic_source_attachment_serves_its_load_balancer() {
    // The new DR group names no target group; a new
    // `aws_autoscaling_traffic_source_attachment` (type `elbv2`) puts it
    // behind the new target group, both known only after apply.
    let (code, doc) = report("create-dr-traffic-source", None, &[]);
    assert_eq!(doc["plan"]["unknown"], serde_json::json!([]));
    assert_ne!(code, 3);
    assert_eq!(findings(&doc), findings(&report("create-dr", None, &[]).1));
    assert_pass(&doc, &["DRG-ASG-002", "DRG-ASG-003"]);
}

#[test]
fn unknown_values_are_errors_never_passes() {
    let (code, doc) = report("create-dr-unknown-capacity", None, &[]);
    assert_eq!(code, 3);
    let warm = results(&doc)
        .iter()
        .find(|r| r["rule_id"] == "DRG-ASG-002")
        .unwrap();
    assert_eq!(warm["status"], "error");
    assert!(
        warm["message"]
            .as_str()
            .unwrap()
            .contains("known after apply"),
        "{warm:#}"
    );
    assert!(
        doc["plan"]["unknown"]
            .to_string()
            .contains("aws_autoscaling_group.web_dr.min_size")
    );
    let (code, _) = report("create-dr-unknown-capacity", None, &["--allow-incomplete"]);
    assert_ne!(code, 3);
}

#[test]
fn an_undeterminable_region_is_a_named_gap_until_mapped() {
    let (code, doc) = report("unknown-region", None, &[]);
    assert_eq!(code, 3);
    let unplaced = doc["plan"]["unplaced"].to_string();
    assert!(unplaced.contains("local.dr_region"), "{unplaced}");
    assert!(unplaced.contains("[plan] providers"), "{unplaced}");
    assert!(
        doc["collection"]["errors"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["error_code"] == "RegionUnknown")
    );
    // The explicit mapping places them.
    let dir = tempfile::tempdir().unwrap();
    let config = format!(
        "{}\n[plan]\nproviders = {{ \"aws\" = \"primary\", \"aws.dr\" = \"dr\" }}\n",
        common::reference_config_text()
    );
    let config_path = dir.path().join("drguard.toml");
    std::fs::write(&config_path, config).unwrap();
    let plan = common::root().join(plan_path("unknown-region"));
    let output = common::drguard(
        dir.path(),
        &[
            "audit",
            "--config",
            config_path.to_str().unwrap(),
            "--plan",
            plan.to_str().unwrap(),
            "--format",
            "json",
        ],
    );
    let doc: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(doc["plan"]["unplaced"], serde_json::json!([]));
    assert_ne!(output.status.code(), Some(2));
}

#[test]
fn a_bad_plan_provider_mapping_is_a_config_error() {
    let dir = tempfile::tempdir().unwrap();
    let config = format!(
        "{}\n[plan]\nproviders = {{ \"aws.dr\" = \"west\" }}\n",
        common::reference_config_text()
    );
    std::fs::write(dir.path().join("drguard.toml"), config).unwrap();
    let output = common::drguard(dir.path(), &["audit", "--plan", "x.json"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("names neither a role nor a region"),
        "{stderr}"
    );
    assert!(stderr.contains("drguard.toml:"), "located: {stderr}");
}

#[test]
fn sarif_locates_plan_results_at_their_address() {
    let plan = plan_path("rtc-removed");
    let output = run(&["--snapshot", SNAPSHOT, "--plan", &plan, "--format", "sarif"]);
    let sarif: Value = serde_json::from_slice(&output.stdout).unwrap();
    let result = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "DRG-S3-002")
        .unwrap();
    let location = &result["locations"][0];
    assert_eq!(
        location["physicalLocation"]["artifactLocation"]["uri"],
        "terraform/aws_s3_bucket_replication_configuration.assets"
    );
    assert_eq!(
        location["logicalLocations"][0]["fullyQualifiedName"],
        "aws_s3_bucket_replication_configuration.assets"
    );
    assert_eq!(location["logicalLocations"][0]["kind"], "resource");
    let errors = common::schema_errors("sarif-2.1.0.json", &sarif);
    assert!(errors.is_empty(), "{errors:?}");
}

#[test]
fn the_plan_report_matches_the_published_schema() {
    let (_, doc) = report("rtc-removed", Some(SNAPSHOT), &[]);
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(common::root().join("docs/report.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors = common::errors_of(&validator, &doc);
    assert!(errors.is_empty(), "{errors:?}");
}

/// Files people pass by mistake: exit 2, saying what the file is, located.
#[test]
fn bad_plans_are_located_errors_that_say_what_the_file_is() {
    let dir = tempfile::tempdir().unwrap();
    let noop = std::fs::read_to_string(common::root().join(plan_path("noop"))).unwrap();
    let report_text =
        String::from_utf8(run(&["--snapshot", SNAPSHOT, "--format", "json"]).stdout).unwrap();
    let cases: Vec<(&str, String, &str)> = vec![
        (
            "snapshot.json",
            std::fs::read_to_string(common::root().join(SNAPSHOT)).unwrap(),
            "this is a drguard snapshot, not a Terraform plan",
        ),
        ("report.json", report_text, "this is a drguard JSON report"),
        (
            "terraform.tfstate",
            r#"{"version": 4, "terraform_version": "1.9.8", "serial": 12, "lineage": "3f1c", "outputs": {}, "resources": []}"#.into(),
            "this is a Terraform state file",
        ),
        (
            "future.json",
            noop.replacen("\"format_version\": \"1.2\"", "\"format_version\": \"2.0\"", 1),
            "unsupported plan format_version \"2.0\"",
        ),
        ("truncated.json", noop[..noop.len() / 2].to_string(), "plan JSON ends early"),
        (
            "google.json",
            r#"{"format_version": "1.2", "resource_changes": [{"address": "google_storage_bucket.b", "mode": "managed", "type": "google_storage_bucket", "name": "b", "provider_name": "registry.terraform.io/hashicorp/google", "change": {"actions": ["create"], "before": null, "after": {}, "after_unknown": {}}}]}"#.into(),
            "manages no hashicorp/aws resource",
        ),
        ("binary.out", "PK\u{3}\u{4}tfplan".into(), "the binary plan"),
    ];
    for (name, text, expected) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        let output = run(&["--snapshot", SNAPSHOT, "--plan", path.to_str().unwrap()]);
        assert_eq!(output.status.code(), Some(2), "{name}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(expected), "{name}: {stderr}");
        assert!(
            stderr.contains(&format!("{name}:")),
            "{name}: not located: {stderr}"
        );
        assert!(stderr.contains("help:"), "{name}: no fix: {stderr}");
    }
}

/// The real plans Terraform wrote for other projects never crash drguard:
/// each yields exit 0, 1, 2 or 3 with a sensible message.
#[test]
fn real_third_party_plans_never_crash_it() {
    let folder = common::root().join("../shared/tfplan");
    let Ok(entries) = std::fs::read_dir(&folder) else {
        eprintln!("skipped: {} is absent", folder.display());
        return;
    };
    let mut seen = 0;
    for entry in entries {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("json") {
            continue;
        }
        seen += 1;
        for snapshot in [None, Some(SNAPSHOT)] {
            let mut args = vec!["--plan", path.to_str().unwrap(), "--format", "json"];
            if let Some(s) = snapshot {
                args.extend(["--snapshot", s]);
            }
            let output = run(&args);
            let code = output.status.code();
            let stderr = String::from_utf8_lossy(&output.stderr);
            let name = path.file_name().unwrap().to_string_lossy();
            assert!(matches!(code, Some(0..=3)), "{name}: {code:?} {stderr}");
            assert!(!stderr.contains("panicked"), "{name}: {stderr}");
            if code == Some(2) {
                assert!(stderr.contains("plan"), "{name}: {stderr}");
            } else {
                let doc: Value = serde_json::from_slice(&output.stdout).unwrap();
                assert!(doc["plan"].is_object(), "{name}");
            }
        }
    }
    assert!(seen > 0, "no plan in {}", folder.display());
}
