//! RDS: Aurora global clusters, the regional DB clusters with their
//! members and encryption key, and the DB instances they run on. A DR
//! cluster without an instance (headless), on another engine version or on
//! a smaller instance class than the primary's writer cannot take over the
//! primary's load; a key of another region cannot decrypt it.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Snapshot, Tags};
use crate::snapshot::spec::{DataSource, Item, ResourceSpec, ServiceSpec, call, regional};

/// What drguard reads of this service, and the resource types it holds.
pub const SERVICE: ServiceSpec = ServiceSpec {
    name: "rds",
    description: "Aurora global clusters, regional DB clusters and DB instances",
    sources: &[
        DataSource {
            name: "rds.global_clusters",
            description: "Aurora global clusters",
            scope: "global (primary region)",
            calls: &[call("DescribeGlobalClusters", "rds:DescribeGlobalClusters")],
            notes: "",
            fills: "`global.global_clusters`",
        },
        DataSource {
            name: "rds.db_clusters",
            description: "regional DB clusters",
            scope: "each region",
            calls: &[call("DescribeDBClusters", "rds:DescribeDBClusters")],
            notes: "",
            fills: "`db_clusters`",
        },
        DataSource {
            name: "rds.cluster_parameters",
            description: "rds.global_db_rpo from Aurora PostgreSQL cluster parameter groups",
            scope: "each region, with the clusters",
            calls: &[call(
                "DescribeDBClusterParameters",
                "rds:DescribeDBClusterParameters",
            )],
            notes: "with `Source=user`, once per custom (not `default.*`) parameter group of an Aurora PostgreSQL cluster",
            fills: "`db_clusters[].global_db_rpo_seconds` (`rds.global_db_rpo`, the budget's Aurora RPO bound)",
        },
        DataSource {
            name: "rds.db_instances",
            description: "DB instances (Aurora cluster members included)",
            scope: "each region",
            calls: &[call("DescribeDBInstances", "rds:DescribeDBInstances")],
            notes: "",
            fills: "`db_instances`",
        },
    ],
    sort,
    resources: &[
        ResourceSpec {
            kind: "rds.db_cluster",
            location: "`regions.*.db_clusters[]`",
            id: "cluster id",
            region: "its region",
            diff_fields: &["id", "arn", "tags"],
            items: db_clusters_items,
        },
        ResourceSpec {
            kind: "rds.db_instance",
            location: "`regions.*.db_instances[]`",
            id: "instance id",
            region: "its region",
            diff_fields: &["id", "arn", "cluster_id", "tags"],
            items: db_instances_items,
        },
        ResourceSpec {
            kind: "rds.global_cluster",
            location: "`global.global_clusters[]`",
            id: "global cluster id",
            region: "`global`",
            diff_fields: &["id", "members"],
            items: global_clusters_items,
        },
    ],
};

/// The `rds.db_cluster` items of a snapshot.
fn db_clusters_items(snapshot: &Snapshot) -> Vec<Item<'_>> {
    regional(snapshot, |r| &r.db_clusters)
        .map(|(region, cluster)| Item {
            region,
            id: cluster.id.clone(),
            arn: cluster.arn.clone(),
            model: cluster,
            parent: None,
        })
        .collect()
}

/// The `rds.db_instance` items of a snapshot.
fn db_instances_items(snapshot: &Snapshot) -> Vec<Item<'_>> {
    regional(snapshot, |r| &r.db_instances)
        .map(|(region, instance)| Item {
            region,
            id: instance.id.clone(),
            arn: instance.arn.clone(),
            model: instance,
            parent: None,
        })
        .collect()
}

/// The `rds.global_cluster` items of a snapshot.
fn global_clusters_items(snapshot: &Snapshot) -> Vec<Item<'_>> {
    let account = &snapshot.account_id;
    snapshot
        .global
        .global_clusters
        .iter()
        .map(|global| Item {
            region: "global",
            id: global.id.clone(),
            arn: global
                .arn
                .clone()
                .unwrap_or_else(|| format!("arn:aws:rds::{account}:global-cluster:{}", global.id)),
            model: global,
            parent: None,
        })
        .collect()
}

/// Sorts the lists this service fills by their natural key.
fn sort(snapshot: &mut Snapshot) {
    snapshot
        .global
        .global_clusters
        .sort_by(|a, b| a.id.cmp(&b.id));
    for region in snapshot.regions.values_mut() {
        region.db_clusters.sort_by(|a, b| a.id.cmp(&b.id));
        for cluster in &mut region.db_clusters {
            cluster
                .members
                .sort_by(|a, b| a.instance_id.cmp(&b.instance_id));
        }
        region.db_instances.sort_by(|a, b| a.id.cmp(&b.id));
    }
}

