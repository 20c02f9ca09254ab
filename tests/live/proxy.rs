//! An HTTP proxy in front of moto that injects faults the way AWS shows
//! them: AccessDenied on one operation, throttling and 5xx on a share of
//! requests, an endpoint that never answers, or a recorded AWS response for
//! an operation moto does not implement. drguard talks to it through
//! `AWS_ENDPOINT_URL` like to any endpoint; nothing in drguard knows.
//!
//! Each client connection carries one request: the proxy answers with
//! `Connection: close`, and the SDK opens a new connection for the next one.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What to do with a request.
#[derive(Debug, Clone)]
pub enum Fault {
    /// Answer with an access-denied error.
    Deny,
    /// Read the request and never answer.
    Hang,
    /// Throttle `throttle_pct` % and fail `error_pct` % of requests with a 5xx,
    /// decided per request and attempt by a hash, so a run is repeatable.
    Flaky { throttle_pct: u64, error_pct: u64 },
    /// Answer 200 with this body (a recorded AWS response).
    Recorded(String),
    /// Answer 200 with `body` to a request signed for `region`; a request
    /// for another region goes on to the next rule (else to moto).
    RecordedIn { region: String, body: String },
}

impl Fault {
    /// True when the fault applies to a request signed for `region`.
    fn applies_in(&self, region: &str) -> bool {
        match self {
            Fault::RecordedIn { region: only, .. } => only == region,
            _ => true,
        }
    }
}

/// A fault for the operations whose name matches (`*` = every operation).
#[derive(Debug, Clone)]
pub struct Rule {
    pub operation: &'static str,
    pub fault: Fault,
}

/// Counts of what the proxy did.
#[derive(Debug, Default, Clone)]
pub struct Stats {
    pub forwarded: u64,
    pub injected: u64,
    /// Operation names seen, in order.
    pub operations: Vec<String>,
    /// Each request's identity: operation, region and a hash of its line and body.
    pub requests: Vec<(String, String, u64)>,
}

/// A running proxy.
pub struct Proxy {
    pub endpoint: String,
    pub stats: Arc<Mutex<Stats>>,
    _runtime: tokio::runtime::Runtime,
}

/// The wire protocol of a request, which decides how an error looks.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Protocol {
    Json,
    Cbor,
    Query,
    Ec2,
    S3,
    Route53,
}

struct Request {
    head: String,
    body: Vec<u8>,
    operation: String,
    protocol: Protocol,
}

impl Proxy {
    /// Starts a proxy to `upstream` (`http://127.0.0.1:PORT`) with these rules.
    pub fn start(upstream: &str, rules: Vec<Rule>) -> Proxy {
        Proxy::start_with_latency(upstream, rules, std::time::Duration::ZERO)
    }

    /// Like [`Proxy::start`], and every answer (forwarded or injected) waits
    /// `latency` first, like a distant region. Used by `benches/live.rs`.
    #[allow(dead_code)] // not every user of this module adds latency
    pub fn start_with_latency(
        upstream: &str,
        rules: Vec<Rule>,
        latency: std::time::Duration,
    ) -> Proxy {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("proxy runtime");
        let upstream = upstream.trim_start_matches("http://").to_string();
        let stats = Arc::new(Mutex::new(Stats::default()));
        let listener = runtime
            .block_on(TcpListener::bind("127.0.0.1:0"))
            .expect("bind proxy");
        let endpoint = format!("http://{}", listener.local_addr().expect("proxy address"));
        let shared = (
            Arc::new(rules),
            Arc::clone(&stats),
            Arc::new(Mutex::new(HashMap::new())),
        );
        runtime.spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let upstream = upstream.clone();
                let (rules, stats, attempts) = (
                    Arc::clone(&shared.0),
                    Arc::clone(&shared.1),
                    Arc::clone(&shared.2),
                );
                tokio::spawn(async move {
                    let _ = serve(client, &upstream, &rules, &stats, &attempts, latency).await;
                });
            }
        });
        Proxy {
            endpoint,
            stats,
            _runtime: runtime,
        }
    }

    pub fn stats(&self) -> Stats {
        self.stats.lock().map(|s| s.clone()).unwrap_or_default()
    }
}

async fn read_request(client: &mut TcpStream) -> std::io::Result<Option<Request>> {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        let n = client.read(&mut chunk).await?;
        if n == 0 {
            return Ok(None);
        }
        buffer.extend_from_slice(&chunk[..n]);
        if let Some(i) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).to_string();
    let length: usize = header(&head, "content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let mut body = buffer[head_end..].to_vec();
    while body.len() < length {
        let n = client.read(&mut chunk).await?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    let (operation, protocol) = classify(&head, &body);
    Ok(Some(Request {
        head,
        body,
        operation,
        protocol,
    }))
}

fn header<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.lines().skip(1).find_map(|line| {
        let (key, value) = line.split_once(':')?;
        key.trim()
            .eq_ignore_ascii_case(name)
            .then_some(value.trim())
    })
}

