//! Long lists read to the last page, account-wide listings, and no request sent twice.

use super::*;

#[test]
fn long_lists_are_read_to_the_last_page() {
    let design = Design {
        extra_records: 320,
        extra_health_checks: 105,
        extra_groups: 105,
        extra_db_clusters: 105,
        extra_documents: 55,
        ..Design::default()
    };
    let scenario = moto::scenario(&design);
    let snap = snapshot(&scenario.endpoint, &live_config());
    assert_eq!(snap["gaps"], Value::Array(vec![]));
    let zone = &snap["global"]["hosted_zones"][0];
    let names: BTreeSet<&str> = zone["record_sets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert!(
        names.contains("host-0319.yourstore.com."),
        "last record set missing"
    );
    assert_eq!(
        snap["global"]["health_checks"].as_array().unwrap().len(),
        107
    );
    let west = &snap["regions"]["us-west-2"];
    let groups: BTreeSet<&str> = west["auto_scaling_groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["name"].as_str().unwrap())
        .collect();
    assert!(
        groups.contains("batch-104") && groups.len() == 106,
        "{}",
        groups.len()
    );
    let clusters = west["db_clusters"].as_array().unwrap();
    assert!(clusters.iter().any(|c| c["id"] == "reports-104"));
    assert_eq!(clusters.len(), 106);
    let documents = west["automation_documents"].as_array().unwrap();
    assert!(documents.iter().any(|d| d["name"] == "ops-054"));
    assert_eq!(documents.len(), 56);
    // Pages were read in several calls, each once.
    let calls = snap["collection"]["api_calls"].as_array().unwrap();
    let count = |op: &str| calls.iter().filter(|c| c["operation"] == op).count();
    for op in [
        "ListResourceRecordSets",
        "ListHealthChecks",
        "DescribeAutoScalingGroups",
        "DescribeDBClusters",
        "ListDocuments",
    ] {
        eprintln!("{op}: {} call(s)", count(op));
    }
    // One call per region at least, and more where moto paginated (it returns
    // every health check in one page, so ListHealthChecks is not asserted).
    assert!(count("ListResourceRecordSets") >= 2);
    assert!(count("DescribeAutoScalingGroups") >= 3);
    assert!(count("ListDocuments") >= 3);
}

/// Past a few templates per region, one account-wide `$Latest`/`$Default`
/// listing replaces the call per template; a numbered version it does not
/// hold still gets its own call.
#[test]
fn launch_templates_are_listed_account_wide_past_a_few() {
    let design = Design {
        extra_templated_groups: 6,
        ..Design::default()
    };
    let scenario = moto::scenario(&design);
    let snap = snapshot(&scenario.endpoint, &live_config());
    assert_eq!(snap["gaps"], Value::Array(vec![]));
    let templates = |region: &str| {
        snap["regions"][region]["launch_templates"]
            .as_array()
            .unwrap()
            .clone()
    };
    let west = templates("us-west-2");
    assert_eq!(west.len(), 7, "the shop's template and six batch templates");
    for i in 0..6 {
        let name = format!("batch-lt-{i:03}");
        let template = west.iter().find(|t| t["name"] == name.as_str()).unwrap();
        assert_eq!(template["latest_version"], 3, "{name}");
        assert_eq!(template["default_version"], 1, "{name}");
        let numbers: Vec<i64> = template["versions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["version_number"].as_i64().unwrap())
            .collect();
        // $Latest and $Default always; version 2 for the groups that launch it.
        let expected = if i % 3 == 2 {
            vec![1, 2, 3]
        } else {
            vec![1, 3]
        };
        assert_eq!(numbers, expected, "{name}");
    }
    let calls = snap["collection"]["api_calls"].as_array().unwrap();
    let listings = |region: &str| {
        calls
            .iter()
            .filter(|c| c["operation"] == "DescribeLaunchTemplateVersions" && c["region"] == region)
            .count()
    };
    // us-west-2: the account-wide listing plus batch-lt-002 and -005 (version 2).
    assert_eq!(listings("us-west-2"), 3);
    // us-east-1: one template, asked for on its own.
    assert_eq!(listings("us-east-1"), 1);
    assert_eq!(templates("us-east-1").len(), 1);
}

#[test]
fn no_request_is_sent_twice() {
    let scenario = moto::scenario(&Design::default());
    let proxy = Proxy::start(&scenario.endpoint, Vec::new());
    let snap = snapshot(&proxy.endpoint, &live_config());
    let stats = proxy.stats();
    let mut seen = BTreeSet::new();
    let duplicates: Vec<_> = stats
        .requests
        .iter()
        .filter(|request| !seen.insert((*request).clone()))
        .collect();
    assert!(duplicates.is_empty(), "sent more than once: {duplicates:?}");
    // Paginated, so that AWS answers with each bucket's region (no GetBucketLocation).
    let listings = |name: &str| stats.operations.iter().filter(|o| *o == name).count();
    assert_eq!(listings("ListBuckets"), 1);
    assert_eq!(listings("ListBucketsUnpaginated"), 0);
    // The call log counts the same calls the proxy saw (STS included).
    let logged = snap["collection"]["api_calls"].as_array().unwrap().len();
    assert_eq!(logged, stats.requests.len());
}
