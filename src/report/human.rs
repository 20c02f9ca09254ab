//! The terminal report: failures grouped by severity with why and how to fix,
//! then errors, passes and not-applicable results, and a one-line summary last.

use std::fmt::Write;

use super::{AuditResult, Counts, failures_by_severity};
use crate::audit::ResultRow;
use crate::config::format_duration;
use crate::drift::BaselineState;
use crate::rules::{Outcome, Severity, Status};
use crate::waivers::WaiverState;

struct Style {
    color: bool,
}

impl Style {
    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
    fn bold(&self, text: &str) -> String {
        self.paint("1", text)
    }
    fn dim(&self, text: &str) -> String {
        self.paint("2", text)
    }
    fn severity(&self, severity: Severity, text: &str) -> String {
        let code = match severity {
            Severity::Critical => "1;31",
            Severity::High => "31",
            Severity::Medium => "33",
            Severity::Low => "36",
            Severity::Info => "2",
        };
        self.paint(code, text)
    }
}

/// Wraps text at `width` columns with an indent on every line.
fn wrap(text: &str, indent: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty()
            && indent.chars().count() + line.chars().count() + 1 + word.chars().count() > width
        {
            let _ = writeln!(out, "{indent}{line}");
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        let _ = writeln!(out, "{indent}{line}");
    }
    out
}

fn resource_line(outcome: &Outcome<'_>) -> String {
    format!(
        "{} {} ({})",
        outcome.resource.kind, outcome.resource.id, outcome.resource.region
    )
}

