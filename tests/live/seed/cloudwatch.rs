//! CloudWatch: replication-lag datapoints for the Aurora secondary and S3,
//! the primary group's `GroupDesiredCapacity` (its peak), and an alarm in
//! each region: on the primary's Route 53 health check in us-east-1 (where
//! Route 53 publishes its metrics), metric math over the DR ALB's 5xx in
//! us-west-2.

use aws_types::SdkConfig;

use super::{Design, Result};

/// The us-east-1 alarm on the primary's health check.
pub const PRIMARY_ALARM: &str = "shop-primary-health";
/// The us-west-2 metric-math alarm on the DR load balancer's 5xx rate.
pub const DR_ALARM: &str = "shop-dr-alb-5xx-rate";
/// A us-west-2 alarm on the PRIMARY's Route 53 health check: Route 53
/// publishes no metrics there, so it never gets data.
pub const DR_ROUTE53_ALARM: &str = "shop-primary-health-usw2";

/// The lag datapoints the RPO rules and budget read.
pub async fn seed(
    east: &SdkConfig,
    west: &SdkConfig,
    design: &Design,
    primary_check: &str,
) -> Result {
    // CloudWatch lag datapoints.
    let now = aws_smithy_types::DateTime::from(
        std::time::SystemTime::now() - std::time::Duration::from_secs(600),
    );
    let datum = |name: &str, dimensions: &[(&str, &str)], value: f64, unit| {
        aws_sdk_cloudwatch::types::MetricDatum::builder()
            .metric_name(name)
            .set_dimensions(Some(
                dimensions
                    .iter()
                    .map(|(k, v)| {
                        aws_sdk_cloudwatch::types::Dimension::builder()
                            .name(*k)
                            .value(*v)
                            .build()
                    })
                    .collect(),
            ))
            .timestamp(now)
            .value(value)
            .unit(unit)
            .build()
    };
    aws_sdk_cloudwatch::Client::new(west)
        .put_metric_data()
        .namespace("AWS/RDS")
        .metric_data(datum(
            "AuroraGlobalDBRPOLag",
            &[("DBClusterIdentifier", "shop-aurora-usw2")],
            design.aurora_lag_peak_ms,
            aws_sdk_cloudwatch::types::StandardUnit::Milliseconds,
        ))
        .metric_data(datum(
            "AuroraGlobalDBRPOLag",
            &[("DBClusterIdentifier", "shop-aurora-usw2")],
            120.0,
            aws_sdk_cloudwatch::types::StandardUnit::Milliseconds,
        ))
        .send()
        .await?;
    let s3_dimensions = [
        ("SourceBucket", "shop-assets-use1"),
        ("DestinationBucket", "shop-assets-usw2"),
        ("RuleId", "crr-to-dr"),
    ];
    aws_sdk_cloudwatch::Client::new(east)
        .put_metric_data()
        .namespace("AWS/S3")
        .metric_data(datum(
            "ReplicationLatency",
            &s3_dimensions,
            38.0,
            aws_sdk_cloudwatch::types::StandardUnit::Seconds,
        ))
        .metric_data(datum(
            "OperationsPendingReplication",
            &s3_dimensions,
            42.0,
            aws_sdk_cloudwatch::types::StandardUnit::Count,
        ))
        .send()
        .await?;
    // The primary group's capacity: its desired capacity, and its peak.
    let group = [("AutoScalingGroupName", "shop-web-use1")];
    aws_sdk_cloudwatch::Client::new(east)
        .put_metric_data()
        .namespace("AWS/AutoScaling")
        .metric_data(datum(
            "GroupDesiredCapacity",
            &group,
            10.0,
            aws_sdk_cloudwatch::types::StandardUnit::None,
        ))
        .metric_data(datum(
            "GroupDesiredCapacity",
            &group,
            design.primary_peak,
            aws_sdk_cloudwatch::types::StandardUnit::None,
        ))
        .send()
        .await?;
    alarms(east, west, design, primary_check).await
}

/// The alarms of the design: on the PRIMARY's health check in us-east-1
/// (unless the design drops it), in us-west-2 on the DR load balancer, and
/// on the PRIMARY's check in us-west-2 for a trigger that reads it there.
async fn alarms(
    east: &SdkConfig,
    west: &SdkConfig,
    design: &Design,
    primary_check: &str,
) -> Result {
    use aws_sdk_cloudwatch::types::{ComparisonOperator, Dimension, Statistic};
    let on_primary_check = |config: &SdkConfig, name: &str| {
        aws_sdk_cloudwatch::Client::new(config)
            .put_metric_alarm()
            .alarm_name(name)
            .namespace("AWS/Route53")
            .metric_name("HealthCheckStatus")
            .dimensions(
                Dimension::builder()
                    .name("HealthCheckId")
                    .value(primary_check)
                    .build(),
            )
            .statistic(Statistic::Minimum)
            .period(60)
            .evaluation_periods(1)
            .datapoints_to_alarm(1)
            .threshold(1.0)
            .comparison_operator(ComparisonOperator::LessThanThreshold)
    };
    if design.primary_route53_alarm {
        on_primary_check(east, PRIMARY_ALARM)
            .alarm_actions("arn:aws:sns:us-east-1:123456789012:shop-oncall")
            .send()
            .await?;
    }
    if design.trigger == Some(super::Trigger::DrRoute53Alarm) {
        on_primary_check(west, DR_ROUTE53_ALARM).send().await?;
    }
    dr_alarm(west).await
}

/// The DR region's metric-math alarm on its load balancer's 5xx rate.
async fn dr_alarm(west: &SdkConfig) -> Result {
    use aws_sdk_cloudwatch::types::{
        ComparisonOperator, Dimension, Metric, MetricDataQuery, MetricStat,
    };
    aws_sdk_cloudwatch::Client::new(west)
        .put_metric_alarm()
        .alarm_name(DR_ALARM)
        .metrics(
            MetricDataQuery::builder()
                .id("rate")
                .expression("100 * errors / MAX([errors, 1])")
                .return_data(true)
                .build(),
        )
        .metrics(
            MetricDataQuery::builder()
                .id("errors")
                .metric_stat(
                    MetricStat::builder()
                        .metric(
                            Metric::builder()
                                .namespace("AWS/ApplicationELB")
                                .metric_name("HTTPCode_ELB_5XX_Count")
                                .dimensions(
                                    Dimension::builder()
                                        .name("LoadBalancer")
                                        .value("app/shop-alb-usw2/0")
                                        .build(),
                                )
                                .build(),
                        )
                        .period(60)
                        .stat("Sum")
                        .build(),
                )
                .return_data(false)
                .build(),
        )
        .evaluation_periods(3)
        .datapoints_to_alarm(2)
        .threshold(5.0)
        .comparison_operator(ComparisonOperator::GreaterThanThreshold)
        .alarm_actions("arn:aws:sns:us-west-2:123456789012:shop-oncall")
        .send()
        .await?;
    Ok(())
}
