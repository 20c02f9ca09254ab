//! The snapshot model, version 1: plain serde types with no AWS SDK in sight.
//! One file per service, matching `collect/<service>.rs`.
//!
//! Everything downstream (link, rules, budget, drift, reports) reads these
//! types and nothing else, so a snapshot saved to disk and audited later gives
//! the same verdicts as the live run that produced it. Field names follow the
//! AWS API in snake_case; values keep AWS spellings (`Enabled`, `PRIMARY`…) so
//! a reader can match them against the console. Optional data is written as
//! `null` rather than left out, so rule expressions can compare it with
//! `null` instead of guarding every access with `has()`.

pub mod acm;
pub mod autoscaling;
pub mod cloudwatch;
pub mod ec2;
pub mod elasticache;
pub mod elbv2;
pub mod events;
pub mod globalaccelerator;
pub mod iam;
pub mod kms;
pub mod rds;
pub mod route53;
pub mod s3;
pub mod secretsmanager;
pub mod servicequotas;
pub mod ssm;

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub use acm::Certificate;
pub use autoscaling::{AutoScalingGroup, LaunchTemplateRef, WarmPool};
pub use cloudwatch::{Alarm, MetricSummary};
pub use ec2::{
    Image, InstanceTypeInfo, LaunchTemplate, LaunchTemplateVersion, SecurityGroup, Subnet,
};
pub use elasticache::{
    CacheReplicationGroup, GlobalReplicationGroup, GlobalReplicationGroupMember,
};
pub use elbv2::{Listener, ListenerCertificate, LoadBalancer, TargetGroup, TargetHealth};
pub use events::{EventRule, EventTarget};
pub use globalaccelerator::{Accelerator, AcceleratorEndpoint, AcceleratorListener, EndpointGroup};
pub use iam::{IamRole, InstanceProfile};
pub use kms::KmsKey;
pub use rds::{DbCluster, DbClusterMember, DbInstance, GlobalCluster, GlobalClusterMember};
pub use route53::{AliasTarget, HealthCheck, HostedZone, RecordSet};
pub use s3::{Bucket, BucketEncryption, BucketReplication, ReplicationRule};
pub use secretsmanager::{Secret, SecretReplica};
pub use servicequotas::ServiceQuota;
pub use ssm::{AutomationDocument, AutomationStep, DocumentParameter};

/// Every service drguard reads, in collection order: the one list of
/// service knowledge (see [`crate::snapshot::spec`]).
pub const SERVICES: &[&crate::snapshot::spec::ServiceSpec] = &[
    &route53::SERVICE,
    &globalaccelerator::SERVICE,
    &elbv2::SERVICE,
    &acm::SERVICE,
    &kms::SERVICE,
    &secretsmanager::SERVICE,
    &autoscaling::SERVICE,
    &ec2::SERVICE,
    &rds::SERVICE,
    &elasticache::SERVICE,
    &s3::SERVICE,
    &ssm::SERVICE,
    &events::SERVICE,
    &cloudwatch::SERVICE,
    &servicequotas::SERVICE,
    &iam::SERVICE,
];

/// The data sources of snapshots written by drguard 0.1 (the first release
/// of `schema_version` "1"), which do not list their `sources`: the data
/// sources added since then are not in such a snapshot, even as empty lists.
pub const FORMAT_1_0_SOURCES: &[&str] = &[
    "route53.hosted_zones",
    "route53.health_checks",
    "globalaccelerator",
    "elbv2.load_balancers",
    "elbv2.target_groups",
    "autoscaling",
    "ec2.launch_templates",
    "ec2.images",
    "rds.global_clusters",
    "rds.db_clusters",
    "rds.cluster_parameters",
    "elasticache.replication_groups",
    "elasticache.global_replication_groups",
    "s3.buckets",
    "s3.versioning",
    "s3.replication",
    "ssm",
    "events",
    "cloudwatch.metrics",
];

