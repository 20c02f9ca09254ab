//! The RTO/RPO budget: a declarative failover model evaluated on the live
//! configuration.
//!
//! [`model`] loads the steps and stores (`rules/budget.toml`, or a user's
//! file) with their CEL durations; [`compute`] evaluates them on a linked
//! snapshot: the RTO is the critical path through the steps, nominal and
//! worst case ([`rto`]); the RPO the worst data store ([`rpo`]); and the
//! availability arithmetic says how many failovers a year the contract can
//! absorb ([`availability`]). Every figure keeps its source so a reader can
//! trace it to a config field or a cited default.
//!
//! The budget is computed once per audit, before the rules run: the rules
//! that judge it (DRG-BUD-*) read it as `budget` in CEL ([`binding`]).

pub mod availability;
mod blockers;
pub mod model;
pub mod rpo;
pub mod rto;
pub mod stores;
#[cfg(test)]
mod tests;

use cel::Context;
use serde::Serialize;
use serde_json::{Value as Json, json};

pub use blockers::Blocker;
pub use model::{Model, ModelError, load};

use crate::cel::{self as expressions, bindings, to_cel};
use crate::config::{Config, format_duration};
use crate::link::Linked;
use crate::snapshot::Snapshot;

/// The computed budget. Reports publish it through `crate::contract`'s v1
/// types; rules read it through [`binding`].
#[derive(Debug, Clone, Serialize)]
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
    /// If the primary region is gone: each part of the failover path that
    /// only that region serves, with the step it blocks (DRG-REG-001).
    pub primary_region_gone: Vec<crate::link::PrimaryDependency>,
}

/// A documented figure as shown to people.
#[derive(Debug, Clone, Serialize)]
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
#[derive(Debug, Clone, Serialize)]
pub struct Rto {
    /// Length of the critical path with nominal durations.
    pub estimate_seconds: f64,
    /// Length of the critical path with worst-case durations.
    pub worst_case_seconds: f64,
    /// True when a step that applies has no worst-case bound (its control
    /// plane is in the failed region): the worst case is then unbounded, and
    /// `worst_case_seconds` only sums the stated figures.
    pub worst_case_unbounded: bool,
    /// `targets.rto`.
    pub target_seconds: f64,
    /// Step ids on the nominal critical path, in order.
    pub critical_path: Vec<String>,
    /// Step ids on the worst-case critical path.
    pub worst_case_path: Vec<String>,
    /// The longest step on the critical path.
    pub dominant_step: Option<String>,
    /// Every step, applicable or not, in order.
    pub steps: Vec<StepResult>,
    /// False when a finding stops the failover from completing: the
    /// estimate then says what it would take once the blockers are fixed.
    pub achievable: bool,
    /// The findings that stop the failover (rules with `blocks_failover`).
    pub blockers: Vec<Blocker>,
    /// Data sources whose gaps left a blocking check undecided: DRG-BUD-001
    /// reads them, so the verdict is `error`, never a pass on missing data.
    pub unverified_sources: Vec<String>,
}

/// One step as evaluated.
#[derive(Debug, Clone, Serialize)]
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
    /// True when its worst case has no bound (see the model's `unbounded_when`).
    pub worst_case_unbounded: bool,
    /// Steps it waits for (the model's `after` plus `also_after`).
    pub after: Vec<String>,
    /// Where the figure comes from.
    pub source: String,
    /// Documentation link.
    pub url: Option<String>,
    /// What the design claims for this step, when `[budget.claims.steps]` says.
    pub claimed_seconds: Option<f64>,
}

/// The RPO estimate.
#[derive(Debug, Clone, Serialize)]
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
#[derive(Debug, Clone, Serialize)]
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
#[derive(Debug, Clone, Serialize)]
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
    /// Expected failovers × worst-case RTO, in minutes; null when the worst
    /// case is unbounded.
    pub worst_case_downtime_minutes: Option<f64>,
    /// True when the expected failovers fit even at the worst case.
    pub fits_worst_case: bool,
}

/// The design's claims next to the estimate.
#[derive(Debug, Clone, Serialize)]
pub struct ClaimsView {
    /// Where the claims come from.
    pub source: Option<String>,
    /// Claimed RTO.
    pub rto_seconds: Option<f64>,
    /// Claimed RPO.
    pub rpo_seconds: Option<f64>,
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

impl Rto {
    /// The estimate for people (`12m30s`).
    pub fn estimate_text(&self) -> String {
        human_seconds(self.estimate_seconds)
    }

    /// The worst case for people: `unbounded` when a step has no bound.
    pub fn worst_case_text(&self) -> String {
        if self.worst_case_unbounded {
            let steps: Vec<&str> = self
                .steps
                .iter()
                .filter(|s| s.applies && s.worst_case_unbounded)
                .map(|s| s.id.as_str())
                .collect();
            format!("unbounded ({})", steps.join(", "))
        } else {
            human_seconds(self.worst_case_seconds)
        }
    }

    /// The critical path as text (`detection 30s → decision 5m → …`).
    pub fn critical_path_text(&self) -> String {
        self.critical_path
            .iter()
            .filter_map(|id| self.steps.iter().find(|s| &s.id == id))
            .map(|s| format!("{} {}", s.id, human_seconds(s.seconds)))
            .collect::<Vec<_>>()
            .join(" → ")
    }
}

/// `budget` in CEL: the computed budget, with the RTO's figures also as text
/// for messages (`budget.rto.estimate_text`, `critical_path_text`,
/// `worst_case_text`).
pub fn binding(budget: &Budget) -> Json {
    let mut value = bindings::to_json(budget);
    if let Some(rto) = value.get_mut("rto").and_then(Json::as_object_mut) {
        rto.insert("estimate_text".into(), json!(budget.rto.estimate_text()));
        rto.insert(
            "worst_case_text".into(),
            json!(budget.rto.worst_case_text()),
        );
        rto.insert(
            "critical_path_text".into(),
            json!(budget.rto.critical_path_text()),
        );
        rto.insert("blockers_text".into(), json!(budget.rto.blockers_text()));
    }
    value
}

/// Evaluates the model on a linked snapshot.
pub fn compute(model: &Model, snapshot: &Snapshot, config: &Config, linked: &Linked<'_>) -> Budget {
    let mut root = Context::with_env(expressions::environment());
    // The model reads the topology, and the data stores under it.
    let mut topology = bindings::to_json(&linked.topology);
    if let Some(map) = topology.as_object_mut() {
        map.insert(
            "data_stores".into(),
            bindings::to_json(&stores::data_stores(snapshot, config, linked)),
        );
    }
    root.add_variable_from_value("topology", to_cel(&topology));
    root.add_variable_from_value("app", to_cel(&bindings::to_json(&config.app_binding())));
    root.add_variable_from_value(
        "targets",
        to_cel(&bindings::to_json(&config.targets_binding())),
    );
    root.add_variable_from_value("defaults", to_cel(&defaults_value(model)));
    if model.reads_snapshot() {
        root.add_variable_from_value("snapshot", to_cel(&bindings::to_json(snapshot)));
    }
    let mut errors = Vec::new();
    let rto = rto::compute(model, config, &root, &mut errors);
    let rpo = rpo::compute(model, config, &root, &mut errors);
    let availability = availability::compute(
        &config.targets,
        rto.estimate_seconds,
        (!rto.worst_case_unbounded).then_some(rto.worst_case_seconds),
    );
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
        primary_region_gone: linked.topology.primary_region_dependencies.clone(),
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
