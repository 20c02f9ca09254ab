//! CloudWatch, per region: metric summaries (`cloudwatch.metrics`) and the
//! alarms ([`alarms`], `cloudwatch.alarms`).
//!
//! The summaries: the replication-lag metrics the rules and the RPO budget
//! read, over `[collect] metric_window` (default 24 h): Aurora
//! `AuroraGlobalDBRPOLag` and `AuroraGlobalDBReplicationLag` for the region's
//! DB clusters that belong to a global cluster (all Aurora clusters when
//! global clusters were not read), and S3 `ReplicationLatency` and
//! `OperationsPendingReplication` for each replication rule of the region's
//! buckets; and, over `[collect] peak_window` (default 7 days), the peak
//! `AWS/AutoScaling` `GroupDesiredCapacity` of each of the region's Auto
//! Scaling groups (a group publishes it only with group metrics collection
//! enabled: without, its summary has no datapoints, which is data).
//!
//! Starts once RDS, S3 and Auto Scaling are read, so it asks only for
//! metrics of resources that exist. Each metric needs three statistics
//! (Maximum, Average, SampleCount) over one period the length of its window;
//! a call has one time range, so each window length has its own calls, and
//! its queries go in as few `GetMetricData` calls as the 500-query limit
//! allows.

pub(crate) mod alarms;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use aws_sdk_cloudwatch::Client;
use aws_sdk_cloudwatch::primitives::DateTime;
use aws_sdk_cloudwatch::types::{Dimension, Metric, MetricDataQuery, MetricStat};

use super::{Ctx, Part, gap};
use crate::snapshot::model::{MetricSummary, Snapshot};

const SOURCE: &str = "cloudwatch.metrics";
const STATS: [&str; 3] = ["Maximum", "Average", "SampleCount"];
/// GetMetricData accepts at most 500 queries per call.
const MAX_QUERIES: usize = 500;

/// Which configured window a metric is summarised over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Window {
    /// `[collect] metric_window`: replication lag.
    Lag,
    /// `[collect] peak_window`: a group's peak capacity.
    Peak,
}

struct Wanted {
    namespace: &'static str,
    metric_name: &'static str,
    unit: &'static str,
    dimensions: BTreeMap<String, String>,
    window: Window,
}

fn wanted(view: &Snapshot, region: &str) -> Vec<Wanted> {
    let mut wanted = Vec::new();
    let Some(data) = view.regions.get(region) else {
        return wanted;
    };
    let global_members: Vec<&str> = view
        .global
        .global_clusters
        .iter()
        .flat_map(|g| &g.members)
        .map(|m| m.db_cluster_arn.as_str())
        .collect();
    let know_globals = !view.global.global_clusters.is_empty()
        || !view.gaps.iter().any(|g| g.service == "rds")
            && !view.skipped.iter().any(|s| s.source.starts_with("rds"));
    for cluster in &data.db_clusters {
        let is_member = global_members.contains(&cluster.arn.as_str());
        if !cluster.engine.starts_with("aurora") || (know_globals && !is_member) {
            continue;
        }
        for metric_name in ["AuroraGlobalDBRPOLag", "AuroraGlobalDBReplicationLag"] {
            wanted.push(Wanted {
                namespace: "AWS/RDS",
                metric_name,
                unit: "Milliseconds",
                dimensions: BTreeMap::from([(
                    "DBClusterIdentifier".to_string(),
                    cluster.id.clone(),
                )]),
                window: Window::Lag,
            });
        }
    }
    for bucket in view.global.buckets.iter().filter(|b| b.region == region) {
        let Some(replication) = &bucket.replication else {
            continue;
        };
        for rule in &replication.rules {
            let Some(rule_id) = &rule.id else { continue };
            let destination = rule
                .destination_bucket_arn
                .trim_start_matches("arn:aws:s3:::")
                .to_string();
            for (metric_name, unit) in [
                ("ReplicationLatency", "Seconds"),
                ("OperationsPendingReplication", "Count"),
            ] {
                wanted.push(Wanted {
                    namespace: "AWS/S3",
                    metric_name,
                    unit,
                    dimensions: BTreeMap::from([
                        ("SourceBucket".to_string(), bucket.name.clone()),
                        ("DestinationBucket".to_string(), destination.clone()),
                        ("RuleId".to_string(), rule_id.clone()),
                    ]),
                    window: Window::Lag,
                });
            }
        }
    }
    for group in &data.auto_scaling_groups {
        wanted.push(Wanted {
            namespace: "AWS/AutoScaling",
            metric_name: "GroupDesiredCapacity",
            unit: "Count",
            dimensions: BTreeMap::from([("AutoScalingGroupName".to_string(), group.name.clone())]),
            window: Window::Peak,
        });
    }
    wanted
}

/// The period (seconds) that covers a window in one datapoint: a multiple of
/// 60 s, and of 5 min past 15 days and of 1 h past 63 days, as CloudWatch
/// requires for data that old.
fn period_of(window_seconds: u64) -> u64 {
    let step = if window_seconds > 63 * 86_400 {
        3600
    } else if window_seconds > 15 * 86_400 {
        300
    } else {
        60
    };
    window_seconds.div_ceil(step).max(1) * step
}

