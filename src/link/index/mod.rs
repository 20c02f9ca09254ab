//! Hash lookups over a snapshot, built once per audit.
//!
//! Annotating a resource often needs another one: a group's launch template, a
//! cluster's global database, a bucket's replication metric. Scanning for it per
//! resource made evaluation quadratic (30,000 groups × 30,000 templates cost 2 s
//! in the 1M-resource benchmark). Each map keeps the *first* match in snapshot
//! order, so answers are the ones the scans gave.

use std::collections::HashMap;

mod dr;

use dr::DrIndex;

use crate::config::Config;
use crate::snapshot::model::{
    AutomationDocument, Bucket, CacheReplicationGroup, Certificate, DbCluster, DbInstance,
    HealthCheck, Image, KmsKey, LaunchTemplate, MetricSummary, Secret, Snapshot,
};

/// Where a DB cluster sits in a global database.
#[derive(Debug, Clone, Copy)]
pub struct Membership<'a> {
    /// Global cluster id.
    pub global_cluster_id: &'a str,
    /// True for the writer member.
    pub is_writer: bool,
}

/// One region's cache replication groups, as counterparts are looked up.
#[derive(Default)]
struct CacheGroups<'a> {
    /// First group of each global datastore.
    by_global_datastore: HashMap<&'a str, &'a CacheReplicationGroup>,
    /// First group inside `[scope]`.
    first_in_scope: Option<&'a CacheReplicationGroup>,
}

/// A kind of resource a runbook step can name by identifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Identifier {
    /// A regional DB cluster (id or ARN).
    DbCluster,
    /// An Aurora global cluster (id or ARN).
    GlobalCluster,
    /// An Auto Scaling group (name or ARN).
    AutoScalingGroup,
    /// A hosted zone (bare id).
    HostedZone,
    /// An ElastiCache replication group (id).
    CacheReplicationGroup,
    /// An ElastiCache global datastore (id).
    GlobalReplicationGroup,
}

impl Identifier {
    /// The data source whose collection lists resources of this kind: a
    /// reference is unknown, not missing, when that source was not collected.
    pub fn source(self) -> &'static str {
        match self {
            Identifier::DbCluster => "rds.db_clusters",
            Identifier::GlobalCluster => "rds.global_clusters",
            Identifier::AutoScalingGroup => "autoscaling",
            Identifier::HostedZone => "route53.hosted_zones",
            Identifier::CacheReplicationGroup => "elasticache.replication_groups",
            Identifier::GlobalReplicationGroup => "elasticache.global_replication_groups",
        }
    }
}

/// `(region, namespace, metric name, dimension name, dimension value)`.
type MetricKey<'a> = (&'a str, &'a str, &'a str, &'a str, &'a str);

