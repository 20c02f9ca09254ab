//! Capacity, alarm and identity data read from moto in both regions: the
//! alarms, the primary group's peak, the EC2 vCPU quota (a recorded answer:
//! moto has no EC2 quotas), instance types, the launch templates' security
//! groups, subnets, instance profile and volume keys with the groups and
//! subnets that exist, and the runbook's role. The reference design first,
//! then the faults its variants seed (in one design, so moto is seeded once
//! for them): a DR template naming the primary's security group, no runbook
//! role, a low DR vCPU quota, a higher primary peak.

use super::*;

/// The design with the four faults the capacity and identity rules look for.
fn faulty() -> Design {
    Design {
        dr_template_primary_sg: true,
        runbook_role_exists: false,
        dr_vcpu_quota: 8.0,
        primary_peak: 20.0,
        ..Design::default()
    }
}

/// A snapshot through the proxy with every source, what moto lacks recorded.
fn full_snapshot(scenario: &moto::Scenario) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let proxy = aws(scenario, Vec::new());
    let snap = snapshot(&proxy.endpoint, &full_config(dir.path()));
    assert_eq!(snap["gaps"], Value::Array(vec![]));
    snap
}

fn list<'a>(snap: &'a Value, region: &str, key: &str) -> &'a Vec<Value> {
    snap["regions"][region][key]
        .as_array()
        .unwrap_or_else(|| panic!("{region} has no {key}"))
}

fn named<'a>(items: &'a [Value], key: &str, name: &str) -> &'a Value {
    items
        .iter()
        .find(|item| item[key] == name)
        .unwrap_or_else(|| panic!("no {name} in {items:#?}"))
}

/// The peak summary of a group in its region.
fn peak<'a>(snap: &'a Value, region: &str, group: &str) -> &'a Value {
    list(snap, region, "metrics")
        .iter()
        .find(|m| {
            m["metric_name"] == "GroupDesiredCapacity"
                && m["dimensions"]["AutoScalingGroupName"] == group
        })
        .unwrap_or_else(|| panic!("no peak of {group} in {region}"))
}

/// Metric and metric-math alarms in the region they live in, with what they
/// watch (CloudWatch: `DescribeAlarms`, both alarm types, all pages).
#[test]
fn alarms_are_read_in_both_regions() {
    let scenario = moto::scenario(&Design::default());
    let snap = snapshot(&scenario.endpoint, &live_config());
    assert_eq!(snap["gaps"], Value::Array(vec![]));
    let east = list(&snap, seed::PRIMARY, "alarms");
    assert_eq!(east.len(), 1, "{east:#?}");
    let health = named(east, "name", seed::cloudwatch::PRIMARY_ALARM);
    assert_eq!(
        *health,
        serde_json::json!({
            "name": seed::cloudwatch::PRIMARY_ALARM,
            "arn": format!("arn:aws:cloudwatch:us-east-1:123456789012:alarm:{}", seed::cloudwatch::PRIMARY_ALARM),
            "namespace": "AWS/Route53",
            "metric_name": "HealthCheckStatus",
            "dimensions": {"HealthCheckId": health["dimensions"]["HealthCheckId"]},
            "statistic": "Minimum",
            "period": 60,
            "evaluation_periods": 1,
            "datapoints_to_alarm": 1,
            "threshold": 1.0,
            "comparison_operator": "LessThanThreshold",
            "state": health["state"],
            "actions_enabled": true,
            "alarm_actions": ["arn:aws:sns:us-east-1:123456789012:shop-oncall"],
            "composite_rule": null,
            "metrics_namespaces": []
        })
    );
    // It watches the PRIMARY record's health check, by the id Route 53 gave it.
    let check = &health["dimensions"]["HealthCheckId"];
    assert!(
        snap["global"]["health_checks"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| &c["id"] == check),
        "{health:#}"
    );
    assert!(
        ["OK", "ALARM", "INSUFFICIENT_DATA"].contains(&health["state"].as_str().unwrap()),
        "{health:#}"
    );
    let west = list(&snap, seed::DR, "alarms");
    assert_eq!(west.len(), 1, "{west:#?}");
    let rate = named(west, "name", seed::cloudwatch::DR_ALARM);
    // Metric math: no single metric, the namespaces of the metrics it reads.
    assert_eq!(rate["namespace"], Value::Null, "{rate:#}");
    assert_eq!(rate["metric_name"], Value::Null);
    assert_eq!(
        rate["metrics_namespaces"],
        serde_json::json!(["AWS/ApplicationELB"])
    );
    assert_eq!(rate["evaluation_periods"], 3);
    assert_eq!(rate["datapoints_to_alarm"], 2);
    assert_eq!(rate["comparison_operator"], "GreaterThanThreshold");
    assert_eq!(rate["composite_rule"], Value::Null);
    // One DescribeAlarms per region.
    let regions: BTreeSet<&str> = snap["collection"]["api_calls"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["operation"] == "DescribeAlarms")
        .map(|c| c["region"].as_str().unwrap())
        .collect();
    assert_eq!(regions, BTreeSet::from([seed::PRIMARY, seed::DR]));
}

