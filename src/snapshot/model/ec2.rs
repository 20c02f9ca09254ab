//! EC2: launch templates and AMIs; the instance types, security groups and
//! subnets the launch templates and groups name.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Snapshot, Tags};
use crate::snapshot::spec::{DataSource, Item, ResourceSpec, ServiceSpec, call, regional};

/// What drguard reads of this service, and the resource types it holds.
pub const SERVICE: ServiceSpec = ServiceSpec {
    name: "ec2",
    description: "launch templates, AMIs, and the instance types, security groups and subnets they name",
    sources: &[
        DataSource {
            name: "ec2.launch_templates",
            description: "launch template versions the groups use",
            scope: "each region, after its `autoscaling`",
            calls: &[call(
                "DescribeLaunchTemplateVersions",
                "ec2:DescribeLaunchTemplateVersions",
            )],
            notes: "per template a group names, for that group's version plus `$Latest` and `$Default`; from 3 templates in a region, one account-wide `$Latest`/`$Default` listing (200 a page) instead, and a call per template only for a numbered version that is neither",
            fills: "`launch_templates`",
        },
        DataSource {
            name: "ec2.images",
            description: "AMIs owned by the account",
            scope: "each region",
            calls: &[call("DescribeImages", "ec2:DescribeImages")],
            notes: "with `Owners=self`",
            fills: "`images`",
        },
        DataSource {
            name: "ec2.instance_types",
            description: "vCPUs and memory of the instance types the launch templates launch",
            scope: "each region, after its `ec2.launch_templates`",
            calls: &[call("DescribeInstanceTypes", "ec2:DescribeInstanceTypes")],
            notes: "with an `instance-type` filter of the types the collected launch template versions name (a type the region does not offer is left out, not an error); all pages",
            fills: "`instance_types`",
        },
        DataSource {
            name: "ec2.network",
            description: "the security groups and subnets the launch templates and groups name",
            scope: "each region, after its `ec2.launch_templates` and `autoscaling`",
            calls: &[
                call("DescribeSecurityGroups", "ec2:DescribeSecurityGroups"),
                call("DescribeSubnets", "ec2:DescribeSubnets"),
            ],
            notes: "with a `group-id` / `subnet-id` filter of the ids the collected launch template versions and the groups' `VPCZoneIdentifier` name (up to 200 a call), so an id that does not exist in the region is left out instead of failing the call (`InvalidGroup.NotFound`); all pages",
            fills: "`security_groups`, `subnets`",
        },
    ],
    sort,
    resources: &[
        ResourceSpec {
            kind: "ec2.launch_template",
            location: "`regions.*.launch_templates[]`",
            id: "id",
            region: "its region",
            diff_fields: &[
                "id",
                "name",
                "default_version",
                "latest_version",
                "versions",
            ],
            items: launch_templates_items,
        },
        ResourceSpec {
            kind: "ec2.image",
            location: "`regions.*.images[]`",
            id: "AMI id",
            region: "its region",
            diff_fields: &[
                "id",
                "name",
                "description",
                "state",
                "source_image_id",
                "tags",
            ],
            items: images_items,
        },
    ],
};

/// The `ec2.launch_template` items of a snapshot.
fn launch_templates_items(snapshot: &Snapshot) -> Vec<Item<'_>> {
    let account = &snapshot.account_id;
    regional(snapshot, |r| &r.launch_templates)
        .map(|(region, template)| Item {
            region,
            id: template.id.clone(),
            arn: format!(
                "arn:aws:ec2:{region}:{account}:launch-template/{}",
                template.id
            ),
            model: template,
            parent: None,
        })
        .collect()
}

/// The `ec2.image` items of a snapshot.
fn images_items(snapshot: &Snapshot) -> Vec<Item<'_>> {
    regional(snapshot, |r| &r.images)
        .map(|(region, image)| Item {
            region,
            id: image.id.clone(),
            arn: format!("arn:aws:ec2:{region}::image/{}", image.id),
            model: image,
            parent: None,
        })
        .collect()
}

