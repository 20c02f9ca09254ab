//! Input files and the positions inside them that diagnostics point at.
//!
//! Every user-supplied file (config, rule file, snapshot) is read once into a
//! [`SourceFile`]; errors carry the file as miette source code plus a byte
//! span, so the rendered diagnostic names the file, line and column and shows
//! the offending text.

use std::path::Path;
use std::sync::Arc;

use miette::{Diagnostic, SourceSpan};
use thiserror::Error;

/// A file's name (as the user typed it) and its full text.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Display name: the path as given, or a `builtin:` name for embedded files.
    pub name: String,
    /// The file's text.
    pub text: Arc<String>,
}

/// A file that could not be read at all.
#[derive(Debug, Error, Diagnostic)]
#[error("cannot read {what} `{path}`: {reason}")]
#[diagnostic(code(drguard::input::unreadable), help("{help}"))]
pub struct UnreadableFile {
    /// What the file was supposed to be (`config file`, `snapshot`…).
    pub what: &'static str,
    /// The path as given.
    pub path: String,
    /// Why it could not be read.
    pub reason: String,
    /// How to fix it.
    pub help: String,
}

impl SourceFile {
    /// The span of `len` bytes at `offset` inside a TOML string value (a CEL
    /// expression, a message template), so an error inside the expression
    /// points at the file, line and column. When the value cannot be found
    /// in the raw text (escapes change it), the whole value is the span.
    pub fn span_in_string(
        &self,
        value: &toml::Spanned<String>,
        offset: usize,
        len: usize,
    ) -> SourceSpan {
        let range = value.span();
        let raw = self.text.get(range.clone()).unwrap_or_default();
        match raw.find(value.get_ref().as_str()) {
            Some(index) if !value.get_ref().is_empty() => {
                self.span(range.start + index + offset, len.max(1))
            }
            _ => self.span(range.start, range.end - range.start),
        }
    }

    /// Wraps text that does not come from disk (embedded rules, tests).
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        SourceFile {
            name: name.into(),
            text: Arc::new(text.into()),
        }
    }

    /// Reads a file as UTF-8, with an error that says what was expected there.
    pub fn read(path: &Path, what: &'static str) -> Result<Self, UnreadableFile> {
        let shown = path.display().to_string();
        let unreadable = |reason: String, help: &str| UnreadableFile {
            what,
            path: shown.clone(),
            reason,
            help: help.to_string(),
        };
        if path.is_dir() {
            return Err(unreadable(
                "it is a directory".into(),
                "pass the path of a file, not of the folder that contains it",
            ));
        }
        match std::fs::read(path) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(text) => Ok(SourceFile::new(shown, text)),
                Err(err) => Err(unreadable(
                    format!(
                        "not UTF-8 text (invalid byte at offset {})",
                        err.utf8_error().valid_up_to()
                    ),
                    "drguard reads UTF-8 text files; check that this is the file you meant",
                )),
            },
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Err(unreadable(
                "no such file".into(),
                "check the path; relative paths are resolved from the current directory",
            )),
            Err(err) => Err(unreadable(err.to_string(), "check the file's permissions")),
        }
    }

    /// The file as miette source code (a long line shown as an excerpt).
    pub fn named(&self) -> Excerpt {
        Excerpt {
            name: self.name.clone(),
            text: Arc::clone(&self.text),
        }
    }

    /// Byte offset of a 1-based line and column (columns counted in characters).
    pub fn offset_of(&self, line: usize, column: usize) -> usize {
        let mut offset = 0;
        for (index, text) in self.text.split_inclusive('\n').enumerate() {
            if index + 1 == line {
                let within: usize = text
                    .chars()
                    .take(column.saturating_sub(1))
                    .map(char::len_utf8)
                    .sum();
                return offset + within;
            }
            offset += text.len();
        }
        self.text.len()
    }

    /// Byte offset of a 1-based line and a 1-based column counted in bytes,
    /// as serde_json reports positions.
    pub fn offset_of_byte(&self, line: usize, column: usize) -> usize {
        let mut offset = 0;
        for (index, text) in self.text.split_inclusive('\n').enumerate() {
            if index + 1 == line {
                return offset + column.saturating_sub(1).min(text.len());
            }
            offset += text.len();
        }
        self.text.len()
    }

    /// A span clamped to the file and widened to whole characters, so a bad
    /// position never panics the renderer and the diagnostic still shows the
    /// line and column (a span that splits a UTF-8 character cannot be shown).
    pub fn span(&self, start: usize, len: usize) -> SourceSpan {
        let text = self.text.as_str();
        let mut end = start.saturating_add(len).min(text.len());
        let mut start = start.min(text.len());
        while !text.is_char_boundary(start) {
            start -= 1;
        }
        while !text.is_char_boundary(end) {
            end += 1;
        }
        SourceSpan::new(start.into(), end - start)
    }
}

