//! How the RTO/RPO estimate moved between two snapshots: the budget computed
//! on each, then compared figure by figure, step by step and store by store.

use crate::budget::{Budget, StepResult, StoreResult};

/// One figure before and after; `null` where there is none (an RPO with no
/// guarantee, a step that does not apply).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Figure {
    /// Seconds on the old snapshot.
    pub old_seconds: Option<f64>,
    /// Seconds on the new snapshot.
    pub new_seconds: Option<f64>,
    /// `new - old` when both exist.
    pub delta_seconds: Option<f64>,
}

impl Figure {
    fn of(old: Option<f64>, new: Option<f64>) -> Figure {
        Figure {
            old_seconds: old,
            new_seconds: new,
            delta_seconds: old.zip(new).map(|(o, n)| n - o),
        }
    }

    /// True when the figure moved (appeared, vanished or changed value).
    pub fn changed(&self) -> bool {
        match (self.old_seconds, self.new_seconds) {
            (Some(o), Some(n)) => (n - o).abs() > f64::EPSILON,
            (None, None) => false,
            _ => true,
        }
    }
}

/// A failover step whose duration moved (or that started or stopped applying).
#[derive(Debug, Clone, PartialEq)]
pub struct StepChange {
    /// Step id.
    pub id: String,
    /// What happens.
    pub title: String,
    /// Nominal duration; null on a side where the step does not apply.
    pub nominal: Figure,
    /// Worst-case duration; null on a side where the step does not apply.
    pub worst_case: Figure,
    /// Where the figure comes from, on the side where the step applies (new first).
    pub source: String,
}

/// A data store whose RPO figures moved (or that appeared or vanished).
#[derive(Debug, Clone, PartialEq)]
pub struct StoreChange {
    /// Store id.
    pub id: String,
    /// What it is.
    pub title: String,
    /// Guaranteed bound.
    pub guaranteed: Figure,
    /// Measured maximum loss.
    pub measured: Figure,
    /// The store exists on the old snapshot.
    pub in_old: bool,
    /// The store exists on the new snapshot (false: the model no longer
    /// counts it, e.g. no global database or in-scope bucket left; a bucket
    /// that stops replicating stays, with no bound).
    pub in_new: bool,
    /// Where the new figures come from (the old ones' when the store vanished).
    pub source: String,
}

/// The change in the RTO/RPO estimate between two snapshots.
#[derive(Debug, Clone, PartialEq)]
pub struct BudgetDelta {
    /// RTO estimate (nominal critical path).
    pub rto: Figure,
    /// RTO worst case.
    pub rto_worst_case: Figure,
    /// RPO estimate (worst store's measured, else typical, loss).
    pub rpo: Figure,
    /// Guaranteed RPO (null = some store has no bound).
    pub rpo_guaranteed: Figure,
    /// Nominal critical path on the old snapshot.
    pub old_critical_path: Vec<String>,
    /// Nominal critical path on the new snapshot.
    pub new_critical_path: Vec<String>,
    /// Steps whose duration changed, in model order.
    pub steps: Vec<StepChange>,
    /// Stores whose figures changed.
    pub stores: Vec<StoreChange>,
    /// Expressions that failed on either side (`old: …` / `new: …`): figures
    /// from a side with errors are incomplete.
    pub errors: Vec<String>,
}

impl BudgetDelta {
    /// Compares the budgets of the old and new snapshots.
    pub fn between(old: &Budget, new: &Budget) -> BudgetDelta {
        let mut steps = Vec::new();
        for new_step in &new.rto.steps {
            let old_step = old.rto.steps.iter().find(|s| s.id == new_step.id);
            let change = step_change(old_step, Some(new_step));
            if change.nominal.changed() || change.worst_case.changed() {
                steps.push(change);
            }
        }
        for old_step in &old.rto.steps {
            if !new.rto.steps.iter().any(|s| s.id == old_step.id) {
                steps.push(step_change(Some(old_step), None));
            }
        }
        let mut stores = Vec::new();
        for new_store in &new.rpo.stores {
            let old_store = old.rpo.stores.iter().find(|s| s.id == new_store.id);
            let change = store_change(old_store, Some(new_store));
            if old_store.is_none() || change.guaranteed.changed() || change.measured.changed() {
                stores.push(change);
            }
        }
        for old_store in &old.rpo.stores {
            if !new.rpo.stores.iter().any(|s| s.id == old_store.id) {
                stores.push(store_change(Some(old_store), None));
            }
        }
        let errors = old
            .errors
            .iter()
            .map(|e| format!("old: {e}"))
            .chain(new.errors.iter().map(|e| format!("new: {e}")))
            .collect();
        BudgetDelta {
            rto: Figure::of(
                Some(old.rto.estimate_seconds),
                Some(new.rto.estimate_seconds),
            ),
            rto_worst_case: Figure::of(
                Some(old.rto.worst_case_seconds),
                Some(new.rto.worst_case_seconds),
            ),
            rpo: Figure::of(
                Some(old.rpo.estimate_seconds),
                Some(new.rpo.estimate_seconds),
            ),
            rpo_guaranteed: Figure::of(old.rpo.guaranteed_seconds, new.rpo.guaranteed_seconds),
            old_critical_path: old.rto.critical_path.clone(),
            new_critical_path: new.rto.critical_path.clone(),
            steps,
            stores,
            errors,
        }
    }

    /// True when the recovery promise moved: the RTO (nominal or worst case)
    /// or the guaranteed RPO. A measured lag that moved is reported but is a
    /// measurement, not a configuration change, so it alone does not count.
    pub fn moved(&self) -> bool {
        self.rto.changed()
            || self.rto_worst_case.changed()
            || self.rpo_guaranteed.changed()
            || self.old_critical_path != self.new_critical_path
    }
}

fn applied(step: Option<&StepResult>) -> (Option<f64>, Option<f64>) {
    match step {
        Some(s) if s.applies => (Some(s.seconds), Some(s.worst_case_seconds)),
        _ => (None, None),
    }
}

fn step_change(old: Option<&StepResult>, new: Option<&StepResult>) -> StepChange {
    let (old_nominal, old_worst) = applied(old);
    let (new_nominal, new_worst) = applied(new);
    let shown = new.filter(|s| s.applies).or(old).or(new);
    StepChange {
        id: shown.map(|s| s.id.clone()).unwrap_or_default(),
        title: shown.map(|s| s.title.clone()).unwrap_or_default(),
        nominal: Figure::of(old_nominal, new_nominal),
        worst_case: Figure::of(old_worst, new_worst),
        source: shown.map(|s| s.source.clone()).unwrap_or_default(),
    }
}

fn store_change(old: Option<&StoreResult>, new: Option<&StoreResult>) -> StoreChange {
    let shown = new.or(old);
    StoreChange {
        id: shown.map(|s| s.id.clone()).unwrap_or_default(),
        title: shown.map(|s| s.title.clone()).unwrap_or_default(),
        guaranteed: Figure::of(
            old.and_then(|s| s.guaranteed_seconds),
            new.and_then(|s| s.guaranteed_seconds),
        ),
        measured: Figure::of(
            old.and_then(|s| s.measured_seconds),
            new.and_then(|s| s.measured_seconds),
        ),
        in_old: old.is_some(),
        in_new: new.is_some(),
        source: shown.map(|s| s.source.clone()).unwrap_or_default(),
    }
}
