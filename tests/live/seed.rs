//! Builds the reference architecture in moto with the AWS SDK itself: both
//! regions, the Route 53 failover pair with its 10 s / threshold-3 HTTPS
//! health checks, ALBs, Auto Scaling groups with launch templates, the golden
//! AMI and its DR copy, an Aurora Global Database, ElastiCache, S3 CRR with
//! RTC, the SSM runbook, the EventBridge rule and CloudWatch lag datapoints.
//!
//! [`Design`] holds the knobs the single-fault variants turn; its `Default`
//! is the reference design of `fixtures/reference/` (with its two deliberate
//! runbook mistakes, DRG-SSM-003 and DRG-SSM-006).

use aws_config::BehaviorVersion;
use aws_credential_types::Credentials;
use aws_types::SdkConfig;
use aws_types::region::Region;

pub const PRIMARY: &str = "us-east-1";
pub const DR: &str = "us-west-2";

/// What to build; every field defaults to the reference design.
#[derive(Debug, Clone)]
pub struct Design {
    pub health_check_interval: i32,
    pub health_check_threshold: i32,
    pub health_check_type: &'static str,
    pub health_check_path: &'static str,
    pub primary_record_health_checked: bool,
    /// Failover records as CNAMEs with this TTL instead of aliases.
    pub cname_records_ttl: Option<i64>,
    pub primary_azs: usize,
    pub dr_min_size: i32,
    pub dr_desired: i32,
    pub dr_max_size: i32,
    /// The DR launch template launches the copy of the previous golden AMI.
    pub dr_launches_previous_ami: bool,
    pub ami_copy_rule: bool,
    /// The DR Aurora cluster joins the global cluster.
    pub dr_cluster_in_global: bool,
    /// Peak AuroraGlobalDBRPOLag in ms.
    pub aurora_lag_peak_ms: f64,
    /// `rds.global_db_rpo` in a custom parameter group of the primary cluster.
    pub aurora_global_db_rpo: Option<u32>,
    pub s3_replication: bool,
    pub s3_rtc: bool,
    pub s3_destination_versioned: bool,
    pub cache_automatic_failover: bool,
    /// The DR cache group carries the App=shop tag (in scope).
    pub dr_cache_in_scope: bool,
    pub runbook_scale_step: bool,
    pub runbook_desired_capacity: i64,
    pub runbook_dr_cluster: &'static str,
    /// Extra Route 53 records and health checks, to force pagination.
    pub extra_records: usize,
    pub extra_health_checks: usize,
    /// Extra Auto Scaling groups, DB clusters and SSM documents in the DR region.
    pub extra_groups: usize,
    /// Extra DR groups with a launch template each (three versions); group i
    /// launches `$Latest`, `$Default` or version 2 by i % 3.
    pub extra_templated_groups: usize,
    pub extra_db_clusters: usize,
    pub extra_documents: usize,
}

impl Default for Design {
    fn default() -> Self {
        Design {
            health_check_interval: 10,
            health_check_threshold: 3,
            health_check_type: "HTTPS",
            health_check_path: "/health",
            primary_record_health_checked: true,
            cname_records_ttl: None,
            primary_azs: 3,
            dr_min_size: 2,
            dr_desired: 2,
            dr_max_size: 30,
            dr_launches_previous_ami: false,
            ami_copy_rule: true,
            dr_cluster_in_global: true,
            aurora_lag_peak_ms: 850.0,
            aurora_global_db_rpo: None,
            s3_replication: true,
            s3_rtc: true,
            s3_destination_versioned: true,
            cache_automatic_failover: true,
            dr_cache_in_scope: true,
            runbook_scale_step: true,
            runbook_desired_capacity: 10,
            runbook_dr_cluster: "shop-aurora-usw2",
            extra_records: 0,
            extra_health_checks: 0,
            extra_groups: 0,
            extra_templated_groups: 0,
            extra_db_clusters: 0,
            extra_documents: 0,
        }
    }
}

/// SDK configuration pointing at moto.
pub fn sdk(endpoint: &str, region: &str) -> SdkConfig {
    SdkConfig::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new(region.to_string()))
        .endpoint_url(endpoint)
        .credentials_provider(
            aws_credential_types::provider::SharedCredentialsProvider::new(Credentials::new(
                "testing", "testing", None, None, "moto",
            )),
        )
        .build()
}

