//! EC2: launch templates and AMIs.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Snapshot, Tags};
use crate::snapshot::spec::{DataSource, Item, ResourceSpec, ServiceSpec, call, regional};

/// What drguard reads of this service, and the resource types it holds.
pub const SERVICE: ServiceSpec = ServiceSpec {
    name: "ec2",
    description: "launch templates and AMIs",
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
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
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