/// Renders the human report.
pub fn render(result: &AuditResult<'_>, color: bool) -> String {
    let style = Style { color };
    let width = result.width;
    let config = result.config;
    let outcomes = &result.rows;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} audit of {} · account {} · snapshot {}",
        style.bold(&format!("drguard {}", env!("CARGO_PKG_VERSION"))),
        config.app.name,
        result.snapshot.account_id,
        result.snapshot.captured_at
    );
    let _ = writeln!(
        out,
        "primary {} → DR {} · targets: RTO {}, RPO {}, availability {}%",
        config.app.primary_region,
        config.app.dr_region,
        format_duration(config.targets.rto_seconds),
        format_duration(config.targets.rpo_seconds),
        config.targets.availability_percent
    );
    if let Some(plan) = result.plan {
        plan.human(&mut out, result.rows);
    }
    for severity in Severity::DESCENDING {
        let failed: Vec<&ResultRow<'_>> = outcomes
            .iter()
            .filter(|o| o.status == Status::Fail && o.severity == severity)
            .collect();
        if failed.is_empty() {
            continue;
        }
        let _ = writeln!(
            out,
            "\n{}",
            style.severity(
                severity,
                &format!("{} ({})", severity.as_str().to_uppercase(), failed.len())
            )
        );
        // One block per rule: its resources and findings, then why and how to fix, once.
        let mut index = 0;
        while let Some(first) = failed.get(index) {
            let same_rule: Vec<&&ResultRow<'_>> = failed
                .iter()
                .skip(index)
                .take_while(|o| o.rule.id == first.rule.id)
                .collect();
            index += same_rule.len();
            let rule = first.rule;
            let title = rule.title.as_str();
            let _ = writeln!(
                out,
                "  {} {} {}",
                style.severity(severity, "✗"),
                style.bold(&first.rule.id),
                title
            );
            for outcome in same_rule {
                let _ = writeln!(
                    out,
                    "    {} {}",
                    style.dim("resource:"),
                    resource_line(outcome)
                );
                out.push_str(&wrap(&format!("found: {}", outcome.message), "    ", width));
                if let Some(state) = outcome.baseline_state {
                    let _ = writeln!(
                        out,
                        "    {} {}",
                        style.dim("since baseline:"),
                        state.as_str()
                    );
                }
                if let Some(waiver) = outcome.waiver.filter(|w| w.expired) {
                    out.push_str(&wrap(
                        &format!(
                            "waiver expired on {} ({}): {}",
                            waiver.expires, waiver.defined_at, waiver.reason
                        ),
                        "    ",
                        width,
                    ));
                }
            }
            out.push_str(&wrap(&format!("why: {}", rule.rationale), "    ", width));
            out.push_str(&wrap(&format!("fix: {}", rule.remediation), "    ", width));
        }
    }
    let errors: Vec<&ResultRow<'_>> = outcomes
        .iter()
        .filter(|o| o.status == Status::Error)
        .collect();
    if !errors.is_empty() {
        let _ = writeln!(
            out,
            "\n{}",
            style.paint("1;35", &format!("NOT EVALUATED ({})", errors.len()))
        );
        for outcome in errors {
            let _ = writeln!(
                out,
                "  {} {} {}",
                style.paint("35", "!"),
                style.bold(&outcome.rule.id),
                resource_line(outcome)
            );
            out.push_str(&wrap(&outcome.message, "    ", width));
        }
    }
    let quiet_sections: &[(Status, &str, &str)] = if result.failures_only {
        &[]
    } else {
        &[
            (Status::Waived, "WAIVED", "~"),
            (Status::Pass, "PASSED", "✓"),
            (Status::NotApplicable, "NOT APPLICABLE", "-"),
        ]
    };
    for &(status, heading, mark) in quiet_sections {
        let listed: Vec<&ResultRow<'_>> = outcomes.iter().filter(|o| o.status == status).collect();
        if listed.is_empty() {
            continue;
        }
        let _ = writeln!(
            out,
            "\n{}",
            style.bold(&format!("{heading} ({})", listed.len()))
        );
        for outcome in listed {
            let mark = if status == Status::Pass {
                style.paint("32", mark)
            } else {
                style.dim(mark)
            };
            let line = format!("{mark} {} {}", outcome.rule.id, outcome.message);
            let _ = writeln!(out, "  {line}");
            if let Some(waiver) = &outcome.waiver {
                let owner = waiver
                    .owner
                    .as_deref()
                    .map(|o| format!(", owner {o}"))
                    .unwrap_or_default();
                out.push_str(&wrap(
                    &format!("waived until {}{owner}: {}", waiver.expires, waiver.reason),
                    "    ",
                    width,
                ));
            }
        }
    }
    let attention: Vec<_> = result
        .waivers
        .iter()
        .filter(|w| w.state != WaiverState::Active || w.expiring_soon)
        .collect();
    if !attention.is_empty() {
        let _ = writeln!(
            out,
            "\n{}",
            style.paint("1;33", &format!("WAIVERS TO REVIEW ({})", attention.len()))
        );
        for waiver in attention {
            out.push_str(&wrap(&waiver.describe(), "  ", width));
        }
    }
    out.push_str(&super::to_waive::section(result.rows, result.as_of, width));
    if let Some(comparison) = result.baseline {
        let counts = comparison.counts;
        let _ = writeln!(
            out,
            "\n{}",
            style.bold(&format!(
                "SINCE BASELINE ({} {}, captured {})",
                comparison.kind, comparison.source, comparison.captured_at
            ))
        );
        let _ = writeln!(
            out,
            "  {} new, {} updated, {} unchanged, {} absent",
            counts.new, counts.updated, counts.unchanged, counts.absent
        );
        for outcome in outcomes.iter().filter(|o| {
            o.status == Status::Fail
                && matches!(
                    o.baseline_state,
                    Some(BaselineState::New | BaselineState::Updated)
                )
        }) {
            let state = outcome
                .baseline_state
                .map(|s| s.as_str())
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "  {state} failure: {} {}",
                outcome.rule.id,
                resource_line(outcome)
            );
        }
        for outcome in outcomes
            .iter()
            .filter(|o| o.baseline_state == Some(BaselineState::Absent))
        {
            let _ = writeln!(
                out,
                "  fixed: {} {}",
                outcome.rule.id,
                resource_line(outcome)
            );
        }
        for gone in &comparison.gone {
            let _ = writeln!(
                out,
                "  gone: {} {} {} ({})",
                gone.rule_id, gone.resource_type, gone.resource_id, gone.region
            );
        }
        for unknown in &comparison.not_evaluated {
            let _ = writeln!(
                out,
                "  not evaluated now: {} {} {} ({})",
                unknown.rule_id, unknown.resource_type, unknown.resource_id, unknown.region
            );
        }
    }
    if !result.snapshot.skipped.is_empty() {
        let _ = writeln!(out, "\n{}", style.bold("SKIPPED DATA SOURCES"));
        for skip in &result.snapshot.skipped {
            let _ = writeln!(out, "  - {}: {}", skip.source, skip.reason);
        }
    }
    if !result.snapshot.gaps.is_empty() {
        let _ = writeln!(
            out,
            "\n{}",
            style.bold(&format!(
                "NOT COLLECTED ({} call(s) failed after retries)",
                result.snapshot.gaps.len()
            ))
        );
        for gap in &result.snapshot.gaps {
            let source = match &gap.resource {
                Some(part) => format!("{}.{part}", gap.service),
                None => gap.service.clone(),
            };
            let _ = writeln!(
                out,
                "  - {source}: {} in {} failed with {}: {}",
                gap.operation, gap.region, gap.error_code, gap.message
            );
        }
    }
    if let Some(collection) = &result.snapshot.collection {
        let _ = writeln!(
            out,
            "\n{}",
            style.dim(&format!(
                "collected {} in {} ms with {} API calls",
                result.snapshot.account_id,
                collection.duration_ms,
                collection.api_calls.len()
            ))
        );
    }
    let counts = Counts::of(result.rows);
    let by_severity: Vec<String> = failures_by_severity(result.rows)
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .map(|(severity, n)| format!("{n} {}", severity.as_str()))
        .collect();
    let failed = if by_severity.is_empty() {
        "0 failed".to_string()
    } else {
        format!("{} failed ({})", counts.fail, by_severity.join(", "))
    };
    let word = crate::audit::verdict::word(result.exit).to_uppercase();
    let word = match result.exit.code() {
        0 => style.paint("1;32", &word),
        1 => style.paint("1;31", &word),
        _ => style.paint("1;35", &word),
    };
    let _ = writeln!(
        out,
        "\n{word}: {failed}, {} not evaluated, {} passed, {} waived, {} not applicable · exit {} (--fail-on {}{})",
        counts.error,
        counts.pass,
        counts.waived,
        counts.not_applicable,
        result.exit.code(),
        result.gate.fail_on.as_str(),
        match (result.gate.allow_incomplete, result.gate.fail_on_new) {
            (false, false) => "",
            (true, false) => ", --allow-incomplete",
            (false, true) => ", --fail-on-new",
            (true, true) => ", --allow-incomplete, --fail-on-new",
        }
    );
    super::text::fit(&out, width)
}
