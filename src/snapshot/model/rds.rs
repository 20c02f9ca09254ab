//! RDS: Aurora clusters and global clusters.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Tags;

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
