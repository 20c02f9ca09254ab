//! The maps behind the DR-readiness facts: certificates by ARN, KMS keys
//! by id and alias, each cluster's instances, global clusters, secrets.

use std::collections::HashMap;

use crate::snapshot::model::{Certificate, DbInstance, GlobalCluster, KmsKey, Secret, Snapshot};

/// The maps behind the DR-readiness facts ([`super::readiness`]).
pub(super) struct DrIndex<'a> {
    pub(super) certificates: HashMap<&'a str, (&'a str, &'a Certificate)>,
    /// `(region, key id or alias name)` → key.
    pub(super) kms_keys: HashMap<(&'a str, &'a str), &'a KmsKey>,
    /// `(region, cluster id)` → its instances.
    pub(super) instances: HashMap<(&'a str, &'a str), Vec<&'a DbInstance>>,
    pub(super) globals: HashMap<&'a str, &'a GlobalCluster>,
    /// `(region, name)` → secret.
    pub(super) secrets: HashMap<(&'a str, &'a str), &'a Secret>,
}

impl<'a> DrIndex<'a> {
    pub(super) fn new(snapshot: &'a Snapshot) -> Self {
        let mut index = DrIndex {
            certificates: HashMap::new(),
            kms_keys: HashMap::new(),
            instances: HashMap::new(),
            globals: HashMap::new(),
            secrets: HashMap::new(),
        };
        for global in &snapshot.global.global_clusters {
            index.globals.entry(global.id.as_str()).or_insert(global);
        }
        for (region, data) in &snapshot.regions {
            let region = region.as_str();
            for secret in &data.secrets {
                index
                    .secrets
                    .entry((region, secret.name.as_str()))
                    .or_insert(secret);
            }
            for certificate in &data.certificates {
                index
                    .certificates
                    .entry(certificate.arn.as_str())
                    .or_insert((region, certificate));
            }
            for key in &data.kms_keys {
                let names =
                    std::iter::once(key.id.as_str()).chain(key.aliases.iter().map(String::as_str));
                for name in names {
                    index.kms_keys.entry((region, name)).or_insert(key);
                }
            }
            let by_id: HashMap<&str, &DbInstance> = data
                .db_instances
                .iter()
                .map(|i| (i.id.as_str(), i))
                .collect();
            for cluster in &data.db_clusters {
                let mut members: Vec<&DbInstance> = cluster
                    .members
                    .iter()
                    .filter_map(|m| by_id.get(m.instance_id.as_str()).copied())
                    .collect();
                if members.is_empty() {
                    members = data
                        .db_instances
                        .iter()
                        .filter(|i| i.cluster_id.as_deref() == Some(cluster.id.as_str()))
                        .collect();
                }
                index
                    .instances
                    .insert((region, cluster.id.as_str()), members);
            }
        }
        index
    }
}
