//! Injected faults (AccessDenied, throttling, 5xx, a hung endpoint, a malformed answer): gaps and the rules they turn into errors, never a pass.

use super::*;

#[test]
fn access_denied_on_one_operation_errors_only_its_rules() {
    let scenario = moto::scenario(&Design::default());
    let (_, clean) = audit(&scenario.endpoint, &live_config());
    let proxy = Proxy::start(
        &scenario.endpoint,
        vec![Rule {
            operation: "GetBucketReplication",
            fault: Fault::Deny,
        }],
    );
    let (code, report) = audit(&proxy.endpoint, &live_config());
    assert_eq!(code, 3, "{:#}", report["summary"]);
    let errors = with_status(&report, "error");
    assert_eq!(
        errors,
        BTreeSet::from([
            // The RPO budget's S3 store needs the replication data too.
            "DRG-BUD-002".into(),
            // The keys S3 encrypts replicas with come from the replication rules.
            "DRG-KMS-001".into(),
            "DRG-S3-001".into(),
            "DRG-S3-002".into(),
            "DRG-S3-003".into(),
            "DRG-S3-004".into()
        ])
    );
    let gaps = report["collection"]["errors"].as_array().unwrap();
    assert!(!gaps.is_empty());
    for gap in gaps {
        assert_eq!(gap["service"], "s3");
        assert_eq!(gap["resource"], "replication");
        assert_eq!(gap["operation"], "GetBucketReplication");
        assert_eq!(gap["error_code"], "AccessDenied");
        // The cause and its fix: the IAM action to grant, from the policy.
        let message = gap["message"].as_str().unwrap();
        assert!(
            message.starts_with(
                "access denied: grant the IAM action `s3:GetReplicationConfiguration`"
            ),
            "{message}"
        );
        assert!(message.contains("docs/iam-policy.json"), "{message}");
    }
    let s3_001 = messages_of(&report, &BTreeSet::from(["DRG-S3-001".to_string()]));
    assert!(
        s3_001.iter().all(|m| m.contains("failed with AccessDenied: access denied: grant the IAM action `s3:GetReplicationConfiguration`")),
        "{s3_001:?}"
    );
    let mut clean_verdicts = verdicts(&clean);
    let mut faulty = verdicts(&report);
    for id in &errors {
        clean_verdicts.remove(id);
        faulty.remove(id);
    }
    assert_eq!(faulty, clean_verdicts, "every other verdict is unchanged");
}

#[test]
fn throttling_and_server_errors_are_retried_to_the_same_verdicts() {
    let scenario = moto::scenario(&Design::default());
    let counter = Proxy::start(&scenario.endpoint, Vec::new());
    let (clean_code, clean) = audit(&counter.endpoint, &live_config());
    let clean_requests = counter.stats().requests.len() as u64;
    let proxy = Proxy::start(
        &scenario.endpoint,
        vec![Rule {
            operation: "*",
            fault: Fault::Flaky {
                throttle_pct: 30,
                error_pct: 10,
            },
        }],
    );
    let (code, report) = audit(&proxy.endpoint, &live_config());
    let stats = proxy.stats();
    assert!(
        stats.injected > 10,
        "the proxy injected only {} faults",
        stats.injected
    );
    assert_eq!(
        report["collection"]["complete"], true,
        "{:#}",
        report["collection"]["errors"]
    );
    assert_eq!(code, clean_code);
    assert_eq!(verdicts(&report), verdicts(&clean));
    // Every call of the clean run reached moto exactly once in the end; the
    // rest were retries of injected faults, about 40 % of all attempts.
    assert_eq!(stats.forwarded, clean_requests);
    let share = stats.injected * 100 / (stats.injected + stats.forwarded);
    assert!(
        (25..=55).contains(&share),
        "{share} % of attempts were faults, not about 40 %"
    );
}

#[test]
fn a_hung_endpoint_ends_in_a_timeout_gap() {
    let scenario = moto::scenario(&Design::default());
    let proxy = Proxy::start(
        &scenario.endpoint,
        vec![Rule {
            operation: "DescribeDBClusters",
            fault: Fault::Hang,
        }],
    );
    let dir = tempfile::tempdir().unwrap();
    let config = config_with(
        dir.path(),
        "[collect]\nmax_attempts = 2\nattempt_timeout = \"1s\"\noperation_timeout = \"3s\"\n",
    );
    let started = Instant::now();
    let (code, report) = audit(&proxy.endpoint, &config);
    assert!(started.elapsed().as_secs() < 60, "the audit hung");
    assert_eq!(code, 3);
    let gaps = report["collection"]["errors"].as_array().unwrap();
    assert!(
        gaps.iter()
            .any(|g| g["operation"] == "DescribeDBClusters" && g["error_code"] == "Timeout"),
        "{gaps:#?}"
    );
    assert!(with_status(&report, "error").contains("DRG-RDS-001"));
}

#[test]
fn a_malformed_answer_is_a_gap_not_an_empty_list() {
    let scenario = moto::scenario(&Design::default());
    let dir = tempfile::tempdir().unwrap();
    let config = full_config(dir.path());
    let proxy = aws(
        &scenario,
        vec![Rule {
            operation: "DescribeTargetGroups",
            fault: Fault::Recorded("<DescribeTargetGroupsResponse><oops".into()),
        }],
    );
    let (code, report) = audit(&proxy.endpoint, &config);
    assert_eq!(code, 3);
    let gaps = report["collection"]["errors"].as_array().unwrap();
    assert!(
        gaps.iter().all(|g| g["operation"] == "DescribeTargetGroups"
            && g["service"] == "elbv2"
            && g["resource"] == "target_groups"),
        "{gaps:#?}"
    );
    assert_eq!(gaps.len(), 2, "one per region: {gaps:#?}");
    for gap in gaps {
        assert_eq!(gap["error_code"], "MalformedResponse");
        let message = gap["message"].as_str().unwrap();
        assert!(
            message.starts_with("the answer could not be read: "),
            "{message}"
        );
        // The cause in words, not the SDK's error types.
        for artefact in ["Some(", " { ", "Unhandled(", "XmlDecodeError"] {
            assert!(!message.contains(artefact), "{artefact} in {message}");
        }
    }
    let errors = with_status(&report, "error");
    assert!(errors.contains("DRG-ASG-002"), "{errors:?}");
    assert!(!errors.contains("DRG-S3-001"));
}

#[test]
fn an_incomplete_snapshot_warns_even_when_quiet() {
    let scenario = moto::scenario(&Design::default());
    let proxy = Proxy::start(
        &scenario.endpoint,
        vec![Rule {
            operation: "GetBucketReplication",
            fault: Fault::Deny,
        }],
    );
    let dir = tempfile::tempdir().unwrap();
    let (mut command, out) =
        snapshot_command(&proxy.endpoint, dir.path(), &live_config(), &["--quiet"]);
    let output = command.output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    // Written and exit 0, so that the pipeline's audit step still runs and exits 3.
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("warning: wrote"), "{stderr}");
    assert!(
        stderr.contains("s3 GetBucketReplication: AccessDenied: access denied: grant the IAM action `s3:GetReplicationConfiguration`"),
        "{stderr}"
    );
    let snap: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert!(!snap["gaps"].as_array().unwrap().is_empty());
}
