//! Route 53 (global): the hosted zone(s) of `app.domain` with every record set
//! (all pages), every health check with its configuration, and the current
//! status of the health checks that the `app.domain` records use.
//!
//! Calls: `ListHostedZones`, `ListResourceRecordSets`, `ListHealthChecks`,
//! `GetHealthCheckStatus`. All go through the Route 53 rate limiter (the API
//! allows 5 requests per second per account).

use std::collections::BTreeSet;
use std::sync::Arc;

use aws_sdk_route53::Client;
use aws_sdk_route53::types::{ResourceRecordSet, RrType};

use super::{Ctx, Part, gap};
use crate::snapshot::model::route53::AlarmIdentifier;
use crate::snapshot::model::{AliasTarget, HealthCheck, HostedZone, RecordSet, Snapshot};

const SERVICE: &str = "route53";

fn client(ctx: &Ctx, region: &str) -> Client {
    Client::from_conf(
        aws_sdk_route53::config::Builder::from(&ctx.sdk(region))
            .interceptor(ctx.recorder.clone())
            .build(),
    )
}

/// Collects zones, records and health checks.
pub(crate) async fn collect(ctx: Arc<Ctx>, region: String, _view: Arc<Snapshot>) -> Part {
    let client = client(&ctx, &region);
    let mut part = Part::new();
    let want_zones = ctx.wants("route53.hosted_zones");
    let want_checks = ctx.wants("route53.health_checks");
    // The two listings do not depend on each other: run together, an endpoint
    // that never answers costs one operation timeout, not two.
    let (mut zone_part, mut check_part) = (Part::new(), Part::new());
    let (zones, mut checks) = tokio::join!(
        async {
            if want_zones {
                hosted_zones(&ctx, &client, &mut zone_part).await
            } else {
                Vec::new()
            }
        },
        async {
            if want_checks {
                health_checks(&ctx, &client, &mut check_part).await
            } else {
                Vec::new()
            }
        }
    );
    part.gaps.extend(zone_part.gaps);
    part.gaps.extend(check_part.gaps);
    if want_zones {
        part.count("zones", zones.len());
        part.count(
            "record sets",
            zones.iter().map(|z| z.record_sets.len()).sum(),
        );
    }
    if want_checks {
        // Status is read for the app's own records only (`app.domain`, or every
        // record when no domain is set): each read is one Route 53 request, paced
        // at 5 per second, and the other records' checks say nothing about the
        // app's failover.
        let used: BTreeSet<String> = zones
            .iter()
            .flat_map(|z| &z.record_sets)
            .filter(|r| ctx.domain.as_deref().is_none_or(|d| same_name(&r.name, d)))
            .filter_map(|r| r.health_check_id.clone())
            .collect();
        statuses(&ctx, &client, &mut checks, &used, &mut part).await;
        part.count("health checks", checks.len());
    }
    part.edit(move |snapshot| {
        snapshot.global.hosted_zones.extend(zones);
        snapshot.global.health_checks.extend(checks);
    });
    part
}

/// True when two DNS names are the same, ignoring case and the trailing dot.
fn same_name(a: &str, b: &str) -> bool {
    a.trim_end_matches('.')
        .eq_ignore_ascii_case(b.trim_end_matches('.'))
}

/// True when `zone` (with or without the trailing dot) contains `domain`.
fn zone_holds(zone: &str, domain: &str) -> bool {
    let zone = zone.trim_end_matches('.').to_ascii_lowercase();
    let domain = domain.trim_end_matches('.').to_ascii_lowercase();
    domain == zone || domain.ends_with(&format!(".{zone}"))
}

async fn hosted_zones(ctx: &Ctx, client: &Client, part: &mut Part) -> Vec<HostedZone> {
    let source = "route53.hosted_zones";
    let mut zones = Vec::new();
    let mut marker: Option<String> = None;
    loop {
        let _permit = ctx.permit(SERVICE).await;
        match client
            .list_hosted_zones()
            .set_marker(marker.clone())
            .send()
            .await
        {
            Ok(page) => {
                for zone in page.hosted_zones() {
                    let wanted = match &ctx.domain {
                        Some(domain) => zone_holds(zone.name(), domain),
                        None => true,
                    };
                    if wanted {
                        zones.push(HostedZone {
                            id: zone.id().trim_start_matches("/hostedzone/").to_string(),
                            name: zone.name().to_string(),
                            private_zone: zone.config().is_some_and(|c| c.private_zone()),
                            record_sets: Vec::new(),
                        });
                    }
                }
                match page.next_marker() {
                    Some(next) if page.is_truncated() && marker.as_deref() != Some(next) => {
                        marker = Some(next.to_string());
                    }
                    _ => break,
                }
            }
            Err(err) => {
                part.gaps
                    .push(gap(source, "global", "ListHostedZones", &err));
                break;
            }
        }
    }
    for zone in &mut zones {
        zone.record_sets = record_sets(ctx, client, &zone.id, part).await;
    }
    zones
}

async fn record_sets(ctx: &Ctx, client: &Client, zone_id: &str, part: &mut Part) -> Vec<RecordSet> {
    let mut records = Vec::new();
    let mut start: Option<(String, RrType, Option<String>)> = None;
    loop {
        let _permit = ctx.permit(SERVICE).await;
        let mut request = client.list_resource_record_sets().hosted_zone_id(zone_id);
        if let Some((name, kind, identifier)) = &start {
            request = request
                .start_record_name(name)
                .start_record_type(kind.clone())
                .set_start_record_identifier(identifier.clone());
        }
        match request.send().await {
            Ok(page) => {
                records.extend(page.resource_record_sets().iter().map(record));
                let next = match (page.next_record_name(), page.next_record_type()) {
                    (Some(name), Some(kind)) if page.is_truncated() => Some((
                        name.to_string(),
                        kind.clone(),
                        page.next_record_identifier().map(str::to_string),
                    )),
                    _ => None,
                };
                if next.is_none() || next == start {
                    break;
                }
                start = next;
            }
            Err(err) => {
                part.gaps.push(gap(
                    "route53.hosted_zones",
                    "global",
                    "ListResourceRecordSets",
                    &err,
                ));
                break;
            }
        }
    }
    records
}