/// The lookups [`super::Annotator`] and the linker share.
///
/// Lookups keyed by several strings answer with the lifetime of the key: a
/// tuple of borrowed strings has no `Borrow` form, so the map is read at the
/// callers' (shorter) lifetime.
pub struct Lookups<'a> {
    buckets: HashMap<&'a str, &'a Bucket>,
    /// `(region, id)` and `(region, name)` → position in the region's list and template.
    templates_by_id: HashMap<(&'a str, &'a str), (usize, &'a LaunchTemplate)>,
    templates_by_name: HashMap<(&'a str, &'a str), (usize, &'a LaunchTemplate)>,
    clusters_by_arn: HashMap<&'a str, &'a DbCluster>,
    documents: HashMap<(&'a str, &'a str), &'a AutomationDocument>,
    memberships: HashMap<&'a str, Membership<'a>>,
    caches: HashMap<&'a str, CacheGroups<'a>>,
    metrics: HashMap<MetricKey<'a>, Vec<&'a MetricSummary>>,
    health_checks: HashMap<&'a str, &'a HealthCheck>,
    /// `(region, id)` → AMI.
    images: HashMap<(&'a str, &'a str), &'a Image>,
    /// The DR-readiness lookups: certificates, keys, instances, global clusters.
    dr: DrIndex<'a>,
    /// When the snapshot was taken.
    captured_at: &'a str,
    /// `(kind, id or ARN)` → the regions that hold it (`global` for global ones).
    identifiers: HashMap<(Identifier, &'a str), Vec<&'a str>>,
}

impl<'a> Lookups<'a> {
    /// Indexes the snapshot; `[scope]` decides which cache group is a region's default counterpart.
    pub fn new(snapshot: &'a Snapshot, config: &Config) -> Self {
        // Sized up front: rehashing was a third of this function on 1M resources.
        let count = |list: fn(&'a crate::snapshot::model::RegionSnapshot) -> usize| {
            snapshot.regions.values().map(list).sum::<usize>()
        };
        let templates = count(|r| r.launch_templates.len());
        let mut lookups = Lookups {
            buckets: HashMap::with_capacity(snapshot.global.buckets.len()),
            templates_by_id: HashMap::with_capacity(templates),
            templates_by_name: HashMap::with_capacity(templates),
            clusters_by_arn: HashMap::with_capacity(count(|r| r.db_clusters.len())),
            documents: HashMap::with_capacity(count(|r| r.automation_documents.len())),
            memberships: HashMap::new(),
            caches: HashMap::with_capacity(snapshot.regions.len()),
            metrics: HashMap::with_capacity(count(|r| r.metrics.len())),
            health_checks: HashMap::with_capacity(snapshot.global.health_checks.len()),
            images: HashMap::with_capacity(count(|r| r.images.len())),
            dr: DrIndex::new(snapshot),
            captured_at: snapshot.captured_at.as_str(),
            identifiers: HashMap::new(),
        };
        for (region, data) in &snapshot.regions {
            for image in &data.images {
                lookups
                    .images
                    .entry((region.as_str(), image.id.as_str()))
                    .or_insert(image);
            }
        }
        for check in &snapshot.global.health_checks {
            lookups
                .health_checks
                .entry(check.id.as_str())
                .or_insert(check);
        }
        lookups.index_identifiers(snapshot);
        for bucket in &snapshot.global.buckets {
            lookups
                .buckets
                .entry(bucket.name.as_str())
                .or_insert(bucket);
        }
        for global in &snapshot.global.global_clusters {
            for member in &global.members {
                lookups
                    .memberships
                    .entry(member.db_cluster_arn.as_str())
                    .or_insert(Membership {
                        global_cluster_id: global.id.as_str(),
                        is_writer: member.is_writer,
                    });
            }
        }
        for (region, data) in &snapshot.regions {
            let region = region.as_str();
            for (position, template) in data.launch_templates.iter().enumerate() {
                lookups
                    .templates_by_id
                    .entry((region, template.id.as_str()))
                    .or_insert((position, template));
                lookups
                    .templates_by_name
                    .entry((region, template.name.as_str()))
                    .or_insert((position, template));
            }
            for cluster in &data.db_clusters {
                lookups
                    .clusters_by_arn
                    .entry(cluster.arn.as_str())
                    .or_insert(cluster);
            }
            for document in &data.automation_documents {
                lookups
                    .documents
                    .entry((region, document.name.as_str()))
                    .or_insert(document);
            }
            let caches = lookups.caches.entry(region).or_default();
            for group in &data.cache_replication_groups {
                if let Some(global) = &group.global_replication_group_id {
                    caches
                        .by_global_datastore
                        .entry(global.as_str())
                        .or_insert(group);
                }
                if caches.first_in_scope.is_none() && in_scope(config, &group.tags) {
                    caches.first_in_scope = Some(group);
                }
            }
            for metric in &data.metrics {
                for (name, value) in &metric.dimensions {
                    let key = (
                        region,
                        metric.namespace.as_str(),
                        metric.metric_name.as_str(),
                        name.as_str(),
                        value.as_str(),
                    );
                    lookups.metrics.entry(key).or_default().push(metric);
                }
            }
        }
        lookups
    }

    /// Every identifier a runbook step may name, with the regions that hold it.
    fn index_identifiers(&mut self, snapshot: &'a Snapshot) {
        let mut add = |kind: Identifier, id: &'a str, region: &'a str| {
            self.identifiers.entry((kind, id)).or_default().push(region);
        };
        for global in &snapshot.global.global_clusters {
            add(Identifier::GlobalCluster, &global.id, "global");
            if let Some(arn) = &global.arn {
                add(Identifier::GlobalCluster, arn, "global");
            }
        }
        for zone in &snapshot.global.hosted_zones {
            add(Identifier::HostedZone, &zone.id, "global");
        }
        for group in &snapshot.global.global_replication_groups {
            add(Identifier::GlobalReplicationGroup, &group.id, "global");
        }
        for (region, data) in &snapshot.regions {
            for cluster in &data.db_clusters {
                add(Identifier::DbCluster, &cluster.id, region);
                add(Identifier::DbCluster, &cluster.arn, region);
            }
            for group in &data.auto_scaling_groups {
                add(Identifier::AutoScalingGroup, &group.name, region);
                if let Some(arn) = &group.arn {
                    add(Identifier::AutoScalingGroup, arn, region);
                }
            }
            for group in &data.cache_replication_groups {
                add(Identifier::CacheReplicationGroup, &group.id, region);
            }
        }
    }

    /// The regions holding a resource of `kind` named `id` (`global` for a
    /// global one); empty when the snapshot has none. A hosted zone may be
    /// named with its `/hostedzone/` prefix.
    pub fn identifier_regions<'s>(&'s self, kind: Identifier, id: &'s str) -> &'s [&'a str] {
        let id = match kind {
            Identifier::HostedZone => id.trim_start_matches("/hostedzone/"),
            _ => id,
        };
        self.identifiers.get(&(kind, id)).map_or(&[], Vec::as_slice)
    }

    /// When the snapshot was taken (RFC 3339): ages count from it, not from today.
    pub fn captured_at(&self) -> &'a str {
        self.captured_at
    }

    /// A Secrets Manager secret of `region` by name.
    pub fn secret(&self, region: &str, name: &str) -> Option<&'a Secret> {
        self.dr.secrets.get(&(region, name)).copied()
    }

    /// An ACM certificate by ARN, with its region.
    pub fn certificate(&self, arn: &str) -> Option<(&'a str, &'a Certificate)> {
        self.dr.certificates.get(arn).copied()
    }

    /// A KMS key of `region` by key id, key ARN, alias name or alias ARN.
    pub fn kms_key(&self, region: &str, reference: &str) -> Option<&'a KmsKey> {
        let alias = reference
            .split_once(":alias/")
            .map(|(_, name)| format!("alias/{name}"));
        let wanted = alias.as_deref().unwrap_or(reference);
        let wanted = wanted.rsplit_once(":key/").map_or(wanted, |(_, id)| id);
        self.dr.kms_keys.get(&(region, wanted)).copied()
    }

    /// The DB instances of a cluster: its members, else the instances that name it.
    pub fn cluster_instances(&self, region: &str, cluster: &DbCluster) -> Vec<&'a DbInstance> {
        self.dr
            .instances
            .get(&(region, cluster.id.as_str()))
            .cloned()
            .unwrap_or_default()
    }

    /// The writer member of a global cluster, with its region.
    pub fn global_writer(&self, global_cluster_id: &str) -> Option<(&'a str, &'a DbCluster)> {
        let global = self.dr.globals.get(global_cluster_id)?;
        let writer = global.members.iter().find(|m| m.is_writer)?;
        let cluster = self.db_cluster(&writer.db_cluster_arn)?;
        let region = super::arn_region(&cluster.arn)?;
        Some((region, cluster))
    }

    /// An AMI of a region by id.
    pub fn image(&self, region: &str, id: &str) -> Option<&'a Image> {
        self.images.get(&(region, id)).copied()
    }

    /// A Route 53 health check by id.
    pub fn health_check(&self, id: &str) -> Option<&'a HealthCheck> {
        self.health_checks.get(id).copied()
    }

    /// A bucket by name.
    pub fn bucket(&self, name: &str) -> Option<&'a Bucket> {
        self.buckets.get(name).copied()
    }

    /// The first template of `region` whose id or name matches, in snapshot order.
    pub fn launch_template<'s>(
        &'s self,
        region: &'s str,
        id: Option<&'s str>,
        name: Option<&'s str>,
    ) -> Option<&'s LaunchTemplate> {
        let by_id = id.and_then(|id| self.templates_by_id.get(&(region, id)));
        let by_name = name.and_then(|name| self.templates_by_name.get(&(region, name)));
        [by_id, by_name]
            .into_iter()
            .flatten()
            .min_by_key(|(position, _)| *position)
            .map(|(_, template)| *template)
    }

    /// A regional DB cluster by ARN (first region in name order).
    pub fn db_cluster(&self, arn: &str) -> Option<&'a DbCluster> {
        self.clusters_by_arn.get(arn).copied()
    }

    /// An SSM document of `region` by name.
    pub fn document<'s>(
        &'s self,
        region: &'s str,
        name: &'s str,
    ) -> Option<&'s AutomationDocument> {
        self.documents.get(&(region, name)).copied()
    }

    /// The global database a cluster belongs to, by cluster ARN.
    pub fn membership(&self, cluster_arn: &str) -> Option<Membership<'a>> {
        self.memberships.get(cluster_arn).copied()
    }

    /// The replication group in `region` that mirrors one with `global_datastore`:
    /// the member of that datastore where there is one, else the first in-scope group.
    pub fn cache_counterpart(
        &self,
        region: &str,
        global_datastore: Option<&str>,
    ) -> Option<&'a CacheReplicationGroup> {
        let groups = self.caches.get(region)?;
        match global_datastore {
            Some(global) => groups.by_global_datastore.get(global).copied(),
            None => groups.first_in_scope,
        }
    }

    /// The metrics of `region` named `namespace`/`metric_name` with dimension
    /// `dimension` = `value`, in snapshot order.
    pub fn metrics<'s>(
        &'s self,
        region: &'s str,
        namespace: &'s str,
        metric_name: &'s str,
        dimension: &'s str,
        value: &'s str,
    ) -> &'s [&'s MetricSummary] {
        self.metrics
            .get(&(region, namespace, metric_name, dimension, value))
            .map(Vec::as_slice)
            .unwrap_or_default()
    }
}

