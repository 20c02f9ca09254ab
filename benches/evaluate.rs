//! Rule evaluation at scale: `Engine::audit` (link, budget, the whole built-in
//! catalog, waivers) over the reference snapshot scaled up to about 1k, 10k,
//! 100k and 1M resources: the same path every command takes.
//!
//! Run with `cargo bench --bench evaluate`. Besides criterion's timings, each
//! size prints (to stderr, outside the timed loop) its resource count, the
//! number of results and the process's peak RSS so far.
//!
//! `DRGUARD_EVAL_PHASES=100000,1000000 cargo bench --bench evaluate
//! --no-default-features` skips criterion and times `link` alone and the
//! whole audit at those sizes (median of 3); the rest of the audit (budget,
//! rules, waivers) is the difference. It shows which part grows faster than
//! the resource count.
//!
//! The goal from the issue: 100k resources evaluated in under 1 s and under
//! 300 MB peak memory, and linear growth (1M ≈ 10 × 100k). The figures of the
//! last run are in docs/performance.md.

// Benchmarks run on generated data: a panic on it is a bug in the generator,
// and there is no caller to hand an error to.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::print_stderr
)]

use std::collections::BTreeMap;
use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use criterion::{Criterion, Throughput};
use drguard::audit::Engine;
use drguard::config::{self, Config, ConfigSource};
use drguard::link::link;
use drguard::snapshot::model::{
    AutoScalingGroup, AutomationDocument, AutomationStep, Bucket, BucketReplication, DbCluster,
    DocumentParameter, EventRule, EventTarget, HealthCheck, Image, LaunchTemplate,
    LaunchTemplateRef, LaunchTemplateVersion, RecordSet, ReplicationRule, Snapshot, Tags,
};
use serde_json::json;

/// The sizes, in increasing order (see [`peak_rss_kib`] for why the order matters).
const SIZES: [(&str, usize); 4] = [
    ("1k", 1_000),
    ("10k", 10_000),
    ("100k", 100_000),
    ("1M", 1_000_000),
];

/// Share of the added resources per type, in percent (sums to 100).
const MIX: Mix = Mix {
    images: 45,
    record_sets: 25,
    buckets: 15,
    auto_scaling_groups: 3,
    launch_templates: 3,
    health_checks: 3,
    db_clusters: 2,
    event_rules: 2,
    documents: 2,
};

struct Mix {
    images: usize,
    record_sets: usize,
    buckets: usize,
    auto_scaling_groups: usize,
    launch_templates: usize,
    health_checks: usize,
    db_clusters: usize,
    event_rules: usize,
    documents: usize,
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = config::load(ConfigSource::Explicit(
        &root.join("fixtures/reference/drguard.toml"),
    ))
    .expect("reference config loads");
    let reference = drguard::snapshot::load(&root.join("fixtures/reference/snapshot.json"))
        .expect("reference snapshot loads");
    let engine = Engine::load(config.clone(), &[]).expect("built-in catalog and model load");

    if let Ok(sizes) = std::env::var("DRGUARD_EVAL_PHASES") {
        for size in sizes.split(',') {
            let target: usize = size.trim().parse().expect("DRGUARD_EVAL_PHASES=N,N…");
            phases(&scaled(&reference, &config, target), &engine);
        }
        return;
    }

    let mut criterion = Criterion::default().configure_from_args();
    for (label, target) in SIZES {
        let snapshot = scaled(&reference, &config, target);
        check_topology(&snapshot, &config);
        bench_size(&mut criterion, label, &snapshot, &engine);
        report(label, &snapshot, &engine);
        // Dropped before the next, larger size is built.
        drop(snapshot);
    }
    criterion.final_summary();
}

/// The waiver date of every audit here (fixed, like the tests').
fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 20).expect("a valid date")
}

fn bench_size(criterion: &mut Criterion, label: &str, snapshot: &Snapshot, engine: &Engine) {
    let mut group = criterion.benchmark_group("evaluate");
    group.throughput(Throughput::Elements(count_resources(snapshot) as u64));
    group.sample_size(10);
    if label != "1k" {
        // One iteration takes long enough at these sizes that a short
        // warm-up and window still give stable medians.
        group.warm_up_time(Duration::from_secs(1));
        group.measurement_time(Duration::from_secs(5));
    }
    group.bench_function(label, |b| {
        b.iter(|| {
            engine
                .audit(black_box(snapshot), as_of())
                .evaluation
                .outcomes
                .len()
        })
    });
    group.finish();
}

