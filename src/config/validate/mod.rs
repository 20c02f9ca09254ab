//! Raw → validated configuration: durations, percentages, regions, rule
//! overrides, waivers. Every problem is collected before any is reported,
//! so one run shows everything to fix (the second of the two loading phases).

mod app;
mod budget;
mod collect;
mod plan;
mod values;
mod waiver;

use std::path::{Path, PathBuf};

use miette::SourceSpan;
use toml::Spanned;

pub use values::{parse_percent, toml_to_json};

use super::duration::parse_duration;
use super::error::{ConfigError, InvalidValue};
use super::model::{Config, RuleOverride};
use super::raw::RawConfig;
use crate::source::SourceFile;

pub(super) struct Validator {
    file: SourceFile,
    base: PathBuf,
    problems: Vec<InvalidValue>,
    warnings: Vec<String>,
}

impl Validator {
    pub(super) fn new(file: SourceFile, base: &Path) -> Self {
        Validator {
            file,
            base: base.to_path_buf(),
            problems: Vec::new(),
            warnings: Vec::new(),
        }
    }

    fn span_of<T>(&self, spanned: &Spanned<T>) -> SourceSpan {
        let range = spanned.span();
        self.file.span(range.start, range.end - range.start)
    }

    fn problem(&mut self, span: SourceSpan, message: String, label: &str, help: &str) {
        self.problems.push(InvalidValue {
            message,
            help: help.into(),
            src: self.file.named(),
            span,
            label: label.into(),
            other: None,
            other_label: String::new(),
        });
    }

    pub(super) fn validate(mut self, raw: RawConfig) -> Result<Config, ConfigError> {
        let mut config = Config::default();
        self.app(raw.app, &mut config.app);
        self.targets(raw.targets, &mut config.targets);
        config.scope.tags = raw.scope.tags;
        self.budget(raw.budget, &mut config.budget);
        self.collect(raw.collect, &mut config.collect);
        self.plan(raw.plan, &mut config);
        for path in raw.rules.paths {
            config.rules.paths.push(self.base.join(path.get_ref()));
        }
        for (id, raw_override) in raw.rules.overrides {
            let span = self.span_of(&id);
            let params = raw_override
                .params
                .into_iter()
                .map(|(name, value)| {
                    let span = self.span_of(&value);
                    (name.into_inner(), (toml_to_json(value.get_ref()), span))
                })
                .collect();
            config.rules.overrides.insert(
                id.into_inner(),
                RuleOverride {
                    severity: raw_override.severity,
                    enabled: raw_override.enabled,
                    params,
                    span,
                },
            );
        }
        if let Some(days) = self.waiver_settings(raw.waivers) {
            config.waiver_expiry_notice_days = days;
        }
        for raw_waiver in raw.waiver {
            if let Some(waiver) = self.waiver(raw_waiver) {
                config.waivers.push(waiver);
            }
        }
        if self.problems.is_empty() {
            config.warnings = self.warnings;
            config.source = Some(self.file);
            Ok(config)
        } else {
            Err(ConfigError::Invalid {
                file: self.file.name.clone(),
                problems: self.problems,
            })
        }
    }

    /// `file:line:column` of a byte offset, for reports that point back at the config.
    /// A value that loads but looks like a mistake: said on stderr.
    fn warn<T>(&mut self, value: &Spanned<T>, message: String) {
        let at = self.location(value.span().start);
        self.warnings.push(format!("{at}: {message}"));
    }

    fn location(&self, offset: usize) -> String {
        let before = self.file.text.get(..offset).unwrap_or_default();
        let line = before.matches('\n').count() + 1;
        let column = before
            .rsplit_once('\n')
            .map_or(before, |(_, tail)| tail)
            .chars()
            .count()
            + 1;
        format!("{}:{line}:{column}", self.file.name)
    }

    fn duration(&mut self, value: &Spanned<String>, key: &str) -> Option<u64> {
        match parse_duration(value.get_ref()) {
            Ok(seconds) => Some(seconds),
            Err(reason) => {
                self.problem(
                    self.span_of(value),
                    format!("`{key}` = {:?}: {reason}", value.get_ref()),
                    "not a duration",
                    "write a positive duration with a unit: \"90s\", \"15m\", \"1h30m\"",
                );
                None
            }
        }
    }
}
