//! The baseline comparison and the snapshot difference as the v1 `drift`
//! section (and the body of `drguard diff --format json`).

use crate::contract::drift::{
    BaselineV1, BudgetDeltaV1, ChangeV1, DiffCountsV1, DiffV1, DriftV1, FieldChangeV1, FigureV1,
    GoneV1, SideV1, StateCountsV1, StepChangeV1, StoreChangeV1,
};
use crate::drift::baseline::Comparison;
use crate::drift::budget_delta::Figure;
use crate::drift::diff::Side;
use crate::drift::{BudgetDelta, Diff};

/// The comparison with `--baseline` as published.
pub fn drift_v1(comparison: &Comparison) -> DriftV1 {
    let counts = comparison.counts;
    DriftV1 {
        baseline: BaselineV1 {
            source: comparison.source.clone(),
            kind: comparison.kind.into(),
            captured_at: comparison.captured_at.clone(),
            counts: StateCountsV1 {
                new: counts.new,
                unchanged: counts.unchanged,
                updated: counts.updated,
                absent: counts.absent,
            },
            gone: comparison
                .gone
                .iter()
                .map(|result| GoneV1 {
                    fingerprint: result.fingerprint(),
                    result: result.clone(),
                    baseline_state: "absent".into(),
                })
                .collect(),
            not_evaluated: comparison.not_evaluated.clone(),
        },
        changes: comparison.changes.as_ref().map(diff_v1),
    }
}

/// The difference between two snapshots as published.
pub fn diff_v1(diff: &Diff) -> DiffV1 {
    DiffV1 {
        old: side_v1(&diff.old),
        new: side_v1(&diff.new),
        all_fields: diff.all_fields,
        summary: DiffCountsV1 {
            added: diff.summary.added,
            removed: diff.summary.removed,
            changed: diff.summary.changed,
            replaced: diff.summary.replaced,
        },
        changes: diff
            .changes
            .iter()
            .map(|c| ChangeV1 {
                change: c.change.as_str().into(),
                resource_type: c.resource_type.into(),
                region: c.region.clone(),
                resource_id: c.resource_id.clone(),
                resource_arn: c.resource_arn.clone(),
                previous_arn: c.previous_arn.clone(),
                fields: c
                    .fields
                    .iter()
                    .map(|f| FieldChangeV1 {
                        path: f.path.clone(),
                        before: f.before.clone(),
                        after: f.after.clone(),
                    })
                    .collect(),
            })
            .collect(),
        budget: diff.budget.as_ref().map(budget_delta_v1),
    }
}

fn side_v1(side: &Side) -> SideV1 {
    SideV1 {
        captured_at: side.captured_at.clone(),
        account_id: side.account_id.clone(),
        gaps: side.gaps.clone(),
    }
}

fn figure_v1(figure: &Figure) -> FigureV1 {
    FigureV1 {
        old_seconds: figure.old_seconds,
        new_seconds: figure.new_seconds,
        delta_seconds: figure.delta_seconds,
    }
}

pub(crate) fn budget_delta_v1(delta: &BudgetDelta) -> BudgetDeltaV1 {
    BudgetDeltaV1 {
        rto: figure_v1(&delta.rto),
        rto_worst_case: figure_v1(&delta.rto_worst_case),
        rpo: figure_v1(&delta.rpo),
        rpo_guaranteed: figure_v1(&delta.rpo_guaranteed),
        old_critical_path: delta.old_critical_path.clone(),
        new_critical_path: delta.new_critical_path.clone(),
        steps: delta
            .steps
            .iter()
            .map(|s| StepChangeV1 {
                id: s.id.clone(),
                title: s.title.clone(),
                nominal: figure_v1(&s.nominal),
                worst_case: figure_v1(&s.worst_case),
                source: s.source.clone(),
            })
            .collect(),
        stores: delta
            .stores
            .iter()
            .map(|s| StoreChangeV1 {
                id: s.id.clone(),
                title: s.title.clone(),
                guaranteed: figure_v1(&s.guaranteed),
                measured: figure_v1(&s.measured),
                in_old: s.in_old,
                in_new: s.in_new,
                source: s.source.clone(),
            })
            .collect(),
        errors: delta.errors.clone(),
    }
}
