//! The conventions a CLI user expects: completions and a man page generated
//! from the clap definitions, config discovery, `--snapshot -`, `config
//! check`, `diff` given a report, and `budget --format FORMAT=PATH`.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use clap::CommandFactory;

use crate::common;

const CONFIG: &str = "fixtures/reference/drguard.toml";
const SNAPSHOT: &str = "fixtures/reference/snapshot.json";

/// Runs the binary in `dir` with `DRGUARD_CONFIG` set or removed.
fn drguard_env(dir: &Path, args: &[&str], config_env: Option<&str>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_drguard"));
    command
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("COLUMNS", "400");
    match config_env {
        Some(value) => command.env("DRGUARD_CONFIG", value),
        None => command.env_remove("DRGUARD_CONFIG"),
    };
    command.output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn completions_are_generated_for_every_shell() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let output = common::drguard(&common::root(), &["completions", shell]);
        assert_eq!(
            output.status.code(),
            Some(0),
            "{shell}: {}",
            text(&output.stderr)
        );
        let script = text(&output.stdout);
        for word in ["audit", "budget", "rules", "snapshot", "fail-on"] {
            assert!(script.contains(word), "{shell}: {word} missing");
        }
    }
    // The bash script is valid bash.
    let script = common::drguard(&common::root(), &["completions", "bash"]).stdout;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("drguard.bash");
    std::fs::write(&path, script).unwrap();
    if let Ok(check) = Command::new("bash").arg("-n").arg(&path).output() {
        assert!(check.status.success(), "{}", text(&check.stderr));
    }
    let unknown = common::drguard(&common::root(), &["completions", "tcsh"]);
    assert_eq!(unknown.status.code(), Some(2));
}

/// docs/man/ holds one page per command, generated from the clap definitions;
/// `DRGUARD_BLESS=1 cargo test --test engine man_pages` rewrites them.
#[test]
fn man_pages_are_fresh() {
    let generated = tempfile::tempdir().unwrap();
    clap_mangen::generate_to(drguard::cli::Cli::command(), generated.path()).unwrap();
    let committed = common::root().join("docs/man");
    let names = |dir: &Path| {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .map(|entries| {
                entries
                    .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                    .filter(|n| n.ends_with(".1"))
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        names
    };
    if std::env::var_os("DRGUARD_BLESS").is_some() {
        let _ = std::fs::remove_dir_all(&committed);
        std::fs::create_dir_all(&committed).unwrap();
        for name in names(generated.path()) {
            std::fs::copy(generated.path().join(&name), committed.join(&name)).unwrap();
        }
    }
    let expected = names(generated.path());
    assert!(expected.contains(&"drguard.1".to_string()));
    assert!(
        expected.contains(&"drguard-rules-test.1".to_string()),
        "{expected:?}"
    );
    assert_eq!(
        names(&committed),
        expected,
        "docs/man/ is stale: run `DRGUARD_BLESS=1 cargo test --test engine man_pages`"
    );
    for name in &expected {
        let want = std::fs::read_to_string(generated.path().join(name)).unwrap();
        let have = std::fs::read_to_string(committed.join(name)).unwrap();
        assert!(
            want == have,
            "docs/man/{name} is stale: run `DRGUARD_BLESS=1 cargo test --test engine man_pages`"
        );
    }
}

/// `--config`, else `DRGUARD_CONFIG`, else `drguard.toml` here or in a parent
/// up to the repository root, else built-in defaults with a note on stderr.
#[test]
fn the_config_is_discovered_up_to_the_repository_root() {
    let repo = tempfile::tempdir().unwrap();
    std::fs::create_dir(repo.path().join(".git")).unwrap();
    std::fs::write(
        repo.path().join("drguard.toml"),
        "[app]\nname = \"found\"\n",
    )
    .unwrap();
    let deep = repo.path().join("a/b");
    std::fs::create_dir_all(&deep).unwrap();
    let output = drguard_env(&deep, &["config", "check"], None);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let stdout = text(&output.stdout);
    assert!(
        stdout.contains("(found from the current folder)"),
        "{stdout}"
    );
    assert!(stdout.contains("[app]      name \"found\""), "{stdout}");
    assert!(!text(&output.stderr).contains("built-in defaults"));

    // DRGUARD_CONFIG wins over discovery, --config over both.
    let reference = common::root().join(CONFIG);
    let output = drguard_env(
        &deep,
        &["config", "check"],
        Some(reference.to_str().unwrap()),
    );
    let stdout = text(&output.stdout);
    assert!(
        stdout.contains("(DRGUARD_CONFIG)") && stdout.contains("name \"shop\""),
        "{stdout}"
    );
    let own = deep.join("own.toml");
    std::fs::write(&own, "[app]\nname = \"own\"\n").unwrap();
    let output = drguard_env(
        &deep,
        &["config", "check", "--config", "own.toml"],
        Some(reference.to_str().unwrap()),
    );
    let stdout = text(&output.stdout);
    assert!(
        stdout.contains("own.toml (--config)") && stdout.contains("name \"own\""),
        "{stdout}"
    );

    // Outside a repository only the current folder counts: the parent's file
    // is not picked up, and the defaults are announced on stderr.
    let loose = tempfile::tempdir().unwrap();
    std::fs::write(
        loose.path().join("drguard.toml"),
        "[app]\nname = \"stray\"\n",
    )
    .unwrap();
    let sub = loose.path().join("sub");
    std::fs::create_dir(&sub).unwrap();
    let output = drguard_env(&sub, &["config", "check"], None);
    assert_eq!(output.status.code(), Some(0));
    assert!(text(&output.stdout).contains("config: none: built-in defaults"));
    assert!(
        text(&output.stderr)
            .contains("note: using built-in defaults: no drguard.toml here or in a parent folder"),
        "{}",
        text(&output.stderr)
    );
}

#[test]
fn config_check_fails_on_what_an_audit_would_fail_on() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("drguard.toml"),
        "[targets]\nrto = \"15x\"\n\n[[waiver]]\nrule = \"DRG-SSM-03\"\nresource = \"*\"\nreason = \"r\"\nexpires = 2027-01-01\n",
    )
    .unwrap();
    let output = drguard_env(dir.path(), &["config", "check"], None);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output.stderr).contains("= \"15x\": unexpected character"),
        "{}",
        text(&output.stderr)
    );
    std::fs::write(
        dir.path().join("drguard.toml"),
        "[[waiver]]\nrule = \"DRG-SSM-03\"\nresource = \"*\"\nreason = \"r\"\nexpires = 2027-01-01\n",
    )
    .unwrap();
    let output = drguard_env(dir.path(), &["config", "check"], None);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output.stderr).contains("did you mean \"DRG-SSM-003\""),
        "{}",
        text(&output.stderr)
    );
}

