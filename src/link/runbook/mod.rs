//! The failover runbook: which SSM document it is, what its steps do, which
//! identifiers they name and whether those exist, and what starts it.

use std::collections::{BTreeSet, HashMap};

use serde_json::Value as Json;

mod flow;

pub(in crate::link) use flow::unguarded_steps;

use super::*;
use crate::snapshot::model::{AutomationDocument, AutomationStep};

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

impl Linker<'_, '_> {
    pub(super) fn link_ami_replication(&mut self) {
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

    pub(super) fn document_for_target<'s>(
        &'s self,
        target_arn: &'s str,
    ) -> Option<&'s AutomationDocument> {
        let (_, rest) = target_arn.split_once(":automation-definition/")?;
        let name = rest.split(':').next()?;
        let region = arn_region(target_arn)?;
        self.lookups.document(region, name)
    }

    pub(super) fn link_runbook(&mut self) {
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

    pub(super) fn describe_runbook(
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
                    let source = kind.source();
                    // A resource whose listing was skipped or failed is
                    // unknown, never missing: only a collected listing
                    // shows that something is not there.
                    // An `aws:executeAwsApi` call runs in the runbook's
                    // region: a resource elsewhere is not there for it.
                    let found_in: Vec<String> = resolved
                        .as_deref()
                        .map(|id| {
                            self.lookups
                                .identifier_regions(kind, id)
                                .iter()
                                .map(|r| r.to_string())
                                .collect()
                        })
                        .unwrap_or_default();
                    let here = found_in.iter().any(|r| r == region || r == "global");
                    let status = match &resolved {
                        None => "runtime",
                        Some(_) if here => "exists",
                        Some(_) if !self.collected(source) => "unknown",
                        Some(_) => "missing",
                    };
                    references.push(RunbookReference {
                        step: step.name.clone(),
                        input: input.clone(),
                        value: resolved,
                        status: status.to_string(),
                        source: source.to_string(),
                        found_in,
                    });
                }
            }
            let flag = |name: &str| {
                step.inputs
                    .get(name)
                    .and_then(|v| resolve_parameter(v, &defaults))
                    .and_then(json_to_bool)
            };
            let failure = operation
                .as_deref()
                .and_then(|op| {
                    flow::database_failure(
                        op,
                        step.api.as_deref().unwrap_or_default(),
                        flag("AllowDataLoss"),
                        flag("Switchover"),
                        !self.topology.global_databases.is_empty(),
                    )
                })
                .or_else(|| flow::reference_failure(&step.name, &references));
            let on_failure = flow::on_failure(step);
            steps.push(RunbookStep {
                name: step.name.clone(),
                action: step.action.clone(),
                operation,
                purpose: purpose.map(str::to_string),
                api: step.api.clone(),
                region: region.to_string(),
                aborts: failure.is_some() && on_failure.eq_ignore_ascii_case("abort"),
                on_failure,
                failure,
                reached: true,
            });
        }
        let aborts_at = flow::trace(&mut steps);
        let serial_after = flow::serial_after(&steps);
        let missing_references = references
            .iter()
            .filter(|r| r.status == "missing")
            .map(|r| {
                let elsewhere = if r.found_in.is_empty() {
                    String::new()
                } else {
                    format!(" (only in {})", r.found_in.join(", "))
                };
                format!(
                    "{}.{} = {}{elsewhere}",
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
            .map(|(rule_region, rule)| format!("{}@{}", rule.name, rule_region))
            .collect::<Vec<String>>();
        Runbook {
            serial_after,
            // Filled by `link_survival`, which judges each trigger with the
            // primary region gone (its region and its alarms').
            surviving_triggers: Vec::new(),
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
            aborts_at,
            assume_role: doc
                .assume_role
                .as_ref()
                .and_then(|role| resolve_parameter(&Json::String(role.clone()), &defaults))
                .and_then(json_to_string),
            // Filled by `link_survival`, which needs the alarms and the region view.
            trigger_details: Vec::new(),
            assume_role_state: String::new(),
            unguarded_steps: Vec::new(),
            fragile_control_plane_steps: Vec::new(),
        }
    }

    /// True when the data source was collected: not skipped, no gap.
    fn collected(&self, source: &str) -> bool {
        use crate::vocab::sources::overlaps;
        let skipped = self
            .snapshot
            .skipped
            .iter()
            .any(|s| overlaps(source, &s.source));
        let failed = self.snapshot.gaps.iter().any(|g| {
            let have = match &g.resource {
                Some(part) => format!("{}.{part}", g.service),
                None => g.service.clone(),
            };
            overlaps(source, &have)
        });
        !skipped && !failed
    }
}

/// The kind of resource a step input names.
type ReferenceKind = Identifier;

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

fn json_to_bool(value: Json) -> Option<bool> {
    match value {
        Json::Bool(b) => Some(b),
        Json::String(s) => s.trim().to_ascii_lowercase().parse().ok(),
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
