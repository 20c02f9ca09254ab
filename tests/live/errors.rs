//! Errors that name the cause (issue 15, item 3), each against a real
//! condition: a closed port, a host that cannot resolve, a plain-HTTP server
//! spoken to over TLS, endpoint URLs without a scheme, a profile in neither
//! file, no credentials, a region AWS does not have,
//! and a local HTTP server answering `GetCallerIdentity` with STS's own
//! AccessDenied and ExpiredToken errors. No mock of AWS: the real binary runs
//! with `AWS_ENDPOINT_URL` pointing at these.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

use super::*;

/// What a Rust `Debug` dump leaves in a message; none may reach the user.
const DEBUG_ARTEFACTS: &[&str] = &[
    "DispatchFailure(",
    "ConnectorError {",
    "Some(",
    "Os {",
    "kind: ",
    "source: ",
    "hyper_util::",
    "CredentialsNotLoaded(",
];

fn assert_no_debug(text: &str) {
    for artefact in DEBUG_ARTEFACTS {
        assert!(!text.contains(artefact), "`{artefact}` in:\n{text}");
    }
}

/// `drguard audit` of the live config against `endpoint`, with test keys.
fn audit_against(endpoint: &str, dir: &Path) -> Output {
    drguard_live(
        endpoint,
        dir,
        &["audit", "--config", CONFIG, "--quiet", "--format", "json"],
    )
}

/// Exit 2, nothing on stdout, the diagnostic `code` on stderr, no Debug
/// dump; returns stderr.
fn stopped_with(output: &Output, code: &str) -> String {
    let stderr = String::from_utf8_lossy(&output.stderr).to_string();
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(output.stdout.is_empty(), "a report was written");
    assert!(says(&stderr, code), "not {code}:\n{stderr}");
    assert!(stderr.contains("help:"), "no help line:\n{stderr}");
    assert_no_debug(&stderr);
    stderr
}

/// True when `text` says `needle`, however miette wrapped it (it breaks
/// lines at spaces, hyphens and slashes, and draws a frame).
fn says(text: &str, needle: &str) -> bool {
    let squash = |s: &str| -> String {
        s.chars()
            .filter(|c| !c.is_whitespace() && !matches!(c, '│' | '×'))
            .collect()
    };
    squash(text).contains(&squash(needle))
}

/// A port on 127.0.0.1 that nothing listens on: bound, then released.
fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

#[test]
fn a_closed_port_is_connection_refused_naming_host_and_port() {
    let dir = tempfile::tempdir().unwrap();
    let port = closed_port();
    let output = audit_against(&format!("http://127.0.0.1:{port}"), dir.path());
    let stderr = stopped_with(&output, "drguard::collect::endpoint_unreachable");
    assert!(
        says(
            &stderr,
            &format!("AWS endpoint unreachable: connection refused by 127.0.0.1:{port}")
        ),
        "{stderr}"
    );
    assert!(
        says(&stderr, "STS GetCallerIdentity in us-east-1"),
        "{stderr}"
    );
    assert!(says(&stderr, "unset AWS_ENDPOINT_URL"), "{stderr}");
    assert!(
        !stderr.contains("credentials"),
        "blames credentials:\n{stderr}"
    );
}

#[test]
fn an_unresolvable_host_is_a_dns_failure_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let output = audit_against("http://nosuch.invalid:4566", dir.path());
    let stderr = stopped_with(&output, "drguard::collect::endpoint_unreachable");
    assert!(
        says(&stderr, "DNS resolution failed for nosuch.invalid:4566"),
        "{stderr}"
    );
    assert!(
        says(&stderr, "correct the host name in AWS_ENDPOINT_URL"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("credentials"),
        "blames credentials:\n{stderr}"
    );
}

#[test]
fn an_endpoint_variable_without_a_scheme_is_named_before_any_call() {
    let dir = tempfile::tempdir().unwrap();
    let output = audit_against("localhost:4566", dir.path());
    let stderr = stopped_with(&output, "drguard::collect::endpoint_invalid");
    assert!(
        says(
            &stderr,
            "AWS_ENDPOINT_URL is not an endpoint URL: `localhost:4566`"
        ),
        "{stderr}"
    );
    assert!(says(&stderr, "http://localhost:4566"), "{stderr}");
}

