//! Derives the application's topology from a snapshot, once, so rules stay simple.
//!
//! Rules ask questions like "does the DR group launch a copy of the primary's
//! AMI?". Answering them needs joins across services (record → load balancer
//! → target group → Auto Scaling group → launch template → image). Doing those
//! joins here, in Rust, once per audit, keeps the rule files declarative and
//! keeps evaluation linear in the number of resources.
//!
//! The output is [`Topology`] (exposed to CEL as `topology`) plus per-resource
//! [`Annotations`] merged into each resource's CEL value (`resource.role`,
//! `resource.guards_primary`, …).

mod index;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;
use serde_json::{Value as Json, json};

use crate::config::Config;
pub use index::Lookups;

use crate::snapshot::model::{
    AutoScalingGroup, AutomationDocument, AutomationStep, HealthCheck, HostedZone, Image,
    RecordSet, Snapshot,
};

/// Which side of the DR pair a resource belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
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
    /// (health check or alias EvaluateTargetHealth) and a secondary exists.
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
    /// The app's replicated data stores, for the RPO budget.
    pub data_stores: DataStores,
}

/// The app's data stores that replicate to the DR region.
#[derive(Debug, Clone, Serialize, Default)]
pub struct DataStores {
    /// Aurora global databases written from the primary region.
    pub aurora: Vec<AuroraStore>,
    /// In-scope primary buckets with an enabled replication rule to the DR region.
    pub s3: Vec<S3Store>,
    /// In-scope primary caches.
    pub elasticache: Vec<CacheStore>,
}

/// An Aurora global database as an RPO store.
#[derive(Debug, Clone, Serialize)]
pub struct AuroraStore {
    /// Global cluster id.
    pub global_cluster_id: String,
    /// Its secondary in the DR region.
    pub dr_cluster_id: Option<String>,
    /// The lag metric read (`AuroraGlobalDBRPOLag` first).
    pub lag_metric: Option<String>,
    /// Maximum lag over the window, in milliseconds.
    pub lag_max_ms: Option<f64>,
    /// The writer (primary) cluster.
    pub primary_cluster_id: Option<String>,
    /// Its parameter group.
    pub primary_parameter_group: Option<String>,
    /// `rds.global_db_rpo` of the writer's parameter group, in seconds: the
    /// lag beyond which the primary blocks commits, so a bound on the loss.
    pub global_db_rpo_seconds: Option<u64>,
}

/// A replicating bucket as an RPO store.
#[derive(Debug, Clone, Serialize)]
pub struct S3Store {
    /// Source bucket.
    pub bucket: String,
    /// True when every enabled rule to the DR region has Replication Time Control.
    pub rtc: bool,
    /// Maximum `ReplicationLatency` over the window, in seconds.
    pub latency_max_seconds: Option<f64>,
}

/// A primary cache as an RPO store.
#[derive(Debug, Clone, Serialize)]
pub struct CacheStore {
    /// Replication group id.
    pub id: String,
    /// Global datastore it belongs to.
    pub global_datastore: Option<String>,
    /// Its replica in the DR region.
    pub dr_replica: Option<String>,
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
    /// `exists`, `missing` or `runtime`.
    pub status: String,
}

/// Facts about one resource that only the topology knows, merged into its CEL value.
pub type Annotations = serde_json::Map<String, Json>;

/// Normalises a DNS name: lower case, no trailing dot, no `dualstack.` prefix.
pub fn normalize_dns(name: &str) -> String {
    let lower = name.trim().trim_end_matches('.').to_ascii_lowercase();
    lower
        .strip_prefix("dualstack.")
        .map(str::to_string)
        .unwrap_or(lower)
}

/// Reduces an API name to a comparable form: `promote_read_replica_db_cluster`
/// and `PromoteReadReplicaDBCluster` both become `promotereadreplicadbcluster`.
pub fn normalize_api(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Region of an ARN (`arn:aws:rds:us-west-2:…` → `us-west-2`).
pub fn arn_region(arn: &str) -> Option<&str> {
    arn.split(':').nth(3).filter(|r| !r.is_empty())
}

/// Last segment of an ARN's resource part.
fn arn_tail(arn: &str) -> &str {
    arn.rsplit([':', '/']).next().unwrap_or(arn)
}

/// The model fields `link` joins on, per resource type name: a change in one of
/// them can change what rules see even when no rule reads the field itself
/// (`target_group_arns` decides which group is the DR group). `drguard diff`
/// compares these, plus the fields rules read, by default.
pub fn inputs(resource_type: &str) -> &'static [&'static str] {
    match resource_type {
        "route53.health_check" => &["id"],
        "route53.record_set" => &[
            "name",
            "type",
            "set_identifier",
            "failover",
            "ttl",
            "values",
            "alias_target",
            "health_check_id",
        ],
        "globalaccelerator.accelerator" => &["arn", "dns_name", "ip_addresses", "listeners"],
        "elbv2.load_balancer" => &["arn", "dns_name"],
        // The budget reads the target groups' health-check timing.
        "elbv2.target_group" => &[
            "arn",
            "load_balancer_arns",
            "health_check_interval_seconds",
            "health_check_timeout_seconds",
            "unhealthy_threshold_count",
        ],
        "autoscaling.group" => &[
            "name",
            "launch_template",
            "target_group_arns",
            "desired_capacity",
            "min_size",
            "max_size",
            "tags",
            "default_instance_warmup",
        ],
        "ec2.launch_template" => &[
            "id",
            "name",
            "default_version",
            "latest_version",
            "versions",
        ],
        "ec2.image" => &[
            "id",
            "name",
            "description",
            "state",
            "source_image_id",
            "tags",
        ],
        "rds.db_cluster" => &["id", "arn", "tags"],
        "rds.global_cluster" => &["id", "members"],
        "elasticache.replication_group" => &[
            "id",
            "node_type",
            "engine",
            "engine_version",
            "global_replication_group_id",
            "tags",
        ],
        "s3.bucket" => &["name", "region", "versioning", "replication", "tags"],
        "ssm.document" => &["name", "document_type", "parameters", "steps", "tags"],
        "events.rule" => &["name", "state", "event_pattern", "description", "targets"],
        _ => &[],
    }
}

