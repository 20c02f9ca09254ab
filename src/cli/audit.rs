//! `drguard audit`.

use std::io::IsTerminal;
use std::path::PathBuf;

use chrono::NaiveDate;
use clap::Args;

use super::config_args::ConfigArgs;
use super::live::LiveArgs;
use super::{ColorChoice, at_most_one_stdout, serialise_error, write_reports};
use crate::audit::{Engine, ExitStatus, FailOn, Gate, verdict};
use crate::drift::BudgetDelta;
use crate::drift::baseline;
use crate::plan;
use crate::report::plan::PlanView;
use crate::report::{self, AuditResult, Format, FormatTarget};
use crate::snapshot;
use crate::vocab::Status;
use crate::waivers;

/// Arguments of `drguard audit`.
#[derive(Debug, Args)]
pub struct AuditArgs {
    /// Audit a saved snapshot (JSON written by `drguard snapshot`; `-` reads standard input)
    /// instead of collecting from the live account.
    #[arg(long, value_name = "FILE")]
    pub snapshot: Option<PathBuf>,
    /// The configuration.
    #[command(flatten)]
    pub config: ConfigArgs,
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
    /// Write every report to this folder under its default name (drguard.txt, drguard.json,
    /// drguard.sarif, drguard.junit.xml, drguard.md, drguard.ocsf.json) instead of stdout;
    /// a `--format FORMAT=PATH` keeps its own path.
    #[arg(long, value_name = "DIR")]
    pub output_dir: Option<PathBuf>,
    /// The human report lists failures and results not evaluated only, then the summary.
    #[arg(long)]
    pub failures_only: bool,
    /// A previous audit to compare with: its JSON report or its snapshot. Each result is
    /// marked new, unchanged, updated or absent by fingerprint (rule id + resource ARN).
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Gate only on failures that are new since --baseline, or, with --plan, that the plan
    /// introduces (a finding already failing in the base does not block the release).
    #[arg(long)]
    pub fail_on_new: bool,
    /// A Terraform plan (`terraform show -json plan.out`, or OpenTofu's) to audit before apply.
    /// It is overlaid on --snapshot FILE, or on a live collection with --live; alone, on the
    /// plan's own prior state (data the plan does not manage is then not applicable).
    #[arg(long, value_name = "PLAN.json")]
    pub plan: Option<PathBuf>,
    /// With --plan and no --snapshot: collect the current state live and overlay the plan on it.
    #[arg(long, requires = "plan", conflicts_with = "snapshot")]
    pub live: bool,
    /// Judge waiver expiry as of this date (YYYY-MM-DD) instead of today (UTC).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub as_of: Option<NaiveDate>,
    /// Colour in the human report.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// AWS access (live audits only).
    #[command(flatten)]
    pub aws: LiveArgs,
}

fn parse_date(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| format!("`{text}` is not a date: write YYYY-MM-DD"))
}

/// Runs the audit and writes every requested report.
pub fn run(mut args: AuditArgs) -> miette::Result<ExitStatus> {
    if let Some(dir) = &args.output_dir {
        std::fs::create_dir_all(dir).map_err(|e| {
            miette::miette!(
                code = "drguard::output",
                "cannot create `{}`: {e}",
                dir.display()
            )
        })?;
        for target in &mut args.formats {
            if target.path.is_none() {
                target.path = Some(dir.join(target.format.default_file_name()));
            }
        }
    }
    at_most_one_stdout(args.formats.iter().map(|t| t.path.as_ref()))?;
    if args.fail_on_new && args.baseline.is_none() && args.plan.is_none() {
        return Err(miette::miette!(
            code = "drguard::usage",
            help = "add `--baseline FILE` (a previous report or snapshot) or `--plan PLAN.json` (gate on what the plan introduces), or leave out --fail-on-new",
            "--fail-on-new needs something to be new against: --baseline or --plan"
        ));
    }
    let engine = Engine::load(args.config.load()?, &args.rules)?;
    // Read the plan before collecting: a wrong file fails in a second, not
    // after a live collection.
    let plan = match &args.plan {
        Some(path) => Some(plan::load(path)?),
        None => None,
    };
    let base = match (&args.snapshot, &plan, args.live) {
        (Some(path), _, _) => Some(snapshot::load(path)?),
        (None, Some(_), false) => None,
        (None, _, _) => Some(args.aws.collect(engine.config())?),
    };
    let (snapshot, plan_base, plan_summary) = match &plan {
        Some(plan) => {
            let overlaid = plan::overlay(plan, base, engine.config());
            (
                overlaid.after,
                Some(overlaid.before),
                Some(overlaid.summary),
            )
        }
        None => match base {
            Some(base) => (base, None, None),
            None => return Err(miette::miette!("no snapshot to audit")),
        },
    };
    for warning in crate::audit::preflight::check(engine.config(), &snapshot)? {
        crate::say!("warning: {warning}");
    }
    let baseline = match (&args.baseline, &plan_base) {
        (Some(path), _) => Some((path.display().to_string(), baseline::load(path)?)),
        // With a plan, the base it applies to is what "new" is measured against.
        (None, Some(base)) => Some((
            "the plan's base (before apply)".to_string(),
            baseline::Baseline::Snapshot(Box::new(base.clone())),
        )),
        (None, None) => None,
    };
    let as_of = args.as_of.unwrap_or_else(waivers::today_utc);
    let audit = engine.audit(&snapshot, as_of);
    let plan_view = match (plan_base, plan_summary) {
        (Some(base), Some(summary)) => {
            let before = engine.audit(&base, as_of);
            let failing_before = before
                .rows(None)
                .iter()
                .filter(|r| matches!(r.status, Status::Fail | Status::Error))
                .map(|r| r.fingerprint())
                .collect();
            Some(PlanView::new(
                summary,
                before.budget.clone(),
                BudgetDelta::between(&before.budget, &audit.budget),
                failing_before,
            ))
        }
        _ => None,
    };
    let comparison =
        baseline.map(|(source, baseline)| engine.compare(&audit, baseline, source, as_of));
    let rows = audit.rows(comparison.as_ref());
    let gate = Gate {
        fail_on: args.fail_on,
        allow_incomplete: args.allow_incomplete,
        fail_on_new: args.fail_on_new,
    };
    let exit = verdict::audit(&rows, &gate);
    let result = AuditResult {
        config: engine.config(),
        snapshot: &snapshot,
        rules: engine.rules(),
        rows: &rows,
        waivers: &audit.waivers.outcomes,
        baseline: comparison.as_ref(),
        gate,
        exit,
        sarif_all: args.sarif_all,
        budget: &audit.budget,
        linked: &audit.linked,
        // The terminal's width for a human report on it; 80 in a pipe or a file.
        width: report::text::width(
            std::io::stdout().is_terminal()
                && args
                    .formats
                    .iter()
                    .any(|t| t.format == Format::Human && t.path.is_none()),
        ),
        failures_only: args.failures_only,
        as_of,
        plan: plan_view.as_ref(),
    };
    let stdout_is_terminal = std::io::stdout().is_terminal();
    let mut reports = Vec::new();
    for target in &args.formats {
        let color = target.format == Format::Human
            && target.path.is_none()
            && args.color.enabled(stdout_is_terminal);
        let text = report::render(target.format, &result, color)
            .map_err(|e| serialise_error(&format!("the {} report", target.format), e))?;
        reports.push((text, target.path.as_ref()));
    }
    write_reports(reports.into_iter())?;
    Ok(exit)
}
