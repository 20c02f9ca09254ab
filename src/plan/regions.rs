//! Where a planned resource lives: its own `region` attribute (AWS provider
//! 6+), else its provider block's `region` (a constant, or a variable the
//! plan records), else `[plan] providers` in drguard.toml. Anything else is
//! unknown: a gap the report names, never a guess.

use serde_json::Value;

use super::parse::{Plan, ResourceChange};
use super::values;
use crate::config::Config;
use crate::vocab::is_region_name;

/// How a region was found, or why it was not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Placement {
    /// The region, and where it came from (for the report).
    Region(String, &'static str),
    /// Why no region could be determined.
    Unknown(String),
}

/// The region of a planned resource instance.
pub fn region_of(plan: &Plan, config: &Config, change: &ResourceChange) -> Placement {
    for values in [&change.after, &change.before] {
        if let Some(region) = values::text(values, "region").filter(|r| is_region_name(r)) {
            return Placement::Region(region, "the resource's `region` attribute");
        }
    }
    let block = plan.config_of(&change.address);
    let key = block
        .and_then(|b| b.provider_config_key.clone())
        .unwrap_or_else(|| default_key(&change.address));
    if let Some(region) = config.plan.providers.get(&key) {
        return Placement::Region(region.clone(), "[plan] providers in drguard.toml");
    }
    // Before format 1.1 (Terraform 1.2), module resources carry a key named
    // after the local module name, which may point at the wrong block.
    let old_format = plan.format_version.starts_with("0.") || plan.format_version == "1.0";
    if old_format && change.address.starts_with("module.") {
        return Placement::Unknown(format!(
            "`{}` is in a module of a plan with format_version {} (before Terraform 1.2), whose provider keys are unreliable: map `{key}` under [plan] providers in drguard.toml",
            change.address, plan.format_version
        ));
    }
    let Some(provider) = plan.provider_config.get(&key) else {
        return Placement::Unknown(format!(
            "`{}` uses provider configuration `{key}`, which the plan does not describe: map it under [plan] providers in drguard.toml",
            change.address
        ));
    };
    // A provider block inside a module reads the module's variables.
    let scope = provider
        .get("module_address")
        .and_then(Value::as_str)
        .map(str::to_string)
        .or_else(|| key.split_once(':').map(|(module, _)| module.to_string()))
        .unwrap_or_default();
    match provider.get("expressions").and_then(|e| e.get("region")) {
        Some(expression) => match expression_region(plan, &scope, expression, 0) {
            Ok(region) => Placement::Region(region, "its provider block's `region`"),
            Err(why) => Placement::Unknown(format!(
                "`{}`: provider `{key}` sets `region` {why}: map `{key}` under [plan] providers in drguard.toml",
                change.address
            )),
        },
        None => Placement::Unknown(format!(
            "`{}`: provider `{key}` sets no `region` (it comes from the environment, which the plan does not record): map `{key}` under [plan] providers in drguard.toml",
            change.address
        )),
    }
}

/// The value of variable `name` of module `scope`: the call's argument
/// (an expression of the calling module), else the variable's `default`.
fn module_variable(plan: &Plan, scope: &str, name: &str, depth: usize) -> Result<String, String> {
    if depth > 64 {
        return Err("which refers back to itself".into());
    }
    let Some(call) = plan.module_calls.get(scope) else {
        return Err("a module the plan's configuration does not describe".into());
    };
    let parent = scope.rfind(".module.").map_or("", |at| &scope[..at]);
    if let Some(argument) = call.expressions.get(name) {
        return expression_region(plan, parent, argument, depth + 1)
            .map_err(|why| format!("set in the module call {why}"));
    }
    match call.variables.get(name).and_then(|v| v.get("default")) {
        Some(Value::String(region)) if is_region_name(region) => Ok(region.clone()),
        Some(other) => Err(format!("whose default {other} is not a region name")),
        None => Err("which the module call does not set".into()),
    }
}

/// The provider key Terraform uses for a resource without a config block.
fn default_key(address: &str) -> String {
    let mut module = String::new();
    let mut parts = address.split('.');
    while let (Some("module"), Some(name)) = (parts.next(), parts.next()) {
        if !module.is_empty() {
            module.push('.');
        }
        module.push_str("module.");
        module.push_str(name.split('[').next().unwrap_or_default());
    }
    if module.is_empty() {
        "aws".into()
    } else {
        format!("{module}:aws")
    }
}