/// Links a snapshot under a config: derives the topology.
pub fn link(snapshot: &Snapshot, config: &Config) -> Topology {
    let mut linker = Linker::new(snapshot, config);
    linker.run();
    linker.topology
}

struct Linker<'a> {
    snapshot: &'a Snapshot,
    config: &'a Config,
    lookups: Lookups<'a>,
    topology: Topology,
}

/// Which database operations count as promotion, per normalised `service:api`.
const DATABASE_PROMOTION: &[&str] = &[
    "rds:failoverglobalcluster",
    "rds:switchoverglobalcluster",
    "rds:removefromglobalcluster",
    "rds:promotereadreplicadbcluster",
    "rds:failoverdbcluster",
    "rds:promotereadreplica",
];
const CACHE_PROMOTION: &[&str] = &[
    "elasticache:failoverglobalreplicationgroup",
    "elasticache:disassociateglobalreplicationgroup",
];
const SCALE_UP: &[&str] = &[
    "autoscaling:updateautoscalinggroup",
    "autoscaling:setdesiredcapacity",
];
const TRAFFIC_SWITCH: &[&str] = &[
    "route53:changeresourcerecordsets",
    "route53recoverycluster:updateroutingcontrolstate",
    "route53recoverycluster:updateroutingcontrolstates",
    "globalaccelerator:updateendpointgroup",
];

/// Classifies a normalised `service:api` by failover purpose.
fn purpose_of(operation: &str) -> Option<&'static str> {
    if DATABASE_PROMOTION.contains(&operation) {
        Some("database_promotion")
    } else if CACHE_PROMOTION.contains(&operation) {
        Some("cache_promotion")
    } else if SCALE_UP.contains(&operation) {
        Some("scale_up")
    } else if TRAFFIC_SWITCH.contains(&operation) {
        Some("traffic_switch")
    } else {
        None
    }
}

/// `service:api`, normalised, for an `aws:executeAwsApi` step.
pub fn step_operation(step: &AutomationStep) -> Option<String> {
    match (&step.service, &step.api) {
        (Some(service), Some(api)) => {
            Some(format!("{}:{}", normalize_api(service), normalize_api(api)))
        }
        _ => None,
    }
}

impl<'a> Linker<'a> {
    fn new(snapshot: &'a Snapshot, config: &'a Config) -> Self {
        Linker {
            snapshot,
            config,
            lookups: Lookups::new(snapshot, config),
            topology: Topology {
                domain: config.app.domain.as_deref().map(normalize_dns),
                primary: Side {
                    region: config.app.primary_region.clone(),
                    ..Side::default()
                },
                dr: Side {
                    region: config.app.dr_region.clone(),
                    ..Side::default()
                },
                ..Topology::default()
            },
        }
    }

    fn run(&mut self) {
        self.link_records();
        self.link_accelerator();
        self.topology.primary = self.link_side(Role::Primary);
        self.topology.dr = self.link_side(Role::Dr);
        self.link_global_databases();
        self.link_ami_copies();
        self.link_ami_replication();
        self.link_runbook();
        self.topology.primary_health_check = self
            .topology
            .primary_record
            .as_ref()
            .and_then(|r| r.health_check_id.as_ref())
            .and_then(|id| {
                self.snapshot
                    .global
                    .health_checks
                    .iter()
                    .find(|hc| &hc.id == id)
            })
            .cloned();
        self.link_data_stores();
    }

    fn link_data_stores(&mut self) {
        let annotator = Annotator::new(self.snapshot, self.config, &self.topology, &self.lookups);
        let primary = self.config.app.primary_region.clone();
        let dr = self.config.app.dr_region.clone();
        let mut stores = DataStores::default();
        for global in &self.topology.global_databases {
            let writer_here = global.writer.as_ref().is_some_and(|w| w.region == primary);
            if !writer_here {
                continue;
            }
            let secondary = global.secondaries.iter().find(|s| s.region == dr);
            let lag = secondary
                .map(|s| annotator.replication_lag(&dr, &s.id))
                .unwrap_or(Json::Null);
            let writer = global.writer.as_ref().and_then(|w| {
                self.snapshot
                    .regions
                    .get(&w.region)?
                    .db_clusters
                    .iter()
                    .find(|c| c.arn == w.arn || c.id == w.id)
            });
            stores.aurora.push(AuroraStore {
                primary_cluster_id: global.writer.as_ref().map(|w| w.id.clone()),
                primary_parameter_group: writer.and_then(|c| c.parameter_group.clone()),
                global_db_rpo_seconds: writer.and_then(|c| c.global_db_rpo_seconds),
                global_cluster_id: global.id.clone(),
                dr_cluster_id: secondary.map(|s| s.id.clone()),
                lag_metric: lag.get("metric").and_then(Json::as_str).map(str::to_string),
                lag_max_ms: lag.get("maximum_ms").and_then(Json::as_f64),
            });
        }
        for bucket in self
            .snapshot
            .global
            .buckets
            .iter()
            .filter(|b| b.region == primary && annotator.in_scope(&b.tags))
        {
            let annotations = annotator.bucket(bucket);
            let Some(rules) = annotations
                .get("dr_replication_rules")
                .and_then(Json::as_array)
            else {
                continue;
            };
            if rules.is_empty() {
                continue;
            }
            let rtc = rules.iter().all(|r| r["replication_time_enabled"] == true);
            let latency = self
                .lookups
                .metrics(
                    &primary,
                    "AWS/S3",
                    "ReplicationLatency",
                    "SourceBucket",
                    &bucket.name,
                )
                .iter()
                .filter(|m| m.datapoints > 0)
                .filter_map(|m| m.maximum)
                .reduce(f64::max);
            stores.s3.push(S3Store {
                bucket: bucket.name.clone(),
                rtc,
                latency_max_seconds: latency,
            });
        }
        if let Some(data) = self.snapshot.regions.get(&primary) {
            for group in data
                .cache_replication_groups
                .iter()
                .filter(|g| annotator.in_scope(&g.tags))
            {
                let annotations = annotator.cache_replication_group(&primary, group);
                stores.elasticache.push(CacheStore {
                    id: group.id.clone(),
                    global_datastore: group.global_replication_group_id.clone(),
                    dr_replica: annotations
                        .get("dr_replica")
                        .and_then(|replica| replica.get("id"))
                        .and_then(Json::as_str)
                        .map(str::to_string),
                });
            }
        }
        self.topology.data_stores = stores;
    }

