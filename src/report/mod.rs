//! Report writers: each a pure function of the audit result.
//!
//! [`AuditResult`] carries everything a writer may show; writers never look
//! at anything else, so the same result always renders the same bytes.

pub mod budget;
pub mod diff;
pub mod human;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod ocsf;
pub mod sarif;

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

use sha2::{Digest, Sha256};

use crate::config::Config;
use crate::drift::baseline::Comparison;
use crate::exit::{ExitStatus, Gate};
use crate::rules::{Evaluation, RuleSet, Severity, Status};
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
    /// Their results (waivers applied, baseline states set).
    pub evaluation: &'a Evaluation,
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
    /// The RTO/RPO budget, when computed.
    pub budget: Option<&'a crate::budget::Budget>,
}

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
    /// Every format with its name.
    pub const ALL: [(Format, &'static str); 6] = [
        (Format::Human, "human"),
        (Format::Json, "json"),
        (Format::Sarif, "sarif"),
        (Format::Junit, "junit"),
        (Format::Markdown, "markdown"),
        (Format::Ocsf, "ocsf"),
    ];
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = Format::ALL
            .iter()
            .find(|(format, _)| format == self)
            .map(|(_, n)| *n)
            .unwrap_or("human");
        f.write_str(name)
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
        let (name, path) = split_target(text)?;
        let format = Format::ALL
            .iter()
            .find(|(_, known)| *known == name)
            .map(|(format, _)| *format)
            .ok_or_else(|| {
                let known: Vec<&str> = Format::ALL.iter().map(|(_, n)| *n).collect();
                format!(
                    "unknown format `{name}`; known formats: {}",
                    known.join(", ")
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

/// Renders one format.
pub fn render(format: Format, result: &AuditResult<'_>, color: bool) -> String {
    match format {
        Format::Human => human::render(result, color),
        Format::Json => json::render(result),
        Format::Sarif => sarif::render(result),
        Format::Junit => junit::render(result),
        Format::Markdown => markdown::render(result),
        Format::Ocsf => ocsf::render(result),
    }
}

/// The stable identity of a rule × resource result: a hash of the rule id and
/// the resource ARN, never of the message, so rewording keeps it.
pub fn fingerprint(rule_id: &str, arn: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(rule_id.as_bytes());
    hasher.update([0u8]);
    hasher.update(arn.as_bytes());
    let digest = hasher.finalize();
    digest.iter().take(16).map(|b| format!("{b:02x}")).collect()
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
    /// Counts the evaluation's results.
    pub fn of(evaluation: &Evaluation) -> Counts {
        let mut counts = Counts::default();
        for outcome in &evaluation.outcomes {
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
pub fn failures_by_severity(evaluation: &Evaluation) -> Vec<(Severity, usize)> {
    Severity::DESCENDING
        .iter()
        .map(|severity| {
            let n = evaluation
                .outcomes
                .iter()
                .filter(|o| o.status == Status::Fail && o.severity == *severity)
                .count();
            (*severity, n)
        })
        .collect()
}

/// The one-word verdict: `pass`, `fail` or `incomplete`.
pub fn verdict(exit: ExitStatus) -> &'static str {
    match exit {
        ExitStatus::Pass => "pass",
        ExitStatus::Findings => "fail",
        ExitStatus::Incomplete => "incomplete",
        ExitStatus::Usage => "error",
    }
}

/// The path of a result's resource in reports that want a file-like name:
/// `aws/<account>/<region|global>/<service>/<resource-id>`, where the service
/// is the first part of the resource type (`elbv2` of `elbv2.load_balancer`).
pub fn resource_path(account: &str, region: &str, resource_type: &str, id: &str) -> String {
    let service = resource_type.split('.').next().unwrap_or(resource_type);
    format!("aws/{account}/{region}/{service}/{id}")
}
