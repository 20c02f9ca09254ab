//! The collector registry: one line per collector.
//!
//! A collector reads one data source (`service` or `service.resource`, the
//! names of [`crate::vocab::sources`]) in one region, or once for a global
//! service. Most collectors start at once; a collector with `after` sources
//! starts, per region, as soon as those sources are read there, and gets a
//! snapshot view of what they found, so that it asks only for what the rules
//! need (launch template versions of the groups found, metrics of the
//! clusters, buckets and groups found, the roles the runbooks assume) without
//! waiting for unrelated services.

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

/// Runs a collector for one region.
pub(crate) type Run = fn(Arc<Ctx>, String, Arc<Snapshot>) -> PartFuture;

/// One registry entry.
pub(crate) struct Collector {
    /// The data source it fills.
    pub source: &'static str,
    /// Where it runs.
    pub scope: Scope,
    /// The data sources it reads from the snapshot view: it starts once
    /// they are collected in its region (a regional source it waits for in
    /// every region when it is not regional itself; a global source once).
    /// Each must be listed earlier in [`COLLECTORS`].
    pub after: &'static [&'static str],
    /// The collector.
    pub run: Run,
}

const fn entry(
    source: &'static str,
    scope: Scope,
    after: &'static [&'static str],
    run: Run,
) -> Collector {
    Collector {
        source,
        scope,
        after,
        run,
    }
}

use Scope::{Fixed, Global, Regional};

/// Starts at once.
const AT_ONCE: &[&str] = &[];

/// Every collector.
pub(crate) const COLLECTORS: &[Collector] = &[
    entry("route53", Global, AT_ONCE, |c, r, v| {
        Box::pin(super::route53::collect(c, r, v))
    }),
    entry(
        "globalaccelerator",
        Fixed("us-west-2"),
        AT_ONCE,
        |c, r, v| Box::pin(super::globalaccelerator::collect(c, r, v)),
    ),
    entry("elbv2", Regional, AT_ONCE, |c, r, v| {
        Box::pin(super::elbv2::collect(c, r, v))
    }),
    entry("acm", Regional, AT_ONCE, |c, r, v| {
        Box::pin(super::acm::collect(c, r, v))
    }),
    entry("kms", Regional, AT_ONCE, |c, r, v| {
        Box::pin(super::kms::collect(c, r, v))
    }),
    entry("secretsmanager", Regional, AT_ONCE, |c, r, v| {
        Box::pin(super::secretsmanager::collect(c, r, v))
    }),
    entry("autoscaling", Regional, AT_ONCE, |c, r, v| {
        Box::pin(super::autoscaling::collect(c, r, v))
    }),
    entry("ec2.images", Regional, AT_ONCE, |c, r, v| {
        Box::pin(super::ec2::images(c, r, v))
    }),
    entry(
        "ec2.launch_templates",
        Regional,
        &["autoscaling"],
        |c, r, v| Box::pin(super::ec2::launch_templates(c, r, v)),
    ),
    entry(
        "ec2.instance_types",
        Regional,
        &["ec2.launch_templates"],
        |c, r, v| Box::pin(super::ec2::instance_types(c, r, v)),
    ),
    entry(
        "ec2.network",
        Regional,
        &["autoscaling", "ec2.launch_templates"],
        |c, r, v| Box::pin(super::ec2::network(c, r, v)),
    ),
    entry("rds.global_clusters", Global, AT_ONCE, |c, r, v| {
        Box::pin(super::rds::global_clusters(c, r, v))
    }),
    entry("rds.db_clusters", Regional, AT_ONCE, |c, r, v| {
        Box::pin(super::rds::db_clusters(c, r, v))
    }),
    entry("rds.db_instances", Regional, AT_ONCE, |c, r, v| {
        Box::pin(super::rds::db_instances(c, r, v))
    }),
    entry(
        "elasticache.replication_groups",
        Regional,
        AT_ONCE,
        |c, r, v| Box::pin(super::elasticache::replication_groups(c, r, v)),
    ),
    entry(
        "elasticache.global_replication_groups",
        Global,
        AT_ONCE,
        |c, r, v| Box::pin(super::elasticache::global_replication_groups(c, r, v)),
    ),
    entry("s3", Global, AT_ONCE, |c, r, v| {
        Box::pin(super::s3::collect(c, r, v))
    }),
    entry("ssm", Regional, AT_ONCE, |c, r, v| {
        Box::pin(super::ssm::collect(c, r, v))
    }),
    entry("events", Regional, AT_ONCE, |c, r, v| {
        Box::pin(super::events::collect(c, r, v))
    }),
    entry(
        "cloudwatch.metrics",
        Regional,
        &[
            "rds.global_clusters",
            "rds.db_clusters",
            "s3",
            "autoscaling",
        ],
        |c, r, v| Box::pin(super::cloudwatch::collect(c, r, v)),
    ),
    entry("cloudwatch.alarms", Regional, AT_ONCE, |c, r, v| {
        Box::pin(super::cloudwatch::alarms::collect(c, r, v))
    }),
    entry("servicequotas", Regional, AT_ONCE, |c, r, v| {
        Box::pin(super::servicequotas::collect(c, r, v))
    }),
    entry(
        "iam",
        Global,
        &["ssm", "ec2.launch_templates"],
        |c, r, v| Box::pin(super::iam::collect(c, r, v)),
    ),
];

/// The data sources that have a collector, in registry order.
pub fn data_sources() -> Vec<&'static str> {
    COLLECTORS.iter().map(|c| c.source).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The scheduler starts a collector once its `after` sources are done; a
    /// source that is not an earlier collector would never be waited for (a
    /// typo) or could wait in a cycle.
    #[test]
    fn every_after_source_is_an_earlier_collector() {
        for (position, collector) in COLLECTORS.iter().enumerate() {
            for source in collector.after {
                let earlier = COLLECTORS
                    .iter()
                    .take(position)
                    .any(|c| c.source == *source);
                assert!(
                    earlier,
                    "{} waits for {source}, not an earlier collector",
                    collector.source
                );
            }
        }
    }

    /// The registry and the service specs agree: every collector fills a
    /// known data source, and every data source has a collector (its own,
    /// its service's, or the one that reads it on the way).
    #[test]
    fn collectors_and_service_specs_agree() {
        use crate::snapshot::spec;
        for collector in COLLECTORS {
            assert!(
                spec::is_known_source(collector.source),
                "collector {} fills no data source of the specs",
                collector.source
            );
        }
        // Read by another source's collector: the DB cluster collector reads
        // the parameter groups of the clusters it finds.
        let read_along = [("rds.cluster_parameters", "rds.db_clusters")];
        for (name, _) in spec::data_sources() {
            let service = name.split('.').next().unwrap_or(name);
            let covered = COLLECTORS.iter().any(|c| {
                c.source == name
                    || c.source == service
                    || (c.source.starts_with(&format!("{name}.")))
                    || read_along.contains(&(name, c.source))
            });
            assert!(covered, "data source {name} has no collector");
        }
    }
}
