//! Loading the budget model (`rules/budget.toml` or a user's file): spanned
//! TOML → validated steps and stores with compiled CEL, defaults in seconds,
//! and config overrides applied. Unknown `after` targets, cycles, negative
//! durations and bad CEL point at the file, line and column.

// Model errors are cold paths that end the run.
#![allow(clippy::result_large_err)]

use std::collections::{BTreeMap, BTreeSet, HashMap};

use miette::{Diagnostic, NamedSource, SourceSpan};
use serde::Deserialize;
use thiserror::Error;
use toml::Spanned;

use crate::cel::{self, CompileError, Expression, Names, Template};
use crate::config::{Config, parse_duration};
use crate::source::{SourceFile, UnreadableFile};

/// The budget model embedded in the binary.
pub const BUILTIN: &str = include_str!("../../rules/budget.toml");

/// Variables budget expressions may read.
pub const VARIABLES: [&str; 5] = ["topology", "snapshot", "app", "targets", "defaults"];

/// A documented figure, in seconds (None = "none": no such bound).
#[derive(Debug, Clone)]
pub struct DocumentedFigure {
    /// Nominal value.
    pub value: Option<f64>,
    /// Worst case (the nominal value when the model gives none).
    pub worst: Option<f64>,
    /// Where the figure comes from.
    pub source: String,
    /// Documentation link.
    pub url: Option<String>,
    /// True when drguard.toml overrode it.
    pub overridden: bool,
}

/// One failover step.
#[derive(Debug)]
pub struct Step {
    /// Stable id.
    pub id: String,
    /// What happens.
    pub title: String,
    /// Steps that must finish first.
    pub after: Vec<String>,
    /// When the step applies (always when absent).
    pub when: Option<Expression>,
    /// Nominal duration in seconds.
    pub seconds: Expression,
    /// Worst-case duration (the nominal one when absent).
    pub worst_case_seconds: Option<Expression>,
    /// Where the figure comes from.
    pub source: Template,
    /// Documentation link.
    pub url: Option<String>,
}

/// One data store of the RPO budget.
#[derive(Debug)]
pub struct Store {
    /// Stable id.
    pub id: String,
    /// What it is.
    pub title: String,
    /// When the store applies.
    pub when: Option<Expression>,
    /// Typical data loss, seconds.
    pub typical_seconds: Expression,
    /// Measured data loss (null when not measured).
    pub measured_seconds: Option<Expression>,
    /// Guaranteed bound (null = no guarantee).
    pub guaranteed_seconds: Option<Expression>,
    /// Where the figures come from.
    pub source: Template,
    /// Documentation link.
    pub url: Option<String>,
}

/// A validated budget model.
#[derive(Debug)]
pub struct Model {
    /// Named documented figures.
    pub defaults: BTreeMap<String, DocumentedFigure>,
    /// Steps in a topological order.
    pub steps: Vec<Step>,
    /// Data stores.
    pub stores: Vec<Store>,
    /// The file it came from.
    pub origin: String,
}

impl Step {
    /// Its CEL expressions: `when`, `seconds`, `worst_case_seconds`, and the
    /// holes of its `source` template.
    pub fn expressions(&self) -> impl Iterator<Item = &Expression> {
        [
            self.when.as_ref(),
            Some(&self.seconds),
            self.worst_case_seconds.as_ref(),
        ]
        .into_iter()
        .flatten()
        .chain(self.source.expressions())
    }
}

impl Store {
    /// Its CEL expressions: `when`, the three figures, and the holes of its
    /// `source` template.
    pub fn expressions(&self) -> impl Iterator<Item = &Expression> {
        [
            self.when.as_ref(),
            Some(&self.typical_seconds),
            self.measured_seconds.as_ref(),
            self.guaranteed_seconds.as_ref(),
        ]
        .into_iter()
        .flatten()
        .chain(self.source.expressions())
    }
}

impl Model {
    /// True when an expression reads `snapshot` (the whole snapshot is then
    /// turned into a CEL value; the built-in model reads only the topology).
    pub fn reads_snapshot(&self) -> bool {
        self.steps
            .iter()
            .flat_map(Step::expressions)
            .chain(self.stores.iter().flat_map(Store::expressions))
            .any(|e| e.uses_snapshot)
    }
}

