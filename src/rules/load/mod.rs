//! Loading rule files: spanned TOML → validated [`Rule`]s with compiled CEL.
//!
//! Every problem points at the rule file, line and column: TOML errors at the
//! offending key, CEL errors at the offending character inside the expression
//! string, duplicate ids at both definitions. Problems from all files are
//! collected before reporting, so one run shows everything to fix.

// Rule errors are cold paths that end the run; boxing every variant would add
// noise for no measurable gain.
#![allow(clippy::result_large_err)]

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use miette::{Diagnostic, SourceSpan};
use serde::Deserialize;
use thiserror::Error;
use toml::Spanned;

use super::resources::ResourceKind;
use super::rule::{OnEmpty, Rule, RuleSet, Warning, names};
use crate::cel::{self, Expression};
use crate::config::{Config, toml_to_json};
use crate::snapshot::spec;
use crate::source::{SourceFile, UnreadableFile};
use crate::vocab::{Category, Severity};

mod check;
mod file;
mod overrides;

pub use check::{Checked, check_paths, load_standing_for_builtins};

use file::parse_file;

use overrides::{apply_overrides, check_waivers};

/// A rule-file or rule-override problem.
#[derive(Debug, Error, Diagnostic)]
pub enum RuleError {
    /// A file or folder could not be read.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Unreadable(#[from] UnreadableFile),
    /// A problem at a place in a file.
    #[error("{message}")]
    #[diagnostic(code(drguard::rules::invalid), help("{help}"))]
    At {
        /// What is wrong.
        message: String,
        /// How to fix it.
        help: String,
        /// The file.
        #[source_code]
        src: crate::source::Excerpt,
        /// Where.
        #[label("{label}")]
        span: SourceSpan,
        /// Label text.
        label: String,
        /// Related places (e.g. the first definition of a duplicate id).
        #[related]
        related: Vec<RuleError>,
    },
    /// Where something was first defined (shown under a duplicate).
    #[error("{message}")]
    #[diagnostic(code(drguard::rules::first_definition))]
    FirstDefinition {
        /// What is there.
        message: String,
        /// The file.
        #[source_code]
        src: crate::source::Excerpt,
        /// Where.
        #[label("first definition")]
        span: SourceSpan,
    },
    /// Several problems; all are listed.
    #[error("{} problem(s) in rule files", problems.len())]
    #[diagnostic(code(drguard::rules::many))]
    Many {
        /// Each problem.
        #[related]
        problems: Vec<RuleError>,
    },
}

impl RuleError {
    fn at(file: &SourceFile, span: SourceSpan, message: String, label: &str, help: String) -> Self {
        RuleError::At {
            message,
            help,
            src: file.named(),
            span,
            label: label.into(),
            related: Vec::new(),
        }
    }

