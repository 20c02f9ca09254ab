//! ACM: the app's TLS certificate in each region (imported: a requested
//! certificate stays PENDING_VALIDATION without DNS validation).

use aws_types::SdkConfig;

use super::Result;

const CERTIFICATE: &str = include_str!("../certs/api.yourstore.com.crt");
const PRIVATE_KEY: &str = include_str!("../certs/api.yourstore.com.key");

/// The certificate for `api.yourstore.com`, in both regions.
pub async fn seed(east: &SdkConfig, west: &SdkConfig) -> Result {
    for sdk in [east, west] {
        aws_sdk_acm::Client::new(sdk)
            .import_certificate()
            .certificate(aws_sdk_acm::primitives::Blob::new(CERTIFICATE))
            .private_key(aws_sdk_acm::primitives::Blob::new(PRIVATE_KEY))
            .send()
            .await?;
    }
    Ok(())
}
