//! Compiling an expression: syntax, size and depth limits, then a walk of
//! the tree that rejects unknown names and records what the expression reads.

use std::collections::BTreeSet;

use ::cel::common::ast::{EntryExpr, Expr};
use ::cel::{IdedExpr, Program};

use super::suggest::closest;
use super::{
    CompileError, EXTENSION_NAMESPACES, Expression, MAX_EXPRESSION_DEPTH, MAX_EXPRESSION_LEN,
    Names, environment,
};

/// Compiles `source` against the given names.
pub fn compile(source: &str, names: Names<'_>) -> Result<Expression, CompileError> {
    if source.trim().is_empty() {
        return Err(CompileError {
            message: "empty CEL expression".into(),
            offset: 0,
            len: 0,
            help: "write a CEL expression, e.g. `resource.min_size >= 2`".into(),
        });
    }
    if source.len() > MAX_EXPRESSION_LEN {
        return Err(CompileError {
            message: format!(
                "CEL expression is {} bytes long; drguard compiles at most {MAX_EXPRESSION_LEN}",
                source.len()
            ),
            offset: 0,
            len: 1,
            help: "split the condition: filter with `where`, or check the parts in separate rules"
                .into(),
        });
    }
    let program = match environment().compile(source) {
        Ok(program) => program,
        Err(errors) => {
            let first = errors.errors.first();
            let (line, column) = first.map(|e| e.pos).unwrap_or((1, 0));
            let offset = offset_in(source, line, column);
            let message = first
                .map(|e| e.msg.clone())
                .unwrap_or_else(|| "syntax error".into());
            return Err(CompileError {
                message: format!("CEL syntax error: {message}"),
                offset,
                len: 1,
                help: "check the expression's syntax: strings in single quotes, `&&`/`||`, `x in list`, `list.exists(v, …)`".into(),
            });
        }
    };
    // The parser limits parentheses, not chains such as `a + a + …` or
    // `a.b.c…`, which the checker and the interpreter walk recursively.
    if let Some(id) = too_deep(program.expression(), MAX_EXPRESSION_DEPTH) {
        let offset = program
            .source_info()
            .offset_for(id)
            .map_or(0, |(start, _)| start as usize);
        return Err(CompileError {
            message: format!(
                "CEL expression nests deeper than {MAX_EXPRESSION_DEPTH} levels"
            ),
            offset: offset.min(source.len()),
            len: 1,
            help: "split the condition into smaller ones (`where`, several rules), or use `in`, `exists` or `all` over a list instead of long chains of `||`, `&&` or `+`".into(),
        });
    }
    let mut checker = Checker {
        program: &program,
        names,
        bound: Vec::new(),
        error: None,
        reads: BTreeSet::new(),
        resource_fields: BTreeSet::new(),
        resource_tested_fields: BTreeSet::new(),
        resource_whole: false,
    };
    checker.visit(program.expression());
    if let Some(error) = checker.error {
        return Err(error);
    }
    let uses_snapshot = checker.reads.contains("snapshot");
    let uses_budget = checker.reads.contains("budget");
    let resource_fields = (!checker.resource_whole).then_some(checker.resource_fields);
    let resource_tested_fields = checker.resource_tested_fields;
    Ok(Expression {
        source: source.to_string(),
        program,
        uses_snapshot,
        uses_budget,
        resource_fields,
        resource_tested_fields,
    })
}

/// The first node deeper than `max` levels (the root is level 1), walked
/// without recursion so that a pathological tree cannot overflow the stack.
fn too_deep(root: &IdedExpr, max: usize) -> Option<u64> {
    let mut stack = vec![(root, 1usize)];
    while let Some((node, level)) = stack.pop() {
        if level > max {
            return Some(node.id);
        }
        let below = level + 1;
        match &node.expr {
            Expr::Select(select) => stack.push((&select.operand, below)),
            Expr::Call(call) => {
                stack.extend(call.target.iter().map(|t| (&**t, below)));
                stack.extend(call.args.iter().map(|a| (a, below)));
            }
            Expr::Comprehension(comp) => stack.extend(
                [
                    &comp.iter_range,
                    &comp.accu_init,
                    &comp.loop_cond,
                    &comp.loop_step,
                    &comp.result,
                ]
                .map(|e| (e, below)),
            ),
            Expr::List(list) => stack.extend(list.elements.iter().map(|e| (e, below))),
            Expr::Map(map) => stack.extend(map.entries.iter().flat_map(|e| entry(&e.expr, below))),
            Expr::Struct(structure) => {
                stack.extend(structure.entries.iter().flat_map(|e| entry(&e.expr, below)))
            }
            Expr::Ident(_) | Expr::Literal(_) | Expr::Unspecified => {}
        }
    }
    None
}

