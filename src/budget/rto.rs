//! The RTO: every step's duration (nominal and worst case) from the model's
//! CEL, start times from the steps it waits for, and the critical path.

use std::collections::HashMap;

use super::model::Model;
use super::{Rto, StepResult};
use crate::cel::{render, run_bool, run_number, run_strings};
use crate::config::Config;

/// Evaluates the steps; expressions that fail are recorded in `errors` and
/// count as zero (the budget rules then report `error`, never a pass).
pub fn compute(
    model: &Model,
    config: &Config,
    root: &::cel::Context<'_, '_>,
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
            Some(when) => run_bool(when, root).unwrap_or_else(|reason| {
                fail("`when`", reason);
                false
            }),
        };
        let (mut seconds, mut worst) = (0.0, 0.0);
        if applies {
            seconds = match run_number(&step.seconds, root) {
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
            worst = match step
                .worst_case_seconds
                .as_ref()
                .map(|w| run_number(w, root))
            {
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
        let mut after = step.after.clone();
        if let Some(also) = step.also_after.as_ref().filter(|_| applies) {
            match run_strings(also, root) {
                Ok(ids) => {
                    for id in ids {
                        if after.contains(&id) {
                            continue;
                        }
                        // Only earlier steps have finished: the model's order
                        // is fixed when it loads, so a later one would be a cycle.
                        if finish.contains_key(&id) {
                            after.push(id);
                        } else {
                            fail(
                                "`also_after`",
                                format!("`{id}` is not a step earlier in the model"),
                            );
                        }
                    }
                }
                Err(reason) => fail("`also_after`", reason),
            }
        }
        let unbounded = match step.unbounded_when.as_ref().filter(|_| applies) {
            None => false,
            Some(when) => run_bool(when, root).unwrap_or_else(|reason| {
                fail("`unbounded_when`", reason);
                false
            }),
        };
        let start = after
            .iter()
            .filter_map(|a| finish.get(a))
            .map(|f| f.0)
            .fold(0.0, f64::max);
        let worst_start = after
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
            worst_case_unbounded: unbounded,
            after,
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
    let dominant_step = on_path
        .iter()
        .max_by(|a, b| a.seconds.total_cmp(&b.seconds))
        .map(|s| s.id.clone());
    let worst_case_unbounded = steps.iter().any(|s| s.applies && s.worst_case_unbounded);
    Rto {
        worst_case_unbounded,
        estimate_seconds: estimate,
        worst_case_seconds: worst,
        target_seconds: config.targets.rto_seconds as f64,
        critical_path,
        worst_case_path,
        dominant_step,
        steps,
        // Decided once the rules that do not read the budget have run.
        achievable: true,
        blockers: Vec::new(),
        unverified_sources: Vec::new(),
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
