//! Compute and data: each side's load balancers, target groups, groups and
//! launches; Aurora global memberships; AMI copies.

use std::collections::BTreeSet;

use super::*;
use crate::snapshot::model::{AutoScalingGroup, Image};

impl Linker<'_, '_> {
    pub(super) fn link_side(&self, role: Role) -> Side {
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
        for tg in data.target_groups.iter().filter(|tg| tgs.contains(&tg.arn)) {
            side.registered_targets += tg.targets.len() as i64;
            side.healthy_targets += tg
                .targets
                .iter()
                .filter(|t| t.state.as_deref() == Some("healthy"))
                .count() as i64;
        }
        side.auto_scaling_groups = groups.iter().map(|g| g.name.clone()).collect();
        side.load_balancer_zones = data
            .load_balancers
            .iter()
            .filter(|lb| lbs.contains(&lb.arn))
            .flat_map(|lb| lb.availability_zones.iter().cloned())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        side.group_zones = groups
            .iter()
            .flat_map(|g| g.availability_zones.iter().cloned())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        side.group_health_check_types = groups
            .iter()
            .map(|g| g.health_check_type.clone().unwrap_or_else(|| "EC2".into()))
            .collect();
        side.warm_pool = groups.iter().find_map(|g| {
            g.warm_pool.as_ref().map(|pool| WarmPoolSide {
                group: g.name.clone(),
                state: pool.pool_state.clone(),
                min_size: pool.min_size,
            })
        });
        side.load_balancer_arns = lbs.into_iter().collect();
        side.target_group_arns = tgs.into_iter().collect();
        side.image_ids = images.into_iter().collect();
        side.instance_types = types.into_iter().collect();
        side
    }

    pub(super) fn link_global_databases(&mut self) {
        for global in &self.snapshot.global.global_clusters {
            let mut writer = None;
            let mut secondaries = Vec::new();
            for member in &global.members {
                let region = arn_region(&member.db_cluster_arn).unwrap_or_default();
                let cluster = ClusterRef {
                    id: arn_tail(&member.db_cluster_arn).to_string(),
                    arn: member.db_cluster_arn.clone(),
                    region: region.to_string(),
                    instances: self
                        .lookups
                        .db_cluster(&member.db_cluster_arn)
                        .map(|c| self.lookups.cluster_instances(region, c).len() as i64),
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

    pub(super) fn link_ami_copies(&mut self) {
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
    /// Security group ids of the version.
    pub security_group_ids: Vec<String>,
    /// Subnet ids of its network interfaces.
    pub subnet_ids: Vec<String>,
    /// Its instance profile (ARN or name).
    pub iam_instance_profile: Option<String>,
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
        security_group_ids: data
            .map(|d| d.security_group_ids.clone())
            .unwrap_or_default(),
        subnet_ids: data.map(|d| d.subnet_ids.clone()).unwrap_or_default(),
        iam_instance_profile: data.and_then(|d| d.iam_instance_profile.clone()),
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
