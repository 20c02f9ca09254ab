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
    match provider.get("expressions").and_then(|e| e.get("region")) {
        Some(expression) => match expression_region(plan, expression) {
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

fn expression_region(plan: &Plan, expression: &Value) -> Result<String, String> {
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
}
