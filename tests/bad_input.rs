//! Malformed configs, rule files, CEL, snapshots and command lines: each must
//! exit 2 with a diagnostic that names the file and position, and never panic.
//! Every rendered diagnostic is snapshotted in one file for review.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use std::fmt::Write;

struct Case {
    name: &'static str,
    files: Vec<(&'static str, String)>,
    args: Vec<&'static str>,
    /// A `file:line:col` the diagnostic must show, or just a file name.
    must_mention: &'static str,
}

fn good_snapshot() -> String {
    std::fs::read_to_string(common::root().join("fixtures/reference/snapshot.json")).unwrap()
}

fn rule(body: &str) -> String {
    format!(
        "[[rule]]\nid = \"ACME-T-001\"\nname = \"test-rule\"\ntitle = \"t\"\nseverity = \"low\"\ncategory = \"rto\"\n\
         resource = \"autoscaling.group\"\nrationale = \"r\"\nremediation = \"x\"\nrequires = [\"autoscaling\"]\n{body}"
    )
}

fn audit_with_config(name: &'static str, config: &str, must_mention: &'static str) -> Case {
    Case {
        name,
        files: vec![
            ("drguard.toml", config.to_string()),
            ("snap.json", good_snapshot()),
        ],
        args: vec![
            "audit",
            "--config",
            "drguard.toml",
            "--snapshot",
            "snap.json",
        ],
        must_mention,
    }
}

fn audit_with_rule(name: &'static str, rule_text: String, must_mention: &'static str) -> Case {
    Case {
        name,
        files: vec![
            ("snap.json", good_snapshot()),
            ("myrules/test.toml", rule_text),
        ],
        args: vec!["audit", "--snapshot", "snap.json", "--rules", "myrules"],
        must_mention,
    }
}

fn audit_with_snapshot(name: &'static str, snapshot: String, must_mention: &'static str) -> Case {
    Case {
        name,
        files: vec![("snap.json", snapshot)],
        args: vec!["audit", "--snapshot", "snap.json"],
        must_mention,
    }
}

fn cases() -> Vec<Case> {
    let snapshot = good_snapshot();
    vec![
        audit_with_config(
            "config: unknown key",
            "[app]\ndomian = \"x.com\"\n",
            "drguard.toml:2:1",
        ),
        audit_with_config(
            "config: duration as a number",
            "[targets]\nrto = 15\n",
            "drguard.toml:2:7",
        ),
        audit_with_config(
            "config: negative duration",
            "[targets]\nrto = \"-5m\"\n",
            "drguard.toml:2:7",
        ),
        audit_with_config(
            "config: bare number duration",
            "[targets]\nrpo = \"300\"\n",
            "drguard.toml:2:7",
        ),
        audit_with_config(
            "config: availability over 100%",
            "[targets]\navailability = \"120%\"\n",
            "drguard.toml:2:16",
        ),
        audit_with_config(
            "config: DR region equals primary",
            "[app]\nprimary_region = \"us-east-1\"\ndr_region = \"us-east-1\"\n",
            "drguard.toml:2:18",
        ),
        audit_with_config(
            "config: not a region",
            "[app]\ndr_region = \"oregon\"\n",
            "drguard.toml:2:13",
        ),
        audit_with_config(
            "config: TOML syntax",
            "[app\nname = \"shop\"\n",
            "drguard.toml:1:",
        ),
        audit_with_config(
            "config: override of an unknown rule",
            "[rules.\"DRG-XYZ-999\"]\nenabled = false\n",
            "drguard.toml:1:8",
        ),
        audit_with_config(
            "config: override of an unknown param",
            "[rules.\"DRG-ASG-002\"]\nparams = { min_sise = 3 }\n",
            "drguard.toml:2:23",
        ),
        audit_with_config(
            "config: param of the wrong type",
            "[rules.\"DRG-ASG-002\"]\nparams = { min_size = \"three\" }\n",
            "drguard.toml:2:23",
        ),
        audit_with_config(
            "config: bad severity override",
            "[rules.\"DRG-GA-001\"]\nseverity = \"urgent\"\n",
            "drguard.toml:2:12",
        ),
        audit_with_config(
            "config: unknown data source in collect.skip",
            "[[collect.skip]]\nsource = \"globalacelerator\"\nreason = \"no accelerator\"\n",
            "drguard.toml:2:10",
        ),
        audit_with_config(
            "config: collect.skip without a reason",
            "[[collect.skip]]\nsource = \"ssm\"\n",
            "drguard.toml:1:1",
        ),
        audit_with_config(
            "config: collect.skip with an empty reason",
            "[[collect.skip]]\nsource = \"ssm\"\nreason = \" \"\n",
            "drguard.toml:3:10",
        ),
        audit_with_config(
            "config: the same source skipped twice",
            "[[collect.skip]]\nsource = \"ssm\"\nreason = \"a\"\n[[collect.skip]]\nsource = \"ssm\"\nreason = \"b\"\n",
            "drguard.toml:2:10",
        ),
        audit_with_config(
            "config: zero collect timeout",
            "[collect]\nattempt_timeout = \"0s\"\n",
            "drguard.toml:2:19",
        ),
        audit_with_config(
            "config: collect max_attempts out of range",
            "[collect]\nmax_attempts = 0\n",
            "drguard.toml:2:16",
        ),
        audit_with_config(
            "config: unknown collect key",
            "[collect]\nretries = 3\n",
            "drguard.toml:2:1",
        ),
        audit_with_config(
            "config: metric window over 15 days",
            "[collect]\nmetric_window = \"30d\"\n",
            "drguard.toml:2:17",
        ),
        Case {
            name: "config: missing file",
            files: vec![("snap.json", snapshot.clone())],
            args: vec!["audit", "--config", "nope.toml", "--snapshot", "snap.json"],
            must_mention: "nope.toml",
        },
        Case {
            name: "config: a directory",
            files: vec![("snap.json", snapshot.clone()), ("conf/x", String::new())],
            args: vec!["audit", "--config", "conf", "--snapshot", "snap.json"],
            must_mention: "conf",
        },
        audit_with_rule(
            "rule: CEL syntax error",
            rule("assert = \"resource.min_size >=\"\nmessage = \"m\"\n"),
            "myrules/test.toml:11:",
        ),
        audit_with_rule(
            "rule: unknown CEL variable",
            rule("assert = \"resource.min_size >= 2 && resorce.max_size > 0\"\nmessage = \"m\"\n"),
            "myrules/test.toml:11:37",
        ),
        audit_with_rule(
            "rule: undeclared param",
            rule("assert = \"resource.min_size >= params.minimum\"\nmessage = \"m\"\n"),
            "myrules/test.toml:11:",
        ),
        audit_with_rule(
            "rule: unknown variable in a message template",
            rule("assert = \"true\"\nmessage = \"group {{ resource.name }} in {{ regoin }}\"\n"),
            "myrules/test.toml:12:44",
        ),
        audit_with_rule(
            "rule: unclosed template",
            rule("assert = \"true\"\nmessage = \"group {{ resource.name \"\n"),
            "myrules/test.toml:12:18",
        ),
        audit_with_rule(
            "rule: duplicate of a built-in id",
            rule("assert = \"true\"\nmessage = \"m\"\n").replace("ACME-T-001", "DRG-ASG-002"),
            "myrules/test.toml:2:6",
        ),
        audit_with_rule(
            "rule: unknown resource type",
            rule("assert = \"true\"\nmessage = \"m\"\n")
                .replace("autoscaling.group", "autoscaling.groups"),
            "myrules/test.toml:7:12",
        ),
        audit_with_rule(
            "rule: missing assert",
            rule("message = \"m\"\n"),
            "myrules/test.toml:1:1",
        ),
        audit_with_rule(
            "rule: unknown severity",
            rule("assert = \"true\"\nmessage = \"m\"\n").replace("\"low\"", "\"urgent\""),
            "myrules/test.toml:5:12",
        ),
        audit_with_rule(
            "rule: unknown data source",
            rule("assert = \"true\"\nmessage = \"m\"\n")
                .replace("[\"autoscaling\"]", "[\"autoscalling\"]"),
            "myrules/test.toml:10:13",
        ),
        audit_with_rule(
            "rule: bad id",
            rule("assert = \"true\"\nmessage = \"m\"\n").replace("ACME-T-001", "acme_t_1"),
            "myrules/test.toml:2:6",
        ),
        audit_with_snapshot(
            "snapshot: truncated JSON",
            snapshot[..snapshot.len() / 2].to_string(),
            "snap.json:",
        ),
        audit_with_snapshot(
            "snapshot: wrong type deep inside",
            snapshot.replacen("\"min_size\": 2", "\"min_size\": \"two\"", 1),
            "snap.json:",
        ),
        audit_with_snapshot(
            "snapshot: unknown schema_version",
            snapshot.replacen("\"schema_version\": \"1\"", "\"schema_version\": \"2\"", 1),
            "snap.json:2:21",
        ),
        audit_with_snapshot(
            "snapshot: no schema_version",
            "{\"account_id\": \"123456789012\"}".into(),
            "snap.json:1:1",
        ),
        audit_with_snapshot(
            "snapshot: not an object",
            "[1, 2, 3]".into(),
            "snap.json:1:1",
        ),
        audit_with_snapshot(
            "snapshot: unknown field",
            snapshot.replacen("\"min_size\": 2", "\"min_size\": 2, \"min_szie\": 3", 1),
            "snap.json:",
        ),
        audit_with_snapshot(
            "snapshot: trailing data",
            format!("{snapshot}\n{{}}"),
            "snap.json:",
        ),
        audit_with_snapshot(
            "snapshot: bad timestamp",
            snapshot.replacen("2026-11-20T03:00:00Z", "yesterday", 1),
            "snap.json:3:3",
        ),
        audit_with_snapshot("snapshot: empty file", String::new(), "snap.json:1:"),
        Case {
            name: "snapshot: missing file",
            files: vec![],
            args: vec!["audit", "--snapshot", "missing.json"],
            must_mention: "missing.json",
        },
        Case {
            name: "snapshot: a directory",
            files: vec![("snapdir/x", String::new())],
            args: vec!["audit", "--snapshot", "snapdir"],
            must_mention: "snapdir",
        },
        Case {
            name: "cli: unknown format",
            files: vec![("snap.json", snapshot.clone())],
            args: vec!["audit", "--snapshot", "snap.json", "--format", "xml"],
            must_mention: "unknown format `xml`",
        },
        Case {
            name: "cli: format with an empty path",
            files: vec![("snap.json", snapshot.clone())],
            args: vec!["audit", "--snapshot", "snap.json", "--format", "json="],
            must_mention: "json=",
        },
        Case {
            name: "cli: two formats to stdout",
            files: vec![("snap.json", snapshot.clone())],
            args: vec![
                "audit",
                "--snapshot",
                "snap.json",
                "--format",
                "json",
                "--format",
                "sarif",
            ],
            must_mention: "stdout",
        },
        Case {
            name: "cli: unknown --fail-on",
            files: vec![("snap.json", snapshot.clone())],
            args: vec!["audit", "--snapshot", "snap.json", "--fail-on", "severe"],
            must_mention: "severe",
        },
        Case {
            name: "cli: rules check on a broken file",
            files: vec![(
                "broken.toml",
                rule("assert = \"resource.x ==\"\nmessage = \"m\"\n"),
            )],
            args: vec!["rules", "check", "broken.toml"],
            must_mention: "broken.toml:11:24",
        },
        Case {
            name: "cli: rules explain of an unknown id",
            files: vec![],
            args: vec!["rules", "explain", "DRG-NOPE-001"],
            must_mention: "DRG-NOPE-001",
        },
    ]
}

#[test]
fn bad_input_exits_2_with_a_located_diagnostic() {
    let cases = cases();
    assert!(cases.len() >= 20);
    let mut transcript = String::new();
    let mut misses = Vec::new();
    for case in cases {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in &case.files {
            let full = dir.path().join(path);
            std::fs::create_dir_all(full.parent().unwrap()).unwrap();
            std::fs::write(&full, text).unwrap();
        }
        let output = common::drguard(dir.path(), &case.args);
        let stderr = String::from_utf8_lossy(&output.stderr).to_string();
        assert_eq!(
            output.status.code(),
            Some(2),
            "{}: exit {:?}\n{stderr}",
            case.name,
            output.status.code()
        );
        assert!(
            !stderr.contains("panicked"),
            "{}: panicked\n{stderr}",
            case.name
        );
        assert!(
            output.stdout.is_empty(),
            "{}: wrote a report despite the error",
            case.name
        );
        if !stderr.contains(case.must_mention) {
            misses.push(format!(
                "{}: diagnostic does not mention `{}`:\n{stderr}",
                case.name, case.must_mention
            ));
        }
        let _ = writeln!(
            transcript,
            "### {}\n$ drguard {}\n{}",
            case.name,
            case.args.join(" "),
            stderr.trim_end()
        );
        transcript.push('\n');
    }
    assert!(misses.is_empty(), "{}", misses.join("\n"));
    insta::assert_snapshot!(transcript);
}
