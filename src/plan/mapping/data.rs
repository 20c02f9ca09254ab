//! Aurora (global clusters, clusters, instances) and SSM documents.

use serde_json::Value;

use super::{Ctx, Mapping, computed, identity, link, region, remove, upsert, value};
use crate::snapshot::Snapshot;
use crate::snapshot::model::{
    AutomationDocument, DbCluster, DbClusterMember, DbInstance, GlobalCluster, GlobalClusterMember,
};

/// `aws_rds_global_cluster` (global: it spans regions).
pub const GLOBAL_CLUSTER: Mapping = Mapping {
    tf_type: "aws_rds_global_cluster",
    kind: "rds.global_cluster",
    source: "rds.global_clusters",
    global: true,
    attrs: &[
        value("global_cluster_identifier", "id"),
        identity("arn", "arn"),
        value("engine", "engine"),
        value("engine_version", "engine_version"),
        link(
            "source_db_cluster_identifier",
            "members[] (writer)",
            "aws_rds_cluster",
            "arn",
        ),
        identity("global_cluster_members", "members"),
    ],
    upsert: global_upsert,
    remove: global_remove,
    exists: global_exists,
};

fn global_key(values: &Value) -> Option<String> {
    super::values::text(values, "global_cluster_identifier")
        .or_else(|| super::values::text(values, "id"))
}

fn global_upsert(ctx: &mut Ctx<'_, '_, '_>, snapshot: &mut Snapshot) -> Result<String, String> {
    let before = global_key(ctx.before());
    let id = ctx
        .text("global_cluster_identifier")
        .ok_or("no global_cluster_identifier")?;
    let members_known =
        !super::values::unknown(&ctx.change.after_unknown, "global_cluster_members");
    let listed: Vec<GlobalClusterMember> = ctx
        .get("global_cluster_members")
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|m| {
            Some(GlobalClusterMember {
                db_cluster_arn: super::values::text(m, "db_cluster_arn")?,
                is_writer: super::values::boolean(m, "is_writer").unwrap_or(false),
            })
        })
        .collect();
    let source = ctx
        .text("source_db_cluster_identifier")
        .filter(|s| !s.is_empty());
    let global = GlobalCluster {
        id: id.clone(),
        arn: ctx.text("arn").filter(|s| !s.is_empty()),
        engine: ctx.text("engine"),
        engine_version: ctx.text("engine_version"),
        status: None,
        members: Vec::new(),
    };
    let find = before.unwrap_or_else(|| id.clone());
    upsert(
        &mut snapshot.global.global_clusters,
        |g| g.id == find,
        |old| {
            let mut members = match (&old, members_known && !listed.is_empty()) {
                (_, true) => listed,
                (Some(old), false) => old.members.clone(),
                (None, false) => Vec::new(),
            };
            if let Some(source) = source.filter(|s| !members.iter().any(|m| &m.db_cluster_arn == s))
            {
                members.push(GlobalClusterMember {
                    db_cluster_arn: source,
                    is_writer: true,
                });
            }
            GlobalCluster {
                status: old.and_then(|o| o.status),
                members,
                ..global
            }
        },
    );
    Ok(id)
}

fn global_remove(ctx: &mut Ctx<'_, '_, '_>, snapshot: &mut Snapshot) -> Option<String> {
    let id = global_key(ctx.before())?;
    remove(&mut snapshot.global.global_clusters, |g| g.id == id).then_some(id)
}

fn global_exists(ctx: &Ctx<'_, '_, '_>, snapshot: &Snapshot) -> Option<String> {
    let id = global_key(ctx.before())?;
    snapshot
        .global
        .global_clusters
        .iter()
        .any(|g| g.id == id)
        .then_some(id)
}

