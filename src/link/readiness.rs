//! Whether the DR side could serve on the day: the certificate its listener
//! presents, the Aurora secondary's instances and versions, the KMS keys
//! its resources need, its secrets. Each is a fact a rule judges; link only
//! resolves the references (a certificate ARN to its ACM record, a key
//! alias to its key) once, here.

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::Serialize;

use super::Lookups;
use crate::snapshot::model::{Certificate, DbCluster, KmsKey, LoadBalancer};

/// A certificate a TLS listener presents, as found in ACM in the listener's region.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct TlsCertificate {
    /// The listener's port.
    pub port: Option<i64>,
    /// The certificate's ARN as the listener names it.
    pub arn: String,
    /// True for the listener's default certificate (the others are SNI).
    pub is_default: bool,
    /// True when ACM in the load balancer's region holds it (ACM certificates are regional).
    pub found: bool,
    /// Its ACM status (`ISSUED`, `EXPIRED`, `PENDING_VALIDATION`, …), when found.
    pub status: Option<String>,
    /// True when its domain name or an alternative name covers `app.domain` (`*.` covers one label).
    pub covers_domain: bool,
    /// Whole days from the snapshot to `NotAfter` (negative once expired), when known.
    pub days_left: Option<i64>,
    /// Its `NotAfter`, as ACM gives it: a pass message names the date, not the days left,
    /// so a nightly baseline does not see the result change every day.
    pub not_after: Option<String>,
}

/// A KMS key a resource names, resolved in the key's region.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct KeyStatus {
    /// The reference as the resource gives it (key id, key ARN, alias name or alias ARN).
    pub reference: String,
    /// The region the reference points into (an ARN's region, else the resource's).
    pub region: String,
    /// True when the key is in that region's `kms_keys`.
    pub found: bool,
    /// Its `KeyState` (`Enabled`, `Disabled`, `PendingDeletion`, …), when found.
    pub state: Option<String>,
}

/// The facts about an Aurora cluster's ability to take over as writer.
pub struct Promotability {
    /// Its instances (from its members, else the instances that name it).
    pub instances: Vec<String>,
    /// The instance classes of those instances.
    pub instance_classes: Vec<String>,
    /// The engine version of the global cluster's writer member.
    pub primary_engine_version: Option<String>,
    /// The writer member's writer instance class.
    pub primary_writer_class: Option<String>,
}

/// The TLS certificates of a load balancer's HTTPS and TLS listeners.
pub fn tls_certificates(
    lookups: &Lookups<'_>,
    region: &str,
    lb: &LoadBalancer,
    domain: Option<&str>,
    captured_at: &str,
) -> Vec<TlsCertificate> {
    let now = DateTime::parse_from_rfc3339(captured_at)
        .ok()
        .map(|t| t.with_timezone(&Utc));
    let mut out = Vec::new();
    for listener in &lb.listeners {
        let secure = matches!(listener.protocol.as_deref(), Some("HTTPS" | "TLS"));
        if !secure {
            continue;
        }
        for cert in &listener.certificates {
            let found = lookups
                .certificate(&cert.arn)
                .filter(|(cert_region, _)| *cert_region == region)
                .map(|(_, c)| c);
            out.push(TlsCertificate {
                port: listener.port,
                arn: cert.arn.clone(),
                is_default: cert.is_default,
                found: found.is_some(),
                status: found.and_then(|c| c.status.clone()),
                covers_domain: found.is_some_and(|c| domain.is_some_and(|d| covers(c, d))),
                days_left: found
                    .and_then(|c| c.not_after.as_deref())
                    .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
                    .zip(now)
                    .map(|(end, now)| (end.with_timezone(&Utc) - now).num_days()),
                not_after: found.and_then(|c| c.not_after.clone()),
            });
        }
    }
    out
}

/// True when a certificate's names cover `domain`: an exact name, or a
/// wildcard `*.example.com` for exactly one more label, case-insensitive.
pub fn covers(certificate: &Certificate, domain: &str) -> bool {
    let domain = domain.trim_end_matches('.').to_ascii_lowercase();
    certificate
        .domain_name
        .iter()
        .chain(&certificate.subject_alternative_names)
        .any(|name| {
            let name = name.trim_end_matches('.').to_ascii_lowercase();
            match name.strip_prefix("*.") {
                Some(parent) => domain
                    .split_once('.')
                    .is_some_and(|(label, rest)| !label.is_empty() && rest == parent),
                None => name == domain,
            }
        })
}

