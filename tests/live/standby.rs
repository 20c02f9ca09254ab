//! What the standby serves with, read from moto in both regions: the load
//! balancers' listeners and their certificates, the health of the target
//! groups' targets, and the Aurora clusters' DB instances, members and KMS
//! keys. The reference design first, then the faults the variants of the
//! rules on this data seed (an HTTP-only DR load balancer, another engine
//! version in DR, a headless DR cluster), then a failed call of each new
//! data source, which is a gap of that source and nothing else.

use super::*;

/// The calls of a snapshot to `operation`, by region.
fn calls_by_region(snap: &Value, operation: &str) -> BTreeMap<String, usize> {
    let mut regions = BTreeMap::new();
    for call in snap["collection"]["api_calls"].as_array().unwrap() {
        if call["operation"] == operation {
            *regions
                .entry(call["region"].as_str().unwrap().to_string())
                .or_default() += 1;
        }
    }
    regions
}

/// Once in each region.
fn once_each() -> BTreeMap<String, usize> {
    BTreeMap::from([(seed::PRIMARY.to_string(), 1), (seed::DR.to_string(), 1)])
}

fn region_list<'a>(snap: &'a Value, region: &str, list: &str) -> &'a Vec<Value> {
    snap["regions"][region][list]
        .as_array()
        .unwrap_or_else(|| panic!("{region} has no {list}"))
}

/// The one load balancer of a region.
fn load_balancer<'a>(snap: &'a Value, region: &str) -> &'a Value {
    let lbs = region_list(snap, region, "load_balancers");
    assert_eq!(lbs.len(), 1, "{region}: {lbs:#?}");
    &lbs[0]
}

