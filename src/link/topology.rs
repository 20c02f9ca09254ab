//! What link derives: the topology (`topology` in CEL) and the types of
//! its parts.

use serde::Serialize;

use crate::snapshot::model::HealthCheck;

/// Which side of the DR pair a resource belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// In `app.primary_region` (or serving the PRIMARY record).
    Primary,
    /// In `app.dr_region` (or serving the SECONDARY record).
    Dr,
}

/// The derived topology of the app, as rules see it under `topology`.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Topology {
    /// The audited domain, normalised (lower case, no trailing dot).
    pub domain: Option<String>,
    /// The PRIMARY failover record of the domain.
    pub primary_record: Option<FailoverRecord>,
    /// The SECONDARY failover record of the domain.
    pub secondary_record: Option<FailoverRecord>,
    /// True when failover needs no API call: the primary record is health-checked
    /// (a health check Route 53 can judge with, or alias EvaluateTargetHealth)
    /// and a secondary exists.
    pub traffic_switch_automatic: bool,
    /// The Global Accelerator fronting the app, if any.
    pub accelerator: Option<AcceleratorLink>,
    /// The primary side's compute.
    pub primary: Side,
    /// The DR side's compute.
    pub dr: Side,
    /// Aurora global databases with their writer and secondaries.
    pub global_databases: Vec<GlobalDatabase>,
    /// Primary AMIs and their DR copies.
    pub ami_copies: Vec<AmiCopy>,
    /// EventBridge rules that copy AMIs to the DR region.
    pub ami_replication_rules: Vec<String>,
    /// The failover runbook in the DR region, if found.
    pub runbook: Option<Runbook>,
    /// Runbook candidates found outside the DR region (`name@region`).
    pub runbooks_elsewhere: Vec<String>,
    /// The health check guarding the PRIMARY record, as collected.
    pub primary_health_check: Option<HealthCheck>,
    /// The health check on the SECONDARY record, as collected: Route 53
    /// answers with the PRIMARY whenever it is unhealthy.
    pub secondary_health_check: Option<HealthCheck>,
    /// How the PRIMARY endpoint's failure is detected (the budget's first
    /// step): null without a health check on the PRIMARY record.
    pub detection: Option<super::Detection>,
    /// The health checks that decide the failover (the failover records'
    /// checks and their descendants through calculated checks).
    pub deciding_checks: super::health::DecidingChecks,
    /// The KMS keys the DR side needs on the day (its Aurora cluster's, the
    /// S3 replicas', the replicated secrets'), each resolved in its region.
    pub dr_keys: Vec<KeyUse>,
    /// The DR side's capacity against the primary's peak and the DR
    /// region's EC2 vCPU quota.
    pub capacity: super::Capacity,
    /// What the failover needs that only the primary region serves: with
    /// that region gone, each blocks the step it names (DRG-REG-001, the
    /// budget's "if the primary region is gone" view).
    pub primary_region_dependencies: Vec<PrimaryDependency>,
    /// Per DR group name: whether what it launches with exists in the DR
    /// region (DRG-ASG-005).
    pub dr_launch_checks: std::collections::BTreeMap<String, super::LaunchCheck>,
}

/// A part of the failover path that depends on the primary region.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct PrimaryDependency {
    /// Stable id: `step/<name>`, `trigger/<rule>@<region>`, `alarm/<name>@<region>`,
    /// `runbook/<name>@<region>`, `role/<name>`.
    pub id: String,
    /// `control_plane`, `trigger`, `alarm`, `runbook` or `role`.
    pub kind: String,
    /// What depends on the primary region, in words.
    pub subject: String,
    /// Why it does not work with the primary region gone.
    pub reason: String,
    /// The budget step (or runbook duty) it blocks.
    pub blocks: String,
}

/// An EventBridge rule that starts the runbook, judged as if the primary
/// region were gone.
#[derive(Debug, Clone, Serialize)]
pub struct Trigger {
    /// Rule name.
    pub name: String,
    /// Region the rule lives in.
    pub region: String,
    /// The CloudWatch alarms its event pattern listens to, as found.
    pub alarms: Vec<TriggerAlarm>,
    /// Alarm names or ARNs the pattern names that are not in the rule's region.
    pub missing_alarms: Vec<String>,
    /// True when it can still start the runbook with the primary region gone.
    pub survives: bool,
    /// Why it cannot, one line each.
    pub problems: Vec<String>,
}

