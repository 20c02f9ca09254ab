//! The snapshot model, version 1: plain serde types with no AWS SDK in sight.
//!
//! Everything downstream (link, rules, budget, drift, reports) reads these
//! types and nothing else, so a snapshot saved to disk and audited later gives
//! the same verdicts as the live run that produced it. Field names follow the
//! AWS API in snake_case; values keep AWS spellings (`Enabled`, `PRIMARY`…) so
//! a reader can match them against the console. Optional data is written as
//! `null` rather than left out, so rule expressions can compare it with
//! `null` instead of guarding every access with `has()`.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The only snapshot `schema_version` this build reads and writes.
pub const SCHEMA_VERSION: &str = "1";

/// Free-form AWS tags, key → value.
pub type Tags = BTreeMap<String, String>;

/// One capture of an account's DR-relevant configuration in two regions.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Snapshot {
    /// Version of this document's shape; this build reads `"1"` only.
    pub schema_version: String,
    /// When collection started (RFC 3339, UTC).
    pub captured_at: String,
    /// The 12-digit AWS account id the data was read from.
    pub account_id: String,
    /// The tool and version that wrote the snapshot, e.g. `drguard 0.1.0`.
    #[serde(default)]
    pub tool: Option<String>,
    /// Regional data, keyed by region name (`us-east-1`).
    pub regions: BTreeMap<String, RegionSnapshot>,
    /// Services that are global or whose listing is account-wide.
    #[serde(default)]
    pub global: GlobalSnapshot,
    /// What could not be collected. Rules that require this data evaluate to `error`.
    #[serde(default)]
    pub gaps: Vec<CollectionGap>,
    /// Data sources the user chose not to collect, with their reason.
    #[serde(default)]
    pub skipped: Vec<SkippedSource>,
    /// How the live collection went: its duration and every API call it made.
    /// Null for snapshots written by hand or by older versions.
    #[serde(default)]
    pub collection: Option<Collection>,
}

/// Statistics of a live collection.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Collection {
    /// Wall time of the collection in milliseconds.
    pub duration_ms: u64,
    /// Every API operation called, in the order they finished (retries are
    /// attempts of one call, not separate calls).
    #[serde(default)]
    pub api_calls: Vec<ApiCall>,
}

/// One API operation drguard called.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ApiCall {
    /// The SDK's service name (`Route 53`, `S3`, `EC2`…), as in IAM's service prefix table.
    pub service: String,
    /// The IAM action, `prefix:Operation` (`s3:GetReplicationConfiguration`).
    pub action: String,
    /// The API operation (`GetBucketReplication`).
    pub operation: String,
    /// Region the call was signed for.
    pub region: String,
    /// Milliseconds from the first attempt to the final outcome.
    pub duration_ms: u64,
    /// HTTP attempts made (1 = no retry).
    pub attempts: u32,
    /// `ok`, or the error code of the final attempt.
    pub outcome: String,
}

/// A call that failed after retries, recorded instead of being silently ignored.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct CollectionGap {
    /// Data-source service name (`s3`, `route53`, `autoscaling`…).
    pub service: String,
    /// The resource kind within the service (`replication`), or null for the whole service.
    #[serde(default)]
    pub resource: Option<String>,
    /// Region of the call, or `global`.
    pub region: String,
    /// The API operation that failed (`GetBucketReplication`).
    pub operation: String,
    /// AWS error code (`AccessDenied`, `Throttling`, `Timeout`…).
    pub error_code: String,
    /// The error message as returned (never contains credentials).
    pub message: String,
}

/// A data source skipped on purpose through `[[collect.skip]]`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SkippedSource {
    /// `service` or `service.resource`, as in the config.
    pub source: String,
    /// Why the user skipped it.
    pub reason: String,
}

