//! Paths into plan values (`alias.0.name`) and the unknown marks beside them.

use serde_json::Value;

/// The value at a dotted path (`alias.0.name`; numbers index arrays).
pub fn at<'v>(value: &'v Value, path: &str) -> Option<&'v Value> {
    let mut current = value;
    for step in path.split('.').filter(|s| !s.is_empty()) {
        current = match current {
            Value::Object(map) => map.get(step)?,
            Value::Array(items) => items.get(step.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(current)
}

/// A string at a path (numbers written out).
pub fn text(value: &Value, path: &str) -> Option<String> {
    match at(value, path)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// An integer at a path (also from a numeric string).
pub fn int(value: &Value, path: &str) -> Option<i64> {
    match at(value, path)? {
        Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

/// A boolean at a path.
pub fn boolean(value: &Value, path: &str) -> Option<bool> {
    at(value, path)?.as_bool()
}

/// The strings of a list or set at a path.
pub fn strings(value: &Value, path: &str) -> Vec<String> {
    at(value, path)
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// Where `path` stands in `after_unknown`.
enum Marks<'v> {
    /// Under a parent marked unknown as a whole.
    Whole,
    /// At this node of marks.
    Node(&'v Value),
}

/// The marks at `path`; None when nothing marks it.
fn marks_at<'v>(after_unknown: &'v Value, path: &str) -> Option<Marks<'v>> {
    let mut current = after_unknown;
    for step in path.split('.').filter(|s| !s.is_empty()) {
        if current == &Value::Bool(true) {
            return Some(Marks::Whole);
        }
        current = match current {
            Value::Object(map) => map.get(step)?,
            Value::Array(items) => items.get(step.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(Marks::Node(current))
}

/// True when `after_unknown` marks the value at `path`, or anything under
/// it, or one of its parents, as unknown.
pub fn unknown(after_unknown: &Value, path: &str) -> bool {
    match marks_at(after_unknown, path) {
        None => false,
        Some(Marks::Whole) => true,
        Some(Marks::Node(node)) => contains_true(node, 0),
    }
}

/// The paths of the unknown leaves at or under `path` (exactly where
/// [`unknown`] finds one): `path` itself when it or a parent is marked
/// unknown as a whole; a subtree too deep to walk is one leaf.
pub fn unknown_leaves(after_unknown: &Value, path: &str) -> Vec<String> {
    let mut out = Vec::new();
    match marks_at(after_unknown, path) {
        None => {}
        Some(Marks::Whole) => out.push(path.to_string()),
        Some(Marks::Node(node)) => collect_true(node, path, &mut out, 0),
    }
    out
}

fn contains_true(value: &Value, depth: usize) -> bool {
    if depth > MAX_MARK_DEPTH {
        return true;
    }
    match value {
        Value::Bool(b) => *b,
        Value::Array(items) => items.iter().any(|v| contains_true(v, depth + 1)),
        Value::Object(map) => map.values().any(|v| contains_true(v, depth + 1)),
        _ => false,
    }
}

fn collect_true(marks: &Value, at: &str, out: &mut Vec<String>, depth: usize) {
    if depth > MAX_MARK_DEPTH {
        // Counted unknown by `contains_true`: never read as known.
        out.push(at.to_string());
        return;
    }
    let join = |key: &str| {
        if at.is_empty() {
            key.to_string()
        } else {
            format!("{at}.{key}")
        }
    };
    match marks {
        Value::Bool(true) => out.push(at.to_string()),
        Value::Object(map) => {
            for (key, value) in map {
                collect_true(value, &join(key), out, depth + 1);
            }
        }
        Value::Array(items) => {
            for (i, value) in items.iter().enumerate() {
                collect_true(value, &join(&i.to_string()), out, depth + 1);
            }
        }
        _ => {}
    }
}

/// How deep `after_unknown` is walked; deeper marks count as unknown.
const MAX_MARK_DEPTH: usize = 64;

/// Compact JSON for a report, cut at 80 characters.
pub fn show(value: &Value) -> String {
    let text = match value {
        Value::String(s) if s.is_empty() => "\"\"".to_string(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    if text.chars().count() > 80 {
        let cut: String = text.chars().take(77).collect();
        format!("{cut}…")
    } else {
        text
    }
}

/// Leaf-by-leaf differences between two values, as (path, before, after);
/// a list of blocks compares element by element.
pub fn differences(
    before: &Value,
    after: &Value,
    out: &mut Vec<(String, Option<Value>, Option<Value>)>,
) {
    walk("", before, after, out, 0);
}

fn walk(
    path: &str,
    before: &Value,
    after: &Value,
    out: &mut Vec<(String, Option<Value>, Option<Value>)>,
    depth: usize,
) {
    if before == after {
        return;
    }
    let join = |key: &str| {
        if path.is_empty() {
            key.to_string()
        } else {
            format!("{path}.{key}")
        }
    };
    let present = |v: &Value| match v {
        Value::Null => None,
        Value::Array(a) if a.is_empty() => None,
        other => Some(other.clone()),
    };
    match (before, after) {
        (Value::Object(b), Value::Object(a)) if depth < 16 => {
            let keys: std::collections::BTreeSet<&String> = b.keys().chain(a.keys()).collect();
            for key in keys {
                let null = Value::Null;
                walk(
                    &join(key),
                    b.get(key).unwrap_or(&null),
                    a.get(key).unwrap_or(&null),
                    out,
                    depth + 1,
                );
            }
        }
        (Value::Array(b), Value::Array(a))
            if depth < 16
                && b.len() == a.len()
                && b.iter().chain(a.iter()).all(Value::is_object) =>
        {
            for (i, (x, y)) in b.iter().zip(a.iter()).enumerate() {
                walk(&join(&i.to_string()), x, y, out, depth + 1);
            }
        }
        (Value::Array(b), Value::Array(a)) if depth < 16 && b.len() == 1 && a.is_empty() => {
            out.push((path.to_string(), present(before), None));
        }
        // An optional attribute left unset is null in the plan where the
        // state holds the provider's zero value for it ("", 0, false, {}):
        // a replaced health check turns `ip_address` "" into null. Nothing
        // changes in AWS, so it is not a change for the reviewer.
        (Value::Null, other) | (other, Value::Null) if zero(other) => {}
        _ => {
            let (b, a) = (present(before), present(after));
            if b != a {
                out.push((path.to_string(), b, a));
            }
        }
    }
}

/// The value an unset optional attribute reads as in the state.
fn zero(value: &Value) -> bool {
    match value {
        Value::String(s) => s.is_empty(),
        Value::Bool(b) => !b,
        Value::Number(n) => n.as_f64() == Some(0.0),
        Value::Object(o) => o.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Null => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn unknown_marks_parents_and_children() {
        let marks = json!({"alias": [{"name": true}], "ttl": false, "tags": {}});
        assert!(unknown(&marks, "alias"));
        assert!(unknown(&marks, "alias.0.name"));
        assert!(!unknown(&marks, "ttl"));
        assert!(!unknown(&marks, "zone_id"));
        assert!(unknown(&json!(true), "anything"));
    }

    #[test]
    fn differences_name_removed_blocks() {
        let mut out = Vec::new();
        differences(
            &json!({"rule": [{"destination": [{"replication_time": [{"status": "Enabled"}]}]}]}),
            &json!({"rule": [{"destination": [{"replication_time": []}]}]}),
            &mut out,
        );
        assert_eq!(out.len(), 1, "{out:?}");
        assert_eq!(out[0].0, "rule.0.destination.0.replication_time");
        assert!(out[0].2.is_none());
    }

    #[test]
    fn unknown_leaves_are_listed_under_a_path_or_as_the_path_itself() {
        let marks = json!({"rule": [{"destination": [{"bucket": true, "metrics": [{}]}]}], "internal": true});
        assert_eq!(
            unknown_leaves(&marks, "rule"),
            ["rule.0.destination.0.bucket"]
        );
        assert_eq!(unknown_leaves(&marks, "internal"), ["internal"]);
        assert_eq!(
            unknown_leaves(&marks, "internal.0.x"),
            ["internal.0.x"],
            "a parent unknown as a whole"
        );
        assert!(unknown_leaves(&marks, "name").is_empty());
        let mut deep = json!(false);
        for _ in 0..70 {
            deep = json!({ "a": deep });
        }
        assert!(unknown(&deep, ""), "too deep to walk is unknown");
        assert_eq!(unknown_leaves(&deep, "").len(), 1);
    }

    #[test]
    fn differences_ignore_zero_values_becoming_null() {
        let mut out = Vec::new();
        differences(
            &json!({"ip_address": "", "invert_healthcheck": false, "child_health_threshold": 0,
                    "disabled": false, "request_interval": 10, "ttl": 60}),
            &json!({"ip_address": null, "invert_healthcheck": null, "child_health_threshold": null,
                    "disabled": true, "request_interval": 30, "ttl": null}),
            &mut out,
        );
        let paths: Vec<&str> = out.iter().map(|(p, _, _)| p.as_str()).collect();
        assert_eq!(paths, ["disabled", "request_interval", "ttl"], "{out:?}");
    }
}
