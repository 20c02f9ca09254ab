//! `drguard audit --plan PLAN.json`: a Terraform plan as one more way to build
//! a [`Snapshot`](crate::snapshot::Snapshot).
//!
//! The plan (`terraform show -json`, or OpenTofu's same format) is read
//! leniently ([`mod@parse`]); each `resource_changes` entry of a mapped
//! hashicorp/aws type ([`mapping`]) is placed in a region ([`regions`]) and
//! overlaid onto a base snapshot ([`mod@overlay`]): the current snapshot, or,
//! with `--plan` alone, the plan's own prior state. Values that are known
//! only after apply are gaps ("known after apply") unless a `configuration`
//! reference resolves the link ([`unknown`]), so a rule that depends on them
//! is `error`, never a pass. The engine then runs unchanged.

pub mod mapping;
pub mod overlay;
pub mod parse;
pub mod regions;
pub mod unknown;
mod values;

pub use mapping::sources_fed;
pub use overlay::{Overlaid, overlay};
pub use parse::{Plan, PlanError, ResourceChange, load, parse};

use std::collections::HashMap;
use std::fmt;

/// What Terraform plans to do with one resource instance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Action {
    /// `["create"]`.
    Create,
    /// `["update"]`.
    Update,
    /// `["delete","create"]` or `["create","delete"]`.
    Replace,
    /// `["delete"]`.
    Delete,
    /// `["forget"]`: removed from the state, left in AWS.
    Forget,
    /// `["no-op"]`.
    NoOp,
    /// `["read"]` (data sources).
    Read,
}

impl Action {
    /// From a change's `actions` list; None for a list Terraform never writes.
    pub fn from_actions(actions: &[String]) -> Option<Action> {
        let has = |a: &str| actions.iter().any(|x| x == a);
        Some(match actions.len() {
            1 if has("create") => Action::Create,
            1 if has("update") => Action::Update,
            1 if has("delete") => Action::Delete,
            1 if has("forget") => Action::Forget,
            1 if has("no-op") => Action::NoOp,
            1 if has("read") => Action::Read,
            2 if has("delete") && has("create") => Action::Replace,
            2 if has("create") && has("forget") => Action::Replace,
            _ => return None,
        })
    }

    /// The spelling in reports (`create`, `update`, `replace`, `delete`…).
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Create => "create",
            Action::Update => "update",
            Action::Replace => "replace",
            Action::Delete => "delete",
            Action::Forget => "forget",
            Action::NoOp => "no-op",
            Action::Read => "read",
        }
    }

    /// True when the resource is gone from the account (or from drguard's
    /// view) after apply.
    pub fn removes(self) -> bool {
        matches!(self, Action::Delete | Action::Forget)
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One attribute change of a planned resource, as a reviewer reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct AttributeChange {
    /// The attribute path in the plan (`destination[0].replication_time`).
    pub path: String,
    /// Its value before, compact JSON (None: absent).
    pub before: Option<String>,
    /// Its value after (None: removed; `(known after apply)` when unknown).
    pub after: Option<String>,
}

impl fmt::Display for AttributeChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.before, &self.after) {
            (Some(b), Some(a)) => write!(f, "`{}` {b} → {a}", self.path),
            (Some(_), None) => write!(f, "`{}` removed", self.path),
            (None, Some(a)) => write!(f, "`{}` added: {a}", self.path),
            (None, None) => write!(f, "`{}`", self.path),
        }
    }
}

/// What the plan does to one snapshot resource: the key results join on.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedResource {
    /// The Terraform address (`module.dr.aws_autoscaling_group.web`).
    pub address: String,
    /// The planned action.
    pub action: Action,
    /// The Terraform resource type.
    pub resource_type: String,
    /// The data source it feeds (`autoscaling`, `s3.replication`…).
    pub source: &'static str,
    /// The resource kind `resource_id` names (`autoscaling.group`).
    pub kind: &'static str,
    /// Region of the snapshot resource, or `global`.
    pub region: String,
    /// The snapshot resource's id as results name it (`resource_id`).
    pub resource_id: String,
    /// The attribute changes drguard reads (empty for a no-op).
    pub changes: Vec<AttributeChange>,
}

/// What an overlay read from the plan, for the report.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PlanSummary {
    /// The plan file as given.
    pub file: String,
    /// `format_version` of the plan.
    pub format_version: String,
    /// `terraform_version`, when given.
    pub terraform_version: Option<String>,
    /// Every mapped resource change, no-ops included.
    pub resources: Vec<PlannedResource>,
    /// Resource changes of types drguard does not model, by type (counted,
    /// never silently dropped).
    pub not_modelled: std::collections::BTreeMap<String, usize>,
    /// Values known after apply, as `address.attribute`.
    pub unknown: Vec<String>,
    /// Resources whose region could not be determined, with why.
    pub unplaced: Vec<String>,
    /// Resources whose `before` disagreed with the base snapshot (the plan wins).
    pub stale: Vec<String>,
    /// True when the plan was audited alone (no current snapshot).
    pub alone: bool,
}

impl PlanSummary {
    /// The changes (not no-ops) the plan makes to modelled resources.
    pub fn changed(&self) -> impl Iterator<Item = &PlannedResource> {
        self.resources
            .iter()
            .filter(|r| !matches!(r.action, Action::NoOp | Action::Read))
    }

    /// The planned resources results name, by resource id (positions in
    /// `resources`), for [`PlanSummary::find_in`].
    pub fn index(&self) -> HashMap<&str, Vec<usize>> {
        let mut index: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, r) in self.resources.iter().enumerate() {
            index.entry(r.resource_id.as_str()).or_default().push(i);
        }
        index
    }

    /// The planned resource a result names, among those with its resource
    /// id (`positions`, from [`PlanSummary::index`]) in its region: a
    /// changed one first (a bucket's replication configuration before the
    /// bucket's no-op), else a no-op.
    pub fn find_in(
        &self,
        positions: &[usize],
        region: &str,
        kind: &str,
    ) -> Option<&PlannedResource> {
        // A target group and its Auto Scaling group may share a name: a
        // result on a kind the plan models joins only that kind.
        let modelled = mapping::MAPPINGS.iter().any(|m| m.kind == kind);
        let mut unchanged = None;
        for r in positions.iter().filter_map(|&i| self.resources.get(i)) {
            let here = r.region == region || r.region == "global" || region == "global";
            if !here || r.action == Action::Read || (modelled && r.kind != kind) {
                continue;
            }
            if r.action != Action::NoOp {
                return Some(r);
            }
            unchanged.get_or_insert(r);
        }
        unchanged
    }
}
