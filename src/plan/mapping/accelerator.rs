//! Global Accelerator (global: its API is served from us-west-2 and its
//! resources have no region): accelerators, their listeners, and the
//! endpoint groups that say which regions take traffic.

use serde_json::Value;

use super::{Ctx, Mapping, identity, link, not_placed, remove, upsert, value};
use crate::plan::values;
use crate::snapshot::Snapshot;
use crate::snapshot::model::{
    Accelerator, AcceleratorEndpoint, AcceleratorListener, EndpointGroup,
};

/// `aws_globalaccelerator_accelerator`.
pub const ACCELERATOR: Mapping = Mapping {
    tf_type: "aws_globalaccelerator_accelerator",
    kind: "globalaccelerator.accelerator",
    source: "globalaccelerator",
    global: true,
    attrs: &[
        identity("id", "arn"),
        value("name", "name"),
        value("enabled", "enabled"),
        identity("dns_name", "dns_name"),
        identity("ip_sets", "ip_addresses"),
    ],
    upsert: |ctx, snapshot| {
        let before = values::text(ctx.before(), "id");
        let arn = ctx.text("id").ok_or("no id")?;
        let name = ctx.text("name").unwrap_or_else(|| arn.clone());
        // A disabled accelerator routes nothing; Terraform's default is enabled.
        let enabled = ctx.boolean("enabled").unwrap_or(true);
        let dns_name = ctx.text("dns_name").filter(|s| !s.is_empty());
        let ips: Vec<String> = values::at(ctx.values(), "ip_sets")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .flat_map(|set| values::strings(set, "ip_addresses"))
            .collect();
        let find = before.unwrap_or_else(|| arn.clone());
        upsert(
            &mut snapshot.global.accelerators,
            |a| a.arn == find,
            |old| {
                let (old_dns, old_ips, listeners) = match old {
                    Some(old) => (old.dns_name, old.ip_addresses, old.listeners),
                    None => (None, Vec::new(), Vec::new()),
                };
                Accelerator {
                    arn: arn.clone(),
                    name: name.clone(),
                    enabled,
                    dns_name: dns_name.or(old_dns),
                    ip_addresses: if ips.is_empty() { old_ips } else { ips },
                    // Listeners are resources of their own.
                    listeners,
                }
            },
        );
        Ok(name)
    },
    remove: |ctx, snapshot| {
        let arn = values::text(ctx.before(), "id")?;
        let at = snapshot
            .global
            .accelerators
            .iter()
            .position(|a| a.arn == arn)?;
        Some(snapshot.global.accelerators.remove(at).name)
    },
    exists: |ctx, snapshot| {
        let arn = values::text(ctx.before(), "id")?;
        snapshot
            .global
            .accelerators
            .iter()
            .find(|a| a.arn == arn)
            .map(|a| a.name.clone())
    },
};

/// `aws_globalaccelerator_listener`.
pub const LISTENER: Mapping = Mapping {
    tf_type: "aws_globalaccelerator_listener",
    kind: "globalaccelerator.accelerator",
    source: "globalaccelerator",
    global: true,
    attrs: &[
        identity("id", "listeners[].arn"),
        link(
            "accelerator_arn",
            "the accelerator's listeners",
            "aws_globalaccelerator_accelerator",
            "id",
        ),
        value("protocol", "listeners[].protocol"),
    ],
    upsert: |ctx, snapshot| {
        let before = values::text(ctx.before(), "id");
        let arn = ctx.text("id").ok_or("no id")?;
        let accelerator = ctx
            .text("accelerator_arn")
            .ok_or("its accelerator is known only after apply")?;
        let protocol = ctx.text("protocol").unwrap_or_default();
        let old = before.unwrap_or_else(|| arn.clone());
        let mut groups = Vec::new();
        for a in &mut snapshot.global.accelerators {
            if let Some(at) = a.listeners.iter().position(|l| l.arn == old) {
                groups = a.listeners.remove(at).endpoint_groups;
            }
        }
        let found = snapshot
            .global
            .accelerators
            .iter_mut()
            .find(|a| a.arn == accelerator)
            .ok_or_else(|| not_placed("accelerator", &accelerator))?;
        found.listeners.push(AcceleratorListener {
            arn,
            protocol,
            endpoint_groups: groups,
        });
        Ok(found.name.clone())
    },
    remove: |ctx, snapshot| {
        let arn = values::text(ctx.before(), "id")?;
        snapshot
            .global
            .accelerators
            .iter_mut()
            .find_map(|a| remove(&mut a.listeners, |l| l.arn == arn).then(|| a.name.clone()))
    },
    exists: |ctx, snapshot| {
        let arn = values::text(ctx.before(), "id")?;
        snapshot
            .global
            .accelerators
            .iter()
            .find(|a| a.listeners.iter().any(|l| l.arn == arn))
            .map(|a| a.name.clone())
    },
};

