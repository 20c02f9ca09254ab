//! S3: the assets bucket replicated to DR with Replication Time Control,
//! both buckets with default encryption SSE-S3 (SSE-KMS with the app's key
//! on the source in the `source_bucket_sse_kms` variant).

use aws_types::SdkConfig;

use super::kms::Keys;
use super::{Design, Result};

/// Default encryption of one bucket: SSE-KMS with `kms_key`, else SSE-S3.
fn default_encryption(
    kms_key: Option<&str>,
) -> Result<aws_sdk_s3::types::ServerSideEncryptionConfiguration> {
    use aws_sdk_s3::types::*;
    let mut default = ServerSideEncryptionByDefault::builder();
    default = match kms_key {
        Some(key) => default
            .sse_algorithm(ServerSideEncryption::AwsKms)
            .kms_master_key_id(key),
        None => default.sse_algorithm(ServerSideEncryption::Aes256),
    };
    Ok(ServerSideEncryptionConfiguration::builder()
        .rules(
            ServerSideEncryptionRule::builder()
                .apply_server_side_encryption_by_default(default.build()?)
                .bucket_key_enabled(kms_key.is_some())
                .build(),
        )
        .build()?)
}

/// The bucket pair and its replication.
pub async fn seed(east: &SdkConfig, west: &SdkConfig, design: &Design, keys: &Keys) -> Result {
    // S3 cross-region replication with RTC.
    let s3_east = aws_sdk_s3::Client::from_conf(
        aws_sdk_s3::config::Builder::from(east)
            .force_path_style(true)
            .build(),
    );
    let s3_west = aws_sdk_s3::Client::from_conf(
        aws_sdk_s3::config::Builder::from(west)
            .force_path_style(true)
            .build(),
    );
    let app_tags = || {
        aws_sdk_s3::types::Tagging::builder()
            .tag_set(
                aws_sdk_s3::types::Tag::builder()
                    .key("App")
                    .value("shop")
                    .build()
                    .expect("tag"),
            )
            .build()
            .expect("tagging")
    };
    let versioned = || {
        aws_sdk_s3::types::VersioningConfiguration::builder()
            .status(aws_sdk_s3::types::BucketVersioningStatus::Enabled)
            .build()
    };
    s3_east
        .create_bucket()
        .bucket("shop-assets-use1")
        .send()
        .await?;
    s3_east
        .put_bucket_versioning()
        .bucket("shop-assets-use1")
        .versioning_configuration(versioned())
        .send()
        .await?;
    s3_east
        .put_bucket_tagging()
        .bucket("shop-assets-use1")
        .tagging(app_tags())
        .send()
        .await?;
    let source_key = design
        .source_bucket_sse_kms
        .then_some(keys.primary.as_str());
    s3_east
        .put_bucket_encryption()
        .bucket("shop-assets-use1")
        .server_side_encryption_configuration(default_encryption(source_key)?)
        .send()
        .await?;
    s3_west
        .create_bucket()
        .bucket("shop-assets-usw2")
        .create_bucket_configuration(
            aws_sdk_s3::types::CreateBucketConfiguration::builder()
                .location_constraint(aws_sdk_s3::types::BucketLocationConstraint::UsWest2)
                .build(),
        )
        .send()
        .await?;
    if design.s3_destination_versioned {
        s3_west
            .put_bucket_versioning()
            .bucket("shop-assets-usw2")
            .versioning_configuration(versioned())
            .send()
            .await?;
    }
    s3_west
        .put_bucket_encryption()
        .bucket("shop-assets-usw2")
        .server_side_encryption_configuration(default_encryption(None)?)
        .send()
        .await?;
    s3_west
        .put_bucket_tagging()
        .bucket("shop-assets-usw2")
        .tagging(app_tags())
        .send()
        .await?;
    if design.s3_replication {
        use aws_sdk_s3::types::*;
        let mut destination = Destination::builder()
            .bucket("arn:aws:s3:::shop-assets-usw2")
            .storage_class(StorageClass::Standard);
        if design.s3_rtc {
            destination = destination
                .replication_time(
                    ReplicationTime::builder()
                        .status(ReplicationTimeStatus::Enabled)
                        .time(ReplicationTimeValue::builder().minutes(15).build())
                        .build()?,
                )
                .metrics(
                    Metrics::builder()
                        .status(MetricsStatus::Enabled)
                        .event_threshold(ReplicationTimeValue::builder().minutes(15).build())
                        .build()?,
                );
        }
        s3_east
            .put_bucket_replication()
            .bucket("shop-assets-use1")
            .replication_configuration(
                ReplicationConfiguration::builder()
                    .role("arn:aws:iam::123456789012:role/shop-s3-crr")
                    .rules(
                        ReplicationRule::builder()
                            .id("crr-to-dr")
                            .priority(1)
                            .status(ReplicationRuleStatus::Enabled)
                            .filter(ReplicationRuleFilter::builder().prefix("").build())
                            .delete_marker_replication(
                                DeleteMarkerReplication::builder()
                                    .status(DeleteMarkerReplicationStatus::Enabled)
                                    .build(),
                            )
                            .destination(destination.build()?)
                            .build()?,
                    )
                    .build()?,
            )
            .send()
            .await?;
    }
    // No default encryption: moto answers ServerSideEncryptionConfigurationNotFoundError,
    // as AWS did for buckets before 2023.
    s3_east
        .create_bucket()
        .bucket("shop-ci-logs")
        .send()
        .await?;
    s3_east
        .put_bucket_tagging()
        .bucket("shop-ci-logs")
        .tagging(
            aws_sdk_s3::types::Tagging::builder()
                .tag_set(
                    aws_sdk_s3::types::Tag::builder()
                        .key("Team")
                        .value("platform")
                        .build()?,
                )
                .build()?,
        )
        .send()
        .await?;
    Ok(())
}