/// A regional RDS/Aurora DB cluster.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct DbCluster {
    /// DBClusterIdentifier.
    pub id: String,
    /// Cluster ARN.
    pub arn: String,
    /// `aurora-postgresql`, `aurora-mysql`…
    pub engine: String,
    /// Engine version.
    #[serde(default)]
    pub engine_version: Option<String>,
    /// `available`, `failing-over`…
    #[serde(default)]
    pub status: Option<String>,
    /// True when the cluster has instances in several AZs.
    #[serde(default)]
    pub multi_az: Option<bool>,
    /// Name of the DB cluster parameter group.
    #[serde(default)]
    pub parameter_group: Option<String>,
    /// `rds.global_db_rpo` in seconds when the cluster's parameter group sets
    /// it (Aurora PostgreSQL only; null when unset, which means no bound).
    #[serde(default)]
    pub global_db_rpo_seconds: Option<u64>,
    /// Tags.
    #[serde(default)]
    pub tags: Tags,
    /// Its DB instances (`DBClusterMembers`), by instance id: a cluster with
    /// none is headless and serves no query until one is added. Empty in
    /// snapshots written before drguard read members.
    #[serde(default)]
    pub members: Vec<DbClusterMember>,
    /// The KMS key that encrypts the cluster's storage (a key ARN), null
    /// when unencrypted: a key works in its own region only, so a DR
    /// cluster's key must be a key of the DR region.
    #[serde(default)]
    pub kms_key_id: Option<String>,
    /// True when the cluster's storage is encrypted; null when AWS did not say.
    #[serde(default)]
    pub storage_encrypted: Option<bool>,
}

/// A DB instance of a cluster, as the cluster lists it.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct DbClusterMember {
    /// DBInstanceIdentifier: joins with `db_instances[].id` of the region.
    pub instance_id: String,
    /// True for the cluster's writer; a secondary cluster of a global
    /// database has none until it is promoted.
    #[serde(default)]
    pub is_writer: bool,
    /// Failover priority (0 is promoted first): which reader becomes the
    /// writer when the writer fails.
    #[serde(default)]
    pub promotion_tier: Option<i64>,
}

/// An RDS DB instance (Aurora cluster members included).
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct DbInstance {
    /// DBInstanceIdentifier.
    pub id: String,
    /// Instance ARN.
    pub arn: String,
    /// DBClusterIdentifier of the cluster it belongs to, null for a
    /// standalone instance: joins with `db_clusters[].id` of the region.
    #[serde(default)]
    pub cluster_id: Option<String>,
    /// `db.r6g.large`…: a writer candidate smaller than the primary's writer
    /// cannot carry the primary's load after a failover.
    #[serde(default)]
    pub instance_class: Option<String>,
    /// `aurora-postgresql`, `aurora-mysql`, `postgres`…
    #[serde(default)]
    pub engine: Option<String>,
    /// Engine version.
    #[serde(default)]
    pub engine_version: Option<String>,
    /// `available`, `creating`, `stopped`…
    #[serde(default)]
    pub status: Option<String>,
    /// Availability Zone it runs in.
    #[serde(default)]
    pub availability_zone: Option<String>,
    /// Failover priority within its cluster (0 is promoted first).
    #[serde(default)]
    pub promotion_tier: Option<i64>,
    /// Tags.
    #[serde(default)]
    pub tags: Tags,
}

/// An Aurora global cluster.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct GlobalCluster {
    /// GlobalClusterIdentifier.
    pub id: String,
    /// Global cluster ARN.
    #[serde(default)]
    pub arn: Option<String>,
    /// Engine.
    #[serde(default)]
    pub engine: Option<String>,
    /// Engine version.
    #[serde(default)]
    pub engine_version: Option<String>,
    /// Status.
    #[serde(default)]
    pub status: Option<String>,
    /// Member clusters.
    #[serde(default)]
    pub members: Vec<GlobalClusterMember>,
}

/// A member of an Aurora global cluster.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct GlobalClusterMember {
    /// ARN of the member DB cluster.
    pub db_cluster_arn: String,
    /// True for the writer (primary) member.
    pub is_writer: bool,
}
