//! Per-resource facts: what link derived about one resource, built from the
//! topology and the lookups as the typed structs of [`super::facts`].

use std::collections::BTreeMap;

use super::facts::*;
use super::{
    Config, FailoverRecord, Lookups, Role, Topology, index, normalize_dns, readiness,
    resolve_launch,
};
use crate::snapshot::model::{
    AutoScalingGroup, AutomationDocument, Bucket, CacheReplicationGroup, DbCluster, GlobalCluster,
    HealthCheck, HostedZone, Image, LoadBalancer, RecordSet, Secret,
};
use crate::snapshot::spec::Item;

/// Builds the facts for one resource of a given type.
pub struct Annotator<'a> {
    config: &'a Config,
    topology: &'a Topology,
    lookups: &'a Lookups<'a>,
}

impl<'a> Annotator<'a> {
    /// An annotator over a linked snapshot and its [`Lookups`].
    pub fn new(config: &'a Config, topology: &'a Topology, lookups: &'a Lookups<'a>) -> Self {
        Annotator {
            config,
            topology,
            lookups,
        }
    }

    /// Role of a regional resource by its region.
    fn region_role(&self, region: &str) -> Option<Role> {
        if region == self.config.app.primary_region {
            Some(Role::Primary)
        } else if region == self.config.app.dr_region {
            Some(Role::Dr)
        } else {
            None
        }
    }

    /// True when the tags satisfy `[scope].tags` (always true without a scope).
    pub fn in_scope(&self, tags: &BTreeMap<String, String>) -> bool {
        index::in_scope(self.config, tags)
    }

    /// The facts of any item, as the map merged into its CEL value (empty
    /// for the types link derives nothing about: accelerators, target
    /// groups, launch templates, global datastores, EventBridge rules,
    /// certificates; a new type has no facts until it needs some).
    pub fn facts(&self, item: &Item<'_>) -> Annotations {
        let model = item.model.as_any();
        let region = item.region;
        if let Some(hc) = model.downcast_ref::<HealthCheck>() {
            return to_annotations(&self.health_check(&hc.id));
        }
        if let Some(record) = model.downcast_ref::<RecordSet>() {
            return match item.parent.and_then(|p| p.downcast_ref::<HostedZone>()) {
                Some(zone) => to_annotations(&self.record_set(zone, record)),
                None => Annotations::new(),
            };
        }
        if let Some(lb) = model.downcast_ref::<LoadBalancer>() {
            return to_annotations(&self.load_balancer(region, lb));
        }
        if let Some(secret) = model.downcast_ref::<Secret>() {
            return to_annotations(&self.secret(region, secret));
        }
        if let Some(group) = model.downcast_ref::<AutoScalingGroup>() {
            return to_annotations(&self.auto_scaling_group(region, group));
        }
        if let Some(image) = model.downcast_ref::<Image>() {
            return to_annotations(&self.image(region, image));
        }
        if let Some(cluster) = model.downcast_ref::<DbCluster>() {
            return to_annotations(&self.db_cluster(region, cluster));
        }
        if let Some(global) = model.downcast_ref::<GlobalCluster>() {
            return to_annotations(&self.global_cluster(&global.id));
        }
        if let Some(group) = model.downcast_ref::<CacheReplicationGroup>() {
            return to_annotations(&self.cache_replication_group(region, group));
        }
        if let Some(bucket) = model.downcast_ref::<Bucket>() {
            return to_annotations(&self.bucket(bucket));
        }
        if let Some(doc) = model.downcast_ref::<AutomationDocument>() {
            return to_annotations(&self.document(region, doc));
        }
        Annotations::new()
    }

