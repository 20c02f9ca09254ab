//! The RPO: each applicable data store's typical, measured and guaranteed
//! loss, and the worst of them.

use super::model::Model;
use super::{Rpo, StoreResult};
use crate::cel::{Expression, render, run_bool, run_number};
use crate::config::Config;

/// Evaluates the stores; expressions that fail are recorded in `errors`.
pub fn compute(
    model: &Model,
    config: &Config,
    root: &::cel::Context<'_, '_>,
    errors: &mut Vec<String>,
) -> Rpo {
    let mut stores = Vec::new();
    for store in &model.stores {
        let mut fail = |what: &str, reason: String| {
            errors.push(format!("store `{}` {what}: {reason}", store.id))
        };
        let applies = match &store.when {
            None => true,
            Some(when) => run_bool(when, root).unwrap_or_else(|reason| {
                fail("`when`", reason);
                false
            }),
        };
        if !applies {
            continue;
        }
        let mut figure = |expression: Option<&Expression>, what: &str| match expression
            .map(|e| run_number(e, root))
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
