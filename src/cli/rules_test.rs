//! `drguard rules test DIR`: each of the user's rules against its fixtures,
//! `<ID>/pass*.json` and `<ID>/fail*.json` (JSON Patch over a base snapshot),
//! judged exactly as the built-in rules' fixtures are.

use std::fmt::Write;
use std::path::{Path, PathBuf};

use clap::Args;
use miette::miette;

use super::emit;
use crate::audit::fixtures::{self, Base, Expect};
use crate::audit::{Engine, ExitStatus};
use crate::config::Config;
use crate::rules;
use crate::source::SourceFile;

/// Arguments of `drguard rules test`.
#[derive(Debug, Args)]
pub struct TestArgs {
    /// Folder of rule files to test (its `.toml` files, recursively).
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
    /// Folder holding one `<ID>/` folder of fixtures per rule [default: DIR, else
    /// `fixtures/rules` beside DIR, the layout `drguard rules new` writes].
    #[arg(long, value_name = "DIR")]
    pub fixtures: Option<PathBuf>,
    /// Base snapshot the fixtures patch [default: the bundled example].
    #[arg(long, value_name = "FILE")]
    pub snapshot: Option<PathBuf>,
    /// Base config a fixture's `config` is appended to [default: the bundled example's].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

/// Runs every fixture; exit 0 when all are met, 1 when one is not, 2 when
/// the rules, the base or a fixture cannot be loaded.
pub fn run(args: TestArgs) -> miette::Result<ExitStatus> {
    let base = base(&args)?;
    let config = base
        .config()
        .map_err(|e| usage(format!("the base config: {e}")))?;
    let dirs = vec![args.dir.clone()];
    // DIR's files stand for the built-in ones they copy: the catalog itself
    // can be tested while it is edited (`drguard rules test rules`).
    let load = |config: Config| -> miette::Result<Engine> {
        let rules = rules::load::load_standing_for_builtins(&config, &dirs)?;
        let model = crate::budget::load(&config)?;
        Ok(Engine::new(config, rules, model))
    };
    let engine = load(config)?;
    let load_for_fixture = |config: Config| load(config).map_err(|e| format!("{e:?}"));
    let rules: Vec<_> = engine
        .rules()
        .rules
        .iter()
        .filter(|r| !r.builtin && Path::new(&r.origin).starts_with(&args.dir))
        .collect();
    if rules.is_empty() {
        return Err(usage(format!(
            "no rule file under `{}`",
            args.dir.display()
        )));
    }
    let as_of = crate::waivers::today_utc();
    let mut out = String::new();
    let (mut met, mut failed) = (0usize, 0usize);
    for rule in &rules {
        let candidates = fixture_folders(&args, &rule.id);
        let Some(folder) = candidates.iter().find(|p| p.is_dir()) else {
            failed += 1;
            let _ = writeln!(
                out,
                "FAIL  {}: no fixture folder (looked for {})",
                rule.id,
                candidates
                    .iter()
                    .map(|p| p.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            continue;
        };
        let mut files: Vec<PathBuf> = std::fs::read_dir(folder)
            .map_err(|e| usage(format!("cannot read `{}`: {e}", folder.display())))?
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        files.sort();
        let mut seen = (false, false);
        for path in &files {
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
            let name = name.unwrap_or_default();
            let Some(expect) = Expect::of(path) else {
                failed += 1;
                let _ = writeln!(
                    out,
                    "FAIL  {} {name}: a fixture is named pass[-VARIANT].json or fail[-VARIANT].json",
                    rule.id
                );
                continue;
            };
            match expect {
                Expect::Pass => seen.0 = true,
                Expect::Fail => seen.1 = true,
            }
            let outcome = fixtures::load(path, &base).and_then(|fixture| {
                fixtures::run(
                    &engine,
                    &load_for_fixture,
                    &fixture,
                    &rule.id,
                    expect,
                    as_of,
                )
                .map(|run| (fixture.description, run))
            });
            match outcome {
                Ok((description, run)) => match run.problem {
                    None => {
                        met += 1;
                        let _ = writeln!(out, "ok    {} {name}: {description}", rule.id);
                    }
                    Some(problem) => {
                        failed += 1;
                        let _ = writeln!(out, "FAIL  {} {name}: {problem}", rule.id);
                        for result in run.results {
                            let _ = writeln!(out, "        {result}");
                        }
                    }
                },
                Err(err) => {
                    failed += 1;
                    let _ = writeln!(out, "FAIL  {} {name}: {err}", rule.id);
                }
            }
        }
        for (present, kind) in [(seen.0, "pass"), (seen.1, "fail")] {
            if !present {
                failed += 1;
                let _ = writeln!(
                    out,
                    "FAIL  {}: no {kind} fixture ({kind}.json or {kind}-VARIANT.json in {})",
                    rule.id,
                    folder.display()
                );
            }
        }
    }
    let _ = writeln!(
        out,
        "\n{}: {} rule(s), {met} fixture(s) met, {failed} problem(s)",
        if failed == 0 { "ok" } else { "FAILED" },
        rules.len()
    );
    emit(&out, None)?;
    Ok(if failed == 0 {
        ExitStatus::Pass
    } else {
        ExitStatus::Findings
    })
}

fn fixture_folders(args: &TestArgs, id: &str) -> Vec<PathBuf> {
    match &args.fixtures {
        Some(dir) => vec![dir.join(id)],
        None => {
            let mut folders = vec![args.dir.join(id)];
            if let Some(parent) = args.dir.parent() {
                folders.push(parent.join("fixtures/rules").join(id));
            }
            folders
        }
    }
}

fn base(args: &TestArgs) -> miette::Result<Base> {
    let mut base = Base::reference().map_err(usage)?;
    if let Some(path) = &args.snapshot {
        let file = SourceFile::read(path, "base snapshot")?;
        // Validate it as a snapshot first, for a located error.
        crate::snapshot::parse(&file)?;
        base.snapshot = serde_json::from_str(&file.text)
            .map_err(|e| usage(format!("`{}`: {e}", path.display())))?;
    }
    if let Some(path) = &args.config {
        base.config = SourceFile::read(path, "base config")?;
        base.config_dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    }
    Ok(base)
}

fn usage(message: String) -> miette::Report {
    miette!(code = "drguard::rules::test", "{message}")
}
