//! The RTO/RPO budget in Markdown, for `drguard budget --format markdown`
//! and the budget part of the audit summary: the timeline as a Gantt chart
//! and a table with sources, the RPO per store against the target, the
//! availability allowance, the design's claims beside the estimate, and the
//! verdict of the rules that judge the budget. It holds what the terminal
//! report holds, so a job summary or merge-request comment needs no second
//! report to say why the budget fails.

use std::fmt::Write;

use super::{cell, gantt, mermaid};
use crate::audit::ResultRow;
use crate::budget::{Budget, human_seconds};
use crate::config::{Config, format_duration};
use crate::report::budget::{claim_rows, optional};
use crate::rules::Status;

/// Characters of the availability bar.
const BAR: usize = 30;

/// Renders the budget section. `verdict` holds the results of the rules
/// that read the budget (DRG-BUD-*), listed at the end.
pub fn render(budget: &Budget, config: &Config, verdict: &[ResultRow<'_>]) -> String {
    let mut out = String::new();
    let target = config.targets.rto_seconds as f64;
    let path = budget.rto.critical_path_text();
    let _ = writeln!(
        out,
        "### RTO/RPO budget of {}\n\nRTO estimate **{}** (worst case {}) against a target of {}; critical path: {}.\n",
        cell(&config.app.name),
        budget.rto.estimate_text(),
        budget.rto.worst_case_text(),
        format_duration(config.targets.rto_seconds),
        if path.is_empty() {
            "none".into()
        } else {
            cell(&path)
        }
    );
    if !budget.rto.achievable {
        let _ = writeln!(
            out,
            "**RTO not achievable: the failover cannot complete.** The figures below are what it would take once these are fixed:\n"
        );
        for blocker in &budget.rto.blockers {
            let _ = writeln!(
                out,
                "- `{}` {}: {}",
                blocker.rule_id,
                cell(&blocker.resource),
                cell(&blocker.message)
            );
        }
        out.push('\n');
    }
    let Some(chart) = gantt::render(budget) else {
        out.push_str(
            "_No failover step applies to this configuration: there is no timeline to draw._\n",
        );
        return rest(out, budget, config, verdict);
    };
    out.push_str(&mermaid::block(&chart));
    let _ = writeln!(
        out,
        "\n_Red bars are on the critical path; the diamond marks the {} target. The axis counts from the moment the primary fails._\n",
        human_seconds(target)
    );
    out.push_str(
        "| step | start | takes | worst case | critical | source |\n|---|---|---|---|---|---|\n",
    );
    for step in budget.rto.steps.iter().filter(|s| s.applies) {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            cell(&step.id),
            human_seconds(step.start_seconds),
            human_seconds(step.seconds),
            human_seconds(step.worst_case_seconds),
            if step.on_critical_path { "yes" } else { "" },
            cell(&step.source)
        );
    }
    rest(out, budget, config, verdict)
}

/// Everything after the timeline: RPO, availability, claims, errors, verdict.
/// "If the primary region is gone": the failover path's dependencies on it.
fn region_gone(out: &mut String, budget: &Budget, config: &Config) {
    let primary = cell(&config.app.primary_region);
    if budget.primary_region_gone.is_empty() {
        let _ = writeln!(
            out,
            "\n#### If {primary} is gone\n\nNothing on the failover path depends on {primary}."
        );
        return;
    }
    let _ = writeln!(
        out,
        "\n#### If {primary} is gone\n\nThese parts of the failover stop working with it (`DRG-REG-001`):\n\n| depends on {primary} | why | blocks |\n|---|---|---|"
    );
    for dependency in &budget.primary_region_gone {
        let _ = writeln!(
            out,
            "| {} | {} | `{}` |",
            cell(&dependency.subject),
            cell(&dependency.reason),
            cell(&dependency.blocks)
        );
    }
}

