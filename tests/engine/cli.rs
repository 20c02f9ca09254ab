//! The real binary on the bundled example: exit codes, report shapes, stable output.

use crate::common;

use serde_json::Value;

const CONFIG: &str = "fixtures/reference/drguard.toml";
const SNAPSHOT: &str = "fixtures/reference/snapshot.json";

fn audit(extra: &[&str]) -> std::process::Output {
    let mut args = vec!["audit", "--config", CONFIG, "--snapshot", SNAPSHOT];
    args.extend_from_slice(extra);
    common::drguard(&common::root(), &args)
}

/// Replaces the version so the snapshots survive a release.
fn redact_version(text: &str) -> String {
    text.replace(env!("CARGO_PKG_VERSION"), "[VERSION]")
}

#[test]
fn bundled_example_fails_on_the_reference_designs_mistakes() {
    // As in a pipe: no COLUMNS, so the report fits 80 columns.
    // A fixed date: the suggested waivers run 30 days from it.
    let output = common::drguard_at_width(
        &common::root(),
        &[
            "audit",
            "--config",
            CONFIG,
            "--snapshot",
            SNAPSHOT,
            "--as-of",
            "2026-11-20",
        ],
        None,
    );
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        stdout.contains("DRG-SSM-003"),
        "the wrong promotion API must be flagged"
    );
    assert!(
        !stdout.contains("\x1b["),
        "no colour when NO_COLOR is set and stdout is a pipe"
    );
    // The summary is the last paragraph.
    let summary = stdout.trim_end().rsplit("\n\n").next().unwrap();
    assert!(
        summary.starts_with("FAIL: 13 failed (1 critical, 7 high, 4 medium, 1 low)"),
        "{summary}"
    );
    // Every line fits 80 columns, but a word longer than a line (a URL, an ARN).
    for line in stdout.lines() {
        assert!(
            line.chars().count() <= 80 || !line.trim().contains(' '),
            "{line}"
        );
    }
    insta::assert_snapshot!(redact_version(&stdout));
}

#[test]
fn fail_on_decides_the_exit_code() {
    // The RTO is not achievable (DRG-BUD-001, critical): even the laxest gate fails.
    assert_eq!(audit(&["--fail-on", "critical"]).status.code(), Some(1));
    assert_eq!(audit(&["--fail-on", "none"]).status.code(), Some(0));
    assert_eq!(audit(&["--fail-on", "high"]).status.code(), Some(1));
    assert_eq!(audit(&["--fail-on", "low"]).status.code(), Some(1));
}

#[test]
fn json_report_has_the_v1_shape() {
    let output = audit(&["--format", "json"]);
    assert_eq!(output.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["schema_version"], "1");
    assert_eq!(report["summary"]["verdict"], "fail");
    assert_eq!(report["summary"]["exit_code"], 1);
    assert_eq!(report["targets"]["rto_seconds"], 900);
    assert_eq!(report["targets"]["rpo_seconds"], 300);
    assert!(report["drift"].is_null());
    let budget = &report["budget"];
    assert_eq!(budget["rto"]["achievable"], false);
    assert_eq!(budget["rto"]["blockers"][0]["rule_id"], "DRG-SSM-003");
    assert_eq!(budget["rto"]["estimate_seconds"], 1050.0);
    assert_eq!(budget["rto"]["target_seconds"], 900.0);
    assert_eq!(
        budget["rto"]["critical_path"],
        serde_json::json!([
            "detection",
            "decision",
            "database_promotion",
            "db_reconnect",
            "dns_failover"
        ])
    );
    for step in budget["rto"]["steps"].as_array().unwrap() {
        for key in [
            "id",
            "title",
            "seconds",
            "worst_case_seconds",
            "start_seconds",
            "on_critical_path",
            "source",
        ] {
            assert!(!step[key].is_null(), "budget step lacks {key}: {step}");
        }
    }
    assert!(budget["rpo"]["guaranteed_seconds"].is_null());
    for store in budget["rpo"]["stores"].as_array().unwrap() {
        for key in [
            "id",
            "typical_seconds",
            "guaranteed_seconds",
            "measured_seconds",
            "source",
        ] {
            assert!(store.get(key).is_some(), "store lacks {key}: {store}");
        }
    }
    assert_eq!(budget["availability"]["allowance_minutes_per_year"], 52.56);
    assert_eq!(budget["availability"]["failovers_per_year_affordable"], 3.0);
    assert_eq!(report["collection"]["complete"], true);
    let results = report["results"].as_array().unwrap();
    assert_eq!(
        results.len(),
        52,
        "48 rules, DRG-BUD-002 once per data store (3), DRG-R53-007 once per deciding check (2), DRG-REG-001 once per dependency on us-east-1 (2)"
    );
    for result in results {
        for key in [
            "rule_id",
            "severity",
            "status",
            "region",
            "resource_type",
            "resource_id",
            "resource_arn",
            "message",
            "fingerprint",
        ] {
            assert!(result[key].is_string(), "{key} missing in {result}");
        }
        assert!(result["baseline_state"].is_null());
    }
    let fingerprints: std::collections::BTreeSet<&str> = results
        .iter()
        .map(|r| r["fingerprint"].as_str().unwrap())
        .collect();
    assert_eq!(
        fingerprints.len(),
        results.len(),
        "fingerprints are unique per rule × resource"
    );
    insta::assert_json_snapshot!(report, { ".tool.version" => "[VERSION]" });
}

