//! `[[waiver]]`: matching, globs, expiry on a fixed date (never the wall
//! clock), stale waivers, and how each report shows them.

use crate::common;

use chrono::NaiveDate;
use drguard::config;
use drguard::rules::Status;
use drguard::source::SourceFile;
use drguard::waivers::{self, WaiverMark, WaiverState};
use serde_json::Value;

/// The bundled config plus waivers. The budget rules are turned off so that
/// DRG-SSM-003 is the only high-severity failure these tests waive.
fn config_with(waivers: &str) -> String {
    format!(
        "{}\n{waivers}\n[rules.\"DRG-BUD-001\"]\nenabled = false\n[rules.\"DRG-BUD-002\"]\nenabled = false\n[rules.\"DRG-BUD-003\"]\nenabled = false\n[rules.\"DRG-ASG-004\"]\nenabled = false\n[rules.\"DRG-REG-001\"]\nenabled = false\n",
        common::reference_config_text()
    )
}

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

/// One result as the report shows it.
#[derive(Debug)]
struct Row {
    rule_id: String,
    status: Status,
    waiver: Option<WaiverMark>,
}

/// Audits the bundled example under a config text, waivers as of `today`:
/// each result as reported, and what each waiver did.
fn evaluate(config_text: &str, today: &str) -> (Vec<Row>, Vec<waivers::WaiverOutcome>) {
    let config = config::parse(
        SourceFile::new("drguard.toml", config_text.to_string()),
        &common::root().join("fixtures/reference"),
    )
    .unwrap();
    let engine = common::engine(config);
    let snapshot = common::snapshot_from(&common::reference_json());
    let audit = engine.audit(&snapshot, date(today));
    let rows = audit
        .rows(None)
        .iter()
        .map(|row| Row {
            rule_id: row.rule.id.clone(),
            status: row.status,
            waiver: row.waiver.cloned(),
        })
        .collect();
    // The evaluation itself is never changed by a waiver.
    assert!(
        audit
            .evaluation
            .outcomes
            .iter()
            .all(|o| o.status != Status::Waived)
    );
    (rows, audit.waivers.outcomes)
}

const SSM_003_WAIVER: &str = r#"
[[waiver]]
rule = "DRG-SSM-003"
resource = "drguard:app/shop"
reason = "runbook rewrite in OPS-77"
expires = "2026-12-31"
owner = "sre"
"#;

#[test]
fn a_matching_waiver_waives_until_its_last_day_inclusive() {
    let text = config_with(SSM_003_WAIVER);
    for today in ["2026-11-20", "2026-12-31"] {
        let (evaluation, outcomes) = evaluate(&text, today);
        let ssm = evaluation
            .iter()
            .find(|o| o.rule_id == "DRG-SSM-003")
            .unwrap();
        assert_eq!(ssm.status, Status::Waived, "on {today}");
        let mark = ssm.waiver.as_ref().unwrap();
        assert_eq!(mark.reason, "runbook rewrite in OPS-77");
        assert_eq!(mark.expires, "2026-12-31");
        assert_eq!(mark.owner.as_deref(), Some("sre"));
        assert!(!mark.expired);
        assert!(
            mark.defined_at.starts_with("drguard.toml:"),
            "{}",
            mark.defined_at
        );
        assert_eq!(outcomes[0].state, WaiverState::Active);
        assert_eq!(outcomes[0].matched, 1);
        // Only the matching rule is waived.
        let other = evaluation
            .iter()
            .find(|o| o.rule_id == "DRG-SSM-006")
            .unwrap();
        assert_eq!(other.status, Status::Fail);
        assert!(other.waiver.is_none());
    }
}

#[test]
fn an_expired_waiver_no_longer_waives_and_says_so() {
    let (evaluation, outcomes) = evaluate(&config_with(SSM_003_WAIVER), "2027-01-01");
    let ssm = evaluation
        .iter()
        .find(|o| o.rule_id == "DRG-SSM-003")
        .unwrap();
    assert_eq!(ssm.status, Status::Fail);
    assert!(ssm.waiver.as_ref().unwrap().expired);
    assert_eq!(outcomes[0].state, WaiverState::Expired);
    assert!(outcomes[0].describe().contains("expired on 2026-12-31"));
}

