//! Secrets Manager: the app's database credentials in the primary region,
//! encrypted with the app's key and replicated to the DR region under the DR
//! region's key (no replica when the design says so).

use aws_types::SdkConfig;

use super::kms::Keys;
use super::{DR, Design, Result};

pub const NAME: &str = "shop/db-credentials";

/// The secret, tagged `App=shop`, and its replica.
pub async fn seed(east: &SdkConfig, design: &Design, keys: &Keys) -> Result {
    use aws_sdk_secretsmanager::types::{ReplicaRegionType, Tag};
    let secrets = aws_sdk_secretsmanager::Client::new(east);
    secrets
        .create_secret()
        .name(NAME)
        .description("shop database master credentials")
        .kms_key_id(&keys.primary)
        // Test data: moto needs a value; drguard never reads it.
        .secret_string(r#"{"username":"shop","password":"not-a-secret-1"}"#)
        .tags(Tag::builder().key("App").value("shop").build())
        .send()
        .await?;
    if design.secret_replicated {
        secrets
            .replicate_secret_to_regions()
            .secret_id(NAME)
            .add_replica_regions(
                ReplicaRegionType::builder()
                    .region(DR)
                    .kms_key_id(&keys.dr)
                    .build(),
            )
            .send()
            .await?;
    }
    Ok(())
}