/// `aws_rds_cluster`.
pub const DB_CLUSTER: Mapping = Mapping {
    tf_type: "aws_rds_cluster",
    kind: "rds.db_cluster",
    source: "rds.db_clusters",
    global: false,
    attrs: &[
        value("cluster_identifier", "id"),
        identity("arn", "arn"),
        value("engine", "engine"),
        value("engine_version", "engine_version"),
        link(
            "global_cluster_identifier",
            "the global cluster's members",
            "aws_rds_global_cluster",
            "global_cluster_identifier",
        ),
        computed("db_cluster_parameter_group_name", "parameter_group", "null"),
        computed("kms_key_id", "kms_key_id", "null"),
        computed("storage_encrypted", "storage_encrypted", "null"),
        value("replication_source_identifier", "(not modelled)"),
    ],
    upsert: cluster_upsert,
    remove: cluster_remove,
    exists: cluster_exists,
};

fn cluster_key(values: &Value) -> Option<String> {
    super::values::text(values, "cluster_identifier").or_else(|| super::values::text(values, "id"))
}

fn cluster_upsert(ctx: &mut Ctx<'_, '_, '_>, snapshot: &mut Snapshot) -> Result<String, String> {
    let before = cluster_key(ctx.before());
    let id = ctx
        .text("cluster_identifier")
        .ok_or("no cluster_identifier")?;
    // A cluster's ARN follows from its region and name, known or not.
    let arn = super::values::text(&ctx.change.after, "arn")
        .filter(|a| !a.is_empty())
        .unwrap_or_else(|| format!("arn:aws:rds:{}:{}:cluster:{id}", ctx.region, ctx.account));
    let old_global =
        super::values::text(ctx.before(), "global_cluster_identifier").filter(|s| !s.is_empty());
    let new_global = ctx
        .text("global_cluster_identifier")
        .filter(|s| !s.is_empty());
    let cluster = DbCluster {
        id: id.clone(),
        arn: arn.clone(),
        engine: ctx.text("engine").unwrap_or_default(),
        engine_version: ctx.text("engine_version"),
        parameter_group: ctx.text("db_cluster_parameter_group_name"),
        kms_key_id: ctx.text("kms_key_id").filter(|s| !s.is_empty()),
        storage_encrypted: ctx.boolean("storage_encrypted"),
        tags: ctx.tags(),
        ..DbCluster::default()
    };
    let find = before.unwrap_or_else(|| id.clone());
    let data = region(snapshot, &ctx.region.clone());
    let mut old_arn = None;
    upsert(
        &mut data.db_clusters,
        |c| c.id == find,
        |old| match old {
            Some(old) => {
                old_arn = Some(old.arn.clone());
                DbCluster {
                    status: old.status,
                    multi_az: old.multi_az,
                    global_db_rpo_seconds: old.global_db_rpo_seconds,
                    members: old.members,
                    ..cluster
                }
            }
            None => DbCluster {
                status: Some("available".into()),
                ..cluster
            },
        },
    );
    // Membership lives on the global cluster in the snapshot model.
    let arns: Vec<String> = [Some(arn.clone()), old_arn].into_iter().flatten().collect();
    let mut was_writer = false;
    for global in &mut snapshot.global.global_clusters {
        let leaving = new_global.as_deref() != Some(global.id.as_str());
        if leaving || old_global.as_deref() == Some(global.id.as_str()) {
            if let Some(member) = global
                .members
                .iter()
                .find(|m| arns.contains(&m.db_cluster_arn))
            {
                was_writer |= member.is_writer;
            }
            if leaving {
                global.members.retain(|m| !arns.contains(&m.db_cluster_arn));
            }
        }
    }
    let joined = new_global.and_then(|new_global| {
        snapshot
            .global
            .global_clusters
            .iter_mut()
            .find(|g| g.id == new_global)
    });
    if let Some(global) = joined {
        match global
            .members
            .iter_mut()
            .find(|m| arns.contains(&m.db_cluster_arn))
        {
            Some(member) => member.db_cluster_arn = arn.clone(),
            None => {
                // The writer of a new global cluster is the member created
                // with the master credentials (a secondary inherits them and
                // leaves `master_username` unset: unknown in the plan); one
                // created from a snapshot has them too. Otherwise the first
                // member is the writer.
                let credentials = ["master_username", "snapshot_identifier"]
                    .iter()
                    .any(|key| {
                        super::values::text(ctx.values(), key).is_some_and(|v| !v.is_empty())
                    });
                let inherits = super::values::unknown(&ctx.change.after_unknown, "master_username");
                let has_writer = global.members.iter().any(|m| m.is_writer);
                let writer = was_writer
                    || (!has_writer && credentials)
                    || (global.members.is_empty() && !inherits);
                global.members.push(GlobalClusterMember {
                    db_cluster_arn: arn.clone(),
                    is_writer: writer,
                });
            }
        }
    }
    Ok(id)
}