/// Median of 3 timings of `link` alone and of the whole audit; the rest
/// (budget, rules, waivers) is their difference.
fn phases(snapshot: &Snapshot, engine: &Engine) {
    let mut linking = Vec::new();
    let mut evaluating = Vec::new();
    for _ in 0..3 {
        let started = Instant::now();
        black_box(link(black_box(snapshot), engine.config()));
        let linked = started.elapsed();
        linking.push(linked);
        let started = Instant::now();
        black_box(engine.audit(snapshot, as_of()));
        evaluating.push(started.elapsed().saturating_sub(linked));
    }
    linking.sort();
    evaluating.sort();
    let resources = count_resources(snapshot);
    let per = |d: Duration| d.as_secs_f64() * 1e6 / resources as f64;
    eprintln!(
        "phases/{resources}: link {:.1} ms ({:.2} µs/resource), rest of the audit {:.1} ms ({:.2} µs/resource)",
        linking[1].as_secs_f64() * 1e3,
        per(linking[1]),
        evaluating[1].as_secs_f64() * 1e3,
        per(evaluating[1]),
    );
}

/// One more, untimed run for the figures criterion does not show.
fn report(label: &str, snapshot: &Snapshot, engine: &Engine) {
    let audit = engine.audit(snapshot, as_of());
    let evaluation = &audit.evaluation;
    let peak = peak_rss_kib()
        .map(|kib| format!("{:.1} MiB", kib as f64 / 1024.0))
        .unwrap_or_else(|| "unknown".into());
    eprintln!(
        "evaluate/{label}: {} resources, {} results, peak RSS so far (VmHWM) {peak}",
        count_resources(snapshot),
        evaluation.outcomes.len(),
    );
}

/// The process's peak resident set size in KiB (`VmHWM` in /proc/self/status).
///
/// It is a high-water mark over the whole process life, never reset, so the
/// sizes run in increasing order: the figure printed after a size is then that
/// size's peak (the smaller sizes before it peaked lower). It includes the
/// generated snapshot itself, the rule set and criterion's own bookkeeping.
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
}

/// Resources rules can evaluate (everything but hosted zones and metrics).
fn count_resources(snapshot: &Snapshot) -> usize {
    let regional: usize = snapshot
        .regions
        .values()
        .map(|r| {
            r.load_balancers.len()
                + r.target_groups.len()
                + r.auto_scaling_groups.len()
                + r.launch_templates.len()
                + r.images.len()
                + r.db_clusters.len()
                + r.cache_replication_groups.len()
                + r.automation_documents.len()
                + r.event_rules.len()
        })
        .sum();
    let global = &snapshot.global;
    regional
        + global
            .hosted_zones
            .iter()
            .map(|z| z.record_sets.len())
            .sum::<usize>()
        + global.health_checks.len()
        + global.accelerators.len()
        + global.global_clusters.len()
        + global.global_replication_groups.len()
        + global.buckets.len()
}

/// The generated resources must not disturb the app's own failover pair.
fn check_topology(snapshot: &Snapshot, config: &Config) {
    let topology = link(snapshot, config).topology;
    assert!(topology.primary_record.is_some(), "PRIMARY record linked");
    assert!(
        topology.secondary_record.is_some(),
        "SECONDARY record linked"
    );
    assert_eq!(topology.primary.auto_scaling_groups, ["shop-web-use1"]);
    assert_eq!(topology.dr.auto_scaling_groups, ["shop-web-usw2"]);
    assert_eq!(topology.ami_copies.len(), 1, "the golden AMI's DR copy");
    assert_eq!(
        topology.runbook.as_ref().map(|r| r.name.as_str()),
        Some("shop-dr-failover")
    );
}

fn tags(pairs: &[(&str, String)]) -> Tags {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_string(), v.clone()))
        .collect()
}

fn short(region: &str) -> String {
    // us-east-1 → use1, us-west-2 → usw2.
    let mut parts = region.split('-');
    let geo = parts.next().unwrap_or_default();
    let direction = parts.next().unwrap_or_default();
    let number = parts.next().unwrap_or_default();
    format!("{geo}{}{number}", direction.chars().next().unwrap_or('x'))
}

