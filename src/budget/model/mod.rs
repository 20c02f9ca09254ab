//! Loading the budget model (`rules/budget.toml` or a user's file): spanned
//! TOML → validated steps and stores with compiled CEL, defaults in seconds,
//! and config overrides applied. Unknown `after` targets, cycles, negative
//! durations and bad CEL point at the file, line and column.

// Model errors are cold paths that end the run.
#![allow(clippy::result_large_err)]

use std::collections::BTreeMap;

use miette::{Diagnostic, SourceSpan};
use thiserror::Error;

use crate::cel::{Expression, Template};
use crate::config::Config;
use crate::source::{SourceFile, UnreadableFile};

mod order;
mod parse;

pub use order::order_steps;
pub use parse::parse;

/// The budget model embedded in the binary.
pub const BUILTIN: &str = include_str!("../../../rules/budget.toml");

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
    /// More steps to wait for, decided by the configuration (a CEL list of
    /// step ids that come earlier in the model: the runbook waits for the
    /// database before scaling, DNS waits for a deep DR check to turn green).
    pub also_after: Option<Expression>,
    /// When the step applies (always when absent).
    pub when: Option<Expression>,
    /// Nominal duration in seconds.
    pub seconds: Expression,
    /// Worst-case duration (the nominal one when absent).
    pub worst_case_seconds: Option<Expression>,
    /// When the step's worst case has no bound (a control plane in the
    /// failed region): the RTO's worst case is then unbounded.
    pub unbounded_when: Option<Expression>,
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
            self.also_after.as_ref(),
            self.unbounded_when.as_ref(),
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
        src: crate::source::Excerpt,
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
