//! Elastic Load Balancing v2, per region: load balancers (AZs, DNS name,
//! canonical hosted zone) with their listeners and the listeners'
//! certificates, and target groups with the load balancers they serve and
//! the health of their targets.
//!
//! Calls: `DescribeLoadBalancers`, `DescribeTargetGroups` (all pages); then,
//! for the load balancers listed, `DescribeListeners` per load balancer and
//! `DescribeListenerCertificates` per HTTPS or TLS listener (all pages each),
//! and for the target groups listed, `DescribeTargetHealth` per group; each
//! concurrently under the service's cap.

use std::sync::Arc;

use aws_sdk_elasticloadbalancingv2::Client;
use aws_sdk_elasticloadbalancingv2::types::ProtocolEnum;
use futures_util::future::join_all;

use super::{Ctx, Part, gap};
use crate::snapshot::model::{
    CollectionGap, Listener, ListenerCertificate, LoadBalancer, Snapshot, TargetGroup, TargetHealth,
};

const SERVICE: &str = "elbv2";
const LISTENERS: &str = "elbv2.listeners";
const TARGET_HEALTH: &str = "elbv2.target_health";

/// Collects load balancers and target groups of one region.
pub(crate) async fn collect(ctx: Arc<Ctx>, region: String, _view: Arc<Snapshot>) -> Part {
    let client = Client::from_conf(
        aws_sdk_elasticloadbalancingv2::config::Builder::from(&ctx.sdk(&region))
            .interceptor(ctx.recorder.clone())
            .build(),
    );
    let mut part = Part::new();
    let (ctx, client, region) = (&ctx, &client, region.as_str());
    let ((load_balancers, lb_gaps), (target_groups, tg_gaps)) = tokio::join!(
        async {
            let (mut found, mut gaps) = load_balancers(ctx, client, region).await;
            if ctx.wants(LISTENERS) {
                gaps.extend(listeners(ctx, client, region, &mut found).await);
            }
            (found, gaps)
        },
        async {
            let (mut found, mut gaps) = target_groups(ctx, client, region).await;
            if ctx.wants(TARGET_HEALTH) {
                gaps.extend(target_health(ctx, client, region, &mut found).await);
            }
            (found, gaps)
        }
    );
    part.gaps.extend(lb_gaps);
    part.gaps.extend(tg_gaps);
    part.count("load balancers", load_balancers.len());
    part.count(
        "listeners",
        load_balancers.iter().map(|lb| lb.listeners.len()).sum(),
    );
    part.count("target groups", target_groups.len());
    part.count(
        "targets",
        target_groups.iter().map(|tg| tg.targets.len()).sum(),
    );
    part.edit_region(region, move |data| {
        data.load_balancers.extend(load_balancers);
        data.target_groups.extend(target_groups);
    });
    part
}

