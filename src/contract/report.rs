//! The audit report, `schema_version` "1".

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::ToolV1;
use super::budget::BudgetV1;
use super::drift::DriftV1;
use crate::vocab::{Category, Severity, Status};

/// The drguard audit report, schema version 1.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(title = "drguard audit report (schema_version 1)")]
pub struct ReportV1 {
    /// `"1"`.
    pub schema_version: String,
    /// The writer.
    pub tool: ToolV1,
    /// The audited account.
    pub account_id: String,
    /// When the audited snapshot was captured (RFC 3339).
    pub captured_at: String,
    /// The application, as configured.
    pub app: AppV1,
    /// The contract's targets.
    pub targets: TargetsV1,
    /// Verdict and counts.
    pub summary: SummaryV1,
    /// Every rule × resource result, sorted by rule id, region, resource id.
    pub results: Vec<ResultV1>,
    /// Every configured waiver and what it did.
    pub waivers: Vec<WaiverV1>,
    /// The RTO/RPO budget.
    pub budget: Option<BudgetV1>,
    /// The comparison with `--baseline`, when given.
    pub drift: Option<DriftV1>,
    /// How the snapshot was collected.
    pub collection: CollectionV1,
    /// `audit --plan`: the plan audited and what it does to the budget.
    /// Absent without `--plan`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan: Option<PlanV1>,
}

/// `audit --plan`: the Terraform plan and its effect.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PlanV1 {
    /// The plan file as given.
    pub file: String,
    /// The plan's `format_version`.
    pub format_version: String,
    /// The Terraform (or OpenTofu) version that wrote it.
    pub terraform_version: Option<String>,
    /// `snapshot` (overlaid on a current snapshot or live collection) or
    /// `prior_state` (`--plan` alone).
    #[schemars(extend("enum" = ["snapshot", "prior_state"]))]
    pub base: String,
    /// Modelled resources the plan changes (no-ops left out).
    pub changes: Vec<PlanChangeV1>,
    /// Resource changes of types drguard does not model, by type.
    pub not_modelled: Map<String, Value>,
    /// Values known only after apply that rules read (`address.attribute`).
    pub unknown: Vec<String>,
    /// Resources whose region could not be determined, and why.
    pub unplaced: Vec<String>,
    /// Resources the plan updates or deletes that the snapshot does not hold.
    pub stale: Vec<String>,
    /// Results the plan makes fail (or unevaluable) that did not before.
    pub new_findings: usize,
    /// The RTO/RPO budget before and after the plan.
    pub budget: Option<super::drift::BudgetDeltaV1>,
}

/// One planned change to a modelled resource.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PlanChangeV1 {
    /// Terraform address.
    pub address: String,
    /// Planned action.
    pub action: String,
    /// Terraform resource type.
    pub resource_type: String,
    /// Region of the resource, or `global`.
    pub region: String,
    /// The resource's id in results.
    pub resource_id: String,
    /// The attribute changes drguard reads.
    pub attributes: Vec<String>,
}

/// The application.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AppV1 {
    /// `app.name`.
    pub name: String,
    /// `app.domain`.
    pub domain: Option<String>,
    /// `app.primary_region`.
    pub primary_region: String,
    /// `app.dr_region`.
    pub dr_region: String,
}

/// The contract's targets.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct TargetsV1 {
    /// RTO in seconds.
    pub rto_seconds: u64,
    /// RPO in seconds.
    pub rpo_seconds: u64,
    /// Availability in percent.
    pub availability_percent: f64,
}

/// The verdict and counts.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SummaryV1 {
    /// `pass`, `fail`, `incomplete` (or `error`).
    #[schemars(extend("enum" = ["pass", "fail", "incomplete", "error"]))]
    pub verdict: String,
    /// The process exit code.
    pub exit_code: u8,
    /// `--fail-on`.
    pub fail_on: String,
    /// `--fail-on-new`.
    pub fail_on_new: bool,
    /// Number of results.
    pub total: usize,
    /// Results per status.
    pub by_status: ByStatusV1,
    /// Failures per severity (`critical` … `info`).
    pub failed_by_severity: Map<String, Value>,
}

/// Results per status.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ByStatusV1 {
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

