//! Errors that name their cause.
//!
//! Live collection stops before reading any data when it cannot reach STS,
//! find the credentials or get them accepted ([`CollectError`], exit 2); a
//! data call that fails later is a gap. Both are classified here from the
//! SDK's error types, never printed as their `Debug` dumps:
//!
//! - no answer at all (`SdkError::DispatchFailure`/`TimeoutError`): the
//!   `ConnectorError` and its source chain say DNS, connection refused, TLS
//!   or timeout ([`transport`]), and the interceptor's record of the request
//!   says which host and port;
//! - a service error: its code (`ProvideErrorMetadata::code`) says expired,
//!   rejected or denied credentials;
//! - a credential provider error: a selected profile that is in neither
//!   file ([`profile`]), an STS call of the provider (`--role-arn`, web
//!   identity) that failed, or a chain that found nothing, with what each
//!   of its providers looked for.

pub(crate) mod profile;
pub(crate) mod sts;
pub(crate) mod transport;

use std::fmt;

use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

use crate::snapshot::model::CollectionGap;
use transport::Transport;

/// Why collection could not start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Cause {
    /// The endpoint did not answer: DNS, connection refused, TLS, timeout.
    EndpointUnreachable,
    /// An `AWS_ENDPOINT_URL*` variable is not an http(s) URL with a host.
    EndpointInvalid,
    /// The selected profile is in neither the config nor the credentials file.
    ProfileNotFound,
    /// The credential chain found no credentials at all.
    NoCredentials,
    /// The credentials have expired (or the request's signature is too old).
    CredentialsExpired,
    /// AWS does not know the access key, or the signature does not match.
    CredentialsRejected,
    /// STS refused the call (`AccessDenied`).
    AccessDenied,
    /// The region is not one AWS has.
    RegionUnknown,
    /// A credential provider failed otherwise (`credential_process`, SSO…).
    Credentials,
    /// STS answered with another error.
    Sts,
    /// The async runtime could not start.
    Runtime,
}

impl Cause {
    /// The diagnostic code.
    pub fn code(self) -> &'static str {
        match self {
            Cause::EndpointUnreachable => "drguard::collect::endpoint_unreachable",
            Cause::EndpointInvalid => "drguard::collect::endpoint_invalid",
            Cause::ProfileNotFound => "drguard::collect::profile_not_found",
            Cause::NoCredentials => "drguard::collect::no_credentials",
            Cause::CredentialsExpired => "drguard::collect::credentials_expired",
            Cause::CredentialsRejected => "drguard::collect::credentials_rejected",
            Cause::AccessDenied => "drguard::collect::access_denied",
            Cause::RegionUnknown => "drguard::collect::region_unknown",
            Cause::Credentials => "drguard::collect::credentials",
            Cause::Sts => "drguard::collect::sts",
            Cause::Runtime => "drguard::collect::runtime",
        }
    }
}

/// Collection could not start: nothing was read. The message names the
/// cause and the help says what to do; neither holds a credential.
#[derive(Debug)]
pub struct CollectError {
    cause: Cause,
    message: String,
    help: String,
}

impl CollectError {
    pub(crate) fn new(cause: Cause, message: impl Into<String>, help: impl Into<String>) -> Self {
        CollectError {
            cause,
            message: message.into(),
            help: help.into(),
        }
    }

    /// What went wrong.
    pub fn cause(&self) -> Cause {
        self.cause
    }
}

impl fmt::Display for CollectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CollectError {}

impl miette::Diagnostic for CollectError {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.cause.code()))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(&self.help))
    }
}

/// Error codes that mean the caller may not make the call.
const DENIED: &[&str] = &[
    "AccessDenied",
    "AccessDeniedException",
    "UnauthorizedOperation",
    "AuthorizationError",
    "UnauthorizedAccess",
];

/// Error codes that mean the credentials (or the request's signing time)
/// have expired.
const EXPIRED: &[&str] = &[
    "ExpiredToken",
    "ExpiredTokenException",
    "RequestExpired",
    "TokenRefreshRequired",
];

/// Error codes that mean AWS does not accept the key or the signature.
const REJECTED: &[&str] = &[
    "InvalidClientTokenId",
    "SignatureDoesNotMatch",
    "UnrecognizedClientException",
    "IncompleteSignature",
    "AuthFailure",
    "InvalidAccessKeyId",
];

/// The regions AWS has (commercial, GovCloud, China), to tell a mistyped
/// region from an unreachable endpoint when a regional host does not
/// resolve. A region missing here only changes that wording.
const KNOWN_REGIONS: &[&str] = &[
    "af-south-1",
    "ap-east-1",
    "ap-east-2",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-south-1",
    "ap-south-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ap-southeast-5",
    "ap-southeast-6",
    "ap-southeast-7",
    "ca-central-1",
    "ca-west-1",
    "cn-north-1",
    "cn-northwest-1",
    "eu-central-1",
    "eu-central-2",
    "eu-north-1",
    "eu-south-1",
    "eu-south-2",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "il-central-1",
    "me-central-1",
    "me-south-1",
    "mx-central-1",
    "sa-east-1",
    "us-east-1",
    "us-east-2",
    "us-gov-east-1",
    "us-gov-west-1",
    "us-west-1",
    "us-west-2",
];

