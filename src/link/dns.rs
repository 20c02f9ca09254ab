//! Traffic: the failover records of the app's domain and the accelerator
//! that fronts it.

use std::collections::BTreeSet;

use super::*;
use crate::snapshot::model::{HostedZone, RecordSet};

impl Linker<'_, '_> {
    pub(super) fn link_records(&mut self) {
        let Some(domain) = self.topology.domain.clone() else {
            return;
        };
        let mut zones: Vec<&HostedZone> = self.snapshot.global.hosted_zones.iter().collect();
        // Public zones answer the internet; prefer them over private twins.
        zones.sort_by_key(|zone| zone.private_zone);
        let type_rank = |record: &RecordSet| match record.record_type.as_str() {
            "A" => 0,
            "AAAA" => 1,
            "CNAME" => 2,
            _ => 3,
        };
        for wanted in ["PRIMARY", "SECONDARY"] {
            let mut found: Option<(&HostedZone, &RecordSet)> = None;
            for zone in &zones {
                for record in &zone.record_sets {
                    if normalize_dns(&record.name) != domain
                        || record.failover.as_deref() != Some(wanted)
                    {
                        continue;
                    }
                    let better = match found {
                        None => true,
                        Some((_, best)) => type_rank(record) < type_rank(best),
                    };
                    if better {
                        found = Some((zone, record));
                    }
                }
                if found.is_some() {
                    break;
                }
            }
            let linked = found.map(|(zone, record)| self.failover_record(zone, record));
            if wanted == "PRIMARY" {
                self.topology.primary_record = linked;
            } else {
                self.topology.secondary_record = linked;
            }
        }
        self.topology.traffic_switch_automatic = match &self.topology.primary_record {
            Some(primary) => {
                ((primary.health_check_exists && primary.health_check_defect.is_none())
                    || primary.evaluate_target_health)
                    && self.topology.secondary_record.is_some()
            }
            None => false,
        };
    }

    pub(super) fn failover_record(&self, zone: &HostedZone, record: &RecordSet) -> FailoverRecord {
        let target = record
            .alias_target
            .as_ref()
            .map(|alias| alias.dns_name.clone())
            .or_else(|| record.values.first().cloned());
        let mut target_kind = "unknown".to_string();
        let mut target_region = None;
        let mut load_balancer_arn = None;
        if let Some(target) = &target {
            let wanted = normalize_dns(target);
            for (region, data) in &self.snapshot.regions {
                if let Some(lb) = data
                    .load_balancers
                    .iter()
                    .find(|lb| normalize_dns(&lb.dns_name) == wanted)
                {
                    target_kind = "load_balancer".into();
                    target_region = Some(region.clone());
                    load_balancer_arn = Some(lb.arn.clone());
                }
            }
            let fronted_by_accelerator = self.snapshot.global.accelerators.iter().any(|ga| {
                ga.dns_name.as_deref().map(normalize_dns) == Some(wanted.clone())
                    || record.values.iter().any(|v| ga.ip_addresses.contains(v))
            });
            if load_balancer_arn.is_none() && fronted_by_accelerator {
                target_kind = "accelerator".into();
            }
        }
        let check = record
            .health_check_id
            .as_ref()
            .and_then(|id| self.lookups.health_check(id));
        let health_check_exists = check.is_some();
        let health_check_defect = check.and_then(super::health::defect);
        FailoverRecord {
            zone_id: zone.id.clone(),
            name: normalize_dns(&record.name),
            record_type: record.record_type.clone(),
            set_identifier: record.set_identifier.clone(),
            ttl: record.ttl,
            alias: record.alias_target.is_some(),
            evaluate_target_health: record
                .alias_target
                .as_ref()
                .is_some_and(|a| a.evaluate_target_health),
            health_check_id: record.health_check_id.clone(),
            health_check_exists,
            health_check_defect,
            target,
            target_kind,
            target_region,
            load_balancer_arn,
        }
    }

    /// The load balancers the app's failover records point at.
    pub(super) fn app_load_balancers(&self) -> BTreeSet<String> {
        let mut arns = BTreeSet::new();
        for record in [
            &self.topology.primary_record,
            &self.topology.secondary_record,
        ]
        .into_iter()
        .flatten()
        {
            if let Some(arn) = &record.load_balancer_arn {
                arns.insert(arn.clone());
            }
        }
        arns
    }

    pub(super) fn link_accelerator(&mut self) {
        let app_lbs = self.app_load_balancers();
        let record_targets: Vec<String> = [
            &self.topology.primary_record,
            &self.topology.secondary_record,
        ]
        .into_iter()
        .flatten()
        .filter(|r| r.target_kind == "accelerator")
        .filter_map(|r| r.target.as_deref().map(normalize_dns))
        .collect();
        for ga in &self.snapshot.global.accelerators {
            let groups = || ga.listeners.iter().flat_map(|l| l.endpoint_groups.iter());
            let fronts_lb =
                groups().any(|g| g.endpoints.iter().any(|e| app_lbs.contains(&e.endpoint_id)));
            let named_by_record = ga
                .dns_name
                .as_deref()
                .is_some_and(|d| record_targets.contains(&normalize_dns(d)))
                || record_targets
                    .iter()
                    .any(|target| ga.ip_addresses.iter().any(|ip| ip == target));
            if !(fronts_lb || named_by_record) {
                continue;
            }
            let mut regions = BTreeSet::new();
            let mut checked = BTreeSet::new();
            for group in groups().filter(|g| !g.endpoints.is_empty()) {
                regions.insert(group.region.clone());
                if group.health_check_protocol.is_some() {
                    checked.insert(group.region.clone());
                }
            }
            self.topology.accelerator = Some(AcceleratorLink {
                arn: ga.arn.clone(),
                name: ga.name.clone(),
                regions: regions.into_iter().collect(),
                health_checked_regions: checked.into_iter().collect(),
            });
            return;
        }
    }
}
