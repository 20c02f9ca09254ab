//! `drguard diff OLD NEW`: two snapshots compared resource by resource.
//!
//! Resources are matched by ARN first (the ARN drguard derives for results,
//! so it is the identity fingerprints use), then, among those left over, by
//! type, region and id: same name with a new ARN is a *replaced* resource (a
//! load balancer or cluster re-created), which a baseline sees as new
//! findings. A rename that keeps the ARN (a launch template's name; its ARN
//! uses the template id) is a *changed* resource whose `name` changed.
//!
//! By default only the fields that matter are compared: the model fields the
//! loaded rules read (`resource.<field>` in their expressions and messages)
//! and those [`crate::link`] joins on ([`crate::link::inputs`]). `--all-fields`
//! compares every field. CloudWatch metric summaries are measurements, not
//! configuration, and are not compared.
//!
//! The change in the RTO/RPO estimate is [`Diff::budget`]: [`diff`] compares
//! configuration only, and its callers, which compute the budget of both
//! snapshots anyway, fill it in ([`super::budget_delta`]). The budget reads the
//! topology, so the fields it depends on are already in the relevant set.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value as Json;

use super::budget_delta::BudgetDelta;
use crate::config::Config;
use crate::link;
use crate::rules::RuleSet;
use crate::rules::resources::{self, Record, ResourceKind};
use crate::snapshot::Snapshot;

/// How a resource changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ChangeKind {
    /// Only in the new snapshot.
    Added,
    /// Only in the old snapshot.
    Removed,
    /// Same ARN, different fields.
    Changed,
    /// Same type, region and id, different ARN: re-created.
    Replaced,
}

impl ChangeKind {
    /// Name in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Added => "added",
            ChangeKind::Removed => "removed",
            ChangeKind::Changed => "changed",
            ChangeKind::Replaced => "replaced",
        }
    }
}

/// One field's values before and after (`null` when absent on one side).
#[derive(Debug, Clone, PartialEq)]
pub struct FieldChange {
    /// Path inside the resource (`replication.rules[0].status`, `tags.App`).
    pub path: String,
    /// Old value.
    pub before: Json,
    /// New value.
    pub after: Json,
}

/// One resource that changed.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// Added, removed, changed or replaced.
    pub change: ChangeKind,
    /// Resource type name.
    pub resource_type: &'static str,
    /// Region, or `global`.
    pub region: String,
    /// Short id.
    pub resource_id: String,
    /// ARN (the new one for a replaced resource).
    pub resource_arn: String,
    /// The old ARN of a replaced resource.
    pub previous_arn: Option<String>,
    /// Field-level changes (changed and replaced resources).
    pub fields: Vec<FieldChange>,
}

/// Which snapshot a side is.
#[derive(Debug, Clone, PartialEq)]
pub struct Side {
    /// Capture time.
    pub captured_at: String,
    /// Account id.
    pub account_id: String,
    /// Calls that failed when the snapshot was collected (`service[.resource] operation in
    /// region: error code`): what looks removed may only be uncollected.
    pub gaps: Vec<String>,
}

impl Side {
    fn of(snapshot: &Snapshot) -> Side {
        Side {
            captured_at: snapshot.captured_at.clone(),
            account_id: snapshot.account_id.clone(),
            gaps: snapshot
                .gaps
                .iter()
                .map(|g| {
                    let source = match &g.resource {
                        Some(part) => format!("{}.{part}", g.service),
                        None => g.service.clone(),
                    };
                    format!("{source} {} in {}: {}", g.operation, g.region, g.error_code)
                })
                .collect(),
        }
    }
}

/// Changes per kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DiffCounts {
    /// Added.
    pub added: usize,
    /// Removed.
    pub removed: usize,
    /// Changed.
    pub changed: usize,
    /// Replaced.
    pub replaced: usize,
}

/// The difference between two snapshots.
#[derive(Debug, Clone, PartialEq)]
pub struct Diff {
    /// The old snapshot.
    pub old: Side,
    /// The new snapshot.
    pub new: Side,
    /// True when every field was compared, not only those rules read.
    pub all_fields: bool,
    /// Counts per kind of change.
    pub summary: DiffCounts,
    /// Every changed resource, by type, region and id.
    pub changes: Vec<Change>,
    /// The change in the RTO/RPO estimate (null when it was not computed).
    pub budget: Option<BudgetDelta>,
}

