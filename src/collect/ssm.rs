//! SSM, per region: Automation documents owned by the account, with their
//! content (YAML or JSON) parsed into parameters and steps (action, API
//! service and operation, inputs).
//!
//! Calls: `ListDocuments` (owner `Self`, type `Automation`; all pages; the
//! listing carries the tags) and one `GetDocument` per document.
//!
//! A document whose content cannot be parsed is a gap (`UnparseableContent`),
//! not a document without steps: a runbook drguard cannot read must never pass.

use std::collections::BTreeMap;
use std::sync::Arc;

use aws_sdk_ssm::Client;
use aws_sdk_ssm::types::{DocumentKeyValuesFilter, DocumentType};
use serde_json::Value;

use super::{Ctx, Part, gap};
use crate::snapshot::model::{
    AutomationDocument, AutomationStep, CollectionGap, DocumentParameter, Snapshot, Tags,
};

const SOURCE: &str = "ssm";

/// Collects the Automation documents of one region.
pub(crate) async fn collect(ctx: Arc<Ctx>, region: String, _view: Arc<Snapshot>) -> Part {
    let client = Client::from_conf(
        aws_sdk_ssm::config::Builder::from(&ctx.sdk(&region))
            .interceptor(ctx.recorder.clone())
            .build(),
    );
    let mut part = Part::new();
    let mut listed: Vec<(String, Option<String>, Tags)> = Vec::new();
    {
        let _permit = ctx.permit(SOURCE).await;
        let mut pages = client
            .list_documents()
            .filters(
                DocumentKeyValuesFilter::builder()
                    .key("Owner")
                    .values("Self")
                    .build(),
            )
            .filters(
                DocumentKeyValuesFilter::builder()
                    .key("DocumentType")
                    .values(DocumentType::Automation.as_str())
                    .build(),
            )
            .into_paginator()
            .send();
        while let Some(page) = pages.next().await {
            match page {
                Ok(page) => listed.extend(page.document_identifiers().iter().filter_map(|d| {
                    // The filter is a request; keep the promise even if an endpoint ignores it.
                    if d.document_type()
                        .is_some_and(|t| *t != DocumentType::Automation)
                    {
                        return None;
                    }
                    Some((
                        d.name()?.to_string(),
                        d.document_version().map(str::to_string),
                        d.tags()
                            .iter()
                            .map(|t| (t.key().to_string(), t.value().to_string()))
                            .collect(),
                    ))
                })),
                Err(err) => {
                    part.gaps.push(gap(SOURCE, &region, "ListDocuments", &err));
                    break;
                }
            }
        }
    }
    let mut documents = Vec::new();
    for (name, version, tags) in listed {
        let _permit = ctx.permit(SOURCE).await;
        match client
            .get_document()
            .name(&name)
            .set_document_version(version)
            .send()
            .await
        {
            Ok(out) => {
                let format = out.document_format().map(|f| f.as_str().to_string());
                let content = out.content().unwrap_or_default();
                match parse_content(content, format.as_deref()) {
                    Ok(parsed) => documents.push(AutomationDocument {
                        name,
                        document_type: out
                            .document_type()
                            .map(|t| t.as_str().to_string())
                            .unwrap_or_else(|| "Automation".into()),
                        document_version: out.document_version().map(str::to_string),
                        document_format: format,
                        tags,
                        parameters: parameters(&parsed),
                        steps: steps(&parsed),
                    }),
                    Err(reason) => part.gaps.push(CollectionGap {
                        service: SOURCE.into(),
                        resource: None,
                        region: region.clone(),
                        operation: "GetDocument".into(),
                        error_code: "UnparseableContent".into(),
                        message: format!("document {name}: {reason}"),
                    }),
                }
            }
            Err(err) => part.gaps.push(gap(SOURCE, &region, "GetDocument", &err)),
        }
    }
    part.count("automation documents", documents.len());
    part.edit_region(&region, move |data| {
        data.automation_documents.extend(documents)
    });
    part
}