/// A file as a diagnostic shows it: the lines around the labelled span,
/// except that a line longer than [`Excerpt::LONG_LINE`] bytes (a minified
/// JSON snapshot or plan is one line of megabytes) is cut to about
/// [`Excerpt::CONTEXT`] characters each side of the span, so an error never
/// dumps the file to the terminal.
#[derive(Debug, Clone)]
pub struct Excerpt {
    name: String,
    text: Arc<String>,
}

impl Excerpt {
    /// A line longer than this many bytes is shown as an excerpt.
    pub const LONG_LINE: usize = 240;
    /// Characters shown each side of the span in an excerpt.
    pub const CONTEXT: usize = 60;
}

impl miette::SourceCode for Excerpt {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        let text = self.text.as_str();
        let contents = text.read_span(span, context_lines_before, context_lines_after)?;
        let whole = contents.span();
        if contents.data().len() <= Self::LONG_LINE {
            return Ok(Box::new(miette::MietteSpanContents::new_named(
                self.name.clone(),
                contents.data(),
                *whole,
                contents.line(),
                contents.column(),
                contents.line_count(),
            )));
        }
        // The span's own line only, cut around the span on character boundaries.
        let line_start = text
            .get(..span.offset())
            .and_then(|before| before.rfind('\n'))
            .map_or(0, |newline| newline + 1);
        let line_end = text
            .get(span.offset()..)
            .and_then(|after| after.find('\n'))
            .map_or(text.len(), |newline| span.offset() + newline);
        let mut start = span
            .offset()
            .saturating_sub(Self::CONTEXT * 4)
            .max(line_start);
        let mut end = (span.offset() + span.len() + Self::CONTEXT * 4).min(line_end);
        while !text.is_char_boundary(start) {
            start += 1;
        }
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        // At most CONTEXT characters each side.
        let before = text.get(start..span.offset()).unwrap_or_default();
        let skip = before.chars().count().saturating_sub(Self::CONTEXT);
        start += before.chars().take(skip).map(char::len_utf8).sum::<usize>();
        let after = text
            .get(span.offset() + span.len()..end)
            .unwrap_or_default();
        end = span.offset()
            + span.len()
            + after
                .chars()
                .take(Self::CONTEXT)
                .map(char::len_utf8)
                .sum::<usize>();
        let data = text.get(start..end).unwrap_or_default();
        let line = text.get(..start).map_or(0, |b| b.matches('\n').count());
        let column = text.get(line_start..start).map_or(0, |b| b.chars().count());
        Ok(Box::new(miette::MietteSpanContents::new_named(
            self.name.clone(),
            data.as_bytes(),
            SourceSpan::new(start.into(), data.len()),
            line,
            column,
            1,
        )))
    }
}

/// Renders a diagnostic as plain text (no colour, fixed width), the way tests snapshot it.
pub fn render_plain(diagnostic: &dyn Diagnostic) -> String {
    let handler =
        miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
            .with_width(100)
            .with_links(false);
    let mut out = String::new();
    if handler.render_report(&mut out, diagnostic).is_err() {
        out = diagnostic.to_string();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_cover_whole_characters() {
        let file = SourceFile::new("f", "ab\u{54c}\u{550}cd");
        // One byte inside the two-byte `Ռ` (bytes 4..6) widens to all of it.
        assert_eq!(file.span(5, 1), SourceSpan::new(4.into(), 2));
        assert_eq!(file.span(4, 1), SourceSpan::new(4.into(), 2));
        assert_eq!(file.span(2, 1), SourceSpan::new(2.into(), 2));
        assert_eq!(file.span(100, 5), SourceSpan::new(8.into(), 0));
    }

    #[test]
    fn byte_columns_are_bytes() {
        let file = SourceFile::new("f", "{\n  \"\u{e9}\u{e9}\": x\n}");
        // serde_json reports `x` at line 2, column 11: 10 bytes precede it.
        assert_eq!(file.offset_of_byte(2, 11), 2 + 10);
        assert_eq!(file.text.get(12..13), Some("x"));
        assert_eq!(file.offset_of_byte(9, 1), file.text.len());
    }
}
