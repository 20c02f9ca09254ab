//! CloudWatch: replication-lag datapoints for the Aurora secondary and S3.

use aws_types::SdkConfig;

use super::{Design, Result};

/// The lag datapoints the RPO rules and budget read.
pub async fn seed(east: &SdkConfig, west: &SdkConfig, design: &Design) -> Result {
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
    Ok(())
}
