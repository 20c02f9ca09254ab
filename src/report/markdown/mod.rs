//! A compact Markdown summary for `$GITHUB_STEP_SUMMARY` and merge-request
//! comments: verdict, counts by severity, failing rules with their resources
//! and fixes, waivers to review, the RTO/RPO budget, and drift since the
//! baseline. Passes are counted, not listed: the JSON and SARIF reports hold
//! the detail.
//!
//! GitHub draws ```` ```mermaid ```` blocks, so the summary also shows the
//! topology as a flowchart ([`topology`]) and the RTO timeline as a Gantt
//! chart ([`gantt`], inside the budget section, [`budget`]); both are built
//! from generated ids and escaped labels ([`mermaid`]), and replaced by a
//! one-line note when there is nothing to draw.

pub mod budget;
pub mod gantt;
pub mod mermaid;
pub mod topology;

use std::fmt::Write;

use super::{AuditResult, Counts};
use crate::audit::ResultRow;
use crate::drift::BaselineState;
use crate::rules::{Outcome, Severity, Status};
use crate::waivers::WaiverState;

/// Markdown-safe single-line text: whitespace collapsed, pipes escaped.
fn cell(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('|', "\\|")
}

fn resource(outcome: &Outcome<'_>) -> String {
    format!(
        "`{} {}` ({})",
        outcome.resource.kind, outcome.resource.id, outcome.resource.region
    )
}

