//! Builds the reference architecture in moto with the AWS SDK itself: both
//! regions, the Route 53 failover pair with its 10 s / threshold-3 HTTPS
//! health checks, ALBs, Auto Scaling groups with launch templates, the golden
//! AMI and its DR copy, an Aurora Global Database (a writer and a reader in
//! the primary cluster, a reader in the DR cluster, each cluster encrypted
//! with its region's key), ElastiCache, S3 CRR with RTC, the SSM runbook and
//! the role it assumes, the EventBridge rule, CloudWatch lag and
//! group-capacity datapoints and alarms, the app's KMS key and TLS
//! certificate in each region (HTTPS listeners serve the certificate) and its
//! database secret replicated to DR.
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
    /// The PRIMARY's health check is created disabled (Route 53 then treats it as healthy).
    pub primary_check_disabled: bool,
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
    /// The DR region's `alias/shop-data` key is disabled.
    pub dr_kms_key_disabled: bool,
    /// `shop/db-credentials` has a replica in the DR region.
    pub secret_replicated: bool,
    /// The source bucket's default encryption is SSE-KMS with the primary
    /// key, and its replication rule does not ask for SSE-KMS objects.
    pub source_bucket_sse_kms: bool,
    /// The DR ALB has an HTTPS listener with the DR certificate (false: it
    /// listens on HTTP only).
    pub dr_listener_https: bool,
    /// The DR Aurora cluster has no DB instance (headless).
    pub dr_cluster_headless: bool,
    /// The DR Aurora cluster (and so its instance) runs this engine version
    /// instead of the primary's 15.4.
    pub dr_engine_version: Option<&'static str>,
    pub cache_automatic_failover: bool,
    /// The DR cache group carries the App=shop tag (in scope).
    pub dr_cache_in_scope: bool,
    pub runbook_scale_step: bool,
    pub runbook_desired_capacity: i64,
    pub runbook_dr_cluster: &'static str,
    /// The runbook's role (`shop-dr-automation`, trusted by SSM) exists.
    pub runbook_role_exists: bool,
    /// The DR launch template names the primary region's security group id
    /// (which does not exist in the DR region).
    pub dr_template_primary_sg: bool,
    /// The DR region's EC2 On-Demand vCPU quota, as the recorded
    /// `GetServiceQuota` answer gives it (moto has no EC2 quotas; the
    /// primary's is 640).
    pub dr_vcpu_quota: f64,
    /// The primary group's peak `GroupDesiredCapacity` over the peak window
    /// (its other datapoint is its desired capacity, 10).
    pub primary_peak: f64,
    /// The runbook waits (`aws:waitForAwsResourceProperty`) between the
    /// promotions and the DNS step.
    pub runbook_wait_step: bool,
    /// The runbook ends with its Route 53 ChangeResourceRecordSets step.
    pub runbook_dns_step: bool,
    /// us-east-1 has the alarm on the PRIMARY's health check (paging on-call).
    pub primary_route53_alarm: bool,
    /// An EventBridge rule starts the runbook.
    pub trigger: Option<Trigger>,
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

/// Where the EventBridge rule that starts the runbook lives, and what it
/// listens to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trigger {
    /// us-west-2, on the DR load balancer's 5xx alarm (survives us-east-1).
    DrAlarm,
    /// us-west-2, on an alarm there reading AWS/Route53 (never gets data).
    DrRoute53Alarm,
    /// us-east-1, on the primary health-check alarm (dies with us-east-1).
    PrimaryRegion,
}

impl Default for Design {
    fn default() -> Self {
        Design {
            health_check_interval: 10,
            health_check_threshold: 3,
            health_check_type: "HTTPS",
            health_check_path: "/health",
            primary_record_health_checked: true,
            primary_check_disabled: false,
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
            dr_kms_key_disabled: false,
            secret_replicated: true,
            source_bucket_sse_kms: false,
            dr_listener_https: true,
            dr_cluster_headless: false,
            dr_engine_version: None,
            cache_automatic_failover: true,
            dr_cache_in_scope: true,
            runbook_scale_step: true,
            runbook_desired_capacity: 10,
            runbook_dr_cluster: "shop-aurora-usw2",
            runbook_role_exists: true,
            dr_template_primary_sg: false,
            dr_vcpu_quota: 640.0,
            primary_peak: 12.0,
            runbook_wait_step: false,
            runbook_dns_step: true,
            primary_route53_alarm: true,
            trigger: None,
            extra_records: 0,
            extra_health_checks: 0,
            extra_groups: 0,
            extra_templated_groups: 0,
            extra_db_clusters: 0,
            extra_documents: 0,
        }
    }
}
pub mod acm;
pub mod cloudwatch;
mod compute;
mod copies;
mod elasticache;
mod events;
pub mod iam;
pub mod kms;
pub mod network;
pub mod rds;
mod route53;
mod s3;
pub mod secretsmanager;
mod ssm;

#[allow(unused_imports)] // used by benches/live.rs, not by the live tests
pub use copies::seed_copies;

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

pub type Result<T = ()> = std::result::Result<T, Box<dyn std::error::Error + Send + Sync>>;

/// Seeds the whole reference architecture (with the design's faults).
pub async fn seed(endpoint: &str, design: &Design) -> Result {
    let east = sdk(endpoint, PRIMARY);
    let west = sdk(endpoint, DR);
    // The primary ALB always spans three AZs; `primary_azs` narrows the group only.
    let primary_azs = ["us-east-1a", "us-east-1b", "us-east-1c"];
    let certificates = acm::seed(&east, &west).await?;
    let primary = network::site(
        &east,
        "use1",
        &primary_azs,
        Some(certificates.primary.as_str()),
    )
    .await?;
    let dr_certificate = design.dr_listener_https.then_some(certificates.dr.as_str());
    let dr = network::site(&west, "usw2", &["us-west-2a", "us-west-2b"], dr_certificate).await?;

    iam::seed(&east, design).await?;
    let keys = kms::seed(&east, &west, design).await?;
    compute::seed(&east, &west, design, &primary, &dr, &keys).await?;
    secretsmanager::seed(&east, design, &keys).await?;
    rds::seed(&east, &west, design, &keys).await?;
    elasticache::seed(&east, &west, design).await?;
    s3::seed(&east, &west, design, &keys).await?;
    let (zone_id, primary_check) = route53::seed(&east, design, &primary, &dr).await?;
    events::seed(&east, &west, design).await?;
    cloudwatch::seed(&east, &west, design, &primary_check).await?;
    ssm::seed(&west, design, &zone_id).await?;
    Ok(())
}