/// One rule × resource result.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ResultV1 {
    /// Rule id.
    pub rule_id: String,
    /// Rule name.
    pub rule_name: String,
    /// Rule title.
    pub title: String,
    /// Effective severity of this result.
    pub severity: Severity,
    /// Contract area.
    pub category: Category,
    /// Status as reported (after waivers).
    pub status: Status,
    /// Region, or `global`.
    pub region: String,
    /// Resource type.
    pub resource_type: String,
    /// Resource short id.
    pub resource_id: String,
    /// Resource ARN (a `drguard:` pseudo-ARN for the app, budget stores and failover dependencies).
    pub resource_arn: String,
    /// What was found.
    pub message: String,
    /// What to change (failures only).
    pub remediation: Option<String>,
    /// Rule id + ARN hash: the result's stable identity.
    pub fingerprint: String,
    /// `new`, `unchanged`, `updated` or `absent` against `--baseline`.
    #[schemars(extend("enum" = ["new", "unchanged", "updated", "absent", null]))]
    pub baseline_state: Option<String>,
    /// The waiver covering the result.
    pub waiver: Option<WaiverMarkV1>,
    /// `audit --plan`: the Terraform address of the planned resource the
    /// result judges, or of the one change that causes it. Absent without
    /// `--plan`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan_address: Option<String>,
    /// `audit --plan`: the planned action on that address (`create`,
    /// `update`, `replace`, `delete`, `forget`, `no-op`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("enum" = ["create", "update", "replace", "delete", "forget", "no-op", null]))]
    pub plan_action: Option<String>,
    /// `audit --plan`: the attribute changes that cause it
    /// (``aws_s3_bucket_replication_configuration.assets: `rule[0].destination[0].replication_time` removed``).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub plan_changes: Vec<String>,
    /// `audit --plan`: true when the plan introduces this failure or error
    /// (the base snapshot did not fail it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan_new: Option<bool>,
}

/// A waiver attached to a result.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct WaiverMarkV1 {
    /// Why the gap is accepted.
    pub reason: String,
    /// Last day the waiver applies (`YYYY-MM-DD`).
    pub expires: String,
    /// Who owns the gap, when given.
    pub owner: Option<String>,
    /// True when the waiver matched but had expired: the result stays a failure.
    pub expired: bool,
    /// Where the waiver is written (`drguard.toml:12:1`).
    pub defined_at: String,
}

/// A configured waiver and what it did.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct WaiverV1 {
    /// Rule id it names.
    pub rule: String,
    /// ARN glob.
    pub resource: String,
    /// Why.
    pub reason: String,
    /// Last day (`YYYY-MM-DD`).
    pub expires: String,
    /// Owner.
    pub owner: Option<String>,
    /// `active`, `expired` or `stale`.
    #[schemars(extend("enum" = ["active", "expired", "stale"]))]
    pub state: String,
    /// Failing results it matched.
    pub matched: usize,
    /// Where it is written.
    pub defined_at: String,
    /// Days from the audit's date to `expires` (negative once expired).
    /// Added in drguard 0.1: absent from older reports read as baselines.
    #[serde(default)]
    pub expires_in_days: i64,
    /// Active and expiring within `[waivers] expiry_notice` (default 14 days).
    #[serde(default)]
    pub expiring_soon: bool,
}

/// How the snapshot was collected.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CollectionV1 {
    /// True when no call failed.
    pub complete: bool,
    /// Calls that failed after retries.
    pub errors: Vec<GapV1>,
    /// Data sources skipped on purpose.
    pub skipped: Vec<SkippedV1>,
    /// API calls made (null for a snapshot without a call log).
    pub api_calls: Option<u64>,
    /// Collection time (null likewise).
    pub duration_ms: Option<u64>,
}

/// A call that failed after retries.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct GapV1 {
    /// Service.
    pub service: String,
    /// Part of the service's data, when the gap is narrower.
    pub resource: Option<String>,
    /// Region, or `global`.
    pub region: String,
    /// API operation.
    pub operation: String,
    /// AWS error code.
    pub error_code: String,
    /// AWS message.
    pub message: String,
}

/// A data source skipped on purpose.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SkippedV1 {
    /// Data-source name.
    pub source: String,
    /// Why.
    pub reason: String,
}
