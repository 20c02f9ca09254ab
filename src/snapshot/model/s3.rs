//! S3: buckets, versioning and replication.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Snapshot, Tags};
use crate::snapshot::spec::{DataSource, Item, ResourceSpec, ServiceSpec, call};

/// What drguard reads of this service, and the resource types it holds.
pub const SERVICE: ServiceSpec = ServiceSpec {
    name: "s3",
    description: "S3 buckets, versioning and replication",
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
    /// Replication configuration, when present.
    #[serde(default)]
    pub replication: Option<BucketReplication>,
    /// Tags.
    #[serde(default)]
    pub tags: Tags,
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
}
