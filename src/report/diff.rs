//! Writers for `drguard diff`: human, JSON and Markdown, each a pure function
//! of the [`Diff`].

use std::fmt::Write;

use crate::contract::{DiffReportV1, SCHEMA_VERSION, ToolV1};
use serde_json::Value as Json;

use crate::budget::human_seconds;
use crate::drift::budget_delta::{Figure, StoreChange};
use crate::drift::diff::{Change, ChangeKind};
use crate::drift::{BudgetDelta, Diff};

/// A value as one short line: strings bare, everything else as JSON.
fn show(value: &Json) -> String {
    match value {
        Json::Null => "none".into(),
        Json::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn mark(kind: ChangeKind) -> &'static str {
    match kind {
        ChangeKind::Added => "+",
        ChangeKind::Removed => "-",
        ChangeKind::Changed => "~",
        ChangeKind::Replaced => "!",
    }
}

fn heading(change: &Change) -> String {
    format!(
        "{} {} {} ({})",
        change.change.as_str(),
        change.resource_type,
        change.resource_id,
        change.region
    )
}

/// What a missing figure means, and how to say that it appeared or vanished.
#[derive(Clone, Copy)]
struct Absent {
    /// Shown in place of a value.
    value: &'static str,
    appeared: &'static str,
    vanished: &'static str,
}

const NO_BOUND: Absent = Absent {
    value: "none",
    appeared: "bound appeared",
    vanished: "bound lost",
};
const NOT_APPLICABLE: Absent = Absent {
    value: "n/a",
    appeared: "now applies",
    vanished: "no longer applies",
};
const NO_DATA: Absent = Absent {
    value: "no data",
    appeared: "data appeared",
    vanished: "no data now",
};

fn value(seconds: Option<f64>, absent: Absent) -> String {
    seconds
        .map(human_seconds)
        .unwrap_or_else(|| absent.value.into())
}

/// The change alone: `+1m`, `-30s`, `bound lost`, or `—` when it did not move.
fn change_of(f: &Figure, absent: Absent) -> String {
    if !f.changed() {
        return "—".into();
    }
    match (f.delta_seconds, f.old_seconds) {
        (Some(d), _) if d >= 0.0 => format!("+{}", human_seconds(d)),
        (Some(d), _) => format!("-{}", human_seconds(-d)),
        (None, None) => absent.appeared.into(),
        (None, Some(_)) => absent.vanished.into(),
    }
}

/// `old → new (change)`, or `value (unchanged)`.
fn figure(f: &Figure, absent: Absent) -> String {
    if !f.changed() {
        return format!("{} (unchanged)", value(f.new_seconds, absent));
    }
    format!(
        "{} → {} ({})",
        value(f.old_seconds, absent),
        value(f.new_seconds, absent),
        change_of(f, absent)
    )
}

/// The rows every format shows.
fn headline(delta: &BudgetDelta) -> [(&'static str, &Figure, Absent); 4] {
    [
        ("RTO estimate", &delta.rto, NO_BOUND),
        ("RTO worst case", &delta.rto_worst_case, NO_BOUND),
        ("RPO estimate", &delta.rpo, NO_DATA),
        ("RPO guaranteed", &delta.rpo_guaranteed, NO_BOUND),
    ]
}

fn human_budget(out: &mut String, delta: &BudgetDelta) {
    let _ = writeln!(out, "\nRTO/RPO estimate");
    for (label, f, absent) in headline(delta) {
        let _ = writeln!(out, "  {label:<15} {}", figure(f, absent));
    }
    if delta.old_critical_path != delta.new_critical_path {
        let _ = writeln!(
            out,
            "  critical path   was {}\n                  now {}",
            delta.old_critical_path.join(" → "),
            delta.new_critical_path.join(" → ")
        );
    }
    for step in &delta.steps {
        let _ = writeln!(
            out,
            "  step {}: {}, worst case {}\n    {}",
            step.id,
            figure(&step.nominal, NOT_APPLICABLE),
            figure(&step.worst_case, NOT_APPLICABLE),
            step.source
        );
    }
    for store in &delta.stores {
        let _ = writeln!(
            out,
            "  store {}: {}; guaranteed {}, measured {}\n    {}",
            store.id,
            store_presence(store),
            figure(&store.guaranteed, NO_BOUND),
            figure(&store.measured, NO_DATA),
            store.source
        );
    }
    for error in &delta.errors {
        let _ = writeln!(out, "  error: {error}");
    }
}

/// Whether the store came or went. Not "replicates": the `s3` store holds
/// unreplicated buckets too, so it comes and goes with in-scope buckets.
fn store_presence(store: &StoreChange) -> &'static str {
    match (store.in_old, store.in_new) {
        (true, true) => "figures changed",
        (false, _) => "now in the budget",
        (true, false) => "no longer in the budget",
    }
}

fn markdown_budget(out: &mut String, delta: &BudgetDelta) {
    out.push_str("| figure | old | new | change |\n|---|---|---|---|\n");
    let mut row = |label: String, f: &Figure, absent: Absent| {
        let _ = writeln!(
            out,
            "| {label} | {} | {} | {} |",
            value(f.old_seconds, absent),
            value(f.new_seconds, absent),
            change_of(f, absent)
        );
    };
    for (label, f, absent) in headline(delta) {
        row(label.to_string(), f, absent);
    }
    for step in &delta.steps {
        row(
            format!("step `{}`", md(&step.id)),
            &step.nominal,
            NOT_APPLICABLE,
        );
    }
    for store in &delta.stores {
        row(
            format!(
                "store `{}` guaranteed ({})",
                md(&store.id),
                store_presence(store)
            ),
            &store.guaranteed,
            NO_BOUND,
        );
    }
    if delta.old_critical_path != delta.new_critical_path {
        let _ = writeln!(
            out,
            "\nCritical path was {}; now {}.",
            md(&delta.old_critical_path.join(" → ")),
            md(&delta.new_critical_path.join(" → "))
        );
    }
    for error in &delta.errors {
        let _ = writeln!(out, "\n> ⚠️ {}", md(error));
    }
}

fn summary_line(diff: &Diff) -> String {
    let s = diff.summary;
    format!(
        "{} change(s): {} added, {} removed, {} changed, {} replaced",
        diff.changes.len(),
        s.added,
        s.removed,
        s.changed,
        s.replaced
    )
}

/// Terminal text.
pub fn human(diff: &Diff) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "drguard diff · account {} · {} → {}",
        diff.new.account_id, diff.old.captured_at, diff.new.captured_at
    );
    if diff.old.account_id != diff.new.account_id {
        let _ = writeln!(
            out,
            "warning: the snapshots come from different accounts ({} and {})",
            diff.old.account_id, diff.new.account_id
        );
    }
    for (name, side) in [("OLD", &diff.old), ("NEW", &diff.new)] {
        if !side.gaps.is_empty() {
            let _ = writeln!(
                out,
                "warning: the {name} snapshot is incomplete ({}); what looks removed or changed there may only be uncollected",
                side.gaps.join("; ")
            );
        }
    }
    let _ = writeln!(
        out,
        "fields compared: {}",
        if diff.all_fields {
            "all (--all-fields)"
        } else {
            "those rules read and link joins on (--all-fields for all)"
        }
    );
    for change in &diff.changes {
        let _ = writeln!(out, "\n{} {}", mark(change.change), heading(change));
        if let Some(previous) = &change.previous_arn {
            let _ = writeln!(out, "    arn: {previous} → {}", change.resource_arn);
        }
        for field in &change.fields {
            let _ = writeln!(
                out,
                "    {}: {} → {}",
                field.path,
                show(&field.before),
                show(&field.after)
            );
        }
    }
    if let Some(delta) = &diff.budget {
        human_budget(&mut out, delta);
    }
    let _ = writeln!(
        out,
        "\n{}{}",
        summary_line(diff),
        if diff.is_empty() {
            " · nothing relevant changed"
        } else {
            ""
        }
    );
    out
}

