//! OCSF 1.6.0 Compliance Finding events (class 2003), with the `cloud` and
//! `datetime` profiles, for security data lakes and AWS Security Hub.
//!
//! One event per rule × resource result, as a JSON array. `finding_info.uid`
//! is the result's fingerprint, so a consumer updates one finding per rule ×
//! resource across nightly runs. The event time is the snapshot's capture
//! time, so the same snapshot always gives the same events.
//!
//! Activity: without a baseline every event is `Create`. With one, a result
//! `new` since the baseline is `Create`, `unchanged`/`updated` is `Update`,
//! and `absent` (fixed, or gone: those get an event too) is `Close`.

use serde_json::{Value, json};

use super::AuditResult;
use crate::audit::ResultRow;
use crate::drift::{BaselineState, PreviousResult};
use crate::rules::{Severity, Status};

const CLASS_UID: u64 = 2003;
const CATEGORY_UID: u64 = 2;
const OCSF_VERSION: &str = "1.6.0";

fn severity_id(severity: Severity) -> u64 {
    match severity {
        Severity::Info => 1,
        Severity::Low => 2,
        Severity::Medium => 3,
        Severity::High => 4,
        Severity::Critical => 5,
    }
}

fn severity_name(severity: Severity) -> &'static str {
    match severity {
        Severity::Info => "Informational",
        Severity::Low => "Low",
        Severity::Medium => "Medium",
        Severity::High => "High",
        Severity::Critical => "Critical",
    }
}

/// (activity_id, activity_name)
fn activity(state: Option<BaselineState>) -> (u64, &'static str) {
    match state {
        None | Some(BaselineState::New) => (1, "Create"),
        Some(BaselineState::Unchanged | BaselineState::Updated) => (2, "Update"),
        Some(BaselineState::Absent) => (3, "Close"),
    }
}

/// (compliance.status_id, compliance.status) — OCSF: 1 Pass, 2 Warning, 3 Fail, 0 Unknown, 99 Other.
fn compliance_status(status: Status) -> (u64, &'static str) {
    match status {
        Status::Pass => (1, "Pass"),
        Status::Fail => (3, "Fail"),
        Status::Waived => (2, "Warning"),
        Status::Error => (0, "Unknown"),
        Status::NotApplicable => (99, "Not Applicable"),
    }
}

/// (status_id, status) of the finding — OCSF: 1 New, 3 Suppressed, 4 Resolved, 0 Unknown.
fn finding_status(status: Status) -> (u64, &'static str) {
    match status {
        Status::Fail => (1, "New"),
        Status::Waived => (3, "Suppressed"),
        Status::Pass | Status::NotApplicable => (4, "Resolved"),
        Status::Error => (0, "Unknown"),
    }
}

struct Common<'r> {
    result: &'r AuditResult<'r>,
    time_ms: i64,
}

impl Common<'_> {
    fn envelope(&self, activity_id: u64, activity_name: &str) -> serde_json::Map<String, Value> {
        let snapshot = self.result.snapshot;
        let mut event = serde_json::Map::new();
        event.insert("activity_id".into(), json!(activity_id));
        event.insert("activity_name".into(), json!(activity_name));
        event.insert("category_uid".into(), json!(CATEGORY_UID));
        event.insert("category_name".into(), json!("Findings"));
        event.insert("class_uid".into(), json!(CLASS_UID));
        event.insert("class_name".into(), json!("Compliance Finding"));
        event.insert("type_uid".into(), json!(CLASS_UID * 100 + activity_id));
        event.insert(
            "type_name".into(),
            json!(format!("Compliance Finding: {activity_name}")),
        );
        event.insert("time".into(), json!(self.time_ms));
        event.insert("time_dt".into(), json!(snapshot.captured_at));
        event.insert(
            "metadata".into(),
            json!({
                "version": OCSF_VERSION,
                "profiles": ["cloud", "datetime"],
                "product": {
                    "name": "drguard",
                    "vendor_name": "drguard",
                    "version": env!("CARGO_PKG_VERSION"),
                    "url_string": "https://github.com/drguard/drguard",
                },
            }),
        );
        event
    }

    fn cloud(&self, region: &str) -> Value {
        let mut cloud = json!({
            "provider": "AWS",
            "account": { "uid": self.result.snapshot.account_id, "type": "AWS Account", "type_id": 10 },
        });
        if region != "global"
            && let Some(object) = cloud.as_object_mut()
        {
            object.insert("region".into(), json!(region));
        }
        cloud
    }
}

