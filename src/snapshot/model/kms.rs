//! KMS: the keys of each region with their state and aliases. A KMS key
//! never leaves its region (a multi-Region replica is a key of its own), so
//! whatever the DR region must decrypt or encrypt after a failover needs a
//! key in the DR region, and that key must be usable (`Enabled`) there.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Snapshot;
use crate::snapshot::spec::{DataSource, Item, ResourceSpec, ServiceSpec, call, regional};

/// What drguard reads of this service, and the resource types it holds.
pub const SERVICE: ServiceSpec = ServiceSpec {
    name: "kms",
    description: "KMS keys with their state and aliases",
    sources: &[DataSource {
        name: "kms",
        description: "KMS keys with their state and aliases",
        scope: "each region",
        calls: &[
            call("ListKeys", "kms:ListKeys"),
            call("ListAliases", "kms:ListAliases"),
            call("DescribeKey", "kms:DescribeKey"),
        ],
        notes: "`ListKeys` and `ListAliases` (all pages), then `DescribeKey` per key for its state, manager and multi-Region type; aliases that target no key are left out",
        fills: "`kms_keys`",
    }],
    sort,
    resources: &[ResourceSpec {
        kind: "kms.key",
        location: "`regions.*.kms_keys[]`",
        id: "key id",
        region: "its region",
        diff_fields: &["id", "arn", "key_state", "aliases"],
        items: keys_items,
    }],
};

/// The `kms.key` items of a snapshot.
fn keys_items(snapshot: &Snapshot) -> Vec<Item<'_>> {
    regional(snapshot, |r| &r.kms_keys)
        .map(|(region, key)| Item {
            region,
            id: key.id.clone(),
            arn: key.arn.clone(),
            model: key,
            parent: None,
        })
        .collect()
}

/// Sorts the lists this service fills by their natural key.
fn sort(snapshot: &mut Snapshot) {
    for region in snapshot.regions.values_mut() {
        region.kms_keys.sort_by(|a, b| a.id.cmp(&b.id));
        for key in &mut region.kms_keys {
            key.aliases.sort();
        }
    }
}

/// A KMS key of one region.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct KmsKey {
    /// Key id (a UUID, or `mrk-…` for a multi-Region key): the same id in
    /// two regions is two keys, so rules pair it with the region.
    pub id: String,
    /// Key ARN; its region is the only region the key works in.
    pub arn: String,
    /// `Enabled`, `Disabled`, `PendingDeletion`, `PendingImport`,
    /// `PendingReplicaDeletion`, `Unavailable`, `Creating` or `Updating`:
    /// only `Enabled` encrypts and decrypts, so it is what a failover needs.
    #[serde(default)]
    pub key_state: Option<String>,
    /// AWS's `Enabled` flag: true only in state `Enabled`; `key_state` says
    /// why a key is not usable (disabled, pending deletion, …).
    #[serde(default)]
    pub enabled: bool,
    /// `CUSTOMER` (the account manages it) or `AWS` (an AWS managed key, such
    /// as `alias/aws/s3`, which cannot be shared across accounts or replicated).
    #[serde(default)]
    pub key_manager: Option<String>,
    /// True for a multi-Region key, whose replicas share its id and key
    /// material in other regions; null when AWS did not say.
    #[serde(default)]
    pub multi_region: Option<bool>,
    /// `PRIMARY` or `REPLICA` for a multi-Region key, null otherwise: which
    /// copy can be managed (rotation, replication) without a failover.
    #[serde(default)]
    pub multi_region_key_type: Option<String>,
    /// Alias names (`alias/shop-data`) that point at this key: configurations
    /// name keys by alias, so rules resolve an alias to its key through this.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// The key's description, as its owner wrote it.
    #[serde(default)]
    pub description: Option<String>,
}
