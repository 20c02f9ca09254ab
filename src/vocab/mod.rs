//! The shared vocabulary: the closed sets of names that config, snapshots,
//! rules and reports all speak (severities, categories, result statuses,
//! data-source names, region names), and a result's identity ([`fingerprint`]).
//!
//! It is a leaf module on purpose: it imports nothing from the crate, so the
//! modules that use these words depend on it instead of on each other (the
//! config does not import the rules to read a severity, the snapshot does
//! not import the config to check a region name).

pub mod regions;
pub mod sources;

use clap::ValueEnum;
use serde::{Deserialize, Serialize};

pub use regions::is_region_name;

/// The stable identity of a rule × resource result: a hash of the rule id and
/// the resource ARN, never of the message, so rewording keeps it. Waivers,
/// baselines, SARIF's `partialFingerprints` and OCSF's finding uid key on it.
pub fn fingerprint(rule_id: &str, arn: &str) -> String {
    use sha2::{Digest, Sha256};
    let mut hasher = Sha256::new();
    hasher.update(rule_id.as_bytes());
    hasher.update([0u8]);
    hasher.update(arn.as_bytes());
    let digest = hasher.finalize();
    digest.iter().take(16).map(|b| format!("{b:02x}")).collect()
}

/// How bad a failing rule is; ordered from least to most severe.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    ValueEnum,
    schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing; never gates by default.
    Info,
    /// Minor weakness.
    Low,
    /// Weakens recovery.
    Medium,
    /// Likely breaks the RTO/RPO contract.
    High,
    /// Failover would not work.
    Critical,
}

impl Severity {
    /// Lower-case name, as in files and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    /// Every severity, most severe first (report order).
    pub const DESCENDING: [Severity; 5] = [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
        Severity::Info,
    ];
}

/// What part of the contract a rule protects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    /// Recovery time.
    Rto,
    /// Recovery point.
    Rpo,
    /// Uptime.
    Availability,
    /// DR drifting from primary.
    Drift,
    /// The failover runbook.
    Runbook,
    /// Security posture.
    Security,
}

impl Category {
    /// Lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Rto => "rto",
            Category::Rpo => "rpo",
            Category::Availability => "availability",
            Category::Drift => "drift",
            Category::Runbook => "runbook",
            Category::Security => "security",
        }
    }
}

/// The status of one rule × resource result, as reports show it.
///
/// Evaluation yields `pass`, `fail`, `error` or `not_applicable`; `waived` is
/// never evaluated, it is how a report shows a `fail` that an in-date waiver
/// covers (the evaluation itself is not changed, see `crate::waivers`).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Compliant.
    Pass,
    /// Not compliant.
    Fail,
    /// Could not be decided: data missing or the expression failed.
    Error,
    /// A waiver in date accepts the failure.
    Waived,
    /// Nothing to check (no such resource, or data skipped on purpose).
    NotApplicable,
}

impl Status {
    /// Name in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Fail => "fail",
            Status::Error => "error",
            Status::Waived => "waived",
            Status::NotApplicable => "not_applicable",
        }
    }

    /// A failure a report lists and a baseline tracks: `fail` or `waived`.
    pub fn is_finding(self) -> bool {
        matches!(self, Status::Fail | Status::Waived)
    }
}
