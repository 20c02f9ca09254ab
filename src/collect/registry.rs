//! The collector registry: one line per collector.
//!
//! A collector reads one data source (`service` or `service.resource`, the
//! names of [`crate::snapshot::sources`]) in one region, or once for a global
//! service. First-stage collectors run all at once; second-stage collectors
//! run after them and may read what they found (a snapshot view), so that
//! they ask only for what the rules need.

use std::sync::Arc;

use super::{Ctx, PartFuture};
use crate::snapshot::model::Snapshot;

/// Where a collector runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scope {
    /// Once per region (primary and DR).
    Regional,
    /// Once, from the primary region (account-wide listings).
    Global,
    /// Once, from a fixed region (Global Accelerator's API lives in us-west-2).
    Fixed(&'static str),
}

/// When a collector runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stage {
    /// With everything else.
    First,
    /// After the first stage, with its results in view.
    Second,
}

/// Runs a collector for one region.
pub(crate) type Run = fn(Arc<Ctx>, String, Arc<Snapshot>) -> PartFuture;

/// One registry entry.
pub(crate) struct Collector {
    /// The data source it fills.
    pub source: &'static str,
    /// Where it runs.
    pub scope: Scope,
    /// When it runs.
    pub stage: Stage,
    /// The collector.
    pub run: Run,
}

const fn entry(source: &'static str, scope: Scope, stage: Stage, run: Run) -> Collector {
    Collector {
        source,
        scope,
        stage,
        run,
    }
}

use Scope::{Fixed, Global, Regional};
use Stage::{First, Second};

/// Every collector.
pub(crate) const COLLECTORS: &[Collector] = &[
    entry("route53", Global, First, |c, r, v| {
        Box::pin(super::route53::collect(c, r, v))
    }),
    entry("globalaccelerator", Fixed("us-west-2"), First, |c, r, v| {
        Box::pin(super::globalaccelerator::collect(c, r, v))
    }),
    entry("elbv2", Regional, First, |c, r, v| {
        Box::pin(super::elbv2::collect(c, r, v))
    }),
    entry("autoscaling", Regional, First, |c, r, v| {
        Box::pin(super::autoscaling::collect(c, r, v))
    }),
    entry("ec2.images", Regional, First, |c, r, v| {
        Box::pin(super::ec2::images(c, r, v))
    }),
    entry("ec2.launch_templates", Regional, Second, |c, r, v| {
        Box::pin(super::ec2::launch_templates(c, r, v))
    }),
    entry("rds.global_clusters", Global, First, |c, r, v| {
        Box::pin(super::rds::global_clusters(c, r, v))
    }),
    entry("rds.db_clusters", Regional, First, |c, r, v| {
        Box::pin(super::rds::db_clusters(c, r, v))
    }),
    entry(
        "elasticache.replication_groups",
        Regional,
        First,
        |c, r, v| Box::pin(super::elasticache::replication_groups(c, r, v)),
    ),
    entry(
        "elasticache.global_replication_groups",
        Global,
        First,
        |c, r, v| Box::pin(super::elasticache::global_replication_groups(c, r, v)),
    ),
    entry("s3", Global, First, |c, r, v| {
        Box::pin(super::s3::collect(c, r, v))
    }),
    entry("ssm", Regional, First, |c, r, v| {
        Box::pin(super::ssm::collect(c, r, v))
    }),
    entry("events", Regional, First, |c, r, v| {
        Box::pin(super::events::collect(c, r, v))
    }),
    entry("cloudwatch", Regional, Second, |c, r, v| {
        Box::pin(super::cloudwatch::collect(c, r, v))
    }),
];

/// The data sources that have a collector, in registry order.
pub fn data_sources() -> Vec<&'static str> {
    COLLECTORS.iter().map(|c| c.source).collect()
}
