//! hashicorp/aws resource types → the snapshot model, as data: one
//! [`Mapping`] per type, with the attributes it reads ([`Attr`]) and the
//! function that writes them into a snapshot. `docs/plan.md` shows the same
//! table.

mod accelerator;
mod attachment;
mod cache;
mod compute;
mod data;
mod dns;
mod events;
mod fill;
mod routing;
mod s3;
mod traffic;
mod watch;

use std::cell::RefCell;
use std::collections::HashMap;

use serde_json::Value;

use super::parse::{Plan, ResourceChange};
use super::unknown;
use super::values;
use crate::snapshot::Snapshot;

/// How an attribute is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttrKind {
    /// A value a rule reads: unknown → the data source is a gap.
    Value,
    /// The resource's own identity (id, ARN, DNS name): unknown on create →
    /// a placeholder other resources' links resolve to.
    Identity,
    /// A link to another resource: unknown → resolved from the
    /// `configuration` reference to a resource of `to` (one type, or several
    /// separated by `|`), reading its attribute `attr`; else a gap.
    Link {
        /// The referenced resource type.
        to: &'static str,
        /// The attribute of that resource the link holds.
        attr: &'static str,
    },
    /// A list of links (a group's `target_group_arns`): unknown → every
    /// `configuration` reference to a resource of `to` (reading `attr`),
    /// plus the elements already known; none at all → a gap.
    Links {
        /// The referenced resource type.
        to: &'static str,
        /// The attribute of that resource each link holds.
        attr: &'static str,
    },
    /// A value the provider computes when the configuration leaves it
    /// unset: known after apply on create with no expression for it in
    /// `configuration` → AWS's default (`default`, JSON); otherwise a gap.
    Computed {
        /// AWS's default, as JSON.
        default: &'static str,
    },
}

/// One plan attribute drguard reads.
#[derive(Debug, Clone, Copy)]
pub struct Attr {
    /// Path in `after` (`failover_routing_policy.0.type`).
    pub plan: &'static str,
    /// The snapshot field it fills (for the docs).
    pub model: &'static str,
    /// How unknowns are handled.
    pub kind: AttrKind,
}

const fn value(plan: &'static str, model: &'static str) -> Attr {
    Attr {
        plan,
        model,
        kind: AttrKind::Value,
    }
}
const fn identity(plan: &'static str, model: &'static str) -> Attr {
    Attr {
        plan,
        model,
        kind: AttrKind::Identity,
    }
}
const fn computed(plan: &'static str, model: &'static str, default: &'static str) -> Attr {
    Attr {
        plan,
        model,
        kind: AttrKind::Computed { default },
    }
}

const fn link(
    plan: &'static str,
    model: &'static str,
    to: &'static str,
    attr: &'static str,
) -> Attr {
    Attr {
        plan,
        model,
        kind: AttrKind::Link { to, attr },
    }
}

const fn links(
    plan: &'static str,
    model: &'static str,
    to: &'static str,
    attr: &'static str,
) -> Attr {
    Attr {
        plan,
        model,
        kind: AttrKind::Links { to, attr },
    }
}

