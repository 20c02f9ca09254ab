//! The audit pipeline as a library: one [`Engine`], one way through.
//!
//! An [`Engine`] is loaded once: the configuration, the rule set and the
//! budget model, every fallible read done up front, so a broken rule or
//! model ends the run before anything is audited. Then:
//!
//! - [`Engine::audit`] runs link → budget → rules → waivers on a snapshot
//!   and returns an [`Audit`]. It is pure: no clock (the waiver date is
//!   passed in), no I/O, no failure (what cannot be decided is an `error`
//!   result, never a panic or a pass);
//! - [`Engine::compare`] holds an audit against a baseline: a previous JSON
//!   report is matched result by result; a previous snapshot is audited by
//!   the same engine, matched, and diffed;
//! - [`Engine::diff`] compares two audits resource by resource, with the move
//!   of their RTO/RPO estimate;
//! - [`verdict`] turns results into the exit code, for `audit`, `budget` and
//!   `diff` alike.
//!
//! Every front end (the subcommands, the tests, the fuzz drivers, the
//! benchmarks) builds a [`Snapshot`] its own way and calls the engine; none
//! of them strings the stages together itself.

pub mod fixtures;
pub mod preflight;
pub mod verdict;
mod view;

use std::path::PathBuf;
use std::sync::Arc;

use chrono::NaiveDate;
use miette::Diagnostic;
use thiserror::Error;

pub use verdict::{ExitStatus, FailOn, Gate};
pub use view::ResultRow;

use crate::budget::{self, Budget, Model, ModelError};
use crate::config::Config;
use crate::drift::baseline::{Baseline, Comparison, previous_result};
use crate::drift::{self, BudgetDelta, Diff};
use crate::link::{self, Linked};
use crate::rules::{self, Evaluation, RuleError, RuleSet};
use crate::snapshot::Snapshot;
use crate::waivers::{self, Waivers};

/// What can stop an engine from loading: a rule or budget-model problem.
/// (Boxed: these end the run, and the diagnostics are large.)
#[derive(Debug, Error, Diagnostic)]
pub enum EngineError {
    /// A rule file (built-in, `[rules].paths` or `--rules`) is invalid.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Rules(Box<RuleError>),
    /// The budget model is invalid.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Model(Box<ModelError>),
}

impl From<RuleError> for EngineError {
    fn from(err: RuleError) -> Self {
        EngineError::Rules(Box::new(err))
    }
}

impl From<ModelError> for EngineError {
    fn from(err: ModelError) -> Self {
        EngineError::Model(Box::new(err))
    }
}

/// The configuration, rules and budget model an audit runs with, loaded once.
///
/// The compiled rules and model are shared (`Arc`): engines for several
/// configurations that use the same rules (the fuzz drivers, a test suite)
/// compile them once.
#[derive(Debug, Clone)]
pub struct Engine {
    config: Config,
    rules: Arc<RuleSet>,
    model: Arc<Model>,
}

/// Which fields [`Engine::diff`] compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fields {
    /// The fields the loaded rules read and link joins on.
    Relevant,
    /// Every field (`--all-fields`).
    All,
}

/// One snapshot, audited: its topology, budget, rule results and waivers.
///
/// Nothing here is changed by a later stage: waivers are a table of their
/// own, and a baseline comparison is a [`Comparison`] beside the audit; the
/// report view ([`Audit::rows`]) joins them.
#[derive(Debug)]
pub struct Audit<'a> {
    /// The snapshot audited.
    pub snapshot: &'a Snapshot,
    /// What link derived from it, with the lookups built on the way.
    pub linked: Linked<'a>,
    /// The RTO/RPO budget computed on it.
    pub budget: Budget,
    /// Every rule × resource result, as evaluated (each borrows its rule
    /// from the engine).
    pub evaluation: Evaluation<'a>,
    /// What each `[[waiver]]` matched, as of the audit's date.
    pub waivers: Waivers,
}

impl Engine {
    /// Loads the rule set (built-in rules, `[rules].paths`, `extra_rule_dirs`)
    /// and the budget model for `config`.
    pub fn load(config: Config, extra_rule_dirs: &[PathBuf]) -> Result<Engine, EngineError> {
        let rules = rules::load_rule_set(&config, extra_rule_dirs)?;
        let model = budget::load(&config)?;
        Ok(Engine::new(config, rules, model))
    }

