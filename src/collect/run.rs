//! One collection run: every collector × region scheduled as soon as the
//! sources it reads are in, the parts applied as they finish, gaps attributed
//! to their data source, and every list put in a stable order.

use std::collections::HashMap;
use std::io::IsTerminal;
use std::sync::Arc;
use std::time::Instant;

use super::ctx::Ctx;
use super::progress::Progress;
use super::{CollectError, Options, calls, registry, session};
use crate::config::Config;
use crate::snapshot::model::{
    Collection, CollectionGap, RegionSnapshot, SCHEMA_VERSION, SkippedSource, Snapshot,
};

pub(super) async fn collect_async(
    config: &Config,
    options: &Options,
) -> Result<Snapshot, CollectError> {
    let started = Instant::now();
    let captured_at = chrono::Utc::now();
    let recorder = calls::Recorder::default();
    let session = session::open(config, options, recorder.clone()).await?;
    let progress = Progress::new(options.progress && std::io::stderr().is_terminal());
    let ctx = Arc::new(Ctx::new(config, session, recorder.clone(), progress));

    let mut snapshot = Snapshot {
        schema_version: SCHEMA_VERSION.to_string(),
        captured_at: captured_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        account_id: ctx.session.account_id.clone(),
        tool: Some(format!("drguard {}", env!("CARGO_PKG_VERSION"))),
        regions: ctx
            .regions()
            .iter()
            .map(|r| (r.clone(), RegionSnapshot::default()))
            .collect(),
        global: Default::default(),
        gaps: Vec::new(),
        skipped: config
            .collect
            .skip
            .iter()
            .map(|s| SkippedSource {
                source: s.source.clone(),
                reason: s.reason.clone(),
            })
            .collect(),
        sources: Some(
            crate::snapshot::spec::leaf_sources()
                .into_iter()
                .map(str::to_string)
                .collect(),
        ),
        collection: None,
    };
    let mut scheduler = Scheduler::new(&ctx);
    let mut tasks = tokio::task::JoinSet::new();
    let mut running: HashMap<tokio::task::Id, Launch> = HashMap::new();
    loop {
        for launch in scheduler.take_ready(running.values()) {
            let ctx = Arc::clone(&ctx);
            // A dependent collector sees everything applied so far.
            let view = Arc::new(snapshot.clone());
            let run = launch.collector.run;
            let source = launch.collector.source;
            let region = launch.region.clone();
            let label = match launch.collector.scope {
                registry::Scope::Global => "global".to_string(),
                _ => region.clone(),
            };
            let handle = tasks.spawn(async move {
                let started = Instant::now();
                let part = run(Arc::clone(&ctx), region, view).await;
                ctx.progress.done(source, &label, &part, started.elapsed());
                part
            });
            running.insert(handle.id(), launch);
        }
        let Some(joined) = tasks.join_next_with_id().await else {
            break;
        };
        match joined {
            Ok((id, part)) => {
                running.remove(&id);
                part.apply(&mut snapshot);
            }
            Err(err) => {
                // A collector that panicked (or was cancelled) loses its own
                // data source in its own region, nothing else: that source's
                // rules report `error`, the others are unaffected.
                if let Some(launch) = running.remove(&err.id()) {
                    snapshot.gaps.push(panicked(&launch, &err.to_string()));
                }
            }
        }
    }
    // Unreachable while the registry lists sources before their readers (a
    // unit test checks it); should that break, say so instead of skipping.
    for launch in scheduler.waiting {
        let (service, resource) = split_source(launch.collector.source);
        snapshot.gaps.push(CollectionGap {
            service: service.into(),
            resource: resource.map(Into::into),
            region: launch.region,
            operation: "collector".into(),
            error_code: "NotScheduled".into(),
            message: "the collector waited for a data source that never ran".into(),
        });
    }
    snapshot.gaps.sort_by(|a, b| {
        (&a.service, &a.resource, &a.region, &a.operation).cmp(&(
            &b.service,
            &b.resource,
            &b.region,
            &b.operation,
        ))
    });
    snapshot.gaps.dedup();
    super::failure::name_endpoints(&mut snapshot.gaps, |operation, region| {
        recorder.endpoint(operation, region)
    });
    crate::snapshot::spec::normalise_order(&mut snapshot);
    snapshot.collection = Some(Collection {
        duration_ms: started.elapsed().as_millis() as u64,
        api_calls: recorder.take(),
    });
    ctx.progress.finish(&snapshot);
    Ok(snapshot)
}

