//! Report writers: each a pure function of the audit result.
//!
//! [`AuditResult`] carries everything a writer may show (the report rows the
//! engine joined, the budget, the baseline comparison, the decided exit
//! status); writers never look at anything else, so the same result always
//! renders the same bytes.

pub mod budget;
pub mod diff;
pub mod human;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod ocsf;
pub mod plan;
pub mod sarif;
pub mod text;
mod to_waive;

use std::path::PathBuf;
use std::str::FromStr;

use crate::audit::{ExitStatus, Gate, ResultRow};
use crate::budget::Budget;
use crate::config::Config;
use crate::drift::baseline::Comparison;
use crate::link::Linked;
use crate::rules::{RuleSet, Severity, Status};
use crate::snapshot::Snapshot;
use crate::waivers::WaiverOutcome;

/// Everything a report shows.
pub struct AuditResult<'a> {
    /// The configuration audited against.
    pub config: &'a Config,
    /// The snapshot audited.
    pub snapshot: &'a Snapshot,
    /// The rules evaluated.
    pub rules: &'a RuleSet,
    /// Every result with its waiver and baseline state (`Audit::rows`).
    pub rows: &'a [ResultRow<'a>],
    /// What each `[[waiver]]` did: active, expired or stale.
    pub waivers: &'a [WaiverOutcome],
    /// The comparison with `--baseline`, when given.
    pub baseline: Option<&'a Comparison>,
    /// The gate: `--fail-on`, `--allow-incomplete`, `--fail-on-new`.
    pub gate: Gate,
    /// The decided exit status.
    pub exit: ExitStatus,
    /// SARIF: also write passes, waived and not-applicable results.
    pub sarif_all: bool,
    /// The RTO/RPO budget.
    pub budget: &'a Budget,
    /// What link derived from the snapshot (the Markdown topology diagram
    /// draws its relations).
    pub linked: &'a Linked<'a>,
    /// The width the human report wraps at (the terminal's, else 80).
    pub width: usize,
    /// The human report lists failures and errors only (`--failures-only`).
    pub failures_only: bool,
    /// The date waivers are judged as of (`--as-of`, else today in UTC); the
    /// human report's suggested waivers run 30 days from it.
    pub as_of: chrono::NaiveDate,
    /// `--plan`: the Terraform plan audited, and its base.
    pub plan: Option<&'a plan::PlanView>,
}

/// An output format. Its names (`human`, `json`, …) are derived from the
/// variants, so there is no table to fall out of step.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    strum::Display,
    strum::EnumString,
    strum::IntoStaticStr,
    strum::VariantNames,
)]
#[strum(serialize_all = "lowercase")]
pub enum Format {
    /// Terminal text.
    Human,
    /// The frozen JSON report, schema version 1.
    Json,
    /// SARIF 2.1.0 for code scanning.
    Sarif,
    /// JUnit XML for CI test reports (GitLab, Jenkins).
    Junit,
    /// A compact Markdown summary for job summaries and merge-request comments.
    Markdown,
    /// OCSF 1.6.0 Compliance Finding events for security data lakes.
    Ocsf,
}

impl Format {
    /// The file name `--output-dir` writes the format to.
    pub fn default_file_name(self) -> &'static str {
        match self {
            Format::Human => "drguard.txt",
            Format::Json => "drguard.json",
            Format::Sarif => "drguard.sarif",
            Format::Junit => "drguard.junit.xml",
            Format::Markdown => "drguard.md",
            Format::Ocsf => "drguard.ocsf.json",
        }
    }
}

/// `--format FORMAT[=PATH]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormatTarget {
    /// The format.
    pub format: Format,
    /// Where to write it; None = stdout.
    pub path: Option<PathBuf>,
}

impl FromStr for FormatTarget {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        use strum::VariantNames;
        let (name, path) = split_target(text)?;
        let format = name.parse::<Format>().map_err(|_| {
            format!(
                "unknown format `{name}`; known formats: {}",
                Format::VARIANTS.join(", ")
            )
        })?;
        Ok(FormatTarget { format, path })
    }
}

/// Splits `FORMAT[=PATH]` into the format name and the file, if any (shared by
/// every command that writes reports).
pub fn split_target(text: &str) -> Result<(&str, Option<PathBuf>), String> {
    match text.split_once('=') {
        Some((name, "")) => Err(format!(
            "`{name}=` names no file: write `{name}=PATH`, or `{name}` for stdout"
        )),
        Some((name, path)) => Ok((name, Some(PathBuf::from(path)))),
        None => Ok((text, None)),
    }
}

/// Renders one format. The JSON-based formats fail only if a value cannot be
/// serialised; the caller reports that (exit 2) instead of writing an empty
/// or partial document.
pub fn render(
    format: Format,
    result: &AuditResult<'_>,
    color: bool,
) -> Result<String, serde_json::Error> {
    Ok(match format {
        Format::Human => human::render(result, color),
        Format::Json => json::render(result)?,
        Format::Sarif => sarif::render(result)?,
        Format::Junit => junit::render(result),
        Format::Markdown => markdown::render(result),
        Format::Ocsf => ocsf::render(result)?,
    })
}

/// Counts by status.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    /// Passed.
    pub pass: usize,
    /// Failed.
    pub fail: usize,
    /// Not evaluated.
    pub error: usize,
    /// Waived.
    pub waived: usize,
    /// Not applicable.
    pub not_applicable: usize,
}

impl Counts {
    /// Counts the results by the status reports show.
    pub fn of(rows: &[ResultRow<'_>]) -> Counts {
        let mut counts = Counts::default();
        for outcome in rows {
            match outcome.status {
                Status::Pass => counts.pass += 1,
                Status::Fail => counts.fail += 1,
                Status::Error => counts.error += 1,
                Status::Waived => counts.waived += 1,
                Status::NotApplicable => counts.not_applicable += 1,
            }
        }
        counts
    }
}

/// Failures per severity, most severe first.
pub fn failures_by_severity(rows: &[ResultRow<'_>]) -> Vec<(Severity, usize)> {
    Severity::DESCENDING
        .iter()
        .map(|severity| {
            let n = rows
                .iter()
                .filter(|o| o.status == Status::Fail && o.severity == *severity)
                .count();
            (*severity, n)
        })
        .collect()
}

/// The path of a result's resource in reports that want a file-like name:
/// `aws/<account>/<region|global>/<service>/<resource-id>`, where the service
/// is the first part of the resource type (`elbv2` of `elbv2.load_balancer`).
pub fn resource_path(account: &str, region: &str, resource_type: &str, id: &str) -> String {
    let service = resource_type.split('.').next().unwrap_or(resource_type);
    format!("aws/{account}/{region}/{service}/{id}")
}
