//! RDS: the Aurora Global Database (and extra DR clusters).

use aws_types::SdkConfig;

use super::{Design, Result};

pub(super) fn rds_tag() -> aws_sdk_rds::types::Tag {
    aws_sdk_rds::types::Tag::builder()
        .key("App")
        .value("shop")
        .build()
}

/// The global cluster, its writer in the primary region and its DR member.
pub async fn seed(east: &SdkConfig, west: &SdkConfig, design: &Design) -> Result {
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
        .engine_version("15.4")
        .tags(rds_tag());
    secondary = if design.dr_cluster_in_global {
        secondary.global_cluster_identifier("shop-global")
    } else {
        secondary
            .master_username("shop")
            .master_user_password("not-a-secret-1")
    };
    secondary.send().await?;
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