/// `aws_globalaccelerator_endpoint_group`: the region it serves is
/// `endpoint_group_region`, not a provider's.
pub const ENDPOINT_GROUP: Mapping = Mapping {
    tf_type: "aws_globalaccelerator_endpoint_group",
    kind: "globalaccelerator.accelerator",
    source: "globalaccelerator",
    global: true,
    attrs: &[
        identity("id", "endpoint_groups[].arn"),
        link(
            "listener_arn",
            "the listener's endpoint groups",
            "aws_globalaccelerator_listener",
            "id",
        ),
        value("endpoint_group_region", "endpoint_groups[].region"),
        value(
            "health_check_protocol",
            "endpoint_groups[].health_check_protocol",
        ),
        value("health_check_path", "endpoint_groups[].health_check_path"),
        value(
            "health_check_interval_seconds",
            "endpoint_groups[].health_check_interval_seconds",
        ),
        value("threshold_count", "endpoint_groups[].threshold_count"),
        value(
            "traffic_dial_percentage",
            "endpoint_groups[].traffic_dial_percentage",
        ),
        link(
            "endpoint_configuration.0.endpoint_id",
            "endpoint_groups[].endpoints[] (each block; health as collected)",
            "aws_lb",
            "arn",
        ),
    ],
    upsert: group_upsert,
    remove: |ctx, snapshot| {
        let arn = values::text(ctx.before(), "id")?;
        drop_group(snapshot, &arn)
    },
    exists: |ctx, snapshot| {
        let arn = values::text(ctx.before(), "id")?;
        snapshot
            .global
            .accelerators
            .iter()
            .find(|a| {
                a.listeners
                    .iter()
                    .any(|l| l.endpoint_groups.iter().any(|g| g.arn == arn))
            })
            .map(|a| a.name.clone())
    },
};

fn group_upsert(ctx: &mut Ctx<'_, '_, '_>, snapshot: &mut Snapshot) -> Result<String, String> {
    let before = values::text(ctx.before(), "id");
    let arn = ctx.text("id").ok_or("no id")?;
    let listener = ctx
        .text("listener_arn")
        .ok_or("its listener is known only after apply")?;
    let region = ctx
        .text("endpoint_group_region")
        .filter(|s| !s.is_empty())
        .ok_or("no endpoint_group_region")?;
    // Endpoint health is measured, not planned: an endpoint keeps what was collected.
    let old_arn = before.unwrap_or_else(|| arn.clone());
    let old_health: Vec<(String, Option<String>)> = snapshot
        .global
        .accelerators
        .iter()
        .flat_map(|a| a.listeners.iter())
        .flat_map(|l| l.endpoint_groups.iter())
        .filter(|g| g.arn == old_arn)
        .flat_map(|g| g.endpoints.iter())
        .map(|e| (e.endpoint_id.clone(), e.health_state.clone()))
        .collect();
    let blocks = values::at(ctx.values(), "endpoint_configuration")
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    let mut endpoints = Vec::new();
    for i in 0..blocks {
        let path = format!("endpoint_configuration.{i}.endpoint_id");
        let id = if values::unknown(&ctx.change.after_unknown, &path) {
            // A load balancer created by the same plan: its placeholder ARN.
            let address = ctx.change.address.clone();
            let found = ctx.resolve_at(&address, &path, "aws_lb", "arn");
            let first = found
                .into_iter()
                .find_map(|v| v.as_str().map(str::to_string));
            if first.is_none() {
                ctx.note_unknown(&path);
            }
            first
        } else {
            values::text(ctx.values(), &path)
        };
        let Some(endpoint_id) = id.filter(|s| !s.is_empty()) else {
            continue;
        };
        let health_state = old_health
            .iter()
            .find(|(id, _)| id == &endpoint_id)
            .and_then(|(_, state)| state.clone());
        endpoints.push(AcceleratorEndpoint {
            weight: ctx.int(&format!("endpoint_configuration.{i}.weight")),
            endpoint_id,
            health_state,
        });
    }
    let group = EndpointGroup {
        arn: arn.clone(),
        region,
        health_check_protocol: ctx.text("health_check_protocol").filter(|s| !s.is_empty()),
        health_check_path: ctx.text("health_check_path").filter(|s| !s.is_empty()),
        health_check_interval_seconds: ctx.int("health_check_interval_seconds"),
        threshold_count: ctx.int("threshold_count"),
        traffic_dial_percentage: ctx.get("traffic_dial_percentage").as_f64().or(Some(100.0)),
        endpoints,
    };
    drop_group(snapshot, &old_arn);
    let (name, found) = snapshot
        .global
        .accelerators
        .iter_mut()
        .find_map(|a| {
            let name = a.name.clone();
            a.listeners
                .iter_mut()
                .find(|l| l.arn == listener)
                .map(|l| (name, l))
        })
        .ok_or_else(|| not_placed("listener", &listener))?;
    found.endpoint_groups.push(group);
    Ok(name)
}

/// Removes an endpoint group; the accelerator's name when found.
fn drop_group(snapshot: &mut Snapshot, arn: &str) -> Option<String> {
    snapshot.global.accelerators.iter_mut().find_map(|a| {
        let name = a.name.clone();
        a.listeners
            .iter_mut()
            .any(|l| remove(&mut l.endpoint_groups, |g| g.arn == arn))
            .then_some(name)
    })
}
