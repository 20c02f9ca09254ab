//! Credentials, endpoints and the account: everything settled before the
//! first data call, so that a missing credential is one clear error (exit 2)
//! rather than a page of gaps.
//!
//! The standard AWS chain resolves credentials (environment, shared config and
//! credentials files, IAM Identity Center, web identity, container and
//! instance roles). `--profile` picks a profile; `--role-arn` assumes a role on
//! top of whatever the chain found. `AWS_ENDPOINT_URL` and the per-service
//! `AWS_ENDPOINT_URL_<SERVICE>` variables are honoured by the SDK itself; with
//! a custom endpoint S3 switches to path-style addressing. Credentials are
//! never printed, logged or stored: only the account id leaves this module.

use std::time::{Duration, SystemTime};

use aws_config::BehaviorVersion;
use aws_config::retry::RetryConfig;
use aws_config::sts::AssumeRoleProvider;
use aws_config::timeout::TimeoutConfig;
use aws_credential_types::provider::{ProvideCredentials, SharedCredentialsProvider};
use aws_smithy_types::error::display::DisplayErrorContext;
use aws_types::SdkConfig;
use aws_types::region::Region;

use super::CollectError;
use super::calls::Recorder;
use crate::config::Config;

/// A resolved identity and the SDK configuration every client starts from.
pub(crate) struct Session {
    base: SdkConfig,
    /// The 12-digit account id, from STS GetCallerIdentity.
    pub account_id: String,
    /// True when an `AWS_ENDPOINT_URL*` variable points the SDK elsewhere.
    pub custom_endpoint: bool,
}

impl Session {
    /// The SDK configuration for one region.
    pub fn for_region(&self, region: &str) -> SdkConfig {
        self.base
            .to_builder()
            .region(Region::new(region.to_string()))
            .build()
    }
}

/// Resolves credentials and the account id; fails before any data call.
pub(crate) async fn open(
    config: &Config,
    options: &super::Options,
    recorder: Recorder,
) -> Result<Session, CollectError> {
    let settings = &config.collect;
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .region(Region::new(config.app.primary_region.clone()))
        .retry_config(RetryConfig::standard().with_max_attempts(settings.max_attempts))
        .timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(Duration::from_secs(settings.connect_timeout_seconds))
                .operation_attempt_timeout(Duration::from_secs(settings.attempt_timeout_seconds))
                .operation_timeout(Duration::from_secs(settings.operation_timeout_seconds))
                .build(),
        );
    if let Some(profile) = &options.profile {
        loader = loader.profile_name(profile);
    }
    if let Some(client) = &options.canned {
        loader = loader
            .http_client(client.clone())
            .empty_test_environment()
            .credentials_provider(aws_credential_types::Credentials::new(
                "AKIDCANNED",
                "canned",
                None,
                None,
                "canned",
            ));
    }
    let mut base = loader.load().await;
    if let Some(role_arn) = &options.role_arn {
        let mut builder = AssumeRoleProvider::builder(role_arn.clone())
            .session_name(format!("drguard-{}", std::process::id()))
            .configure(&base);
        if let Some(external_id) = &options.external_id {
            builder = builder.external_id(external_id.clone());
        }
        let provider = builder.build().await;
        base = base
            .to_builder()
            .credentials_provider(SharedCredentialsProvider::new(provider))
            .build();
    }
    let Some(provider) = base.credentials_provider() else {
        return Err(CollectError::Credentials {
            reason: "no credential provider is configured".into(),
        });
    };
    let credentials =
        provider
            .provide_credentials()
            .await
            .map_err(|err| CollectError::Credentials {
                reason: DisplayErrorContext(&err).to_string(),
            })?;
    if let Some(expiry) = credentials.expiry()
        && expiry <= SystemTime::now()
    {
        return Err(CollectError::Credentials {
            reason: "the credentials have expired (refresh them, e.g. `aws sso login`)".into(),
        });
    }
    drop(credentials);

    let sts = aws_sdk_sts::Client::from_conf(
        aws_sdk_sts::config::Builder::from(&base)
            .interceptor(recorder.clone())
            .build(),
    );
    let identity = sts.get_caller_identity().send().await.map_err(|err| {
        let code = super::error_code(&err).unwrap_or_default().to_string();
        let detail = match &err {
            aws_smithy_runtime_api::client::result::SdkError::ServiceError(e) => {
                format!(
                    "{code}: {}",
                    aws_smithy_types::error::metadata::ProvideErrorMetadata::message(e.err())
                        .unwrap_or_default()
                )
            }
            other => DisplayErrorContext(other).to_string(),
        };
        CollectError::Credentials {
            reason: format!("STS GetCallerIdentity failed: {detail}"),
        }
    })?;
    let account_id = identity.account().unwrap_or_default().to_string();
    if account_id.len() != 12 || !account_id.bytes().all(|b| b.is_ascii_digit()) {
        return Err(CollectError::Credentials {
            reason: format!("STS returned {account_id:?}, which is not a 12-digit account id"),
        });
    }
    let custom_endpoint = base.endpoint_url().is_some()
        || std::env::vars_os().any(|(name, _)| {
            name.to_str()
                .is_some_and(|n| n == "AWS_ENDPOINT_URL" || n == "AWS_ENDPOINT_URL_S3")
        });
    Ok(Session {
        base,
        account_id,
        custom_endpoint,
    })
}
