//! docs/snapshot.schema.json is generated from the model types; this keeps it
//! fresh and proves the bundled example matches it.

use crate::common;

#[test]
fn committed_schema_is_fresh() {
    let mut generated = serde_json::to_string_pretty(&drguard::snapshot::json_schema()).unwrap();
    generated.push('\n');
    let path = common::root().join("docs/snapshot.schema.json");
    if std::env::var_os("DRGUARD_BLESS").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "docs/snapshot.schema.json is stale: run `DRGUARD_BLESS=1 cargo test --test engine snapshot_schema`"
    );
}

#[test]
fn bundled_example_matches_the_schema() {
    let schema = drguard::snapshot::json_schema();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let example = common::reference_json();
    let errors: Vec<String> = validator
        .iter_errors(&example)
        .map(|e| format!("{e} at {}", e.instance_path))
        .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    let mut broken = example.clone();
    broken["regions"]["us-west-2"]["auto_scaling_groups"][0]["min_size"] = "two".into();
    assert!(
        !validator.is_valid(&broken),
        "the schema must reject a wrong type"
    );
}

#[test]
fn snapshot_round_trips_through_save_and_load() {
    let original = common::snapshot_from(&common::reference_json());
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("saved.json");
    drguard::snapshot::save(&original, &path).unwrap();
    assert_eq!(drguard::snapshot::load(&path).unwrap(), original);
}
