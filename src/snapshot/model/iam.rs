//! IAM: the roles the runbooks act as and the instance profiles the launch
//! templates give their instances. IAM's control plane lives in us-east-1:
//! with that region down, a role or profile that does not exist yet cannot
//! be created, so the failover needs them in place beforehand. Only the
//! names the snapshot's documents and templates use are looked up.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Snapshot;
use crate::snapshot::spec::{DataSource, ServiceSpec, call};

/// What drguard reads of this service, and the resource types it holds.
pub const SERVICE: ServiceSpec = ServiceSpec {
    name: "iam",
    description: "IAM roles of the runbooks and instance profiles of the launch templates",
    sources: &[DataSource {
        name: "iam",
        description: "IAM roles of the runbooks and instance profiles of the launch templates",
        scope: "global, after `ssm` and `ec2.launch_templates` in both regions",
        calls: &[
            call("GetRole", "iam:GetRole"),
            call("GetInstanceProfile", "iam:GetInstanceProfile"),
        ],
        notes: "`GetRole` per role an Automation document assumes (`assumeRole`, a `{{ Parameter }}` resolved from its default; an ARN by its last path segment), `GetInstanceProfile` per instance profile a collected launch template version names; `NoSuchEntity` is data (`missing_iam_roles`, `missing_instance_profiles`); a role ARN of another account is not looked up",
        fills: "`iam_roles`, `instance_profiles`, `missing_iam_roles`, `missing_instance_profiles` (global)",
    }],
    sort,
    resources: &[],
};

/// Sorts the lists this service fills by their natural key.
fn sort(snapshot: &mut Snapshot) {
    let global = &mut snapshot.global;
    global.iam_roles.sort_by(|a, b| a.name.cmp(&b.name));
    for role in &mut global.iam_roles {
        role.trusted_services.sort();
        role.trusted_services.dedup();
    }
    global.instance_profiles.sort_by(|a, b| a.name.cmp(&b.name));
    for profile in &mut global.instance_profiles {
        profile.roles.sort();
    }
    global.missing_iam_roles.sort();
    global.missing_iam_roles.dedup();
    global.missing_instance_profiles.sort();
    global.missing_instance_profiles.dedup();
}

/// An IAM role that a runbook assumes.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct IamRole {
    /// Role name.
    pub name: String,
    /// Role ARN.
    pub arn: String,
    /// The AWS services its trust policy lets assume it
    /// (`Principal.Service` of its `Allow` statements, conditions not
    /// judged), sorted: an Automation role must trust `ssm.amazonaws.com`.
    #[serde(default)]
    pub trusted_services: Vec<String>,
}

/// An IAM instance profile that a launch template names.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct InstanceProfile {
    /// Instance profile name.
    pub name: String,
    /// Instance profile ARN.
    pub arn: String,
    /// The names of the roles it holds (at most one): an empty profile
    /// launches instances without credentials.
    #[serde(default)]
    pub roles: Vec<String>,
}
