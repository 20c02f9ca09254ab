//! KMS keys, replicated secrets and S3 encryption, read from moto in both
//! regions: the data of the key, secret and SSE-KMS replication rules. The
//! reference design first, then the three faults its variants seed (all in
//! one design, so moto is seeded once for them), then the SSE-KMS replication
//! rule moto cannot return, from a recorded answer.

use super::*;

/// The keys of a region of a snapshot.
fn keys<'a>(snap: &'a Value, region: &str) -> &'a Vec<Value> {
    snap["regions"][region]["kms_keys"].as_array().unwrap()
}

/// The key of a region that `alias/shop-data` points at.
fn app_key<'a>(snap: &'a Value, region: &str) -> &'a Value {
    let keys = keys(snap, region);
    let found: Vec<&Value> = keys
        .iter()
        .filter(|k| {
            k["aliases"]
                .as_array()
                .unwrap()
                .contains(&Value::from(seed::kms::ALIAS))
        })
        .collect();
    assert_eq!(found.len(), 1, "{region}: {keys:#?}");
    found[0]
}

fn secrets<'a>(snap: &'a Value, region: &str) -> &'a Vec<Value> {
    snap["regions"][region]["secrets"].as_array().unwrap()
}

fn bucket<'a>(snap: &'a Value, name: &str) -> &'a Value {
    snap["global"]["buckets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["name"] == name)
        .unwrap_or_else(|| panic!("no bucket {name}"))
}

/// The design with the three faults the key, secret and SSE-KMS rules look for.
fn faulty() -> Design {
    Design {
        dr_kms_key_disabled: true,
        secret_replicated: false,
        source_bucket_sse_kms: true,
        ..Design::default()
    }
}

/// Each region's app key, with its alias, state and manager (KMS:
/// `ListKeys`, `ListAliases`, `DescribeKey`).
#[test]
fn kms_keys_are_read_with_their_aliases_and_state() {
    let scenario = moto::scenario(&Design::default());
    let snap = snapshot(&scenario.endpoint, &live_config());
    assert_eq!(snap["gaps"], Value::Array(vec![]));
    for region in [seed::PRIMARY, seed::DR] {
        // moto lists only the keys made in it (AWS lists its managed keys
        // too), and none of its predefined `alias/aws/*` aliases targets one:
        // an alias without a listed key is on no key.
        assert_eq!(keys(&snap, region).len(), 1, "{region}");
        let key = app_key(&snap, region);
        assert_eq!(key["aliases"], serde_json::json!([seed::kms::ALIAS]));
        let arn = key["arn"].as_str().unwrap();
        assert!(
            arn.starts_with(&format!("arn:aws:kms:{region}:123456789012:key/")),
            "{key:#}"
        );
        assert!(arn.ends_with(key["id"].as_str().unwrap()), "{key:#}");
        assert_eq!(key["key_state"], "Enabled", "{key:#}");
        assert_eq!(key["enabled"], true);
        assert_eq!(key["key_manager"], "CUSTOMER");
        assert_eq!(key["description"], "shop data at rest");
        assert_eq!(key["multi_region_key_type"], Value::Null);
    }
    // One DescribeKey per key, in the key's region.
    let described: Vec<&str> = snap["collection"]["api_calls"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["operation"] == "DescribeKey")
        .map(|c| c["region"].as_str().unwrap())
        .collect();
    assert_eq!(described.len(), 2, "{described:?}");
}

/// The app's secret in the primary region with its in-sync replica, and the
/// replica in the DR region naming its primary region (Secrets Manager:
/// `ListSecrets`, `DescribeSecret` on the primary only, never a value).
#[test]
fn secrets_are_read_with_their_replicas() {
    let scenario = moto::scenario(&Design::default());
    let snap = snapshot(&scenario.endpoint, &live_config());
    assert_eq!(snap["gaps"], Value::Array(vec![]));
    let primary_key = app_key(&snap, seed::PRIMARY)["arn"].clone();

    let primary = secrets(&snap, seed::PRIMARY);
    assert_eq!(primary.len(), 1, "{primary:#?}");
    let secret = &primary[0];
    assert_eq!(secret["name"], seed::secretsmanager::NAME);
    assert!(
        secret["arn"].as_str().unwrap().starts_with(
            "arn:aws:secretsmanager:us-east-1:123456789012:secret:shop/db-credentials-"
        ),
        "{secret:#}"
    );
    assert_eq!(secret["primary_region"], Value::Null);
    assert_eq!(secret["kms_key_id"], primary_key);
    assert_eq!(secret["owning_service"], Value::Null);
    assert_eq!(secret["tags"], serde_json::json!({"App": "shop"}));
    let replication = secret["replication"].as_array().unwrap();
    assert_eq!(replication.len(), 1, "{secret:#}");
    assert_eq!(replication[0]["region"], seed::DR);
    assert_eq!(replication[0]["status"], "InSync");
    // The seed asks for the DR key; moto 5.2.5 ignores a replica's
    // `KmsKeyId` and reports the AWS managed key (docs/collect.md).
    assert_eq!(replication[0]["kms_key_id"], "alias/aws/secretsmanager");

    let dr = secrets(&snap, seed::DR);
    assert_eq!(dr.len(), 1, "{dr:#?}");
    let replica = &dr[0];
    assert_eq!(replica["name"], seed::secretsmanager::NAME);
    assert!(
        replica["arn"]
            .as_str()
            .unwrap()
            .starts_with("arn:aws:secretsmanager:us-west-2:"),
        "{replica:#}"
    );
    assert_eq!(replica["primary_region"], seed::PRIMARY);
    assert_eq!(replica["tags"], serde_json::json!({"App": "shop"}));
    assert_eq!(replica["replication"], Value::Array(vec![]));

    // The replica is described through its primary: one DescribeSecret, in
    // the primary region.
    let calls = snap["collection"]["api_calls"].as_array().unwrap();
    let described: Vec<&str> = calls
        .iter()
        .filter(|c| c["operation"] == "DescribeSecret")
        .map(|c| c["region"].as_str().unwrap())
        .collect();
    assert_eq!(described, vec![seed::PRIMARY]);
    assert!(
        calls
            .iter()
            .all(|c| !c["operation"].as_str().unwrap().contains("SecretValue")),
        "a secret value was read"
    );
}

