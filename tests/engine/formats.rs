//! JUnit, Markdown and OCSF on the bundled example and on a failing snapshot:
//! each valid against the committed copy of its official schema, and
//! snapshotted on the bundled example so every change shows in review.

use crate::common;

use std::collections::BTreeSet;
use std::process::Command;

use serde_json::Value;

const OCSF_SCHEMA: &str = "ocsf-1.6.0-compliance_finding-cloud-datetime.schema.json";

/// The failing snapshot's config: the reference config plus one waiver in date
/// and one stale waiver, so waived and skipped paths are exercised too.
fn waived_config() -> String {
    format!(
        "{}\n[[waiver]]\nrule = \"DRG-S3-002\"\nresource = \"arn:aws:s3:::shop-assets-*\"\nreason = \"RTC rollout, ticket OPS-123\"\nexpires = \"2026-12-31\"\nowner = \"storage-team\"\n\n[[waiver]]\nrule = \"DRG-ELB-001\"\nresource = \"*\"\nreason = \"left over\"\nexpires = 2027-01-31\n",
        common::reference_config_text()
    )
}

fn run(doc: &Value, config: Option<&str>, format: &str) -> (Option<i32>, String) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.out");
    let target = format!("{format}={}", out.display());
    let output = common::audit_doc(
        dir.path(),
        doc,
        config,
        &["--format", &target, "--as-of", "2026-11-20"],
    );
    assert_ne!(
        output.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.code(), std::fs::read_to_string(out).unwrap())
}

fn redact_version(text: &str) -> String {
    text.replace(env!("CARGO_PKG_VERSION"), "[VERSION]")
}

/// xmllint (Debian's libxml2-utils), installed on first use when missing so
/// that `cargo test` alone sets up what it needs on a fresh machine.
fn xmllint() -> &'static str {
    static READY: std::sync::OnceLock<()> = std::sync::OnceLock::new();
    READY.get_or_init(|| {
        let present = Command::new("xmllint")
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success());
        if present {
            return;
        }
        eprintln!("installing xmllint (apt-get install libxml2-utils) for the JUnit schema test");
        let sudo = if Command::new("id")
            .arg("-u")
            .output()
            .is_ok_and(|o| o.stdout.starts_with(b"0"))
        {
            vec![]
        } else {
            vec!["sudo"]
        };
        for args in [
            vec!["apt-get", "update", "-qq"],
            vec![
                "env",
                "DEBIAN_FRONTEND=noninteractive",
                "apt-get",
                "install",
                "-y",
                "-qq",
                "--no-install-recommends",
                "libxml2-utils",
            ],
        ] {
            let command: Vec<&str> = sudo.iter().copied().chain(args).collect();
            let status = Command::new(command[0])
                .args(&command[1..])
                .status()
                .expect("run apt-get to install libxml2-utils");
            assert!(
                status.success(),
                "could not install xmllint: `apt-get install libxml2-utils` by hand"
            );
        }
    });
    "xmllint"
}

/// Validates XML against schemas/junit-10.xsd with xmllint.
fn xsd_valid(xml: &str) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("junit.xml");
    std::fs::write(&path, xml).unwrap();
    let output = Command::new(xmllint())
        .arg("--noout")
        .arg("--schema")
        .arg(common::root().join("schemas/junit-10.xsd"))
        .arg(&path)
        .output()
        .expect("xmllint is needed to validate JUnit output: `apt-get install libxml2-utils` (.ci/run does it)");
    assert!(
        output.status.success(),
        "junit-10.xsd rejects the report:\n{}\n{xml}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn junit_is_valid_against_the_xsd_and_maps_every_status() {
    // Sanity: the validator rejects what the XSD forbids, so a pass means something.
    let bad = "<?xml version=\"1.0\"?>\n<testsuites><testsuite name=\"x\"><testcase name=\"t\"/></testsuite></testsuites>\n";
    let dir = tempfile::tempdir().unwrap();
    let bad_path = dir.path().join("bad.xml");
    std::fs::write(&bad_path, bad).unwrap();
    let rejected = Command::new(xmllint())
        .args(["--noout", "--schema"])
        .arg(common::root().join("schemas/junit-10.xsd"))
        .arg(&bad_path)
        .output()
        .expect("xmllint");
    assert!(
        !rejected.status.success(),
        "a testsuite without tests/failures/errors must be rejected"
    );

    let (code, xml) = run(&common::reference_json(), None, "junit");
    assert_eq!(code, Some(1));
    xsd_valid(&xml);
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    let suites: Vec<&str> = root
        .children()
        .filter(|n| n.has_tag_name("testsuite"))
        .map(|n| n.attribute("name").unwrap())
        .collect();
    assert_eq!(
        suites,
        [
            "aws/123456789012/global",
            "aws/123456789012/us-east-1",
            "aws/123456789012/us-west-2"
        ]
    );
    let cases: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    assert_eq!(cases.len(), 52, "one testcase per rule × resource");
    assert_eq!(root.attribute("tests"), Some("52"));
    let failed: Vec<&str> = cases
        .iter()
        .filter(|c| c.children().any(|n| n.has_tag_name("failure")))
        .map(|c| c.attribute("classname").unwrap())
        .collect();
    assert_eq!(
        failed,
        [
            "DRG-ASG-004",
            "DRG-BUD-001",
            "DRG-BUD-002",
            "DRG-BUD-002",
            "DRG-BUD-002",
            "DRG-BUD-003",
            "DRG-PAR-004",
            "DRG-REG-001",
            "DRG-REG-001",
            "DRG-SSM-003",
            "DRG-SSM-005",
            "DRG-SSM-006",
            "DRG-SSM-007"
        ]
    );
    assert_eq!(root.attribute("failures"), Some("13"));
    insta::assert_snapshot!("junit_reference", redact_version(&xml));

    let (code, xml) = run(&common::failing_json(), Some(&waived_config()), "junit");
    assert_eq!(code, Some(3), "the collection gap makes it incomplete");
    xsd_valid(&xml);
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let count = |tag: &str| doc.descendants().filter(|n| n.has_tag_name(tag)).count();
    assert!(count("failure") >= 5, "{xml}");
    assert!(count("error") >= 1, "rds rules are not evaluated");
    let skipped: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("skipped"))
        .map(|n| n.attribute("message").unwrap())
        .collect();
    assert!(
        skipped
            .contains(&"waived until 2026-12-31 (owner storage-team): RTC rollout, ticket OPS-123"),
        "{skipped:?}"
    );
    let messages: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("error"))
        .map(|n| n.attribute("message").unwrap())
        .collect();
    assert!(
        messages
            .iter()
            .any(|m| m.contains("Rate exceeded <after 3 retries> & gave up")),
        "special characters survive escaping: {messages:?}"
    );
}

