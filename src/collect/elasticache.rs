//! ElastiCache: replication groups per region (automatic failover, Multi-AZ,
//! node type, engine and version, global datastore membership, tags), and the
//! global datastores (account-wide, read once from the primary region).
//!
//! Calls: `DescribeReplicationGroups`, `DescribeCacheClusters` (one listing
//! per region, for the engine version, which replication groups do not
//! report), `ListTagsForResource` (one per replication group), and
//! `DescribeGlobalReplicationGroups` with `ShowMemberInfo`.

use std::collections::BTreeMap;
use std::sync::Arc;

use futures_util::future::join_all;

use aws_sdk_elasticache::Client;

use super::{Ctx, Part, gap};
use crate::snapshot::model::{
    CacheReplicationGroup, GlobalReplicationGroup, GlobalReplicationGroupMember, Snapshot,
};

const SERVICE: &str = "elasticache";

fn client(ctx: &Ctx, region: &str) -> Client {
    Client::from_conf(
        aws_sdk_elasticache::config::Builder::from(&ctx.sdk(region))
            .interceptor(ctx.recorder.clone())
            .build(),
    )
}

/// Collects the replication groups of one region.
pub(crate) async fn replication_groups(
    ctx: Arc<Ctx>,
    region: String,
    _view: Arc<Snapshot>,
) -> Part {
    let source = "elasticache.replication_groups";
    let client = client(&ctx, &region);
    let mut part = Part::new();
    let mut groups = Vec::new();
    {
        let _permit = ctx.permit(SERVICE).await;
        let mut pages = client.describe_replication_groups().into_paginator().send();
        while let Some(page) = pages.next().await {
            match page {
                Ok(page) => groups.extend(page.replication_groups().iter().map(|g| {
                    CacheReplicationGroup {
                        id: g.replication_group_id().unwrap_or_default().to_string(),
                        arn: g.arn().map(str::to_string),
                        status: g.status().map(str::to_string),
                        automatic_failover: g.automatic_failover().map(|s| s.as_str().to_string()),
                        multi_az: g.multi_az().map(|s| s.as_str().to_string()),
                        node_type: g.cache_node_type().map(str::to_string),
                        engine: g.engine().map(str::to_string),
                        engine_version: None,
                        global_replication_group_id: g
                            .global_replication_group_info()
                            .and_then(|i| i.global_replication_group_id())
                            .map(str::to_string),
                        global_replication_group_role: g
                            .global_replication_group_info()
                            .and_then(|i| i.global_replication_group_member_role())
                            .map(str::to_ascii_lowercase),
                        tags: BTreeMap::new(),
                    }
                })),
                Err(err) => {
                    part.gaps
                        .push(gap(source, &region, "DescribeReplicationGroups", &err));
                    break;
                }
            }
        }
    }
    if !groups.is_empty() {
        let _permit = ctx.permit(SERVICE).await;
        let mut versions: BTreeMap<String, String> = BTreeMap::new();
        let mut pages = client.describe_cache_clusters().into_paginator().send();
        while let Some(page) = pages.next().await {
            match page {
                Ok(page) => {
                    for cluster in page.cache_clusters() {
                        if let (Some(group), Some(version)) =
                            (cluster.replication_group_id(), cluster.engine_version())
                        {
                            versions.insert(group.to_string(), version.to_string());
                        }
                    }
                }
                Err(err) => {
                    part.gaps
                        .push(gap(source, &region, "DescribeCacheClusters", &err));
                    break;
                }
            }
        }
        for group in &mut groups {
            group.engine_version = versions.get(&group.id).cloned();
        }
    }
    // One tag listing per group, concurrently under the service's cap.
    let listings = join_all(groups.iter().map(|group| async {
        let arn = group.arn.as_deref()?;
        let _permit = ctx.permit(SERVICE).await;
        Some(
            client
                .list_tags_for_resource()
                .resource_name(arn)
                .send()
                .await,
        )
    }))
    .await;
    for (group, listing) in groups.iter_mut().zip(listings) {
        match listing {
            Some(Ok(tags)) => {
                group.tags = super::tags(tags.tag_list().iter().map(|t| (t.key(), t.value())));
            }
            Some(Err(err)) => part
                .gaps
                .push(gap(source, &region, "ListTagsForResource", &err)),
            None => {}
        }
    }
    part.count("replication groups", groups.len());
    part.edit_region(&region, move |data| {
        data.cache_replication_groups.extend(groups)
    });
    part
}

/// Collects the global datastores.
pub(crate) async fn global_replication_groups(
    ctx: Arc<Ctx>,
    region: String,
    _view: Arc<Snapshot>,
) -> Part {
    let client = client(&ctx, &region);
    let mut part = Part::new();
    let mut groups = Vec::new();
    {
        let _permit = ctx.permit(SERVICE).await;
        let mut pages = client
            .describe_global_replication_groups()
            .show_member_info(true)
            .into_paginator()
            .send();
        while let Some(page) = pages.next().await {
            match page {
                Ok(page) => groups.extend(page.global_replication_groups().iter().map(|g| {
                    GlobalReplicationGroup {
                        id: g
                            .global_replication_group_id()
                            .unwrap_or_default()
                            .to_string(),
                        status: g.status().map(str::to_string),
                        members: g
                            .members()
                            .iter()
                            .filter_map(|m| {
                                Some(GlobalReplicationGroupMember {
                                    replication_group_id: m.replication_group_id()?.to_string(),
                                    region: m.replication_group_region()?.to_string(),
                                    role: m.role().unwrap_or_default().to_ascii_lowercase(),
                                })
                            })
                            .collect(),
                    }
                })),
                Err(err) => {
                    part.gaps.push(gap(
                        "elasticache.global_replication_groups",
                        "global",
                        "DescribeGlobalReplicationGroups",
                        &err,
                    ));
                    break;
                }
            }
        }
    }
    part.count("global datastores", groups.len());
    part.edit(move |snapshot| snapshot.global.global_replication_groups.extend(groups));
    part
}
