//! The command line: clap definitions and one file per subcommand.

mod audit;
mod budget;
mod completions;
mod config_args;
mod config_check;
mod config_live;
mod diff;
mod init;
mod live;
mod rules;
mod rules_test;
mod scaffold;
mod snapshot;

pub use rules::markdown as rules_markdown;

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use crate::audit::ExitStatus;

const AFTER_HELP: &str = "\
Exit codes:
  0  every rule passed (or failed below --fail-on, or is waived)
  1  a failure at or above --fail-on (with --fail-on-new: only one new since --baseline,
     or one the --plan introduces)
  2  usage, config, rule, snapshot or plan error, or live collection could not start
     (endpoint unreachable, profile not found, no or expired credentials, access denied,
     unknown region: the message names which); nothing was audited
  3  incomplete: a rule could not be evaluated (data not collected, a value known only
     after apply, or its expression failed at run time), unless --allow-incomplete

Examples:
  drguard audit                                   (live: both regions through the AWS SDK)
  drguard snapshot --output snap.json --profile prod
  drguard audit --config fixtures/reference/drguard.toml --snapshot fixtures/reference/snapshot.json
  drguard audit --snapshot snap.json --format human --format sarif=drguard.sarif --fail-on critical
  drguard audit --snapshot today.json --baseline yesterday.json --fail-on-new --format markdown
  drguard audit --plan plan.json --snapshot nightly.json --fail-on-new --format markdown=pr.md
  drguard diff yesterday.json today.json
  drguard config check --live                     (the resolved config, the account, both regions)
  drguard rules explain DRG-SSM-003
  drguard rules test my-rules/                    (your rules against their pass/fail fixtures)";

const DIFF_AFTER_HELP: &str = "\
Exit codes:
  0  nothing relevant changed (only fields no rule reads, or nothing at all)
  1  a resource was added, removed, replaced, or changed in a field that matters,
     or the RTO estimate, its critical path or the guaranteed RPO moved
  2  usage, config, rule or snapshot error

Every output ends with the RTO/RPO estimate on both snapshots and what moved it
(steps, stores); a measured replication lag that moved is shown but does not count.

Examples:
  drguard diff yesterday.json today.json
  drguard diff old.json new.json --all-fields --format json=diff.json --format markdown";

/// drguard: prove that a live AWS account still matches its warm-standby DR design.
#[derive(Debug, Parser)]
#[command(name = "drguard", version, about, long_about = None, after_help = AFTER_HELP)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Collect from AWS (or read `--snapshot FILE`), evaluate the rules and report.
    #[command(after_help = AFTER_HELP)]
    Audit(audit::AuditArgs),
    /// Compute the RTO/RPO budget: failover timeline, critical path, RPO per store.
    Budget(budget::BudgetArgs),
    /// Compare two snapshots resource by resource, and their RTO/RPO estimates (exit 0: nothing relevant changed; 1: something did).
    #[command(after_help = DIFF_AFTER_HELP)]
    Diff(diff::DiffArgs),
    /// Collect a snapshot of both regions from AWS and write it to a file.
    Snapshot(snapshot::SnapshotArgs),
    /// List, explain and check rules.
    #[command(subcommand)]
    Rules(rules::RulesCommand),
    /// Write a commented starter drguard.toml.
    Init(init::InitArgs),
    /// Check the configuration and show the values drguard resolved.
    #[command(subcommand)]
    Config(config_check::ConfigCommand),
    /// Print a shell completion script: `drguard completions bash > /etc/bash_completion.d/drguard`.
    Completions(completions::CompletionsArgs),
}

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ColorChoice {
    /// Colour on a terminal, unless NO_COLOR is set or TERM is `dumb`.
    #[default]
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

impl ColorChoice {
    /// Resolves `auto` against the terminal, `NO_COLOR` and `TERM=dumb`.
    pub fn enabled(self, is_terminal: bool) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => is_terminal && !crate::report::text::colour_forbidden(),
        }
    }
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> miette::Result<ExitStatus> {
    match cli.command {
        Command::Audit(args) => audit::run(args),
        Command::Budget(args) => budget::run(args),
        Command::Diff(args) => diff::run(args),
        Command::Rules(command) => rules::run(command),
        Command::Init(args) => init::run(args),
        Command::Snapshot(args) => snapshot::run(args),
        Command::Config(command) => config_check::run(command),
        Command::Completions(args) => completions::run(&args),
    }
}

/// Refuses more than one report on stdout (`--format` without `=PATH`) and
/// two reports to the same file (the second would silently replace the first).
pub(crate) fn at_most_one_stdout<'p>(
    paths: impl Iterator<Item = Option<&'p PathBuf>>,
) -> miette::Result<()> {
    let paths: Vec<Option<&PathBuf>> = paths.collect();
    let to_stdout = paths.iter().filter(|p| p.is_none()).count();
    if to_stdout > 1 {
        return Err(miette::miette!(
            code = "drguard::usage",
            help = "give all but one format a file: `--format human --format json=report.json`, or write them all with `--output-dir DIR`",
            "{to_stdout} formats would write to stdout at once"
        ));
    }
    let files: Vec<&PathBuf> = paths.iter().flatten().copied().collect();
    for (index, path) in files.iter().enumerate() {
        if files.iter().take(index).any(|earlier| earlier == path) {
            return Err(miette::miette!(
                code = "drguard::usage",
                help = "give each format its own file, e.g. `--format json=drguard.json --format sarif=drguard.sarif`",
                "two formats would write to `{}`: the second would replace the first",
                path.display()
            ));
        }
    }
    Ok(())
}

/// A document that could not be serialised: exit 2 with the cause, never an
/// empty or partial file.
pub(crate) fn serialise_error(what: &str, err: serde_json::Error) -> miette::Report {
    miette::miette!(
        code = "drguard::output::serialise",
        help = "this is a bug in drguard; please report it with the command line that caused it",
        "cannot serialise {what}: {err}"
    )
}

/// Writes every report, even when one fails, then returns the first failure.
pub(crate) fn write_reports<'p>(
    reports: impl Iterator<Item = (String, Option<&'p PathBuf>)>,
) -> miette::Result<()> {
    let mut first_error = None;
    for (text, path) in reports {
        if let Err(err) = emit(&text, path)
            && first_error.is_none()
        {
            first_error = Some(err);
        }
    }
    first_error.map_or(Ok(()), Err)
}

/// Writes text to stdout, or to a file.
pub(crate) fn emit(text: &str, path: Option<&PathBuf>) -> miette::Result<()> {
    use std::io::Write;
    match path {
        Some(path) => std::fs::write(path, text).map_err(|e| {
            miette::miette!(
                code = "drguard::output",
                "cannot write `{}`: {e}",
                path.display()
            )
        }),
        None => {
            let mut stdout = std::io::stdout().lock();
            match stdout
                .write_all(text.as_bytes())
                .and_then(|()| stdout.flush())
            {
                Ok(()) => Ok(()),
                // `drguard … | head`: the reader is gone, nothing to say.
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                // A full disk or a closed terminal: the report was not written.
                Err(e) => Err(miette::miette!(
                    code = "drguard::output",
                    "cannot write the report to standard output: {e}"
                )),
            }
        }
    }
}