type Result<T = ()> = std::result::Result<T, Box<dyn std::error::Error + Send + Sync>>;

struct Site {
    lb_arn: String,
    lb_dns: String,
    lb_zone: String,
    tg_arn: String,
    azs: Vec<String>,
}

async fn site(sdk: &SdkConfig, name: &str, azs: &[&str]) -> Result<Site> {
    let ec2 = aws_sdk_ec2::Client::new(sdk);
    let vpc = ec2.create_vpc().cidr_block("10.0.0.0/16").send().await?;
    let vpc_id = vpc
        .vpc()
        .and_then(|v| v.vpc_id())
        .unwrap_or_default()
        .to_string();
    let mut subnets = Vec::new();
    for (i, az) in azs.iter().enumerate() {
        let subnet = ec2
            .create_subnet()
            .vpc_id(&vpc_id)
            .cidr_block(format!("10.0.{i}.0/24"))
            .availability_zone(*az)
            .send()
            .await?;
        subnets.push(
            subnet
                .subnet()
                .and_then(|s| s.subnet_id())
                .unwrap_or_default()
                .to_string(),
        );
    }
    let elb = aws_sdk_elasticloadbalancingv2::Client::new(sdk);
    let lb = elb
        .create_load_balancer()
        .name(format!("shop-alb-{name}"))
        .set_subnets(Some(subnets))
        .r#type(aws_sdk_elasticloadbalancingv2::types::LoadBalancerTypeEnum::Application)
        .scheme(aws_sdk_elasticloadbalancingv2::types::LoadBalancerSchemeEnum::InternetFacing)
        .send()
        .await?;
    let lb = lb
        .load_balancers()
        .first()
        .ok_or("no load balancer")?
        .clone();
    let tg = elb
        .create_target_group()
        .name(format!("shop-web-{name}"))
        .protocol(aws_sdk_elasticloadbalancingv2::types::ProtocolEnum::Http)
        .port(80)
        .vpc_id(&vpc_id)
        .health_check_path("/health")
        .health_check_interval_seconds(10)
        .health_check_timeout_seconds(5)
        .healthy_threshold_count(2)
        .unhealthy_threshold_count(2)
        .send()
        .await?;
    let tg_arn = tg
        .target_groups()
        .first()
        .and_then(|t| t.target_group_arn())
        .unwrap_or_default()
        .to_string();
    let lb_arn = lb.load_balancer_arn().unwrap_or_default().to_string();
    elb.create_listener()
        .load_balancer_arn(&lb_arn)
        .protocol(aws_sdk_elasticloadbalancingv2::types::ProtocolEnum::Http)
        .port(80)
        .default_actions(
            aws_sdk_elasticloadbalancingv2::types::Action::builder()
                .r#type(aws_sdk_elasticloadbalancingv2::types::ActionTypeEnum::Forward)
                .target_group_arn(&tg_arn)
                .build(),
        )
        .send()
        .await?;
    Ok(Site {
        lb_arn,
        lb_dns: lb.dns_name().unwrap_or_default().to_string(),
        lb_zone: lb
            .canonical_hosted_zone_id()
            .unwrap_or_default()
            .to_string(),
        tg_arn,
        azs: azs.iter().map(|s| s.to_string()).collect(),
    })
}

async fn register_image(ec2: &aws_sdk_ec2::Client, name: &str, build: &str) -> Result<String> {
    let image = ec2
        .register_image()
        .name(name)
        .description(format!("shop golden image build {build}"))
        .root_device_name("/dev/xvda")
        .send()
        .await?;
    let id = image.image_id().unwrap_or_default().to_string();
    ec2.create_tags()
        .resources(&id)
        .tags(tag_ec2("App", "shop"))
        .tags(tag_ec2("Build", build))
        .send()
        .await?;
    Ok(id)
}

fn tag_ec2(key: &str, value: &str) -> aws_sdk_ec2::types::Tag {
    aws_sdk_ec2::types::Tag::builder()
        .key(key)
        .value(value)
        .build()
}

async fn copy_image(dr: &aws_sdk_ec2::Client, source: &str, name: &str) -> Result<String> {
    // moto omits SourceImageId on copies: the description names the source,
    // as CopyImage's default description does on AWS.
    let copy = dr
        .copy_image()
        .source_image_id(source)
        .source_region(PRIMARY)
        .name(name)
        .description(format!(
            "Copied from SourceAmi {source} from SourceRegion {PRIMARY}"
        ))
        .send()
        .await?;
    let id = copy.image_id().unwrap_or_default().to_string();
    dr.create_tags()
        .resources(&id)
        .tags(tag_ec2("App", "shop"))
        .send()
        .await?;
    Ok(id)
}

