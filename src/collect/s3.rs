//! S3: every bucket with its region; for buckets in the app's two regions,
//! also versioning, default encryption, replication configuration (rules,
//! destination, Replication Time Control, metrics, delete-marker replication,
//! SSE-KMS object replication and the replicas' key) and tags.
//! Buckets in other regions are listed with their region only.
//!
//! Calls: `ListBuckets` (paginated, 10,000 a page; so asked, it reports each
//! bucket's region), then
//! per bucket `GetBucketLocation` (only when the listing gave no region),
//! `GetBucketVersioning`, `GetBucketEncryption`, `GetBucketReplication` and
//! `GetBucketTagging`,
//! each sent to the bucket's own region. With a custom endpoint
//! (`AWS_ENDPOINT_URL`) S3 uses path-style addressing.

use std::sync::Arc;

use aws_sdk_s3::Client;
use tokio::task::JoinSet;

use super::{Ctx, Part, error_code, gap};
use crate::snapshot::model::{
    Bucket, BucketEncryption, BucketReplication, CollectionGap, ReplicationRule, Snapshot,
};

const SERVICE: &str = "s3";

fn client(ctx: &Ctx, region: &str) -> Client {
    Client::from_conf(
        aws_sdk_s3::config::Builder::from(&ctx.sdk(region))
            .force_path_style(ctx.session.custom_endpoint)
            .interceptor(ctx.recorder.clone())
            .build(),
    )
}

/// Collects the buckets.
pub(crate) async fn collect(ctx: Arc<Ctx>, region: String, _view: Arc<Snapshot>) -> Part {
    let mut part = Part::new();
    let listing = client(&ctx, &region);
    let mut listed: Vec<(String, Option<String>)> = Vec::new();
    {
        let _permit = ctx.permit(SERVICE).await;
        // A paginated request: S3 reports `BucketRegion` only when the request
        // has a parameter, and rejects unpaginated listings in accounts whose
        // bucket quota is above 10,000. 10,000 is the largest page.
        let mut pages = listing
            .list_buckets()
            .max_buckets(10_000)
            .into_paginator()
            .send();
        while let Some(page) = pages.next().await {
            match page {
                Ok(page) => listed.extend(page.buckets().iter().filter_map(|b| {
                    Some((b.name()?.to_string(), b.bucket_region().map(str::to_string)))
                })),
                Err(err) => {
                    part.gaps
                        .push(gap("s3.buckets", "global", "ListBuckets", &err));
                    break;
                }
            }
        }
    }
    let mut tasks = JoinSet::new();
    for (name, bucket_region) in listed {
        let ctx = Arc::clone(&ctx);
        let listing = listing.clone();
        tasks.spawn(async move { bucket(&ctx, &listing, name, bucket_region).await });
    }
    let mut buckets = Vec::new();
    while let Some(joined) = tasks.join_next().await {
        match joined {
            Ok((bucket, gaps)) => {
                buckets.extend(bucket);
                part.gaps.extend(gaps);
            }
            Err(err) => part.gaps.push(CollectionGap {
                service: "s3".into(),
                resource: None,
                region: "global".into(),
                operation: "collector".into(),
                error_code: "Panic".into(),
                message: err.to_string(),
            }),
        }
    }
    part.count("buckets", buckets.len());
    part.edit(move |snapshot| snapshot.global.buckets.extend(buckets));
    part
}