/// A budget-model problem.
#[derive(Debug, Error, Diagnostic)]
pub enum ModelError {
    /// The file could not be read.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Unreadable(#[from] UnreadableFile),
    /// A problem at a place in a file.
    #[error("{message}")]
    #[diagnostic(code(drguard::budget::invalid), help("{help}"))]
    At {
        /// What is wrong.
        message: String,
        /// How to fix it.
        help: String,
        /// The file.
        #[source_code]
        src: NamedSource<std::sync::Arc<String>>,
        /// Where.
        #[label("here")]
        span: SourceSpan,
    },
    /// Several problems.
    #[error("{} problem(s) in the budget model", problems.len())]
    #[diagnostic(code(drguard::budget::many))]
    Many {
        /// Each one.
        #[related]
        problems: Vec<ModelError>,
    },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawModel {
    #[serde(default)]
    defaults: BTreeMap<String, RawDefault>,
    #[serde(default)]
    step: Vec<RawStep>,
    #[serde(default)]
    store: Vec<RawStore>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDefault {
    value: Spanned<String>,
    worst: Option<Spanned<String>>,
    source: String,
    url: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStep {
    id: Spanned<String>,
    title: String,
    #[serde(default)]
    after: Vec<Spanned<String>>,
    when: Option<Spanned<String>>,
    seconds: Spanned<String>,
    worst_case_seconds: Option<Spanned<String>>,
    source: Spanned<String>,
    url: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStore {
    id: Spanned<String>,
    title: String,
    when: Option<Spanned<String>>,
    typical_seconds: Spanned<String>,
    measured_seconds: Option<Spanned<String>>,
    guaranteed_seconds: Option<Spanned<String>>,
    source: Spanned<String>,
    url: Option<String>,
}

/// Parses `"15m"` or `"none"` into seconds.
fn seconds_or_none(text: &str) -> Result<Option<f64>, String> {
    if text.trim() == "none" {
        return Ok(None);
    }
    parse_duration(text).map(|s| Some(s as f64))
}

struct Loader<'f> {
    file: &'f SourceFile,
    problems: Vec<ModelError>,
}

impl Loader<'_> {
    fn span<T>(&self, value: &Spanned<T>) -> SourceSpan {
        let range = value.span();
        self.file.span(range.start, range.end - range.start)
    }

    fn problem(&mut self, span: SourceSpan, message: String, help: &str) {
        self.problems.push(ModelError::At {
            message,
            help: help.into(),
            src: self.file.named(),
            span,
        });
    }

    fn expression_span(&self, value: &Spanned<String>, err: &CompileError) -> SourceSpan {
        crate::rules::load::expression_span(self.file, value, err)
    }

    fn compile(
        &mut self,
        value: &Spanned<String>,
        names: Names<'_>,
        what: &str,
    ) -> Option<Expression> {
        match cel::compile(value.get_ref(), names) {
            Ok(expression) => Some(expression),
            Err(err) => {
                let span = self.expression_span(value, &err);
                self.problem(span, format!("in `{what}`: {}", err.message), &err.help);
                None
            }
        }
    }

    fn template(
        &mut self,
        value: &Spanned<String>,
        names: Names<'_>,
        what: &str,
    ) -> Option<Template> {
        match cel::compile_template(value.get_ref(), names) {
            Ok(template) => Some(template),
            Err(err) => {
                let span = self.expression_span(value, &err);
                self.problem(span, format!("in `{what}`: {}", err.message), &err.help);
                None
            }
        }
    }
}

/// Loads the model named in the config (or the built-in one) and applies
/// `[budget.defaults]` overrides.
pub fn load(config: &Config) -> Result<Model, ModelError> {
    let file = match &config.budget.model {
        Some(path) => SourceFile::read(path, "budget model")?,
        None => SourceFile::new("rules/budget.toml", BUILTIN),
    };
    let mut model = parse(&file)?;
    apply_overrides(&mut model, config)?;
    Ok(model)
}

/// Parses and validates a model file.
pub fn parse(file: &SourceFile) -> Result<Model, ModelError> {
    let raw: RawModel = toml::from_str(&file.text).map_err(|err| {
        let span = err.span().unwrap_or(0..0);
        ModelError::At {
            message: err.message().trim().to_string(),
            help: "a budget model holds [defaults.NAME] tables, [[step]] and [[store]] tables; see docs/budget.md".into(),
            src: file.named(),
            span: file.span(span.start, span.end.saturating_sub(span.start)),
        }
    })?;
    let mut loader = Loader {
        file,
        problems: Vec::new(),
    };
    let mut defaults = BTreeMap::new();
    for (name, raw_default) in raw.defaults {
        let value = seconds_or_none(raw_default.value.get_ref());
        let worst = raw_default
            .worst
            .as_ref()
            .map(|w| (w, seconds_or_none(w.get_ref())));
        let value = match value {
            Ok(v) => v,
            Err(reason) => {
                let span = loader.span(&raw_default.value);
                loader.problem(
                    span,
                    format!(
                        "default `{name}` = {:?}: {reason}",
                        raw_default.value.get_ref()
                    ),
                    "write a duration such as \"90s\" or \"5m\", or \"none\" for no bound",
                );
                None
            }
        };
        let worst = match worst {
            None => value,
            Some((_, Ok(w))) => w,
            Some((spanned, Err(reason))) => {
                let span = loader.span(spanned);
                loader.problem(
                    span,
                    format!("worst case of `{name}` = {:?}: {reason}", spanned.get_ref()),
                    "write a duration such as \"15m\", or \"none\"",
                );
                None
            }
        };
        defaults.insert(
            name,
            DocumentedFigure {
                value,
                worst,
                source: raw_default.source,
                url: raw_default.url,
                overridden: false,
            },
        );
    }
    let declared: BTreeSet<String> = defaults
        .keys()
        .flat_map(|name| [name.clone(), format!("{name}_worst")])
        .collect();
    let names = Names {
        variables: &VARIABLES,
        table: "defaults",
        declared: &declared,
        reader: "the budget model",
        declared_in: "the model's [defaults] tables",
    };
    let mut steps = Vec::new();
    let mut ids: HashMap<String, SourceSpan> = HashMap::new();
    for raw_step in &raw.step {
        let id = raw_step.id.get_ref().clone();
        let span = loader.span(&raw_step.id);
        if ids.insert(id.clone(), span).is_some() {
            loader.problem(
                span,
                format!("duplicate step id `{id}`"),
                "step ids are unique within the model",
            );
        }
        let when = raw_step
            .when
            .as_ref()
            .and_then(|w| loader.compile(w, names, "when"));
        let seconds = loader.compile(&raw_step.seconds, names, "seconds");
        let worst = raw_step
            .worst_case_seconds
            .as_ref()
            .map(|w| loader.compile(w, names, "worst_case_seconds"));
        let source = loader.template(&raw_step.source, names, "source");
        if let (Some(seconds), Some(source)) = (seconds, source) {
            steps.push(Step {
                id,
                title: raw_step.title.clone(),
                after: raw_step.after.iter().map(|a| a.get_ref().clone()).collect(),
                when,
                seconds,
                worst_case_seconds: worst.flatten(),
                source,
                url: raw_step.url.clone(),
            });
        }
    }
    for raw_step in &raw.step {
        for after in &raw_step.after {
            if !ids.contains_key(after.get_ref()) {
                let span = loader.span(after);
                let known: Vec<&str> = raw.step.iter().map(|s| s.id.get_ref().as_str()).collect();
                loader.problem(
                    span,
                    format!(
                        "step `{}` waits for unknown step `{}`",
                        raw_step.id.get_ref(),
                        after.get_ref()
                    ),
                    &format!("`after` names step ids of this model: {}", known.join(", ")),
                );
            }
        }
    }
    let mut stores = Vec::new();
    for raw_store in &raw.store {
        let when = raw_store
            .when
            .as_ref()
            .and_then(|w| loader.compile(w, names, "when"));
        let typical = loader.compile(&raw_store.typical_seconds, names, "typical_seconds");
        let measured = raw_store
            .measured_seconds
            .as_ref()
            .and_then(|m| loader.compile(m, names, "measured_seconds"));
        let guaranteed = raw_store
            .guaranteed_seconds
            .as_ref()
            .and_then(|g| loader.compile(g, names, "guaranteed_seconds"));
        let source = loader.template(&raw_store.source, names, "source");
        if let (Some(typical), Some(source)) = (typical, source) {
            stores.push(Store {
                id: raw_store.id.get_ref().clone(),
                title: raw_store.title.clone(),
                when,
                typical_seconds: typical,
                measured_seconds: measured,
                guaranteed_seconds: guaranteed,
                source,
                url: raw_store.url.clone(),
            });
        }
    }
    if loader.problems.is_empty()
        && let Err(cycle) = order_steps(&mut steps)
    {
        let span = cycle
            .first()
            .and_then(|id| ids.get(id))
            .copied()
            .unwrap_or_else(|| file.span(0, 0));
        loader.problem(
            span,
            format!(
                "the steps wait for each other in a cycle: {}",
                cycle.join(" → ")
            ),
            "remove one of the `after` entries so the steps form a sequence",
        );
    }
    match loader.problems.len() {
        0 => Ok(Model {
            defaults,
            steps,
            stores,
            origin: file.name.clone(),
        }),
        1 => Err(loader.problems.remove(0)),
        _ => Err(ModelError::Many {
            problems: loader.problems,
        }),
    }
}

/// Sorts steps so each comes after the steps it waits for; on a cycle,
/// returns the ids on it (first id repeated at the end).
pub fn order_steps(steps: &mut Vec<Step>) -> Result<(), Vec<String>> {
    let index: HashMap<String, usize> = steps
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.clone(), i))
        .collect();
    // 0 = unvisited, 1 = on the stack, 2 = done.
    let mut state = vec![0u8; steps.len()];
    let mut order = Vec::with_capacity(steps.len());
    fn visit(
        node: usize,
        steps: &[Step],
        index: &HashMap<String, usize>,
        state: &mut [u8],
        order: &mut Vec<usize>,
        stack: &mut Vec<usize>,
    ) -> Result<(), Vec<String>> {
        match state.get(node).copied() {
            Some(2) | None => return Ok(()),
            Some(1) => {
                let start = stack.iter().position(|&n| n == node).unwrap_or(0);
                let mut cycle: Vec<String> = stack
                    .get(start..)
                    .unwrap_or_default()
                    .iter()
                    .filter_map(|&n| steps.get(n).map(|s| s.id.clone()))
                    .collect();
                if let Some(first) = cycle.first().cloned() {
                    cycle.push(first);
                }
                return Err(cycle);
            }
            _ => {}
        }
        if let Some(slot) = state.get_mut(node) {
            *slot = 1;
        }
        stack.push(node);
        if let Some(step) = steps.get(node) {
            for after in &step.after {
                if let Some(&previous) = index.get(after) {
                    visit(previous, steps, index, state, order, stack)?;
                }
            }
        }
        stack.pop();
        if let Some(slot) = state.get_mut(node) {
            *slot = 2;
        }
        order.push(node);
        Ok(())
    }
    let mut stack = Vec::new();
    for node in 0..steps.len() {
        visit(node, steps, &index, &mut state, &mut order, &mut stack)?;
    }
    let mut taken: Vec<Option<Step>> = std::mem::take(steps).into_iter().map(Some).collect();
    for node in order {
        if let Some(step) = taken.get_mut(node).and_then(Option::take) {
            steps.push(step);
        }
    }
    Ok(())
}

