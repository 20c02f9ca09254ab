//! The top-level fields of each resource type's CEL value (`resource.*`), so
//! that a rule reading `resource.helth_check_id` is an error at load time with
//! the closest name, not a null at run time.
//!
//! A resource's value is its snapshot model (every field is written, null
//! included), plus `region` and `arn`, plus the facts `link` derives
//! ([`crate::link::facts`]). The model's fields come from the snapshot's JSON
//! Schema, found by the resource spec's `location`; the facts' from their
//! structs' schemas. `budget.store` is not checked (its value is the budget's
//! own type, with no schema).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use serde_json::Value as Json;

use super::resources::ResourceKind;
use crate::snapshot::spec;

/// The fields of `resource` for one kind, or None when drguard cannot list
/// them (then nothing is checked).
pub fn of(kind: ResourceKind) -> Option<&'static BTreeSet<String>> {
    static TABLE: OnceLock<BTreeMap<&'static str, BTreeSet<String>>> = OnceLock::new();
    TABLE.get_or_init(build).get(kind.as_str())
}

/// The fields of the variables whose shape does not depend on the resource:
/// `app`, `targets` and `topology` (every field is serialised, null included).
pub fn variables() -> &'static BTreeMap<String, BTreeSet<String>> {
    static TABLE: OnceLock<BTreeMap<String, BTreeSet<String>>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let config = crate::config::Config::default();
        let keys = |value: Json| -> BTreeSet<String> {
            match value {
                Json::Object(map) => map.keys().cloned().collect(),
                _ => BTreeSet::new(),
            }
        };
        use crate::cel::bindings::to_json;
        [
            ("app", keys(to_json(&config.app_binding()))),
            ("targets", keys(to_json(&config.targets_binding()))),
            ("topology", keys(to_json(&crate::link::Topology::default()))),
        ]
        .into_iter()
        .filter(|(_, fields)| !fields.is_empty())
        .map(|(name, fields)| (name.to_string(), fields))
        .collect()
    })
}

fn build() -> BTreeMap<&'static str, BTreeSet<String>> {
    let mut table = BTreeMap::new();
    let snapshot = crate::snapshot::json_schema();
    let facts: BTreeMap<&str, Json> = crate::link::facts::schemas().into_iter().collect();
    for resource in spec::resources() {
        let Some(model) = model_schema(&snapshot, resource.location) else {
            continue;
        };
        let mut fields = properties(&snapshot, &model);
        if fields.is_empty() {
            continue;
        }
        fields.insert("region".into());
        fields.insert("arn".into());
        if let Some(schema) = facts.get(resource.kind) {
            fields.extend(properties(schema, schema));
        }
        table.insert(resource.kind, fields);
    }
    let app = crate::cel::bindings::to_json(&crate::config::Config::default().app_binding());
    if let Json::Object(map) = app {
        let mut fields: BTreeSet<String> = map.keys().cloned().collect();
        fields.extend(["region".to_string(), "arn".to_string()]);
        table.insert(ResourceKind::APP.as_str(), fields);
    }
    let dependency = crate::cel::bindings::to_json(&crate::link::PrimaryDependency {
        id: String::new(),
        kind: String::new(),
        subject: String::new(),
        reason: String::new(),
        blocks: String::new(),
    });
    if let Json::Object(map) = dependency {
        let mut fields: BTreeSet<String> = map.keys().cloned().collect();
        fields.extend(["region".to_string(), "arn".to_string()]);
        table.insert(ResourceKind::FAILOVER_DEPENDENCY.as_str(), fields);
    }
    table
}

/// The item schema at a spec's location: "`regions.*.db_clusters[]`",
/// "`global.health_checks[]`", or "record set of `global.hosted_zones[]`".
fn model_schema(root: &Json, location: &str) -> Option<Json> {
    let path = location.split('`').nth(1)?;
    let mut node = root.clone();
    for part in path.split('.') {
        node = resolve(root, &node);
        let (name, list) = match part.strip_suffix("[]") {
            Some(name) => (name, true),
            None => (part, false),
        };
        node = if name == "*" {
            node.get("additionalProperties")?.clone()
        } else {
            node.get("properties")?.get(name)?.clone()
        };
        if list {
            node = resolve(root, &node).get("items")?.clone();
        }
    }
    if location.starts_with("record set of") {
        node = resolve(root, &node)
            .get("properties")?
            .get("record_sets")?
            .clone();
        node = resolve(root, &node).get("items")?.clone();
    }
    Some(resolve(root, &node))
}

/// Follows `$ref` into `$defs`, and an optional's `anyOf`/`oneOf` to its non-null branch.
fn resolve(root: &Json, node: &Json) -> Json {
    let mut node = node.clone();
    for _ in 0..16 {
        if let Some(reference) = node.get("$ref").and_then(Json::as_str) {
            let Some(name) = reference.strip_prefix("#/$defs/") else {
                break;
            };
            match root.get("$defs").and_then(|d| d.get(name)) {
                Some(target) => node = target.clone(),
                None => break,
            }
            continue;
        }
        let branches = node
            .get("anyOf")
            .or_else(|| node.get("oneOf"))
            .and_then(Json::as_array)
            .cloned();
        if let Some(branches) = branches
            && node.get("properties").is_none()
        {
            match branches
                .into_iter()
                .find(|b| b.get("type").and_then(Json::as_str) != Some("null"))
            {
                Some(branch) => node = branch,
                None => break,
            }
            continue;
        }
        break;
    }
    node
}

fn properties(root: &Json, node: &Json) -> BTreeSet<String> {
    let node = resolve(root, node);
    let mut out: BTreeSet<String> = node
        .get("properties")
        .and_then(Json::as_object)
        .map(|p| p.keys().cloned().collect())
        .unwrap_or_default();
    // `#[serde(flatten)]` and composed structs: their parts' fields too.
    for part in node
        .get("allOf")
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
    {
        out.extend(properties(root, part));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every collected type and the app resolve to fields, so a new resource
    /// type whose location the resolver cannot follow fails here instead of
    /// going unchecked.
    #[test]
    fn every_kind_but_budget_stores_has_fields() {
        for kind in ResourceKind::all() {
            if *kind == ResourceKind::BUDGET_STORE {
                assert!(of(*kind).is_none());
                continue;
            }
            let fields = of(*kind).unwrap_or_else(|| panic!("{kind}: no fields"));
            assert!(
                fields.contains("arn") && fields.len() > 3,
                "{kind}: {fields:?}"
            );
        }
        let health_check =
            of(ResourceKind::parse("route53.health_check").unwrap_or(ResourceKind::APP));
        assert!(health_check.is_some_and(|f| f.contains("request_interval")));
        let group = of(ResourceKind::parse("autoscaling.group").unwrap_or(ResourceKind::APP));
        assert!(group.is_some_and(|f| f.contains("min_size") && f.contains("role")));
    }
}
