//! Evaluating rules over a linked snapshot and its computed budget.
//!
//! The CEL values for `snapshot`, `topology`, `budget`, `app` and `targets`
//! are built once per audit and each resource's value once per resource type;
//! rules and resources only add a child scope on top. A rule whose required
//! data was not collected yields one `error` result (fail closed), never a
//! pass.
//!
//! The results are final: waivers and baseline comparisons are tables of
//! their own, keyed by each result's [`Outcome::fingerprint`], never written
//! back into an [`Outcome`].

use cel::Context;
use cel::common::value::Val;

use super::data;
use super::resources::{self, Entry, Identity, app_identity};
use super::rule::{OnEmpty, Rule, RuleSet};
use super::{Severity, Status};
use crate::budget::{self, Budget};
use crate::cel::{Bound, Expression, bindings, json_val, render, run_bool, run_strings, to_cel};
use crate::config::Config;
use crate::link::Linked;
use crate::snapshot::model::Snapshot;
use crate::vocab::fingerprint;

/// One rule × resource result.
#[derive(Debug, Clone)]
pub struct Outcome<'r> {
    /// The rule that produced it.
    pub rule: &'r Rule,
    /// Effective severity of the rule.
    pub severity: Severity,
    /// The verdict: `pass`, `fail`, `error` or `not_applicable` (never
    /// `waived`: a waiver does not change what was evaluated).
    pub status: Status,
    /// The resource.
    pub resource: Identity,
    /// What was found and what was expected.
    pub message: String,
    /// True when the error comes from data that was not collected.
    pub missing_data: bool,
    /// True when it is a failure that stops the failover from completing
    /// (its rule's `blocks_failover` holds, or could not be decided).
    pub blocks_failover: bool,
}

impl Outcome<'_> {
    /// The rule's id.
    pub fn rule_id(&self) -> &str {
        &self.rule.id
    }

    /// The result's stable identity: rule id + resource ARN (see [`fingerprint`]).
    pub fn fingerprint(&self) -> String {
        fingerprint(&self.rule.id, &self.resource.arn)
    }
}

/// All results of an audit, sorted by rule id then resource.
#[derive(Debug, Clone, Default)]
pub struct Evaluation<'r> {
    /// Every result.
    pub outcomes: Vec<Outcome<'r>>,
}

impl<'r> Evaluation<'r> {
    /// Adds another evaluation's results, keeping the order of
    /// [`evaluate`]: by rule id, then region, then resource id.
    pub fn merge(&mut self, other: Evaluation<'r>) {
        self.outcomes.extend(other.outcomes);
        sort_outcomes(&mut self.outcomes);
    }

    /// True when at least one result is `error`.
    pub fn has_errors(&self) -> bool {
        self.outcomes.iter().any(|o| o.status == Status::Error)
    }
}

/// Shared, per-audit CEL state.
struct Scope<'s> {
    root: Context<'s, 's>,
    /// The app bound as `resource`, for rules that match nothing.
    app: &'s Bound<'s>,
    /// Why the budget is not trustworthy; empty when it is.
    budget_errors: &'s [String],
}

/// Evaluates every enabled rule with the audit's computed budget (`budget` in CEL).
///
/// Works one resource type at a time: the type's resources are turned into
/// CEL values once, every rule on that type reads them by reference, and they
/// are dropped before the next type, so memory peaks at the largest type
/// rather than at the whole snapshot.
pub fn evaluate<'r>(
    rules: &'r RuleSet,
    snapshot: &Snapshot,
    config: &Config,
    linked: &Linked<'_>,
    budget: &Budget,
) -> Evaluation<'r> {
    let prepared = Prepared::new(config, linked);
    evaluate_some(rules, &prepared, snapshot, config, linked, budget, |_| true)
}

/// The CEL-ready JSON of what every rule may read except the budget and the
/// snapshot: built once per audit, shared by both phases of
/// [`crate::audit::Engine::audit`].
pub struct Prepared {
    app: serde_json::Value,
    targets: serde_json::Value,
    topology: serde_json::Value,
}