/// Names the API operation of a request, whatever its protocol.
fn classify(head: &str, body: &[u8]) -> (String, Protocol) {
    let request_line = head.lines().next().unwrap_or_default();
    let mut parts = request_line.split_whitespace();
    let method = parts.next().unwrap_or_default();
    let target = parts.next().unwrap_or_default();
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let scope = header(head, "authorization").unwrap_or_default();
    if let Some(amz_target) = header(head, "x-amz-target") {
        let op = amz_target.rsplit('.').next().unwrap_or_default();
        return (op.to_string(), Protocol::Json);
    }
    if let Some(op) = path
        .strip_prefix("/service/")
        .and_then(|p| p.rsplit('/').next())
    {
        return (op.to_string(), Protocol::Cbor);
    }
    let text = String::from_utf8_lossy(body);
    if let Some(action) = text
        .split('&')
        .find_map(|pair| pair.strip_prefix("Action="))
    {
        let protocol = if scope.contains("/ec2/aws4_request") {
            Protocol::Ec2
        } else {
            Protocol::Query
        };
        return (action.to_string(), protocol);
    }
    if scope.contains("/route53/aws4_request") {
        let op = if path.ends_with("/rrset") {
            "ListResourceRecordSets"
        } else if path.ends_with("/status") {
            "GetHealthCheckStatus"
        } else if path.ends_with("/healthcheck") {
            "ListHealthChecks"
        } else if path.ends_with("/hostedzone") {
            "ListHostedZones"
        } else {
            "Route53Other"
        };
        return (op.to_string(), Protocol::Route53);
    }
    let sub = query.split('&').next().unwrap_or_default();
    let op = match (method, sub) {
        ("GET", "replication") => "GetBucketReplication",
        ("GET", "versioning") => "GetBucketVersioning",
        ("GET", "encryption") => "GetBucketEncryption",
        ("GET", "tagging") => "GetBucketTagging",
        ("GET", "location") => "GetBucketLocation",
        // AWS reports each bucket's region only to a request with a parameter.
        ("GET", _) if path == "/" && query.contains("max-buckets=") => "ListBuckets",
        ("GET", _) if path == "/" => "ListBucketsUnpaginated",
        _ => "S3Other",
    };
    (op.to_string(), Protocol::S3)
}

