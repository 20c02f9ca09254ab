//! Messages with `{{ expr }}` holes, compiled once and filled per result.

use super::compile::compile;
use super::value::display;
use super::{CompileError, Expression, Names};

/// A message with `{{ expr }}` holes filled from CEL at evaluation time.
#[derive(Debug)]
pub struct Template {
    /// Literal text and expressions, in order.
    pub parts: Vec<TemplatePart>,
}

/// A piece of a [`Template`].
#[derive(Debug)]
pub enum TemplatePart {
    /// Literal text.
    Text(String),
    /// A hole, with the byte offset of its expression in the template.
    Expr(Expression, usize),
}

/// Compiles a `{{ expr }}` template against the given names.
pub fn compile_template(source: &str, names: Names<'_>) -> Result<Template, CompileError> {
    let mut parts = Vec::new();
    let mut rest = source;
    let mut consumed = 0;
    while let Some(open) = rest.find("{{") {
        if open > 0 {
            parts.push(TemplatePart::Text(rest[..open].to_string()));
        }
        let after = &rest[open + 2..];
        let Some(close) = after.find("}}") else {
            return Err(CompileError {
                message: "unclosed `{{` in message".into(),
                offset: consumed + open,
                len: 2,
                help: "close the expression with `}}`".into(),
            });
        };
        let inner = &after[..close];
        let inner_offset = consumed + open + 2;
        let expression = compile(inner, names).map_err(|mut e| {
            e.offset += inner_offset;
            e
        })?;
        parts.push(TemplatePart::Expr(expression, inner_offset));
        let advance = open + 2 + close + 2;
        consumed += advance;
        rest = &rest[advance..];
    }
    if !rest.is_empty() {
        parts.push(TemplatePart::Text(rest.to_string()));
    }
    Ok(Template { parts })
}

impl Template {
    /// The expressions of its holes, in order.
    pub fn expressions(&self) -> impl Iterator<Item = &Expression> {
        self.parts.iter().filter_map(|part| match part {
            TemplatePart::Expr(expression, _) => Some(expression),
            TemplatePart::Text(_) => None,
        })
    }

    /// True when a hole reads `snapshot`.
    pub fn uses_snapshot(&self) -> bool {
        self.expressions().any(|e| e.uses_snapshot)
    }

    /// True when a hole reads `budget`.
    pub fn uses_budget(&self) -> bool {
        self.expressions().any(|e| e.uses_budget)
    }
}

/// Fills a message template; a hole that fails renders as `<error: …>` so the
/// message still reads and the rule author sees why.
pub fn render(template: &Template, context: &::cel::Context<'_, '_>) -> String {
    let mut out = String::new();
    for part in &template.parts {
        match part {
            TemplatePart::Text(text) => out.push_str(text),
            TemplatePart::Expr(expression, _) => match expression.program.execute(context) {
                Ok(value) => out.push_str(&display(&value)),
                Err(err) => out.push_str(&format!(
                    "<error: {}>",
                    super::null_hint::explain(expression, context, err.to_string())
                )),
            },
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}
