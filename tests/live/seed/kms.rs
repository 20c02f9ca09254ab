//! KMS: the app's data key in each region, `alias/shop-data` on both: the
//! DR region's key encrypts the secret's replica there (and the replicas of
//! the assets bucket in the SSE-KMS variant).

use aws_types::SdkConfig;

use super::{Design, Result};

pub const ALIAS: &str = "alias/shop-data";

/// The ARNs of the app's key in the primary and the DR region.
pub struct Keys {
    pub primary: String,
    pub dr: String,
}

/// A customer-managed key with the alias in each region; the DR key
/// disabled when the design says so.
pub async fn seed(east: &SdkConfig, west: &SdkConfig, design: &Design) -> Result<Keys> {
    let mut arns = Vec::new();
    for (sdk, disabled) in [(east, false), (west, design.dr_kms_key_disabled)] {
        let kms = aws_sdk_kms::Client::new(sdk);
        let key = kms
            .create_key()
            .description("shop data at rest")
            .send()
            .await?;
        let meta = key.key_metadata().ok_or("CreateKey returned no metadata")?;
        kms.create_alias()
            .alias_name(ALIAS)
            .target_key_id(meta.key_id())
            .send()
            .await?;
        if disabled {
            kms.disable_key().key_id(meta.key_id()).send().await?;
        }
        arns.push(meta.arn().ok_or("CreateKey returned no ARN")?.to_string());
    }
    let [primary, dr] = <[String; 2]>::try_from(arns).map_err(|_| "two keys")?;
    Ok(Keys { primary, dr })
}
