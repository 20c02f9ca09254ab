//! Live collection: reads both regions of an AWS account through the AWS SDK
//! for Rust into a [`Snapshot`].
//!
//! This module (and only this module) imports `aws-sdk-*`. Each AWS service
//! has one file that makes read-only calls (Describe/List/Get) and normalises
//! the answers into the SDK-free model; [`registry::COLLECTORS`] lists them.
//!
//! How a run goes:
//! 1. [`session::open`] resolves credentials through the standard chain
//!    (`--profile`, `--role-arn`, `AWS_ENDPOINT_URL`…) and asks STS who we
//!    are. Any failure here is a [`CollectError`] (exit 2) before any data
//!    is read.
//! 2. Every collector × region runs concurrently on tokio; pages within a
//!    list are read in order. A per-service semaphore caps calls in flight,
//!    and Route 53 calls go through a token bucket (its API allows 5 requests
//!    per second per account).
//! 3. A collector that reads what others found (launch template versions of
//!    the groups, CloudWatch metrics of the clusters and buckets) starts, per
//!    region, as soon as those sources are in: it asks only for what the rules
//!    need without waiting for unrelated services.
//! 4. A call that still fails after the SDK's retries becomes a
//!    [`CollectionGap`]: never silently skipped. Rules that require its data
//!    evaluate to `error`.
//!
//! [`calls::Recorder`], an SDK interceptor on every client, logs each
//! operation (service, IAM action, region, duration, attempts, outcome) into
//! `snapshot.collection.api_calls` and, with `-v`, through `tracing`.

mod autoscaling;
mod calls;
mod cloudwatch;
mod ec2;
mod elasticache;
mod elbv2;
mod events;
mod globalaccelerator;
mod rds;
mod registry;
mod replay;
mod route53;
mod s3;
mod session;
mod ssm;

use std::collections::HashMap;
use std::future::Future;
use std::io::IsTerminal;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::display::DisplayErrorContext;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use miette::Diagnostic;
use thiserror::Error;
use tokio::sync::Semaphore;

use crate::config::Config;
use crate::snapshot::model::{
    Collection, CollectionGap, RegionSnapshot, SCHEMA_VERSION, SkippedSource, Snapshot,
};

pub use calls::iam_action;
pub use registry::data_sources;
#[doc(hidden)]
pub use replay::{CannedAnswer, collect_with_canned_answer};

/// How to reach the account: what the command line adds to the config.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Named profile of the shared config/credentials files (`--profile`).
    pub profile: Option<String>,
    /// Role to assume for the whole run (`--role-arn`).
    pub role_arn: Option<String>,
    /// External id for the role (`--external-id`).
    pub external_id: Option<String>,
    /// Show progress on stderr (only honoured when stderr is a terminal).
    pub progress: bool,
    /// Answers every request in-process, with static test credentials
    /// (`replay.rs`, for the fuzz target); `None` talks to AWS.
    pub(crate) canned: Option<aws_smithy_runtime_api::client::http::SharedHttpClient>,
}

/// Collection could not start: nothing was read.
#[derive(Debug, Error, Diagnostic)]
pub enum CollectError {
    /// No usable credentials.
    #[error("no usable AWS credentials: {reason}")]
    #[diagnostic(
        code(drguard::collect::credentials),
        help(
            "drguard uses the standard AWS credential chain: environment variables, \
             the shared config and credentials files (`--profile NAME` or AWS_PROFILE), \
             IAM Identity Center (`aws sso login`), web identity and instance roles. \
             Check it with `aws sts get-caller-identity`; to audit another account, \
             add `--role-arn ARN`"
        )
    )]
    Credentials {
        /// Why (never the credentials themselves).
        reason: String,
    },
    /// The async runtime could not start.
    #[error("cannot start the collection runtime: {0}")]
    #[diagnostic(code(drguard::collect::runtime))]
    Runtime(String),
}

/// Collects a snapshot of the configured regions.
pub fn collect(config: &Config, options: &Options) -> Result<Snapshot, CollectError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| CollectError::Runtime(e.to_string()))?;
    runtime.block_on(collect_async(config, options))
}

