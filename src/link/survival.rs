//! The failover as it would run with the primary region gone: what starts
//! it (DRG-EVT-001), whether the runbook survives its own steps
//! (DRG-SSM-007), and every part of the path that only the primary region
//! serves (DRG-REG-001, the budget's "if the primary region is gone" view).

use std::collections::BTreeSet;

use serde_json::Value as Json;

use super::{Linker, PrimaryDependency, Trigger, TriggerAlarm, arn_region};
use crate::snapshot::model::Alarm;

/// Route 53 publishes health-check metrics in this region only.
const ROUTE53_METRICS_REGION: &str = "us-east-1";

/// The one region whose control plane serves a service whose control plane
/// is not regional (normalised service name, as in `route53:…`). Source:
/// AWS Fault Isolation Boundaries, "Global services".
pub fn single_region_control_plane(service: &str) -> Option<&'static str> {
    match service {
        "route53" | "iam" | "cloudfront" | "organizations" => Some("us-east-1"),
        "globalaccelerator" | "route53recoverycontrolconfig" | "route53recoveryreadiness" => {
            Some("us-west-2")
        }
        _ => None,
    }
}

/// A service's name as AWS writes it.
fn display_name(service: &str) -> &str {
    match service {
        "route53" => "Route 53",
        "iam" => "IAM",
        "cloudfront" => "CloudFront",
        "organizations" => "Organizations",
        "globalaccelerator" => "Global Accelerator",
        "route53recoverycontrolconfig" | "route53recoveryreadiness" => "ARC",
        other => other,
    }
}

/// The budget step a runbook step of this purpose carries out.
fn budget_step_of(purpose: Option<&str>) -> &'static str {
    match purpose {
        Some("database_promotion") => "database_promotion",
        Some("cache_promotion") => "cache_promotion",
        Some("scale_up") => "scale_up",
        Some("traffic_switch") => "dns_switch_by_runbook",
        _ => "runbook",
    }
}

/// Which alarms an EventBridge event pattern listens to.
enum AlarmSelector {
    /// `detail.alarmName` equal to it, or an alarm ARN in `resources`.
    Name(String),
    /// `detail.alarmName` starting with it (`{"prefix": …}`).
    Prefix(String),
    /// An alarm ARN of another region than the rule's.
    Elsewhere(String),
}

/// The alarm selectors of a pattern on CloudWatch alarm state changes: None
/// when the pattern is not about alarms; empty when it takes every alarm.
fn alarm_selectors(pattern: &str, rule_region: &str) -> Option<Vec<AlarmSelector>> {
    let pattern: Json = serde_json::from_str(pattern).ok()?;
    let sources = pattern.get("source")?.as_array()?;
    if !sources.iter().any(|s| s.as_str() == Some("aws.cloudwatch")) {
        return None;
    }
    let mut selectors = Vec::new();
    for resource in pattern
        .get("resources")
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
        .filter_map(Json::as_str)
    {
        let name = resource.split_once(":alarm:").map_or(resource, |(_, n)| n);
        match arn_region(resource) {
            Some(region) if region != rule_region => {
                selectors.push(AlarmSelector::Elsewhere(resource.to_string()));
            }
            _ => selectors.push(AlarmSelector::Name(name.to_string())),
        }
    }
    for value in pattern
        .pointer("/detail/alarmName")
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
    {
        match value {
            Json::String(name) => selectors.push(AlarmSelector::Name(name.clone())),
            Json::Object(map) => {
                if let Some(prefix) = map.get("prefix").and_then(Json::as_str) {
                    selectors.push(AlarmSelector::Prefix(prefix.to_string()));
                }
            }
            _ => {}
        }
    }
    Some(selectors)
}

