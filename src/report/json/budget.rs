//! The budget as the v1 `budget` section.

use crate::budget::Budget;
use crate::contract::budget::{
    AvailabilityV1, BlockerV1, BudgetV1, ClaimsV1, DefaultV1, RegionDependencyV1, RpoV1, RtoV1,
    StepV1, StoreV1,
};

/// The computed budget as published.
pub fn budget_v1(budget: &Budget) -> BudgetV1 {
    let rto = &budget.rto;
    let rpo = &budget.rpo;
    let availability = &budget.availability;
    BudgetV1 {
        rto: RtoV1 {
            estimate_seconds: rto.estimate_seconds,
            worst_case_seconds: rto.worst_case_seconds,
            worst_case_unbounded: rto.worst_case_unbounded,
            target_seconds: rto.target_seconds,
            estimate_text: rto.estimate_text(),
            worst_case_text: rto.worst_case_text(),
            critical_path: rto.critical_path.clone(),
            worst_case_path: rto.worst_case_path.clone(),
            critical_path_text: rto.critical_path_text(),
            dominant_step: rto.dominant_step.clone(),
            steps: rto
                .steps
                .iter()
                .map(|s| StepV1 {
                    id: s.id.clone(),
                    title: s.title.clone(),
                    applies: s.applies,
                    seconds: s.seconds,
                    worst_case_seconds: s.worst_case_seconds,
                    start_seconds: s.start_seconds,
                    worst_case_start_seconds: s.worst_case_start_seconds,
                    on_critical_path: s.on_critical_path,
                    worst_case_unbounded: s.worst_case_unbounded,
                    after: s.after.clone(),
                    source: s.source.clone(),
                    url: s.url.clone(),
                    claimed_seconds: s.claimed_seconds,
                })
                .collect(),
            achievable: rto.achievable,
            blockers: rto
                .blockers
                .iter()
                .map(|b| BlockerV1 {
                    rule_id: b.rule_id.clone(),
                    resource: b.resource.clone(),
                    message: b.message.clone(),
                })
                .collect(),
        },
        rpo: RpoV1 {
            estimate_seconds: rpo.estimate_seconds,
            guaranteed_seconds: rpo.guaranteed_seconds,
            target_seconds: rpo.target_seconds,
            worst_store: rpo.worst_store.clone(),
            stores: rpo
                .stores
                .iter()
                .map(|s| StoreV1 {
                    id: s.id.clone(),
                    title: s.title.clone(),
                    typical_seconds: s.typical_seconds,
                    guaranteed_seconds: s.guaranteed_seconds,
                    measured_seconds: s.measured_seconds,
                    source: s.source.clone(),
                    url: s.url.clone(),
                })
                .collect(),
        },
        availability: AvailabilityV1 {
            target_percent: availability.target_percent,
            allowance_minutes_per_year: availability.allowance_minutes_per_year,
            failovers_per_year_affordable: availability.failovers_per_year_affordable,
            expected_failovers_per_year: availability.expected_failovers_per_year,
            expected_downtime_minutes: availability.expected_downtime_minutes,
            fits: availability.fits,
            worst_case_downtime_minutes: availability.worst_case_downtime_minutes,
            fits_worst_case: availability.fits_worst_case,
        },
        claims: budget.claims.as_ref().map(|c| ClaimsV1 {
            source: c.source.clone(),
            rto_seconds: c.rto_seconds,
            rpo_seconds: c.rpo_seconds,
        }),
        errors: budget.errors.clone(),
        model: budget.model.clone(),
        defaults: budget
            .defaults
            .iter()
            .map(|d| DefaultV1 {
                name: d.name.clone(),
                seconds: d.seconds,
                worst_case_seconds: d.worst_case_seconds,
                source: d.source.clone(),
                url: d.url.clone(),
            })
            .collect(),
        primary_region_gone: budget
            .primary_region_gone
            .iter()
            .map(|d| RegionDependencyV1 {
                id: d.id.clone(),
                kind: d.kind.clone(),
                subject: d.subject.clone(),
                reason: d.reason.clone(),
                blocks: d.blocks.clone(),
            })
            .collect(),
    }
}