/// Writes a resource's values into a snapshot, or removes it.
pub struct Mapping {
    /// The Terraform resource type (`aws_route53_record`).
    pub tf_type: &'static str,
    /// The resource kind the id `upsert` returns names (`route53.record_set`;
    /// a listener's is its load balancer's): results join on it.
    pub kind: &'static str,
    /// The data source it feeds (`route53.hosted_zones`).
    pub source: &'static str,
    /// True for global services (Route 53, Global Accelerator): no region.
    pub global: bool,
    /// The attributes read.
    pub attrs: &'static [Attr],
    /// Adds or replaces the resource from `ctx.values()` (the after values),
    /// after removing what `ctx.before` names; returns the result id.
    pub upsert: fn(&mut Ctx<'_, '_, '_>, &mut Snapshot) -> Result<String, String>,
    /// Removes what `ctx.before` names; returns the result id when found.
    pub remove: fn(&mut Ctx<'_, '_, '_>, &mut Snapshot) -> Option<String>,
    /// The result id `before` names, to check it is in the base snapshot.
    pub exists: fn(&Ctx<'_, '_, '_>, &Snapshot) -> Option<String>,
}

/// Every mapped type, in the order changes are applied: containers before
/// what they hold, the targets of links before the links.
pub const MAPPINGS: &[&Mapping] = &[
    &compute::SUBNET,
    &dns::ZONE,
    &dns::HEALTH_CHECK,
    &dns::RECORD,
    &compute::LOAD_BALANCER,
    &traffic::CERTIFICATE,
    &traffic::LISTENER,
    &traffic::LISTENER_CERTIFICATE,
    &traffic::TARGET_GROUP,
    &routing::LISTENER_RULE,
    &watch::AMI_COPY,
    &watch::AMI,
    &watch::AMI_FROM_INSTANCE,
    &compute::LAUNCH_TEMPLATE,
    &compute::AUTO_SCALING_GROUP,
    &attachment::GROUP_ATTACHMENT,
    &attachment::TRAFFIC_SOURCE_ATTACHMENT,
    &accelerator::ACCELERATOR,
    &accelerator::LISTENER,
    &accelerator::ENDPOINT_GROUP,
    &data::GLOBAL_CLUSTER,
    &data::DB_CLUSTER,
    &data::DB_INSTANCE,
    &cache::GLOBAL_REPLICATION_GROUP,
    &cache::REPLICATION_GROUP,
    &s3::BUCKET,
    &s3::BUCKET_VERSIONING,
    &s3::BUCKET_REPLICATION,
    &s3::BUCKET_ENCRYPTION,
    &data::SSM_DOCUMENT,
    &watch::METRIC_ALARM,
    &watch::COMPOSITE_ALARM,
    &events::EVENT_RULE,
    &events::EVENT_TARGET,
];

/// The data sources a change of a mapping with data source `source` can
/// change: its own, and for listeners the target groups' load balancers
/// too (a listener that stops forwarding takes its target group off).
pub fn sources_fed(source: &'static str) -> impl Iterator<Item = &'static str> {
    let also: &[&'static str] = match source {
        "elbv2.listeners" => &["elbv2.target_groups"],
        _ => &[],
    };
    std::iter::once(source).chain(also.iter().copied())
}

/// The type a Terraform type is an alias of: the provider keeps the `aws_alb*`
/// names of the first release beside the `aws_lb*` ones.
pub fn canonical(tf_type: &str) -> &str {
    match tf_type {
        "aws_alb" => "aws_lb",
        "aws_alb_target_group" => "aws_lb_target_group",
        "aws_alb_listener" => "aws_lb_listener",
        "aws_alb_listener_certificate" => "aws_lb_listener_certificate",
        "aws_alb_listener_rule" => "aws_lb_listener_rule",
        other => other,
    }
}

/// The mapping of a Terraform type (`aws_alb` is `aws_lb`).
pub fn mapping_of(tf_type: &str) -> Option<&'static Mapping> {
    let tf_type = canonical(tf_type);
    MAPPINGS.iter().copied().find(|m| m.tf_type == tf_type)
}

/// True when `tf_type` is one of the `|`-separated types of a link's `to`
/// (an image is an `aws_ami_copy`, an `aws_ami` or an `aws_ami_from_instance`).
fn one_of(to: &str, tf_type: &str) -> bool {
    to.split('|').any(|t| t == tf_type)
}

/// The error of a change to something (`what`, named `id`) that the plan
/// attaches to a container it cannot find: fail closed, never guess.
fn not_placed(what: &str, id: &str) -> String {
    format!("{what} `{id}` is neither in the snapshot nor created by the plan")
}

/// The cache slot of `global.buckets`.
pub const BUCKETS: &str = "buckets";

/// Another planned resource by address: its type, after values and unknown marks.
pub type Lookup<'o> = dyn Fn(&str) -> Option<(&'o str, &'o Value, &'o Value)> + 'o;

/// One resource change being applied.
pub struct Ctx<'a, 'o, 'c> {
    /// The plan.
    pub plan: &'a Plan,
    /// The change.
    pub change: &'a ResourceChange,
    /// Its mapping.
    pub mapping: &'static Mapping,
    /// Its region (`global` for global services).
    pub region: String,
    /// The account the snapshot is for (for ARNs drguard writes).
    pub account: String,
    /// Values that are unknown and that a rule reads (`address.attr`).
    pub unknown: Vec<String>,
    /// Other planned resources by address: (type, after, after_unknown).
    pub others: &'o Lookup<'o>,
    /// Positions of resources by key, shared by every change of the overlay.
    pub cache: &'c RefCell<Cache>,
}

impl Ctx<'_, '_, '_> {
    /// The after values (the before values for a removal).
    pub fn values(&self) -> &Value {
        if self.change.after.is_null() {
            &self.change.before
        } else {
            &self.change.after
        }
    }

