//! Before auditing: does the snapshot hold what the configuration names?
//!
//! A `dr_region` the snapshot has no data for, or a `domain` no record set
//! carries, would otherwise show as a dozen failures with no hint that the
//! configuration is the problem. A region the snapshot does not contain at
//! all is an error (nothing of that side can be audited); an empty region
//! and an unknown domain are warnings, each with the closest name the
//! snapshot holds.

use miette::Diagnostic;
use thiserror::Error;

use crate::cel::closest;
use crate::config::Config;
use crate::link::normalize_dns;
use crate::snapshot::Snapshot;

/// A configured region the snapshot was not collected for.
#[derive(Debug, Error, Diagnostic)]
#[error(
    "`app.{key}` = {region:?}, but the snapshot holds no data for that region (it has: {have})"
)]
#[diagnostic(code(drguard::config::region_not_in_snapshot), help("{help}"))]
pub struct RegionNotInSnapshot {
    /// `primary_region` or `dr_region`.
    pub key: &'static str,
    /// The configured region.
    pub region: String,
    /// The regions the snapshot has.
    pub have: String,
    /// What to do.
    pub help: String,
}

/// Checks the configuration against the snapshot; returns the warnings to
/// print, or the first configured region the snapshot lacks.
pub fn check(config: &Config, snapshot: &Snapshot) -> Result<Vec<String>, RegionNotInSnapshot> {
    let mut warnings = Vec::new();
    let have: Vec<&str> = snapshot.regions.keys().map(String::as_str).collect();
    for (key, region) in [
        ("primary_region", &config.app.primary_region),
        ("dr_region", &config.app.dr_region),
    ] {
        match snapshot.regions.get(region) {
            None => {
                let suggestion = closest(region, have.iter().copied());
                return Err(RegionNotInSnapshot {
                    key,
                    region: region.clone(),
                    have: if have.is_empty() {
                        "none".into()
                    } else {
                        have.join(", ")
                    },
                    help: match suggestion {
                        Some(s) => format!(
                            "did you mean {s:?}? Set `app.{key}` in drguard.toml to the region the snapshot was collected for, or collect it again with this config"
                        ),
                        None => format!(
                            "set `app.{key}` to a region the snapshot was collected for, or collect it again with this config (`drguard snapshot`)"
                        ),
                    },
                });
            }
            Some(data) if region_is_empty(data) => warnings.push(format!(
                "the snapshot holds no resource in {key} {region}: every rule about that side will fail; is `app.{key}` the region the app runs in?"
            )),
            Some(_) => {}
        }
    }
    if let Some(domain) = &config.app.domain {
        let wanted = normalize_dns(domain);
        let names: Vec<String> = snapshot
            .global
            .hosted_zones
            .iter()
            .flat_map(|z| z.record_sets.iter())
            .map(|r| normalize_dns(&r.name))
            .collect();
        let zones_collected = !snapshot.global.hosted_zones.is_empty();
        if zones_collected && !names.contains(&wanted) {
            let suggestion = closest(&wanted, names.iter().map(String::as_str));
            warnings.push(match suggestion {
                Some(s) => format!(
                    "`app.domain` = {domain:?}: no record set has that name; did you mean {s:?}?"
                ),
                None => format!(
                    "`app.domain` = {domain:?}: no record set of the {} hosted zone(s) has that name; the failover rules will find no records",
                    snapshot.global.hosted_zones.len()
                ),
            });
        }
    }
    Ok(warnings)
}

/// True when a region's data has nothing at all in it.
fn region_is_empty(data: &crate::snapshot::model::RegionSnapshot) -> bool {
    data.load_balancers.is_empty()
        && data.target_groups.is_empty()
        && data.auto_scaling_groups.is_empty()
        && data.launch_templates.is_empty()
        && data.images.is_empty()
        && data.db_clusters.is_empty()
        && data.cache_replication_groups.is_empty()
        && data.automation_documents.is_empty()
        && data.event_rules.is_empty()
        && data.metrics.is_empty()
        && data.certificates.is_empty()
}
