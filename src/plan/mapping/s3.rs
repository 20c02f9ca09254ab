//! S3 buckets and the standalone resources that configure them
//! (versioning, replication, default encryption). A standalone resource
//! wins over the bucket's inline block (the provider documents that the two
//! must not be combined).

use serde_json::Value;

use super::{BUCKETS, Ctx, Mapping, computed, link, not_placed, value};
use crate::snapshot::Snapshot;
use crate::snapshot::model::{Bucket, BucketEncryption, BucketReplication, ReplicationRule};

/// `aws_s3_bucket`.
pub const BUCKET: Mapping = Mapping {
    tf_type: "aws_s3_bucket",
    kind: "s3.bucket",
    source: "s3.buckets",
    global: false,
    attrs: &[
        value("bucket", "name"),
        computed(
            "versioning.0.enabled",
            "versioning (inline, provider < 4)",
            "null",
        ),
        computed(
            "replication_configuration",
            "replication (inline, provider < 4)",
            "[]",
        ),
        computed(
            "server_side_encryption_configuration",
            "default_encryption (inline)",
            SSE_S3,
        ),
        value("tags", "tags"),
    ],
    upsert: bucket_upsert,
    remove: bucket_remove,
    exists: bucket_exists,
};

/// S3's default encryption of a new bucket (SSE-S3, since January 2023), as
/// the provider writes `server_side_encryption_configuration`.
pub(super) const SSE_S3: &str = r#"[{"rule":[{"apply_server_side_encryption_by_default":[{"sse_algorithm":"AES256","kms_master_key_id":""}],"bucket_key_enabled":false}]}]"#;

fn bucket_key(values: &Value) -> Option<String> {
    super::values::text(values, "bucket").or_else(|| super::values::text(values, "id"))
}

fn bucket_upsert(ctx: &mut Ctx<'_, '_, '_>, snapshot: &mut Snapshot) -> Result<String, String> {
    let before = bucket_key(ctx.before());
    let name = ctx
        .text("bucket")
        .ok_or("no bucket name (known after apply)")?;
    let inline_versioning = ctx
        .boolean("versioning.0.enabled")
        .map(|on| if on { "Enabled" } else { "Suspended" }.to_string());
    let inline_replication = ctx
        .get("replication_configuration")
        .get(0)
        .map(inline_rules);
    let inline_encryption = ctx
        .get("server_side_encryption_configuration")
        .get(0)
        .and_then(|c| encryption(c, "rule.0.apply_server_side_encryption_by_default.0."));
    let tags = ctx.tags();
    let region = ctx.region.clone();
    let find = before.unwrap_or_else(|| name.clone());
    let buckets = &mut snapshot.global.buckets;
    ctx.cache
        .borrow_mut()
        .upsert(BUCKETS, buckets, bucket_name, &find, |old| match old {
            Some(old) => Bucket {
                name: name.clone(),
                region,
                versioning: inline_versioning.or(old.versioning),
                default_encryption: inline_encryption.or(old.default_encryption),
                replication: inline_replication.or(old.replication),
                tags,
            },
            None => Bucket {
                name: name.clone(),
                region,
                versioning: inline_versioning,
                // S3 encrypts every new bucket with SSE-S3 since January 2023.
                default_encryption: inline_encryption.or(Some(BucketEncryption {
                    sse_algorithm: "AES256".into(),
                    kms_master_key_id: None,
                    bucket_key_enabled: None,
                })),
                replication: inline_replication,
                tags,
            },
        });
    Ok(name)
}