#[test]
fn a_snapshot_can_come_from_standard_input() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_drguard"))
        .args([
            "audit",
            "--config",
            CONFIG,
            "--snapshot",
            "-",
            "--format",
            "json",
        ])
        .current_dir(common::root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let snapshot = std::fs::read(common::root().join(SNAPSHOT)).unwrap();
    child.stdin.take().unwrap().write_all(&snapshot).unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    let piped: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let from_file = common::drguard(
        &common::root(),
        &[
            "audit",
            "--config",
            CONFIG,
            "--snapshot",
            SNAPSHOT,
            "--format",
            "json",
        ],
    );
    let from_file: serde_json::Value = serde_json::from_slice(&from_file.stdout).unwrap();
    assert_eq!(piped["summary"], from_file["summary"]);
    assert_eq!(piped["results"], from_file["results"]);
}

#[test]
fn diff_given_a_report_points_at_audit_baseline() {
    let report = "fixtures/reports/v1-72cf640-waived.json";
    let output = common::drguard(&common::root(), &["diff", report, SNAPSHOT]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = text(&output.stderr)
        .replace('│', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        stderr.contains("this is a drguard JSON report (`--format json`), not a snapshot"),
        "{stderr}"
    );
    assert!(
        stderr.contains("drguard audit --snapshot NEW.json --baseline REPORT.json"),
        "{stderr}"
    );
    assert!(stderr.contains("v1-72cf640-waived.json:1:1"), "{stderr}");
}

#[test]
fn budget_writes_formats_to_files_like_audit() {
    let dir = tempfile::tempdir().unwrap();
    let markdown = dir.path().join("budget.md");
    let json = dir.path().join("budget.json");
    let output = common::drguard(
        &common::root(),
        &[
            "budget",
            "--config",
            CONFIG,
            "--snapshot",
            SNAPSHOT,
            "--format",
            "human",
            "--format",
            &format!("markdown={}", markdown.display()),
            "--format",
            &format!("json={}", json.display()),
        ],
    );
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    assert!(text(&output.stdout).starts_with("RTO/RPO budget of shop"));
    assert!(
        std::fs::read_to_string(&markdown)
            .unwrap()
            .starts_with("### RTO/RPO budget of shop")
    );
    let budget: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert!(budget["rto"].is_object(), "{budget}");
    let two = common::drguard(
        &common::root(),
        &[
            "budget",
            "--config",
            CONFIG,
            "--snapshot",
            SNAPSHOT,
            "--format",
            "human",
            "--format",
            "json",
        ],
    );
    assert_eq!(two.status.code(), Some(2));
    let bad = common::drguard(
        &common::root(),
        &[
            "budget",
            "--config",
            CONFIG,
            "--snapshot",
            SNAPSHOT,
            "--format",
            "sarif",
        ],
    );
    assert_eq!(bad.status.code(), Some(2));
    assert!(text(&bad.stderr).contains("known formats: human, markdown, json"));
}
