//! The human report's "TO WAIVE" section: for each failing result, the ARN a
//! waiver must match and a `[[waiver]]` block ready to paste into
//! `drguard.toml` (it loads as written; the reason is the owner's to fill in).

use std::fmt::Write;

use chrono::{Days, NaiveDate};

use crate::audit::ResultRow;
use crate::rules::Status;

/// Days a suggested waiver runs: long enough to fix, short enough to be reviewed.
const SUGGESTED_DAYS: u64 = 30;

/// The section, or an empty string when nothing fails. Each TOML line is
/// written `key = "value"`, or `key="value"` when that would be wider than
/// `width`: a line without a space is never wrapped, so the block stays valid
/// TOML at any terminal width (the reason line is shorter than the narrowest
/// report, 40 columns).
pub fn section(rows: &[ResultRow<'_>], as_of: NaiveDate, width: usize) -> String {
    let mut seen = std::collections::BTreeSet::new();
    let failing: Vec<&ResultRow<'_>> = rows
        .iter()
        .filter(|row| row.status == Status::Fail)
        .filter(|row| seen.insert((row.rule.id.as_str(), row.resource.arn.as_str())))
        .collect();
    if failing.is_empty() {
        return String::new();
    }
    let expires = as_of
        .checked_add_days(Days::new(SUGGESTED_DAYS))
        .unwrap_or(as_of);
    let mut out = format!(
        "\nTO WAIVE ({}): to accept a gap until a date, paste its block into drguard.toml\n",
        failing.len()
    );
    let line = |key: &str, value: &str| {
        let spaced = format!("    {key} = {}", quote(value));
        if spaced.chars().count() <= width {
            spaced
        } else {
            format!("    {key}={}", quote(value))
        }
    };
    for row in failing {
        let _ = writeln!(
            out,
            "  {} on {}\n    [[waiver]]\n{}\n{}\n{}\n{}",
            row.rule.id,
            row.resource.arn,
            line("rule", &row.rule.id),
            line("resource", &row.resource.arn),
            line("reason", "TODO: why (ticket)"),
            line("expires", &expires.to_string()),
        );
    }
    out
}

/// A TOML basic string.
fn quote(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::quote;

    #[test]
    fn quoted_values_are_toml_strings() {
        for value in ["arn:aws:s3:::b", "a\"b\\c", "tab\there"] {
            let text = format!("v = {}", quote(value));
            let table: toml::Table = toml::from_str(&text).unwrap_or_default();
            assert_eq!(
                table.get("v").and_then(|v| v.as_str()),
                Some(value),
                "{text}"
            );
        }
    }
}