#[test]
fn ocsf_events_are_valid_compliance_findings() {
    let validator = common::schema(OCSF_SCHEMA);
    for (doc, config) in [
        (common::reference_json(), None),
        (common::failing_json(), Some(waived_config())),
    ] {
        let (_, text) = run(&doc, config.as_deref(), "ocsf");
        let events: Vec<Value> = serde_json::from_str(&text).unwrap();
        assert!(!events.is_empty());
        let mut uids = BTreeSet::new();
        for event in &events {
            let errors = common::errors_of(&validator, event);
            assert!(errors.is_empty(), "{}\n{event:#}", errors.join("\n"));
            assert_eq!(event["class_uid"], 2003);
            assert_eq!(
                event["type_uid"], 200301,
                "no baseline: every event is Create"
            );
            assert_eq!(event["metadata"]["version"], "1.6.0");
            assert!(uids.insert(event["finding_info"]["uid"].as_str().unwrap().to_string()));
        }
        // Sanity: the schema rejects a wrong class, so validity means something.
        let mut broken = events[0].clone();
        broken["class_uid"] = 2001.into();
        assert!(!common::errors_of(&validator, &broken).is_empty());
    }
    let (_, text) = run(&common::failing_json(), Some(&waived_config()), "ocsf");
    let events: Vec<Value> = serde_json::from_str(&text).unwrap();
    let waived: Vec<&Value> = events
        .iter()
        .filter(|e| e["unmapped"]["drguard"]["status"] == "waived")
        .collect();
    assert_eq!(waived.len(), 1);
    assert_eq!(waived[0]["status"], "Suppressed");
    assert_eq!(
        waived[0]["unmapped"]["drguard"]["waiver"]["expires"],
        "2026-12-31"
    );
    let (_, text) = run(&common::reference_json(), None, "ocsf");
    let events: Value = serde_json::from_str(&text).unwrap();
    insta::assert_json_snapshot!("ocsf_reference", events, {
        "[].metadata.product.version" => "[VERSION]",
    });
}

#[test]
fn markdown_summarises_verdict_failures_budget_and_drift() {
    let (_, text) = run(&common::reference_json(), None, "markdown");
    assert!(text.starts_with("## drguard: ❌ FAIL — shop"));
    assert!(text.contains("| critical | 1 | 0 |"), "{text}");
    assert!(text.contains("| high | 7 | 0 |"), "{text}");
    assert!(text.contains("`DRG-SSM-003`"));
    assert!(text.contains("<!-- drguard:budget:start -->"));
    assert!(
        text.contains("RTO estimate **17m30s** (worst case 54m48s)"),
        "{text}"
    );
    assert!(
        text.contains("**RTO not achievable: the failover cannot complete.**"),
        "{text}"
    );
    assert!(text.contains("### Drift since baseline"));
    insta::assert_snapshot!("markdown_reference", redact_version(&text));

    let (_, text) = run(&common::failing_json(), Some(&waived_config()), "markdown");
    assert!(text.contains("⚠️ INCOMPLETE"));
    assert!(text.contains("### Not evaluated"));
    assert!(text.contains("- **stale**: DRG-ELB-001 on * matches no failing result"));
    assert!(text.contains("- active: DRG-S3-002 on arn:aws:s3:::shop-assets-* waives 1 failing result(s) until 2026-12-31"));
}

#[test]
fn every_format_name_is_accepted_and_unknown_ones_are_refused() {
    use strum::VariantNames;
    for name in drguard::report::Format::VARIANTS.iter().copied() {
        let dir = tempfile::tempdir().unwrap();
        let output = common::audit_doc(
            dir.path(),
            &common::reference_json(),
            None,
            &["--format", name],
        );
        assert_eq!(output.status.code(), Some(1), "{name}");
        assert!(!output.stdout.is_empty(), "{name}");
    }
    let dir = tempfile::tempdir().unwrap();
    let output = common::audit_doc(
        dir.path(),
        &common::reference_json(),
        None,
        &["--format", "yaml"],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&output.stderr)
            .contains("known formats: human, json, sarif, junit, markdown, ocsf")
    );
}