    /// An engine from parts already loaded (a test's own rule set, say). The
    /// rules must have been loaded for this configuration (its overrides and
    /// `[rules].paths`), as [`Engine::load`] does.
    pub fn new(
        config: Config,
        rules: impl Into<Arc<RuleSet>>,
        model: impl Into<Arc<Model>>,
    ) -> Engine {
        Engine {
            config,
            rules: rules.into(),
            model: model.into(),
        }
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The rule set.
    pub fn rules(&self) -> &RuleSet {
        &self.rules
    }

    /// The budget model.
    pub fn model(&self) -> &Model {
        &self.model
    }

    /// Audits a snapshot: link, budget, rules, then waivers as of `as_of`.
    pub fn audit<'a>(&'a self, snapshot: &'a Snapshot, as_of: NaiveDate) -> Audit<'a> {
        let linked = link::link(snapshot, &self.config);
        let mut budget = budget::compute(&self.model, snapshot, &self.config, &linked);
        // Two phases: the rules that do not read the budget decide whether
        // the failover can complete at all (their blocking failures), then
        // the budget rules judge the budget that knows it.
        let prepared = rules::Prepared::new(&self.config, &linked);
        let mut evaluation = rules::evaluate_some(
            &self.rules,
            &prepared,
            snapshot,
            &self.config,
            &linked,
            &budget,
            |rule| !rule.uses_budget(),
        );
        let (blockers, unverified) = blocking(&evaluation.outcomes, snapshot);
        budget.rto.block(blockers, unverified);
        let judged = rules::evaluate_some(
            &self.rules,
            &prepared,
            snapshot,
            &self.config,
            &linked,
            &budget,
            |rule| rule.uses_budget(),
        );
        evaluation.merge(judged);
        let waivers = waivers::apply(
            &evaluation,
            &self.config.waivers,
            as_of,
            self.config.waiver_expiry_notice_days,
        );
        Audit {
            snapshot,
            linked,
            budget,
            evaluation,
            waivers,
        }
    }

    /// Holds an audit against its baseline (`source` names the file for
    /// reports). A snapshot baseline is audited by this engine as of the same
    /// date, then its results are matched and its resources diffed.
    pub fn compare(
        &self,
        audit: &Audit<'_>,
        baseline: Baseline,
        source: String,
        as_of: NaiveDate,
    ) -> Comparison {
        let (previous, captured_at, kind, changes) = match baseline {
            Baseline::Report {
                captured_at,
                results,
            } => (results, captured_at, "report", None),
            Baseline::Snapshot(before) => {
                let before_audit = self.audit(&before, as_of);
                let results = before_audit
                    .evaluation
                    .outcomes
                    .iter()
                    .map(|o| previous_result(o, before_audit.waivers.status(o)))
                    .collect();
                let changes = self.diff(&before_audit, audit, Fields::Relevant);
                (
                    results,
                    before.captured_at.clone(),
                    "snapshot",
                    Some(changes),
                )
            }
        };
        let states = drift::baseline::compare(&audit.evaluation, &audit.waivers, &previous);
        Comparison {
            source,
            kind,
            captured_at,
            states: states.states,
            counts: states.counts,
            gone: states.gone,
            not_evaluated: states.not_evaluated,
            changes,
        }
    }

    /// Compares two audits resource by resource, with the move of their
    /// RTO/RPO estimate.
    pub fn diff(&self, old: &Audit<'_>, new: &Audit<'_>, fields: Fields) -> Diff {
        let mut changes = drift::diff(
            (old.snapshot, &old.linked),
            (new.snapshot, &new.linked),
            &self.config,
            &self.rules,
            fields == Fields::All,
        );
        changes.budget = Some(BudgetDelta::between(&old.budget, &new.budget));
        changes
    }
}

/// The findings that stop the failover (failures of rules with
/// `blocks_failover` whose condition holds), and, when such a rule could not
/// be decided for data that was not collected, the snapshot's failed data
/// sources (which of them it read is not recorded: all of them, so the
/// verdict can only err on the side of `error`).
fn blocking(
    outcomes: &[rules::Outcome<'_>],
    snapshot: &Snapshot,
) -> (Vec<budget::Blocker>, Vec<String>) {
    let mut blockers = Vec::new();
    let mut undecided = false;
    let mut never_read: Vec<String> = Vec::new();
    for outcome in outcomes {
        if outcome.status == rules::Status::Fail && outcome.blocks_failover {
            blockers.push(budget::Blocker {
                rule_id: outcome.rule.id.clone(),
                resource: format!("{} {}", outcome.resource.kind, outcome.resource.id),
                message: outcome.message.clone(),
            });
        }
        let open = outcome.status == rules::Status::Error
            && outcome.missing_data
            && outcome.rule.blocks_failover.is_some();
        undecided |= open;
        if open {
            // A source the snapshot never carried is not a gap: name it too.
            for source in &outcome.rule.requires {
                if !snapshot.carries(source) && !never_read.contains(source) {
                    never_read.push(source.clone());
                }
            }
        }
    }
    let mut unverified: Vec<String> = never_read;
    if undecided {
        for gap in &snapshot.gaps {
            let source = match &gap.resource {
                Some(part) => format!("{}.{part}", gap.service),
                None => gap.service.clone(),
            };
            if !unverified.contains(&source) {
                unverified.push(source);
            }
        }
    }
    (blockers, unverified)
}