#[test]
fn an_endpoint_url_in_the_profile_without_a_scheme_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("aws-config");
    std::fs::write(&config, "[default]\nendpoint_url = localhost\n").unwrap();
    let mut command = live_command(
        "unused",
        dir.path(),
        &["audit", "--config", CONFIG, "--quiet"],
    );
    let output = command
        .env_remove("AWS_ENDPOINT_URL")
        .env("AWS_CONFIG_FILE", &config)
        .output()
        .unwrap();
    let stderr = stopped_with(&output, "drguard::collect::endpoint_invalid");
    assert!(
        says(
            &stderr,
            "failed to apply endpoint `localhost`: endpoint must contain scheme"
        ),
        "{stderr}"
    );
    assert!(
        says(&stderr, "`endpoint_url` in the AWS config file"),
        "{stderr}"
    );
}

/// A port that accepts the connection (the kernel's backlog) but never
/// answers: the timeouts end it, and the help names them.
#[test]
fn an_endpoint_that_never_answers_names_the_timeouts() {
    let dir = tempfile::tempdir().unwrap();
    let silent = TcpListener::bind("127.0.0.1:0").unwrap();
    let endpoint = format!("http://{}", silent.local_addr().unwrap());
    let config = config_with(
        dir.path(),
        "[collect]\nmax_attempts = 1\nattempt_timeout = \"1s\"\noperation_timeout = \"2s\"\n",
    );
    let output = drguard_live(
        &endpoint,
        dir.path(),
        &["audit", "--config", config.to_str().unwrap(), "--quiet"],
    );
    let stderr = stopped_with(&output, "drguard::collect::endpoint_unreachable");
    let authority = endpoint.trim_start_matches("http://");
    assert!(
        says(
            &stderr,
            &format!("no answer from {authority} within the timeout")
        ),
        "{stderr}"
    );
    assert!(says(&stderr, "attempt_timeout 1 s"), "{stderr}");
    drop(silent);
}

#[test]
fn tls_to_a_plain_http_server_is_a_tls_failure() {
    let server = Answering::start("403 Forbidden", sts_error("AccessDenied", "denied"));
    let dir = tempfile::tempdir().unwrap();
    let https = server.endpoint.replace("http://", "https://");
    let output = audit_against(&https, dir.path());
    let stderr = stopped_with(&output, "drguard::collect::endpoint_unreachable");
    let authority = https.trim_start_matches("https://");
    assert!(
        says(&stderr, &format!("TLS handshake with {authority} failed")),
        "{stderr}"
    );
    assert!(says(&stderr, "use http://"), "{stderr}");
}

#[test]
fn an_unknown_profile_names_the_files_it_was_looked_for_in() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("aws-config");
    let credentials = dir.path().join("aws-credentials");
    std::fs::write(&config, "[profile prod]\nregion = us-east-1\n").unwrap();
    std::fs::write(
        &credentials,
        "[staging]\naws_access_key_id = AKIDSTAGING\naws_secret_access_key = not-printed-7f3a\n",
    )
    .unwrap();
    let run = |args: &[&str], profile_env: Option<&str>| {
        let mut args = args.to_vec();
        args.extend(["--config", CONFIG, "--quiet"]);
        let mut command = live_command("http://127.0.0.1:9", dir.path(), &args);
        command
            .env_remove("AWS_ACCESS_KEY_ID")
            .env_remove("AWS_SECRET_ACCESS_KEY")
            .env("AWS_CONFIG_FILE", &config)
            .env("AWS_SHARED_CREDENTIALS_FILE", &credentials);
        if let Some(profile) = profile_env {
            command.env("AWS_PROFILE", profile);
        }
        command.output().unwrap()
    };
    // `--profile`: checked before the chain runs.
    let output = run(&["audit", "--profile", "nosuch"], None);
    let stderr = stopped_with(&output, "drguard::collect::profile_not_found");
    assert!(
        says(&stderr, "AWS profile `nosuch` (from --profile) not found"),
        "{stderr}"
    );
    for file in [&config, &credentials] {
        let name = file.file_name().unwrap().to_str().unwrap();
        assert!(says(&stderr, name), "{name} not named:\n{stderr}");
    }
    assert!(says(&stderr, "AWS_CONFIG_FILE"), "{stderr}");
    assert!(says(&stderr, "they define: prod, staging"), "{stderr}");
    assert!(!stderr.contains("not-printed-7f3a"));
    // AWS_PROFILE: found out when the chain finds nothing, with a suggestion.
    let output = run(&["snapshot", "--output", "unused.json"], Some("stagign"));
    let stderr = stopped_with(&output, "drguard::collect::profile_not_found");
    assert!(
        says(
            &stderr,
            "AWS profile `stagign` (from AWS_PROFILE) not found"
        ),
        "{stderr}"
    );
    assert!(says(&stderr, "did you mean `staging`?"), "{stderr}");
    assert!(
        !stderr.to_ascii_lowercase().contains("metadata"),
        "{stderr}"
    );
}

