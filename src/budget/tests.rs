//! The budget model computed on small models: parallel branches, steps that
//! do not apply, cycles, negative durations, RPO without a guarantee.

use serde_json::json;

use super::*;
use crate::source::SourceFile;

fn budget_of(model_text: &str) -> Budget {
    let model = model::parse(&SourceFile::new("test-budget.toml", model_text)).unwrap();
    let snapshot: Snapshot = serde_json::from_value(json!({
        "schema_version": "1", "captured_at": "2026-11-20T03:00:00Z", "account_id": "123456789012", "regions": {}
    }))
    .unwrap();
    let config = Config::default();
    compute(
        &model,
        &snapshot,
        &config,
        &crate::link::link(&snapshot, &config),
    )
}

#[test]
fn parallel_branches_take_the_longer_one() {
    let budget = budget_of(
        r#"
[[step]]
id = "a"
title = "a"
seconds = "10"
source = "s"
[[step]]
id = "short"
title = "short"
after = ["a"]
seconds = "5"
source = "s"
[[step]]
id = "long"
title = "long"
after = ["a"]
seconds = "20"
worst_case_seconds = "25"
source = "s"
[[step]]
id = "end"
title = "end"
after = ["short", "long"]
seconds = "1"
source = "s"
"#,
    );
    assert_eq!(budget.rto.estimate_seconds, 31.0);
    assert_eq!(budget.rto.worst_case_seconds, 36.0);
    assert_eq!(budget.rto.critical_path, ["a", "long", "end"]);
    let short = budget.rto.steps.iter().find(|s| s.id == "short").unwrap();
    assert!(!short.on_critical_path);
    assert_eq!(short.start_seconds, 10.0);
}

#[test]
fn a_step_that_does_not_apply_takes_no_time() {
    let budget = budget_of(
        r#"
[[step]]
id = "a"
title = "a"
seconds = "10"
source = "s"
[[step]]
id = "skipped"
title = "skipped"
after = ["a"]
when = "false"
seconds = "100"
source = "s"
[[step]]
id = "b"
title = "b"
after = ["skipped"]
seconds = "5"
source = "s"
"#,
    );
    assert_eq!(budget.rto.estimate_seconds, 15.0);
    assert_eq!(budget.rto.critical_path, ["a", "b"]);
}

#[test]
fn a_cycle_is_an_error_naming_the_steps() {
    let err = model::parse(&SourceFile::new(
        "cycle.toml",
        r#"
[[step]]
id = "a"
title = "a"
after = ["c"]
seconds = "1"
source = "s"
[[step]]
id = "b"
title = "b"
after = ["a"]
seconds = "1"
source = "s"
[[step]]
id = "c"
title = "c"
after = ["b"]
seconds = "1"
source = "s"
"#,
    ))
    .unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("cycle") && text.contains("a → c → b → a"),
        "{text}"
    );
}

#[test]
fn a_negative_duration_at_run_time_is_an_error_not_a_shorter_rto() {
    let budget = budget_of(
        r#"
[[step]]
id = "a"
title = "a"
seconds = "-5"
source = "s"
"#,
    );
    assert_eq!(budget.errors.len(), 1);
    assert!(budget.errors[0].contains("negative"));
}

#[test]
fn rpo_without_a_guarantee_is_null() {
    let budget = budget_of(
        r#"
[[store]]
id = "bounded"
title = "b"
typical_seconds = "1"
guaranteed_seconds = "60"
source = "s"
[[store]]
id = "unbounded"
title = "u"
typical_seconds = "2"
measured_seconds = "30.5"
source = "s"
"#,
    );
    assert_eq!(budget.rpo.guaranteed_seconds, None);
    assert_eq!(budget.rpo.estimate_seconds, 30.5);
    assert_eq!(budget.rpo.worst_store.as_deref(), Some("unbounded"));
}

#[test]
fn builtin_model_loads() {
    let model = model::parse(&SourceFile::new("rules/budget.toml", model::BUILTIN)).unwrap();
    assert!(model.steps.iter().any(|s| s.id == "detection"));
    assert_eq!(model.stores.len(), 3);
}
