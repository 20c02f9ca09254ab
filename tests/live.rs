//! Live audits against a real moto server (see tests/live/moto.rs): the
//! reference account, single-fault variants, injected faults, pagination and
//! the IAM policy. The real binary runs with `AWS_ENDPOINT_URL` pointing at
//! moto (or at the fault proxy in front of it); no mock stands in for AWS.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // tests fail loudly by design

mod common;
#[path = "live/moto.rs"]
mod moto;
#[path = "live/proxy.rs"]
mod proxy;
#[path = "live/seed.rs"]
mod seed;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::Instant;

use proxy::{Fault, Proxy, Rule};
use seed::Design;
use serde_json::Value;

const CONFIG: &str = "tests/live/drguard.toml";
/// The secret key the tests hand drguard (moto accepts any); it must never be printed.
const SECRET: &str = "drguard-test-secret-4f1c9e";

/// The binary pointed at an endpoint with test credentials and no other AWS
/// setting from the machine (no profile, no IMDS).
fn live_command(endpoint: &str, dir: &Path, args: &[&str]) -> std::process::Command {
    let home = dir.join("home");
    std::fs::create_dir_all(&home).unwrap();
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_drguard"));
    command.args(args).current_dir(common::root());
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("AWS_") {
            command.env_remove(key);
        }
    }
    command
        .env("NO_COLOR", "1")
        .env("HOME", &home)
        .env("AWS_ENDPOINT_URL", endpoint)
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", SECRET)
        .env("AWS_EC2_METADATA_DISABLED", "true");
    command
}

/// `drguard snapshot --config CONFIG --output DIR/snap.json EXTRA…` against an
/// endpoint (see [`live_command`]), and the file it writes.
fn snapshot_command(
    endpoint: &str,
    dir: &Path,
    config: &Path,
    extra: &[&str],
) -> (std::process::Command, PathBuf) {
    let out = dir.join("snap.json");
    let mut args = vec![
        "snapshot",
        "--config",
        config.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let command = live_command(endpoint, dir, &args);
    (command, out)
}

/// Runs the binary against an endpoint (see [`live_command`]).
fn drguard_live(endpoint: &str, dir: &Path, args: &[&str]) -> Output {
    live_command(endpoint, dir, args).output().unwrap()
}

fn config_with(dir: &Path, extra: &str) -> PathBuf {
    let base = std::fs::read_to_string(common::root().join(CONFIG)).unwrap();
    let path = dir.join("drguard.toml");
    std::fs::write(&path, format!("{base}\n{extra}")).unwrap();
    path
}

/// A live audit as JSON, with the exit code.
fn audit(endpoint: &str, config: &Path) -> (i32, Value) {
    let dir = tempfile::tempdir().unwrap();
    let output = drguard_live(
        endpoint,
        dir.path(),
        &[
            "audit",
            "--config",
            config.to_str().unwrap(),
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

/// A live snapshot.
fn snapshot(endpoint: &str, config: &Path) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let (mut command, out) = snapshot_command(endpoint, dir.path(), config, &["--quiet"]);
    let output = command.output().unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_str(&std::fs::read_to_string(out).unwrap()).unwrap()
}

/// rule id → statuses of its results.
fn verdicts(report: &Value) -> BTreeMap<String, BTreeSet<String>> {
    let mut map: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for result in report["results"].as_array().unwrap() {
        map.entry(result["rule_id"].as_str().unwrap().to_string())
            .or_default()
            .insert(result["status"].as_str().unwrap().to_string());
    }
    map
}

fn with_status(report: &Value, status: &str) -> BTreeSet<String> {
    verdicts(report)
        .into_iter()
        .filter(|(_, statuses)| statuses.contains(status))
        .map(|(id, _)| id)
        .collect()
}

fn live_config() -> PathBuf {
    common::root().join(CONFIG)
}

/// The live config without its skips, for audits that go through [`aws`].
fn full_config(dir: &Path) -> PathBuf {
    let text = std::fs::read_to_string(live_config()).unwrap();
    let path = dir.join("drguard-full.toml");
    std::fs::write(&path, &text[..text.find("[[collect.skip]]").unwrap()]).unwrap();
    path
}

fn recorded(name: &str) -> String {
    std::fs::read_to_string(common::root().join("fixtures/recorded").join(name)).unwrap()
}

/// The ARNs of the primary and DR load balancers moto created.
fn load_balancer_arns(endpoint: &str) -> (String, String) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let mut arns = Vec::new();
        for region in [seed::PRIMARY, seed::DR] {
            let client = aws_sdk_elasticloadbalancingv2::Client::new(&seed::sdk(endpoint, region));
            let out = client.describe_load_balancers().send().await.unwrap();
            arns.push(
                out.load_balancers()[0]
                    .load_balancer_arn()
                    .unwrap()
                    .to_string(),
            );
        }
        (arns[0].clone(), arns[1].clone())
    })
}