#[test]
fn a_failing_credential_process_and_a_missing_sso_sign_in_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("aws-config");
    std::fs::write(
        &config,
        "[profile failing]\ncredential_process = /bin/false\n\n\
         [profile sso]\nsso_start_url = https://example.awsapps.com/start\n\
         sso_region = us-east-1\nsso_account_id = 123456789012\nsso_role_name = ReadOnly\n",
    )
    .unwrap();
    let run = |profile: &str| {
        let mut command = live_command(
            "http://127.0.0.1:9",
            dir.path(),
            &["audit", "--config", CONFIG, "--quiet", "--profile", profile],
        );
        command
            .env_remove("AWS_ACCESS_KEY_ID")
            .env_remove("AWS_SECRET_ACCESS_KEY")
            .env("AWS_CONFIG_FILE", &config)
            .output()
            .unwrap()
    };
    let stderr = stopped_with(&run("failing"), "drguard::collect::credentials");
    assert!(says(&stderr, "external process exited"), "{stderr}");
    assert!(
        says(
            &stderr,
            "the `credential_process` command of profile `failing` failed"
        ),
        "{stderr}"
    );
    // No token in ~/.aws/sso/cache: a sign-in to do, not a network failure.
    let stderr = stopped_with(&run("sso"), "drguard::collect::credentials");
    assert!(
        says(
            &stderr,
            "no IAM Identity Center (SSO) sign-in for profile `sso`"
        ),
        "{stderr}"
    );
    assert!(says(&stderr, "aws sso login --profile sso"), "{stderr}");
    assert!(!says(&stderr, "unreachable"), "{stderr}");
}

#[test]
fn no_credentials_at_all_says_what_the_chain_tried() {
    let dir = tempfile::tempdir().unwrap();
    let mut command = live_command(
        "http://127.0.0.1:9",
        dir.path(),
        &["audit", "--config", CONFIG, "--quiet"],
    );
    let output = command
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .env("AWS_CONFIG_FILE", dir.path().join("none-config"))
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            dir.path().join("none-credentials"),
        )
        .output()
        .unwrap();
    let stderr = stopped_with(&output, "drguard::collect::no_credentials");
    for tried in [
        "no AWS credentials found",
        "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set",
        "profile `default` (not defined)",
        "none-config (AWS_CONFIG_FILE, missing)",
        "none-credentials (AWS_SHARED_CREDENTIALS_FILE, missing)",
        "AWS_WEB_IDENTITY_TOKEN_FILE is not set",
        "turned off by AWS_EC2_METADATA_DISABLED",
    ] {
        assert!(says(&stderr, tried), "`{tried}` missing:\n{stderr}");
    }
}

/// With `--profile`, the profile alone is asked: a profile without
/// credentials is named as such, not hidden behind environment keys.
#[test]
fn an_explicit_profile_without_credentials_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config");
    std::fs::write(&config, "[profile empty]\nregion = us-east-1\n").unwrap();
    let mut command = live_command(
        "http://127.0.0.1:9",
        dir.path(),
        &["audit", "--config", CONFIG, "--quiet", "--profile", "empty"],
    );
    let output = command
        .env("AWS_ACCESS_KEY_ID", "AKIDFROMTHESHELL")
        .env("AWS_SECRET_ACCESS_KEY", "shell-secret")
        .env("AWS_CONFIG_FILE", &config)
        .env("AWS_SHARED_CREDENTIALS_FILE", dir.path().join("none"))
        .output()
        .unwrap();
    let stderr = stopped_with(&output, "drguard::collect::no_credentials");
    for said in [
        "profile `empty` (from --profile) holds no credentials",
        "environment keys are not used",
        "drop --profile to use the standard chain",
    ] {
        assert!(says(&stderr, said), "`{said}` missing:\n{stderr}");
    }
    assert!(!stderr.contains("shell-secret"), "{stderr}");
}

