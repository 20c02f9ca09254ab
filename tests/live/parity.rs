//! The reference account audited live like the bundled example; a snapshot re-audited gives the live verdicts; each single-fault variant fails exactly its rule; what moto lacks comes from recorded answers.

use super::*;
use seed::Trigger;

/// One single-fault variant: the design change, the rule it must fail and
/// the rules the same change fails with it (a consequence, not a second fault).
struct Variant {
    rule: &'static str,
    also: &'static [&'static str],
    design: Design,
    /// Compared with the robust design's audit (see [`robust`]) instead of
    /// the reference's: for rules the reference already fails.
    robust: bool,
}

/// The reference design with the runbook mistakes that catalog v2 finds
/// fixed (sized for the peak, a wait after the promotions, no Route 53
/// step, no us-east-1 alarm paging on-call): the base for variants of the
/// rules the reference already fails (DRG-ASG-004, DRG-SSM-005,
/// DRG-SSM-007, DRG-REG-001, DRG-EVT-001).
fn robust() -> Design {
    Design {
        runbook_desired_capacity: 12,
        runbook_wait_step: true,
        runbook_dns_step: false,
        primary_route53_alarm: false,
        ..Design::default()
    }
}

fn variants() -> Vec<Variant> {
    let d = Design::default;
    vec![
        Variant {
            rule: "DRG-R53-001",
            also: &[],
            robust: false,
            design: Design {
                health_check_interval: 30,
                ..d()
            },
        },
        Variant {
            rule: "DRG-R53-002",
            also: &[],
            robust: false,
            design: Design {
                health_check_threshold: 5,
                ..d()
            },
        },
        Variant {
            rule: "DRG-R53-003",
            also: &[],
            robust: false,
            design: Design {
                health_check_path: "/",
                ..d()
            },
        },
        Variant {
            rule: "DRG-R53-007",
            also: &[],
            robust: false,
            design: Design {
                primary_check_disabled: true,
                ..d()
            },
        },
        Variant {
            rule: "DRG-R53-006",
            also: &[],
            robust: false,
            design: Design {
                cname_records_ttl: Some(300),
                ..d()
            },
        },
        Variant {
            rule: "DRG-ASG-001",
            also: &[],
            robust: false,
            design: Design {
                primary_azs: 2,
                ..d()
            },
        },
        Variant {
            rule: "DRG-ASG-002",
            // One warm instance is one healthy target: below DRG-R53-008's two.
            also: &["DRG-R53-008"],
            robust: false,
            design: Design {
                dr_min_size: 1,
                dr_desired: 1,
                ..d()
            },
        },
        Variant {
            rule: "DRG-ASG-003",
            also: &[],
            robust: false,
            design: Design {
                dr_max_size: 6,
                ..d()
            },
        },
        Variant {
            rule: "DRG-AMI-002",
            also: &[],
            robust: false,
            design: Design {
                dr_launches_previous_ami: true,
                ..d()
            },
        },
        Variant {
            rule: "DRG-AMI-003",
            also: &[],
            robust: false,
            design: Design {
                ami_copy_rule: false,
                ..d()
            },
        },
        Variant {
            rule: "DRG-RDS-002",
            also: &[],
            robust: false,
            design: Design {
                dr_cluster_in_global: false,
                ..d()
            },
        },
        Variant {
            rule: "DRG-RDS-003",
            also: &[],
            robust: false,
            design: Design {
                aurora_lag_peak_ms: 420_000.0,
                ..d()
            },
        },
        Variant {
            rule: "DRG-S3-001",
            also: &[],
            robust: false,
            design: Design {
                s3_replication: false,
                ..d()
            },
        },
        Variant {
            rule: "DRG-S3-002",
            also: &[],
            robust: false,
            design: Design {
                s3_rtc: false,
                ..d()
            },
        },
        Variant {
            rule: "DRG-S3-003",
            also: &[],
            robust: false,
            design: Design {
                s3_destination_versioned: false,
                ..d()
            },
        },
        Variant {
            rule: "DRG-EC-001",
            also: &[],
            robust: false,
            design: Design {
                cache_automatic_failover: false,
                ..d()
            },
        },
        Variant {
            rule: "DRG-EC-002",
            also: &[],
            robust: false,
            design: Design {
                dr_cache_in_scope: false,
                ..d()
            },
        },
        Variant {
            rule: "DRG-SSM-002",
            also: &[],
            robust: false,
            design: Design {
                runbook_scale_step: false,
                ..d()
            },
        },
        Variant {
            rule: "DRG-SSM-004",
            also: &[],
            robust: false,
            design: Design {
                runbook_dr_cluster: "shop-aurora-gone",
                ..d()
            },
        },
        Variant {
            rule: "DRG-SSM-005",
            also: &["DRG-ASG-004"],
            robust: true,
            design: Design {
                runbook_desired_capacity: 4,
                ..robust()
            },
        },
        Variant {
            rule: "DRG-ASG-004",
            also: &[],
            robust: true,
            design: Design {
                dr_vcpu_quota: 8.0,
                ..robust()
            },
        },
        Variant {
            rule: "DRG-ASG-005",
            also: &[],
            robust: false,
            design: Design {
                dr_template_primary_sg: true,
                ..d()
            },
        },
        // The Route 53 step right after the promotions: no wait (and the
        // step itself is a us-east-1 dependency, DRG-REG-001/SSM-006).
        Variant {
            rule: "DRG-SSM-007",
            also: &["DRG-REG-001", "DRG-SSM-006"],
            robust: true,
            design: Design {
                runbook_wait_step: false,
                runbook_dns_step: true,
                ..robust()
            },
        },
        // The runbook's role does not exist (IAM cannot create it during a
        // us-east-1 outage: DRG-REG-001 too).
        Variant {
            rule: "DRG-SSM-007",
            also: &["DRG-REG-001"],
            robust: true,
            design: Design {
                runbook_role_exists: false,
                ..robust()
            },
        },
        Variant {
            rule: "DRG-REG-001",
            also: &[],
            robust: true,
            design: Design {
                primary_route53_alarm: true,
                ..robust()
            },
        },
        Variant {
            rule: "DRG-EVT-001",
            also: &[],
            robust: true,
            design: Design {
                trigger: Some(Trigger::DrRoute53Alarm),
                ..robust()
            },
        },
        Variant {
            rule: "DRG-EVT-001",
            also: &["DRG-REG-001"],
            robust: true,
            design: Design {
                trigger: Some(Trigger::PrimaryRegion),
                ..robust()
            },
        },
        Variant {
            rule: "DRG-ELB-003",
            also: &[],
            robust: false,
            design: Design {
                dr_listener_https: false,
                ..d()
            },
        },
        Variant {
            rule: "DRG-RDS-004",
            also: &[],
            robust: false,
            design: Design {
                dr_cluster_headless: true,
                ..d()
            },
        },
        Variant {
            rule: "DRG-RDS-004",
            also: &[],
            robust: false,
            design: Design {
                dr_engine_version: Some("15.3"),
                ..d()
            },
        },
        Variant {
            rule: "DRG-KMS-001",
            also: &[],
            robust: false,
            design: Design {
                dr_kms_key_disabled: true,
                ..d()
            },
        },
        Variant {
            rule: "DRG-SEC-001",
            also: &[],
            robust: false,
            design: Design {
                secret_replicated: false,
                ..d()
            },
        },
        Variant {
            rule: "DRG-S3-004",
            also: &[],
            robust: false,
            design: Design {
                source_bucket_sse_kms: true,
                ..d()
            },
        },
    ]
}