/// Recorded responses for what moto does not implement: Global Accelerator
/// (an accelerator in front of both ALBs, unless `groups` says otherwise) and
/// the ElastiCache global datastore.
fn recorded_rules(endpoint: &str, groups: Option<String>) -> Vec<Rule> {
    let (primary, dr) = load_balancer_arns(endpoint);
    let groups = groups
        .unwrap_or_else(|| recorded("ga-list-endpoint-groups.json"))
        .replace("{{PRIMARY_LB_ARN}}", &primary)
        .replace("{{DR_LB_ARN}}", &dr);
    vec![
        Rule {
            operation: "ListAccelerators",
            fault: Fault::Recorded(recorded("ga-list-accelerators.json")),
        },
        Rule {
            operation: "ListListeners",
            fault: Fault::Recorded(recorded("ga-list-listeners.json")),
        },
        Rule {
            operation: "ListEndpointGroups",
            fault: Fault::Recorded(groups),
        },
        Rule {
            operation: "DescribeGlobalReplicationGroups",
            fault: Fault::Recorded(recorded(
                "elasticache-describe-global-replication-groups.xml",
            )),
        },
    ]
}

/// moto plus recorded responses, behind the proxy, with `faults` first.
fn aws(endpoint: &str, faults: Vec<Rule>) -> Proxy {
    let mut rules = faults;
    rules.extend(recorded_rules(endpoint, None));
    Proxy::start(endpoint, rules)
}