/// When a DNS failure for `host` is really a mistyped region: the host is
/// AWS's own regional name for `region` and AWS has no such region. Returns
/// the closest real region, if any.
pub(crate) fn unknown_region(host: &str, region: &str) -> Option<Option<&'static str>> {
    let aws_host = host.contains(".amazonaws.com") || host.contains(".amazonaws.com.cn");
    if !aws_host || !host.contains(region) || KNOWN_REGIONS.contains(&region) {
        return None;
    }
    Some(crate::cel::closest(region, KNOWN_REGIONS.iter().copied()))
}

/// The first `AWS_ENDPOINT_URL*` variable that is not an `http://` or
/// `https://` URL with a host (the SDK would otherwise fail every call with
/// its request's `Debug` dump), unless `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS`
/// turns them off.
pub(crate) fn invalid_endpoint_variable() -> Option<CollectError> {
    let ignored = std::env::var("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")
        .is_ok_and(|v| v.trim().eq_ignore_ascii_case("true"));
    if ignored {
        return None;
    }
    let mut vars: Vec<(String, String)> = std::env::vars_os()
        .filter_map(|(name, value)| Some((name.into_string().ok()?, value.into_string().ok()?)))
        .filter(|(name, value)| name.starts_with("AWS_ENDPOINT_URL") && !value.is_empty())
        .collect();
    vars.sort();
    let (name, value) = vars
        .into_iter()
        .find(|(_, value)| !is_endpoint_url(value))?;
    let shown = match value.split_once("://") {
        Some((scheme, rest)) => format!("{scheme}://{}", rest.rsplit('@').next().unwrap_or(rest)),
        None => value.rsplit('@').next().unwrap_or(&value).to_string(),
    };
    Some(CollectError::new(
        Cause::EndpointInvalid,
        format!("{name} is not an endpoint URL: `{shown}`"),
        format!(
            "an endpoint URL has a scheme (`http://` or `https://`) and a host, e.g. \
             `http://localhost:4566` for a local emulator: correct {name}, or unset it to reach \
             AWS"
        ),
    ))
}

