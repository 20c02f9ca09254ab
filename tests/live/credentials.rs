//! The standard credential chain: missing credentials, profiles, credential_process, an assumed role, web identity, per-service endpoints; secrets never printed.

use super::*;

#[test]
fn missing_credentials_are_one_clear_error_before_collection() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_drguard"));
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("AWS_") {
            command.env_remove(key);
        }
    }
    // Nothing listens on port 9: a call would fail, but none must be made.
    let output = command
        .args(["audit", "--config", CONFIG, "--quiet"])
        .current_dir(common::root())
        .env("HOME", &home)
        .env("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_CONFIG_FILE", home.join("none"))
        .env("AWS_SHARED_CREDENTIALS_FILE", home.join("none"))
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("no AWS credentials found"), "{stderr}");
    assert!(
        stderr.contains("drguard::collect::no_credentials"),
        "{stderr}"
    );
    assert!(output.stdout.is_empty());
}

#[test]
fn per_service_endpoint_variables_override_the_global_one() {
    let scenario = moto::scenario(&Design::default());
    let everything = Proxy::start(&scenario.endpoint, Vec::new());
    let elasticache = Proxy::start(&scenario.endpoint, Vec::new());
    let dir = tempfile::tempdir().unwrap();
    let (mut command, out) = snapshot_command(
        &everything.endpoint,
        dir.path(),
        &live_config(),
        &["--quiet"],
    );
    let output = command
        .env("AWS_ENDPOINT_URL_ELASTICACHE", &elasticache.endpoint)
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let cache_ops: BTreeSet<String> = elasticache.stats().operations.into_iter().collect();
    assert_eq!(
        cache_ops,
        BTreeSet::from([
            "DescribeCacheClusters".to_string(),
            "DescribeReplicationGroups".to_string(),
            "ListTagsForResource".to_string(),
        ])
    );
    let elsewhere = everything.stats().operations;
    assert!(!elsewhere.is_empty());
    assert!(
        elsewhere.iter().all(|op| !cache_ops.contains(op)),
        "{elsewhere:?}"
    );
    let snap: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert!(
        !snap["regions"]["us-west-2"]["cache_replication_groups"]
            .as_array()
            .unwrap()
            .is_empty()
    );
}