/// The alarm names a composite alarm's rule names (`ALARM("a") OR OK(b)`).
fn composite_children(rule: &str) -> Vec<String> {
    let mut names = Vec::new();
    for opener in ["ALARM(", "OK(", "INSUFFICIENT_DATA("] {
        let mut rest = rule;
        while let Some(start) = rest.find(opener) {
            rest = &rest[start + opener.len()..];
            let Some(end) = rest.find(')') else { break };
            let inner = rest[..end].trim().trim_matches(['"', '\'']);
            let name = inner.split_once(":alarm:").map_or(inner, |(_, n)| n);
            names.push(name.to_string());
            rest = &rest[end..];
        }
    }
    names
}

/// The namespaces an alarm reads, through metric math and composite
/// children (each alarm visited once).
fn namespaces_of(alarm: &Alarm, region_alarms: &[Alarm]) -> Vec<String> {
    let mut out = BTreeSet::new();
    let mut seen = BTreeSet::new();
    let mut queue = vec![alarm];
    while let Some(next) = queue.pop() {
        if !seen.insert(next.name.as_str()) {
            continue;
        }
        out.extend(next.namespace.iter().cloned());
        out.extend(next.metrics_namespaces.iter().cloned());
        if let Some(rule) = &next.composite_rule {
            for child in composite_children(rule) {
                if let Some(found) = region_alarms.iter().find(|a| a.name == child) {
                    queue.push(found);
                }
            }
        }
    }
    out.into_iter().collect()
}

impl Linker<'_, '_> {
    /// Judges the runbook's triggers, its robustness, and every part of
    /// the failover only the primary region serves. Runs last.
    pub(super) fn link_survival(&mut self) {
        self.link_triggers();
        self.link_runbook_robustness();
        self.topology.primary_region_dependencies = self.primary_dependencies();
    }

    fn link_triggers(&mut self) {
        let primary = self.config.app.primary_region.clone();
        let Some(runbook) = &self.topology.runbook else {
            return;
        };
        let mut details = Vec::new();
        for trigger in &runbook.triggers {
            let Some((name, region)) = trigger.rsplit_once('@') else {
                continue;
            };
            let Some(data) = self.snapshot.regions.get(region) else {
                continue;
            };
            let Some(rule) = data.event_rules.iter().find(|r| r.name == name) else {
                continue;
            };
            let mut detail = Trigger {
                name: name.to_string(),
                region: region.to_string(),
                alarms: Vec::new(),
                missing_alarms: Vec::new(),
                survives: false,
                problems: Vec::new(),
            };
            if region == primary {
                detail.problems.push(format!(
                    "the rule lives in {primary}, the region that failed"
                ));
            } else if region != runbook.region {
                detail.problems.push(format!(
                    "the rule is in {region}: EventBridge starts Automation in its own region only, and the runbook is in {}",
                    runbook.region
                ));
            }
            let selectors = rule
                .event_pattern
                .as_deref()
                .and_then(|p| alarm_selectors(p, region));
            if let Some(selectors) = selectors {
                let mut found: Vec<&Alarm> = Vec::new();
                for selector in &selectors {
                    match selector {
                        AlarmSelector::Name(n) => match data.alarms.iter().find(|a| &a.name == n) {
                            Some(alarm) => found.push(alarm),
                            None => detail.missing_alarms.push(n.clone()),
                        },
                        AlarmSelector::Prefix(p) => {
                            found.extend(data.alarms.iter().filter(|a| a.name.starts_with(p)));
                        }
                        AlarmSelector::Elsewhere(arn) => {
                            detail.missing_alarms.push(arn.clone());
                            detail.problems.push(format!(
                                "it listens to {arn}: EventBridge sees an alarm's state changes only in the alarm's region"
                            ));
                        }
                    }
                }
                if selectors.is_empty() {
                    found.extend(data.alarms.iter());
                }
                found.sort_by(|a, b| a.name.cmp(&b.name));
                found.dedup_by(|a, b| a.name == b.name);
                for name in detail
                    .missing_alarms
                    .iter()
                    .filter(|m| !m.starts_with("arn:"))
                {
                    detail
                        .problems
                        .push(format!("alarm {name} is not in {region}"));
                }
                if found.is_empty() && detail.missing_alarms.is_empty() {
                    detail
                        .problems
                        .push(format!("its pattern matches no alarm in {region}"));
                }
                for alarm in found {
                    let namespaces = namespaces_of(alarm, &data.alarms);
                    if region != ROUTE53_METRICS_REGION
                        && namespaces.iter().any(|n| n == "AWS/Route53")
                    {
                        detail.problems.push(format!(
                            "alarm {} reads AWS/Route53 metrics, which Route 53 publishes only in {ROUTE53_METRICS_REGION}: in {region} it never gets data",
                            alarm.name
                        ));
                    }
                    detail.alarms.push(TriggerAlarm {
                        name: alarm.name.clone(),
                        region: region.to_string(),
                        namespaces,
                    });
                }
            }
            detail.survives = detail.problems.is_empty();
            details.push(detail);
        }
        let surviving = details
            .iter()
            .filter(|t| t.survives)
            .map(|t| format!("{}@{}", t.name, t.region))
            .collect();
        if let Some(runbook) = &mut self.topology.runbook {
            runbook.trigger_details = details;
            runbook.surviving_triggers = surviving;
        }
    }