    fn region_of(&self, role: Role) -> &str {
        match role {
            Role::Primary => &self.config.app.primary_region,
            Role::Dr => &self.config.app.dr_region,
        }
    }

    fn link_records(&mut self) {
        let Some(domain) = self.topology.domain.clone() else {
            return;
        };
        let mut zones: Vec<&HostedZone> = self.snapshot.global.hosted_zones.iter().collect();
        // Public zones answer the internet; prefer them over private twins.
        zones.sort_by_key(|zone| zone.private_zone);
        let type_rank = |record: &RecordSet| match record.record_type.as_str() {
            "A" => 0,
            "AAAA" => 1,
            "CNAME" => 2,
            _ => 3,
        };
        for wanted in ["PRIMARY", "SECONDARY"] {
            let mut found: Option<(&HostedZone, &RecordSet)> = None;
            for zone in &zones {
                for record in &zone.record_sets {
                    if normalize_dns(&record.name) != domain
                        || record.failover.as_deref() != Some(wanted)
                    {
                        continue;
                    }
                    let better = match found {
                        None => true,
                        Some((_, best)) => type_rank(record) < type_rank(best),
                    };
                    if better {
                        found = Some((zone, record));
                    }
                }
                if found.is_some() {
                    break;
                }
            }
            let linked = found.map(|(zone, record)| self.failover_record(zone, record));
            if wanted == "PRIMARY" {
                self.topology.primary_record = linked;
            } else {
                self.topology.secondary_record = linked;
            }
        }
        self.topology.traffic_switch_automatic = match &self.topology.primary_record {
            Some(primary) => {
                (primary.health_check_exists || primary.evaluate_target_health)
                    && self.topology.secondary_record.is_some()
            }
            None => false,
        };
    }

    fn failover_record(&self, zone: &HostedZone, record: &RecordSet) -> FailoverRecord {
        let target = record
            .alias_target
            .as_ref()
            .map(|alias| alias.dns_name.clone())
            .or_else(|| record.values.first().cloned());
        let mut target_kind = "unknown".to_string();
        let mut target_region = None;
        let mut load_balancer_arn = None;
        if let Some(target) = &target {
            let wanted = normalize_dns(target);
            for (region, data) in &self.snapshot.regions {
                if let Some(lb) = data
                    .load_balancers
                    .iter()
                    .find(|lb| normalize_dns(&lb.dns_name) == wanted)
                {
                    target_kind = "load_balancer".into();
                    target_region = Some(region.clone());
                    load_balancer_arn = Some(lb.arn.clone());
                }
            }
            let fronted_by_accelerator = self.snapshot.global.accelerators.iter().any(|ga| {
                ga.dns_name.as_deref().map(normalize_dns) == Some(wanted.clone())
                    || record.values.iter().any(|v| ga.ip_addresses.contains(v))
            });
            if load_balancer_arn.is_none() && fronted_by_accelerator {
                target_kind = "accelerator".into();
            }
        }
        let health_check_exists = record.health_check_id.as_ref().is_some_and(|id| {
            self.snapshot
                .global
                .health_checks
                .iter()
                .any(|hc| &hc.id == id)
        });
        FailoverRecord {
            zone_id: zone.id.clone(),
            name: normalize_dns(&record.name),
            record_type: record.record_type.clone(),
            set_identifier: record.set_identifier.clone(),
            ttl: record.ttl,
            alias: record.alias_target.is_some(),
            evaluate_target_health: record
                .alias_target
                .as_ref()
                .is_some_and(|a| a.evaluate_target_health),
            health_check_id: record.health_check_id.clone(),
            health_check_exists,
            target,
            target_kind,
            target_region,
            load_balancer_arn,
        }
    }

    /// The load balancers the app's failover records point at.
    fn app_load_balancers(&self) -> BTreeSet<String> {
        let mut arns = BTreeSet::new();
        for record in [
            &self.topology.primary_record,
            &self.topology.secondary_record,
        ]
        .into_iter()
        .flatten()
        {
            if let Some(arn) = &record.load_balancer_arn {
                arns.insert(arn.clone());
            }
        }
        arns
    }

