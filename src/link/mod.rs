//! Derives the application's topology from a snapshot, once, so rules stay simple.
//!
//! Rules ask questions like "does the DR group launch a copy of the primary's
//! AMI?". Answering them needs joins across services (record → load balancer
//! → target group → Auto Scaling group → launch template → image). Doing those
//! joins here, in Rust, once per audit, keeps the rule files declarative and
//! keeps evaluation linear in the number of resources.
//!
//! The output is [`Topology`] (exposed to CEL as `topology`) plus per-resource
//! [`Annotations`] merged into each resource's CEL value (`resource.role`,
//! `resource.guards_primary`, …).

mod annotate;
mod capacity;
mod compute;
mod dns;
pub mod facts;
mod health;
mod index;
mod keys;
mod launch;
pub mod readiness;
mod runbook;
mod survival;
mod topology;

use crate::config::Config;
pub use annotate::Annotator;
pub use capacity::{Capacity, standard_family};
pub use compute::{ResolvedLaunch, find_copy, resolve_launch};
pub use facts::Annotations;
pub use health::{Detection, POLLING_TYPES, defect as health_check_defect, polls};
pub use index::{Identifier, Lookups};
pub use launch::LaunchCheck;
pub use runbook::step_operation;
pub use topology::*;

use crate::snapshot::model::Snapshot;

/// Normalises a DNS name: lower case, no trailing dot, no `dualstack.` prefix.
pub fn normalize_dns(name: &str) -> String {
    let lower = name.trim().trim_end_matches('.').to_ascii_lowercase();
    lower
        .strip_prefix("dualstack.")
        .map(str::to_string)
        .unwrap_or(lower)
}

/// Reduces an API name to a comparable form: `promote_read_replica_db_cluster`
/// and `PromoteReadReplicaDBCluster` both become `promotereadreplicadbcluster`.
pub fn normalize_api(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Region of an ARN (`arn:aws:rds:us-west-2:…` → `us-west-2`).
pub fn arn_region(arn: &str) -> Option<&str> {
    arn.split(':').nth(3).filter(|r| !r.is_empty())
}

/// Last segment of an ARN's resource part.
pub(crate) fn arn_tail(arn: &str) -> &str {
    arn.rsplit([':', '/']).next().unwrap_or(arn)
}

/// The model fields `link` joins on, per resource type name: a change in one of
/// them can change what rules see even when no rule reads the field itself
/// (`target_group_arns` decides which group is the DR group). `drguard diff`
/// compares these, plus the fields rules read, by default. Each resource
/// type's spec lists them ([`crate::snapshot::spec::ResourceSpec::diff_fields`]).
pub fn inputs(resource_type: &str) -> &'static [&'static str] {
    crate::snapshot::spec::resource(resource_type).map_or(&[], |spec| spec.diff_fields)
}

/// Links a snapshot under a config: derives the topology.
pub fn link<'a>(snapshot: &'a Snapshot, config: &Config) -> Linked<'a> {
    let mut linker = Linker::new(snapshot, config);
    linker.run();
    Linked {
        topology: linker.topology,
        lookups: linker.lookups,
    }
}

/// A linked snapshot: the derived topology and the lookups built to derive
/// it, kept for everything downstream (annotations, the budget's data
/// stores, rule evaluation, diffs) so the snapshot is indexed once per audit.
pub struct Linked<'a> {
    /// What link derived (`topology` in CEL).
    pub topology: Topology,
    /// Hash maps over the snapshot by id, name, ARN and metric dimension.
    pub lookups: Lookups<'a>,
}

impl std::fmt::Debug for Linked<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Linked")
            .field("topology", &self.topology)
            .finish_non_exhaustive()
    }
}

struct Linker<'a, 'c> {
    snapshot: &'a Snapshot,
    config: &'c Config,
    lookups: Lookups<'a>,
    topology: Topology,
}

impl<'a, 'c> Linker<'a, 'c> {
    fn new(snapshot: &'a Snapshot, config: &'c Config) -> Self {
        Linker {
            snapshot,
            config,
            lookups: Lookups::new(snapshot, config),
            topology: Topology {
                domain: config.app.domain.as_deref().map(normalize_dns),
                primary: Side {
                    region: config.app.primary_region.clone(),
                    ..Side::default()
                },
                dr: Side {
                    region: config.app.dr_region.clone(),
                    ..Side::default()
                },
                ..Topology::default()
            },
        }
    }

    fn run(&mut self) {
        self.link_records();
        self.link_accelerator();
        self.topology.primary = self.link_side(Role::Primary);
        self.topology.dr = self.link_side(Role::Dr);
        self.link_global_databases();
        self.link_ami_copies();
        self.link_ami_replication();
        self.link_runbook();
        let check_of = |record: &Option<FailoverRecord>| {
            record
                .as_ref()
                .and_then(|r| r.health_check_id.as_deref())
                .and_then(|id| self.lookups.health_check(id))
                .cloned()
        };
        self.topology.primary_health_check = check_of(&self.topology.primary_record);
        self.topology.secondary_health_check = check_of(&self.topology.secondary_record);
        self.topology.detection = self.detection();
        self.link_dr_keys();
        self.topology.deciding_checks = health::DecidingChecks {
            primary: self.deciding_checks(true),
            all: self.deciding_checks(false),
        };
        self.link_capacity();
        self.link_dr_launches();
        self.link_survival();
    }

    fn region_of(&self, role: Role) -> &str {
        match role {
            Role::Primary => &self.config.app.primary_region,
            Role::Dr => &self.config.app.dr_region,
        }
    }
}
