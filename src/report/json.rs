//! The JSON report, schema version 1.
//!
//! These types are the published contract, separate from the internal ones:
//! internal refactors must not change this output. Adding a field is a
//! compatible change; renaming or removing one needs schema version 2.

use schemars::JsonSchema;
use serde::Serialize;

use super::{AuditResult, Counts, failures_by_severity, fingerprint, verdict};
use crate::rules::Status;

/// The JSON report's version.
pub const REPORT_SCHEMA_VERSION: &str = "1";

/// The JSON Schema of the report, as committed in `docs/report.schema.json`.
pub fn json_schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(Report<'static>)).unwrap_or(serde_json::Value::Null)
}

/// The drguard audit report, schema version 1.
#[derive(Serialize, JsonSchema)]
#[schemars(title = "drguard audit report (schema_version 1)")]
struct Report<'a> {
    schema_version: &'static str,
    tool: Tool,
    account_id: &'a str,
    captured_at: &'a str,
    app: App<'a>,
    targets: Targets,
    summary: Summary,
    results: Vec<ResultV1<'a>>,
    waivers: Vec<WaiverV1<'a>>,
    budget: Option<&'a crate::budget::Budget>,
    drift: Option<Drift<'a>>,
    collection: Collection<'a>,
}

#[derive(Serialize, JsonSchema)]
struct WaiverV1<'a> {
    rule: &'a str,
    resource: &'a str,
    reason: &'a str,
    expires: String,
    owner: Option<&'a str>,
    #[schemars(extend("enum" = ["active", "expired", "stale"]))]
    state: &'static str,
    matched: usize,
    defined_at: &'a str,
}

#[derive(Serialize, JsonSchema)]
struct Drift<'a> {
    baseline: BaselineV1<'a>,
    /// Resource changes since the baseline snapshot (null for a report baseline).
    changes: Option<&'a crate::drift::Diff>,
}

#[derive(Serialize, JsonSchema)]
struct BaselineV1<'a> {
    source: &'a str,
    kind: &'static str,
    captured_at: &'a str,
    counts: crate::drift::baseline::StateCounts,
    /// Findings of the baseline with no result now (resource or rule gone).
    gone: Vec<GoneV1<'a>>,
    /// Findings of the baseline whose rule could not be evaluated now (not closed).
    not_evaluated: Vec<&'a crate::drift::PreviousResult>,
}

#[derive(Serialize, JsonSchema)]
struct GoneV1<'a> {
    #[serde(flatten)]
    result: &'a crate::drift::PreviousResult,
    fingerprint: String,
    baseline_state: &'static str,
}

#[derive(Serialize, JsonSchema)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize, JsonSchema)]
struct App<'a> {
    name: &'a str,
    domain: Option<&'a str>,
    primary_region: &'a str,
    dr_region: &'a str,
}

#[derive(Serialize, JsonSchema)]
struct Targets {
    rto_seconds: u64,
    rpo_seconds: u64,
    availability_percent: f64,
}

#[derive(Serialize, JsonSchema)]
struct Summary {
    #[schemars(extend("enum" = ["pass", "fail", "incomplete", "error"]))]
    verdict: &'static str,
    exit_code: u8,
    fail_on: &'static str,
    fail_on_new: bool,
    total: usize,
    by_status: ByStatus,
    failed_by_severity: serde_json::Map<String, serde_json::Value>,
}

#[derive(Serialize, JsonSchema)]
struct ByStatus {
    pass: usize,
    fail: usize,
    error: usize,
    waived: usize,
    not_applicable: usize,
}

#[derive(Serialize, JsonSchema)]
struct ResultV1<'a> {
    rule_id: &'a str,
    rule_name: &'a str,
    title: &'a str,
    #[schemars(extend("enum" = ["critical", "high", "medium", "low", "info"]))]
    severity: &'static str,
    category: &'static str,
    #[schemars(extend("enum" = ["pass", "fail", "error", "waived", "not_applicable"]))]
    status: &'static str,
    region: &'a str,
    resource_type: &'static str,
    resource_id: &'a str,
    resource_arn: &'a str,
    message: &'a str,
    remediation: Option<&'a str>,
    fingerprint: String,
    #[schemars(extend("enum" = ["new", "unchanged", "updated", "absent", null]))]
    baseline_state: Option<&'static str>,
    waiver: Option<&'a crate::waivers::WaiverMark>,
}

#[derive(Serialize, JsonSchema)]
struct Collection<'a> {
    complete: bool,
    errors: Vec<Gap<'a>>,
    skipped: Vec<Skipped<'a>>,
    api_calls: Option<u64>,
    duration_ms: Option<u64>,
}

#[derive(Serialize, JsonSchema)]
struct Gap<'a> {
    service: &'a str,
    resource: Option<&'a str>,
    region: &'a str,
    operation: &'a str,
    error_code: &'a str,
    message: &'a str,
}