/// Global and account-wide services.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct GlobalSnapshot {
    /// Route 53 hosted zones with their record sets.
    #[serde(default)]
    pub hosted_zones: Vec<HostedZone>,
    /// Route 53 health checks.
    #[serde(default)]
    pub health_checks: Vec<HealthCheck>,
    /// Global Accelerator accelerators (API served from us-west-2).
    #[serde(default)]
    pub accelerators: Vec<Accelerator>,
    /// Aurora global clusters.
    #[serde(default)]
    pub global_clusters: Vec<GlobalCluster>,
    /// ElastiCache global datastores.
    #[serde(default)]
    pub global_replication_groups: Vec<GlobalReplicationGroup>,
    /// S3 buckets of the account, each with its own region.
    #[serde(default)]
    pub buckets: Vec<Bucket>,
}

/// Data read in one region.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RegionSnapshot {
    /// Elastic Load Balancing v2 load balancers.
    #[serde(default)]
    pub load_balancers: Vec<LoadBalancer>,
    /// Target groups with the load balancers they serve.
    #[serde(default)]
    pub target_groups: Vec<TargetGroup>,
    /// EC2 Auto Scaling groups.
    #[serde(default)]
    pub auto_scaling_groups: Vec<AutoScalingGroup>,
    /// Launch templates with the versions the groups use.
    #[serde(default)]
    pub launch_templates: Vec<LaunchTemplate>,
    /// AMIs owned by the account.
    #[serde(default)]
    pub images: Vec<Image>,
    /// Regional Aurora / RDS DB clusters.
    #[serde(default)]
    pub db_clusters: Vec<DbCluster>,
    /// ElastiCache replication groups.
    #[serde(default)]
    pub cache_replication_groups: Vec<CacheReplicationGroup>,
    /// SSM Automation documents owned by the account, with parsed steps.
    #[serde(default)]
    pub automation_documents: Vec<AutomationDocument>,
    /// EventBridge rules with their targets.
    #[serde(default)]
    pub event_rules: Vec<EventRule>,
    /// Summaries of CloudWatch metrics over the collection window.
    #[serde(default)]
    pub metrics: Vec<MetricSummary>,
}

/// A Route 53 hosted zone.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct HostedZone {
    /// Zone id without the `/hostedzone/` prefix.
    pub id: String,
    /// Zone name, e.g. `yourstore.com.`.
    pub name: String,
    /// True for a private zone.
    #[serde(default)]
    pub private_zone: bool,
    /// Every record set of the zone (all pages).
    #[serde(default)]
    pub record_sets: Vec<RecordSet>,
}

/// A Route 53 resource record set.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RecordSet {
    /// Fully qualified name as Route 53 returns it (trailing dot).
    pub name: String,
    /// Record type: `A`, `AAAA`, `CNAME`…
    #[serde(rename = "type")]
    pub record_type: String,
    /// Set identifier of a routing-policy record.
    #[serde(default)]
    pub set_identifier: Option<String>,
    /// `PRIMARY` or `SECONDARY` for failover records.
    #[serde(default)]
    pub failover: Option<String>,
    /// TTL in seconds; null for alias records.
    #[serde(default)]
    pub ttl: Option<i64>,
    /// Values of a non-alias record.
    #[serde(default)]
    pub values: Vec<String>,
    /// Alias target, when the record is an alias.
    #[serde(default)]
    pub alias_target: Option<AliasTarget>,
    /// Id of the health check attached to the record.
    #[serde(default)]
    pub health_check_id: Option<String>,
}

/// Target of an alias record.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct AliasTarget {
    /// DNS name of the target (e.g. an ALB's DNS name).
    pub dns_name: String,
    /// Hosted zone id of the target.
    pub hosted_zone_id: String,
    /// Whether Route 53 evaluates the target's health.
    pub evaluate_target_health: bool,
}

/// A Route 53 health check.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct HealthCheck {
    /// Health check id.
    pub id: String,
    /// `HTTP`, `HTTPS`, `HTTP_STR_MATCH`, `HTTPS_STR_MATCH`, `TCP`, `CALCULATED`…
    #[serde(rename = "type")]
    pub check_type: String,
    /// Domain name probed, if any.
    #[serde(default)]
    pub fqdn: Option<String>,
    /// IP address probed, if any.
    #[serde(default)]
    pub ip_address: Option<String>,
    /// Port probed.
    #[serde(default)]
    pub port: Option<i64>,
    /// Path requested by HTTP(S) checks.
    #[serde(default)]
    pub resource_path: Option<String>,
    /// Seconds between checks from one checker (10 or 30).
    pub request_interval: i64,
    /// Consecutive failures before the endpoint is unhealthy (1–10).
    pub failure_threshold: i64,
    /// True when the check is inverted.
    #[serde(default)]
    pub inverted: bool,
    /// True when the check is disabled (Route 53 then treats it as healthy).
    #[serde(default)]
    pub disabled: bool,
    /// Last observed status (`Healthy`, `Unhealthy`), when read.
    #[serde(default)]
    pub status: Option<String>,
}

