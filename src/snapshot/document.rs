//! SSM Automation document content (YAML or JSON, as `GetDocument` returns
//! it) → the snapshot model's parameters and steps.
//!
//! SDK-free, so it builds without the `live` feature and can be fuzzed on its
//! own (`fuzz/fuzz_targets/ssm_document.rs`).

use std::collections::BTreeMap;

use serde_json::Value;

use super::model::{AutomationStep, DocumentParameter};

/// What drguard keeps of a document's content.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedDocument {
    /// `parameters`, in document order.
    pub parameters: Vec<DocumentParameter>,
    /// `mainSteps`, in order.
    pub steps: Vec<AutomationStep>,
    /// `assumeRole`, as written.
    pub assume_role: Option<String>,
}

/// Parses document content (`format` is `GetDocument`'s `DocumentFormat`:
/// `JSON`, `YAML`, or unknown) into parameters and steps. Content that is not
/// a mapping is an error, never an empty runbook: a runbook drguard cannot
/// read must not pass.
pub fn parse(content: &str, format: Option<&str>) -> Result<ParsedDocument, String> {
    let value = parse_content(content, format)?;
    Ok(ParsedDocument {
        parameters: parameters(&value),
        steps: steps(&value),
        assume_role: value
            .get("assumeRole")
            .and_then(Value::as_str)
            .map(str::to_string),
    })
}

/// How deeply document content may nest. The parsed content is saved inside
/// a snapshot (a few levels down), and a snapshot is read back with
/// serde_json's 128-level recursion limit: deeper content would make a
/// snapshot `drguard snapshot` writes but `drguard audit --snapshot` cannot
/// read. Real runbooks nest well under 20 levels.
pub const MAX_DEPTH: usize = 64;

/// Parses document content as JSON or YAML into a JSON value.
fn parse_content(content: &str, format: Option<&str>) -> Result<Value, String> {
    let value = if format == Some("JSON") || content.trim_start().starts_with('{') {
        let value: Value =
            serde_json::from_str(content).map_err(|e| format!("invalid JSON content: {e}"))?;
        // serde_json stops at 128 levels; this stays within that recursion.
        if depth(&value) > MAX_DEPTH {
            return Err(too_deep());
        }
        value
    } else {
        let documents = yaml_rust2::YamlLoader::load_from_str(content)
            .map_err(|e| format!("invalid YAML content: {e}"))?;
        match documents.into_iter().next() {
            Some(document) => yaml_to_json(document, 1)?,
            None => Value::Null,
        }
    };
    if value.is_object() {
        Ok(value)
    } else {
        Err("the content is not a mapping with `mainSteps`".into())
    }
}

fn too_deep() -> String {
    format!("the content nests deeper than {MAX_DEPTH} levels")
}

/// Levels of arrays and objects: 0 for a scalar.
fn depth(value: &Value) -> usize {
    match value {
        Value::Array(items) => 1 + items.iter().map(depth).max().unwrap_or(0),
        Value::Object(map) => 1 + map.values().map(depth).max().unwrap_or(0),
        _ => 0,
    }
}

/// Converts YAML into JSON, `level` being the nesting level of `yaml` (1 for
/// the document). Stops at [`MAX_DEPTH`] instead of recursing without bound.
fn yaml_to_json(yaml: yaml_rust2::Yaml, level: usize) -> Result<Value, String> {
    use yaml_rust2::Yaml;
    if level > MAX_DEPTH && matches!(yaml, Yaml::Array(_) | Yaml::Hash(_)) {
        return Err(too_deep());
    }
    Ok(match yaml {
        Yaml::Real(text) => text
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number)
            .unwrap_or(Value::String(text)),
        Yaml::Integer(i) => Value::from(i),
        Yaml::String(s) => Value::String(s),
        Yaml::Boolean(b) => Value::Bool(b),
        Yaml::Array(items) => Value::Array(
            items
                .into_iter()
                .map(|item| yaml_to_json(item, level + 1))
                .collect::<Result<_, _>>()?,
        ),
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
                    Ok((key, yaml_to_json(v, level + 1)?))
                })
                .collect::<Result<_, String>>()?,
        ),
        Yaml::Alias(_) | Yaml::Null | Yaml::BadValue => Value::Null,
    })
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

/// A string field of a step.
fn text(step: &Value, key: &str) -> Option<String> {
    step.get(key).and_then(Value::as_str).map(str::to_string)
}

/// A boolean field of a step, written as a boolean or as `"true"`/`"false"`
/// (both appear in published runbooks).
fn flag(step: &Value, key: &str) -> Option<bool> {
    match step.get(key)? {
        Value::Bool(b) => Some(*b),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
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
                on_failure: text(step, "onFailure"),
                is_critical: flag(step, "isCritical"),
                is_end: flag(step, "isEnd"),
                next_step: text(step, "nextStep"),
                timeout_seconds: step.get("timeoutSeconds").and_then(|v| match v {
                    Value::Number(n) => n.as_i64(),
                    Value::String(s) => s.trim().parse().ok(),
                    _ => None,
                }),
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

    #[test]
    fn nesting_is_bounded_so_the_snapshot_can_be_read_back() {
        let nested = |levels: usize| {
            format!(
                "mainSteps:\n- inputs:\n    X: {}1{}\n",
                "[".repeat(levels),
                "]".repeat(levels)
            )
        };
        // Document, mainSteps, the step and inputs are 4 levels.
        assert!(parse(&nested(MAX_DEPTH - 4), Some("YAML")).is_ok());
        let error = parse(&nested(MAX_DEPTH - 3), Some("YAML")).unwrap_err();
        assert!(error.contains("deeper than 64 levels"), "{error}");
        let json = |levels: usize| {
            format!(
                r#"{{"mainSteps":[{{"inputs":{{"X":{}1{}}}}}]}}"#,
                "[".repeat(levels),
                "]".repeat(levels)
            )
        };
        assert!(parse(&json(MAX_DEPTH - 4), Some("JSON")).is_ok());
        assert!(parse(&json(MAX_DEPTH - 3), Some("JSON")).is_err());
    }
}
