//! The plan gate at scale: parse a Terraform plan of 10k resource changes,
//! overlay it on a snapshot of about 100k resources and audit the result
//! with the whole built-in catalog (`Engine::audit`): what
//! `drguard audit --plan PLAN --snapshot SNAPSHOT` does before writing
//! reports.
//!
//! Run with `cargo bench --locked --bench plan --no-default-features`. The
//! goal from the issue: under 1 s on the project's machine; the figure of the
//! last run is in docs/performance.md.
//!
//! The snapshot is the reference snapshot plus 40k record sets, 30k buckets
//! and 30k AMIs; the plan updates 4k of those records (TTL 300 → 60) and 3k
//! of those buckets' versioning, creates 2k buckets and 1k Auto Scaling
//! groups in the DR region, and lists the reference resources as no-ops.

// Benchmarks run on generated data: a panic on it is a bug in the generator.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::print_stderr
)]

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use chrono::NaiveDate;
use criterion::{Criterion, Throughput};
use drguard::audit::Engine;
use drguard::config::{self, ConfigSource};
use drguard::snapshot::Snapshot;
use drguard::snapshot::model::{Bucket, Image, RecordSet};
use drguard::source::SourceFile;
use serde_json::{Value, json};

const RECORDS: usize = 40_000;
const BUCKETS: usize = 30_000;
const IMAGES: usize = 30_000;
const RECORD_UPDATES: usize = 4_000;
const VERSIONING_UPDATES: usize = 3_000;
const BUCKET_CREATES: usize = 2_000;
const GROUP_CREATES: usize = 1_000;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = config::load(ConfigSource::Explicit(
        &root.join("fixtures/reference/drguard.toml"),
    ))
    .expect("reference config loads");
    let reference = drguard::snapshot::load(&root.join("fixtures/reference/snapshot.json"))
        .expect("reference snapshot loads");
    let engine = Engine::load(config, &[]).expect("built-in catalog and model load");
    let snapshot = scaled(reference);
    let plan = plan_text();
    let changes = RECORD_UPDATES + VERSIONING_UPDATES + BUCKET_CREATES + GROUP_CREATES;

    // One untimed run: the figures criterion does not show, and a check that
    // the plan was read as meant (nothing silently dropped).
    let parsed = drguard::plan::parse(SourceFile::new("bench-plan.json", plan.as_str()))
        .unwrap_or_else(|e| panic!("{}", drguard::source::render_plain(&e)));
    let overlaid = drguard::plan::overlay(&parsed, Some(snapshot.clone()), engine.config());
    let changed = overlaid.summary.changed().count();
    assert_eq!(changed, changes, "every change is applied");
    assert!(overlaid.summary.unplaced.is_empty() && overlaid.summary.unknown.is_empty());
    let audit = engine.audit(&overlaid.after, as_of());
    eprintln!(
        "plan: {} resource changes ({} KiB of JSON) over {} resources; {} results",
        parsed.changes.len(),
        plan.len() / 1024,
        count(&snapshot),
        audit.evaluation.outcomes.len()
    );

    let mut criterion = Criterion::default().configure_from_args();
    let mut group = criterion.benchmark_group("plan");
    group.throughput(Throughput::Elements(parsed.changes.len() as u64));
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(8));
    group.bench_function("10k-over-100k", |b| {
        b.iter(|| {
            let parsed = drguard::plan::parse(SourceFile::new("bench-plan.json", plan.as_str()))
                .expect("the plan parses");
            let overlaid = drguard::plan::overlay(&parsed, Some(snapshot.clone()), engine.config());
            engine
                .audit(black_box(&overlaid.after), as_of())
                .evaluation
                .outcomes
                .len()
        })
    });
    group.finish();
    criterion.final_summary();
}

fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 20).expect("a valid date")
}

fn count(snapshot: &Snapshot) -> usize {
    let regional: usize = snapshot
        .regions
        .values()
        .map(|r| r.images.len() + r.auto_scaling_groups.len() + r.launch_templates.len())
        .sum();
    let records: usize = snapshot
        .global
        .hosted_zones
        .iter()
        .map(|z| z.record_sets.len())
        .sum();
    regional + records + snapshot.global.buckets.len() + snapshot.global.health_checks.len()
}

