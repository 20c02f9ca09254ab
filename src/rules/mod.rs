//! Declarative rules: TOML metadata plus CEL conditions, evaluated against a linked snapshot.
//!
//! - [`rule`] is a validated rule and the names its expressions may read;
//! - [`load`] reads rule files (spanned TOML → validated [`Rule`]s, CEL compiled
//!   once through [`crate::cel`]);
//! - [`eval`] runs every enabled rule over the resources it names, with the
//!   audit's computed budget, and yields [`Outcome`]s;
//! - [`catalog`] holds the built-in rules embedded in the binary.

pub mod catalog;
pub mod data;
pub mod eval;
pub mod fields;
pub mod load;
pub mod resources;
pub mod rule;

pub use crate::vocab::{Category, Severity, Status};
pub use eval::{Evaluation, Outcome, Prepared, evaluate, evaluate_some};
pub use load::{RuleError, load_rule_set};
pub use rule::{Rule, RuleSet};
