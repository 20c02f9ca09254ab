//! The DR side's capacity against the primary's peak (DRG-ASG-004).
//!
//! The nightly audit runs near the traffic trough, so the primary's
//! DesiredCapacity at snapshot time says little about what the DR side must
//! carry on the day. The peak comes from `AWS/AutoScaling`
//! `GroupDesiredCapacity` over `[collect] peak_window` (collected only where
//! group metrics collection is enabled), else the primary's MaxSize, the
//! most it was allowed to run. The DR side must be allowed to run that
//! many instances (MaxSize), the runbook must ask for them, and the DR
//! region's EC2 On-Demand vCPU quota must let them start.

use serde::Serialize;

use super::Linker;

/// The EC2 quota of Running On-Demand Standard (A, C, D, H, I, M, R, T, Z)
/// instances, in vCPUs.
pub const STANDARD_VCPU_QUOTA: &str = "L-1216C47A";

/// Families whose letters start like a standard one but have their own
/// quota (Inferentia, Trainium, DL, HPC, Mac).
const OWN_QUOTA_PREFIXES: &[&str] = &["inf", "trn", "dl", "hpc", "mac"];

/// The DR side's capacity, judged against the primary's peak.
#[derive(Debug, Clone, Serialize, Default, schemars::JsonSchema)]
pub struct Capacity {
    /// Instances the primary side ran at its peak (summed over its groups);
    /// null without a primary group.
    pub peak: Option<i64>,
    /// Where each group's part of the peak comes from.
    pub peak_source: String,
    /// The DR groups' MaxSize, summed.
    pub dr_max_size: i64,
    /// The DesiredCapacity the runbook's scale-up steps give the DR group,
    /// when they name it with a known value (the largest).
    pub runbook_desired: Option<i64>,
    /// vCPUs of one DR instance (the largest of the DR groups' types).
    pub dr_instance_vcpus: Option<i64>,
    /// vCPUs the peak needs in the DR region (`peak` × `dr_instance_vcpus`).
    pub vcpus_needed: Option<i64>,
    /// The DR region's Running On-Demand Standard instances quota, in vCPUs.
    pub dr_vcpu_quota: Option<f64>,
    /// Why the DR side cannot run the peak, one line each; empty when it can.
    pub problems: Vec<String>,
    /// What could not be judged, one line each (an instance family with its
    /// own quota, a type whose vCPUs were not described).
    pub unjudged: Vec<String>,
}

/// True when the instance type counts against the standard On-Demand quota.
pub fn standard_family(instance_type: &str) -> bool {
    let family: String = instance_type
        .chars()
        .take_while(|c| c.is_ascii_alphabetic())
        .collect::<String>()
        .to_ascii_lowercase();
    let Some(first) = family.chars().next() else {
        return false;
    };
    "acdhimrtz".contains(first) && !OWN_QUOTA_PREFIXES.iter().any(|p| family.starts_with(p))
}