/// The reference snapshot with about 100k resources more.
fn scaled(mut snapshot: Snapshot) -> Snapshot {
    let zone = &mut snapshot.global.hosted_zones[0];
    for i in 0..RECORDS {
        zone.record_sets.push(RecordSet {
            name: format!("r{i}.yourstore.com."),
            record_type: "A".into(),
            set_identifier: None,
            failover: None,
            ttl: Some(300),
            values: vec![format!("10.0.{}.{}", i / 256 % 256, i % 256)],
            alias_target: None,
            health_check_id: None,
        });
    }
    for i in 0..BUCKETS {
        snapshot.global.buckets.push(Bucket {
            name: format!("data-{i}"),
            region: "us-east-1".into(),
            versioning: None,
            default_encryption: None,
            replication: None,
            tags: Default::default(),
        });
    }
    let images = &mut snapshot.regions.get_mut("us-east-1").unwrap().images;
    for i in 0..IMAGES {
        images.push(Image {
            id: format!("ami-{i:017}"),
            name: Some(format!("build-{i}")),
            description: None,
            state: "available".into(),
            creation_date: Some("2026-11-01T00:00:00Z".into()),
            source_image_id: None,
            source_image_region: None,
            tags: Default::default(),
        });
    }
    snapshot
}

fn change(address: &str, kind: &str, actions: &[&str], before: Value, after: Value) -> Value {
    let (module, name) = address.split_once('.').unwrap();
    json!({
        "address": address,
        "mode": "managed",
        "type": kind,
        "name": name.split('[').next().unwrap(),
        "provider_name": "registry.terraform.io/hashicorp/aws",
        "change": {
            "actions": actions,
            "before": before,
            "after": after,
            "after_unknown": if actions == ["create"] { json!({"id": true, "arn": true}) } else { json!({}) },
        },
        "_module": module,
    })
}

/// A 10k-change plan in the format `terraform show -json` writes.
fn plan_text() -> String {
    let mut changes = Vec::new();
    for i in 0..RECORD_UPDATES {
        let before = json!({"zone_id": "Z0123456789ABCDEFGHIJ", "name": format!("r{i}.yourstore.com"),
            "type": "A", "ttl": 300, "records": [format!("10.0.{}.{}", i / 256 % 256, i % 256)],
            "set_identifier": null, "failover_routing_policy": [], "alias": [], "health_check_id": null});
        let mut after = before.clone();
        after["ttl"] = 60.into();
        changes.push(change(
            &format!("aws_route53_record.r[{i}]"),
            "aws_route53_record",
            &["update"],
            before,
            after,
        ));
    }
    for i in 0..VERSIONING_UPDATES {
        let after = json!({"bucket": format!("data-{i}"), "versioning_configuration": [{"status": "Enabled"}]});
        changes.push(change(
            &format!("aws_s3_bucket_versioning.v[{i}]"),
            "aws_s3_bucket_versioning",
            &["create"],
            Value::Null,
            after,
        ));
    }
    for i in 0..BUCKET_CREATES {
        let after = json!({"bucket": format!("new-{i}"), "tags": {"Team": "data"}});
        changes.push(change(
            &format!("aws_s3_bucket.b[{i}]"),
            "aws_s3_bucket",
            &["create"],
            Value::Null,
            after,
        ));
    }
    for i in 0..GROUP_CREATES {
        let after = json!({"name": format!("worker-{i}"), "min_size": 1, "max_size": 4, "desired_capacity": 1,
            "availability_zones": ["us-west-2a", "us-west-2b"], "vpc_zone_identifier": [],
            "launch_template": [{"id": "lt-0ccc3333dddd4444e", "version": "$Latest"}],
            "target_group_arns": [], "health_check_type": "EC2"});
        changes.push(change(
            &format!("aws_autoscaling_group.w[{i}]"),
            "aws_autoscaling_group",
            &["create"],
            Value::Null,
            after,
        ));
    }
    for change in &mut changes {
        change.as_object_mut().unwrap().remove("_module");
    }
    let block = |address: &str, key: &str| json!({"address": address, "mode": "managed", "provider_config_key": key});
    json!({
        "format_version": "1.2",
        "terraform_version": "1.9.8",
        "resource_changes": changes,
        "configuration": {
            "provider_config": {
                "aws": {"name": "aws", "expressions": {"region": {"constant_value": "us-east-1"}}},
                "aws.dr": {"name": "aws", "alias": "dr", "expressions": {"region": {"constant_value": "us-west-2"}}},
            },
            "root_module": {"resources": [
                block("aws_route53_record.r", "aws"),
                block("aws_s3_bucket_versioning.v", "aws"),
                block("aws_s3_bucket.b", "aws"),
                block("aws_autoscaling_group.w", "aws.dr"),
            ]},
        },
    })
    .to_string()
}
