//! Live tests, one binary: audits against a real moto server (see
//! `moto.rs`) of the reference account and its single-fault variants
//! (`parity`), injected faults (`faults`), pagination (`pagination`), the IAM
//! policy (`iam`), the credential chain (`credentials`), errors that name
//! their cause (`errors`), the key, secret
//! and encryption data (`encryption`), what the standby serves with:
//! listeners and certificates, target health, DB instances (`standby`), and
//! the alarm, capacity, network and identity data (`capacity`). The shared
//! helpers are below. The real binary runs with `AWS_ENDPOINT_URL` pointing at
//! moto (or at the fault proxy in front of it); no mock stands in for AWS.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::print_stderr
)] // tests fail loudly by design

#[path = "../common/mod.rs"]
mod common;
mod moto;
mod proxy;
mod seed;

mod capacity;
mod credentials;
mod encryption;
mod errors;
mod faults;
mod iam;
mod pagination;
mod parity;
mod plan;
mod standby;

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
pub(crate) fn live_command(endpoint: &str, dir: &Path, args: &[&str]) -> std::process::Command {
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
pub(crate) fn snapshot_command(
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
pub(crate) fn drguard_live(endpoint: &str, dir: &Path, args: &[&str]) -> Output {
    live_command(endpoint, dir, args).output().unwrap()
}

pub(crate) fn config_with(dir: &Path, extra: &str) -> PathBuf {
    let base = std::fs::read_to_string(common::root().join(CONFIG)).unwrap();
    let path = dir.join("drguard.toml");
    std::fs::write(&path, format!("{base}\n{extra}")).unwrap();
    path
}

/// A live audit as JSON, with the exit code.
pub(crate) fn audit(endpoint: &str, config: &Path) -> (i32, Value) {
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
pub(crate) fn snapshot(endpoint: &str, config: &Path) -> Value {
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
pub(crate) fn verdicts(report: &Value) -> BTreeMap<String, BTreeSet<String>> {
    let mut map: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for result in report["results"].as_array().unwrap() {
        map.entry(result["rule_id"].as_str().unwrap().to_string())
            .or_default()
            .insert(result["status"].as_str().unwrap().to_string());
    }
    map
}

/// The messages of `rules`' results, to say why verdicts differ.
pub(crate) fn messages_of(report: &Value, rules: &BTreeSet<String>) -> Vec<String> {
    report["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| rules.contains(r["rule_id"].as_str().unwrap()))
        .map(|r| format!("{} {}: {}", r["rule_id"], r["status"], r["message"]))
        .collect()
}

pub(crate) fn with_status(report: &Value, status: &str) -> BTreeSet<String> {
    verdicts(report)
        .into_iter()
        .filter(|(_, statuses)| statuses.contains(status))
        .map(|(id, _)| id)
        .collect()
}

pub(crate) fn live_config() -> PathBuf {
    common::root().join(CONFIG)
}

/// The live config without its skips, for audits that go through [`aws`].
pub(crate) fn full_config(dir: &Path) -> PathBuf {
    let text = std::fs::read_to_string(live_config()).unwrap();
    let path = dir.join("drguard-full.toml");
    std::fs::write(&path, &text[..text.find("[[collect.skip]]").unwrap()]).unwrap();
    path
}

pub(crate) fn recorded(name: &str) -> String {
    std::fs::read_to_string(common::root().join("fixtures/recorded").join(name)).unwrap()
}

/// The ARNs of the primary and DR load balancers moto created.
pub(crate) fn load_balancer_arns(endpoint: &str) -> (String, String) {
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

/// The EC2 On-Demand vCPU quota of each region as AWS answers
/// `GetServiceQuota` (moto knows only VPC quotas): 640 in the primary region,
/// the design's `dr_vcpu_quota` in the DR region.
pub(crate) fn quota_rules(design: &Design) -> Vec<Rule> {
    [(seed::PRIMARY, 640.0), (seed::DR, design.dr_vcpu_quota)]
        .into_iter()
        .map(|(region, value)| {
            let mut answer: Value =
                serde_json::from_str(&recorded("servicequotas-get-service-quota.json")).unwrap();
            answer["Quota"]["Value"] = value.into();
            answer["Quota"]["QuotaArn"] =
                format!("arn:aws:servicequotas:{region}:123456789012:ec2/L-1216C47A").into();
            Rule {
                operation: "GetServiceQuota",
                fault: Fault::RecordedIn {
                    region: region.to_string(),
                    body: answer.to_string(),
                },
            }
        })
        .collect()
}

/// Recorded responses for what moto does not implement: Global Accelerator
/// (an accelerator in front of both ALBs, unless `groups` says otherwise),
/// the ElastiCache global datastore and the EC2 vCPU quotas of the seeded
/// design.
pub(crate) fn recorded_rules(scenario: &moto::Scenario, groups: Option<String>) -> Vec<Rule> {
    let (primary, dr) = load_balancer_arns(&scenario.endpoint);
    let groups = groups
        .unwrap_or_else(|| recorded("ga-list-endpoint-groups.json"))
        .replace("{{PRIMARY_LB_ARN}}", &primary)
        .replace("{{DR_LB_ARN}}", &dr);
    let mut rules = vec![
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
    ];
    rules.extend(quota_rules(&scenario.design));
    rules
}

/// moto plus recorded responses, behind the proxy, with `faults` first.
pub(crate) fn aws(scenario: &moto::Scenario, faults: Vec<Rule>) -> Proxy {
    let mut rules = faults;
    rules.extend(recorded_rules(scenario, None));
    Proxy::start(&scenario.endpoint, rules)
}
