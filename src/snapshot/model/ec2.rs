//! EC2: launch templates and AMIs.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Tags;

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