async fn launch_template(ec2: &aws_sdk_ec2::Client, name: &str, images: &[&str]) -> Result<String> {
    let data = |image: &str| {
        aws_sdk_ec2::types::RequestLaunchTemplateData::builder()
            .image_id(image)
            .instance_type(aws_sdk_ec2::types::InstanceType::M7iLarge)
            .build()
    };
    let first = images.first().ok_or("no image")?;
    let template = ec2
        .create_launch_template()
        .launch_template_name(name)
        .launch_template_data(data(first))
        .send()
        .await?;
    let id = template
        .launch_template()
        .and_then(|t| t.launch_template_id())
        .unwrap_or_default()
        .to_string();
    for image in images.iter().skip(1) {
        ec2.create_launch_template_version()
            .launch_template_id(&id)
            .launch_template_data(data(image))
            .send()
            .await?;
    }
    Ok(id)
}

#[allow(clippy::too_many_arguments)]
async fn group(
    sdk: &SdkConfig,
    name: &str,
    template_id: &str,
    version: &str,
    azs: &[String],
    tg_arn: &str,
    (min, desired, max): (i32, i32, i32),
) -> Result {
    let autoscaling = aws_sdk_autoscaling::Client::new(sdk);
    autoscaling
        .create_auto_scaling_group()
        .auto_scaling_group_name(name)
        .launch_template(
            aws_sdk_autoscaling::types::LaunchTemplateSpecification::builder()
                .launch_template_id(template_id)
                .version(version)
                .build(),
        )
        .min_size(min)
        .max_size(max)
        .desired_capacity(desired)
        .set_availability_zones(Some(azs.to_vec()))
        .target_group_arns(tg_arn)
        .health_check_type("ELB")
        .health_check_grace_period(300)
        .default_instance_warmup(120)
        .tags(
            aws_sdk_autoscaling::types::Tag::builder()
                .key("App")
                .value("shop")
                .resource_id(name)
                .resource_type("auto-scaling-group")
                .propagate_at_launch(true)
                .build(),
        )
        .send()
        .await?;
    Ok(())
}

fn rds_tag() -> aws_sdk_rds::types::Tag {
    aws_sdk_rds::types::Tag::builder()
        .key("App")
        .value("shop")
        .build()
}

async fn cache(sdk: &SdkConfig, id: &str, automatic_failover: bool, in_scope: bool) -> Result {
    let client = aws_sdk_elasticache::Client::new(sdk);
    let mut request = client
        .create_replication_group()
        .replication_group_id(id)
        .replication_group_description("shop cache")
        .engine("redis")
        .engine_version("7.1")
        .cache_node_type("cache.r7g.large")
        .num_cache_clusters(2)
        .automatic_failover_enabled(automatic_failover)
        .multi_az_enabled(automatic_failover);
    if in_scope {
        request = request.tags(
            aws_sdk_elasticache::types::Tag::builder()
                .key("App")
                .value("shop")
                .build(),
        );
    }
    request.send().await?;
    Ok(())
}

