//! Load balancers, launch templates and Auto Scaling groups (regional).

use serde_json::Value;

use super::{Ctx, Mapping, computed, identity, link, links, region, remove, upsert, value};
use crate::snapshot::Snapshot;
use crate::snapshot::model::{
    AutoScalingGroup, LaunchTemplate, LaunchTemplateRef, LaunchTemplateVersion, LoadBalancer,
    Subnet, WarmPool,
};

/// `aws_subnet`: where load balancers and groups place instances.
pub const SUBNET: Mapping = Mapping {
    tf_type: "aws_subnet",
    kind: "ec2.subnet",
    source: "ec2.network",
    global: false,
    attrs: &[
        identity("id", "subnets[].id"),
        link("vpc_id", "subnets[].vpc_id", "aws_vpc", "id"),
        value("availability_zone", "subnets[].availability_zone"),
    ],
    upsert: |ctx, snapshot| {
        let before = super::values::text(ctx.before(), "id");
        let id = ctx.text("id").ok_or("no id")?;
        let subnet = Subnet {
            id: id.clone(),
            vpc_id: ctx.text("vpc_id"),
            availability_zone: ctx.text("availability_zone"),
        };
        let find = before.unwrap_or_else(|| id.clone());
        upsert(
            &mut region(snapshot, &ctx.region.clone()).subnets,
            |s| s.id == find,
            |_| subnet,
        );
        Ok(id)
    },
    remove: |ctx, snapshot| {
        let id = super::values::text(ctx.before(), "id")?;
        let data = snapshot.regions.get_mut(&ctx.region)?;
        remove(&mut data.subnets, |s| s.id == id).then_some(id)
    },
    exists: |ctx, snapshot| {
        let id = super::values::text(ctx.before(), "id")?;
        snapshot
            .regions
            .get(&ctx.region)?
            .subnets
            .iter()
            .any(|s| s.id == id)
            .then_some(id)
    },
};

/// `aws_lb` (and `aws_alb`).
pub const LOAD_BALANCER: Mapping = Mapping {
    tf_type: "aws_lb",
    kind: "elbv2.load_balancer",
    source: "elbv2.load_balancers",
    global: false,
    attrs: &[
        identity("arn", "arn"),
        value("name", "name"),
        value("load_balancer_type", "type"),
        computed("internal", "scheme", "false"),
        identity("dns_name", "dns_name"),
        identity("zone_id", "canonical_hosted_zone_id"),
        computed(
            "subnet_mapping",
            "availability_zones (through the snapshot's subnets)",
            "[]",
        ),
        links(
            "subnets",
            "availability_zones (through the snapshot's subnets)",
            "aws_subnet",
            "id",
        ),
    ],
    upsert: lb_upsert,
    remove: lb_remove,
    exists: lb_exists,
};

fn lb_key(values: &Value) -> Option<String> {
    super::values::text(values, "name")
}

fn lb_upsert(ctx: &mut Ctx<'_, '_, '_>, snapshot: &mut Snapshot) -> Result<String, String> {
    let before = lb_key(ctx.before());
    let name = ctx.text("name").ok_or("no name (known after apply)")?;
    let arn = ctx.text("arn").unwrap_or_default();
    let dns_name = ctx.text("dns_name").unwrap_or_default();
    let zone_id = ctx.text("zone_id");
    let internal = ctx.boolean("internal").unwrap_or(false);
    let lb_type = ctx
        .text("load_balancer_type")
        .unwrap_or_else(|| "application".into());
    let mut subnets = ctx.strings("subnets");
    if let Some(mappings) = ctx.get("subnet_mapping").as_array() {
        subnets.extend(
            mappings
                .iter()
                .filter_map(|m| super::values::text(m, "subnet_id")),
        );
    }
    let data = region(snapshot, &ctx.region.clone());
    let zones_of = |subnets: &[String]| -> Option<Vec<String>> {
        let mut zones = Vec::new();
        for subnet in subnets {
            let zone = data
                .subnets
                .iter()
                .find(|s| &s.id == subnet)?
                .availability_zone
                .clone()?;
            if !zones.contains(&zone) {
                zones.push(zone);
            }
        }
        Some(zones)
    };
    let zones = zones_of(&subnets);
    let find = before.unwrap_or_else(|| name.clone());
    let mut unknown_zones = false;
    upsert(
        &mut data.load_balancers,
        |lb| lb.name == find,
        |old| {
            let old = old.unwrap_or_default();
            let availability_zones = match zones {
                Some(z) if !z.is_empty() => z,
                // Subnets drguard has not read: keep what the account shows when
                // the subnets did not change, else the zones are unknown.
                _ if !old.availability_zones.is_empty() => old.availability_zones.clone(),
                _ => {
                    unknown_zones = !subnets.is_empty();
                    Vec::new()
                }
            };
            LoadBalancer {
                arn,
                name: name.clone(),
                lb_type,
                scheme: Some(
                    if internal {
                        "internal"
                    } else {
                        "internet-facing"
                    }
                    .into(),
                ),
                dns_name,
                canonical_hosted_zone_id: zone_id,
                availability_zones,
                state: old.state.or(Some("active".into())),
                listeners: old.listeners,
            }
        },
    );
    if unknown_zones {
        ctx.unknown.push(format!(
            "{}.subnets (the Availability Zones of subnets the snapshot does not hold)",
            ctx.change.address
        ));
    }
    Ok(name)
}

