//! The RTO/RPO budget section (`budget` of the report, and the whole of
//! `drguard budget --format json`).

use serde::{Deserialize, Serialize};

/// The computed budget.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct BudgetV1 {
    /// Recovery time.
    pub rto: RtoV1,
    /// Recovery point.
    pub rpo: RpoV1,
    /// Uptime arithmetic.
    pub availability: AvailabilityV1,
    /// The design's own figures, when `[budget.claims]` gives them.
    pub claims: Option<ClaimsV1>,
    /// Expressions that failed; the budget rules then report `error`.
    pub errors: Vec<String>,
    /// The model file used.
    pub model: String,
    /// The documented figures the model offers, with their sources.
    pub defaults: Vec<DefaultV1>,
    /// If the primary region is gone: each part of the failover path that
    /// only that region serves, with the budget step it blocks (what
    /// DRG-REG-001 reports). Empty when nothing depends on it; an additive
    /// field of the v1 contract, absent from older reports.
    #[serde(default)]
    pub primary_region_gone: Vec<RegionDependencyV1>,
}

/// A part of the failover that depends on the primary region.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RegionDependencyV1 {
    /// Stable id: `step/<name>`, `trigger/<rule>@<region>`,
    /// `alarm/<name>@<region>`, `runbook/<name>@<region>`, `role/<arn>`.
    pub id: String,
    /// `control_plane`, `trigger`, `alarm`, `runbook` or `role`.
    pub kind: String,
    /// What depends on the primary region.
    pub subject: String,
    /// Why it does not work with that region gone.
    pub reason: String,
    /// The budget step it blocks (`dns_switch_by_runbook`, `decision`,
    /// `automated_start`…), or `runbook` for the whole runbook.
    pub blocks: String,
}

/// The RTO estimate.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RtoV1 {
    /// Length of the critical path with nominal durations.
    pub estimate_seconds: f64,
    /// Length of the critical path with worst-case durations.
    pub worst_case_seconds: f64,
    /// True when a step has no worst-case bound: `worst_case_seconds` then
    /// only sums the stated figures. False in reports before drguard 0.2.
    #[serde(default)]
    pub worst_case_unbounded: bool,
    /// `targets.rto`.
    pub target_seconds: f64,
    /// The estimate as text (`12m30s`).
    pub estimate_text: String,
    /// The worst case as text.
    pub worst_case_text: String,
    /// Step ids on the nominal critical path, in order.
    pub critical_path: Vec<String>,
    /// Step ids on the worst-case critical path.
    pub worst_case_path: Vec<String>,
    /// The critical path as text (`detection 30s → decision 5m → …`).
    pub critical_path_text: String,
    /// The longest step on the critical path.
    pub dominant_step: Option<String>,
    /// Every step, applicable or not, in order.
    pub steps: Vec<StepV1>,
    /// False when a finding stops the failover from completing (`blockers`):
    /// the RTO is then "not achievable", and the figures above say what the
    /// failover would take once the blockers are fixed. True in reports
    /// written before drguard 0.2, which did not check.
    #[serde(default = "yes")]
    pub achievable: bool,
    /// The findings that stop the failover.
    #[serde(default)]
    pub blockers: Vec<BlockerV1>,
}

fn yes() -> bool {
    true
}

/// A finding that stops the failover from completing.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct BlockerV1 {
    /// The rule that found it.
    pub rule_id: String,
    /// The resource, as `kind id`.
    pub resource: String,
    /// What the rule found.
    pub message: String,
}

/// One failover step.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct StepV1 {
    /// Step id.
    pub id: String,
    /// What happens.
    pub title: String,
    /// False when its `when` condition is false: it takes no time.
    pub applies: bool,
    /// Nominal duration.
    pub seconds: f64,
    /// Worst-case duration.
    pub worst_case_seconds: f64,
    /// When it starts on the nominal timeline.
    pub start_seconds: f64,
    /// When it starts on the worst-case timeline.
    pub worst_case_start_seconds: f64,
    /// On the nominal critical path.
    pub on_critical_path: bool,
    /// True when its worst case has no bound.
    #[serde(default)]
    pub worst_case_unbounded: bool,
    /// Steps it waits for.
    pub after: Vec<String>,
    /// Where the figure comes from.
    pub source: String,
    /// Documentation link.
    pub url: Option<String>,
    /// What the design claims for this step.
    pub claimed_seconds: Option<f64>,
}

/// The RPO estimate.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RpoV1 {
    /// Worst store's measured (else typical) loss.
    pub estimate_seconds: f64,
    /// Worst guaranteed bound; null when any store has none.
    pub guaranteed_seconds: Option<f64>,
    /// `targets.rpo`.
    pub target_seconds: f64,
    /// The store that sets the estimate.
    pub worst_store: Option<String>,
    /// Applicable stores.
    pub stores: Vec<StoreV1>,
}

/// One data store.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct StoreV1 {
    /// Store id.
    pub id: String,
    /// What it is.
    pub title: String,
    /// Typical loss.
    pub typical_seconds: Option<f64>,
    /// Guaranteed bound (null = none).
    pub guaranteed_seconds: Option<f64>,
    /// Measured loss over the metric window.
    pub measured_seconds: Option<f64>,
    /// Where the figures come from.
    pub source: String,
    /// Documentation link.
    pub url: Option<String>,
}

/// The availability arithmetic.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AvailabilityV1 {
    /// `targets.availability`.
    pub target_percent: f64,
    /// Downtime a year the target allows.
    pub allowance_minutes_per_year: f64,
    /// Failovers a year that fit in it at the estimated RTO.
    pub failovers_per_year_affordable: Option<f64>,
    /// `targets.expected_failovers_per_year`.
    pub expected_failovers_per_year: f64,
    /// Expected failovers × estimated RTO, in minutes.
    pub expected_downtime_minutes: f64,
    /// True when the expected downtime fits the allowance.
    pub fits: bool,
    /// Expected failovers × worst-case RTO, in minutes; null when the worst
    /// case is unbounded (and in reports before drguard 0.2).
    #[serde(default)]
    pub worst_case_downtime_minutes: Option<f64>,
    /// True when the expected failovers fit even at the worst case (false in
    /// reports before drguard 0.2, which did not check).
    #[serde(default)]
    pub fits_worst_case: bool,
}

/// The design's claims.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ClaimsV1 {
    /// Where the claims come from.
    pub source: Option<String>,
    /// Claimed RTO.
    pub rto_seconds: Option<f64>,
    /// Claimed RPO.
    pub rpo_seconds: Option<f64>,
}

/// A documented figure of the model.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct DefaultV1 {
    /// Name (`defaults.NAME` in the model).
    pub name: String,
    /// Nominal seconds (null = no bound).
    pub seconds: Option<f64>,
    /// Worst-case seconds.
    pub worst_case_seconds: Option<f64>,
    /// Where it comes from.
    pub source: String,
    /// Documentation link.
    pub url: Option<String>,
}
