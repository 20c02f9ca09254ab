//! CEL for rules: compiling with checks, message templates, and JSON → CEL values.
//!
//! The `cel` crate parses but does not type-check, so an expression that names
//! an unknown variable (`resorce.ttl`) would only fail at run time, once per
//! resource. [`compile`] walks the parsed tree and rejects such references up
//! front, with the byte offset of the offending identifier so the rule loader
//! can point at the file, line and column.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use cel::common::ast::{EntryExpr, Expr};
use cel::common::types::{
    CelBool, CelDouble, CelInt, CelList, CelMap, CelMapKey, CelNull, CelString,
};
use cel::common::value::{CowVal, Val};
use cel::context::VariableResolver;
use cel::objects::{Key, Map};
use cel::{Env, IdedExpr, Program, Value};
use serde_json::Value as Json;

/// Namespaces of the extension functions (`math.ceil`, `strings.quote`, `lists.range`).
const EXTENSION_NAMESPACES: [&str; 4] = ["math", "strings", "lists", "base64"];

/// The variables every rule expression may read.
pub const VARIABLES: [&str; 7] = [
    "resource", "snapshot", "topology", "app", "targets", "params", "budget",
];

/// Longest CEL expression drguard compiles, in bytes. The `cel` parser
/// recurses once per link of a chain (`a.b.c…`, `a + b + …`), so unbounded
/// input could overflow the stack; the longest built-in expression is under
/// 700 bytes.
pub const MAX_EXPRESSION_LEN: usize = 2048;

/// Deepest expression tree drguard compiles (the root is level 1). The
/// checker and the `cel` interpreter walk the tree recursively; built-in
/// rules nest at most a dozen levels (macros such as `exists` count three).
pub const MAX_EXPRESSION_DEPTH: usize = 64;

/// What an expression may read: its variables, and the table (`params`,
/// `defaults`) whose keys are checked at compile time.
#[derive(Debug, Clone, Copy)]
pub struct Names<'a> {
    /// Variables in scope.
    pub variables: &'a [&'a str],
    /// The variable whose fields must be declared (`params`).
    pub table: &'a str,
    /// Its declared fields.
    pub declared: &'a BTreeSet<String>,
    /// Who reads them, for messages ("rules", "the budget model").
    pub reader: &'a str,
    /// Where fields are declared, for messages.
    pub declared_in: &'a str,
}

impl<'a> Names<'a> {
    /// The names a rule expression sees.
    pub fn rule(params: &'a BTreeSet<String>) -> Self {
        Names {
            variables: &VARIABLES,
            table: "params",
            declared: params,
            reader: "rules",
            declared_in: "the rule's `params` table",
        }
    }
}

/// The CEL environment rules compile and run in: the standard library plus
/// the `strings` (`join`, `lowerAscii`…), `lists` and `math` extensions.
/// Built once per process; building an environment registers hundreds of
/// overloads.
pub fn environment() -> Arc<Env> {
    static ENV: std::sync::OnceLock<Arc<Env>> = std::sync::OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Env::stdlib();
        for extension in [
            cel::extensions::strings,
            cel::extensions::lists,
            cel::extensions::math,
        ] {
            // A clash between extensions would be a bug in the cel crate; the
            // rules that need the missing function then fail to compile or run
            // with a clear error instead of crashing here.
            let _ = env.add_extension(extension);
        }
        Arc::new(env)
    })
    .clone()
}

/// A compiled CEL expression with its source.
#[derive(Debug)]
pub struct Expression {
    /// The expression as written.
    pub source: String,
    /// The compiled program.
    pub program: Program,
    /// True when it reads `snapshot` (the whole-snapshot value is built only then).
    pub uses_snapshot: bool,
    /// True when it reads `budget` (its errors then make the result an error).
    pub uses_budget: bool,
    /// The fields it reads as `resource.FIELD`; None when it uses `resource`
    /// as a whole (then every field may matter).
    pub resource_fields: Option<BTreeSet<String>>,
    /// The fields it tests with `has(resource.FIELD)`: on a value without
    /// them, `has` answers false where the full value would answer true.
    pub resource_tested_fields: BTreeSet<String>,
}

