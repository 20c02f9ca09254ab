//! S3: buckets, versioning, default encryption and replication.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Snapshot, Tags};
use crate::snapshot::spec::{DataSource, Item, ResourceSpec, ServiceSpec, call};

/// What drguard reads of this service, and the resource types it holds.
pub const SERVICE: ServiceSpec = ServiceSpec {
    name: "s3",
    description: "S3 buckets, versioning, default encryption and replication",
    sources: &[
        DataSource {
            name: "s3.buckets",
            description: "the bucket list and bucket regions",
            scope: "global",
            calls: &[
                call("ListBuckets", "s3:ListAllMyBuckets"),
                call("GetBucketLocation", "s3:GetBucketLocation"),
                call("GetBucketTagging", "s3:GetBucketTagging"),
            ],
            notes: "`ListBuckets` paginated with `max-buckets` 10,000, so it reports each bucket's region (AWS includes `BucketRegion` only in a request with a parameter); `GetBucketLocation` only when it does not; `GetBucketTagging` per bucket",
            fills: "`global.buckets`",
        },
        DataSource {
            name: "s3.versioning",
            description: "bucket versioning",
            scope: "each bucket's region",
            calls: &[call("GetBucketVersioning", "s3:GetBucketVersioning")],
            notes: "",
            fills: "`versioning`",
        },
        DataSource {
            name: "s3.encryption",
            description: "bucket default encryption",
            scope: "each bucket's region",
            calls: &[call("GetBucketEncryption", "s3:GetEncryptionConfiguration")],
            notes: "`ServerSideEncryptionConfigurationNotFoundError` is read as no default encryption (AWS has applied SSE-S3 to every bucket since January 2023, so it answers for every bucket)",
            fills: "`default_encryption`",
        },
        DataSource {
            name: "s3.replication",
            description: "bucket replication configuration",
            scope: "each bucket's region",
            calls: &[call(
                "GetBucketReplication",
                "s3:GetReplicationConfiguration",
            )],
            notes: "",
            fills: "`replication`",
        },
    ],
    sort,
    resources: &[ResourceSpec {
        kind: "s3.bucket",
        location: "`global.buckets[]`",
        id: "bucket name",
        region: "the bucket's region",
        diff_fields: &["name", "region", "versioning", "replication", "tags"],
        items: buckets_items,
    }],
};

/// The `s3.bucket` items of a snapshot.
fn buckets_items(snapshot: &Snapshot) -> Vec<Item<'_>> {
    snapshot
        .global
        .buckets
        .iter()
        .map(|bucket| Item {
            region: bucket.region.as_str(),
            id: bucket.name.clone(),
            arn: format!("arn:aws:s3:::{}", bucket.name),
            model: bucket,
            parent: None,
        })
        .collect()
}

/// Sorts the lists this service fills by their natural key.
fn sort(snapshot: &mut Snapshot) {
    snapshot.global.buckets.sort_by(|a, b| a.name.cmp(&b.name));
}

/// An S3 bucket.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Bucket {
    /// Bucket name.
    pub name: String,
    /// Region the bucket lives in.
    pub region: String,
    /// `Enabled`, `Suspended`, or null when versioning was never enabled.
    #[serde(default)]
    pub versioning: Option<String>,
    /// Default encryption of new objects; null when the bucket has none (or
    /// the snapshot predates `s3.encryption`). Replication of SSE-KMS objects
    /// must be asked for, so a rule compares this with the replication rules.
    #[serde(default)]
    pub default_encryption: Option<BucketEncryption>,
    /// Replication configuration, when present.
    #[serde(default)]
    pub replication: Option<BucketReplication>,
    /// Tags.
    #[serde(default)]
    pub tags: Tags,
}

/// A bucket's default encryption (the rule S3 applies to an object written
/// without encryption headers).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct BucketEncryption {
    /// `AES256` (SSE-S3), `aws:kms` (SSE-KMS) or `aws:kms:dsse` (DSSE-KMS):
    /// only the KMS kinds need a key in the destination's region to replicate.
    pub sse_algorithm: String,
    /// The KMS key of SSE-KMS (ARN, id or alias as configured); null for
    /// SSE-S3, or for SSE-KMS with the AWS managed key `aws/s3`.
    #[serde(default)]
    pub kms_master_key_id: Option<String>,
    /// True when S3 Bucket Keys cut the KMS requests of SSE-KMS; null when
    /// AWS did not say.
    #[serde(default)]
    pub bucket_key_enabled: Option<bool>,
}

/// A bucket's replication configuration.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct BucketReplication {
    /// IAM role S3 assumes to replicate.
    #[serde(default)]
    pub role: Option<String>,
    /// Rules.
    #[serde(default)]
    pub rules: Vec<ReplicationRule>,
}

/// One replication rule.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ReplicationRule {
    /// Rule id.
    #[serde(default)]
    pub id: Option<String>,
    /// `Enabled` or `Disabled`.
    pub status: String,
    /// Priority.
    #[serde(default)]
    pub priority: Option<i64>,
    /// Prefix the rule filters on, if any.
    #[serde(default)]
    pub prefix: Option<String>,
    /// ARN of the destination bucket.
    pub destination_bucket_arn: String,
    /// Destination storage class.
    #[serde(default)]
    pub storage_class: Option<String>,
    /// True when Replication Time Control is enabled.
    #[serde(default)]
    pub replication_time_enabled: bool,
    /// RTC threshold in minutes (always 15 today).
    #[serde(default)]
    pub replication_time_minutes: Option<i64>,
    /// True when replication metrics are enabled.
    #[serde(default)]
    pub metrics_enabled: bool,
    /// True when delete markers are replicated.
    #[serde(default)]
    pub delete_marker_replication: bool,
    /// `SourceSelectionCriteria.SseKmsEncryptedObjects.Status` (`Enabled` or
    /// `Disabled`), null when absent: S3 replicates objects encrypted with
    /// SSE-KMS only when it is `Enabled`, and silently skips them otherwise.
    #[serde(default)]
    pub sse_kms_encrypted_objects: Option<String>,
    /// `Destination.EncryptionConfiguration.ReplicaKmsKeyID`: the key (in the
    /// destination's region) that encrypts the replicas of SSE-KMS objects;
    /// null when not set, which AWS refuses when SSE-KMS objects are replicated.
    #[serde(default)]
    pub replica_kms_key_id: Option<String>,
}
