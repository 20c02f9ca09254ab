//! The RTO/RPO budget: a declarative failover model evaluated on the live
//! configuration.
//!
//! [`model`] loads the steps and stores (`rules/budget.toml`, or a user's
//! file) with their CEL durations; [`compute`] evaluates them on a linked
//! snapshot: the RTO is the critical path through the steps (nominal and
//! worst case), the RPO the worst data store, and the availability arithmetic
//! says how many failovers a year the contract can absorb. Every figure keeps
//! its source so a reader can trace it to a config field or a cited default.

pub mod model;

use std::collections::HashMap;

use cel::{Context, Value};
use schemars::JsonSchema;
use serde::Serialize;
use serde_json::{Value as Json, json};

pub use model::{Model, ModelError, load};

use crate::config::{Config, format_duration};
use crate::link::Topology;
use crate::rules::eval::render;
use crate::rules::expr::{self, Expression, display, to_cel};
use crate::rules::resources;
use crate::snapshot::Snapshot;

/// Minutes in a 365-day year.
const MINUTES_PER_YEAR: f64 = 365.0 * 24.0 * 60.0;

/// The computed budget; serialised as the JSON report's `budget` section.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Budget {
    /// Recovery time.
    pub rto: Rto,
    /// Recovery point.
    pub rpo: Rpo,
    /// Uptime arithmetic.
    pub availability: Availability,
    /// The design's own figures, when `[budget.claims]` gives them.
    pub claims: Option<ClaimsView>,
    /// Expressions that failed; the budget rules then report `error`.
    pub errors: Vec<String>,
    /// The model file used.
    pub model: String,
    /// The documented figures the model offers, with their sources.
    pub defaults: Vec<DefaultView>,
}

/// A documented figure as shown to people.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct DefaultView {
    /// Name (`defaults.NAME` in the model).
    pub name: String,
    /// Nominal seconds (null = no bound).
    pub seconds: Option<f64>,
    /// Worst-case seconds.
    pub worst_case_seconds: Option<f64>,
    /// Where it comes from.
    pub source: String,
    /// Documentation link.
    pub url: Option<String>,
}

/// The RTO estimate.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Rto {
    /// Length of the critical path with nominal durations.
    pub estimate_seconds: f64,
    /// Length of the critical path with worst-case durations.
    pub worst_case_seconds: f64,
    /// `targets.rto`.
    pub target_seconds: f64,
    /// The estimate for people (`12m30s`).
    pub estimate_text: String,
    /// The worst case for people.
    pub worst_case_text: String,
    /// Step ids on the nominal critical path, in order.
    pub critical_path: Vec<String>,
    /// Step ids on the worst-case critical path.
    pub worst_case_path: Vec<String>,
    /// The critical path as text (`detection 30s → decision 5m → …`).
    pub critical_path_text: String,
    /// The longest step on the critical path.
    pub dominant_step: Option<String>,
    /// Every step, applicable or not, in order.
    pub steps: Vec<StepResult>,
}

/// One step as evaluated.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct StepResult {
    /// Step id.
    pub id: String,
    /// What happens.
    pub title: String,
    /// False when its `when` condition is false: it takes no time.
    pub applies: bool,
    /// Nominal duration.
    pub seconds: f64,
    /// Worst-case duration.
    pub worst_case_seconds: f64,
    /// When it starts on the nominal timeline.
    pub start_seconds: f64,
    /// When it starts on the worst-case timeline.
    pub worst_case_start_seconds: f64,
    /// On the nominal critical path.
    pub on_critical_path: bool,
    /// Steps it waits for.
    pub after: Vec<String>,
    /// Where the figure comes from.
    pub source: String,
    /// Documentation link.
    pub url: Option<String>,
    /// What the design claims for this step, when `[budget.claims.steps]` says.
    pub claimed_seconds: Option<f64>,
}

/// The RPO estimate.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Rpo {
    /// Worst store's measured (else typical) loss.
    pub estimate_seconds: f64,
    /// Worst guaranteed bound; null when any store has none.
    pub guaranteed_seconds: Option<f64>,
    /// `targets.rpo`.
    pub target_seconds: f64,
    /// The store that sets the estimate.
    pub worst_store: Option<String>,
    /// Applicable stores.
    pub stores: Vec<StoreResult>,
}

