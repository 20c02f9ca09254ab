//! Every catalog rule against its pass and fail fixture (one glob, one snapshot per file),
//! and the catalog itself: ids, names and severities are a public contract (a snapshot).

use crate::common;

use drguard::audit::fixtures::{self, Expect};
use drguard::rules::Status;

#[test]
fn every_rule_passes_its_pass_fixture_and_fails_its_fail_fixture() {
    let reference = common::reference_engine();
    insta::glob!("../../fixtures/rules", "*/*.json", |path| {
        let rule_id = path
            .parent()
            .unwrap()
            .file_name()
            .unwrap()
            .to_str()
            .unwrap()
            .to_string();
        let expected = path.file_stem().unwrap().to_str().unwrap().to_string();
        let fixture = common::fixture(path);
        // `pass.json`, `fail.json`, or a variant: `fail-<variant>.json` for each
        // way a rule fails, `pass-<variant>.json` for each way it passes. The
        // judging is the library's, as `drguard rules test` runs it.
        let expect = Expect::of(path).unwrap_or_else(|| {
            panic!(
                "{}: a fixture is named pass[-VARIANT].json or fail[-VARIANT].json",
                path.display()
            )
        });
        let load = |config| Ok(common::engine(config));
        let run = fixtures::run(
            &reference,
            &load,
            &fixture,
            &rule_id,
            expect,
            common::as_of(),
        )
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(
            run.problem.is_none(),
            "{rule_id} {expected} fixture ({}): {:?}; results: {:#?}",
            fixture.description,
            run.problem,
            run.results
        );
        let description = fixture.description;
        let shown = run.results;
        insta::assert_json_snapshot!(
            serde_json::json!({ "fixture": description, "results": shown })
        );
    });
}

#[test]
fn every_rule_has_both_fixtures() {
    let engine = common::reference_engine();
    for rule in &engine.rules().rules {
        let folder = common::root().join(format!("fixtures/rules/{}", rule.id));
        let names: Vec<String> = std::fs::read_dir(&folder)
            .unwrap_or_else(|e| panic!("{}: no fixtures: {e}", folder.display()))
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        for kind in ["pass", "fail"] {
            assert!(
                names
                    .iter()
                    .any(|n| n == &format!("{kind}.json") || n.starts_with(&format!("{kind}-"))),
                "{}: no {kind} fixture ({kind}.json or {kind}-VARIANT.json)",
                folder.display()
            );
        }
        assert!(
            rule.rationale.len() > 80,
            "{}: rationale too short to teach anything",
            rule.id
        );
        assert!(!rule.remediation.is_empty(), "{}: no remediation", rule.id);
        assert!(!rule.references.is_empty(), "{}: no references", rule.id);
        assert!(
            !rule.requires.is_empty(),
            "{}: requires nothing, so a collection gap could never fail it closed",
            rule.id
        );
    }
}

/// The built-in rules' ids, names and default severities are a public
/// contract (dashboards, waivers and baselines key on the ids): the snapshot
/// shows every addition, rename or severity change in review.
#[test]
fn catalog_ids_names_and_severities_are_a_public_contract() {
    let engine = common::reference_engine();
    let rows: Vec<String> = engine
        .rules()
        .rules
        .iter()
        .map(|r| format!("{} {} {}", r.id, r.name, r.default_severity.as_str()))
        .collect();
    let mut ids: Vec<&str> = engine.rules().rules.iter().map(|r| r.id.as_str()).collect();
    let before = ids.len();
    ids.dedup();
    assert_eq!(ids.len(), before, "duplicate rule ids");
    insta::assert_snapshot!(rows.join("\n"));
}

#[test]
fn docs_rules_md_is_fresh() {
    let engine = common::reference_engine();
    let generated = drguard::cli::rules_markdown(engine.rules());
    let path = common::root().join("docs/rules.md");
    if std::env::var_os("DRGUARD_BLESS").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "docs/rules.md is stale: run `DRGUARD_BLESS=1 cargo test --test engine docs_rules_md_is_fresh` (or `drguard rules list --format markdown > docs/rules.md`)"
    );
}

/// DRG-SSM-004 checks each reference against the listing of its own kind: a
/// reference into a skipped or failed listing is unknown (the result is
/// `not_applicable` or `error`, never a pass), and a skipped source elsewhere
/// does not hide the references it cannot affect.
#[test]
fn runbook_references_into_uncollected_listings_are_unknown_not_missing() {
    let engine = common::reference_engine();
    let status_of = |patch: serde_json::Value| {
        let mut doc = common::reference_json();
        common::apply_patch(&mut doc, patch.as_array().unwrap());
        let snapshot = common::snapshot_from(&doc);
        let audit = engine.audit(&snapshot, common::as_of());
        let outcome = audit
            .evaluation
            .outcomes
            .iter()
            .find(|o| o.rule.id == "DRG-SSM-004")
            .unwrap();
        (outcome.status, outcome.message.clone())
    };
    let skip = serde_json::json!({"op": "add", "path": "/skipped/-", "value": {"source": "elasticache.global_replication_groups", "reason": "none here"}});
    let gap = serde_json::json!({"op": "add", "path": "/gaps/-", "value": {"service": "elasticache", "resource": "global_replication_groups", "region": "global", "operation": "DescribeGlobalReplicationGroups", "error_code": "Throttling", "message": "Rate exceeded"}});
    // The reference example's runbook names a global datastore: with its
    // listing skipped (so not in the snapshot), nothing can show it exists.
    let none = serde_json::json!({"op": "replace", "path": "/global/global_replication_groups", "value": []});
    let (status, message) = status_of(serde_json::json!([skip.clone(), none.clone()]));
    assert_eq!(status, Status::NotApplicable, "{message}");
    assert!(
        message.contains("elasticache.global_replication_groups"),
        "{message}"
    );
    let (status, message) = status_of(serde_json::json!([gap, none]));
    assert_eq!(status, Status::Error, "{message}");
    // A skipped source the runbook does not name changes nothing.
    let (status, _) = status_of(
        serde_json::json!([{"op": "add", "path": "/skipped/-", "value": {"source": "globalaccelerator", "reason": "none"}}]),
    );
    assert_eq!(status, Status::Pass);
}
