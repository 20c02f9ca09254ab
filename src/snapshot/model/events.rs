//! EventBridge: rules and their targets.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Snapshot;
use crate::snapshot::spec::{DataSource, Item, ResourceSpec, ServiceSpec, call, regional};

/// What drguard reads of this service, and the resource types it holds.
pub const SERVICE: ServiceSpec = ServiceSpec {
    name: "events",
    description: "EventBridge rules and targets",
    sources: &[DataSource {
        name: "events",
        description: "EventBridge rules and targets",
        scope: "each region",
        calls: &[
            call("ListEventBuses", "events:ListEventBuses"),
            call("ListRules", "events:ListRules"),
            call("ListTargetsByRule", "events:ListTargetsByRule"),
        ],
        notes: "`ListEventBuses` and, at the same time, `ListRules` of the default bus (read even if the bus listing fails); `ListRules` per custom bus, `ListTargetsByRule` per rule",
        fills: "`event_rules`",
    }],
    sort,
    resources: &[ResourceSpec {
        kind: "events.rule",
        location: "`regions.*.event_rules[]`",
        id: "rule name",
        region: "its region",
        diff_fields: &["name", "state", "event_pattern", "description", "targets"],
        items: rules_items,
    }],
};

/// The `events.rule` items of a snapshot.
fn rules_items(snapshot: &Snapshot) -> Vec<Item<'_>> {
    let account = &snapshot.account_id;
    regional(snapshot, |r| &r.event_rules)
        .map(|(region, rule)| Item {
            region,
            id: rule.name.clone(),
            arn: rule
                .arn
                .clone()
                .unwrap_or_else(|| format!("arn:aws:events:{region}:{account}:rule/{}", rule.name)),
            model: rule,
            parent: None,
        })
        .collect()
}

/// Sorts the lists this service fills by their natural key.
fn sort(snapshot: &mut Snapshot) {
    for region in snapshot.regions.values_mut() {
        region.event_rules.sort_by(|a, b| a.name.cmp(&b.name));
    }
}

/// An EventBridge rule.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct EventRule {
    /// Rule name.
    pub name: String,
    /// Rule ARN.
    #[serde(default)]
    pub arn: Option<String>,
    /// `ENABLED` or `DISABLED`.
    pub state: String,
    /// Event bus name.
    #[serde(default)]
    pub event_bus: Option<String>,
    /// Event pattern (JSON text), when the rule is event-driven.
    #[serde(default)]
    pub event_pattern: Option<String>,
    /// Schedule expression, when the rule is scheduled.
    #[serde(default)]
    pub schedule_expression: Option<String>,
    /// Description.
    #[serde(default)]
    pub description: Option<String>,
    /// Targets.
    #[serde(default)]
    pub targets: Vec<EventTarget>,
}

/// A target of an EventBridge rule.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct EventTarget {
    /// Target id.
    pub id: String,
    /// Target ARN (Lambda function, SSM Automation definition…).
    pub arn: String,
}