impl Linker<'_, '_> {
    /// Fills `topology.capacity`; runs after the sides and the runbook.
    pub(super) fn link_capacity(&mut self) {
        let primary_region = self.config.app.primary_region.clone();
        let dr_region = self.config.app.dr_region.clone();
        let mut capacity = Capacity {
            dr_max_size: self.topology.dr.max_size,
            ..Capacity::default()
        };
        let mut sources = Vec::new();
        if let Some(data) = self.snapshot.regions.get(&primary_region) {
            for name in &self.topology.primary.auto_scaling_groups {
                let Some(group) = data.auto_scaling_groups.iter().find(|g| &g.name == name) else {
                    continue;
                };
                let measured = self
                    .lookups
                    .metrics(
                        &primary_region,
                        "AWS/AutoScaling",
                        "GroupDesiredCapacity",
                        "AutoScalingGroupName",
                        name,
                    )
                    .iter()
                    .filter(|m| m.datapoints > 0)
                    .filter_map(|m| m.maximum)
                    .fold(None, |acc: Option<f64>, v| {
                        Some(acc.map_or(v, |a| a.max(v)))
                    });
                let (count, source) = match measured {
                    Some(max) => {
                        let max = max.ceil() as i64;
                        let peak = max.max(group.desired_capacity);
                        (
                            peak,
                            format!("{name}: GroupDesiredCapacity peaked at {max}"),
                        )
                    }
                    None => (
                        group.max_size,
                        format!(
                            "{name}: MaxSize {} (no GroupDesiredCapacity datapoints: enable group metrics collection to size against the measured peak)",
                            group.max_size
                        ),
                    ),
                };
                capacity.peak = Some(capacity.peak.unwrap_or(0) + count);
                sources.push(source);
            }
        }
        capacity.peak_source = sources.join("; ");
        if let Some(runbook) = &self.topology.runbook {
            capacity.runbook_desired = runbook
                .scale_up
                .iter()
                .filter(|s| {
                    s.group
                        .as_ref()
                        .is_some_and(|g| self.topology.dr.auto_scaling_groups.contains(g))
                })
                .filter_map(|s| s.desired_capacity)
                .max();
        }
        let Some(peak) = capacity.peak else {
            self.topology.capacity = capacity;
            return;
        };
        if !self.topology.dr.auto_scaling_groups.is_empty() && capacity.dr_max_size < peak {
            capacity.problems.push(format!(
                "the DR group's MaxSize {} is below the primary's peak of {peak} instances",
                capacity.dr_max_size
            ));
        }
        if let Some(desired) = capacity.runbook_desired
            && desired < peak
        {
            capacity.problems.push(format!(
                "the runbook scales the DR group to {desired}, below the primary's peak of {peak}"
            ));
        }
        self.judge_quota(&dr_region, peak, &mut capacity);
        self.topology.capacity = capacity;
    }

    /// Judges the DR region's vCPU quota against `peak` DR instances.
    fn judge_quota(&self, dr_region: &str, peak: i64, capacity: &mut Capacity) {
        let Some(data) = self.snapshot.regions.get(dr_region) else {
            return;
        };
        let mut vcpus: Option<i64> = None;
        // What the DR groups launch, as `link_side` resolved it.
        for instance_type in &self.topology.dr.instance_types {
            if !standard_family(instance_type) {
                capacity.unjudged.push(format!(
                    "{instance_type} has its own On-Demand quota (only {STANDARD_VCPU_QUOTA} is read)"
                ));
                continue;
            }
            match data
                .instance_types
                .iter()
                .find(|t| &t.instance_type == instance_type)
                .and_then(|t| t.vcpus)
            {
                Some(count) => vcpus = Some(vcpus.map_or(count, |v: i64| v.max(count))),
                None => capacity
                    .unjudged
                    .push(format!("the vCPUs of {instance_type} were not described")),
            }
        }
        capacity.dr_instance_vcpus = vcpus;
        capacity.vcpus_needed = vcpus.map(|v| v * peak);
        capacity.dr_vcpu_quota = data
            .service_quotas
            .iter()
            .find(|q| q.service_code == "ec2" && q.quota_code == STANDARD_VCPU_QUOTA)
            .and_then(|q| q.value);
        if let (Some(needed), Some(quota)) = (capacity.vcpus_needed, capacity.dr_vcpu_quota)
            && (needed as f64) > quota
        {
            capacity.problems.push(format!(
                "{peak} instances of {} vCPUs need {needed} vCPUs; {dr_region}'s On-Demand Standard quota is {quota}",
                vcpus.unwrap_or_default()
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::standard_family;

    #[test]
    fn standard_families_are_told_from_those_with_their_own_quota() {
        for standard in [
            "m7i.large",
            "c6g.xlarge",
            "t3.micro",
            "r7iz.large",
            "im4gn.large",
        ] {
            assert!(standard_family(standard), "{standard}");
        }
        for own in [
            "p4d.24xlarge",
            "g5.xlarge",
            "inf2.xlarge",
            "trn1.2xlarge",
            "x2idn.large",
            "mac1.metal",
            "",
        ] {
            assert!(!standard_family(own), "{own}");
        }
    }
}