async fn collect_async(config: &Config, options: &Options) -> Result<Snapshot, CollectError> {
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
                running.remove(&err.id());
                snapshot.gaps.push(CollectionGap {
                    service: "collect".into(),
                    resource: None,
                    region: "global".into(),
                    operation: "collector".into(),
                    error_code: "Panic".into(),
                    message: err.to_string(),
                });
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
    // A collector that panicked has no data-source name: charge every service.
    let (panics, mut gaps): (Vec<_>, Vec<_>) = std::mem::take(&mut snapshot.gaps)
        .into_iter()
        .partition(|g| g.service == "collect");
    for gap in panics {
        for collector in registry::COLLECTORS {
            let (service, resource) = split_source(collector.source);
            gaps.push(CollectionGap {
                service: service.into(),
                resource: resource.map(Into::into),
                ..gap.clone()
            });
        }
    }
    snapshot.gaps = gaps;
    snapshot.gaps.sort_by(|a, b| {
        (&a.service, &a.resource, &a.region, &a.operation).cmp(&(
            &b.service,
            &b.resource,
            &b.region,
            &b.operation,
        ))
    });
    snapshot.gaps.dedup();
    normalise_order(&mut snapshot);
    snapshot.collection = Some(Collection {
        duration_ms: started.elapsed().as_millis() as u64,
        api_calls: recorder.take(),
    });
    ctx.progress.finish(&snapshot);
    Ok(snapshot)
}

/// One collector run: a collector in one region.
struct Launch {
    collector: &'static registry::Collector,
    region: String,
}

impl Launch {
    /// True when this run fills data that `waiter` (in `region`) reads.
    fn feeds(&self, waiter: &registry::Collector, region: &str) -> bool {
        waiter.after.contains(&self.collector.source)
            && (self.collector.scope != registry::Scope::Regional || self.region == region)
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

/// Sorts every list by its natural key so that two collections of the same
/// account give byte-identical snapshots, whatever order the calls finished in.
fn normalise_order(snapshot: &mut Snapshot) {
    let global = &mut snapshot.global;
    global.hosted_zones.sort_by(|a, b| a.id.cmp(&b.id));
    global.health_checks.sort_by(|a, b| a.id.cmp(&b.id));
    global.accelerators.sort_by(|a, b| a.arn.cmp(&b.arn));
    global.global_clusters.sort_by(|a, b| a.id.cmp(&b.id));
    global
        .global_replication_groups
        .sort_by(|a, b| a.id.cmp(&b.id));
    global.buckets.sort_by(|a, b| a.name.cmp(&b.name));
    for region in snapshot.regions.values_mut() {
        region.load_balancers.sort_by(|a, b| a.arn.cmp(&b.arn));
        region.target_groups.sort_by(|a, b| a.arn.cmp(&b.arn));
        region
            .auto_scaling_groups
            .sort_by(|a, b| a.name.cmp(&b.name));
        region.launch_templates.sort_by(|a, b| a.id.cmp(&b.id));
        region.images.sort_by(|a, b| a.id.cmp(&b.id));
        region.db_clusters.sort_by(|a, b| a.id.cmp(&b.id));
        region
            .cache_replication_groups
            .sort_by(|a, b| a.id.cmp(&b.id));
        region
            .automation_documents
            .sort_by(|a, b| a.name.cmp(&b.name));
        region.event_rules.sort_by(|a, b| a.name.cmp(&b.name));
        region.metrics.sort_by(|a, b| {
            (&a.namespace, &a.metric_name, &a.dimensions).cmp(&(
                &b.namespace,
                &b.metric_name,
                &b.dimensions,
            ))
        });
    }
}

/// True when skipping `skip` (a service or `service.resource`) leaves out `source`.
fn covers(skip: &str, source: &str) -> bool {
    skip == source
        || source
            .strip_prefix(skip)
            .is_some_and(|rest| rest.starts_with('.'))
}

/// Tags from an SDK's (key, value) pairs; a tag without a key is dropped.
fn tags<'a>(
    pairs: impl Iterator<Item = (Option<&'a str>, Option<&'a str>)>,
) -> crate::snapshot::model::Tags {
    pairs
        .filter_map(|(key, value)| Some((key?.to_string(), value.unwrap_or_default().to_string())))
        .collect()
}

/// `service.resource` → (`service`, Some(`resource`)).
fn split_source(source: &str) -> (&str, Option<&str>) {
    match source.split_once('.') {
        Some((service, part)) => (service, Some(part)),
        None => (source, None),
    }
}

/// What a collector hands back: an edit of the snapshot, the gaps it hit and
/// counts for the progress display.
pub(crate) struct Part {
    apply: Box<dyn FnOnce(&mut Snapshot) + Send>,
    gaps: Vec<CollectionGap>,
    counts: Vec<(&'static str, usize)>,
}

impl Part {
    fn new() -> Self {
        Part {
            apply: Box::new(|_| {}),
            gaps: Vec::new(),
            counts: Vec::new(),
        }
    }