/// Collects the metric summaries of one region.
pub(crate) async fn collect(ctx: Arc<Ctx>, region: String, view: Arc<Snapshot>) -> Part {
    let mut part = Part::new();
    let wanted = wanted(&view, &region);
    if wanted.is_empty() {
        part.count("metrics", 0);
        return part;
    }
    let client = Client::from_conf(
        aws_sdk_cloudwatch::config::Builder::from(&ctx.sdk(&region))
            .interceptor(ctx.recorder.clone())
            .build(),
    );
    let period = |window: Window| {
        period_of(match window {
            Window::Lag => ctx.metric_window_seconds,
            Window::Peak => ctx.peak_window_seconds,
        })
    };
    let period_of_window = period;
    let now = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default();
    // Windows end on a whole minute.
    let end = now - now % 60;
    let mut values: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    // One time range per distinct period (two windows of one length share it).
    let mut periods: Vec<u64> = wanted.iter().map(|w| period(w.window)).collect();
    periods.sort_unstable();
    periods.dedup();
    for period in periods {
        let queries = queries(&wanted, |window| period_of_window(window) == period, period);
        for batch in queries.chunks(MAX_QUERIES) {
            let _permit = ctx.permit("cloudwatch").await;
            let mut pages = client
                .get_metric_data()
                .set_metric_data_queries(Some(batch.to_vec()))
                .start_time(DateTime::from(
                    SystemTime::UNIX_EPOCH + Duration::from_secs(end.saturating_sub(period)),
                ))
                .end_time(DateTime::from(
                    SystemTime::UNIX_EPOCH + Duration::from_secs(end),
                ))
                .into_paginator()
                .send();
            while let Some(page) = pages.next().await {
                match page {
                    Ok(page) => {
                        for result in page.metric_data_results() {
                            if let Some(id) = result.id() {
                                values
                                    .entry(id.to_string())
                                    .or_default()
                                    .extend_from_slice(result.values());
                            }
                        }
                    }
                    Err(err) => {
                        part.gaps.push(gap(SOURCE, &region, "GetMetricData", &err));
                        break;
                    }
                }
            }
        }
    }
    let summaries: Vec<MetricSummary> = wanted
        .into_iter()
        .enumerate()
        .map(|(index, metric)| {
            let stat = |i: usize| {
                values
                    .get(&format!("m{index}s{i}"))
                    .cloned()
                    .unwrap_or_default()
            };
            let maximum = stat(0).into_iter().reduce(f64::max);
            let samples: f64 = stat(2).into_iter().sum();
            let averages = stat(1);
            let average = if averages.is_empty() {
                None
            } else {
                Some(averages.iter().sum::<f64>() / averages.len() as f64)
            };
            MetricSummary {
                namespace: metric.namespace.to_string(),
                metric_name: metric.metric_name.to_string(),
                dimensions: metric.dimensions,
                unit: Some(metric.unit.to_string()),
                window_seconds: period(metric.window) as i64,
                datapoints: samples as i64,
                maximum: if samples > 0.0 { maximum } else { None },
                average: if samples > 0.0 { average } else { None },
            }
        })
        .collect();
    part.count("metrics", summaries.len());
    part.edit_region(&region, move |data| data.metrics.extend(summaries));
    part
}

/// The queries of the metrics whose window `covered` accepts: three
/// statistics per metric, each over one `period`. A query's id names the
/// metric's index in `wanted` and the statistic's in [`STATS`].
fn queries(
    wanted: &[Wanted],
    covered: impl Fn(Window) -> bool,
    period: u64,
) -> Vec<MetricDataQuery> {
    let mut queries = Vec::new();
    for (index, metric) in wanted.iter().enumerate() {
        if !covered(metric.window) {
            continue;
        }
        let dimensions: Vec<Dimension> = metric
            .dimensions
            .iter()
            .map(|(name, value)| Dimension::builder().name(name).value(value).build())
            .collect();
        for (stat_index, stat) in STATS.iter().enumerate() {
            queries.push(
                MetricDataQuery::builder()
                    .id(format!("m{index}s{stat_index}"))
                    .metric_stat(
                        MetricStat::builder()
                            .metric(
                                Metric::builder()
                                    .namespace(metric.namespace)
                                    .metric_name(metric.metric_name)
                                    .set_dimensions(Some(dimensions.clone()))
                                    .build(),
                            )
                            .period(i32::try_from(period).unwrap_or(i32::MAX))
                            .stat(*stat)
                            .build(),
                    )
                    .return_data(true)
                    .build(),
            );
        }
    }
    queries
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A window becomes one datapoint's period, in the step CloudWatch
    /// requires for data of that age.
    #[test]
    fn periods_cover_the_window_in_the_step_cloudwatch_requires() {
        assert_eq!(period_of(24 * 3600), 86_400);
        assert_eq!(period_of(90), 120);
        assert_eq!(period_of(7 * 86_400), 604_800);
        assert_eq!(period_of(20 * 86_400 + 1), 20 * 86_400 + 300);
        assert_eq!(period_of(90 * 86_400 + 1), 90 * 86_400 + 3600);
        assert_eq!(period_of(0), 60);
    }
}
