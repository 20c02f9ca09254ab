//! `drguard budget`.

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::config_args::ConfigArgs;
use super::live::LiveArgs;
use super::{emit, serialise_error};
use crate::audit::{Engine, ExitStatus, FailOn, Gate, verdict};
use crate::report;
use crate::snapshot;
use crate::waivers;

/// Arguments of `drguard budget`.
#[derive(Debug, Args)]
pub struct BudgetArgs {
    /// Compute the budget of a saved snapshot instead of collecting from the live account.
    #[arg(long, value_name = "FILE")]
    pub snapshot: Option<PathBuf>,
    /// The configuration.
    #[command(flatten)]
    pub config: ConfigArgs,
    /// Output: a timeline for terminals, Markdown tables, or the JSON `budget` section.
    #[arg(long, value_enum, default_value_t = BudgetFormat::Human)]
    pub format: BudgetFormat,
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BudgetFormat {
    /// Timeline, sources, RPO, availability and verdict.
    Human,
    /// Markdown for job summaries: a Gantt chart of the timeline, tables, claims and verdict.
    Markdown,
    /// The JSON report's `budget` section.
    Json,
}

/// Computes and shows the budget; the exit code follows the rules that judge
/// the budget (DRG-BUD-*), waivers applied as in `audit`.
pub fn run(args: BudgetArgs) -> miette::Result<ExitStatus> {
    let engine = Engine::load(args.config.load()?, &[])?;
    let snapshot = match &args.snapshot {
        Some(path) => snapshot::load(path)?,
        None => args.live.collect(engine.config())?,
    };
    for warning in crate::audit::preflight::check(engine.config(), &snapshot)? {
        eprintln!("warning: {warning}");
    }
    let audit = engine.audit(&snapshot, waivers::today_utc());
    // The budget's own verdict: the rules that judge it (DRG-BUD-*).
    let rows: Vec<_> = audit
        .rows(None)
        .into_iter()
        .filter(|row| row.rule.uses_budget())
        .collect();
    let text = match args.format {
        BudgetFormat::Human => report::budget::render_human(
            &audit.budget,
            engine.config(),
            &rows,
            report::text::width(std::io::stdout().is_terminal()),
        ),
        BudgetFormat::Markdown => {
            report::markdown::budget::render(&audit.budget, engine.config(), &rows)
        }
        BudgetFormat::Json => report::json::to_pretty(&report::json::budget_v1(&audit.budget))
            .map_err(|e| serialise_error("the budget", e))?,
    };
    emit(&text, None)?;
    let gate = Gate {
        fail_on: args.fail_on,
        allow_incomplete: args.allow_incomplete,
        fail_on_new: false,
    };
    Ok(verdict::budget(&rows, &gate))
}