#[test]
fn reference_account_audits_like_the_bundled_example() {
    let scenario = moto::scenario(&Design::default());
    let dir = tempfile::tempdir().unwrap();
    let proxy = aws(&scenario, Vec::new());
    let started = Instant::now();
    let (code, report) = audit(&proxy.endpoint, &full_config(dir.path()));
    let wall = started.elapsed();
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(
        report["collection"]["complete"], true,
        "{:#}",
        report["collection"]
    );
    // The bundled example, audited offline, is the expectation.
    let bundled = common::drguard(
        &common::root(),
        &[
            "audit",
            "--config",
            "fixtures/reference/drguard.toml",
            "--snapshot",
            "fixtures/reference/snapshot.json",
            "--format",
            "json",
        ],
    );
    let bundled: Value = serde_json::from_slice(&bundled.stdout).unwrap();
    let (live, offline) = (verdicts(&report), verdicts(&bundled));
    let differing: BTreeSet<String> = live
        .iter()
        .filter(|(id, statuses)| offline.get(*id) != Some(statuses))
        .map(|(id, _)| id.clone())
        .collect();
    assert_eq!(live, offline, "{:#?}", messages_of(&report, &differing));
    assert_eq!(
        with_status(&report, "fail"),
        BTreeSet::from([
            "DRG-ASG-004".to_string(),
            "DRG-BUD-001".to_string(),
            "DRG-BUD-002".to_string(),
            "DRG-BUD-003".to_string(),
            "DRG-PAR-004".to_string(),
            "DRG-REG-001".to_string(),
            "DRG-SSM-003".to_string(),
            "DRG-SSM-005".to_string(),
            "DRG-SSM-006".to_string(),
            "DRG-SSM-007".to_string()
        ])
    );
    eprintln!(
        "live audit of the reference account: {} ms wall, {} API calls, collection {} ms",
        wall.as_millis(),
        report["collection"]["api_calls"],
        report["collection"]["duration_ms"]
    );
}

