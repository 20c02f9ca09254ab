//! SARIF 2.1.0 for GitHub code scanning and other SARIF consumers.
//!
//! GitHub rejects a whole upload when a result lacks a physical location or
//! its URI has a scheme, so every result points at a scheme-less virtual path
//! `aws/<account>/<region|global>/<service>/<resource-id>` (line 1) and
//! carries the ARN as a logical location. GitHub ignores `kind` and
//! `suppressions`, so only failures are written unless `--sarif-all`.

use serde_json::{Value, json};

use super::{AuditResult, resource_path};
use crate::rules::{Rule, Severity, Status};

/// The `security-severity` GitHub maps to its own levels.
fn security_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "2.0",
        Severity::Info => "0.0",
    }
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

/// Percent-encodes what a URI path may not hold, keeping `/` as separator.
fn uri_path(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        let c = byte as char;
        if c.is_ascii_alphanumeric() || "-._~/".contains(c) {
            out.push(c);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn rule_descriptor(rule: &Rule) -> Value {
    let references = rule
        .references
        .iter()
        .map(|r| format!("- <{r}>"))
        .collect::<Vec<_>>()
        .join("\n");
    let markdown = format!(
        "**{}** ({})\n\n{}\n\n**What to change**\n\n{}\n\n**References**\n\n{}",
        rule.title, rule.id, rule.rationale, rule.remediation, references
    );
    json!({
        "id": rule.id,
        "name": rule.name,
        "shortDescription": { "text": rule.title },
        "fullDescription": { "text": rule.rationale },
        "help": {
            "text": format!("{}\n\nWhat to change: {}", rule.rationale, rule.remediation),
            "markdown": markdown,
        },
        "helpUri": rule.references.first().cloned().unwrap_or_else(|| "https://github.com/drguard/drguard/blob/main/docs/rules.md".into()),
        "defaultConfiguration": { "level": level(rule.severity) },
        "properties": {
            "tags": ["disaster-recovery", rule.category.as_str(), rule.resource.service()],
            "security-severity": security_severity(rule.severity),
            "precision": "high",
            "problem.severity": match rule.severity {
                Severity::Critical | Severity::High => "error",
                Severity::Medium => "warning",
                Severity::Low | Severity::Info => "recommendation",
            },
        },
    })
}

/// Renders the SARIF log; `sarif_all` also writes passes, waived and not-applicable results.
pub fn render(result: &AuditResult<'_>) -> Result<String, serde_json::Error> {
    let all = result.sarif_all;
    let account = &result.snapshot.account_id;
    let enabled: Vec<&Rule> = result.rules.rules.iter().filter(|r| r.enabled).collect();
    let rules: Vec<Value> = enabled.iter().map(|r| rule_descriptor(r)).collect();
    let mut results = Vec::new();
    let mut notifications = Vec::new();
    for outcome in result.rows {
        let rule_index = enabled.iter().position(|r| r.id == outcome.rule.id);
        if outcome.status == Status::Error {
            notifications.push(json!({
                "level": "error",
                "message": { "text": format!("{} on {}: {}", outcome.rule.id, outcome.resource.arn, outcome.message) },
                "associatedRule": { "id": outcome.rule.id, "index": rule_index },
            }));
            continue;
        }
        let kind = match outcome.status {
            Status::Fail => "fail",
            Status::Pass => "pass",
            Status::NotApplicable => "notApplicable",
            Status::Waived => "fail",
            Status::Error => "review",
        };
        if outcome.status != Status::Fail && !all {
            continue;
        }
        let uri = uri_path(&resource_path(
            account,
            &outcome.resource.region,
            outcome.resource.kind.as_str(),
            &outcome.resource.id,
        ));
        let mut sarif_result = json!({
            "ruleId": outcome.rule.id,
            "ruleIndex": rule_index,
            "kind": kind,
            "level": if outcome.status == Status::Fail { level(outcome.severity) } else { "none" },
            "message": { "text": outcome.message },
            "locations": [{
                "physicalLocation": {
                    "artifactLocation": { "uri": uri },
                    "region": { "startLine": 1 },
                },
                "logicalLocations": [{
                    "name": outcome.resource.id,
                    "fullyQualifiedName": outcome.resource.arn,
                    "kind": "resource",
                }],
            }],
            "partialFingerprints": {
                "primaryLocationLineHash": outcome.fingerprint(),
            },
            "properties": {
                "severity": outcome.severity.as_str(),
                // The severity this result has: a rule's warning tier fails
                // at its own severity, below the rule's default.
                "security-severity": security_severity(outcome.severity),
                "resourceType": outcome.resource.kind.as_str(),
                "region": outcome.resource.region,
            },
        });
        if let (Some(view), Some(object)) = (result.plan, sarif_result.as_object_mut()) {
            let planned = view.row(outcome);
            if let Some(address) = &planned.address {
                // Plan JSON has no source lines: the address is the location.
                object.insert(
                    "locations".into(),
                    json!([{
                        "physicalLocation": {
                            "artifactLocation": { "uri": uri_path(&format!("terraform/{address}")) },
                            "region": { "startLine": 1 },
                        },
                        "logicalLocations": [
                            { "name": address, "fullyQualifiedName": address, "kind": "resource" },
                            { "name": outcome.resource.id, "fullyQualifiedName": outcome.resource.arn, "kind": "resource" },
                        ],
                    }]),
                );
            }
            if let Some(properties) = object.get_mut("properties").and_then(|p| p.as_object_mut()) {
                if let Some(action) = &planned.action {
                    properties.insert("planAction".into(), json!(action));
                }
                if !planned.changes.is_empty() {
                    properties.insert("planChanges".into(), json!(planned.changes));
                }
                properties.insert("planNew".into(), json!(planned.new));
            }
        }
        if let Some(object) = sarif_result.as_object_mut() {
            if let Some(state) = outcome.baseline_state {
                object.insert("baselineState".into(), json!(state.as_str()));
            }
            // An expired waiver leaves the result failing; say which one expired.
            if let (Some(waiver), Some(properties)) = (
                outcome.waiver.filter(|w| w.expired),
                object.get_mut("properties").and_then(|p| p.as_object_mut()),
            ) {
                properties.insert(
                    "expiredWaiver".into(),
                    json!({ "reason": waiver.reason, "expires": waiver.expires, "definedAt": waiver.defined_at }),
                );
            }
            if let Some(waiver) = outcome
                .waiver
                .as_ref()
                .filter(|_| outcome.status == Status::Waived)
            {
                object.insert(
                    "suppressions".into(),
                    json!([{
                        "kind": "external",
                        "status": "accepted",
                        "justification": waiver.reason,
                        "properties": {
                            "expires": waiver.expires,
                            "owner": waiver.owner,
                            "definedAt": waiver.defined_at,
                        },
                    }]),
                );
            }
        }
        results.push(sarif_result);
    }
    // Findings of the baseline that are gone now: only with --sarif-all, since
    // GitHub ignores `baselineState` and would open an alert for them.
    if let Some(comparison) = result.baseline.filter(|_| all) {
        for gone in &comparison.gone {
            let rule_index = enabled.iter().position(|r| r.id == gone.rule_id);
            let mut absent = json!({
                "ruleId": gone.rule_id,
                "kind": "pass",
                "level": "none",
                "baselineState": "absent",
                "message": { "text": format!("no longer reported (was: {})", gone.message) },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": uri_path(&resource_path(account, &gone.region, &gone.resource_type, &gone.resource_id)) },
                        "region": { "startLine": 1 },
                    },
                    "logicalLocations": [{
                        "name": gone.resource_id,
                        "fullyQualifiedName": gone.resource_arn,
                        "kind": "resource",
                    }],
                }],
                "partialFingerprints": { "primaryLocationLineHash": gone.fingerprint() },
                "properties": { "severity": gone.severity, "resourceType": gone.resource_type, "region": gone.region },
            });
            // A rule removed since the baseline has no descriptor to point at.
            if let (Some(index), Some(object)) = (rule_index, absent.as_object_mut()) {
                object.insert("ruleIndex".into(), json!(index));
            }
            results.push(absent);
        }
    }
    for gap in &result.snapshot.gaps {
        notifications.push(json!({
            "level": "error",
            "message": { "text": format!("collection gap: {} {} in {}: {} {}", gap.service, gap.operation, gap.region, gap.error_code, gap.message) },
        }));
    }
    let successful = notifications.is_empty();
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "drguard",
                    "version": env!("CARGO_PKG_VERSION"),
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "informationUri": "https://github.com/drguard/drguard",
                    "rules": rules,
                },
            },
            "automationDetails": { "id": format!("drguard/{account}/") },
            "invocations": [{
                "executionSuccessful": successful,
                "toolExecutionNotifications": notifications,
            }],
            "results": results,
        }],
    });
    super::json::to_pretty(&log)
}
