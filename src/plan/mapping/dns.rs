//! Route 53: hosted zones, health checks, records (global: no region).

use serde_json::Value;

use super::{Ctx, Mapping, identity, link, remove, upsert, value};
use crate::snapshot::Snapshot;
use crate::snapshot::model::route53::AlarmIdentifier;
use crate::snapshot::model::{AliasTarget, HealthCheck, HostedZone, RecordSet};

/// `aws_route53_zone`.
pub const ZONE: Mapping = Mapping {
    tf_type: "aws_route53_zone",
    kind: "route53.hosted_zone",
    source: "route53.hosted_zones",
    global: true,
    attrs: &[
        identity("zone_id", "id"),
        value("name", "name"),
        value("vpc", "private_zone"),
    ],
    upsert: zone_upsert,
    remove: zone_remove,
    exists: zone_exists,
};

fn zone_key(values: &Value) -> Option<String> {
    super::values::text(values, "zone_id").or_else(|| super::values::text(values, "id"))
}

fn same_zone(a: &str, b: &str) -> bool {
    a.trim_start_matches("/hostedzone/") == b.trim_start_matches("/hostedzone/")
}

fn zone_upsert(ctx: &mut Ctx<'_, '_, '_>, snapshot: &mut Snapshot) -> Result<String, String> {
    let before = zone_key(ctx.before());
    let id = ctx.text("zone_id").ok_or("no zone_id")?;
    let name = dotted(&ctx.text("name").unwrap_or_default());
    let private = ctx.get("vpc").as_array().is_some_and(|v| !v.is_empty());
    let find = before.clone().unwrap_or_else(|| id.clone());
    upsert(
        &mut snapshot.global.hosted_zones,
        |z| same_zone(&z.id, &find),
        |old| HostedZone {
            id: id.clone(),
            name,
            private_zone: private,
            record_sets: old.map(|z| z.record_sets).unwrap_or_default(),
        },
    );
    Ok(id)
}

fn zone_remove(ctx: &mut Ctx<'_, '_, '_>, snapshot: &mut Snapshot) -> Option<String> {
    let id = zone_key(ctx.before())?;
    remove(&mut snapshot.global.hosted_zones, |z| same_zone(&z.id, &id)).then_some(id)
}

fn zone_exists(ctx: &Ctx<'_, '_, '_>, snapshot: &Snapshot) -> Option<String> {
    let id = zone_key(ctx.before())?;
    snapshot
        .global
        .hosted_zones
        .iter()
        .find(|z| same_zone(&z.id, &id))
        .map(|z| z.id.clone())
}

/// `aws_route53_health_check`.
pub const HEALTH_CHECK: Mapping = Mapping {
    tf_type: "aws_route53_health_check",
    kind: "route53.health_check",
    source: "route53.health_checks",
    global: true,
    attrs: &[
        identity("id", "id"),
        value("type", "type"),
        link("fqdn", "fqdn", "aws_lb", "dns_name"),
        value("ip_address", "ip_address"),
        value("port", "port"),
        value("resource_path", "resource_path"),
        value("request_interval", "request_interval"),
        value("failure_threshold", "failure_threshold"),
        value("invert_healthcheck", "inverted"),
        value("disabled", "disabled"),
        value("regions", "regions"),
        value("child_healthchecks", "child_health_checks"),
        value("child_health_threshold", "health_threshold"),
        value("cloudwatch_alarm_name", "alarm_identifier.name"),
        value("cloudwatch_alarm_region", "alarm_identifier.region"),
        value(
            "insufficient_data_health_status",
            "insufficient_data_health_status",
        ),
        value("routing_control_arn", "routing_control_arn"),
    ],
    upsert: health_check_upsert,
    remove: health_check_remove,
    exists: health_check_exists,
};

