//! The errors before the first data call: the credential chain and STS
//! (`GetCallerIdentity`, and `AssumeRole`/`AssumeRoleWithWebIdentity` when a
//! provider calls them), each turned into one [`CollectError`] with its fix.

use std::error::Error;

use aws_config::imds::client::error::ImdsError;
use aws_credential_types::provider::error::CredentialsError;
use aws_sdk_sts::operation::assume_role::AssumeRoleError;
use aws_sdk_sts::operation::assume_role_with_web_identity::AssumeRoleWithWebIdentityError;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

use super::profile::{Lookup, Selected, files};
use super::transport::{self, Transport};
use super::{Cause, CollectError, DENIED, EXPIRED, REJECTED, unknown_region};

/// What the session knows when something fails.
pub(crate) struct Context<'a> {
    /// The region STS is called in (`app.primary_region`).
    pub region: &'a str,
    /// `host:port` the call went to: from the call log, else where STS
    /// calls go by the configuration.
    pub endpoint: Option<String>,
    /// The variable (or profile setting) that redirects STS, when one does.
    pub redirect: Option<String>,
    /// The selected profile.
    pub profile: Selected,
    /// `--role-arn`.
    pub role_arn: Option<&'a str>,
    /// `[collect]` connect, attempt and operation timeouts, seconds.
    pub timeouts: [u64; 3],
}

/// A failed STS call of the session (`GetCallerIdentity`).
pub(crate) fn sts_failure<E>(
    operation: &str,
    err: &SdkError<E, HttpResponse>,
    ctx: &Context<'_>,
) -> CollectError
where
    E: ProvideErrorMetadata + Error + 'static,
{
    if let Some(cause) = transport::of_sdk(err) {
        return unreachable(cause, operation, ctx);
    }
    match err {
        SdkError::ServiceError(service_error) => {
            let inner = service_error.err();
            let code = inner.code().unwrap_or("Unknown");
            let said = inner
                .message()
                .map(str::to_string)
                .unwrap_or_else(|| transport::words(inner));
            answered(operation, code, &said, ctx)
        }
        SdkError::ResponseError(_) => CollectError::new(
            Cause::Sts,
            format!(
                "STS {operation} got an answer that is not an STS response: {}",
                transport::words(err)
            ),
            match &ctx.redirect {
                Some(var) => format!(
                    "{var} sends the calls to {}: it must be AWS or an emulator of its APIs",
                    ctx.endpoint.as_deref().unwrap_or("another endpoint")
                ),
                None => "a proxy between this machine and AWS may have answered in its place: check HTTPS_PROXY and NO_PROXY".into(),
            },
        ),
        _ => CollectError::new(
            Cause::Sts,
            format!(
                "the STS {operation} request could not be built: {}",
                transport::words(err)
            ),
            "check `app.primary_region` in drguard.toml and the AWS_ENDPOINT_URL* variables",
        ),
    }
}

/// A service error of an STS call, by its code.
fn answered(operation: &str, code: &str, said: &str, ctx: &Context<'_>) -> CollectError {
    if EXPIRED.contains(&code) {
        let help = if code == "RequestExpired" {
            "AWS rejects a request signed more than 5 minutes away from its clock: if the \
             credentials are fresh, set this machine's clock right (NTP); else refresh them"
                .to_string()
        } else {
            refresh_help(&ctx.profile)
        };
        return CollectError::new(
            Cause::CredentialsExpired,
            format!("AWS credentials expired: STS {operation} answered {code}: {said}"),
            help,
        );
    }
    if REJECTED.contains(&code) {
        return CollectError::new(
            Cause::CredentialsRejected,
            format!("AWS rejected the credentials: STS {operation} answered {code}: {said}"),
            "AWS does not know the access key id, or the secret key does not match it: check \
             AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN (temporary keys \
             need all three), or the keys of the profile; `aws sts get-caller-identity` with \
             the same settings shows the same",
        );
    }
    if DENIED.contains(&code) {
        if operation == "AssumeRole" {
            let role = ctx.role_arn.unwrap_or("the role");
            return CollectError::new(
                Cause::AccessDenied,
                format!(
                    "access denied: not allowed to assume {role}: STS AssumeRole answered {code}: {said}"
                ),
                "the role's trust policy must allow the identity drguard starts from (and \
                 require the `--external-id` you pass, if any), and that identity needs \
                 `sts:AssumeRole` on the role",
            );
        }
        if operation == "AssumeRoleWithWebIdentity" {
            return CollectError::new(
                Cause::AccessDenied,
                format!("access denied: STS AssumeRoleWithWebIdentity answered {code}: {said}"),
                "the role in AWS_ROLE_ARN must trust the identity provider that issued the \
                 token in AWS_WEB_IDENTITY_TOKEN_FILE (its audience and subject conditions)",
            );
        }
        let between = match (&ctx.redirect, &ctx.endpoint) {
            (Some(var), Some(at)) => format!(", or the endpoint {var} names ({at})"),
            (Some(var), None) => format!(", or the endpoint {var} names"),
            _ => String::new(),
        };
        return CollectError::new(
            Cause::AccessDenied,
            format!("access denied: STS {operation} answered {code}: {said}"),
            format!(
                "drguard calls sts:GetCallerIdentity first, to learn the account id \
                 (docs/iam-policy.json lists it with every other action drguard needs). AWS \
                 answers it for every identity whatever its IAM policies say, so the denial \
                 comes from something between drguard and AWS: a VPC endpoint policy or a \
                 proxy{between}"
            ),
        );
    }
    CollectError::new(
        Cause::Sts,
        format!("STS {operation} failed with {code}: {said}"),
        "`aws sts get-caller-identity` with the same settings shows whether AWS answers the \
         same; if it works there, please report this as a drguard bug",
    )
}

