//! Auto Scaling: groups, their launch templates and warm pools.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Snapshot, Tags};
use crate::snapshot::spec::{DataSource, Item, ResourceSpec, ServiceSpec, call, regional};

/// What drguard reads of this service, and the resource types it holds.
pub const SERVICE: ServiceSpec = ServiceSpec {
    name: "autoscaling",
    description: "Auto Scaling groups and warm pools",
    sources: &[DataSource {
        name: "autoscaling",
        description: "Auto Scaling groups and warm pools",
        scope: "each region",
        calls: &[call(
            "DescribeAutoScalingGroups",
            "autoscaling:DescribeAutoScalingGroups",
        )],
        notes: "it includes the warm pool configuration",
        fills: "`auto_scaling_groups`",
    }],
    sort,
    resources: &[ResourceSpec {
        kind: "autoscaling.group",
        location: "`regions.*.auto_scaling_groups[]`",
        id: "name",
        region: "its region",
        diff_fields: &[
            "name",
            "launch_template",
            "target_group_arns",
            "desired_capacity",
            "min_size",
            "max_size",
            "tags",
            "default_instance_warmup",
        ],
        items: groups_items,
    }],
};

/// The `autoscaling.group` items of a snapshot.
fn groups_items(snapshot: &Snapshot) -> Vec<Item<'_>> {
    let account = &snapshot.account_id;
    regional(snapshot, |r| &r.auto_scaling_groups)
        .map(|(region, group)| Item {
            region,
            id: group.name.clone(),
            arn: group.arn.clone().unwrap_or_else(|| {
                format!(
                    "arn:aws:autoscaling:{region}:{account}:autoScalingGroup:*:autoScalingGroupName/{}",
                    group.name
                )
            }),
            model: group,
            parent: None,
        })
        .collect()
}

/// Sorts the lists this service fills by their natural key.
fn sort(snapshot: &mut Snapshot) {
    for region in snapshot.regions.values_mut() {
        region
            .auto_scaling_groups
            .sort_by(|a, b| a.name.cmp(&b.name));
    }
}

/// An EC2 Auto Scaling group.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct AutoScalingGroup {
    /// Group name.
    pub name: String,
    /// Group ARN.
    #[serde(default)]
    pub arn: Option<String>,
    /// MinSize.
    pub min_size: i64,
    /// MaxSize.
    pub max_size: i64,
    /// DesiredCapacity.
    pub desired_capacity: i64,
    /// Availability Zones the group launches into.
    #[serde(default)]
    pub availability_zones: Vec<String>,
    /// The subnets it launches into (`VPCZoneIdentifier`, split at the
    /// commas); empty for a group placed by Availability Zone only.
    #[serde(default)]
    pub vpc_zone_identifier: Vec<String>,
    /// The launch template and the version the group asks for.
    #[serde(default)]
    pub launch_template: Option<LaunchTemplateRef>,
    /// Target groups the group registers instances with.
    #[serde(default)]
    pub target_group_arns: Vec<String>,
    /// `EC2` or `ELB`.
    #[serde(default)]
    pub health_check_type: Option<String>,
    /// Seconds before health checks count after launch.
    #[serde(default)]
    pub health_check_grace_period: Option<i64>,
    /// Default instance warmup in seconds, when enabled.
    #[serde(default)]
    pub default_instance_warmup: Option<i64>,
    /// The warm pool, when configured.
    #[serde(default)]
    pub warm_pool: Option<WarmPool>,
    /// Tags.
    #[serde(default)]
    pub tags: Tags,
}

/// The launch template an Auto Scaling group names.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct LaunchTemplateRef {
    /// Launch template id, when given by id.
    #[serde(default)]
    pub id: Option<String>,
    /// Launch template name, when given by name.
    #[serde(default)]
    pub name: Option<String>,
    /// `$Latest`, `$Default` or a version number; null means `$Default`.
    #[serde(default)]
    pub version: Option<String>,
}

/// An Auto Scaling warm pool.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct WarmPool {
    /// Instances kept in the pool at least.
    #[serde(default)]
    pub min_size: Option<i64>,
    /// Upper bound of prepared capacity, when set.
    #[serde(default)]
    pub max_group_prepared_capacity: Option<i64>,
    /// `Stopped`, `Running` or `Hibernated`.
    #[serde(default)]
    pub pool_state: Option<String>,
}
