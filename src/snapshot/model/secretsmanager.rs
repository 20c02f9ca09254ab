//! Secrets Manager: the secrets of each region and, for the secrets that
//! live there as primaries, where they are replicated. An app in the DR
//! region reads its secrets (database credentials, API keys) from that
//! region's endpoint, so a secret it needs must have an in-sync replica
//! there. Secret values are never read.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Snapshot, Tags};
use crate::snapshot::spec::{DataSource, Item, ResourceSpec, ServiceSpec, call, regional};

/// What drguard reads of this service, and the resource types it holds.
pub const SERVICE: ServiceSpec = ServiceSpec {
    name: "secretsmanager",
    description: "Secrets Manager secrets and their replicas (never their values)",
    sources: &[DataSource {
        name: "secretsmanager",
        description: "Secrets Manager secrets and their replicas (never their values)",
        scope: "each region",
        calls: &[
            call("ListSecrets", "secretsmanager:ListSecrets"),
            call("DescribeSecret", "secretsmanager:DescribeSecret"),
        ],
        notes: "`ListSecrets` (all pages; secrets scheduled for deletion are not listed), then `DescribeSecret` per secret whose primary region is this region, for its replication status (a replica is described in its primary's region); never `GetSecretValue`",
        fills: "`secrets`",
    }],
    sort,
    resources: &[ResourceSpec {
        kind: "secretsmanager.secret",
        location: "`regions.*.secrets[]`",
        id: "secret name",
        region: "its region",
        diff_fields: &["arn", "name", "primary_region", "replication", "tags"],
        items: secrets_items,
    }],
};

/// The `secretsmanager.secret` items of a snapshot.
fn secrets_items(snapshot: &Snapshot) -> Vec<Item<'_>> {
    regional(snapshot, |r| &r.secrets)
        .map(|(region, secret)| Item {
            region,
            id: secret.name.clone(),
            arn: secret.arn.clone(),
            model: secret,
            parent: None,
        })
        .collect()
}

/// Sorts the lists this service fills by their natural key.
fn sort(snapshot: &mut Snapshot) {
    for region in snapshot.regions.values_mut() {
        region.secrets.sort_by(|a, b| a.name.cmp(&b.name));
        for secret in &mut region.secrets {
            secret.replication.sort_by(|a, b| a.region.cmp(&b.region));
        }
    }
}

/// A Secrets Manager secret, or a replica of one, in one region.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Secret {
    /// Secret ARN (a replica has its own ARN, in its own region).
    pub arn: String,
    /// Secret name; a replica has its primary's name, which is how the app
    /// finds it after a failover without a configuration change.
    pub name: String,
    /// The KMS key that encrypts it (ARN, id or alias as AWS reports it);
    /// null for the AWS managed key `alias/aws/secretsmanager`.
    #[serde(default)]
    pub kms_key_id: Option<String>,
    /// Set on a replica: the region of its primary, where it is managed and
    /// from which it is replicated. Null on a primary (or an unreplicated secret).
    #[serde(default)]
    pub primary_region: Option<String>,
    /// The service that manages the secret (`rds` for an RDS-managed master
    /// user secret), null for one the account manages: a managed secret is
    /// replicated, or not, by its owning service's settings.
    #[serde(default)]
    pub owning_service: Option<String>,
    /// Tags (a replica carries its primary's tags).
    #[serde(default)]
    pub tags: Tags,
    /// The secret's replicas, one per region, read on the primary only
    /// (empty on a replica, and on a primary without replicas).
    #[serde(default)]
    pub replication: Vec<SecretReplica>,
}

/// One replica of a secret, as its primary reports it.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SecretReplica {
    /// The replica's region.
    pub region: String,
    /// The KMS key that encrypts the replica, in the replica's region.
    #[serde(default)]
    pub kms_key_id: Option<String>,
    /// `InSync`, `Failed` or `InProgress`: only an `InSync` replica holds the
    /// primary's current value.
    #[serde(default)]
    pub status: Option<String>,
    /// Why the replication failed or is in progress, as AWS words it.
    #[serde(default)]
    pub status_message: Option<String>,
}