fn inline_rules(config: &Value) -> BucketReplication {
    let text = super::values::text;
    let rules = config
        .get("rules")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|rule| ReplicationRule {
            id: text(rule, "id").filter(|s| !s.is_empty()),
            status: text(rule, "status").unwrap_or_else(|| "Enabled".into()),
            priority: super::values::int(rule, "priority"),
            prefix: text(rule, "prefix").filter(|s| !s.is_empty()),
            destination_bucket_arn: text(rule, "destination.0.bucket").unwrap_or_default(),
            storage_class: text(rule, "destination.0.storage_class").filter(|s| !s.is_empty()),
            replication_time_enabled: text(rule, "destination.0.replication_time.0.status")
                .as_deref()
                == Some("Enabled"),
            replication_time_minutes: super::values::int(
                rule,
                "destination.0.replication_time.0.minutes",
            ),
            metrics_enabled: text(rule, "destination.0.metrics.0.status").as_deref()
                == Some("Enabled"),
            delete_marker_replication: text(rule, "delete_marker_replication_status").as_deref()
                == Some("Enabled"),
            sse_kms_encrypted_objects: text(
                rule,
                "source_selection_criteria.0.sse_kms_encrypted_objects.0.enabled",
            )
            .map(|on| if on == "true" { "Enabled" } else { "Disabled" }.to_string()),
            replica_kms_key_id: text(rule, "destination.0.replica_kms_key_id")
                .filter(|s| !s.is_empty()),
        })
        .collect();
    BucketReplication {
        role: text(config, "role").filter(|s| !s.is_empty()),
        rules,
    }
}

fn encryption(config: &Value, prefix: &str) -> Option<BucketEncryption> {
    Some(BucketEncryption {
        sse_algorithm: super::values::text(config, &format!("{prefix}sse_algorithm"))?,
        kms_master_key_id: super::values::text(config, &format!("{prefix}kms_master_key_id"))
            .filter(|s| !s.is_empty()),
        bucket_key_enabled: super::values::boolean(config, "rule.0.bucket_key_enabled"),
    })
}

fn bucket_name(bucket: &Bucket) -> String {
    bucket.name.clone()
}

fn bucket_remove(ctx: &mut Ctx<'_, '_, '_>, snapshot: &mut Snapshot) -> Option<String> {
    let name = bucket_key(ctx.before())?;
    let buckets = &mut snapshot.global.buckets;
    ctx.cache
        .borrow_mut()
        .remove(BUCKETS, buckets, bucket_name, &name)
        .then_some(name)
}

fn bucket_exists(ctx: &Ctx<'_, '_, '_>, snapshot: &Snapshot) -> Option<String> {
    let name = bucket_key(ctx.before())?;
    find_bucket(ctx, snapshot, &name).map(|_| name)
}

/// The position of a bucket by name.
fn find_bucket(ctx: &Ctx<'_, '_, '_>, snapshot: &Snapshot, name: &str) -> Option<usize> {
    ctx.cache
        .borrow_mut()
        .find(BUCKETS, &snapshot.global.buckets, bucket_name, name)
}

/// Applies `set` to the bucket the resource names; an error when the bucket
/// is neither in the snapshot nor in the plan.
fn with_bucket(
    ctx: &mut Ctx<'_, '_, '_>,
    snapshot: &mut Snapshot,
    set: impl FnOnce(&mut Bucket),
) -> Result<String, String> {
    let name = ctx
        .text("bucket")
        .ok_or("its bucket is known only after apply")?;
    let at = find_bucket(ctx, snapshot, &name);
    let bucket = at
        .and_then(|at| snapshot.global.buckets.get_mut(at))
        .ok_or_else(|| not_placed("bucket", &name))?;
    set(bucket);
    Ok(name)
}

fn clear_bucket(
    ctx: &mut Ctx<'_, '_, '_>,
    snapshot: &mut Snapshot,
    clear: impl FnOnce(&mut Bucket),
) -> Option<String> {
    let name = super::values::text(ctx.before(), "bucket")?;
    let at = find_bucket(ctx, snapshot, &name)?;
    clear(snapshot.global.buckets.get_mut(at)?);
    Some(name)
}

fn bucket_named(ctx: &Ctx<'_, '_, '_>, snapshot: &Snapshot) -> Option<String> {
    let name = super::values::text(ctx.before(), "bucket")?;
    find_bucket(ctx, snapshot, &name).map(|_| name)
}

/// `aws_s3_bucket_versioning`.
pub const BUCKET_VERSIONING: Mapping = Mapping {
    tf_type: "aws_s3_bucket_versioning",
    kind: "s3.bucket",
    source: "s3.versioning",
    global: false,
    attrs: &[
        link("bucket", "the bucket", "aws_s3_bucket", "bucket"),
        value("versioning_configuration.0.status", "versioning"),
    ],
    upsert: |ctx, snapshot| {
        let status = ctx.text("versioning_configuration.0.status");
        with_bucket(ctx, snapshot, |b| {
            b.versioning = status.filter(|s| s != "Disabled")
        })
    },
    remove: |ctx, snapshot| {
        // Deleting the resource suspends versioning (it cannot be turned off).
        clear_bucket(ctx, snapshot, |b| {
            if b.versioning.is_some() {
                b.versioning = Some("Suspended".into());
            }
        })
    },
    exists: bucket_named,
};