/// Data sources renamed since they were first listed in a snapshot's
/// `sources`, as (old name, current name): a snapshot that lists the old
/// name carries the current one, and nothing more. `cloudwatch` was the
/// metric summaries alone until `cloudwatch.alarms` made it a service with
/// parts.
const RENAMED_SOURCES: &[(&str, &str)] = &[("cloudwatch", "cloudwatch.metrics")];

impl Snapshot {
    /// True when the snapshot carries data source `name` (`service` or
    /// `service.part`): listed in `sources`, or for a snapshot without that
    /// list, one of [`FORMAT_1_0_SOURCES`]. A service name is carried when
    /// any of its parts is (a rule naming a whole service reads what it had).
    /// A name in `sources` that was renamed since stands for its current
    /// name (the private `RENAMED_SOURCES` table).
    pub fn carries(&self, name: &str) -> bool {
        let part_of = |have: &str| {
            have == name
                || have
                    .strip_prefix(name)
                    .is_some_and(|rest| rest.starts_with('.'))
                || name
                    .strip_prefix(have)
                    .is_some_and(|rest| rest.starts_with('.'))
        };
        match &self.sources {
            Some(sources) => sources.iter().any(|have| part_of(current_name(have))),
            None => FORMAT_1_0_SOURCES.iter().any(|have| part_of(have)),
        }
    }
}

/// The current name of a data source listed in a snapshot's `sources`.
fn current_name(listed: &str) -> &str {
    RENAMED_SOURCES
        .iter()
        .find(|(old, _)| *old == listed)
        .map_or(listed, |(_, new)| new)
}

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
    /// The data sources its writer knew how to read (those skipped on
    /// purpose included; see `skipped`). A rule that needs a source the
    /// snapshot does not carry is `error`, never judged on data that was never
    /// read. Null in snapshots written by drguard 0.1 and in hand-written
    /// ones: they carry [`FORMAT_1_0_SOURCES`].
    #[serde(default)]
    pub sources: Option<Vec<String>>,
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
    /// IAM roles the Automation documents assume (those that exist).
    #[serde(default)]
    pub iam_roles: Vec<IamRole>,
    /// IAM instance profiles the launch templates name (those that exist).
    #[serde(default)]
    pub instance_profiles: Vec<InstanceProfile>,
    /// Role names looked up that IAM does not know (`NoSuchEntity`): a
    /// runbook that assumes one cannot run.
    #[serde(default)]
    pub missing_iam_roles: Vec<String>,
    /// Instance profile names looked up that IAM does not know
    /// (`NoSuchEntity`): a template that names one cannot launch.
    #[serde(default)]
    pub missing_instance_profiles: Vec<String>,
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
    /// RDS DB instances, Aurora cluster members included: what a cluster
    /// runs on (a cluster without instances serves no query).
    #[serde(default)]
    pub db_instances: Vec<DbInstance>,
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
    /// ACM certificates.
    #[serde(default)]
    pub certificates: Vec<Certificate>,
    /// KMS keys with their state and aliases.
    #[serde(default)]
    pub kms_keys: Vec<KmsKey>,
    /// Secrets Manager secrets and replicas (never their values).
    #[serde(default)]
    pub secrets: Vec<Secret>,
    /// CloudWatch metric and composite alarms.
    #[serde(default)]
    pub alarms: Vec<Alarm>,
    /// Applied service quotas (the EC2 On-Demand vCPU quota).
    #[serde(default)]
    pub service_quotas: Vec<ServiceQuota>,
    /// Instance types the launch templates launch, as the region offers them.
    #[serde(default)]
    pub instance_types: Vec<InstanceTypeInfo>,
    /// Security groups the launch templates name that exist in the region.
    #[serde(default)]
    pub security_groups: Vec<SecurityGroup>,
    /// Subnets the launch templates and groups name that exist in the region.
    #[serde(default)]
    pub subnets: Vec<Subnet>,
}
