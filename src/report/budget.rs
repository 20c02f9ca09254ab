//! The RTO/RPO budget for people: a timeline with sources, the RPO per store,
//! the availability arithmetic, and the design's own figures beside drguard's.

use std::fmt::Write;

use crate::audit::ResultRow;
use crate::budget::{Budget, StepResult, human_seconds};
use crate::config::{Config, format_duration};
use crate::vocab::Status;

/// Widest timeline bar, in characters; narrower terminals get shorter bars.
const BAR_WIDTH: usize = 40;

/// Columns of a timeline row besides its bar.
const BAR_ROW_REST: usize = 84;

/// A figure that may be missing (`none`: no bound, no datapoints).
pub fn optional(seconds: Option<f64>) -> String {
    seconds.map(human_seconds).unwrap_or_else(|| "none".into())
}

/// The steps that take time, in order.
fn applicable(budget: &Budget) -> impl Iterator<Item = &StepResult> {
    budget.rto.steps.iter().filter(|s| s.applies)
}

fn bar(step: &StepResult, scale: f64, width: usize) -> String {
    let start = (step.start_seconds / scale).round() as usize;
    let length = ((step.seconds / scale).round() as usize).max(1);
    let start = start.min(width.saturating_sub(1));
    let length = length.min(width - start);
    format!(
        "{}{}{}",
        " ".repeat(start),
        "█".repeat(length),
        " ".repeat(width - start - length)
    )
}

