//! CloudWatch, per region: summaries of the replication-lag metrics the rules
//! and the RPO budget read, over `[collect] metric_window` (default 24 h):
//! Aurora `AuroraGlobalDBRPOLag` and `AuroraGlobalDBReplicationLag` for the
//! region's DB clusters that belong to a global cluster (all Aurora clusters
//! when global clusters were not read), and S3 `ReplicationLatency` and
//! `OperationsPendingReplication` for each replication rule of the region's
//! buckets.
//!
//! Starts once RDS and S3 are read, so it asks only for metrics of
//! resources that exist. Each metric needs three statistics (Maximum, Average,
//! SampleCount) over one period the length of the window; all of a region's
//! queries go in as few `GetMetricData` calls as the 500-query limit allows.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use aws_sdk_cloudwatch::Client;
use aws_sdk_cloudwatch::primitives::DateTime;
use aws_sdk_cloudwatch::types::{Dimension, Metric, MetricDataQuery, MetricStat};

use super::{Ctx, Part, gap};
use crate::snapshot::model::{MetricSummary, Snapshot};

const SOURCE: &str = "cloudwatch";
const STATS: [&str; 3] = ["Maximum", "Average", "SampleCount"];
/// GetMetricData accepts at most 500 queries per call.
const MAX_QUERIES: usize = 500;

struct Wanted {
    namespace: &'static str,
    metric_name: &'static str,
    unit: &'static str,
    dimensions: BTreeMap<String, String>,
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
                });
            }
        }
    }
    wanted
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
    // A period must be a multiple of 60 s; align the window on whole minutes.
    let period = ctx.metric_window_seconds.div_ceil(60).max(1) * 60;
    let now = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default();
    let end = now - now % 60;
    let start = end.saturating_sub(period);
    let mut queries = Vec::new();
    for (index, metric) in wanted.iter().enumerate() {
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
                            .period(period as i32)
                            .stat(*stat)
                            .build(),
                    )
                    .return_data(true)
                    .build(),
            );
        }
    }
    let mut values: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    for batch in queries.chunks(MAX_QUERIES) {
        let _permit = ctx.permit(SOURCE).await;
        let mut pages = client
            .get_metric_data()
            .set_metric_data_queries(Some(batch.to_vec()))
            .start_time(DateTime::from(
                SystemTime::UNIX_EPOCH + Duration::from_secs(start),
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
                window_seconds: period as i64,
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
