//! Route 53: hosted zones, record sets, health checks.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Snapshot;
use crate::snapshot::spec::{DataSource, Item, ResourceSpec, ServiceSpec, call};

/// What drguard reads of this service, and the resource types it holds.
pub const SERVICE: ServiceSpec = ServiceSpec {
    name: "route53",
    description: "Route 53 hosted zones, record sets and health checks",
    sources: &[
        DataSource {
            name: "route53.hosted_zones",
            description: "Route 53 hosted zones and their record sets",
            scope: "global",
            calls: &[
                call("ListHostedZones", "route53:ListHostedZones"),
                call("ListResourceRecordSets", "route53:ListResourceRecordSets"),
            ],
            notes: "`ListResourceRecordSets` per zone that holds `app.domain` (every zone when no domain is set)",
            fills: "`global.hosted_zones`",
        },
        DataSource {
            name: "route53.health_checks",
            description: "Route 53 health checks and their status",
            scope: "global",
            calls: &[
                call("ListHealthChecks", "route53:ListHealthChecks"),
                call("GetHealthCheckStatus", "route53:GetHealthCheckStatus"),
            ],
            notes: "`ListHealthChecks` at the same time as the hosted-zone listing, then `GetHealthCheckStatus` for each health check that a record named `app.domain` uses (every record's, when no domain is set): each is a request under the 5-per-second limit",
            fills: "`global.health_checks`",
        },
    ],
    sort,
    resources: &[
        ResourceSpec {
            kind: "route53.health_check",
            location: "`global.health_checks[]`",
            id: "health check id",
            region: "`global`",
            diff_fields: &["id"],
            items: health_checks_items,
        },
        ResourceSpec {
            kind: "route53.record_set",
            location: "record set of `global.hosted_zones[]`",
            id: "`<zone id>/<name>/<type>[/<set identifier>]`",
            region: "`global`",
            diff_fields: &[
                "name",
                "type",
                "set_identifier",
                "failover",
                "ttl",
                "values",
                "alias_target",
                "health_check_id",
            ],
            items: record_sets_items,
        },
    ],
};

/// The `route53.health_check` items of a snapshot.
fn health_checks_items(snapshot: &Snapshot) -> Vec<Item<'_>> {
    snapshot
        .global
        .health_checks
        .iter()
        .map(|hc| Item {
            region: "global",
            id: hc.id.clone(),
            arn: format!("arn:aws:route53:::healthcheck/{}", hc.id),
            model: hc,
            parent: None,
        })
        .collect()
}

/// The `route53.record_set` items of a snapshot.
fn record_sets_items(snapshot: &Snapshot) -> Vec<Item<'_>> {
    let mut out = Vec::new();
    for zone in &snapshot.global.hosted_zones {
        for record in &zone.record_sets {
            let id = format!(
                "{}/{}/{}{}",
                zone.id,
                record.name,
                record.record_type,
                record
                    .set_identifier
                    .as_deref()
                    .map(|s| format!("/{s}"))
                    .unwrap_or_default()
            );
            out.push(Item {
                region: "global",
                arn: format!("arn:aws:route53:::hostedzone/{id}"),
                id,
                model: record,
                parent: Some(zone),
            });
        }
    }
    out
}

/// Sorts the lists this service fills by their natural key.
fn sort(snapshot: &mut Snapshot) {
    snapshot.global.hosted_zones.sort_by(|a, b| a.id.cmp(&b.id));
    snapshot
        .global
        .health_checks
        .sort_by(|a, b| a.id.cmp(&b.id));
}

/// A Route 53 hosted zone.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct HostedZone {
    /// Zone id without the `/hostedzone/` prefix.
    pub id: String,
    /// Zone name, e.g. `yourstore.com.`.
    pub name: String,
    /// True for a private zone.
    #[serde(default)]
    pub private_zone: bool,
    /// Every record set of the zone (all pages).
    #[serde(default)]
    pub record_sets: Vec<RecordSet>,
}

