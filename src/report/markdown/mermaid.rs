//! Mermaid text that GitHub renders and no resource name can break.
//!
//! Names and ARNs come from the account: a quote, bracket, `#`, `;`, `:` or
//! newline in one would end a label or a statement early, and Markdown
//! labels (backticks) read `*` and list markers. So every label is
//! written with Mermaid's entity codes (`#quot;`, `#35;`, …) for anything
//! outside a small safe set, node ids are generated (`n0`, `n1`, …) and
//! never taken from resource ids, and an empty diagram is never written: the
//! callers print a one-line note instead.

use std::fmt::Write;

/// Longest label part, in characters: longer names are cut with `…` so a
/// node stays readable (the tables beside the diagram keep the full names).
const MAX_LABEL: usize = 64;

/// ASCII characters that mean nothing to Mermaid's parsers; everything else
/// is an entity. (`_` is common in names and Mermaid 10 to 12 draw it as is
/// in quoted labels and task names.)
fn safe_ascii(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(c, ' ' | '-' | '_' | ',' | '/' | '(' | ')' | '@' | '=' | '.')
}

/// Non-ASCII characters drguard itself writes into labels.
fn safe_unicode(c: char) -> bool {
    matches!(c, '·' | '→' | '–' | '—' | '…' | '×' | '≤' | '≥')
}

/// `text` as the inside of a quoted Mermaid label (`["…"]`) or a Gantt task
/// name: whitespace (newlines too) collapsed, cut at 64
/// characters, and every character outside the safe set written as an
/// entity code. A leading `-`, `+` or `1.` is escaped too, so Mermaid's
/// Markdown does not take the label for a list.
pub fn label(text: &str) -> String {
    // `ﬂ°…¶ß` is Mermaid's own placeholder for an entity (`ﬂ°°35¶ß` is
    // `#35;`), and Mermaid decodes placeholders twice, after the first pass
    // has turned entities back into characters: the ligature is written as
    // the two letters it stands for and `¶ß` gets a space, so no name can
    // form either end of one.
    let collapsed = text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('\u{FB02}', "fl")
        .replace("¶ß", "¶ ß");
    let mut chars: Vec<char> = collapsed.chars().collect();
    if chars.len() > MAX_LABEL {
        chars.truncate(MAX_LABEL - 1);
        chars.push('…');
    }
    let leading_digits = chars.iter().take_while(|c| c.is_ascii_digit()).count();
    let mut out = String::with_capacity(chars.len() + 8);
    for (index, c) in chars.iter().copied().enumerate() {
        let list_marker =
            (index == 0 && matches!(c, '-' | '+')) || (index == leading_digits && c == '.');
        if list_marker
            || !(safe_ascii(c) || (!c.is_ascii() && (c.is_alphanumeric() || safe_unicode(c))))
        {
            entity(&mut out, c);
        } else {
            out.push(c);
        }
    }
    out
}

/// Mermaid's entity code for one character: named for the common ones (so
/// the Markdown stays legible), numeric for the rest.
fn entity(out: &mut String, c: char) {
    match c {
        '"' => out.push_str("#quot;"),
        '&' => out.push_str("#amp;"),
        '<' => out.push_str("#lt;"),
        '>' => out.push_str("#gt;"),
        _ => {
            let _ = write!(out, "#{};", u32::from(c));
        }
    }
}

/// Label lines joined with the line break Mermaid draws (`<br/>`); each
/// line is escaped with [`label`], empty lines are dropped.
pub fn lines<I, S>(parts: I) -> String
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    parts
        .into_iter()
        .map(|p| label(p.as_ref()))
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("<br/>")
}

/// A fenced block GitHub renders as a diagram. The body must hold at least
/// one statement besides the diagram type: callers return a note instead of
/// an empty diagram.
pub fn block(body: &str) -> String {
    format!("```mermaid\n{}\n```\n", body.trim_end())
}

/// Words a Gantt line may start with that Mermaid reads as a statement
/// (`section`, `title`, `excludes`, …) rather than a task name.
const GANTT_KEYWORDS: &[&str] = &[
    "gantt",
    "dateformat",
    "inclusiveenddates",
    "topaxis",
    "axisformat",
    "tickinterval",
    "includes",
    "excludes",
    "todaymarker",
    "weekday",
    "weekend",
    "title",
    "acctitle",
    "accdescr",
    "section",
    "click",
    "call",
    "href",
];

/// `text` as a Gantt task name: [`label`], with the first character written
/// as an entity when the name would otherwise start with a keyword or a
/// digit (Mermaid's lexer reads `2024-01-01…` as a date).
pub fn task_name(text: &str) -> String {
    let escaped = label(text);
    let lower = escaped.to_ascii_lowercase();
    let starts_badly = GANTT_KEYWORDS.iter().any(|k| lower.starts_with(k))
        || escaped.starts_with(|c: char| c.is_ascii_digit());
    let mut chars = escaped.chars();
    match chars.next() {
        Some(first) if starts_badly => {
            let mut out = String::new();
            entity(&mut out, first);
            out.push_str(chars.as_str());
            out
        }
        _ => escaped,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// True when `escaped` is only safe characters and well-formed entities.
    fn only_safe(escaped: &str) -> bool {
        let mut rest = escaped;
        while let Some(c) = rest.chars().next() {
            if c == '#' {
                let Some((code, after)) = rest[1..].split_once(';') else {
                    return false;
                };
                if code.is_empty() || !code.chars().all(|c| c.is_ascii_alphanumeric()) {
                    return false;
                }
                rest = after;
            } else {
                if !(safe_ascii(c) || (!c.is_ascii() && (c.is_alphanumeric() || safe_unicode(c)))) {
                    return false;
                }
                rest = &rest[c.len_utf8()..];
            }
        }
        true
    }

    #[test]
    fn labels_cannot_end_a_statement_or_a_label() {
        let hostile = "shop\"]; click n0 \"x\"\n#1 [a]{b}|c|`d` *e* _f_ <i>&% ~ \\ ' :";
        let escaped = label(hostile);
        assert!(only_safe(&escaped), "{escaped}");
        assert!(
            escaped.starts_with("shop#quot;#93;#59; click n0 #quot;x#quot; #35;1 #91;a#93;"),
            "{escaped}"
        );
        assert!(!only_safe("a;b") && !only_safe("a#b") && only_safe("a#59;b"));
    }

    #[test]
    fn labels_are_not_markdown_lists_and_long_ones_are_cut() {
        assert_eq!(label("- x"), "#45; x");
        assert_eq!(label("12. x"), "12#46; x");
        assert_eq!(label("v1.2"), "v1.2");
        let long = "a".repeat(200);
        assert_eq!(label(&long).chars().count(), MAX_LABEL);
        assert!(label(&long).ends_with('…'));
        assert_eq!(label("  a \n\t b  "), "a b");
        assert_eq!(label("café · 5m"), "café · 5m");
        assert_eq!(label("\u{FB02}°°35¶ß"), "fl#176;#176;35#182; ß");
    }

    #[test]
    fn task_names_never_start_a_statement() {
        assert_eq!(task_name("section 5m"), "#115;ection 5m");
        assert_eq!(task_name("2024-01-01 x"), "#50;024-01-01 x");
        assert_eq!(task_name("detection 30s"), "detection 30s");
        assert_eq!(task_name("a: b"), "a#58; b");
    }

    #[test]
    fn lines_join_with_breaks_and_skip_empty_ones() {
        assert_eq!(lines(["ALB a", "", "x<y"]), "ALB a<br/>x#lt;y");
    }
}