/// Sorts the lists this service fills by their natural key.
fn sort(snapshot: &mut Snapshot) {
    for region in snapshot.regions.values_mut() {
        region.launch_templates.sort_by(|a, b| a.id.cmp(&b.id));
        region.images.sort_by(|a, b| a.id.cmp(&b.id));
        region
            .instance_types
            .sort_by(|a, b| a.instance_type.cmp(&b.instance_type));
        region.security_groups.sort_by(|a, b| a.id.cmp(&b.id));
        region.subnets.sort_by(|a, b| a.id.cmp(&b.id));
    }
}

/// An EC2 launch template with the versions collected.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct LaunchTemplate {
    /// Launch template id.
    pub id: String,
    /// Name.
    pub name: String,
    /// The `$Default` version number.
    pub default_version: i64,
    /// The `$Latest` version number.
    pub latest_version: i64,
    /// Versions collected (at least those the groups use).
    #[serde(default)]
    pub versions: Vec<LaunchTemplateVersion>,
}

/// One launch template version.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct LaunchTemplateVersion {
    /// Version number.
    pub version_number: i64,
    /// AMI id it launches.
    #[serde(default)]
    pub image_id: Option<String>,
    /// Instance type it launches.
    #[serde(default)]
    pub instance_type: Option<String>,
    /// Security group ids its instances get: `SecurityGroupIds` and the
    /// `Groups` of its `NetworkInterfaces`, each once, in that order. Ids are
    /// regional: a DR template naming a primary-region group cannot launch.
    #[serde(default)]
    pub security_group_ids: Vec<String>,
    /// Subnet ids its `NetworkInterfaces` name (usually none: the group's
    /// `vpc_zone_identifier` places instances), each once.
    #[serde(default)]
    pub subnet_ids: Vec<String>,
    /// The instance profile its instances get: its ARN when the template
    /// names it by ARN, else its name; null without one.
    #[serde(default)]
    pub iam_instance_profile: Option<String>,
    /// The KMS keys (id, ARN or alias, as written) that encrypt its EBS
    /// volumes (`BlockDeviceMappings[].Ebs.KmsKeyId`), each once: a key
    /// lives in one region, so the DR template needs DR keys.
    #[serde(default)]
    pub block_device_kms_key_ids: Vec<String>,
}

/// An EC2 instance type as offered in one region.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct InstanceTypeInfo {
    /// Instance type (`m7i.large`).
    pub instance_type: String,
    /// Default vCPUs: what an instance counts against the On-Demand vCPU quota.
    #[serde(default)]
    pub vcpus: Option<i64>,
    /// Memory in MiB.
    #[serde(default)]
    pub memory_mib: Option<i64>,
}

/// A security group that a launch template names and that exists in the region.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SecurityGroup {
    /// Security group id (`sg-…`).
    pub id: String,
    /// Group name.
    #[serde(default)]
    pub name: Option<String>,
    /// The VPC it belongs to.
    #[serde(default)]
    pub vpc_id: Option<String>,
}

/// A subnet that a launch template or group names and that exists in the region.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Subnet {
    /// Subnet id (`subnet-…`).
    pub id: String,
    /// The VPC it belongs to.
    #[serde(default)]
    pub vpc_id: Option<String>,
    /// Its Availability Zone (`us-west-2a`).
    #[serde(default)]
    pub availability_zone: Option<String>,
}

/// An AMI owned by the account.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Image {
    /// AMI id.
    pub id: String,
    /// Name.
    #[serde(default)]
    pub name: Option<String>,
    /// Description.
    #[serde(default)]
    pub description: Option<String>,
    /// `available`, `pending`, `failed`…
    pub state: String,
    /// Creation date (RFC 3339).
    #[serde(default)]
    pub creation_date: Option<String>,
    /// For a copy: the AMI it was copied from.
    #[serde(default)]
    pub source_image_id: Option<String>,
    /// For a copy: the region of the source AMI.
    #[serde(default)]
    pub source_image_region: Option<String>,
    /// Tags.
    #[serde(default)]
    pub tags: Tags,
}