/// A Global Accelerator accelerator.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Accelerator {
    /// Accelerator ARN.
    pub arn: String,
    /// Name.
    pub name: String,
    /// Whether it is enabled.
    pub enabled: bool,
    /// Its DNS name.
    #[serde(default)]
    pub dns_name: Option<String>,
    /// Static IP addresses.
    #[serde(default)]
    pub ip_addresses: Vec<String>,
    /// Listeners with their endpoint groups.
    #[serde(default)]
    pub listeners: Vec<AcceleratorListener>,
}

/// A Global Accelerator listener.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct AcceleratorListener {
    /// Listener ARN.
    pub arn: String,
    /// `TCP` or `UDP`.
    pub protocol: String,
    /// Endpoint groups, one per region.
    #[serde(default)]
    pub endpoint_groups: Vec<EndpointGroup>,
}

/// A Global Accelerator endpoint group.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct EndpointGroup {
    /// Endpoint group ARN.
    pub arn: String,
    /// The region the group serves.
    pub region: String,
    /// Health-check protocol (`HTTP`, `HTTPS`, `TCP`).
    #[serde(default)]
    pub health_check_protocol: Option<String>,
    /// Health-check path.
    #[serde(default)]
    pub health_check_path: Option<String>,
    /// Seconds between checks (10 or 30).
    #[serde(default)]
    pub health_check_interval_seconds: Option<i64>,
    /// Consecutive checks to change state.
    #[serde(default)]
    pub threshold_count: Option<i64>,
    /// Traffic dial in percent.
    #[serde(default)]
    pub traffic_dial_percentage: Option<f64>,
    /// Endpoints (load balancer ARNs, EIPs, instances).
    #[serde(default)]
    pub endpoints: Vec<AcceleratorEndpoint>,
}

/// One endpoint of an endpoint group.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct AcceleratorEndpoint {
    /// Endpoint id: a load balancer ARN, an EIP allocation or an instance id.
    pub endpoint_id: String,
    /// Weight 0–255.
    #[serde(default)]
    pub weight: Option<i64>,
    /// `HEALTHY`, `UNHEALTHY`, `INITIAL`…
    #[serde(default)]
    pub health_state: Option<String>,
}

/// An Elastic Load Balancing v2 load balancer.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct LoadBalancer {
    /// Load balancer ARN.
    pub arn: String,
    /// Name.
    pub name: String,
    /// `application`, `network` or `gateway`.
    #[serde(rename = "type")]
    pub lb_type: String,
    /// `internet-facing` or `internal`.
    #[serde(default)]
    pub scheme: Option<String>,
    /// Public DNS name.
    pub dns_name: String,
    /// Hosted zone id to use in alias records.
    #[serde(default)]
    pub canonical_hosted_zone_id: Option<String>,
    /// Availability Zones the load balancer is enabled in.
    #[serde(default)]
    pub availability_zones: Vec<String>,
    /// `active`, `provisioning`, `failed`…
    #[serde(default)]
    pub state: Option<String>,
}

/// An ELBv2 target group.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct TargetGroup {
    /// Target group ARN.
    pub arn: String,
    /// Name.
    pub name: String,
    /// Load balancers that route to it.
    #[serde(default)]
    pub load_balancer_arns: Vec<String>,
    /// Health-check path.
    #[serde(default)]
    pub health_check_path: Option<String>,
    /// Seconds between target health checks.
    #[serde(default)]
    pub health_check_interval_seconds: Option<i64>,
    /// Seconds before a check times out.
    #[serde(default)]
    pub health_check_timeout_seconds: Option<i64>,
    /// Passing checks before a target is healthy.
    #[serde(default)]
    pub healthy_threshold_count: Option<i64>,
    /// Failing checks before a target is unhealthy.
    #[serde(default)]
    pub unhealthy_threshold_count: Option<i64>,
}