#[test]
fn rds_global_db_rpo_is_read_from_the_primary_parameter_group() {
    let scenario = moto::scenario(&Design {
        aurora_global_db_rpo: Some(60),
        ..Design::default()
    });
    let proxy = Proxy::start(&scenario.endpoint, Vec::new());
    let config = live_config();
    let snap = snapshot(&proxy.endpoint, &config);
    let primary = &snap["regions"]["us-east-1"]["db_clusters"][0];
    assert_eq!(
        primary["parameter_group"], "shop-aurora-pg15",
        "{primary:#}"
    );
    assert_eq!(primary["global_db_rpo_seconds"], 60, "{primary:#}");
    let secondary = &snap["regions"]["us-west-2"]["db_clusters"][0];
    assert_eq!(
        secondary["global_db_rpo_seconds"],
        Value::Null,
        "{secondary:#}"
    );
    // One read of the custom group; AWS's default.* groups are never read.
    let reads = proxy
        .stats()
        .operations
        .iter()
        .filter(|op| op.as_str() == "DescribeDBClusterParameters")
        .count();
    assert_eq!(reads, 1);

    let (_, report) = audit(&proxy.endpoint, &config);
    let aurora = report["budget"]["rpo"]["stores"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "aurora")
        .unwrap();
    assert_eq!(aurora["guaranteed_seconds"], 60.0, "{aurora:#}");
}