/// An endpoint that never answered (or, for a DNS failure on AWS's own
/// regional host name, a region AWS does not have).
fn unreachable(cause: Transport, operation: &str, ctx: &Context<'_>) -> CollectError {
    if let Transport::Other(detail) = &cause
        && detail.contains("failed to apply endpoint")
    {
        let from = ctx
            .redirect
            .clone()
            .unwrap_or_else(|| "the `endpoint_url` in the AWS config file".into());
        return CollectError::new(
            Cause::EndpointInvalid,
            format!("invalid endpoint URL for STS {operation}: {detail}"),
            format!(
                "{from} must be a URL with a scheme and a host, e.g. `http://localhost:4566`: \
                 correct it, or remove it to reach AWS"
            ),
        );
    }
    let at = ctx.endpoint.as_deref();
    if cause == Transport::Dns {
        let host = at.and_then(|a| a.rsplit_once(':')).map(|(h, _)| h);
        if let Some(suggestion) = host.and_then(|h| unknown_region(h, ctx.region)) {
            return CollectError::new(
                Cause::RegionUnknown,
                format!(
                    "unknown AWS region `{}`: STS {operation} went to {}, which does not resolve",
                    ctx.region,
                    at.unwrap_or("its regional endpoint")
                ),
                format!(
                    "set `app.primary_region` (and `app.dr_region`) in drguard.toml to AWS \
                     region codes such as `us-east-1`{}",
                    suggestion
                        .map(|s| format!("; did you mean `{s}`?"))
                        .unwrap_or_default()
                ),
            );
        }
    }
    let message = format!(
        "AWS endpoint unreachable: {} (STS {operation} in {}, the first call drguard makes)",
        cause.describe(at),
        ctx.region
    );
    let help = match (&ctx.redirect, &cause) {
        (Some(var), Transport::Refused) => format!(
            "{var} sends the calls there: start the service that should listen on that port, \
             or correct or unset {var} to reach AWS"
        ),
        (Some(var), Transport::Dns) => {
            format!("correct the host name in {var}, or unset {var} to reach AWS")
        }
        (Some(var), Transport::Tls(_)) => format!(
            "{var} names an https:// endpoint that does not complete a TLS handshake this \
             machine trusts: use http:// for a plain-HTTP endpoint such as a local emulator, \
             or add the endpoint's certificate authority to the system's trust store"
        ),
        (Some(var), Transport::Timeout) => format!(
            "nothing answered within {}: check that the service {var} names runs and answers, \
             and that no firewall drops the traffic",
            timeouts(ctx)
        ),
        (Some(var), Transport::Other(_)) => {
            format!("check that the endpoint {var} names is up and speaks HTTP(S)")
        }
        (None, Transport::Dns) => "this machine cannot resolve AWS host names: check its DNS \
             and network connection (and HTTPS_PROXY, if AWS is reachable only through a proxy)"
            .into(),
        (None, Transport::Tls(_)) => "something between this machine and AWS intercepts TLS \
             (a proxy with its own certificate?): add its certificate authority to the \
             system's trust store"
            .into(),
        (None, Transport::Timeout) => format!(
            "no answer within {}: check the network path to AWS (firewall, proxy, VPC \
             endpoints)",
            timeouts(ctx)
        ),
        (None, _) => "check the network path to AWS: HTTPS_PROXY and NO_PROXY, a firewall, \
             VPC endpoints"
            .into(),
    };
    CollectError::new(Cause::EndpointUnreachable, message, help)
}

