//! Reading a plan file: what it is, whether drguard can read it, and the
//! parts the overlay needs, with located diagnostics for anything else.

// Plan errors end the run; boxing them would add noise for no gain.
#![allow(clippy::result_large_err)]

use std::collections::BTreeMap;
use std::path::Path;

use miette::{Diagnostic, SourceSpan};
use serde_json::Value;
use thiserror::Error;

use super::Action;
use crate::snapshot::strip_position;
use crate::source::{Excerpt, SourceFile, UnreadableFile};

/// The plan `format_version` majors this build reads (0.1 … 1.x).
pub const SUPPORTED_MAJORS: &[u64] = &[0, 1];

/// A file that cannot be used as a plan.
#[derive(Debug, Error, Diagnostic)]
pub enum PlanError {
    /// The file could not be read.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Unreadable(#[from] UnreadableFile),
    /// Not a Terraform plan in JSON, or one drguard cannot read.
    #[error("{message}")]
    #[diagnostic(code(drguard::plan::invalid), help("{help}"))]
    Invalid {
        /// What the file is and what was expected.
        message: String,
        /// How to fix it.
        help: String,
        /// The file.
        #[source_code]
        src: Excerpt,
        /// Where.
        #[label("here")]
        span: SourceSpan,
    },
}

/// One `resource_changes` entry.
#[derive(Debug, Clone)]
pub struct ResourceChange {
    /// Absolute instance address (`module.dr.aws_lb.web[0]`).
    pub address: String,
    /// `managed` or `data`.
    pub mode: String,
    /// Resource type (`aws_lb`).
    pub resource_type: String,
    /// Provider source address (`registry.terraform.io/hashicorp/aws`).
    pub provider_name: String,
    /// The planned action.
    pub action: Action,
    /// Values before (null for a create).
    pub before: Value,
    /// Known values after (null for a delete).
    pub after: Value,
    /// Which `after` values are unknown (`true` leaves).
    pub after_unknown: Value,
}

/// A resource block of the configuration (one per block, not per instance).
#[derive(Debug, Clone, Default)]
pub struct ConfigResource {
    /// `provider_config_key` (`aws.dr`, `module.x:aws`).
    pub provider_config_key: Option<String>,
    /// The block's `expressions`.
    pub expressions: Value,
}

/// A `module` block of the configuration: what a provider block inside the
/// module reads as `var.NAME`.
#[derive(Debug, Clone, Default)]
pub struct ModuleCall {
    /// The call's arguments (`expressions`), name → expression.
    pub expressions: Value,
    /// The module's declared `variables` (with their `default`s).
    pub variables: Value,
}

/// A plan as the overlay reads it.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The file (for diagnostics and the report).
    pub file: SourceFile,
    /// `format_version`.
    pub format_version: String,
    /// `terraform_version`.
    pub terraform_version: Option<String>,
    /// `timestamp` (TF ≥ 1.5).
    pub timestamp: Option<String>,
    /// Input variables, name → value.
    pub variables: BTreeMap<String, Value>,
    /// `resource_changes`, in file order.
    pub changes: Vec<ResourceChange>,
    /// Managed resources of `prior_state` not listed in `resource_changes`
    /// (address, type, provider, values).
    pub prior: Vec<ResourceChange>,
    /// `configuration.provider_config`, key → entry.
    pub provider_config: BTreeMap<String, Value>,
    /// `configuration` resource blocks by absolute block address
    /// (`module.dr.aws_lb.web`, instance keys stripped).
    pub config_resources: BTreeMap<String, ConfigResource>,
    /// `configuration` module calls by module path (`module.dr`,
    /// `module.dr.module.data`).
    pub module_calls: BTreeMap<String, ModuleCall>,
}

impl Plan {
    /// The same plan with `changes` as its only resources (its prior state
    /// read as a plan of no-ops).
    pub fn with_changes(&self, changes: Vec<ResourceChange>) -> Plan {
        Plan {
            file: self.file.clone(),
            format_version: self.format_version.clone(),
            terraform_version: self.terraform_version.clone(),
            timestamp: self.timestamp.clone(),
            variables: self.variables.clone(),
            changes,
            prior: Vec::new(),
            provider_config: self.provider_config.clone(),
            config_resources: self.config_resources.clone(),
            module_calls: self.module_calls.clone(),
        }
    }

    /// The configuration block of an instance address.
    pub fn config_of(&self, address: &str) -> Option<&ConfigResource> {
        self.config_resources.get(&block_address(address))
    }
}

/// Reads and checks a plan file.
pub fn load(path: &Path) -> Result<Plan, PlanError> {
    let file = SourceFile::read(path, "plan")?;
    parse(file)
}

