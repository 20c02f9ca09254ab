//! Elastic Load Balancing v2, per region: load balancers (AZs, DNS name,
//! canonical hosted zone) and target groups with the load balancers they serve.
//!
//! Calls: `DescribeLoadBalancers`, `DescribeTargetGroups` (all pages).

use std::sync::Arc;

use aws_sdk_elasticloadbalancingv2::Client;

use super::{Ctx, Part, gap};
use crate::snapshot::model::{LoadBalancer, Snapshot, TargetGroup};

const SERVICE: &str = "elbv2";

/// Collects load balancers and target groups of one region.
pub(crate) async fn collect(ctx: Arc<Ctx>, region: String, _view: Arc<Snapshot>) -> Part {
    let client = Client::from_conf(
        aws_sdk_elasticloadbalancingv2::config::Builder::from(&ctx.sdk(&region))
            .interceptor(ctx.recorder.clone())
            .build(),
    );
    let mut part = Part::new();
    let (load_balancers, target_groups) = tokio::join!(
        load_balancers(&ctx, &client, &region),
        target_groups(&ctx, &client, &region)
    );
    let (load_balancers, gaps) = load_balancers;
    part.gaps.extend(gaps);
    let (target_groups, gaps) = target_groups;
    part.gaps.extend(gaps);
    part.count("load balancers", load_balancers.len());
    part.count("target groups", target_groups.len());
    part.edit_region(&region, move |data| {
        data.load_balancers.extend(load_balancers);
        data.target_groups.extend(target_groups);
    });
    part
}

async fn load_balancers(
    ctx: &Ctx,
    client: &Client,
    region: &str,
) -> (
    Vec<LoadBalancer>,
    Vec<crate::snapshot::model::CollectionGap>,
) {
    let mut found = Vec::new();
    let mut gaps = Vec::new();
    if !ctx.wants("elbv2.load_balancers") {
        return (found, gaps);
    }
    let _permit = ctx.permit(SERVICE).await;
    let mut pages = client
        .describe_load_balancers()
        // The largest page AWS allows: fewer round trips.
        .page_size(400)
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        match page {
            Ok(page) => found.extend(page.load_balancers().iter().map(|lb| {
                LoadBalancer {
                    arn: lb.load_balancer_arn().unwrap_or_default().to_string(),
                    name: lb.load_balancer_name().unwrap_or_default().to_string(),
                    lb_type: lb
                        .r#type()
                        .map(|t| t.as_str().to_string())
                        .unwrap_or_else(|| "application".into()),
                    scheme: lb.scheme().map(|s| s.as_str().to_string()),
                    dns_name: lb.dns_name().unwrap_or_default().to_string(),
                    canonical_hosted_zone_id: lb.canonical_hosted_zone_id().map(str::to_string),
                    availability_zones: lb
                        .availability_zones()
                        .iter()
                        .filter_map(|az| az.zone_name().map(str::to_string))
                        .collect(),
                    state: lb
                        .state()
                        .and_then(|s| s.code())
                        .map(|c| c.as_str().to_string()),
                }
            })),
            Err(err) => {
                gaps.push(gap(
                    "elbv2.load_balancers",
                    region,
                    "DescribeLoadBalancers",
                    &err,
                ));
                break;
            }
        }
    }
    (found, gaps)
}

async fn target_groups(
    ctx: &Ctx,
    client: &Client,
    region: &str,
) -> (Vec<TargetGroup>, Vec<crate::snapshot::model::CollectionGap>) {
    let mut found = Vec::new();
    let mut gaps = Vec::new();
    if !ctx.wants("elbv2.target_groups") {
        return (found, gaps);
    }
    let _permit = ctx.permit(SERVICE).await;
    let mut pages = client
        .describe_target_groups()
        .page_size(400)
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        match page {
            Ok(page) => found.extend(page.target_groups().iter().map(|tg| TargetGroup {
                arn: tg.target_group_arn().unwrap_or_default().to_string(),
                name: tg.target_group_name().unwrap_or_default().to_string(),
                load_balancer_arns: tg.load_balancer_arns().to_vec(),
                health_check_path: tg.health_check_path().map(str::to_string),
                health_check_interval_seconds: tg.health_check_interval_seconds().map(i64::from),
                health_check_timeout_seconds: tg.health_check_timeout_seconds().map(i64::from),
                healthy_threshold_count: tg.healthy_threshold_count().map(i64::from),
                unhealthy_threshold_count: tg.unhealthy_threshold_count().map(i64::from),
            })),
            Err(err) => {
                gaps.push(gap(
                    "elbv2.target_groups",
                    region,
                    "DescribeTargetGroups",
                    &err,
                ));
                break;
            }
        }
    }
    (found, gaps)
}