impl Prepared {
    /// Serialises the app, the targets and the topology.
    pub fn new(config: &Config, linked: &Linked<'_>) -> Self {
        Prepared {
            app: bindings::to_json(&config.app_binding()),
            targets: bindings::to_json(&config.targets_binding()),
            topology: bindings::to_json(&linked.topology),
        }
    }
}

/// Evaluates the enabled rules that `keep` selects (see [`evaluate`]).
pub fn evaluate_some<'r>(
    rules: &'r RuleSet,
    prepared: &Prepared,
    snapshot: &Snapshot,
    config: &Config,
    linked: &Linked<'_>,
    budget: &Budget,
    keep: impl Fn(&Rule) -> bool,
) -> Evaluation<'r> {
    let enabled: Vec<&Rule> = rules
        .rules
        .iter()
        .filter(|r| r.enabled && keep(r))
        .collect();
    let (app_json, targets_json, topology_json) =
        (&prepared.app, &prepared.targets, &prepared.topology);
    let snapshot_json = enabled
        .iter()
        .any(|r| r.uses_snapshot())
        .then(|| bindings::to_json(snapshot));
    let budget_json = enabled
        .iter()
        .any(|r| r.uses_budget())
        .then(|| budget::binding(budget));
    let app = json_val(app_json);
    let targets = json_val(targets_json);
    let topology_val = json_val(topology_json);
    let snapshot_val = snapshot_json.as_ref().map(json_val);
    let budget_val = budget_json.as_ref().map(json_val);
    let mut variables: Vec<(&'static str, &dyn Val)> = vec![
        ("app", &*app),
        ("targets", &*targets),
        ("topology", &*topology_val),
    ];
    if let Some(value) = &snapshot_val {
        variables.push(("snapshot", &**value));
    }
    if let Some(value) = &budget_val {
        variables.push(("budget", &**value));
    }
    let globals = Bound { variables };
    let app_as_resource = Bound {
        variables: vec![("resource", &*app)],
    };
    let budget_errors = budget.errors.as_slice();
    let mut outcomes = Vec::new();
    for kind in resources::needed_kinds(enabled.iter().map(|r| &r.resource)) {
        let kind_rules: Vec<&Rule> = enabled
            .iter()
            .filter(|r| r.resource == kind)
            .copied()
            .collect();
        let mut keep = Prefilter::new(&kind_rules, &globals);
        let entries = resources::entries(
            kind,
            snapshot,
            config,
            linked,
            Some(budget),
            &mut |identity, annotations| keep.may_match(identity, annotations),
        );
        let values: Vec<Box<dyn Val + '_>> = entries.iter().map(|e| json_val(&e.value)).collect();
        let bound: Vec<Bound<'_>> = values
            .iter()
            .map(|value| Bound {
                variables: vec![("resource", &**value)],
            })
            .collect();
        let mut root = Context::with_env(crate::cel::environment());
        root.set_variable_resolver(&globals);
        let scope = Scope {
            root,
            app: &app_as_resource,
            budget_errors,
        };
        for rule in enabled.iter().copied().filter(|r| r.resource == kind) {
            evaluate_rule(
                rule,
                &entries,
                &bound,
                snapshot,
                config,
                &scope,
                &mut outcomes,
            );
        }
    }
    sort_outcomes(&mut outcomes);
    Evaluation { outcomes }
}

