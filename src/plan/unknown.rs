//! Links that are unknown in a create plan (record → health check, group →
//! launch template, cluster → global cluster, alias → load balancer),
//! resolved from the `configuration` references, as Terraform itself will.

use serde_json::Value;

use super::parse::Plan;
use super::values;

/// The resource instance addresses an attribute of `address` refers to,
/// most specific first: `module.dr.aws_lb.web` for a reference
/// `aws_lb.web.dns_name` in module `module.dr`. `path` is the attribute's
/// path in the configuration's `expressions` (`alias.0.name`).
pub fn referenced(plan: &Plan, address: &str, path: &str) -> Vec<String> {
    let Some(block) = plan.config_of(address) else {
        return Vec::new();
    };
    let Some(expression) = values::at(&block.expressions, path) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    follow(plan, &module_segments(address), expression, &mut out, 0);
    out
}

/// Collects the resources `expression`, written in the module instance
/// `scope`, refers to. A module's input variable (`var.subnets`) is
/// followed to the argument of the module call that sets it, in the parent
/// module: modules are how most configurations pass ids between the regions.
fn follow(plan: &Plan, scope: &[String], expression: &Value, out: &mut Vec<String>, depth: usize) {
    let prefix: String = scope.iter().map(|s| format!("{s}.")).collect();
    for reference in expression
        .get("references")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
    {
        if let Some(variable) = reference.strip_prefix("var.") {
            let (Some((_, parent)), true) = (scope.split_last(), depth < 8) else {
                continue;
            };
            let name = variable.split(['.', '[']).next().unwrap_or(variable);
            let call = plan
                .module_calls
                .get(&super::parse::block_address(&scope.join(".")));
            if let Some(argument) = call.and_then(|c| c.expressions.get(name)) {
                follow(plan, parent, argument, out, depth + 1);
            }
            continue;
        }
        if !reference.starts_with("aws_") {
            continue;
        }
        // `aws_lb.web[0].dns_name` → `aws_lb.web[0]`; `aws_lb.web` (format 0.1) stays.
        let mut parts = reference.splitn(3, '.');
        if let (Some(kind), Some(name)) = (parts.next(), parts.next()) {
            let resource = format!("{prefix}{kind}.{name}");
            if !out.contains(&resource) {
                out.push(resource);
            }
        }
    }
}

/// The module instance path of an address, with its trailing dot
/// (`module.dr[0].` for `module.dr[0].aws_lb.web`).
pub fn module_prefix(address: &str) -> String {
    module_segments(address)
        .iter()
        .map(|s| format!("{s}."))
        .collect()
}

/// The module instances of an address, outermost first
/// (`module.dr[0]`, `module.data` for `module.dr[0].module.data.aws_lb.web`).
fn module_segments(address: &str) -> Vec<String> {
    let mut segments = Vec::new();
    let mut rest = address;
    while let Some(after) = rest.strip_prefix("module.") {
        let end = after.find('.').unwrap_or(after.len());
        // A key may contain dots: skip a bracketed key as a whole.
        let end = match after.find('[') {
            Some(open) if open < end => after[open..]
                .find("].")
                .map(|close| open + close + 1)
                .unwrap_or(end),
            _ => end,
        };
        segments.push(format!("module.{}", &after[..end]));
        rest = after.get(end + 1..).unwrap_or_default();
    }
    segments
}

/// The synthetic id drguard gives a value known only after apply, so the
/// linker can join on it: `plan:aws_lb.web`.
pub fn placeholder(address: &str) -> String {
    format!("(known after apply: {address})")
}

/// An attribute known only after apply that AWS writes from values the plan
/// knows: a new bucket's ARN is `arn:<partition>:s3:::<bucket>`, so a
/// replication rule to a bucket created by the same plan names it.
pub fn derived(
    tf_type: &str,
    attr: &str,
    after: &Value,
    marks: &Value,
    region: &str,
) -> Option<Value> {
    match (tf_type, attr) {
        ("aws_s3_bucket", "arn") if !values::unknown(marks, "bucket") => {
            let bucket = values::text(after, "bucket").filter(|b| !b.is_empty())?;
            let partition = if region.starts_with("cn-") {
                "aws-cn"
            } else if region.starts_with("us-gov-") {
                "aws-us-gov"
            } else {
                "aws"
            };
            Some(Value::String(format!("arn:{partition}:s3:::{bucket}")))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_buckets_arn_is_written_from_its_name() {
        let after = serde_json::json!({"bucket": "shop-assets-usw2"});
        let marks = serde_json::json!({"arn": true});
        assert_eq!(
            derived("aws_s3_bucket", "arn", &after, &marks, "us-west-2"),
            Some(Value::String("arn:aws:s3:::shop-assets-usw2".into()))
        );
        let unnamed = serde_json::json!({"bucket": true, "arn": true});
        assert_eq!(
            derived("aws_s3_bucket", "arn", &after, &unnamed, "us-west-2"),
            None
        );
        assert_eq!(derived("aws_lb", "arn", &after, &marks, "us-west-2"), None);
    }

    #[test]
    fn module_prefixes_keep_instance_keys() {
        assert_eq!(module_prefix("aws_lb.web"), "");
        assert_eq!(module_prefix("module.dr[0].aws_lb.web"), "module.dr[0].");
        assert_eq!(
            module_prefix(r#"module.a["x.y"].module.b.aws_lb.web"#),
            r#"module.a["x.y"].module.b."#
        );
    }
}
