//! CloudWatch alarms, per region: every metric and composite alarm with what
//! it watches (namespace, metric, dimensions; the namespaces of a metric-math
//! alarm's metrics; a composite alarm's rule), how it decides, its state and
//! its actions. An alarm that starts the failover must live, and read its
//! metrics, where it still works when the primary region is down.
//!
//! Calls: `DescribeAlarms` with `AlarmTypes` `MetricAlarm` and
//! `CompositeAlarm` (without it AWS lists metric alarms only), 100 a page,
//! all pages.

use std::sync::Arc;

use aws_sdk_cloudwatch::Client;
use aws_sdk_cloudwatch::types::{AlarmType, CompositeAlarm, MetricAlarm};

use crate::collect::{Ctx, Part, gap};
use crate::snapshot::model::{Alarm, Snapshot};

const SOURCE: &str = "cloudwatch.alarms";

/// Collects the alarms of one region.
pub(crate) async fn collect(ctx: Arc<Ctx>, region: String, _view: Arc<Snapshot>) -> Part {
    let client = Client::from_conf(
        aws_sdk_cloudwatch::config::Builder::from(&ctx.sdk(&region))
            .interceptor(ctx.recorder.clone())
            .build(),
    );
    let mut part = Part::new();
    let mut alarms = Vec::new();
    {
        let _permit = ctx.permit("cloudwatch").await;
        let mut pages = client
            .describe_alarms()
            .alarm_types(AlarmType::MetricAlarm)
            .alarm_types(AlarmType::CompositeAlarm)
            // The largest page AWS allows (default 50).
            .max_records(100)
            .into_paginator()
            .send();
        while let Some(page) = pages.next().await {
            match page {
                Ok(page) => {
                    alarms.extend(page.metric_alarms().iter().map(metric_alarm));
                    alarms.extend(page.composite_alarms().iter().map(composite_alarm));
                }
                Err(err) => {
                    part.gaps.push(gap(SOURCE, &region, "DescribeAlarms", &err));
                    break;
                }
            }
        }
    }
    part.count("alarms", alarms.len());
    part.edit_region(&region, move |data| data.alarms.extend(alarms));
    part
}

fn metric_alarm(alarm: &MetricAlarm) -> Alarm {
    Alarm {
        name: alarm.alarm_name().unwrap_or_default().to_string(),
        arn: alarm.alarm_arn().unwrap_or_default().to_string(),
        namespace: alarm.namespace().map(str::to_string),
        metric_name: alarm.metric_name().map(str::to_string),
        dimensions: alarm
            .dimensions()
            .iter()
            .filter_map(|d| Some((d.name()?.to_string(), d.value()?.to_string())))
            .collect(),
        statistic: alarm
            .statistic()
            .map(|s| s.as_str().to_string())
            .or_else(|| alarm.extended_statistic().map(str::to_string)),
        period: alarm.period().map(i64::from),
        evaluation_periods: alarm.evaluation_periods().map(i64::from),
        datapoints_to_alarm: alarm.datapoints_to_alarm().map(i64::from),
        threshold: alarm.threshold(),
        comparison_operator: alarm.comparison_operator().map(|c| c.as_str().to_string()),
        state: alarm.state_value().map(|s| s.as_str().to_string()),
        actions_enabled: alarm.actions_enabled(),
        alarm_actions: alarm.alarm_actions().to_vec(),
        composite_rule: None,
        metrics_namespaces: alarm
            .metrics()
            .iter()
            .filter_map(|query| query.metric_stat()?.metric()?.namespace())
            .map(str::to_string)
            .collect(),
    }
}

fn composite_alarm(alarm: &CompositeAlarm) -> Alarm {
    Alarm {
        name: alarm.alarm_name().unwrap_or_default().to_string(),
        arn: alarm.alarm_arn().unwrap_or_default().to_string(),
        state: alarm.state_value().map(|s| s.as_str().to_string()),
        actions_enabled: alarm.actions_enabled(),
        alarm_actions: alarm.alarm_actions().to_vec(),
        composite_rule: Some(alarm.alarm_rule().unwrap_or_default().to_string()),
        ..Alarm::default()
    }
}

