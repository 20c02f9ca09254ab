//! The JSON report, schema version 1: the audit converted into the
//! published wire types of [`crate::contract`], then serialised.
//!
//! The conversions here are the only place internal types meet the
//! contract: an internal rename changes a line below, never the output.

mod budget;
mod drift;

pub use budget::budget_v1;
pub use drift::{diff_v1, drift_v1};

use super::plan::PlanView;
use super::{AuditResult, Counts, failures_by_severity};
use crate::audit::{ResultRow, verdict};
use crate::contract::report::{
    AppV1, ByStatusV1, CollectionV1, GapV1, PlanChangeV1, PlanV1, ReportV1, ResultV1, SkippedV1,
    SummaryV1, TargetsV1, WaiverMarkV1, WaiverV1,
};
use crate::contract::{SCHEMA_VERSION, ToolV1};
use crate::snapshot::Snapshot;
use crate::vocab::Status;
use crate::waivers::{WaiverMark, WaiverOutcome};

/// A value as pretty JSON with a trailing newline; a failure to serialise is
/// an error for the caller to report (exit 2), never an empty document.
pub fn to_pretty<T: serde::Serialize>(value: &T) -> Result<String, serde_json::Error> {
    let mut text = serde_json::to_string_pretty(value)?;
    text.push('\n');
    Ok(text)
}

/// Renders the JSON report (pretty, trailing newline).
pub fn render(result: &AuditResult<'_>) -> Result<String, serde_json::Error> {
    to_pretty(&report_v1(result))
}

/// The audit as the v1 report.
pub fn report_v1(result: &AuditResult<'_>) -> ReportV1 {
    let counts = Counts::of(result.rows);
    ReportV1 {
        schema_version: SCHEMA_VERSION.into(),
        tool: ToolV1::this(),
        account_id: result.snapshot.account_id.clone(),
        captured_at: result.snapshot.captured_at.clone(),
        app: AppV1 {
            name: result.config.app.name.clone(),
            domain: result.config.app.domain.clone(),
            primary_region: result.config.app.primary_region.clone(),
            dr_region: result.config.app.dr_region.clone(),
        },
        targets: TargetsV1 {
            rto_seconds: result.config.targets.rto_seconds,
            rpo_seconds: result.config.targets.rpo_seconds,
            availability_percent: result.config.targets.availability_percent,
        },
        summary: SummaryV1 {
            verdict: verdict::word(result.exit).into(),
            exit_code: result.exit.code(),
            fail_on: result.gate.fail_on.as_str().into(),
            fail_on_new: result.gate.fail_on_new,
            total: result.rows.len(),
            by_status: ByStatusV1 {
                pass: counts.pass,
                fail: counts.fail,
                error: counts.error,
                waived: counts.waived,
                not_applicable: counts.not_applicable,
            },
            failed_by_severity: failures_by_severity(result.rows)
                .into_iter()
                .map(|(severity, n)| (severity.as_str().to_string(), serde_json::Value::from(n)))
                .collect(),
        },
        results: result
            .rows
            .iter()
            .map(|row| result_v1(row, result.plan))
            .collect(),
        waivers: result.waivers.iter().map(waiver_v1).collect(),
        budget: Some(budget_v1(result.budget)),
        drift: result.baseline.map(drift_v1),
        collection: collection_v1(result.snapshot),
        plan: result.plan.map(|view| plan_v1(view, result.rows)),
    }
}

/// `--plan`: the plan and its effect on the budget.
fn plan_v1(view: &PlanView, rows: &[ResultRow<'_>]) -> PlanV1 {
    let summary = &view.summary;
    PlanV1 {
        file: summary.file.clone(),
        format_version: summary.format_version.clone(),
        terraform_version: summary.terraform_version.clone(),
        base: if summary.alone {
            "prior_state"
        } else {
            "snapshot"
        }
        .into(),
        changes: summary
            .changed()
            .map(|r| PlanChangeV1 {
                address: r.address.clone(),
                action: r.action.as_str().into(),
                resource_type: r.resource_type.clone(),
                region: r.region.clone(),
                resource_id: r.resource_id.clone(),
                attributes: r.changes.iter().map(ToString::to_string).collect(),
            })
            .collect(),
        not_modelled: summary
            .not_modelled
            .iter()
            .map(|(k, n)| (k.clone(), serde_json::Value::from(*n)))
            .collect(),
        unknown: summary.unknown.clone(),
        unplaced: summary.unplaced.clone(),
        stale: summary.stale.clone(),
        new_findings: rows.iter().filter(|r| view.introduces(r)).count(),
        budget: Some(drift::budget_delta_v1(&view.delta)),
    }
}

/// One report row as a v1 result.
pub fn result_v1(row: &ResultRow<'_>, plan: Option<&PlanView>) -> ResultV1 {
    let rule = row.rule;
    let planned = plan.map(|view| view.row(row)).unwrap_or_default();
    ResultV1 {
        rule_id: rule.id.clone(),
        rule_name: rule.name.clone(),
        title: rule.title.clone(),
        severity: row.severity,
        category: rule.category,
        status: row.status,
        region: row.resource.region.clone(),
        resource_type: row.resource.kind.as_str().into(),
        resource_id: row.resource.id.clone(),
        resource_arn: row.resource.arn.clone(),
        message: row.message.clone(),
        remediation: (row.status == Status::Fail).then(|| rule.remediation.clone()),
        fingerprint: row.fingerprint(),
        baseline_state: row.baseline_state.map(|s| s.as_str().into()),
        waiver: row.waiver.map(waiver_mark_v1),
        plan_address: planned.address,
        plan_action: planned.action,
        plan_changes: planned.changes,
        plan_new: plan.map(|_| planned.new),
    }
}

/// A waiver attached to a result.
pub fn waiver_mark_v1(mark: &WaiverMark) -> WaiverMarkV1 {
    WaiverMarkV1 {
        reason: mark.reason.clone(),
        expires: mark.expires.clone(),
        owner: mark.owner.clone(),
        expired: mark.expired,
        defined_at: mark.defined_at.clone(),
    }
}

fn waiver_v1(outcome: &WaiverOutcome) -> WaiverV1 {
    let waiver = &outcome.waiver;
    WaiverV1 {
        rule: waiver.rule.clone(),
        resource: waiver.resource.clone(),
        reason: waiver.reason.clone(),
        expires: waiver.expires.to_string(),
        owner: waiver.owner.clone(),
        state: outcome.state.as_str().into(),
        matched: outcome.matched,
        defined_at: waiver.defined_at.clone(),
        expires_in_days: outcome.days_left,
        expiring_soon: outcome.expiring_soon,
    }
}

fn collection_v1(snapshot: &Snapshot) -> CollectionV1 {
    CollectionV1 {
        complete: snapshot.gaps.is_empty(),
        errors: snapshot
            .gaps
            .iter()
            .map(|g| GapV1 {
                service: g.service.clone(),
                resource: g.resource.clone(),
                region: g.region.clone(),
                operation: g.operation.clone(),
                error_code: g.error_code.clone(),
                message: g.message.clone(),
            })
            .collect(),
        skipped: snapshot
            .skipped
            .iter()
            .map(|s| SkippedV1 {
                source: s.source.clone(),
                reason: s.reason.clone(),
            })
            .collect(),
        api_calls: snapshot
            .collection
            .as_ref()
            .map(|c| c.api_calls.len() as u64),
        duration_ms: snapshot.collection.as_ref().map(|c| c.duration_ms),
    }
}