/// A Route 53 resource record set.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RecordSet {
    /// Fully qualified name as Route 53 returns it (trailing dot).
    pub name: String,
    /// Record type: `A`, `AAAA`, `CNAME`…
    #[serde(rename = "type")]
    pub record_type: String,
    /// Set identifier of a routing-policy record.
    #[serde(default)]
    pub set_identifier: Option<String>,
    /// `PRIMARY` or `SECONDARY` for failover records.
    #[serde(default)]
    pub failover: Option<String>,
    /// TTL in seconds; null for alias records.
    #[serde(default)]
    pub ttl: Option<i64>,
    /// Values of a non-alias record.
    #[serde(default)]
    pub values: Vec<String>,
    /// Alias target, when the record is an alias.
    #[serde(default)]
    pub alias_target: Option<AliasTarget>,
    /// Id of the health check attached to the record.
    #[serde(default)]
    pub health_check_id: Option<String>,
}

/// Target of an alias record.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct AliasTarget {
    /// DNS name of the target (e.g. an ALB's DNS name).
    pub dns_name: String,
    /// Hosted zone id of the target.
    pub hosted_zone_id: String,
    /// Whether Route 53 evaluates the target's health.
    pub evaluate_target_health: bool,
}

/// A Route 53 health check.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct HealthCheck {
    /// Health check id.
    pub id: String,
    /// `HTTP`, `HTTPS`, `HTTP_STR_MATCH`, `HTTPS_STR_MATCH`, `TCP`, `CALCULATED`…
    #[serde(rename = "type")]
    pub check_type: String,
    /// Domain name probed, if any.
    #[serde(default)]
    pub fqdn: Option<String>,
    /// IP address probed, if any.
    #[serde(default)]
    pub ip_address: Option<String>,
    /// Port probed.
    #[serde(default)]
    pub port: Option<i64>,
    /// Path requested by HTTP(S) checks.
    #[serde(default)]
    pub resource_path: Option<String>,
    /// Seconds between checks from one checker (10 or 30). Null for checks
    /// that do not poll (`CALCULATED`, `CLOUDWATCH_METRIC`,
    /// `RECOVERY_CONTROL`): AWS returns none, and none is invented.
    #[serde(default)]
    pub request_interval: Option<i64>,
    /// Consecutive failures before the endpoint is unhealthy (1–10). Null
    /// for checks that do not poll.
    #[serde(default)]
    pub failure_threshold: Option<i64>,
    /// True when the check is inverted.
    #[serde(default)]
    pub inverted: bool,
    /// True when the check is disabled (Route 53 then treats it as healthy).
    #[serde(default)]
    pub disabled: bool,
    /// Last observed status (`Healthy`, `Unhealthy`), when read.
    #[serde(default)]
    pub status: Option<String>,
    /// `CALCULATED`: how many children must be healthy for the check to be
    /// healthy (0 makes it always healthy).
    #[serde(default)]
    pub health_threshold: Option<i64>,
    /// `CALCULATED`: the ids of the checks it aggregates.
    #[serde(default)]
    pub child_health_checks: Vec<String>,
    /// The checker regions; empty means Route 53's default set (all of them).
    #[serde(default)]
    pub regions: Vec<String>,
    /// `CLOUDWATCH_METRIC`: the alarm whose state decides the health.
    #[serde(default)]
    pub alarm_identifier: Option<AlarmIdentifier>,
    /// `CLOUDWATCH_METRIC`: the status while the alarm has insufficient data
    /// (`Healthy`, `Unhealthy`, `LastKnownStatus`).
    #[serde(default)]
    pub insufficient_data_health_status: Option<String>,
    /// `RECOVERY_CONTROL`: the ARC routing control that sets the health.
    #[serde(default)]
    pub routing_control_arn: Option<String>,
}

/// The CloudWatch alarm behind a `CLOUDWATCH_METRIC` health check.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct AlarmIdentifier {
    /// The alarm's region: the failover trigger dies with it.
    pub region: String,
    /// The alarm's name.
    pub name: String,
}
