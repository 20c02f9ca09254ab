//! A validated rule, the rule set, and the names a rule expression may read.

use std::collections::BTreeSet;

use serde::Deserialize;
use serde_json::Value as Json;

use super::resources::ResourceKind;
use crate::cel::{Expression, Names, Template};
use crate::vocab::{Category, Severity};

/// The variables every rule expression may read.
pub const VARIABLES: [&str; 7] = [
    "resource", "snapshot", "topology", "app", "targets", "params", "budget",
];

/// The names a rule's expressions are checked against: [`VARIABLES`],
/// `params.NAME` only for the parameters the rule declares, and
/// `resource.NAME` only for the fields its resource type has.
pub fn names(params: &BTreeSet<String>, kind: Option<ResourceKind>) -> Names<'_> {
    Names {
        variables: &VARIABLES,
        table: "params",
        declared: params,
        reader: "rules",
        declared_in: "the rule's `params` table",
        resource_fields: kind.and_then(super::fields::of),
        resource_kind: kind.map_or("", ResourceKind::as_str),
        variable_fields: Some(super::fields::variables()),
    }
}

/// What a per-resource rule reports when no resource passes its `where`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OnEmpty {
    /// Nothing to check: one `not_applicable` result (the default).
    NotApplicable,
    /// The resource should exist: one `fail` result.
    Fail,
    /// Each resource is a finding, so none is compliance: one `pass` result
    /// (DRG-REG-001 over `failover.dependency`).
    Pass,
}

/// `[rule.warning]`: a second condition with its own severity and message,
/// e.g. the worst-case RTO exceeding the target while the estimate fits.
#[derive(Debug)]
pub struct Warning {
    /// Condition; true means compliant.
    pub assert: Expression,
    /// Severity of the failure it reports.
    pub severity: Severity,
    /// Its message.
    pub message: Template,
}

/// A validated rule, ready to evaluate.
#[derive(Debug)]
pub struct Rule {
    /// Stable id (`DRG-R53-001`).
    pub id: String,
    /// Kebab-case name of the compliant state.
    pub name: String,
    /// One-line statement of the compliant state.
    pub title: String,
    /// Effective severity (after config overrides).
    pub severity: Severity,
    /// Severity in the rule file.
    pub default_severity: Severity,
    /// Contract area.
    pub category: Category,
    /// Resource type evaluated, or `app`.
    pub resource: ResourceKind,
    /// Optional filter.
    pub where_: Option<Expression>,
    /// The compliance condition.
    pub assert: Expression,
    /// The data sources one result depends on (a CEL list of names), when
    /// that depends on the resource: checked when `assert` holds, so a
    /// result that would pass on data not collected is `error` (or
    /// `not_applicable` when skipped on purpose) instead.
    pub reads: Option<Expression>,
    /// When a failing result stops the failover from completing (a CEL
    /// condition over the same variables as `assert`, checked only when
    /// `assert` fails): the budget then reports the RTO as not achievable.
    pub blocks_failover: Option<Expression>,
    /// Message for failures (and passes without `pass_message`).
    pub message: Template,
    /// Message for passes.
    pub pass_message: Option<Template>,
    /// Message when nothing matches `where`.
    pub empty_message: Option<Template>,
    /// A softer check at another severity, reported when `assert` passes but it fails.
    pub warning: Option<Warning>,
    /// Verdict when nothing matches `where`.
    pub on_empty: OnEmpty,
    /// Why it matters.
    pub rationale: String,
    /// What to change.
    pub remediation: String,
    /// Documentation links.
    pub references: Vec<String>,
    /// Data sources whose absence turns the rule into `error`.
    pub requires: Vec<String>,
    /// Effective params (defaults merged with config overrides).
    pub params: serde_json::Map<String, Json>,
    /// False when disabled in config.
    pub enabled: bool,
    /// The file the rule came from.
    pub origin: String,
    /// True for rules embedded in the binary.
    pub builtin: bool,
}

impl Rule {
    /// Every CEL expression of the rule: `where`, `assert`, `warning.assert`
    /// and the holes of every message template (warning included).
    pub fn expressions(&self) -> impl Iterator<Item = &Expression> {
        let conditions = [
            self.where_.as_ref(),
            Some(&self.assert),
            self.reads.as_ref(),
            self.blocks_failover.as_ref(),
            self.warning.as_ref().map(|w| &w.assert),
        ];
        let templates = [
            Some(&self.message),
            self.pass_message.as_ref(),
            self.empty_message.as_ref(),
            self.warning.as_ref().map(|w| &w.message),
        ];
        conditions.into_iter().flatten().chain(
            templates
                .into_iter()
                .flatten()
                .flat_map(|template| template.expressions()),
        )
    }

    /// The source of every CEL expression of the rule (what `drguard diff`
    /// reads to decide which fields matter).
    pub fn expression_sources(&self) -> Vec<&str> {
        self.expressions().map(|e| e.source.as_str()).collect()
    }

    /// True when any expression reads `snapshot`.
    pub fn uses_snapshot(&self) -> bool {
        self.expressions().any(|e| e.uses_snapshot)
    }

    /// True when any expression reads `budget` (or it evaluates budget stores).
    pub fn uses_budget(&self) -> bool {
        self.resource == ResourceKind::BUDGET_STORE || self.expressions().any(|e| e.uses_budget)
    }
}

/// All loaded rules, in id order.
#[derive(Debug, Default)]
pub struct RuleSet {
    /// The rules.
    pub rules: Vec<Rule>,
}

impl RuleSet {
    /// Finds a rule by id.
    pub fn get(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }
}
