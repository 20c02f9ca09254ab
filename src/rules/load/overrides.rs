//! What the config says about rules: `[rules."ID"]` overrides applied, and
//! `[[waiver]]` rule ids checked, each unknown id an error with the closest
//! known one.

use serde_json::Value as Json;

use super::RuleError;
use crate::cel::closest;
use crate::config::Config;
use crate::rules::rule::Rule;

fn json_kind(value: &Json) -> &'static str {
    match value {
        Json::Null => "null",
        Json::Bool(_) => "boolean",
        Json::Number(n) if n.is_i64() => "integer",
        Json::Number(_) => "float",
        Json::String(_) => "string",
        Json::Array(_) => "array",
        Json::Object(_) => "table",
    }
}

pub(super) fn apply_overrides(rules: &mut [Rule], config: &Config, problems: &mut Vec<RuleError>) {
    let Some(file) = &config.source else {
        return;
    };
    for (id, overrides) in &config.rules.overrides {
        let Some(rule) = rules.iter_mut().find(|r| &r.id == id) else {
            problems.push(RuleError::at(
                file,
                overrides.span,
                format!("`[rules.\"{id}\"]` names no known rule"),
                "unknown rule id",
                unknown_id_help(id, rules),
            ));
            continue;
        };
        if let Some(severity) = overrides.severity {
            rule.severity = severity;
        }
        if let Some(enabled) = overrides.enabled {
            rule.enabled = enabled;
        }
        for (name, (value, span)) in &overrides.params {
            match rule.params.get(name) {
                None => problems.push(RuleError::at(
                    file,
                    *span,
                    format!("rule {id} has no parameter `{name}`"),
                    "unknown parameter",
                    if rule.params.is_empty() {
                        format!("{id} takes no parameters")
                    } else {
                        format!(
                            "{id} takes: {}",
                            rule.params.keys().cloned().collect::<Vec<_>>().join(", ")
                        )
                    },
                )),
                Some(default)
                    if json_kind(default) != json_kind(value)
                        && !(default.is_number() && value.is_number()) =>
                {
                    problems.push(RuleError::at(
                        file,
                        *span,
                        format!(
                            "parameter `{name}` of {id} must be of type {}, found {}",
                            json_kind(default),
                            json_kind(value)
                        ),
                        "wrong type",
                        format!("the rule's default is {default}"),
                    ));
                }
                Some(default) => {
                    // An integer given for a float default stays a float, so CEL
                    // arithmetic on it keeps working (CEL does not mix int and double).
                    let value = match (default, value) {
                        (Json::Number(d), Json::Number(v)) if d.is_f64() && !v.is_f64() => {
                            v.as_f64().map(Json::from).unwrap_or_else(|| value.clone())
                        }
                        _ => value.clone(),
                    };
                    rule.params.insert(name.clone(), value);
                }
            }
        }
    }
}

/// "did you mean …?" for an unknown rule id, else where to look the ids up.
fn unknown_id_help(id: &str, rules: &[Rule]) -> String {
    let upper = id.to_ascii_uppercase();
    match closest(&upper, rules.iter().map(|r| r.id.as_str())) {
        Some(known) => format!("did you mean {known:?}? `drguard rules list` shows every id"),
        None => "check the id with `drguard rules list`; ids look like DRG-R53-001".into(),
    }
}

/// A waiver whose rule id names no rule (built-in or loaded) would never
/// waive anything: an error, as a typo'd `[rules."ID"]` is.
pub(super) fn check_waivers(rules: &[Rule], config: &Config, problems: &mut Vec<RuleError>) {
    let Some(file) = &config.source else {
        return;
    };
    for waiver in &config.waivers {
        if rules.iter().any(|r| r.id == waiver.rule) {
            continue;
        }
        problems.push(RuleError::at(
            file,
            waiver.rule_span,
            format!("waiver names no known rule {:?}", waiver.rule),
            "unknown rule id",
            unknown_id_help(&waiver.rule, rules),
        ));
    }
}