/// Sorts results by rule id, then region, then resource id.
fn sort_outcomes(outcomes: &mut [Outcome<'_>]) {
    outcomes.sort_by(|a, b| {
        (
            a.rule.id.as_str(),
            a.resource.region.as_str(),
            a.resource.id.as_str(),
        )
            .cmp(&(
                b.rule.id.as_str(),
                b.resource.region.as_str(),
                b.resource.id.as_str(),
            ))
    });
}

/// Decides from a resource's annotations alone whether any rule could select
/// it, so the full CEL value is built only for resources that matter.
///
/// A rule's `where` is tried on a light value (annotations, `region`, `arn`).
/// Only a definite `false` rejects the resource: reading a field the light
/// value lacks is an error, which keeps it, and CEL's `false && x` is false
/// for any `x`, so a rejection holds for the full value too. The one
/// construct that turns a missing field into an answer, `has(resource.F)`,
/// makes the rule undecidable early unless F is an annotation. Anything else
/// keeps the resource and the full evaluation decides (and reports).
struct Prefilter<'r, 'g> {
    /// For each rule of the kind: its `where`, the fields it reads, and a
    /// scope holding its `params`.
    rules: Vec<(Option<&'r Expression>, Context<'g, 'g>)>,
}

impl<'r, 'g> Prefilter<'r, 'g> {
    fn new(rules: &[&'r Rule], globals: &'g Bound<'g>) -> Self {
        let rules = rules
            .iter()
            .map(|rule| {
                let mut scope = Context::with_env(crate::cel::environment());
                scope.set_variable_resolver(globals);
                scope.add_variable_from_value(
                    "params",
                    to_cel(&serde_json::Value::Object(rule.params.clone())),
                );
                let early = rule
                    .where_
                    .as_ref()
                    .filter(|w| w.resource_fields.is_some() && !w.uses_budget);
                (early, scope)
            })
            .collect();
        Prefilter { rules }
    }

    fn may_match(&mut self, identity: &Identity, annotations: &crate::link::Annotations) -> bool {
        let has =
            |field: &str| field == "region" || field == "arn" || annotations.contains_key(field);
        // The answer is "no" only when every rule can decide early and says
        // no, so undecidable rules are looked for before any value is built.
        let decidable = self.rules.iter().all(|(early, _)| {
            early.is_some_and(|filter| filter.resource_tested_fields.iter().all(|f| has(f)))
        });
        if !decidable {
            return true;
        }
        // Same precedence as the full value: annotations last.
        let mut light = serde_json::Map::new();
        light.insert("region".into(), serde_json::json!(identity.region));
        light.insert("arn".into(), serde_json::json!(identity.arn));
        light.extend(annotations.iter().map(|(k, v)| (k.clone(), v.clone())));
        let light = serde_json::Value::Object(light);
        // One CEL value, lent to every rule's scope.
        let value = json_val(&light);
        let bound = Bound {
            variables: vec![("resource", &*value)],
        };
        self.rules.iter().any(|(early, scope)| {
            let Some(filter) = early else { return true };
            let mut resource_scope = scope.new_inner_scope();
            resource_scope.set_variable_resolver(&bound);
            !matches!(run_bool(filter, &resource_scope), Ok(false))
        })
    }
}

fn evaluate_rule<'s, 'r>(
    rule: &'r Rule,
    entries: &[Entry],
    bound: &'s [Bound<'s>],
    snapshot: &Snapshot,
    config: &Config,
    scope: &Scope<'s>,
    outcomes: &mut Vec<Outcome<'r>>,
) {
    let rule_level = Identity {
        kind: rule.resource,
        ..app_identity(config)
    };
    let outcome =
        |status: Status, resource: Identity, message: String, missing_data: bool| Outcome {
            rule,
            severity: rule.severity,
            status,
            resource,
            message,
            missing_data,
            blocks_failover: false,
        };
    // Fail closed: data that was not collected can never yield a pass.
    if let Some(unavailable) = data::unavailable(snapshot, rule.requires.iter().map(String::as_str))
    {
        outcomes.push(outcome(
            unavailable.status,
            rule_level,
            unavailable.message,
            unavailable.missing_data,
        ));
        return;
    }

    if rule.uses_budget() && !scope.budget_errors.is_empty() {
        outcomes.push(outcome(
            Status::Error,
            rule_level,
            format!(
                "not evaluated: the RTO/RPO budget could not be computed: {}",
                scope.budget_errors.join("; ")
            ),
            false,
        ));
        return;
    }
    let mut rule_scope = scope.root.new_inner_scope();
    rule_scope.add_variable_from_value(
        "params",
        to_cel(&serde_json::Value::Object(rule.params.clone())),
    );
    let mut matched = 0usize;
    for (entry, value) in entries.iter().zip(bound) {
        let mut resource_scope = rule_scope.new_inner_scope();
        resource_scope.set_variable_resolver(value);
        if let Some(filter) = &rule.where_ {
            match run_bool(filter, &resource_scope) {
                Ok(true) => {}
                Ok(false) => continue,
                Err(reason) => {
                    matched += 1;
                    outcomes.push(outcome(
                        Status::Error,
                        entry.identity.clone(),
                        format!("`where` could not be evaluated: {reason}"),
                        false,
                    ));
                    continue;
                }
            }
        }
        matched += 1;
        let judged = judge(rule, &resource_scope, snapshot);
        outcomes.push(Outcome {
            severity: judged.severity,
            blocks_failover: judged.blocks_failover,
            ..outcome(
                judged.status,
                entry.identity.clone(),
                judged.message,
                judged.missing_data,
            )
        });
    }
    if matched == 0 {
        let mut empty_scope = rule_scope.new_inner_scope();
        empty_scope.set_variable_resolver(scope.app);
        let message = match &rule.empty_message {
            Some(template) => render(template, &empty_scope),
            None => format!(
                "no {} matched{}",
                rule.resource,
                rule.where_
                    .as_ref()
                    .map(|w| format!(" `{}`", w.source.trim()))
                    .unwrap_or_default()
            ),
        };
        let status = match rule.on_empty {
            OnEmpty::NotApplicable => Status::NotApplicable,
            OnEmpty::Fail => Status::Fail,
            OnEmpty::Pass => Status::Pass,
        };
        outcomes.push(outcome(status, rule_level, message, false));
    }
}

/// One result's verdict before it becomes an [`Outcome`].
struct Judged {
    status: Status,
    severity: Severity,
    message: String,
    missing_data: bool,
    blocks_failover: bool,
}

/// Judges one resource: a false `assert` fails; a true one passes unless the
/// data the result reads (`reads`) was not collected (error, or not
/// applicable when skipped on purpose) or its `[rule.warning]` fails (a fail
/// at the warning's severity).
fn judge(rule: &Rule, scope: &Context<'_, '_>, snapshot: &Snapshot) -> Judged {
    let judged = |status, message| Judged {
        status,
        severity: rule.severity,
        message,
        missing_data: false,
        blocks_failover: false,
    };
    match run_bool(&rule.assert, scope) {
        Err(reason) => {
            return judged(
                Status::Error,
                format!("`assert` could not be evaluated: {reason}"),
            );
        }
        Ok(false) => {
            // A failure blocks the failover when the rule says so; one whose
            // condition cannot be decided counts as blocking (fail closed).
            let blocks_failover = rule
                .blocks_failover
                .as_ref()
                .is_some_and(|blocks| !matches!(run_bool(blocks, scope), Ok(false)));
            return Judged {
                blocks_failover,
                ..judged(Status::Fail, render(&rule.message, scope))
            };
        }
        Ok(true) => {}
    }
    if let Some(reads) = &rule.reads {
        match run_strings(reads, scope) {
            Err(reason) => {
                return judged(
                    Status::Error,
                    format!("`reads` could not be evaluated: {reason}"),
                );
            }
            Ok(sources) => {
                if let Some(unavailable) =
                    data::unavailable(snapshot, sources.iter().map(String::as_str))
                {
                    return Judged {
                        missing_data: unavailable.missing_data,
                        ..judged(unavailable.status, unavailable.message)
                    };
                }
            }
        }
    }
    if let Some(warning) = &rule.warning {
        match run_bool(&warning.assert, scope) {
            Ok(true) => {}
            Ok(false) => {
                return Judged {
                    severity: warning.severity,
                    ..judged(Status::Fail, render(&warning.message, scope))
                };
            }
            Err(reason) => {
                return judged(
                    Status::Error,
                    format!("`warning.assert` could not be evaluated: {reason}"),
                );
            }
        }
    }
    judged(
        Status::Pass,
        render(rule.pass_message.as_ref().unwrap_or(&rule.message), scope),
    )
}
