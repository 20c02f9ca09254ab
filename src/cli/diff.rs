//! `drguard diff OLD NEW`.

use std::path::PathBuf;
use std::str::FromStr;

use clap::Args;

use super::{at_most_one_stdout, write_reports};
use crate::budget;
use crate::config::{self, ConfigSource};
use crate::drift;
use crate::exit::ExitStatus;
use crate::link;
use crate::report::diff as render;
use crate::rules;
use crate::snapshot;

/// Output formats of `drguard diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiffFormat {
    /// Terminal text.
    Human,
    /// JSON, `schema_version` "1".
    Json,
    /// Markdown for job summaries and comments.
    Markdown,
}

/// `--format FORMAT[=PATH]` of `drguard diff`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffTarget {
    /// The format.
    pub format: DiffFormat,
    /// Where to write it; None = stdout.
    pub path: Option<PathBuf>,
}

impl FromStr for DiffTarget {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let (name, path) = crate::report::split_target(text)?;
        let format = match name {
            "human" => DiffFormat::Human,
            "json" => DiffFormat::Json,
            "markdown" => DiffFormat::Markdown,
            other => {
                return Err(format!(
                    "unknown format `{other}`; known formats: human, json, markdown"
                ));
            }
        };
        Ok(DiffTarget { format, path })
    }
}

/// Arguments of `drguard diff`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The older snapshot.
    #[arg(value_name = "OLD")]
    pub old: PathBuf,
    /// The newer snapshot.
    #[arg(value_name = "NEW")]
    pub new: PathBuf,
    /// Configuration file (its app, scope and extra rules decide which fields matter)
    /// [default: ./drguard.toml if present, else built-in defaults].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Extra rule folder whose fields also count as relevant; may repeat.
    #[arg(long = "rules", value_name = "DIR")]
    pub rules: Vec<PathBuf>,
    /// Compare every field, not only those rules read and link joins on.
    #[arg(long)]
    pub all_fields: bool,
    /// Output format, optionally to a file; repeat for several. Formats: human, json, markdown.
    #[arg(long = "format", value_name = "FORMAT[=PATH]", default_value = "human")]
    pub formats: Vec<DiffTarget>,
}

/// Compares the snapshots and their RTO/RPO estimates; exit 0 when nothing
/// relevant changed, 1 when something did.
pub fn run(args: DiffArgs) -> miette::Result<ExitStatus> {
    at_most_one_stdout(args.formats.iter().map(|t| t.path.as_ref()))?;
    let config = match &args.config {
        Some(path) => config::load(ConfigSource::Explicit(path))?,
        None => config::load(ConfigSource::Default)?,
    };
    let rule_set = rules::load_rule_set(&config, &args.rules)?;
    let model = budget::load(&config)?;
    let old = snapshot::load(&args.old)?;
    let new = snapshot::load(&args.new)?;
    let (old_topology, new_topology) = (link::link(&old, &config), link::link(&new, &config));
    let mut diff = drift::diff(
        (&old, &old_topology),
        (&new, &new_topology),
        &config,
        &rule_set,
        args.all_fields,
    );
    diff.budget = Some(drift::BudgetDelta::between(
        &budget::compute(&model, &old, &config, &old_topology),
        &budget::compute(&model, &new, &config, &new_topology),
    ));
    write_reports(args.formats.iter().map(|target| {
        let text = match target.format {
            DiffFormat::Human => render::human(&diff),
            DiffFormat::Json => render::json(&diff),
            DiffFormat::Markdown => render::markdown(&diff),
        };
        (text, target.path.as_ref())
    }))?;
    Ok(if diff.is_empty() {
        ExitStatus::Pass
    } else {
        ExitStatus::Findings
    })
}
