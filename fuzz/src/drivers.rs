//! What each fuzz target does with one input, through drguard's public entry
//! points.
//!
//! Shared by the fuzz targets (`fuzz/fuzz_targets/*.rs`, through the
//! `drguard_fuzz` library) and by the stable regression test
//! (`tests/fuzz_regressions.rs`, which includes this file with `#[path]`), so
//! a committed crash input replays exactly what the fuzzer ran. Only drguard
//! and its own dependencies (`serde_json`, `toml`) are used here.
//!
//! A driver panics when drguard breaks a promise: a panic inside drguard, a
//! diagnostic whose label points outside its file or inside a UTF-8
//! character, or a value drguard accepted that it cannot save and read back.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::{Arc, OnceLock};

use chrono::NaiveDate;
use drguard::audit::Engine;
use drguard::budget::{self, Model};
use drguard::config::{self, Config};
use drguard::rules::{self, RuleSet};
use drguard::snapshot::{self, Snapshot, document};
use drguard::source::{SourceFile, render_plain};
use miette::Diagnostic;

/// The bundled reference architecture: the world rule-file and CEL inputs run in.
struct Reference {
    /// The reference config with the built-in rules and model.
    engine: Engine,
    snapshot: Snapshot,
    /// The built-in model, shared by engines built for fuzzed configs.
    model: Arc<Model>,
    /// The built-in rules (under the default config), shared likewise.
    builtin: Arc<RuleSet>,
}

const REFERENCE_CONFIG: &str = include_str!("../../fixtures/reference/drguard.toml");
const REFERENCE_SNAPSHOT: &str = include_str!("../../fixtures/reference/snapshot.json");

fn reference() -> &'static Reference {
    static REFERENCE: OnceLock<Reference> = OnceLock::new();
    REFERENCE.get_or_init(|| {
        let config = config::parse(
            SourceFile::new("fixtures/reference/drguard.toml", REFERENCE_CONFIG),
            Path::new("fixtures/reference"),
        )
        .unwrap_or_else(|e| panic!("reference config: {}", render_plain(&e)));
        let snapshot = snapshot::parse(&SourceFile::new(
            "fixtures/reference/snapshot.json",
            REFERENCE_SNAPSHOT,
        ))
        .unwrap_or_else(|e| panic!("reference snapshot: {}", render_plain(&e)));
        let model = Arc::new(
            budget::load(&config)
                .unwrap_or_else(|e| panic!("built-in budget model: {}", render_plain(&e))),
        );
        let builtin = Arc::new(
            rules::load_rule_set(&Config::default(), &[])
                .unwrap_or_else(|e| panic!("built-in rules: {}", render_plain(&e))),
        );
        Reference {
            engine: Engine::new(config, builtin.clone(), model.clone()),
            snapshot,
            model,
            builtin,
        }
    })
}

/// A fixed audit date, so runs are reproducible.
fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 1, 15).unwrap_or_default()
}

/// Every label of a diagnostic (and of its related diagnostics) must lie
/// inside `text` and on character boundaries: otherwise the rendered
/// diagnostic cannot show the file, line and column.
pub fn check_diagnostic(diagnostic: &dyn Diagnostic, text: &str) {
    if let Some(labels) = diagnostic.labels() {
        for label in labels {
            let start = label.offset();
            let end = start + label.len();
            assert!(
                end <= text.len(),
                "label {start}..{end} outside a {}-byte file: {diagnostic}",
                text.len()
            );
            assert!(
                text.is_char_boundary(start) && text.is_char_boundary(end),
                "label {start}..{end} splits a character: {diagnostic}"
            );
        }
    }
    if let Some(related) = diagnostic.related() {
        for inner in related {
            check_diagnostic(inner, text);
        }
    }
    let rendered = render_plain(diagnostic);
    assert!(!rendered.is_empty(), "empty diagnostic");
}

/// `drguard.toml`: parse and validate; a valid config then audits the
/// reference snapshot (linking, built-in rules with its overrides, budget
/// defaults, waivers).
pub fn config(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut config = match config::parse(SourceFile::new("fuzz.toml", text), Path::new(".")) {
        Ok(config) => config,
        Err(err) => return check_diagnostic(&err, text),
    };
    // Never read files or folders named by the input.
    config.rules.paths.clear();
    config.budget.model = None;
    let reference = reference();
    // Compiling all the built-in rules would take most of a run: with
    // overrides, compile only the built-in files that hold an overridden id
    // (an id no file holds stays an unknown rule, as in a real load).
    let rules = if config.rules.overrides.is_empty() {
        reference.builtin.clone()
    } else {
        let files = rules::catalog::builtin_files()
            .into_iter()
            .filter(|file| {
                config
                    .rules
                    .overrides
                    .keys()
                    .any(|id| file.text.contains(id.as_str()))
            })
            .collect();
        match rules::load::parse_rule_files(files, &config) {
            Ok(rules) => Arc::new(rules),
            Err(err) => return check_diagnostic(&err, text),
        }
    };
    // `[budget.defaults]` overrides change the model; without them the
    // built-in one is shared.
    let model = if config.budget.defaults.is_empty() {
        reference.model.clone()
    } else {
        match budget::load(&config) {
            Ok(model) => Arc::new(model),
            Err(err) => return check_diagnostic(&err, text),
        }
    };
    let engine = Engine::new(config, rules, model);
    engine.audit(&reference.snapshot, as_of());
}

