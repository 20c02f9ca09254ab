//! Elastic Load Balancing v2: load balancers and target groups.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Snapshot;
use crate::snapshot::spec::{DataSource, Item, ResourceSpec, ServiceSpec, call, regional};

/// What drguard reads of this service, and the resource types it holds.
pub const SERVICE: ServiceSpec = ServiceSpec {
    name: "elbv2",
    description: "load balancers and target groups",
    sources: &[
        DataSource {
            name: "elbv2.load_balancers",
            description: "load balancers",
            scope: "each region",
            calls: &[call(
                "DescribeLoadBalancers",
                "elasticloadbalancing:DescribeLoadBalancers",
            )],
            notes: "",
            fills: "`load_balancers`",
        },
        DataSource {
            name: "elbv2.target_groups",
            description: "target groups",
            scope: "each region",
            calls: &[call(
                "DescribeTargetGroups",
                "elasticloadbalancing:DescribeTargetGroups",
            )],
            notes: "",
            fills: "`target_groups`",
        },
    ],
    sort,
    resources: &[
        ResourceSpec {
            kind: "elbv2.load_balancer",
            location: "`regions.*.load_balancers[]`",
            id: "name",
            region: "its region",
            diff_fields: &["arn", "dns_name"],
            items: load_balancers_items,
        },
        ResourceSpec {
            kind: "elbv2.target_group",
            location: "`regions.*.target_groups[]`",
            id: "name",
            region: "its region",
            diff_fields: &[
                "arn",
                "load_balancer_arns",
                "health_check_interval_seconds",
                "health_check_timeout_seconds",
                "unhealthy_threshold_count",
            ],
            items: target_groups_items,
        },
    ],
};

/// The `elbv2.load_balancer` items of a snapshot.
fn load_balancers_items(snapshot: &Snapshot) -> Vec<Item<'_>> {
    regional(snapshot, |r| &r.load_balancers)
        .map(|(region, lb)| Item {
            region,
            id: lb.name.clone(),
            arn: lb.arn.clone(),
            model: lb,
            parent: None,
        })
        .collect()
}

/// The `elbv2.target_group` items of a snapshot.
fn target_groups_items(snapshot: &Snapshot) -> Vec<Item<'_>> {
    regional(snapshot, |r| &r.target_groups)
        .map(|(region, tg)| Item {
            region,
            id: tg.name.clone(),
            arn: tg.arn.clone(),
            model: tg,
            parent: None,
        })
        .collect()
}

/// Sorts the lists this service fills by their natural key.
fn sort(snapshot: &mut Snapshot) {
    for region in snapshot.regions.values_mut() {
        region.load_balancers.sort_by(|a, b| a.arn.cmp(&b.arn));
        region.target_groups.sort_by(|a, b| a.arn.cmp(&b.arn));
    }
}

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