/// An EC2 Auto Scaling group.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct AutoScalingGroup {
    /// Group name.
    pub name: String,
    /// Group ARN.
    #[serde(default)]
    pub arn: Option<String>,
    /// MinSize.
    pub min_size: i64,
    /// MaxSize.
    pub max_size: i64,
    /// DesiredCapacity.
    pub desired_capacity: i64,
    /// Availability Zones the group launches into.
    #[serde(default)]
    pub availability_zones: Vec<String>,
    /// The launch template and the version the group asks for.
    #[serde(default)]
    pub launch_template: Option<LaunchTemplateRef>,
    /// Target groups the group registers instances with.
    #[serde(default)]
    pub target_group_arns: Vec<String>,
    /// `EC2` or `ELB`.
    #[serde(default)]
    pub health_check_type: Option<String>,
    /// Seconds before health checks count after launch.
    #[serde(default)]
    pub health_check_grace_period: Option<i64>,
    /// Default instance warmup in seconds, when enabled.
    #[serde(default)]
    pub default_instance_warmup: Option<i64>,
    /// The warm pool, when configured.
    #[serde(default)]
    pub warm_pool: Option<WarmPool>,
    /// Tags.
    #[serde(default)]
    pub tags: Tags,
}

/// The launch template an Auto Scaling group names.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct LaunchTemplateRef {
    /// Launch template id, when given by id.
    #[serde(default)]
    pub id: Option<String>,
    /// Launch template name, when given by name.
    #[serde(default)]
    pub name: Option<String>,
    /// `$Latest`, `$Default` or a version number; null means `$Default`.
    #[serde(default)]
    pub version: Option<String>,
}

/// An Auto Scaling warm pool.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct WarmPool {
    /// Instances kept in the pool at least.
    #[serde(default)]
    pub min_size: Option<i64>,
    /// Upper bound of prepared capacity, when set.
    #[serde(default)]
    pub max_group_prepared_capacity: Option<i64>,
    /// `Stopped`, `Running` or `Hibernated`.
    #[serde(default)]
    pub pool_state: Option<String>,
}

/// An EC2 launch template with the versions collected.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct LaunchTemplate {
    /// Launch template id.
    pub id: String,
    /// Name.
    pub name: String,
    /// The `$Default` version number.
    pub default_version: i64,
    /// The `$Latest` version number.
    pub latest_version: i64,
    /// Versions collected (at least those the groups use).
    #[serde(default)]
    pub versions: Vec<LaunchTemplateVersion>,
}

/// One launch template version.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct LaunchTemplateVersion {
    /// Version number.
    pub version_number: i64,
    /// AMI id it launches.
    #[serde(default)]
    pub image_id: Option<String>,
    /// Instance type it launches.
    #[serde(default)]
    pub instance_type: Option<String>,
}

/// An AMI owned by the account.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Image {
    /// AMI id.
    pub id: String,
    /// Name.
    #[serde(default)]
    pub name: Option<String>,
    /// Description.
    #[serde(default)]
    pub description: Option<String>,
    /// `available`, `pending`, `failed`…
    pub state: String,
    /// Creation date (RFC 3339).
    #[serde(default)]
    pub creation_date: Option<String>,
    /// For a copy: the AMI it was copied from.
    #[serde(default)]
    pub source_image_id: Option<String>,
    /// For a copy: the region of the source AMI.
    #[serde(default)]
    pub source_image_region: Option<String>,
    /// Tags.
    #[serde(default)]
    pub tags: Tags,
}