/// An alarm behind a trigger.
#[derive(Debug, Clone, Serialize)]
pub struct TriggerAlarm {
    /// Alarm name.
    pub name: String,
    /// Region it lives in.
    pub region: String,
    /// The metric namespaces it reads (through metric math and composite
    /// children too).
    pub namespaces: Vec<String>,
}

/// A KMS key a DR resource needs.
#[derive(Debug, Clone, Serialize)]
pub struct KeyUse {
    /// What needs it (`rds.db_cluster shop-aurora-usw2`).
    pub used_by: String,
    /// The key as that resource names it, resolved.
    pub key: super::readiness::KeyStatus,
}

/// One failover record of the app's domain.
#[derive(Debug, Clone, Serialize)]
pub struct FailoverRecord {
    /// Hosted zone id.
    pub zone_id: String,
    /// Record name, normalised.
    pub name: String,
    /// Record type.
    #[serde(rename = "type")]
    pub record_type: String,
    /// Set identifier.
    pub set_identifier: Option<String>,
    /// TTL for non-alias records.
    pub ttl: Option<i64>,
    /// True for alias records.
    pub alias: bool,
    /// Alias EvaluateTargetHealth.
    pub evaluate_target_health: bool,
    /// Attached health check id.
    pub health_check_id: Option<String>,
    /// True when the attached health check exists in the snapshot.
    pub health_check_exists: bool,
    /// Why Route 53 cannot judge the endpoint with the attached check
    /// (disabled, inverted, a calculated threshold out of range), or null.
    pub health_check_defect: Option<String>,
    /// Where it points: alias DNS name or first value.
    pub target: Option<String>,
    /// `load_balancer`, `accelerator` or `unknown`.
    pub target_kind: String,
    /// Region of the target, when it is a known load balancer.
    pub target_region: Option<String>,
    /// ARN of the target load balancer.
    pub load_balancer_arn: Option<String>,
}

/// The Global Accelerator that fronts the app.
#[derive(Debug, Clone, Serialize)]
pub struct AcceleratorLink {
    /// ARN.
    pub arn: String,
    /// Name.
    pub name: String,
    /// Regions with an endpoint group that has endpoints.
    pub regions: Vec<String>,
    /// Regions whose endpoint group has endpoints and a health-check protocol.
    pub health_checked_regions: Vec<String>,
}

/// The compute serving one side of the failover pair.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Side {
    /// Region of this side.
    pub region: String,
    /// Load balancers the side's record (or accelerator group) points at.
    pub load_balancer_arns: Vec<String>,
    /// Target groups of those load balancers.
    pub target_group_arns: Vec<String>,
    /// Auto Scaling groups registered with those target groups.
    pub auto_scaling_groups: Vec<String>,
    /// Sum of the groups' DesiredCapacity.
    pub desired_capacity: i64,
    /// Sum of the groups' MinSize.
    pub min_size: i64,
    /// Sum of the groups' MaxSize.
    pub max_size: i64,
    /// AMIs the groups launch (resolved through their launch templates).
    pub image_ids: Vec<String>,
    /// Instance types the groups launch.
    pub instance_types: Vec<String>,
    /// The longest `DefaultInstanceWarmup` of the groups, in seconds.
    pub warmup_seconds: Option<i64>,
    /// Health-check settings of the first target group.
    pub target_group_health: Option<TargetGroupHealth>,
    /// Availability Zones its load balancers are enabled in (union).
    pub load_balancer_zones: Vec<String>,
    /// Availability Zones its groups launch in (union).
    pub group_zones: Vec<String>,
    /// The groups' `HealthCheckType`s (`EC2`, `ELB`), one per group.
    pub group_health_check_types: Vec<String>,
    /// A warm pool of its groups, if any: prepared instances shorten the scale-up.
    pub warm_pool: Option<WarmPoolSide>,
    /// Targets of its target groups that are `healthy` now.
    pub healthy_targets: i64,
    /// Targets registered in its target groups.
    pub registered_targets: i64,
}

