//! `drguard budget`.

use std::io::IsTerminal;
use std::path::PathBuf;

use std::str::FromStr;

use clap::Args;

use super::config_args::ConfigArgs;
use super::live::LiveArgs;
use super::{at_most_one_stdout, serialise_error, write_reports};
use crate::audit::{Engine, ExitStatus, FailOn, Gate, verdict};
use crate::report;
use crate::snapshot;
use crate::waivers;

/// Arguments of `drguard budget`.
#[derive(Debug, Args)]
pub struct BudgetArgs {
    /// Compute the budget of a saved snapshot (`-` reads standard input) instead of
    /// collecting from the live account.
    #[arg(long, value_name = "FILE")]
    pub snapshot: Option<PathBuf>,
    /// The configuration.
    #[command(flatten)]
    pub config: ConfigArgs,
    /// Output format, optionally to a file; repeat for several. Formats: human (a timeline
    /// for terminals), markdown (job summaries), json (the JSON report's `budget` section).
    #[arg(long = "format", value_name = "FORMAT[=PATH]", default_value = "human")]
    pub formats: Vec<BudgetTarget>,
    /// Lowest severity of a budget finding (DRG-BUD-*) that makes the exit code 1.
    #[arg(long, value_enum, default_value_t = FailOn::High, value_name = "SEVERITY")]
    pub fail_on: FailOn,
    /// Do not exit 3 when part of the budget could not be computed.
    #[arg(long)]
    pub allow_incomplete: bool,
    /// AWS access (live budgets only).
    #[command(flatten)]
    pub live: LiveArgs,
}

/// `drguard budget --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BudgetFormat {
    /// Timeline, sources, RPO, availability and verdict.
    Human,
    /// Markdown for job summaries: a Gantt chart of the timeline, tables, claims and verdict.
    Markdown,
    /// The JSON report's `budget` section.
    Json,
}

/// `--format FORMAT[=PATH]` of `drguard budget`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BudgetTarget {
    /// The format.
    pub format: BudgetFormat,
    /// Where to write it; None = stdout.
    pub path: Option<PathBuf>,
}

impl FromStr for BudgetTarget {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let (name, path) = crate::report::split_target(text)?;
        let format = match name {
            "human" => BudgetFormat::Human,
            "markdown" => BudgetFormat::Markdown,
            "json" => BudgetFormat::Json,
            other => {
                return Err(format!(
                    "unknown format `{other}`; known formats: human, markdown, json"
                ));
            }
        };
        Ok(BudgetTarget { format, path })
    }
}

/// Computes and shows the budget; the exit code follows the rules that judge
/// the budget (DRG-BUD-*), waivers applied as in `audit`.
pub fn run(args: BudgetArgs) -> miette::Result<ExitStatus> {
    at_most_one_stdout(args.formats.iter().map(|t| t.path.as_ref()))?;
    let engine = Engine::load(args.config.load()?, &[])?;
    let snapshot = match &args.snapshot {
        Some(path) => snapshot::load(path)?,
        None => args.live.collect(engine.config())?,
    };
    for warning in crate::audit::preflight::check(engine.config(), &snapshot)? {
        crate::say!("warning: {warning}");
    }
    let audit = engine.audit(&snapshot, waivers::today_utc());
    // The budget's own verdict: the rules that judge it (DRG-BUD-*).
    let rows: Vec<_> = audit
        .rows(None)
        .into_iter()
        .filter(|row| row.rule.uses_budget())
        .collect();
    let mut reports = Vec::new();
    for target in &args.formats {
        let text = match target.format {
            BudgetFormat::Human => report::budget::render_human(
                &audit.budget,
                engine.config(),
                &rows,
                report::text::width(std::io::stdout().is_terminal() && target.path.is_none()),
            ),
            BudgetFormat::Markdown => {
                report::markdown::budget::render(&audit.budget, engine.config(), &rows)
            }
            BudgetFormat::Json => report::json::to_pretty(&report::json::budget_v1(&audit.budget))
                .map_err(|e| serialise_error("the budget", e))?,
        };
        reports.push((text, target.path.as_ref()));
    }
    write_reports(reports.into_iter())?;
    let gate = Gate {
        fail_on: args.fail_on,
        allow_incomplete: args.allow_incomplete,
        fail_on_new: false,
    };
    Ok(verdict::budget(&rows, &gate))
}
