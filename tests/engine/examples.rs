//! The pipelines under examples/ parse as YAML, have the keys their platform
//! needs, and only use drguard flags and formats that exist.

use crate::common;

use serde_json::Value;

fn load(name: &str) -> Value {
    let text = std::fs::read_to_string(common::root().join("examples").join(name)).unwrap();
    serde_yaml_ng::from_str(&text).unwrap_or_else(|e| panic!("{name} is not valid YAML: {e}"))
}

/// Every `run`/`script` line of a workflow or job.
fn commands(doc: &Value) -> String {
    let mut out = String::new();
    fn walk(value: &Value, out: &mut String) {
        match value {
            Value::Object(map) => {
                for (key, child) in map {
                    if (key == "run" || key == "script" || key == "before_script")
                        && let Some(text) = child.as_str()
                    {
                        out.push_str(text);
                        out.push('\n');
                    }
                    if key == "script" || key == "before_script" {
                        for line in child.as_array().into_iter().flatten() {
                            out.push_str(line.as_str().unwrap_or_default());
                            out.push('\n');
                        }
                    }
                    walk(child, out);
                }
            }
            Value::Array(items) => items.iter().for_each(|i| walk(i, out)),
            _ => {}
        }
    }
    walk(doc, &mut out);
    out
}

/// The `drguard audit` command lines (continuation lines joined).
fn audit_commands(commands: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    for line in commands.lines() {
        if let Some(command) = current.as_mut() {
            command.push(' ');
            command.push_str(line.trim().trim_end_matches('\\'));
        } else if let Some(index) = line.find("drguard audit") {
            current = Some(line[index..].trim().trim_end_matches('\\').to_string());
        }
        if !line.trim_end().ends_with('\\')
            && let Some(done) = current.take()
        {
            out.push(done);
        }
    }
    out
}

/// Checks that every `drguard audit` flag and `--format` value used exists.
fn drguard_flags_exist(commands: &str) {
    let help = common::drguard(&common::root(), &["audit", "--help"]);
    let help = String::from_utf8(help.stdout).unwrap();
    let formats: Vec<&str> = <drguard::report::Format as strum::VariantNames>::VARIANTS.to_vec();
    let audits = audit_commands(commands);
    assert!(!audits.is_empty(), "no drguard audit command in {commands}");
    for command in audits {
        let words: Vec<&str> = command.split_whitespace().collect();
        for (index, word) in words.iter().enumerate() {
            if let Some(flag) = word.strip_prefix("--") {
                let flag = flag.split('=').next().unwrap_or_default();
                assert!(
                    help.contains(&format!("--{flag} ")) || help.contains(&format!("--{flag}\n")),
                    "unknown flag --{flag} in `{command}`"
                );
            }
            if *word == "--format" {
                let value = words.get(index + 1).copied().unwrap_or_default();
                let name = value.split('=').next().unwrap_or_default();
                assert!(
                    formats.contains(&name),
                    "unknown format {value} in `{command}`"
                );
            }
        }
    }
}

fn steps(doc: &Value, job: &str) -> Vec<Value> {
    doc["jobs"][job]["steps"].as_array().unwrap().clone()
}

fn uses<'a>(steps: &'a [Value], action: &str) -> &'a Value {
    steps
        .iter()
        .find(|s| s["uses"].as_str().is_some_and(|u| u.starts_with(action)))
        .unwrap_or_else(|| panic!("no step uses {action}"))
}

#[test]
fn github_nightly_audit() {
    let doc = load("github-nightly-audit.yml");
    assert!(doc["on"]["schedule"][0]["cron"].is_string(), "runs nightly");
    assert_eq!(doc["permissions"]["id-token"], "write", "OIDC");
    assert_eq!(
        doc["permissions"]["security-events"], "write",
        "SARIF upload"
    );
    let steps = steps(&doc, "audit");
    let aws = uses(&steps, "aws-actions/configure-aws-credentials");
    assert!(
        aws["with"]["role-to-assume"]
            .as_str()
            .unwrap()
            .contains("matrix.role")
    );
    let sarif = uses(&steps, "github/codeql-action/upload-sarif");
    assert_eq!(sarif["with"]["sarif_file"], "drguard.sarif");
    assert!(
        sarif["with"]["category"]
            .as_str()
            .unwrap()
            .contains("matrix.account"),
        "one code-scanning category per account"
    );
    let artifact = uses(&steps, "actions/upload-artifact");
    let kept = artifact["with"]["path"].as_str().unwrap();
    assert!(kept.contains("snapshot.json") && kept.contains("drguard.json"));
    let run = commands(&doc);
    assert!(run.contains("$GITHUB_STEP_SUMMARY"));
    assert!(run.contains("--baseline baseline/snapshot.json"));
    assert!(
        run.contains("gh run download"),
        "yesterday's artifact is the baseline"
    );
    for format in [
        "sarif=drguard.sarif",
        "markdown=drguard.md",
        "json=drguard.json",
    ] {
        assert!(run.contains(&format!("--format {format}")), "{format}");
    }
    drguard_flags_exist(&run);
}