    /// The value an attribute will have, as far as the plan tells: known
    /// values as they are; unknown identities as a placeholder; unknown
    /// links resolved through `configuration`; other unknowns as null, noted
    /// in `self.unknown`.
    pub fn get(&mut self, path: &str) -> Value {
        let known = values::at(self.values(), path)
            .cloned()
            .unwrap_or(Value::Null);
        if !values::unknown(&self.change.after_unknown, path) {
            return known;
        }
        let kind = self
            .mapping
            .attrs
            .iter()
            .find(|a| a.plan == path)
            .map_or(AttrKind::Value, |a| a.kind);
        match kind {
            AttrKind::Identity => Value::String(unknown::placeholder(&self.change.address)),
            AttrKind::Link { to, attr } => match self.resolve(path, to, attr).into_iter().next() {
                Some(found) => found,
                // Computed from another attribute (a group's template name
                // from its id): nothing to link, and nothing unknown.
                None if self.unset_on_create(path) => Value::Null,
                None => {
                    self.note_unknown(path);
                    Value::Null
                }
            },
            AttrKind::Links { to, attr } => {
                let mut found: Vec<Value> = known
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter(|v| v.is_string())
                    .cloned()
                    .collect();
                for link in self.resolve(path, to, attr) {
                    if !found.contains(&link) {
                        found.push(link);
                    }
                }
                if found.is_empty() {
                    if !self.unset_on_create(path) {
                        self.note_unknown(path);
                    }
                    Value::Null
                } else {
                    Value::Array(found)
                }
            }
            AttrKind::Value | AttrKind::Computed { .. } => match self.fill(path, known) {
                Some(filled) => filled,
                None => {
                    self.note_unknown(path);
                    Value::Null
                }
            },
        }
    }

    /// The values the `configuration` references of `path` point at: for
    /// each referenced resource of type `to`, its attribute `attr`, or a
    /// placeholder when that is known only after apply too.
    fn resolve(&self, path: &str, to: &str, attr: &str) -> Vec<Value> {
        self.resolve_at(&self.change.address, path, to, attr)
    }

    /// What `resolve` gives, for an attribute of another resource of the
    /// plan (`address`): a listener's load balancer, seen from a target group.
    pub fn resolve_at(&self, address: &str, path: &str, to: &str, attr: &str) -> Vec<Value> {
        let mut out = Vec::new();
        let value_of = |candidate: &str| {
            let (tf_type, after, marks) = (self.others)(candidate)?;
            one_of(to, canonical(tf_type)).then(|| match values::at(after, attr) {
                Some(v) if !v.is_null() && !values::unknown(marks, attr) => v.clone(),
                _ => unknown::derived(canonical(tf_type), attr, after, marks, &self.region)
                    .unwrap_or_else(|| Value::String(unknown::placeholder(candidate))),
            })
        };
        for target in unknown::referenced(self.plan, address, path) {
            let candidates = [target.clone(), format!("{target}[0]")];
            match candidates.iter().find_map(|candidate| value_of(candidate)) {
                Some(found) => out.push(found),
                // `[for s in aws_subnet.dr : s.id]` refers to every instance.
                None => out.extend(
                    self.instances_of(&target)
                        .iter()
                        .filter_map(|instance| value_of(instance)),
                ),
            }
        }
        out
    }

