//! Generated parts of the docs are fresh: each lies between a
//! `<!-- generated: NAME … -->` and an `<!-- end: NAME -->` marker, and
//! `DRGUARD_BLESS=1 cargo test` rewrites them.

use crate::common;

/// Checks (or with DRGUARD_BLESS, rewrites) the generated section `name` of `file`.
pub fn assert_section_fresh(file: &str, name: &str, generated: &str) {
    let path = common::root().join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    let start_marker = format!("<!-- generated: {name}");
    let end_marker = format!("<!-- end: {name} -->");
    let start = text
        .find(&start_marker)
        .unwrap_or_else(|| panic!("{file} has no `{start_marker} … -->` marker"));
    let body_start = start + text[start..].find("-->").unwrap() + "-->\n".len();
    let end = text
        .find(&end_marker)
        .unwrap_or_else(|| panic!("{file} has no `{end_marker}` marker"));
    let committed = &text[body_start..end];
    if std::env::var_os("DRGUARD_BLESS").is_some() && committed != generated {
        let updated = format!("{}{generated}{}", &text[..body_start], &text[end..]);
        std::fs::write(&path, updated).unwrap();
        return;
    }
    assert!(
        committed == generated,
        "the `{name}` section of {file} is stale: run `DRGUARD_BLESS=1 cargo test`"
    );
}

#[test]
fn the_annotation_table_is_generated_from_the_facts() {
    let table = drguard::link::facts::markdown();
    // Every documented fact has a meaning: a struct field without a doc comment is a gap.
    for line in table.lines().skip(2) {
        assert!(!line.ends_with("|  |"), "undocumented fact: {line}");
    }
    assert!(table.contains("| `route53.health_check` | `guards_primary` | boolean |"));
    assert!(table.contains("| `s3.bucket` | `dr_replication_rules.replication_time_enabled` |"));
    assert_section_fresh("docs/writing-rules.md", "annotations", &table);
}

#[test]
fn the_iam_policy_is_generated_from_the_service_specs() {
    let policy = drguard::report::json::to_pretty(&drguard::snapshot::spec::iam_policy()).unwrap();
    let actions = drguard::snapshot::spec::iam_actions();
    assert!(actions.contains(&"sts:GetCallerIdentity"));
    assert!(actions.contains(&"s3:GetReplicationConfiguration"));
    // Read-only: every action lists, describes or gets.
    for action in &actions {
        let verb = action.split_once(':').unwrap().1;
        assert!(
            ["List", "Describe", "Get"]
                .iter()
                .any(|v| verb.starts_with(v)),
            "{action} is not read-only"
        );
    }
    let path = common::root().join("docs/iam-policy.json");
    if std::env::var_os("DRGUARD_BLESS").is_some() {
        std::fs::write(&path, &policy).unwrap();
    }
    assert!(
        std::fs::read_to_string(&path).unwrap() == policy,
        "docs/iam-policy.json is stale: run `DRGUARD_BLESS=1 cargo test`"
    );
    assert_section_fresh(
        "README.md",
        "iam-policy",
        &format!("```json\n{policy}```\n"),
    );
}

#[test]
fn the_data_source_tables_are_generated_from_the_service_specs() {
    let sources = drguard::snapshot::spec::sources_markdown();
    assert!(sources.contains("| `s3.replication` | bucket replication configuration |"));
    assert_section_fresh("docs/writing-rules.md", "data-sources", &sources);
    let collection = drguard::snapshot::spec::collection_markdown();
    assert!(collection.contains("`GetBucketReplication` (`s3:GetReplicationConfiguration`)"));
    assert_section_fresh("docs/collect.md", "data-sources", &collection);
}

#[test]
fn the_resource_type_table_is_generated_from_the_resource_specs() {
    let rows = drguard::snapshot::spec::resources_markdown();
    // Every resource type a rule can name has a spec, except those drguard
    // derives itself.
    for kind in drguard::rules::resources::ResourceKind::all() {
        let derived = matches!(
            kind.as_str(),
            "app" | "budget.store" | "failover.dependency"
        );
        assert_eq!(
            drguard::snapshot::spec::resource(kind.as_str()).is_some(),
            !derived,
            "{kind}"
        );
    }
    assert_section_fresh("docs/writing-rules.md", "resource-types", &rows);
}

#[test]
fn the_plan_attribute_table_is_generated_from_the_mapping() {
    let table = drguard::plan::mapping::markdown();
    assert!(table.contains("| `aws_route53_health_check` | `route53.health_checks` | `id` |"));
    assert!(table.contains("`alias[0].name`"));
    assert_section_fresh("docs/plan.md", "plan-attributes", &table);
}
