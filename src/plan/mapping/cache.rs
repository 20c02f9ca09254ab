//! ElastiCache replication groups and global datastores. Membership is
//! written on both sides, as the snapshot model holds it: a group names its
//! global datastore and role, the datastore lists its members.

use serde_json::Value;

use super::{Ctx, Mapping, identity, link, region, remove, upsert, value};
use crate::plan::values;
use crate::snapshot::Snapshot;
use crate::snapshot::model::{
    CacheReplicationGroup, GlobalReplicationGroup, GlobalReplicationGroupMember,
};

/// `aws_elasticache_global_replication_group`: a global datastore, created
/// in its primary group's region (so it has one, unlike Route 53).
pub const GLOBAL_REPLICATION_GROUP: Mapping = Mapping {
    tf_type: "aws_elasticache_global_replication_group",
    kind: "elasticache.global_replication_group",
    source: "elasticache.global_replication_groups",
    global: false,
    attrs: &[
        identity(
            "global_replication_group_id",
            "id (AWS prefixes the suffix: known after apply on create)",
        ),
        link(
            "primary_replication_group_id",
            "members[] (primary)",
            "aws_elasticache_replication_group",
            "replication_group_id",
        ),
    ],
    upsert: global_upsert,
    remove: |ctx, snapshot| {
        let id = values::text(ctx.before(), "global_replication_group_id")?;
        let removed = remove(&mut snapshot.global.global_replication_groups, |g| {
            g.id == id
        });
        // Its members leave it with it.
        for data in snapshot.regions.values_mut() {
            for group in &mut data.cache_replication_groups {
                if group.global_replication_group_id.as_deref() == Some(id.as_str()) {
                    group.global_replication_group_id = None;
                    group.global_replication_group_role = None;
                }
            }
        }
        removed.then_some(id)
    },
    exists: |ctx, snapshot| {
        let id = values::text(ctx.before(), "global_replication_group_id")?;
        snapshot
            .global
            .global_replication_groups
            .iter()
            .any(|g| g.id == id)
            .then_some(id)
    },
};

fn global_upsert(ctx: &mut Ctx<'_, '_, '_>, snapshot: &mut Snapshot) -> Result<String, String> {
    let before = values::text(ctx.before(), "global_replication_group_id");
    let id = ctx
        .text("global_replication_group_id")
        .ok_or("no global_replication_group_id")?;
    let primary = ctx
        .text("primary_replication_group_id")
        .filter(|s| !s.is_empty());
    let find = before.unwrap_or_else(|| id.clone());
    let here = ctx.region.clone();
    upsert(
        &mut snapshot.global.global_replication_groups,
        |g| g.id == find,
        |old| {
            let mut members = old.as_ref().map(|o| o.members.clone()).unwrap_or_default();
            if let Some(primary) = &primary {
                members.retain(|m| m.role != "primary" || &m.replication_group_id == primary);
                if !members.iter().any(|m| &m.replication_group_id == primary) {
                    members.push(GlobalReplicationGroupMember {
                        replication_group_id: primary.clone(),
                        region: here.clone(),
                        role: "primary".into(),
                    });
                }
            }
            GlobalReplicationGroup {
                id: id.clone(),
                status: old.and_then(|o| o.status).or(Some("available".into())),
                members,
            }
        },
    );
    // The primary group names its datastore (a group created before it does not).
    let primary_group = primary.and_then(|primary| {
        snapshot.regions.get_mut(&here).and_then(|d| {
            d.cache_replication_groups
                .iter_mut()
                .find(|g| g.id == primary)
        })
    });
    if let Some(group) = primary_group {
        group.global_replication_group_id = Some(id.clone());
        group.global_replication_group_role = Some("primary".into());
    }
    Ok(id)
}

/// `aws_elasticache_replication_group`.
pub const REPLICATION_GROUP: Mapping = Mapping {
    tf_type: "aws_elasticache_replication_group",
    kind: "elasticache.replication_group",
    source: "elasticache.replication_groups",
    global: false,
    attrs: &[
        value("replication_group_id", "id"),
        identity("arn", "arn"),
        value("automatic_failover_enabled", "automatic_failover"),
        value("multi_az_enabled", "multi_az"),
        value(
            "node_type",
            "node_type (a global datastore's secondary: its primary's)",
        ),
        value("engine", "engine (a secondary: its primary's)"),
        value(
            "engine_version",
            "engine_version (a secondary: its primary's)",
        ),
        link(
            "global_replication_group_id",
            "global_replication_group_id, role, the datastore's members",
            "aws_elasticache_global_replication_group",
            "global_replication_group_id",
        ),
        value("tags", "tags"),
    ],
    upsert: group_upsert,
    remove: |ctx, snapshot| {
        let id = values::text(ctx.before(), "replication_group_id")?;
        for global in &mut snapshot.global.global_replication_groups {
            global
                .members
                .retain(|m| !(m.replication_group_id == id && m.region == ctx.region));
        }
        let data = snapshot.regions.get_mut(&ctx.region)?;
        remove(&mut data.cache_replication_groups, |g| g.id == id).then_some(id)
    },
    exists: |ctx, snapshot| {
        let id = values::text(ctx.before(), "replication_group_id")?;
        let data = snapshot.regions.get(&ctx.region)?;
        data.cache_replication_groups
            .iter()
            .any(|g| g.id == id)
            .then_some(id)
    },
};

