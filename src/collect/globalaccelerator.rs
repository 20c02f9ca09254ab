//! Global Accelerator: accelerators, their listeners and endpoint groups.
//! The API is served only from us-west-2, whatever the app's regions.
//!
//! Calls: `ListAccelerators`, `ListListeners`, `ListEndpointGroups` (all pages).

use std::sync::Arc;

use aws_sdk_globalaccelerator::Client;

use super::{Ctx, Part, gap};
use crate::snapshot::model::{
    Accelerator, AcceleratorEndpoint, AcceleratorListener, EndpointGroup, Snapshot,
};

const SOURCE: &str = "globalaccelerator";

/// Collects every accelerator with its listeners and endpoint groups.
pub(crate) async fn collect(ctx: Arc<Ctx>, region: String, _view: Arc<Snapshot>) -> Part {
    let client = Client::from_conf(
        aws_sdk_globalaccelerator::config::Builder::from(&ctx.sdk(&region))
            .interceptor(ctx.recorder.clone())
            .build(),
    );
    let mut part = Part::new();
    let mut accelerators = Vec::new();
    {
        let _permit = ctx.permit(SOURCE).await;
        let mut pages = client.list_accelerators().into_paginator().send();
        while let Some(page) = pages.next().await {
            match page {
                Ok(page) => accelerators.extend(page.accelerators().iter().map(|a| {
                    Accelerator {
                        arn: a.accelerator_arn().unwrap_or_default().to_string(),
                        name: a.name().unwrap_or_default().to_string(),
                        enabled: a.enabled().unwrap_or(false),
                        dns_name: a.dns_name().map(str::to_string),
                        ip_addresses: a
                            .ip_sets()
                            .iter()
                            .flat_map(|set| set.ip_addresses().iter().cloned())
                            .collect(),
                        listeners: Vec::new(),
                    }
                })),
                Err(err) => {
                    part.gaps
                        .push(gap(SOURCE, &region, "ListAccelerators", &err));
                    break;
                }
            }
        }
    }
    for accelerator in &mut accelerators {
        let _permit = ctx.permit(SOURCE).await;
        let mut pages = client
            .list_listeners()
            .accelerator_arn(&accelerator.arn)
            .into_paginator()
            .send();
        while let Some(page) = pages.next().await {
            match page {
                Ok(page) => accelerator
                    .listeners
                    .extend(page.listeners().iter().map(|l| {
                        AcceleratorListener {
                            arn: l.listener_arn().unwrap_or_default().to_string(),
                            protocol: l
                                .protocol()
                                .map(|p| p.as_str().to_string())
                                .unwrap_or_default(),
                            endpoint_groups: Vec::new(),
                        }
                    })),
                Err(err) => {
                    part.gaps.push(gap(SOURCE, &region, "ListListeners", &err));
                    break;
                }
            }
        }
    }
    for listener in accelerators.iter_mut().flat_map(|a| a.listeners.iter_mut()) {
        let _permit = ctx.permit(SOURCE).await;
        let mut pages = client
            .list_endpoint_groups()
            .listener_arn(&listener.arn)
            .into_paginator()
            .send();
        while let Some(page) = pages.next().await {
            match page {
                Ok(page) => listener
                    .endpoint_groups
                    .extend(page.endpoint_groups().iter().map(endpoint_group)),
                Err(err) => {
                    part.gaps
                        .push(gap(SOURCE, &region, "ListEndpointGroups", &err));
                    break;
                }
            }
        }
    }
    part.count("accelerators", accelerators.len());
    part.edit(move |snapshot| snapshot.global.accelerators.extend(accelerators));
    part
}

fn endpoint_group(group: &aws_sdk_globalaccelerator::types::EndpointGroup) -> EndpointGroup {
    EndpointGroup {
        arn: group.endpoint_group_arn().unwrap_or_default().to_string(),
        region: group
            .endpoint_group_region()
            .unwrap_or_default()
            .to_string(),
        health_check_protocol: group
            .health_check_protocol()
            .map(|p| p.as_str().to_string()),
        health_check_path: group.health_check_path().map(str::to_string),
        health_check_interval_seconds: group.health_check_interval_seconds().map(i64::from),
        threshold_count: group.threshold_count().map(i64::from),
        traffic_dial_percentage: group.traffic_dial_percentage().map(f64::from),
        endpoints: group
            .endpoint_descriptions()
            .iter()
            .map(|e| AcceleratorEndpoint {
                endpoint_id: e.endpoint_id().unwrap_or_default().to_string(),
                weight: e.weight().map(i64::from),
                health_state: e.health_state().map(|h| h.as_str().to_string()),
            })
            .collect(),
    }
}