/// A compile problem with its byte offset in the expression source.
#[derive(Debug, Clone, PartialEq)]
pub struct CompileError {
    /// What is wrong.
    pub message: String,
    /// Byte offset inside the expression.
    pub offset: usize,
    /// Length of the offending text.
    pub len: usize,
    /// How to fix it.
    pub help: String,
}

/// Compiles `source`, rejecting unknown variables and `params.x` not declared in `params`.
pub fn compile(source: &str, params: &BTreeSet<String>) -> Result<Expression, CompileError> {
    compile_in(source, Names::rule(params))
}

/// Compiles `source` against the given names.
pub fn compile_in(source: &str, names: Names<'_>) -> Result<Expression, CompileError> {
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
                if resource_field {
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

/// The known name closest to `name`, if it is plausibly a typo.
fn closest<'a>(name: &str, known: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    known
        .map(|k| (edit_distance(name, k), k))
        .filter(|(d, _)| *d <= 2)
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

/// Levenshtein distance, one row at a time.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = Vec::with_capacity(b.len() + 1);
        let mut left = i + 1;
        current.push(left);
        // `previous` has one more entry than `b`: pairs (diagonal, above).
        for (cb, pair) in b.iter().zip(previous.windows(2)) {
            let (diagonal, above) = match pair {
                [d, u] => (*d, *u),
                _ => break,
            };
            left = (diagonal + usize::from(ca != *cb))
                .min(above + 1)
                .min(left + 1);
            current.push(left);
        }
        previous = current;
    }
    previous.last().copied().unwrap_or(0)
}

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

/// Compiles a `{{ expr }}` template; the error offset is within the template text.
pub fn compile_template(source: &str, params: &BTreeSet<String>) -> Result<Template, CompileError> {
    compile_template_in(source, Names::rule(params))
}