/// The block address of an instance address: instance keys (`[0]`,
/// `["a.b"]`) removed from every step.
pub fn block_address(address: &str) -> String {
    let mut out = String::with_capacity(address.len());
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for c in address.chars() {
        if depth > 0 {
            if in_string {
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == '"' {
                    in_string = false;
                }
            } else if c == '"' {
                in_string = true;
            } else if c == ']' {
                depth -= 1;
            } else if c == '[' {
                depth += 1;
            }
            continue;
        }
        if c == '[' {
            depth = 1;
        } else {
            out.push(c);
        }
    }
    out
}

fn invalid(file: &SourceFile, message: String, help: &str, offset: usize, len: usize) -> PlanError {
    PlanError::Invalid {
        message,
        help: help.into(),
        src: file.named(),
        span: file.span(offset.min(file.text.len()), len.max(1)),
    }
}

/// The offset of a top-level key's name in the text (0 when not found).
fn key_offset(file: &SourceFile, key: &str) -> (usize, usize) {
    let needle = format!("\"{key}\"");
    (file.text.find(&needle).unwrap_or(0), needle.len())
}

const PRODUCE: &str = "write the plan with `terraform plan -out=plan.out && terraform show -json plan.out > plan.json` (or `tofu show -json`)";

/// Parses plan text.
pub fn parse(file: SourceFile) -> Result<Plan, PlanError> {
    let trimmed = file.text.trim_start();
    let skipped = file.text.len() - trimmed.len();
    match trimmed.chars().next() {
        None => {
            return Err(invalid(
                &file,
                "plan file is empty: expected the JSON of `terraform show -json`".into(),
                "the file ends before any JSON: was it truncated, or written by a command that failed?",
                0,
                1,
            ));
        }
        Some('{') => {}
        Some(other) => {
            let what = if trimmed.starts_with("Terraform") || trimmed.starts_with("PK") {
                "the binary plan or the human plan output"
            } else {
                "not JSON"
            };
            return Err(invalid(
                &file,
                format!(
                    "this file is {what} (it starts with {other:?}): expected the JSON object of `terraform show -json PLAN`"
                ),
                PRODUCE,
                skipped,
                other.len_utf8(),
            ));
        }
    }
    let root: Value = serde_json::from_str(&file.text).map_err(|err| {
        let offset = file.offset_of_byte(err.line(), err.column());
        let (message, help) = if err.is_eof() {
            (
                format!("plan JSON ends early: {}", strip_position(&err)),
                "the file is truncated: write it again with `terraform show -json plan.out > plan.json`",
            )
        } else {
            (
                format!("plan is not valid JSON: {}", strip_position(&err)),
                PRODUCE,
            )
        };
        invalid(&file, message, help, offset, 1)
    })?;
    let Some(object) = root.as_object() else {
        return Err(invalid(
            &file,
            "a plan is a JSON object".into(),
            PRODUCE,
            skipped,
            1,
        ));
    };
    identify(&file, object)?;
    let format_version = object
        .get("format_version")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let major = format_version
        .split('.')
        .next()
        .and_then(|m| m.parse::<u64>().ok());
    match major {
        Some(m) if SUPPORTED_MAJORS.contains(&m) => {}
        _ => {
            let (offset, len) = key_offset(&file, "format_version");
            return Err(invalid(
                &file,
                format!(
                    "unsupported plan format_version {format_version:?}: this drguard reads format versions 0.x and 1.x (Terraform 0.12 and later, OpenTofu)"
                ),
                "a new major format version may change what fields mean; use a drguard release that reads it, or write the plan with a Terraform release this one supports",
                offset,
                len,
            ));
        }
    }
    let mut plan = Plan {
        format_version,
        terraform_version: object
            .get("terraform_version")
            .and_then(Value::as_str)
            .map(str::to_string),
        timestamp: object
            .get("timestamp")
            .and_then(Value::as_str)
            .map(str::to_string),
        variables: object
            .get("variables")
            .and_then(Value::as_object)
            .map(|vars| {
                vars.iter()
                    .map(|(k, v)| (k.clone(), v.get("value").cloned().unwrap_or(Value::Null)))
                    .collect()
            })
            .unwrap_or_default(),
        changes: Vec::new(),
        prior: Vec::new(),
        provider_config: BTreeMap::new(),
        config_resources: BTreeMap::new(),
        module_calls: BTreeMap::new(),
        file,
    };
    for entry in object
        .get("resource_changes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if let Some(change) = resource_change(entry) {
            plan.changes.push(change);
        }
    }
    if let Some(configuration) = object.get("configuration") {
        if let Some(providers) = configuration
            .get("provider_config")
            .and_then(Value::as_object)
        {
            plan.provider_config = providers
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
        }
        if let Some(root_module) = configuration.get("root_module") {
            let out = (&mut plan.config_resources, &mut plan.module_calls);
            walk_config(root_module, "", out, 0);
        }
    }
    let listed: std::collections::BTreeSet<String> =
        plan.changes.iter().map(|c| c.address.clone()).collect();
    if let Some(root_module) = object
        .get("prior_state")
        .and_then(|s| s.get("values"))
        .and_then(|v| v.get("root_module"))
    {
        walk_state(root_module, &listed, &mut plan.prior, 0);
    }
    let aws = |c: &ResourceChange| is_aws(&c.provider_name, &c.resource_type);
    if !plan.changes.iter().any(aws) && !plan.prior.iter().any(aws) {
        let others: std::collections::BTreeSet<&str> = plan
            .changes
            .iter()
            .map(|c| c.provider_name.as_str())
            .collect();
        let (offset, len) = key_offset(&plan.file, "resource_changes");
        let found = if others.is_empty() {
            "no resource changes at all".to_string()
        } else {
            format!(
                "resources of other providers only ({})",
                others.into_iter().collect::<Vec<_>>().join(", ")
            )
        };
        return Err(invalid(
            &plan.file,
            format!(
                "this Terraform plan manages no hashicorp/aws resource: it has {found}; drguard audits AWS resources"
            ),
            "pass the plan of the configuration that manages the app's AWS resources (a plan that changes nothing still lists them as no-op)",
            offset,
            len,
        ));
    }
    Ok(plan)
}