/// An Aurora cluster's instances, and its global cluster's writer for comparison.
pub fn promotability(lookups: &Lookups<'_>, region: &str, cluster: &DbCluster) -> Promotability {
    let instances = lookups.cluster_instances(region, cluster);
    let instance_classes = instances
        .iter()
        .filter_map(|i| i.instance_class.clone())
        .collect();
    let writer = lookups
        .membership(&cluster.arn)
        .and_then(|m| lookups.global_writer(m.global_cluster_id));
    let primary_writer_class = writer.and_then(|(writer_region, writer)| {
        let members = lookups.cluster_instances(writer_region, writer);
        let writer_instance = writer
            .members
            .iter()
            .find(|m| m.is_writer)
            .map(|m| m.instance_id.as_str());
        members
            .iter()
            .find(|i| Some(i.id.as_str()) == writer_instance)
            .or(members.first())
            .and_then(|i| i.instance_class.clone())
    });
    Promotability {
        instances: instances.iter().map(|i| i.id.clone()).collect(),
        instance_classes,
        primary_engine_version: writer.and_then(|(_, w)| w.engine_version.clone()),
        primary_writer_class,
    }
}

/// `major.minor` of an engine version (`15.4` → `15.4`, `8.0.mysql_aurora.3.05.2` → `8.0`).
pub fn major_minor(version: &str) -> String {
    version.split('.').take(2).collect::<Vec<_>>().join(".")
}

/// How large an instance class is, for comparing a writer candidate with
/// the primary's writer: `large` < `xlarge` < `2xlarge` < …; None for a
/// size drguard does not know (then no comparison is made).
pub fn size_rank(class: &str) -> Option<u32> {
    let size = class.rsplit('.').next()?;
    Some(match size {
        "micro" => 1,
        "small" => 2,
        "medium" => 3,
        "large" => 4,
        "xlarge" => 5,
        other => {
            let count: u32 = other.strip_suffix("xlarge")?.parse().ok()?;
            5 + count
        }
    })
}

/// Resolves a KMS key reference in the region it points into.
pub fn key_status(lookups: &Lookups<'_>, region: &str, reference: &str) -> KeyStatus {
    let region = match reference.strip_prefix("arn:") {
        Some(_) => super::arn_region(reference).unwrap_or(region),
        None => region,
    }
    .to_string();
    let key: Option<&KmsKey> = lookups.kms_key(&region, reference);
    KeyStatus {
        reference: reference.to_string(),
        found: key.is_some(),
        state: key.and_then(|k| k.key_state.clone()),
        region,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn certificate(names: &[&str]) -> Certificate {
        Certificate {
            arn: "arn".into(),
            domain_name: names.first().map(|n| n.to_string()),
            subject_alternative_names: names.iter().map(|n| n.to_string()).collect(),
            ..Certificate::default()
        }
    }

    #[test]
    fn a_wildcard_covers_one_label() {
        let wildcard = certificate(&["*.yourstore.com"]);
        assert!(covers(&wildcard, "api.yourstore.com"));
        assert!(covers(&wildcard, "API.yourstore.com."));
        assert!(!covers(&wildcard, "yourstore.com"));
        assert!(!covers(&wildcard, "a.b.yourstore.com"));
        assert!(covers(
            &certificate(&["api.yourstore.com"]),
            "api.yourstore.com"
        ));
        assert!(!covers(
            &certificate(&["www.yourstore.com"]),
            "api.yourstore.com"
        ));
    }

    #[test]
    fn sizes_order_and_versions_compare_by_minor() {
        assert!(size_rank("db.r6g.large") < size_rank("db.r6g.xlarge"));
        assert!(size_rank("db.r6g.xlarge") < size_rank("db.r6g.2xlarge"));
        assert!(size_rank("db.r6g.2xlarge") < size_rank("db.r6g.16xlarge"));
        assert_eq!(size_rank("db.serverless"), None);
        assert_eq!(major_minor("15.4"), "15.4");
        assert_eq!(major_minor("8.0.mysql_aurora.3.05.2"), "8.0");
    }
}
