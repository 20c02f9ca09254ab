//! Declarative rules: TOML metadata plus CEL conditions, evaluated against a linked snapshot.
//!
//! - [`load`] reads rule files (spanned TOML → validated [`Rule`]s, CEL compiled once);
//! - [`expr`] compiles CEL and converts data into CEL values;
//! - [`eval`] runs every enabled rule over the resources it names and yields [`Outcome`]s;
//! - [`catalog`] holds the built-in rules embedded in the binary.

pub mod catalog;
pub mod eval;
pub mod expr;
pub mod load;
pub mod resources;

use clap::ValueEnum;
use serde::{Deserialize, Serialize};

pub use eval::{Evaluation, Outcome, Status, evaluate};
pub use load::{Rule, RuleError, RuleSet, load_rule_set};

/// How bad a failing rule is; ordered from least to most severe.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ValueEnum,
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
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
