//! Drift: the comparison with `--baseline` (`drift` of the report) and the
//! difference between two snapshots (`drift.changes`, and the whole of
//! `drguard diff --format json`).

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::ToolV1;
use crate::vocab::{Severity, Status, fingerprint};

/// The comparison with the baseline.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct DriftV1 {
    /// Which baseline, and each state's count.
    pub baseline: BaselineV1,
    /// Resource changes since the baseline snapshot (null for a report baseline).
    pub changes: Option<DiffV1>,
}

/// The baseline and what became of its findings.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct BaselineV1 {
    /// The file given.
    pub source: String,
    /// `report` or `snapshot`.
    #[schemars(extend("enum" = ["report", "snapshot"]))]
    pub kind: String,
    /// When the baseline's snapshot was captured.
    pub captured_at: String,
    /// Results (and gone findings) per state.
    pub counts: StateCountsV1,
    /// Findings of the baseline with no result now (resource or rule gone).
    pub gone: Vec<GoneV1>,
    /// Findings of the baseline whose rule could not be evaluated now (not closed).
    pub not_evaluated: Vec<PriorResultV1>,
}

/// Results per baseline state.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, schemars::JsonSchema)]
pub struct StateCountsV1 {
    /// New.
    pub new: usize,
    /// Unchanged.
    pub unchanged: usize,
    /// Updated.
    pub updated: usize,
    /// Absent (fixed now, or gone).
    pub absent: usize,
}

/// The identity and evidence of a result: the fields a baseline is matched
/// on. Every row of a v1 report's `results` has them, so `audit --baseline
/// REPORT` reads each row as this type (other fields are ignored).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PriorResultV1 {
    /// Rule id.
    pub rule_id: String,
    /// Severity then.
    pub severity: Severity,
    /// Status then (after waivers).
    pub status: Status,
    /// Region, or `global`.
    pub region: String,
    /// Resource type.
    pub resource_type: String,
    /// Resource short id.
    pub resource_id: String,
    /// Resource ARN.
    pub resource_arn: String,
    /// The message shown then.
    pub message: String,
}

impl PriorResultV1 {
    /// Its fingerprint (rule id + ARN).
    pub fn fingerprint(&self) -> String {
        fingerprint(&self.rule_id, &self.resource_arn)
    }

    /// A `fail` or `waived` result: a finding a baseline tracks.
    pub fn is_finding(&self) -> bool {
        self.status.is_finding()
    }
}

/// A baseline finding with no result now.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct GoneV1 {
    /// The finding as the baseline had it.
    #[serde(flatten)]
    pub result: PriorResultV1,
    /// Its fingerprint.
    pub fingerprint: String,
    /// Always `absent`.
    #[schemars(extend("enum" = ["absent"]))]
    pub baseline_state: String,
}

/// `drguard diff --format json`: the difference, with its version and writer.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct DiffReportV1 {
    /// `"1"`.
    pub schema_version: String,
    /// The writer.
    pub tool: ToolV1,
    /// The difference.
    #[serde(flatten)]
    pub diff: DiffV1,
}

/// The difference between two snapshots.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct DiffV1 {
    /// The old snapshot.
    pub old: SideV1,
    /// The new snapshot.
    pub new: SideV1,
    /// True when every field was compared, not only those rules read.
    pub all_fields: bool,
    /// Counts per kind of change.
    pub summary: DiffCountsV1,
    /// Every changed resource, by type, region and id.
    pub changes: Vec<ChangeV1>,
    /// The change in the RTO/RPO estimate.
    pub budget: Option<BudgetDeltaV1>,
}

/// Which snapshot a side is.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SideV1 {
    /// Capture time.
    pub captured_at: String,
    /// Account id.
    pub account_id: String,
    /// Calls that failed when the snapshot was collected.
    pub gaps: Vec<String>,
}

/// Changes per kind.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, schemars::JsonSchema)]
pub struct DiffCountsV1 {
    /// Added.
    pub added: usize,
    /// Removed.
    pub removed: usize,
    /// Changed.
    pub changed: usize,
    /// Replaced.
    pub replaced: usize,
}

/// One resource that changed.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ChangeV1 {
    /// `added`, `removed`, `changed` or `replaced`.
    #[schemars(extend("enum" = ["added", "removed", "changed", "replaced"]))]
    pub change: String,
    /// Resource type.
    pub resource_type: String,
    /// Region, or `global`.
    pub region: String,
    /// Short id.
    pub resource_id: String,
    /// ARN (the new one for a replaced resource).
    pub resource_arn: String,
    /// The old ARN of a replaced resource.
    pub previous_arn: Option<String>,
    /// Field-level changes.
    pub fields: Vec<FieldChangeV1>,
}

/// One field's values before and after.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct FieldChangeV1 {
    /// Path inside the resource (`replication.rules[0].status`).
    pub path: String,
    /// Old value (null when absent).
    pub before: Value,
    /// New value (null when absent).
    pub after: Value,
}

/// The change in the RTO/RPO estimate.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct BudgetDeltaV1 {
    /// RTO estimate.
    pub rto: FigureV1,
    /// RTO worst case.
    pub rto_worst_case: FigureV1,
    /// RPO estimate.
    pub rpo: FigureV1,
    /// Guaranteed RPO.
    pub rpo_guaranteed: FigureV1,
    /// Nominal critical path on the old snapshot.
    pub old_critical_path: Vec<String>,
    /// Nominal critical path on the new snapshot.
    pub new_critical_path: Vec<String>,
    /// Steps whose duration changed.
    pub steps: Vec<StepChangeV1>,
    /// Stores whose figures changed.
    pub stores: Vec<StoreChangeV1>,
    /// Expressions that failed on either side.
    pub errors: Vec<String>,
}

/// One figure before and after.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, schemars::JsonSchema)]
pub struct FigureV1 {
    /// Seconds on the old snapshot.
    pub old_seconds: Option<f64>,
    /// Seconds on the new snapshot.
    pub new_seconds: Option<f64>,
    /// `new - old` when both exist.
    pub delta_seconds: Option<f64>,
}

/// A failover step whose duration moved.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct StepChangeV1 {
    /// Step id.
    pub id: String,
    /// What happens.
    pub title: String,
    /// Nominal duration.
    pub nominal: FigureV1,
    /// Worst-case duration.
    pub worst_case: FigureV1,
    /// Where the figure comes from.
    pub source: String,
}

/// A data store whose RPO figures moved.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct StoreChangeV1 {
    /// Store id.
    pub id: String,
    /// What it is.
    pub title: String,
    /// Guaranteed bound.
    pub guaranteed: FigureV1,
    /// Measured maximum loss.
    pub measured: FigureV1,
    /// The store exists on the old snapshot.
    pub in_old: bool,
    /// The store exists on the new snapshot.
    pub in_new: bool,
    /// Where the figures come from.
    pub source: String,
}