#[test]
fn reference_account_audits_like_the_bundled_example() {
    let scenario = moto::scenario(&Design::default());
    let dir = tempfile::tempdir().unwrap();
    let proxy = aws(&scenario.endpoint, Vec::new());
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
    assert_eq!(verdicts(&report), verdicts(&bundled));
    assert_eq!(
        with_status(&report, "fail"),
        BTreeSet::from([
            "DRG-BUD-001".to_string(),
            "DRG-BUD-002".to_string(),
            "DRG-SSM-003".to_string(),
            "DRG-SSM-006".to_string()
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
    assert_eq!(snap["skipped"].as_array().unwrap().len(), 2);
    assert_eq!(snap["account_id"], "123456789012");
}

/// One single-fault variant: the design change and the rule it must fail.
struct Variant {
    rule: &'static str,
    design: Design,
}

fn variants() -> Vec<Variant> {
    let d = Design::default;
    vec![
        Variant {
            rule: "DRG-R53-001",
            design: Design {
                health_check_interval: 30,
                ..d()
            },
        },
        Variant {
            rule: "DRG-R53-002",
            design: Design {
                health_check_threshold: 5,
                ..d()
            },
        },
        Variant {
            rule: "DRG-R53-003",
            design: Design {
                health_check_path: "/",
                ..d()
            },
        },
        Variant {
            rule: "DRG-R53-006",
            design: Design {
                cname_records_ttl: Some(300),
                ..d()
            },
        },
        Variant {
            rule: "DRG-ASG-001",
            design: Design {
                primary_azs: 2,
                ..d()
            },
        },
        Variant {
            rule: "DRG-ASG-002",
            design: Design {
                dr_min_size: 1,
                dr_desired: 1,
                ..d()
            },
        },
        Variant {
            rule: "DRG-ASG-003",
            design: Design {
                dr_max_size: 6,
                ..d()
            },
        },
        Variant {
            rule: "DRG-AMI-002",
            design: Design {
                dr_launches_previous_ami: true,
                ..d()
            },
        },
        Variant {
            rule: "DRG-AMI-003",
            design: Design {
                ami_copy_rule: false,
                ..d()
            },
        },
        Variant {
            rule: "DRG-RDS-002",
            design: Design {
                dr_cluster_in_global: false,
                ..d()
            },
        },
        Variant {
            rule: "DRG-RDS-003",
            design: Design {
                aurora_lag_peak_ms: 420_000.0,
                ..d()
            },
        },
        Variant {
            rule: "DRG-S3-001",
            design: Design {
                s3_replication: false,
                ..d()
            },
        },
        Variant {
            rule: "DRG-S3-002",
            design: Design {
                s3_rtc: false,
                ..d()
            },
        },
        Variant {
            rule: "DRG-S3-003",
            design: Design {
                s3_destination_versioned: false,
                ..d()
            },
        },
        Variant {
            rule: "DRG-EC-001",
            design: Design {
                cache_automatic_failover: false,
                ..d()
            },
        },
        Variant {
            rule: "DRG-EC-002",
            design: Design {
                dr_cache_in_scope: false,
                ..d()
            },
        },
        Variant {
            rule: "DRG-SSM-002",
            design: Design {
                runbook_scale_step: false,
                ..d()
            },
        },
        Variant {
            rule: "DRG-SSM-004",
            design: Design {
                runbook_dr_cluster: "shop-aurora-gone",
                ..d()
            },
        },
        Variant {
            rule: "DRG-SSM-005",
            design: Design {
                runbook_desired_capacity: 4,
                ..d()
            },
        },
    ]
}

#[test]
fn each_seeded_fault_fails_exactly_its_rule() {
    let dir = tempfile::tempdir().unwrap();
    let config = full_config(dir.path());
    let baseline = {
        let scenario = moto::scenario(&Design::default());
        let proxy = aws(&scenario.endpoint, Vec::new());
        let (_, report) = audit(&proxy.endpoint, &config);
        with_status(&report, "fail")
    };
    let variants = variants();
    assert!(variants.len() >= 12);
    let mut problems = Vec::new();
    for variant in variants {
        let scenario = moto::scenario(&variant.design);
        let proxy = aws(&scenario.endpoint, Vec::new());
        let (code, report) = audit(&proxy.endpoint, &config);
        let failing = with_status(&report, "fail");
        let errors = with_status(&report, "error");
        let new: BTreeSet<_> = failing.difference(&baseline).cloned().collect();
        if new != BTreeSet::from([variant.rule.to_string()]) || !errors.is_empty() || code != 1 {
            problems.push(format!(
                "{}: exit {code}, newly failing {new:?}, errors {errors:?}",
                variant.rule
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn access_denied_on_one_operation_errors_only_its_rules() {
    let scenario = moto::scenario(&Design::default());
    let (_, clean) = audit(&scenario.endpoint, &live_config());
    let proxy = Proxy::start(
        &scenario.endpoint,
        vec![Rule {
            operation: "GetBucketReplication",
            fault: Fault::Deny,
        }],
    );
    let (code, report) = audit(&proxy.endpoint, &live_config());
    assert_eq!(code, 3, "{:#}", report["summary"]);
    let errors = with_status(&report, "error");
    assert_eq!(
        errors,
        BTreeSet::from([
            // The RPO budget's S3 store needs the replication data too.
            "DRG-BUD-002".into(),
            "DRG-S3-001".into(),
            "DRG-S3-002".into(),
            "DRG-S3-003".into()
        ])
    );
    let gaps = report["collection"]["errors"].as_array().unwrap();
    assert!(!gaps.is_empty());
    for gap in gaps {
        assert_eq!(gap["service"], "s3");
        assert_eq!(gap["resource"], "replication");
        assert_eq!(gap["operation"], "GetBucketReplication");
        assert_eq!(gap["error_code"], "AccessDenied");
    }
    let mut clean_verdicts = verdicts(&clean);
    let mut faulty = verdicts(&report);
    for id in &errors {
        clean_verdicts.remove(id);
        faulty.remove(id);
    }
    assert_eq!(faulty, clean_verdicts, "every other verdict is unchanged");
}

#[test]
fn throttling_and_server_errors_are_retried_to_the_same_verdicts() {
    let scenario = moto::scenario(&Design::default());
    let counter = Proxy::start(&scenario.endpoint, Vec::new());
    let (clean_code, clean) = audit(&counter.endpoint, &live_config());
    let clean_requests = counter.stats().requests.len() as u64;
    let proxy = Proxy::start(
        &scenario.endpoint,
        vec![Rule {
            operation: "*",
            fault: Fault::Flaky {
                throttle_pct: 30,
                error_pct: 10,
            },
        }],
    );
    let (code, report) = audit(&proxy.endpoint, &live_config());
    let stats = proxy.stats();
    assert!(
        stats.injected > 10,
        "the proxy injected only {} faults",
        stats.injected
    );
    assert_eq!(
        report["collection"]["complete"], true,
        "{:#}",
        report["collection"]["errors"]
    );
    assert_eq!(code, clean_code);
    assert_eq!(verdicts(&report), verdicts(&clean));
    // Every call of the clean run reached moto exactly once in the end; the
    // rest were retries of injected faults, about 40 % of all attempts.
    assert_eq!(stats.forwarded, clean_requests);
    let share = stats.injected * 100 / (stats.injected + stats.forwarded);
    assert!(
        (25..=55).contains(&share),
        "{share} % of attempts were faults, not about 40 %"
    );
}

#[test]
fn a_hung_endpoint_ends_in_a_timeout_gap() {
    let scenario = moto::scenario(&Design::default());
    let proxy = Proxy::start(
        &scenario.endpoint,
        vec![Rule {
            operation: "DescribeDBClusters",
            fault: Fault::Hang,
        }],
    );
    let dir = tempfile::tempdir().unwrap();
    let config = config_with(
        dir.path(),
        "[collect]\nmax_attempts = 2\nattempt_timeout = \"1s\"\noperation_timeout = \"3s\"\n",
    );
    let started = Instant::now();
    let (code, report) = audit(&proxy.endpoint, &config);
    assert!(started.elapsed().as_secs() < 60, "the audit hung");
    assert_eq!(code, 3);
    let gaps = report["collection"]["errors"].as_array().unwrap();
    assert!(
        gaps.iter()
            .any(|g| g["operation"] == "DescribeDBClusters" && g["error_code"] == "Timeout"),
        "{gaps:#?}"
    );
    assert!(with_status(&report, "error").contains("DRG-RDS-001"));
}

#[test]
fn long_lists_are_read_to_the_last_page() {
    let design = Design {
        extra_records: 320,
        extra_health_checks: 105,
        extra_groups: 105,
        extra_db_clusters: 105,
        extra_documents: 55,
        ..Design::default()
    };
    let scenario = moto::scenario(&design);
    let snap = snapshot(&scenario.endpoint, &live_config());
    assert_eq!(snap["gaps"], Value::Array(vec![]));
    let zone = &snap["global"]["hosted_zones"][0];
    let names: BTreeSet<&str> = zone["record_sets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert!(
        names.contains("host-0319.yourstore.com."),
        "last record set missing"
    );
    assert_eq!(
        snap["global"]["health_checks"].as_array().unwrap().len(),
        107
    );
    let west = &snap["regions"]["us-west-2"];
    let groups: BTreeSet<&str> = west["auto_scaling_groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["name"].as_str().unwrap())
        .collect();
    assert!(
        groups.contains("batch-104") && groups.len() == 106,
        "{}",
        groups.len()
    );
    let clusters = west["db_clusters"].as_array().unwrap();
    assert!(clusters.iter().any(|c| c["id"] == "reports-104"));
    assert_eq!(clusters.len(), 106);
    let documents = west["automation_documents"].as_array().unwrap();
    assert!(documents.iter().any(|d| d["name"] == "ops-054"));
    assert_eq!(documents.len(), 56);
    // Pages were read in several calls, each once.
    let calls = snap["collection"]["api_calls"].as_array().unwrap();
    let count = |op: &str| calls.iter().filter(|c| c["operation"] == op).count();
    for op in [
        "ListResourceRecordSets",
        "ListHealthChecks",
        "DescribeAutoScalingGroups",
        "DescribeDBClusters",
        "ListDocuments",
    ] {
        eprintln!("{op}: {} call(s)", count(op));
    }
    // One call per region at least, and more where moto paginated (it returns
    // every health check in one page, so ListHealthChecks is not asserted).
    assert!(count("ListResourceRecordSets") >= 2);
    assert!(count("DescribeAutoScalingGroups") >= 3);
    assert!(count("ListDocuments") >= 3);
}

/// Past a few templates per region, one account-wide `$Latest`/`$Default`
/// listing replaces the call per template; a numbered version it does not
/// hold still gets its own call.
#[test]
fn launch_templates_are_listed_account_wide_past_a_few() {
    let design = Design {
        extra_templated_groups: 6,
        ..Design::default()
    };
    let scenario = moto::scenario(&design);
    let snap = snapshot(&scenario.endpoint, &live_config());
    assert_eq!(snap["gaps"], Value::Array(vec![]));
    let templates = |region: &str| {
        snap["regions"][region]["launch_templates"]
            .as_array()
            .unwrap()
            .clone()
    };
    let west = templates("us-west-2");
    assert_eq!(west.len(), 7, "the shop's template and six batch templates");
    for i in 0..6 {
        let name = format!("batch-lt-{i:03}");
        let template = west.iter().find(|t| t["name"] == name.as_str()).unwrap();
        assert_eq!(template["latest_version"], 3, "{name}");
        assert_eq!(template["default_version"], 1, "{name}");
        let numbers: Vec<i64> = template["versions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["version_number"].as_i64().unwrap())
            .collect();
        // $Latest and $Default always; version 2 for the groups that launch it.
        let expected = if i % 3 == 2 {
            vec![1, 2, 3]
        } else {
            vec![1, 3]
        };
        assert_eq!(numbers, expected, "{name}");
    }
    let calls = snap["collection"]["api_calls"].as_array().unwrap();
    let listings = |region: &str| {
        calls
            .iter()
            .filter(|c| c["operation"] == "DescribeLaunchTemplateVersions" && c["region"] == region)
            .count()
    };
    // us-west-2: the account-wide listing plus batch-lt-002 and -005 (version 2).
    assert_eq!(listings("us-west-2"), 3);
    // us-east-1: one template, asked for on its own.
    assert_eq!(listings("us-east-1"), 1);
    assert_eq!(templates("us-east-1").len(), 1);
}

#[test]
fn every_call_is_read_only_and_in_the_published_policy() {
    let scenario = moto::scenario(&Design::default());
    let snap = snapshot(&scenario.endpoint, &live_config());
    let policy: Value = serde_json::from_str(
        &std::fs::read_to_string(common::root().join("docs/iam-policy.json")).unwrap(),
    )
    .unwrap();
    let allowed: BTreeSet<String> = policy["Statement"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["Action"].as_array().unwrap())
        .map(|a| a.as_str().unwrap().to_string())
        .collect();
    for action in &allowed {
        let verb = action.split(':').nth(1).unwrap();
        assert!(
            ["Describe", "List", "Get"]
                .iter()
                .any(|p| verb.starts_with(p)),
            "{action} in the policy is not read-only"
        );
    }
    let calls = snap["collection"]["api_calls"].as_array().unwrap();
    assert!(calls.len() > 20);
    let mut called = BTreeSet::new();
    for call in calls {
        let action = call["action"].as_str().unwrap();
        assert!(
            allowed.contains(action),
            "the code called {action}, which docs/iam-policy.json does not grant"
        );
        let operation = call["operation"].as_str().unwrap();
        assert!(
            ["Describe", "List", "Get"]
                .iter()
                .any(|p| operation.starts_with(p)),
            "{operation} is not a read-only operation"
        );
        called.insert(action.to_string());
    }
    // Every action the skipped collectors would need is in the policy too.
    for action in [
        "globalaccelerator:ListAccelerators",
        "elasticache:DescribeGlobalReplicationGroups",
    ] {
        assert!(allowed.contains(action));
    }
    eprintln!("actions called on the reference account: {called:?}");
}

#[test]
fn no_request_is_sent_twice() {
    let scenario = moto::scenario(&Design::default());
    let proxy = Proxy::start(&scenario.endpoint, Vec::new());
    let snap = snapshot(&proxy.endpoint, &live_config());
    let stats = proxy.stats();
    let mut seen = BTreeSet::new();
    let duplicates: Vec<_> = stats
        .requests
        .iter()
        .filter(|request| !seen.insert((*request).clone()))
        .collect();
    assert!(duplicates.is_empty(), "sent more than once: {duplicates:?}");
    // Paginated, so that AWS answers with each bucket's region (no GetBucketLocation).
    let listings = |name: &str| stats.operations.iter().filter(|o| *o == name).count();
    assert_eq!(listings("ListBuckets"), 1);
    assert_eq!(listings("ListBucketsUnpaginated"), 0);
    // The call log counts the same calls the proxy saw (STS included).
    let logged = snap["collection"]["api_calls"].as_array().unwrap().len();
    assert_eq!(logged, stats.requests.len());
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
    let proxy = Proxy::start(&scenario.endpoint, recorded_rules(&scenario.endpoint, None));
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
    let proxy = Proxy::start(
        &scenario.endpoint,
        recorded_rules(&scenario.endpoint, Some(broken)),
    );
    let (code, report) = audit(&proxy.endpoint, &config);
    assert_eq!(code, 1);
    let new: BTreeSet<_> = with_status(&report, "fail")
        .difference(&BTreeSet::from([
            "DRG-BUD-001".to_string(),
            "DRG-BUD-002".to_string(),
            "DRG-SSM-003".to_string(),
            "DRG-SSM-006".to_string(),
        ]))
        .cloned()
        .collect();
    assert_eq!(new, BTreeSet::from(["DRG-GA-001".to_string()]));
}

#[test]
fn missing_credentials_are_one_clear_error_before_collection() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_drguard"));
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("AWS_") {
            command.env_remove(key);
        }
    }
    // Nothing listens on port 9: a call would fail, but none must be made.
    let output = command
        .args(["audit", "--config", CONFIG, "--quiet"])
        .current_dir(common::root())
        .env("HOME", &home)
        .env("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_CONFIG_FILE", home.join("none"))
        .env("AWS_SHARED_CREDENTIALS_FILE", home.join("none"))
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("no usable AWS credentials"), "{stderr}");
    assert!(stderr.contains("drguard::collect::credentials"), "{stderr}");
    assert!(output.stdout.is_empty());
}

#[test]
fn per_service_endpoint_variables_override_the_global_one() {
    let scenario = moto::scenario(&Design::default());
    let everything = Proxy::start(&scenario.endpoint, Vec::new());
    let elasticache = Proxy::start(&scenario.endpoint, Vec::new());
    let dir = tempfile::tempdir().unwrap();
    let (mut command, out) = snapshot_command(
        &everything.endpoint,
        dir.path(),
        &live_config(),
        &["--quiet"],
    );
    let output = command
        .env("AWS_ENDPOINT_URL_ELASTICACHE", &elasticache.endpoint)
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let cache_ops: BTreeSet<String> = elasticache.stats().operations.into_iter().collect();
    assert_eq!(
        cache_ops,
        BTreeSet::from([
            "DescribeCacheClusters".to_string(),
            "DescribeReplicationGroups".to_string(),
            "ListTagsForResource".to_string(),
        ])
    );
    let elsewhere = everything.stats().operations;
    assert!(!elsewhere.is_empty());
    assert!(
        elsewhere.iter().all(|op| !cache_ops.contains(op)),
        "{elsewhere:?}"
    );
    let snap: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert!(
        !snap["regions"]["us-west-2"]["cache_replication_groups"]
            .as_array()
            .unwrap()
            .is_empty()
    );
}

#[test]
fn a_credential_process_profile_supplies_the_credentials() {
    let scenario = moto::scenario(&Design::default());
    let dir = tempfile::tempdir().unwrap();
    let aws = dir.path().join("home/.aws");
    std::fs::create_dir_all(&aws).unwrap();
    // The process prints the credentials document, as `aws configure export-credentials` does.
    let script = aws.join("credentials.sh");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\ncat <<'EOF'\n{{\"Version\": 1, \"AccessKeyId\": \"AKIDPROCESS\", \"SecretAccessKey\": \"{SECRET}\"}}\nEOF\n"
        ),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    std::fs::write(
        aws.join("config"),
        format!(
            "[profile from-process]\ncredential_process = {}\nregion = us-east-1\n",
            script.display()
        ),
    )
    .unwrap();
    let (mut command, out) = snapshot_command(
        &scenario.endpoint,
        dir.path(),
        &live_config(),
        &["--profile", "from-process"],
    );
    let output = command
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .env("AWS_CONFIG_FILE", aws.join("config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", aws.join("none"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains(SECRET), "{stderr}");
    let snap = std::fs::read_to_string(&out).unwrap();
    assert!(!snap.contains(SECRET));
    let snap: Value = serde_json::from_str(&snap).unwrap();
    assert_eq!(snap["gaps"], serde_json::json!([]), "{:#}", snap["gaps"]);
}

#[test]
fn an_incomplete_snapshot_warns_even_when_quiet() {
    let scenario = moto::scenario(&Design::default());
    let proxy = Proxy::start(
        &scenario.endpoint,
        vec![Rule {
            operation: "GetBucketReplication",
            fault: Fault::Deny,
        }],
    );
    let dir = tempfile::tempdir().unwrap();
    let (mut command, out) =
        snapshot_command(&proxy.endpoint, dir.path(), &live_config(), &["--quiet"]);
    let output = command.output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    // Written and exit 0, so that the pipeline's audit step still runs and exits 3.
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("warning: wrote"), "{stderr}");
    assert!(
        stderr.contains("s3 GetBucketReplication: AccessDenied"),
        "{stderr}"
    );
    let snap: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert!(!snap["gaps"].as_array().unwrap().is_empty());
}

#[test]
fn credentials_never_reach_the_output() {
    let scenario = moto::scenario(&Design::default());
    let dir = tempfile::tempdir().unwrap();
    let (mut command, out) =
        snapshot_command(&scenario.endpoint, dir.path(), Path::new(CONFIG), &["-vv"]);
    let output = command.output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    let everything = format!(
        "{}{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
        std::fs::read_to_string(&out).unwrap()
    );
    assert!(
        !everything.contains(SECRET),
        "the secret access key was printed"
    );
    assert!(String::from_utf8_lossy(&output.stderr).contains("drguard::api"));
}

#[test]
fn a_role_can_be_assumed_for_the_run() {
    let scenario = moto::scenario(&Design::default());
    let dir = tempfile::tempdir().unwrap();
    let (mut command, out) = snapshot_command(
        &scenario.endpoint,
        dir.path(),
        Path::new(CONFIG),
        &[
            "--quiet",
            "--role-arn",
            "arn:aws:iam::123456789012:role/drguard-audit",
            "--external-id",
            "drguard-test",
        ],
    );
    let output = command.output().unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let snap: Value = serde_json::from_str(&std::fs::read_to_string(out).unwrap()).unwrap();
    assert_eq!(snap["account_id"], "123456789012");
    assert!(
        !snap["regions"]["us-west-2"]["auto_scaling_groups"]
            .as_array()
            .unwrap()
            .is_empty()
    );
}

/// The chain's web identity provider (EKS service accounts, GitHub Actions
/// OIDC): a token file and a role in the environment, no keys at all. The
/// provider's own STS call goes to the endpoint too, and it is counted there.
#[test]
fn a_web_identity_token_supplies_the_credentials() {
    let scenario = moto::scenario(&Design::default());
    let proxy = Proxy::start(&scenario.endpoint, Vec::new());
    let dir = tempfile::tempdir().unwrap();
    let token = dir.path().join("token");
    std::fs::write(&token, "eyJhbGciOiJSUzI1NiJ9.e30.c2lnbmF0dXJl").unwrap();
    let (mut command, out) =
        snapshot_command(&proxy.endpoint, dir.path(), &live_config(), &["--quiet"]);
    let output = command
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .env("AWS_CONFIG_FILE", dir.path().join("none"))
        .env("AWS_SHARED_CREDENTIALS_FILE", dir.path().join("none"))
        .env("AWS_WEB_IDENTITY_TOKEN_FILE", &token)
        .env("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/drguard-ci")
        .env("AWS_ROLE_SESSION_NAME", "drguard-test")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    let operations = proxy.stats().operations;
    assert!(
        operations.iter().any(|o| o == "AssumeRoleWithWebIdentity"),
        "{operations:?}"
    );
    let snap: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(snap["account_id"], "123456789012");
    assert_eq!(snap["gaps"], serde_json::json!([]), "{:#}", snap["gaps"]);
}

#[test]
fn a_malformed_answer_is_a_gap_not_an_empty_list() {
    let scenario = moto::scenario(&Design::default());
    let dir = tempfile::tempdir().unwrap();
    let config = full_config(dir.path());
    let proxy = aws(
        &scenario.endpoint,
        vec![Rule {
            operation: "DescribeTargetGroups",
            fault: Fault::Recorded("<DescribeTargetGroupsResponse><oops".into()),
        }],
    );
    let (code, report) = audit(&proxy.endpoint, &config);
    assert_eq!(code, 3);
    let gaps = report["collection"]["errors"].as_array().unwrap();
    assert!(
        gaps.iter().all(|g| g["operation"] == "DescribeTargetGroups"
            && g["service"] == "elbv2"
            && g["resource"] == "target_groups"),
        "{gaps:#?}"
    );
    assert_eq!(gaps.len(), 2, "one per region: {gaps:#?}");
    let errors = with_status(&report, "error");
    assert!(errors.contains("DRG-ASG-002"), "{errors:?}");
    assert!(!errors.contains("DRG-S3-001"));
}
