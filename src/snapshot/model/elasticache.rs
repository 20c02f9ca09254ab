//! ElastiCache: replication groups and global datastores.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Snapshot, Tags};
use crate::snapshot::spec::{DataSource, Item, ResourceSpec, ServiceSpec, call, regional};

/// What drguard reads of this service, and the resource types it holds.
pub const SERVICE: ServiceSpec = ServiceSpec {
    name: "elasticache",
    description: "ElastiCache replication groups and global datastores",
    sources: &[
        DataSource {
            name: "elasticache.replication_groups",
            description: "ElastiCache replication groups",
            scope: "each region",
            calls: &[
                call(
                    "DescribeReplicationGroups",
                    "elasticache:DescribeReplicationGroups",
                ),
                call("DescribeCacheClusters", "elasticache:DescribeCacheClusters"),
                call("ListTagsForResource", "elasticache:ListTagsForResource"),
            ],
            notes: "`DescribeCacheClusters` one listing, for engine versions; `ListTagsForResource` per group",
            fills: "`cache_replication_groups`",
        },
        DataSource {
            name: "elasticache.global_replication_groups",
            description: "ElastiCache global datastores",
            scope: "global (primary region)",
            calls: &[call(
                "DescribeGlobalReplicationGroups",
                "elasticache:DescribeGlobalReplicationGroups",
            )],
            notes: "with `ShowMemberInfo`",
            fills: "`global.global_replication_groups`",
        },
    ],
    sort,
    resources: &[
        ResourceSpec {
            kind: "elasticache.replication_group",
            location: "`regions.*.cache_replication_groups[]`",
            id: "replication group id",
            region: "its region",
            diff_fields: &[
                "id",
                "node_type",
                "engine",
                "engine_version",
                "global_replication_group_id",
                "tags",
            ],
            items: replication_groups_items,
        },
        ResourceSpec {
            kind: "elasticache.global_replication_group",
            location: "`global.global_replication_groups[]`",
            id: "id",
            region: "`global`",
            diff_fields: &[],
            items: global_replication_groups_items,
        },
    ],
};

/// The `elasticache.replication_group` items of a snapshot.
fn replication_groups_items(snapshot: &Snapshot) -> Vec<Item<'_>> {
    let account = &snapshot.account_id;
    regional(snapshot, |r| &r.cache_replication_groups)
        .map(|(region, group)| Item {
            region,
            id: group.id.clone(),
            arn: group.arn.clone().unwrap_or_else(|| {
                format!(
                    "arn:aws:elasticache:{region}:{account}:replicationgroup:{}",
                    group.id
                )
            }),
            model: group,
            parent: None,
        })
        .collect()
}

/// The `elasticache.global_replication_group` items of a snapshot.
fn global_replication_groups_items(snapshot: &Snapshot) -> Vec<Item<'_>> {
    let account = &snapshot.account_id;
    snapshot
        .global
        .global_replication_groups
        .iter()
        .map(|global| Item {
            region: "global",
            id: global.id.clone(),
            arn: format!(
                "arn:aws:elasticache::{account}:globalreplicationgroup:{}",
                global.id
            ),
            model: global,
            parent: None,
        })
        .collect()
}

/// Sorts the lists this service fills by their natural key.
fn sort(snapshot: &mut Snapshot) {
    snapshot
        .global
        .global_replication_groups
        .sort_by(|a, b| a.id.cmp(&b.id));
    for region in snapshot.regions.values_mut() {
        region
            .cache_replication_groups
            .sort_by(|a, b| a.id.cmp(&b.id));
    }
}

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