    fn link_accelerator(&mut self) {
        let app_lbs = self.app_load_balancers();
        let record_targets: Vec<String> = [
            &self.topology.primary_record,
            &self.topology.secondary_record,
        ]
        .into_iter()
        .flatten()
        .filter(|r| r.target_kind == "accelerator")
        .filter_map(|r| r.target.as_deref().map(normalize_dns))
        .collect();
        for ga in &self.snapshot.global.accelerators {
            let groups = || ga.listeners.iter().flat_map(|l| l.endpoint_groups.iter());
            let fronts_lb =
                groups().any(|g| g.endpoints.iter().any(|e| app_lbs.contains(&e.endpoint_id)));
            let named_by_record = ga
                .dns_name
                .as_deref()
                .is_some_and(|d| record_targets.contains(&normalize_dns(d)))
                || record_targets
                    .iter()
                    .any(|target| ga.ip_addresses.iter().any(|ip| ip == target));
            if !(fronts_lb || named_by_record) {
                continue;
            }
            let mut regions = BTreeSet::new();
            let mut checked = BTreeSet::new();
            for group in groups().filter(|g| !g.endpoints.is_empty()) {
                regions.insert(group.region.clone());
                if group.health_check_protocol.is_some() {
                    checked.insert(group.region.clone());
                }
            }
            self.topology.accelerator = Some(AcceleratorLink {
                arn: ga.arn.clone(),
                name: ga.name.clone(),
                regions: regions.into_iter().collect(),
                health_checked_regions: checked.into_iter().collect(),
            });
            return;
        }
    }

    fn link_side(&self, role: Role) -> Side {
        let region = self.region_of(role).to_string();
        let record = match role {
            Role::Primary => &self.topology.primary_record,
            Role::Dr => &self.topology.secondary_record,
        };
        let mut side = Side {
            region: region.clone(),
            ..Side::default()
        };
        let Some(data) = self.snapshot.regions.get(&region) else {
            return side;
        };
        let mut lbs: BTreeSet<String> = BTreeSet::new();
        if let Some(arn) = record.as_ref().and_then(|r| r.load_balancer_arn.clone())
            && (arn_region(&arn) == Some(region.as_str())
                || data.load_balancers.iter().any(|lb| lb.arn == arn))
        {
            lbs.insert(arn);
        }
        if let Some(accelerator) = &self.topology.accelerator {
            let ga = self
                .snapshot
                .global
                .accelerators
                .iter()
                .find(|g| g.arn == accelerator.arn);
            for group in ga
                .iter()
                .flat_map(|g| g.listeners.iter())
                .flat_map(|l| l.endpoint_groups.iter())
            {
                if group.region == region {
                    for endpoint in &group.endpoints {
                        if data
                            .load_balancers
                            .iter()
                            .any(|lb| lb.arn == endpoint.endpoint_id)
                        {
                            lbs.insert(endpoint.endpoint_id.clone());
                        }
                    }
                }
            }
        }
        let tgs: BTreeSet<String> = data
            .target_groups
            .iter()
            .filter(|tg| tg.load_balancer_arns.iter().any(|arn| lbs.contains(arn)))
            .map(|tg| tg.arn.clone())
            .collect();
        let groups: Vec<&AutoScalingGroup> = data
            .auto_scaling_groups
            .iter()
            .filter(|g| g.target_group_arns.iter().any(|arn| tgs.contains(arn)))
            .collect();
        let mut images = BTreeSet::new();
        let mut types = BTreeSet::new();
        side.target_group_health = data
            .target_groups
            .iter()
            .find(|tg| tgs.contains(&tg.arn))
            .map(|tg| TargetGroupHealth {
                name: tg.name.clone(),
                interval_seconds: tg.health_check_interval_seconds.unwrap_or(30),
                timeout_seconds: tg.health_check_timeout_seconds.unwrap_or(5),
                unhealthy_threshold: tg.unhealthy_threshold_count.unwrap_or(2),
            });
        side.warmup_seconds = groups
            .iter()
            .filter_map(|g| g.default_instance_warmup)
            .max();
        for group in &groups {
            side.desired_capacity += group.desired_capacity;
            side.min_size += group.min_size;
            side.max_size += group.max_size;
            let launch = resolve_launch(&self.lookups, &region, group);
            if let Some(image) = launch.image_id {
                images.insert(image);
            }
            if let Some(instance_type) = launch.instance_type {
                types.insert(instance_type);
            }
        }
        side.auto_scaling_groups = groups.iter().map(|g| g.name.clone()).collect();
        side.load_balancer_arns = lbs.into_iter().collect();
        side.target_group_arns = tgs.into_iter().collect();
        side.image_ids = images.into_iter().collect();
        side.instance_types = types.into_iter().collect();
        side
    }

    fn link_global_databases(&mut self) {
        for global in &self.snapshot.global.global_clusters {
            let mut writer = None;
            let mut secondaries = Vec::new();
            for member in &global.members {
                let cluster = ClusterRef {
                    id: arn_tail(&member.db_cluster_arn).to_string(),
                    arn: member.db_cluster_arn.clone(),
                    region: arn_region(&member.db_cluster_arn)
                        .unwrap_or_default()
                        .to_string(),
                };
                if member.is_writer {
                    writer = Some(cluster);
                } else {
                    secondaries.push(cluster);
                }
            }
            self.topology.global_databases.push(GlobalDatabase {
                id: global.id.clone(),
                writer,
                secondaries,
            });
        }
    }

    fn link_ami_copies(&mut self) {
        let dr_region = self.config.app.dr_region.clone();
        let Some(dr) = self.snapshot.regions.get(&dr_region) else {
            return;
        };
        for primary_image in self.topology.primary.image_ids.clone() {
            if let Some((copy, matched_by)) = find_copy(&dr.images, &primary_image) {
                self.topology.ami_copies.push(AmiCopy {
                    primary_image_id: primary_image.clone(),
                    dr_image_id: copy.id.clone(),
                    dr_image_state: copy.state.clone(),
                    matched_by: matched_by.to_string(),
                });
            }
        }
    }