fn health_check_upsert(
    ctx: &mut Ctx<'_, '_, '_>,
    snapshot: &mut Snapshot,
) -> Result<String, String> {
    let before = super::values::text(ctx.before(), "id");
    let id = ctx.text("id").ok_or("no id")?;
    let alarm = match (
        ctx.text("cloudwatch_alarm_name"),
        ctx.text("cloudwatch_alarm_region"),
    ) {
        (Some(name), Some(region)) => Some(AlarmIdentifier { region, name }),
        _ => None,
    };
    let check = HealthCheck {
        id: id.clone(),
        check_type: ctx.text("type").unwrap_or_default(),
        fqdn: ctx.text("fqdn").filter(|s| !s.is_empty()),
        ip_address: ctx.text("ip_address").filter(|s| !s.is_empty()),
        port: ctx.int("port"),
        resource_path: ctx.text("resource_path").filter(|s| !s.is_empty()),
        request_interval: ctx.int("request_interval"),
        failure_threshold: ctx.int("failure_threshold"),
        inverted: ctx.boolean("invert_healthcheck").unwrap_or(false),
        disabled: ctx.boolean("disabled").unwrap_or(false),
        status: None,
        health_threshold: ctx
            .int("child_health_threshold")
            .filter(|_| ctx.change.after.get("type").and_then(Value::as_str) == Some("CALCULATED")),
        child_health_checks: ctx.strings("child_healthchecks"),
        regions: ctx.strings("regions"),
        alarm_identifier: alarm,
        insufficient_data_health_status: ctx
            .text("insufficient_data_health_status")
            .filter(|s| !s.is_empty()),
        routing_control_arn: ctx.text("routing_control_arn").filter(|s| !s.is_empty()),
    };
    let find = before.unwrap_or_else(|| id.clone());
    let checks = &mut snapshot.global.health_checks;
    ctx.cache.borrow_mut().upsert(
        "health_checks",
        checks,
        |h| h.id.clone(),
        &find,
        |old| HealthCheck {
            // The plan does not know the checkers' verdict; the snapshot may.
            status: old.and_then(|o| o.status),
            ..check
        },
    );
    Ok(id)
}

fn health_check_remove(ctx: &mut Ctx<'_, '_, '_>, snapshot: &mut Snapshot) -> Option<String> {
    let id = super::values::text(ctx.before(), "id")?;
    let checks = &mut snapshot.global.health_checks;
    ctx.cache
        .borrow_mut()
        .remove("health_checks", checks, |h| h.id.clone(), &id)
        .then_some(id)
}

fn health_check_exists(ctx: &Ctx<'_, '_, '_>, snapshot: &Snapshot) -> Option<String> {
    let id = super::values::text(ctx.before(), "id")?;
    let checks = &snapshot.global.health_checks;
    ctx.cache
        .borrow_mut()
        .find("health_checks", checks, |h| h.id.clone(), &id)
        .map(|_| id)
}

/// `aws_route53_record`.
pub const RECORD: Mapping = Mapping {
    tf_type: "aws_route53_record",
    kind: "route53.record_set",
    source: "route53.hosted_zones",
    global: true,
    attrs: &[
        link("zone_id", "hosted zone", "aws_route53_zone", "zone_id"),
        value("name", "name"),
        value("type", "type"),
        value("set_identifier", "set_identifier"),
        value("failover_routing_policy.0.type", "failover"),
        value("ttl", "ttl"),
        value("records", "values"),
        link(
            "alias.0.name",
            "alias_target.dns_name",
            "aws_lb",
            "dns_name",
        ),
        link(
            "alias.0.zone_id",
            "alias_target.hosted_zone_id",
            "aws_lb",
            "zone_id",
        ),
        value(
            "alias.0.evaluate_target_health",
            "alias_target.evaluate_target_health",
        ),
        link(
            "health_check_id",
            "health_check_id",
            "aws_route53_health_check",
            "id",
        ),
    ],
    upsert: record_upsert,
    remove: record_remove,
    exists: record_exists,
};

/// A DNS name with its trailing dot, lower case.
fn dotted(name: &str) -> String {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with('.') || lower.is_empty() {
        lower
    } else {
        format!("{lower}.")
    }
}

/// (zone id, full name, type, set identifier) of record values.
fn record_key(
    snapshot: &Snapshot,
    values: &Value,
) -> Option<(String, String, String, Option<String>)> {
    let zone = super::values::text(values, "zone_id")?;
    let mut name = dotted(&super::values::text(values, "name")?);
    // A name relative to its zone (`api`) is completed with the zone's name.
    if let Some(z) = snapshot
        .global
        .hosted_zones
        .iter()
        .find(|z| same_zone(&z.id, &zone))
        .filter(|z| !name.ends_with(&z.name))
    {
        name = format!("{name}{}", z.name);
    }
    Some((
        zone,
        name,
        super::values::text(values, "type")?,
        super::values::text(values, "set_identifier").filter(|s| !s.is_empty()),
    ))
}

fn record_id(key: &(String, String, String, Option<String>)) -> String {
    let (zone, name, kind, set) = key;
    let zone = zone.trim_start_matches("/hostedzone/");
    match set {
        Some(set) => format!("{zone}/{name}/{kind}/{set}"),
        None => format!("{zone}/{name}/{kind}"),
    }
}