/// Compiles a `{{ expr }}` template against the given names.
pub fn compile_template_in(source: &str, names: Names<'_>) -> Result<Template, CompileError> {
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
        let expression = compile_in(inner, names).map_err(|mut e| {
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
    /// True when a hole reads `snapshot`.
    pub fn uses_snapshot(&self) -> bool {
        self.parts
            .iter()
            .any(|p| matches!(p, TemplatePart::Expr(e, _) if e.uses_snapshot))
    }

    /// True when a hole reads `budget`.
    pub fn uses_budget(&self) -> bool {
        self.parts
            .iter()
            .any(|p| matches!(p, TemplatePart::Expr(e, _) if e.uses_budget))
    }
}

/// Converts JSON into a CEL value. Integers stay integers; maps get string keys.
pub fn to_cel(value: &Json) -> Value {
    match value {
        Json::Null => Value::Null,
        Json::Bool(b) => Value::Bool(*b),
        Json::Number(n) => match n.as_i64() {
            Some(i) => Value::Int(i),
            None => Value::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        Json::String(s) => Value::String(Arc::new(s.clone())),
        Json::Array(items) => Value::List(Arc::new(items.iter().map(to_cel).collect())),
        Json::Object(map) => {
            let entries: HashMap<Key, Value> = map
                .iter()
                .map(|(k, v)| (Key::String(Arc::new(k.clone())), to_cel(v)))
                .collect();
            Value::Map(Map {
                map: Arc::new(entries),
            })
        }
    }
}

/// A CEL view of JSON that borrows its strings: built once per resource and
/// bound to every rule through [`Bound`], so evaluation never copies it.
pub fn json_val(value: &Json) -> Box<dyn Val + '_> {
    match value {
        Json::Null => Box::new(CelNull),
        Json::Bool(b) => Box::new(CelBool::from(*b)),
        Json::Number(n) => match n.as_i64() {
            Some(i) => Box::new(CelInt::from(i)),
            None => Box::new(CelDouble::from(n.as_f64().unwrap_or(f64::NAN))),
        },
        Json::String(s) => Box::new(CelString::from(s.as_str())),
        Json::Array(items) => Box::new(CelList::from(
            items.iter().map(json_val).collect::<Vec<_>>(),
        )),
        Json::Object(map) => Box::new(CelMap::from(
            map.iter()
                .map(|(k, v)| (CelMapKey::from(k.as_str()), json_val(v)))
                .collect::<HashMap<_, _>>(),
        )),
    }
}

/// Variables bound by reference: a [`VariableResolver`] that lends values
/// built once, instead of the deep copy `Context::add_variable_from_value` makes.
pub struct Bound<'a> {
    /// Name → value.
    pub variables: Vec<(&'static str, &'a (dyn Val + 'a))>,
}

impl VariableResolver for Bound<'_> {
    fn resolve<'b>(&'b self, variable: &str) -> Option<CowVal<'b, 'b>> {
        self.variables
            .iter()
            .find(|(name, _)| *name == variable)
            .map(|(_, value)| CowVal::Borrowed(*value))
    }
}

/// Renders a CEL value for a message: strings bare, lists comma-separated, null as `none`.
pub fn display(value: &Value) -> String {
    match value {
        Value::Null => "none".into(),
        Value::String(s) => s.to_string(),
        Value::Int(i) => i.to_string(),
        Value::UInt(u) => u.to_string(),
        Value::Float(f) => {
            if f.fract() == 0.0 && f.abs() < 1e15 {
                format!("{f:.0}")
            } else {
                format!("{f}")
            }
        }
        Value::Bool(b) => b.to_string(),
        Value::List(items) => {
            if items.is_empty() {
                "none".into()
            } else {
                items.iter().map(display).collect::<Vec<_>>().join(", ")
            }
        }
        Value::Map(map) => {
            let mut entries: Vec<String> = map
                .map
                .iter()
                .map(|(k, v)| format!("{}: {}", key_text(k), display(v)))
                .collect();
            entries.sort();
            format!("{{{}}}", entries.join(", "))
        }
        other => format!("{other:?}"),
    }
}

fn key_text(key: &Key) -> String {
    match key {
        Key::String(s) => s.to_string(),
        Key::Int(i) => i.to_string(),
        Key::Uint(u) => u.to_string(),
        Key::Bool(b) => b.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(names: &[&str]) -> BTreeSet<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn edit_distance_counts_insertions_deletions_and_substitutions() {
        assert_eq!(edit_distance("resorce", "resource"), 1);
        assert_eq!(edit_distance("resource", "resorce"), 1);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("abc", ""), 3);
        assert_eq!(edit_distance("same", "same"), 0);
    }

    #[test]
    fn unknown_variable_is_located() {
        let err = compile("resource.a == 1 && resorce.b", &params(&[])).unwrap_err();
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
                compile(source, &params(&[])).unwrap_or_else(|e| panic!("{source}: {e:?}"));
            let context = cel::Context::with_env(environment());
            assert_eq!(
                expression.program.execute(&context),
                Ok(Value::Bool(true)),
                "{source}"
            );
        }
    }

    #[test]
    fn resource_fields_are_tracked() {
        let e = compile("resource.role == 'dr' && has(resource.tags)", &params(&[])).unwrap();
        let fields: Vec<&str> = e
            .resource_fields
            .as_ref()
            .unwrap()
            .iter()
            .map(String::as_str)
            .collect();
        assert_eq!(fields, ["role", "tags"]);
        let whole = compile("size(resource) > 0", &params(&[])).unwrap();
        assert!(whole.resource_fields.is_none());
    }

    #[test]
    fn comprehension_variables_are_bound() {
        assert!(compile("resource.items.all(x, x > 1)", &params(&[])).is_ok());
        assert!(compile("resource.items.exists(x, y > 1)", &params(&[])).is_err());
    }

    #[test]
    fn undeclared_param_is_rejected() {
        let err = compile("resource.n == params.intervall", &params(&["interval"])).unwrap_err();
        assert!(err.message.contains("params.intervall"), "{err:?}");
        assert!(compile("resource.n == params.interval", &params(&["interval"])).is_ok());
    }

    #[test]
    fn syntax_error_has_position() {
        let err = compile("resource.a ==", &params(&[])).unwrap_err();
        assert!(err.message.starts_with("CEL syntax error"), "{err:?}");
        assert!(err.offset <= "resource.a ==".len());
    }

    #[test]
    fn template_offsets_point_into_the_template() {
        let source = "found {{ resource.a }} and {{ bogus }}";
        let err = compile_template(source, &params(&[])).unwrap_err();
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
