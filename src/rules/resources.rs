//! Resource types rules can evaluate, and the index of their CEL values.
//!
//! Each resource is converted to a CEL value once per audit (model fields plus
//! `region`, `arn` and the link annotations), whatever the number of rules
//! that read it. Only the types some enabled rule names are built.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use serde_json::{Value as Json, json};

use crate::config::Config;
use crate::link::facts::to_annotations;
use crate::link::{Annotations, Annotator, Linked};
use crate::snapshot::model::Snapshot;

/// A resource type a rule can name in `resource = "…"`. Its names
/// (`route53.health_check`) are derived from the variants.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    strum::Display,
    strum::EnumString,
    strum::IntoStaticStr,
    strum::VariantNames,
    strum::VariantArray,
)]
pub enum ResourceKind {
    /// One evaluation over the whole app.
    #[strum(serialize = "app")]
    App,
    /// Route 53 health check.
    #[strum(serialize = "route53.health_check")]
    HealthCheck,
    /// Route 53 record set.
    #[strum(serialize = "route53.record_set")]
    RecordSet,
    /// Global Accelerator.
    #[strum(serialize = "globalaccelerator.accelerator")]
    Accelerator,
    /// ELBv2 load balancer.
    #[strum(serialize = "elbv2.load_balancer")]
    LoadBalancer,
    /// ELBv2 target group.
    #[strum(serialize = "elbv2.target_group")]
    TargetGroup,
    /// Auto Scaling group.
    #[strum(serialize = "autoscaling.group")]
    AutoScalingGroup,
    /// EC2 launch template.
    #[strum(serialize = "ec2.launch_template")]
    LaunchTemplate,
    /// AMI.
    #[strum(serialize = "ec2.image")]
    Image,
    /// Aurora/RDS DB cluster.
    #[strum(serialize = "rds.db_cluster")]
    DbCluster,
    /// Aurora global cluster.
    #[strum(serialize = "rds.global_cluster")]
    GlobalCluster,
    /// ElastiCache replication group.
    #[strum(serialize = "elasticache.replication_group")]
    CacheReplicationGroup,
    /// ElastiCache global datastore.
    #[strum(serialize = "elasticache.global_replication_group")]
    GlobalReplicationGroup,
    /// S3 bucket.
    #[strum(serialize = "s3.bucket")]
    Bucket,
    /// SSM document.
    #[strum(serialize = "ssm.document")]
    Document,
    /// EventBridge rule.
    #[strum(serialize = "events.rule")]
    EventRule,
    /// A data store of the RPO budget.
    #[strum(serialize = "budget.store")]
    BudgetStore,
}

