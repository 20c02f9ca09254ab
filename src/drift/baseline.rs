//! `audit --baseline PREVIOUS`: each result against a previous audit.
//!
//! The previous audit is a JSON report (schema version 1) or a snapshot, which
//! the command line evaluates with the same rules, config and waiver date.
//! Results are matched by fingerprint (rule id + resource ARN): rewording a
//! message never makes a finding new, and a replaced resource (new ARN) does.
//!
//! A *finding* is a `fail` or `waived` result. For a finding now:
//! `unchanged` when it was a finding before with the same severity, status and
//! message; `updated` when it was a finding with different evidence; `new`
//! otherwise. For a `pass` or `not_applicable` result now: `absent` when it was
//! a finding before (fixed), else `unchanged`/`updated`/`new` by the same
//! comparison. An `error` result now is never `absent`: data that could not be
//! collected does not show a fix, so a finding that cannot be evaluated today
//! is `updated`. Findings of
//! the baseline with no result at all now (the resource or rule is gone) are
//! listed as `absent` in [`Comparison::gone`], except when their rule could not
//! be evaluated now: those are in [`Comparison::not_evaluated`], not closed.

// Baseline errors end the run; boxing them would add noise for no gain.
#![allow(clippy::result_large_err)]

use std::collections::HashMap;
use std::path::Path;

use miette::{Diagnostic, SourceSpan};
use serde::Deserialize;
use thiserror::Error;

use super::diff::Diff;
use crate::contract::{self, PriorResultV1};
use crate::rules::{Evaluation, Outcome, Status};
use crate::snapshot::{self, Snapshot, SnapshotError, strip_position};
use crate::source::{SourceFile, UnreadableFile};
use crate::waivers::Waivers;

/// Where a result stands against the baseline (SARIF's `baselineState` values).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BaselineState {
    /// Not in the baseline (or not a finding there, while it is one now).
    New,
    /// Same as in the baseline.
    Unchanged,
    /// Same rule and resource, different evidence.
    Updated,
    /// A finding in the baseline that is fixed or gone now.
    Absent,
}

impl BaselineState {
    /// Name in reports (also SARIF's spelling).
    pub fn as_str(self) -> &'static str {
        match self {
            BaselineState::New => "new",
            BaselineState::Unchanged => "unchanged",
            BaselineState::Updated => "updated",
            BaselineState::Absent => "absent",
        }
    }
}

/// One result of the previous audit: the contract's row identity and
/// evidence, read from a v1 report or taken from a snapshot baseline's audit.
pub type PreviousResult = PriorResultV1;

/// A result of this build as the baseline row its report would have written
/// (for snapshot baselines), with the status the report showed.
pub fn previous_result(outcome: &Outcome<'_>, status: Status) -> PreviousResult {
    PriorResultV1 {
        rule_id: outcome.rule.id.clone(),
        severity: outcome.severity,
        status,
        region: outcome.resource.region.clone(),
        resource_type: outcome.resource.kind.as_str().to_string(),
        resource_id: outcome.resource.id.clone(),
        resource_arn: outcome.resource.arn.clone(),
        message: outcome.message.clone(),
    }
}

/// What a baseline file held.
pub enum Baseline {
    /// A previous JSON report: its results as written.
    Report {
        /// When the audited snapshot was captured.
        captured_at: String,
        /// Its results.
        results: Vec<PreviousResult>,
    },
    /// A previous snapshot, to be evaluated like the current one.
    Snapshot(Box<Snapshot>),
}

/// The comparison of an audit with its baseline, as the reports show it.
#[derive(Debug, Clone)]
pub struct Comparison {
    /// The baseline file as given.
    pub source: String,
    /// `report` or `snapshot`.
    pub kind: &'static str,
    /// When the baseline's snapshot was captured.
    pub captured_at: String,
    /// Each current result's state, by fingerprint.
    pub states: HashMap<String, BaselineState>,
    /// How many results (and gone findings) are in each state.
    pub counts: StateCounts,
    /// Findings of the baseline with no result now (resource or rule gone).
    pub gone: Vec<PreviousResult>,
    /// Findings of the baseline with no result now because their rule could not be evaluated.
    pub not_evaluated: Vec<PreviousResult>,
    /// Resource changes between the two snapshots, when the baseline is a snapshot.
    pub changes: Option<Diff>,
}

impl Comparison {
    /// A result's state against the baseline.
    pub fn state(&self, outcome: &Outcome<'_>) -> Option<BaselineState> {
        self.states.get(&outcome.fingerprint()).copied()
    }
}

/// Results per baseline state.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct StateCounts {
    /// New.
    pub new: usize,
    /// Unchanged.
    pub unchanged: usize,
    /// Updated.
    pub updated: usize,
    /// Absent (fixed now, or gone).
    pub absent: usize,
}

/// A baseline file that cannot be used.
#[derive(Debug, Error, Diagnostic)]
pub enum BaselineError {
    /// The file could not be read.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Unreadable(#[from] UnreadableFile),
    /// A snapshot baseline that is not a valid snapshot.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Snapshot(#[from] SnapshotError),
    /// Not a report nor a snapshot, or a report of the wrong shape.
    #[error("baseline: {message}")]
    #[diagnostic(code(drguard::baseline::invalid), help("{help}"))]
    Invalid {
        /// What is wrong.
        message: String,
        /// How to fix it.
        help: String,
        /// The file.
        #[source_code]
        src: crate::source::Excerpt,
        /// Where.
        #[label("here")]
        span: SourceSpan,
    },
}

