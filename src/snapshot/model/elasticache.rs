//! ElastiCache: replication groups and global datastores.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Tags;

/// An ElastiCache replication group.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct CacheReplicationGroup {
    /// ReplicationGroupId.
    pub id: String,
    /// ARN.
    #[serde(default)]
    pub arn: Option<String>,
    /// Status.
    #[serde(default)]
    pub status: Option<String>,
    /// `enabled`, `disabled`, `enabling`, `disabling`.
    #[serde(default)]
    pub automatic_failover: Option<String>,
    /// `enabled` or `disabled`.
    #[serde(default)]
    pub multi_az: Option<String>,
    /// Node type (`cache.r7g.large`).
    #[serde(default)]
    pub node_type: Option<String>,
    /// `redis` or `valkey`.
    #[serde(default)]
    pub engine: Option<String>,
    /// Engine version.
    #[serde(default)]
    pub engine_version: Option<String>,
    /// Global datastore id, when the group is a member of one.
    #[serde(default)]
    pub global_replication_group_id: Option<String>,
    /// `primary` or `secondary` within the global datastore.
    #[serde(default)]
    pub global_replication_group_role: Option<String>,
    /// Tags.
    #[serde(default)]
    pub tags: Tags,
}

/// An ElastiCache global datastore.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct GlobalReplicationGroup {
    /// GlobalReplicationGroupId.
    pub id: String,
    /// Status.
    #[serde(default)]
    pub status: Option<String>,
    /// Members.
    #[serde(default)]
    pub members: Vec<GlobalReplicationGroupMember>,
}

/// A member of an ElastiCache global datastore.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct GlobalReplicationGroupMember {
    /// ReplicationGroupId of the member.
    pub replication_group_id: String,
    /// Region of the member.
    pub region: String,
    /// `primary` or `secondary`.
    pub role: String,
}