/// A regional RDS/Aurora DB cluster.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct DbCluster {
    /// DBClusterIdentifier.
    pub id: String,
    /// Cluster ARN.
    pub arn: String,
    /// `aurora-postgresql`, `aurora-mysql`…
    pub engine: String,
    /// Engine version.
    #[serde(default)]
    pub engine_version: Option<String>,
    /// `available`, `failing-over`…
    #[serde(default)]
    pub status: Option<String>,
    /// True when the cluster has instances in several AZs.
    #[serde(default)]
    pub multi_az: Option<bool>,
    /// Name of the DB cluster parameter group.
    #[serde(default)]
    pub parameter_group: Option<String>,
    /// `rds.global_db_rpo` in seconds when the cluster's parameter group sets
    /// it (Aurora PostgreSQL only; null when unset, which means no bound).
    #[serde(default)]
    pub global_db_rpo_seconds: Option<u64>,
    /// Tags.
    #[serde(default)]
    pub tags: Tags,
}

/// An Aurora global cluster.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct GlobalCluster {
    /// GlobalClusterIdentifier.
    pub id: String,
    /// Global cluster ARN.
    #[serde(default)]
    pub arn: Option<String>,
    /// Engine.
    #[serde(default)]
    pub engine: Option<String>,
    /// Engine version.
    #[serde(default)]
    pub engine_version: Option<String>,
    /// Status.
    #[serde(default)]
    pub status: Option<String>,
    /// Member clusters.
    #[serde(default)]
    pub members: Vec<GlobalClusterMember>,
}

/// A member of an Aurora global cluster.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct GlobalClusterMember {
    /// ARN of the member DB cluster.
    pub db_cluster_arn: String,
    /// True for the writer (primary) member.
    pub is_writer: bool,
}

/// An ElastiCache replication group.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct CacheReplicationGroup {
    /// ReplicationGroupId.
    pub id: String,
    /// ARN.
    #[serde(default)]
    pub arn: Option<String>,
    /// Status.
    #[serde(default)]
    pub status: Option<String>,
    /// `enabled`, `disabled`, `enabling`, `disabling`.
    #[serde(default)]
    pub automatic_failover: Option<String>,
    /// `enabled` or `disabled`.
    #[serde(default)]
    pub multi_az: Option<String>,
    /// Node type (`cache.r7g.large`).
    #[serde(default)]
    pub node_type: Option<String>,
    /// `redis` or `valkey`.
    #[serde(default)]
    pub engine: Option<String>,
    /// Engine version.
    #[serde(default)]
    pub engine_version: Option<String>,
    /// Global datastore id, when the group is a member of one.
    #[serde(default)]
    pub global_replication_group_id: Option<String>,
    /// `primary` or `secondary` within the global datastore.
    #[serde(default)]
    pub global_replication_group_role: Option<String>,
    /// Tags.
    #[serde(default)]
    pub tags: Tags,
}

/// An ElastiCache global datastore.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct GlobalReplicationGroup {
    /// GlobalReplicationGroupId.
    pub id: String,
    /// Status.
    #[serde(default)]
    pub status: Option<String>,
    /// Members.
    #[serde(default)]
    pub members: Vec<GlobalReplicationGroupMember>,
}

/// A member of an ElastiCache global datastore.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct GlobalReplicationGroupMember {
    /// ReplicationGroupId of the member.
    pub replication_group_id: String,
    /// Region of the member.
    pub region: String,
    /// `primary` or `secondary`.
    pub role: String,
}

/// An S3 bucket.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Bucket {
    /// Bucket name.
    pub name: String,
    /// Region the bucket lives in.
    pub region: String,
    /// `Enabled`, `Suspended`, or null when versioning was never enabled.
    #[serde(default)]
    pub versioning: Option<String>,
    /// Replication configuration, when present.
    #[serde(default)]
    pub replication: Option<BucketReplication>,
    /// Tags.
    #[serde(default)]
    pub tags: Tags,
}

/// A bucket's replication configuration.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct BucketReplication {
    /// IAM role S3 assumes to replicate.
    #[serde(default)]
    pub role: Option<String>,
    /// Rules.
    #[serde(default)]
    pub rules: Vec<ReplicationRule>,
}

