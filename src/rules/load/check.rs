//! Rule files given directly (`drguard rules check PATH…`, `drguard rules test
//! DIR`), loaded with the built-in rules. A given file that is a built-in one
//! (the same text, or an edited copy at the same `rules/<area>/<file>` path)
//! stands for it, so the catalog itself can be checked and tested while it is
//! edited; the budget model (`rules/budget.toml`) is not a rule file.

use std::path::{Path, PathBuf};

use super::{RuleError, build, toml_files};
use crate::config::Config;
use crate::rules::RuleSet;
use crate::source::SourceFile;

/// The built-in budget model, which lives beside the rule folders.
const BUDGET_MODEL: &str = include_str!("../../../rules/budget.toml");

/// What `drguard rules check` found valid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Checked {
    /// Rule files read.
    pub files: usize,
    /// Rules they define.
    pub rules: usize,
}

/// The files under `paths`, then the built-in ones they do not stand for, and
/// the problems met reading them (every one, not the first).
fn gather(paths: &[PathBuf]) -> (Vec<(SourceFile, bool)>, usize, Vec<RuleError>) {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for path in paths {
        let listed = if path.is_dir() {
            toml_files(path)
        } else {
            Ok(vec![path.clone()])
        };
        match listed {
            Ok(list) => {
                for file in list {
                    match SourceFile::read(&file, "rule file") {
                        Ok(file) if file.text.as_str() == BUDGET_MODEL => {}
                        Ok(file) => files.push((file, false)),
                        Err(err) => problems.push(RuleError::from(err)),
                    }
                }
            }
            Err(err) => problems.push(err),
        }
    }
    let given = files.len();
    let mut all: Vec<(SourceFile, bool)> = super::super::catalog::builtin_files()
        .into_iter()
        .filter(|builtin| {
            !files.iter().any(|(file, _)| {
                file.text == builtin.text || Path::new(&file.name).ends_with(&builtin.name)
            })
        })
        .map(|f| (f, true))
        .collect();
    all.extend(files);
    (all, given, problems)
}

/// Loads rule files given directly (for `drguard rules check`), with the
/// built-in rules (ids are unique across both). Every problem in every file is
/// reported at once: unreadable files, TOML, ids, CEL, fields.
pub fn check_paths(paths: &[PathBuf]) -> Result<Checked, RuleError> {
    let (files, checked, mut problems) = gather(paths);
    match build(files, &Config::default()) {
        Ok(set) => {
            RuleError::bundle(problems)?;
            Ok(Checked {
                files: checked,
                rules: set.rules.iter().filter(|r| !r.builtin).count(),
            })
        }
        Err(RuleError::Many { problems: mut many }) => {
            problems.append(&mut many);
            Err(RuleError::Many { problems })
        }
        Err(err) => {
            problems.push(err);
            RuleError::bundle(problems).map(|()| Checked {
                files: checked,
                rules: 0,
            })
        }
    }
}

/// The rule set of `drguard rules test DIR`: the built-in rules and
/// `[rules].paths`, with the files under `dirs` standing for the built-in
/// ones they copy, and the config's overrides applied.
pub fn load_standing_for_builtins(config: &Config, dirs: &[PathBuf]) -> Result<RuleSet, RuleError> {
    let paths: Vec<PathBuf> = config.rules.paths.iter().chain(dirs).cloned().collect();
    let (files, _, mut problems) = gather(&paths);
    match build(files, config) {
        Ok(set) => RuleError::bundle(problems).map(|()| set),
        Err(RuleError::Many { problems: mut many }) => {
            problems.append(&mut many);
            Err(RuleError::Many { problems })
        }
        Err(err) => {
            problems.push(err);
            Err(RuleError::Many { problems })
        }
    }
}