/// "the [collect] timeouts (connect_timeout 5 s, …)".
fn timeouts(ctx: &Context<'_>) -> String {
    let [connect, attempt, operation] = ctx.timeouts;
    format!(
        "the [collect] timeouts (connect_timeout {connect} s, attempt_timeout {attempt} s, \
         operation_timeout {operation} s)"
    )
}

/// What to run to get fresh credentials.
fn refresh_help(profile: &Selected) -> String {
    format!(
        "get fresh credentials: `aws sso login --profile {}` for IAM Identity Center, a new \
         session token (AWS_SESSION_TOKEN) for temporary keys; then run drguard again",
        profile.name
    )
}

/// A credential chain that failed: an STS call of a provider (`--role-arn`,
/// web identity), an endpoint it could not reach, nothing found (with what
/// each provider looked for), or another provider error.
pub(crate) fn credentials_failure(
    err: &CredentialsError,
    ctx: &Context<'_>,
    lookup: &Lookup,
) -> CollectError {
    for link in transport::chain(err) {
        if let Some(sdk) = link.downcast_ref::<SdkError<AssumeRoleError, HttpResponse>>() {
            return sts_failure("AssumeRole", sdk, ctx);
        }
        if let Some(sdk) =
            link.downcast_ref::<SdkError<AssumeRoleWithWebIdentityError, HttpResponse>>()
        {
            return sts_failure("AssumeRoleWithWebIdentity", sdk, ctx);
        }
    }
    // The instance metadata service is the chain's last provider: its
    // error means every provider before it found nothing.
    let imds = transport::chain(err).into_iter().find_map(|link| {
        link.downcast_ref::<ImdsError>()
            .map(|imds| format!("it answered: {}", transport::words(imds)))
    });
    if imds.is_some()
        || matches!(
            err,
            CredentialsError::CredentialsNotLoaded(_) | CredentialsError::ProviderTimedOut(_)
        )
    {
        return nothing_found(err, &ctx.profile, lookup, imds);
    }
    let words = transport::words(err);
    // `credential_process` with nothing on stderr ends "… exit status: 1. Stderr".
    let words = words.strip_suffix(". Stderr").unwrap_or(&words).to_string();
    if let Some(cause) = transport::of_chain(err) {
        return CollectError::new(
            Cause::EndpointUnreachable,
            format!(
                "AWS endpoint unreachable while loading credentials: {} ({words})",
                cause.describe(None)
            ),
            "the credential provider (SSO portal, container or instance endpoint, STS) could \
             not be reached: check the network path and HTTPS_PROXY/NO_PROXY",
        );
    }
    let lower = words.to_ascii_lowercase();
    if lower.contains("expired") {
        return CollectError::new(
            Cause::CredentialsExpired,
            format!("AWS credentials expired: {words}"),
            refresh_help(&ctx.profile),
        );
    }
    let name = &ctx.profile.name;
    if lower.contains("sso") {
        return CollectError::new(
            Cause::Credentials,
            format!("no IAM Identity Center (SSO) sign-in for profile `{name}`: {words}"),
            format!("sign in with `aws sso login --profile {name}`, then run drguard again"),
        );
    }
    let help = if lower.contains("external process") || lower.contains("credential_process") {
        format!(
            "the `credential_process` command of profile `{name}` failed: run it by hand to \
             see why (it must print the credentials as JSON and exit 0)"
        )
    } else {
        format!(
            "check profile `{name}` in {} and {}; `aws sts get-caller-identity --profile \
             {name}` shows the same error",
            files()[0].describe(),
            files()[1].describe(),
        )
    };
    CollectError::new(
        Cause::Credentials,
        format!("could not load AWS credentials: {words}"),
        help,
    )
}

