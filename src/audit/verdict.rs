//! The exit-code policy, decided in one place.
//!
//! | code | meaning |
//! |---|---|
//! | 0 | every evaluated rule passed (or failed below `--fail-on`, or is waived) |
//! | 1 | at least one failure at or above `--fail-on` (with `--fail-on-new`: new since the baseline) |
//! | 2 | usage, config, rule or snapshot error: nothing was audited |
//! | 3 | incomplete: at least one rule could not be evaluated (data not collected, or its expression failed), unless `--allow-incomplete` |
//!
//! 3 wins over 1: an audit that could not look at everything is reported as
//! such even when it also found failures, so that a pipeline never mistakes a
//! half-run audit for an ordinary red one.
//!
//! What gates: a `fail` result at or above `--fail-on`. A `waived` result (a
//! waiver in date) never gates; a failure whose waiver has expired is a plain
//! `fail` again. With `--fail-on-new` (which needs `--baseline`) only failures
//! that are `new` since the baseline gate, so a team adopting drguard on an
//! account with known gaps is stopped by regressions only.
//!
//! `drguard budget` gates the same way on the results of the rules that
//! judge the budget only ([`budget`]); `drguard diff` exits 1 when anything
//! relevant changed ([`diff`]).

use clap::ValueEnum;

use super::ResultRow;
use crate::drift::{BaselineState, Diff};
use crate::vocab::{Severity, Status};

/// The process outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    /// 0.
    Pass,
    /// 1.
    Findings,
    /// 2.
    Usage,
    /// 3.
    Incomplete,
}

impl ExitStatus {
    /// The numeric code.
    pub fn code(self) -> u8 {
        match self {
            ExitStatus::Pass => 0,
            ExitStatus::Findings => 1,
            ExitStatus::Usage => 2,
            ExitStatus::Incomplete => 3,
        }
    }
}

/// `--fail-on`: the lowest severity that fails the run, or `none`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// Any failure, even informational.
    Info,
    /// Low and above.
    Low,
    /// Medium and above.
    Medium,
    /// High and critical (the default).
    High,
    /// Critical only.
    Critical,
    /// Never fail on findings (errors still give 3).
    None,
}

impl FailOn {
    /// The threshold severity, or None for `none`.
    pub fn threshold(self) -> Option<Severity> {
        match self {
            FailOn::Info => Some(Severity::Info),
            FailOn::Low => Some(Severity::Low),
            FailOn::Medium => Some(Severity::Medium),
            FailOn::High => Some(Severity::High),
            FailOn::Critical => Some(Severity::Critical),
            FailOn::None => None,
        }
    }

    /// Name as typed.
    pub fn as_str(self) -> &'static str {
        match self {
            FailOn::Info => "info",
            FailOn::Low => "low",
            FailOn::Medium => "medium",
            FailOn::High => "high",
            FailOn::Critical => "critical",
            FailOn::None => "none",
        }
    }
}

/// The gate an audit's results are held against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Gate {
    /// `--fail-on`.
    pub fail_on: FailOn,
    /// `--allow-incomplete`.
    pub allow_incomplete: bool,
    /// `--fail-on-new`: only failures new since the baseline gate.
    pub fail_on_new: bool,
}

impl Gate {
    /// True when this result alone would make the audit exit 1.
    pub fn trips(&self, row: &ResultRow<'_>) -> bool {
        row.status == Status::Fail
            && self
                .fail_on
                .threshold()
                .is_some_and(|threshold| row.severity >= threshold)
            && (!self.fail_on_new || row.baseline_state == Some(BaselineState::New))
    }
}

/// Decides the exit status of an audit from its report rows.
pub fn audit(rows: &[ResultRow<'_>], gate: &Gate) -> ExitStatus {
    if !gate.allow_incomplete && rows.iter().any(|r| r.status == Status::Error) {
        return ExitStatus::Incomplete;
    }
    if rows.iter().any(|r| gate.trips(r)) {
        ExitStatus::Findings
    } else {
        ExitStatus::Pass
    }
}

/// Decides the exit status of `drguard budget`: as [`audit`], over the
/// results of the rules that read the budget (DRG-BUD-*) only, so that a
/// finding elsewhere or data another rule lacks does not change it.
pub fn budget(rows: &[ResultRow<'_>], gate: &Gate) -> ExitStatus {
    let budget_rows: Vec<ResultRow<'_>> = rows
        .iter()
        .filter(|row| row.rule.uses_budget())
        .cloned()
        .collect();
    audit(&budget_rows, gate)
}

/// Decides the exit status of `drguard diff`: 1 when a resource was added,
/// removed, replaced or changed in a relevant field, or the RTO estimate,
/// its critical path or the guaranteed RPO moved; 0 otherwise.
pub fn diff(diff: &Diff) -> ExitStatus {
    if diff.is_empty() {
        ExitStatus::Pass
    } else {
        ExitStatus::Findings
    }
}

/// The one-word verdict reports print: `pass`, `fail`, `incomplete` (or
/// `error`, which an audit that reached its reports never has).
pub fn word(exit: ExitStatus) -> &'static str {
    match exit {
        ExitStatus::Pass => "pass",
        ExitStatus::Findings => "fail",
        ExitStatus::Incomplete => "incomplete",
        ExitStatus::Usage => "error",
    }
}