/// A side's warm pool.
#[derive(Debug, Clone, Serialize)]
pub struct WarmPoolSide {
    /// The group it belongs to.
    pub group: String,
    /// `Stopped`, `Running` or `Hibernated`: a stopped pool still starts instances.
    pub state: Option<String>,
    /// Its MinSize: instances kept prepared.
    pub min_size: Option<i64>,
}

/// How fast a target group notices an unhealthy target.
#[derive(Debug, Clone, Serialize)]
pub struct TargetGroupHealth {
    /// Target group name.
    pub name: String,
    /// Seconds between checks (ALB default 30).
    pub interval_seconds: i64,
    /// Seconds before a check times out (ALB default 5).
    pub timeout_seconds: i64,
    /// Failures before a target is unhealthy (ALB default 2).
    pub unhealthy_threshold: i64,
}

/// An Aurora global database as linked to regional clusters.
#[derive(Debug, Clone, Serialize)]
pub struct GlobalDatabase {
    /// Global cluster id.
    pub id: String,
    /// The writer member.
    pub writer: Option<ClusterRef>,
    /// Reader members.
    pub secondaries: Vec<ClusterRef>,
}

/// A member cluster of a global database.
#[derive(Debug, Clone, Serialize)]
pub struct ClusterRef {
    /// Cluster identifier (last part of the ARN).
    pub id: String,
    /// Cluster ARN.
    pub arn: String,
    /// Region parsed from the ARN.
    pub region: String,
    /// Its DB instances, when the cluster is in the snapshot (0: headless,
    /// nothing to promote); null when the cluster is not.
    pub instances: Option<i64>,
}

/// A primary AMI and its copy in the DR region.
#[derive(Debug, Clone, Serialize)]
pub struct AmiCopy {
    /// AMI launched by the primary group.
    pub primary_image_id: String,
    /// Its copy in the DR region.
    pub dr_image_id: String,
    /// State of the copy.
    pub dr_image_state: String,
    /// How the copy was matched: `source_image_id`, `tag`, `name` or `description`.
    pub matched_by: String,
}

/// The failover runbook and what its steps do.
#[derive(Debug, Clone, Serialize)]
pub struct Runbook {
    /// Document name.
    pub name: String,
    /// Region it lives in.
    pub region: String,
    /// `config` when named in drguard.toml, `steps` when detected.
    pub detected_by: String,
    /// Steps with their classified purpose.
    pub steps: Vec<RunbookStep>,
    /// What the runbook covers.
    pub covers: Coverage,
    /// Database operations (`PromoteReadReplicaDBCluster`…), as written.
    pub database_operations: Vec<String>,
    /// Scale-up steps with the capacity they set.
    pub scale_up: Vec<ScaleUp>,
    /// Every identifier the steps name and whether it exists.
    pub references: Vec<RunbookReference>,
    /// Names of the references that do not exist.
    pub missing_references: Vec<String>,
    /// EventBridge rules that start the runbook automatically.
    pub triggers: Vec<String>,
    /// The first step that would fail with `onFailure: Abort`, ending the
    /// failover there; null when every step can run.
    pub aborts_at: Option<RunbookAbort>,
    /// For each failover duty (`database_promotion`, `cache_promotion`,
    /// `scale_up`, `traffic_switch`), the duties it waits for: those of
    /// earlier steps when a wait, assert, sleep, pause or approval step lies
    /// between. `aws:executeAwsApi` returns once the call is accepted, so
    /// without such a step the duties run side by side.
    pub serial_after: std::collections::BTreeMap<String, Vec<String>>,
    /// The triggers that can still start it with the primary region gone:
    /// EventBridge rules in the runbook's own region (`name@region`). A rule
    /// in the primary region dies with it.
    pub surviving_triggers: Vec<String>,
    /// The document's `assumeRole`, resolved from parameter defaults; null
    /// when none is set or it is supplied at run time.
    pub assume_role: Option<String>,
    /// The triggers, each judged with the primary region gone (DRG-EVT-001).
    pub trigger_details: Vec<Trigger>,
    /// `exists`, `missing` (GetRole said NoSuchEntity), `untrusted` (it
    /// does not trust ssm.amazonaws.com), `unknown` (not looked up: `iam`
    /// not collected, or another account's role) or `none` (no assumeRole
    /// resolved: Automation runs as its caller).
    pub assume_role_state: String,
    /// Steps that depend on an asynchronous promotion and run without a
    /// wait or assert step after it (`SwitchDnsToDr (after PromoteAuroraDR)`).
    pub unguarded_steps: Vec<String>,
    /// Steps that call a control plane served by one region only, that are
    /// not last and would abort the runbook on failure (`SwitchDnsToDr
    /// (route53, us-east-1)`).
    pub fragile_control_plane_steps: Vec<String>,
}

