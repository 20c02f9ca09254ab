//! `audit --plan`: what a Terraform plan does, for every format. Results
//! are joined with the planned resource they judge (or, for a finding the
//! plan introduces on another resource, the changes to the data it reads);
//! the Markdown section reads as a pull-request comment.

use std::collections::{HashMap, HashSet};
use std::fmt::Write;

use crate::audit::ResultRow;
use crate::budget::Budget;
use crate::config::format_duration;
use crate::drift::BudgetDelta;
use crate::plan::{Action, PlanSummary, PlannedResource};
use crate::vocab::Status;
use crate::vocab::sources::overlaps;

/// The plan beside an audit: what it changes, and the base it changes.
#[derive(Debug, Clone)]
pub struct PlanView {
    /// What was read from the plan.
    pub summary: PlanSummary,
    /// The budget of the base (before the plan).
    pub before: Budget,
    /// How the budget moves.
    pub delta: BudgetDelta,
    /// Fingerprints of the results that fail or cannot be evaluated on the base.
    pub failing_before: HashSet<String>,
    /// Positions of the planned resources by resource id.
    index: HashMap<String, Vec<usize>>,
}

/// What a result carries about the plan.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RowPlan {
    /// The address it judges, or the one change that causes it.
    pub address: Option<String>,
    /// The action on that address.
    pub action: Option<String>,
    /// The attribute changes that cause it (`address: change`).
    pub changes: Vec<String>,
    /// True when the plan introduces this failure or error.
    pub new: bool,
}

fn finding(status: Status) -> bool {
    matches!(status, Status::Fail | Status::Error)
}

impl PlanView {
    /// The view of a plan over its base.
    pub fn new(
        summary: PlanSummary,
        before: Budget,
        delta: BudgetDelta,
        failing_before: HashSet<String>,
    ) -> PlanView {
        let index = summary
            .index()
            .into_iter()
            .map(|(id, at)| (id.to_string(), at))
            .collect();
        PlanView {
            summary,
            before,
            delta,
            failing_before,
            index,
        }
    }

    /// True when the plan introduces this failing (or unevaluable) result.
    pub fn introduces(&self, row: &ResultRow<'_>) -> bool {
        finding(row.status) && !self.failing_before.contains(&row.fingerprint())
    }

    /// The plan's part in a result.
    pub fn row(&self, row: &ResultRow<'_>) -> RowPlan {
        let new = self.introduces(row);
        let positions = self
            .index
            .get(&row.resource.id)
            .map_or(&[][..], Vec::as_slice);
        let direct =
            self.summary
                .find_in(positions, &row.resource.region, row.resource.kind.as_str());
        let describe = |r: &PlannedResource| -> Vec<String> {
            if r.changes.is_empty() {
                let done = match r.action {
                    Action::NoOp | Action::Read => return Vec::new(),
                    Action::Create => "created",
                    Action::Update => "updated",
                    Action::Replace => "replaced",
                    Action::Delete => "deleted",
                    Action::Forget => "removed from the state (left in AWS)",
                };
                vec![format!("`{}`: {done}", r.address)]
            } else {
                r.changes
                    .iter()
                    .map(|c| format!("`{}`: {c}", r.address))
                    .collect()
            }
        };
        if let Some(resource) = direct {
            let mut changes = describe(resource);
            // A result on a resource the plan changes may still be caused by
            // another change to the data it reads (a deleted replication
            // configuration judged on its bucket).
            if new {
                for other in self.related(row) {
                    if other.address != resource.address {
                        changes.extend(describe(other));
                    }
                }
            }
            return RowPlan {
                address: Some(resource.address.clone()),
                action: Some(resource.action.as_str().into()),
                changes,
                new,
            };
        }
        if !new {
            return RowPlan::default();
        }
        let related = self.related(row);
        let single = match related.as_slice() {
            [one] => Some(*one),
            _ => None,
        };
        RowPlan {
            address: single.map(|r| r.address.clone()),
            action: single.map(|r| r.action.as_str().into()),
            changes: related.iter().flat_map(|r| describe(r)).collect(),
            new,
        }
    }

    /// The changes to data a rule reads.
    fn related(&self, row: &ResultRow<'_>) -> Vec<&PlannedResource> {
        self.summary
            .changed()
            .filter(|r| {
                row.rule
                    .requires
                    .iter()
                    .any(|w| crate::plan::sources_fed(r.source).any(|source| overlaps(w, source)))
                    || (row.resource.id == r.resource_id)
            })
            .collect()
    }

