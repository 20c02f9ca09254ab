//! ACM: the app's TLS certificate in each region (imported: a requested
//! certificate stays PENDING_VALIDATION without DNS validation).

use aws_types::SdkConfig;

use super::Result;

const CERTIFICATE: &str = include_str!("../certs/api.yourstore.com.crt");
const PRIVATE_KEY: &str = include_str!("../certs/api.yourstore.com.key");

/// The ARNs of the app's certificate in the primary and the DR region.
pub struct Certificates {
    pub primary: String,
    pub dr: String,
}

/// The certificate for `api.yourstore.com`, in both regions.
pub async fn seed(east: &SdkConfig, west: &SdkConfig) -> Result<Certificates> {
    let mut arns = Vec::new();
    for sdk in [east, west] {
        let imported = aws_sdk_acm::Client::new(sdk)
            .import_certificate()
            .certificate(aws_sdk_acm::primitives::Blob::new(CERTIFICATE))
            .private_key(aws_sdk_acm::primitives::Blob::new(PRIVATE_KEY))
            .send()
            .await?;
        arns.push(
            imported
                .certificate_arn()
                .ok_or("ImportCertificate returned no ARN")?
                .to_string(),
        );
    }
    let [primary, dr] = <[String; 2]>::try_from(arns).map_err(|_| "two certificates")?;
    Ok(Certificates { primary, dr })
}