#[test]
fn snapshot_then_audit_equals_the_live_audit() {
    let scenario = moto::scenario(&Design::default());
    let dir = tempfile::tempdir().unwrap();
    let snap = snapshot(&scenario.endpoint, &live_config());
    let path = dir.path().join("snap.json");
    std::fs::write(&path, serde_json::to_string(&snap).unwrap()).unwrap();
    let offline = common::drguard(
        &common::root(),
        &[
            "audit",
            "--config",
            CONFIG,
            "--snapshot",
            path.to_str().unwrap(),
            "--format",
            "json",
        ],
    );
    let offline: Value = serde_json::from_slice(&offline.stdout).unwrap();
    let (code, live) = audit(&scenario.endpoint, &live_config());
    assert_eq!(offline["summary"]["exit_code"], code);
    let strip = |report: &Value| {
        report["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["rule_id"].clone(),
                    r["status"].clone(),
                    r["resource_arn"].clone(),
                    r["message"].clone(),
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(strip(&offline), strip(&live));
    // The snapshot loads through the strict loader and lists every source it skipped.
    assert_eq!(snap["skipped"].as_array().unwrap().len(), 3);
    assert_eq!(snap["account_id"], "123456789012");
}

#[test]
fn each_seeded_fault_fails_exactly_its_rule() {
    let dir = tempfile::tempdir().unwrap();
    let config = full_config(dir.path());
    let failing_of = |design: &Design| {
        let scenario = moto::scenario(design);
        let proxy = aws(&scenario, Vec::new());
        let (_, report) = audit(&proxy.endpoint, &config);
        with_status(&report, "fail")
    };
    let reference = failing_of(&Design::default());
    let robust_base = failing_of(&robust());
    // The robust design fixes what catalog v2 finds in the reference runbook.
    for fixed in [
        "DRG-ASG-004",
        "DRG-SSM-005",
        "DRG-SSM-007",
        "DRG-REG-001",
        "DRG-SSM-006",
    ] {
        assert!(
            reference.contains(fixed) && !robust_base.contains(fixed),
            "{fixed}"
        );
    }
    let variants = variants();
    assert!(variants.len() >= 12);
    let mut problems = Vec::new();
    for variant in variants {
        let scenario = moto::scenario(&variant.design);
        let proxy = aws(&scenario, Vec::new());
        let (code, report) = audit(&proxy.endpoint, &config);
        let failing = with_status(&report, "fail");
        let errors = with_status(&report, "error");
        let baseline = if variant.robust {
            &robust_base
        } else {
            &reference
        };
        let new: BTreeSet<_> = failing.difference(baseline).cloned().collect();
        let expected: BTreeSet<String> = std::iter::once(variant.rule)
            .chain(variant.also.iter().copied())
            .map(str::to_string)
            .collect();
        if new != expected || !errors.is_empty() || code != 1 {
            problems.push(format!(
                "{}: exit {code}, newly failing {new:?}, errors {errors:?}",
                variant.rule
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Global Accelerator and ElastiCache global datastores, which moto does not
/// implement, from recorded AWS responses served by the proxy.
#[test]
fn unimplemented_apis_are_normalised_from_recorded_responses() {
    let scenario = moto::scenario(&Design::default());
    let lbs = {
        let (primary, dr) = load_balancer_arns(&scenario.endpoint);
        [primary, dr]
    };
    let dir = tempfile::tempdir().unwrap();
    let config = full_config(dir.path());
    let proxy = Proxy::start(&scenario.endpoint, recorded_rules(&scenario, None));
    let snap = snapshot(&proxy.endpoint, &config);
    assert_eq!(snap["gaps"], Value::Array(vec![]));
    let accelerator = &snap["global"]["accelerators"][0];
    assert_eq!(accelerator["name"], "shop-ga");
    assert_eq!(
        accelerator["ip_addresses"],
        serde_json::json!(["75.2.101.17", "99.83.147.52"])
    );
    let listener = &accelerator["listeners"][0];
    assert_eq!(listener["protocol"], "TCP");
    let dr_group = &listener["endpoint_groups"][1];
    assert_eq!(dr_group["region"], "us-west-2");
    assert_eq!(dr_group["health_check_interval_seconds"], 10);
    assert_eq!(dr_group["traffic_dial_percentage"], 0.0);
    assert_eq!(dr_group["endpoints"][0]["endpoint_id"], lbs[1].as_str());
    let datastore = &snap["global"]["global_replication_groups"][0];
    assert_eq!(datastore["id"], "ldgnf-shop-cache-global");
    assert_eq!(
        datastore["members"],
        serde_json::json!([
            {"replication_group_id": "shop-cache-use1", "region": "us-east-1", "role": "primary"},
            {"replication_group_id": "shop-cache-usw2", "region": "us-west-2", "role": "secondary"}
        ])
    );
    let (_, report) = audit(&proxy.endpoint, &config);
    assert_eq!(
        verdicts(&report)["DRG-GA-001"],
        BTreeSet::from(["pass".to_string()])
    );

    // The same accelerator without health checking in the DR region fails
    // DRG-GA-001, and only it.
    let broken = {
        let mut value: Value =
            serde_json::from_str(&recorded("ga-list-endpoint-groups.json")).unwrap();
        let dr = value["EndpointGroups"][1].as_object_mut().unwrap();
        for key in ["HealthCheckProtocol", "HealthCheckPath", "HealthCheckPort"] {
            dr.remove(key);
        }
        value.to_string()
    };
    let proxy = Proxy::start(&scenario.endpoint, recorded_rules(&scenario, Some(broken)));
    let (code, report) = audit(&proxy.endpoint, &config);
    assert_eq!(code, 1);
    let new: BTreeSet<_> = with_status(&report, "fail")
        .difference(&BTreeSet::from([
            "DRG-BUD-001".to_string(),
            "DRG-BUD-002".to_string(),
            "DRG-BUD-003".to_string(),
            "DRG-PAR-004".to_string(),
            "DRG-REG-001".to_string(),
            "DRG-SSM-003".to_string(),
            "DRG-SSM-005".to_string(),
            "DRG-SSM-006".to_string(),
            "DRG-SSM-007".to_string(),
            "DRG-ASG-004".to_string(),
        ]))
        .cloned()
        .collect();
    assert_eq!(new, BTreeSet::from(["DRG-GA-001".to_string()]));
}

/// The app's certificate is read in each region it lives in, with every
/// name it covers, its status and validity (ACM: `ListCertificates` of every
/// key type, then `DescribeCertificate`).
#[test]
fn certificates_are_read_in_both_regions() {
    let scenario = moto::scenario(&Design::default());
    let snap = snapshot(&scenario.endpoint, &live_config());
    for region in [seed::PRIMARY, seed::DR] {
        let certificates = snap["regions"][region]["certificates"].as_array().unwrap();
        assert_eq!(certificates.len(), 1, "{region}: {certificates:#?}");
        let certificate = &certificates[0];
        assert!(
            certificate["arn"]
                .as_str()
                .unwrap()
                .starts_with(&format!("arn:aws:acm:{region}:")),
            "{certificate}"
        );
        assert_eq!(certificate["domain_name"], "api.yourstore.com");
        assert_eq!(certificate["status"], "ISSUED");
        assert_eq!(certificate["type"], "IMPORTED");
        let names: Vec<&str> = certificate["subject_alternative_names"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n.as_str().unwrap())
            .collect();
        assert!(names.contains(&"*.yourstore.com"), "{names:?}");
        assert!(
            certificate["not_after"]
                .as_str()
                .unwrap()
                .starts_with("2036-")
        );
    }
}

/// The robust design, started by a trigger in the DR region on the DR
/// region's own alarm, passes every rule on the failover's region
/// dependencies, and the budget credits the automatic start.
#[test]
fn a_robust_account_survives_the_primary_region() {
    let scenario = moto::scenario(&Design {
        trigger: Some(Trigger::DrAlarm),
        ..robust()
    });
    let dir = tempfile::tempdir().unwrap();
    let config = full_config(dir.path());
    let proxy = aws(&scenario, Vec::new());
    let (_, report) = audit(&proxy.endpoint, &config);
    let verdicts = verdicts(&report);
    for id in [
        "DRG-ASG-004",
        "DRG-ASG-005",
        "DRG-EVT-001",
        "DRG-REG-001",
        "DRG-SSM-005",
        "DRG-SSM-007",
    ] {
        assert_eq!(
            verdicts[id],
            BTreeSet::from(["pass".to_string()]),
            "{id}: {:#?}",
            messages_of(&report, &BTreeSet::from([id.to_string()]))
        );
    }
    let steps = report["budget"]["rto"]["steps"].as_array().unwrap();
    let applies = |id: &str| {
        steps
            .iter()
            .find(|s| s["id"] == id)
            .map(|s| s["applies"].clone())
    };
    assert_eq!(applies("automated_start"), Some(Value::Bool(true)));
    assert_eq!(applies("decision"), Some(Value::Bool(false)));
}