    /// Facts about a Route 53 health check.
    pub fn health_check(&self, id: &str) -> HealthCheckFacts {
        let guards = |record: &Option<FailoverRecord>| {
            record.as_ref().and_then(|r| r.health_check_id.as_deref()) == Some(id)
        };
        let guards_secondary = guards(&self.topology.secondary_record);
        // Parity: the DR endpoint's own check is compared with the one guarding the primary.
        let primary_peer = self
            .topology
            .primary_record
            .as_ref()
            .and_then(|r| r.health_check_id.as_deref())
            .filter(|primary| guards_secondary && *primary != id)
            .and_then(|primary| self.lookups.health_check(primary))
            .map(|hc| PeerHealthCheck {
                id: hc.id.clone(),
                request_interval: hc.request_interval,
                failure_threshold: hc.failure_threshold,
            });
        let check = self.lookups.health_check(id);
        HealthCheckFacts {
            guards_primary: guards(&self.topology.primary_record),
            guards_secondary,
            primary_peer,
            polls: check.is_some_and(crate::link::polls),
            decides_primary: self.topology.deciding_checks.primary.contains(id),
            decides_failover: self.topology.deciding_checks.all.contains(id),
            defect: check.and_then(crate::link::health_check_defect),
            probes_app_domain: check.is_some_and(|c| match (&c.fqdn, &self.topology.domain) {
                (Some(fqdn), Some(domain)) => crate::link::normalize_dns(fqdn) == *domain,
                _ => false,
            }),
            missing_children: check
                .map(|c| {
                    c.child_health_checks
                        .iter()
                        .filter(|child| self.lookups.health_check(child).is_none())
                        .cloned()
                        .collect()
                })
                .unwrap_or_default(),
        }
    }

    /// Facts about a Route 53 record set.
    pub fn record_set(&self, zone: &HostedZone, record: &RecordSet) -> RecordSetFacts {
        RecordSetFacts {
            zone_id: zone.id.clone(),
            zone_name: normalize_dns(&zone.name),
            is_app_record: self.topology.domain.as_deref()
                == Some(normalize_dns(&record.name).as_str()),
        }
    }

    /// Facts about a load balancer.
    pub fn load_balancer(&self, region: &str, lb: &LoadBalancer) -> LoadBalancerFacts {
        LoadBalancerFacts {
            role: self.topology.load_balancer_role(&lb.arn),
            tls_certificates: readiness::tls_certificates(
                self.lookups,
                region,
                lb,
                self.topology.domain.as_deref(),
                self.lookups.captured_at(),
            ),
        }
    }

    /// Facts about a Secrets Manager secret.
    pub fn secret(&self, region: &str, secret: &Secret) -> SecretFacts {
        let dr_region = self.config.app.dr_region.as_str();
        SecretFacts {
            role: self.region_role(region),
            in_scope: self.in_scope(&secret.tags),
            is_primary: secret
                .primary_region
                .as_deref()
                .is_none_or(|primary| primary == region),
            dr_replica_status: secret
                .replication
                .iter()
                .find(|r| r.region == dr_region)
                .map(|r| r.status.clone().unwrap_or_else(|| "unknown".into())),
            dr_secret_exists: self.lookups.secret(dr_region, &secret.name).is_some(),
            kms_key: secret
                .kms_key_id
                .as_deref()
                .filter(|k| !k.starts_with("alias/aws/"))
                .map(|k| readiness::key_status(self.lookups, region, k)),
        }
    }

    /// Facts about an Auto Scaling group.
    pub fn auto_scaling_group(
        &self,
        region: &str,
        group: &AutoScalingGroup,
    ) -> AutoScalingGroupFacts {
        let launch = resolve_launch(self.lookups, region, group);
        // The copies of the images the primary launches today: the DR group must use one.
        let expected_image_ids: Vec<String> = self
            .topology
            .ami_copies
            .iter()
            .map(|c| c.dr_image_id.clone())
            .collect();
        let lineage_matches_primary = launch
            .image_id
            .as_ref()
            .is_some_and(|image| expected_image_ids.contains(image));
        let image_state = launch.image_id.as_ref().and_then(|id| {
            self.lookups
                .image(region, id)
                .map(|image| image.state.clone())
        });
        let launch_check = (region == self.topology.dr.region)
            .then(|| self.topology.dr_launch_checks.get(&group.name))
            .flatten();
        AutoScalingGroupFacts {
            unresolvable_launch_references: launch_check
                .map(|c| c.unresolvable.clone())
                .unwrap_or_default(),
            launch_references_checked: launch_check.map(|c| c.checked.clone()).unwrap_or_default(),
            image_state,
            role: self.topology.group_role(region, &group.name),
            in_scope: self.in_scope(&group.tags),
            image_id: launch.image_id,
            instance_type: launch.instance_type,
            launch_template_version: launch.version,
            expected_image_ids,
            lineage_matches_primary,
        }
    }