fn cluster_remove(ctx: &mut Ctx<'_, '_, '_>, snapshot: &mut Snapshot) -> Option<String> {
    let id = cluster_key(ctx.before())?;
    let data = snapshot.regions.get_mut(&ctx.region)?;
    let arn = data
        .db_clusters
        .iter()
        .find(|c| c.id == id)
        .map(|c| c.arn.clone());
    let removed = remove(&mut data.db_clusters, |c| c.id == id);
    if let Some(arn) = arn {
        for global in &mut snapshot.global.global_clusters {
            global.members.retain(|m| m.db_cluster_arn != arn);
        }
    }
    removed.then_some(id)
}

fn cluster_exists(ctx: &Ctx<'_, '_, '_>, snapshot: &Snapshot) -> Option<String> {
    let id = cluster_key(ctx.before())?;
    snapshot
        .regions
        .get(&ctx.region)?
        .db_clusters
        .iter()
        .any(|c| c.id == id)
        .then_some(id)
}

/// `aws_rds_cluster_instance`.
pub const DB_INSTANCE: Mapping = Mapping {
    tf_type: "aws_rds_cluster_instance",
    kind: "rds.db_instance",
    source: "rds.db_instances",
    global: false,
    attrs: &[
        value("identifier", "id"),
        identity("arn", "arn"),
        link(
            "cluster_identifier",
            "cluster_id",
            "aws_rds_cluster",
            "cluster_identifier",
        ),
        value("instance_class", "instance_class"),
        value("engine", "engine"),
        computed("availability_zone", "availability_zone", "null"),
        value("promotion_tier", "promotion_tier"),
    ],
    upsert: instance_upsert,
    remove: instance_remove,
    exists: instance_exists,
};

fn instance_key(values: &Value) -> Option<String> {
    super::values::text(values, "identifier").or_else(|| super::values::text(values, "id"))
}

fn instance_upsert(ctx: &mut Ctx<'_, '_, '_>, snapshot: &mut Snapshot) -> Result<String, String> {
    let before = instance_key(ctx.before());
    let id = ctx
        .text("identifier")
        .ok_or("no identifier (known after apply)")?;
    let cluster_id = ctx.text("cluster_identifier");
    let instance = DbInstance {
        id: id.clone(),
        arn: super::values::text(&ctx.change.after, "arn")
            .filter(|a| !a.is_empty())
            .unwrap_or_else(|| format!("arn:aws:rds:{}:{}:db:{id}", ctx.region, ctx.account)),
        cluster_id: cluster_id.clone(),
        instance_class: ctx.text("instance_class"),
        engine: ctx.text("engine"),
        engine_version: ctx.text("engine_version"),
        status: Some("available".into()),
        availability_zone: ctx.text("availability_zone"),
        promotion_tier: ctx.int("promotion_tier"),
        tags: ctx.tags(),
    };
    let promotion_tier = instance.promotion_tier;
    let find = before.unwrap_or_else(|| id.clone());
    let data = region(snapshot, &ctx.region.clone());
    upsert(
        &mut data.db_instances,
        |i| i.id == find,
        |old| DbInstance {
            status: old.and_then(|o| o.status).or(Some("available".into())),
            ..instance
        },
    );
    for cluster in &mut data.db_clusters {
        let belongs = cluster_id.as_deref() == Some(cluster.id.as_str());
        let listed = cluster.members.iter().any(|m| m.instance_id == id);
        if belongs && !listed {
            cluster.members.push(DbClusterMember {
                instance_id: id.clone(),
                is_writer: false,
                promotion_tier,
            });
        } else if !belongs && listed {
            cluster.members.retain(|m| m.instance_id != id);
        }
    }
    Ok(id)
}

