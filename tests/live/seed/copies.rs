//! The synthetic account the live benchmark scales to ×N.

use aws_types::SdkConfig;

use super::compute::{copy_image, group, launch_template, register_image};
use super::elasticache::cache;
use super::rds::rds_tag;
use super::{DR, PRIMARY, Result, sdk};

/// Resources a synthetic account holds beyond the reference design: `copies`
/// more services shaped like the shop, each with its own golden AMI and DR
/// copy, launch templates and Auto Scaling groups (empty, so moto launches no
/// instances) in both regions, an S3 bucket pair with RTC replication, a
/// health-checked failover record pair, an Aurora global database with a
/// member in each region, a cache group in each region, an Automation
/// document in the DR region and an EventBridge rule. Everything carries
/// `App=shop`, so both regions' collectors and every rule see it.
/// The benchmark (`benches/live.rs`) seeds `factor - 1` copies on top of
/// [`seed`] for an account scaled ×`factor`.
#[allow(dead_code)] // used by benches/live.rs, not by the live tests
pub async fn seed_copies(endpoint: &str, copies: usize) -> Result {
    if copies == 0 {
        return Ok(());
    }
    let east = sdk(endpoint, PRIMARY);
    let west = sdk(endpoint, DR);
    let ec2_east = aws_sdk_ec2::Client::new(&east);
    let ec2_west = aws_sdk_ec2::Client::new(&west);
    let target_group = |config: SdkConfig, name: &'static str| async move {
        let out = aws_sdk_elasticloadbalancingv2::Client::new(&config)
            .describe_target_groups()
            .names(name)
            .send()
            .await?;
        Result::Ok(
            out.target_groups()
                .first()
                .and_then(|t| t.target_group_arn())
                .ok_or("no target group")?
                .to_string(),
        )
    };
    let tg_east = target_group(east.clone(), "shop-web-use1").await?;
    let tg_west = target_group(west.clone(), "shop-web-usw2").await?;
    let azs_east: Vec<String> = ["us-east-1a", "us-east-1b", "us-east-1c"]
        .map(String::from)
        .to_vec();
    let azs_west: Vec<String> = ["us-west-2a", "us-west-2b"].map(String::from).to_vec();
    let rds_east = aws_sdk_rds::Client::new(&east);
    let rds_west = aws_sdk_rds::Client::new(&west);
    let s3 = |config: &SdkConfig| {
        aws_sdk_s3::Client::from_conf(
            aws_sdk_s3::config::Builder::from(config)
                .force_path_style(true)
                .build(),
        )
    };
    let (s3_east, s3_west) = (s3(&east), s3(&west));
    let ssm = aws_sdk_ssm::Client::new(&west);
    let events = aws_sdk_eventbridge::Client::new(&east);
    let route53 = aws_sdk_route53::Client::new(&east);
    let zone_id = route53
        .list_hosted_zones()
        .send()
        .await?
        .hosted_zones()
        .iter()
        .find(|z| z.name() == "yourstore.com.")
        .map(|z| z.id().trim_start_matches("/hostedzone/").to_string())
        .ok_or("no yourstore.com zone: seed the reference first")?;
    let mut records = Vec::new();
    for k in 1..=copies {
        let app = format!("svc{k:03}");
        // Images, templates and groups.
        let image = register_image(&ec2_east, &format!("{app}-golden"), "1").await?;
        let copy = copy_image(&ec2_west, &image, &format!("{app}-golden")).await?;
        let template_east =
            launch_template(&ec2_east, &format!("{app}-use1"), &[image.as_str()]).await?;
        let template_west =
            launch_template(&ec2_west, &format!("{app}-usw2"), &[copy.as_str()]).await?;
        group(
            &east,
            &format!("{app}-use1"),
            &template_east,
            "$Latest",
            &azs_east,
            &tg_east,
            &[],
            (0, 0, 30),
        )
        .await?;
        group(
            &west,
            &format!("{app}-usw2"),
            &template_west,
            "$Default",
            &azs_west,
            &tg_west,
            &[],
            (0, 0, 30),
        )
        .await?;

        // Aurora Global Database.
        let global = format!("{app}-global");
        rds_east
            .create_global_cluster()
            .global_cluster_identifier(&global)
            .engine("aurora-postgresql")
            .engine_version("15.4")
            .send()
            .await?;
        rds_east
            .create_db_cluster()
            .db_cluster_identifier(format!("{app}-aurora-use1"))
            .engine("aurora-postgresql")
            .engine_version("15.4")
            .master_username("shop")
            .master_user_password("not-a-secret-1")
            .global_cluster_identifier(&global)
            .tags(rds_tag())
            .send()
            .await?;
        rds_west
            .create_db_cluster()
            .db_cluster_identifier(format!("{app}-aurora-usw2"))
            .engine("aurora-postgresql")
            .engine_version("15.4")
            .global_cluster_identifier(&global)
            .tags(rds_tag())
            .send()
            .await?;

        // ElastiCache.
        cache(&east, &format!("{app}-cache-use1"), true, true).await?;
        cache(&west, &format!("{app}-cache-usw2"), true, true).await?;

        // S3 replication with RTC.
        {
            use aws_sdk_s3::types::*;
            let source = format!("{app}-assets-use1");
            let destination = format!("{app}-assets-usw2");
            let tagging = Tagging::builder()
                .tag_set(Tag::builder().key("App").value("shop").build()?)
                .build()?;
            let versioned = VersioningConfiguration::builder()
                .status(BucketVersioningStatus::Enabled)
                .build();
            s3_east.create_bucket().bucket(&source).send().await?;
            s3_west
                .create_bucket()
                .bucket(&destination)
                .create_bucket_configuration(
                    CreateBucketConfiguration::builder()
                        .location_constraint(BucketLocationConstraint::UsWest2)
                        .build(),
                )
                .send()
                .await?;
            for (client, bucket) in [(&s3_east, &source), (&s3_west, &destination)] {
                client
                    .put_bucket_versioning()
                    .bucket(bucket)
                    .versioning_configuration(versioned.clone())
                    .send()
                    .await?;
                client
                    .put_bucket_tagging()
                    .bucket(bucket)
                    .tagging(tagging.clone())
                    .send()
                    .await?;
            }
            let fifteen = || ReplicationTimeValue::builder().minutes(15).build();
            s3_east
                .put_bucket_replication()
                .bucket(&source)
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
                                .destination(
                                    Destination::builder()
                                        .bucket(format!("arn:aws:s3:::{destination}"))
                                        .replication_time(
                                            ReplicationTime::builder()
                                                .status(ReplicationTimeStatus::Enabled)
                                                .time(fifteen())
                                                .build()?,
                                        )
                                        .metrics(
                                            Metrics::builder()
                                                .status(MetricsStatus::Enabled)
                                                .event_threshold(fifteen())
                                                .build()?,
                                        )
                                        .build()?,
                                )
                                .build()?,
                        )
                        .build()?,
                )
                .send()
                .await?;
        }

        // SSM and EventBridge.
        ssm.create_document()
            .name(format!("{app}-dr-failover"))
            .document_type(aws_sdk_ssm::types::DocumentType::Automation)
            .document_format(aws_sdk_ssm::types::DocumentFormat::Json)
            .content(r#"{"schemaVersion":"0.3","mainSteps":[{"name":"Wait","action":"aws:sleep","inputs":{"Duration":"PT1S"}}]}"#)
            .tags(
                aws_sdk_ssm::types::Tag::builder()
                    .key("App")
                    .value("shop")
                    .build()?,
            )
            .send()
            .await?;
        events
            .put_rule()
            .name(format!("{app}-ami-copy-to-dr"))
            .event_pattern(
                r#"{"source":["aws.ec2"],"detail-type":["EC2 AMI State Change"],"detail":{"State":["available"]}}"#,
            )
            .state(aws_sdk_eventbridge::types::RuleState::Enabled)
            .send()
            .await?;
        events
            .put_targets()
            .rule(format!("{app}-ami-copy-to-dr"))
            .targets(
                aws_sdk_eventbridge::types::Target::builder()
                    .id("copy-ami")
                    .arn("arn:aws:lambda:us-east-1:123456789012:function:shop-copy-ami-to-dr")
                    .build()?,
            )
            .send()
            .await?;

        // Route 53: a health-checked failover pair and a CNAME.
        {
            use aws_sdk_route53::types::*;
            let mut checks = Vec::new();
            for (side, fqdn) in [("primary", "use1"), ("dr", "usw2")] {
                let created = route53
                    .create_health_check()
                    .caller_reference(format!("{app}-{side}"))
                    .health_check_config(
                        HealthCheckConfig::builder()
                            .r#type(HealthCheckType::Https)
                            .fully_qualified_domain_name(format!("{app}-{fqdn}.yourstore.com"))
                            .port(443)
                            .resource_path("/health")
                            .request_interval(10)
                            .failure_threshold(3)
                            .build()?,
                    )
                    .send()
                    .await?;
                checks.push(
                    created
                        .health_check()
                        .map(|h| h.id().to_string())
                        .unwrap_or_default(),
                );
            }
            let name = format!("{app}.yourstore.com");
            for ((role, set_id, value), check) in [
                (ResourceRecordSetFailover::Primary, "primary", "192.0.2.10"),
                (
                    ResourceRecordSetFailover::Secondary,
                    "secondary",
                    "198.51.100.10",
                ),
            ]
            .into_iter()
            .zip(&checks)
            {
                records.push(
                    ResourceRecordSet::builder()
                        .name(&name)
                        .r#type(RrType::A)
                        .set_identifier(set_id)
                        .failover(role)
                        .ttl(60)
                        .health_check_id(check)
                        .resource_records(ResourceRecord::builder().value(value).build()?)
                        .build()?,
                );
            }
            records.push(
                ResourceRecordSet::builder()
                    .name(format!("www-{app}.yourstore.com"))
                    .r#type(RrType::Cname)
                    .ttl(300)
                    .resource_records(ResourceRecord::builder().value(&name).build()?)
                    .build()?,
            );
        }
    }
    for batch in records.chunks(500) {
        use aws_sdk_route53::types::*;
        route53
            .change_resource_record_sets()
            .hosted_zone_id(&zone_id)
            .change_batch(
                ChangeBatch::builder()
                    .set_changes(Some(
                        batch
                            .iter()
                            .map(|r| {
                                Change::builder()
                                    .action(ChangeAction::Create)
                                    .resource_record_set(r.clone())
                                    .build()
                            })
                            .collect::<std::result::Result<Vec<_>, _>>()?,
                    ))
                    .build()?,
            )
            .send()
            .await?;
    }
    Ok(())
}
