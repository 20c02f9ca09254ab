//! Elastic Load Balancing v2: load balancers and target groups.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// An Elastic Load Balancing v2 load balancer.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct LoadBalancer {
    /// Load balancer ARN.
    pub arn: String,
    /// Name.
    pub name: String,
    /// `application`, `network` or `gateway`.
    #[serde(rename = "type")]
    pub lb_type: String,
    /// `internet-facing` or `internal`.
    #[serde(default)]
    pub scheme: Option<String>,
    /// Public DNS name.
    pub dns_name: String,
    /// Hosted zone id to use in alias records.
    #[serde(default)]
    pub canonical_hosted_zone_id: Option<String>,
    /// Availability Zones the load balancer is enabled in.
    #[serde(default)]
    pub availability_zones: Vec<String>,
    /// `active`, `provisioning`, `failed`…
    #[serde(default)]
    pub state: Option<String>,
}

/// An ELBv2 target group.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct TargetGroup {
    /// Target group ARN.
    pub arn: String,
    /// Name.
    pub name: String,
    /// Load balancers that route to it.
    #[serde(default)]
    pub load_balancer_arns: Vec<String>,
    /// Health-check path.
    #[serde(default)]
    pub health_check_path: Option<String>,
    /// Seconds between target health checks.
    #[serde(default)]
    pub health_check_interval_seconds: Option<i64>,
    /// Seconds before a check times out.
    #[serde(default)]
    pub health_check_timeout_seconds: Option<i64>,
    /// Passing checks before a target is healthy.
    #[serde(default)]
    pub healthy_threshold_count: Option<i64>,
    /// Failing checks before a target is unhealthy.
    #[serde(default)]
    pub unhealthy_threshold_count: Option<i64>,
}
