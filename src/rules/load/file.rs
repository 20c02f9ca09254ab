//! One rule file: its `[[rule]]` tables parsed (each on its own when one is
//! malformed, so every table's problem is reported) and validated.

use super::{Parsed, RawRule, RawRuleFile, RuleError, validate_rule};
use crate::source::SourceFile;

/// Parses one rule file; `builtin` marks embedded files. When the file is
/// valid TOML but some `[[rule]]` tables are malformed, each table is parsed
/// on its own, so one run reports every table's problem, not only the first.
pub(super) fn parse_file(file: &SourceFile, builtin: bool) -> Result<Vec<Parsed>, RuleError> {
    let raws: Vec<RawRule> = match toml::from_str::<RawRuleFile>(&file.text) {
        Ok(raw) => raw.rule,
        Err(err) => {
            let segments = rule_segments(&file.text);
            if segments.len() < 2 {
                return Err(toml_error(file, &err));
            }
            let mut raws = Vec::new();
            let mut problems = Vec::new();
            for segment in segments {
                match toml::from_str::<RawRuleFile>(&padded(&file.text, segment)) {
                    Ok(raw) => raws.extend(raw.rule),
                    Err(err) => problems.push(toml_error(file, &err)),
                }
            }
            // Validate the tables that did parse, so their problems show too.
            for raw_rule in raws {
                if let Err(mut errors) = validate_rule(file, raw_rule, builtin) {
                    problems.append(&mut errors);
                }
            }
            RuleError::bundle(problems)?;
            return Ok(Vec::new());
        }
    };
    let mut parsed = Vec::new();
    let mut problems = Vec::new();
    for raw_rule in raws {
        match validate_rule(file, raw_rule, builtin) {
            Ok(p) => parsed.push(p),
            Err(mut errors) => problems.append(&mut errors),
        }
    }
    RuleError::bundle(problems)?;
    Ok(parsed)
}

fn toml_error(file: &SourceFile, err: &toml::de::Error) -> RuleError {
    let span = err.span().unwrap_or(0..0);
    let message = err.message().trim().to_string();
    let help = if message.contains("missing field") {
        "every rule needs id, name, title, severity, category, resource, assert, message, rationale and remediation"
    } else if message.contains("unknown variant") {
        "check the allowed values listed in the message"
    } else if message.contains("unknown field") {
        "remove the key or fix its spelling; see docs/rules.md for a rule file's keys"
    } else {
        "fix the TOML at the marked position; a rule file holds `[[rule]]` tables"
    };
    RuleError::at(
        file,
        file.span(span.start, span.end.saturating_sub(span.start)),
        message,
        "here",
        help.into(),
    )
}

/// The byte ranges of a file's `[[rule]]` tables (the first one with what
/// precedes it), or nothing when the file is not valid TOML (a header inside
/// a multi-line string must not split it).
fn rule_segments(text: &str) -> Vec<std::ops::Range<usize>> {
    if toml::from_str::<toml::Table>(text).is_err() {
        return Vec::new();
    }
    let mut starts = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let header = line.trim();
        let header = header.split('#').next().unwrap_or_default().trim();
        if header
            .strip_prefix("[[")
            .and_then(|h| h.strip_suffix("]]"))
            .is_some_and(|name| name.trim() == "rule")
        {
            starts.push(offset);
        }
        offset += line.len();
    }
    let mut segments = Vec::new();
    for (index, start) in starts.iter().enumerate() {
        let begin = if index == 0 { 0 } else { *start };
        let end = starts.get(index + 1).copied().unwrap_or(text.len());
        segments.push(begin..end);
    }
    segments
}

/// The text of one segment at its place in the file: everything before it
/// blanked to spaces (byte for byte, newlines kept), so the spans the parser
/// reports are the file's.
fn padded(text: &str, segment: std::ops::Range<usize>) -> String {
    let mut out = String::with_capacity(segment.end);
    for c in text.get(..segment.start).unwrap_or_default().chars() {
        if c == '\n' {
            out.push('\n');
        } else {
            out.extend(std::iter::repeat_n(' ', c.len_utf8()));
        }
    }
    out.push_str(text.get(segment).unwrap_or_default());
    out
}
