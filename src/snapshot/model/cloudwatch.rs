//! CloudWatch: metric summaries.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

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