/// The chain found nothing: say where each provider looked.
fn nothing_found(
    err: &CredentialsError,
    profile: &Selected,
    lookup: &Lookup,
    imds_answer: Option<String>,
) -> CollectError {
    let [config, credentials] = files();
    if profile.origin == "--profile" {
        // An explicit profile is the only provider asked: naming the rest of
        // the chain (environment keys that may well be set) would mislead.
        let state = match lookup {
            Lookup::Unreadable(why) => format!("could not be read ({why})"),
            _ => "holds no credentials".to_string(),
        };
        return CollectError::new(
            Cause::NoCredentials,
            format!(
                "no AWS credentials found: profile `{}` (from --profile) {state} in {} and {}; \
                 with --profile, only that profile supplies credentials (environment keys are \
                 not used)",
                profile.name,
                config.describe(),
                credentials.describe(),
            ),
            format!(
                "give the profile credentials (`aws configure --profile {0}`, `aws configure sso \
                 --profile {0}`, a `credential_process`, or `role_arn` with `source_profile`), or \
                 drop --profile to use the standard chain",
                profile.name
            ),
        );
    }
    let set = |var: &str| std::env::var_os(var).is_some_and(|v| !v.is_empty());
    let environment = match (set("AWS_ACCESS_KEY_ID"), set("AWS_SECRET_ACCESS_KEY")) {
        (true, false) => "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not",
        (false, true) => "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not",
        _ => "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set",
    };
    let profile_state = match lookup {
        Lookup::Found => "defined, but it holds no credentials".to_string(),
        Lookup::Missing(_) => "not defined".to_string(),
        Lookup::Unreadable(why) => format!("unreadable: {why}"),
    };
    let web_identity = if set("AWS_WEB_IDENTITY_TOKEN_FILE") {
        "AWS_WEB_IDENTITY_TOKEN_FILE is set, but AWS_ROLE_ARN is not"
    } else {
        "AWS_WEB_IDENTITY_TOKEN_FILE is not set"
    };
    let imds_off = std::env::var("AWS_EC2_METADATA_DISABLED")
        .is_ok_and(|v| v.trim().eq_ignore_ascii_case("true"));
    let imds = if imds_off {
        "turned off by AWS_EC2_METADATA_DISABLED".to_string()
    } else if let Some(answer) = imds_answer {
        answer
    } else if let CredentialsError::ProviderTimedOut(_) = err {
        "no answer in time (this is not an EC2 instance, or its metadata service is unreachable)"
            .to_string()
    } else {
        "no role (this is not an EC2 instance with an instance profile)".to_string()
    };
    let message = format!(
        "no AWS credentials found; the standard credential chain looked at: environment \
         variables ({environment}); profile `{}` ({profile_state}) in {} and {}; web identity \
         ({web_identity}); container credentials (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and \
         AWS_CONTAINER_CREDENTIALS_FULL_URI are not set); the EC2 instance metadata service \
         ({imds})",
        profile.name,
        config.describe(),
        credentials.describe(),
    );
    CollectError::new(
        Cause::NoCredentials,
        message,
        "give drguard credentials in one of these ways: export AWS_ACCESS_KEY_ID and \
         AWS_SECRET_ACCESS_KEY (plus AWS_SESSION_TOKEN for temporary keys); create a profile \
         with `aws configure` or `aws configure sso` and pass `--profile NAME`; in CI, use \
         OIDC (AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE); on EC2, ECS or EKS, attach a role",
    )
}

/// The selected profile is in neither file.
pub(crate) fn profile_not_found(profile: &Selected, defined: &[String]) -> CollectError {
    let [config, credentials] = files();
    let have = if defined.is_empty() {
        "they define no profile".to_string()
    } else {
        format!("they define: {}", defined.join(", "))
    };
    let suggestion = crate::cel::closest(&profile.name, defined.iter().map(String::as_str))
        .map(|s| format!(" (did you mean `{s}`?)"))
        .unwrap_or_default();
    let name = &profile.name;
    CollectError::new(
        Cause::ProfileNotFound,
        format!(
            "AWS profile `{name}` (from {}) not found: it is in neither {} nor {}; {have}",
            profile.origin,
            config.describe(),
            credentials.describe(),
        ),
        format!(
            "use a defined profile{suggestion}, or define `{name}`: `aws configure --profile \
             {name}` (access keys) or `aws configure sso --profile {name}` (IAM Identity \
             Center) writes `[profile {name}]` to the config file; AWS_CONFIG_FILE and \
             AWS_SHARED_CREDENTIALS_FILE choose other files"
        ),
    )
}

/// The profile files could not be read.
pub(crate) fn profile_unreadable(why: &str) -> CollectError {
    let [config, credentials] = files();
    CollectError::new(
        Cause::Credentials,
        format!(
            "cannot read the AWS profile files {} and {}: {why}",
            config.describe(),
            credentials.describe()
        ),
        "fix the file at the place the error names (`aws configure list` reads the same files)",
    )
}