fn rest(mut out: String, budget: &Budget, config: &Config, verdict: &[ResultRow<'_>]) -> String {
    region_gone(&mut out, budget, config);
    rpo(&mut out, budget, config);
    availability(&mut out, budget);
    if let Some(claims) = &budget.claims {
        let _ = writeln!(
            out,
            "\n#### Compared with {}\n\n| | claimed | drguard | why drguard differs |\n|---|---:|---:|---|",
            cell(
                claims
                    .source
                    .as_deref()
                    .unwrap_or("the design's own figures")
            )
        );
        for row in claim_rows(budget) {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                cell(&row.label),
                cell(&row.claimed),
                cell(&row.ours),
                cell(&row.why)
            );
        }
    }
    if !budget.errors.is_empty() {
        out.push_str(
            "\n#### Not computed\n\nThe budget rules report `error` until these are fixed:\n\n",
        );
        for error in &budget.errors {
            let _ = writeln!(out, "- {}", cell(error));
        }
    }
    if !verdict.is_empty() {
        out.push_str("\n#### Verdict against the targets\n\n");
        for row in verdict {
            let mark = match row.status {
                Status::Pass => "✅",
                Status::Fail => "❌",
                Status::Error => "⚠️",
                Status::Waived => "〰️ waived:",
                Status::NotApplicable => "➖ not applicable:",
            };
            let _ = writeln!(
                out,
                "- {mark} `{}` ({}) {}",
                row.rule.id,
                row.severity.as_str(),
                cell(&row.message)
            );
        }
    }
    out.push('\n');
    out
}

/// The RPO per store, each guarantee held against the target.
fn rpo(out: &mut String, budget: &Budget, config: &Config) {
    let target = config.targets.rpo_seconds as f64;
    let _ = writeln!(
        out,
        "\n#### RPO per data store\n\nEstimate {} (worst store: {}), guaranteed {}, against a target of {}.\n",
        human_seconds(budget.rpo.estimate_seconds),
        cell(budget.rpo.worst_store.as_deref().unwrap_or("none")),
        optional(budget.rpo.guaranteed_seconds),
        format_duration(config.targets.rpo_seconds)
    );
    if budget.rpo.stores.is_empty() {
        out.push_str("_No replicated data store applies to this configuration._\n");
        return;
    }
    out.push_str("| store | typical | measured | guaranteed | against the target | source |\n|---|---:|---:|---:|---|---|\n");
    for store in &budget.rpo.stores {
        let against = match store.guaranteed_seconds {
            None => "❌ nothing bounds the loss".to_string(),
            Some(g) if g <= target => format!("✅ within {}", human_seconds(target)),
            Some(g) => format!("❌ {} over", human_seconds(g - target)),
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            cell(&store.id),
            optional(store.typical_seconds),
            optional(store.measured_seconds),
            optional(store.guaranteed_seconds),
            against,
            cell(&store.source)
        );
    }
}

/// The availability allowance: what the target allows a year, what the
/// expected failovers use of it, and a bar of the share used.
fn availability(out: &mut String, budget: &Budget) {
    let a = &budget.availability;
    let allowance = a.allowance_minutes_per_year;
    let used = a.expected_downtime_minutes;
    let _ = writeln!(
        out,
        "\n#### Availability {}%\n\n| a year | minutes |\n|---|---:|\n| downtime the target allows | {} |\n| {} expected failover(s) × {} | {} |\n| left | {} |\n",
        a.target_percent,
        allowance,
        a.expected_failovers_per_year,
        budget.rto.estimate_text(),
        used,
        ((allowance - used) * 100.0).round() / 100.0
    );
    let share = if allowance > 0.0 {
        used / allowance
    } else if used > 0.0 {
        f64::INFINITY
    } else {
        0.0
    };
    let filled = if share.is_finite() {
        ((share * BAR as f64).round() as usize).min(BAR)
    } else {
        BAR
    };
    let affordable = a
        .failovers_per_year_affordable
        .map(|f| {
            format!(
                "{f} failover(s) a year fit at {}",
                budget.rto.estimate_text()
            )
        })
        .unwrap_or_else(|| "any number of failovers fit".into());
    let _ = writeln!(
        out,
        "`{}{}` {} of the allowance used: **{}**; {affordable}.",
        "█".repeat(filled),
        "░".repeat(BAR - filled),
        if share.is_finite() {
            format!("{:.0}%", share * 100.0)
        } else {
            "all".into()
        },
        if a.fits { "fits" } else { "does not fit" }
    );
}