/// Each group's peak `GroupDesiredCapacity` over `[collect] peak_window`: the
/// primary's from its datapoints, the DR group's without any (no group
/// metrics collection: data, not a gap), in a call of its own beside the lag
/// metrics' window.
#[test]
fn each_group_has_its_peak_over_the_peak_window() {
    let scenario = moto::scenario(&Design::default());
    let snap = snapshot(&scenario.endpoint, &live_config());
    assert_eq!(snap["gaps"], Value::Array(vec![]));
    let primary = peak(&snap, seed::PRIMARY, "shop-web-use1");
    assert_eq!(primary["namespace"], "AWS/AutoScaling");
    assert_eq!(primary["maximum"], 12.0, "{primary:#}");
    assert_eq!(primary["datapoints"], 2, "{primary:#}");
    assert_eq!(primary["window_seconds"], 7 * 86_400);
    let dr = peak(&snap, seed::DR, "shop-web-usw2");
    assert_eq!(dr["datapoints"], 0, "{dr:#}");
    assert_eq!(dr["maximum"], Value::Null);
    assert_eq!(dr["average"], Value::Null);
    // The lag summaries keep their own window.
    let lag = list(&snap, seed::DR, "metrics")
        .iter()
        .find(|m| m["metric_name"] == "AuroraGlobalDBRPOLag")
        .unwrap();
    assert_eq!(lag["window_seconds"], 86_400);
    let calls = |snap: &Value, region: &str| {
        snap["collection"]["api_calls"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["operation"] == "GetMetricData" && c["region"] == region)
            .count()
    };
    assert_eq!(calls(&snap, seed::PRIMARY), 2, "lag window and peak window");

    // A configured window is the summary's window.
    let dir = tempfile::tempdir().unwrap();
    let config = config_with(dir.path(), "[collect]\npeak_window = \"2d\"\n");
    let snap = snapshot(&scenario.endpoint, &config);
    let primary = peak(&snap, seed::PRIMARY, "shop-web-use1");
    assert_eq!(primary["window_seconds"], 2 * 86_400);
    assert_eq!(primary["maximum"], 12.0);
    // With both windows equal, one call asks for all of a region's metrics.
    let config = config_with(dir.path(), "[collect]\npeak_window = \"24h\"\n");
    let snap = snapshot(&scenario.endpoint, &config);
    assert_eq!(calls(&snap, seed::PRIMARY), 1);
}

