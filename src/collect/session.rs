//! Credentials, endpoints and the account: everything settled before the
//! first data call, so that a missing credential is one clear error (exit 2)
//! rather than a page of gaps.
//!
//! The standard AWS chain resolves credentials (environment, shared config and
//! credentials files, IAM Identity Center, web identity, container and
//! instance roles). `--profile` picks a profile, which then alone supplies the
//! credentials (environment keys do not override it, as in the AWS CLI);
//! `--role-arn` assumes a role on top of whatever the chain found. `AWS_ENDPOINT_URL` and the per-service
//! `AWS_ENDPOINT_URL_<SERVICE>` variables are honoured by the SDK itself; with
//! a custom endpoint S3 switches to path-style addressing. Credentials are
//! never printed, logged or stored: only the account id leaves this module.
//! A failure here is one [`CollectError`] that names its cause
//! (`super::failure`): STS unreachable, an invalid endpoint URL, a profile in
//! neither file, no credentials, expired or rejected ones, access denied, an
//! unknown region.

use std::time::{Duration, SystemTime};

use aws_config::BehaviorVersion;
use aws_config::profile::ProfileFileCredentialsProvider;
use aws_config::provider_config::ProviderConfig;
use aws_config::retry::RetryConfig;
use aws_config::sts::AssumeRoleProvider;
use aws_config::timeout::TimeoutConfig;
use aws_credential_types::provider::{ProvideCredentials, SharedCredentialsProvider};
use aws_types::SdkConfig;
use aws_types::region::Region;

use super::calls::Recorder;
use super::failure::{Cause, CollectError, profile, sts};
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
    if options.canned.is_none()
        && let Some(err) = super::failure::invalid_endpoint_variable()
    {
        return Err(err);
    }
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
    if let Some(name) = &options.profile {
        // An explicit `--profile` must exist: say so at once, naming the
        // files, rather than after the rest of the chain (instance metadata
        // included) has been tried.
        if options.canned.is_none() {
            match profile::lookup(name).await {
                profile::Lookup::Found => {}
                profile::Lookup::Missing(defined) => {
                    return Err(sts::profile_not_found(
                        &profile::selected(Some(name)),
                        &defined,
                    ));
                }
                profile::Lookup::Unreadable(why) => return Err(sts::profile_unreadable(&why)),
            }
        }
        loader = loader.profile_name(name);
        if options.canned.is_none() {
            // The default chain reads environment keys before any profile,
            // so `AWS_ACCESS_KEY_ID` left in a shell would silently win over
            // an explicit `--profile`. Asked for by name, the profile alone
            // supplies the credentials, as in the AWS CLI.
            loader = loader.credentials_provider(
                ProfileFileCredentialsProvider::builder()
                    .configure(
                        &ProviderConfig::without_region()
                            .with_region(Some(Region::new(config.app.primary_region.clone()))),
                    )
                    .profile_name(name)
                    .build(),
            );
        }
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
            // The SDK's default of 3 attempts, not `[collect] max_attempts`:
            // an STS endpoint that refuses connections is reported in
            // seconds, not after 10 attempts with backoff.
            .configure(
                &base
                    .to_builder()
                    .retry_config(RetryConfig::standard().with_max_attempts(3))
                    .build(),
            );
        if let Some(external_id) = &options.external_id {
            builder = builder.external_id(external_id.clone());
        }
        let provider = builder.build().await;
        base = base
            .to_builder()
            .credentials_provider(SharedCredentialsProvider::new(provider))
            .build();
    }
    let mut context = sts::Context {
        region: &config.app.primary_region,
        endpoint: sts_endpoint(&base, &config.app.primary_region),
        redirect: redirect(&base),
        profile: profile::selected(options.profile.as_deref()),
        role_arn: options.role_arn.as_deref(),
        timeouts: [
            settings.connect_timeout_seconds,
            settings.attempt_timeout_seconds,
            settings.operation_timeout_seconds,
        ],
    };
    let Some(provider) = base.credentials_provider() else {
        return Err(CollectError::new(
            Cause::NoCredentials,
            "no AWS credential provider is configured",
            "this is a drguard bug: please report it",
        ));
    };
    let credentials = match provider.provide_credentials().await {
        Ok(credentials) => credentials,
        Err(err) => {
            // A profile from AWS_PROFILE is looked up only now: the SDK
            // lets environment keys win over it.
            let selected = &context.profile;
            let lookup = if options.canned.is_some() {
                profile::Lookup::Found
            } else {
                profile::lookup(&selected.name).await
            };
            return Err(match &lookup {
                profile::Lookup::Missing(defined) if selected.origin != "default" => {
                    sts::profile_not_found(selected, defined)
                }
                _ => sts::credentials_failure(&err, &context, &lookup),
            });
        }
    };
    if let Some(expiry) = credentials.expiry()
        && expiry <= SystemTime::now()
    {
        let at = chrono::DateTime::<chrono::Utc>::from(expiry)
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        return Err(CollectError::new(
            Cause::CredentialsExpired,
            format!("AWS credentials expired: the credentials the chain found expired at {at}"),
            format!(
                "get fresh credentials: `aws sso login --profile {}` for IAM Identity Center, a \
                 new session token for temporary keys; then run drguard again",
                context.profile.name
            ),
        ));
    }
    drop(credentials);

    let sts = aws_sdk_sts::Client::from_conf(
        aws_sdk_sts::config::Builder::from(&base)
            .interceptor(recorder.clone())
            .retry_classifier(super::failure::transport::FailFast)
            .build(),
    );
    let identity = match sts.get_caller_identity().send().await {
        Ok(identity) => identity,
        Err(err) => {
            if let Some(sent) = recorder.endpoint("GetCallerIdentity", &config.app.primary_region) {
                context.endpoint = Some(sent);
            }
            return Err(sts::sts_failure("GetCallerIdentity", &err, &context));
        }
    };
    let account_id = identity.account().unwrap_or_default().to_string();
    if account_id.len() != 12 || !account_id.bytes().all(|b| b.is_ascii_digit()) {
        return Err(CollectError::new(
            Cause::Sts,
            format!(
                "STS GetCallerIdentity answered {account_id:?}, which is not a 12-digit account id"
            ),
            "AWS_ENDPOINT_URL must point at AWS or a faithful emulator of it",
        ));
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

/// What sends STS calls somewhere other than AWS, for the help text: the
/// variable's name (its value may hold secrets and is not repeated).
fn redirect(base: &SdkConfig) -> Option<String> {
    let set = |var: &str| std::env::var_os(var).is_some_and(|v| !v.is_empty());
    if set("AWS_ENDPOINT_URL_STS") {
        Some("AWS_ENDPOINT_URL_STS".into())
    } else if set("AWS_ENDPOINT_URL") {
        Some("AWS_ENDPOINT_URL".into())
    } else if base.endpoint_url().is_some() {
        Some("the profile's `endpoint_url`".into())
    } else {
        None
    }
}

/// Where STS calls go when the call log has not seen one (the credential
/// providers' own calls): `AWS_ENDPOINT_URL_STS`, else the configured
/// endpoint URL, else AWS's regional STS host.
fn sts_endpoint(base: &SdkConfig, region: &str) -> Option<String> {
    let url = std::env::var("AWS_ENDPOINT_URL_STS")
        .ok()
        .filter(|v| !v.is_empty())
        .or_else(|| base.endpoint_url().map(str::to_string));
    match url {
        Some(url) => super::failure::transport::authority(&url).filter(|_| url.contains("://")),
        None => Some(format!("sts.{region}.amazonaws.com:443")),
    }
}