/// A `from-process` profile whose `credential_process` prints keys and
/// leaves `ran` in `dir`, so a test can tell whether the profile was used.
fn process_profile(dir: &Path) -> PathBuf {
    let aws = dir.join("home/.aws");
    std::fs::create_dir_all(&aws).unwrap();
    // The process prints the credentials document, as `aws configure export-credentials` does.
    let script = aws.join("credentials.sh");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\ntouch '{}'\ncat <<'EOF'\n{{\"Version\": 1, \"AccessKeyId\": \"AKIDPROCESS\", \"SecretAccessKey\": \"{SECRET}\"}}\nEOF\n",
            dir.join("ran").display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    std::fs::write(
        aws.join("config"),
        format!(
            "[profile from-process]\ncredential_process = {}\nregion = us-east-1\n",
            script.display()
        ),
    )
    .unwrap();
    aws.join("config")
}

/// Runs `snapshot` with the shared config file `config` (and no credentials
/// file) and the environment `env`, where `None` unsets a variable.
fn snapshot_with_profiles(
    endpoint: &str,
    dir: &Path,
    config: &Path,
    args: &[&str],
    env: &[(&str, Option<&str>)],
) -> (Output, PathBuf) {
    let (mut command, out) = snapshot_command(endpoint, dir, &live_config(), args);
    for (name, value) in env {
        match value {
            Some(value) => command.env(name, value),
            None => command.env_remove(name),
        };
    }
    let output = command
        .env("AWS_CONFIG_FILE", config)
        .env("AWS_SHARED_CREDENTIALS_FILE", dir.join("none"))
        .output()
        .unwrap();
    (output, out)
}

#[test]
fn a_credential_process_profile_supplies_the_credentials() {
    let scenario = moto::scenario(&Design::default());
    let dir = tempfile::tempdir().unwrap();
    let config = process_profile(dir.path());
    let (output, out) = snapshot_with_profiles(
        &scenario.endpoint,
        dir.path(),
        &config,
        &["--profile", "from-process"],
        &[("AWS_ACCESS_KEY_ID", None), ("AWS_SECRET_ACCESS_KEY", None)],
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(dir.path().join("ran").exists());
    assert!(!stderr.contains(SECRET), "{stderr}");
    let snap = std::fs::read_to_string(&out).unwrap();
    assert!(!snap.contains(SECRET));
    let snap: Value = serde_json::from_str(&snap).unwrap();
    assert_eq!(snap["gaps"], serde_json::json!([]), "{:#}", snap["gaps"]);
}

/// The default chain puts environment keys before profiles; an explicit
/// `--profile` must not be overridden by keys left in the shell.
#[test]
fn an_explicit_profile_wins_over_environment_keys() {
    let scenario = moto::scenario(&Design::default());
    let dir = tempfile::tempdir().unwrap();
    let config = process_profile(dir.path());
    let shell = [
        ("AWS_ACCESS_KEY_ID", Some("AKIDFROMTHESHELL")),
        ("AWS_SECRET_ACCESS_KEY", Some("shell-secret")),
    ];
    let (output, _) = snapshot_with_profiles(
        &scenario.endpoint,
        dir.path(),
        &config,
        &["--profile", "from-process"],
        &shell,
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(
        dir.path().join("ran").exists(),
        "the profile's credential_process never ran: the environment keys were used"
    );
    // Without --profile the environment keys come first, as the chain says.
    std::fs::remove_file(dir.path().join("ran")).unwrap();
    let (output, _) = snapshot_with_profiles(
        &scenario.endpoint,
        dir.path(),
        &config,
        &["--quiet"],
        &[shell[0], shell[1], ("AWS_PROFILE", Some("from-process"))],
    );
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(!dir.path().join("ran").exists());
}

#[test]
fn credentials_never_reach_the_output() {
    let scenario = moto::scenario(&Design::default());
    let dir = tempfile::tempdir().unwrap();
    let (mut command, out) =
        snapshot_command(&scenario.endpoint, dir.path(), Path::new(CONFIG), &["-vv"]);
    let output = command.output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    let everything = format!(
        "{}{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
        std::fs::read_to_string(&out).unwrap()
    );
    assert!(
        !everything.contains(SECRET),
        "the secret access key was printed"
    );
    assert!(String::from_utf8_lossy(&output.stderr).contains("drguard::api"));
}

#[test]
fn a_role_can_be_assumed_for_the_run() {
    let scenario = moto::scenario(&Design::default());
    let dir = tempfile::tempdir().unwrap();
    let (mut command, out) = snapshot_command(
        &scenario.endpoint,
        dir.path(),
        Path::new(CONFIG),
        &[
            "--quiet",
            "--role-arn",
            "arn:aws:iam::123456789012:role/drguard-audit",
            "--external-id",
            "drguard-test",
        ],
    );
    let output = command.output().unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let snap: Value = serde_json::from_str(&std::fs::read_to_string(out).unwrap()).unwrap();
    assert_eq!(snap["account_id"], "123456789012");
    assert!(
        !snap["regions"]["us-west-2"]["auto_scaling_groups"]
            .as_array()
            .unwrap()
            .is_empty()
    );
}

/// The chain's web identity provider (EKS service accounts, GitHub Actions
/// OIDC): a token file and a role in the environment, no keys at all. The
/// provider's own STS call goes to the endpoint too, and it is counted there.
#[test]
fn a_web_identity_token_supplies_the_credentials() {
    let scenario = moto::scenario(&Design::default());
    let proxy = Proxy::start(&scenario.endpoint, Vec::new());
    let dir = tempfile::tempdir().unwrap();
    let token = dir.path().join("token");
    std::fs::write(&token, "eyJhbGciOiJSUzI1NiJ9.e30.c2lnbmF0dXJl").unwrap();
    let (mut command, out) =
        snapshot_command(&proxy.endpoint, dir.path(), &live_config(), &["--quiet"]);
    let output = command
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .env("AWS_CONFIG_FILE", dir.path().join("none"))
        .env("AWS_SHARED_CREDENTIALS_FILE", dir.path().join("none"))
        .env("AWS_WEB_IDENTITY_TOKEN_FILE", &token)
        .env("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/drguard-ci")
        .env("AWS_ROLE_SESSION_NAME", "drguard-test")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    let operations = proxy.stats().operations;
    assert!(
        operations.iter().any(|o| o == "AssumeRoleWithWebIdentity"),
        "{operations:?}"
    );
    let snap: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(snap["account_id"], "123456789012");
    assert_eq!(snap["gaps"], serde_json::json!([]), "{:#}", snap["gaps"]);
}

/// `drguard config check --live` names the account, where the credentials
/// come from and whether each region answers, with a few calls only (STS and
/// EventBridge); a region that does not answer is said, and exit 0 still
/// means the config loads.
#[test]
fn config_check_live_names_the_account_the_credentials_and_the_regions() {
    let scenario = moto::scenario(&Design::default());
    let proxy = Proxy::start(&scenario.endpoint, Vec::new());
    let dir = tempfile::tempdir().unwrap();
    let output = drguard_live(
        &proxy.endpoint,
        dir.path(),
        &[
            "config",
            "check",
            "--config",
            live_config().to_str().unwrap(),
            "--live",
            "--quiet",
        ],
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        stdout.contains("[live]     account 123456789012"),
        "{stdout}"
    );
    assert!(
        stdout.contains("credentials: environment variables (AWS_ACCESS_KEY_ID)"),
        "{stdout}"
    );
    assert!(stdout.contains("us-east-1: reachable"), "{stdout}");
    assert!(stdout.contains("us-west-2: reachable"), "{stdout}");
    let operations: BTreeSet<String> = proxy.stats().operations.into_iter().collect();
    assert!(!operations.is_empty());
    assert!(
        operations.iter().all(|op| op.contains("GetCallerIdentity")
            || op.contains("EventBus")
            || op.contains("Rule")),
        "config check --live reads only STS and EventBridge: {operations:?}"
    );
}
