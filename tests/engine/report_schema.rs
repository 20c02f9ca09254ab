//! docs/report.schema.json is generated from the JSON report's types; this
//! keeps it fresh and validates real reports against it: the bundled example,
//! and a failing, incomplete audit with waivers and a baseline.

use crate::common;

use serde_json::Value;

fn validator() -> jsonschema::Validator {
    jsonschema::validator_for(&drguard::contract::report_schema()).unwrap()
}

#[test]
fn committed_report_schema_is_fresh() {
    let mut generated = serde_json::to_string_pretty(&drguard::contract::report_schema()).unwrap();
    generated.push('\n');
    let path = common::root().join("docs/report.schema.json");
    if std::env::var_os("DRGUARD_BLESS").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "docs/report.schema.json is stale: run `DRGUARD_BLESS=1 cargo test --test engine report_schema`"
    );
}

#[test]
fn reports_match_the_published_schema() {
    let validator = validator();
    let dir = tempfile::tempdir().unwrap();
    let reference = common::audit_doc(
        dir.path(),
        &common::reference_json(),
        None,
        &["--format", "json"],
    );
    let report: Value = serde_json::from_slice(&reference.stdout).unwrap();
    let errors = common::errors_of(&validator, &report);
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    // A failing, incomplete audit with a waiver and a snapshot baseline fills every optional part.
    let base = dir.path().join("base.json");
    std::fs::write(
        &base,
        serde_json::to_string(&common::reference_json()).unwrap(),
    )
    .unwrap();
    let config = format!(
        "{}\n[[waiver]]\nrule = \"DRG-S3-002\"\nresource = \"*\"\nreason = \"OPS-1\"\nexpires = \"2026-12-31\"\n",
        common::reference_config_text()
    );
    let failing = common::audit_doc(
        dir.path(),
        &common::failing_json(),
        Some(&config),
        &[
            "--format",
            "json",
            "--baseline",
            base.to_str().unwrap(),
            "--as-of",
            "2026-11-20",
        ],
    );
    assert_eq!(failing.status.code(), Some(3));
    let report: Value = serde_json::from_slice(&failing.stdout).unwrap();
    assert!(
        report["drift"]["changes"]["changes"]
            .as_array()
            .is_some_and(|c| !c.is_empty())
    );
    assert_eq!(report["summary"]["by_status"]["waived"], 1);
    let errors = common::errors_of(&validator, &report);
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    // Sanity: the schema rejects an unknown status.
    let mut broken = report.clone();
    broken["results"][0]["status"] = "maybe".into();
    assert!(!validator.is_valid(&broken));
}
