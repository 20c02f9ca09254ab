//! `drguard diff OLD NEW`.

use std::path::PathBuf;
use std::str::FromStr;

use clap::Args;

use super::config_args::ConfigArgs;
use super::{at_most_one_stdout, serialise_error, write_reports};
use crate::audit::{Engine, ExitStatus, Fields, verdict};
use crate::report::diff as render;
use crate::snapshot;
use crate::waivers;

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
    /// The configuration (its app, scope and extra rules decide which fields matter).
    #[command(flatten)]
    pub config: ConfigArgs,
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
    let engine = Engine::load(args.config.load()?, &args.rules)?;
    let old = snapshot::load(&args.old)?;
    let new = snapshot::load(&args.new)?;
    let as_of = waivers::today_utc();
    let fields = if args.all_fields {
        Fields::All
    } else {
        Fields::Relevant
    };
    let diff = engine.diff(
        &engine.audit(&old, as_of),
        &engine.audit(&new, as_of),
        fields,
    );
    let mut reports = Vec::new();
    for target in &args.formats {
        let text = match target.format {
            DiffFormat::Human => render::human(&diff),
            DiffFormat::Json => render::json(&diff).map_err(|e| serialise_error("the diff", e))?,
            DiffFormat::Markdown => render::markdown(&diff),
        };
        reports.push((text, target.path.as_ref()));
    }
    write_reports(reports.into_iter())?;
    Ok(verdict::diff(&diff))
}
