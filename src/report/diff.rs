//! Writers for `drguard diff`: human, JSON and Markdown, each a pure function
//! of the [`Diff`].

use std::fmt::Write;

use serde::Serialize;
use serde_json::Value as Json;

use crate::drift::Diff;
use crate::drift::diff::{Change, ChangeKind};

/// The diff JSON's version.
pub const DIFF_SCHEMA_VERSION: &str = "1";

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

#[derive(Serialize)]
struct DiffReport<'a> {
    schema_version: &'static str,
    tool: Tool,
    #[serde(flatten)]
    diff: &'a Diff,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

/// The JSON document (`schema_version` "1").
pub fn json(diff: &Diff) -> String {
    let report = DiffReport {
        schema_version: DIFF_SCHEMA_VERSION,
        tool: Tool {
            name: "drguard",
            version: env!("CARGO_PKG_VERSION"),
        },
        diff,
    };
    let mut text = serde_json::to_string_pretty(&report).unwrap_or_default();
    text.push('\n');
    text
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
    out.push_str("\n### RTO/RPO estimate\n\n<!-- drguard:budget-delta:start -->\n_Not computed by this drguard version._\n<!-- drguard:budget-delta:end -->\n");
    out
}
