//! Route 53: hosted zones, record sets, health checks.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

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
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
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
    /// Seconds between checks from one checker (10 or 30).
    pub request_interval: i64,
    /// Consecutive failures before the endpoint is unhealthy (1–10).
    pub failure_threshold: i64,
    /// True when the check is inverted.
    #[serde(default)]
    pub inverted: bool,
    /// True when the check is disabled (Route 53 then treats it as healthy).
    #[serde(default)]
    pub disabled: bool,
    /// Last observed status (`Healthy`, `Unhealthy`), when read.
    #[serde(default)]
    pub status: Option<String>,
}