    fn link_ami_replication(&mut self) {
        let mut names = Vec::new();
        for (region, data) in &self.snapshot.regions {
            for rule in &data.event_rules {
                if rule.state != "ENABLED" || rule.targets.is_empty() {
                    continue;
                }
                let pattern = rule.event_pattern.as_deref().unwrap_or_default();
                let about_images = pattern.contains("aws.ec2")
                    && ["AMI", "CreateImage", "RegisterImage", "CopyImage"]
                        .iter()
                        .any(|word| pattern.contains(word));
                let text = format!(
                    "{} {} {}",
                    rule.name,
                    rule.description.as_deref().unwrap_or_default(),
                    rule.targets
                        .iter()
                        .map(|t| t.arn.as_str())
                        .collect::<Vec<_>>()
                        .join(" ")
                )
                .to_ascii_lowercase();
                let named_for_it = text.contains("ami") && text.contains("copy");
                let runs_copy_document = rule.targets.iter().any(|target| {
                    self.document_for_target(&target.arn).is_some_and(|doc| {
                        doc.steps
                            .iter()
                            .any(|s| step_operation(s).as_deref() == Some("ec2:copyimage"))
                    })
                });
                if about_images || named_for_it || runs_copy_document {
                    names.push(format!("{}@{}", rule.name, region));
                }
            }
        }
        self.topology.ami_replication_rules = names;
    }

    fn document_for_target<'s>(&'s self, target_arn: &'s str) -> Option<&'s AutomationDocument> {
        let (_, rest) = target_arn.split_once(":automation-definition/")?;
        let name = rest.split(':').next()?;
        let region = arn_region(target_arn)?;
        self.lookups.document(region, name)
    }

    fn link_runbook(&mut self) {
        let dr_region = self.config.app.dr_region.clone();
        let wanted = self.config.app.runbook.clone();
        let mut elsewhere = Vec::new();
        let mut chosen: Option<(&AutomationDocument, String)> = None;
        let mut best_score = 0usize;
        for (region, data) in &self.snapshot.regions {
            for doc in data
                .automation_documents
                .iter()
                .filter(|d| d.document_type == "Automation")
            {
                let score = failover_score(doc);
                let candidate = match &wanted {
                    Some(name) => &doc.name == name,
                    None => score > 0,
                };
                if !candidate {
                    continue;
                }
                if region != &dr_region {
                    elsewhere.push(format!("{}@{}", doc.name, region));
                    continue;
                }
                let better = match &chosen {
                    None => true,
                    Some((current, _)) => {
                        score > best_score || (score == best_score && doc.name < current.name)
                    }
                };
                if better {
                    best_score = score;
                    chosen = Some((doc, region.clone()));
                }
            }
        }
        self.topology.runbooks_elsewhere = elsewhere;
        let Some((doc, region)) = chosen else {
            return;
        };
        let detected_by = if wanted.is_some() { "config" } else { "steps" };
        self.topology.runbook = Some(self.describe_runbook(doc, &region, detected_by));
    }

    fn describe_runbook(
        &self,
        doc: &AutomationDocument,
        region: &str,
        detected_by: &str,
    ) -> Runbook {
        let defaults: HashMap<&str, &Json> = doc
            .parameters
            .iter()
            .filter_map(|p| p.default.as_ref().map(|d| (p.name.as_str(), d)))
            .collect();
        let mut covers = Coverage::default();
        let mut steps = Vec::new();
        let mut database_operations = Vec::new();
        let mut scale_up = Vec::new();
        let mut references = Vec::new();
        for step in &doc.steps {
            let operation = step_operation(step);
            let purpose = operation.as_deref().and_then(purpose_of);
            match purpose {
                Some("database_promotion") => {
                    covers.database_promotion = true;
                    database_operations.push(step.api.clone().unwrap_or_default());
                }
                Some("cache_promotion") => covers.cache_promotion = true,
                Some("scale_up") => {
                    covers.scale_up = true;
                    scale_up.push(ScaleUp {
                        step: step.name.clone(),
                        group: step
                            .inputs
                            .get("AutoScalingGroupName")
                            .and_then(|v| resolve_parameter(v, &defaults))
                            .and_then(json_to_string),
                        desired_capacity: step
                            .inputs
                            .get("DesiredCapacity")
                            .and_then(|v| resolve_parameter(v, &defaults))
                            .and_then(json_to_int),
                    });
                }
                Some("traffic_switch") => covers.traffic_switch = true,
                _ => {}
            }
            for (input, value) in &step.inputs {
                if let Some(kind) = reference_kind(input) {
                    let resolved = resolve_parameter(value, &defaults).and_then(json_to_string);
                    let status = match &resolved {
                        None => "runtime",
                        Some(id) if self.identifier_exists(kind, id) => "exists",
                        Some(_) => "missing",
                    };
                    references.push(RunbookReference {
                        step: step.name.clone(),
                        input: input.clone(),
                        value: resolved,
                        status: status.to_string(),
                    });
                }
            }
            steps.push(RunbookStep {
                name: step.name.clone(),
                action: step.action.clone(),
                operation,
                purpose: purpose.map(str::to_string),
            });
        }
        let missing_references = references
            .iter()
            .filter(|r| r.status == "missing")
            .map(|r| {
                format!(
                    "{}.{} = {}",
                    r.step,
                    r.input,
                    r.value.as_deref().unwrap_or_default()
                )
            })
            .collect();
        let triggers = self
            .snapshot
            .regions
            .iter()
            .flat_map(|(region, data)| data.event_rules.iter().map(move |rule| (region, rule)))
            .filter(|(_, rule)| rule.state == "ENABLED")
            .filter(|(_, rule)| {
                rule.targets.iter().any(|t| {
                    t.arn
                        .split_once(":automation-definition/")
                        .and_then(|(_, rest)| rest.split(':').next())
                        == Some(doc.name.as_str())
                })
            })
            .map(|(region, rule)| format!("{}@{}", rule.name, region))
            .collect();
        Runbook {
            name: doc.name.clone(),
            region: region.to_string(),
            detected_by: detected_by.to_string(),
            steps,
            covers,
            database_operations,
            scale_up,
            references,
            missing_references,
            triggers,
        }
    }