#[cfg(test)]
mod tests {
    use aws_sdk_cloudwatch::types::{
        Dimension, Metric, MetricDataQuery, MetricStat, StateValue, Statistic,
    };

    use super::*;

    fn stat_query(id: &str, namespace: &str) -> MetricDataQuery {
        MetricDataQuery::builder()
            .id(id)
            .metric_stat(
                MetricStat::builder()
                    .metric(
                        Metric::builder()
                            .namespace(namespace)
                            .metric_name("M")
                            .build(),
                    )
                    .period(60)
                    .stat("Sum")
                    .build(),
            )
            .build()
    }

    /// A metric-math alarm has no metric of its own: its queries' namespaces
    /// say what it reads (an expression reads none itself).
    #[test]
    fn a_metric_math_alarm_lists_the_namespaces_it_reads() {
        let alarm = MetricAlarm::builder()
            .alarm_name("math")
            .metrics(
                MetricDataQuery::builder()
                    .id("e")
                    .expression("a + b")
                    .build(),
            )
            .metrics(stat_query("a", "AWS/Route53"))
            .metrics(stat_query("b", "AWS/ApplicationELB"))
            .evaluation_periods(2)
            .build();
        let alarm = metric_alarm(&alarm);
        assert_eq!(alarm.namespace, None);
        assert_eq!(
            alarm.metrics_namespaces,
            ["AWS/Route53", "AWS/ApplicationELB"]
        );
        assert_eq!(alarm.evaluation_periods, Some(2));
    }

    /// A percentile alarm's statistic is its extended statistic.
    #[test]
    fn a_single_metric_alarm_keeps_its_metric_and_statistic() {
        let alarm = MetricAlarm::builder()
            .alarm_name("p99")
            .namespace("AWS/ApplicationELB")
            .metric_name("TargetResponseTime")
            .dimensions(
                Dimension::builder()
                    .name("LoadBalancer")
                    .value("app/x/1")
                    .build(),
            )
            .extended_statistic("p99")
            .state_value(StateValue::Alarm)
            .build();
        let alarm = metric_alarm(&alarm);
        assert_eq!(alarm.statistic.as_deref(), Some("p99"));
        assert_eq!(alarm.state.as_deref(), Some("ALARM"));
        assert_eq!(
            alarm.dimensions.get("LoadBalancer").map(String::as_str),
            Some("app/x/1")
        );
        let plain = metric_alarm(&MetricAlarm::builder().statistic(Statistic::Minimum).build());
        assert_eq!(plain.statistic.as_deref(), Some("Minimum"));
    }

    /// A composite alarm is its rule over other alarms (moto 5.2.5 cannot
    /// create one, so this is where its normalisation is checked).
    #[test]
    fn a_composite_alarm_carries_its_rule() {
        let alarm = CompositeAlarm::builder()
            .alarm_name("primary-down")
            .alarm_arn("arn:aws:cloudwatch:us-west-2:123456789012:alarm:primary-down")
            .alarm_rule(r#"ALARM("a") AND ALARM("b")"#)
            .actions_enabled(false)
            .alarm_actions("arn:aws:sns:us-west-2:123456789012:t")
            .state_value(StateValue::Ok)
            .build();
        let alarm = composite_alarm(&alarm);
        assert_eq!(
            alarm.composite_rule.as_deref(),
            Some(r#"ALARM("a") AND ALARM("b")"#)
        );
        assert_eq!(alarm.actions_enabled, Some(false));
        assert_eq!(alarm.state.as_deref(), Some("OK"));
        assert_eq!(alarm.namespace, None);
        assert!(alarm.metrics_namespaces.is_empty());
    }
}