    /// Adds an edit of the snapshot.
    fn edit(&mut self, edit: impl FnOnce(&mut Snapshot) + Send + 'static) {
        let previous = std::mem::replace(&mut self.apply, Box::new(|_| {}));
        self.apply = Box::new(move |snapshot| {
            previous(snapshot);
            edit(snapshot);
        });
    }

    /// Adds an edit of one region's data.
    fn edit_region(
        &mut self,
        region: &str,
        edit: impl FnOnce(&mut RegionSnapshot) + Send + 'static,
    ) {
        let region = region.to_string();
        self.edit(move |snapshot| edit(snapshot.regions.entry(region).or_default()));
    }

    fn count(&mut self, what: &'static str, n: usize) {
        self.counts.push((what, n));
    }

    fn apply(self, snapshot: &mut Snapshot) {
        (self.apply)(snapshot);
        snapshot.gaps.extend(self.gaps);
    }
}

/// Shared state of one collection run.
pub(crate) struct Ctx {
    session: session::Session,
    recorder: calls::Recorder,
    permits: HashMap<&'static str, Arc<Semaphore>>,
    route53_limiter: RateLimiter,
    skips: Vec<String>,
    primary_region: String,
    dr_region: String,
    domain: Option<String>,
    metric_window_seconds: u64,
    progress: Progress,
}

impl Ctx {
    fn new(
        config: &Config,
        session: session::Session,
        recorder: calls::Recorder,
        progress: Progress,
    ) -> Self {
        let permits = registry::COLLECTORS
            .iter()
            .map(|c| split_source(c.source).0)
            .map(|service| {
                (
                    service,
                    Arc::new(Semaphore::new(config.collect.concurrency)),
                )
            })
            .collect();
        Ctx {
            session,
            recorder,
            permits,
            route53_limiter: RateLimiter::new(config.collect.route53_requests_per_second),
            skips: config
                .collect
                .skip
                .iter()
                .map(|s| s.source.clone())
                .collect(),
            primary_region: config.app.primary_region.clone(),
            dr_region: config.app.dr_region.clone(),
            domain: config.app.domain.clone(),
            metric_window_seconds: config.collect.metric_window_seconds,
            progress,
        }
    }

    /// The two regions, primary first.
    fn regions(&self) -> Vec<String> {
        vec![self.primary_region.clone(), self.dr_region.clone()]
    }

    fn targets_of(&self, collector: &registry::Collector) -> Vec<String> {
        match collector.scope {
            registry::Scope::Regional => self.regions(),
            registry::Scope::Global => vec![self.primary_region.clone()],
            registry::Scope::Fixed(region) => vec![region.to_string()],
        }
    }

    /// False when the user skipped this data source (or a whole service that contains it).
    fn wants(&self, source: &str) -> bool {
        !self.skips.iter().any(|skip| covers(skip, source))
    }

    /// The SDK configuration for a region.
    fn sdk(&self, region: &str) -> aws_types::SdkConfig {
        self.session.for_region(region)
    }

    /// Waits for a slot of the service's concurrency cap (and Route 53's rate).
    async fn permit(&self, service: &str) -> Option<tokio::sync::OwnedSemaphorePermit> {
        if service == "route53" {
            self.route53_limiter.acquire().await;
        }
        match self.permits.get(service) {
            Some(semaphore) => Arc::clone(semaphore).acquire_owned().await.ok(),
            None => None,
        }
    }
}

/// Turns an SDK error into a gap.
pub(crate) fn gap<E, R>(
    source: &str,
    region: &str,
    operation: &str,
    err: &SdkError<E, R>,
) -> CollectionGap
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug,
{
    let (service, resource) = split_source(source);
    let (error_code, message) = match err {
        SdkError::TimeoutError(_) => (
            "Timeout".to_string(),
            "no answer within the operation timeout ([collect] operation_timeout / attempt_timeout)"
                .to_string(),
        ),
        SdkError::DispatchFailure(failure) => {
            let code = if failure.is_timeout() {
                "Timeout"
            } else if failure.is_io() {
                "ConnectionError"
            } else {
                "DispatchFailure"
            };
            (code.to_string(), DisplayErrorContext(err).to_string())
        }
        SdkError::ResponseError(_) => (
            "MalformedResponse".to_string(),
            DisplayErrorContext(err).to_string(),
        ),
        SdkError::ServiceError(service_error) => {
            let inner = service_error.err();
            (
                inner.code().unwrap_or("Unknown").to_string(),
                inner
                    .message()
                    .map(str::to_string)
                    .unwrap_or_else(|| DisplayErrorContext(inner).to_string()),
            )
        }
        _ => (
            "ConstructionFailure".to_string(),
            DisplayErrorContext(err).to_string(),
        ),
    };
    CollectionGap {
        service: service.to_string(),
        resource: resource.map(str::to_string),
        region: region.to_string(),
        operation: operation.to_string(),
        error_code,
        message: message.replace('\n', " "),
    }
}

/// The error code of a service error, for expected "not found" answers.
pub(crate) fn error_code<E, R>(err: &SdkError<E, R>) -> Option<&str>
where
    E: ProvideErrorMetadata,
{
    match err {
        SdkError::ServiceError(service_error) => service_error.err().code(),
        _ => None,
    }
}

/// A token bucket: `rate` requests per second, bursts of up to `rate`.
struct RateLimiter {
    rate: f64,
    state: Mutex<(f64, Instant)>,
}

impl RateLimiter {
    fn new(rate: u32) -> Self {
        let rate = f64::from(rate.max(1));
        RateLimiter {
            rate,
            state: Mutex::new((rate, Instant::now())),
        }
    }