impl ResourceKind {
    /// Name in rule files and reports.
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// The service part of the name (`route53`), used in report paths.
    pub fn service(self) -> &'static str {
        let name = self.as_str();
        name.split_once('.').map_or(name, |(service, _)| service)
    }

    /// Every kind, in declaration order.
    pub fn all() -> &'static [ResourceKind] {
        <ResourceKind as strum::VariantArray>::VARIANTS
    }

    /// Parses a name from a rule file; the error lists every known name.
    pub fn parse(name: &str) -> Result<ResourceKind, String> {
        name.parse()
            .map_err(|_| <ResourceKind as strum::VariantNames>::VARIANTS.join(", "))
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
        kind: ResourceKind::App,
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
    let account = snapshot.account_id.as_str();
    let mut out = Vec::new();
    let mut push = |kind: ResourceKind,
                    region: &str,
                    id: &str,
                    arn: String,
                    model: &dyn erased::Serialize,
                    annotations: Annotations| {
        let identity = Identity {
            kind,
            region: region.to_string(),
            id: id.to_string(),
            arn,
        };
        if !keep(&identity, &annotations) {
            return;
        }
        let model = model.to_json();
        out.push(Record {
            identity,
            model,
            annotations,
        });
    };
    let regions: BTreeMap<&String, &crate::snapshot::model::RegionSnapshot> =
        snapshot.regions.iter().collect();
    match kind {
        ResourceKind::App => {
            let identity = app_identity(config);
            let app = crate::cel::bindings::to_json(&config.app_binding());
            push(
                kind,
                "global",
                &identity.id,
                identity.arn.clone(),
                &app,
                Annotations::new(),
            );
        }
        ResourceKind::HealthCheck => {
            for hc in &snapshot.global.health_checks {
                let arn = format!("arn:aws:route53:::healthcheck/{}", hc.id);
                push(
                    kind,
                    "global",
                    &hc.id,
                    arn,
                    erase(hc),
                    to_annotations(&annotator.health_check(&hc.id)),
                );
            }
        }
        ResourceKind::RecordSet => {
            for zone in &snapshot.global.hosted_zones {
                for record in &zone.record_sets {
                    let id = format!(
                        "{}/{}/{}{}",
                        zone.id,
                        record.name,
                        record.record_type,
                        record
                            .set_identifier
                            .as_deref()
                            .map(|s| format!("/{s}"))
                            .unwrap_or_default()
                    );
                    let arn = format!("arn:aws:route53:::hostedzone/{id}");
                    push(
                        kind,
                        "global",
                        &id,
                        arn,
                        erase(record),
                        to_annotations(&annotator.record_set(zone, record)),
                    );
                }
            }
        }
        ResourceKind::Accelerator => {
            for ga in &snapshot.global.accelerators {
                push(
                    kind,
                    "global",
                    &ga.name,
                    ga.arn.clone(),
                    erase(ga),
                    Annotations::new(),
                );
            }
        }
        ResourceKind::LoadBalancer => {
            for (region, data) in &regions {
                for lb in &data.load_balancers {
                    push(
                        kind,
                        region,
                        &lb.name,
                        lb.arn.clone(),
                        erase(lb),
                        to_annotations(&annotator.load_balancer(&lb.arn)),
                    );
                }
            }
        }
        ResourceKind::TargetGroup => {
            for (region, data) in &regions {
                for tg in &data.target_groups {
                    push(
                        kind,
                        region,
                        &tg.name,
                        tg.arn.clone(),
                        erase(tg),
                        Annotations::new(),
                    );
                }
            }
        }
        ResourceKind::AutoScalingGroup => {
            for (region, data) in &regions {
                for group in &data.auto_scaling_groups {
                    let arn = group.arn.clone().unwrap_or_else(|| {
                        format!("arn:aws:autoscaling:{region}:{account}:autoScalingGroup:*:autoScalingGroupName/{}", group.name)
                    });
                    push(
                        kind,
                        region,
                        &group.name,
                        arn,
                        erase(group),
                        to_annotations(&annotator.auto_scaling_group(region, group)),
                    );
                }
            }
        }
        ResourceKind::LaunchTemplate => {
            for (region, data) in &regions {
                for template in &data.launch_templates {
                    let arn = format!(
                        "arn:aws:ec2:{region}:{account}:launch-template/{}",
                        template.id
                    );
                    push(
                        kind,
                        region,
                        &template.id,
                        arn,
                        erase(template),
                        Annotations::new(),
                    );
                }
            }
        }
        ResourceKind::Image => {
            for (region, data) in &regions {
                for image in &data.images {
                    let arn = format!("arn:aws:ec2:{region}::image/{}", image.id);
                    push(
                        kind,
                        region,
                        &image.id,
                        arn,
                        erase(image),
                        to_annotations(&annotator.image(region, image)),
                    );
                }
            }
        }
        ResourceKind::DbCluster => {
            for (region, data) in &regions {
                for cluster in &data.db_clusters {
                    push(
                        kind,
                        region,
                        &cluster.id,
                        cluster.arn.clone(),
                        erase(cluster),
                        to_annotations(&annotator.db_cluster(region, cluster)),
                    );
                }
            }
        }
        ResourceKind::GlobalCluster => {
            for global in &snapshot.global.global_clusters {
                let arn = global.arn.clone().unwrap_or_else(|| {
                    format!("arn:aws:rds::{account}:global-cluster:{}", global.id)
                });
                push(
                    kind,
                    "global",
                    &global.id,
                    arn,
                    erase(global),
                    to_annotations(&annotator.global_cluster(&global.id)),
                );
            }
        }
        ResourceKind::CacheReplicationGroup => {
            for (region, data) in &regions {
                for group in &data.cache_replication_groups {
                    let arn = group.arn.clone().unwrap_or_else(|| {
                        format!(
                            "arn:aws:elasticache:{region}:{account}:replicationgroup:{}",
                            group.id
                        )
                    });
                    push(
                        kind,
                        region,
                        &group.id,
                        arn,
                        erase(group),
                        to_annotations(&annotator.cache_replication_group(region, group)),
                    );
                }
            }
        }
        ResourceKind::GlobalReplicationGroup => {
            for global in &snapshot.global.global_replication_groups {
                let arn = format!(
                    "arn:aws:elasticache::{account}:globalreplicationgroup:{}",
                    global.id
                );
                push(
                    kind,
                    "global",
                    &global.id,
                    arn,
                    erase(global),
                    Annotations::new(),
                );
            }
        }
        ResourceKind::Bucket => {
            for bucket in &snapshot.global.buckets {
                let arn = format!("arn:aws:s3:::{}", bucket.name);
                push(
                    kind,
                    &bucket.region,
                    &bucket.name,
                    arn,
                    erase(bucket),
                    to_annotations(&annotator.bucket(bucket)),
                );
            }
        }
        ResourceKind::Document => {
            for (region, data) in &regions {
                for doc in &data.automation_documents {
                    let arn = format!("arn:aws:ssm:{region}:{account}:document/{}", doc.name);
                    push(
                        kind,
                        region,
                        &doc.name,
                        arn,
                        erase(doc),
                        to_annotations(&annotator.document(region, doc)),
                    );
                }
            }
        }
        ResourceKind::BudgetStore => {
            for store in budget.iter().flat_map(|b| b.rpo.stores.iter()) {
                let arn = format!("drguard:budget/{}/store/{}", config.app.name, store.id);
                push(
                    kind,
                    "global",
                    &store.id,
                    arn,
                    erase(store),
                    Annotations::new(),
                );
            }
        }
        ResourceKind::EventRule => {
            for (region, data) in &regions {
                for rule in &data.event_rules {
                    let arn = rule.arn.clone().unwrap_or_else(|| {
                        format!("arn:aws:events:{region}:{account}:rule/{}", rule.name)
                    });
                    push(
                        kind,
                        region,
                        &rule.name,
                        arn,
                        erase(rule),
                        Annotations::new(),
                    );
                }
            }
        }
    }
    out
}

/// The kinds an evaluation needs, from the rules' `resource` fields.
pub fn needed_kinds<'a>(kinds: impl Iterator<Item = &'a ResourceKind>) -> BTreeSet<ResourceKind> {
    kinds.copied().collect()
}

/// A model item as a type-erased serialisable reference.
fn erase<T: serde::Serialize>(item: &T) -> &dyn erased::Serialize {
    item
}

/// Serialising model items without naming each type.
mod erased {
    /// Any serialisable model item.
    pub trait Serialize {
        /// The item as JSON (null when it cannot be represented, which serde
        /// derive on plain data never does).
        fn to_json(&self) -> serde_json::Value;
    }

    impl<T: serde::Serialize> Serialize for T {
        fn to_json(&self) -> serde_json::Value {
            serde_json::to_value(self).unwrap_or(serde_json::Value::Null)
        }
    }
}
