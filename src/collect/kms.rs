//! KMS, per region: every key with its state, manager, multi-Region type
//! and the aliases that point at it. A key works only in its own region, so
//! the DR region's list is what the DR resources can decrypt with.
//!
//! Calls: `ListKeys` and `ListAliases` (all pages each, side by side), then
//! one `DescribeKey` per key: the listing gives ids only, and `ListAliases`
//! is the one call that maps alias names to keys. Aliases that target no key
//! (AWS lists predefined `alias/aws/*` names before their key exists) are
//! left out.

use std::collections::BTreeMap;
use std::sync::Arc;

use aws_sdk_kms::Client;
use futures_util::future::{join, join_all};

use super::{Ctx, Part, gap};
use crate::snapshot::model::{CollectionGap, KmsKey, Snapshot};

const SOURCE: &str = "kms";

/// Collects the keys of one region.
pub(crate) async fn collect(ctx: Arc<Ctx>, region: String, _view: Arc<Snapshot>) -> Part {
    let client = Client::from_conf(
        aws_sdk_kms::config::Builder::from(&ctx.sdk(&region))
            .interceptor(ctx.recorder.clone())
            .build(),
    );
    let mut part = Part::new();
    let ((key_ids, key_gap), (mut aliases, alias_gap)) = join(
        list_keys(&ctx, &client, &region),
        list_aliases(&ctx, &client, &region),
    )
    .await;
    part.gaps.extend(key_gap);
    part.gaps.extend(alias_gap);
    // One DescribeKey per key, concurrently under the service's cap.
    let (ctx, client) = (&ctx, &client);
    let described = join_all(key_ids.iter().map(|id| async move {
        let _permit = ctx.permit(SOURCE).await;
        client.describe_key().key_id(id).send().await
    }))
    .await;
    let mut keys = Vec::new();
    for result in described {
        match result {
            Ok(out) => {
                let Some(meta) = out.key_metadata() else {
                    continue;
                };
                keys.push(KmsKey {
                    aliases: aliases.remove(meta.key_id()).unwrap_or_default(),
                    id: meta.key_id().to_string(),
                    arn: meta.arn().map(str::to_string).unwrap_or_default(),
                    key_state: meta.key_state().map(|s| s.as_str().to_string()),
                    enabled: meta.enabled(),
                    key_manager: meta.key_manager().map(|m| m.as_str().to_string()),
                    multi_region: meta.multi_region(),
                    multi_region_key_type: meta
                        .multi_region_configuration()
                        .and_then(|c| c.multi_region_key_type())
                        .map(|t| t.as_str().to_string()),
                    description: meta
                        .description()
                        .filter(|d| !d.is_empty())
                        .map(str::to_string),
                });
            }
            Err(err) => part.gaps.push(gap(SOURCE, &region, "DescribeKey", &err)),
        }
    }
    part.count("keys", keys.len());
    part.edit_region(&region, move |data| data.kms_keys.extend(keys));
    part
}

/// Every key id of the region (`ListKeys`, all pages, in order).
async fn list_keys(
    ctx: &Ctx,
    client: &Client,
    region: &str,
) -> (Vec<String>, Option<CollectionGap>) {
    let _permit = ctx.permit(SOURCE).await;
    let mut ids = Vec::new();
    // The largest page AWS allows: fewer round trips.
    let mut pages = client.list_keys().limit(1000).into_paginator().send();
    while let Some(page) = pages.next().await {
        match page {
            Ok(page) => ids.extend(
                page.keys()
                    .iter()
                    .filter_map(|k| k.key_id().map(str::to_string)),
            ),
            Err(err) => return (ids, Some(gap(SOURCE, region, "ListKeys", &err))),
        }
    }
    (ids, None)
}

/// Alias names by the key id they target (`ListAliases`, all pages, in order).
async fn list_aliases(
    ctx: &Ctx,
    client: &Client,
    region: &str,
) -> (BTreeMap<String, Vec<String>>, Option<CollectionGap>) {
    let _permit = ctx.permit(SOURCE).await;
    let mut aliases: BTreeMap<String, Vec<String>> = BTreeMap::new();
    // The largest page AWS allows.
    let mut pages = client.list_aliases().limit(100).into_paginator().send();
    while let Some(page) = pages.next().await {
        match page {
            Ok(page) => {
                for alias in page.aliases() {
                    if let (Some(name), Some(key)) = (alias.alias_name(), alias.target_key_id()) {
                        aliases
                            .entry(key.to_string())
                            .or_default()
                            .push(name.to_string());
                    }
                }
            }
            Err(err) => return (aliases, Some(gap(SOURCE, region, "ListAliases", &err))),
        }
    }
    (aliases, None)
}