/// The reference snapshot plus generated resources, `target` in all.
///
/// Deterministic: every value derives from the resource's index. Generated
/// resources are never linked to the app's domain, load balancers or target
/// groups, and no generated document looks like a failover runbook, so the
/// topology stays the reference one and only the per-resource work grows.
fn scaled(reference: &Snapshot, config: &Config, target: usize) -> Snapshot {
    let mut snapshot = reference.clone();
    let extra = target.saturating_sub(count_resources(reference));
    let share = |percent: usize| extra * percent / 100;
    let n_records = share(MIX.record_sets);
    let n_buckets = share(MIX.buckets);
    let n_groups = share(MIX.auto_scaling_groups);
    let n_templates = share(MIX.launch_templates);
    let n_checks = share(MIX.health_checks);
    let n_clusters = share(MIX.db_clusters);
    let n_rules = share(MIX.event_rules);
    let n_documents = share(MIX.documents);
    // Images take the rounding remainder so the total is exact.
    let n_images = extra
        - n_records
        - n_buckets
        - n_groups
        - n_templates
        - n_checks
        - n_clusters
        - n_rules
        - n_documents;
    debug_assert!(n_images >= share(MIX.images));

    let account = snapshot.account_id.clone();
    let primary = config.app.primary_region.clone();
    let dr = config.app.dr_region.clone();
    let regions = [primary.clone(), dr.clone()];
    // Index i lives in regions[i % 2].
    let region_of = |i: usize| regions[i % 2].as_str();

    // AMIs: half build images in the primary region, half in DR, four in five
    // of which are copies of a primary image.
    let n_primary_images = n_images.div_ceil(2);
    let primary_image_id = |i: usize| format!("ami-0p{i:015}");
    let dr_image_id = |i: usize| format!("ami-0d{i:015}");
    for i in 0..n_primary_images {
        let mut image_tags = vec![("Build", i.to_string())];
        if i % 3 == 0 {
            image_tags.push(("App", "shop".into()));
        }
        snapshot
            .regions
            .entry(primary.clone())
            .or_default()
            .images
            .push(Image {
                id: primary_image_id(i),
                name: Some(format!("svc-{:03}-build-{i}", i % 200)),
                description: Some(format!("service {} build {i}", i % 200)),
                state: if i % 97 == 0 { "pending" } else { "available" }.into(),
                creation_date: Some(format!(
                    "2026-{:02}-{:02}T12:00:00Z",
                    1 + i % 11,
                    1 + i % 28
                )),
                source_image_id: None,
                source_image_region: None,
                tags: tags(&image_tags),
            });
    }
    for i in 0..n_images - n_primary_images {
        let copy_of = (i % 5 != 4).then(|| primary_image_id(i % n_primary_images.max(1)));
        let description = match &copy_of {
            Some(source) => format!(
                "Copied for DestinationAmi {} from SourceAmi {source} from SourceRegion {primary}",
                dr_image_id(i)
            ),
            None => format!("service {} DR-native build {i}", i % 200),
        };
        snapshot
            .regions
            .entry(dr.clone())
            .or_default()
            .images
            .push(Image {
                id: dr_image_id(i),
                name: Some(format!("svc-{:03}-build-{i}", i % 200)),
                description: Some(description),
                state: "available".into(),
                creation_date: Some(format!(
                    "2026-{:02}-{:02}T12:15:00Z",
                    1 + i % 11,
                    1 + i % 28
                )),
                source_image_region: copy_of.as_ref().map(|_| primary.clone()),
                source_image_id: copy_of,
                tags: tags(&[("App", if i % 3 == 0 { "shop" } else { "other" }.into())]),
            });
    }

    // Health checks for some of the records below.
    let check_id = |i: usize| format!("hc-gen-{i:06}");
    for i in 0..n_checks {
        let check_type = ["HTTPS", "HTTP", "TCP"][i % 3];
        snapshot.global.health_checks.push(HealthCheck {
            id: check_id(i),
            check_type: check_type.into(),
            fqdn: Some(format!("svc{i}.yourstore.com")),
            ip_address: None,
            port: Some(if check_type == "HTTP" { 80 } else { 443 }),
            resource_path: (check_type != "TCP").then(|| "/health".into()),
            request_interval: Some(if i % 4 == 0 { 10 } else { 30 }),
            failure_threshold: Some(3),
            inverted: false,
            disabled: false,
            status: Some("Healthy".into()),
            ..HealthCheck::default()
        });
    }

    // Record sets: plain A and CNAME records in the app's hosted zone.
    let zone = snapshot
        .global
        .hosted_zones
        .first_mut()
        .expect("reference snapshot has a hosted zone");
    for i in 0..n_records {
        let a_record = i % 2 == 0;
        zone.record_sets.push(RecordSet {
            name: format!("svc{i}.yourstore.com."),
            record_type: if a_record { "A" } else { "CNAME" }.into(),
            set_identifier: None,
            failover: None,
            ttl: Some(if a_record { 300 } else { 60 }),
            values: vec![if a_record {
                format!("10.{}.{}.{}", (i >> 16) & 255, (i >> 8) & 255, i & 255)
            } else {
                format!("svc{i}.internal.yourstore.com")
            }],
            alias_target: None,
            health_check_id: (i % 10 == 0 && i / 10 < n_checks).then(|| check_id(i / 10)),
        });
    }

    // Buckets: pairs `data-N-use1` / `data-N-usw2`; every third primary
    // bucket replicates to its DR twin, some with RTC, some without.
    for i in 0..n_buckets {
        let pair = i / 2;
        let region = region_of(i);
        let name = format!("data-{pair:06}-{}", short(region));
        let replicates = region == primary && pair % 3 == 0 && i + 1 < n_buckets;
        let replication = replicates.then(|| BucketReplication {
            role: Some(format!("arn:aws:iam::{account}:role/s3-crr-{pair}")),
            rules: vec![ReplicationRule {
                id: Some("crr-to-dr".into()),
                status: if pair % 7 == 0 { "Disabled" } else { "Enabled" }.into(),
                priority: Some(1),
                prefix: None,
                destination_bucket_arn: format!("arn:aws:s3:::data-{pair:06}-{}", short(&dr)),
                storage_class: Some("STANDARD".into()),
                replication_time_enabled: pair % 2 == 0,
                replication_time_minutes: (pair % 2 == 0).then_some(15),
                metrics_enabled: pair % 2 == 0,
                delete_marker_replication: true,
                sse_kms_encrypted_objects: None,
                replica_kms_key_id: None,
            }],
        });
        snapshot.global.buckets.push(Bucket {
            name,
            region: region.into(),
            versioning: (pair % 5 != 4).then(|| "Enabled".into()),
            default_encryption: None,
            replication,
            tags: if pair % 2 == 0 {
                tags(&[("App", "shop".into())])
            } else {
                tags(&[("Team", format!("team-{}", pair % 13))])
            },
        });
    }

    // Launch templates and the Auto Scaling groups that use them, same index,
    // same region; none is registered with the app's target groups.
    let images_in = |region: &str| -> Vec<String> {
        snapshot.regions[region]
            .images
            .iter()
            .map(|image| image.id.clone())
            .collect()
    };
    let (primary_images, dr_images) = (images_in(&primary), images_in(&dr));
    for i in 0..n_templates {
        let region = region_of(i);
        let pool = if region == primary {
            &primary_images
        } else {
            &dr_images
        };
        let version = |number: i64, offset: usize| LaunchTemplateVersion {
            version_number: number,
            image_id: Some(pool[(i + offset) % pool.len()].clone()),
            instance_type: Some(["m7i.large", "c7i.xlarge", "r7i.large"][i % 3].into()),
            ..Default::default()
        };
        snapshot
            .regions
            .entry(region.into())
            .or_default()
            .launch_templates
            .push(LaunchTemplate {
                id: format!("lt-0gen{i:012}"),
                name: format!("batch-{i:05}-{}", short(region)),
                default_version: 1,
                latest_version: 2,
                versions: vec![version(1, 0), version(2, 1)],
            });
    }
    for i in 0..n_groups {
        let region = region_of(i);
        let zones: Vec<String> = ["a", "b", "c"][..2 + i % 2]
            .iter()
            .map(|az| format!("{region}{az}"))
            .collect();
        let name = format!("batch-{i:05}-{}", short(region));
        snapshot.regions.entry(region.into()).or_default().auto_scaling_groups.push(AutoScalingGroup {
            arn: Some(format!(
                "arn:aws:autoscaling:{region}:{account}:autoScalingGroup:00000000-0000-0000-0000-{i:012}:autoScalingGroupName/{name}"
            )),
            name,
            min_size: (i % 3) as i64,
            max_size: 10,
            desired_capacity: (i % 3) as i64 + 1,
            availability_zones: zones,
            launch_template: (i < n_templates).then(|| LaunchTemplateRef {
                id: Some(format!("lt-0gen{i:012}")),
                name: None,
                version: Some(["$Latest", "$Default", "2"][i % 3].into()),
            }),
            target_group_arns: Vec::new(),
            health_check_type: Some(if i % 2 == 0 { "ELB" } else { "EC2" }.into()),
            health_check_grace_period: Some(300),
            default_instance_warmup: None,
            warm_pool: None,
            tags: tags(&[("App", if i % 4 == 0 { "shop" } else { "batch" }.into())]),
            ..Default::default()
        });
    }

    // DB clusters, regional only (no global cluster membership).
    for i in 0..n_clusters {
        let region = region_of(i);
        let id = format!("orders-{i:05}-{}", short(region));
        snapshot
            .regions
            .entry(region.into())
            .or_default()
            .db_clusters
            .push(DbCluster {
                arn: format!("arn:aws:rds:{region}:{account}:cluster:{id}"),
                id,
                engine: if i % 2 == 0 {
                    "aurora-mysql"
                } else {
                    "aurora-postgresql"
                }
                .into(),
                engine_version: Some("8.0.mysql_aurora.3.05.2".into()),
                status: Some("available".into()),
                multi_az: Some(i % 5 != 0),
                parameter_group: None,
                global_db_rpo_seconds: None,
                tags: tags(&[("App", if i % 3 == 0 { "shop" } else { "orders" }.into())]),
                ..Default::default()
            });
    }

    // SSM Automation documents doing routine chores (no failover duty).
    let document_name = |i: usize| format!("ops-{i:05}-{}", short(region_of(i)));
    for i in 0..n_documents {
        let region = region_of(i);
        snapshot
            .regions
            .entry(region.into())
            .or_default()
            .automation_documents
            .push(AutomationDocument {
                name: document_name(i),
                document_type: "Automation".into(),
                document_version: Some("1".into()),
                document_format: Some("YAML".into()),
                tags: tags(&[("App", if i % 2 == 0 { "shop" } else { "ops" }.into())]),
                parameters: vec![DocumentParameter {
                    name: "VolumeId".into(),
                    param_type: Some("String".into()),
                    default: Some(json!(format!("vol-{i:017}"))),
                }],
                steps: vec![
                    AutomationStep {
                        name: "Snapshot".into(),
                        action: "aws:executeAwsApi".into(),
                        service: Some("ec2".into()),
                        api: Some("CreateSnapshot".into()),
                        inputs: BTreeMap::from([("VolumeId".into(), json!("{{ VolumeId }}"))]),
                        ..AutomationStep::default()
                    },
                    AutomationStep {
                        name: "Notify".into(),
                        action: "aws:executeScript".into(),
                        service: None,
                        api: None,
                        inputs: BTreeMap::from([("Runtime".into(), json!("python3.11"))]),
                        ..AutomationStep::default()
                    },
                ],
                ..AutomationDocument::default()
            });
    }

    // EventBridge rules: scheduled chores (Lambda or one of the documents
    // above) and, now and then, an AMI-event rule.
    for i in 0..n_rules {
        let region = region_of(i);
        let name = format!("chore-{i:05}-{}", short(region));
        let (pattern, schedule, target) = if i % 50 == 0 {
            (
                Some(
                    r#"{"source":["aws.ec2"],"detail-type":["EC2 AMI State Change"]}"#.to_string(),
                ),
                None,
                format!("arn:aws:lambda:{region}:{account}:function:ami-audit-{i}"),
            )
        } else if i % 3 == 1 && i < n_documents {
            (
                None,
                Some("rate(1 day)".to_string()),
                format!(
                    "arn:aws:ssm:{region}:{account}:automation-definition/{}:$DEFAULT",
                    document_name(i)
                ),
            )
        } else {
            (
                None,
                Some("rate(1 hour)".to_string()),
                format!("arn:aws:lambda:{region}:{account}:function:chore-{i}"),
            )
        };
        snapshot
            .regions
            .entry(region.into())
            .or_default()
            .event_rules
            .push(EventRule {
                arn: Some(format!("arn:aws:events:{region}:{account}:rule/{name}")),
                name,
                state: if i % 7 == 0 { "DISABLED" } else { "ENABLED" }.into(),
                event_bus: Some("default".into()),
                event_pattern: pattern,
                schedule_expression: schedule,
                description: Some(format!("scheduled chore {i}")),
                targets: vec![EventTarget {
                    id: "target".into(),
                    arn: target,
                }],
            });
    }

    debug_assert_eq!(
        count_resources(&snapshot),
        target.max(count_resources(reference))
    );
    snapshot
}
