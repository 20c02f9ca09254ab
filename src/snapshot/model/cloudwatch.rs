//! CloudWatch: metric summaries (replication lag, Auto Scaling group peaks)
//! and the alarms of each region.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Snapshot;
use crate::snapshot::spec::{DataSource, Item, ResourceSpec, ServiceSpec, call, regional};

/// What drguard reads of this service, and the resource types it holds.
pub const SERVICE: ServiceSpec = ServiceSpec {
    name: "cloudwatch",
    description: "CloudWatch metrics and alarms",
    sources: &[
        DataSource {
            name: "cloudwatch.metrics",
            description: "CloudWatch replication-lag metrics and Auto Scaling group peaks",
            scope: "each region, after `rds`, `s3` and `autoscaling`",
            calls: &[call("GetMetricData", "cloudwatch:GetMetricData")],
            notes: "Maximum, Average and SampleCount over one window-long period: over `[collect] metric_window` for `AuroraGlobalDBRPOLag` and `AuroraGlobalDBReplicationLag` (DB clusters in a global cluster) and S3 `ReplicationLatency` and `OperationsPendingReplication` (each replication rule); over `[collect] peak_window` for `AWS/AutoScaling` `GroupDesiredCapacity` (each group; it has datapoints only where group metrics collection is enabled); up to 500 queries per call, one time range (so one call) per window length",
            fills: "`metrics`",
        },
        DataSource {
            name: "cloudwatch.alarms",
            description: "CloudWatch metric and composite alarms",
            scope: "each region",
            calls: &[call("DescribeAlarms", "cloudwatch:DescribeAlarms")],
            notes: "`AlarmTypes` `MetricAlarm` and `CompositeAlarm` (without it AWS lists metric alarms only), 100 a page, all pages",
            fills: "`alarms`",
        },
    ],
    sort,
    resources: &[ResourceSpec {
        kind: "cloudwatch.alarm",
        location: "`regions.*.alarms[]`",
        id: "alarm name",
        region: "its region",
        diff_fields: &[
            "name",
            "namespace",
            "metric_name",
            "dimensions",
            "metrics_namespaces",
            "composite_rule",
            "actions_enabled",
            "alarm_actions",
        ],
        items: alarms_items,
    }],
};

/// The `cloudwatch.alarm` items of a snapshot.
fn alarms_items(snapshot: &Snapshot) -> Vec<Item<'_>> {
    let account = &snapshot.account_id;
    regional(snapshot, |r| &r.alarms)
        .map(|(region, alarm)| Item {
            region,
            id: alarm.name.clone(),
            arn: if alarm.arn.is_empty() {
                format!("arn:aws:cloudwatch:{region}:{account}:alarm:{}", alarm.name)
            } else {
                alarm.arn.clone()
            },
            model: alarm,
            parent: None,
        })
        .collect()
}

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
        region.alarms.sort_by(|a, b| a.name.cmp(&b.name));
        for alarm in &mut region.alarms {
            alarm.metrics_namespaces.sort();
            alarm.metrics_namespaces.dedup();
        }
    }
}

/// A CloudWatch metric summarised over a collection window.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct MetricSummary {
    /// Namespace (`AWS/RDS`, `AWS/S3`, `AWS/AutoScaling`).
    pub namespace: String,
    /// Metric name (`AuroraGlobalDBRPOLag`, `GroupDesiredCapacity`).
    pub metric_name: String,
    /// Dimensions, name → value.
    #[serde(default)]
    pub dimensions: BTreeMap<String, String>,
    /// Unit of the figures (`Milliseconds`, `Seconds`, `Count`).
    #[serde(default)]
    pub unit: Option<String>,
    /// Window length in seconds: `[collect] metric_window` for the lag
    /// metrics, `[collect] peak_window` for `GroupDesiredCapacity`.
    pub window_seconds: i64,
    /// Number of datapoints in the window (0 is data: nothing was published,
    /// e.g. a group without group metrics collection).
    pub datapoints: i64,
    /// Maximum over the window; null without datapoints.
    #[serde(default)]
    pub maximum: Option<f64>,
    /// Average over the window; null without datapoints.
    #[serde(default)]
    pub average: Option<f64>,
}

/// A CloudWatch alarm of one region: a metric alarm (one metric, or metric
/// math over several) or a composite alarm (a rule over other alarms). An
/// alarm reads metrics of its own region only, so what it watches and where
/// it lives decide whether it can still fire when the primary region is
/// down.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Alarm {
    /// Alarm name.
    pub name: String,
    /// Alarm ARN.
    pub arn: String,
    /// The metric's namespace (`AWS/Route53`); null for metric-math and
    /// composite alarms (see `metrics_namespaces`, `composite_rule`).
    #[serde(default)]
    pub namespace: Option<String>,
    /// The metric's name (`HealthCheckStatus`); null for metric-math and
    /// composite alarms.
    #[serde(default)]
    pub metric_name: Option<String>,
    /// The metric's dimensions, name → value (empty for metric-math and
    /// composite alarms).
    #[serde(default)]
    pub dimensions: BTreeMap<String, String>,
    /// `Statistic` (`Average`, `Minimum`…) or, for a percentile, the
    /// `ExtendedStatistic` (`p99`); null for metric-math and composite alarms.
    #[serde(default)]
    pub statistic: Option<String>,
    /// Seconds per evaluated datapoint; null when not a single-metric alarm.
    #[serde(default)]
    pub period: Option<i64>,
    /// Periods evaluated; null for composite alarms.
    #[serde(default)]
    pub evaluation_periods: Option<i64>,
    /// Breaching datapoints (of `evaluation_periods`) that set it off; null
    /// when not set (then all of them).
    #[serde(default)]
    pub datapoints_to_alarm: Option<i64>,
    /// The threshold compared with; null for composite alarms.
    #[serde(default)]
    pub threshold: Option<f64>,
    /// `GreaterThanThreshold`, `LessThanThreshold`…; null for composite alarms.
    #[serde(default)]
    pub comparison_operator: Option<String>,
    /// `OK`, `ALARM` or `INSUFFICIENT_DATA` when collected.
    #[serde(default)]
    pub state: Option<String>,
    /// False when its actions are switched off (it changes state, and
    /// EventBridge sees the change, but it notifies no one).
    #[serde(default)]
    pub actions_enabled: Option<bool>,
    /// ARNs it notifies or acts on when it enters `ALARM`.
    #[serde(default)]
    pub alarm_actions: Vec<String>,
    /// A composite alarm's rule (`ALARM("a") OR ALARM("b")`); null for a
    /// metric alarm.
    #[serde(default)]
    pub composite_rule: Option<String>,
    /// For a metric-math alarm: the namespaces of the metrics its `Metrics`
    /// queries read (`MetricStat.Metric.Namespace`), sorted, each once.
    /// Empty for other alarms.
    #[serde(default)]
    pub metrics_namespaces: Vec<String>,
}