fn error_response(protocol: Protocol, status: u16, code: &str, message: &str) -> Vec<u8> {
    let reason = match status {
        400 => "Bad Request",
        403 => "Forbidden",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Error",
    };
    let (content_type, extra, body): (&str, &str, Vec<u8>) = match protocol {
        Protocol::Json => (
            "application/x-amz-json-1.1",
            "",
            format!(r#"{{"__type":"{code}","message":"{message}"}}"#).into_bytes(),
        ),
        Protocol::Cbor => ("application/cbor", "smithy-protocol: rpc-v2-cbor\r\n", cbor_error(code, message)),
        Protocol::Ec2 => (
            "text/xml",
            "",
            format!("<Response><Errors><Error><Code>{code}</Code><Message>{message}</Message></Error></Errors><RequestID>drguard-proxy</RequestID></Response>").into_bytes(),
        ),
        Protocol::S3 => (
            "application/xml",
            "",
            format!("<Error><Code>{code}</Code><Message>{message}</Message><RequestId>drguard-proxy</RequestId></Error>").into_bytes(),
        ),
        Protocol::Query | Protocol::Route53 => (
            "text/xml",
            "",
            format!("<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error><RequestId>drguard-proxy</RequestId></ErrorResponse>").into_bytes(),
        ),
    };
    let mut response = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: {content_type}\r\n{extra}Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    response.extend(body);
    response
}

/// A CBOR map `{"__type": code, "message": message}` (text strings < 256 bytes).
fn cbor_error(code: &str, message: &str) -> Vec<u8> {
    let mut out = vec![0xa2];
    for text in ["__type", code, "message", message] {
        let bytes = text.as_bytes();
        if bytes.len() < 24 {
            out.push(0x60 | bytes.len() as u8);
        } else {
            out.push(0x78);
            out.push(bytes.len() as u8);
        }
        out.extend_from_slice(bytes);
    }
    out
}

fn throttle(protocol: Protocol) -> (u16, &'static str) {
    match protocol {
        Protocol::Json | Protocol::Cbor => (400, "ThrottlingException"),
        Protocol::Ec2 => (503, "RequestLimitExceeded"),
        Protocol::S3 => (503, "SlowDown"),
        Protocol::Query | Protocol::Route53 => (400, "Throttling"),
    }
}

fn denied(protocol: Protocol) -> (u16, &'static str) {
    match protocol {
        Protocol::Json | Protocol::Cbor => (400, "AccessDeniedException"),
        Protocol::Ec2 => (403, "UnauthorizedOperation"),
        _ => (403, "AccessDenied"),
    }
}

type Attempts = Mutex<HashMap<u64, u64>>;

async fn serve(
    mut client: TcpStream,
    upstream: &str,
    rules: &[Rule],
    stats: &Mutex<Stats>,
    attempts: &Attempts,
    latency: std::time::Duration,
) -> std::io::Result<()> {
    let Some(request) = read_request(&mut client).await? else {
        return Ok(());
    };
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    let scope_region = header(&request.head, "authorization")
        .and_then(|a| a.split("Credential=").nth(1))
        .and_then(|c| c.split('/').nth(2))
        .unwrap_or_default()
        .to_string();
    let fault = rules
        .iter()
        .find(|r| {
            (r.operation == "*" || r.operation == request.operation)
                && r.fault.applies_in(&scope_region)
        })
        .map(|r| r.fault.clone());
    let identity = {
        let mut hasher = DefaultHasher::new();
        request.head.lines().next().hash(&mut hasher);
        request.body.hash(&mut hasher);
        hasher.finish()
    };
    if let Ok(mut stats) = stats.lock() {
        stats.operations.push(request.operation.clone());
        stats
            .requests
            .push((request.operation.clone(), scope_region, identity));
    }
    let injected = match fault {
        None => None,
        Some(Fault::Deny) => {
            let (status, code) = denied(request.protocol);
            Some(error_response(
                request.protocol,
                status,
                code,
                "User: arn:aws:sts::123456789012:assumed-role/drguard/test is not authorized to perform this action",
            ))
        }
        Some(Fault::Hang) => {
            if let Ok(mut stats) = stats.lock() {
                stats.injected += 1;
            }
            // Keep the connection open and silent until the client gives up.
            let mut sink = [0u8; 1024];
            while client.read(&mut sink).await.unwrap_or(0) > 0 {}
            return Ok(());
        }
        Some(Fault::Flaky {
            throttle_pct,
            error_pct,
        }) => {
            // The same request (without its signature) is one key; its n-th attempt
            // draws from a hash of key and n, so runs repeat exactly.
            let mut hasher = DefaultHasher::new();
            request.head.lines().next().hash(&mut hasher);
            request.body.hash(&mut hasher);
            let key = hasher.finish();
            let n = {
                let mut attempts = attempts.lock().unwrap_or_else(|p| p.into_inner());
                let n = attempts.entry(key).or_insert(0);
                *n += 1;
                *n
            };
            let mut hasher = DefaultHasher::new();
            (key, n, 0x5eed_u64).hash(&mut hasher);
            let draw = hasher.finish() % 100;
            if draw < throttle_pct {
                let (status, code) = throttle(request.protocol);
                Some(error_response(
                    request.protocol,
                    status,
                    code,
                    "Rate exceeded",
                ))
            } else if draw < throttle_pct + error_pct {
                Some(error_response(
                    request.protocol,
                    503,
                    "ServiceUnavailable",
                    "Service is unavailable, please retry",
                ))
            } else {
                None
            }
        }
        Some(Fault::Recorded(body) | Fault::RecordedIn { body, .. }) => {
            let content_type = match request.protocol {
                Protocol::Json => "application/x-amz-json-1.1",
                _ => "text/xml",
            };
            let mut response = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nx-amzn-RequestId: drguard-recorded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            )
            .into_bytes();
            response.extend(body.as_bytes());
            Some(response)
        }
    };
    if let Some(response) = injected {
        if let Ok(mut stats) = stats.lock() {
            stats.injected += 1;
        }
        client.write_all(&response).await?;
        return client.shutdown().await;
    }
    if let Ok(mut stats) = stats.lock() {
        stats.forwarded += 1;
    }
    let mut upstream = TcpStream::connect(upstream).await?;
    let head: String = request
        .head
        .lines()
        .filter(|l| !l.to_ascii_lowercase().starts_with("connection:") && !l.is_empty())
        .map(|l| format!("{l}\r\n"))
        .collect();
    upstream
        .write_all(format!("{head}Connection: close\r\n\r\n").as_bytes())
        .await?;
    upstream.write_all(&request.body).await?;
    let mut response = Vec::new();
    upstream.read_to_end(&mut response).await?;
    client.write_all(&response).await?;
    client.shutdown().await
}
