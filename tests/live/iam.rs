//! Every call drguard makes is read-only and in the published IAM policy.

use super::*;

#[test]
fn every_call_is_read_only_and_in_the_published_policy() {
    let scenario = moto::scenario(&Design::default());
    let snap = snapshot(&scenario.endpoint, &live_config());
    let policy: Value = serde_json::from_str(
        &std::fs::read_to_string(common::root().join("docs/iam-policy.json")).unwrap(),
    )
    .unwrap();
    let allowed: BTreeSet<String> = policy["Statement"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["Action"].as_array().unwrap())
        .map(|a| a.as_str().unwrap().to_string())
        .collect();
    for action in &allowed {
        let verb = action.split(':').nth(1).unwrap();
        assert!(
            ["Describe", "List", "Get"]
                .iter()
                .any(|p| verb.starts_with(p)),
            "{action} in the policy is not read-only"
        );
    }
    let calls = snap["collection"]["api_calls"].as_array().unwrap();
    assert!(calls.len() > 20);
    let mut called = BTreeSet::new();
    for call in calls {
        let action = call["action"].as_str().unwrap();
        assert!(
            allowed.contains(action),
            "the code called {action}, which docs/iam-policy.json does not grant"
        );
        let operation = call["operation"].as_str().unwrap();
        assert!(
            ["Describe", "List", "Get"]
                .iter()
                .any(|p| operation.starts_with(p)),
            "{operation} is not a read-only operation"
        );
        called.insert(action.to_string());
    }
    // Every action the skipped collectors would need is in the policy too.
    for action in [
        "globalaccelerator:ListAccelerators",
        "elasticache:DescribeGlobalReplicationGroups",
        "servicequotas:GetServiceQuota",
    ] {
        assert!(allowed.contains(action));
    }
    // The IAM collector's calls were made, and granted.
    for action in ["iam:GetRole", "iam:GetInstanceProfile"] {
        assert!(called.contains(action), "{action} was not called");
    }
    eprintln!("actions called on the reference account: {called:?}");
}