#[test]
fn globs_match_arns_and_a_waiver_that_matches_nothing_is_stale() {
    let text = config_with(
        r#"
[[waiver]]
rule = "DRG-SSM-006"
resource = "drguard:app/*"
reason = "ARC routing controls planned"
expires = 2027-01-01

[[waiver]]
rule = "DRG-R53-001"
resource = "arn:aws:route53:::healthcheck/*"
reason = "passes already"
expires = 2027-01-01

[[waiver]]
rule = "DRG-SSM-003"
resource = "arn:aws:ssm:*"
reason = "wrong resource"
expires = 2027-01-01
"#,
    );
    let (evaluation, outcomes) = evaluate(&text, "2026-11-20");
    let states: Vec<(WaiverState, usize)> = outcomes.iter().map(|o| (o.state, o.matched)).collect();
    assert_eq!(
        states,
        [
            (WaiverState::Active, 1),
            (WaiverState::Stale, 0),
            (WaiverState::Stale, 0)
        ]
    );
    let status = |id: &str| evaluation.iter().find(|o| o.rule_id == id).unwrap().status;
    assert_eq!(status("DRG-SSM-006"), Status::Waived);
    assert_eq!(status("DRG-SSM-003"), Status::Fail);
    assert_eq!(
        status("DRG-R53-001"),
        Status::Pass,
        "a waiver never touches a pass"
    );
    assert!(outcomes[1].describe().contains("matches no failing result"));
}

#[test]
fn errors_are_never_waived() {
    let mut doc = common::reference_json();
    doc["gaps"] = serde_json::json!([{"service": "ssm", "resource": null, "region": "us-west-2", "operation": "ListDocuments", "error_code": "AccessDenied", "message": "denied"}]);
    let dir = tempfile::tempdir().unwrap();
    let output = common::audit_doc(
        dir.path(),
        &doc,
        Some(&config_with(SSM_003_WAIVER)),
        &["--format", "json", "--as-of", "2026-11-20"],
    );
    assert_eq!(output.status.code(), Some(3));
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let ssm = report["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["rule_id"] == "DRG-SSM-003")
        .unwrap();
    assert_eq!(ssm["status"], "error");
    assert!(ssm["waiver"].is_null());
    assert_eq!(report["waivers"][0]["state"], "stale");
}

#[test]
fn waived_results_stop_gating_and_show_in_every_report() {
    let dir = tempfile::tempdir().unwrap();
    let text = config_with(SSM_003_WAIVER);
    let sarif = dir.path().join("r.sarif");
    let junit = dir.path().join("r.xml");
    let output = common::audit_doc(
        dir.path(),
        &common::reference_json(),
        Some(&text),
        &[
            "--format",
            "json",
            "--format",
            &format!("sarif={}", sarif.display()),
            "--format",
            &format!("junit={}", junit.display()),
            "--sarif-all",
            "--as-of",
            "2026-11-20",
        ],
    );
    assert_eq!(
        output.status.code(),
        Some(0),
        "the only high failure is waived; DRG-SSM-006 is low"
    );
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["summary"]["by_status"]["waived"], 1);
    let ssm = report["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["rule_id"] == "DRG-SSM-003")
        .unwrap();
    assert_eq!(ssm["status"], "waived");
    assert_eq!(ssm["waiver"]["reason"], "runbook rewrite in OPS-77");
    assert_eq!(ssm["waiver"]["expires"], "2026-12-31");
    assert_eq!(report["waivers"][0]["state"], "active");
    assert_eq!(
        report["waivers"][0]["defined_at"]
            .as_str()
            .unwrap()
            .rsplit(':')
            .count(),
        3
    );

    let log: Value = serde_json::from_str(&std::fs::read_to_string(&sarif).unwrap()).unwrap();
    assert!(common::schema_errors("sarif-2.1.0.json", &log).is_empty());
    let suppressed: Vec<&Value> = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r.get("suppressions").is_some())
        .collect();
    assert_eq!(suppressed.len(), 1);
    assert_eq!(suppressed[0]["ruleId"], "DRG-SSM-003");
    assert_eq!(
        suppressed[0]["suppressions"][0]["justification"],
        "runbook rewrite in OPS-77"
    );
    assert_eq!(suppressed[0]["suppressions"][0]["status"], "accepted");

    let xml = std::fs::read_to_string(&junit).unwrap();
    assert!(xml.contains("<skipped type=\"waived\" message=\"waived until 2026-12-31 (owner sre): runbook rewrite in OPS-77\">"));

    // Without --sarif-all, waived results are not written (GitHub ignores suppressions).
    let plain = common::audit_doc(
        dir.path(),
        &common::reference_json(),
        Some(&text),
        &["--format", "sarif", "--as-of", "2026-11-20"],
    );
    let log: Value = serde_json::from_slice(&plain.stdout).unwrap();
    let ids: Vec<&str> = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["ruleId"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        ["DRG-PAR-004", "DRG-SSM-005", "DRG-SSM-006", "DRG-SSM-007"]
    );
}