fn lb_remove(ctx: &mut Ctx<'_, '_, '_>, snapshot: &mut Snapshot) -> Option<String> {
    let name = lb_key(ctx.before())?;
    let data = snapshot.regions.get_mut(&ctx.region)?;
    remove(&mut data.load_balancers, |lb| lb.name == name).then_some(name)
}

fn lb_exists(ctx: &Ctx<'_, '_, '_>, snapshot: &Snapshot) -> Option<String> {
    let name = lb_key(ctx.before())?;
    snapshot
        .regions
        .get(&ctx.region)?
        .load_balancers
        .iter()
        .any(|lb| lb.name == name)
        .then_some(name)
}

/// `aws_launch_template`.
pub const LAUNCH_TEMPLATE: Mapping = Mapping {
    tf_type: "aws_launch_template",
    kind: "ec2.launch_template",
    source: "ec2.launch_templates",
    global: false,
    attrs: &[
        identity("id", "id"),
        value("name", "name"),
        link(
            "image_id",
            "versions[].image_id",
            "aws_ami_copy|aws_ami|aws_ami_from_instance",
            "id",
        ),
        value("instance_type", "versions[].instance_type"),
        value("vpc_security_group_ids", "versions[].security_group_ids"),
        value("iam_instance_profile", "versions[].iam_instance_profile"),
        value(
            "block_device_mappings",
            "versions[].block_device_kms_key_ids",
        ),
        value("default_version", "default_version"),
        value("update_default_version", "default_version"),
    ],
    upsert: lt_upsert,
    remove: lt_remove,
    exists: lt_exists,
};

/// True when `template` is the one `values` name: by id, or by name (unique
/// per region), so a snapshot whose ids differ from the plan's still matches.
fn lt_named(template: &LaunchTemplate, values: &Value) -> bool {
    let id = super::values::text(values, "id");
    let name = super::values::text(values, "name");
    id.as_deref() == Some(template.id.as_str()) || name.as_deref() == Some(template.name.as_str())
}