/// Default encryption of the app's buckets, none on a bucket without any
/// (moto answers ServerSideEncryptionConfigurationNotFoundError: data, not a
/// gap), and no SSE-KMS replication on the reference rule.
#[test]
fn bucket_default_encryption_is_read() {
    let scenario = moto::scenario(&Design::default());
    let snap = snapshot(&scenario.endpoint, &live_config());
    assert_eq!(snap["gaps"], Value::Array(vec![]));
    for name in ["shop-assets-use1", "shop-assets-usw2"] {
        assert_eq!(
            bucket(&snap, name)["default_encryption"],
            serde_json::json!({
                "sse_algorithm": "AES256",
                "kms_master_key_id": null,
                "bucket_key_enabled": false
            }),
            "{name}"
        );
    }
    assert_eq!(
        bucket(&snap, "shop-ci-logs")["default_encryption"],
        Value::Null
    );
    let rule = &bucket(&snap, "shop-assets-use1")["replication"]["rules"][0];
    assert_eq!(rule["sse_kms_encrypted_objects"], Value::Null, "{rule:#}");
    assert_eq!(rule["replica_kms_key_id"], Value::Null, "{rule:#}");
}

/// The faults of the variants show in the data: the DR key disabled, no
/// replica of the secret, the source bucket on SSE-KMS with a rule that does
/// not replicate SSE-KMS objects. Then the rule that does, as AWS answers it
/// (moto drops `SourceSelectionCriteria`), served by the proxy.
#[test]
fn variants_show_a_disabled_key_an_unreplicated_secret_and_sse_kms() {
    let scenario = moto::scenario(&faulty());
    let snap = snapshot(&scenario.endpoint, &live_config());
    assert_eq!(snap["gaps"], Value::Array(vec![]));

    let primary_key = app_key(&snap, seed::PRIMARY);
    assert_eq!(primary_key["key_state"], "Enabled");
    let dr_key = app_key(&snap, seed::DR);
    assert_eq!(dr_key["key_state"], "Disabled", "{dr_key:#}");
    assert_eq!(dr_key["enabled"], false);

    let primary = secrets(&snap, seed::PRIMARY);
    assert_eq!(primary.len(), 1);
    assert_eq!(primary[0]["replication"], Value::Array(vec![]));
    assert_eq!(secrets(&snap, seed::DR), &Vec::<Value>::new());

    let source = bucket(&snap, "shop-assets-use1");
    assert_eq!(
        source["default_encryption"],
        serde_json::json!({
            "sse_algorithm": "aws:kms",
            "kms_master_key_id": primary_key["arn"],
            "bucket_key_enabled": true
        })
    );
    let rule = &source["replication"]["rules"][0];
    assert_eq!(rule["sse_kms_encrypted_objects"], Value::Null, "{rule:#}");
    assert_eq!(rule["replica_kms_key_id"], Value::Null, "{rule:#}");

    // The positive path from a recorded GetBucketReplication (served for
    // every bucket; the source bucket's is the one that matters).
    let dr_key_arn = dr_key["arn"].as_str().unwrap();
    let answer =
        recorded("s3-get-bucket-replication-sse-kms.xml").replace("{{DR_KEY_ARN}}", dr_key_arn);
    let proxy = Proxy::start(
        &scenario.endpoint,
        vec![Rule {
            operation: "GetBucketReplication",
            fault: Fault::Recorded(answer),
        }],
    );
    let snap = snapshot(&proxy.endpoint, &live_config());
    assert_eq!(snap["gaps"], Value::Array(vec![]));
    assert!(proxy.stats().injected >= 1);
    let source = bucket(&snap, "shop-assets-use1");
    let rule = &source["replication"]["rules"][0];
    assert_eq!(rule["sse_kms_encrypted_objects"], "Enabled", "{rule:#}");
    assert_eq!(rule["replica_kms_key_id"], dr_key_arn, "{rule:#}");
    assert_eq!(
        rule["destination_bucket_arn"],
        "arn:aws:s3:::shop-assets-usw2"
    );
    assert_eq!(rule["replication_time_enabled"], true);
    assert_eq!(rule["delete_marker_replication"], true);
    assert_eq!(source["default_encryption"]["sse_algorithm"], "aws:kms");
}
