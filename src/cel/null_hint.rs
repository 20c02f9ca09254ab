//! When an expression fails at run time, the usual cause is a field that is
//! null on this resource: `resource.grace <= 300` with no grace period gives
//! "no such overload … (null_type, int)". This finds the fields the
//! expression reads that are null in the failing context and says how to
//! guard them.

use ::cel::Value;
use ::cel::common::ast::{EntryExpr, Expr};
use ::cel::{Context, IdedExpr};

use super::{Expression, environment};

/// At most this many null fields are named.
const MAX_NAMED: usize = 3;

/// `error`, with the null fields the expression reads (if any) and the guard.
pub fn explain(expression: &Expression, context: &Context<'_, '_>, error: String) -> String {
    let mut paths = Vec::new();
    collect(expression.program.expression(), &mut Vec::new(), &mut paths);
    paths.sort();
    paths.dedup();
    let env = environment();
    let mut null: Vec<String> = Vec::new();
    for path in &paths {
        // A field under a null one is an error, not null: the shortest null path is named.
        if null.iter().any(|n| path.starts_with(&format!("{n}."))) {
            continue;
        }
        let Ok(program) = env.compile(path) else {
            continue;
        };
        if matches!(program.execute(context), Ok(Value::Null)) {
            null.push(path.clone());
        }
    }
    let Some(first) = null.first() else {
        return error;
    };
    let named = null
        .iter()
        .take(MAX_NAMED)
        .map(|p| format!("`{p}`"))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "{error}; null here: {named}. Guard a field that may be null: \
         `{first} != null && …` (`has({first})` only tests that the field is \
         present, and a null field is)"
    )
}

/// Dotted paths of the selects the expression makes from its variables
/// (`resource.replication.rules` and its prefixes), outside comprehension
/// variables and `has()` tests.
fn collect(node: &IdedExpr, bound: &mut Vec<String>, out: &mut Vec<String>) {
    match &node.expr {
        Expr::Select(select) => {
            if !select.test
                && let Some(path) = path_of(node, bound)
            {
                let mut prefix = String::new();
                for (index, part) in path.split('.').enumerate() {
                    if index > 0 {
                        prefix.push('.');
                    }
                    prefix.push_str(part);
                    if index > 0 {
                        out.push(prefix.clone());
                    }
                }
            }
            collect(&select.operand, bound, out);
        }
        Expr::Call(call) => {
            if let Some(target) = &call.target {
                collect(target, bound, out);
            }
            for arg in &call.args {
                collect(arg, bound, out);
            }
        }
        Expr::Comprehension(comp) => {
            collect(&comp.iter_range, bound, out);
            bound.push(comp.iter_var.clone());
            if let Some(second) = &comp.iter_var2 {
                bound.push(second.clone());
            }
            bound.push(comp.accu_var.clone());
            for part in [
                &comp.accu_init,
                &comp.loop_cond,
                &comp.loop_step,
                &comp.result,
            ] {
                collect(part, bound, out);
            }
            bound.truncate(bound.len() - if comp.iter_var2.is_some() { 3 } else { 2 });
        }
        Expr::List(list) => {
            for element in &list.elements {
                collect(element, bound, out);
            }
        }
        Expr::Map(map) => {
            for entry in &map.entries {
                if let EntryExpr::MapEntry(entry) = &entry.expr {
                    collect(&entry.key, bound, out);
                    collect(&entry.value, bound, out);
                }
            }
        }
        Expr::Struct(structure) => {
            for entry in &structure.entries {
                if let EntryExpr::StructField(field) = &entry.expr {
                    collect(&field.value, bound, out);
                }
            }
        }
        Expr::Ident(_) | Expr::Literal(_) | Expr::Unspecified => {}
    }
}

/// `a.b.c` for a chain of selects on a free variable, else None.
fn path_of(node: &IdedExpr, bound: &[String]) -> Option<String> {
    match &node.expr {
        Expr::Ident(name) if !bound.contains(name) => Some(name.clone()),
        Expr::Select(select) if !select.test => {
            path_of(&select.operand, bound).map(|p| format!("{p}.{}", select.field))
        }
        _ => None,
    }
}
