//! Why a request never got an answer: read from the error's source chain
//! (the SDK's `ConnectorError`, hyper's connect errors, `std::io::Error`
//! kinds), and said in words, without the types' `Debug` dumps.

use std::error::Error;
use std::io::ErrorKind;

use aws_smithy_runtime_api::client::interceptors::context::InterceptorContext;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_runtime_api::client::retries::classifiers::{
    ClassifyRetry, RetryAction, RetryClassifierPriority,
};

/// What stopped a request before any answer arrived.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Transport {
    /// The host name does not resolve.
    Dns,
    /// Nothing listens on the port (TCP RST).
    Refused,
    /// The TLS handshake failed (detail: the TLS library's words).
    Tls(String),
    /// No answer in time (connect, attempt or operation timeout).
    Timeout,
    /// Another connection failure (detail: the I/O error's words).
    Other(String),
}

impl Transport {
    /// The gap error code of each cause.
    pub(crate) fn code(&self) -> &'static str {
        match self {
            Transport::Dns => "DnsFailure",
            Transport::Refused => "ConnectionRefused",
            Transport::Tls(_) => "TlsFailure",
            Transport::Timeout => "Timeout",
            Transport::Other(_) => "ConnectionError",
        }
    }

    /// Reads a gap's code back (the detail is then in its message already).
    pub(crate) fn from_code(code: &str) -> Option<Transport> {
        Some(match code {
            "DnsFailure" => Transport::Dns,
            "ConnectionRefused" => Transport::Refused,
            "TlsFailure" => Transport::Tls(String::new()),
            "ConnectionError" => Transport::Other(String::new()),
            _ => return None,
        })
    }

    /// "connection refused by 127.0.0.1:9", naming the endpoint when known.
    pub(crate) fn describe(&self, endpoint: Option<&str>) -> String {
        let at = endpoint.unwrap_or("the endpoint");
        let detail = |d: &str| {
            if d.is_empty() {
                String::new()
            } else {
                format!(" ({d})")
            }
        };
        match self {
            Transport::Dns => {
                format!("DNS resolution failed for {at}: the host name does not resolve")
            }
            Transport::Refused => {
                format!("connection refused by {at}: nothing listens on that port")
            }
            Transport::Tls(d) => format!("TLS handshake with {at} failed{}", detail(d)),
            Transport::Timeout => format!("no answer from {at} within the timeout"),
            Transport::Other(d) => format!("the connection to {at} failed{}", detail(d)),
        }
    }
}

/// A retry classifier for the session's first STS call: an endpoint whose
/// host does not resolve, that refuses the connection or fails the TLS
/// handshake is reported at once instead of after every retry (about 45 s
/// with the default 10 attempts). Timeouts and other I/O errors are left to
/// the standard classifiers, which retry them.
#[derive(Debug, Default)]
pub(crate) struct FailFast;

impl ClassifyRetry for FailFast {
    fn classify_retry(&self, ctx: &InterceptorContext) -> RetryAction {
        let connector = match ctx.output_or_error() {
            Some(Err(err)) => err.as_connector_error(),
            _ => None,
        };
        match connector.and_then(|c| of_chain(c)) {
            Some(Transport::Dns | Transport::Refused | Transport::Tls(_)) => {
                RetryAction::RetryForbidden
            }
            _ => RetryAction::NoActionIndicated,
        }
    }

    fn name(&self) -> &'static str {
        "drguard::collect::FailFast"
    }

    fn priority(&self) -> RetryClassifierPriority {
        RetryClassifierPriority::run_after(RetryClassifierPriority::transient_error_classifier())
    }
}

/// The transport cause of an SDK error, if it never got an answer.
pub(crate) fn of_sdk<E, R>(err: &SdkError<E, R>) -> Option<Transport>
where
    E: Error + 'static,
    R: std::fmt::Debug + 'static,
{
    match err {
        SdkError::TimeoutError(_) => Some(Transport::Timeout),
        SdkError::DispatchFailure(failure) => {
            Some(of_chain(err).unwrap_or(if failure.is_timeout() {
                Transport::Timeout
            } else {
                Transport::Other(words(err))
            }))
        }
        _ => None,
    }
}