fn instance_remove(ctx: &mut Ctx<'_, '_, '_>, snapshot: &mut Snapshot) -> Option<String> {
    let id = instance_key(ctx.before())?;
    let data = snapshot.regions.get_mut(&ctx.region)?;
    for cluster in &mut data.db_clusters {
        cluster.members.retain(|m| m.instance_id != id);
    }
    remove(&mut data.db_instances, |i| i.id == id).then_some(id)
}

fn instance_exists(ctx: &Ctx<'_, '_, '_>, snapshot: &Snapshot) -> Option<String> {
    let id = instance_key(ctx.before())?;
    snapshot
        .regions
        .get(&ctx.region)?
        .db_instances
        .iter()
        .any(|i| i.id == id)
        .then_some(id)
}

/// `aws_ssm_document` (Automation documents only, as collection reads).
pub const SSM_DOCUMENT: Mapping = Mapping {
    tf_type: "aws_ssm_document",
    kind: "ssm.document",
    source: "ssm",
    global: false,
    attrs: &[
        value("name", "name"),
        value("document_type", "document_type"),
        value("document_format", "document_format"),
        value("content", "parameters, steps, assume_role (parsed)"),
        value("version_name", "document_version"),
    ],
    upsert: document_upsert,
    remove: document_remove,
    exists: document_exists,
};

fn document_upsert(ctx: &mut Ctx<'_, '_, '_>, snapshot: &mut Snapshot) -> Result<String, String> {
    let before = super::values::text(ctx.before(), "name");
    let name = ctx.text("name").ok_or("no name")?;
    let document_type = ctx
        .text("document_type")
        .unwrap_or_else(|| "Command".into());
    let format = ctx.text("document_format");
    let content = ctx.text("content");
    let find = before.unwrap_or_else(|| name.clone());
    let data = region(snapshot, &ctx.region.clone());
    data.automation_documents
        .retain(|d| d.name != find && d.name != name);
    if document_type != "Automation" {
        return Ok(name);
    }
    let parsed = match &content {
        Some(text) => crate::snapshot::document::parse(text, format.as_deref())
            .map_err(|e| format!("its content cannot be read: {e}"))?,
        // Unknown content is noted by `get`; the runbook is then a gap.
        None => return Err("its content is known only after apply".into()),
    };
    let tags = ctx.tags();
    let data = region(snapshot, &ctx.region.clone());
    upsert(
        &mut data.automation_documents,
        |d| d.name == name,
        |_| AutomationDocument {
            name: name.clone(),
            document_type,
            document_version: None,
            document_format: format,
            tags,
            parameters: parsed.parameters,
            steps: parsed.steps,
            assume_role: parsed.assume_role,
        },
    );
    Ok(name)
}

fn document_remove(ctx: &mut Ctx<'_, '_, '_>, snapshot: &mut Snapshot) -> Option<String> {
    let name = super::values::text(ctx.before(), "name")?;
    let data = snapshot.regions.get_mut(&ctx.region)?;
    remove(&mut data.automation_documents, |d| d.name == name).then_some(name)
}

fn document_exists(ctx: &Ctx<'_, '_, '_>, snapshot: &Snapshot) -> Option<String> {
    let name = super::values::text(ctx.before(), "name")?;
    snapshot
        .regions
        .get(&ctx.region)?
        .automation_documents
        .iter()
        .any(|d| d.name == name)
        .then_some(name)
}