impl Diff {
    /// True when nothing relevant changed (`drguard diff` then exits 0): no
    /// resource changed and the recovery promise did not move.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty() && !self.budget.as_ref().is_some_and(BudgetDelta::moved)
    }
}

/// The model fields that matter per resource type: what the rules read plus
/// what link joins on.
pub fn relevant_fields(rules: &RuleSet) -> BTreeMap<ResourceKind, BTreeSet<String>> {
    let mut fields: BTreeMap<ResourceKind, BTreeSet<String>> = BTreeMap::new();
    for &kind in ResourceKind::all() {
        let entry = fields.entry(kind).or_default();
        entry.extend(link::inputs(kind.as_str()).iter().map(|f| f.to_string()));
    }
    for rule in rules.rules.iter().filter(|r| r.enabled) {
        let entry = fields.entry(rule.resource).or_default();
        for source in rule.expression_sources() {
            entry.extend(resource_fields(source));
        }
    }
    fields
}

/// The names after `resource.` in an expression (`resource.min_size` → `min_size`).
fn resource_fields(source: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = source;
    while let Some(index) = rest.find("resource.") {
        let boundary = rest[..index]
            .chars()
            .next_back()
            .is_none_or(|c| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'));
        let after = &rest[index + "resource.".len()..];
        let name: String = after
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if boundary && !name.is_empty() {
            out.push(name);
        }
        rest = after;
    }
    out
}

/// Flattens a JSON value into `path → leaf`. Objects recurse (`a.b`), arrays of
/// objects recurse by index (`a[0].b`); scalars, arrays of scalars and empty
/// containers are leaves.
fn flatten(prefix: &str, value: &Json, out: &mut BTreeMap<String, Json>) {
    match value {
        Json::Object(map) if !map.is_empty() => {
            for (key, child) in map {
                let path = if prefix.is_empty() {
                    key.clone()
                } else {
                    format!("{prefix}.{key}")
                };
                flatten(&path, child, out);
            }
        }
        Json::Array(items) if items.iter().any(|i| i.is_object() || i.is_array()) => {
            for (index, child) in items.iter().enumerate() {
                flatten(&format!("{prefix}[{index}]"), child, out);
            }
        }
        leaf => {
            out.insert(prefix.to_string(), leaf.clone());
        }
    }
}

/// The top-level field of a flattened path.
fn top_field(path: &str) -> &str {
    path.split(['.', '[']).next().unwrap_or(path)
}

fn field_changes(old: &Json, new: &Json, relevant: Option<&BTreeSet<String>>) -> Vec<FieldChange> {
    let mut before = BTreeMap::new();
    let mut after = BTreeMap::new();
    flatten("", old, &mut before);
    flatten("", new, &mut after);
    let paths: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    paths
        .into_iter()
        .filter(|path| relevant.is_none_or(|fields| fields.contains(top_field(path))))
        .filter_map(|path| {
            let b = before.get(path).cloned().unwrap_or(Json::Null);
            let a = after.get(path).cloned().unwrap_or(Json::Null);
            (a != b).then(|| FieldChange {
                path: path.clone(),
                before: b,
                after: a,
            })
        })
        .collect()
}

fn all_records(snapshot: &Snapshot, linked: &link::Linked<'_>, config: &Config) -> Vec<Record> {
    ResourceKind::all()
        .iter()
        .filter(|kind| **kind != ResourceKind::APP)
        .flat_map(|kind| resources::records(*kind, snapshot, config, linked, None))
        .collect()
}

fn change(kind: ChangeKind, record: &Record) -> Change {
    Change {
        change: kind,
        resource_type: record.identity.kind.as_str(),
        region: record.identity.region.clone(),
        resource_id: record.identity.id.clone(),
        resource_arn: record.identity.arn.clone(),
        previous_arn: None,
        fields: Vec::new(),
    }
}

/// Compares two snapshots, each with its link result ([`link::link`], which the
/// callers also need for the budget). `all_fields` compares every field;
/// otherwise only the [`relevant_fields`] of `rules`.
pub fn diff(
    (old, old_linked): (&Snapshot, &link::Linked<'_>),
    (new, new_linked): (&Snapshot, &link::Linked<'_>),
    config: &Config,
    rules: &RuleSet,
    all_fields: bool,
) -> Diff {
    let relevant = relevant_fields(rules);
    let old_records = all_records(old, old_linked, config);
    let new_records = all_records(new, new_linked, config);
    let key = |r: &Record| (r.identity.kind, r.identity.arn.clone());
    let old_by_arn: BTreeMap<_, &Record> = old_records.iter().map(|r| (key(r), r)).collect();
    let new_by_arn: BTreeMap<_, &Record> = new_records.iter().map(|r| (key(r), r)).collect();
    let mut changes = Vec::new();
    // `relevant` has an entry for every kind, so None means "every field".
    let compared = |kind: ResourceKind| {
        if all_fields {
            None
        } else {
            relevant.get(&kind)
        }
    };
    // Same ARN: changed when a compared field differs.
    for (k, new_record) in &new_by_arn {
        if let Some(old_record) = old_by_arn.get(k) {
            let fields = field_changes(&old_record.model, &new_record.model, compared(k.0));
            if !fields.is_empty() {
                changes.push(Change {
                    fields,
                    ..change(ChangeKind::Changed, new_record)
                });
            }
        }
    }
    // Left over on both sides: same type, region and id means replaced.
    let identity = |r: &Record| {
        (
            r.identity.kind,
            r.identity.region.clone(),
            r.identity.id.clone(),
        )
    };
    let removed: Vec<&Record> = old_records
        .iter()
        .filter(|r| !new_by_arn.contains_key(&key(r)))
        .collect();
    let mut added: Vec<&Record> = new_records
        .iter()
        .filter(|r| !old_by_arn.contains_key(&key(r)))
        .collect();
    for old_record in removed {
        match added
            .iter()
            .position(|n| identity(n) == identity(old_record))
        {
            Some(index) => {
                let new_record = added.remove(index);
                changes.push(Change {
                    previous_arn: Some(old_record.identity.arn.clone()),
                    fields: field_changes(
                        &old_record.model,
                        &new_record.model,
                        compared(new_record.identity.kind),
                    ),
                    ..change(ChangeKind::Replaced, new_record)
                });
            }
            None => changes.push(change(ChangeKind::Removed, old_record)),
        }
    }
    for new_record in added {
        changes.push(change(ChangeKind::Added, new_record));
    }
    changes.sort_by(|a, b| {
        (a.resource_type, &a.region, &a.resource_id, a.change).cmp(&(
            b.resource_type,
            &b.region,
            &b.resource_id,
            b.change,
        ))
    });
    let mut summary = DiffCounts::default();
    for c in &changes {
        match c.change {
            ChangeKind::Added => summary.added += 1,
            ChangeKind::Removed => summary.removed += 1,
            ChangeKind::Changed => summary.changed += 1,
            ChangeKind::Replaced => summary.replaced += 1,
        }
    }
    Diff {
        old: Side::of(old),
        new: Side::of(new),
        all_fields,
        summary,
        changes,
        budget: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resource_fields_are_read_from_expressions() {
        assert_eq!(
            resource_fields("resource.min_size >= params.x && resource.role == 'dr'"),
            ["min_size", "role"]
        );
        assert_eq!(
            resource_fields("size(resource.tags) > 0 || topology.resource.x"),
            ["tags"]
        );
        assert!(resource_fields("params.resource").is_empty());
    }

    #[test]
    fn flatten_keeps_scalar_arrays_whole() {
        let mut out = BTreeMap::new();
        flatten(
            "",
            &serde_json::json!({"azs": ["a", "b"], "rules": [{"id": "x"}], "tags": {"App": "s"}, "none": []}),
            &mut out,
        );
        let keys: Vec<&str> = out.keys().map(String::as_str).collect();
        assert_eq!(keys, ["azs", "none", "rules[0].id", "tags.App"]);
        assert_eq!(top_field("rules[0].id"), "rules");
        assert_eq!(top_field("tags.App"), "tags");
    }
}
