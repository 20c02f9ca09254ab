//! EventBridge: rules and their targets.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

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
