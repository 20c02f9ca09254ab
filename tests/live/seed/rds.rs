//! RDS: the Aurora Global Database, each cluster encrypted with its
//! region's key, with its instances (and extra DR clusters).

use aws_types::SdkConfig;

use super::kms::Keys;
use super::{Design, Result};

/// The instance class of every Aurora instance of the design.
pub const INSTANCE_CLASS: &str = "db.r6g.large";

/// The DB instances of each cluster: (cluster, instance, Availability Zone),
/// the primary's writer first (moto makes a cluster's first instance its writer).
pub fn instances(design: &Design) -> Vec<(&'static str, &'static str, &'static str)> {
    let mut instances = vec![
        ("shop-aurora-use1", "shop-aurora-use1-1", "us-east-1a"),
        ("shop-aurora-use1", "shop-aurora-use1-2", "us-east-1b"),
    ];
    if !design.dr_cluster_headless {
        instances.push(("shop-aurora-usw2", "shop-aurora-usw2-1", "us-west-2a"));
    }
    instances
}

pub(super) fn rds_tag() -> aws_sdk_rds::types::Tag {
    aws_sdk_rds::types::Tag::builder()
        .key("App")
        .value("shop")
        .build()
}

/// The global cluster, its writer in the primary region and its DR member.
pub async fn seed(east: &SdkConfig, west: &SdkConfig, design: &Design, keys: &Keys) -> Result {
    // Aurora Global Database.
    let rds_east = aws_sdk_rds::Client::new(east);
    let rds_west = aws_sdk_rds::Client::new(west);
    // The global cluster first, then its members: moto marks the first member
    // created with GlobalClusterIdentifier as the writer, but not a cluster
    // promoted through CreateGlobalCluster's SourceDBClusterIdentifier.
    rds_east
        .create_global_cluster()
        .global_cluster_identifier("shop-global")
        .engine("aurora-postgresql")
        .engine_version("15.4")
        .send()
        .await?;
    let mut primary_cluster = rds_east
        .create_db_cluster()
        .db_cluster_identifier("shop-aurora-use1")
        .engine("aurora-postgresql")
        .engine_version("15.4")
        .master_username("shop")
        .master_user_password("not-a-secret-1")
        .global_cluster_identifier("shop-global")
        .storage_encrypted(true)
        .kms_key_id(&keys.primary)
        .tags(rds_tag());
    if let Some(seconds) = design.aurora_global_db_rpo {
        rds_east
            .create_db_cluster_parameter_group()
            .db_cluster_parameter_group_name("shop-aurora-pg15")
            .db_parameter_group_family("aurora-postgresql15")
            .description("bounds the global database's RPO")
            .send()
            .await?;
        rds_east
            .modify_db_cluster_parameter_group()
            .db_cluster_parameter_group_name("shop-aurora-pg15")
            .parameters(
                aws_sdk_rds::types::Parameter::builder()
                    .parameter_name("rds.global_db_rpo")
                    .parameter_value(seconds.to_string())
                    .apply_method(aws_sdk_rds::types::ApplyMethod::Immediate)
                    .build(),
            )
            .send()
            .await?;
        primary_cluster = primary_cluster.db_cluster_parameter_group_name("shop-aurora-pg15");
    }
    primary_cluster.send().await?;
    let mut secondary = rds_west
        .create_db_cluster()
        .db_cluster_identifier("shop-aurora-usw2")
        .engine("aurora-postgresql")
        .engine_version(design.dr_engine_version.unwrap_or("15.4"))
        .storage_encrypted(true)
        .kms_key_id(&keys.dr)
        .tags(rds_tag());
    secondary = if design.dr_cluster_in_global {
        secondary.global_cluster_identifier("shop-global")
    } else {
        secondary
            .master_username("shop")
            .master_user_password("not-a-secret-1")
    };
    secondary.send().await?;
    for (cluster, instance, zone) in instances(design) {
        let client = if cluster.ends_with("use1") {
            &rds_east
        } else {
            &rds_west
        };
        client
            .create_db_instance()
            .db_instance_identifier(instance)
            .db_cluster_identifier(cluster)
            .engine("aurora-postgresql")
            .db_instance_class(INSTANCE_CLASS)
            .availability_zone(zone)
            .promotion_tier(1)
            .tags(rds_tag())
            .send()
            .await?;
    }
    for i in 0..design.extra_db_clusters {
        rds_west
            .create_db_cluster()
            .db_cluster_identifier(format!("reports-{i:03}"))
            .engine("aurora-postgresql")
            .master_username("shop")
            .master_user_password("not-a-secret-1")
            .send()
            .await?;
    }
    Ok(())
}
