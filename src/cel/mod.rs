//! CEL, as drguard uses it: one environment, compilation with name checks,
//! `{{ }}` message templates, JSON → CEL values, and the helpers that run an
//! expression to a boolean or a number.
//!
//! The `cel` crate parses but does not type-check, so an expression that names
//! an unknown variable (`resorce.ttl`) would only fail at run time, once per
//! resource. [`compile`] walks the parsed tree and rejects such references up
//! front, with the byte offset of the offending identifier so a loader can
//! point at the file, line and column.
//!
//! Both the rules and the budget model compile through this module, with
//! their own [`Names`] (which variables exist, which table's keys are
//! declared). It is a leaf: it imports nothing from the rest of the crate.

pub mod bindings;
mod compile;
mod null_hint;
mod run;
mod suggest;
mod template;
mod value;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

pub use compile::compile;
pub use run::{run_bool, run_number, run_strings};
pub use suggest::{closest, edit_distance};
pub use template::{Template, TemplatePart, compile_template, render};
pub use value::{Bound, display, json_val, to_cel};

/// Namespaces of the extension functions (`math.ceil`, `strings.quote`, `lists.range`).
pub(crate) const EXTENSION_NAMESPACES: [&str; 4] = ["math", "strings", "lists", "base64"];

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
    /// The fields `resource` has for the rule's resource type, when known:
    /// `resource.NAME` must be one of them.
    pub resource_fields: Option<&'a BTreeSet<String>>,
    /// The resource type, for messages (`autoscaling.group`).
    pub resource_kind: &'a str,
    /// The fields of other variables whose shape is fixed (`app`, `targets`,
    /// `topology`): `VARIABLE.NAME` must be one of them.
    pub variable_fields: Option<&'a BTreeMap<String, BTreeSet<String>>>,
}

/// The CEL environment rules and the budget model compile and run in: the standard library plus
/// the `strings` (`join`, `lowerAscii`…), `lists` and `math` extensions.
/// Built once per process; building an environment registers hundreds of
/// overloads.
pub fn environment() -> Arc<::cel::Env> {
    static ENV: std::sync::OnceLock<Arc<::cel::Env>> = std::sync::OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = ::cel::Env::stdlib();
        for extension in [
            ::cel::extensions::strings,
            ::cel::extensions::lists,
            ::cel::extensions::math,
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
    pub program: ::cel::Program,
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