/// True for a resource of the hashicorp/aws provider (0.12 writes `aws`).
pub fn is_aws(provider_name: &str, resource_type: &str) -> bool {
    let provider = provider_name.rsplit('/').next().unwrap_or(provider_name);
    (provider == "aws" || provider_name.ends_with("hashicorp/aws"))
        && resource_type.starts_with("aws_")
}

/// Recognises the JSON files people pass by mistake, by their top-level keys.
fn identify(file: &SourceFile, object: &serde_json::Map<String, Value>) -> Result<(), PlanError> {
    let has = |k: &str| object.contains_key(k);
    let at = |key: &str, message: &str, help: &str| {
        let (offset, len) = key_offset(file, key);
        Err(invalid(file, message.to_string(), help, offset, len))
    };
    if has("schema_version") && has("captured_at") && has("regions") {
        return at(
            "schema_version",
            "this is a drguard snapshot, not a Terraform plan: expected the JSON of `terraform show -json PLAN`",
            "pass a snapshot with `--snapshot FILE` (the plan is overlaid onto it), and the plan with `--plan`",
        );
    }
    if has("schema_version") && has("results") {
        return at(
            "schema_version",
            "this is a drguard JSON report, not a Terraform plan: expected the JSON of `terraform show -json PLAN`",
            "a previous report is a `--baseline`; the plan is the JSON `terraform show -json plan.out` writes",
        );
    }
    if has("lineage") && has("serial") {
        return at(
            "lineage",
            "this is a Terraform state file (terraform.tfstate), not a plan: expected the JSON of `terraform show -json PLAN`",
            PRODUCE,
        );
    }
    if !has("format_version") {
        return Err(invalid(
            file,
            "this JSON object has no `format_version`: it is not the JSON of `terraform show -json PLAN`".into(),
            PRODUCE,
            0,
            1,
        ));
    }
    if !has("resource_changes") && !has("planned_values") && has("values") {
        return at(
            "values",
            "this is `terraform show -json` of a state (it has `values`, no `resource_changes`), not of a plan",
            PRODUCE,
        );
    }
    if !has("resource_changes") && !has("planned_values") {
        return at(
            "format_version",
            "this JSON has a `format_version` but neither `resource_changes` nor `planned_values`: it is not a Terraform plan (`terraform providers schema -json` or `terraform plan -json` UI output?)",
            PRODUCE,
        );
    }
    Ok(())
}