fn runbook(design: &Design) -> String {
    let scale = if design.runbook_scale_step {
        "  - name: ScaleUpDrAsg\n    action: aws:executeAwsApi\n    inputs:\n      Service: autoscaling\n      Api: UpdateAutoScalingGroup\n      AutoScalingGroupName: '{{ DrAsgName }}'\n      DesiredCapacity: '{{ DesiredCapacity }}'\n      MinSize: 10\n      MaxSize: 30\n"
    } else {
        ""
    };
    format!(
        "description: Fail the shop over to us-west-2\nschemaVersion: '0.3'\nassumeRole: '{{{{ AutomationAssumeRole }}}}'\nparameters:\n  AutomationAssumeRole:\n    type: String\n    default: arn:aws:iam::123456789012:role/shop-dr-automation\n  DrClusterId:\n    type: String\n    default: {cluster}\n  DrAsgName:\n    type: String\n    default: shop-web-usw2\n  DesiredCapacity:\n    type: Integer\n    default: {desired}\n  HostedZoneId:\n    type: String\n    default: '{{{{ HostedZone }}}}'\nmainSteps:\n  - name: PromoteAuroraDR\n    action: aws:executeAwsApi\n    inputs:\n      Service: rds\n      Api: PromoteReadReplicaDBCluster\n      DBClusterIdentifier: '{{{{ DrClusterId }}}}'\n{scale}  - name: PromoteCacheDR\n    action: aws:executeAwsApi\n    inputs:\n      Service: elasticache\n      Api: FailoverGlobalReplicationGroup\n      GlobalReplicationGroupId: ldgnf-shop-cache-global\n      PrimaryRegion: us-west-2\n      PrimaryReplicationGroupId: shop-cache-usw2\n  - name: SwitchDnsToDr\n    action: aws:executeAwsApi\n    inputs:\n      Service: route53\n      Api: ChangeResourceRecordSets\n      HostedZoneId: '{{{{ HostedZoneId }}}}'\n      ChangeBatch:\n        Changes:\n          - Action: UPSERT\n            ResourceRecordSet:\n              Name: api.yourstore.com\n              Type: A\n              SetIdentifier: secondary-us-west-2\n              Failover: SECONDARY\n",
        cluster = design.runbook_dr_cluster,
        desired = design.runbook_desired_capacity,
        scale = scale,
    )
}