    /// Records that `path`, which a rule reads, is known only after apply.
    pub fn note_unknown(&mut self, path: &str) {
        let name = format!(
            "{}.{}",
            self.change.address,
            path.replace(".0.", "[0].").replace(".0", "[0]")
        );
        if !self.unknown.contains(&name) {
            self.unknown.push(name);
        }
    }

    /// A string attribute.
    pub fn text(&mut self, path: &str) -> Option<String> {
        match self.get(path) {
            Value::String(s) => Some(s),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        }
    }

    /// An integer attribute.
    pub fn int(&mut self, path: &str) -> Option<i64> {
        let v = self.get(path);
        values::int(&v, "")
    }

    /// A boolean attribute (null when absent).
    pub fn boolean(&mut self, path: &str) -> Option<bool> {
        self.get(path).as_bool()
    }

    /// The strings of a list attribute.
    pub fn strings(&mut self, path: &str) -> Vec<String> {
        let v = self.get(path);
        values::strings(&v, "")
    }

    /// `tags` (or `tags_all`) as a map.
    pub fn tags(&self) -> crate::snapshot::model::Tags {
        let values = self.values();
        let map = values
            .get("tags_all")
            .and_then(Value::as_object)
            .filter(|m| !m.is_empty())
            .or_else(|| values.get("tags").and_then(Value::as_object));
        map.map(|m| {
            m.iter()
                .filter_map(|(k, v)| v.as_str().map(|v| (k.clone(), v.to_string())))
                .collect()
        })
        .unwrap_or_default()
    }

    /// The before values.
    pub fn before(&self) -> &Value {
        &self.change.before
    }
}

/// Replaces the element `find` picks (or adds one) with `make(old)`.
pub fn upsert<T: Clone>(
    items: &mut Vec<T>,
    find: impl Fn(&T) -> bool,
    make: impl FnOnce(Option<T>) -> T,
) {
    match items.iter_mut().find(|item| find(item)) {
        Some(item) => {
            let old = item.clone();
            *item = make(Some(old));
        }
        None => items.push(make(None)),
    }
}

/// Removes the elements `find` picks; true when one was there.
pub fn remove<T>(items: &mut Vec<T>, find: impl Fn(&T) -> bool) -> bool {
    let before = items.len();
    items.retain(|item| !find(item));
    items.len() != before
}

/// The regional data of `region`, created when missing.
pub fn region<'s>(
    snapshot: &'s mut Snapshot,
    region: &str,
) -> &'s mut crate::snapshot::model::RegionSnapshot {
    snapshot.regions.entry(region.to_string()).or_default()
}

/// The position of a type in [`MAPPINGS`] (the order changes are applied).
pub fn rank(tf_type: &str) -> usize {
    let tf_type = canonical(tf_type);
    MAPPINGS
        .iter()
        .position(|m| m.tf_type == tf_type)
        .unwrap_or(usize::MAX)
}

/// Positions of resources by key, per collection (`slot`), so that a plan
/// of thousands of changes over a snapshot of 100k resources does not scan
/// a list per change. An entry that no longer matches its element (the list
/// changed behind the cache's back) rebuilds the slot.
#[derive(Debug, Default)]
pub struct Cache {
    slots: HashMap<String, HashMap<String, usize>>,
}

