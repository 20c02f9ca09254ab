//! `drguard audit --plan PLAN --live`: a Terraform plan overlaid on a live
//! collection of the seeded reference account (moto), as the plan gate runs
//! in a pipeline without a saved snapshot.

use super::*;

fn audit_plan(endpoint: &str, config: &Path, plan: &Path) -> (i32, Value) {
    let dir = tempfile::tempdir().unwrap();
    let output = drguard_live(
        endpoint,
        dir.path(),
        &[
            "audit",
            "--config",
            config.to_str().unwrap(),
            "--plan",
            plan.to_str().unwrap(),
            "--live",
            "--format",
            "json",
            "--quiet",
        ],
    );
    let code = output.status.code().unwrap_or(-1);
    let report: Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|_| {
        panic!(
            "exit {code}, no JSON report; stderr:\n{}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    (code, report)
}

fn failing(report: &Value) -> BTreeSet<(String, String)> {
    report["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["status"] == "fail" || r["status"] == "error")
        .map(|r| {
            (
                r["rule_id"].as_str().unwrap().to_string(),
                r["resource_id"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn a_plan_overlays_a_live_collection() {
    let scenario = moto::scenario(&Design::default());
    let dir = tempfile::tempdir().unwrap();
    let proxy = aws(&scenario, Vec::new());
    let config = full_config(dir.path());
    let (live_code, live) = audit(&proxy.endpoint, &config);
    let noop_plan = common::root().join("fixtures/plan/noop.json");
    let (noop_code, noop) = audit_plan(&proxy.endpoint, &config, &noop_plan);
    assert_eq!(noop_code, live_code, "{:#}", noop["plan"]);
    assert_eq!(
        failing(&noop),
        failing(&live),
        "a no-op plan changes nothing"
    );
    assert_eq!(noop["plan"]["base"], "snapshot");
    assert_eq!(noop["collection"]["complete"], true);
    // The DR group as the account has it (moto's ids), its MinSize lowered.
    let live_snapshot = snapshot(&proxy.endpoint, &config);
    let group = &live_snapshot["regions"]["us-west-2"]["auto_scaling_groups"][0];
    let template = &group["launch_template"];
    let values = serde_json::json!({
        "name": group["name"], "arn": group["arn"], "min_size": group["min_size"],
        "max_size": group["max_size"], "desired_capacity": group["desired_capacity"],
        "availability_zones": group["availability_zones"],
        "vpc_zone_identifier": group["vpc_zone_identifier"],
        "launch_template": [{"id": template["id"], "name": template["name"], "version": template["version"]}],
        "target_group_arns": group["target_group_arns"], "health_check_type": group["health_check_type"],
        "health_check_grace_period": group["health_check_grace_period"],
        "default_instance_warmup": group["default_instance_warmup"],
        "tag": [{"key": "App", "value": "shop", "propagate_at_launch": true}],
    });
    let mut after = values.clone();
    after["min_size"] = 1.into();
    let plan_doc = serde_json::json!({
        "format_version": "1.2",
        "resource_changes": [{
            "address": "aws_autoscaling_group.web_dr", "mode": "managed", "type": "aws_autoscaling_group",
            "name": "web_dr", "provider_name": "registry.terraform.io/hashicorp/aws",
            "change": {"actions": ["update"], "before": values, "after": after, "after_unknown": {}},
        }],
        "configuration": {"provider_config": {"aws.dr": {"name": "aws", "alias": "dr",
            "expressions": {"region": {"constant_value": "us-west-2"}}}},
            "root_module": {"resources": [{"address": "aws_autoscaling_group.web_dr",
                "provider_config_key": "aws.dr"}]}},
    });
    let plan_path = dir.path().join("plan.json");
    std::fs::write(&plan_path, plan_doc.to_string()).unwrap();
    let (code, regression) = audit_plan(&proxy.endpoint, &config, &plan_path);
    assert_eq!(code, 1);
    let new: BTreeSet<_> = failing(&regression)
        .difference(&failing(&noop))
        .cloned()
        .collect();
    assert_eq!(
        new,
        BTreeSet::from([("DRG-ASG-002".to_string(), "shop-web-usw2".to_string())])
    );
    let row = regression["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["rule_id"] == "DRG-ASG-002")
        .unwrap();
    assert_eq!(row["plan_address"], "aws_autoscaling_group.web_dr");
}