#[test]
fn a_region_aws_does_not_have_is_named_with_a_suggestion() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(live_config()).unwrap();
    let config = dir.path().join("drguard.toml");
    std::fs::write(
        &config,
        text.replace(
            "primary_region = \"us-east-1\"",
            "primary_region = \"us-esat-1\"",
        ),
    )
    .unwrap();
    let mut command = live_command(
        "unused",
        dir.path(),
        &["audit", "--config", config.to_str().unwrap(), "--quiet"],
    );
    // AWS's own endpoints: sts.us-esat-1.amazonaws.com does not exist.
    let output = command.env_remove("AWS_ENDPOINT_URL").output().unwrap();
    let stderr = stopped_with(&output, "drguard::collect::region_unknown");
    assert!(says(&stderr, "unknown AWS region `us-esat-1`"), "{stderr}");
    assert!(says(&stderr, "did you mean `us-east-1`?"), "{stderr}");
}

/// STS's error document (the awsQuery protocol's XML).
fn sts_error(code: &str, message: &str) -> String {
    format!(
        "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error>\
         <Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error>\
         <RequestId>4c1e2f0a-drguard-test</RequestId></ErrorResponse>"
    )
}

#[test]
fn sts_access_denied_on_get_caller_identity_is_named() {
    let server = Answering::start(
        "403 Forbidden",
        sts_error(
            "AccessDenied",
            "User: arn:aws:iam::123456789012:user/ci is not authorized to perform: \
             sts:GetCallerIdentity with an explicit deny in a VPC endpoint policy",
        ),
    );
    let dir = tempfile::tempdir().unwrap();
    let output = audit_against(&server.endpoint, dir.path());
    let stderr = stopped_with(&output, "drguard::collect::access_denied");
    assert!(
        says(
            &stderr,
            "access denied: STS GetCallerIdentity answered AccessDenied: User: arn:aws:iam::123456789012:user/ci is not authorized"
        ),
        "{stderr}"
    );
    assert!(says(&stderr, "VPC endpoint policy"), "{stderr}");
    assert!(says(&stderr, "docs/iam-policy.json"), "{stderr}");
    assert!(!stderr.contains(SECRET));
    let requests = server.requests();
    assert_eq!(requests.len(), 1, "{requests:?}");
    assert!(
        requests[0].contains("Action=GetCallerIdentity"),
        "{}",
        requests[0]
    );
}

#[test]
fn an_expired_token_says_the_credentials_expired() {
    let server = Answering::start(
        "403 Forbidden",
        sts_error(
            "ExpiredToken",
            "The security token included in the request is expired",
        ),
    );
    let dir = tempfile::tempdir().unwrap();
    let output = audit_against(&server.endpoint, dir.path());
    let stderr = stopped_with(&output, "drguard::collect::credentials_expired");
    assert!(
        says(
            &stderr,
            "AWS credentials expired: STS GetCallerIdentity answered ExpiredToken: The security token included in the request is expired"
        ),
        "{stderr}"
    );
    assert!(says(&stderr, "aws sso login"), "{stderr}");
    assert!(!server.requests().is_empty());
}

#[test]
fn an_unknown_access_key_says_the_credentials_were_rejected() {
    let server = Answering::start(
        "403 Forbidden",
        sts_error(
            "InvalidClientTokenId",
            "The security token included in the request is invalid.",
        ),
    );
    let dir = tempfile::tempdir().unwrap();
    let output = audit_against(&server.endpoint, dir.path());
    let stderr = stopped_with(&output, "drguard::collect::credentials_rejected");
    assert!(
        says(
            &stderr,
            "AWS rejected the credentials: STS GetCallerIdentity answered InvalidClientTokenId"
        ),
        "{stderr}"
    );
    assert!(says(&stderr, "AWS_SECRET_ACCESS_KEY"), "{stderr}");
    assert!(!stderr.contains(SECRET));
}

/// `--role-arn`: the role is assumed by the SDK's provider, whose own STS
/// error is found in the credential error's source chain.
#[test]
fn a_refused_assume_role_names_the_role() {
    let server = Answering::start(
        "403 Forbidden",
        sts_error(
            "AccessDenied",
            "User: arn:aws:iam::123456789012:user/ci is not authorized to perform: sts:AssumeRole",
        ),
    );
    let dir = tempfile::tempdir().unwrap();
    let role = "arn:aws:iam::123456789012:role/drguard-audit";
    let output = drguard_live(
        &server.endpoint,
        dir.path(),
        &["audit", "--config", CONFIG, "--quiet", "--role-arn", role],
    );
    let stderr = stopped_with(&output, "drguard::collect::access_denied");
    assert!(
        says(
            &stderr,
            &format!(
                "access denied: not allowed to assume {role}: STS AssumeRole answered AccessDenied"
            )
        ),
        "{stderr}"
    );
    assert!(says(&stderr, "trust policy"), "{stderr}");
    let requests = server.requests();
    assert!(
        requests.iter().all(|r| r.contains("Action=AssumeRole")),
        "{requests:?}"
    );
}