    /// Facts about an AMI.
    pub fn image(&self, region: &str, image: &Image) -> ImageFacts {
        let launched_by_primary = region == self.topology.primary.region
            && self
                .topology
                .primary
                .image_ids
                .iter()
                .any(|i| i == &image.id);
        let dr_copy = self
            .topology
            .ami_copies
            .iter()
            .find(|c| c.primary_image_id == image.id)
            .map(|c| DrCopy {
                id: c.dr_image_id.clone(),
                state: c.dr_image_state.clone(),
                matched_by: c.matched_by.clone(),
            });
        ImageFacts {
            role: launched_by_primary.then_some(Role::Primary),
            dr_copy,
        }
    }

    /// Facts about a regional DB cluster.
    pub fn db_cluster(&self, region: &str, cluster: &DbCluster) -> DbClusterFacts {
        let membership = self.lookups.membership(&cluster.arn);
        let promotable = readiness::promotability(self.lookups, region, cluster);
        let same_minor_version = match (&cluster.engine_version, &promotable.primary_engine_version)
        {
            (Some(own), Some(primary)) => {
                Some(readiness::major_minor(own) == readiness::major_minor(primary))
            }
            _ => None,
        };
        let can_carry_primary_load =
            promotable
                .primary_writer_class
                .as_deref()
                .and_then(|writer| {
                    let needed = readiness::size_rank(writer)?;
                    let ranks: Option<Vec<u32>> = promotable
                        .instance_classes
                        .iter()
                        .map(|c| readiness::size_rank(c))
                        .collect();
                    Some(ranks?.into_iter().any(|rank| rank >= needed))
                });
        DbClusterFacts {
            role: self.region_role(region),
            in_scope: self.in_scope(&cluster.tags),
            global_cluster_id: membership.map(|m| m.global_cluster_id.to_string()),
            is_global_writer: membership.is_some_and(|m| m.is_writer),
            replication_lag: self.replication_lag(region, &cluster.id),
            instances: promotable.instances,
            instance_classes: promotable.instance_classes,
            primary_engine_version: promotable.primary_engine_version,
            same_minor_version,
            primary_writer_class: promotable.primary_writer_class,
            can_carry_primary_load,
            kms_key: cluster
                .kms_key_id
                .as_deref()
                .map(|k| readiness::key_status(self.lookups, region, k)),
        }
    }

    /// The Aurora lag metric for a secondary cluster: RPO lag first, replication lag else.
    pub fn replication_lag(&self, region: &str, cluster_id: &str) -> Option<ReplicationLag> {
        ["AuroraGlobalDBRPOLag", "AuroraGlobalDBReplicationLag"]
            .into_iter()
            .find_map(|metric_name| {
                self.lookups
                    .metrics(
                        region,
                        "AWS/RDS",
                        metric_name,
                        "DBClusterIdentifier",
                        cluster_id,
                    )
                    .iter()
                    .find(|m| m.datapoints > 0)
                    .map(|metric| ReplicationLag {
                        metric: metric_name.to_string(),
                        maximum_ms: metric.maximum,
                        average_ms: metric.average,
                        datapoints: metric.datapoints,
                        window_seconds: metric.window_seconds,
                    })
            })
    }

    /// Facts about an Aurora global cluster.
    pub fn global_cluster(&self, id: &str) -> GlobalClusterFacts {
        let linked = self.topology.global_databases.iter().find(|g| g.id == id);
        let writer = linked.and_then(|g| g.writer.as_ref());
        GlobalClusterFacts {
            writer_region: writer.map(|w| w.region.clone()),
            secondary_regions: linked
                .map(|g| g.secondaries.iter().map(|s| s.region.clone()).collect())
                .unwrap_or_default(),
            in_scope: writer
                .and_then(|w| self.lookups.db_cluster(&w.arn))
                .is_none_or(|c| self.in_scope(&c.tags)),
        }
    }