/// The cache key of a record: full name, type, set identifier.
fn record_cache_key(record: &RecordSet) -> String {
    format!(
        "{}|{}|{}",
        dotted(&record.name),
        record.record_type,
        record.set_identifier.as_deref().unwrap_or_default()
    )
}

fn cache_key(key: &(String, String, String, Option<String>)) -> String {
    format!(
        "{}|{}|{}",
        key.1,
        key.2,
        key.3.as_deref().unwrap_or_default()
    )
}

fn zone_index(snapshot: &Snapshot, zone_id: &str) -> Option<usize> {
    snapshot
        .global
        .hosted_zones
        .iter()
        .position(|z| same_zone(&z.id, zone_id))
}

/// Removes the record `key` names; true when it was there.
fn remove_record(
    ctx: &Ctx<'_, '_, '_>,
    snapshot: &mut Snapshot,
    key: &(String, String, String, Option<String>),
) -> bool {
    let Some(zone) =
        zone_index(snapshot, &key.0).and_then(|i| snapshot.global.hosted_zones.get_mut(i))
    else {
        return false;
    };
    let slot = format!("records:{}", zone.id);
    ctx.cache.borrow_mut().remove(
        &slot,
        &mut zone.record_sets,
        record_cache_key,
        &cache_key(key),
    )
}

fn record_upsert(ctx: &mut Ctx<'_, '_, '_>, snapshot: &mut Snapshot) -> Result<String, String> {
    let old = record_key(snapshot, ctx.before());
    let zone_id = ctx
        .text("zone_id")
        .ok_or("its hosted zone is known only after apply")?;
    let mut key_values = ctx.values().clone();
    if let Some(object) = key_values.as_object_mut() {
        object.insert("zone_id".into(), Value::String(zone_id.clone()));
    }
    let key = record_key(snapshot, &key_values).ok_or("no name or type")?;
    if let Some(old) = old.filter(|old| *old != key) {
        remove_record(ctx, snapshot, &old);
    }
    let alias = ctx.text("alias.0.name").map(|dns_name| AliasTarget {
        dns_name: dotted(&dns_name),
        hosted_zone_id: ctx.text("alias.0.zone_id").unwrap_or_default(),
        evaluate_target_health: ctx
            .boolean("alias.0.evaluate_target_health")
            .unwrap_or(false),
    });
    let record = RecordSet {
        name: key.1.clone(),
        record_type: key.2.clone(),
        set_identifier: key.3.clone(),
        failover: ctx.text("failover_routing_policy.0.type"),
        // Terraform writes 0 or null for an alias record.
        ttl: ctx.int("ttl").filter(|_| alias.is_none()),
        values: ctx.strings("records"),
        alias_target: alias,
        health_check_id: ctx.text("health_check_id").filter(|s| !s.is_empty()),
    };
    if zone_index(snapshot, &zone_id).is_none() {
        // A zone the snapshot does not hold (not read, or created elsewhere).
        let zone_name = key
            .1
            .split_once('.')
            .map(|(_, rest)| rest.to_string())
            .unwrap_or_default();
        snapshot.global.hosted_zones.push(HostedZone {
            id: zone_id.clone(),
            name: zone_name,
            private_zone: false,
            record_sets: Vec::new(),
        });
    }
    if let Some(zone) =
        zone_index(snapshot, &zone_id).and_then(|i| snapshot.global.hosted_zones.get_mut(i))
    {
        let slot = format!("records:{}", zone.id);
        ctx.cache.borrow_mut().upsert(
            &slot,
            &mut zone.record_sets,
            record_cache_key,
            &cache_key(&key),
            |_| record,
        );
    }
    Ok(record_id(&key))
}

fn record_remove(ctx: &mut Ctx<'_, '_, '_>, snapshot: &mut Snapshot) -> Option<String> {
    let key = record_key(snapshot, ctx.before())?;
    remove_record(ctx, snapshot, &key).then(|| record_id(&key))
}

fn record_exists(ctx: &Ctx<'_, '_, '_>, snapshot: &Snapshot) -> Option<String> {
    let key = record_key(snapshot, ctx.before())?;
    let zone = snapshot
        .global
        .hosted_zones
        .get(zone_index(snapshot, &key.0)?)?;
    let slot = format!("records:{}", zone.id);
    ctx.cache
        .borrow_mut()
        .find(&slot, &zone.record_sets, record_cache_key, &cache_key(&key))
        .map(|_| record_id(&key))
}