    fn bundle(mut problems: Vec<RuleError>) -> Result<(), RuleError> {
        match problems.len() {
            0 => Ok(()),
            1 => Err(problems.remove(0)),
            _ => Err(RuleError::Many { problems }),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRuleFile {
    rule: Vec<RawRule>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    id: Spanned<String>,
    name: Spanned<String>,
    title: String,
    severity: Severity,
    category: Category,
    resource: Spanned<String>,
    #[serde(rename = "where")]
    where_: Option<Spanned<String>>,
    assert: Spanned<String>,
    reads: Option<Spanned<String>>,
    blocks_failover: Option<Spanned<String>>,
    message: Spanned<String>,
    pass_message: Option<Spanned<String>>,
    empty_message: Option<Spanned<String>>,
    on_empty: Option<OnEmpty>,
    warning: Option<RawWarning>,
    rationale: String,
    remediation: String,
    #[serde(default)]
    references: Vec<String>,
    #[serde(default)]
    requires: Vec<Spanned<String>>,
    #[serde(default)]
    params: BTreeMap<String, toml::Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWarning {
    assert: Spanned<String>,
    severity: Severity,
    message: Spanned<String>,
}

/// A rule parsed from one file, with where its id was written.
struct Parsed {
    rule: Rule,
    file: SourceFile,
    id_span: SourceSpan,
}

fn value_span<T>(file: &SourceFile, value: &Spanned<T>) -> SourceSpan {
    let range = value.span();
    file.span(range.start, range.end - range.start)
}

/// True for a rule id: upper-case parts joined by `-` (`DRG-R53-001`).
pub fn is_rule_id(id: &str) -> bool {
    let mut parts = id.split('-');
    let first_ok = parts
        .next()
        .is_some_and(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_uppercase()));
    let rest: Vec<&str> = parts.collect();
    first_ok
        && !rest.is_empty()
        && rest.iter().all(|p| {
            !p.is_empty()
                && p.chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        })
}

/// True for a kebab-case name (`primary-health-check-fast-interval`).
pub fn is_kebab(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('-')
        && !name.ends_with('-')
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

fn validate_rule(file: &SourceFile, raw: RawRule, builtin: bool) -> Result<Parsed, Vec<RuleError>> {
    let mut problems = Vec::new();
    let id_span = value_span(file, &raw.id);
    if !is_rule_id(raw.id.get_ref()) {
        problems.push(RuleError::at(
            file,
            id_span,
            format!("rule id {:?} is not of the form AREA-NNN", raw.id.get_ref()),
            "bad id",
            "use upper-case parts joined by dashes, e.g. \"ACME-S3-001\"; ids are a public contract and never change".into(),
        ));
    }
    if !is_kebab(raw.name.get_ref()) {
        problems.push(RuleError::at(
            file,
            value_span(file, &raw.name),
            format!("rule name {:?} is not kebab-case", raw.name.get_ref()),
            "bad name",
            "name the compliant state in lower-case words joined by dashes, e.g. \"dr-asg-warm\""
                .into(),
        ));
    }
    let resource = match ResourceKind::parse(raw.resource.get_ref()) {
        Ok(kind) => Some(kind),
        Err(known) => {
            problems.push(RuleError::at(
                file,
                value_span(file, &raw.resource),
                format!("unknown resource type {:?}", raw.resource.get_ref()),
                "unknown type",
                format!("use one of: {known}"),
            ));
            None
        }
    };
    for source in &raw.requires {
        if !spec::is_known_source(source.get_ref()) {
            problems.push(RuleError::at(
                file,
                value_span(file, source),
                format!("unknown data source {:?} in `requires`", source.get_ref()),
                "unknown source",
                format!("use one of: {}", spec::source_names().join(", ")),
            ));
        }
    }
    let param_names: BTreeSet<String> = raw.params.keys().cloned().collect();
    let mut compile = |value: &Spanned<String>, what: &str| -> Option<Expression> {
        match cel::compile(value.get_ref(), names(&param_names, resource)) {
            Ok(expression) => Some(expression),
            Err(err) => {
                problems.push(RuleError::at(
                    file,
                    file.span_in_string(value, err.offset, err.len),
                    format!("in `{what}` of rule {}: {}", raw.id.get_ref(), err.message),
                    "here",
                    err.help,
                ));
                None
            }
        }
    };
    let where_ = raw.where_.as_ref().map(|w| compile(w, "where"));
    let assert = compile(&raw.assert, "assert");
    let reads = raw.reads.as_ref().map(|r| compile(r, "reads"));
    let blocks_failover = raw
        .blocks_failover
        .as_ref()
        .map(|b| compile(b, "blocks_failover"));
    let warning_assert = raw
        .warning
        .as_ref()
        .map(|w| compile(&w.assert, "warning.assert"));
    let mut templates = Vec::new();
    for (value, what) in [
        (Some(&raw.message), "message"),
        (raw.pass_message.as_ref(), "pass_message"),
        (raw.empty_message.as_ref(), "empty_message"),
        (raw.warning.as_ref().map(|w| &w.message), "warning.message"),
    ] {
        let Some(value) = value else {
            templates.push(None);
            continue;
        };
        match cel::compile_template(value.get_ref(), names(&param_names, resource)) {
            Ok(template) => templates.push(Some(template)),
            Err(err) => {
                problems.push(RuleError::at(
                    file,
                    file.span_in_string(value, err.offset, err.len),
                    format!("in `{what}` of rule {}: {}", raw.id.get_ref(), err.message),
                    "here",
                    err.help,
                ));
                templates.push(None);
            }
        }
    }
    let (Some(resource), Some(assert), true) = (resource, assert, problems.is_empty()) else {
        return Err(problems);
    };
    let mut templates = templates.into_iter();
    let message = templates.next().flatten();
    let pass_message = templates.next().flatten();
    let empty_message = templates.next().flatten();
    let warning_message = templates.next().flatten();
    let warning = match (&raw.warning, warning_assert.flatten(), warning_message) {
        (Some(raw_warning), Some(assert), Some(message)) => Some(Warning {
            assert,
            severity: raw_warning.severity,
            message,
        }),
        (Some(_), _, _) => return Err(problems),
        (None, _, _) => None,
    };
    let (Some(message), Some(where_), Some(reads), Some(blocks_failover)) = (
        message,
        where_.map_or(Some(None), |w| w.map(Some)),
        reads.map_or(Some(None), |r| r.map(Some)),
        blocks_failover.map_or(Some(None), |b| b.map(Some)),
    ) else {
        return Err(problems);
    };
    // The budget's achievability is decided from the rules that do not read
    // it: a rule that reads `budget` cannot also block the failover.
    if let (Some(blocks), Some(expression)) = (&raw.blocks_failover, &blocks_failover) {
        let reads_budget = raw.resource.get_ref() == "budget.store"
            || expression.uses_budget
            || assert.uses_budget
            || where_.as_ref().is_some_and(|w| w.uses_budget);
        if reads_budget {
            return Err(vec![RuleError::at(
                file,
                value_span(file, blocks),
                format!(
                    "rule {} reads `budget` and sets `blocks_failover`",
                    raw.id.get_ref()
                ),
                "here",
                "the budget's achievability is decided from the rules that do not read \
                 `budget`: remove `blocks_failover`, or stop reading `budget`"
                    .into(),
            )]);
        }
    }
    Ok(Parsed {
        rule: Rule {
            id: raw.id.into_inner(),
            name: raw.name.into_inner(),
            title: raw.title,
            severity: raw.severity,
            default_severity: raw.severity,
            category: raw.category,
            resource,
            where_,
            assert,
            reads,
            blocks_failover,
            message,
            pass_message,
            empty_message,
            warning,
            on_empty: raw.on_empty.unwrap_or(OnEmpty::NotApplicable),
            rationale: raw.rationale.trim().to_string(),
            remediation: raw.remediation.trim().to_string(),
            references: raw.references,
            requires: raw.requires.into_iter().map(Spanned::into_inner).collect(),
            params: raw
                .params
                .iter()
                .map(|(k, v)| (k.clone(), toml_to_json(v)))
                .collect(),
            enabled: true,
            origin: file.name.clone(),
            builtin,
        },
        file: file.clone(),
        id_span,
    })
}

/// Every `.toml` file under a folder, sorted, recursively.
fn toml_files(dir: &Path) -> Result<Vec<PathBuf>, RuleError> {
    let unreadable = |reason: String| UnreadableFile {
        what: "rule folder",
        path: dir.display().to_string(),
        reason,
        help: "pass a folder that contains rule files (*.toml)".into(),
    };
    if !dir.is_dir() {
        return Err(unreadable(if dir.exists() {
            "it is not a folder".into()
        } else {
            "no such folder".into()
        })
        .into());
    }
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        let entries = std::fs::read_dir(&current).map_err(|e| unreadable(e.to_string()))?;
        for entry in entries {
            let path = entry.map_err(|e| unreadable(e.to_string()))?.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "toml") {
                files.push(path);
            }
        }
    }
    files.sort();
    Ok(files)
}

/// Loads rules from files (built-in and user folders), applies config overrides,
/// and checks ids are unique across all of them.
pub fn load_rule_set(config: &Config, extra_dirs: &[PathBuf]) -> Result<RuleSet, RuleError> {
    let mut files: Vec<(SourceFile, bool)> = super::catalog::builtin_files()
        .into_iter()
        .map(|f| (f, true))
        .collect();
    for dir in config.rules.paths.iter().chain(extra_dirs) {
        for path in toml_files(dir)? {
            files.push((SourceFile::read(&path, "rule file")?, false));
        }
    }
    build(files, config)
}

/// Parses user rule files held in memory (no built-ins), with every check
/// [`load_rule_set`] makes: unique ids, compiled CEL, config overrides. For
/// tools and the fuzz targets (`fuzz/fuzz_targets/rule_file.rs`).
pub fn parse_rule_files(files: Vec<SourceFile>, config: &Config) -> Result<RuleSet, RuleError> {
    build(files.into_iter().map(|f| (f, false)).collect(), config)
}

fn build(files: Vec<(SourceFile, bool)>, config: &Config) -> Result<RuleSet, RuleError> {
    let mut problems = Vec::new();
    let mut parsed: Vec<Parsed> = Vec::new();
    for (file, builtin) in &files {
        match parse_file(file, *builtin) {
            Ok(mut rules) => parsed.append(&mut rules),
            Err(RuleError::Many { problems: mut many }) => problems.append(&mut many),
            Err(err) => problems.push(err),
        }
    }
    let mut first_seen: HashMap<String, usize> = HashMap::new();
    let mut unique = Vec::new();
    for item in parsed {
        if let Some(original) = first_seen
            .get(&item.rule.id)
            .and_then(|&first| unique.get(first))
        {
            let original: &Parsed = original;
            let first_definition = RuleError::FirstDefinition {
                message: format!("{} is first defined here", item.rule.id),
                src: original.file.named(),
                span: original.id_span,
            };
            problems.push(RuleError::At {
                message: format!("duplicate rule id {}", item.rule.id),
                help: "rule ids are unique across built-in and user rules: rename this one (user rules use their own prefix, e.g. ACME-…)".into(),
                src: item.file.named(),
                span: item.id_span,
                label: "defined again".into(),
                related: vec![first_definition],
            });
            continue;
        }
        first_seen.insert(item.rule.id.clone(), unique.len());
        unique.push(item);
    }
    let mut rules: Vec<Rule> = unique.into_iter().map(|p| p.rule).collect();
    apply_overrides(&mut rules, config, &mut problems);
    check_waivers(&rules, config, &mut problems);
    RuleError::bundle(problems)?;
    rules.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(RuleSet { rules })
}
