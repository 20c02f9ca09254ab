//! EC2 Auto Scaling, per region: groups with their sizes, AZs, subnets
//! (`VPCZoneIdentifier`), launch template and version, target groups, tags,
//! health-check grace period, default instance warmup and warm pool
//! (DescribeAutoScalingGroups returns the warm pool configuration, so no call
//! per group is needed).
//!
//! Calls: `DescribeAutoScalingGroups` (all pages).

use std::sync::Arc;

use aws_sdk_autoscaling::Client;

use super::{Ctx, Part, gap};
use crate::snapshot::model::{AutoScalingGroup, LaunchTemplateRef, Snapshot, WarmPool};

const SOURCE: &str = "autoscaling";

/// Collects the Auto Scaling groups of one region.
pub(crate) async fn collect(ctx: Arc<Ctx>, region: String, _view: Arc<Snapshot>) -> Part {
    let client = Client::from_conf(
        aws_sdk_autoscaling::config::Builder::from(&ctx.sdk(&region))
            .interceptor(ctx.recorder.clone())
            .build(),
    );
    let mut part = Part::new();
    let mut groups = Vec::new();
    {
        let _permit = ctx.permit(SOURCE).await;
        let mut pages = client
            .describe_auto_scaling_groups()
            // The largest page AWS allows (default 50): fewer round trips.
            .max_records(100)
            .into_paginator()
            .send();
        while let Some(page) = pages.next().await {
            match page {
                Ok(page) => groups.extend(page.auto_scaling_groups().iter().map(group)),
                Err(err) => {
                    part.gaps
                        .push(gap(SOURCE, &region, "DescribeAutoScalingGroups", &err));
                    break;
                }
            }
        }
    }
    part.count("groups", groups.len());
    part.edit_region(&region, move |data| data.auto_scaling_groups.extend(groups));
    part
}

fn group(group: &aws_sdk_autoscaling::types::AutoScalingGroup) -> AutoScalingGroup {
    // A mixed-instances group names its template inside the policy.
    let template = group.launch_template().or_else(|| {
        group
            .mixed_instances_policy()
            .and_then(|p| p.launch_template())
            .and_then(|t| t.launch_template_specification())
    });
    AutoScalingGroup {
        name: group
            .auto_scaling_group_name()
            .unwrap_or_default()
            .to_string(),
        arn: group.auto_scaling_group_arn().map(str::to_string),
        min_size: i64::from(group.min_size().unwrap_or_default()),
        max_size: i64::from(group.max_size().unwrap_or_default()),
        desired_capacity: i64::from(group.desired_capacity().unwrap_or_default()),
        availability_zones: group.availability_zones().to_vec(),
        vpc_zone_identifier: group
            .vpc_zone_identifier()
            .unwrap_or_default()
            .split(',')
            .map(str::trim)
            .filter(|id| !id.is_empty())
            .map(str::to_string)
            .collect(),
        launch_template: template.map(|t| LaunchTemplateRef {
            id: t.launch_template_id().map(str::to_string),
            name: t.launch_template_name().map(str::to_string),
            version: t.version().map(str::to_string),
        }),
        target_group_arns: group.target_group_arns().to_vec(),
        health_check_type: group.health_check_type().map(str::to_string),
        health_check_grace_period: group.health_check_grace_period().map(i64::from),
        default_instance_warmup: group
            .default_instance_warmup()
            .filter(|w| *w >= 0)
            .map(i64::from),
        warm_pool: group.warm_pool_configuration().map(|w| WarmPool {
            min_size: w.min_size().map(i64::from),
            max_group_prepared_capacity: w
                .max_group_prepared_capacity()
                .filter(|c| *c >= 0)
                .map(i64::from),
            pool_state: w.pool_state().map(|s| s.as_str().to_string()),
        }),
        tags: super::tags(group.tags().iter().map(|t| (t.key(), t.value()))),
    }
}