/// The JSON document (`schema_version` "1").
pub fn json(diff: &Diff) -> Result<String, serde_json::Error> {
    super::json::to_pretty(&DiffReportV1 {
        schema_version: SCHEMA_VERSION.into(),
        tool: ToolV1::this(),
        diff: super::json::diff_v1(diff),
    })
}

fn md(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('|', "\\|")
}

/// The table of changed resources, shared with the audit's Markdown summary.
pub fn markdown_table(diff: &Diff) -> String {
    if diff.changes.is_empty() {
        return "_No relevant resource changed since the baseline snapshot._\n".into();
    }
    let mut out = String::from("| change | resource | fields |\n|---|---|---|\n");
    for change in &diff.changes {
        let mut fields: Vec<String> = change
            .fields
            .iter()
            .map(|f| {
                format!(
                    "`{}`: {} → {}",
                    md(&f.path),
                    md(&show(&f.before)),
                    md(&show(&f.after))
                )
            })
            .collect();
        if let Some(previous) = &change.previous_arn {
            fields.insert(0, format!("ARN was `{}`", md(previous)));
        }
        let _ = writeln!(
            out,
            "| {} | `{} {}` ({}) | {} |",
            change.change.as_str(),
            change.resource_type,
            md(&change.resource_id),
            change.region,
            fields.join("<br>")
        );
    }
    out
}

/// A Markdown summary.
pub fn markdown(diff: &Diff) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "## drguard diff: {}\n",
        if diff.is_empty() {
            "no relevant change"
        } else {
            "changes found"
        }
    );
    let _ = writeln!(
        out,
        "Account `{}` · {} → {} · {}\n",
        diff.new.account_id,
        diff.old.captured_at,
        diff.new.captured_at,
        summary_line(diff)
    );
    for (name, side) in [("old", &diff.old), ("new", &diff.new)] {
        if !side.gaps.is_empty() {
            let _ = writeln!(
                out,
                "> ⚠️ The {name} snapshot is incomplete ({}): what looks removed or changed there may only be uncollected.\n",
                md(&side.gaps.join("; "))
            );
        }
    }
    out.push_str(&markdown_table(diff));
    out.push_str("\n### RTO/RPO estimate\n\n<!-- drguard:budget-delta:start -->\n");
    match &diff.budget {
        Some(delta) => markdown_budget(&mut out, delta),
        None => out.push_str("_Not computed._\n"),
    }
    out.push_str("<!-- drguard:budget-delta:end -->\n");
    out
}