/// The transport cause found anywhere in an error's source chain.
pub(crate) fn of_chain(err: &(dyn Error + 'static)) -> Option<Transport> {
    let mut tls = None;
    let mut io = None;
    for link in chain(err) {
        let text = link.to_string();
        let lower = text.to_ascii_lowercase();
        // hyper-util's resolver error says "dns error"; getaddrinfo's own
        // words follow in its source.
        if lower == "dns error" || lower.contains("failed to lookup address") {
            return Some(Transport::Dns);
        }
        if let Some(io_err) = link.downcast_ref::<std::io::Error>() {
            match io_err.kind() {
                ErrorKind::ConnectionRefused => return Some(Transport::Refused),
                ErrorKind::TimedOut => return Some(Transport::Timeout),
                _ => {}
            }
        }
        if tls.is_none()
            && (lower.contains("tls")
                || lower.contains("certificate")
                || lower.contains("handshake")
                || lower.contains("corrupt message"))
        {
            tls = Some(text.clone());
        }
        // Only a network I/O error is a connection failure: a missing file
        // (an SSO token cache, say) is not.
        if io.is_none()
            && link
                .downcast_ref::<std::io::Error>()
                .is_some_and(|e| is_network(e.kind()))
        {
            io = Some(text);
        }
    }
    match (tls, io) {
        (Some(detail), _) => Some(Transport::Tls(clean_tls(&detail))),
        (None, Some(detail)) => Some(Transport::Other(detail)),
        (None, None) => None,
    }
}

/// I/O error kinds a connection produces.
fn is_network(kind: ErrorKind) -> bool {
    matches!(
        kind,
        ErrorKind::ConnectionReset
            | ErrorKind::ConnectionAborted
            | ErrorKind::NotConnected
            | ErrorKind::AddrNotAvailable
            | ErrorKind::BrokenPipe
            | ErrorKind::UnexpectedEof
            | ErrorKind::HostUnreachable
            | ErrorKind::NetworkUnreachable
            | ErrorKind::Other
    )
}

/// The TLS library's reason without its own prefixes.
fn clean_tls(detail: &str) -> String {
    detail
        .trim_start_matches("tls handshake eof")
        .trim()
        .to_string()
}

/// Every error of a source chain, the outermost first.
pub(crate) fn chain<'a>(err: &'a (dyn Error + 'static)) -> Vec<&'a (dyn Error + 'static)> {
    let mut out = vec![err];
    let mut next = err.source();
    while let Some(link) = next {
        if out.len() > 32 {
            break;
        }
        out.push(link);
        next = link.source();
    }
    out
}

/// An error's source chain in words, `: `-separated: each link's `Display`
/// (never `Debug`), without the SDK's generic wrappers ("dispatch failure",
/// "io error", "service error") and without a link that only repeats what
/// the one before it already said.
pub(crate) fn words(err: &(dyn Error + 'static)) -> String {
    const GENERIC: &[&str] = &[
        "dispatch failure",
        "io error",
        "other",
        "service error",
        "unhandled error",
        "response error",
        "timeout",
        "failed to construct request",
        "an error occurred while loading credentials",
        "the credentials provider was not properly configured",
        "unexpected credentials error",
    ];
    let mut parts: Vec<String> = Vec::new();
    for link in chain(err) {
        let text = without_debug(&link.to_string().replace('\n', " "));
        let text = text.trim();
        if text.is_empty() || GENERIC.contains(&text.to_ascii_lowercase().as_str()) {
            continue;
        }
        if parts.iter().any(|p| p.contains(text)) {
            continue;
        }
        parts.push(text.to_string());
    }
    if parts.is_empty() {
        "unknown error".to_string()
    } else {
        parts.join(": ")
    }
}

/// A message cut before the first `Debug` dump some SDK errors embed in
/// their `Display` (`failed to apply endpoint … to request \`Request {
/// body: …`): a `Name { field:` struct, `Some(`, `Os {`.
pub(crate) fn without_debug(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut cut = text.len();
    for (i, _) in text.char_indices() {
        let rest = text.get(i..).unwrap_or_default();
        if rest.starts_with("Some(") || rest.starts_with("Os {") {
            cut = i;
            break;
        }
        // `Name { field:` — an identifier, " { ", an identifier, ':'.
        if rest.starts_with(" { ")
            && i > 0
            && bytes.get(i - 1).is_some_and(u8::is_ascii_alphanumeric)
        {
            let after = rest.get(3..).unwrap_or_default();
            let field: String = after
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !field.is_empty() && after.get(field.len()..).is_some_and(|t| t.starts_with(':')) {
                let start = text
                    .get(..i)
                    .and_then(|head| head.rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_')))
                    .map_or(0, |p| p + 1);
                cut = start;
                break;
            }
        }
    }
    let kept = text.get(..cut).unwrap_or(text);
    match kept.strip_suffix(" to request `") {
        Some(kept) => kept.to_string(),
        None => kept.trim_end_matches(['(', ' ', ':', ',']).to_string(),
    }
}

/// `host:port` of a request URI (the port from the scheme when absent),
/// without any user info.
pub(crate) fn authority(uri: &str) -> Option<String> {
    let (scheme, rest) = uri.split_once("://")?;
    let host_port = rest.split(['/', '?', '#']).next()?;
    let host_port = host_port.rsplit('@').next()?;
    if host_port.is_empty() {
        return None;
    }
    let has_port = match host_port.rfind(']') {
        Some(close) => host_port
            .get(close..)
            .is_some_and(|tail| tail.contains(':')),
        None => host_port.contains(':'),
    };
    if has_port {
        Some(host_port.to_string())
    } else {
        let port = if scheme.eq_ignore_ascii_case("http") {
            80
        } else {
            443
        };
        Some(format!("{host_port}:{port}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn authorities() {
        assert_eq!(
            authority("http://127.0.0.1:9/").as_deref(),
            Some("127.0.0.1:9")
        );
        assert_eq!(
            authority("https://sts.us-east-1.amazonaws.com/?Action=x").as_deref(),
            Some("sts.us-east-1.amazonaws.com:443")
        );
        assert_eq!(
            authority("http://user:pw@nosuch.invalid").as_deref(),
            Some("nosuch.invalid:80")
        );
        assert_eq!(authority("http://[::1]/").as_deref(), Some("[::1]:80"));
        assert_eq!(authority("http://[::1]:8/").as_deref(), Some("[::1]:8"));
        assert_eq!(authority("nonsense"), None);
    }

    #[test]
    fn io_kinds_and_words() {
        let refused = std::io::Error::new(ErrorKind::ConnectionRefused, "Connection refused");
        assert_eq!(of_chain(&refused), Some(Transport::Refused));
        let missing = std::io::Error::new(ErrorKind::NotFound, "no token file");
        assert_eq!(of_chain(&missing), None);
        let other = std::io::Error::other("broken pipe");
        assert_eq!(
            of_chain(&other),
            Some(Transport::Other("broken pipe".into()))
        );
        assert_eq!(words(&other), "broken pipe");
        assert_eq!(
            without_debug(
                "failed to apply endpoint `localhost` to request `Request { body: SdkBody { inner: Once(Some(b\"x\")) } }`"
            ),
            "failed to apply endpoint `localhost`"
        );
        assert_eq!(
            without_debug("tcp connect error: Os { code: 111 }"),
            "tcp connect error"
        );
        assert_eq!(without_debug("plain words: fine"), "plain words: fine");
        assert_eq!(
            Transport::Refused.describe(Some("127.0.0.1:9")),
            "connection refused by 127.0.0.1:9: nothing listens on that port"
        );
        for t in [
            Transport::Dns,
            Transport::Refused,
            Transport::Tls(String::new()),
            Transport::Other(String::new()),
        ] {
            assert_eq!(Transport::from_code(t.code()), Some(t));
        }
    }
}
