//! Global Accelerator: accelerators, listeners, endpoint groups.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Snapshot;
use crate::snapshot::spec::{DataSource, Item, ResourceSpec, ServiceSpec, call};

/// What drguard reads of this service, and the resource types it holds.
pub const SERVICE: ServiceSpec = ServiceSpec {
    name: "globalaccelerator",
    description: "Global Accelerator accelerators, listeners and endpoint groups",
    sources: &[DataSource {
        name: "globalaccelerator",
        description: "Global Accelerator accelerators, listeners and endpoint groups",
        scope: "us-west-2 (the API lives there)",
        calls: &[
            call("ListAccelerators", "globalaccelerator:ListAccelerators"),
            call("ListListeners", "globalaccelerator:ListListeners"),
            call("ListEndpointGroups", "globalaccelerator:ListEndpointGroups"),
        ],
        notes: "`ListListeners` per accelerator, `ListEndpointGroups` per listener",
        fills: "`global.accelerators`",
    }],
    sort,
    resources: &[ResourceSpec {
        kind: "globalaccelerator.accelerator",
        location: "`global.accelerators[]`",
        id: "name",
        region: "`global`",
        diff_fields: &["arn", "dns_name", "ip_addresses", "listeners"],
        items: accelerators_items,
    }],
};

/// The `globalaccelerator.accelerator` items of a snapshot.
fn accelerators_items(snapshot: &Snapshot) -> Vec<Item<'_>> {
    snapshot
        .global
        .accelerators
        .iter()
        .map(|ga| Item {
            region: "global",
            id: ga.name.clone(),
            arn: ga.arn.clone(),
            model: ga,
            parent: None,
        })
        .collect()
}

/// Sorts the lists this service fills by their natural key.
fn sort(snapshot: &mut Snapshot) {
    snapshot
        .global
        .accelerators
        .sort_by(|a, b| a.arn.cmp(&b.arn));
}

/// A Global Accelerator accelerator.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Accelerator {
    /// Accelerator ARN.
    pub arn: String,
    /// Name.
    pub name: String,
    /// Whether it is enabled.
    pub enabled: bool,
    /// Its DNS name.
    #[serde(default)]
    pub dns_name: Option<String>,
    /// Static IP addresses.
    #[serde(default)]
    pub ip_addresses: Vec<String>,
    /// Listeners with their endpoint groups.
    #[serde(default)]
    pub listeners: Vec<AcceleratorListener>,
}

/// A Global Accelerator listener.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct AcceleratorListener {
    /// Listener ARN.
    pub arn: String,
    /// `TCP` or `UDP`.
    pub protocol: String,
    /// Endpoint groups, one per region.
    #[serde(default)]
    pub endpoint_groups: Vec<EndpointGroup>,
}

/// A Global Accelerator endpoint group.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct EndpointGroup {
    /// Endpoint group ARN.
    pub arn: String,
    /// The region the group serves.
    pub region: String,
    /// Health-check protocol (`HTTP`, `HTTPS`, `TCP`).
    #[serde(default)]
    pub health_check_protocol: Option<String>,
    /// Health-check path.
    #[serde(default)]
    pub health_check_path: Option<String>,
    /// Seconds between checks (10 or 30).
    #[serde(default)]
    pub health_check_interval_seconds: Option<i64>,
    /// Consecutive checks to change state.
    #[serde(default)]
    pub threshold_count: Option<i64>,
    /// Traffic dial in percent.
    #[serde(default)]
    pub traffic_dial_percentage: Option<f64>,
    /// Endpoints (load balancer ARNs, EIPs, instances).
    #[serde(default)]
    pub endpoints: Vec<AcceleratorEndpoint>,
}

/// One endpoint of an endpoint group.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct AcceleratorEndpoint {
    /// Endpoint id: a load balancer ARN, an EIP allocation or an instance id.
    pub endpoint_id: String,
    /// Weight 0–255.
    #[serde(default)]
    pub weight: Option<i64>,
    /// `HEALTHY`, `UNHEALTHY`, `INITIAL`…
    #[serde(default)]
    pub health_state: Option<String>,
}