    fn link_runbook_robustness(&mut self) {
        let primary = self.config.app.primary_region.clone();
        let role_state = self.assume_role_state();
        let Some(runbook) = &mut self.topology.runbook else {
            return;
        };
        runbook.assume_role_state = role_state;
        runbook.unguarded_steps = super::runbook::unguarded_steps(&runbook.steps);
        let last = runbook.steps.len().saturating_sub(1);
        runbook.fragile_control_plane_steps = runbook
            .steps
            .iter()
            .enumerate()
            .filter(|(i, s)| *i < last && s.on_failure.eq_ignore_ascii_case("abort"))
            .filter_map(|(_, s)| {
                let service = s.operation.as_deref()?.split(':').next()?;
                let region = single_region_control_plane(service)?;
                (region == primary)
                    .then(|| format!("{} ({}, {region})", s.name, display_name(service)))
            })
            .collect();
    }

    /// `exists`, `missing`, `untrusted`, `unknown` or `none`; see
    /// `Runbook::assume_role_state`.
    fn assume_role_state(&self) -> String {
        let Some(role) = self
            .topology
            .runbook
            .as_ref()
            .and_then(|r| r.assume_role.as_deref())
        else {
            return "none".into();
        };
        let other_account = role
            .strip_prefix("arn:")
            .and_then(|rest| rest.split(':').nth(3))
            .is_some_and(|account| account != self.snapshot.account_id);
        let name = role.rsplit('/').next().unwrap_or(role);
        let global = &self.snapshot.global;
        if other_account {
            "unknown".into()
        } else if let Some(found) = global.iam_roles.iter().find(|r| r.name == name) {
            if found
                .trusted_services
                .iter()
                .any(|s| s == "ssm.amazonaws.com")
            {
                "exists".into()
            } else {
                "untrusted".into()
            }
        } else if global.missing_iam_roles.iter().any(|r| r == name) {
            "missing".into()
        } else {
            "unknown".into()
        }
    }