    async fn acquire(&self) {
        loop {
            let wait = {
                let Ok(mut state) = self.state.lock() else {
                    return;
                };
                let now = Instant::now();
                let (tokens, last) = *state;
                let (left, wait) = take_token(tokens, now.duration_since(last), self.rate);
                *state = (left, now);
                match wait {
                    None => return,
                    Some(wait) => wait,
                }
            };
            tokio::time::sleep(wait).await;
        }
    }
}

/// One step of the token bucket: refill for `elapsed`, then take a token if
/// there is one. Returns the tokens left and, when none was free, how long
/// until one will be.
fn take_token(tokens: f64, elapsed: Duration, rate: f64) -> (f64, Option<Duration>) {
    let tokens = (tokens + elapsed.as_secs_f64() * rate).min(rate);
    if tokens >= 1.0 {
        (tokens - 1.0, None)
    } else {
        (tokens, Some(Duration::from_secs_f64((1.0 - tokens) / rate)))
    }
}

/// The progress display: one line per collector × region as it finishes.
struct Progress {
    enabled: bool,
}

impl Progress {
    fn new(enabled: bool) -> Self {
        if enabled {
            eprintln!("collecting…");
        }
        Progress { enabled }
    }

    fn done(&self, source: &str, region: &str, part: &Part, elapsed: Duration) {
        if !self.enabled {
            return;
        }
        let counts: Vec<String> = part
            .counts
            .iter()
            .map(|(what, n)| format!("{n} {what}"))
            .collect();
        let status = if part.gaps.is_empty() { "✓" } else { "✗" };
        let gaps = if part.gaps.is_empty() {
            String::new()
        } else {
            format!(", {} failed call(s)", part.gaps.len())
        };
        eprintln!(
            "  {status} {source:<38} {region:<12} {}{gaps} ({} ms)",
            counts.join(", "),
            elapsed.as_millis()
        );
    }

    fn finish(&self, snapshot: &Snapshot) {
        if !self.enabled {
            return;
        }
        let calls = snapshot
            .collection
            .as_ref()
            .map(|c| c.api_calls.len())
            .unwrap_or_default();
        eprintln!(
            "collected in {} ms: {calls} API calls, {} failed after retries, {} source(s) skipped",
            snapshot
                .collection
                .as_ref()
                .map(|c| c.duration_ms)
                .unwrap_or_default(),
            snapshot.gaps.len(),
            snapshot.skipped.len()
        );
    }
}

/// A boxed collector future.
pub(crate) type PartFuture = Pin<Box<dyn Future<Output = Part> + Send>>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_route53_bucket_allows_a_burst_then_five_per_second() {
        let rate = 5.0;
        let mut tokens = rate;
        for _ in 0..5 {
            let (left, wait) = take_token(tokens, Duration::ZERO, rate);
            assert!(wait.is_none());
            tokens = left;
        }
        let (left, wait) = take_token(tokens, Duration::ZERO, rate);
        assert_eq!(wait, Some(Duration::from_millis(200)));
        // 200 ms later exactly one more request may go.
        let (left, wait) = take_token(left, Duration::from_millis(200), rate);
        assert!(wait.is_none());
        assert!(left < 1e-9);
        // A long pause refills to the burst size, never beyond.
        let (left, _) = take_token(left, Duration::from_secs(60), rate);
        assert!((left - 4.0).abs() < 1e-9);
    }

    #[test]
    fn skips_cover_their_parts_only() {
        assert!(covers("s3", "s3.replication"));
        assert!(covers("ec2.images", "ec2.images"));
        assert!(!covers("ec2.images", "ec2.launch_templates"));
        assert!(!covers("s3", "ssm"));
    }
}