/// Parses document content as JSON or YAML into a JSON value.
pub(crate) fn parse_content(content: &str, format: Option<&str>) -> Result<Value, String> {
    let value = if format == Some("JSON") || content.trim_start().starts_with('{') {
        serde_json::from_str(content).map_err(|e| format!("invalid JSON content: {e}"))?
    } else {
        let documents = yaml_rust2::YamlLoader::load_from_str(content)
            .map_err(|e| format!("invalid YAML content: {e}"))?;
        documents
            .into_iter()
            .next()
            .map(yaml_to_json)
            .unwrap_or(Value::Null)
    };
    if value.is_object() {
        Ok(value)
    } else {
        Err("the content is not a mapping with `mainSteps`".into())
    }
}

fn yaml_to_json(yaml: yaml_rust2::Yaml) -> Value {
    use yaml_rust2::Yaml;
    match yaml {
        Yaml::Real(text) => text
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number)
            .unwrap_or(Value::String(text)),
        Yaml::Integer(i) => Value::from(i),
        Yaml::String(s) => Value::String(s),
        Yaml::Boolean(b) => Value::Bool(b),
        Yaml::Array(items) => Value::Array(items.into_iter().map(yaml_to_json).collect()),
        Yaml::Hash(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| {
                    let key = match k {
                        Yaml::String(s) => s,
                        Yaml::Integer(i) => i.to_string(),
                        Yaml::Real(r) => r,
                        Yaml::Boolean(b) => b.to_string(),
                        other => format!("{other:?}"),
                    };
                    (key, yaml_to_json(v))
                })
                .collect(),
        ),
        Yaml::Alias(_) | Yaml::Null | Yaml::BadValue => Value::Null,
    }
}

fn parameters(document: &Value) -> Vec<DocumentParameter> {
    let Some(parameters) = document.get("parameters").and_then(Value::as_object) else {
        return Vec::new();
    };
    parameters
        .iter()
        .map(|(name, spec)| DocumentParameter {
            name: name.clone(),
            param_type: spec.get("type").and_then(Value::as_str).map(str::to_string),
            default: spec.get("default").cloned(),
        })
        .collect()
}

fn steps(document: &Value) -> Vec<AutomationStep> {
    let Some(steps) = document.get("mainSteps").and_then(Value::as_array) else {
        return Vec::new();
    };
    steps
        .iter()
        .map(|step| {
            let mut inputs: BTreeMap<String, Value> = step
                .get("inputs")
                .and_then(Value::as_object)
                .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
                .unwrap_or_default();
            let service = inputs
                .remove("Service")
                .and_then(|v| v.as_str().map(str::to_string));
            let api = inputs
                .remove("Api")
                .and_then(|v| v.as_str().map(str::to_string));
            AutomationStep {
                name: step
                    .get("name")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string(),
                action: step
                    .get("action")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string(),
                service,
                api,
                inputs,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_runbook_parses_into_steps() {
        let content = "schemaVersion: '0.3'\nparameters:\n  DrClusterId:\n    type: String\n    default: shop-aurora-usw2\n  Desired:\n    type: Integer\n    default: 10\nmainSteps:\n  - name: Promote\n    action: aws:executeAwsApi\n    inputs:\n      Service: rds\n      Api: FailoverGlobalCluster\n      GlobalClusterIdentifier: shop-global\n      TargetDbClusterIdentifier: '{{ DrClusterId }}'\n";
        let parsed = parse_content(content, Some("YAML")).unwrap_or_default();
        let steps = steps(&parsed);
        assert_eq!(steps.len(), 1);
        assert_eq!(steps[0].service.as_deref(), Some("rds"));
        assert_eq!(steps[0].api.as_deref(), Some("FailoverGlobalCluster"));
        assert_eq!(steps[0].inputs.len(), 2);
        let parameters = parameters(&parsed);
        assert_eq!(parameters[1].default, Some(Value::from(10)));
    }

    #[test]
    fn garbage_is_an_error_not_an_empty_runbook() {
        assert!(parse_content("- just\n- a list\n", Some("YAML")).is_err());
        assert!(parse_content("{ not json", Some("JSON")).is_err());
        assert!(parse_content("a: [unclosed", Some("YAML")).is_err());
    }
}
