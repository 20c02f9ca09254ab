//! `drguard.toml`: what the app is, what the contract promises, and how to audit it.
//!
//! Loading is two-phase, as in cargo-deny: the TOML is first deserialised
//! into raw types that keep the span of every value (unknown keys and wrong
//! types fail here, pointing at the key), then validated into [`Config`]
//! (durations, percentages, regions), collecting every problem before
//! reporting them together.

mod duration;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use miette::{Diagnostic, SourceSpan};
use serde::Deserialize;
use thiserror::Error;
use toml::Spanned;

pub use duration::{format_duration, parse_duration};

use crate::cel::bindings::{AppBinding, TargetsBinding};
use crate::source::{SourceFile, UnreadableFile};
use crate::vocab::{Severity, is_region_name, sources};

/// The validated configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// The application under audit.
    pub app: App,
    /// The contract's targets.
    pub targets: Targets,
    /// Which data stores belong to the app.
    pub scope: Scope,
    /// Extra rule folders and per-rule overrides.
    pub rules: RulesConfig,
    /// The RTO/RPO budget model, overrides and the design's own claims.
    pub budget: BudgetConfig,
    /// Accepted gaps, each until a date (`[[waiver]]`).
    pub waivers: Vec<Waiver>,
    /// How live collection talks to AWS, and what it skips.
    pub collect: CollectConfig,
    /// The file the config came from (None for built-in defaults).
    pub source: Option<SourceFile>,
}

/// `[app]`.
#[derive(Debug, Clone)]
pub struct App {
    /// Short name used in reports.
    pub name: String,
    /// The domain whose failover records are audited.
    pub domain: Option<String>,
    /// The primary region.
    pub primary_region: String,
    /// The disaster-recovery region.
    pub dr_region: String,
    /// Name of the failover runbook (SSM document); detected from its steps when unset.
    pub runbook: Option<String>,
}

/// `[targets]`, in seconds and percent.
#[derive(Debug, Clone)]
pub struct Targets {
    /// Recovery time objective.
    pub rto_seconds: u64,
    /// Recovery point objective.
    pub rpo_seconds: u64,
    /// Availability in percent (99.99).
    pub availability_percent: f64,
    /// Failovers per year the availability budget must absorb, drills included.
    pub expected_failovers_per_year: f64,
}

/// `[scope]`.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    /// A resource is in scope when it carries every one of these tags.
    pub tags: BTreeMap<String, String>,
}

/// `[budget]`.
#[derive(Debug, Clone, Default)]
pub struct BudgetConfig {
    /// A model file replacing the built-in `rules/budget.toml`.
    pub model: Option<PathBuf>,
    /// Single defaults replaced, in seconds (None = "none"), with where they were written.
    pub defaults: BTreeMap<String, (Option<f64>, SourceSpan)>,
    /// What the design document claims, to compare with the estimate.
    pub claims: Claims,
}

/// `[budget.claims]`: the design's own figures, in seconds.
#[derive(Debug, Clone, Default)]
pub struct Claims {
    /// Where the figures come from (e.g. "reference design, section 4").
    pub source: Option<String>,
    /// Claimed RTO.
    pub rto: Option<u64>,
    /// Claimed RPO.
    pub rpo: Option<u64>,
    /// Claimed step durations by step id, with where each was written.
    pub steps: BTreeMap<String, (u64, SourceSpan)>,
}

/// `[rules]`.
#[derive(Debug, Clone, Default)]
pub struct RulesConfig {
    /// Extra rule folders, resolved against the config file's folder.
    pub paths: Vec<PathBuf>,
    /// Per-rule overrides keyed by rule id.
    pub overrides: BTreeMap<String, RuleOverride>,
}

/// `[[waiver]]`: a failing result accepted until a date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waiver {
    /// The rule id it applies to (exact).
    pub rule: String,
    /// Glob over the result's resource ARN (`*` any run, `?` one character).
    pub resource: String,
    /// Why the gap is accepted (a ticket, a plan).
    pub reason: String,
    /// Last day the waiver applies; from the next day on the result fails again.
    pub expires: chrono::NaiveDate,
    /// Who owns the gap.
    pub owner: Option<String>,
    /// Where it is written, `file:line:column`, for reports that call it stale or expired.
    pub defined_at: String,
}

