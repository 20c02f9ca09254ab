//! The replicated data stores the RPO budget reads (Aurora, S3, ElastiCache).

use serde_json::Value as Json;

use super::*;

impl Linker<'_> {
    pub(super) fn link_data_stores(&mut self) {
        let annotator = Annotator::new(self.snapshot, self.config, &self.topology, &self.lookups);
        let primary = self.config.app.primary_region.clone();
        let dr = self.config.app.dr_region.clone();
        let mut stores = DataStores::default();
        for global in &self.topology.global_databases {
            let writer_here = global.writer.as_ref().is_some_and(|w| w.region == primary);
            if !writer_here {
                continue;
            }
            let secondary = global.secondaries.iter().find(|s| s.region == dr);
            let lag = secondary
                .map(|s| annotator.replication_lag(&dr, &s.id))
                .unwrap_or(Json::Null);
            let writer = global.writer.as_ref().and_then(|w| {
                self.snapshot
                    .regions
                    .get(&w.region)?
                    .db_clusters
                    .iter()
                    .find(|c| c.arn == w.arn || c.id == w.id)
            });
            stores.aurora.push(AuroraStore {
                primary_cluster_id: global.writer.as_ref().map(|w| w.id.clone()),
                primary_parameter_group: writer.and_then(|c| c.parameter_group.clone()),
                global_db_rpo_seconds: writer.and_then(|c| c.global_db_rpo_seconds),
                global_cluster_id: global.id.clone(),
                dr_cluster_id: secondary.map(|s| s.id.clone()),
                lag_metric: lag.get("metric").and_then(Json::as_str).map(str::to_string),
                lag_max_ms: lag.get("maximum_ms").and_then(Json::as_f64),
            });
        }
        for bucket in self
            .snapshot
            .global
            .buckets
            .iter()
            .filter(|b| b.region == primary && annotator.in_scope(&b.tags))
        {
            let annotations = annotator.bucket(bucket);
            let Some(rules) = annotations
                .get("dr_replication_rules")
                .and_then(Json::as_array)
            else {
                continue;
            };
            if rules.is_empty() {
                continue;
            }
            let rtc = rules.iter().all(|r| r["replication_time_enabled"] == true);
            let latency = self
                .lookups
                .metrics(
                    &primary,
                    "AWS/S3",
                    "ReplicationLatency",
                    "SourceBucket",
                    &bucket.name,
                )
                .iter()
                .filter(|m| m.datapoints > 0)
                .filter_map(|m| m.maximum)
                .reduce(f64::max);
            stores.s3.push(S3Store {
                bucket: bucket.name.clone(),
                rtc,
                latency_max_seconds: latency,
            });
        }
        if let Some(data) = self.snapshot.regions.get(&primary) {
            for group in data
                .cache_replication_groups
                .iter()
                .filter(|g| annotator.in_scope(&g.tags))
            {
                let annotations = annotator.cache_replication_group(&primary, group);
                stores.elasticache.push(CacheStore {
                    id: group.id.clone(),
                    global_datastore: group.global_replication_group_id.clone(),
                    dr_replica: annotations
                        .get("dr_replica")
                        .and_then(|replica| replica.get("id"))
                        .and_then(Json::as_str)
                        .map(str::to_string),
                });
            }
        }
        self.topology.data_stores = stores;
    }
}