/// Failover duties a runbook covers.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Coverage {
    /// Promotes the database.
    pub database_promotion: bool,
    /// Scales the DR group up.
    pub scale_up: bool,
    /// Switches traffic by API.
    pub traffic_switch: bool,
    /// Promotes the cache.
    pub cache_promotion: bool,
}

/// A step of the runbook.
#[derive(Debug, Clone, Serialize)]
pub struct RunbookStep {
    /// Step name.
    pub name: String,
    /// Action.
    pub action: String,
    /// `service:api` in lower case, for `aws:executeAwsApi` steps.
    pub operation: Option<String>,
    /// `database_promotion`, `cache_promotion`, `scale_up`, `traffic_switch` or null.
    pub purpose: Option<String>,
    /// The API operation as written (`FailoverGlobalCluster`), for `aws:executeAwsApi` steps.
    pub api: Option<String>,
    /// The region its API call runs in: the runbook's.
    pub region: String,
    /// `onFailure` in effect: `Abort` (the default), `Continue` or `step:<name>`.
    pub on_failure: String,
    /// Why the step would fail with the primary region gone (a planned-only
    /// Aurora API, a target that does not exist in its region), or null.
    pub failure: Option<String>,
    /// True when it would fail and its `onFailure` aborts the runbook.
    pub aborts: bool,
    /// False when an earlier step aborts the runbook first: it never runs.
    pub reached: bool,
}

/// The step at which the runbook would stop.
#[derive(Debug, Clone, Serialize)]
pub struct RunbookAbort {
    /// Step name.
    pub step: String,
    /// Why it fails.
    pub reason: String,
    /// The steps that never run after it.
    pub skipped_steps: Vec<String>,
}

/// A scale-up step.
#[derive(Debug, Clone, Serialize)]
pub struct ScaleUp {
    /// Step name.
    pub step: String,
    /// Group it scales, resolved from parameters.
    pub group: Option<String>,
    /// DesiredCapacity it sets, resolved from parameters; null when supplied at run time.
    pub desired_capacity: Option<i64>,
}

/// An identifier named by a runbook step.
#[derive(Debug, Clone, Serialize)]
pub struct RunbookReference {
    /// Step name.
    pub step: String,
    /// Input name (`DBClusterIdentifier`).
    pub input: String,
    /// Resolved value; null when supplied at run time.
    pub value: Option<String>,
    /// `exists` (in the step's region, or global), `missing` (nowhere, or
    /// only in another region: see `found_in`), `runtime` (a parameter
    /// without a default), or `unknown` (its data source was skipped or not
    /// collected).
    pub status: String,
    /// The regions where a resource by that identifier exists (`global` for
    /// global ones).
    pub found_in: Vec<String>,
    /// The data source that lists resources of its kind (`rds.global_clusters`).
    pub source: String,
}

impl Topology {
    /// The role of a load balancer, by ARN.
    pub fn load_balancer_role(&self, arn: &str) -> Option<Role> {
        if self.primary.load_balancer_arns.iter().any(|a| a == arn) {
            Some(Role::Primary)
        } else if self.dr.load_balancer_arns.iter().any(|a| a == arn) {
            Some(Role::Dr)
        } else {
            None
        }
    }

    /// The role of an Auto Scaling group, by region and name.
    pub fn group_role(&self, region: &str, name: &str) -> Option<Role> {
        if self.primary.region == region
            && self.primary.auto_scaling_groups.iter().any(|g| g == name)
        {
            Some(Role::Primary)
        } else if self.dr.region == region && self.dr.auto_scaling_groups.iter().any(|g| g == name)
        {
            Some(Role::Dr)
        } else {
            None
        }
    }
}