#[test]
fn github_release_gate() {
    let doc = load("github-release-gate.yml");
    assert!(doc["on"].get("workflow_call").is_some() || doc["on"].get("push").is_some());
    assert_eq!(doc["permissions"]["id-token"], "write");
    let steps = steps(&doc, "dr-gate");
    uses(&steps, "aws-actions/configure-aws-credentials");
    let run = commands(&doc);
    assert!(run.contains("--fail-on high"));
    drguard_flags_exist(&run);
}

#[test]
fn gitlab_ci_junit() {
    let doc = load("gitlab-ci.yml");
    let job = &doc["drguard-audit"];
    assert_eq!(job["artifacts"]["reports"]["junit"], "drguard-junit.xml");
    assert_eq!(
        job["artifacts"]["when"], "always",
        "the report is kept when the gate fails"
    );
    assert!(job["id_tokens"]["AWS_ID_TOKEN"]["aud"].is_string(), "OIDC");
    let run = commands(job);
    assert!(run.contains("--format junit=drguard-junit.xml"));
    assert!(run.contains("AWS_WEB_IDENTITY_TOKEN_FILE"));
    drguard_flags_exist(&run);
}

#[test]
fn github_plan_gate() {
    let doc = load("github-plan-gate.yml");
    assert!(
        doc["on"]["pull_request"].is_object(),
        "runs on pull requests"
    );
    assert_eq!(
        doc["permissions"],
        serde_json::json!({}),
        "no default permissions"
    );
    let job = &doc["jobs"]["plan-gate"];
    assert_eq!(
        job["permissions"]["pull-requests"], "write",
        "the PR comment"
    );
    assert_eq!(
        job["permissions"]["security-events"], "write",
        "SARIF upload"
    );
    assert_eq!(job["permissions"]["id-token"], "write", "OIDC");
    let steps = steps(&doc, "plan-gate");
    uses(&steps, "aws-actions/configure-aws-credentials");
    let sarif = uses(&steps, "github/codeql-action/upload-sarif");
    assert_eq!(sarif["with"]["sarif_file"], "drguard.sarif");
    // Every action is pinned to a full commit SHA (zizmor fails CI otherwise).
    for step in &steps {
        if let Some(action) = step["uses"].as_str() {
            let sha = action.split('@').nth(1).unwrap_or_default();
            assert!(
                sha.len() == 40 && sha.bytes().all(|b| b.is_ascii_hexdigit()),
                "{action}"
            );
        }
    }
    let run = commands(&doc);
    assert!(run.contains("show -json plan.out > plan.json"));
    assert!(run.contains("--plan plan.json"));
    assert!(run.contains("--fail-on-new"));
    assert!(
        run.contains("--snapshot nightly/snapshot.json"),
        "the nightly artifact is the base"
    );
    assert!(run.contains("gh pr comment \"$PR\" --body-file drguard.md"));
    assert!(run.contains("sha256sum --check"), "Terraform is verified");
    drguard_flags_exist(&run);
}

#[test]
fn gitlab_plan_gate() {
    let doc = load("gitlab-plan-gate.yml");
    let job = &doc["drguard-plan-gate"];
    assert_eq!(
        job["rules"][0]["if"],
        "$CI_PIPELINE_SOURCE == \"merge_request_event\""
    );
    assert_eq!(job["artifacts"]["reports"]["junit"], "drguard-junit.xml");
    assert_eq!(job["artifacts"]["when"], "always");
    assert!(job["id_tokens"]["AWS_ID_TOKEN"]["aud"].is_string(), "OIDC");
    let run = commands(job);
    assert!(run.contains("show -json plan.out > plan.json"));
    assert!(run.contains("--plan plan.json"));
    assert!(run.contains("--fail-on-new"));
    assert!(
        run.contains("merge_requests/$CI_MERGE_REQUEST_IID/notes"),
        "MR note"
    );
    assert!(
        run.contains("jobs/artifacts/$CI_DEFAULT_BRANCH/raw/snapshot.json"),
        "nightly snapshot"
    );
    drguard_flags_exist(&run);
}

#[test]
fn the_flag_check_catches_a_typo() {
    let result = std::panic::catch_unwind(|| drguard_flags_exist("drguard audit --fail-onn high"));
    assert!(result.is_err());
    let result =
        std::panic::catch_unwind(|| drguard_flags_exist("drguard audit --format junitt=x.xml"));
    assert!(result.is_err());
}