/// `[collect]`: retries, timeouts, concurrency, the metric window and skips.
#[derive(Debug, Clone, PartialEq)]
pub struct CollectConfig {
    /// Attempts per API call, the first included (the SDK's standard retry with backoff).
    pub max_attempts: u32,
    /// Seconds to establish a connection.
    pub connect_timeout_seconds: u64,
    /// Seconds one attempt (one HTTP request) may take.
    pub attempt_timeout_seconds: u64,
    /// Seconds one call may take, retries included.
    pub operation_timeout_seconds: u64,
    /// Calls in flight at once per service (all regions together).
    pub concurrency: usize,
    /// Route 53 requests per second (the account-wide API limit is 5).
    pub route53_requests_per_second: u32,
    /// Window the CloudWatch metric summaries cover, in seconds.
    pub metric_window_seconds: u64,
    /// Data sources skipped on purpose.
    pub skip: Vec<Skip>,
}

impl Default for CollectConfig {
    fn default() -> Self {
        CollectConfig {
            max_attempts: 10,
            connect_timeout_seconds: 5,
            attempt_timeout_seconds: 20,
            operation_timeout_seconds: 120,
            concurrency: 8,
            route53_requests_per_second: 5,
            metric_window_seconds: 24 * 3600,
            skip: Vec::new(),
        }
    }
}

/// `[[collect.skip]]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skip {
    /// A data-source name (`globalaccelerator`, `elasticache.global_replication_groups`).
    pub source: String,
    /// Why, shown in every report.
    pub reason: String,
}

/// `[rules."ID"]`.
#[derive(Debug, Clone)]
pub struct RuleOverride {
    /// Replaces the rule's default severity.
    pub severity: Option<Severity>,
    /// `false` turns the rule off.
    pub enabled: Option<bool>,
    /// Replaces some of the rule's params.
    pub params: BTreeMap<String, (serde_json::Value, SourceSpan)>,
    /// Where the override's id was written, for "unknown rule" errors.
    pub span: SourceSpan,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            app: App {
                name: "app".into(),
                domain: None,
                primary_region: "us-east-1".into(),
                dr_region: "us-west-2".into(),
                runbook: None,
            },
            targets: Targets {
                rto_seconds: 15 * 60,
                rpo_seconds: 5 * 60,
                availability_percent: 99.99,
                expected_failovers_per_year: 2.0,
            },
            scope: Scope::default(),
            rules: RulesConfig::default(),
            budget: BudgetConfig::default(),
            waivers: Vec::new(),
            collect: CollectConfig::default(),
            source: None,
        }
    }
}

impl Config {
    /// `app` in CEL, for rules and the budget model.
    pub fn app_binding(&self) -> AppBinding {
        AppBinding {
            name: self.app.name.clone(),
            domain: self.app.domain.clone(),
            primary_region: self.app.primary_region.clone(),
            dr_region: self.app.dr_region.clone(),
            runbook: self.app.runbook.clone(),
            scope_tags: self.scope.tags.clone(),
        }
    }

    /// `targets` in CEL: seconds, percent, and the durations as text.
    pub fn targets_binding(&self) -> TargetsBinding {
        TargetsBinding {
            rto: self.targets.rto_seconds,
            rpo: self.targets.rpo_seconds,
            rto_text: format_duration(self.targets.rto_seconds),
            rpo_text: format_duration(self.targets.rpo_seconds),
            availability: self.targets.availability_percent,
            expected_failovers_per_year: self.targets.expected_failovers_per_year,
        }
    }
}

/// A configuration problem, pointing into the file.
#[derive(Debug, Error, Diagnostic)]
pub enum ConfigError {
    /// The file could not be read.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Unreadable(#[from] UnreadableFile),
    /// TOML syntax, an unknown key or a wrong type.
    #[error("{message}")]
    #[diagnostic(code(drguard::config::parse), help("{help}"))]
    Parse {
        /// What went wrong.
        message: String,
        /// How to fix it.
        help: String,
        /// The file.
        #[source_code]
        src: miette::NamedSource<std::sync::Arc<String>>,
        /// Where.
        #[label("here")]
        span: SourceSpan,
    },
    /// Values that parse but make no sense; all of them at once.
    #[error("{} invalid value(s) in `{file}`", problems.len())]
    #[diagnostic(code(drguard::config::invalid))]
    Invalid {
        /// The config file.
        file: String,
        /// Every problem found.
        #[related]
        problems: Vec<InvalidValue>,
    },
}