    /// Facts about an ElastiCache replication group.
    pub fn cache_replication_group(
        &self,
        region: &str,
        group: &CacheReplicationGroup,
    ) -> CacheReplicationGroupFacts {
        // Where the data shows a global datastore, only its DR member counts as the replica.
        let via = if group.global_replication_group_id.is_some() {
            "global_datastore"
        } else {
            "region"
        };
        let dr_replica = self
            .cache_counterpart(group, &self.config.app.dr_region)
            .map(|g| CacheReplica {
                id: g.id.clone(),
                via: via.to_string(),
            });
        // Parity: a DR group is compared with the primary-region group it mirrors.
        let primary_peer = (region == self.config.app.dr_region)
            .then(|| self.cache_counterpart(group, &self.config.app.primary_region))
            .flatten()
            .map(|peer| CachePeer {
                id: peer.id.clone(),
                node_type: peer.node_type.clone(),
                engine: peer.engine.clone(),
                engine_version: peer.engine_version.clone(),
            });
        CacheReplicationGroupFacts {
            role: self.region_role(region),
            in_scope: self.in_scope(&group.tags),
            dr_replica,
            primary_peer,
        }
    }

    /// The replication group in `region` that mirrors `group`: the member of the same global
    /// datastore where the data shows one, else the first in-scope group in that region.
    fn cache_counterpart(
        &self,
        group: &CacheReplicationGroup,
        region: &str,
    ) -> Option<&'a CacheReplicationGroup> {
        self.lookups
            .cache_counterpart(region, group.global_replication_group_id.as_deref())
    }

    /// Facts about an S3 bucket: its replication rules with their destinations resolved.
    pub fn bucket(&self, bucket: &Bucket) -> BucketFacts {
        let dr_region = &self.config.app.dr_region;
        let replication_rules: Vec<ReplicationRuleFacts> = bucket
            .replication
            .iter()
            .flat_map(|r| r.rules.iter())
            .map(|rule| {
                let name = rule
                    .destination_bucket_arn
                    .trim_start_matches("arn:aws:s3:::");
                let destination = self.lookups.bucket(name);
                let region = destination.map(|d| d.region.clone());
                ReplicationRuleFacts {
                    id: rule.id.clone(),
                    status: rule.status.clone(),
                    destination_bucket: name.to_string(),
                    destination_exists: destination.is_some(),
                    destination_versioned: destination
                        .is_some_and(|d| d.versioning.as_deref() == Some("Enabled")),
                    // An unknown destination may be in DR; DRG-S3-003 reports it as missing.
                    to_dr: region.as_ref().is_none_or(|r| r == dr_region),
                    destination_region: region,
                    replication_time_enabled: rule.replication_time_enabled,
                    metrics_enabled: rule.metrics_enabled,
                    delete_marker_replication: rule.delete_marker_replication,
                    sse_kms_encrypted_objects: rule.sse_kms_encrypted_objects.clone(),
                    replica_key: rule.replica_kms_key_id.as_deref().map(|k| {
                        readiness::key_status(
                            self.lookups,
                            destination.map_or(dr_region.as_str(), |d| d.region.as_str()),
                            k,
                        )
                    }),
                }
            })
            .collect();
        let dr_replication_rules = replication_rules
            .iter()
            .filter(|r| r.status == "Enabled" && r.to_dr)
            .cloned()
            .collect();
        BucketFacts {
            sse_kms_default: bucket
                .default_encryption
                .as_ref()
                .is_some_and(|e| e.sse_algorithm.starts_with("aws:kms")),
            role: self.region_role(&bucket.region),
            in_scope: self.in_scope(&bucket.tags),
            arn: format!("arn:aws:s3:::{}", bucket.name),
            replication_rules,
            dr_replication_rules,
        }
    }

    /// Facts about an SSM document.
    pub fn document(&self, region: &str, doc: &AutomationDocument) -> DocumentFacts {
        DocumentFacts {
            is_runbook: self
                .topology
                .runbook
                .as_ref()
                .is_some_and(|r| r.name == doc.name && r.region == region),
            in_scope: self.in_scope(&doc.tags),
        }
    }
}
