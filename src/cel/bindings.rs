//! What the `app` and `targets` variables hold, for rules and the budget
//! model alike: one definition, so a rule message and a budget step read the
//! same names. Callers fill them from the configuration.

use std::collections::BTreeMap;

use serde::Serialize;

/// `app` in CEL: the application under audit (`[app]` and `[scope]`).
#[derive(Debug, Clone, Serialize)]
pub struct AppBinding {
    /// `app.name`.
    pub name: String,
    /// `app.domain`: the failover record set; null when not configured.
    pub domain: Option<String>,
    /// `app.primary_region`.
    pub primary_region: String,
    /// `app.dr_region`.
    pub dr_region: String,
    /// `app.runbook`: the failover runbook's name, when configured.
    pub runbook: Option<String>,
    /// `scope.tags`: the tags that put a resource in scope.
    pub scope_tags: BTreeMap<String, String>,
}

/// `targets` in CEL: the contract, in seconds and percent.
#[derive(Debug, Clone, Serialize)]
pub struct TargetsBinding {
    /// RTO target in seconds.
    pub rto: u64,
    /// RPO target in seconds.
    pub rpo: u64,
    /// The RTO target for messages (`15m`).
    pub rto_text: String,
    /// The RPO target for messages (`5m`).
    pub rpo_text: String,
    /// Availability target in percent (`99.99`).
    pub availability: f64,
    /// Failovers a year the availability arithmetic plans for.
    pub expected_failovers_per_year: f64,
}

/// A binding as JSON (the form [`super::json_val`] and [`super::to_cel`] read).
pub fn to_json<T: Serialize>(binding: &T) -> serde_json::Value {
    // Plain structs of strings and numbers always serialise; a non-finite
    // float (not representable in JSON) would become null, never a panic.
    serde_json::to_value(binding).unwrap_or(serde_json::Value::Null)
}