/// One data store as evaluated.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct StoreResult {
    /// Store id.
    pub id: String,
    /// What it is.
    pub title: String,
    /// Typical loss.
    pub typical_seconds: Option<f64>,
    /// Guaranteed bound (null = none).
    pub guaranteed_seconds: Option<f64>,
    /// Measured loss over the metric window.
    pub measured_seconds: Option<f64>,
    /// Where the figures come from.
    pub source: String,
    /// Documentation link.
    pub url: Option<String>,
}

/// The availability arithmetic.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Availability {
    /// `targets.availability`.
    pub target_percent: f64,
    /// Downtime a year the target allows.
    pub allowance_minutes_per_year: f64,
    /// Failovers a year that fit in it at the estimated RTO.
    pub failovers_per_year_affordable: Option<f64>,
    /// `targets.expected_failovers_per_year`.
    pub expected_failovers_per_year: f64,
    /// Expected failovers × estimated RTO, in minutes.
    pub expected_downtime_minutes: f64,
    /// True when the expected downtime fits the allowance.
    pub fits: bool,
}

/// The design's claims next to the estimate.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ClaimsView {
    /// Where the claims come from.
    pub source: Option<String>,
    /// Claimed RTO.
    pub rto_seconds: Option<f64>,
    /// Claimed RPO.
    pub rpo_seconds: Option<f64>,
}

/// Converts a CEL number (or null) to seconds.
fn number(expression: &Expression, context: &Context<'_, '_>) -> Result<Option<f64>, String> {
    match expression.program.execute(context) {
        Ok(Value::Int(i)) => Ok(Some(i as f64)),
        Ok(Value::UInt(u)) => Ok(Some(u as f64)),
        Ok(Value::Float(f)) if f.is_finite() => Ok(Some(f)),
        Ok(Value::Null) => Ok(None),
        Ok(other) => Err(format!(
            "`{}` gave {} instead of a number",
            expression.source.trim(),
            display(&other)
        )),
        Err(err) => Err(format!("`{}`: {err}", expression.source.trim())),
    }
}

fn boolean(expression: &Expression, context: &Context<'_, '_>) -> Result<bool, String> {
    match expression.program.execute(context) {
        Ok(Value::Bool(b)) => Ok(b),
        Ok(other) => Err(format!(
            "`{}` gave {} instead of a boolean",
            expression.source.trim(),
            display(&other)
        )),
        Err(err) => Err(format!("`{}`: {err}", expression.source.trim())),
    }
}

/// `defaults` in CEL: each default's value and `NAME_worst`, in seconds (null for "none").
/// Whole seconds are integers, so expressions can mix them with integer
/// config fields (CEL does not add an int to a double).
fn defaults_value(model: &Model) -> Json {
    let seconds = |value: Option<f64>| match value {
        Some(v) if v.fract() == 0.0 && v.abs() < 9.0e15 => json!(v as i64),
        Some(v) => json!(v),
        None => Json::Null,
    };
    let mut map = serde_json::Map::new();
    for (name, default) in &model.defaults {
        map.insert(name.clone(), seconds(default.value));
        map.insert(format!("{name}_worst"), seconds(default.worst));
    }
    Json::Object(map)
}

/// Formats seconds for people: `48s`, `5m`, `10m30s`.
pub fn human_seconds(seconds: f64) -> String {
    if !seconds.is_finite() || seconds < 0.0 {
        return "?".into();
    }
    if seconds < 1.0 && seconds > 0.0 {
        return format!("{:.0}ms", seconds * 1000.0);
    }
    format_duration(seconds.round() as u64)
}

