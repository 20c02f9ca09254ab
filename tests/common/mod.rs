//! Shared test helpers: the bundled example, fixture patches, running the binary.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use chrono::NaiveDate;
use drguard::audit::Engine;
use drguard::config::{self, Config, ConfigSource};
use drguard::snapshot::{self, Snapshot};
use drguard::source::SourceFile;
use serde_json::Value;

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The bundled example's config.
pub fn reference_config() -> Config {
    config::load(ConfigSource::Explicit(
        &root().join("fixtures/reference/drguard.toml"),
    ))
    .unwrap()
}

/// The bundled example's snapshot as JSON.
pub fn reference_json() -> Value {
    serde_json::from_str(
        &std::fs::read_to_string(root().join("fixtures/reference/snapshot.json")).unwrap(),
    )
    .unwrap()
}

/// Parses JSON through the real snapshot loader (so fixtures must be valid snapshots).
pub fn snapshot_from(value: &Value) -> Snapshot {
    let text = serde_json::to_string_pretty(value).unwrap();
    snapshot::parse(&SourceFile::new("fixture.json", text))
        .unwrap_or_else(|e| panic!("fixture is not a valid snapshot: {e:?}"))
}

/// Applies an RFC 6902 JSON Patch through the library's own code (the code
/// `drguard rules test` runs). Panics on a path that does not exist, so a
/// stale fixture fails loudly.
pub fn apply_patch(doc: &mut Value, patch: &[Value]) {
    drguard::audit::fixtures::apply_patch(doc, patch).unwrap_or_else(|e| panic!("{e}"));
}

pub use drguard::audit::fixtures::Fixture;

/// The reference config with `extra` TOML appended.
pub fn reference_config_with(extra: &str) -> Config {
    let text = std::fs::read_to_string(root().join("fixtures/reference/drguard.toml")).unwrap();
    config::parse(
        SourceFile::new("fixture-drguard.toml", format!("{text}\n{extra}")),
        &root().join("fixtures/reference"),
    )
    .unwrap_or_else(|e| panic!("fixture config does not load: {e:?}"))
}

/// Loads a rule fixture over the bundled example, through the library's own
/// loader (the one `drguard rules test` uses).
pub fn fixture(path: &Path) -> Fixture {
    let base = drguard::audit::fixtures::Base {
        snapshot: reference_json(),
        config: SourceFile::new(
            "fixture-drguard.toml",
            std::fs::read_to_string(root().join("fixtures/reference/drguard.toml")).unwrap(),
        ),
        config_dir: root().join("fixtures/reference"),
    };
    drguard::audit::fixtures::load(path, &base)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The engine for a config: built-in rules and budget model, as the CLI loads them.
pub fn engine(config: Config) -> Engine {
    Engine::load(config, &[]).unwrap_or_else(|e| panic!("engine does not load: {e:?}"))
}

/// The engine of the bundled example.
pub fn reference_engine() -> Engine {
    engine(reference_config())
}

/// The date engine tests audit as of (waiver expiry), fixed so reruns agree.
pub fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 20).unwrap()
}

/// Runs the real binary in `dir` with NO_COLOR, and wide enough
/// (`COLUMNS=400`) that text reports do not wrap the lines tests look for;
/// `drguard_at_width` tests the wrapping itself.
pub fn drguard(dir: &Path, args: &[&str]) -> Output {
    drguard_at_width(dir, args, Some(400))
}

/// Runs the real binary with `COLUMNS` set to `columns`, or unset (a pipe: 80).
pub fn drguard_at_width(dir: &Path, args: &[&str], columns: Option<usize>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_drguard"));
    command
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("TERM");
    match columns {
        Some(columns) => command.env("COLUMNS", columns.to_string()),
        None => command.env_remove("COLUMNS"),
    };
    command.output().unwrap()
}

/// Runs `drguard audit` on a snapshot document written into `dir`, with the
/// reference config unless `config` (TOML text) is given.
pub fn audit_doc(dir: &Path, snapshot: &Value, config: Option<&str>, extra: &[&str]) -> Output {
    let path = dir.join("snapshot.json");
    std::fs::write(&path, serde_json::to_string_pretty(snapshot).unwrap()).unwrap();
    let config_path = match config {
        Some(text) => {
            let p = dir.join("drguard.toml");
            std::fs::write(&p, text).unwrap();
            p
        }
        None => root().join("fixtures/reference/drguard.toml"),
    };
    let mut args = vec![
        "audit".to_string(),
        "--config".into(),
        config_path.to_str().unwrap().into(),
        "--snapshot".into(),
        path.to_str().unwrap().into(),
    ];
    args.extend(extra.iter().map(|s| s.to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    drguard(dir, &args)
}

/// The reference config's text, for tests that add waivers to it.
pub fn reference_config_text() -> String {
    std::fs::read_to_string(root().join("fixtures/reference/drguard.toml")).unwrap()
}

/// A validator for the JSON schema committed at `schemas/<name>` (compile once, reuse).
pub fn schema(name: &str) -> jsonschema::Validator {
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string(root().join("schemas").join(name)).unwrap())
            .unwrap();
    jsonschema::validator_for(&schema).unwrap()
}

/// Errors of `instance` against a validator.
pub fn errors_of(validator: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    validator
        .iter_errors(instance)
        .map(|e| format!("{e} at {}", e.instance_path))
        .collect()
}

/// Errors of `instance` against the JSON schema committed at `schemas/<name>`.
pub fn schema_errors(name: &str, instance: &Value) -> Vec<String> {
    errors_of(&schema(name), instance)
}

/// A snapshot with many failures at once plus a collection gap: the "failing
/// snapshot" every format is also validated on.
pub fn failing_json() -> Value {
    let mut doc = reference_json();
    doc["global"]["health_checks"][0]["request_interval"] = 30.into();
    doc["regions"]["us-west-2"]["auto_scaling_groups"][0]["min_size"] = 0.into();
    doc["regions"]["us-west-2"]["launch_templates"][0]["versions"][0]["instance_type"] =
        "m7i.medium".into();
    doc["regions"]["us-east-1"]["event_rules"][0]["state"] = "DISABLED".into();
    doc["global"]["buckets"][0]["replication"]["rules"][0]["replication_time_enabled"] =
        false.into();
    doc["gaps"] = serde_json::json!([{"service": "rds", "resource": null, "region": "us-west-2", "operation": "DescribeDBClusters", "error_code": "Throttling", "message": "Rate exceeded <after 3 retries> & gave up"}]);
    doc
}
