//! Global Accelerator: accelerators, listeners, endpoint groups.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

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
