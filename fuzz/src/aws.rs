//! Driver of the `aws_response` target: a whole live collection in which
//! every data call gets the fuzzed answer, through the real AWS SDK clients,
//! their deserialisers and drguard's normalisation (`src/collect/replay.rs`).
//!
//! Input: byte 0 picks the HTTP status, byte 1 the protocol headers, the rest
//! is the body. Shared with `tests/fuzz_regressions.rs` like `drivers.rs`.
//!
//! It panics when drguard breaks a promise: a panic anywhere in collection
//! (the SDK's parsers included), a collection that does not finish, a data
//! source whose calls all failed without a gap, or a snapshot it cannot save
//! and read back.

use std::path::Path;
use std::sync::OnceLock;

use drguard::collect::{CannedAnswer, collect_with_canned_answer};
use drguard::config::{self, Config};
use drguard::snapshot;
use drguard::source::{SourceFile, render_plain};

/// One attempt per call (a 5xx is not retried with backoff), Route 53 not
/// paced, short timeouts: one input is one quick collection.
const CONFIG: &str = r#"
[app]
domain = "shop.example.com"
primary_region = "us-east-1"
dr_region = "us-west-2"

[collect]
max_attempts = 1
route53_requests_per_second = 100
attempt_timeout = "5s"
operation_timeout = "5s"
"#;

/// Statuses an endpoint may answer with; the SDK treats each class differently.
const STATUSES: [u16; 10] = [200, 200, 200, 200, 301, 400, 403, 404, 429, 500];

/// Headers that select how the SDK reads an answer (error type, protocol).
fn headers(selector: u8) -> Vec<(String, String)> {
    let pairs: &[(&str, &str)] = match selector % 6 {
        0 => &[],
        1 => &[("content-type", "text/xml")],
        2 => &[("content-type", "application/x-amz-json-1.1")],
        3 => &[
            ("content-type", "application/cbor"),
            ("smithy-protocol", "rpc-v2-cbor"),
        ],
        4 => &[("x-amzn-errortype", "ThrottlingException")],
        _ => &[("x-amz-bucket-region", "us-west-2")],
    };
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn config() -> &'static Config {
    static CONFIG_VALUE: OnceLock<Config> = OnceLock::new();
    CONFIG_VALUE.get_or_init(|| {
        config::parse(SourceFile::new("aws_response.toml", CONFIG), Path::new("."))
            .unwrap_or_else(|e| panic!("fuzz config: {}", render_plain(&e)))
    })
}

/// Runs one collection with `data` as every data call's answer.
pub fn aws_response(data: &[u8]) {
    let (status, selector, body) = match data {
        [status, selector, body @ ..] => (*status, *selector, body),
        _ => return,
    };
    let answer = CannedAnswer {
        status: STATUSES[usize::from(status) % STATUSES.len()],
        headers: headers(selector),
        body: body.into(),
    };
    let snap = collect_with_canned_answer(config(), answer)
        .unwrap_or_else(|e| panic!("collection did not start: {}", render_plain(&e)));
    // Fail closed: when every data call is refused, every data source that
    // always calls (the others only ask about what was found) has a gap.
    if STATUSES[usize::from(status) % STATUSES.len()] >= 400 {
        for source in drguard::collect::data_sources() {
            if [
                "ec2.launch_templates",
                "ec2.instance_types",
                "ec2.network",
                "cloudwatch.metrics",
                "iam",
            ]
            .contains(&source)
            {
                continue;
            }
            let (service, resource) = match source.split_once('.') {
                Some((service, resource)) => (service, Some(resource)),
                None => (source, None),
            };
            let has_gap = snap.gaps.iter().any(|g| {
                g.service == service && (resource.is_none() || g.resource.as_deref() == resource)
            });
            assert!(
                has_gap,
                "{source}: every call failed, yet no gap: {:#?}",
                snap.gaps
            );
        }
    }
    let text = serde_json::to_string_pretty(&snap).expect("a snapshot serialises");
    if let Err(e) = snapshot::parse(&SourceFile::new("collected.json", &text)) {
        panic!(
            "the collected snapshot does not read back: {}",
            render_plain(&e)
        );
    }
}
