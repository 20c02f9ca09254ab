//! Values a rule reads that hold unknowns a real create plan always has:
//! a link nested in a block (a replication rule's destination bucket) and
//! attributes the provider computes when the configuration leaves them
//! unset (`internal`, a target group's health-check `timeout`). Each unknown
//! leaf is filled from what the plan does say, or the value stays a gap.

use serde_json::Value;

use super::{AttrKind, Ctx};
use crate::plan::Action;
use crate::plan::values;

impl Ctx<'_, '_, '_> {
    /// `known` (the value at `path` as far as it is known) with each
    /// unknown leaf under `path` filled: a declared link through its
    /// `configuration` reference, a computed attribute the configuration
    /// does not set (on create) with AWS's default. None when a leaf has
    /// neither.
    pub(super) fn fill(&self, path: &str, mut known: Value) -> Option<Value> {
        for leaf in values::unknown_leaves(&self.change.after_unknown, path) {
            let kind = self
                .mapping
                .attrs
                .iter()
                .find(|a| matches(a.plan, &leaf))
                .map(|a| a.kind)?;
            let value = match kind {
                AttrKind::Link { to, attr } => self.resolve(&leaf, to, attr).into_iter().next()?,
                AttrKind::Links { to, attr } => {
                    let found = self.resolve(&leaf, to, attr);
                    if found.is_empty() {
                        return None;
                    }
                    Value::Array(found)
                }
                AttrKind::Computed { default } if self.unset_on_create(&leaf) => {
                    serde_json::from_str(default).ok()?
                }
                _ => return None,
            };
            let relative = leaf
                .strip_prefix(path)
                .unwrap_or_default()
                .trim_start_matches('.');
            set_at(&mut known, relative, value)?;
        }
        Some(known)
    }

    /// The instance addresses of a resource with `count` or `for_each`
    /// (`aws_subnet.dr["a"]` for `aws_subnet.dr`).
    pub(super) fn instances_of(&self, resource: &str) -> Vec<String> {
        let prefix = format!("{resource}[");
        let mut out: Vec<String> = self
            .plan
            .changes
            .iter()
            .chain(self.plan.prior.iter())
            .map(|c| c.address.as_str())
            .filter(|a| {
                a.strip_prefix(&prefix)
                    .is_some_and(|rest| rest.ends_with(']') && !rest.contains("]."))
            })
            .map(str::to_string)
            .collect();
        out.sort();
        out.dedup();
        out
    }

    /// True when the resource is created and its configuration has no
    /// expression for `path`: the provider computes the value, and AWS
    /// applies its default. (A `dynamic` block's expressions are not in the
    /// plan; a value there is known unless it refers to something the plan
    /// creates.)
    pub(super) fn unset_on_create(&self, path: &str) -> bool {
        if !matches!(self.change.action, Action::Create | Action::Replace) {
            return false;
        }
        match self.plan.config_of(&self.change.address) {
            Some(block) => values::at(&block.expressions, path).is_none(),
            None => false,
        }
    }
}

/// True when an attribute path of a mapping (`*` for any list index) names `leaf`.
fn matches(pattern: &str, leaf: &str) -> bool {
    let (mut p, mut l) = (pattern.split('.'), leaf.split('.'));
    loop {
        match (p.next(), l.next()) {
            (None, None) => return true,
            (Some("*"), Some(step)) if step.parse::<usize>().is_ok() => {}
            (Some(a), Some(b)) if a == b => {}
            _ => return false,
        }
    }
}

/// Writes `value` at `path` inside `target`, creating the objects and list
/// elements on the way; None when the path crosses a scalar.
fn set_at(target: &mut Value, path: &str, value: Value) -> Option<()> {
    let Some((step, rest)) = (!path.is_empty()).then(|| path.split_once('.').unwrap_or((path, "")))
    else {
        *target = value;
        return Some(());
    };
    let slot = match step.parse::<usize>() {
        Ok(index) => {
            if target.is_null() {
                *target = Value::Array(Vec::new());
            }
            let items = target.as_array_mut()?;
            while items.len() <= index {
                items.push(Value::Null);
            }
            items.get_mut(index)?
        }
        Err(_) => {
            if target.is_null() {
                *target = Value::Object(Default::default());
            }
            target
                .as_object_mut()?
                .entry(step.to_string())
                .or_insert(Value::Null)
        }
    };
    set_at(slot, rest, value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn patterns_match_any_index_where_they_say_so() {
        assert!(matches(
            "rule.*.destination.0.bucket",
            "rule.3.destination.0.bucket"
        ));
        assert!(!matches(
            "rule.*.destination.0.bucket",
            "rule.x.destination.0.bucket"
        ));
        assert!(!matches(
            "rule.*.destination",
            "rule.0.destination.0.bucket"
        ));
        assert!(matches("internal", "internal"));
    }

    #[test]
    fn values_are_written_into_known_structure() {
        let mut value = json!([{"destination": [{"storage_class": "STANDARD"}]}]);
        set_at(
            &mut value,
            "0.destination.0.bucket",
            json!("arn:aws:s3:::b"),
        )
        .unwrap();
        assert_eq!(
            value,
            json!([{"destination": [{"storage_class": "STANDARD", "bucket": "arn:aws:s3:::b"}]}])
        );
        let mut scalar = json!("x");
        assert!(set_at(&mut scalar, "a", json!(1)).is_none());
    }
}
