//! Whether the DR groups can launch in the DR region at all (DRG-ASG-005):
//! the security groups and subnets their launch templates and groups name
//! are regional, and a template copied from the primary keeps the primary's
//! ids; the instance profile is global but cannot be created while IAM's
//! control plane (us-east-1) is down.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{Linker, resolve_launch};

/// What a DR group's launches need, and which of it is not there.
#[derive(Debug, Clone, Serialize, Default, schemars::JsonSchema)]
pub struct LaunchCheck {
    /// What was checked, in words (`2 security group(s), 3 subnet(s), instance profile shop-web`).
    pub checked: String,
    /// Each reference that does not resolve in the DR region, one line each.
    pub unresolvable: Vec<String>,
}

impl Linker<'_, '_> {
    /// Fills `topology.dr_launch_checks`, per DR group name.
    pub(super) fn link_dr_launches(&mut self) {
        let region = self.config.app.dr_region.clone();
        let mut checks = BTreeMap::new();
        let Some(data) = self.snapshot.regions.get(&region) else {
            return;
        };
        let elsewhere = |kind: &str, id: &str| -> Option<String> {
            let mut found: Vec<&str> = self
                .snapshot
                .regions
                .iter()
                .filter(|(r, _)| **r != region)
                .filter(|(_, d)| match kind {
                    "security group" => d.security_groups.iter().any(|g| g.id == id),
                    _ => d.subnets.iter().any(|s| s.id == id),
                })
                .map(|(r, _)| r.as_str())
                .collect();
            found.sort_unstable();
            (!found.is_empty()).then(|| found.join(", "))
        };
        for name in &self.topology.dr.auto_scaling_groups {
            let Some(group) = data.auto_scaling_groups.iter().find(|g| &g.name == name) else {
                continue;
            };
            let launch = resolve_launch(&self.lookups, &region, group);
            let mut check = LaunchCheck::default();
            let template = launch
                .template_id
                .as_deref()
                .unwrap_or("its launch template");
            let mut missing = |kind: &str, id: &str, owner: &str| {
                let hint = elsewhere(kind, id)
                    .map(|r| format!(" (it is in {r})"))
                    .unwrap_or_default();
                check
                    .unresolvable
                    .push(format!("{kind} {id} of {owner} is not in {region}{hint}"));
            };
            for id in &launch.security_group_ids {
                if !data.security_groups.iter().any(|g| &g.id == id) {
                    missing("security group", id, template);
                }
            }
            let mut subnets: Vec<(&str, String)> = launch
                .subnet_ids
                .iter()
                .map(|id| (id.as_str(), template.to_string()))
                .collect();
            subnets.extend(
                group
                    .vpc_zone_identifier
                    .iter()
                    .map(|id| (id.as_str(), format!("group {name}"))),
            );
            for (id, owner) in &subnets {
                if !data.subnets.iter().any(|s| s.id == *id) {
                    missing("subnet", id, owner);
                }
            }
            let profile = launch.iam_instance_profile.as_deref().map(|p| {
                p.rsplit_once("instance-profile/")
                    .map_or(p, |(_, rest)| rest.rsplit('/').next().unwrap_or(rest))
            });
            if let Some(profile) = profile {
                let global = &self.snapshot.global;
                if global
                    .missing_instance_profiles
                    .iter()
                    .any(|p| p == profile)
                {
                    check.unresolvable.push(format!(
                        "instance profile {profile} of {template} does not exist (IAM cannot create it while us-east-1 is down)"
                    ));
                } else if !global.instance_profiles.iter().any(|p| p.name == profile) {
                    check.unresolvable.push(format!(
                        "instance profile {profile} of {template} was not looked up in IAM"
                    ));
                }
            }
            check.checked = format!(
                "{} security group(s), {} subnet(s){}",
                launch.security_group_ids.len(),
                subnets.len(),
                profile.map_or(String::new(), |p| format!(", instance profile {p}"))
            );
            checks.insert(name.clone(), check);
        }
        self.topology.dr_launch_checks = checks;
    }
}
