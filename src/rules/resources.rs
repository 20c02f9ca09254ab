//! Resource types rules can evaluate, and the index of their CEL values.
//!
//! Each resource is converted to a CEL value once per audit (model fields plus
//! `region`, `arn` and the link annotations), whatever the number of rules
//! that read it. Only the types some enabled rule names are built.

use std::collections::BTreeSet;

use serde::Serialize;
use serde_json::{Value as Json, json};

use crate::config::Config;
use crate::link::{Annotations, Annotator, Linked};
use crate::snapshot::model::Snapshot;
use crate::snapshot::spec;

/// A resource type a rule can name in `resource = "…"`: `app`, `budget.store`,
/// `failover.dependency` (the ones drguard derives itself), or the kind of a `ResourceSpec`
/// (`route53.health_check`), so a new resource type needs no line here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct ResourceKind(&'static str);

impl ResourceKind {
    /// One evaluation over the whole app.
    pub const APP: ResourceKind = ResourceKind("app");
    /// A data store of the RPO budget.
    pub const BUDGET_STORE: ResourceKind = ResourceKind("budget.store");
    /// A part of the failover path that only the primary region serves
    /// (`topology.primary_region_dependencies`).
    pub const FAILOVER_DEPENDENCY: ResourceKind = ResourceKind("failover.dependency");

    /// Name in rule files and reports.
    pub fn as_str(self) -> &'static str {
        self.0
    }

    /// The service part of the name (`route53`), used in report paths.
    pub fn service(self) -> &'static str {
        let name = self.as_str();
        name.split_once('.').map_or(name, |(service, _)| service)
    }

    /// Every kind: the app, each collected type in service order, the budget's
    /// stores, the failover's dependencies on the primary region.
    pub fn all() -> &'static [ResourceKind] {
        static ALL: std::sync::OnceLock<Vec<ResourceKind>> = std::sync::OnceLock::new();
        ALL.get_or_init(|| {
            std::iter::once(ResourceKind::APP)
                .chain(spec::resources().map(|r| ResourceKind(r.kind)))
                .chain([
                    ResourceKind::BUDGET_STORE,
                    ResourceKind::FAILOVER_DEPENDENCY,
                ])
                .collect()
        })
    }

    /// Parses a name from a rule file; the error lists every known name.
    pub fn parse(name: &str) -> Result<ResourceKind, String> {
        ResourceKind::all()
            .iter()
            .find(|kind| kind.0 == name)
            .copied()
            .ok_or_else(|| {
                ResourceKind::all()
                    .iter()
                    .map(|kind| kind.0)
                    .collect::<Vec<_>>()
                    .join(", ")
            })
    }
}

impl std::fmt::Display for ResourceKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

/// Who a result is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Identity {
    /// Resource type.
    pub kind: ResourceKind,
    /// Region, or `global`.
    pub region: String,
    /// Short id (name, id).
    pub id: String,
    /// ARN (a `drguard:app/<name>` pseudo-ARN for the app itself).
    pub arn: String,
}

/// A resource with its data as rules see it.
pub struct Entry {
    /// Who it is.
    pub identity: Identity,
    /// `resource` in CEL: model fields, `region`, `arn` and link annotations.
    pub value: Json,
}

/// The app pseudo-resource's identity.
pub fn app_identity(config: &Config) -> Identity {
    Identity {
        kind: ResourceKind::APP,
        region: "global".into(),
        id: config.app.name.clone(),
        arn: format!("drguard:app/{}", config.app.name),
    }
}

/// A resource as the snapshot holds it, with its identity and link annotations.
pub struct Record {
    /// Who it is.
    pub identity: Identity,
    /// The model item as JSON (snapshot field names).
    pub model: Json,
    /// Facts `link` derived about it.
    pub annotations: Annotations,
}

