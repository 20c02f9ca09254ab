//! SSM: Automation documents and their steps.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Snapshot, Tags};
use crate::snapshot::spec::{DataSource, Item, ResourceSpec, ServiceSpec, call, regional};

/// What drguard reads of this service, and the resource types it holds.
pub const SERVICE: ServiceSpec = ServiceSpec {
    name: "ssm",
    description: "SSM Automation documents and their steps",
    sources: &[DataSource {
        name: "ssm",
        description: "SSM Automation documents and their steps",
        scope: "each region",
        calls: &[
            call("ListDocuments", "ssm:ListDocuments"),
            call("GetDocument", "ssm:GetDocument"),
        ],
        notes: "`ListDocuments` with owner `Self` and type `Automation` (the listing carries tags), `GetDocument` per document",
        fills: "`automation_documents`",
    }],
    sort,
    resources: &[ResourceSpec {
        kind: "ssm.document",
        location: "`regions.*.automation_documents[]`",
        id: "document name",
        region: "its region",
        diff_fields: &["name", "document_type", "parameters", "steps", "tags"],
        items: documents_items,
    }],
};

/// The `ssm.document` items of a snapshot.
fn documents_items(snapshot: &Snapshot) -> Vec<Item<'_>> {
    let account = &snapshot.account_id;
    regional(snapshot, |r| &r.automation_documents)
        .map(|(region, doc)| Item {
            region,
            id: doc.name.clone(),
            arn: format!("arn:aws:ssm:{region}:{account}:document/{}", doc.name),
            model: doc,
            parent: None,
        })
        .collect()
}

/// Sorts the lists this service fills by their natural key.
fn sort(snapshot: &mut Snapshot) {
    for region in snapshot.regions.values_mut() {
        region
            .automation_documents
            .sort_by(|a, b| a.name.cmp(&b.name));
    }
}

/// An SSM document of type Automation, with its content parsed.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
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
    /// The document's `assumeRole` (often `{{ AutomationAssumeRole }}`): the
    /// role the runbook acts as, which IAM (a us-east-1 control plane) cannot
    /// create or fix during the event.
    #[serde(default)]
    pub assume_role: Option<String>,
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
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
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
    /// `onFailure`: `Abort` (Automation's default when absent), `Continue`
    /// or `step:<name>`. An aborting step ends the runbook: later steps never run.
    #[serde(default)]
    pub on_failure: Option<String>,
    /// `isCritical` (default true): whether a failure fails the execution.
    #[serde(default)]
    pub is_critical: Option<bool>,
    /// `isEnd`: the runbook ends after this step.
    #[serde(default)]
    pub is_end: Option<bool>,
    /// `nextStep`: the step that runs next instead of the following one.
    #[serde(default)]
    pub next_step: Option<String>,
    /// `timeoutSeconds`, when set.
    #[serde(default)]
    pub timeout_seconds: Option<i64>,
}
