//! The instance types a region's launch templates launch, as that region
//! offers them: vCPUs (what an instance counts against the On-Demand vCPU
//! quota) and memory.
//!
//! Calls: `DescribeInstanceTypes` with an `instance-type` filter of the types
//! the collected launch template versions name (all pages). A filter, not
//! `InstanceTypes`: with the latter one type the region does not offer fails
//! the whole call (`InvalidInstanceType`), while a type missing from the
//! answer is exactly what a rule wants to see.

use std::collections::BTreeSet;
use std::sync::Arc;

use aws_sdk_ec2::types::Filter;

use super::{SERVICE, client};
use crate::collect::{Ctx, Part, gap};
use crate::snapshot::model::{InstanceTypeInfo, Snapshot};

const SOURCE: &str = "ec2.instance_types";
/// Values per filter EC2 accepts in one request.
const MAX_FILTER_VALUES: usize = 200;

/// Collects the instance types the region's launch templates launch.
pub(crate) async fn instance_types(ctx: Arc<Ctx>, region: String, view: Arc<Snapshot>) -> Part {
    let mut part = Part::new();
    let wanted: Vec<String> = view
        .regions
        .get(&region)
        .map(|r| r.launch_templates.as_slice())
        .unwrap_or_default()
        .iter()
        .flat_map(|t| &t.versions)
        .filter_map(|v| v.instance_type.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let client = client(&ctx, &region);
    let mut found = Vec::new();
    for chunk in wanted.chunks(MAX_FILTER_VALUES) {
        let _permit = ctx.permit(SERVICE).await;
        let mut pages = client
            .describe_instance_types()
            .filters(
                Filter::builder()
                    .name("instance-type")
                    .set_values(Some(chunk.to_vec()))
                    .build(),
            )
            .into_paginator()
            .send();
        while let Some(page) = pages.next().await {
            match page {
                Ok(page) => found.extend(page.instance_types().iter().filter_map(|info| {
                    Some(InstanceTypeInfo {
                        instance_type: info.instance_type()?.as_str().to_string(),
                        vcpus: info
                            .v_cpu_info()
                            .and_then(|v| v.default_v_cpus())
                            .map(i64::from),
                        memory_mib: info.memory_info().and_then(|m| m.size_in_mib()),
                    })
                })),
                Err(err) => {
                    part.gaps
                        .push(gap(SOURCE, &region, "DescribeInstanceTypes", &err));
                    break;
                }
            }
        }
    }
    part.count("instance types", found.len());
    part.edit_region(&region, move |data| data.instance_types.extend(found));
    part
}
