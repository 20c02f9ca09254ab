//! The validated configuration: what the rest of drguard reads.

use std::collections::BTreeMap;
use std::path::PathBuf;

use miette::SourceSpan;

use super::duration::format_duration;
use crate::cel::bindings::{AppBinding, TargetsBinding};
use crate::source::SourceFile;
use crate::vocab::Severity;

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
    /// `[waivers] expiry_notice`: a waiver expiring within this many days is
    /// announced in every report (0: never).
    pub waiver_expiry_notice_days: u64,
    /// How live collection talks to AWS, and what it skips.
    pub collect: CollectConfig,
    /// How `audit --plan` places Terraform resources in regions (`[plan]`).
    pub plan: PlanConfig,
    /// The file the config came from (None for built-in defaults).
    pub source: Option<SourceFile>,
    /// Values that load but look like a mistake (`file:line:column: …`);
    /// the command line prints them on stderr.
    pub warnings: Vec<String>,
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

/// Days before its expiry a waiver is announced, unless `[waivers] expiry_notice` says otherwise.
pub const DEFAULT_EXPIRY_NOTICE_DAYS: u64 = 14;

/// `[[waiver]]`: a failing result accepted until a date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waiver {
    /// The rule id it applies to (exact).
    pub rule: String,
    /// Where `rule` is written, for "unknown rule id" errors.
    pub rule_span: SourceSpan,
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

/// `[collect]`: retries, timeouts, concurrency, the metric windows and skips.
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
    /// Window the CloudWatch replication-lag summaries cover, in seconds.
    pub metric_window_seconds: u64,
    /// Window over which each Auto Scaling group's peak `GroupDesiredCapacity`
    /// is read, in seconds.
    pub peak_window_seconds: u64,
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
            peak_window_seconds: 7 * 86_400,
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
            waiver_expiry_notice_days: DEFAULT_EXPIRY_NOTICE_DAYS,
            collect: CollectConfig::default(),
            plan: PlanConfig::default(),
            source: None,
            warnings: Vec::new(),
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

/// `[plan]`: how `drguard audit --plan` places Terraform resources.
#[derive(Debug, Clone, Default)]
pub struct PlanConfig {
    /// Provider configuration key (`aws`, `aws.dr`, `module.net:aws`) → the
    /// region it manages: `app.primary_region` for `"primary"`,
    /// `app.dr_region` for `"dr"`, or a region name written out. Used when a
    /// resource carries no `region` attribute and its provider block's
    /// `region` cannot be read from the plan.
    pub providers: std::collections::BTreeMap<String, String>,
}
