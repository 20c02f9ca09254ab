//! The shared state of a collection run (session, concurrency caps, the
//! Route 53 rate, skips) and how an SDK error becomes a gap.

use std::collections::HashMap;
use std::sync::Arc;

use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use tokio::sync::Semaphore;

pub(crate) use super::failure::gap;
use super::progress::Progress;
use super::rate_limit::RateLimiter;
use super::run::{covers, split_source};
use super::{calls, registry, session};
use crate::config::Config;

/// Shared state of one collection run.
pub(crate) struct Ctx {
    pub(super) session: session::Session,
    pub(super) recorder: calls::Recorder,
    pub(super) permits: HashMap<&'static str, Arc<Semaphore>>,
    pub(super) route53_limiter: RateLimiter,
    pub(super) skips: Vec<String>,
    pub(super) primary_region: String,
    pub(super) dr_region: String,
    pub(super) domain: Option<String>,
    pub(super) metric_window_seconds: u64,
    pub(super) peak_window_seconds: u64,
    pub(super) progress: Progress,
}

impl Ctx {
    pub(super) fn new(
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
            peak_window_seconds: config.collect.peak_window_seconds,
            progress,
        }
    }

    /// The two regions, primary first.
    pub(super) fn regions(&self) -> Vec<String> {
        vec![self.primary_region.clone(), self.dr_region.clone()]
    }

    pub(super) fn targets_of(&self, collector: &registry::Collector) -> Vec<String> {
        match collector.scope {
            registry::Scope::Regional => self.regions(),
            registry::Scope::Global => vec![self.primary_region.clone()],
            registry::Scope::Fixed(region) => vec![region.to_string()],
        }
    }

    /// False when the user skipped this data source (or a whole service that contains it).
    pub(super) fn wants(&self, source: &str) -> bool {
        !self.skips.iter().any(|skip| covers(skip, source))
    }

    /// The SDK configuration for a region.
    pub(super) fn sdk(&self, region: &str) -> aws_types::SdkConfig {
        self.session.for_region(region)
    }

    /// Waits for a slot of the service's concurrency cap (and Route 53's rate).
    pub(super) async fn permit(&self, service: &str) -> Option<tokio::sync::OwnedSemaphorePermit> {
        if service == "route53" {
            self.route53_limiter.acquire().await;
        }
        match self.permits.get(service) {
            Some(semaphore) => Arc::clone(semaphore).acquire_owned().await.ok(),
            None => None,
        }
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
