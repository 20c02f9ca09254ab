//! Elastic Load Balancing v2: load balancers with their listeners and the
//! listeners' certificates, and target groups with the health of their
//! targets. A standby that answers on HTTP only, serves a certificate of
//! another region, or has no healthy target takes no traffic after a
//! failover, whatever Route 53 decides.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Snapshot;
use crate::snapshot::spec::{DataSource, Item, ResourceSpec, ServiceSpec, call, regional};

/// What drguard reads of this service, and the resource types it holds.
pub const SERVICE: ServiceSpec = ServiceSpec {
    name: "elbv2",
    description: "load balancers with their listeners, target groups with their targets' health",
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
        DataSource {
            name: "elbv2.listeners",
            description: "listeners of the load balancers, with their certificates",
            scope: "each region, with the load balancers",
            calls: &[
                call(
                    "DescribeListeners",
                    "elasticloadbalancing:DescribeListeners",
                ),
                call(
                    "DescribeListenerCertificates",
                    "elasticloadbalancing:DescribeListenerCertificates",
                ),
            ],
            notes: "`DescribeListeners` per load balancer listed (all pages), then `DescribeListenerCertificates` per HTTPS or TLS listener (all pages): the default certificate and the SNI ones",
            fills: "`load_balancers[].listeners`",
        },
        DataSource {
            name: "elbv2.target_health",
            description: "health of the targets registered in the target groups",
            scope: "each region, with the target groups",
            calls: &[call(
                "DescribeTargetHealth",
                "elasticloadbalancing:DescribeTargetHealth",
            )],
            notes: "once per target group listed, concurrently under the service's cap",
            fills: "`target_groups[].targets`",
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
        for lb in &mut region.load_balancers {
            lb.listeners
                .sort_by(|a, b| (a.port, &a.arn).cmp(&(b.port, &b.arn)));
            for listener in &mut lb.listeners {
                // The default certificate first, then the SNI ones by ARN.
                listener
                    .certificates
                    .sort_by(|a, b| (!a.is_default, &a.arn).cmp(&(!b.is_default, &b.arn)));
            }
        }
        region.target_groups.sort_by(|a, b| a.arn.cmp(&b.arn));
        for tg in &mut region.target_groups {
            tg.targets
                .sort_by(|a, b| (&a.id, a.port).cmp(&(&b.id, b.port)));
        }
    }
}

/// An Elastic Load Balancing v2 load balancer.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
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
    /// Its listeners (data source `elbv2.listeners`), by port: what the load
    /// balancer answers on, so rules can tell whether the standby serves
    /// HTTPS with a certificate of its own region. Empty in snapshots that do
    /// not carry `elbv2.listeners`.
    #[serde(default)]
    pub listeners: Vec<Listener>,
}

/// A listener of a load balancer: a port and protocol it accepts
/// connections on.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Listener {
    /// Listener ARN.
    pub arn: String,
    /// The port it listens on.
    #[serde(default)]
    pub port: Option<i64>,
    /// `HTTP`, `HTTPS`, `TCP`, `TLS`, `UDP`, `TCP_UDP`, `GENEVE`…: only
    /// `HTTPS` and `TLS` terminate TLS with a certificate.
    #[serde(default)]
    pub protocol: Option<String>,
    /// The security policy of an `HTTPS` or `TLS` listener
    /// (`ELBSecurityPolicy-TLS13-1-2-2021-06`…), null otherwise.
    #[serde(default)]
    pub ssl_policy: Option<String>,
    /// The certificates of an `HTTPS` or `TLS` listener, the default first,
    /// then the SNI ones (`DescribeListenerCertificates`; a certificate AWS
    /// lists both as default and in the SNI list appears once, as default).
    /// ACM certificates are regional: the ARN's region says which region's
    /// certificate the listener serves.
    #[serde(default)]
    pub certificates: Vec<ListenerCertificate>,
}

/// A certificate a listener serves.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ListenerCertificate {
    /// Certificate ARN (ACM or IAM): joins with `certificates[].arn` of the
    /// region for an ACM certificate's names, status and expiry.
    pub arn: String,
    /// True for the listener's default certificate, the one served to
    /// clients that send no SNI name or a name no other certificate covers.
    #[serde(default)]
    pub is_default: bool,
}

/// An ELBv2 target group.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
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
    /// Its registered targets with their health as the load balancer sees
    /// it now (data source `elbv2.target_health`), by id: a standby whose
    /// targets are not `healthy` serves errors after a failover. Empty in
    /// snapshots that do not carry `elbv2.target_health`.
    #[serde(default)]
    pub targets: Vec<TargetHealth>,
}

/// One registered target and its health (`DescribeTargetHealth`).
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct TargetHealth {
    /// Target id: an instance id (`i-…`), an IP address, a Lambda function
    /// ARN or an ALB ARN, by the group's target type.
    pub id: String,
    /// The port the target receives traffic on.
    #[serde(default)]
    pub port: Option<i64>,
    /// The target's Availability Zone when AWS reports it (`all` for an IP
    /// target outside the VPC), null otherwise.
    #[serde(default)]
    pub availability_zone: Option<String>,
    /// `healthy`, `unhealthy`, `initial`, `draining`, `unused`,
    /// `unavailable`…: only `healthy` targets take traffic.
    #[serde(default)]
    pub state: Option<String>,
    /// Why a target is not healthy (`Target.FailedHealthChecks`,
    /// `Target.NotInUse`, `Elb.RegistrationInProgress`…), null when healthy.
    #[serde(default)]
    pub reason: Option<String>,
}
