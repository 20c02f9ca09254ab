//! Live collection: reads both regions of an AWS account through the AWS SDK
//! for Rust into a [`Snapshot`].
//!
//! This module (and only this module) imports `aws-sdk-*`. Each AWS service
//! has one file that makes read-only calls (Describe/List/Get) and normalises
//! the answers into the SDK-free model; `registry::COLLECTORS` lists them.
//!
//! How a run goes:
//! 1. `session::open` resolves credentials through the standard chain
//!    (`--profile`, `--role-arn`, `AWS_ENDPOINT_URL`…) and asks STS who we
//!    are. Any failure here is a [`CollectError`] (exit 2) before any data
//!    is read, classified by its cause (`failure`): endpoint unreachable,
//!    profile not found, no credentials, expired or rejected credentials,
//!    access denied, unknown region.
//! 2. Every collector × region runs concurrently on tokio; pages within a
//!    list are read in order. A per-service semaphore caps calls in flight,
//!    and Route 53 calls go through a token bucket (its API allows 5 requests
//!    per second per account).
//! 3. A collector that reads what others found (launch template versions of
//!    the groups, CloudWatch metrics of the clusters, buckets and groups, the
//!    instance types, security groups and subnets the templates name, the
//!    IAM roles and instance profiles of the runbooks and templates) starts,
//!    per region, as soon as those sources are in (a global one, once they
//!    are in everywhere): it asks only for what the rules need without
//!    waiting for unrelated services.
//! 4. A call that still fails after the SDK's retries becomes a
//!    [`CollectionGap`](crate::snapshot::model::CollectionGap): never silently skipped. Rules that require its data
//!    evaluate to `error`.
//!
//! `calls::Recorder`, an SDK interceptor on every client, logs each
//! operation (service, IAM action, region, duration, attempts, outcome) into
//! `snapshot.collection.api_calls` and, with `-v`, through `tracing`.

mod acm;
mod autoscaling;
mod calls;
mod cloudwatch;
mod ctx;
mod ec2;
mod elasticache;
mod elbv2;
mod events;
mod failure;
mod globalaccelerator;
mod iam;
mod kms;
mod part;
mod progress;
mod rate_limit;
mod rds;
mod registry;
mod replay;
mod route53;
mod run;
mod s3;
mod secretsmanager;
mod servicequotas;
mod session;
mod ssm;

use std::future::Future;
use std::pin::Pin;

use crate::config::Config;
use crate::snapshot::model::Snapshot;

pub(crate) use ctx::{Ctx, error_code, gap};
pub(crate) use part::Part;
use run::{collect_async, tags};

pub use calls::iam_action;
pub use failure::{Cause, CollectError};
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

/// Collects a snapshot of the configured regions.
pub fn collect(config: &Config, options: &Options) -> Result<Snapshot, CollectError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| {
            CollectError::new(
                Cause::Runtime,
                format!("cannot start the collection runtime: {e}"),
                "the machine refused threads or I/O resources to drguard: check ulimits and free memory",
            )
        })?;
    runtime.block_on(collect_async(config, options))
}

/// A boxed collector future.
pub(crate) type PartFuture = Pin<Box<dyn Future<Output = Part> + Send>>;