#[test]
fn every_format_is_written_before_exit() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("r.json");
    let sarif = dir.path().join("r.sarif");
    let output = audit(&[
        "--format",
        "human",
        "--format",
        &format!("json={}", json.display()),
        "--format",
        &format!("sarif={}", sarif.display()),
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(!output.stdout.is_empty());
    let json: Value = serde_json::from_str(&std::fs::read_to_string(json).unwrap()).unwrap();
    let sarif: Value = serde_json::from_str(&std::fs::read_to_string(sarif).unwrap()).unwrap();
    assert_eq!(json["summary"]["by_status"]["fail"], 13);
    assert_eq!(sarif["runs"][0]["results"].as_array().unwrap().len(), 13);
}

#[test]
fn output_is_stable_across_runs() {
    let first = audit(&["--format", "json"]).stdout;
    let second = audit(&["--format", "json"]).stdout;
    assert_eq!(first, second);
}

#[test]
fn missing_data_is_an_error_and_exit_3() {
    let mut doc = common::reference_json();
    doc["gaps"] = serde_json::json!([{
        "service": "s3", "resource": "replication", "region": "us-east-1",
        "operation": "GetBucketReplication", "error_code": "AccessDenied",
        "message": "User is not authorized to perform s3:GetReplicationConfiguration"
    }]);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("gap.json");
    std::fs::write(&path, serde_json::to_string(&doc).unwrap()).unwrap();
    let config = common::root().join(CONFIG);
    let run = |extra: &[&str]| {
        let mut args = vec![
            "audit",
            "--config",
            config.to_str().unwrap(),
            "--snapshot",
            path.to_str().unwrap(),
            "--format",
            "json",
        ];
        args.extend_from_slice(extra);
        common::drguard(dir.path(), &args)
    };
    let output = run(&[]);
    assert_eq!(output.status.code(), Some(3));
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let errors: Vec<&str> = report["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["status"] == "error")
        .map(|r| r["rule_id"].as_str().unwrap())
        .collect();
    assert_eq!(
        errors,
        [
            "DRG-BUD-002",
            "DRG-KMS-001",
            "DRG-S3-001",
            "DRG-S3-002",
            "DRG-S3-003",
            "DRG-S3-004"
        ],
        "exactly the rules that need S3 replication data"
    );
    assert_eq!(report["collection"]["complete"], false);
    assert_eq!(report["summary"]["verdict"], "incomplete");
    // Every other verdict is unchanged.
    let clean: Value = serde_json::from_slice(&audit(&["--format", "json"]).stdout).unwrap();
    let key = |r: &Value| {
        (
            r["rule_id"].as_str().unwrap().to_string(),
            r["resource_arn"].as_str().unwrap().to_string(),
        )
    };
    let clean: std::collections::BTreeMap<_, _> = clean["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (key(r), r["status"].clone()))
        .collect();
    let mut compared = 0;
    for result in report["results"].as_array().unwrap() {
        if !errors.contains(&result["rule_id"].as_str().unwrap()) {
            assert_eq!(
                Some(&result["status"]),
                clean.get(&key(result)),
                "{}",
                result["rule_id"]
            );
            compared += 1;
        }
    }
    assert_eq!(compared, 44);
    // --allow-incomplete keeps the errors but gates on findings only.
    assert_eq!(run(&["--allow-incomplete"]).status.code(), Some(1));
    assert_eq!(
        run(&["--allow-incomplete", "--fail-on", "none"])
            .status
            .code(),
        Some(0)
    );
}

#[test]
fn skipped_data_is_not_applicable_and_reported() {
    let mut doc = common::reference_json();
    doc["skipped"] = serde_json::json!([{"source": "globalaccelerator", "reason": "no accelerator in this account"}]);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("skip.json");
    std::fs::write(&path, serde_json::to_string(&doc).unwrap()).unwrap();
    let config = common::root().join(CONFIG);
    let output = common::drguard(
        dir.path(),
        &[
            "audit",
            "--config",
            config.to_str().unwrap(),
            "--snapshot",
            path.to_str().unwrap(),
        ],
    );
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(stdout.contains("- DRG-GA-001 not evaluated: data source `globalaccelerator` skipped on purpose: no accelerator in this account"));
    assert!(stdout.contains("SKIPPED DATA SOURCES"));
}

#[test]
fn rules_commands_work() {
    let list = common::drguard(&common::root(), &["rules", "list"]);
    assert_eq!(list.status.code(), Some(0));
    assert_eq!(String::from_utf8(list.stdout).unwrap().lines().count(), 48);
    let explain = common::drguard(&common::root(), &["rules", "explain", "DRG-SSM-003"]);
    let text = String::from_utf8(explain.stdout).unwrap();
    assert!(text.contains("FailoverGlobalCluster") && text.contains("Why it matters"));
    // The built-in folder checked stands for the built-in rules (the budget
    // model beside them is not a rule file) ...
    let check = common::drguard(&common::root(), &["rules", "check", "rules"]);
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    // ... but a built-in rule copied elsewhere is a duplicate id.
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("mine.toml");
    let original =
        std::fs::read_to_string(common::root().join("rules/ssm/runbook-uses-global-db-api.toml"))
            .unwrap();
    std::fs::write(
        &copy,
        original.replacen("title = \"", "title = \"Mine: ", 1),
    )
    .unwrap();
    let check = common::drguard(dir.path(), &["rules", "check", "mine.toml"]);
    assert_eq!(check.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&check.stderr).contains("duplicate rule id DRG-SSM-003"));
}

#[test]
fn init_writes_a_config_that_loads() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(
        common::drguard(dir.path(), &["init"]).status.code(),
        Some(0)
    );
    assert_eq!(
        common::drguard(dir.path(), &["init"]).status.code(),
        Some(2),
        "refuses to overwrite"
    );
    let written = dir.path().join("drguard.toml");
    let config = drguard::config::load(drguard::config::ConfigSource::Explicit(&written)).unwrap();
    assert_eq!(config.app.domain.as_deref(), Some("api.yourstore.com"));
    assert_eq!(config.targets.rto_seconds, 900);
}

#[test]
fn help_teaches_exit_codes() {
    let help = common::drguard(&common::root(), &["audit", "--help"]);
    let text = String::from_utf8(help.stdout).unwrap();
    assert!(text.contains("Exit codes:") && text.contains("--fail-on"));
}

#[test]
fn rules_new_scaffolds_a_rule_that_checks_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_str().unwrap();
    let args = [
        "rules",
        "new",
        "route53/my-rule",
        "--id",
        "DRG-R53-099",
        "--root",
        root,
    ];
    let first = common::drguard(dir.path(), &args);
    assert_eq!(first.status.code(), Some(0), "{first:?}");
    let rule = dir.path().join("rules/route53/my-rule.toml");
    for path in [
        rule.clone(),
        dir.path().join("fixtures/rules/DRG-R53-099/pass.json"),
        dir.path().join("fixtures/rules/DRG-R53-099/fail.json"),
    ] {
        assert!(path.is_file(), "{} not written", path.display());
    }
    let check = common::drguard(dir.path(), &["rules", "check", rule.to_str().unwrap()]);
    assert_eq!(check.status.code(), Some(0), "{check:?}");
    let again = common::drguard(dir.path(), &args);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("exists already"));
    let bad = common::drguard(
        dir.path(),
        &[
            "rules",
            "new",
            "Route53/x",
            "--id",
            "DRG-R53-100",
            "--root",
            root,
        ],
    );
    assert_eq!(bad.status.code(), Some(2));
}

