//! SSM: Automation documents and their steps.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Tags;

/// An SSM document of type Automation, with its content parsed.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct AutomationDocument {
    /// Document name.
    pub name: String,
    /// `Automation`, `Command`…
    pub document_type: String,
    /// Document version read.
    #[serde(default)]
    pub document_version: Option<String>,
    /// `YAML` or `JSON`.
    #[serde(default)]
    pub document_format: Option<String>,
    /// Tags.
    #[serde(default)]
    pub tags: Tags,
    /// Declared parameters.
    #[serde(default)]
    pub parameters: Vec<DocumentParameter>,
    /// Steps (`mainSteps`) in order.
    #[serde(default)]
    pub steps: Vec<AutomationStep>,
}

/// A declared parameter of an Automation document.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct DocumentParameter {
    /// Parameter name.
    pub name: String,
    /// `String`, `Integer`, `StringList`…
    #[serde(rename = "type", default)]
    pub param_type: Option<String>,
    /// Default value, when declared.
    #[serde(default)]
    pub default: Option<serde_json::Value>,
}

/// One step of an Automation document.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct AutomationStep {
    /// Step name.
    pub name: String,
    /// Action (`aws:executeAwsApi`, `aws:executeScript`…).
    pub action: String,
    /// For `aws:executeAwsApi`: the service namespace (`rds`).
    #[serde(default)]
    pub service: Option<String>,
    /// For `aws:executeAwsApi`: the API operation (`FailoverGlobalCluster`).
    #[serde(default)]
    pub api: Option<String>,
    /// The step's inputs other than `Service` and `Api`.
    #[serde(default)]
    pub inputs: BTreeMap<String, serde_json::Value>,
}