fn apply_overrides(model: &mut Model, config: &Config) -> Result<(), ModelError> {
    let Some(file) = &config.source else {
        return Ok(());
    };
    let mut problems = Vec::new();
    for (key, (value, span)) in &config.budget.defaults {
        let (name, worst) = match key.strip_suffix("_worst") {
            Some(base) if model.defaults.contains_key(base) => (base, true),
            _ => (key.as_str(), false),
        };
        let Some(default) = model.defaults.get_mut(name) else {
            let known: Vec<&str> = model.defaults.keys().map(String::as_str).collect();
            problems.push(ModelError::At {
                message: format!(
                    "`[budget.defaults]` names no default `{key}` of {}",
                    model.origin
                ),
                help: format!(
                    "known defaults (add `_worst` for the worst case): {}",
                    known.join(", ")
                ),
                src: file.named(),
                span: *span,
            });
            continue;
        };
        if worst {
            default.worst = *value;
        } else {
            default.value = *value;
            if default.worst.is_some_and(|w| value.is_none_or(|v| w < v)) || value.is_none() {
                default.worst = *value;
            }
        }
        default.overridden = true;
        default.source = format!(
            "drguard.toml [budget.defaults] {key} (model default: {})",
            default.source
        );
    }
    for (step, (_, span)) in &config.budget.claims.steps {
        if !model.steps.iter().any(|s| &s.id == step) {
            let known: Vec<&str> = model.steps.iter().map(|s| s.id.as_str()).collect();
            problems.push(ModelError::At {
                message: format!(
                    "`[budget.claims.steps]` names no step `{step}` of {}",
                    model.origin
                ),
                help: format!(
                    "claims compare with the model's steps: {}",
                    known.join(", ")
                ),
                src: file.named(),
                span: *span,
            });
        }
    }
    match problems.len() {
        0 => Ok(()),
        1 => Err(problems.remove(0)),
        _ => Err(ModelError::Many { problems }),
    }
}