    fn primary_dependencies(&self) -> Vec<PrimaryDependency> {
        let primary = self.config.app.primary_region.as_str();
        let mut out = Vec::new();
        if let Some(runbook) = &self.topology.runbook {
            for step in &runbook.steps {
                let Some((service, region)) = step.operation.as_deref().and_then(|op| {
                    let service = op.split(':').next()?;
                    Some((service, single_region_control_plane(service)?))
                }) else {
                    continue;
                };
                if region != primary {
                    continue;
                }
                out.push(PrimaryDependency {
                    id: format!("step/{}", step.name),
                    kind: "control_plane".into(),
                    subject: format!(
                        "runbook step {} ({} {})",
                        step.name,
                        display_name(service),
                        step.api.as_deref().unwrap_or_default()
                    ),
                    reason: format!(
                        "{}'s control plane runs only in {region}",
                        display_name(service)
                    ),
                    blocks: budget_step_of(step.purpose.as_deref()).into(),
                });
            }
            for trigger in runbook
                .trigger_details
                .iter()
                .filter(|t| t.region == primary)
            {
                out.push(PrimaryDependency {
                    id: format!("trigger/{}@{}", trigger.name, trigger.region),
                    kind: "trigger".into(),
                    subject: format!("EventBridge rule {} starts the runbook", trigger.name),
                    reason: format!("it lives in {primary}"),
                    blocks: "automated_start".into(),
                });
            }
            if runbook.assume_role_state == "missing" && primary == "us-east-1" {
                out.push(PrimaryDependency {
                    id: format!(
                        "role/{}",
                        runbook.assume_role.as_deref().unwrap_or_default()
                    ),
                    kind: "role".into(),
                    subject: format!(
                        "the runbook assumes {}, which does not exist",
                        runbook.assume_role.as_deref().unwrap_or_default()
                    ),
                    reason: "IAM's control plane runs only in us-east-1: the role cannot be created during the event".into(),
                    blocks: "runbook".into(),
                });
            }
        } else {
            for elsewhere in &self.topology.runbooks_elsewhere {
                if elsewhere
                    .rsplit_once('@')
                    .is_some_and(|(_, r)| r == primary)
                {
                    out.push(PrimaryDependency {
                        id: format!("runbook/{elsewhere}"),
                        kind: "runbook".into(),
                        subject: format!("the failover runbook {elsewhere}"),
                        reason: format!(
                            "it is stored in {primary} only: Automation runs documents of its own region"
                        ),
                        blocks: "runbook".into(),
                    });
                }
            }
        }
        if let Some(data) = self.snapshot.regions.get(primary) {
            let deciding = &self.topology.deciding_checks.all;
            for alarm in &data.alarms {
                let reads_route53 = namespaces_of(alarm, &data.alarms)
                    .iter()
                    .any(|n| n == "AWS/Route53");
                // A health-check alarm about the app's checks, or metric
                // math / a composite reading them.
                let about_app = match alarm.dimensions.get("HealthCheckId") {
                    Some(id) => deciding.contains(id),
                    None => alarm.namespace.is_none(),
                };
                if reads_route53 && about_app {
                    out.push(PrimaryDependency {
                        id: format!("alarm/{}@{primary}", alarm.name),
                        kind: "alarm".into(),
                        subject: format!("alarm {} on Route 53 health-check metrics", alarm.name),
                        reason: format!(
                            "Route 53 publishes those metrics in {ROUTE53_METRICS_REGION} only, and the alarm and what it notifies live in {primary}: nobody is paged"
                        ),
                        blocks: "decision".into(),
                    });
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_patterns_name_alarms_by_name_prefix_and_arn() {
        let pattern = r#"{"source":["aws.cloudwatch"],"detail-type":["CloudWatch Alarm State Change"],
            "resources":["arn:aws:cloudwatch:us-west-2:1:alarm:a","arn:aws:cloudwatch:us-east-1:1:alarm:b"],
            "detail":{"alarmName":["c",{"prefix":"shop-"}]}}"#;
        let selectors = alarm_selectors(pattern, "us-west-2").unwrap();
        let described: Vec<String> = selectors
            .iter()
            .map(|s| match s {
                AlarmSelector::Name(n) => format!("name {n}"),
                AlarmSelector::Prefix(p) => format!("prefix {p}"),
                AlarmSelector::Elsewhere(a) => format!("elsewhere {a}"),
            })
            .collect();
        assert_eq!(
            described,
            [
                "name a",
                "elsewhere arn:aws:cloudwatch:us-east-1:1:alarm:b",
                "name c",
                "prefix shop-"
            ]
        );
        assert!(alarm_selectors(r#"{"source":["aws.ec2"]}"#, "us-west-2").is_none());
    }

    #[test]
    fn composite_rules_name_their_children() {
        assert_eq!(
            composite_children(
                r#"ALARM("a") OR (OK(b) AND INSUFFICIENT_DATA(arn:aws:cloudwatch:us-west-2:1:alarm:c))"#
            ),
            ["a", "b", "c"]
        );
    }
}