/// Renders the budget for a terminal.
pub fn render_human(
    budget: &Budget,
    config: &Config,
    rows: &[ResultRow<'_>],
    width: usize,
) -> String {
    let bar_width = width.saturating_sub(BAR_ROW_REST).clamp(10, BAR_WIDTH);
    let mut out = String::new();
    let targets = &config.targets;
    let _ = writeln!(
        out,
        "RTO/RPO budget of {} · primary {} → DR {} · targets: RTO {}, RPO {}, availability {}% ({} failover(s) a year expected)",
        config.app.name,
        config.app.primary_region,
        config.app.dr_region,
        format_duration(targets.rto_seconds),
        format_duration(targets.rpo_seconds),
        targets.availability_percent,
        targets.expected_failovers_per_year
    );
    if !budget.rto.achievable {
        let _ = writeln!(out, "\nRTO: NOT ACHIEVABLE. The failover cannot complete:");
        for blocker in &budget.rto.blockers {
            let _ = writeln!(
                out,
                "  ✗ {} ({}): {}",
                blocker.rule_id, blocker.resource, blocker.message
            );
        }
        let _ = writeln!(
            out,
            "The timeline below is what the failover would take once these are fixed."
        );
    }
    let total = budget.rto.estimate_seconds.max(1.0);
    let scale = total / bar_width as f64;
    let _ = writeln!(
        out,
        "\nRTO timeline, nominal (one █ ≈ {}; * = on the critical path)",
        human_seconds(scale)
    );
    let _ = writeln!(
        out,
        "  {:<24} {:<bar_width$}  {:>7} {:>7} {:>7}",
        "step", "", "start", "takes", "worst"
    );
    for step in applicable(budget) {
        let _ = writeln!(
            out,
            "{} {:<24} {}  {:>7} {:>7} {:>7}",
            if step.on_critical_path { "*" } else { " " },
            step.id,
            bar(step, scale, bar_width),
            human_seconds(step.start_seconds),
            human_seconds(step.seconds),
            human_seconds(step.worst_case_seconds)
        );
    }
    let _ = writeln!(
        out,
        "\ncritical path: {} = {} (worst case {})",
        budget.rto.critical_path_text(),
        budget.rto.estimate_text(),
        budget.rto.worst_case_text()
    );
    if let Some(dominant) = &budget.rto.dominant_step {
        let _ = writeln!(out, "longest step on it: {dominant}");
    }
    let _ = writeln!(out, "\nWhere each figure comes from:");
    for step in applicable(budget) {
        let _ = writeln!(out, "  {:<24} {}", step.id, step.source);
    }
    let skipped: Vec<&str> = budget
        .rto
        .steps
        .iter()
        .filter(|s| !s.applies)
        .map(|s| s.id.as_str())
        .collect();
    if !skipped.is_empty() {
        let _ = writeln!(
            out,
            "  steps that do not apply to this configuration: {}",
            skipped.join(", ")
        );
    }
    render_region_gone(&mut out, budget, &config.app.primary_region);
    let _ = writeln!(
        out,
        "\nRPO per data store\n  {:<12} {:>9} {:>9} {:>11}  source",
        "store", "typical", "measured", "guaranteed"
    );
    for store in &budget.rpo.stores {
        let _ = writeln!(
            out,
            "  {:<12} {:>9} {:>9} {:>11}  {}",
            store.id,
            optional(store.typical_seconds),
            optional(store.measured_seconds),
            optional(store.guaranteed_seconds),
            store.source
        );
    }
    let _ = writeln!(
        out,
        "RPO estimate {} ({}); guaranteed: {}",
        human_seconds(budget.rpo.estimate_seconds),
        budget.rpo.worst_store.as_deref().unwrap_or("no store"),
        optional(budget.rpo.guaranteed_seconds)
    );
    let availability = &budget.availability;
    let _ = writeln!(
        out,
        "\nAvailability: {}% allows {} min of downtime a year; at {} per failover that is {} failover(s); {} expected → {} min: {}",
        availability.target_percent,
        availability.allowance_minutes_per_year,
        budget.rto.estimate_text(),
        availability
            .failovers_per_year_affordable
            .map(|f| f.to_string())
            .unwrap_or_else(|| "unlimited".into()),
        availability.expected_failovers_per_year,
        availability.expected_downtime_minutes,
        if availability.fits {
            "fits"
        } else {
            "does NOT fit"
        }
    );
    let _ = writeln!(
        out,
        "\nDocumented figures the model uses ({}):",
        budget.model
    );
    for default in &budget.defaults {
        let figure = match (default.seconds, default.worst_case_seconds) {
            (Some(v), Some(w)) if w > v => format!("{}–{}", human_seconds(v), human_seconds(w)),
            (v, _) => optional(v),
        };
        let _ = writeln!(
            out,
            "  {:<30} {:>9}  {}{}",
            default.name,
            figure,
            default.source,
            default
                .url
                .as_deref()
                .map(|u| format!(" <{u}>"))
                .unwrap_or_default()
        );
    }
    if let Some(claims) = &budget.claims {
        render_claims(&mut out, budget, claims.source.as_deref());
    }
    if !budget.errors.is_empty() {
        let _ = writeln!(out, "\nNOT COMPUTED (the budget rules report `error`):");
        for error in &budget.errors {
            let _ = writeln!(out, "  ! {error}");
        }
    }
    let _ = writeln!(out, "\nVerdict against the targets:");
    for outcome in rows {
        let mark = match outcome.status {
            Status::Pass => "✓",
            Status::Fail => "✗",
            Status::Error => "!",
            Status::Waived => "~",
            Status::NotApplicable => "-",
        };
        let _ = writeln!(
            out,
            "  {mark} {} [{}] {}",
            outcome.rule.id,
            outcome.severity.as_str(),
            outcome.message
        );
    }
    super::text::fit(&out, width)
}

/// One row of the comparison with the design's own figures.
pub struct ClaimRow {
    /// The step id, `RTO total` or `RPO (guaranteed)`.
    pub label: String,
    /// What the design claims (`—` when it says nothing).
    pub claimed: String,
    /// drguard's figure (`nominal–worst`).
    pub ours: String,
    /// Why they differ, with the figure's source.
    pub why: String,
}

/// "If the primary region is gone": what on the failover path only that
/// region serves, and the step each blocks.
fn render_region_gone(out: &mut String, budget: &Budget, primary: &str) {
    if budget.primary_region_gone.is_empty() {
        let _ = writeln!(
            out,
            "\nIf {primary} is gone: nothing on the failover path depends on it."
        );
        return;
    }
    let _ = writeln!(
        out,
        "\nIf {primary} is gone, these stop working (DRG-REG-001):"
    );
    for dependency in &budget.primary_region_gone {
        let _ = writeln!(
            out,
            "  ✗ {}: {} (blocks {})",
            dependency.subject, dependency.reason, dependency.blocks
        );
    }
}

/// The comparison of the design's claims (`[budget.claims]`) with the
/// estimate, one row per step the design names or the configuration needs,
/// then the totals: the same rows for the terminal and for Markdown, so
/// neither report can drop a difference the other shows.
pub fn claim_rows(budget: &Budget) -> Vec<ClaimRow> {
    let mut rows = Vec::new();
    for step in &budget.rto.steps {
        if step.claimed_seconds.is_none() && !step.applies {
            continue;
        }
        let ours = if step.applies {
            if step.worst_case_seconds > step.seconds {
                format!(
                    "{}–{}",
                    human_seconds(step.seconds),
                    human_seconds(step.worst_case_seconds)
                )
            } else {
                human_seconds(step.seconds)
            }
        } else {
            "does not apply".into()
        };
        let claimed = step
            .claimed_seconds
            .map(human_seconds)
            .unwrap_or_else(|| "—".into());
        let why = match (step.claimed_seconds, step.applies) {
            (None, true) if !step.on_critical_path => format!(
                "missing from the design's table; off the critical path here: {}",
                step.source
            ),
            (None, true) => format!("missing from the design's table: {}", step.source),
            (Some(c), true) if (c - step.seconds).abs() < 0.5 => {
                format!("same figure: {}", step.source)
            }
            (Some(_), true) => step.source.clone(),
            (_, false) => "this configuration does not need the step".into(),
        };
        rows.push(ClaimRow {
            label: step.id.clone(),
            claimed,
            ours,
            why,
        });
    }
    let Some(claims) = &budget.claims else {
        return rows;
    };
    if let Some(rto) = claims.rto_seconds {
        let range = format!(
            "{}–{}",
            budget.rto.estimate_text(),
            budget.rto.worst_case_text()
        );
        let blockers: Vec<&str> = budget
            .rto
            .blockers
            .iter()
            .map(|b| b.rule_id.as_str())
            .collect();
        rows.push(ClaimRow {
            label: "RTO total".into(),
            claimed: human_seconds(rto),
            ours: if budget.rto.achievable {
                range.clone()
            } else {
                "not achievable".into()
            },
            why: if budget.rto.achievable {
                format!("critical path {}", budget.rto.critical_path_text())
            } else {
                format!(
                    "the failover cannot complete ({}); once fixed, {range}: critical path {}",
                    blockers.join(", "),
                    budget.rto.critical_path_text()
                )
            },
        });
    }
    if let Some(rpo) = claims.rpo_seconds {
        let unbounded: Vec<&str> = budget
            .rpo
            .stores
            .iter()
            .filter(|s| s.guaranteed_seconds.is_none())
            .map(|s| s.id.as_str())
            .collect();
        let why = if unbounded.is_empty() {
            format!(
                "worst guarantee {}",
                optional(budget.rpo.guaranteed_seconds)
            )
        } else {
            format!(
                "typical loss is {}, but nothing bounds it for: {}{}",
                human_seconds(budget.rpo.estimate_seconds),
                unbounded.join(", "),
                budget
                    .rpo
                    .stores
                    .iter()
                    .filter_map(|s| s.guaranteed_seconds.map(|g| format!(
                        "; {} guarantees {}",
                        s.id,
                        human_seconds(g)
                    )))
                    .collect::<String>()
            )
        };
        rows.push(ClaimRow {
            label: "RPO (guaranteed)".into(),
            claimed: human_seconds(rpo),
            ours: optional(budget.rpo.guaranteed_seconds),
            why,
        });
    }
    rows
}

fn render_claims(out: &mut String, budget: &Budget, source: Option<&str>) {
    let _ = writeln!(
        out,
        "\nCompared with {}:\n  {:<24} {:>8} {:>16}  why drguard differs",
        source.unwrap_or("the design's own figures"),
        "",
        "claimed",
        "drguard"
    );
    for row in claim_rows(budget) {
        let _ = writeln!(
            out,
            "  {:<24} {:>8} {:>16}  {}",
            row.label, row.claimed, row.ours, row.why
        );
    }
}
