//! RDS / Aurora: global clusters with their members (account-wide, read once
//! from the primary region), the regional DB clusters (engine, version,
//! status, Multi-AZ, parameter group, `rds.global_db_rpo`, members, KMS key,
//! tags) and the regional DB instances (class, engine version, cluster).
//!
//! Calls: `DescribeGlobalClusters`, `DescribeDBClusters` (all pages), and
//! `DescribeDBClusterParameters` (`Source=user`, all pages) once per custom
//! parameter group of an Aurora PostgreSQL cluster; `DescribeDBInstances`
//! (all pages).

use std::collections::BTreeMap;
use std::sync::Arc;

use aws_sdk_rds::Client;

use super::{Ctx, Part, gap};
use crate::snapshot::model::{
    DbCluster, DbClusterMember, DbInstance, GlobalCluster, GlobalClusterMember, Snapshot,
};

const SERVICE: &str = "rds";

fn client(ctx: &Ctx, region: &str) -> Client {
    Client::from_conf(
        aws_sdk_rds::config::Builder::from(&ctx.sdk(region))
            .interceptor(ctx.recorder.clone())
            .build(),
    )
}

/// Collects the Aurora global clusters.
pub(crate) async fn global_clusters(ctx: Arc<Ctx>, region: String, _view: Arc<Snapshot>) -> Part {
    let client = client(&ctx, &region);
    let mut part = Part::new();
    let mut clusters = Vec::new();
    {
        let _permit = ctx.permit(SERVICE).await;
        let mut pages = client.describe_global_clusters().into_paginator().send();
        while let Some(page) = pages.next().await {
            match page {
                Ok(page) => clusters.extend(page.global_clusters().iter().map(|g| {
                    GlobalCluster {
                        id: g
                            .global_cluster_identifier()
                            .unwrap_or_default()
                            .to_string(),
                        arn: g.global_cluster_arn().map(str::to_string),
                        engine: g.engine().map(str::to_string),
                        engine_version: g.engine_version().map(str::to_string),
                        status: g.status().map(str::to_string),
                        members: g
                            .global_cluster_members()
                            .iter()
                            .filter_map(|m| {
                                Some(GlobalClusterMember {
                                    db_cluster_arn: m.db_cluster_arn()?.to_string(),
                                    is_writer: m.is_writer().unwrap_or(false),
                                })
                            })
                            .collect(),
                    }
                })),
                Err(err) => {
                    part.gaps.push(gap(
                        "rds.global_clusters",
                        "global",
                        "DescribeGlobalClusters",
                        &err,
                    ));
                    break;
                }
            }
        }
    }
    part.count("global clusters", clusters.len());
    part.edit(move |snapshot| snapshot.global.global_clusters.extend(clusters));
    part
}

/// Collects the DB clusters of one region.
pub(crate) async fn db_clusters(ctx: Arc<Ctx>, region: String, _view: Arc<Snapshot>) -> Part {
    let client = client(&ctx, &region);
    let mut part = Part::new();
    let mut clusters = Vec::new();
    {
        let _permit = ctx.permit(SERVICE).await;
        let mut pages = client.describe_db_clusters().into_paginator().send();
        while let Some(page) = pages.next().await {
            match page {
                Ok(page) => clusters.extend(page.db_clusters().iter().map(|c| {
                    DbCluster {
                        id: c.db_cluster_identifier().unwrap_or_default().to_string(),
                        arn: c.db_cluster_arn().unwrap_or_default().to_string(),
                        engine: c.engine().unwrap_or_default().to_string(),
                        engine_version: c.engine_version().map(str::to_string),
                        status: c.status().map(str::to_string),
                        multi_az: c.multi_az(),
                        parameter_group: c.db_cluster_parameter_group().map(str::to_string),
                        global_db_rpo_seconds: None,
                        tags: super::tags(c.tag_list().iter().map(|t| (t.key(), t.value()))),
                        members: c
                            .db_cluster_members()
                            .iter()
                            .filter_map(|m| {
                                Some(DbClusterMember {
                                    instance_id: m.db_instance_identifier()?.to_string(),
                                    is_writer: m.is_cluster_writer().unwrap_or(false),
                                    promotion_tier: m.promotion_tier().map(i64::from),
                                })
                            })
                            .collect(),
                        kms_key_id: c.kms_key_id().map(str::to_string),
                        storage_encrypted: c.storage_encrypted(),
                    }
                })),
                Err(err) => {
                    part.gaps
                        .push(gap("rds.db_clusters", &region, "DescribeDBClusters", &err));
                    break;
                }
            }
        }
    }
    let bounds = global_db_rpo_bounds(&ctx, &client, &region, &clusters, &mut part).await;
    for cluster in &mut clusters {
        if let Some(group) = &cluster.parameter_group {
            cluster.global_db_rpo_seconds = bounds.get(group).copied().flatten();
        }
    }
    part.count("DB clusters", clusters.len());
    part.edit_region(&region, move |data| data.db_clusters.extend(clusters));
    part
}

