//! `drguard budget`.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::emit;
use super::live::LiveArgs;
use crate::budget;
use crate::config::{self, ConfigSource};
use crate::exit::{self, ExitStatus, FailOn};
use crate::link;
use crate::report;
use crate::rules::{self, Evaluation};
use crate::snapshot;

/// Arguments of `drguard budget`.
#[derive(Debug, Args)]
pub struct BudgetArgs {
    /// Compute the budget of a saved snapshot instead of collecting from the live account.
    #[arg(long, value_name = "FILE")]
    pub snapshot: Option<PathBuf>,
    /// Configuration file [default: ./drguard.toml if present, else built-in defaults].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
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
    /// Tables for job summaries.
    Markdown,
    /// The JSON report's `budget` section.
    Json,
}

/// Computes and shows the budget; the exit code follows the DRG-BUD-* rules.
pub fn run(args: BudgetArgs) -> miette::Result<ExitStatus> {
    let config = match &args.config {
        Some(path) => config::load(ConfigSource::Explicit(path))?,
        None => config::load(ConfigSource::Default)?,
    };
    let mut rule_set = rules::load_rule_set(&config, &[])?;
    rule_set.rules.retain(|r| r.id.starts_with("DRG-BUD-"));
    let model = budget::load(&config)?;
    let snapshot = match &args.snapshot {
        Some(path) => snapshot::load(path)?,
        None => args.live.collect(&config)?,
    };
    let topology = link::link(&snapshot, &config);
    let budget = budget::compute(&model, &snapshot, &config, &topology);
    let evaluation: Evaluation =
        rules::eval::evaluate_with_budget(&rule_set, &snapshot, &config, &topology, Some(&budget));
    let text = match args.format {
        BudgetFormat::Human => report::budget::render_human(&budget, &config, &evaluation),
        BudgetFormat::Markdown => report::budget::render_markdown(&budget, &config),
        BudgetFormat::Json => {
            let mut text = serde_json::to_string_pretty(&budget).unwrap_or_default();
            text.push('\n');
            text
        }
    };
    emit(&text, None)?;
    let gate = exit::Gate {
        fail_on: args.fail_on,
        allow_incomplete: args.allow_incomplete,
        fail_on_new: false,
    };
    Ok(exit::decide(&evaluation, &gate))
}
