//! CloudWatch: metric summaries.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Snapshot;
use crate::snapshot::spec::{DataSource, ServiceSpec, call};

/// What drguard reads of this service, and the resource types it holds.
pub const SERVICE: ServiceSpec = ServiceSpec {
    name: "cloudwatch",
    description: "CloudWatch replication-lag metrics",
    sources: &[DataSource {
        name: "cloudwatch",
        description: "CloudWatch replication-lag metrics",
        scope: "each region, after `rds` and `s3`",
        calls: &[call("GetMetricData", "cloudwatch:GetMetricData")],
        notes: "Maximum, Average and SampleCount over one window-long period for `AuroraGlobalDBRPOLag` and `AuroraGlobalDBReplicationLag` (DB clusters in a global cluster) and S3 `ReplicationLatency` and `OperationsPendingReplication` (each replication rule); up to 500 queries per call",
        fills: "`metrics`",
    }],
    sort,
    resources: &[],
};

/// Sorts the lists this service fills by their natural key.
fn sort(snapshot: &mut Snapshot) {
    for region in snapshot.regions.values_mut() {
        region.metrics.sort_by(|a, b| {
            (&a.namespace, &a.metric_name, &a.dimensions).cmp(&(
                &b.namespace,
                &b.metric_name,
                &b.dimensions,
            ))
        });
    }
}

/// A CloudWatch metric summarised over the collection window.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct MetricSummary {
    /// Namespace (`AWS/RDS`, `AWS/S3`).
    pub namespace: String,
    /// Metric name (`AuroraGlobalDBRPOLag`).
    pub metric_name: String,
    /// Dimensions, name → value.
    #[serde(default)]
    pub dimensions: BTreeMap<String, String>,
    /// Unit of the figures (`Milliseconds`, `Seconds`, `Count`).
    #[serde(default)]
    pub unit: Option<String>,
    /// Window length in seconds.
    pub window_seconds: i64,
    /// Number of datapoints in the window.
    pub datapoints: i64,
    /// Maximum over the window; null without datapoints.
    #[serde(default)]
    pub maximum: Option<f64>,
    /// Average over the window; null without datapoints.
    #[serde(default)]
    pub average: Option<f64>,
}
