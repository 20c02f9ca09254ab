//! The KMS keys the DR side needs on the day: a key that is disabled,
//! pending deletion or only in the primary region leaves the DR database,
//! the replicated objects or the secrets unreadable.

use super::readiness::key_status;
use super::{KeyUse, Linker, index};

impl Linker<'_, '_> {
    pub(super) fn link_dr_keys(&mut self) {
        let dr = self.config.app.dr_region.clone();
        let mut uses = Vec::new();
        let mut add = |used_by: String, region: &str, reference: &str| {
            uses.push(KeyUse {
                used_by,
                key: key_status(&self.lookups, region, reference),
            });
        };
        if let Some(data) = self.snapshot.regions.get(&dr) {
            // The DR Aurora members of the app's global databases. A cluster
            // that reports itself unencrypted uses no key, whatever KmsKeyId
            // says (moto fills in a placeholder); an unknown flag still counts.
            for cluster in &data.db_clusters {
                let member = self.lookups.membership(&cluster.arn).is_some();
                let encrypted = cluster.storage_encrypted != Some(false);
                if let (Some(key), true) = (
                    &cluster.kms_key_id,
                    encrypted && member && index::in_scope(self.config, &cluster.tags),
                ) {
                    add(format!("rds.db_cluster {}", cluster.id), &dr, key);
                }
            }
            // Secrets kept in the DR region: replicas and their own keys. A
            // replica's key is the one its primary's ReplicationStatus names
            // for this region (what ReplicateSecretToRegions set); the
            // replica's own KmsKeyId is the fallback.
            for secret in &data.secrets {
                let replica_key = secret
                    .primary_region
                    .as_deref()
                    .filter(|primary| *primary != dr)
                    .and_then(|primary| self.lookups.secret(primary, &secret.name))
                    .and_then(|primary| primary.replication.iter().find(|r| r.region == dr))
                    .and_then(|replica| replica.kms_key_id.as_deref());
                let customer_key = replica_key
                    .or(secret.kms_key_id.as_deref())
                    .filter(|k| !k.starts_with("alias/aws/"));
                if let (Some(key), true) =
                    (customer_key, index::in_scope(self.config, &secret.tags))
                {
                    add(format!("secretsmanager.secret {}", secret.name), &dr, key);
                }
            }
        }
        // The keys S3 encrypts replicas with in the DR region.
        for bucket in &self.snapshot.global.buckets {
            let Some(replication) = &bucket.replication else {
                continue;
            };
            for rule in replication.rules.iter().filter(|r| r.status == "Enabled") {
                let destination = rule
                    .destination_bucket_arn
                    .trim_start_matches("arn:aws:s3:::");
                let to_dr = self
                    .lookups
                    .bucket(destination)
                    .is_none_or(|d| d.region == dr);
                if let (Some(key), true) = (&rule.replica_kms_key_id, to_dr) {
                    add(format!("s3.bucket {} (replicas)", bucket.name), &dr, key);
                }
            }
        }
        self.topology.dr_keys = uses;
    }
}