/// Builds the resource entries of one kind: model fields, `region`, `arn` and
/// the annotations, as one CEL value each.
pub fn entries(
    kind: ResourceKind,
    snapshot: &Snapshot,
    config: &Config,
    linked: &Linked<'_>,
    budget: Option<&crate::budget::Budget>,
    keep: &mut dyn FnMut(&Identity, &Annotations) -> bool,
) -> Vec<Entry> {
    records_where(kind, snapshot, config, linked, budget, keep)
        .into_iter()
        .map(|record| {
            let mut value = match record.model {
                Json::Object(map) => map,
                other => {
                    let mut map = serde_json::Map::new();
                    map.insert("value".into(), other);
                    map
                }
            };
            value.insert("region".into(), json!(record.identity.region));
            value.insert("arn".into(), json!(record.identity.arn));
            value.extend(record.annotations);
            Entry {
                identity: record.identity,
                value: Json::Object(value),
            }
        })
        .collect()
}

/// Lists the resources of one kind with their identity (the one place ARNs are
/// derived, so results, fingerprints and `drguard diff` agree on who is who).
pub fn records(
    kind: ResourceKind,
    snapshot: &Snapshot,
    config: &Config,
    linked: &Linked<'_>,
    budget: Option<&crate::budget::Budget>,
) -> Vec<Record> {
    records_where(kind, snapshot, config, linked, budget, &mut |_, _| true)
}

/// Like [`records`], but serialises a resource's model only when `keep`
/// accepts its identity and annotations: resources that no rule can select
/// (most AMIs and record sets of a large account) then cost a few small maps
/// instead of a full copy of their data.
pub fn records_where(
    kind: ResourceKind,
    snapshot: &Snapshot,
    config: &Config,
    linked: &Linked<'_>,
    budget: Option<&crate::budget::Budget>,
    keep: &mut dyn FnMut(&Identity, &Annotations) -> bool,
) -> Vec<Record> {
    let annotator = Annotator::new(config, &linked.topology, &linked.lookups);
    let mut out = Vec::new();
    let mut push = |identity: Identity, model: &dyn Fn() -> Json, annotations: Annotations| {
        if keep(&identity, &annotations) {
            out.push(Record {
                identity,
                model: model(),
                annotations,
            });
        }
    };
    match kind {
        // Derived by drguard, not collected: the app and the budget's stores.
        ResourceKind::APP => {
            let identity = app_identity(config);
            push(
                identity,
                &|| crate::cel::bindings::to_json(&config.app_binding()),
                Annotations::new(),
            );
        }
        ResourceKind::BUDGET_STORE => {
            for store in budget.iter().flat_map(|b| b.rpo.stores.iter()) {
                let identity = Identity {
                    kind,
                    region: "global".into(),
                    id: store.id.clone(),
                    arn: format!("drguard:budget/{}/store/{}", config.app.name, store.id),
                };
                push(
                    identity,
                    &|| crate::cel::bindings::to_json(store),
                    Annotations::new(),
                );
            }
        }
        ResourceKind::FAILOVER_DEPENDENCY => {
            for dependency in &linked.topology.primary_region_dependencies {
                let identity = Identity {
                    kind,
                    region: "global".into(),
                    id: dependency.id.clone(),
                    arn: format!("drguard:failover/{}/{}", config.app.name, dependency.id),
                };
                push(
                    identity,
                    &|| crate::cel::bindings::to_json(dependency),
                    Annotations::new(),
                );
            }
        }
        // Every collected type: its spec lists its items (`snapshot/model/<service>.rs`).
        collected => {
            let Some(spec) = spec::resource(collected.as_str()) else {
                return out;
            };
            for item in (spec.items)(snapshot) {
                let annotations = annotator.facts(&item);
                let identity = Identity {
                    kind,
                    region: item.region.to_string(),
                    id: item.id,
                    arn: item.arn,
                };
                push(identity, &|| item.model.to_json(), annotations);
            }
        }
    }
    out
}

/// The kinds an evaluation needs, from the rules' `resource` fields.
pub fn needed_kinds<'a>(kinds: impl Iterator<Item = &'a ResourceKind>) -> BTreeSet<ResourceKind> {
    kinds.copied().collect()
}
