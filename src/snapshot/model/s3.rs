//! S3: buckets, versioning and replication.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Tags;

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
