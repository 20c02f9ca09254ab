//! `drguard audit`.

use std::io::IsTerminal;
use std::path::PathBuf;

use chrono::NaiveDate;
use clap::Args;

use super::live::LiveArgs;
use super::{ColorChoice, at_most_one_stdout, write_reports};
use crate::budget;
use crate::config::{self, ConfigSource};
use crate::drift::{
    self,
    baseline::{self, Baseline, Comparison, PreviousResult},
};
use crate::exit::{self, ExitStatus, FailOn, Gate};
use crate::link;
use crate::report::{self, AuditResult, Format, FormatTarget};
use crate::rules;
use crate::snapshot::{self, Snapshot};
use crate::waivers;

/// Arguments of `drguard audit`.
#[derive(Debug, Args)]
pub struct AuditArgs {
    /// Audit a saved snapshot (JSON written by `drguard snapshot`) instead of collecting from the live account.
    #[arg(long, value_name = "FILE")]
    pub snapshot: Option<PathBuf>,
    /// Configuration file [default: ./drguard.toml if present, else built-in defaults].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Output format, optionally to a file; repeat for several. Formats: human, json, sarif, junit, markdown, ocsf.
    #[arg(long = "format", value_name = "FORMAT[=PATH]", default_value = "human")]
    pub formats: Vec<FormatTarget>,
    /// Lowest severity of a failure that makes the exit code 1 (`none`: never).
    #[arg(long, value_enum, default_value_t = FailOn::High, value_name = "SEVERITY")]
    pub fail_on: FailOn,
    /// Extra rule folder (in addition to the built-in rules and `[rules].paths`); may repeat.
    #[arg(long = "rules", value_name = "DIR")]
    pub rules: Vec<PathBuf>,
    /// Do not exit 3 when some rules could not be evaluated (they still show as errors).
    #[arg(long)]
    pub allow_incomplete: bool,
    /// SARIF: also write passed, waived (as suppressions) and not-applicable results.
    #[arg(long)]
    pub sarif_all: bool,
    /// A previous audit to compare with: its JSON report or its snapshot. Each result is
    /// marked new, unchanged, updated or absent by fingerprint (rule id + resource ARN).
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Gate only on failures that are new since --baseline (for an account with known gaps).
    #[arg(long, requires = "baseline")]
    pub fail_on_new: bool,
    /// Judge waiver expiry as of this date (YYYY-MM-DD) instead of today (UTC).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub as_of: Option<NaiveDate>,
    /// Colour in the human report.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// AWS access (live audits only).
    #[command(flatten)]
    pub live: LiveArgs,
}

fn parse_date(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| format!("`{text}` is not a date: write YYYY-MM-DD"))
}

/// Runs the audit and writes every requested report.
pub fn run(args: AuditArgs) -> miette::Result<ExitStatus> {
    at_most_one_stdout(args.formats.iter().map(|t| t.path.as_ref()))?;
    let config = match &args.config {
        Some(path) => config::load(ConfigSource::Explicit(path))?,
        None => config::load(ConfigSource::Default)?,
    };
    let rule_set = rules::load_rule_set(&config, &args.rules)?;
    let model = budget::load(&config)?;
    let snapshot = match &args.snapshot {
        Some(path) => snapshot::load(path)?,
        None => args.live.collect(&config)?,
    };
    let baseline = match &args.baseline {
        Some(path) => Some((path.display().to_string(), baseline::load(path)?)),
        None => None,
    };
    let today = args.as_of.unwrap_or_else(waivers::today_utc);
    // The current snapshot and a snapshot baseline go through the same steps.
    let audit = |snapshot: &Snapshot| {
        let topology = link::link(snapshot, &config);
        let budget = budget::compute(&model, snapshot, &config, &topology);
        let mut evaluation = rules::eval::evaluate_with_budget(
            &rule_set,
            snapshot,
            &config,
            &topology,
            Some(&budget),
        );
        let waived = waivers::apply(&mut evaluation, &config.waivers, today);
        (evaluation, waived, budget, topology)
    };
    let (mut evaluation, waived, budget, topology) = audit(&snapshot);
    let comparison = baseline.map(|(source, baseline)| {
        let (previous, captured_at, kind, changes) = match baseline {
            Baseline::Report {
                captured_at,
                results,
            } => (results, captured_at, "report", None),
            Baseline::Snapshot(before) => {
                let (before_evaluation, _, before_budget, before_topology) = audit(&before);
                let results = before_evaluation
                    .outcomes
                    .iter()
                    .map(PreviousResult::from_outcome)
                    .collect();
                let mut changes = drift::diff(
                    (&before, &before_topology),
                    (&snapshot, &topology),
                    &config,
                    &rule_set,
                    false,
                );
                changes.budget = Some(drift::BudgetDelta::between(&before_budget, &budget));
                (
                    results,
                    before.captured_at.clone(),
                    "snapshot",
                    Some(changes),
                )
            }
        };
        let leftovers = baseline::compare(&mut evaluation, &previous);
        Comparison {
            source,
            kind,
            captured_at,
            counts: leftovers.counts,
            gone: leftovers.gone,
            not_evaluated: leftovers.not_evaluated,
            changes,
        }
    });
    let gate = Gate {
        fail_on: args.fail_on,
        allow_incomplete: args.allow_incomplete,
        fail_on_new: args.fail_on_new,
    };
    let exit = exit::decide(&evaluation, &gate);
    let result = AuditResult {
        config: &config,
        snapshot: &snapshot,
        rules: &rule_set,
        evaluation: &evaluation,
        waivers: &waived,
        baseline: comparison.as_ref(),
        gate,
        exit,
        sarif_all: args.sarif_all,
        budget: Some(&budget),
    };
    let stdout_is_terminal = std::io::stdout().is_terminal();
    write_reports(args.formats.iter().map(|target| {
        let color = target.format == Format::Human
            && target.path.is_none()
            && args.color.enabled(stdout_is_terminal);
        (
            report::render(target.format, &result, color),
            target.path.as_ref(),
        )
    }))?;
    Ok(exit)
}