/// The region an expression of module `scope` (`""` for the root module)
/// evaluates to: a constant, or a variable, followed through the module
/// calls up to the root's `variables`.
fn expression_region(
    plan: &Plan,
    scope: &str,
    expression: &Value,
    depth: usize,
) -> Result<String, String> {
    if let Some(constant) = expression.get("constant_value") {
        return match constant.as_str() {
            Some(region) if is_region_name(region) => Ok(region.to_string()),
            _ => Err(format!("to {constant}, not a region name")),
        };
    }
    let references: Vec<&str> = expression
        .get("references")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    match references.as_slice() {
        [reference, ..] if reference.starts_with("var.") && !scope.is_empty() => {
            let name = reference.trim_start_matches("var.");
            let name = name.split(['.', '[']).next().unwrap_or(name);
            module_variable(plan, scope, name, depth)
                .map_err(|why| format!("from `{reference}` of `{scope}`, {why}"))
        }
        [reference, ..] if reference.starts_with("var.") => {
            let name = reference.trim_start_matches("var.");
            match plan.variables.get(name).and_then(Value::as_str) {
                Some(region) if is_region_name(region) => Ok(region.to_string()),
                Some(other) => Err(format!("from `{reference}` = {other:?}, not a region name")),
                None => Err(format!("from `{reference}`, which the plan gives no value")),
            }
        }
        [reference, ..] => Err(format!(
            "from `{reference}`, which cannot be read from the plan JSON"
        )),
        [] => Err("from an expression the plan does not record".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_keys_follow_the_module_path() {
        assert_eq!(default_key("aws_lb.web"), "aws");
        assert_eq!(
            default_key("module.dr[0].module.net.aws_lb.web"),
            "module.dr.module.net:aws"
        );
    }

    /// A provider block declared inside a module reads `var.region` of that
    /// module: the call's argument (followed up to the root's variables) or
    /// the variable's default, never a root variable of the same name.
    #[test]
    fn a_provider_inside_a_module_reads_the_module_variables() {
        let text = r#"{
          "format_version": "1.2",
          "variables": {"region": {"value": "us-east-1"}, "dr_region": {"value": "us-west-2"}},
          "resource_changes": [
            {"address": "module.dr.aws_lb.web", "module_address": "module.dr", "mode": "managed",
             "type": "aws_lb", "name": "web", "provider_name": "registry.terraform.io/hashicorp/aws",
             "change": {"actions": ["no-op"], "before": {}, "after": {}}},
            {"address": "module.dr.module.cache.aws_lb.web", "mode": "managed", "type": "aws_lb",
             "name": "web", "provider_name": "registry.terraform.io/hashicorp/aws",
             "change": {"actions": ["no-op"], "before": {}, "after": {}}},
            {"address": "module.odd.aws_lb.web", "mode": "managed", "type": "aws_lb",
             "name": "web", "provider_name": "registry.terraform.io/hashicorp/aws",
             "change": {"actions": ["no-op"], "before": {}, "after": {}}}
          ],
          "configuration": {
            "provider_config": {
              "aws": {"name": "aws", "expressions": {"region": {"references": ["var.region"]}}},
              "module.dr:aws": {"name": "aws", "module_address": "module.dr",
                                "expressions": {"region": {"references": ["var.region"]}}},
              "module.dr.module.cache:aws": {"name": "aws", "module_address": "module.dr.module.cache",
                                "expressions": {"region": {"references": ["var.region"]}}},
              "module.odd:aws": {"name": "aws", "module_address": "module.odd",
                                "expressions": {"region": {"references": ["var.region"]}}}
            },
            "root_module": {
              "module_calls": {
                "dr": {"source": "./app", "expressions": {"region": {"references": ["var.dr_region"]}},
                       "module": {
                         "resources": [{"address": "aws_lb.web", "type": "aws_lb", "name": "web",
                                        "provider_config_key": "module.dr:aws"}],
                         "variables": {"region": {}},
                         "module_calls": {"cache": {"source": "./cache", "expressions": {}, "module": {
                           "resources": [{"address": "aws_lb.web", "type": "aws_lb", "name": "web",
                                          "provider_config_key": "module.dr.module.cache:aws"}],
                           "variables": {"region": {"default": "eu-west-1"}}}}}}},
                "odd": {"source": "./app", "expressions": {},
                        "module": {"resources": [{"address": "aws_lb.web", "type": "aws_lb", "name": "web",
                                                  "provider_config_key": "module.odd:aws"}],
                                   "variables": {"region": {}}}}
              }
            }
          }
        }"#;
        let plan =
            crate::plan::parse::parse(crate::source::SourceFile::new("p.json", text)).unwrap();
        let config = Config::default();
        let place = |i: usize| region_of(&plan, &config, &plan.changes[i]);
        assert_eq!(
            place(0),
            Placement::Region("us-west-2".into(), "its provider block's `region`")
        );
        assert_eq!(
            place(1),
            Placement::Region("eu-west-1".into(), "its provider block's `region`")
        );
        match place(2) {
            Placement::Unknown(why) => {
                assert!(why.contains("which the module call does not set"), "{why}");
                assert!(why.contains("[plan] providers"), "{why}");
            }
            other => panic!("{other:?}"),
        }
    }
}
