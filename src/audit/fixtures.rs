//! Rule fixtures: a rule's `pass*.json` and `fail*.json` cases, each a JSON
//! Patch (RFC 6902) over a base snapshot, optionally with TOML appended to the
//! base config. The built-in rules' fixtures (`fixtures/rules/<ID>/`) and
//! `drguard rules test DIR` for users' own rules both run through here.

use std::path::{Path, PathBuf};

use serde_json::Value as Json;

use super::Engine;
use crate::config::{self, Config};
use crate::rules::Status;
use crate::snapshot::{self, Snapshot};
use crate::source::SourceFile;

/// The bundled example's snapshot: the default base of `drguard rules test`.
pub const REFERENCE_SNAPSHOT: &str = include_str!("../../fixtures/reference/snapshot.json");
/// The bundled example's config: the default base config of `drguard rules test`.
pub const REFERENCE_CONFIG: &str = include_str!("../../fixtures/reference/drguard.toml");

/// What fixtures are patched over.
pub struct Base {
    /// The base snapshot as JSON.
    pub snapshot: Json,
    /// The base config's text (a fixture's `config` is appended to it).
    pub config: SourceFile,
    /// The folder the config's relative paths resolve against.
    pub config_dir: PathBuf,
}

impl Base {
    /// The bundled example, as embedded in the binary.
    pub fn reference() -> Result<Base, String> {
        Ok(Base {
            snapshot: serde_json::from_str(REFERENCE_SNAPSHOT)
                .map_err(|e| format!("the bundled snapshot: {e}"))?,
            config: SourceFile::new("fixtures/reference/drguard.toml", REFERENCE_CONFIG),
            config_dir: PathBuf::from("."),
        })
    }

    /// The base config alone.
    pub fn config(&self) -> Result<Config, String> {
        config::parse(self.config.clone(), &self.config_dir).map_err(|e| format!("{e:?}"))
    }
}

/// A fixture loaded: the patched snapshot and, when it carries `config`, its config.
pub struct Fixture {
    /// What the fixture shows.
    pub description: String,
    /// The patched snapshot.
    pub snapshot: Snapshot,
    /// Its own config (the base config with the fixture's TOML appended).
    pub config: Option<Config>,
}

/// What a fixture expects of its rule, from its file name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// `pass.json`, `pass-VARIANT.json`: every result of the rule passes.
    Pass,
    /// `fail.json`, `fail-VARIANT.json`: at least one result fails.
    Fail,
}

impl Expect {
    /// From a fixture's file name; None for any other name.
    pub fn of(path: &Path) -> Option<Expect> {
        let stem = path.file_stem()?.to_str()?;
        let is_json = path.extension().is_some_and(|e| e == "json");
        let kind = stem.split_once('-').map_or(stem, |(kind, _)| kind);
        match (is_json, kind) {
            (true, "pass") => Some(Expect::Pass),
            (true, "fail") => Some(Expect::Fail),
            _ => None,
        }
    }
}

/// Loads a fixture over `base`.
pub fn load(path: &Path, base: &Base) -> Result<Fixture, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read it: {e}"))?;
    let fixture: Json = serde_json::from_str(&text).map_err(|e| format!("not JSON: {e}"))?;
    let patch = fixture
        .get("patch")
        .and_then(Json::as_array)
        .ok_or("no `patch` array (JSON Patch operations over the base snapshot)")?;
    let mut doc = base.snapshot.clone();
    apply_patch(&mut doc, patch)?;
    let config = match fixture.get("config") {
        None => None,
        Some(Json::String(extra)) => {
            let file = SourceFile::new(
                format!("{} + {}", base.config.name, path.display()),
                format!("{}\n{extra}", base.config.text),
            );
            Some(
                config::parse(file, &base.config_dir)
                    .map_err(|e| format!("its `config` does not load: {e:?}"))?,
            )
        }
        Some(other) => return Err(format!("`config` must be TOML text, found {other}")),
    };
    let text = serde_json::to_string_pretty(&doc).map_err(|e| e.to_string())?;
    let snapshot = snapshot::parse(&SourceFile::new(path.display().to_string(), text))
        .map_err(|e| format!("the patched snapshot is not valid: {e:?}"))?;
    Ok(Fixture {
        description: fixture
            .get("description")
            .and_then(Json::as_str)
            .unwrap_or_default()
            .to_string(),
        snapshot,
        config,
    })
}

/// What one rule did on one fixture.
pub struct Run {
    /// Its results, `status resource-type id: message` each.
    pub results: Vec<String>,
    /// Why the fixture is not met, or None when it is.
    pub problem: Option<String>,
}

/// Audits a fixture with `engine` (or, when it carries a config, the engine
/// `load` builds for it) and judges rule `rule_id`'s results against `expect`.
pub fn run(
    engine: &Engine,
    load: &dyn Fn(Config) -> Result<Engine, String>,
    fixture: &Fixture,
    rule_id: &str,
    expect: Expect,
    as_of: chrono::NaiveDate,
) -> Result<Run, String> {
    let own;
    let engine = match &fixture.config {
        Some(config) => {
            own = load(config.clone())?;
            &own
        }
        None => engine,
    };
    let audit = engine.audit(&fixture.snapshot, as_of);
    let rows = audit.rows(None);
    let outcomes: Vec<_> = rows.iter().filter(|o| o.rule.id == rule_id).collect();
    let results = outcomes
        .iter()
        .map(|o| {
            format!(
                "{} {} {}: {}",
                o.status.as_str(),
                o.resource.kind,
                o.resource.id,
                o.message
            )
        })
        .collect();
    let broken = outcomes.iter().find(|o| o.message.contains("<error:"));
    let problem = if outcomes.is_empty() {
        Some(format!("{rule_id} produced no result"))
    } else if let Some(o) = broken {
        Some(format!("broken message template: {}", o.message))
    } else {
        match expect {
            Expect::Pass if !outcomes.iter().all(|o| o.status == Status::Pass) => {
                Some("expected every result to pass".into())
            }
            Expect::Fail if !outcomes.iter().any(|o| o.status == Status::Fail) => {
                Some("expected at least one failure".into())
            }
            _ => None,
        }
    };
    Ok(Run { results, problem })
}

