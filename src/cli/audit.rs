//! `drguard audit`.

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::Args;
use miette::miette;

use super::live::LiveArgs;
use super::{ColorChoice, emit};
use crate::config::{self, ConfigSource};
use crate::exit::{self, ExitStatus, FailOn};
use crate::link;
use crate::report::{self, AuditResult, Format, FormatTarget};
use crate::rules;
use crate::snapshot;

/// Arguments of `drguard audit`.
#[derive(Debug, Args)]
pub struct AuditArgs {
    /// Audit a saved snapshot (JSON written by `drguard snapshot`) instead of collecting from the live account.
    #[arg(long, value_name = "FILE")]
    pub snapshot: Option<PathBuf>,
    /// Configuration file [default: ./drguard.toml if present, else built-in defaults].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Output format, optionally to a file; repeat for several. Formats: human, json, sarif.
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
    /// SARIF: also write passed, waived and not-applicable results.
    #[arg(long)]
    pub sarif_all: bool,
    /// Colour in the human report.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// AWS access (live audits only).
    #[command(flatten)]
    pub live: LiveArgs,
}

/// Runs the audit and writes every requested report.
pub fn run(args: AuditArgs) -> miette::Result<ExitStatus> {
    let to_stdout = args.formats.iter().filter(|t| t.path.is_none()).count();
    if to_stdout > 1 {
        return Err(miette!(
            code = "drguard::usage",
            help = "give all but one format a file: `--format human --format json=report.json`",
            "{to_stdout} formats would write to stdout at once"
        ));
    }
    let config = match &args.config {
        Some(path) => config::load(ConfigSource::Explicit(path))?,
        None => config::load(ConfigSource::Default)?,
    };
    let rule_set = rules::load_rule_set(&config, &args.rules)?;
    let snapshot = match &args.snapshot {
        Some(path) => snapshot::load(path)?,
        None => args.live.collect(&config)?,
    };
    let topology = link::link(&snapshot, &config);
    let evaluation = rules::evaluate(&rule_set, &snapshot, &config, &topology);
    let exit = exit::decide(&evaluation, args.fail_on, args.allow_incomplete);
    let result = AuditResult {
        config: &config,
        snapshot: &snapshot,
        rules: &rule_set,
        evaluation: &evaluation,
        fail_on: args.fail_on,
        allow_incomplete: args.allow_incomplete,
        exit,
        sarif_all: args.sarif_all,
    };
    let mut first_error = None;
    for target in &args.formats {
        let color = target.format == Format::Human
            && target.path.is_none()
            && args.color.enabled(std::io::stdout().is_terminal());
        let text = report::render(target.format, &result, color);
        // Write every report even when one fails, then report the first failure.
        if let Err(err) = emit(&text, target.path.as_ref())
            && first_error.is_none()
        {
            first_error = Some(err);
        }
    }
    match first_error {
        Some(err) => Err(err),
        None => Ok(exit),
    }
}
