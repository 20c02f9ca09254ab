//! Service knowledge as data: what each AWS service contributes to a
//! snapshot ([`ServiceSpec`]: its data sources, the calls that read them and
//! the IAM action of each, where the data lands, how its lists are sorted)
//! and what each resource type is ([`ResourceSpec`]: its rule-facing name,
//! where its items live, how results name it, which fields a diff compares).
//!
//! A spec sits in the model file of its service (`snapshot/model/<service>.rs`),
//! which every build compiles: the collector code beside it needs the AWS
//! SDK (feature `live`), but the names and calls are needed without it too
//! (config validation, rule loading, the docs, the IAM policy). The data-source
//! names, the published IAM policy, the data-source and resource-type tables
//! of the docs and the diff's field list are all derived from the specs in
//! [`super::model::SERVICES`]; tests keep the generated files fresh.

use std::any::Any;

use serde::Serialize;

use super::model::{RegionSnapshot, Snapshot};

/// One AWS service as drguard reads it.
#[derive(Debug)]
pub struct ServiceSpec {
    /// The service's data-source name (`route53`): skipping it skips all its sources.
    pub name: &'static str,
    /// What the service's data is, for people.
    pub description: &'static str,
    /// Its data sources: its parts (`route53.hosted_zones`), or the service
    /// itself when it has no parts (one entry named like the service).
    pub sources: &'static [DataSource],
    /// Sorts the lists the service fills by their natural key, so two
    /// collections of one account give byte-identical snapshots.
    pub sort: fn(&mut Snapshot),
    /// The resource types its data holds.
    pub resources: &'static [ResourceSpec],
}

/// One data source: what `requires`, `[[collect.skip]]` and gaps name.
#[derive(Debug)]
pub struct DataSource {
    /// `service` or `service.part`.
    pub name: &'static str,
    /// What it is, for people.
    pub description: &'static str,
    /// Where it is read: `each region`, `global`, … (docs).
    pub scope: &'static str,
    /// The read-only calls that read it.
    pub calls: &'static [Call],
    /// How the calls are made (docs): which parameters, how often.
    pub notes: &'static str,
    /// Where the data lands in the snapshot.
    pub fills: &'static str,
}

/// A read-only API call and the IAM action that allows it.
#[derive(Debug)]
pub struct Call {
    /// The API operation (`ListBuckets`).
    pub operation: &'static str,
    /// Its IAM action (`s3:ListAllMyBuckets`).
    pub action: &'static str,
}

/// Shorthand for a [`Call`] whose IAM action is `prefix:Operation`.
pub const fn call(operation: &'static str, action: &'static str) -> Call {
    Call { operation, action }
}

/// One resource type rules can name.
#[derive(Debug)]
pub struct ResourceSpec {
    /// Its name in rule files and reports (`route53.health_check`).
    pub kind: &'static str,
    /// Where its items live in the snapshot (docs).
    pub location: &'static str,
    /// Its items in the snapshot, each with its region, id and ARN (the one
    /// place a type's ARN is derived when the snapshot has none, so results,
    /// fingerprints and `drguard diff` agree on who is who).
    pub items: for<'a> fn(&'a Snapshot) -> Vec<Item<'a>>,
    /// What a result's resource id is (docs).
    pub id: &'static str,
    /// A result's region (docs).
    pub region: &'static str,
    /// The model fields `link` joins on: a change in one can change what
    /// rules see though no rule reads it, so `drguard diff` compares them.
    pub diff_fields: &'static [&'static str],
}

/// One resource of the snapshot, as rules and diffs name it.
#[derive(Debug)]
pub struct Item<'a> {
    /// Its region, or `global`.
    pub region: &'a str,
    /// Its short id (name, id).
    pub id: String,
    /// Its ARN.
    pub arn: String,
    /// The model item: its fields become the resource's CEL value.
    pub model: &'a dyn ModelItem,
    /// The item that holds it, when it only makes sense inside one (a
    /// record set's hosted zone).
    pub parent: Option<&'a dyn Any>,
}

/// A model item, type-erased so a new resource type needs no list of all
/// types: it serialises into the resource's CEL value, and the code that
/// reads its fields (link's facts) names its type again with
/// `model.as_any().downcast_ref::<T>()`.
pub trait ModelItem: Any + std::fmt::Debug {
    /// Its snapshot fields as JSON.
    fn to_json(&self) -> serde_json::Value;
    /// Itself, to be downcast to its model type.
    fn as_any(&self) -> &dyn Any;
}