fn lt_upsert(ctx: &mut Ctx<'_, '_, '_>, snapshot: &mut Snapshot) -> Result<String, String> {
    let before = if ctx.before().is_null() {
        ctx.values().clone()
    } else {
        ctx.before().clone()
    };
    let id = ctx.text("id").ok_or("no id")?;
    let name = ctx.text("name").unwrap_or_else(|| id.clone());
    let profile = {
        let v = ctx.get("iam_instance_profile");
        super::values::text(&v, "0.arn")
            .filter(|s| !s.is_empty())
            .or_else(|| super::values::text(&v, "0.name").filter(|s| !s.is_empty()))
    };
    let kms: Vec<String> = ctx
        .get("block_device_mappings")
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|m| super::values::text(m, "ebs.0.kms_key_id").filter(|s| !s.is_empty()))
        .collect();
    let mut version = LaunchTemplateVersion {
        version_number: 1,
        image_id: ctx.text("image_id"),
        instance_type: ctx.text("instance_type"),
        security_group_ids: ctx.strings("vpc_security_group_ids"),
        subnet_ids: Vec::new(),
        iam_instance_profile: profile,
        block_device_kms_key_ids: kms,
    };
    let update_default = ctx.boolean("update_default_version").unwrap_or(false);
    let planned_default = if super::values::unknown(&ctx.change.after_unknown, "default_version") {
        None
    } else {
        ctx.int("default_version")
    };
    let data = region(snapshot, &ctx.region.clone());
    // The account's id stays: groups name the template by it.
    let kept_id = data
        .launch_templates
        .iter()
        .find(|t| lt_named(t, &before))
        .map_or_else(|| id.clone(), |t| t.id.clone());
    let id = kept_id;
    upsert(
        &mut data.launch_templates,
        |t| lt_named(t, &before),
        |old| match old {
            Some(mut template) => {
                let latest = template
                    .versions
                    .iter()
                    .find(|v| v.version_number == template.latest_version);
                let same = latest.is_some_and(|v| {
                    v.image_id == version.image_id
                        && v.instance_type == version.instance_type
                        && v.security_group_ids == version.security_group_ids
                });
                if !same {
                    // A changed template is a new version: `$Latest` moves,
                    // `$Default` too only when Terraform asks for it.
                    version.subnet_ids = latest.map(|v| v.subnet_ids.clone()).unwrap_or_default();
                    version.version_number = template.latest_version + 1;
                    template.latest_version = version.version_number;
                    template.versions.push(version);
                    if update_default {
                        template.default_version = template.latest_version;
                    }
                }
                if let Some(default) = planned_default.filter(|d| *d <= template.latest_version) {
                    template.default_version = default;
                }
                template.id = id.clone();
                template.name = name.clone();
                template
            }
            None => LaunchTemplate {
                id: id.clone(),
                name: name.clone(),
                default_version: 1,
                latest_version: 1,
                versions: vec![version],
            },
        },
    );
    Ok(id)
}

fn lt_remove(ctx: &mut Ctx<'_, '_, '_>, snapshot: &mut Snapshot) -> Option<String> {
    let id = lt_exists(ctx, snapshot)?;
    let data = snapshot.regions.get_mut(&ctx.region)?;
    remove(&mut data.launch_templates, |t| t.id == id).then_some(id)
}

fn lt_exists(ctx: &Ctx<'_, '_, '_>, snapshot: &Snapshot) -> Option<String> {
    snapshot
        .regions
        .get(&ctx.region)?
        .launch_templates
        .iter()
        .find(|t| lt_named(t, ctx.before()))
        .map(|t| t.id.clone())
}

/// `aws_autoscaling_group`.
pub const AUTO_SCALING_GROUP: Mapping = Mapping {
    tf_type: "aws_autoscaling_group",
    kind: "autoscaling.group",
    source: "autoscaling",
    global: false,
    attrs: &[
        identity("arn", "arn"),
        value("name", "name"),
        value("min_size", "min_size"),
        value("max_size", "max_size"),
        value("desired_capacity", "desired_capacity"),
        computed("availability_zones", "availability_zones", "[]"),
        links(
            "vpc_zone_identifier",
            "vpc_zone_identifier",
            "aws_subnet",
            "id",
        ),
        link(
            "launch_template.0.id",
            "launch_template.id",
            "aws_launch_template",
            "id",
        ),
        link(
            "launch_template.0.name",
            "launch_template.name",
            "aws_launch_template",
            "name",
        ),
        value("launch_template.0.version", "launch_template.version"),
        link(
            "mixed_instances_policy.0.launch_template.0.launch_template_specification.0.launch_template_id",
            "launch_template.id",
            "aws_launch_template",
            "id",
        ),
        links(
            "target_group_arns",
            "target_group_arns",
            "aws_lb_target_group",
            "arn",
        ),
        value("health_check_type", "health_check_type"),
        value("health_check_grace_period", "health_check_grace_period"),
        value("default_instance_warmup", "default_instance_warmup"),
        value("warm_pool", "warm_pool"),
        value("tag", "tags"),
    ],
    upsert: asg_upsert,
    remove: asg_remove,
    exists: asg_exists,
};

fn asg_key(values: &Value) -> Option<String> {
    super::values::text(values, "name")
}

