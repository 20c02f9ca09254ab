//! Running a compiled expression to the type its caller needs, with an error
//! that quotes the expression (a rule's `assert` must be a boolean, a budget
//! step's `seconds` a number).

use ::cel::Value;

use super::{Expression, display, null_hint};

/// Runs an expression that must yield a boolean.
pub fn run_bool(expression: &Expression, context: &::cel::Context<'_, '_>) -> Result<bool, String> {
    match expression.program.execute(context) {
        Ok(Value::Bool(b)) => Ok(b),
        Ok(other) => Err(format!(
            "`{}` returned {} instead of a boolean",
            expression.source.trim(),
            display(&other)
        )),
        Err(err) => Err(null_hint::explain(
            expression,
            context,
            format!("`{}`: {err}", expression.source.trim()),
        )),
    }
}

/// Runs an expression that must yield a finite number or null (`Ok(None)`:
/// "no figure", such as an RPO with no guarantee).
pub fn run_number(
    expression: &Expression,
    context: &::cel::Context<'_, '_>,
) -> Result<Option<f64>, String> {
    match expression.program.execute(context) {
        Ok(Value::Int(i)) => Ok(Some(i as f64)),
        Ok(Value::UInt(u)) => Ok(Some(u as f64)),
        Ok(Value::Float(f)) if f.is_finite() => Ok(Some(f)),
        Ok(Value::Null) => Ok(None),
        Ok(other) => Err(format!(
            "`{}` gave {} instead of a number",
            expression.source.trim(),
            display(&other)
        )),
        Err(err) => Err(null_hint::explain(
            expression,
            context,
            format!("`{}`: {err}", expression.source.trim()),
        )),
    }
}

/// Runs an expression that must yield a list of strings (a rule's `reads`).
pub fn run_strings(
    expression: &Expression,
    context: &::cel::Context<'_, '_>,
) -> Result<Vec<String>, String> {
    match expression.program.execute(context) {
        Ok(Value::List(items)) => items
            .iter()
            .map(|item| match item {
                Value::String(s) => Ok(s.to_string()),
                other => Err(format!(
                    "`{}` gave a list holding {} instead of data-source names",
                    expression.source.trim(),
                    display(other)
                )),
            })
            .collect(),
        Ok(other) => Err(format!(
            "`{}` returned {} instead of a list of data-source names",
            expression.source.trim(),
            display(&other)
        )),
        Err(err) => Err(null_hint::explain(
            expression,
            context,
            format!("`{}`: {err}", expression.source.trim()),
        )),
    }
}