    /// Markdown: what the plan breaks, and the budget before and after.
    pub fn markdown(&self, out: &mut String, rows: &[ResultRow<'_>]) {
        let s = &self.summary;
        let _ = writeln!(out, "### Terraform plan `{}`\n", cell(&s.file));
        let changed: Vec<&PlannedResource> = s.changed().collect();
        let _ = writeln!(
            out,
            "{} modelled resource change(s) over {}{}; format {}{}.\n",
            changed.len(),
            if s.alone {
                "the plan's prior state (data the plan does not manage is not applicable)"
            } else {
                "the current snapshot"
            },
            if s.not_modelled.is_empty() {
                String::new()
            } else {
                format!(
                    "; {} change(s) of types drguard does not model ({})",
                    s.not_modelled.values().sum::<usize>(),
                    s.not_modelled
                        .keys()
                        .map(|k| format!("`{k}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            },
            s.format_version,
            s.terraform_version
                .as_deref()
                .map(|v| format!(", Terraform {v}"))
                .unwrap_or_default()
        );
        let introduced: Vec<&ResultRow<'_>> = rows.iter().filter(|r| self.introduces(r)).collect();
        if introduced.is_empty() {
            out.push_str("**The plan introduces no failure.**\n\n");
        } else {
            let _ = writeln!(out, "**What the plan breaks ({}):**\n", introduced.len());
            for row in &introduced {
                let plan = self.row(row);
                let verdict = if row.status == Status::Error {
                    "cannot be evaluated"
                } else {
                    "fails"
                };
                let cause = if plan.changes.is_empty() {
                    plan.address
                        .as_deref()
                        .map(|a| format!("`{a}`"))
                        .unwrap_or_else(|| "the plan".into())
                } else {
                    plan.changes.join("; ")
                };
                let _ = writeln!(
                    out,
                    "- {} → **{}** {verdict} on `{} {}` ({}, {}): {}",
                    cell(&cause),
                    row.rule_id(),
                    row.resource.kind,
                    cell(&row.resource.id),
                    row.resource.region,
                    row.severity.as_str(),
                    cell(&row.message)
                );
            }
            out.push('\n');
        }
        self.budget_table(out);
        for (title, items) in [
            (
                "Known only after apply (rules that read them are errors)",
                &s.unknown,
            ),
            ("Region not determined (a gap, never a guess)", &s.unplaced),
            ("Not in the snapshot (the plan's values are used)", &s.stale),
        ] {
            if !items.is_empty() {
                let _ = writeln!(out, "{title}:\n");
                for item in items {
                    let _ = writeln!(out, "- {}", cell(item));
                }
                out.push('\n');
            }
        }
    }

    fn budget_table(&self, out: &mut String) {
        let d = &self.delta;
        let show = |s: Option<f64>| match s {
            Some(s) if s.is_finite() => format_duration(s.max(0.0).round() as u64),
            Some(_) => "unbounded".into(),
            None => "none".into(),
        };
        out.push_str("| budget | before | after |\n|---|---|---|\n");
        let mut row = |label: &str, before: String, after: String| {
            let mark = if before == after { "" } else { " ⚠️" };
            let _ = writeln!(out, "| {label} | {before} | {after}{mark} |");
        };
        row(
            "RTO nominal",
            show(d.rto.old_seconds),
            show(d.rto.new_seconds),
        );
        row(
            "RTO worst case",
            show(d.rto_worst_case.old_seconds),
            show(d.rto_worst_case.new_seconds),
        );
        row(
            "critical path",
            cell(&d.old_critical_path.join(" → ")),
            cell(&d.new_critical_path.join(" → ")),
        );
        row(
            "RPO guaranteed",
            show(d.rpo_guaranteed.old_seconds),
            show(d.rpo_guaranteed.new_seconds),
        );
        for store in &self.before.rpo.stores {
            let after = d
                .stores
                .iter()
                .find(|s| s.id == store.id)
                .map_or(store.guaranteed_seconds, |s| s.guaranteed.new_seconds);
            row(
                &format!("RPO guaranteed for {}", cell(&store.id)),
                show(store.guaranteed_seconds),
                show(after),
            );
        }
        for store in d.stores.iter().filter(|s| !s.in_old) {
            row(
                &format!("RPO guaranteed for {}", cell(&store.id)),
                "(absent)".into(),
                show(store.guaranteed.new_seconds),
            );
        }
        let availability = &self.before.availability;
        let downtime = |rto: Option<f64>| {
            rto.map(|r| {
                format!(
                    "{:.1} min/yr",
                    r / 60.0 * availability.expected_failovers_per_year
                )
            })
            .unwrap_or_else(|| "none".into())
        };
        row(
            &format!(
                "expected downtime ({} failover(s)/yr; {:.2} min/yr allowed at {}%)",
                availability.expected_failovers_per_year,
                availability.allowance_minutes_per_year,
                availability.target_percent
            ),
            downtime(d.rto.old_seconds),
            downtime(d.rto.new_seconds),
        );
        out.push('\n');
    }

    /// Plain text for the human report.
    pub fn human(&self, out: &mut String, rows: &[ResultRow<'_>]) {
        let s = &self.summary;
        let _ = writeln!(
            out,
            "\nTerraform plan {} ({} change(s) to modelled resources{})",
            s.file,
            s.changed().count(),
            if s.alone {
                ", audited over its prior state"
            } else {
                ""
            }
        );
        for row in rows.iter().filter(|r| self.introduces(r)) {
            let plan = self.row(row);
            let _ = writeln!(
                out,
                "  new {} {} on {} {}: {}",
                row.status.as_str(),
                row.rule_id(),
                row.resource.kind,
                row.resource.id,
                if plan.changes.is_empty() {
                    plan.address.unwrap_or_else(|| "the plan".into())
                } else {
                    plan.changes.join("; ").replace('`', "")
                }
            );
        }
        for item in s.unknown.iter().chain(&s.unplaced) {
            let _ = writeln!(out, "  gap: {}", item.replace('`', ""));
        }
    }
}

fn cell(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('|', "\\|")
}