fn is_endpoint_url(value: &str) -> bool {
    let Some((scheme, _)) = value.split_once("://") else {
        return false;
    };
    let host = transport::authority(value)
        .and_then(|a| a.rsplit_once(':').map(|(host, _)| host.to_string()))
        .unwrap_or_default();
    (scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https"))
        && !host.is_empty()
}

/// The gap a failed data call leaves: the cause in words (transport, denied
/// with the IAM action to grant, expired credentials), never a `Debug` dump.
pub(crate) fn gap<E, R>(
    source: &str,
    region: &str,
    operation: &str,
    err: &SdkError<E, R>,
) -> CollectionGap
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug + 'static,
{
    let (service, resource) = super::run::split_source(source);
    let (error_code, message) = match err {
        SdkError::TimeoutError(_) => (
            "Timeout".to_string(),
            "no answer within the operation timeout ([collect] operation_timeout / attempt_timeout)"
                .to_string(),
        ),
        SdkError::DispatchFailure(_) => match transport::of_sdk(err) {
            Some(Transport::Timeout) | None => (
                "Timeout".to_string(),
                "no answer within the connect timeout ([collect] connect_timeout)".to_string(),
            ),
            Some(cause) => (
                cause.code().to_string(),
                format!("endpoint unreachable: {}", cause.describe(None)),
            ),
        },
        SdkError::ResponseError(_) => (
            "MalformedResponse".to_string(),
            format!(
                "the answer could not be read: {}",
                transport::words(err)
            ),
        ),
        // An answer without an error code is one the SDK could not read
        // (a 200 whose body does not parse, say), not an AWS error.
        SdkError::ServiceError(service_error) if service_error.err().code().is_none() => (
            "MalformedResponse".to_string(),
            format!(
                "the answer could not be read: {}",
                transport::words(service_error.err())
            ),
        ),
        SdkError::ServiceError(service_error) => {
            let inner = service_error.err();
            let code = inner.code().unwrap_or("Unknown").to_string();
            let said = inner
                .message()
                .map(str::to_string)
                .unwrap_or_else(|| transport::words(inner));
            let message = if DENIED.contains(&code.as_str()) {
                format!(
                    "access denied: grant the IAM action `{}` to the identity drguard runs as \
                     (docs/iam-policy.json lists every action drguard calls); AWS said: {said}",
                    iam_action(source, operation)
                )
            } else if EXPIRED.contains(&code.as_str()) {
                format!("the credentials expired during collection: refresh them and collect again; AWS said: {said}")
            } else {
                said
            };
            (code, message)
        }
        _ => (
            "ConstructionFailure".to_string(),
            format!("the request could not be built: {}", transport::words(err)),
        ),
    };
    CollectionGap {
        service: service.to_string(),
        resource: resource.map(str::to_string),
        region: region.to_string(),
        operation: operation.to_string(),
        error_code,
        message: message.replace('\n', " "),
    }
}

/// Names the host and port in the gaps of calls that got no answer, from
/// the endpoints the call log saw (`endpoint(operation, region)`); a DNS
/// failure on AWS's own host for a region AWS does not have says so.
pub(crate) fn name_endpoints(
    gaps: &mut [CollectionGap],
    endpoint: impl Fn(&str, &str) -> Option<String>,
) {
    for gap in gaps {
        let Some(cause) = Transport::from_code(&gap.error_code) else {
            continue;
        };
        let Some(at) = endpoint(&gap.operation, &gap.region) else {
            continue;
        };
        let generic = format!("endpoint unreachable: {}", cause.describe(None));
        let Some(rest) = gap.message.strip_prefix(&generic) else {
            continue;
        };
        let mut message = format!("endpoint unreachable: {}{rest}", cause.describe(Some(&at)));
        if cause == Transport::Dns {
            let host = at.rsplit_once(':').map_or(at.as_str(), |(h, _)| h);
            if let Some(suggestion) = unknown_region(host, &gap.region) {
                message.push_str(&format!(
                    "; `{}` is not an AWS region{}",
                    gap.region,
                    suggestion
                        .map(|s| format!(" (did you mean `{s}`?)"))
                        .unwrap_or_default()
                ));
            }
        }
        gap.message = message;
    }
}

/// The IAM action of a data source's operation, from the service specs
/// (the same table docs/iam-policy.json is generated from).
fn iam_action(source: &str, operation: &str) -> String {
    let service = super::run::split_source(source).0;
    let calls = || {
        crate::snapshot::spec::services()
            .iter()
            .flat_map(|s| s.sources.iter())
            .flat_map(|s| s.calls.iter().map(move |c| (s.name, c)))
    };
    calls()
        .find(|(name, call)| *name == source && call.operation == operation)
        .or_else(|| {
            calls().find(|(name, call)| {
                super::run::split_source(name).0 == service && call.operation == operation
            })
        })
        .map_or_else(
            || format!("{service}:{operation}"),
            |(_, call)| call.action.to_string(),
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_come_from_the_specs() {
        assert_eq!(
            iam_action("s3.buckets", "ListBuckets"),
            "s3:ListAllMyBuckets"
        );
        assert_eq!(
            iam_action("elbv2.listeners", "DescribeListeners"),
            "elasticloadbalancing:DescribeListeners"
        );
        assert_eq!(
            iam_action("ec2.images", "DescribeImages"),
            "ec2:DescribeImages"
        );
    }

    #[test]
    fn endpoint_urls() {
        assert!(is_endpoint_url("http://127.0.0.1:4566"));
        assert!(is_endpoint_url("https://sts.us-east-1.amazonaws.com/"));
        for bad in [
            "127.0.0.1:9",
            "http://",
            "localhost",
            "ftp://localhost:9",
            "http://:80",
        ] {
            assert!(!is_endpoint_url(bad), "{bad}");
        }
    }

    #[test]
    fn a_mistyped_region_is_told_from_an_unreachable_host() {
        assert_eq!(
            unknown_region("sts.us-esat-1.amazonaws.com", "us-esat-1"),
            Some(Some("us-east-1"))
        );
        assert_eq!(
            unknown_region("sts.us-east-1.amazonaws.com", "us-east-1"),
            None
        );
        assert_eq!(unknown_region("nosuch.invalid", "us-esat-1"), None);
    }

    #[test]
    fn gaps_name_the_endpoint() {
        let mut gaps = vec![CollectionGap {
            service: "ec2".into(),
            resource: Some("images".into()),
            region: "us-wset-2".into(),
            operation: "DescribeImages".into(),
            error_code: "DnsFailure".into(),
            message: format!("endpoint unreachable: {}", Transport::Dns.describe(None)),
        }];
        name_endpoints(&mut gaps, |_, _| {
            Some("ec2.us-wset-2.amazonaws.com:443".into())
        });
        assert_eq!(
            gaps[0].message,
            "endpoint unreachable: DNS resolution failed for ec2.us-wset-2.amazonaws.com:443: \
             the host name does not resolve; `us-wset-2` is not an AWS region (did you mean `us-west-2`?)"
        );
    }
}