#[test]
fn the_human_report_lists_waived_expired_and_stale() {
    let text = config_with(&format!(
        "{SSM_003_WAIVER}\n[[waiver]]\nrule = \"DRG-GA-001\"\nresource = \"*\"\nreason = \"no accelerator\"\nexpires = \"2027-06-30\"\n"
    ));
    let dir = tempfile::tempdir().unwrap();
    let before = common::audit_doc(
        dir.path(),
        &common::reference_json(),
        Some(&text),
        &["--as-of", "2026-11-20"],
    );
    let stdout = String::from_utf8(before.stdout).unwrap();
    assert!(stdout.contains("WAIVED (1)"), "{stdout}");
    assert!(stdout.contains("waived until 2026-12-31, owner sre: runbook rewrite in OPS-77"));
    assert!(stdout.contains("WAIVERS TO REVIEW (1)"));
    assert!(stdout.contains("  DRG-GA-001 on * matches no failing result (stale; remove it from"));

    let after = common::audit_doc(
        dir.path(),
        &common::reference_json(),
        Some(&text),
        &["--as-of", "2027-01-01"],
    );
    assert_eq!(
        after.status.code(),
        Some(1),
        "the waiver expired: the failure gates again"
    );
    let stdout = String::from_utf8(after.stdout).unwrap();
    assert!(
        stdout.contains("waiver expired on 2026-12-31 ("),
        "{stdout}"
    );
    assert!(
        stdout.contains("drguard.toml:43:1): runbook rewrite in OPS-77"),
        "points at the [[waiver]] line: {stdout}"
    );
    assert!(stdout.contains(
        "  DRG-SSM-003 on drguard:app/shop expired on 2026-12-31 (1 result(s) fail again)"
    ));
    let sarif = common::audit_doc(
        dir.path(),
        &common::reference_json(),
        Some(&text),
        &["--format", "sarif", "--as-of", "2027-01-01"],
    );
    let log: Value = serde_json::from_slice(&sarif.stdout).unwrap();
    let ssm = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "DRG-SSM-003")
        .unwrap();
    assert!(
        ssm.get("suppressions").is_none(),
        "an expired waiver suppresses nothing"
    );
    assert_eq!(ssm["properties"]["expiredWaiver"]["expires"], "2026-12-31");
}