/// `--role-arn` against a closed port: the provider's AssumeRole names the
/// host and port too, after the SDK's default 3 attempts.
#[test]
fn a_closed_port_under_role_arn_names_host_and_port() {
    let dir = tempfile::tempdir().unwrap();
    let port = closed_port();
    let output = drguard_live(
        &format!("http://127.0.0.1:{port}"),
        dir.path(),
        &[
            "audit",
            "--config",
            CONFIG,
            "--quiet",
            "--role-arn",
            "arn:aws:iam::123456789012:role/drguard-audit",
        ],
    );
    let stderr = stopped_with(&output, "drguard::collect::endpoint_unreachable");
    assert!(
        says(
            &stderr,
            &format!(
                "connection refused by 127.0.0.1:{port}: nothing listens on that port (STS AssumeRole in us-east-1"
            )
        ),
        "{stderr}"
    );
}

/// A data call's endpoint that refuses connections is a gap naming the host
/// and port; the rules that need its data are errors with that cause.
#[test]
fn an_unreachable_service_endpoint_is_a_gap_naming_it() {
    let scenario = moto::scenario(&Design::default());
    let dir = tempfile::tempdir().unwrap();
    let config = config_with(dir.path(), "[collect]\nmax_attempts = 1\n");
    let port = closed_port();
    let mut command = live_command(
        &scenario.endpoint,
        dir.path(),
        &[
            "audit",
            "--config",
            config.to_str().unwrap(),
            "--quiet",
            "--format",
            "json",
        ],
    );
    let output = command
        .env(
            "AWS_ENDPOINT_URL_ELASTICACHE",
            format!("http://127.0.0.1:{port}"),
        )
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let gaps = report["collection"]["errors"].as_array().unwrap();
    assert!(!gaps.is_empty());
    let expected = format!(
        "endpoint unreachable: connection refused by 127.0.0.1:{port}: nothing listens on that port"
    );
    for gap in gaps {
        assert_eq!(gap["service"], "elasticache", "{gap:#}");
        assert_eq!(gap["error_code"], "ConnectionRefused", "{gap:#}");
        assert_eq!(gap["message"], expected.as_str(), "{gap:#}");
    }
    let errors: Vec<&Value> = report["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["status"] == "error")
        .collect();
    assert!(!errors.is_empty());
    for result in errors {
        let message = result["message"].as_str().unwrap();
        assert!(message.contains(&expected), "{message}");
        assert_no_debug(message);
    }
}

/// A local HTTP server that answers every request with one status and an
/// XML body, and remembers the requests.
struct Answering {
    endpoint: String,
    requests: Arc<Mutex<Vec<String>>>,
}

impl Answering {
    fn start(status: &'static str, body: String) -> Answering {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let endpoint = format!("http://{}", listener.local_addr().unwrap());
        let requests = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&requests);
        // The thread ends with the test binary; each connection is one
        // request (`Connection: close`).
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let request = read_request(&mut stream);
                seen.lock().unwrap().push(request);
                let response = format!(
                    "HTTP/1.1 {status}\r\nContent-Type: text/xml\r\nContent-Length: {}\r\n\
                     Connection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = stream.write_all(response.as_bytes());
            }
        });
        Answering { endpoint, requests }
    }

    fn requests(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }
}

/// Reads one request: the head, then `Content-Length` bytes of body. A TLS
/// ClientHello (first byte 0x16) is answered at once, in plain HTTP.
fn read_request(stream: &mut TcpStream) -> String {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let n = match stream.read(&mut chunk) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        buf.extend_from_slice(&chunk[..n]);
        if buf.first() == Some(&0x16) {
            break;
        }
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
            let length = head
                .lines()
                .find_map(|line| line.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse::<usize>().ok())
                .unwrap_or(0);
            if buf.len() >= end + 4 + length {
                break;
            }
        }
    }
    String::from_utf8_lossy(&buf).to_string()
}