/// Evaluates the model on a linked snapshot.
pub fn compute(model: &Model, snapshot: &Snapshot, config: &Config, topology: &Topology) -> Budget {
    let mut root = Context::with_env(expr::environment());
    root.add_variable_from_value(
        "topology",
        to_cel(&serde_json::to_value(topology).unwrap_or(Json::Null)),
    );
    root.add_variable_from_value("app", to_cel(&resources::app_value(config)));
    root.add_variable_from_value("targets", to_cel(&resources::targets_value(config)));
    root.add_variable_from_value("defaults", to_cel(&defaults_value(model)));
    let reads_snapshot = model.steps.iter().any(|s| {
        s.seconds.uses_snapshot
            || s.when.as_ref().is_some_and(|w| w.uses_snapshot)
            || s.worst_case_seconds
                .as_ref()
                .is_some_and(|w| w.uses_snapshot)
            || s.source.uses_snapshot()
    }) || model.stores.iter().any(|s| {
        s.typical_seconds.uses_snapshot
            || s.when.as_ref().is_some_and(|w| w.uses_snapshot)
            || s.source.uses_snapshot()
    });
    if reads_snapshot {
        root.add_variable_from_value(
            "snapshot",
            to_cel(&serde_json::to_value(snapshot).unwrap_or(Json::Null)),
        );
    }
    let mut errors = Vec::new();
    let rto = compute_rto(model, config, &root, &mut errors);
    let rpo = compute_rpo(model, config, &root, &mut errors);
    let allowance = (100.0 - config.targets.availability_percent) / 100.0 * MINUTES_PER_YEAR;
    let expected = config.targets.expected_failovers_per_year;
    let estimate_minutes = rto.estimate_seconds / 60.0;
    let availability = Availability {
        target_percent: config.targets.availability_percent,
        allowance_minutes_per_year: (allowance * 100.0).round() / 100.0,
        failovers_per_year_affordable: (estimate_minutes > 0.0)
            .then(|| ((allowance / estimate_minutes) * 10.0).floor() / 10.0),
        expected_failovers_per_year: expected,
        expected_downtime_minutes: ((expected * estimate_minutes) * 100.0).round() / 100.0,
        fits: expected * estimate_minutes <= allowance,
    };
    let claims = &config.budget.claims;
    let claims =
        (claims.rto.is_some() || claims.rpo.is_some() || !claims.steps.is_empty()).then(|| {
            ClaimsView {
                source: claims.source.clone(),
                rto_seconds: claims.rto.map(|s| s as f64),
                rpo_seconds: claims.rpo.map(|s| s as f64),
            }
        });
    Budget {
        rto,
        rpo,
        availability,
        claims,
        errors,
        model: model.origin.clone(),
        defaults: model
            .defaults
            .iter()
            .map(|(name, d)| DefaultView {
                name: name.clone(),
                seconds: d.value,
                worst_case_seconds: d.worst,
                source: d.source.clone(),
                url: d.url.clone(),
            })
            .collect(),
    }
}

fn compute_rto(
    model: &Model,
    config: &Config,
    root: &Context<'_, '_>,
    errors: &mut Vec<String>,
) -> Rto {
    let mut steps: Vec<StepResult> = Vec::new();
    let mut finish: HashMap<String, (f64, f64)> = HashMap::new();
    for step in &model.steps {
        let mut fail = |what: &str, reason: String| {
            errors.push(format!("step `{}` {what}: {reason}", step.id))
        };
        let applies = match &step.when {
            None => true,
            Some(when) => boolean(when, root).unwrap_or_else(|reason| {
                fail("`when`", reason);
                false
            }),
        };
        let (mut seconds, mut worst) = (0.0, 0.0);
        if applies {
            seconds = match number(&step.seconds, root) {
                Ok(Some(s)) if s >= 0.0 => s,
                Ok(Some(s)) => {
                    fail("`seconds`", format!("negative duration {s}"));
                    0.0
                }
                Ok(None) => {
                    fail("`seconds`", "gave null".into());
                    0.0
                }
                Err(reason) => {
                    fail("`seconds`", reason);
                    0.0
                }
            };
            worst = match step.worst_case_seconds.as_ref().map(|w| number(w, root)) {
                None => seconds,
                Some(Ok(Some(w))) if w >= 0.0 => w.max(seconds),
                Some(Ok(other)) => {
                    fail(
                        "`worst_case_seconds`",
                        format!("gave {other:?}, not a duration"),
                    );
                    seconds
                }
                Some(Err(reason)) => {
                    fail("`worst_case_seconds`", reason);
                    seconds
                }
            };
        }
        let start = step
            .after
            .iter()
            .filter_map(|a| finish.get(a))
            .map(|f| f.0)
            .fold(0.0, f64::max);
        let worst_start = step
            .after
            .iter()
            .filter_map(|a| finish.get(a))
            .map(|f| f.1)
            .fold(0.0, f64::max);
        finish.insert(step.id.clone(), (start + seconds, worst_start + worst));
        let source = if applies {
            render(&step.source, root)
        } else {
            String::new()
        };
        steps.push(StepResult {
            id: step.id.clone(),
            title: step.title.clone(),
            applies,
            seconds,
            worst_case_seconds: worst,
            start_seconds: start,
            worst_case_start_seconds: worst_start,
            on_critical_path: false,
            after: step.after.clone(),
            source,
            url: step.url.clone(),
            claimed_seconds: config
                .budget
                .claims
                .steps
                .get(&step.id)
                .map(|(s, _)| *s as f64),
        });
    }
    let critical_path = critical_path_ids(&steps, |s| (s.start_seconds, s.seconds));
    let worst_case_path = critical_path_ids(&steps, |s| {
        (s.worst_case_start_seconds, s.worst_case_seconds)
    });
    for step in &mut steps {
        step.on_critical_path = critical_path.contains(&step.id);
    }
    let estimate = steps
        .iter()
        .map(|s| s.start_seconds + s.seconds)
        .fold(0.0, f64::max);
    let worst = steps
        .iter()
        .map(|s| s.worst_case_start_seconds + s.worst_case_seconds)
        .fold(0.0, f64::max);
    let on_path: Vec<&StepResult> = critical_path
        .iter()
        .filter_map(|id| steps.iter().find(|s| &s.id == id))
        .collect();
    let critical_path_text = on_path
        .iter()
        .map(|s| format!("{} {}", s.id, human_seconds(s.seconds)))
        .collect::<Vec<_>>()
        .join(" → ");
    let dominant_step = on_path
        .iter()
        .max_by(|a, b| a.seconds.total_cmp(&b.seconds))
        .map(|s| s.id.clone());
    Rto {
        estimate_text: human_seconds(estimate),
        worst_case_text: human_seconds(worst),
        estimate_seconds: estimate,
        worst_case_seconds: worst,
        target_seconds: config.targets.rto_seconds as f64,
        critical_path,
        worst_case_path,
        critical_path_text,
        dominant_step,
        steps,
    }
}

