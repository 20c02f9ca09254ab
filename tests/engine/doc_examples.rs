//! Docs that cannot go stale: every `drguard …` command in a fenced block of
//! README.md and docs/*.md that needs no AWS account is run against the built
//! binary, and the output a block shows after `$ drguard …` must be what the
//! command prints.
//!
//! - A command runs in a fresh folder holding the repository's `fixtures/`
//!   and every file the same page defines (a paragraph starting with the
//!   file's path in backticks and ending with `:`, followed by a fenced
//!   block). A `*.json` argument that exists nowhere is the bundled
//!   snapshot (`yesterday.json`, `today.json`), or after `--plan` the
//!   reference's no-op plan (`fixtures/plan/noop.json`), unless the command
//!   writes it.
//! - It must exit 0 or 1 (2 is a usage or input error, 3 an incomplete
//!   audit); `rules` commands must exit 0; a shown summary's `exit N` must match.
//! - Shown output: each line must be a line of the real output (at
//!   `COLUMNS=400`, so nothing wraps), except that `…` elides: each part
//!   between elisions must appear in the real output. Counts that change
//!   whenever a rule is added (passes) are elided in the docs, not pinned.
//! - Skipped: synopsis lines (placeholders such as `FILE`, `[--x]`), commands
//!   with an elided argument, and live ones (`audit`/`budget` without
//!   `--snapshot`, `snapshot`).

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common;

/// A command found in a page, with the output its block shows (if any).
struct Example {
    page: String,
    line: usize,
    args: Vec<String>,
    shown: Vec<String>,
}

/// Files a page defines: "`path`:" (or "`path` … :") right before a fenced block.
fn defined_files(text: &str) -> Vec<(String, String)> {
    let mut files = Vec::new();
    let lines: Vec<&str> = text.lines().collect();
    for (index, line) in lines.iter().enumerate() {
        let line = line.trim();
        let Some(rest) = line.strip_prefix('`') else {
            continue;
        };
        let Some((path, _)) = rest.split_once('`') else {
            continue;
        };
        if !line.ends_with(':') || path.contains(' ') || !path.contains('.') {
            continue;
        }
        // The next non-empty line opens a fence.
        let mut next = index + 1;
        while lines.get(next).is_some_and(|l| l.trim().is_empty()) {
            next += 1;
        }
        if !lines.get(next).is_some_and(|l| l.starts_with("```")) {
            continue;
        }
        let body: Vec<&str> = lines[next + 1..]
            .iter()
            .take_while(|l| !l.starts_with("```"))
            .copied()
            .collect();
        files.push((path.to_string(), body.join("\n") + "\n"));
    }
    files
}

fn examples(page: &str, text: &str) -> Vec<Example> {
    let mut found = Vec::new();
    let lines: Vec<&str> = text.lines().collect();
    let mut index = 0;
    while index < lines.len() {
        if !lines[index].starts_with("```") {
            index += 1;
            continue;
        }
        let start = index + 1;
        let mut end = start;
        while end < lines.len() && !lines[end].starts_with("```") {
            end += 1;
        }
        let block = &lines[start..end.min(lines.len())];
        for (offset, raw) in block.iter().enumerate() {
            let line = raw.trim();
            let (prompt, command) = match line.strip_prefix("$ ") {
                Some(rest) => (true, rest),
                None => (false, line),
            };
            let command = command
                .strip_prefix("cargo run --release -- ")
                .map(|rest| format!("drguard {rest}"))
                .unwrap_or_else(|| command.to_string());
            if !command.starts_with("drguard ") {
                continue;
            }
            let command = command.split(" #").next().unwrap_or_default().trim();
            let args: Vec<String> = command
                .split_whitespace()
                .skip(1)
                .map(str::to_string)
                .collect();
            // The shown output: the rest of the block after a `$ ` prompt.
            let shown = if prompt {
                block[offset + 1..]
                    .iter()
                    .take_while(|l| !l.starts_with("$ "))
                    .map(|l| l.to_string())
                    .collect()
            } else {
                Vec::new()
            };
            found.push(Example {
                page: page.to_string(),
                line: start + offset + 1,
                args,
                shown,
            });
        }
        index = end + 1;
    }
    found
}