/// One replication rule.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ReplicationRule {
    /// Rule id.
    #[serde(default)]
    pub id: Option<String>,
    /// `Enabled` or `Disabled`.
    pub status: String,
    /// Priority.
    #[serde(default)]
    pub priority: Option<i64>,
    /// Prefix the rule filters on, if any.
    #[serde(default)]
    pub prefix: Option<String>,
    /// ARN of the destination bucket.
    pub destination_bucket_arn: String,
    /// Destination storage class.
    #[serde(default)]
    pub storage_class: Option<String>,
    /// True when Replication Time Control is enabled.
    #[serde(default)]
    pub replication_time_enabled: bool,
    /// RTC threshold in minutes (always 15 today).
    #[serde(default)]
    pub replication_time_minutes: Option<i64>,
    /// True when replication metrics are enabled.
    #[serde(default)]
    pub metrics_enabled: bool,
    /// True when delete markers are replicated.
    #[serde(default)]
    pub delete_marker_replication: bool,
}

/// An SSM document of type Automation, with its content parsed.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct AutomationDocument {
    /// Document name.
    pub name: String,
    /// `Automation`, `Command`…
    pub document_type: String,
    /// Document version read.
    #[serde(default)]
    pub document_version: Option<String>,
    /// `YAML` or `JSON`.
    #[serde(default)]
    pub document_format: Option<String>,
    /// Tags.
    #[serde(default)]
    pub tags: Tags,
    /// Declared parameters.
    #[serde(default)]
    pub parameters: Vec<DocumentParameter>,
    /// Steps (`mainSteps`) in order.
    #[serde(default)]
    pub steps: Vec<AutomationStep>,
}

/// A declared parameter of an Automation document.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct DocumentParameter {
    /// Parameter name.
    pub name: String,
    /// `String`, `Integer`, `StringList`…
    #[serde(rename = "type", default)]
    pub param_type: Option<String>,
    /// Default value, when declared.
    #[serde(default)]
    pub default: Option<serde_json::Value>,
}

/// One step of an Automation document.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct AutomationStep {
    /// Step name.
    pub name: String,
    /// Action (`aws:executeAwsApi`, `aws:executeScript`…).
    pub action: String,
    /// For `aws:executeAwsApi`: the service namespace (`rds`).
    #[serde(default)]
    pub service: Option<String>,
    /// For `aws:executeAwsApi`: the API operation (`FailoverGlobalCluster`).
    #[serde(default)]
    pub api: Option<String>,
    /// The step's inputs other than `Service` and `Api`.
    #[serde(default)]
    pub inputs: BTreeMap<String, serde_json::Value>,
}

/// An EventBridge rule.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct EventRule {
    /// Rule name.
    pub name: String,
    /// Rule ARN.
    #[serde(default)]
    pub arn: Option<String>,
    /// `ENABLED` or `DISABLED`.
    pub state: String,
    /// Event bus name.
    #[serde(default)]
    pub event_bus: Option<String>,
    /// Event pattern (JSON text), when the rule is event-driven.
    #[serde(default)]
    pub event_pattern: Option<String>,
    /// Schedule expression, when the rule is scheduled.
    #[serde(default)]
    pub schedule_expression: Option<String>,
    /// Description.
    #[serde(default)]
    pub description: Option<String>,
    /// Targets.
    #[serde(default)]
    pub targets: Vec<EventTarget>,
}

/// A target of an EventBridge rule.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct EventTarget {
    /// Target id.
    pub id: String,
    /// Target ARN (Lambda function, SSM Automation definition…).
    pub arn: String,
}

/// A CloudWatch metric summarised over the collection window.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct MetricSummary {
    /// Namespace (`AWS/RDS`, `AWS/S3`).
    pub namespace: String,
    /// Metric name (`AuroraGlobalDBRPOLag`).
    pub metric_name: String,
    /// Dimensions, name → value.
    #[serde(default)]
    pub dimensions: BTreeMap<String, String>,
    /// Unit of the figures (`Milliseconds`, `Seconds`, `Count`).
    #[serde(default)]
    pub unit: Option<String>,
    /// Window length in seconds.
    pub window_seconds: i64,
    /// Number of datapoints in the window.
    pub datapoints: i64,
    /// Maximum over the window; null without datapoints.
    #[serde(default)]
    pub maximum: Option<f64>,
    /// Average over the window; null without datapoints.
    #[serde(default)]
    pub average: Option<f64>,
}