/// `aws_s3_bucket_replication_configuration`.
pub const BUCKET_REPLICATION: Mapping = Mapping {
    tf_type: "aws_s3_bucket_replication_configuration",
    kind: "s3.bucket",
    source: "s3.replication",
    global: false,
    attrs: &[
        link("bucket", "the bucket", "aws_s3_bucket", "bucket"),
        link("role", "replication.role", "aws_iam_role", "arn"),
        value("rule", "replication.rules"),
        link(
            "rule.*.destination.0.bucket",
            "replication.rules[].destination_bucket_arn",
            "aws_s3_bucket",
            "arn",
        ),
    ],
    upsert: |ctx, snapshot| {
        let role = ctx.text("role").filter(|s| !s.is_empty());
        let rules: Vec<ReplicationRule> = ctx
            .get("rule")
            .as_array()
            .into_iter()
            .flatten()
            .map(standalone_rule)
            .collect();
        with_bucket(ctx, snapshot, |b| {
            b.replication = Some(BucketReplication { role, rules })
        })
    },
    remove: |ctx, snapshot| clear_bucket(ctx, snapshot, |b| b.replication = None),
    exists: bucket_named,
};

fn standalone_rule(rule: &Value) -> ReplicationRule {
    let text = super::values::text;
    let int = super::values::int;
    ReplicationRule {
        id: text(rule, "id").filter(|s| !s.is_empty()),
        status: text(rule, "status").unwrap_or_else(|| "Enabled".into()),
        priority: int(rule, "priority"),
        prefix: text(rule, "filter.0.prefix")
            .or_else(|| text(rule, "prefix"))
            .filter(|s| !s.is_empty()),
        destination_bucket_arn: text(rule, "destination.0.bucket").unwrap_or_default(),
        storage_class: text(rule, "destination.0.storage_class").filter(|s| !s.is_empty()),
        replication_time_enabled: text(rule, "destination.0.replication_time.0.status").as_deref()
            == Some("Enabled"),
        replication_time_minutes: int(rule, "destination.0.replication_time.0.time.0.minutes"),
        metrics_enabled: text(rule, "destination.0.metrics.0.status").as_deref() == Some("Enabled"),
        delete_marker_replication: text(rule, "delete_marker_replication.0.status").as_deref()
            == Some("Enabled"),
        sse_kms_encrypted_objects: text(
            rule,
            "source_selection_criteria.0.sse_kms_encrypted_objects.0.status",
        ),
        replica_kms_key_id: text(
            rule,
            "destination.0.encryption_configuration.0.replica_kms_key_id",
        )
        .filter(|s| !s.is_empty()),
    }
}

/// `aws_s3_bucket_server_side_encryption_configuration`.
pub const BUCKET_ENCRYPTION: Mapping = Mapping {
    tf_type: "aws_s3_bucket_server_side_encryption_configuration",
    kind: "s3.bucket",
    source: "s3.encryption",
    global: false,
    attrs: &[
        link("bucket", "the bucket", "aws_s3_bucket", "bucket"),
        value("rule", "default_encryption"),
    ],
    upsert: |ctx, snapshot| {
        let config = ctx.get("rule");
        let wrapped = serde_json::json!({ "rule": config });
        let found = encryption(
            &wrapped,
            "rule.0.apply_server_side_encryption_by_default.0.",
        );
        with_bucket(ctx, snapshot, |b| {
            if found.is_some() {
                b.default_encryption = found;
            }
        })
    },
    remove: |ctx, snapshot| {
        // Without a configuration S3 falls back to SSE-S3.
        clear_bucket(ctx, snapshot, |b| {
            b.default_encryption = Some(BucketEncryption {
                sse_algorithm: "AES256".into(),
                kms_master_key_id: None,
                bucket_key_enabled: None,
            })
        })
    },
    exists: bucket_named,
};