/// What a baseline reads of a v1 report: its version, when its snapshot was
/// captured, and each result's identity and evidence.
#[derive(Deserialize)]
struct BaselineReport {
    schema_version: String,
    captured_at: String,
    results: Vec<PriorResultV1>,
}

/// Reads a baseline: a JSON report written by `audit --format json`, or a snapshot.
pub fn load(path: &Path) -> Result<Baseline, BaselineError> {
    let file = SourceFile::read(path, "baseline")?;
    let invalid =
        |message: String, help: &str, line: usize, column: usize| BaselineError::Invalid {
            message,
            help: help.into(),
            src: file.named(),
            span: file.span(file.offset_of_byte(line, column), 1),
        };
    let value: serde_json::Value = serde_json::from_str(&file.text).map_err(|err| {
        invalid(
            format!("not valid JSON: {}", strip_position(&err)),
            "a baseline is the JSON report (`--format json=FILE`) or the snapshot of an earlier audit",
            err.line(),
            err.column(),
        )
    })?;
    let is_report = value.get("results").is_some();
    let is_snapshot = value.get("regions").is_some();
    if is_snapshot && !is_report {
        return Ok(Baseline::Snapshot(Box::new(snapshot::parse(&file)?)));
    }
    if !is_report {
        return Err(invalid(
            "neither a drguard JSON report (no `results`) nor a snapshot (no `regions`)".into(),
            "pass the JSON report of an earlier `drguard audit --format json=FILE`, or a snapshot written by `drguard snapshot`",
            1,
            1,
        ));
    }
    let mut deserializer = serde_json::Deserializer::from_str(&file.text);
    let report: BaselineReport = serde_path_to_error::deserialize(&mut deserializer).map_err(|err| {
        let path = err.path().to_string();
        let inner = err.inner();
        invalid(
            format!("{path}: {}", strip_position(inner)),
            "the baseline report must be a drguard JSON report, schema version 1, as written by `audit --format json`",
            inner.line(),
            inner.column(),
        )
    })?;
    if report.schema_version != contract::SCHEMA_VERSION {
        let offset = file.text.find("\"schema_version\"").unwrap_or(0);
        return Err(BaselineError::Invalid {
            message: format!(
                "report schema_version {:?}; this drguard compares with version \"{}\"",
                report.schema_version,
                contract::SCHEMA_VERSION
            ),
            help: "use a report written by this major version of drguard, or the snapshot of that audit".into(),
            src: file.named(),
            span: file.span(offset, "\"schema_version\"".len()),
        });
    }
    Ok(Baseline::Report {
        captured_at: report.captured_at,
        results: report.results,
    })
}

/// Each current result against the previous ones, by fingerprint. The status
/// compared is the one the report shows (a waived failure is `waived`).
pub fn compare(
    evaluation: &Evaluation<'_>,
    waivers: &Waivers,
    previous: &[PreviousResult],
) -> States {
    let by_fingerprint: HashMap<String, &PreviousResult> =
        previous.iter().map(|p| (p.fingerprint(), p)).collect();
    let mut counts = StateCounts::default();
    let mut states = HashMap::new();
    for outcome in &evaluation.outcomes {
        let key = outcome.fingerprint();
        let before = by_fingerprint.get(&key).copied();
        let status = waivers.status(outcome);
        let same_evidence = |p: &PreviousResult| {
            p.status == status && p.severity == outcome.severity && p.message == outcome.message
        };
        let compared = |p: &PreviousResult| {
            if same_evidence(p) {
                BaselineState::Unchanged
            } else {
                BaselineState::Updated
            }
        };
        let state = match (status, before) {
            (now, Some(p)) if now.is_finding() && p.is_finding() => compared(p),
            (now, _) if now.is_finding() => BaselineState::New,
            // Not evaluated now: nothing shows the finding was fixed, so it is never absent.
            (Status::Error, Some(p)) => compared(p),
            (_, Some(p)) if p.is_finding() => BaselineState::Absent,
            (_, Some(p)) => compared(p),
            (_, None) => BaselineState::New,
        };
        match state {
            BaselineState::New => counts.new += 1,
            BaselineState::Unchanged => counts.unchanged += 1,
            BaselineState::Updated => counts.updated += 1,
            BaselineState::Absent => counts.absent += 1,
        }
        states.insert(key, state);
    }
    // A rule that could not be evaluated now (a collection gap gives one rule-level
    // error instead of a result per resource) says nothing about its old findings.
    let not_evaluated_rules: std::collections::HashSet<&str> = evaluation
        .outcomes
        .iter()
        .filter(|o| o.status == Status::Error)
        .map(|o| o.rule.id.as_str())
        .collect();
    let (unknown, gone): (Vec<PreviousResult>, Vec<PreviousResult>) = previous
        .iter()
        .filter(|p| p.is_finding() && !states.contains_key(&p.fingerprint()))
        .cloned()
        .partition(|p| not_evaluated_rules.contains(p.rule_id.as_str()));
    counts.absent += gone.len();
    States {
        states,
        counts,
        gone,
        not_evaluated: unknown,
    }
}

/// What [`compare`] finds: each current result's state, and the baseline's
/// findings that have no result now.
#[derive(Debug, Clone, Default)]
pub struct States {
    /// Each current result's state, by fingerprint.
    pub states: HashMap<String, BaselineState>,
    /// Results (and gone findings) per state.
    pub counts: StateCounts,
    /// Baseline findings with no result now, their rule evaluated: fixed or gone (`absent`).
    pub gone: Vec<PreviousResult>,
    /// Baseline findings with no result now because their rule could not be evaluated:
    /// neither fixed nor still failing as far as anyone knows.
    pub not_evaluated: Vec<PreviousResult>,
}
