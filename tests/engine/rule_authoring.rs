//! The rule-authoring loop: `rules check` reports every problem in every file
//! at once, field names are checked against the resource type at load time,
//! `rules test DIR` runs a user's rules against their fixtures, and a run-time
//! error on a null field names the field and the guard.

use std::path::Path;

use crate::common;

/// A rule table with the given id, resource, assert and message.
fn rule(id: &str, resource: &str, assert: &str, message: &str) -> String {
    format!(
        "[[rule]]\nid = \"{id}\"\nname = \"{}\"\ntitle = \"t\"\nseverity = \"medium\"\ncategory = \"rto\"\n\
         resource = \"{resource}\"\nassert = \"{assert}\"\nmessage = \"{message}\"\n\
         requires = [\"autoscaling\"]\nrationale = \"r\"\nremediation = \"x\"\n",
        id.to_ascii_lowercase()
    )
}

/// Diagnostics as one line of words (miette wraps and frames them).
fn flat(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes)
        .replace(['│', '·', '╭', '╰', '─', '┬'], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

#[test]
fn rules_check_reports_every_problem_in_every_file_at_once() {
    let dir = tempfile::tempdir().unwrap();
    // Two malformed tables in one file (serde stops at the first), a CEL field
    // typo and a template field typo in a third table, and a second file.
    let one = format!(
        "{}\n{}\n{}",
        rule("ACME-A-001", "autoscaling.group", "true", "m").replace("assert =", "asert ="),
        rule("ACME-A-002", "autoscaling.group", "true", "m")
            .replace("severity = \"medium\"", "severity = \"hgh\""),
        rule(
            "ACME-A-003",
            "autoscaling.group",
            "resource.health_check_grace_perod <= 300",
            "group {{ resource.nmae }}"
        ),
    );
    write(&dir.path().join("one.toml"), &one);
    write(
        &dir.path().join("sub/two.toml"),
        &rule("ACME-A-004", "autoscaling.grp", "true", "m"),
    );
    let output = common::drguard(dir.path(), &["rules", "check", ".", "missing.toml"]);
    assert_eq!(output.status.code(), Some(2));
    let text = flat(&output.stderr);
    for expected in [
        "6 problem(s) in rule files",
        "unknown field `asert`",
        "unknown variant `hgh`",
        "autoscaling.group has no field `resource.health_check_grace_perod`",
        "did you mean `resource.health_check_grace_period`?",
        "in `message` of rule ACME-A-003: autoscaling.group has no field `resource.nmae`",
        "did you mean `resource.name`?",
        "unknown resource type \"autoscaling.grp\"",
        "cannot read rule file `missing.toml`",
        "one.toml:8:1",
        "sub/two.toml:",
    ] {
        assert!(text.contains(expected), "{expected:?} missing from: {text}");
    }
    // Each error points at the table it is in: the typo'd field of the third.
    assert!(text.contains("one.toml:34:11"), "{text}");

    // The fixed files check clean, and say what was checked.
    write(
        &dir.path().join("one.toml"),
        &rule(
            "ACME-A-003",
            "autoscaling.group",
            "resource.health_check_grace_period <= 300",
            "group {{ resource.name }}",
        ),
    );
    std::fs::remove_file(dir.path().join("sub/two.toml")).unwrap();
    let output = common::drguard(dir.path(), &["rules", "check", "."]);
    assert_eq!(output.status.code(), Some(0), "{}", flat(&output.stderr));
    assert!(flat(&output.stderr).contains("1 rule(s) in 1 file(s) checked"));
}

/// The built-in rule files check clean as themselves (not as duplicates of
/// the embedded copies).
#[test]
fn the_built_in_rules_check_clean() {
    let output = common::drguard(
        &common::root(),
        &["rules", "check", "rules/route53", "rules/s3"],
    );
    assert_eq!(output.status.code(), Some(0), "{}", flat(&output.stderr));
    // An edited copy of a built-in file, at its path, is the rule being edited.
    let dir = tempfile::tempdir().unwrap();
    let original =
        std::fs::read_to_string(common::root().join("rules/s3/s3-replication-time-control.toml"))
            .unwrap();
    write(
        &dir.path().join("rules/s3/s3-replication-time-control.toml"),
        &original.replacen("title = \"", "title = \"Edited: ", 1),
    );
    let output = common::drguard(dir.path(), &["rules", "check", "rules"]);
    assert_eq!(output.status.code(), Some(0), "{}", flat(&output.stderr));
    assert!(flat(&output.stderr).contains("1 rule(s) in 1 file(s) checked"));
}

#[test]
fn rules_test_runs_user_rules_against_their_fixtures() {
    let dir = tempfile::tempdir().unwrap();
    let new = common::drguard(
        dir.path(),
        &[
            "rules",
            "new",
            "autoscaling/dr-fast-grace",
            "--id",
            "ACME-ASG-001",
        ],
    );
    assert_eq!(new.status.code(), Some(0), "{}", flat(&new.stderr));
    write(
        &dir.path().join("rules/autoscaling/dr-fast-grace.toml"),
        &rule(
            "ACME-ASG-001",
            "autoscaling.group",
            "resource.role != 'dr' || resource.health_check_grace_period <= 300",
            "group {{ resource.name }} waits {{ resource.health_check_grace_period }} s",
        ),
    );
    // The scaffolded fail fixture changes nothing: the loop says so.
    let output = common::drguard(dir.path(), &["rules", "test", "rules"]);
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        stdout.contains("FAIL  ACME-ASG-001 fail.json: expected at least one failure"),
        "{stdout}"
    );
    assert!(stdout.contains("ok    ACME-ASG-001 pass.json"), "{stdout}");
    assert!(
        stdout.contains("pass autoscaling.group shop-web-usw2: group shop-web-usw2 waits 300 s"),
        "{stdout}"
    );
    assert!(
        stdout.contains("FAILED: 1 rule(s), 1 fixture(s) met, 1 problem(s)"),
        "{stdout}"
    );

    // A fail fixture that breaks what the rule checks, and a variant.
    let fixtures = dir.path().join("fixtures/rules/ACME-ASG-001");
    let patch = |value: u32| {
        format!(
            "{{\"description\": \"grace {value}\", \"patch\": [{{\"op\": \"replace\", \"path\": \"/regions/us-west-2/auto_scaling_groups/0/health_check_grace_period\", \"value\": {value}}}]}}"
        )
    };
    write(&fixtures.join("fail.json"), &patch(900));
    write(&fixtures.join("pass-short.json"), &patch(60));
    let output = common::drguard(dir.path(), &["rules", "test", "rules"]);
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains("ok    ACME-ASG-001 fail.json: grace 900"),
        "{stdout}"
    );
    assert!(
        stdout.contains("ok    ACME-ASG-001 pass-short.json: grace 60"),
        "{stdout}"
    );
    assert!(
        stdout.contains("ok: 1 rule(s), 3 fixture(s) met, 0 problem(s)"),
        "{stdout}"
    );

    // A stale patch path is a problem with the path, not a panic.
    write(
        &fixtures.join("fail-stale.json"),
        "{\"description\": \"stale\", \"patch\": [{\"op\": \"replace\", \"path\": \"/regions/us-west-2/nope/0\", \"value\": 1}]}",
    );
    let output = common::drguard(dir.path(), &["rules", "test", "rules"]);
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        stdout.contains("FAIL  ACME-ASG-001 fail-stale.json: nothing to replace at \"/regions/us-west-2/nope/0\""),
        "{stdout}"
    );
}

