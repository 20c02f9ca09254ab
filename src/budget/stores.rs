//! The RPO budget's data stores: the app's data that a failover must carry
//! to the DR region (Aurora global databases written from the primary
//! region, in-scope primary buckets, in-scope primary caches), derived from
//! the linked snapshot. A bucket counts whether or not it replicates: one
//! that does not is data the failover loses, so the budget must show it as
//! unbounded rather than leave it out. The budget model reads them as
//! `topology.data_stores`; the Markdown topology draws them.

use serde::Serialize;

use crate::config::Config;
use crate::link::{Annotator, Linked};
use crate::snapshot::Snapshot;
use crate::snapshot::model::Bucket;
use crate::vocab::sources::overlaps;

/// The app's data stores in the primary region.
#[derive(Debug, Clone, Serialize, Default)]
pub struct DataStores {
    /// Aurora global databases written from the primary region.
    pub aurora: Vec<AuroraStore>,
    /// In-scope primary buckets, replicated to the DR region or not.
    pub s3: Vec<S3Store>,
    /// In-scope primary caches.
    pub elasticache: Vec<CacheStore>,
}

/// An Aurora global database as an RPO store.
#[derive(Debug, Clone, Serialize)]
pub struct AuroraStore {
    /// Global cluster id.
    pub global_cluster_id: String,
    /// Its secondary in the DR region.
    pub dr_cluster_id: Option<String>,
    /// The lag metric read (`AuroraGlobalDBRPOLag` first).
    pub lag_metric: Option<String>,
    /// Maximum lag over the window, in milliseconds.
    pub lag_max_ms: Option<f64>,
    /// The writer (primary) cluster.
    pub primary_cluster_id: Option<String>,
    /// Its parameter group.
    pub primary_parameter_group: Option<String>,
    /// `rds.global_db_rpo` of the writer's parameter group, in seconds: the
    /// lag beyond which the primary blocks commits, so a bound on the loss.
    pub global_db_rpo_seconds: Option<u64>,
}

/// An in-scope primary bucket as an RPO store.
#[derive(Debug, Clone, Serialize)]
pub struct S3Store {
    /// Source bucket.
    pub bucket: String,
    /// True when an enabled replication rule copies it to the DR region.
    /// False: a failover loses what only this bucket holds, so nothing
    /// bounds its RPO.
    pub replicated: bool,
    /// True when the bucket has no rule to the DR region as far as the
    /// snapshot shows, but its replication configuration was not read (a
    /// gap on `s3.replication` in its region, the source skipped, or a
    /// snapshot without it): the model must then say "unknown", not "not
    /// replicated", and DRG-BUD-002 is `error` through its `requires`.
    pub replication_unknown: bool,
    /// True when it replicates and every enabled rule to the DR region has
    /// Replication Time Control.
    pub rtc: bool,
    /// Maximum `ReplicationLatency` over the window, in seconds; null when it
    /// does not replicate (a metric left from a removed rule measures nothing).
    pub latency_max_seconds: Option<f64>,
}

/// A primary cache as an RPO store.
#[derive(Debug, Clone, Serialize)]
pub struct CacheStore {
    /// Replication group id.
    pub id: String,
    /// Global datastore it belongs to.
    pub global_datastore: Option<String>,
    /// Its replica in the DR region.
    pub dr_replica: Option<String>,
}

/// The data stores of a linked snapshot.
pub fn data_stores(snapshot: &Snapshot, config: &Config, linked: &Linked<'_>) -> DataStores {
    let topology = &linked.topology;
    let annotator = Annotator::new(config, topology, &linked.lookups);
    let primary = config.app.primary_region.clone();
    let dr = config.app.dr_region.clone();
    let mut stores = DataStores::default();
    for global in &topology.global_databases {
        let writer_here = global.writer.as_ref().is_some_and(|w| w.region == primary);
        if !writer_here {
            continue;
        }
        let secondary = global.secondaries.iter().find(|s| s.region == dr);
        let lag = secondary.and_then(|s| annotator.replication_lag(&dr, &s.id));
        let writer = global.writer.as_ref().and_then(|w| {
            snapshot
                .regions
                .get(&w.region)?
                .db_clusters
                .iter()
                .find(|c| c.arn == w.arn || c.id == w.id)
        });
        stores.aurora.push(AuroraStore {
            primary_cluster_id: global.writer.as_ref().map(|w| w.id.clone()),
            primary_parameter_group: writer.and_then(|c| c.parameter_group.clone()),
            global_db_rpo_seconds: writer.and_then(|c| c.global_db_rpo_seconds),
            global_cluster_id: global.id.clone(),
            dr_cluster_id: secondary.map(|s| s.id.clone()),
            lag_metric: lag.as_ref().map(|l| l.metric.clone()),
            lag_max_ms: lag.as_ref().and_then(|l| l.maximum_ms),
        });
    }
    for bucket in snapshot
        .global
        .buckets
        .iter()
        .filter(|b| b.region == primary && annotator.in_scope(&b.tags))
    {
        let rules = annotator.bucket(bucket).dr_replication_rules;
        let replicated = !rules.is_empty();
        let rtc = replicated && rules.iter().all(|r| r.replication_time_enabled);
        let latency = if replicated {
            linked
                .lookups
                .metrics(
                    &primary,
                    "AWS/S3",
                    "ReplicationLatency",
                    "SourceBucket",
                    &bucket.name,
                )
                .iter()
                .filter(|m| m.datapoints > 0)
                .filter_map(|m| m.maximum)
                .reduce(f64::max)
        } else {
            None
        };
        stores.s3.push(S3Store {
            bucket: bucket.name.clone(),
            replicated,
            replication_unknown: !replicated && replication_unread(snapshot, bucket),
            rtc,
            latency_max_seconds: latency,
        });
    }
    if let Some(data) = snapshot.regions.get(&primary) {
        for group in data
            .cache_replication_groups
            .iter()
            .filter(|g| annotator.in_scope(&g.tags))
        {
            let facts = annotator.cache_replication_group(&primary, group);
            stores.elasticache.push(CacheStore {
                id: group.id.clone(),
                global_datastore: group.global_replication_group_id.clone(),
                dr_replica: facts.dr_replica.map(|replica| replica.id),
            });
        }
    }
    stores
}

/// True when the snapshot cannot tell whether `bucket` replicates: a failed
/// `s3.replication` call in its region (a gap names a region, not a bucket,
/// so any one there counts; the plan overlay's region `unknown` too), or
/// the source skipped or not carried at all.
fn replication_unread(snapshot: &Snapshot, bucket: &Bucket) -> bool {
    const SOURCE: &str = "s3.replication";
    let gap = snapshot.gaps.iter().any(|gap| {
        let have = match &gap.resource {
            Some(part) => format!("{}.{part}", gap.service),
            None => gap.service.clone(),
        };
        overlaps(SOURCE, &have)
            && (gap.region == bucket.region || !snapshot.regions.contains_key(&gap.region))
    });
    let skipped = snapshot
        .skipped
        .iter()
        .any(|skip| overlaps(SOURCE, &skip.source));
    gap || skipped || !snapshot.carries(SOURCE)
}
