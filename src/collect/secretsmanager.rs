//! Secrets Manager, per region: every secret (its name, key, tags, owning
//! service, primary region) and, for a secret whose primary lives in this
//! region, each replica with its status. Secret values are never read.
//!
//! Calls: `ListSecrets` (all pages; secrets scheduled for deletion are not
//! listed), then one `DescribeSecret` per secret whose primary region is this
//! one: the listing has no replication status. A replica (its listing names
//! another primary region) is taken from the listing as it is: its status is
//! read where its primary is described.

use std::sync::Arc;

use aws_sdk_secretsmanager::Client;
use aws_sdk_secretsmanager::types::{ReplicationStatusType, SecretListEntry, Tag};
use futures_util::future::join_all;

use super::{Ctx, Part, error_code, gap};
use crate::snapshot::model::{Secret, SecretReplica, Snapshot, Tags};

const SOURCE: &str = "secretsmanager";

/// Collects the secrets of one region.
pub(crate) async fn collect(ctx: Arc<Ctx>, region: String, _view: Arc<Snapshot>) -> Part {
    let client = Client::from_conf(
        aws_sdk_secretsmanager::config::Builder::from(&ctx.sdk(&region))
            .interceptor(ctx.recorder.clone())
            .build(),
    );
    let mut part = Part::new();
    let mut listed: Vec<SecretListEntry> = Vec::new();
    {
        let _permit = ctx.permit(SOURCE).await;
        // The largest page AWS allows: fewer round trips.
        let mut pages = client
            .list_secrets()
            .max_results(100)
            .into_paginator()
            .send();
        while let Some(page) = pages.next().await {
            match page {
                Ok(page) => listed.extend(page.secret_list().iter().cloned()),
                Err(err) => {
                    part.gaps.push(gap(SOURCE, &region, "ListSecrets", &err));
                    break;
                }
            }
        }
    }
    let (primaries, replicas): (Vec<_>, Vec<_>) = listed
        .into_iter()
        .filter(|entry| entry.arn().is_some() && entry.name().is_some())
        .partition(|entry| entry.primary_region().is_none_or(|p| p == region));
    let mut secrets: Vec<Secret> = replicas.iter().map(from_listing).collect();
    // One DescribeSecret per primary, concurrently under the service's cap.
    let (ctx, client) = (&ctx, &client);
    let described = join_all(primaries.iter().map(|entry| async move {
        let _permit = ctx.permit(SOURCE).await;
        client
            .describe_secret()
            .secret_id(entry.arn().unwrap_or_default())
            .send()
            .await
    }))
    .await;
    for (entry, result) in primaries.iter().zip(described) {
        match result {
            Ok(out) => secrets.push(Secret {
                arn: out.arn().or(entry.arn()).unwrap_or_default().to_string(),
                name: out.name().or(entry.name()).unwrap_or_default().to_string(),
                kms_key_id: out.kms_key_id().map(str::to_string),
                primary_region: out.primary_region().map(str::to_string),
                owning_service: out.owning_service().map(str::to_string),
                tags: tags(out.tags()),
                replication: out
                    .replication_status()
                    .iter()
                    .filter_map(replica)
                    .collect(),
            }),
            // Deleted between the listing and this call: no longer there.
            Err(err) if error_code(&err) == Some("ResourceNotFoundException") => {}
            Err(err) => part.gaps.push(gap(SOURCE, &region, "DescribeSecret", &err)),
        }
    }
    part.count("secrets", secrets.len());
    part.edit_region(&region, move |data| data.secrets.extend(secrets));
    part
}

/// A replica as the listing shows it (its replication is its primary's to report).
fn from_listing(entry: &SecretListEntry) -> Secret {
    Secret {
        arn: entry.arn().unwrap_or_default().to_string(),
        name: entry.name().unwrap_or_default().to_string(),
        kms_key_id: entry.kms_key_id().map(str::to_string),
        primary_region: entry.primary_region().map(str::to_string),
        owning_service: entry.owning_service().map(str::to_string),
        tags: tags(entry.tags()),
        replication: Vec::new(),
    }
}

/// One replica of a described secret; none without a region.
fn replica(status: &ReplicationStatusType) -> Option<SecretReplica> {
    Some(SecretReplica {
        region: status.region()?.to_string(),
        kms_key_id: status.kms_key_id().map(str::to_string),
        status: status.status().map(|s| s.as_str().to_string()),
        status_message: status.status_message().map(str::to_string),
    })
}

fn tags(tags: &[Tag]) -> Tags {
    tags.iter()
        .filter_map(|t| {
            Some((
                t.key()?.to_string(),
                t.value().unwrap_or_default().to_string(),
            ))
        })
        .collect()
}