/// A run-time error on a null field names the field and the guard, instead
/// of "no matching overload … (null_type, int)" alone.
#[test]
fn a_null_field_error_names_the_field_and_the_guard() {
    let dir = tempfile::tempdir().unwrap();
    write(
        &dir.path().join("rules/grace.toml"),
        &rule(
            "ACME-ASG-001",
            "autoscaling.group",
            "resource.health_check_grace_period <= 300",
            "m",
        ),
    );
    let mut doc = common::reference_json();
    doc["regions"]["us-west-2"]["auto_scaling_groups"][0]["health_check_grace_period"] =
        serde_json::Value::Null;
    let output = common::audit_doc(
        dir.path(),
        &doc,
        None,
        &[
            "--rules",
            dir.path().join("rules").to_str().unwrap(),
            "--format",
            "json",
        ],
    );
    assert_eq!(output.status.code(), Some(3), "{}", flat(&output.stderr));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let error = report["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["rule_id"] == "ACME-ASG-001" && r["status"] == "error")
        .unwrap_or_else(|| panic!("no error result: {report}"));
    let message = error["message"].as_str().unwrap();
    assert!(
        message.contains("null here: `resource.health_check_grace_period`"),
        "{message}"
    );
    assert!(
        message.contains("`resource.health_check_grace_period != null && …`"),
        "{message}"
    );
}

/// `app`, `targets` and `topology` have fixed fields too: a typo in one is a
/// load error with the closest name.
#[test]
fn typos_in_app_targets_and_topology_fields_are_load_errors() {
    let dir = tempfile::tempdir().unwrap();
    write(
        &dir.path().join("r.toml"),
        &format!(
            "{}\n{}",
            rule(
                "ACME-A-001",
                "app",
                "topology.primary_recrod != null && targets.rto_seconds > 0",
                "m"
            ),
            rule("ACME-A-002", "app", "true", "{{ app.nmae }}"),
        ),
    );
    let output = common::drguard(dir.path(), &["rules", "check", "r.toml"]);
    assert_eq!(output.status.code(), Some(2));
    let text = flat(&output.stderr);
    for expected in [
        "`topology` has no field `primary_recrod`",
        "did you mean `topology.primary_record`?",
        "`app` has no field `nmae`",
        "did you mean `app.name`?",
    ] {
        assert!(text.contains(expected), "{expected:?} missing from: {text}");
    }
    // One problem per expression: the first typo of `assert` is reported.
    assert!(!text.contains("`targets` has no field"), "{text}");
    assert!(text.contains("2 problem(s) in rule files"), "{text}");
}

/// The catalog itself runs through `rules test`: every built-in rule's
/// fixtures are met, as the fixture test above judges them (the counts are
/// derived, never pinned: rules are being added).
#[test]
fn rules_test_runs_the_built_in_catalog() {
    let output = common::drguard(&common::root(), &["rules", "test", "rules"]);
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{stdout}{}",
        flat(&output.stderr)
    );
    let rules = common::reference_engine().rules().rules.len();
    let fixtures = std::fs::read_dir(common::root().join("fixtures/rules"))
        .unwrap()
        .flat_map(|d| std::fs::read_dir(d.unwrap().path()).unwrap())
        .filter(|f| {
            f.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|e| e == "json")
        })
        .count();
    assert!(
        stdout.ends_with(&format!(
            "ok: {rules} rule(s), {fixtures} fixture(s) met, 0 problem(s)\n"
        )),
        "{stdout}"
    );
}
