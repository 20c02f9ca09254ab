//! A model file as typed (spanned TOML) → a validated model: durations in
//! seconds, CEL compiled, `after` targets checked, steps ordered.

#![allow(clippy::result_large_err)]

use std::collections::{BTreeMap, BTreeSet, HashMap};

use miette::SourceSpan;
use serde::Deserialize;
use toml::Spanned;

use super::*;
use crate::cel::{self, CompileError, Expression, Names, Template};
use crate::config::parse_duration;
use crate::source::SourceFile;

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
    also_after: Option<Spanned<String>>,
    when: Option<Spanned<String>>,
    seconds: Spanned<String>,
    worst_case_seconds: Option<Spanned<String>>,
    unbounded_when: Option<Spanned<String>>,
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
        self.file.span_in_string(value, err.offset, err.len)
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
        resource_fields: None,
        resource_kind: "",
        variable_fields: None,
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
        let also_after = raw_step
            .also_after
            .as_ref()
            .map(|a| loader.compile(a, names, "also_after"));
        let unbounded_when = raw_step
            .unbounded_when
            .as_ref()
            .map(|u| loader.compile(u, names, "unbounded_when"));
        let source = loader.template(&raw_step.source, names, "source");
        if let (Some(seconds), Some(source)) = (seconds, source) {
            steps.push(Step {
                id,
                title: raw_step.title.clone(),
                after: raw_step.after.iter().map(|a| a.get_ref().clone()).collect(),
                also_after: also_after.flatten(),
                when,
                seconds,
                worst_case_seconds: worst.flatten(),
                unbounded_when: unbounded_when.flatten(),
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
