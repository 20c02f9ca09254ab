//! EC2, per region: the AMIs the account owns (here), the launch template
//! versions its Auto Scaling groups use ([`launch_templates`]), and what
//! those templates and groups name: instance types ([`instance_types`]),
//! security groups and subnets ([`network`]).
//!
//! Calls here: `DescribeImages` with `Owners=self` (all pages; without the
//! owner filter EC2 lists the public catalogue too).

mod instance_types;
mod launch_templates;
mod network;

use std::sync::Arc;

use aws_sdk_ec2::Client;

pub(crate) use instance_types::instance_types;
pub(crate) use launch_templates::launch_templates;
pub(crate) use network::network;

use super::{Ctx, Part, gap};
use crate::snapshot::model::{Image, Snapshot};

const SERVICE: &str = "ec2";

/// An EC2 client for a region, with the call log.
fn client(ctx: &Ctx, region: &str) -> Client {
    Client::from_conf(
        aws_sdk_ec2::config::Builder::from(&ctx.sdk(region))
            .interceptor(ctx.recorder.clone())
            .build(),
    )
}

/// Collects the images the account owns in one region.
pub(crate) async fn images(ctx: Arc<Ctx>, region: String, _view: Arc<Snapshot>) -> Part {
    let client = client(&ctx, &region);
    let mut part = Part::new();
    let mut images = Vec::new();
    {
        let _permit = ctx.permit(SERVICE).await;
        let mut pages = client
            .describe_images()
            .owners("self")
            .into_paginator()
            .send();
        while let Some(page) = pages.next().await {
            match page {
                Ok(page) => images.extend(page.images().iter().map(|image| {
                    Image {
                        id: image.image_id().unwrap_or_default().to_string(),
                        name: image.name().map(str::to_string),
                        description: image.description().map(str::to_string),
                        state: image
                            .state()
                            .map(|s| s.as_str().to_string())
                            .unwrap_or_else(|| "unknown".into()),
                        creation_date: image.creation_date().map(str::to_string),
                        source_image_id: image.source_image_id().map(str::to_string),
                        source_image_region: image.source_image_region().map(str::to_string),
                        tags: super::tags(image.tags().iter().map(|t| (t.key(), t.value()))),
                    }
                })),
                Err(err) => {
                    part.gaps
                        .push(gap("ec2.images", &region, "DescribeImages", &err));
                    break;
                }
            }
        }
    }
    part.count("images", images.len());
    part.edit_region(&region, move |data| data.images.extend(images));
    part
}
