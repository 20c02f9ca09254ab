//! Whether the failover can complete at all: the failures of rules with
//! `blocks_failover` (a runbook step that aborts, a PRIMARY record nothing
//! can fail over, a secondary that cannot be promoted, …) make the RTO
//! "not achievable", whatever its estimate. The estimate is kept: it is what
//! the failover would take once the blockers are fixed. The audit collects
//! them from the rule results (`crate::audit`), so the budget does not
//! depend on the rules.

use serde::Serialize;

use super::Rto;

/// A finding that stops the failover from completing.
#[derive(Debug, Clone, Serialize)]
pub struct Blocker {
    /// The rule that found it.
    pub rule_id: String,
    /// The resource, as `kind id` (`app shop`).
    pub resource: String,
    /// What the rule found.
    pub message: String,
}

impl Rto {
    /// Records the findings that stop the failover, and the data sources
    /// whose gaps left a blocking check undecided; the RTO is achievable only
    /// without blockers.
    pub fn block(&mut self, blockers: Vec<Blocker>, unverified_sources: Vec<String>) {
        self.achievable = blockers.is_empty();
        self.blockers = blockers;
        self.unverified_sources = unverified_sources;
    }

    /// The blockers for messages: `DRG-SSM-003 (app shop): …; …`.
    pub fn blockers_text(&self) -> String {
        self.blockers
            .iter()
            .map(|b| format!("{} ({}): {}", b.rule_id, b.resource, b.message))
            .collect::<Vec<_>>()
            .join("; ")
    }
}
