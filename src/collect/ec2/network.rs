//! The security groups and subnets a region's launch templates and Auto
//! Scaling groups name, among those that exist in the region: a DR template
//! that names a group or subnet of the primary region cannot launch there.
//!
//! Calls: `DescribeSecurityGroups` with a `group-id` filter and
//! `DescribeSubnets` with a `subnet-id` filter (side by side, all pages, up
//! to 200 ids a call). Filters, not `GroupIds`/`SubnetIds`: with the latter
//! one id that does not exist fails the whole call (`InvalidGroup.NotFound`,
//! `InvalidSubnetID.NotFound`), while a filter leaves it out of the answer,
//! and a missing id is what a rule wants to find (data, never a gap).

use std::collections::BTreeSet;
use std::sync::Arc;

use aws_sdk_ec2::Client;
use aws_sdk_ec2::types::Filter;
use futures_util::future::join;

use super::{SERVICE, client};
use crate::collect::{Ctx, Part, gap};
use crate::snapshot::model::{CollectionGap, SecurityGroup, Snapshot, Subnet};

const SOURCE: &str = "ec2.network";
/// Values per filter EC2 accepts in one request.
const MAX_FILTER_VALUES: usize = 200;

/// Collects the security groups and subnets the region's templates and groups name.
pub(crate) async fn network(ctx: Arc<Ctx>, region: String, view: Arc<Snapshot>) -> Part {
    let mut part = Part::new();
    let Some(data) = view.regions.get(&region) else {
        return part;
    };
    let versions = data.launch_templates.iter().flat_map(|t| &t.versions);
    let group_ids: Vec<String> = versions
        .clone()
        .flat_map(|v| v.security_group_ids.iter().cloned())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let subnet_ids: Vec<String> = versions
        .flat_map(|v| v.subnet_ids.iter().cloned())
        .chain(
            data.auto_scaling_groups
                .iter()
                .flat_map(|g| g.vpc_zone_identifier.iter().cloned()),
        )
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let client = client(&ctx, &region);
    let ((groups, group_gap), (subnets, subnet_gap)) = join(
        security_groups(&ctx, &client, &region, &group_ids),
        subnets(&ctx, &client, &region, &subnet_ids),
    )
    .await;
    part.gaps.extend(group_gap);
    part.gaps.extend(subnet_gap);
    part.count("security groups", groups.len());
    part.count("subnets", subnets.len());
    part.edit_region(&region, move |data| {
        data.security_groups.extend(groups);
        data.subnets.extend(subnets);
    });
    part
}

/// The groups among `ids` that exist (`DescribeSecurityGroups`, all pages).
async fn security_groups(
    ctx: &Ctx,
    client: &Client,
    region: &str,
    ids: &[String],
) -> (Vec<SecurityGroup>, Option<CollectionGap>) {
    let mut found = Vec::new();
    for chunk in ids.chunks(MAX_FILTER_VALUES) {
        let _permit = ctx.permit(SERVICE).await;
        let mut pages = client
            .describe_security_groups()
            .filters(id_filter("group-id", chunk))
            .into_paginator()
            .send();
        while let Some(page) = pages.next().await {
            match page {
                Ok(page) => found.extend(page.security_groups().iter().filter_map(|g| {
                    Some(SecurityGroup {
                        id: g.group_id()?.to_string(),
                        name: g.group_name().map(str::to_string),
                        vpc_id: g.vpc_id().map(str::to_string),
                    })
                })),
                Err(err) => {
                    return (
                        found,
                        Some(gap(SOURCE, region, "DescribeSecurityGroups", &err)),
                    );
                }
            }
        }
    }
    (found, None)
}

/// The subnets among `ids` that exist (`DescribeSubnets`, all pages).
async fn subnets(
    ctx: &Ctx,
    client: &Client,
    region: &str,
    ids: &[String],
) -> (Vec<Subnet>, Option<CollectionGap>) {
    let mut found = Vec::new();
    for chunk in ids.chunks(MAX_FILTER_VALUES) {
        let _permit = ctx.permit(SERVICE).await;
        let mut pages = client
            .describe_subnets()
            .filters(id_filter("subnet-id", chunk))
            .into_paginator()
            .send();
        while let Some(page) = pages.next().await {
            match page {
                Ok(page) => found.extend(page.subnets().iter().filter_map(|s| {
                    Some(Subnet {
                        id: s.subnet_id()?.to_string(),
                        vpc_id: s.vpc_id().map(str::to_string),
                        availability_zone: s.availability_zone().map(str::to_string),
                    })
                })),
                Err(err) => {
                    return (found, Some(gap(SOURCE, region, "DescribeSubnets", &err)));
                }
            }
        }
    }
    (found, None)
}

fn id_filter(name: &str, ids: &[String]) -> Filter {
    Filter::builder()
        .name(name)
        .set_values(Some(ids.to_vec()))
        .build()
}