/// Why an example is not run, or None to run it.
fn skip_reason(args: &[String]) -> Option<&'static str> {
    let synopsis = args.iter().any(|a| {
        a.starts_with('[')
            || a.ends_with("...")
            || (a.len() > 1 && a.chars().all(|c| c.is_ascii_uppercase() || c == '_'))
    });
    if synopsis {
        return Some("synopsis");
    }
    if args.iter().any(|a| a.contains('…')) {
        return Some("elided arguments");
    }
    let has = |flag: &str| args.iter().any(|a| a == flag);
    match args.first().map(String::as_str) {
        Some("snapshot") => Some("live"),
        Some("audit" | "budget") if !has("--snapshot") => Some("live"),
        _ => None,
    }
}

/// Paths a command writes: `--format X=PATH`, `--output PATH`, `--output-dir DIR`.
fn outputs(args: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for (index, arg) in args.iter().enumerate() {
        if let Some((_, path)) = arg.split_once('=') {
            out.push(path.to_string());
        }
        if matches!(arg.as_str(), "--output" | "--output-dir") {
            out.extend(args.get(index + 1).cloned());
        }
    }
    out
}

fn workspace(files: &[(String, String)], args: &[String]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = common::root();
    std::os::unix::fs::symlink(root.join("fixtures"), dir.path().join("fixtures")).unwrap();
    for (path, body) in files {
        let target = dir.path().join(path);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(target, body).unwrap();
    }
    let written = outputs(args);
    for (index, arg) in args.iter().enumerate() {
        let path = dir.path().join(arg);
        if arg.ends_with(".json") && !path.exists() && !written.contains(arg) {
            // A plan stands for the no-op plan of the reference architecture.
            let source = if index > 0 && args[index - 1] == "--plan" {
                "fixtures/plan/noop.json"
            } else {
                "fixtures/reference/snapshot.json"
            };
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::copy(root.join(source), &path).unwrap();
        }
    }
    dir
}