fn resource_value(kind: &str, id: &str, arn: &str, region: &str) -> Value {
    let mut resource = json!({ "uid": arn, "name": id, "type": kind, "cloud_partition": "aws" });
    if region != "global"
        && let Some(object) = resource.as_object_mut()
    {
        object.insert("region".into(), json!(region));
    }
    resource
}

fn event(common: &Common<'_>, outcome: &ResultRow<'_>) -> Value {
    let rule = outcome.rule;
    let (activity_id, activity_name) = activity(outcome.baseline_state);
    let (compliance_id, compliance_name) = compliance_status(outcome.status);
    let (status_id, status_name) = finding_status(outcome.status);
    let mut event = common.envelope(activity_id, activity_name);
    event.insert("severity_id".into(), json!(severity_id(outcome.severity)));
    event.insert("severity".into(), json!(severity_name(outcome.severity)));
    event.insert("status_id".into(), json!(status_id));
    event.insert("status".into(), json!(status_name));
    event.insert("message".into(), json!(outcome.message));
    event.insert("cloud".into(), common.cloud(&outcome.resource.region));
    event.insert(
        "finding_info".into(),
        json!({
            "uid": outcome.fingerprint(),
            "title": rule.title.as_str(),
            "desc": rule.rationale.trim(),
            "types": [format!("drguard/{}", rule.category.as_str())],
            "src_url": rule.references.first().cloned().unwrap_or_else(|| "https://github.com/drguard/drguard/blob/main/docs/rules.md".into()),
        }),
    );
    event.insert(
        "compliance".into(),
        json!({
            "control": outcome.rule.id,
            "status_id": compliance_id,
            "status": compliance_name,
            "status_code": outcome.status.as_str(),
            "standards": ["drguard warm-standby DR catalog"],
            "requirements": [rule.name.as_str()],
        }),
    );
    event.insert(
        "resources".into(),
        json!([resource_value(
            outcome.resource.kind.as_str(),
            &outcome.resource.id,
            &outcome.resource.arn,
            &outcome.resource.region
        )]),
    );
    event.insert(
        "remediation".into(),
        json!({ "desc": rule.remediation.trim(), "references": rule.references }),
    );
    event.insert(
        "unmapped".into(),
        json!({
            "drguard": {
                "status": outcome.status.as_str(),
                "baseline_state": outcome.baseline_state.map(|s| s.as_str()),
                "waiver": outcome.waiver.map(super::json::waiver_mark_v1),
            }
        }),
    );
    Value::Object(event)
}

/// A Close event for a baseline finding that has no result now.
fn gone_event(common: &Common<'_>, gone: &PreviousResult) -> Value {
    let (severity_id, severity_name) = (severity_id(gone.severity), severity_name(gone.severity));
    let mut event = common.envelope(3, "Close");
    event.insert("severity_id".into(), json!(severity_id));
    event.insert("severity".into(), json!(severity_name));
    event.insert("status_id".into(), json!(4));
    event.insert("status".into(), json!("Resolved"));
    event.insert(
        "message".into(),
        json!(format!("no longer reported (was: {})", gone.message)),
    );
    event.insert("cloud".into(), common.cloud(&gone.region));
    event.insert(
        "finding_info".into(),
        json!({ "uid": gone.fingerprint(), "title": gone.rule_id, "types": ["drguard/gone"] }),
    );
    event.insert(
        "compliance".into(),
        json!({ "control": gone.rule_id, "status_id": 99, "status": "Gone", "status_code": "absent" }),
    );
    event.insert(
        "resources".into(),
        json!([resource_value(
            &gone.resource_type,
            &gone.resource_id,
            &gone.resource_arn,
            &gone.region
        )]),
    );
    event.insert(
        "unmapped".into(),
        json!({ "drguard": { "status": "absent", "baseline_state": "absent" } }),
    );
    Value::Object(event)
}

/// Renders the events as a pretty JSON array.
pub fn render(result: &AuditResult<'_>) -> Result<String, serde_json::Error> {
    let time_ms = chrono::DateTime::parse_from_rfc3339(&result.snapshot.captured_at)
        .map(|t| t.timestamp_millis())
        .unwrap_or_default();
    let common = Common { result, time_ms };
    let mut events: Vec<Value> = result
        .rows
        .iter()
        .map(|outcome| event(&common, outcome))
        .collect();
    if let Some(comparison) = result.baseline {
        events.extend(comparison.gone.iter().map(|gone| gone_event(&common, gone)));
    }
    super::json::to_pretty(&events)
}
