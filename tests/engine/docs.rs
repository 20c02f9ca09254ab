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