fn enabled(flag: Option<bool>) -> Option<String> {
    flag.map(|on| if on { "enabled" } else { "disabled" }.to_string())
}

fn group_upsert(ctx: &mut Ctx<'_, '_, '_>, snapshot: &mut Snapshot) -> Result<String, String> {
    let before = values::text(ctx.before(), "replication_group_id");
    let id = ctx
        .text("replication_group_id")
        .ok_or("no replication_group_id")?;
    let global = datastore_of(ctx, snapshot, &id);
    // A secondary of a global datastore takes its node type and engine from
    // the primary: Terraform leaves them to be computed.
    let inherited = global
        .as_deref()
        .and_then(|global| primary_of(snapshot, global, &id));
    let inherit = |ctx: &mut Ctx<'_, '_, '_>, path: &str, from: Option<&String>| {
        if values::unknown(&ctx.change.after_unknown, path) && from.is_some() {
            from.cloned()
        } else {
            ctx.text(path).filter(|s| !s.is_empty())
        }
    };
    let node_type = inherit(
        ctx,
        "node_type",
        inherited.as_ref().and_then(|p| p.node_type.as_ref()),
    );
    let engine = inherit(
        ctx,
        "engine",
        inherited.as_ref().and_then(|p| p.engine.as_ref()),
    );
    let engine_version = inherit(
        ctx,
        "engine_version",
        inherited.as_ref().and_then(|p| p.engine_version.as_ref()),
    );
    let role = global.as_ref().map(|global| {
        let primary = snapshot
            .global
            .global_replication_groups
            .iter()
            .find(|g| &g.id == global)
            .and_then(|g| g.members.iter().find(|m| m.role == "primary"));
        match primary {
            Some(m) if m.replication_group_id == id && m.region == ctx.region => "primary",
            _ => "secondary",
        }
        .to_string()
    });
    let group = CacheReplicationGroup {
        id: id.clone(),
        arn: ctx.text("arn").filter(|s| !s.is_empty()),
        status: None,
        automatic_failover: enabled(ctx.boolean("automatic_failover_enabled")),
        multi_az: enabled(ctx.boolean("multi_az_enabled")),
        node_type,
        engine,
        engine_version,
        global_replication_group_id: global.clone(),
        global_replication_group_role: role.clone(),
        tags: ctx.tags(),
    };
    let find = before.unwrap_or_else(|| id.clone());
    let here = ctx.region.clone();
    let data = region(snapshot, &here);
    upsert(
        &mut data.cache_replication_groups,
        |g| g.id == find,
        |old| CacheReplicationGroup {
            status: old.and_then(|o| o.status).or(Some("available".into())),
            ..group
        },
    );
    // The datastore's member list follows the group's `global_replication_group_id`.
    for datastore in &mut snapshot.global.global_replication_groups {
        let member = |m: &GlobalReplicationGroupMember| {
            (m.replication_group_id == id || m.replication_group_id == find) && m.region == here
        };
        if Some(&datastore.id) == global.as_ref() {
            if !datastore.members.iter().any(member) {
                datastore.members.push(GlobalReplicationGroupMember {
                    replication_group_id: id.clone(),
                    region: here.clone(),
                    role: role.clone().unwrap_or_else(|| "secondary".into()),
                });
            }
        } else {
            datastore.members.retain(|m| !member(m));
        }
    }
    Ok(id)
}

/// The global datastore the group will be in. Terraform computes
/// `global_replication_group_id` when the configuration leaves it out (a
/// primary is named by its datastore's `primary_replication_group_id`
/// instead), so an unknown value is, in order: the datastore the
/// configuration refers to, the datastore that lists the group, or none.
fn datastore_of(ctx: &mut Ctx<'_, '_, '_>, snapshot: &Snapshot, id: &str) -> Option<String> {
    let path = "global_replication_group_id";
    if !values::unknown(&ctx.change.after_unknown, path) {
        return ctx.text(path).filter(|s| !s.is_empty());
    }
    let address = ctx.change.address.clone();
    let referenced = ctx.resolve_at(
        &address,
        path,
        "aws_elasticache_global_replication_group",
        path,
    );
    if let Some(global) = referenced.iter().find_map(Value::as_str) {
        return Some(global.to_string());
    }
    snapshot
        .global
        .global_replication_groups
        .iter()
        .find(|g| {
            g.members
                .iter()
                .any(|m| m.replication_group_id == id && m.region == ctx.region)
        })
        .map(|g| g.id.clone())
}

/// The primary member of the global datastore `global`, as the snapshot
/// holds it so far (not `id` itself).
fn primary_of(snapshot: &Snapshot, global: &str, id: &str) -> Option<CacheReplicationGroup> {
    let datastore = snapshot
        .global
        .global_replication_groups
        .iter()
        .find(|g| g.id == global)?;
    let primary = datastore.members.iter().find(|m| m.role == "primary")?;
    if primary.replication_group_id == id {
        return None;
    }
    snapshot
        .regions
        .get(&primary.region)?
        .cache_replication_groups
        .iter()
        .find(|g| g.id == primary.replication_group_id)
        .cloned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_read_as_the_api_writes_them() {
        assert_eq!(enabled(Some(true)).as_deref(), Some("enabled"));
        assert_eq!(enabled(Some(false)).as_deref(), Some("disabled"));
        assert_eq!(enabled(None), None);
    }
}