async fn load_balancers(
    ctx: &Ctx,
    client: &Client,
    region: &str,
) -> (Vec<LoadBalancer>, Vec<CollectionGap>) {
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
                    listeners: Vec::new(),
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
) -> (Vec<TargetGroup>, Vec<CollectionGap>) {
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
                targets: Vec::new(),
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

/// Fills each load balancer's listeners (`DescribeListeners`, all pages),
/// then each HTTPS or TLS listener's certificates; one load balancer at a
/// time per slot of the service's cap.
async fn listeners(
    ctx: &Ctx,
    client: &Client,
    region: &str,
    load_balancers: &mut [LoadBalancer],
) -> Vec<CollectionGap> {
    let read = join_all(load_balancers.iter().map(|lb| async move {
        let mut found = Vec::new();
        let mut gaps = Vec::new();
        {
            let _permit = ctx.permit(SERVICE).await;
            let mut pages = client
                .describe_listeners()
                .load_balancer_arn(&lb.arn)
                // The largest page AWS allows.
                .page_size(400)
                .into_paginator()
                .send();
            while let Some(page) = pages.next().await {
                match page {
                    Ok(page) => found.extend(page.listeners().iter().map(|l| {
                        let protocol = l.protocol().map(|p| p.as_str().to_string());
                        Listener {
                            arn: l.listener_arn().unwrap_or_default().to_string(),
                            port: l.port().map(i64::from),
                            // A security policy means something on a listener
                            // that terminates TLS only (moto names one on
                            // every listener; AWS on HTTPS and TLS ones).
                            ssl_policy: l
                                .ssl_policy()
                                .filter(|_| terminates_tls(protocol.as_deref()))
                                .map(str::to_string),
                            protocol,
                            certificates: Vec::new(),
                        }
                    })),
                    Err(err) => {
                        gaps.push(gap(LISTENERS, region, "DescribeListeners", &err));
                        break;
                    }
                }
            }
        }
        let certificates = join_all(
            found
                .iter()
                .filter(|l| terminates_tls(l.protocol.as_deref()))
                .map(|l| listener_certificates(ctx, client, region, &l.arn)),
        )
        .await;
        let mut certificates = certificates.into_iter();
        for listener in found
            .iter_mut()
            .filter(|l| terminates_tls(l.protocol.as_deref()))
        {
            if let Some((certs, gap)) = certificates.next() {
                listener.certificates = certs;
                gaps.extend(gap);
            }
        }
        (found, gaps)
    }))
    .await;
    let mut gaps = Vec::new();
    for (lb, (found, lb_gaps)) in load_balancers.iter_mut().zip(read) {
        lb.listeners = found;
        gaps.extend(lb_gaps);
    }
    gaps
}

/// True for the protocols whose listeners terminate TLS with certificates.
fn terminates_tls(protocol: Option<&str>) -> bool {
    matches!(protocol, Some(p) if p == ProtocolEnum::Https.as_str() || p == ProtocolEnum::Tls.as_str())
}

/// A listener's certificates (`DescribeListenerCertificates`, all pages):
/// the default one and the SNI ones. AWS lists a certificate that is both
/// the default and in the SNI list twice; it is kept once, as default.
async fn listener_certificates(
    ctx: &Ctx,
    client: &Client,
    region: &str,
    listener_arn: &str,
) -> (Vec<ListenerCertificate>, Option<CollectionGap>) {
    let _permit = ctx.permit(SERVICE).await;
    let mut found: Vec<ListenerCertificate> = Vec::new();
    let mut failed = None;
    let mut pages = client
        .describe_listener_certificates()
        .listener_arn(listener_arn)
        .page_size(400)
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        match page {
            Ok(page) => {
                for cert in page.certificates() {
                    let Some(arn) = cert.certificate_arn() else {
                        continue;
                    };
                    let is_default = cert.is_default().unwrap_or(false);
                    match found.iter_mut().find(|c| c.arn == arn) {
                        Some(seen) => seen.is_default |= is_default,
                        None => found.push(ListenerCertificate {
                            arn: arn.to_string(),
                            is_default,
                        }),
                    }
                }
            }
            Err(err) => {
                failed = Some(gap(LISTENERS, region, "DescribeListenerCertificates", &err));
                break;
            }
        }
    }
    (found, failed)
}

/// Fills each target group's targets with their health
/// (`DescribeTargetHealth`, one call per group: it does not paginate).
async fn target_health(
    ctx: &Ctx,
    client: &Client,
    region: &str,
    target_groups: &mut [TargetGroup],
) -> Vec<CollectionGap> {
    let read = join_all(target_groups.iter().map(|tg| async move {
        let _permit = ctx.permit(SERVICE).await;
        client
            .describe_target_health()
            .target_group_arn(&tg.arn)
            .send()
            .await
    }))
    .await;
    let mut gaps = Vec::new();
    for (tg, result) in target_groups.iter_mut().zip(read) {
        match result {
            Ok(out) => {
                tg.targets = out
                    .target_health_descriptions()
                    .iter()
                    .filter_map(|d| {
                        let target = d.target()?;
                        let health = d.target_health();
                        Some(TargetHealth {
                            id: target.id()?.to_string(),
                            port: target.port().map(i64::from),
                            availability_zone: target.availability_zone().map(str::to_string),
                            state: health
                                .and_then(|h| h.state())
                                .map(|s| s.as_str().to_string()),
                            reason: health
                                .and_then(|h| h.reason())
                                .map(|r| r.as_str().to_string()),
                        })
                    })
                    .collect();
            }
            Err(err) => gaps.push(gap(TARGET_HEALTH, region, "DescribeTargetHealth", &err)),
        }
    }
    gaps
}