fn entry(entry: &EntryExpr, level: usize) -> Vec<(&IdedExpr, usize)> {
    match entry {
        EntryExpr::StructField(field) => vec![(&field.value, level)],
        EntryExpr::MapEntry(entry) => vec![(&entry.key, level), (&entry.value, level)],
    }
}

/// Byte offset of a (1-based line, 0-based column) position from the CEL parser.
fn offset_in(source: &str, line: isize, column: isize) -> usize {
    let line = usize::try_from(line.max(1)).unwrap_or(1);
    let column = usize::try_from(column.max(0)).unwrap_or(0);
    let mut offset = 0;
    for (index, text) in source.split_inclusive('\n').enumerate() {
        if index + 1 == line {
            let within: usize = text.chars().take(column).map(char::len_utf8).sum();
            return (offset + within).min(source.len());
        }
        offset += text.len();
    }
    source.len()
}

struct Checker<'a> {
    program: &'a Program,
    names: Names<'a>,
    bound: Vec<String>,
    error: Option<CompileError>,
    reads: BTreeSet<String>,
    resource_fields: BTreeSet<String>,
    resource_tested_fields: BTreeSet<String>,
    resource_whole: bool,
}

impl Checker<'_> {
    fn span_of(&self, id: u64, fallback_len: usize) -> (usize, usize) {
        match self.program.source_info().offset_for(id) {
            // The parser's stop offset is not reliable for every node; the
            // caller knows the length of the name it reports.
            Some((start, _)) => (start as usize, fallback_len.max(1)),
            None => (0, fallback_len),
        }
    }

    fn fail(&mut self, id: u64, len: usize, message: String, help: String) {
        if self.error.is_none() {
            let (offset, len) = self.span_of(id, len);
            self.error = Some(CompileError {
                message,
                offset,
                len,
                help,
            });
        }
    }

    fn visit(&mut self, node: &IdedExpr) {
        if self.error.is_some() {
            return;
        }
        match &node.expr {
            Expr::Ident(name) => {
                let bound = self.bound.iter().any(|b| b == name);
                if !bound {
                    self.reads.insert(name.clone());
                    if name == "resource" {
                        self.resource_whole = true;
                    }
                }
                if !self.names.variables.contains(&name.as_str()) && !bound {
                    let variables = self.names.variables.join(", ");
                    let suggestion = closest(
                        name,
                        self.names
                            .variables
                            .iter()
                            .copied()
                            .chain(self.bound.iter().map(String::as_str)),
                    );
                    let reader = self.names.reader;
                    self.fail(
                        node.id,
                        name.len(),
                        format!("unknown variable `{name}`"),
                        match suggestion {
                            Some(s) => format!("did you mean `{s}`? {reader} can read {variables}"),
                            None => format!("{reader} can read {variables}"),
                        },
                    );
                }
            }
            Expr::Select(select) => {
                let table = self.names.table;
                if let Expr::Ident(root) = &select.operand.expr
                    && root == table
                    && !self.bound.iter().any(|b| b == table)
                    && !self.names.declared.contains(&select.field)
                {
                    let declared: Vec<&str> =
                        self.names.declared.iter().map(String::as_str).collect();
                    let declared_in = self.names.declared_in;
                    let noun = if table == "params" {
                        "parameter"
                    } else {
                        "name"
                    };
                    self.fail(
                        select.operand.id,
                        table.len() + 1 + select.field.len(),
                        format!("unknown {noun} `{table}.{}`", select.field),
                        if declared.is_empty() {
                            format!("declare it in {declared_in} with a default value")
                        } else {
                            format!(
                                "declare it in {declared_in}; declared: {}",
                                declared.join(", ")
                            )
                        },
                    );
                }
                let resource_field = matches!(&select.operand.expr, Expr::Ident(root)
                    if root == "resource"
                        && !self.bound.iter().any(|b| b == "resource")
                        && self.names.variables.contains(&"resource"));
                if let Expr::Ident(root) = &select.operand.expr
                    && !self.bound.iter().any(|b| b == root)
                {
                    self.check_variable_field(select.operand.id, root, &select.field);
                }
                if resource_field {
                    self.check_resource_field(select.operand.id, &select.field);
                    self.reads.insert("resource".into());
                    self.resource_fields.insert(select.field.clone());
                    if select.test {
                        self.resource_tested_fields.insert(select.field.clone());
                    }
                } else {
                    self.visit(&select.operand);
                }
            }
            Expr::Call(call) => {
                if let Some(target) = &call.target {
                    // `math.ceil(x)`, `strings.quote(s)`: the namespace of an
                    // extension function, not a variable.
                    let namespace = matches!(&target.expr, Expr::Ident(name) if EXTENSION_NAMESPACES.contains(&name.as_str()));
                    if !namespace {
                        self.visit(target);
                    }
                }
                for arg in &call.args {
                    self.visit(arg);
                }
            }
            Expr::Comprehension(comp) => {
                self.visit(&comp.iter_range);
                self.visit(&comp.accu_init);
                self.bound.push(comp.iter_var.clone());
                if let Some(second) = &comp.iter_var2 {
                    self.bound.push(second.clone());
                }
                self.bound.push(comp.accu_var.clone());
                self.visit(&comp.loop_cond);
                self.visit(&comp.loop_step);
                self.visit(&comp.result);
                self.bound.pop();
                if comp.iter_var2.is_some() {
                    self.bound.pop();
                }
                self.bound.pop();
            }
            Expr::List(list) => {
                for element in &list.elements {
                    self.visit(element);
                }
            }
            Expr::Map(map) => {
                for entry in &map.entries {
                    self.visit_entry(&entry.expr);
                }
            }
            Expr::Struct(structure) => {
                for entry in &structure.entries {
                    self.visit_entry(&entry.expr);
                }
            }
            Expr::Literal(_) | Expr::Unspecified => {}
        }
    }

    /// `resource.NAME` where the resource type has no field NAME: a typo that
    /// would read null at run time (and render `<error: No such key>` in a
    /// message), reported with the closest field.
    fn check_resource_field(&mut self, id: u64, field: &str) {
        let Some(fields) = self.names.resource_fields else {
            return;
        };
        if fields.contains(field) {
            return;
        }
        let kind = self.names.resource_kind;
        let help = match closest(field, fields.iter().map(String::as_str)) {
            Some(known) => format!(
                "did you mean `resource.{known}`? A resource's fields are its snapshot fields \
                 (docs/snapshot.md), `region`, `arn` and the facts link derives \
                 (docs/writing-rules.md)"
            ),
            None => format!(
                "{kind} has: {}",
                fields.iter().cloned().collect::<Vec<_>>().join(", ")
            ),
        };
        // `id` is the `resource` operand's: point at the whole `resource.NAME`.
        self.fail(
            id,
            "resource.".len() + field.len(),
            format!("{kind} has no field `resource.{field}`"),
            help,
        );
    }

    /// `app.NAME`, `targets.NAME`, `topology.NAME` where the variable has no
    /// such field: a typo, reported with the closest field.
    fn check_variable_field(&mut self, id: u64, variable: &str, field: &str) {
        let Some(fields) = self.names.variable_fields.and_then(|t| t.get(variable)) else {
            return;
        };
        if fields.contains(field) {
            return;
        }
        let help = match closest(field, fields.iter().map(String::as_str)) {
            Some(known) => format!("did you mean `{variable}.{known}`?"),
            None => format!(
                "`{variable}` has: {}",
                fields.iter().cloned().collect::<Vec<_>>().join(", ")
            ),
        };
        self.fail(
            id,
            variable.len() + 1 + field.len(),
            format!("`{variable}` has no field `{field}`"),
            help,
        );
    }

    fn visit_entry(&mut self, entry: &EntryExpr) {
        match entry {
            EntryExpr::StructField(field) => self.visit(&field.value),
            EntryExpr::MapEntry(entry) => {
                self.visit(&entry.key);
                self.visit(&entry.value);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cel::{compile_template, display, environment, to_cel};
    use ::cel::Value;

    const VARIABLES: [&str; 3] = ["resource", "snapshot", "params"];

    fn params(names: &[&str]) -> BTreeSet<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    fn names(declared: &BTreeSet<String>) -> Names<'_> {
        Names {
            variables: &VARIABLES,
            table: "params",
            declared,
            reader: "rules",
            declared_in: "the rule's `params` table",
            resource_fields: None,
            resource_kind: "",
            variable_fields: None,
        }
    }

    #[test]
    fn unknown_variable_is_located() {
        let err = compile("resource.a == 1 && resorce.b", names(&params(&[]))).unwrap_err();
        assert_eq!(err.message, "unknown variable `resorce`");
        assert_eq!(
            &"resource.a == 1 && resorce.b"[err.offset..err.offset + 7],
            "resorce"
        );
        assert!(err.help.contains("did you mean `resource`"));
    }

    #[test]
    fn extension_functions_compile_and_run() {
        for source in [
            "math.ceil(1.2) == 2.0",
            "['a', 'b'].join(', ') == 'a, b'",
            "math.greatest(1, 3) == 3",
        ] {
            let expression =
                compile(source, names(&params(&[]))).unwrap_or_else(|e| panic!("{source}: {e:?}"));
            let context = ::cel::Context::with_env(environment());
            assert_eq!(
                expression.program.execute(&context),
                Ok(Value::Bool(true)),
                "{source}"
            );
        }
    }

    #[test]
    fn resource_fields_are_tracked() {
        let e = compile(
            "resource.role == 'dr' && has(resource.tags)",
            names(&params(&[])),
        )
        .unwrap();
        let fields: Vec<&str> = e
            .resource_fields
            .as_ref()
            .unwrap()
            .iter()
            .map(String::as_str)
            .collect();
        assert_eq!(fields, ["role", "tags"]);
        let whole = compile("size(resource) > 0", names(&params(&[]))).unwrap();
        assert!(whole.resource_fields.is_none());
    }

    #[test]
    fn comprehension_variables_are_bound() {
        assert!(compile("resource.items.all(x, x > 1)", names(&params(&[]))).is_ok());
        assert!(compile("resource.items.exists(x, y > 1)", names(&params(&[]))).is_err());
    }

    #[test]
    fn undeclared_param_is_rejected() {
        let err = compile(
            "resource.n == params.intervall",
            names(&params(&["interval"])),
        )
        .unwrap_err();
        assert!(err.message.contains("params.intervall"), "{err:?}");
        assert!(
            compile(
                "resource.n == params.interval",
                names(&params(&["interval"]))
            )
            .is_ok()
        );
    }

    #[test]
    fn syntax_error_has_position() {
        let err = compile("resource.a ==", names(&params(&[]))).unwrap_err();
        assert!(err.message.starts_with("CEL syntax error"), "{err:?}");
        assert!(err.offset <= "resource.a ==".len());
    }

    #[test]
    fn template_offsets_point_into_the_template() {
        let source = "found {{ resource.a }} and {{ bogus }}";
        let err = compile_template(source, names(&params(&[]))).unwrap_err();
        assert_eq!(&source[err.offset..err.offset + 5], "bogus");
    }

    #[test]
    fn json_converts_and_displays() {
        let value = to_cel(&serde_json::json!({"a": [1, "x", null], "b": 2.5}));
        let Value::Map(map) = &value else {
            panic!("not a map")
        };
        assert_eq!(map.map.len(), 2);
        assert_eq!(
            display(&to_cel(&serde_json::json!([1, "x", null]))),
            "1, x, none"
        );
        assert_eq!(display(&Value::Float(850.0)), "850");
    }
}