/// Reports fit their medium: `COLUMNS` sets the width, `TERM=dumb` means no
/// colour even with `--color auto` on a terminal-like run, two reports to one
/// file are a usage error, and `--output-dir` writes every format under its
/// default name.
#[test]
fn reports_fit_their_medium() {
    let narrow = common::drguard_at_width(
        &common::root(),
        &["budget", "--config", CONFIG, "--snapshot", SNAPSHOT],
        Some(60),
    );
    let text = String::from_utf8(narrow.stdout).unwrap();
    for line in text.lines() {
        assert!(
            line.chars().count() <= 60 || !line.trim().contains(' '),
            "{line}"
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let same = common::drguard(
        &common::root(),
        &[
            "audit",
            "--config",
            CONFIG,
            "--snapshot",
            SNAPSHOT,
            "--format",
            &format!("json={}", dir.path().join("r").display()),
            "--format",
            &format!("sarif={}", dir.path().join("r").display()),
        ],
    );
    assert_eq!(same.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&same.stderr)
        .replace('│', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(stderr.contains("would replace the first"), "{stderr}");
    let out = dir.path().join("reports");
    let all = common::drguard(
        &common::root(),
        &[
            "audit",
            "--config",
            CONFIG,
            "--snapshot",
            SNAPSHOT,
            "--output-dir",
            out.to_str().unwrap(),
            "--format",
            "human",
            "--format",
            "json",
            "--format",
            "sarif",
            "--format",
            "junit",
            "--format",
            "markdown",
            "--format",
            "ocsf",
        ],
    );
    assert_eq!(
        all.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&all.stderr)
    );
    assert!(all.stdout.is_empty());
    for name in [
        "drguard.txt",
        "drguard.json",
        "drguard.sarif",
        "drguard.junit.xml",
        "drguard.md",
        "drguard.ocsf.json",
    ] {
        assert!(out.join(name).is_file(), "{name} not written");
    }
    let failures_only = audit(&["--failures-only"]);
    let text = String::from_utf8(failures_only.stdout).unwrap();
    assert!(
        text.contains("DRG-SSM-003") && !text.contains("PASSED ("),
        "{text}"
    );
}

/// A report that cannot be written to standard output is exit 2, while a
/// reader that went away (`| head`) is not an error.
#[test]
fn a_failed_write_to_stdout_is_an_error_and_a_closed_pipe_is_not() {
    use std::process::{Command, Stdio};
    let full = std::fs::OpenOptions::new().write(true).open("/dev/full");
    if let Ok(full) = full {
        let output = Command::new(env!("CARGO_BIN_EXE_drguard"))
            .args([
                "audit",
                "--config",
                CONFIG,
                "--snapshot",
                SNAPSHOT,
                "--format",
                "json",
            ])
            .current_dir(common::root())
            .stdout(Stdio::from(full))
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2));
        assert!(
            String::from_utf8_lossy(&output.stderr)
                .contains("cannot write the report to standard output")
        );
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_drguard"))
        .args(["rules", "list", "--format", "json"])
        .current_dir(common::root())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// A diagnostic that cannot be written (stderr full, or closed by
/// `2>&1 | head`) still ends in its exit code, never a panic (101).
#[test]
fn an_unwritable_stderr_keeps_the_exit_code() {
    use std::process::{Command, Stdio};
    let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") else {
        return;
    };
    let output = Command::new(env!("CARGO_BIN_EXE_drguard"))
        .args(["audit", "--config", CONFIG, "--plan", CONFIG])
        .current_dir(common::root())
        .stderr(Stdio::from(full))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
}