/// Reads one bucket's details from its own region.
async fn bucket(
    ctx: &Ctx,
    listing: &Client,
    name: String,
    listed_region: Option<String>,
) -> (Option<Bucket>, Vec<CollectionGap>) {
    let mut gaps = Vec::new();
    let region = match listed_region.filter(|r| !r.is_empty()) {
        Some(region) => region,
        None => {
            let _permit = ctx.permit(SERVICE).await;
            match listing.get_bucket_location().bucket(&name).send().await {
                Ok(location) => match location.location_constraint().map(|c| c.as_str()) {
                    None | Some("") => "us-east-1".to_string(),
                    Some("EU") => "eu-west-1".to_string(),
                    Some(other) => other.to_string(),
                },
                Err(err) => {
                    gaps.push(gap("s3.buckets", "global", "GetBucketLocation", &err));
                    return (None, gaps);
                }
            }
        }
    };
    let mut bucket = Bucket {
        name: name.clone(),
        region: region.clone(),
        versioning: None,
        default_encryption: None,
        replication: None,
        tags: Default::default(),
    };
    if region != ctx.primary_region && region != ctx.dr_region {
        return (Some(bucket), gaps);
    }
    let client = client(ctx, &region);
    if ctx.wants("s3.versioning") {
        let _permit = ctx.permit(SERVICE).await;
        match client.get_bucket_versioning().bucket(&name).send().await {
            Ok(out) => bucket.versioning = out.status().map(|s| s.as_str().to_string()),
            Err(err) => gaps.push(gap("s3.versioning", &region, "GetBucketVersioning", &err)),
        }
    }
    if ctx.wants("s3.encryption") {
        let _permit = ctx.permit(SERVICE).await;
        match client.get_bucket_encryption().bucket(&name).send().await {
            Ok(out) => bucket.default_encryption = encryption(&out),
            // No default encryption: only buckets from before 2023 could say so.
            Err(err)
                if error_code(&err) == Some("ServerSideEncryptionConfigurationNotFoundError") => {}
            Err(err) => gaps.push(gap("s3.encryption", &region, "GetBucketEncryption", &err)),
        }
    }
    if ctx.wants("s3.replication") {
        let _permit = ctx.permit(SERVICE).await;
        match client.get_bucket_replication().bucket(&name).send().await {
            Ok(out) => {
                bucket.replication = out.replication_configuration().map(|c| BucketReplication {
                    role: Some(c.role().to_string()).filter(|r| !r.is_empty()),
                    rules: c.rules().iter().map(rule).collect(),
                })
            }
            Err(err) if error_code(&err) == Some("ReplicationConfigurationNotFoundError") => {}
            Err(err) => gaps.push(gap("s3.replication", &region, "GetBucketReplication", &err)),
        }
    }
    {
        let _permit = ctx.permit(SERVICE).await;
        match client.get_bucket_tagging().bucket(&name).send().await {
            Ok(out) => {
                bucket.tags = out
                    .tag_set()
                    .iter()
                    .map(|t| (t.key().to_string(), t.value().to_string()))
                    .collect()
            }
            Err(err) if error_code(&err) == Some("NoSuchTagSet") => {}
            Err(err) => gaps.push(gap("s3.buckets", &region, "GetBucketTagging", &err)),
        }
    }
    (Some(bucket), gaps)
}

/// The default encryption of a `GetBucketEncryption` answer: its rule with a
/// default (AWS allows one rule per bucket).
fn encryption(
    out: &aws_sdk_s3::operation::get_bucket_encryption::GetBucketEncryptionOutput,
) -> Option<BucketEncryption> {
    let rules = out.server_side_encryption_configuration()?.rules();
    rules.iter().find_map(|rule| {
        let default = rule.apply_server_side_encryption_by_default()?;
        Some(BucketEncryption {
            sse_algorithm: default.sse_algorithm().as_str().to_string(),
            kms_master_key_id: default
                .kms_master_key_id()
                .filter(|k| !k.is_empty())
                .map(str::to_string),
            bucket_key_enabled: rule.bucket_key_enabled(),
        })
    })
}

// `ReplicationRule::prefix` is the V1 schema's rule-level prefix, deprecated in
// favour of `Filter` but still returned for rules written that way.
#[allow(deprecated)]
fn rule(rule: &aws_sdk_s3::types::ReplicationRule) -> ReplicationRule {
    let destination = rule.destination();
    let enabled = |status: Option<&str>| status == Some("Enabled");
    ReplicationRule {
        id: rule.id().map(str::to_string),
        status: rule.status().as_str().to_string(),
        priority: rule.priority().map(i64::from),
        prefix: rule
            .filter()
            .and_then(|f| f.prefix().or_else(|| f.and().and_then(|a| a.prefix())))
            .or(rule.prefix())
            .filter(|p| !p.is_empty())
            .map(str::to_string),
        destination_bucket_arn: destination
            .map(|d| d.bucket().to_string())
            .unwrap_or_default(),
        storage_class: destination
            .and_then(|d| d.storage_class())
            .map(|s| s.as_str().to_string()),
        replication_time_enabled: enabled(
            destination
                .and_then(|d| d.replication_time())
                .map(|t| t.status().as_str()),
        ),
        replication_time_minutes: destination
            .and_then(|d| d.replication_time())
            .and_then(|t| t.time())
            .and_then(|t| t.minutes())
            .map(i64::from),
        metrics_enabled: enabled(
            destination
                .and_then(|d| d.metrics())
                .map(|m| m.status().as_str()),
        ),
        delete_marker_replication: enabled(
            rule.delete_marker_replication()
                .and_then(|d| d.status())
                .map(|s| s.as_str()),
        ),
        sse_kms_encrypted_objects: rule
            .source_selection_criteria()
            .and_then(|c| c.sse_kms_encrypted_objects())
            .map(|o| o.status().as_str().to_string()),
        replica_kms_key_id: destination
            .and_then(|d| d.encryption_configuration())
            .and_then(|e| e.replica_kms_key_id())
            .filter(|k| !k.is_empty())
            .map(str::to_string),
    }
}