/// A waiver's rule id is checked against the loaded rules: a typo (or a
/// glob, ids are exact) is a located error with the closest id, as a typo'd
/// `[rules."ID"]` is, never a silently stale waiver.
#[test]
fn a_waiver_naming_an_unknown_rule_is_an_error_with_a_suggestion() {
    let text = config_with(
        "[[waiver]]\nrule = \"DRG-SSM-03\"\nresource = \"*\"\nreason = \"typo\"\nexpires = 2027-01-01\n\n[rules.\"DRG-SMM-006\"]\nseverity = \"low\"\n",
    );
    let dir = tempfile::tempdir().unwrap();
    let output = common::audit_doc(dir.path(), &common::reference_json(), Some(&text), &[]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    let flat = stderr
        .replace('│', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        flat.contains("waiver names no known rule \"DRG-SSM-03\""),
        "{stderr}"
    );
    assert!(flat.contains("did you mean \"DRG-SSM-003\"?"), "{stderr}");
    // Both problems in one run, each with its suggestion.
    assert!(
        flat.contains("`[rules.\"DRG-SMM-006\"]` names no known rule"),
        "{stderr}"
    );
    assert!(flat.contains("did you mean \"DRG-SSM-006\"?"), "{stderr}");
    assert!(flat.contains("drguard.toml:"), "located: {stderr}");
}

/// The human report prints, for each failure, the ARN a waiver must match and
/// a `[[waiver]]` block; pasted into the config as printed, it waives that
/// failure.
#[test]
fn the_printed_waiver_block_waives_the_failure_it_was_printed_for() {
    let text = config_with("");
    let dir = tempfile::tempdir().unwrap();
    // Narrow, so long lines take the `key="value"` form and stay valid TOML.
    let before = common::drguard_at_width(
        dir.path(),
        &[
            "audit",
            "--config",
            &{
                let p = dir.path().join("drguard.toml");
                std::fs::write(&p, &text).unwrap();
                p.to_str().unwrap().to_string()
            },
            "--snapshot",
            common::root()
                .join("fixtures/reference/snapshot.json")
                .to_str()
                .unwrap(),
            "--as-of",
            "2026-11-20",
        ],
        Some(40),
    );
    assert_eq!(before.status.code(), Some(1));
    let stdout = String::from_utf8(before.stdout).unwrap();
    let section = stdout
        .split("\nTO WAIVE (")
        .nth(1)
        .unwrap_or_else(|| panic!("no TO WAIVE section: {stdout}"));
    assert!(section.starts_with("5): "), "{section}");
    // The block of DRG-SSM-003: from its `[[waiver]]` to the next heading line.
    let block: String = section
        .split("  DRG-SSM-003 on drguard:app/shop\n")
        .nth(1)
        .unwrap()
        .lines()
        .take(5)
        .map(|l| format!("{}\n", l.trim()))
        .collect();
    assert!(block.starts_with("[[waiver]]\n"), "{block}");
    assert!(
        block.contains("expires = \"2026-12-20\""),
        "30 days from --as-of: {block}"
    );
    let waived = format!("{text}\n{block}");
    std::fs::write(dir.path().join("drguard.toml"), &waived).unwrap();
    let after = common::drguard(
        dir.path(),
        &[
            "audit",
            "--config",
            dir.path().join("drguard.toml").to_str().unwrap(),
            "--snapshot",
            common::root()
                .join("fixtures/reference/snapshot.json")
                .to_str()
                .unwrap(),
            "--as-of",
            "2026-11-20",
            "--format",
            "json",
        ],
    );
    let report: Value = serde_json::from_slice(&after.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&after.stderr)));
    let ssm = report["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["rule_id"] == "DRG-SSM-003")
        .unwrap();
    assert_eq!(ssm["status"], "waived", "{ssm}");
}

/// A waiver in date that expires within `[waivers] expiry_notice` (14 days by
/// default) is announced in the human, Markdown and JSON reports; `"0d"`
/// turns the notice off.
#[test]
fn waivers_about_to_expire_are_announced_in_every_report() {
    let dir = tempfile::tempdir().unwrap();
    let run = |config: &str, format: &str| {
        let output = common::audit_doc(
            dir.path(),
            &common::reference_json(),
            Some(config),
            &[
                "--as-of",
                "2026-12-26",
                "--format",
                format,
                "--fail-on",
                "none",
            ],
        );
        assert_eq!(
            output.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).unwrap()
    };
    let text = config_with(SSM_003_WAIVER);
    let human = run(&text, "human");
    assert!(human.contains("WAIVERS TO REVIEW (1)"), "{human}");
    assert!(
        human.contains("DRG-SSM-003 on drguard:app/shop expires in 5 days (2026-12-31): its 1 result(s) fail again"),
        "{human}"
    );
    let markdown = run(&text, "markdown");
    assert!(
        markdown.contains("- **expires soon**: DRG-SSM-003 on drguard:app/shop expires in 5 days"),
        "{markdown}"
    );
    let json: Value = serde_json::from_str(&run(&text, "json")).unwrap();
    assert_eq!(json["waivers"][0]["state"], "active");
    assert_eq!(json["waivers"][0]["expiring_soon"], true);
    assert_eq!(json["waivers"][0]["expires_in_days"], 5);

    // A shorter notice, or none: no announcement.
    let quiet = config_with(&format!(
        "[waivers]\nexpiry_notice = \"3d\"\n{SSM_003_WAIVER}"
    ));
    let human = run(&quiet, "human");
    assert!(!human.contains("WAIVERS TO REVIEW"), "{human}");
    let json: Value = serde_json::from_str(&run(&quiet, "json")).unwrap();
    assert_eq!(json["waivers"][0]["expiring_soon"], false);

    // Not a whole number of days: a located config error.
    let bad = config_with("[waivers]\nexpiry_notice = \"36h\"\n");
    let output = common::audit_doc(dir.path(), &common::reference_json(), Some(&bad), &[]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("is not a whole number of days"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