/// Walks back from the step that finishes last through the predecessor that
/// finishes last; steps that do not apply are passed through but not listed.
fn critical_path_ids(
    steps: &[StepResult],
    timing: impl Fn(&StepResult) -> (f64, f64),
) -> Vec<String> {
    let finish = |s: &StepResult| {
        let (start, duration) = timing(s);
        start + duration
    };
    let by_id: HashMap<&str, &StepResult> = steps.iter().map(|s| (s.id.as_str(), s)).collect();
    // Among equal finishes prefer an applicable step, then the later one in order.
    let mut current = steps
        .iter()
        .filter(|s| s.applies)
        .max_by(|a, b| finish(a).total_cmp(&finish(b)));
    let mut path = Vec::new();
    let mut guard = steps.len() + 1;
    while let Some(step) = current {
        if step.applies {
            path.push(step.id.clone());
        }
        guard = guard.saturating_sub(1);
        if guard == 0 {
            break;
        }
        let (start, _) = timing(step);
        current = step
            .after
            .iter()
            .filter_map(|a| by_id.get(a.as_str()).copied())
            .filter(|p| (finish(p) - start).abs() < 1e-9)
            .max_by(|a, b| {
                a.applies
                    .cmp(&b.applies)
                    .then(timing(a).1.total_cmp(&timing(b).1))
            });
    }
    path.reverse();
    path
}