/// True when the tags satisfy `[scope].tags` (always true without a scope).
pub fn in_scope(config: &Config, tags: &std::collections::BTreeMap<String, String>) -> bool {
    config
        .scope
        .tags
        .iter()
        .all(|(key, value)| tags.get(key) == Some(value))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use std::path::Path;

    use serde_json::{Value, json};

    use super::*;
    use crate::source::SourceFile;

    const PRIMARY: &str = "us-east-1";

    fn reference() -> (Value, Config) {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/reference");
        let snapshot = std::fs::read_to_string(root.join("snapshot.json")).unwrap();
        let config = std::fs::read_to_string(root.join("drguard.toml")).unwrap();
        let config = crate::config::parse(SourceFile::new("drguard.toml", config), &root).unwrap();
        (serde_json::from_str(&snapshot).unwrap(), config)
    }

    fn parse(value: &Value) -> Snapshot {
        let text = serde_json::to_string(value).unwrap();
        crate::snapshot::parse(&SourceFile::new("snapshot.json", text)).unwrap()
    }

    fn push(doc: &mut Value, list: &str, item: Value) {
        doc["regions"][PRIMARY][list]
            .as_array_mut()
            .unwrap()
            .push(item);
    }

    #[test]
    fn a_template_is_the_first_in_snapshot_order_matching_id_or_name() {
        let (mut doc, config) = reference();
        let template = |id: &str, name: &str| json!({"id": id, "name": name, "default_version": 1, "latest_version": 1, "versions": []});
        push(&mut doc, "launch_templates", template("lt-early", "shared"));
        push(&mut doc, "launch_templates", template("lt-late", "shared"));
        push(&mut doc, "launch_templates", template("lt-early", "twin"));
        let snapshot = parse(&doc);
        let lookups = Lookups::new(&snapshot, &config);
        let found = |id, name| {
            lookups
                .launch_template(PRIMARY, id, name)
                .map(|t| (t.id.clone(), t.name.clone()))
        };
        let early = Some(("lt-early".to_string(), "shared".to_string()));
        assert_eq!(found(None, Some("shared")), early, "first of two names");
        assert_eq!(found(Some("lt-early"), None), early, "first of two ids");
        // The id names a later template than the name does: the earlier wins.
        assert_eq!(found(Some("lt-late"), Some("shared")), early);
        assert_eq!(
            found(Some("lt-late"), Some("nothing")).map(|t| t.0),
            Some("lt-late".to_string())
        );
        assert_eq!(found(None, None), None);
        assert!(
            lookups
                .launch_template("us-west-2", Some("lt-late"), None)
                .is_none(),
            "templates are regional"
        );
    }

    #[test]
    fn a_cache_counterpart_is_the_datastore_member_else_the_first_in_scope_group() {
        let (mut doc, config) = reference();
        let mut out_of_scope = doc["regions"][PRIMARY]["cache_replication_groups"][0].clone();
        out_of_scope["id"] = json!("batch-cache");
        out_of_scope["global_replication_group_id"] = json!("ldgnf-batch");
        out_of_scope["tags"] = json!({"App": "batch"});
        doc["regions"][PRIMARY]["cache_replication_groups"]
            .as_array_mut()
            .unwrap()
            .insert(0, out_of_scope);
        let snapshot = parse(&doc);
        let lookups = Lookups::new(&snapshot, &config);
        let id = |global| {
            lookups
                .cache_counterpart(PRIMARY, global)
                .map(|g| g.id.as_str())
        };
        assert_eq!(id(Some("ldgnf-batch")), Some("batch-cache"));
        assert_eq!(id(Some("ldgnf-shop-cache-global")), Some("shop-cache-use1"));
        assert_eq!(
            id(None),
            Some("shop-cache-use1"),
            "batch-cache is out of scope"
        );
        assert_eq!(id(Some("ldgnf-unknown")), None);
        assert_eq!(
            lookups.cache_counterpart("eu-west-1", None).map(|g| &g.id),
            None
        );
    }

    #[test]
    fn metrics_are_found_by_any_one_of_their_dimensions() {
        let (doc, config) = reference();
        let snapshot = parse(&doc);
        let lookups = Lookups::new(&snapshot, &config);
        let latency = |dimension, value| {
            lookups
                .metrics(PRIMARY, "AWS/S3", "ReplicationLatency", dimension, value)
                .len()
        };
        assert_eq!(latency("SourceBucket", "shop-assets-use1"), 1);
        assert_eq!(latency("DestinationBucket", "shop-assets-usw2"), 1);
        assert_eq!(latency("SourceBucket", "shop-assets-usw2"), 0);
        assert_eq!(
            lookups
                .metrics(
                    "us-west-2",
                    "AWS/S3",
                    "ReplicationLatency",
                    "SourceBucket",
                    "shop-assets-use1"
                )
                .len(),
            0,
            "metrics are regional"
        );
    }
}