/// The (port, protocol) of each listener of a region's load balancer.
fn listener_ports(snap: &Value, region: &str) -> Vec<(i64, String)> {
    load_balancer(snap, region)["listeners"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["port"].as_i64().unwrap(),
                l["protocol"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn cluster<'a>(snap: &'a Value, region: &str) -> &'a Value {
    let clusters = region_list(snap, region, "db_clusters");
    assert_eq!(clusters.len(), 1, "{region}: {clusters:#?}");
    &clusters[0]
}

/// HTTPS on 443 with the region's own ACM certificate as the default, and
/// HTTP on 80, on both ALBs (`DescribeListeners` per load balancer,
/// `DescribeListenerCertificates` per HTTPS listener).
#[test]
fn listeners_serve_each_regions_own_certificate() {
    let scenario = moto::scenario(&Design::default());
    let snap = snapshot(&scenario.endpoint, &live_config());
    assert_eq!(snap["gaps"], Value::Array(vec![]));
    for region in [seed::PRIMARY, seed::DR] {
        let lb = load_balancer(&snap, region);
        let listeners = lb["listeners"].as_array().unwrap();
        // Sorted by port.
        assert_eq!(
            listener_ports(&snap, region),
            [(80, "HTTP".to_string()), (443, "HTTPS".to_string())],
            "{region}: {listeners:#?}"
        );
        let (http, https) = (&listeners[0], &listeners[1]);
        let lb_arn = lb["arn"].as_str().unwrap();
        for listener in [http, https] {
            // A listener's ARN is its load balancer's with `listener/` and an id.
            let arn = listener["arn"].as_str().unwrap();
            assert!(
                arn.starts_with(&lb_arn.replace(":loadbalancer/", ":listener/")),
                "{arn} is not a listener of {lb_arn}"
            );
        }
        assert_eq!(http["ssl_policy"], Value::Null);
        assert_eq!(http["certificates"], serde_json::json!([]));
        assert_eq!(https["ssl_policy"], seed::network::SSL_POLICY);
        let certificate = &region_list(&snap, region, "certificates")[0];
        assert_eq!(
            https["certificates"],
            serde_json::json!([{"arn": certificate["arn"], "is_default": true}]),
            "{region}"
        );
        assert!(
            certificate["arn"]
                .as_str()
                .unwrap()
                .starts_with(&format!("arn:aws:acm:{region}:")),
            "{certificate}"
        );
    }
    assert_eq!(calls_by_region(&snap, "DescribeListeners"), once_each());
    // Only the HTTPS listeners have certificates to ask for.
    assert_eq!(
        calls_by_region(&snap, "DescribeListenerCertificates"),
        once_each()
    );
}

/// Every instance the Auto Scaling groups launched is a registered, healthy
/// target of its region's group (`DescribeTargetHealth` per target group).
#[test]
fn target_health_lists_each_groups_instances() {
    let design = Design::default();
    let scenario = moto::scenario(&design);
    let snap = snapshot(&scenario.endpoint, &live_config());
    assert_eq!(snap["gaps"], Value::Array(vec![]));
    for (region, desired) in [(seed::PRIMARY, 10), (seed::DR, design.dr_desired)] {
        let groups = region_list(&snap, region, "target_groups");
        assert_eq!(groups.len(), 1, "{region}: {groups:#?}");
        let targets = groups[0]["targets"].as_array().unwrap();
        assert_eq!(targets.len(), desired as usize, "{region}: {targets:#?}");
        let ids: Vec<&str> = targets.iter().map(|t| t["id"].as_str().unwrap()).collect();
        let mut sorted = ids.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(ids, sorted, "{region}: targets are sorted by id, once each");
        for target in targets {
            assert!(target["id"].as_str().unwrap().starts_with("i-"), "{target}");
            assert_eq!(target["port"], 80, "{target}");
            assert_eq!(target["state"], "healthy", "{target}");
            assert_eq!(target["reason"], Value::Null, "{target}");
            // moto does not report a target's Availability Zone.
            assert_eq!(target["availability_zone"], Value::Null, "{target}");
        }
    }
    assert_eq!(calls_by_region(&snap, "DescribeTargetHealth"), once_each());
}

/// The primary cluster's writer and reader, the DR cluster's instance, each
/// cluster's members and its region's KMS key (`DescribeDBInstances`; the
/// members and key come with `DescribeDBClusters`).
#[test]
fn db_instances_and_cluster_members_are_read() {
    let design = Design::default();
    let scenario = moto::scenario(&design);
    let snap = snapshot(&scenario.endpoint, &live_config());
    assert_eq!(snap["gaps"], Value::Array(vec![]));
    let seeded = seed::rds::instances(&design);
    for region in [seed::PRIMARY, seed::DR] {
        let cluster = cluster(&snap, region);
        let cluster_id = cluster["id"].as_str().unwrap();
        let expected: Vec<(&str, &str)> = seeded
            .iter()
            .filter(|(c, _, _)| *c == cluster_id)
            .map(|(_, instance, zone)| (*instance, *zone))
            .collect();
        assert!(!expected.is_empty(), "{region}: no instance seeded");
        let instances = region_list(&snap, region, "db_instances");
        assert_eq!(
            instances
                .iter()
                .map(|i| (
                    i["id"].as_str().unwrap(),
                    i["availability_zone"].as_str().unwrap()
                ))
                .collect::<Vec<_>>(),
            expected,
            "{region}: {instances:#?}"
        );
        for instance in instances {
            let id = instance["id"].as_str().unwrap();
            assert_eq!(
                instance["arn"],
                format!("arn:aws:rds:{region}:123456789012:db:{id}")
            );
            assert_eq!(instance["cluster_id"], cluster_id);
            assert_eq!(instance["instance_class"], seed::rds::INSTANCE_CLASS);
            assert_eq!(instance["engine"], "aurora-postgresql");
            assert_eq!(instance["engine_version"], "15.4");
            assert_eq!(instance["status"], "available");
            assert_eq!(instance["promotion_tier"], 1);
            assert_eq!(instance["tags"], serde_json::json!({"App": "shop"}));
        }
        let members = cluster["members"].as_array().unwrap();
        let member_ids: Vec<&str> = members
            .iter()
            .map(|m| m["instance_id"].as_str().unwrap())
            .collect();
        let expected_ids: Vec<&str> = expected.iter().map(|(id, _)| *id).collect();
        assert_eq!(member_ids, expected_ids, "{region}: {members:#?}");
        for member in members {
            assert_eq!(member["promotion_tier"], 1, "{member}");
        }
        // The cluster's storage key is its own region's `alias/shop-data` key.
        let key = region_list(&snap, region, "kms_keys")
            .iter()
            .find(|k| {
                k["aliases"]
                    .as_array()
                    .unwrap()
                    .contains(&Value::from(seed::kms::ALIAS))
            })
            .unwrap_or_else(|| panic!("{region} has no {}", seed::kms::ALIAS));
        assert_eq!(cluster["kms_key_id"], key["arn"], "{region}");
        assert_eq!(cluster["storage_encrypted"], true, "{region}");
    }
    // The primary's first instance is its writer, the second a reader. (moto
    // makes the DR cluster's only instance a writer too, where AWS has no
    // writer in a global database's secondary cluster: not asserted.)
    let primary = cluster(&snap, seed::PRIMARY)["members"].as_array().unwrap();
    assert_eq!(primary[0]["is_writer"], true);
    assert_eq!(primary[1]["is_writer"], false);
    assert_eq!(calls_by_region(&snap, "DescribeDBInstances"), once_each());
}

/// The faults the rules on this data look for, as the snapshot shows them:
/// the DR load balancer on HTTP only (and no certificate call there), the
/// DR cluster on another engine version, and a headless DR cluster.
#[test]
fn the_standby_faults_show_in_the_snapshot() {
    let design = Design {
        dr_listener_https: false,
        dr_engine_version: Some("15.3"),
        ..Design::default()
    };
    let scenario = moto::scenario(&design);
    let snap = snapshot(&scenario.endpoint, &live_config());
    assert_eq!(snap["gaps"], Value::Array(vec![]));
    assert_eq!(listener_ports(&snap, seed::DR), [(80, "HTTP".to_string())]);
    assert_eq!(
        listener_ports(&snap, seed::PRIMARY),
        [(80, "HTTP".to_string()), (443, "HTTPS".to_string())]
    );
    assert_eq!(
        calls_by_region(&snap, "DescribeListenerCertificates"),
        BTreeMap::from([(seed::PRIMARY.to_string(), 1)])
    );
    assert_eq!(cluster(&snap, seed::PRIMARY)["engine_version"], "15.4");
    assert_eq!(cluster(&snap, seed::DR)["engine_version"], "15.3");
    let dr_instances = region_list(&snap, seed::DR, "db_instances");
    assert_eq!(dr_instances.len(), 1, "{dr_instances:#?}");
    assert_eq!(dr_instances[0]["engine_version"], "15.3");
    drop(scenario);

    let headless = Design {
        dr_cluster_headless: true,
        ..Design::default()
    };
    let scenario = moto::scenario(&headless);
    let snap = snapshot(&scenario.endpoint, &live_config());
    assert_eq!(snap["gaps"], Value::Array(vec![]));
    assert_eq!(cluster(&snap, seed::DR)["members"], serde_json::json!([]));
    assert_eq!(region_list(&snap, seed::DR, "db_instances").len(), 0);
    assert_eq!(region_list(&snap, seed::PRIMARY, "db_instances").len(), 2);
}

/// A call of each new data source that fails is a gap of that source in
/// each region, and only of that source: the load balancers, target groups
/// and clusters are still read.
#[test]
fn a_failed_call_is_a_gap_of_its_own_source() {
    let scenario = moto::scenario(&Design::default());
    for (operation, service, resource) in [
        ("DescribeListeners", "elbv2", "listeners"),
        ("DescribeListenerCertificates", "elbv2", "listeners"),
        ("DescribeTargetHealth", "elbv2", "target_health"),
        ("DescribeDBInstances", "rds", "db_instances"),
    ] {
        let proxy = Proxy::start(
            &scenario.endpoint,
            vec![Rule {
                operation,
                fault: Fault::Deny,
            }],
        );
        let snap = snapshot(&proxy.endpoint, &live_config());
        let gaps = snap["gaps"].as_array().unwrap();
        let regions: BTreeSet<&str> = gaps.iter().map(|g| g["region"].as_str().unwrap()).collect();
        assert_eq!(
            regions,
            BTreeSet::from([seed::PRIMARY, seed::DR]),
            "{operation}: {gaps:#?}"
        );
        for gap in gaps {
            assert_eq!(gap["service"], service, "{gap}");
            assert_eq!(gap["resource"], resource, "{gap}");
            assert_eq!(gap["operation"], operation, "{gap}");
            assert_eq!(gap["error_code"], "AccessDenied", "{gap}");
        }
        for region in [seed::PRIMARY, seed::DR] {
            assert_eq!(load_balancer(&snap, region)["state"], "active");
            assert_eq!(region_list(&snap, region, "target_groups").len(), 1);
            assert_eq!(cluster(&snap, region)["engine"], "aurora-postgresql");
        }
    }
}

/// What moto never answers, from AWS's documented shapes: a listener whose
/// default certificate is also in its SNI list (AWS lists it twice, once
/// with `IsDefault` true: kept once, as default, and first), and targets
/// that are unhealthy or still registering, one with its Availability Zone
/// (fixtures/recorded/). The proxy serves each to both regions.
#[test]
fn aws_shapes_moto_lacks_are_normalised_from_recorded_responses() {
    let scenario = moto::scenario(&Design::default());
    let proxy = Proxy::start(
        &scenario.endpoint,
        vec![
            Rule {
                operation: "DescribeListenerCertificates",
                fault: Fault::Recorded(recorded("elbv2-describe-listener-certificates.xml")),
            },
            Rule {
                operation: "DescribeTargetHealth",
                fault: Fault::Recorded(recorded("elbv2-describe-target-health.xml")),
            },
        ],
    );
    let snap = snapshot(&proxy.endpoint, &live_config());
    assert_eq!(snap["gaps"], Value::Array(vec![]));
    let default =
        "arn:aws:acm:us-west-2:123456789012:certificate/9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b";
    let sni = "arn:aws:acm:us-west-2:123456789012:certificate/3a2b1c0d-9e8f-4a7b-8c6d-5e4f3a2b1c0d";
    for region in [seed::PRIMARY, seed::DR] {
        let https = &load_balancer(&snap, region)["listeners"][1];
        assert_eq!(https["protocol"], "HTTPS");
        assert_eq!(
            https["certificates"],
            serde_json::json!([
                {"arn": default, "is_default": true},
                {"arn": sni, "is_default": false}
            ]),
            "{region}"
        );
        let targets = &region_list(&snap, region, "target_groups")[0]["targets"];
        assert_eq!(
            targets,
            &serde_json::json!([
                {"id": "10.0.1.25", "port": 8080, "availability_zone": "us-west-2b",
                 "state": "initial", "reason": "Elb.RegistrationInProgress"},
                {"id": "i-0376fadf0a1b2c3d4", "port": 80, "availability_zone": null,
                 "state": "healthy", "reason": null},
                {"id": "i-0f76fade0a1b2c3d4", "port": 80, "availability_zone": null,
                 "state": "unhealthy", "reason": "Target.FailedHealthChecks"}
            ]),
            "{region}"
        );
    }
}
