//! Malformed configs, rule files, CEL, snapshots and command lines: each must
//! exit 2 with a diagnostic that names the file and position, and never panic.
//! Every rendered diagnostic is snapshotted in one file for review.

use crate::common;

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

fn budget_model(name: &'static str, model: &str, must_mention: &'static str) -> Case {
    Case {
        name,
        files: vec![
            (
                "drguard.toml",
                "[budget]\nmodel = \"model.toml\"\n".to_string(),
            ),
            ("model.toml", model.to_string()),
            ("snap.json", good_snapshot()),
        ],
        args: vec![
            "budget",
            "--config",
            "drguard.toml",
            "--snapshot",
            "snap.json",
        ],
        must_mention,
    }
}

const STEP: &str = "[[step]]\nid = \"a\"\ntitle = \"a\"\nsource = \"s\"\n";

fn cases() -> Vec<Case> {
    let snapshot = good_snapshot();
    vec![
        budget_model(
            "budget: bad CEL",
            &format!("{STEP}seconds = \"defaults.x +\"\n"),
            "model.toml:5:",
        ),
        budget_model(
            "budget: unknown default in CEL",
            &format!(
                "[defaults.known]\nvalue = \"1m\"\nsource = \"s\"\n{STEP}seconds = \"defaults.unknown\"\n"
            ),
            "model.toml:8:12",
        ),
        budget_model(
            "budget: unknown step in after",
            &format!("{STEP}seconds = \"1\"\nafter = [\"detecton\"]\n"),
            "model.toml:6:10",
        ),
        budget_model(
            "budget: negative default",
            "[defaults.decision]\nvalue = \"-5m\"\nsource = \"s\"\n",
            "model.toml:2:9",
        ),
        budget_model(
            "budget: cycle",
            "[[step]]\nid = \"a\"\ntitle = \"a\"\nafter = [\"b\"]\nseconds = \"1\"\nsource = \"s\"\n[[step]]\nid = \"b\"\ntitle = \"b\"\nafter = [\"a\"]\nseconds = \"1\"\nsource = \"s\"\n",
            "model.toml:2:6",
        ),
        budget_model(
            "budget: unknown key",
            &format!("{STEP}seconds = \"1\"\nduration = \"2\"\n"),
            "model.toml:6:1",
        ),
        Case {
            name: "budget: missing model file",
            files: vec![
                ("drguard.toml", "[budget]\nmodel = \"nope.toml\"\n".into()),
                ("snap.json", snapshot.clone()),
            ],
            args: vec![
                "budget",
                "--config",
                "drguard.toml",
                "--snapshot",
                "snap.json",
            ],
            must_mention: "nope.toml",
        },
        audit_with_config(
            "config: override of an unknown budget default",
            "[budget.defaults]\ndecison = \"10m\"\n",
            "drguard.toml:2:11",
        ),
        audit_with_config(
            "config: claim for an unknown step",
            "[budget.claims.steps]\nfailover = \"1m\"\n",
            "drguard.toml:2:12",
        ),
        audit_with_config(
            "config: claim that is not a duration",
            "[budget.claims]\nrto = \"nine minutes\"\n",
            "drguard.toml:2:7",
        ),
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
            "config: waiver without reason and expiry",
            "[app]\nname = \"shop\"\n\n[[waiver]]\nrule = \"DRG-S3-002\"\nresource = \"arn:aws:s3:::legacy\"\n",
            "drguard.toml:4:1",
        ),
        audit_with_config(
            "config: waiver expiry not a date",
            "[[waiver]]\nrule = \"DRG-S3-002\"\nresource = \"*\"\nreason = \"OPS-1\"\nexpires = \"next spring\"\n",
            "drguard.toml:5:11",
        ),
        audit_with_config(
            "config: waiver with an empty reason",
            "[[waiver]]\nrule = \"DRG-S3-002\"\nresource = \"*\"\nreason = \"  \"\nexpires = 2027-03-31\n",
            "drguard.toml:4:10",
        ),
        audit_with_config(
            "config: waiver with an unknown key",
            "[[waiver]]\nrule = \"DRG-S3-002\"\nresource = \"*\"\nreason = \"r\"\nuntil = \"2027-03-31\"\n",
            "drguard.toml:5:1",
        ),
        Case {
            name: "baseline: neither a report nor a snapshot",
            files: vec![("snap.json", snapshot.clone()), ("old.json", "{\"hello\": 1}".into())],
            args: vec!["audit", "--snapshot", "snap.json", "--baseline", "old.json"],
            must_mention: "old.json:1:1",
        },
        Case {
            name: "baseline: not JSON",
            files: vec![("snap.json", snapshot.clone()), ("old.json", "{\n  \"results\": [,]\n}".into())],
            args: vec!["audit", "--snapshot", "snap.json", "--baseline", "old.json"],
            must_mention: "old.json:2:",
        },
        Case {
            name: "baseline: report result without a rule id",
            files: vec![
                ("snap.json", snapshot.clone()),
                ("old.json", "{\"schema_version\": \"1\", \"captured_at\": \"x\", \"results\": [{\"status\": \"fail\"}]}".into()),
            ],
            args: vec!["audit", "--snapshot", "snap.json", "--baseline", "old.json"],
            must_mention: "old.json:1:",
        },
        Case {
            name: "baseline: report of another schema version",
            files: vec![
                ("snap.json", snapshot.clone()),
                ("old.json", "{\"schema_version\": \"2\", \"captured_at\": \"x\", \"results\": []}".into()),
            ],
            args: vec!["audit", "--snapshot", "snap.json", "--baseline", "old.json"],
            must_mention: "old.json:1:2",
        },
        Case {
            name: "baseline: a broken snapshot",
            files: vec![
                ("snap.json", snapshot.clone()),
                ("old.json", snapshot.replacen("\"min_size\": 2", "\"min_size\": \"two\"", 1)),
            ],
            args: vec!["audit", "--snapshot", "snap.json", "--baseline", "old.json"],
            must_mention: "old.json:",
        },
        Case {
            name: "cli: --fail-on-new without --baseline",
            files: vec![("snap.json", snapshot.clone())],
            args: vec!["audit", "--snapshot", "snap.json", "--fail-on-new"],
            must_mention: "--baseline",
        },
        Case {
            name: "cli: --as-of not a date",
            files: vec![("snap.json", snapshot.clone())],
            args: vec!["audit", "--snapshot", "snap.json", "--as-of", "tomorrow"],
            must_mention: "YYYY-MM-DD",
        },
        Case {
            name: "diff: broken NEW snapshot",
            files: vec![("old.json", snapshot.clone()), ("new.json", snapshot[..100].to_string())],
            args: vec!["diff", "old.json", "new.json"],
            must_mention: "new.json:",
        },
        Case {
            name: "diff: unknown format",
            files: vec![("old.json", snapshot.clone()), ("new.json", snapshot.clone())],
            args: vec!["diff", "old.json", "new.json", "--format", "sarif"],
            must_mention: "known formats: human, json, markdown",
        },
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
        audit_with_config(
            "config: peak window over 455 days",
            "[collect]\npeak_window = \"500d\"\n",
            "drguard.toml:2:15",
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

/// A minified snapshot is one long line: its error shows an excerpt around
/// the position (and the real line and column), never the whole line.
#[test]
fn an_error_in_a_long_line_shows_an_excerpt() {
    let mut doc = common::reference_json();
    doc["regions"]["us-west-2"]["auto_scaling_groups"][0]["min_size"] = "two".into();
    let mut text = serde_json::to_string(&doc).unwrap();
    text.push_str(&" ".repeat(200_000));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("snap.json");
    std::fs::write(&path, &text).unwrap();
    let output = common::drguard(dir.path(), &["audit", "--snapshot", path.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.len() < 2_000, "{} bytes of diagnostic", stderr.len());
    assert!(stderr.contains(r#""min_size":"two""#), "{stderr}");
    // serde_json reports the position of the value's last character.
    let column = text.find("\"two\"").unwrap() + "\"two\"".len();
    assert!(
        stderr.contains(&format!("snap.json:1:{column}")),
        "{stderr}"
    );
    for line in stderr.lines() {
        assert!(line.chars().count() < 200, "{line}");
    }
}