fn pointer_parent<'a>(doc: &'a mut Json, path: &str) -> Result<(&'a mut Json, String), String> {
    let (parent, last) = path
        .rsplit_once('/')
        .ok_or_else(|| format!("bad JSON pointer {path:?}"))?;
    let parent = doc
        .pointer_mut(parent)
        .ok_or_else(|| format!("nothing at {parent:?} (the parent of {path:?})"))?;
    Ok((parent, last.replace("~1", "/").replace("~0", "~")))
}

fn index(key: &str, len: usize, path: &str) -> Result<usize, String> {
    let index: usize = key
        .parse()
        .map_err(|_| format!("{path:?}: {key:?} is not an array index"))?;
    if index > len {
        return Err(format!("{path:?}: index {index} is past the end ({len})"));
    }
    Ok(index)
}

fn add(doc: &mut Json, path: &str, value: Json) -> Result<(), String> {
    let (parent, key) = pointer_parent(doc, path)?;
    match parent {
        Json::Object(map) => {
            map.insert(key, value);
        }
        Json::Array(items) => {
            let at = if key == "-" {
                items.len()
            } else {
                index(&key, items.len(), path)?
            };
            items.insert(at, value);
        }
        _ => return Err(format!("{path:?}: cannot add into a scalar")),
    }
    Ok(())
}

fn remove(doc: &mut Json, path: &str) -> Result<Json, String> {
    let (parent, key) = pointer_parent(doc, path)?;
    match parent {
        Json::Object(map) => map
            .remove(&key)
            .ok_or_else(|| format!("nothing to remove at {path:?}")),
        Json::Array(items) => {
            let at = index(&key, items.len(), path)?;
            if at == items.len() {
                return Err(format!("nothing to remove at {path:?}"));
            }
            Ok(items.remove(at))
        }
        _ => Err(format!("{path:?}: cannot remove from a scalar")),
    }
}

/// Applies an RFC 6902 JSON Patch (add, remove, replace, move, copy, test).
/// A path that does not exist is an error, so a stale fixture fails loudly.
pub fn apply_patch(doc: &mut Json, patch: &[Json]) -> Result<(), String> {
    for (number, op) in patch.iter().enumerate() {
        let field = |name: &str| {
            op.get(name)
                .and_then(Json::as_str)
                .ok_or_else(|| format!("patch operation {number}: no `{name}`"))
        };
        let path = field("path")?;
        let value = || {
            op.get("value")
                .cloned()
                .ok_or_else(|| format!("patch operation {number}: no `value`"))
        };
        match field("op")? {
            "add" => add(doc, path, value()?)?,
            "remove" => {
                remove(doc, path)?;
            }
            "replace" => {
                let target = doc
                    .pointer_mut(path)
                    .ok_or_else(|| format!("nothing to replace at {path:?}"))?;
                *target = value()?;
            }
            "move" => {
                let moved = remove(doc, field("from")?)?;
                add(doc, path, moved)?;
            }
            "copy" => {
                let from = field("from")?;
                let copied = doc
                    .pointer(from)
                    .cloned()
                    .ok_or_else(|| format!("nothing to copy at {from:?}"))?;
                add(doc, path, copied)?;
            }
            "test" => {
                if doc.pointer(path) != Some(&value()?) {
                    return Err(format!("patch test failed at {path:?}"));
                }
            }
            other => return Err(format!("unsupported patch op {other:?}")),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patches_apply_and_stale_paths_are_errors() {
        let mut doc = serde_json::json!({"a": [1, 2], "b": {"c": 1}});
        let patch = serde_json::json!([
            {"op": "add", "path": "/a/-", "value": 3},
            {"op": "replace", "path": "/b/c", "value": 2},
            {"op": "move", "from": "/b/c", "path": "/d"},
            {"op": "copy", "from": "/d", "path": "/a/0"},
            {"op": "remove", "path": "/a/1"},
            {"op": "test", "path": "/d", "value": 2}
        ]);
        assert_eq!(
            apply_patch(&mut doc, patch.as_array().unwrap_or(&Vec::new())),
            Ok(())
        );
        assert_eq!(doc, serde_json::json!({"a": [2, 2, 3], "b": {}, "d": 2}));
        let stale = serde_json::json!([{"op": "replace", "path": "/x/y", "value": 1}]);
        let err = apply_patch(&mut doc, stale.as_array().unwrap_or(&Vec::new()));
        assert!(err.is_err_and(|e| e.contains("/x/y")));
        let past = serde_json::json!([{"op": "remove", "path": "/a/7"}]);
        assert!(apply_patch(&mut doc, past.as_array().unwrap_or(&Vec::new())).is_err());
    }

    #[test]
    fn fixture_names_say_what_they_expect() {
        assert_eq!(Expect::of(Path::new("x/pass.json")), Some(Expect::Pass));
        assert_eq!(
            Expect::of(Path::new("x/fail-no-rtc.json")),
            Some(Expect::Fail)
        );
        assert_eq!(Expect::of(Path::new("x/passing.json")), None);
        assert_eq!(Expect::of(Path::new("x/fail.toml")), None);
    }
}