fn asg_upsert(ctx: &mut Ctx<'_, '_, '_>, snapshot: &mut Snapshot) -> Result<String, String> {
    let before = asg_key(ctx.before());
    let name = ctx.text("name").ok_or("no name (known after apply)")?;
    let mixed = "mixed_instances_policy.0.launch_template.0.launch_template_specification.0.";
    let has_template = super::values::at(ctx.values(), "launch_template")
        .and_then(Value::as_array)
        .is_some_and(|a| !a.is_empty());
    let launch_template = if has_template {
        Some(LaunchTemplateRef {
            id: ctx.text("launch_template.0.id").filter(|s| !s.is_empty()),
            name: ctx.text("launch_template.0.name").filter(|s| !s.is_empty()),
            version: ctx
                .text("launch_template.0.version")
                .filter(|s| !s.is_empty()),
        })
    } else if super::values::at(ctx.values(), mixed.trim_end_matches('.')).is_some() {
        Some(LaunchTemplateRef {
            id: ctx
                .text(&format!("{mixed}launch_template_id"))
                .filter(|s| !s.is_empty()),
            name: ctx
                .text(&format!("{mixed}launch_template_name"))
                .filter(|s| !s.is_empty()),
            version: ctx
                .text(&format!("{mixed}version"))
                .filter(|s| !s.is_empty()),
        })
    } else {
        None
    };
    let min_size = ctx.int("min_size").unwrap_or(0);
    let desired = if ctx.get("desired_capacity").is_null()
        && !super::values::unknown(&ctx.change.after_unknown, "desired_capacity")
    {
        Some(min_size)
    } else {
        ctx.int("desired_capacity")
    };
    let warm_pool = ctx.get("warm_pool").get(0).map(|w| WarmPool {
        min_size: super::values::int(w, "min_size"),
        max_group_prepared_capacity: super::values::int(w, "max_group_prepared_capacity"),
        pool_state: super::values::text(w, "pool_state"),
    });
    let mut tags = ctx.tags();
    for tag in ctx.get("tag").as_array().into_iter().flatten() {
        if let (Some(k), Some(v)) = (
            super::values::text(tag, "key"),
            super::values::text(tag, "value"),
        ) {
            tags.insert(k, v);
        }
    }
    let mut zones = ctx.strings("availability_zones");
    let subnets = ctx.strings("vpc_zone_identifier");
    let data = region(snapshot, &ctx.region.clone());
    if zones.is_empty() {
        for subnet in &subnets {
            if let Some(zone) = data
                .subnets
                .iter()
                .find(|s| &s.id == subnet)
                .and_then(|s| s.availability_zone.clone())
                .filter(|zone| !zones.contains(zone))
            {
                zones.push(zone);
            }
        }
    }
    let group = AutoScalingGroup {
        name: name.clone(),
        arn: ctx.text("arn"),
        min_size,
        max_size: ctx.int("max_size").unwrap_or(0),
        desired_capacity: desired.unwrap_or(min_size),
        availability_zones: zones,
        vpc_zone_identifier: subnets,
        launch_template,
        target_group_arns: ctx.strings("target_group_arns"),
        health_check_type: ctx.text("health_check_type"),
        health_check_grace_period: ctx.int("health_check_grace_period"),
        default_instance_warmup: ctx.int("default_instance_warmup"),
        warm_pool,
        tags,
    };
    let data = region(snapshot, &ctx.region.clone());
    let find = before.unwrap_or_else(|| name.clone());
    let slot = format!("groups:{}", ctx.region);
    let groups = &mut data.auto_scaling_groups;
    ctx.cache
        .borrow_mut()
        .upsert(&slot, groups, |g| g.name.clone(), &find, |_| group);
    Ok(name)
}

fn asg_remove(ctx: &mut Ctx<'_, '_, '_>, snapshot: &mut Snapshot) -> Option<String> {
    let name = asg_key(ctx.before())?;
    let data = snapshot.regions.get_mut(&ctx.region)?;
    let slot = format!("groups:{}", ctx.region);
    let groups = &mut data.auto_scaling_groups;
    ctx.cache
        .borrow_mut()
        .remove(&slot, groups, |g| g.name.clone(), &name)
        .then_some(name)
}

fn asg_exists(ctx: &Ctx<'_, '_, '_>, snapshot: &Snapshot) -> Option<String> {
    let name = asg_key(ctx.before())?;
    let groups = &snapshot.regions.get(&ctx.region)?.auto_scaling_groups;
    let slot = format!("groups:{}", ctx.region);
    ctx.cache
        .borrow_mut()
        .find(&slot, groups, |g| g.name.clone(), &name)
        .map(|_| name)
}