/// Renders the Markdown summary.
pub fn render(result: &AuditResult<'_>) -> String {
    let outcomes = &result.rows;
    let counts = Counts::of(result.rows);
    let mut out = String::new();
    let verdict = match result.exit.code() {
        0 => "✅ PASS",
        1 => "❌ FAIL",
        _ => "⚠️ INCOMPLETE",
    };
    let _ = writeln!(
        out,
        "## drguard: {verdict} — {}\n",
        cell(&result.config.app.name)
    );
    let _ = writeln!(
        out,
        "Account `{}` · snapshot {} · primary `{}` → DR `{}` · gate `--fail-on {}`{} · exit {}\n",
        result.snapshot.account_id,
        result.snapshot.captured_at,
        result.config.app.primary_region,
        result.config.app.dr_region,
        result.gate.fail_on.as_str(),
        if result.gate.fail_on_new {
            " `--fail-on-new`"
        } else {
            ""
        },
        result.exit.code()
    );
    if let Some(plan) = result.plan {
        plan.markdown(&mut out, result.rows);
    }
    out.push_str("| severity | failed | waived |\n|---|---:|---:|\n");
    for severity in Severity::DESCENDING {
        let of = |status: Status| {
            outcomes
                .iter()
                .filter(|o| o.status == status && o.severity == severity)
                .count()
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            severity.as_str(),
            of(Status::Fail),
            of(Status::Waived)
        );
    }
    let _ = writeln!(
        out,
        "\n**{} results:** {} failed, {} not evaluated, {} passed, {} waived, {} not applicable\n",
        outcomes.len(),
        counts.fail,
        counts.error,
        counts.pass,
        counts.waived,
        counts.not_applicable
    );

    let failing: Vec<&ResultRow<'_>> = Severity::DESCENDING
        .iter()
        .flat_map(|severity| {
            outcomes
                .iter()
                .filter(move |o| o.status == Status::Fail && o.severity == *severity)
        })
        .collect();
    if !failing.is_empty() {
        out.push_str("### Failing rules\n\n");
        for outcome in failing {
            let rule = outcome.rule;
            let gate = if result.gate.trips(outcome) {
                " · **gates**"
            } else {
                ""
            };
            let since = outcome
                .baseline_state
                .map(|s| format!(" · {}", s.as_str()))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "- **{}** `{}` {} — {}{since}{gate}",
                outcome.severity.as_str().to_uppercase(),
                outcome.rule.id,
                cell(rule.title.as_str()),
                resource(outcome)
            );
            let _ = writeln!(out, "  - found: {}", cell(&outcome.message));
            let _ = writeln!(out, "  - fix: {}", cell(&rule.remediation));
            if let Some(waiver) = &outcome.waiver {
                let _ = writeln!(
                    out,
                    "  - waiver expired on {}: {}",
                    waiver.expires,
                    cell(&waiver.reason)
                );
            }
        }
        out.push('\n');
    }
    let errors: Vec<&ResultRow<'_>> = outcomes
        .iter()
        .filter(|o| o.status == Status::Error)
        .collect();
    if !errors.is_empty() {
        out.push_str("### Not evaluated\n\n");
        for outcome in errors {
            let _ = writeln!(
                out,
                "- `{}` {}: {}",
                outcome.rule.id,
                resource(outcome),
                cell(&outcome.message)
            );
        }
        out.push('\n');
    }
    if !result.waivers.is_empty() {
        out.push_str("### Waivers\n\n");
        for waiver in result.waivers {
            let mark = match waiver.state {
                WaiverState::Active if waiver.expiring_soon => "**expires soon**",
                WaiverState::Active => "active",
                WaiverState::Expired => "**expired**",
                WaiverState::Stale => "**stale**",
            };
            let _ = writeln!(out, "- {mark}: {}", cell(&waiver.describe()));
        }
        out.push('\n');
    }

    out.push_str("### Topology\n\n");
    let inputs = topology::Inputs {
        snapshot: result.snapshot,
        config: result.config,
        linked: result.linked,
        budget: result.budget,
    };
    match topology::render(&inputs) {
        Some(chart) => {
            out.push_str(&mermaid::block(&chart));
            out.push_str("\n_Solid arrows carry traffic; dotted ones are the SECONDARY answer on failover and AMI copies; thick ones replicate data, labelled with the measured lag and the guarantee the budget credits._\n\n");
        }
        None => out.push_str("_Nothing to draw: the snapshot has no failover record, load balancer, Auto Scaling group or replicated data store for the app in either region._\n\n"),
    }

    // Markers let a pipeline replace or extract the budget part of a summary.
    let verdict: Vec<ResultRow<'_>> = outcomes
        .iter()
        .filter(|row| row.rule.uses_budget())
        .cloned()
        .collect();
    out.push_str("<!-- drguard:budget:start -->\n");
    out.push_str(&budget::render(result.budget, result.config, &verdict));
    out.push_str("<!-- drguard:budget:end -->\n\n");

    out.push_str("### Drift since baseline\n\n");
    match result.baseline {
        None => out.push_str("_No baseline given: run with `--baseline PREVIOUS` (yesterday's JSON report or snapshot)._\n"),
        Some(comparison) => {
            let c = comparison.counts;
            let _ = writeln!(
                out,
                "Against {} `{}` (captured {}): {} new, {} updated, {} unchanged, {} absent.\n",
                comparison.kind,
                cell(&comparison.source),
                comparison.captured_at,
                c.new,
                c.updated,
                c.unchanged,
                c.absent
            );
            for outcome in outcomes.iter().filter(|o| {
                o.status == Status::Fail
                    && matches!(
                        o.baseline_state,
                        Some(BaselineState::New | BaselineState::Updated)
                    )
            }) {
                let _ = writeln!(
                    out,
                    "- {} failure: `{}` {}",
                    outcome.baseline_state.map(|s| s.as_str()).unwrap_or_default(),
                    outcome.rule.id,
                    resource(outcome)
                );
            }
            for outcome in outcomes
                .iter()
                .filter(|o| o.baseline_state == Some(BaselineState::Absent))
            {
                let _ = writeln!(out, "- fixed: `{}` {}", outcome.rule.id, resource(outcome));
            }
            for gone in &comparison.gone {
                let _ = writeln!(
                    out,
                    "- gone: `{}` `{} {}` ({})",
                    gone.rule_id, gone.resource_type, gone.resource_id, gone.region
                );
            }
            for unknown in &comparison.not_evaluated {
                let _ = writeln!(
                    out,
                    "- not evaluated now: `{}` `{} {}` ({})",
                    unknown.rule_id, unknown.resource_type, unknown.resource_id, unknown.region
                );
            }
            if let Some(changes) = &comparison.changes {
                out.push('\n');
                out.push_str(&super::diff::markdown_table(changes));
            }
        }
    }
    out
}