fn pages() -> Vec<PathBuf> {
    let root = common::root();
    let mut pages = vec![root.join("README.md")];
    let mut docs: Vec<PathBuf> = std::fs::read_dir(root.join("docs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    docs.sort();
    pages.extend(docs);
    pages
}

/// Runs of whitespace as one space: a report wrapped at another width reads the same.
fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Each shown line is a line of `actual`, or (wrapped at another width) a
/// run of its words; around `…`, each part appears in it.
fn shown_problems(shown: &[String], actual: &str) -> Vec<String> {
    let lines: Vec<&str> = actual.lines().map(str::trim).collect();
    let words = collapse(actual);
    let mut problems = Vec::new();
    for line in shown {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed == "…" {
            continue;
        }
        if trimmed.contains('…') {
            for part in trimmed.split('…').map(str::trim).filter(|p| !p.is_empty()) {
                if !words.contains(&collapse(part)) {
                    problems.push(format!("not in the output: {part:?} (of {trimmed:?})"));
                }
            }
        } else if !lines.contains(&trimmed) && !words.contains(&collapse(trimmed)) {
            problems.push(format!("not a line of the output: {trimmed:?}"));
        }
    }
    problems
}

#[test]
fn command_examples_in_the_docs_run_and_show_true_output() {
    let mut problems = Vec::new();
    let mut ran = Vec::new();
    let mut checked_lines = 0;
    for page in pages() {
        let text = std::fs::read_to_string(&page).unwrap();
        let name = page
            .strip_prefix(common::root())
            .unwrap()
            .display()
            .to_string();
        let files = defined_files(&text);
        for example in examples(&name, &text) {
            if skip_reason(&example.args).is_some() {
                continue;
            }
            let dir = workspace(&files, &example.args);
            let output = Command::new(env!("CARGO_BIN_EXE_drguard"))
                .args(&example.args)
                .current_dir(dir.path())
                .env("NO_COLOR", "1")
                .env("COLUMNS", "400")
                .env_remove("DRGUARD_CONFIG")
                .output()
                .unwrap();
            let at = format!(
                "{}:{}: drguard {}",
                example.page,
                example.line,
                example.args.join(" ")
            );
            let code = output.status.code();
            let stdout = String::from_utf8_lossy(&output.stdout);
            let stderr = String::from_utf8_lossy(&output.stderr);
            let expected_ok = if example.args.first().is_some_and(|a| a == "rules") {
                code == Some(0)
            } else {
                matches!(code, Some(0 | 1))
            };
            if !expected_ok {
                problems.push(format!("{at}: exit {code:?}\n{stderr}"));
                continue;
            }
            if let Some(shown_exit) = example
                .shown
                .iter()
                .find_map(|l| l.split(" · exit ").nth(1))
                .and_then(|rest| rest.split_whitespace().next())
                && Some(shown_exit) != code.map(|c| c.to_string()).as_deref()
            {
                problems.push(format!(
                    "{at}: the page shows exit {shown_exit}, the command exits {code:?}"
                ));
            }
            for problem in shown_problems(&example.shown, &stdout) {
                problems.push(format!("{at}: {problem}"));
            }
            checked_lines += example.shown.len();
            ran.push(at);
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
    // The examples this test exists for are found (a change to the pages or to
    // the extraction cannot silently leave nothing to check).
    for expected in ["README.md", "docs/writing-rules.md", "docs/budget.md"] {
        assert!(
            ran.iter().any(|r| r.starts_with(expected)),
            "no example of {expected} ran: {ran:#?}"
        );
    }
    assert!(ran.len() >= 8, "{ran:#?}");
    assert!(
        checked_lines >= 40,
        "only {checked_lines} shown lines checked"
    );
}

#[test]
fn elided_output_checks_each_part() {
    let actual =
        "FAIL: 8 failed (1 critical), 0 not evaluated, 36 passed · exit 1\n  step  start\n";
    assert!(
        shown_problems(
            &["FAIL: 8 failed (1 critical), … passed · exit 1".into()],
            actual
        )
        .is_empty()
    );
    assert_eq!(
        shown_problems(&["FAIL: 9 failed (1 critical), … passed".into()], actual).len(),
        1
    );
    assert!(shown_problems(&["step  start".into()], actual).is_empty());
    assert!(shown_problems(&["0 not evaluated, 36".into()], actual).is_empty());
    assert_eq!(
        shown_problems(&["0 not evaluated, 37".into()], actual).len(),
        1
    );
    let _ = Path::new(".");
}

/// Every `[[rule]]` shown in a TOML block of the docs loads: fields, CEL,
/// params and templates as a user would copy them (alone, so a built-in rule
/// quoted in the docs does not clash with itself).
#[test]
fn rule_examples_in_the_docs_load() {
    let mut loaded = 0;
    for page in pages() {
        let text = std::fs::read_to_string(&page).unwrap();
        for (index, block) in text.split("```toml\n").skip(1).enumerate() {
            let body = block.split("```").next().unwrap_or_default();
            if !body.contains("[[rule]]") {
                continue;
            }
            let name = format!("{} (TOML block {})", page.display(), index + 1);
            let file = drguard::source::SourceFile::new(name.clone(), body.to_string());
            if let Err(err) = drguard::rules::load::parse_rule_files(
                vec![file],
                &drguard::config::Config::default(),
            ) {
                panic!("{name} does not load: {err:?}");
            }
            loaded += 1;
        }
    }
    assert!(loaded >= 3, "only {loaded} rule examples found");
}