/// One invalid value in a config file.
#[derive(Debug, Error, Diagnostic)]
#[error("{message}")]
#[diagnostic(code(drguard::config::invalid_value), help("{help}"))]
pub struct InvalidValue {
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub help: String,
    /// The file.
    #[source_code]
    pub src: miette::NamedSource<std::sync::Arc<String>>,
    /// The value.
    #[label("{label}")]
    pub span: SourceSpan,
    /// Label text.
    pub label: String,
    /// A second place involved (e.g. where the primary region was set).
    #[label("{other_label}")]
    pub other: Option<SourceSpan>,
    /// Label text of the second place.
    pub other_label: String,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    app: RawApp,
    #[serde(default)]
    targets: RawTargets,
    #[serde(default)]
    scope: RawScope,
    #[serde(default)]
    rules: RawRules,
    #[serde(default)]
    budget: RawBudget,
    #[serde(default)]
    waiver: Vec<Spanned<RawWaiver>>,
    #[serde(default)]
    collect: RawCollect,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawCollect {
    max_attempts: Option<Spanned<i64>>,
    connect_timeout: Option<Spanned<String>>,
    attempt_timeout: Option<Spanned<String>>,
    operation_timeout: Option<Spanned<String>>,
    concurrency: Option<Spanned<i64>>,
    route53_requests_per_second: Option<Spanned<i64>>,
    metric_window: Option<Spanned<String>>,
    #[serde(default)]
    skip: Vec<RawSkip>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSkip {
    source: Spanned<String>,
    reason: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWaiver {
    rule: Option<Spanned<String>>,
    resource: Option<Spanned<String>>,
    reason: Option<Spanned<String>>,
    expires: Option<Spanned<toml::Value>>,
    owner: Option<Spanned<String>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawBudget {
    model: Option<Spanned<String>>,
    #[serde(default)]
    defaults: BTreeMap<String, Spanned<String>>,
    #[serde(default)]
    claims: RawClaims,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawClaims {
    source: Option<String>,
    rto: Option<Spanned<String>>,
    rpo: Option<Spanned<String>>,
    #[serde(default)]
    steps: BTreeMap<String, Spanned<String>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawApp {
    name: Option<Spanned<String>>,
    domain: Option<Spanned<String>>,
    primary_region: Option<Spanned<String>>,
    dr_region: Option<Spanned<String>>,
    runbook: Option<Spanned<String>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawTargets {
    rto: Option<Spanned<String>>,
    rpo: Option<Spanned<String>>,
    availability: Option<Spanned<toml::Value>>,
    expected_failovers_per_year: Option<Spanned<toml::Value>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawScope {
    #[serde(default)]
    tags: BTreeMap<String, String>,
}

#[derive(Default)]
struct RawRules {
    paths: Vec<Spanned<String>>,
    overrides: Vec<(Spanned<String>, RawOverride)>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOverride {
    severity: Option<Severity>,
    enabled: Option<bool>,
    #[serde(default)]
    params: BTreeMap<Spanned<String>, Spanned<toml::Value>>,
}

impl<'de> Deserialize<'de> for RawRules {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = RawRules;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a table with `paths` and `\"RULE-ID\"` override tables")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<RawRules, A::Error> {
                let mut rules = RawRules::default();
                while let Some(key) = map.next_key::<Spanned<String>>()? {
                    if key.get_ref() == "paths" {
                        rules.paths = map.next_value()?;
                    } else {
                        let value: RawOverride = map.next_value()?;
                        rules.overrides.push((key, value));
                    }
                }
                Ok(rules)
            }
        }
        deserializer.deserialize_map(Visitor)
    }
}

/// Where the config came from.
pub enum ConfigSource<'a> {
    /// `--config FILE`: must exist.
    Explicit(&'a Path),
    /// No flag: `./drguard.toml` if present, else built-in defaults.
    Default,
}

/// Loads and validates the configuration.
pub fn load(source: ConfigSource<'_>) -> Result<Config, ConfigError> {
    let path = match source {
        ConfigSource::Explicit(path) => path.to_path_buf(),
        ConfigSource::Default => {
            let path = PathBuf::from("drguard.toml");
            if !path.exists() {
                return Ok(Config::default());
            }
            path
        }
    };
    let file = SourceFile::read(&path, "config file")?;
    let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
    parse(file, &base)
}

/// Parses and validates config text; `base` resolves relative rule paths.
pub fn parse(file: SourceFile, base: &Path) -> Result<Config, ConfigError> {
    let raw: RawConfig = toml::from_str(&file.text).map_err(|err| parse_error(&file, &err))?;
    Validator::new(file, base).validate(raw)
}

fn parse_error(file: &SourceFile, err: &toml::de::Error) -> ConfigError {
    let span = err.span().unwrap_or(0..0);
    let message = err.message().trim().to_string();
    let help = if message.contains("unknown field") {
        "remove the key or fix its spelling; `drguard init` writes a commented example of every key"
    } else if message.contains("missing field") {
        "add the key the message names to this table (`[[collect.skip]]` needs both `source` and `reason`)"
    } else if message.contains("unknown variant") {
        "use one of the values the message lists"
    } else if message.contains("invalid type") {
        "check the value's type: durations and percentages are quoted strings (\"15m\", \"99.99%\")"
    } else {
        "fix the TOML syntax at the marked position"
    };
    ConfigError::Parse {
        message,
        help: help.into(),
        src: file.named(),
        span: file.span(span.start, span.end.saturating_sub(span.start)),
    }
}

struct Validator {
    file: SourceFile,
    base: PathBuf,
    problems: Vec<InvalidValue>,
}

impl Validator {
    fn new(file: SourceFile, base: &Path) -> Self {
        Validator {
            file,
            base: base.to_path_buf(),
            problems: Vec::new(),
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

    fn validate(mut self, raw: RawConfig) -> Result<Config, ConfigError> {
        let mut config = Config::default();
        self.app(raw.app, &mut config.app);
        self.targets(raw.targets, &mut config.targets);
        config.scope.tags = raw.scope.tags;
        self.budget(raw.budget, &mut config.budget);
        self.collect(raw.collect, &mut config.collect);
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
        for raw_waiver in raw.waiver {
            if let Some(waiver) = self.waiver(raw_waiver) {
                config.waivers.push(waiver);
            }
        }
        if self.problems.is_empty() {
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

    fn waiver(&mut self, raw: Spanned<RawWaiver>) -> Option<Waiver> {
        let table_span = self.span_of(&raw);
        let defined_at = self.location(raw.span().start);
        let raw = raw.into_inner();
        let mut missing = Vec::new();
        let mut text = |this: &mut Self, key: &'static str, value: Option<Spanned<String>>| {
            match value {
                None => {
                    missing.push(key);
                    None
                }
                Some(value) if value.get_ref().trim().is_empty() => {
                    this.problem(
                        this.span_of(&value),
                        format!("`{key}` of a waiver is empty"),
                        "empty",
                        match key {
                            "reason" => "say why the gap is accepted, e.g. \"migration ticket OPS-123\"",
                            "rule" => "name the rule id, e.g. \"DRG-S3-002\"",
                            _ => "write the resource ARN, or a glob such as \"arn:aws:s3:::legacy-*\"",
                        },
                    );
                    None
                }
                Some(value) => Some(value.into_inner().trim().to_string()),
            }
        };
        let rule = text(self, "rule", raw.rule);
        let resource = text(self, "resource", raw.resource);
        let reason = text(self, "reason", raw.reason);
        let expires = match raw.expires {
            None => {
                missing.push("expires");
                None
            }
            Some(value) => {
                let parsed = match value.get_ref() {
                    toml::Value::String(text) => {
                        chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok()
                    }
                    toml::Value::Datetime(datetime) if datetime.time.is_none() => {
                        datetime.date.and_then(|d| {
                            chrono::NaiveDate::from_ymd_opt(
                                i32::from(d.year),
                                u32::from(d.month),
                                u32::from(d.day),
                            )
                        })
                    }
                    _ => None,
                };
                if parsed.is_none() {
                    self.problem(
                        self.span_of(&value),
                        format!("`expires` = {} is not a date", value.get_ref()),
                        "not a date",
                        "write the last day the waiver applies as YYYY-MM-DD, e.g. expires = \"2027-03-31\"",
                    );
                }
                parsed
            }
        };
        if !missing.is_empty() {
            self.problem(
                table_span,
                format!(
                    "waiver without {}",
                    missing
                        .iter()
                        .map(|k| format!("`{k}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                "this waiver",
                "a waiver names `rule` and `resource` (an ARN glob) and must say why (`reason`) and until when (`expires = \"YYYY-MM-DD\"`): a gap accepted for ever is a gap forgotten",
            );
        }
        Some(Waiver {
            rule: rule?,
            resource: resource?,
            reason: reason?,
            expires: expires?,
            owner: raw
                .owner
                .map(|o| o.into_inner().trim().to_string())
                .filter(|o| !o.is_empty()),
            defined_at,
        })
    }

    fn app(&mut self, raw: RawApp, app: &mut App) {
        if let Some(name) = raw.name {
            if name.get_ref().trim().is_empty() {
                self.problem(
                    self.span_of(&name),
                    "`app.name` is empty".into(),
                    "empty",
                    "give the app a short name, e.g. \"shop\"",
                );
            }
            app.name = name.into_inner();
        }
        if let Some(domain) = raw.domain {
            let text = domain.get_ref().trim();
            if text.is_empty() || text.contains(' ') || text.contains("://") || !text.contains('.')
            {
                self.problem(
                    self.span_of(&domain),
                    format!("`app.domain` = {:?} is not a DNS name", domain.get_ref()),
                    "not a domain name",
                    "write the record name that has the failover pair, e.g. \"api.yourstore.com\" (no scheme, no path)",
                );
            }
            app.domain = Some(text.to_string());
        }
        let mut region_spans = Vec::new();
        for (key, raw_region, target) in [
            (
                "primary_region",
                raw.primary_region,
                &mut app.primary_region,
            ),
            ("dr_region", raw.dr_region, &mut app.dr_region),
        ] {
            if let Some(region) = raw_region {
                let span = self.span_of(&region);
                if !is_region_name(region.get_ref()) {
                    self.problem(
                        span,
                        format!(
                            "`app.{key}` = {:?} is not an AWS region name",
                            region.get_ref()
                        ),
                        "not a region",
                        "use a region code such as \"us-east-1\" or \"eu-west-2\"",
                    );
                }
                region_spans.push(Some(span));
                *target = region.into_inner();
            } else {
                region_spans.push(None);
            }
        }
        if app.primary_region == app.dr_region {
            let dr_span = region_spans
                .get(1)
                .copied()
                .flatten()
                .or(region_spans.first().copied().flatten());
            if let Some(span) = dr_span {
                self.problems.push(InvalidValue {
                    message: format!("the DR region equals the primary region ({})", app.dr_region),
                    help: "a regional failover needs a second region: set `app.dr_region` to the standby region, e.g. \"us-west-2\"".into(),
                    src: self.file.named(),
                    span,
                    label: "same region as the primary".into(),
                    other: region_spans.first().copied().flatten().filter(|s| Some(*s) != dr_span),
                    other_label: "primary region set here".into(),
                });
            }
        }
        if let Some(runbook) = raw.runbook {
            app.runbook = Some(runbook.into_inner());
        }
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

    fn budget(&mut self, raw: RawBudget, budget: &mut BudgetConfig) {
        budget.model = raw.model.map(|m| self.base.join(m.get_ref()));
        for (name, value) in raw.defaults {
            let span = self.span_of(&value);
            if value.get_ref().trim() == "none" {
                budget.defaults.insert(name, (None, span));
            } else if let Some(seconds) = self.duration(&value, &format!("budget.defaults.{name}"))
            {
                budget.defaults.insert(name, (Some(seconds as f64), span));
            }
        }
        budget.claims.source = raw.claims.source;
        budget.claims.rto = raw
            .claims
            .rto
            .and_then(|v| self.duration(&v, "budget.claims.rto"));
        budget.claims.rpo = raw
            .claims
            .rpo
            .and_then(|v| self.duration(&v, "budget.claims.rpo"));
        for (step, value) in raw.claims.steps {
            let span = self.span_of(&value);
            if let Some(seconds) = self.duration(&value, &format!("budget.claims.steps.{step}")) {
                budget.claims.steps.insert(step, (seconds, span));
            }
        }
    }

    fn collect(&mut self, raw: RawCollect, collect: &mut CollectConfig) {
        let counts = [
            ("max_attempts", raw.max_attempts, 1, 20),
            ("concurrency", raw.concurrency, 1, 64),
            (
                "route53_requests_per_second",
                raw.route53_requests_per_second,
                1,
                100,
            ),
        ];
        for (key, value, low, high) in counts {
            let Some(value) = value else { continue };
            let n = *value.get_ref();
            if n < low || n > high {
                self.problem(
                    self.span_of(&value),
                    format!("`collect.{key}` = {n} is out of range"),
                    "out of range",
                    &format!("use a whole number from {low} to {high}"),
                );
                continue;
            }
            match key {
                "max_attempts" => collect.max_attempts = n as u32,
                "concurrency" => collect.concurrency = n as usize,
                _ => collect.route53_requests_per_second = n as u32,
            }
        }
        let durations = [
            (
                "connect_timeout",
                raw.connect_timeout,
                &mut collect.connect_timeout_seconds,
            ),
            (
                "attempt_timeout",
                raw.attempt_timeout,
                &mut collect.attempt_timeout_seconds,
            ),
            (
                "operation_timeout",
                raw.operation_timeout,
                &mut collect.operation_timeout_seconds,
            ),
            (
                "metric_window",
                raw.metric_window,
                &mut collect.metric_window_seconds,
            ),
        ];
        for (key, value, target) in durations {
            let Some(value) = value else { continue };
            match parse_duration(value.get_ref()) {
                Ok(0) => self.problem(
                    self.span_of(&value),
                    format!("`collect.{key}` is zero"),
                    "zero",
                    "write a positive duration with a unit: \"10s\", \"2m\", \"24h\"",
                ),
                Ok(seconds) if key == "metric_window" && seconds > 15 * 86_400 => self.problem(
                    self.span_of(&value),
                    format!("`collect.metric_window` = {:?} is longer than 15 days", value.get_ref()),
                    "too long",
                    "CloudWatch keeps 1-minute data for 15 days: use at most \"15d\" (the default is \"24h\")",
                ),
                Ok(seconds) => *target = seconds,
                Err(reason) => self.problem(
                    self.span_of(&value),
                    format!("`collect.{key}` = {:?}: {reason}", value.get_ref()),
                    "not a duration",
                    "write a positive duration with a unit: \"10s\", \"2m\", \"24h\"",
                ),
            }
        }
        let mut seen: BTreeMap<String, SourceSpan> = BTreeMap::new();
        for skip in raw.skip {
            let span = self.span_of(&skip.source);
            let source = skip.source.get_ref().trim().to_string();
            if !sources::is_known(&source) {
                self.problem(
                    span,
                    format!("`collect.skip`: unknown data source {source:?}"),
                    "unknown data source",
                    &format!(
                        "use a service or service.resource name: {}",
                        sources::names().join(", ")
                    ),
                );
                continue;
            }
            if skip.reason.get_ref().trim().is_empty() {
                self.problem(
                    self.span_of(&skip.reason),
                    format!("`collect.skip` of {source:?} gives no reason"),
                    "empty reason",
                    "say why the data is skipped: every report shows it, e.g. \"no accelerator in this account\"",
                );
                continue;
            }
            if let Some(first) = seen.get(&source).copied() {
                self.problems.push(InvalidValue {
                    message: format!("`collect.skip`: {source:?} is skipped twice"),
                    help: "keep one `[[collect.skip]]` table per data source".into(),
                    src: self.file.named(),
                    span,
                    label: "skipped again".into(),
                    other: Some(first),
                    other_label: "first skipped here".into(),
                });
                continue;
            }
            seen.insert(source.clone(), span);
            collect.skip.push(Skip {
                source,
                reason: skip.reason.into_inner().trim().to_string(),
            });
        }
    }

    fn targets(&mut self, raw: RawTargets, targets: &mut Targets) {
        for (key, raw_value, target) in [
            ("rto", raw.rto, &mut targets.rto_seconds),
            ("rpo", raw.rpo, &mut targets.rpo_seconds),
        ] {
            let Some(value) = raw_value else { continue };
            match parse_duration(value.get_ref()) {
                Ok(0) if key == "rto" => self.problem(
                    self.span_of(&value),
                    "`targets.rto` is zero: no failover completes instantly".into(),
                    "zero",
                    "set the recovery time objective of your contract, e.g. \"15m\"",
                ),
                Ok(seconds) => *target = seconds,
                Err(reason) => self.problem(
                    self.span_of(&value),
                    format!("`targets.{key}` = {:?}: {reason}", value.get_ref()),
                    "not a duration",
                    "write a positive duration with a unit: \"90s\", \"15m\", \"1h30m\"",
                ),
            }
        }
        if let Some(value) = raw.availability {
            match parse_percent(value.get_ref()) {
                Ok(percent) => targets.availability_percent = percent,
                Err(reason) => self.problem(
                    self.span_of(&value),
                    format!("`targets.availability`: {reason}"),
                    "not an availability",
                    "write a percentage above 0 and below 100, e.g. \"99.99%\"",
                ),
            }
        }
        if let Some(value) = raw.expected_failovers_per_year {
            match value.get_ref() {
                toml::Value::Integer(n) if *n >= 0 => {
                    targets.expected_failovers_per_year = *n as f64
                }
                toml::Value::Float(f) if f.is_finite() && *f >= 0.0 => {
                    targets.expected_failovers_per_year = *f
                }
                _ => self.problem(
                    self.span_of(&value),
                    "`targets.expected_failovers_per_year` must be a number ≥ 0".into(),
                    "not a count",
                    "count real failovers and drills per year, e.g. 2",
                ),
            }
        }
    }
}

/// Parses `"99.99%"`, `"99.99"` or `99.99` into a percentage strictly between 0 and 100.
pub fn parse_percent(value: &toml::Value) -> Result<f64, String> {
    let number = match value {
        toml::Value::String(text) => {
            let trimmed = text.trim().trim_end_matches('%').trim();
            trimmed
                .parse::<f64>()
                .map_err(|_| format!("{text:?} is not a percentage"))?
        }
        toml::Value::Float(f) => *f,
        toml::Value::Integer(i) => *i as f64,
        other => return Err(format!("expected a percentage, found {}", other.type_str())),
    };
    if !number.is_finite() || number <= 0.0 {
        return Err(format!("{number}% is not a possible availability"));
    }
    if number >= 100.0 {
        return Err(format!(
            "{number}% allows no downtime at all{}",
            if number > 100.0 {
                " (and is more than 100%)"
            } else {
                ""
            }
        ));
    }
    Ok(number)
}

/// Converts a TOML value to JSON (datetimes become strings).
pub fn toml_to_json(value: &toml::Value) -> serde_json::Value {
    match value {
        toml::Value::String(s) => serde_json::Value::String(s.clone()),
        toml::Value::Integer(i) => serde_json::Value::from(*i),
        toml::Value::Float(f) => serde_json::Number::from_f64(*f)
            .map(serde_json::Value::Number)
            .unwrap_or(serde_json::Value::Null),
        toml::Value::Boolean(b) => serde_json::Value::Bool(*b),
        toml::Value::Datetime(d) => serde_json::Value::String(d.to_string()),
        toml::Value::Array(items) => {
            serde_json::Value::Array(items.iter().map(toml_to_json).collect())
        }
        toml::Value::Table(table) => serde_json::Value::Object(
            table
                .iter()
                .map(|(k, v)| (k.clone(), toml_to_json(v)))
                .collect(),
        ),
    }
}

/// The commented starter file `drguard init` writes.
pub const STARTER: &str = include_str!("starter.toml");