impl<T: Serialize + Any + std::fmt::Debug> ModelItem for T {
    fn to_json(&self) -> serde_json::Value {
        // Model types are plain data with string keys: serialising cannot
        // fail; null would only show as fields the rules cannot read.
        serde_json::to_value(self).unwrap_or(serde_json::Value::Null)
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// Every item of a regional list, with its region, regions in name order.
pub fn regional<'a, T>(
    snapshot: &'a Snapshot,
    list: fn(&'a RegionSnapshot) -> &'a [T],
) -> impl Iterator<Item = (&'a str, &'a T)> {
    snapshot
        .regions
        .iter()
        .flat_map(move |(region, data)| list(data).iter().map(move |item| (region.as_str(), item)))
}

/// The calls drguard makes that read no data source: who the credentials are.
pub const SESSION_CALLS: &[Call] = &[call("GetCallerIdentity", "sts:GetCallerIdentity")];

/// Every service, in collection order.
pub fn services() -> &'static [&'static ServiceSpec] {
    super::model::SERVICES
}

/// Every data-source name with its description: each service, then its
/// parts (a service without parts is listed once).
pub fn data_sources() -> Vec<(&'static str, &'static str)> {
    let mut out = Vec::new();
    for service in services() {
        out.push((service.name, service.description));
        for source in service.sources {
            if source.name != service.name {
                out.push((source.name, source.description));
            }
        }
    }
    out
}

/// Every data source that is read on its own (`route53.hosted_zones`, or a
/// service without parts such as `ssm`): what a snapshot's `sources` lists.
pub fn leaf_sources() -> Vec<&'static str> {
    services()
        .iter()
        .flat_map(|s| s.sources.iter())
        .map(|source| source.name)
        .collect()
}

/// True for a known data-source name (`service` or `service.part`).
pub fn is_known_source(name: &str) -> bool {
    data_sources().iter().any(|(known, _)| *known == name)
}

/// Every data-source name, for error messages.
pub fn source_names() -> Vec<&'static str> {
    data_sources().into_iter().map(|(name, _)| name).collect()
}

/// Every IAM action drguard's calls need, sorted: the published policy.
pub fn iam_actions() -> Vec<&'static str> {
    let mut actions: Vec<&'static str> = services()
        .iter()
        .flat_map(|s| s.sources.iter())
        .flat_map(|source| source.calls.iter())
        .chain(SESSION_CALLS.iter())
        .map(|call| call.action)
        .collect();
    actions.sort_unstable();
    actions.dedup();
    actions
}

/// The least-privilege IAM policy, as published in `docs/iam-policy.json`.
pub fn iam_policy() -> serde_json::Value {
    serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "DrguardReadOnly",
            "Effect": "Allow",
            "Action": iam_actions(),
            "Resource": "*",
        }],
    })
}

/// The IAM action of an operation of the service whose actions start with
/// `prefix` (`s3` + `ListBuckets` → `s3:ListAllMyBuckets`); `prefix:operation`
/// when no spec names the call (the live IAM test then fails on it).
pub fn iam_action(prefix: &str, operation: &str) -> String {
    services()
        .iter()
        .flat_map(|s| s.sources.iter())
        .flat_map(|source| source.calls.iter())
        .chain(SESSION_CALLS.iter())
        .find(|call| {
            call.operation == operation
                && call
                    .action
                    .split_once(':')
                    .is_some_and(|(p, _)| p == prefix)
        })
        .map_or_else(
            || format!("{prefix}:{operation}"),
            |call| call.action.to_string(),
        )
}

/// Every resource type the snapshot holds.
pub fn resources() -> impl Iterator<Item = &'static ResourceSpec> {
    services().iter().flat_map(|s| s.resources.iter())
}

/// A resource type's spec, by its name in rule files.
pub fn resource(kind: &str) -> Option<&'static ResourceSpec> {
    resources().find(|spec| spec.kind == kind)
}

/// Sorts every list by its natural key (each service sorts its own), so that
/// two collections of the same account give byte-identical snapshots
/// whatever order the calls finished in.
pub fn normalise_order(snapshot: &mut Snapshot) {
    for service in services() {
        (service.sort)(snapshot);
    }
}

/// The data-source table of `docs/writing-rules.md`: name and description.
pub fn sources_markdown() -> String {
    let mut out = String::from("| name | data |\n|---|---|\n");
    for (name, description) in data_sources() {
        out.push_str(&format!("| `{name}` | {description} |\n"));
    }
    out
}

/// The data-source table of `docs/collect.md`: where each is read, the
/// calls with their IAM actions, and where the data lands.
pub fn collection_markdown() -> String {
    let mut out =
        String::from("| data source | scope | calls (IAM action) | fills |\n|---|---|---|---|\n");
    for service in services() {
        for source in service.sources {
            let calls: Vec<String> = source
                .calls
                .iter()
                .map(|c| format!("`{}` (`{}`)", c.operation, c.action))
                .collect();
            let notes = if source.notes.is_empty() {
                String::new()
            } else {
                format!("; {}", source.notes)
            };
            out.push_str(&format!(
                "| `{}` | {} | {}{notes} | {} |\n",
                source.name,
                source.scope,
                calls.join(", "),
                source.fills
            ));
        }
    }
    out
}

/// The rows of the resource-type table of `docs/writing-rules.md` that come
/// from the snapshot (the derived types, `app` and `budget.store`, are the
/// rules' own).
pub fn resources_markdown() -> String {
    let mut out = String::new();
    for spec in resources() {
        out.push_str(&format!(
            "| `{}` | {} | {} | {} |\n",
            spec.kind, spec.location, spec.id, spec.region
        ));
    }
    out
}
