//! Service Quotas: the account's applied quotas that bound a failover. A DR
//! region that scales out to the primary's peak needs the EC2 On-Demand
//! vCPU quota for it; a quota increase takes days, never minutes.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Snapshot;
use crate::snapshot::spec::{DataSource, ServiceSpec, call};

/// The quotas read in each region, as (service code, quota code).
pub const QUOTAS: &[(&str, &str)] = &[
    // Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances, in vCPUs.
    ("ec2", "L-1216C47A"),
];

/// What drguard reads of this service, and the resource types it holds.
pub const SERVICE: ServiceSpec = ServiceSpec {
    name: "servicequotas",
    description: "Service Quotas: the EC2 On-Demand vCPU quota",
    sources: &[DataSource {
        name: "servicequotas",
        description: "Service Quotas: the EC2 On-Demand vCPU quota",
        scope: "each region",
        calls: &[call("GetServiceQuota", "servicequotas:GetServiceQuota")],
        notes: "one call per quota: ServiceCode `ec2`, QuotaCode `L-1216C47A` (Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances, in vCPUs), the applied value",
        fills: "`service_quotas`",
    }],
    sort,
    resources: &[],
};

/// Sorts the lists this service fills by their natural key.
fn sort(snapshot: &mut Snapshot) {
    for region in snapshot.regions.values_mut() {
        region.service_quotas.sort_by(|a, b| {
            (&a.service_code, &a.quota_code).cmp(&(&b.service_code, &b.quota_code))
        });
    }
}

/// One applied quota of one region.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ServiceQuota {
    /// The service's code (`ec2`).
    pub service_code: String,
    /// The quota's code (`L-1216C47A`).
    pub quota_code: String,
    /// The quota's name as AWS words it.
    #[serde(default)]
    pub quota_name: Option<String>,
    /// The applied value, in `unit` (vCPUs for `L-1216C47A`, whose unit AWS
    /// reports as `None`); null when AWS gave none.
    #[serde(default)]
    pub value: Option<f64>,
    /// The unit AWS reports (`None` for a count).
    #[serde(default)]
    pub unit: Option<String>,
    /// True when an increase can be requested.
    #[serde(default)]
    pub adjustable: Option<bool>,
}