#[derive(Serialize, JsonSchema)]
struct Skipped<'a> {
    source: &'a str,
    reason: &'a str,
}

/// Renders the JSON report (pretty, trailing newline).
pub fn render(result: &AuditResult<'_>) -> String {
    let counts = Counts::of(result.evaluation);
    let results = result
        .evaluation
        .outcomes
        .iter()
        .map(|outcome| {
            let rule = result.rules.get(&outcome.rule_id);
            ResultV1 {
                rule_id: &outcome.rule_id,
                rule_name: rule.map(|r| r.name.as_str()).unwrap_or_default(),
                title: rule.map(|r| r.title.as_str()).unwrap_or_default(),
                severity: outcome.severity.as_str(),
                category: rule.map(|r| r.category.as_str()).unwrap_or_default(),
                status: outcome.status.as_str(),
                region: &outcome.resource.region,
                resource_type: outcome.resource.kind.as_str(),
                resource_id: &outcome.resource.id,
                resource_arn: &outcome.resource.arn,
                message: &outcome.message,
                remediation: (outcome.status == Status::Fail)
                    .then(|| rule.map(|r| r.remediation.as_str()))
                    .flatten(),
                fingerprint: fingerprint(&outcome.rule_id, &outcome.resource.arn),
                baseline_state: outcome.baseline_state.map(|s| s.as_str()),
                waiver: outcome.waiver.as_ref(),
            }
        })
        .collect();
    let report = Report {
        schema_version: REPORT_SCHEMA_VERSION,
        tool: Tool {
            name: "drguard",
            version: env!("CARGO_PKG_VERSION"),
        },
        account_id: &result.snapshot.account_id,
        captured_at: &result.snapshot.captured_at,
        app: App {
            name: &result.config.app.name,
            domain: result.config.app.domain.as_deref(),
            primary_region: &result.config.app.primary_region,
            dr_region: &result.config.app.dr_region,
        },
        targets: Targets {
            rto_seconds: result.config.targets.rto_seconds,
            rpo_seconds: result.config.targets.rpo_seconds,
            availability_percent: result.config.targets.availability_percent,
        },
        summary: Summary {
            verdict: verdict(result.exit),
            exit_code: result.exit.code(),
            fail_on: result.gate.fail_on.as_str(),
            fail_on_new: result.gate.fail_on_new,
            total: result.evaluation.outcomes.len(),
            by_status: ByStatus {
                pass: counts.pass,
                fail: counts.fail,
                error: counts.error,
                waived: counts.waived,
                not_applicable: counts.not_applicable,
            },
            failed_by_severity: failures_by_severity(result.evaluation)
                .into_iter()
                .map(|(severity, n)| (severity.as_str().to_string(), serde_json::Value::from(n)))
                .collect(),
        },
        results,
        waivers: result
            .waivers
            .iter()
            .map(|w| WaiverV1 {
                rule: &w.waiver.rule,
                resource: &w.waiver.resource,
                reason: &w.waiver.reason,
                expires: w.waiver.expires.to_string(),
                owner: w.waiver.owner.as_deref(),
                state: w.state.as_str(),
                matched: w.matched,
                defined_at: &w.waiver.defined_at,
            })
            .collect(),
        budget: result.budget,
        drift: result.baseline.map(|comparison| Drift {
            baseline: BaselineV1 {
                source: &comparison.source,
                kind: comparison.kind,
                captured_at: &comparison.captured_at,
                counts: comparison.counts,
                gone: comparison
                    .gone
                    .iter()
                    .map(|result| GoneV1 {
                        fingerprint: result.fingerprint(),
                        result,
                        baseline_state: "absent",
                    })
                    .collect(),
                not_evaluated: comparison.not_evaluated.iter().collect(),
            },
            changes: comparison.changes.as_ref(),
        }),
        collection: Collection {
            complete: result.snapshot.gaps.is_empty(),
            errors: result
                .snapshot
                .gaps
                .iter()
                .map(|g| Gap {
                    service: &g.service,
                    resource: g.resource.as_deref(),
                    region: &g.region,
                    operation: &g.operation,
                    error_code: &g.error_code,
                    message: &g.message,
                })
                .collect(),
            skipped: result
                .snapshot
                .skipped
                .iter()
                .map(|s| Skipped {
                    source: &s.source,
                    reason: &s.reason,
                })
                .collect(),
            api_calls: result
                .snapshot
                .collection
                .as_ref()
                .map(|c| c.api_calls.len() as u64),
            duration_ms: result.snapshot.collection.as_ref().map(|c| c.duration_ms),
        },
    };
    let mut text =
        serde_json::to_string_pretty(&report).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    text.push('\n');
    text
}