impl Cache {
    /// The position of the element whose key is `key`.
    pub fn find<T>(
        &mut self,
        slot: &str,
        items: &[T],
        key_of: fn(&T) -> String,
        key: &str,
    ) -> Option<usize> {
        let build = || -> HashMap<String, usize> {
            let mut map = HashMap::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                map.entry(key_of(item)).or_insert(i);
            }
            map
        };
        let map = self.slots.entry(slot.to_string()).or_insert_with(build);
        let fresh = |map: &HashMap<String, usize>| match map.get(key) {
            Some(&i) => items
                .get(i)
                .filter(|item| key_of(item) == key)
                .map(|_| Some(i)),
            None if map.len() == items.len() => Some(None),
            None => None,
        };
        match fresh(map) {
            Some(found) => found,
            None => {
                *map = build();
                map.get(key).copied()
            }
        }
    }

    /// Replaces the element keyed `key` (or adds one) with `make(old)`.
    pub fn upsert<T: Clone>(
        &mut self,
        slot: &str,
        items: &mut Vec<T>,
        key_of: fn(&T) -> String,
        key: &str,
        make: impl FnOnce(Option<T>) -> T,
    ) {
        match self
            .find(slot, items, key_of, key)
            .and_then(|i| items.get_mut(i))
        {
            Some(item) => {
                let old = item.clone();
                *item = make(Some(old));
                let new_key = key_of(item);
                if new_key != key {
                    self.forget(slot);
                }
            }
            None => {
                let item = make(None);
                let new_key = key_of(&item);
                items.push(item);
                if let Some(map) = self.slots.get_mut(slot) {
                    map.entry(new_key).or_insert(items.len() - 1);
                }
            }
        }
    }

    /// Removes the element keyed `key`; true when it was there.
    pub fn remove<T>(
        &mut self,
        slot: &str,
        items: &mut Vec<T>,
        key_of: fn(&T) -> String,
        key: &str,
    ) -> bool {
        match self.find(slot, items, key_of, key) {
            Some(i) if i < items.len() => {
                items.remove(i);
                self.forget(slot);
                true
            }
            _ => false,
        }
    }

    /// Drops a slot (rebuilt on next use).
    pub fn forget(&mut self, slot: &str) {
        self.slots.remove(slot);
    }
}

/// The attribute table of `docs/plan.md`: per mapped type, the data source
/// it feeds and each attribute read, with the snapshot field it fills and how
/// an unknown value is handled.
pub fn markdown() -> String {
    let mut out = String::from(
        "| Terraform type | data source | attribute (`after`) | snapshot field | when unknown |\n|---|---|---|---|---|\n",
    );
    for mapping in MAPPINGS {
        for (i, attr) in mapping.attrs.iter().enumerate() {
            let (kind, source) = if i == 0 {
                (
                    format!("`{}`", mapping.tf_type),
                    format!("`{}`", mapping.source),
                )
            } else {
                (String::new(), String::new())
            };
            let unknown = match attr.kind {
                AttrKind::Value => "gap: rules that read it are `error`".to_string(),
                AttrKind::Identity => "placeholder links resolve to".to_string(),
                AttrKind::Link { to, attr } => format!(
                    "from the `configuration` reference to `{}`.`{attr}`, else a gap",
                    to.replace('|', "` or `")
                ),
                AttrKind::Links { to, attr } => format!(
                    "from the `configuration` references to `{}`.`{attr}`, else a gap",
                    to.replace('|', "` or `")
                ),
                AttrKind::Computed { default } => {
                    let default = match default {
                        "null" => "unset".to_string(),
                        s3::SSE_S3 => "SSE-S3 (`AES256`)".to_string(),
                        other => format!("`{other}`"),
                    };
                    format!("not configured, on create: AWS's default, {default}; else a gap")
                }
            };
            out.push_str(&format!(
                "| {kind} | {source} | `{}` | {} | {unknown} |\n",
                attr.plan.replace(".0.", "[0].").replace(".0", "[0]"),
                attr.model.replace('|', "\\|")
            ));
        }
    }
    out
}
