//! RDS: Aurora clusters and global clusters.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Snapshot, Tags};
use crate::snapshot::spec::{DataSource, Item, ResourceSpec, ServiceSpec, call, regional};

/// What drguard reads of this service, and the resource types it holds.
pub const SERVICE: ServiceSpec = ServiceSpec {
    name: "rds",
    description: "Aurora global clusters and regional DB clusters",
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
    }
}

/// A regional RDS/Aurora DB cluster.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
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