    fn identifier_exists(&self, kind: ReferenceKind, id: &str) -> bool {
        let snapshot = self.snapshot;
        match kind {
            ReferenceKind::DbCluster => snapshot
                .regions
                .values()
                .flat_map(|r| r.db_clusters.iter())
                .any(|c| c.id == id || c.arn == id),
            ReferenceKind::GlobalCluster => snapshot
                .global
                .global_clusters
                .iter()
                .any(|g| g.id == id || g.arn.as_deref() == Some(id)),
            ReferenceKind::AutoScalingGroup => snapshot
                .regions
                .values()
                .flat_map(|r| r.auto_scaling_groups.iter())
                .any(|g| g.name == id || g.arn.as_deref() == Some(id)),
            ReferenceKind::HostedZone => {
                let bare = id.trim_start_matches("/hostedzone/");
                snapshot.global.hosted_zones.iter().any(|z| z.id == bare)
            }
            ReferenceKind::CacheReplicationGroup => snapshot
                .regions
                .values()
                .flat_map(|r| r.cache_replication_groups.iter())
                .any(|g| g.id == id),
            ReferenceKind::GlobalReplicationGroup => snapshot
                .global
                .global_replication_groups
                .iter()
                .any(|g| g.id == id),
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum ReferenceKind {
    DbCluster,
    GlobalCluster,
    AutoScalingGroup,
    HostedZone,
    CacheReplicationGroup,
    GlobalReplicationGroup,
}

/// Step inputs that name a resource drguard can look up.
fn reference_kind(input: &str) -> Option<ReferenceKind> {
    Some(match input {
        "DBClusterIdentifier" | "TargetDbClusterIdentifier" | "DbClusterIdentifier" => {
            ReferenceKind::DbCluster
        }
        "GlobalClusterIdentifier" => ReferenceKind::GlobalCluster,
        "AutoScalingGroupName" => ReferenceKind::AutoScalingGroup,
        "HostedZoneId" => ReferenceKind::HostedZone,
        "PrimaryReplicationGroupId" | "ReplicationGroupId" => ReferenceKind::CacheReplicationGroup,
        "GlobalReplicationGroupId" => ReferenceKind::GlobalReplicationGroup,
        _ => return None,
    })
}

/// How many failover duties a document's steps perform.
fn failover_score(doc: &AutomationDocument) -> usize {
    let purposes: BTreeSet<&str> = doc
        .steps
        .iter()
        .filter_map(|s| step_operation(s).as_deref().and_then(purpose_of))
        .collect();
    purposes.len()
}

/// Resolves `{{ Name }}` from a parameter default; None when only known at run time.
fn resolve_parameter(value: &Json, defaults: &HashMap<&str, &Json>) -> Option<Json> {
    let Some(text) = value.as_str() else {
        return Some(value.clone());
    };
    let trimmed = text.trim();
    let Some(inner) = trimmed
        .strip_prefix("{{")
        .and_then(|t| t.strip_suffix("}}"))
    else {
        return Some(value.clone());
    };
    let name = inner.trim();
    if name.contains(':') {
        // automation:EXECUTION_ID and friends only exist while the runbook runs.
        return None;
    }
    defaults.get(name).map(|d| (*d).clone())
}

fn json_to_string(value: Json) -> Option<String> {
    match value {
        Json::String(s) => Some(s),
        Json::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn json_to_int(value: Json) -> Option<i64> {
    match value {
        Json::Number(n) => n.as_i64(),
        Json::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// What a group launches, after resolving `$Latest` / `$Default`.
#[derive(Debug, Clone, Default)]
pub struct ResolvedLaunch {
    /// Launch template id.
    pub template_id: Option<String>,
    /// Version number used.
    pub version: Option<i64>,
    /// AMI id.
    pub image_id: Option<String>,
    /// Instance type.
    pub instance_type: Option<String>,
}

/// Resolves a group's launch template reference within its region.
pub fn resolve_launch(
    lookups: &Lookups<'_>,
    region: &str,
    group: &AutoScalingGroup,
) -> ResolvedLaunch {
    let Some(reference) = &group.launch_template else {
        return ResolvedLaunch::default();
    };
    let Some(template) =
        lookups.launch_template(region, reference.id.as_deref(), reference.name.as_deref())
    else {
        return ResolvedLaunch::default();
    };
    let version = match reference.version.as_deref().map(str::trim) {
        None | Some("$Default") => Some(template.default_version),
        Some("$Latest") => Some(template.latest_version),
        Some(number) => number.parse().ok(),
    };
    let data = version.and_then(|v| template.versions.iter().find(|tv| tv.version_number == v));
    ResolvedLaunch {
        template_id: Some(template.id.clone()),
        version,
        image_id: data.and_then(|d| d.image_id.clone()),
        instance_type: data.and_then(|d| d.instance_type.clone()),
    }
}

/// Finds the DR copy of a primary image; the first matching clue wins, strongest first.
pub fn find_copy<'i>(
    dr_images: &'i [Image],
    primary_image: &str,
) -> Option<(&'i Image, &'static str)> {
    let by = |pred: &dyn Fn(&Image) -> bool| dr_images.iter().find(|i| pred(i));
    if let Some(image) = by(&|i| i.source_image_id.as_deref() == Some(primary_image)) {
        return Some((image, "source_image_id"));
    }
    if let Some(image) =
        by(&|i| i.tags.get("SourceImageId").map(String::as_str) == Some(primary_image))
    {
        return Some((image, "tag"));
    }
    let copy_name = format!("dr-copy-{primary_image}");
    if let Some(image) = by(&|i| i.name.as_deref() == Some(copy_name.as_str())) {
        return Some((image, "name"));
    }
    by(&|i| {
        i.description
            .as_deref()
            .is_some_and(|d| d.contains(primary_image))
    })
    .map(|i| (i, "description"))
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

/// Builds the annotations for one resource of a given type. Every key a rule
/// may read is always present (null when unknown), so expressions never fail
/// on a missing key.
pub struct Annotator<'a> {
    snapshot: &'a Snapshot,
    config: &'a Config,
    topology: &'a Topology,
    lookups: &'a Lookups<'a>,
}

impl<'a> Annotator<'a> {
    /// An annotator over a linked snapshot and its [`Lookups`].
    pub fn new(
        snapshot: &'a Snapshot,
        config: &'a Config,
        topology: &'a Topology,
        lookups: &'a Lookups<'a>,
    ) -> Self {
        Annotator {
            snapshot,
            config,
            topology,
            lookups,
        }
    }

    /// Role of a data store by region.
    fn region_role(&self, region: &str) -> Json {
        if region == self.config.app.primary_region {
            json!("primary")
        } else if region == self.config.app.dr_region {
            json!("dr")
        } else {
            Json::Null
        }
    }

    /// True when the tags satisfy `[scope].tags` (always true without a scope).
    pub fn in_scope(&self, tags: &BTreeMap<String, String>) -> bool {
        index::in_scope(self.config, tags)
    }

    /// Annotations for a Route 53 health check.
    pub fn health_check(&self, id: &str) -> Annotations {
        let guards = |record: &Option<FailoverRecord>| {
            record.as_ref().and_then(|r| r.health_check_id.as_deref()) == Some(id)
        };
        let guards_secondary = guards(&self.topology.secondary_record);
        let mut a = Annotations::new();
        a.insert(
            "guards_primary".into(),
            json!(guards(&self.topology.primary_record)),
        );
        a.insert("guards_secondary".into(), json!(guards_secondary));
        // Parity: the DR endpoint's own check is compared with the one guarding the primary.
        let peer = self
            .topology
            .primary_record
            .as_ref()
            .and_then(|r| r.health_check_id.as_deref())
            .filter(|primary| guards_secondary && *primary != id)
            .and_then(|primary| {
                self.snapshot
                    .global
                    .health_checks
                    .iter()
                    .find(|hc| hc.id == primary)
            })
            .map(|hc| {
                json!({
                    "id": hc.id,
                    "request_interval": hc.request_interval,
                    "failure_threshold": hc.failure_threshold,
                })
            });
        a.insert("primary_peer".into(), peer.unwrap_or(Json::Null));
        a
    }

    /// Annotations for a Route 53 record set.
    pub fn record_set(&self, zone: &HostedZone, record: &RecordSet) -> Annotations {
        let mut a = Annotations::new();
        a.insert("zone_id".into(), json!(zone.id));
        a.insert("zone_name".into(), json!(normalize_dns(&zone.name)));
        let is_app = self.topology.domain.as_deref() == Some(normalize_dns(&record.name).as_str());
        a.insert("is_app_record".into(), json!(is_app));
        a
    }

    /// Annotations for a load balancer.
    pub fn load_balancer(&self, arn: &str) -> Annotations {
        let mut a = Annotations::new();
        a.insert("role".into(), json!(self.topology.load_balancer_role(arn)));
        a
    }

    /// Annotations for an Auto Scaling group.
    pub fn auto_scaling_group(&self, region: &str, group: &AutoScalingGroup) -> Annotations {
        let mut a = Annotations::new();
        let role = self.topology.group_role(region, &group.name);
        let launch = resolve_launch(self.lookups, region, group);
        a.insert("role".into(), json!(role));
        a.insert("in_scope".into(), json!(self.in_scope(&group.tags)));
        a.insert("image_id".into(), json!(launch.image_id));
        a.insert("instance_type".into(), json!(launch.instance_type));
        a.insert("launch_template_version".into(), json!(launch.version));
        // The copies of the images the primary launches today: the DR group must use one.
        let expected: Vec<&str> = self
            .topology
            .ami_copies
            .iter()
            .map(|c| c.dr_image_id.as_str())
            .collect();
        let lineage = launch
            .image_id
            .as_deref()
            .is_some_and(|image| expected.contains(&image));
        a.insert("expected_image_ids".into(), json!(expected));
        a.insert("lineage_matches_primary".into(), json!(lineage));
        a
    }

    /// Annotations for an AMI.
    pub fn image(&self, region: &str, image: &Image) -> Annotations {
        let mut a = Annotations::new();
        let launched_by_primary = region == self.topology.primary.region
            && self
                .topology
                .primary
                .image_ids
                .iter()
                .any(|i| i == &image.id);
        a.insert(
            "role".into(),
            if launched_by_primary {
                json!("primary")
            } else {
                Json::Null
            },
        );
        let copy = self
            .topology
            .ami_copies
            .iter()
            .find(|c| c.primary_image_id == image.id)
            .map(|c| json!({"id": c.dr_image_id, "state": c.dr_image_state, "matched_by": c.matched_by}));
        a.insert("dr_copy".into(), copy.unwrap_or(Json::Null));
        a
    }

    /// Annotations for a regional DB cluster.
    pub fn db_cluster(
        &self,
        region: &str,
        cluster: &crate::snapshot::model::DbCluster,
    ) -> Annotations {
        let mut a = Annotations::new();
        a.insert("role".into(), self.region_role(region));
        a.insert("in_scope".into(), json!(self.in_scope(&cluster.tags)));
        let membership = self.lookups.membership(&cluster.arn);
        a.insert(
            "global_cluster_id".into(),
            json!(membership.map(|m| m.global_cluster_id)),
        );
        a.insert(
            "is_global_writer".into(),
            json!(membership.is_some_and(|m| m.is_writer)),
        );
        a.insert(
            "replication_lag".into(),
            self.replication_lag(region, &cluster.id),
        );
        a
    }

    /// The Aurora lag metric for a secondary cluster: RPO lag first, replication lag else.
    pub fn replication_lag(&self, region: &str, cluster_id: &str) -> Json {
        for metric_name in ["AuroraGlobalDBRPOLag", "AuroraGlobalDBReplicationLag"] {
            let found = self
                .lookups
                .metrics(
                    region,
                    "AWS/RDS",
                    metric_name,
                    "DBClusterIdentifier",
                    cluster_id,
                )
                .iter()
                .find(|m| m.datapoints > 0);
            if let Some(metric) = found {
                return json!({
                    "metric": metric_name,
                    "maximum_ms": metric.maximum,
                    "average_ms": metric.average,
                    "datapoints": metric.datapoints,
                    "window_seconds": metric.window_seconds,
                });
            }
        }
        Json::Null
    }

    /// Annotations for an Aurora global cluster.
    pub fn global_cluster(&self, id: &str) -> Annotations {
        let mut a = Annotations::new();
        let linked = self.topology.global_databases.iter().find(|g| g.id == id);
        let writer_region = linked
            .and_then(|g| g.writer.as_ref())
            .map(|w| w.region.clone());
        let secondary_regions: Vec<String> = linked
            .map(|g| g.secondaries.iter().map(|s| s.region.clone()).collect())
            .unwrap_or_default();
        let writer_in_scope = linked
            .and_then(|g| g.writer.as_ref())
            .and_then(|w| self.lookups.db_cluster(&w.arn))
            .is_none_or(|c| self.in_scope(&c.tags));
        a.insert("writer_region".into(), json!(writer_region));
        a.insert("secondary_regions".into(), json!(secondary_regions));
        a.insert("in_scope".into(), json!(writer_in_scope));
        a
    }

    /// Annotations for an ElastiCache replication group.
    pub fn cache_replication_group(
        &self,
        region: &str,
        group: &crate::snapshot::model::CacheReplicationGroup,
    ) -> Annotations {
        let mut a = Annotations::new();
        a.insert("role".into(), self.region_role(region));
        a.insert("in_scope".into(), json!(self.in_scope(&group.tags)));
        // Where the data shows a global datastore, only its DR member counts as the replica.
        let via = if group.global_replication_group_id.is_some() {
            "global_datastore"
        } else {
            "region"
        };
        let replica = self
            .cache_counterpart(group, &self.config.app.dr_region)
            .map(|g| json!({"id": g.id, "via": via}));
        a.insert("dr_replica".into(), replica.unwrap_or(Json::Null));
        // Parity: a DR group is compared with the primary-region group it mirrors.
        let peer = (region == self.config.app.dr_region)
            .then(|| self.cache_counterpart(group, &self.config.app.primary_region))
            .flatten()
            .map(|peer| {
                json!({
                    "id": peer.id,
                    "node_type": peer.node_type,
                    "engine": peer.engine,
                    "engine_version": peer.engine_version,
                })
            });
        a.insert("primary_peer".into(), peer.unwrap_or(Json::Null));
        a
    }

    /// The replication group in `region` that mirrors `group`: the member of the same global
    /// datastore where the data shows one, else the first in-scope group in that region.
    fn cache_counterpart(
        &self,
        group: &crate::snapshot::model::CacheReplicationGroup,
        region: &str,
    ) -> Option<&'a crate::snapshot::model::CacheReplicationGroup> {
        self.lookups
            .cache_counterpart(region, group.global_replication_group_id.as_deref())
    }

    /// Annotations for an S3 bucket: its replication rules with their destinations resolved.
    pub fn bucket(&self, bucket: &crate::snapshot::model::Bucket) -> Annotations {
        let mut a = Annotations::new();
        a.insert("role".into(), self.region_role(&bucket.region));
        a.insert("in_scope".into(), json!(self.in_scope(&bucket.tags)));
        let dr_region = &self.config.app.dr_region;
        let rules: Vec<Json> = bucket
            .replication
            .iter()
            .flat_map(|r| r.rules.iter())
            .map(|rule| {
                let name = rule.destination_bucket_arn.trim_start_matches("arn:aws:s3:::");
                let destination = self.lookups.bucket(name);
                let region = destination.map(|d| d.region.clone());
                json!({
                    "id": rule.id,
                    "status": rule.status,
                    "destination_bucket": name,
                    "destination_exists": destination.is_some(),
                    "destination_region": region,
                    "destination_versioned": destination.is_some_and(|d| d.versioning.as_deref() == Some("Enabled")),
                    // An unknown destination may be in DR; DRG-S3-003 reports it as missing.
                    "to_dr": region.as_ref().is_none_or(|r| r == dr_region),
                    "replication_time_enabled": rule.replication_time_enabled,
                    "metrics_enabled": rule.metrics_enabled,
                    "delete_marker_replication": rule.delete_marker_replication,
                })
            })
            .collect();
        let enabled_to_dr: Vec<Json> = rules
            .iter()
            .filter(|r| r["status"] == "Enabled" && r["to_dr"] == true)
            .cloned()
            .collect();
        a.insert("arn".into(), json!(format!("arn:aws:s3:::{}", bucket.name)));
        a.insert("replication_rules".into(), json!(rules));
        a.insert("dr_replication_rules".into(), json!(enabled_to_dr));
        a
    }

    /// Annotations for an SSM document.
    pub fn document(&self, region: &str, doc: &AutomationDocument) -> Annotations {
        let mut a = Annotations::new();
        let is_runbook = self
            .topology
            .runbook
            .as_ref()
            .is_some_and(|r| r.name == doc.name && r.region == region);
        a.insert("is_runbook".into(), json!(is_runbook));
        a.insert("in_scope".into(), json!(self.in_scope(&doc.tags)));
        a
    }
}