fn compute_rpo(
    model: &Model,
    config: &Config,
    root: &Context<'_, '_>,
    errors: &mut Vec<String>,
) -> Rpo {
    let mut stores = Vec::new();
    for store in &model.stores {
        let mut fail = |what: &str, reason: String| {
            errors.push(format!("store `{}` {what}: {reason}", store.id))
        };
        let applies = match &store.when {
            None => true,
            Some(when) => boolean(when, root).unwrap_or_else(|reason| {
                fail("`when`", reason);
                false
            }),
        };
        if !applies {
            continue;
        }
        let mut figure = |expression: Option<&Expression>, what: &str| match expression
            .map(|e| number(e, root))
        {
            None => None,
            Some(Ok(value)) if value.is_none_or(|v| v >= 0.0) => value,
            Some(Ok(value)) => {
                fail(what, format!("negative figure {value:?}"));
                None
            }
            Some(Err(reason)) => {
                fail(what, reason);
                None
            }
        };
        let typical = figure(Some(&store.typical_seconds), "`typical_seconds`");
        let measured = figure(store.measured_seconds.as_ref(), "`measured_seconds`");
        let guaranteed = figure(store.guaranteed_seconds.as_ref(), "`guaranteed_seconds`");
        stores.push(StoreResult {
            id: store.id.clone(),
            title: store.title.clone(),
            typical_seconds: typical,
            guaranteed_seconds: guaranteed,
            measured_seconds: measured,
            source: render(&store.source, root),
            url: store.url.clone(),
        });
    }
    let loss = |s: &StoreResult| s.measured_seconds.or(s.typical_seconds).unwrap_or(0.0);
    let worst = stores.iter().max_by(|a, b| loss(a).total_cmp(&loss(b)));
    let guaranteed = if stores.iter().all(|s| s.guaranteed_seconds.is_some()) {
        stores
            .iter()
            .filter_map(|s| s.guaranteed_seconds)
            .reduce(f64::max)
            .or(Some(0.0))
    } else {
        None
    };
    Rpo {
        estimate_seconds: worst.map(loss).unwrap_or(0.0),
        guaranteed_seconds: if stores.is_empty() { None } else { guaranteed },
        target_seconds: config.targets.rpo_seconds as f64,
        worst_store: worst.map(|s| s.id.clone()),
        stores,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;

    fn budget_of(model_text: &str) -> Budget {
        let model = model::parse(&SourceFile::new("test-budget.toml", model_text)).unwrap();
        let snapshot: Snapshot = serde_json::from_value(json!({
            "schema_version": "1", "captured_at": "2026-11-20T03:00:00Z", "account_id": "123456789012", "regions": {}
        }))
        .unwrap();
        let config = Config::default();
        compute(&model, &snapshot, &config, &Topology::default())
    }

    #[test]
    fn parallel_branches_take_the_longer_one() {
        let budget = budget_of(
            r#"
[[step]]
id = "a"
title = "a"
seconds = "10"
source = "s"
[[step]]
id = "short"
title = "short"
after = ["a"]
seconds = "5"
source = "s"
[[step]]
id = "long"
title = "long"
after = ["a"]
seconds = "20"
worst_case_seconds = "25"
source = "s"
[[step]]
id = "end"
title = "end"
after = ["short", "long"]
seconds = "1"
source = "s"
"#,
        );
        assert_eq!(budget.rto.estimate_seconds, 31.0);
        assert_eq!(budget.rto.worst_case_seconds, 36.0);
        assert_eq!(budget.rto.critical_path, ["a", "long", "end"]);
        let short = budget.rto.steps.iter().find(|s| s.id == "short").unwrap();
        assert!(!short.on_critical_path);
        assert_eq!(short.start_seconds, 10.0);
    }

    #[test]
    fn a_step_that_does_not_apply_takes_no_time() {
        let budget = budget_of(
            r#"
[[step]]
id = "a"
title = "a"
seconds = "10"
source = "s"
[[step]]
id = "skipped"
title = "skipped"
after = ["a"]
when = "false"
seconds = "100"
source = "s"
[[step]]
id = "b"
title = "b"
after = ["skipped"]
seconds = "5"
source = "s"
"#,
        );
        assert_eq!(budget.rto.estimate_seconds, 15.0);
        assert_eq!(budget.rto.critical_path, ["a", "b"]);
    }

    #[test]
    fn a_cycle_is_an_error_naming_the_steps() {
        let err = model::parse(&SourceFile::new(
            "cycle.toml",
            r#"
[[step]]
id = "a"
title = "a"
after = ["c"]
seconds = "1"
source = "s"
[[step]]
id = "b"
title = "b"
after = ["a"]
seconds = "1"
source = "s"
[[step]]
id = "c"
title = "c"
after = ["b"]
seconds = "1"
source = "s"
"#,
        ))
        .unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains("cycle") && text.contains("a → c → b → a"),
            "{text}"
        );
    }

    #[test]
    fn a_negative_duration_at_run_time_is_an_error_not_a_shorter_rto() {
        let budget = budget_of(
            r#"
[[step]]
id = "a"
title = "a"
seconds = "-5"
source = "s"
"#,
        );
        assert_eq!(budget.errors.len(), 1);
        assert!(budget.errors[0].contains("negative"));
    }

    #[test]
    fn rpo_without_a_guarantee_is_null() {
        let budget = budget_of(
            r#"
[[store]]
id = "bounded"
title = "b"
typical_seconds = "1"
guaranteed_seconds = "60"
source = "s"
[[store]]
id = "unbounded"
title = "u"
typical_seconds = "2"
measured_seconds = "30.5"
source = "s"
"#,
        );
        assert_eq!(budget.rpo.guaranteed_seconds, None);
        assert_eq!(budget.rpo.estimate_seconds, 30.5);
        assert_eq!(budget.rpo.worst_store.as_deref(), Some("unbounded"));
    }

    #[test]
    fn builtin_model_loads() {
        let model = model::parse(&SourceFile::new("rules/budget.toml", model::BUILTIN)).unwrap();
        assert!(model.steps.iter().any(|s| s.id == "detection"));
        assert_eq!(model.stores.len(), 3);
    }
}