/// Seeds the whole reference architecture (with the design's faults).
pub async fn seed(endpoint: &str, design: &Design) -> Result {
    let east = sdk(endpoint, PRIMARY);
    let west = sdk(endpoint, DR);
    let primary_azs: Vec<&str> = ["us-east-1a", "us-east-1b", "us-east-1c"]
        .into_iter()
        .take(design.primary_azs.max(2))
        .collect();
    let primary = site(&east, "use1", &primary_azs).await?;
    let dr = site(&west, "usw2", &["us-west-2a", "us-west-2b"]).await?;

    // Images and launch templates.
    let ec2_east = aws_sdk_ec2::Client::new(&east);
    let ec2_west = aws_sdk_ec2::Client::new(&west);
    let previous = register_image(&ec2_east, "shop-golden-2026-11-04", "405").await?;
    let golden = register_image(&ec2_east, "shop-golden-2026-11-18", "412").await?;
    let golden_copy = copy_image(&ec2_west, &golden, "shop-golden-2026-11-18").await?;
    let previous_copy = copy_image(&ec2_west, &previous, "shop-golden-2026-11-04").await?;
    let primary_template =
        launch_template(&ec2_east, "shop-web-use1", &[&previous, &golden]).await?;
    let dr_image = if design.dr_launches_previous_ami {
        &previous_copy
    } else {
        &golden_copy
    };
    let dr_template = launch_template(&ec2_west, "shop-web-usw2", &[dr_image]).await?;
    let mut primary_group_azs = primary.azs.clone();
    primary_group_azs.truncate(design.primary_azs);
    group(
        &east,
        "shop-web-use1",
        &primary_template,
        "$Latest",
        &primary_group_azs,
        &primary.tg_arn,
        (6, 10, 30),
    )
    .await?;
    group(
        &west,
        "shop-web-usw2",
        &dr_template,
        "$Default",
        &dr.azs,
        &dr.tg_arn,
        (design.dr_min_size, design.dr_desired, design.dr_max_size),
    )
    .await?;
    for i in 0..design.extra_groups {
        group(
            &west,
            &format!("batch-{i:03}"),
            &dr_template,
            "$Default",
            &dr.azs,
            &dr.tg_arn,
            (0, 0, 1),
        )
        .await?;
    }
    for i in 0..design.extra_templated_groups {
        let name = format!("batch-lt-{i:03}");
        let template = launch_template(&ec2_west, &name, &[dr_image.as_str(); 3]).await?;
        let version = ["$Latest", "$Default", "2"][i % 3];
        group(
            &west,
            &name,
            &template,
            version,
            &dr.azs,
            &dr.tg_arn,
            (0, 0, 1),
        )
        .await?;
    }

    // Aurora Global Database.
    let rds_east = aws_sdk_rds::Client::new(&east);
    let rds_west = aws_sdk_rds::Client::new(&west);
    // The global cluster first, then its members: moto marks the first member
    // created with GlobalClusterIdentifier as the writer, but not a cluster
    // promoted through CreateGlobalCluster's SourceDBClusterIdentifier.
    rds_east
        .create_global_cluster()
        .global_cluster_identifier("shop-global")
        .engine("aurora-postgresql")
        .engine_version("15.4")
        .send()
        .await?;
    let mut primary_cluster = rds_east
        .create_db_cluster()
        .db_cluster_identifier("shop-aurora-use1")
        .engine("aurora-postgresql")
        .engine_version("15.4")
        .master_username("shop")
        .master_user_password("not-a-secret-1")
        .global_cluster_identifier("shop-global")
        .tags(rds_tag());
    if let Some(seconds) = design.aurora_global_db_rpo {
        rds_east
            .create_db_cluster_parameter_group()
            .db_cluster_parameter_group_name("shop-aurora-pg15")
            .db_parameter_group_family("aurora-postgresql15")
            .description("bounds the global database's RPO")
            .send()
            .await?;
        rds_east
            .modify_db_cluster_parameter_group()
            .db_cluster_parameter_group_name("shop-aurora-pg15")
            .parameters(
                aws_sdk_rds::types::Parameter::builder()
                    .parameter_name("rds.global_db_rpo")
                    .parameter_value(seconds.to_string())
                    .apply_method(aws_sdk_rds::types::ApplyMethod::Immediate)
                    .build(),
            )
            .send()
            .await?;
        primary_cluster = primary_cluster.db_cluster_parameter_group_name("shop-aurora-pg15");
    }
    primary_cluster.send().await?;
    let mut secondary = rds_west
        .create_db_cluster()
        .db_cluster_identifier("shop-aurora-usw2")
        .engine("aurora-postgresql")
        .engine_version("15.4")
        .tags(rds_tag());
    secondary = if design.dr_cluster_in_global {
        secondary.global_cluster_identifier("shop-global")
    } else {
        secondary
            .master_username("shop")
            .master_user_password("not-a-secret-1")
    };
    secondary.send().await?;
    for i in 0..design.extra_db_clusters {
        rds_west
            .create_db_cluster()
            .db_cluster_identifier(format!("reports-{i:03}"))
            .engine("aurora-postgresql")
            .master_username("shop")
            .master_user_password("not-a-secret-1")
            .send()
            .await?;
    }

    // ElastiCache.
    cache(
        &east,
        "shop-cache-use1",
        design.cache_automatic_failover,
        true,
    )
    .await?;
    cache(&west, "shop-cache-usw2", true, design.dr_cache_in_scope).await?;

    // S3 cross-region replication with RTC.
    let s3_east = aws_sdk_s3::Client::from_conf(
        aws_sdk_s3::config::Builder::from(&east)
            .force_path_style(true)
            .build(),
    );
    let s3_west = aws_sdk_s3::Client::from_conf(
        aws_sdk_s3::config::Builder::from(&west)
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

    // EventBridge: the AMI copy automation.
    if design.ami_copy_rule {
        let events = aws_sdk_eventbridge::Client::new(&east);
        events
            .put_rule()
            .name("shop-ami-copy-to-dr")
            .event_pattern(
                r#"{"source":["aws.ec2"],"detail-type":["EC2 AMI State Change"],"detail":{"State":["available"]}}"#,
            )
            .description("Copy every new golden AMI to us-west-2")
            .state(aws_sdk_eventbridge::types::RuleState::Enabled)
            .send()
            .await?;
        events
            .put_targets()
            .rule("shop-ami-copy-to-dr")
            .targets(
                aws_sdk_eventbridge::types::Target::builder()
                    .id("copy-ami")
                    .arn("arn:aws:lambda:us-east-1:123456789012:function:shop-copy-ami-to-dr")
                    .build()?,
            )
            .send()
            .await?;
    }

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
    aws_sdk_cloudwatch::Client::new(&west)
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
    aws_sdk_cloudwatch::Client::new(&east)
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

    // Route 53: the zone, the failover pair and its health checks.
    let route53 = aws_sdk_route53::Client::new(&east);
    let zone = route53
        .create_hosted_zone()
        .name("yourstore.com")
        .caller_reference("drguard-live-tests")
        .send()
        .await?;
    let zone_id = zone
        .hosted_zone()
        .map(|z| z.id().trim_start_matches("/hostedzone/").to_string())
        .unwrap_or_default();
    let health_check = |fqdn: String, reference: String| {
        use aws_sdk_route53::types::*;
        let route53 = route53.clone();
        let design = design.clone();
        async move {
            let mut config = HealthCheckConfig::builder()
                .r#type(HealthCheckType::from(design.health_check_type))
                .fully_qualified_domain_name(fqdn)
                .port(443)
                .request_interval(design.health_check_interval)
                .failure_threshold(design.health_check_threshold);
            if design.health_check_type != "TCP" {
                config = config.resource_path(design.health_check_path);
            }
            let created = route53
                .create_health_check()
                .caller_reference(reference)
                .health_check_config(config.build()?)
                .send()
                .await?;
            Result::Ok(
                created
                    .health_check()
                    .map(|h| h.id().to_string())
                    .unwrap_or_default(),
            )
        }
    };
    let primary_check = health_check(primary.lb_dns.clone(), "hc-primary".into()).await?;
    let dr_check = health_check(dr.lb_dns.clone(), "hc-dr".into()).await?;
    for i in 0..design.extra_health_checks {
        health_check(format!("batch-{i}.yourstore.com"), format!("hc-extra-{i}")).await?;
    }
    {
        use aws_sdk_route53::types::*;
        let failover_record = |role: ResourceRecordSetFailover,
                               set_id: &str,
                               site: &Site,
                               check: Option<&str>|
         -> Result<ResourceRecordSet> {
            let mut record = ResourceRecordSet::builder()
                .name("api.yourstore.com")
                .set_identifier(set_id)
                .failover(role)
                .set_health_check_id(check.map(str::to_string));
            record = match design.cname_records_ttl {
                Some(ttl) => record
                    .r#type(RrType::Cname)
                    .ttl(ttl)
                    .resource_records(ResourceRecord::builder().value(&site.lb_dns).build()?),
                None => record.r#type(RrType::A).alias_target(
                    AliasTarget::builder()
                        .dns_name(format!("dualstack.{}", site.lb_dns))
                        .hosted_zone_id(&site.lb_zone)
                        .evaluate_target_health(design.primary_record_health_checked)
                        .build()?,
                ),
            };
            Ok(record.build()?)
        };
        let mut changes = vec![
            failover_record(
                ResourceRecordSetFailover::Primary,
                "primary-us-east-1",
                &primary,
                design
                    .primary_record_health_checked
                    .then_some(primary_check.as_str()),
            )?,
            failover_record(
                ResourceRecordSetFailover::Secondary,
                "secondary-us-west-2",
                &dr,
                Some(dr_check.as_str()),
            )?,
            ResourceRecordSet::builder()
                .name("www.yourstore.com")
                .r#type(RrType::Cname)
                .ttl(300)
                .resource_records(
                    ResourceRecord::builder()
                        .value("api.yourstore.com")
                        .build()?,
                )
                .build()?,
        ];
        for i in 0..design.extra_records {
            changes.push(
                ResourceRecordSet::builder()
                    .name(format!("host-{i:04}.yourstore.com"))
                    .r#type(RrType::A)
                    .ttl(300)
                    .resource_records(ResourceRecord::builder().value("192.0.2.10").build()?)
                    .build()?,
            );
        }
        // Route 53 takes at most 1,000 changes per batch.
        for batch in changes.chunks(500) {
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
    }

    // SSM: the failover runbook in the DR region.
    let ssm = aws_sdk_ssm::Client::new(&west);
    ssm.create_document()
        .name("shop-dr-failover")
        .document_type(aws_sdk_ssm::types::DocumentType::Automation)
        .document_format(aws_sdk_ssm::types::DocumentFormat::Yaml)
        .content(runbook(design).replace("{{ HostedZone }}", &zone_id))
        .tags(
            aws_sdk_ssm::types::Tag::builder()
                .key("App")
                .value("shop")
                .build()?,
        )
        .send()
        .await?;
    for i in 0..design.extra_documents {
        ssm.create_document()
            .name(format!("ops-{i:03}"))
            .document_type(aws_sdk_ssm::types::DocumentType::Automation)
            .document_format(aws_sdk_ssm::types::DocumentFormat::Json)
            .content(r#"{"schemaVersion":"0.3","mainSteps":[{"name":"Wait","action":"aws:sleep","inputs":{"Duration":"PT1S"}}]}"#)
            .send()
            .await?;
    }
    let _ = (primary.lb_arn, dr.lb_arn);
    Ok(())
}

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
#[allow(dead_code)] // used by benches/live.rs, not by tests/live.rs
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