/// Collects the DB instances of one region (Aurora cluster members and
/// standalone instances alike: `DescribeDBInstances` lists both).
pub(crate) async fn db_instances(ctx: Arc<Ctx>, region: String, _view: Arc<Snapshot>) -> Part {
    let client = client(&ctx, &region);
    let mut part = Part::new();
    let mut instances = Vec::new();
    {
        let _permit = ctx.permit(SERVICE).await;
        let mut pages = client
            .describe_db_instances()
            // The largest page AWS allows: fewer round trips.
            .max_records(100)
            .into_paginator()
            .send();
        while let Some(page) = pages.next().await {
            match page {
                Ok(page) => instances.extend(page.db_instances().iter().map(|i| DbInstance {
                    id: i.db_instance_identifier().unwrap_or_default().to_string(),
                    arn: i.db_instance_arn().unwrap_or_default().to_string(),
                    cluster_id: i.db_cluster_identifier().map(str::to_string),
                    instance_class: i.db_instance_class().map(str::to_string),
                    engine: i.engine().map(str::to_string),
                    engine_version: i.engine_version().map(str::to_string),
                    status: i.db_instance_status().map(str::to_string),
                    availability_zone: i.availability_zone().map(str::to_string),
                    promotion_tier: i.promotion_tier().map(i64::from),
                    tags: super::tags(i.tag_list().iter().map(|t| (t.key(), t.value()))),
                })),
                Err(err) => {
                    part.gaps.push(gap(
                        "rds.db_instances",
                        &region,
                        "DescribeDBInstances",
                        &err,
                    ));
                    break;
                }
            }
        }
    }
    part.count("DB instances", instances.len());
    part.edit_region(&region, move |data| data.db_instances.extend(instances));
    part
}

/// `rds.global_db_rpo` of every custom parameter group that an Aurora
/// PostgreSQL cluster of the region uses (`None` when the group leaves it unset).
///
/// The parameter exists for Aurora PostgreSQL only, and AWS's `default.*`
/// groups cannot be modified, so they are not read: they never set it.
async fn global_db_rpo_bounds(
    ctx: &Ctx,
    client: &Client,
    region: &str,
    clusters: &[DbCluster],
    part: &mut Part,
) -> BTreeMap<String, Option<u64>> {
    let mut bounds = BTreeMap::new();
    if !ctx.wants("rds.cluster_parameters") {
        return bounds;
    }
    let groups: std::collections::BTreeSet<&str> = clusters
        .iter()
        .filter(|c| c.engine == "aurora-postgresql")
        .filter_map(|c| c.parameter_group.as_deref())
        .filter(|group| !group.starts_with("default."))
        .collect();
    for group in groups {
        let _permit = ctx.permit(SERVICE).await;
        let mut pages = client
            .describe_db_cluster_parameters()
            .db_cluster_parameter_group_name(group)
            .source("user")
            .into_paginator()
            .send();
        let mut bound = None;
        while let Some(page) = pages.next().await {
            match page {
                Ok(page) => {
                    if let Some(value) = page
                        .parameters()
                        .iter()
                        .find(|p| p.parameter_name() == Some("rds.global_db_rpo"))
                        .and_then(|p| p.parameter_value())
                    {
                        bound = value.trim().parse::<u64>().ok();
                    }
                }
                Err(err) => {
                    part.gaps.push(gap(
                        "rds.cluster_parameters",
                        region,
                        "DescribeDBClusterParameters",
                        &err,
                    ));
                    break;
                }
            }
        }
        bounds.insert(group.to_string(), bound);
    }
    bounds
}