/// A user rule file: parse, compile, check; valid rules then run on the
/// reference snapshot.
pub fn rule_file(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    run_rules(text);
}

fn run_rules(text: &str) {
    let file = SourceFile::new("fuzz-rules.toml", text);
    let reference = reference();
    match rules::load::parse_rule_files(vec![file], &Config::default()) {
        Ok(rules) => {
            let engine = Engine::new(
                reference.engine.config().clone(),
                rules,
                reference.model.clone(),
            );
            engine.audit(&reference.snapshot, as_of());
        }
        Err(err) => check_diagnostic(&err, text),
    }
}

/// A CEL condition: compiled on its own (the error offset must point inside
/// the expression), then as the `assert` of two rules (on the app and on Auto
/// Scaling groups) evaluated on the reference snapshot.
pub fn cel(data: &[u8]) {
    let Ok(source) = std::str::from_utf8(data) else {
        return;
    };
    let params: BTreeSet<String> = ["limit", "regions"].map(String::from).into();
    if let Err(err) = drguard::cel::compile(source, rules::rule::names(&params, None)) {
        assert!(
            err.offset <= source.len() && source.is_char_boundary(err.offset),
            "CEL error offset {} is not a character position of a {}-byte expression: {}",
            err.offset,
            source.len(),
            err.message
        );
    }
    // The same expression inside a rule file: its position is mapped through
    // the TOML string (escapes and all) to the file's line and column.
    let quoted = toml::Value::String(source.to_string()).to_string();
    let mut text = String::new();
    for (id, resource) in [
        ("FUZZ-CEL-001", "app"),
        ("FUZZ-CEL-002", "autoscaling.group"),
    ] {
        text.push_str(&format!(
            "[[rule]]\nid = \"{id}\"\nname = \"fuzz\"\ntitle = \"t\"\nseverity = \"low\"\n\
             category = \"rto\"\nresource = \"{resource}\"\nrationale = \"r\"\nremediation = \"x\"\n\
             requires = [\"autoscaling\"]\nassert = {quoted}\nmessage = \"m\"\n\
             [rule.params]\nlimit = 2\nregions = [\"us-east-1\", \"us-west-2\"]\n"
        ));
    }
    run_rules(&text);
}

/// A snapshot file: parse with located errors; a valid snapshot is linked,
/// budgeted and audited with the built-in rules, and must survive save → load.
pub fn snapshot(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let snapshot = match snapshot::parse(&SourceFile::new("fuzz-snapshot.json", text)) {
        Ok(snapshot) => snapshot,
        Err(err) => return check_diagnostic(&err, text),
    };
    reference().engine.audit(&snapshot, as_of());
    round_trip(&snapshot);
}

/// What `drguard snapshot` writes, `drguard audit --snapshot` must read back.
fn round_trip(snapshot: &Snapshot) {
    let saved = serde_json::to_string_pretty(snapshot)
        .unwrap_or_else(|e| panic!("a loaded snapshot cannot be saved: {e}"));
    if let Err(err) = snapshot::parse(&SourceFile::new("saved.json", saved.as_str())) {
        panic!(
            "a snapshot drguard saved cannot be read back: {}",
            render_plain(&err)
        );
    }
}

/// SSM Automation document content, as `GetDocument` returns it. The first
/// byte picks the declared format (`JSON`, `YAML`, none); the rest is the
/// content. A parsed document goes into a snapshot that must save and load.
pub fn ssm_document(data: &[u8]) {
    let Some((&selector, content)) = data.split_first() else {
        return;
    };
    let Ok(content) = std::str::from_utf8(content) else {
        return;
    };
    let format = match selector % 3 {
        0 => Some("JSON"),
        1 => Some("YAML"),
        _ => None,
    };
    let Ok(parsed) = document::parse(content, format) else {
        return;
    };
    for step in &parsed.steps {
        let _ = drguard::link::step_operation(step);
    }
    let mut snapshot = reference().snapshot.clone();
    let Some(region) = snapshot.regions.values_mut().next() else {
        return;
    };
    region.automation_documents = vec![drguard::snapshot::model::AutomationDocument {
        name: "fuzz".into(),
        document_type: "Automation".into(),
        document_version: None,
        document_format: format.map(str::to_string),
        tags: Default::default(),
        parameters: parsed.parameters,
        steps: parsed.steps,
        assume_role: parsed.assume_role,
    }];
    round_trip(&snapshot);
}

/// A Terraform plan (`terraform show -json`). A plan drguard refuses gets a
/// located diagnostic; one it reads is overlaid on the reference snapshot
/// and on its own prior state, both audited, and each overlaid snapshot
/// must save and read back.
pub fn plan(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let parsed = match drguard::plan::parse(SourceFile::new("fuzz-plan.json", text)) {
        Ok(plan) => plan,
        Err(err) => return check_diagnostic(&err, text),
    };
    let reference = reference();
    for base in [Some(reference.snapshot.clone()), None] {
        let overlaid = drguard::plan::overlay(&parsed, base, reference.engine.config());
        reference.engine.audit(&overlaid.after, as_of());
        round_trip(&overlaid.after);
    }
}
