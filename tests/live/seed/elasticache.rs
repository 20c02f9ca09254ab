//! ElastiCache: a replication group in each region.

use aws_types::SdkConfig;

use super::{Design, Result};

pub(super) async fn cache(
    sdk: &SdkConfig,
    id: &str,
    automatic_failover: bool,
    in_scope: bool,
) -> Result {
    let client = aws_sdk_elasticache::Client::new(sdk);
    let mut request = client
        .create_replication_group()
        .replication_group_id(id)
        .replication_group_description("shop cache")
        .engine("redis")
        .engine_version("7.1")
        .cache_node_type("cache.r7g.large")
        .num_cache_clusters(2)
        .automatic_failover_enabled(automatic_failover)
        .multi_az_enabled(automatic_failover);
    if in_scope {
        request = request.tags(
            aws_sdk_elasticache::types::Tag::builder()
                .key("App")
                .value("shop")
                .build(),
        );
    }
    request.send().await?;
    Ok(())
}

/// The primary and DR cache groups.
pub async fn seed(east: &SdkConfig, west: &SdkConfig, design: &Design) -> Result {
    // ElastiCache.
    cache(
        east,
        "shop-cache-use1",
        design.cache_automatic_failover,
        true,
    )
    .await?;
    cache(west, "shop-cache-usw2", true, design.dr_cache_in_scope).await?;
    Ok(())
}