/// The gap a collector leaves when its task panics: its own data source, in
/// the region it ran for.
fn panicked(launch: &Launch, message: &str) -> CollectionGap {
    let (service, resource) = split_source(launch.collector.source);
    CollectionGap {
        service: service.into(),
        resource: resource.map(Into::into),
        region: match launch.collector.scope {
            registry::Scope::Global => "global".into(),
            _ => launch.region.clone(),
        },
        operation: "collector".into(),
        error_code: "Panic".into(),
        message: message.to_string(),
    }
}

/// One collector run: a collector in one region.
struct Launch {
    collector: &'static registry::Collector,
    region: String,
}

impl Launch {
    /// True when this run fills data that `waiter` (in `region`) reads: a
    /// regional waiter reads its own region's part of a regional source, a
    /// global (or fixed-region) waiter every region's.
    fn feeds(&self, waiter: &registry::Collector, region: &str) -> bool {
        waiter.after.contains(&self.collector.source)
            && (self.collector.scope != registry::Scope::Regional
                || waiter.scope != registry::Scope::Regional
                || self.region == region)
    }
}

/// Decides when each collector run may start: at once, or when the sources
/// it reads are collected in its region (see [`registry::Collector::after`]).
struct Scheduler {
    waiting: Vec<Launch>,
}

impl Scheduler {
    fn new(ctx: &Ctx) -> Self {
        let waiting = registry::COLLECTORS
            .iter()
            .filter(|c| ctx.wants(c.source))
            .flat_map(|collector| {
                ctx.targets_of(collector)
                    .into_iter()
                    .map(move |region| Launch { collector, region })
            })
            .collect();
        Scheduler { waiting }
    }

    /// Removes and returns the runs none of whose sources is still running or
    /// waiting. The registry lists every source before its readers, so
    /// something is always ready while anything waits.
    fn take_ready<'a>(&mut self, running: impl Iterator<Item = &'a Launch> + Clone) -> Vec<Launch> {
        let pending = std::mem::take(&mut self.waiting);
        let blocked: Vec<bool> = pending
            .iter()
            .map(|launch| {
                let feeds = |other: &Launch| other.feeds(launch.collector, &launch.region);
                running.clone().any(feeds) || pending.iter().any(feeds)
            })
            .collect();
        let mut ready = Vec::new();
        for (launch, blocked) in pending.into_iter().zip(blocked) {
            if blocked {
                self.waiting.push(launch);
            } else {
                ready.push(launch);
            }
        }
        ready
    }
}

/// True when skipping `skip` (a service or `service.resource`) leaves out `source`.
pub(super) fn covers(skip: &str, source: &str) -> bool {
    skip == source
        || source
            .strip_prefix(skip)
            .is_some_and(|rest| rest.starts_with('.'))
}

/// Tags from an SDK's (key, value) pairs; a tag without a key is dropped.
pub(super) fn tags<'a>(
    pairs: impl Iterator<Item = (Option<&'a str>, Option<&'a str>)>,
) -> crate::snapshot::model::Tags {
    pairs
        .filter_map(|(key, value)| Some((key?.to_string(), value.unwrap_or_default().to_string())))
        .collect()
}

/// `service.resource` → (`service`, Some(`resource`)).
pub(super) fn split_source(source: &str) -> (&str, Option<&str>) {
    match source.split_once('.') {
        Some((service, part)) => (service, Some(part)),
        None => (source, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skips_cover_their_parts_only() {
        assert!(covers("s3", "s3.replication"));
        assert!(covers("ec2.images", "ec2.images"));
        assert!(!covers("ec2.images", "ec2.launch_templates"));
        assert!(!covers("s3", "ssm"));
    }

    fn collector(source: &str) -> &'static registry::Collector {
        registry::COLLECTORS
            .iter()
            .find(|c| c.source == source)
            .unwrap_or_else(|| panic!("no collector {source}"))
    }

    /// A regional reader waits for its own region's run of a regional
    /// source; a global reader (IAM reads both regions' runbooks) for every
    /// region's.
    #[test]
    fn a_global_reader_waits_for_every_region() {
        let ssm_in_dr = Launch {
            collector: collector("ssm"),
            region: "us-west-2".into(),
        };
        assert!(ssm_in_dr.feeds(collector("iam"), "us-east-1"));
        let templates_in_dr = Launch {
            collector: collector("ec2.launch_templates"),
            region: "us-west-2".into(),
        };
        assert!(templates_in_dr.feeds(collector("ec2.network"), "us-west-2"));
        assert!(!templates_in_dr.feeds(collector("ec2.network"), "us-east-1"));
        assert!(!templates_in_dr.feeds(collector("cloudwatch.alarms"), "us-west-2"));
    }
}