fn resource_change(entry: &Value) -> Option<ResourceChange> {
    let text = |k: &str| entry.get(k).and_then(Value::as_str).map(str::to_string);
    let change = entry.get("change")?;
    // A deposed object is an older copy of a replaced resource: its delete
    // does not remove the current one.
    if entry.get("deposed").is_some_and(|d| !d.is_null()) {
        return None;
    }
    let actions: Vec<String> = change
        .get("actions")?
        .as_array()?
        .iter()
        .filter_map(|a| a.as_str().map(str::to_string))
        .collect();
    Some(ResourceChange {
        address: text("address")?,
        mode: text("mode").unwrap_or_else(|| "managed".into()),
        resource_type: text("type")?,
        provider_name: text("provider_name").unwrap_or_default(),
        action: Action::from_actions(&actions)?,
        before: change.get("before").cloned().unwrap_or(Value::Null),
        after: change.get("after").cloned().unwrap_or(Value::Null),
        after_unknown: change.get("after_unknown").cloned().unwrap_or(Value::Null),
    })
}

/// How deeply modules may nest before the rest is ignored (fuzzed input).
const MAX_DEPTH: usize = 64;

/// Where [`walk_config`] records resource blocks and module calls.
type ConfigOut<'a> = (
    &'a mut BTreeMap<String, ConfigResource>,
    &'a mut BTreeMap<String, ModuleCall>,
);

fn walk_config(module: &Value, prefix: &str, out: ConfigOut<'_>, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    let (resources, calls) = out;
    for resource in module
        .get("resources")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let Some(address) = resource.get("address").and_then(Value::as_str) else {
            continue;
        };
        resources.insert(
            format!("{prefix}{address}"),
            ConfigResource {
                provider_config_key: resource
                    .get("provider_config_key")
                    .and_then(Value::as_str)
                    .map(str::to_string),
                expressions: resource.get("expressions").cloned().unwrap_or(Value::Null),
            },
        );
    }
    for (name, call) in module
        .get("module_calls")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let child = call.get("module");
        calls.insert(
            format!("{prefix}module.{name}"),
            ModuleCall {
                expressions: call.get("expressions").cloned().unwrap_or(Value::Null),
                variables: child
                    .and_then(|c| c.get("variables"))
                    .cloned()
                    .unwrap_or(Value::Null),
            },
        );
        if let Some(child) = child {
            let out = (&mut *resources, &mut *calls);
            walk_config(child, &format!("{prefix}module.{name}."), out, depth + 1);
        }
    }
}

fn walk_state(
    module: &Value,
    listed: &std::collections::BTreeSet<String>,
    out: &mut Vec<ResourceChange>,
    depth: usize,
) {
    if depth > MAX_DEPTH {
        return;
    }
    for resource in module
        .get("resources")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let text = |k: &str| resource.get(k).and_then(Value::as_str).map(str::to_string);
        let (Some(address), Some(resource_type)) = (text("address"), text("type")) else {
            continue;
        };
        if text("mode").as_deref() == Some("data") || listed.contains(&address) {
            continue;
        }
        let values = resource.get("values").cloned().unwrap_or(Value::Null);
        out.push(ResourceChange {
            address,
            mode: "managed".into(),
            resource_type,
            provider_name: text("provider_name").unwrap_or_default(),
            action: Action::NoOp,
            before: values.clone(),
            after: values,
            after_unknown: Value::Null,
        });
    }
    for child in module
        .get("child_modules")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        walk_state(child, listed, out, depth + 1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_addresses_drop_instance_keys() {
        assert_eq!(
            block_address(r#"module.a[0].module.b["x.y]"].aws_lb.web[2]"#),
            "module.a.module.b.aws_lb.web"
        );
        assert_eq!(block_address("aws_lb.web"), "aws_lb.web");
    }

    fn error_of(text: &str) -> String {
        match parse(SourceFile::new("plan.json", text)) {
            Err(PlanError::Invalid { message, .. }) => message,
            other => panic!("expected an invalid plan, got {other:?}"),
        }
    }

    #[test]
    fn names_what_a_wrong_file_is() {
        assert!(
            error_of(r#"{"schema_version":"1","captured_at":"x","regions":{}}"#)
                .contains("drguard snapshot")
        );
        assert!(error_of(r#"{"schema_version":"1","results":[]}"#).contains("drguard JSON report"));
        assert!(
            error_of(r#"{"version":4,"serial":3,"lineage":"x","resources":[]}"#)
                .contains("state file")
        );
        assert!(
            error_of(r#"{"format_version":"2.0","resource_changes":[]}"#)
                .contains("unsupported plan format_version")
        );
        assert!(
            error_of(r#"{"format_version":"1.2","resource_changes":[{"#).contains("ends early")
        );
        assert!(error_of("").contains("empty"));
        assert!(error_of(
            r#"{"format_version":"1.2","resource_changes":[{"address":"google_x.a","type":"google_x","provider_name":"registry.terraform.io/hashicorp/google","change":{"actions":["create"]}}]}"#
        )
        .contains("other providers only"));
    }
}