fn record(set: &ResourceRecordSet) -> RecordSet {
    RecordSet {
        name: set.name().to_string(),
        record_type: set.r#type().as_str().to_string(),
        set_identifier: set.set_identifier().map(str::to_string),
        failover: set.failover().map(|f| f.as_str().to_string()),
        ttl: set.ttl(),
        values: set
            .resource_records()
            .iter()
            .map(|r| r.value().to_string())
            .collect(),
        alias_target: set.alias_target().map(|a| AliasTarget {
            dns_name: a.dns_name().to_string(),
            hosted_zone_id: a.hosted_zone_id().to_string(),
            evaluate_target_health: a.evaluate_target_health(),
        }),
        health_check_id: set.health_check_id().map(str::to_string),
    }
}

async fn health_checks(ctx: &Ctx, client: &Client, part: &mut Part) -> Vec<HealthCheck> {
    let source = "route53.health_checks";
    let mut checks = Vec::new();
    let mut marker: Option<String> = None;
    loop {
        let _permit = ctx.permit(SERVICE).await;
        match client
            .list_health_checks()
            // The largest page AWS allows (default 100): fewer paced calls.
            .max_items(1000)
            .set_marker(marker.clone())
            .send()
            .await
        {
            Ok(page) => {
                for check in page.health_checks() {
                    let Some(config) = check.health_check_config() else {
                        continue;
                    };
                    checks.push(HealthCheck {
                        id: check.id().to_string(),
                        check_type: config.r#type().as_str().to_string(),
                        fqdn: config.fully_qualified_domain_name().map(str::to_string),
                        ip_address: config.ip_address().map(str::to_string),
                        port: config.port().map(i64::from),
                        resource_path: config.resource_path().map(str::to_string),
                        // Only polling checks have an interval and a threshold;
                        // AWS omits them for the others and none is invented.
                        request_interval: config.request_interval().map(i64::from),
                        failure_threshold: config.failure_threshold().map(i64::from),
                        inverted: config.inverted().unwrap_or(false),
                        disabled: config.disabled().unwrap_or(false),
                        status: None,
                        health_threshold: config.health_threshold().map(i64::from),
                        child_health_checks: config.child_health_checks().to_vec(),
                        regions: config
                            .regions()
                            .iter()
                            .map(|r| r.as_str().to_string())
                            .collect(),
                        alarm_identifier: config.alarm_identifier().map(|alarm| AlarmIdentifier {
                            region: alarm.region().as_str().to_string(),
                            name: alarm.name().to_string(),
                        }),
                        insufficient_data_health_status: config
                            .insufficient_data_health_status()
                            .map(|s| s.as_str().to_string()),
                        routing_control_arn: config.routing_control_arn().map(str::to_string),
                    });
                }
                match page.next_marker() {
                    Some(next) if page.is_truncated() && marker.as_deref() != Some(next) => {
                        marker = Some(next.to_string());
                    }
                    _ => break,
                }
            }
            Err(err) => {
                part.gaps
                    .push(gap(source, "global", "ListHealthChecks", &err));
                break;
            }
        }
    }
    checks
}

/// Reads the current status of the `used` health checks.
async fn statuses(
    ctx: &Ctx,
    client: &Client,
    checks: &mut [HealthCheck],
    used: &BTreeSet<String>,
    part: &mut Part,
) {
    let source = "route53.health_checks";
    for check in checks.iter_mut().filter(|c| used.contains(&c.id)) {
        if check.check_type == "CALCULATED" {
            continue; // GetHealthCheckStatus does not answer for calculated checks
        }
        let _permit = ctx.permit(SERVICE).await;
        match client
            .get_health_check_status()
            .health_check_id(&check.id)
            .send()
            .await
        {
            Ok(status) => check.status = Some(health(status.health_check_observations())),
            Err(err) => part
                .gaps
                .push(gap(source, "global", "GetHealthCheckStatus", &err)),
        }
    }
}

/// Route 53 counts an endpoint healthy when more than 18 % of its checkers do.
fn health(observations: &[aws_sdk_route53::types::HealthCheckObservation]) -> String {
    let total = observations.len();
    let healthy = observations
        .iter()
        .filter(|o| {
            o.status_report()
                .and_then(|r| r.status())
                .is_some_and(|s| s.starts_with("Success"))
        })
        .count();
    if total > 0 && healthy * 100 > total * 18 {
        "Healthy".into()
    } else if total == 0 {
        "Unknown".into()
    } else {
        "Unhealthy".into()
    }
}

#[cfg(test)]
mod tests {
    use super::{same_name, zone_holds};

    #[test]
    fn names_match_ignoring_case_and_the_trailing_dot() {
        assert!(same_name("Shop.Example.com.", "shop.example.com"));
        assert!(!same_name("www.shop.example.com.", "shop.example.com"));
    }

    #[test]
    fn zones_hold_their_subdomains() {
        assert!(zone_holds("yourstore.com.", "api.yourstore.com"));
        assert!(zone_holds("api.yourstore.com.", "api.yourstore.com."));
        assert!(!zone_holds("store.com.", "api.yourstore.com"));
    }
}
