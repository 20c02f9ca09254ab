//! ACM: the TLS certificates of each region (a certificate serves only the
//! region it lives in: ACM cannot copy one across regions, so the DR load
//! balancer needs its own).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Snapshot;
use crate::snapshot::spec::{DataSource, Item, ResourceSpec, ServiceSpec, call, regional};

/// What drguard reads of this service, and the resource types it holds.
pub const SERVICE: ServiceSpec = ServiceSpec {
    name: "acm",
    description: "ACM certificates",
    sources: &[DataSource {
        name: "acm",
        description: "ACM certificates",
        scope: "each region",
        calls: &[
            call("ListCertificates", "acm:ListCertificates"),
            call("DescribeCertificate", "acm:DescribeCertificate"),
        ],
        notes: "`ListCertificates` of every key type, then `DescribeCertificate` per certificate (the listing shows only the first 100 alternative names)",
        fills: "`certificates`",
    }],
    sort,
    resources: &[ResourceSpec {
        kind: "acm.certificate",
        location: "`regions.*.certificates[]`",
        id: "certificate ARN",
        region: "its region",
        diff_fields: &[
            "arn",
            "domain_name",
            "subject_alternative_names",
            "status",
            "not_after",
        ],
        items: certificates_items,
    }],
};

/// The `acm.certificate` items of a snapshot.
fn certificates_items(snapshot: &Snapshot) -> Vec<Item<'_>> {
    regional(snapshot, |r| &r.certificates)
        .map(|(region, certificate)| Item {
            region,
            id: certificate.arn.clone(),
            arn: certificate.arn.clone(),
            model: certificate,
            parent: None,
        })
        .collect()
}

/// Sorts the lists this service fills by their natural key.
fn sort(snapshot: &mut Snapshot) {
    for region in snapshot.regions.values_mut() {
        region.certificates.sort_by(|a, b| a.arn.cmp(&b.arn));
    }
}

/// An ACM certificate.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Certificate {
    /// Certificate ARN.
    pub arn: String,
    /// The domain name (the subject's common name).
    pub domain_name: Option<String>,
    /// Every name it covers (`DomainName` included), wildcards as written (`*.example.com`).
    #[serde(default)]
    pub subject_alternative_names: Vec<String>,
    /// `ISSUED`, `PENDING_VALIDATION`, `EXPIRED`, `REVOKED`, `INACTIVE`, `FAILED` or `VALIDATION_TIMED_OUT`.
    pub status: Option<String>,
    /// `AMAZON_ISSUED`, `IMPORTED` or `PRIVATE`.
    #[serde(rename = "type")]
    pub certificate_type: Option<String>,
    /// Key algorithm (`RSA_2048`, `EC_prime256v1`, …).
    pub key_algorithm: Option<String>,
    /// Start of validity (RFC 3339).
    pub not_before: Option<String>,
    /// End of validity (RFC 3339).
    pub not_after: Option<String>,
    /// ARNs of the resources (load balancers, …) that use it.
    #[serde(default)]
    pub in_use_by: Vec<String>,
}