/// The EC2 On-Demand vCPU quota of each region, from AWS's documented
/// `GetServiceQuota` answer (moto 5.2.5 answers `NoSuchResourceException`
/// for every EC2 quota: a gap, never a quota of nothing).
#[test]
fn the_vcpu_quota_is_read_in_both_regions() {
    let scenario = moto::scenario(&Design::default());
    let snap = full_snapshot(&scenario);
    for region in [seed::PRIMARY, seed::DR] {
        let quotas = list(&snap, region, "service_quotas");
        assert_eq!(
            *quotas,
            vec![serde_json::json!({
                "service_code": "ec2",
                "quota_code": "L-1216C47A",
                "quota_name": "Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances",
                "value": 640.0,
                "unit": "None",
                "adjustable": true
            })],
            "{region}"
        );
    }
    // Logged under the action the published policy grants.
    let actions: BTreeSet<&str> = snap["collection"]["api_calls"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["operation"] == "GetServiceQuota")
        .map(|c| c["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, BTreeSet::from(["servicequotas:GetServiceQuota"]));
    // moto itself (the live config without its quota skip, its last table).
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(live_config()).unwrap();
    let cut = text
        .find("[[collect.skip]]\nsource = \"servicequotas\"")
        .unwrap();
    let config = dir.path().join("drguard.toml");
    std::fs::write(&config, &text[..cut]).unwrap();
    let snap = snapshot(&scenario.endpoint, &config);
    let gaps: Vec<&Value> = snap["gaps"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|g| g["service"] == "servicequotas")
        .collect();
    assert_eq!(gaps.len(), 2, "{:#?}", snap["gaps"]);
    for gap in gaps {
        assert_eq!(gap["operation"], "GetServiceQuota");
        assert_eq!(gap["error_code"], "NoSuchResourceException");
    }
    assert_eq!(list(&snap, seed::DR, "service_quotas").len(), 0);
}

/// What the launch templates launch and with what: the instance type's
/// vCPUs, the security group, the instance profile and the EBS key of each
/// region, and the groups' subnets, with the groups and subnets found in
/// the region.
#[test]
fn templates_name_their_network_identity_and_keys() {
    let scenario = moto::scenario(&Design::default());
    let snap = snapshot(&scenario.endpoint, &live_config());
    assert_eq!(snap["gaps"], Value::Array(vec![]));
    for (region, group_name, subnets) in [
        (seed::PRIMARY, "shop-web-use1", 3),
        (seed::DR, "shop-web-usw2", 2),
    ] {
        assert_eq!(
            *list(&snap, region, "instance_types"),
            vec![serde_json::json!({"instance_type": "m7i.large", "vcpus": 2, "memory_mib": 8192})],
            "{region}"
        );
        let groups = list(&snap, region, "security_groups");
        assert_eq!(groups.len(), 1, "{region}: {groups:#?}");
        let security_group = &groups[0];
        assert_eq!(security_group["name"], group_name);
        let key = list(&snap, region, "kms_keys")[0]["arn"].clone();
        let template = &list(&snap, region, "launch_templates")[0];
        for version in template["versions"].as_array().unwrap() {
            assert_eq!(
                version["security_group_ids"],
                serde_json::json!([security_group["id"]]),
                "{version:#}"
            );
            assert_eq!(version["subnet_ids"], serde_json::json!([]));
            assert_eq!(version["iam_instance_profile"], seed::iam::INSTANCE_PROFILE);
            assert_eq!(
                version["block_device_kms_key_ids"],
                serde_json::json!([key])
            );
        }
        let group = named(
            list(&snap, region, "auto_scaling_groups"),
            "name",
            group_name,
        );
        let zone_subnets = group["vpc_zone_identifier"].as_array().unwrap();
        assert_eq!(zone_subnets.len(), subnets, "{group:#}");
        let found: BTreeSet<&str> = list(&snap, region, "subnets")
            .iter()
            .map(|s| s["id"].as_str().unwrap())
            .collect();
        let named: BTreeSet<&str> = zone_subnets.iter().map(|s| s.as_str().unwrap()).collect();
        assert_eq!(found, named, "{region}");
        for subnet in list(&snap, region, "subnets") {
            assert_eq!(subnet["vpc_id"], security_group["vpc_id"], "{subnet:#}");
            assert!(
                subnet["availability_zone"]
                    .as_str()
                    .unwrap()
                    .starts_with(region),
                "{subnet:#}"
            );
        }
    }
}

/// The runbook's role with the service its trust policy admits, and the
/// templates' instance profile with its role (IAM: `GetRole`,
/// `GetInstanceProfile`, once each though both templates name the profile).
#[test]
fn the_runbook_role_and_the_instance_profile_are_read() {
    let scenario = moto::scenario(&Design::default());
    let snap = snapshot(&scenario.endpoint, &live_config());
    assert_eq!(snap["gaps"], Value::Array(vec![]));
    let global = &snap["global"];
    assert_eq!(
        global["iam_roles"],
        serde_json::json!([{
            "name": seed::iam::RUNBOOK_ROLE,
            "arn": format!("arn:aws:iam::123456789012:role/{}", seed::iam::RUNBOOK_ROLE),
            "trusted_services": ["ssm.amazonaws.com"]
        }])
    );
    assert_eq!(
        global["instance_profiles"],
        serde_json::json!([{
            "name": seed::iam::INSTANCE_PROFILE,
            "arn": format!("arn:aws:iam::123456789012:instance-profile/{}", seed::iam::INSTANCE_PROFILE),
            "roles": [seed::iam::INSTANCE_PROFILE]
        }])
    );
    assert_eq!(global["missing_iam_roles"], serde_json::json!([]));
    assert_eq!(global["missing_instance_profiles"], serde_json::json!([]));
    let calls = snap["collection"]["api_calls"].as_array().unwrap();
    let count = |op: &str| calls.iter().filter(|c| c["operation"] == op).count();
    assert_eq!(count("GetRole"), 1);
    assert_eq!(count("GetInstanceProfile"), 1);
}

/// The variants' faults are data, never gaps: the DR template's security
/// group is not in the DR region, the runbook's role does not exist, the DR
/// quota is low, the primary peaked higher.
#[test]
fn variants_show_a_foreign_group_a_missing_role_a_low_quota_and_a_higher_peak() {
    let scenario = moto::scenario(&faulty());
    let snap = full_snapshot(&scenario);
    let primary_group = &list(&snap, seed::PRIMARY, "security_groups")[0]["id"];
    let dr_template = &list(&snap, seed::DR, "launch_templates")[0];
    assert_eq!(
        dr_template["versions"][0]["security_group_ids"],
        serde_json::json!([primary_group])
    );
    assert_eq!(
        *list(&snap, seed::DR, "security_groups"),
        Vec::<Value>::new()
    );
    // The subnets the DR group names are still found.
    assert_eq!(list(&snap, seed::DR, "subnets").len(), 2);
    assert_eq!(snap["global"]["iam_roles"], serde_json::json!([]));
    assert_eq!(
        snap["global"]["missing_iam_roles"],
        serde_json::json!([seed::iam::RUNBOOK_ROLE])
    );
    assert_eq!(list(&snap, seed::DR, "service_quotas")[0]["value"], 8.0);
    assert_eq!(
        list(&snap, seed::PRIMARY, "service_quotas")[0]["value"],
        640.0
    );
    assert_eq!(peak(&snap, seed::PRIMARY, "shop-web-use1")["maximum"], 20.0);
}

/// A refused `GetRole` is a gap of `iam`, not a missing role.
#[test]
fn a_refused_iam_call_is_a_gap_not_a_missing_role() {
    let scenario = moto::scenario(&Design::default());
    let proxy = Proxy::start(
        &scenario.endpoint,
        vec![Rule {
            operation: "GetRole",
            fault: Fault::Deny,
        }],
    );
    let snap = snapshot(&proxy.endpoint, &live_config());
    let gaps = snap["gaps"].as_array().unwrap();
    assert_eq!(gaps.len(), 1, "{gaps:#?}");
    assert_eq!(gaps[0]["service"], "iam");
    assert_eq!(gaps[0]["region"], "global");
    assert_eq!(gaps[0]["operation"], "GetRole");
    assert_eq!(gaps[0]["error_code"], "AccessDenied");
    assert_eq!(snap["global"]["missing_iam_roles"], serde_json::json!([]));
    assert_eq!(snap["global"]["iam_roles"], serde_json::json!([]));
}
