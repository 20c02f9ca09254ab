//! Images (what the DR launch templates boot: copies, images registered
//! from snapshots or made from an instance) and CloudWatch alarms
//! (what starts the failover, and whether it survives the primary region).

use std::collections::BTreeMap;

use super::{Ctx, Mapping, identity, link, region, remove, upsert, value};
use crate::plan::values;
use crate::snapshot::Snapshot;
use crate::snapshot::model::{Alarm, Image};

/// `aws_ami_copy`: the copy is in the resource's region. Terraform's create
/// waits until the copy is `available` (and fails the apply otherwise), so
/// after apply a planned copy is available.
pub const AMI_COPY: Mapping = Mapping {
    tf_type: "aws_ami_copy",
    kind: "ec2.image",
    source: "ec2.images",
    global: false,
    attrs: &[
        identity("id", "id"),
        value("name", "name"),
        value("description", "description"),
        link(
            "source_ami_id",
            "source_image_id",
            "aws_ami_copy|aws_ami|aws_ami_from_instance",
            "id",
        ),
        value("source_ami_region", "source_image_region"),
        value("tags", "tags"),
    ],
    upsert: image_upsert,
    remove: image_remove,
    exists: image_exists,
};

/// `aws_ami`: an image registered from snapshots in the resource's region;
/// Terraform's create waits until it is `available`, as for a copy.
pub const AMI: Mapping = Mapping {
    tf_type: "aws_ami",
    kind: "ec2.image",
    source: "ec2.images",
    global: false,
    attrs: &[
        identity("id", "id"),
        value("name", "name"),
        value("description", "description"),
        value("tags", "tags"),
    ],
    upsert: image_upsert,
    remove: image_remove,
    exists: image_exists,
};

/// `aws_ami_from_instance`: an image made from an instance in the
/// resource's region; available after apply, as for a copy.
pub const AMI_FROM_INSTANCE: Mapping = Mapping {
    tf_type: "aws_ami_from_instance",
    kind: "ec2.image",
    source: "ec2.images",
    global: false,
    attrs: &[
        identity("id", "id"),
        value("name", "name"),
        value("description", "description"),
        value("tags", "tags"),
    ],
    upsert: image_upsert,
    remove: image_remove,
    exists: image_exists,
};

fn image_upsert(ctx: &mut Ctx<'_, '_, '_>, snapshot: &mut Snapshot) -> Result<String, String> {
    let before = values::text(ctx.before(), "id");
    let id = ctx.text("id").ok_or("no id")?;
    let image = Image {
        id: id.clone(),
        name: ctx.text("name").filter(|s| !s.is_empty()),
        description: ctx.text("description").filter(|s| !s.is_empty()),
        state: "available".into(),
        creation_date: None,
        source_image_id: ctx.text("source_ami_id").filter(|s| !s.is_empty()),
        source_image_region: ctx.text("source_ami_region").filter(|s| !s.is_empty()),
        tags: ctx.tags(),
    };
    let find = before.unwrap_or_else(|| id.clone());
    let data = region(snapshot, &ctx.region.clone());
    upsert(
        &mut data.images,
        |i| i.id == find,
        |old| match old {
            // A copy that exists keeps the state AWS reports.
            Some(old) => Image {
                state: old.state,
                creation_date: old.creation_date,
                ..image
            },
            None => image,
        },
    );
    Ok(id)
}

fn image_remove(ctx: &mut Ctx<'_, '_, '_>, snapshot: &mut Snapshot) -> Option<String> {
    let id = values::text(ctx.before(), "id")?;
    let data = snapshot.regions.get_mut(&ctx.region)?;
    remove(&mut data.images, |i| i.id == id).then_some(id)
}

fn image_exists(ctx: &Ctx<'_, '_, '_>, snapshot: &Snapshot) -> Option<String> {
    let id = values::text(ctx.before(), "id")?;
    let data = snapshot.regions.get(&ctx.region)?;
    data.images.iter().any(|i| i.id == id).then_some(id)
}

/// `aws_cloudwatch_metric_alarm`.
pub const METRIC_ALARM: Mapping = Mapping {
    tf_type: "aws_cloudwatch_metric_alarm",
    kind: "cloudwatch.alarm",
    source: "cloudwatch.alarms",
    global: false,
    attrs: &[
        value("alarm_name", "name"),
        identity("arn", "arn (written out from region and name)"),
        value("namespace", "namespace"),
        value("metric_name", "metric_name"),
        value("dimensions", "dimensions"),
        value("statistic", "statistic"),
        value("extended_statistic", "statistic (a percentile)"),
        value("period", "period"),
        value("evaluation_periods", "evaluation_periods"),
        value("datapoints_to_alarm", "datapoints_to_alarm"),
        value("threshold", "threshold"),
        value("comparison_operator", "comparison_operator"),
        value("actions_enabled", "actions_enabled"),
        value("alarm_actions", "alarm_actions"),
        value(
            "metric_query",
            "metrics_namespaces (`metric[0].namespace` of each query)",
        ),
    ],
    upsert: |ctx, snapshot| {
        let name = ctx.text("alarm_name").ok_or("no alarm_name")?;
        let mut namespaces: Vec<String> = ctx
            .get("metric_query")
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|q| values::text(q, "metric.0.namespace"))
            .filter(|n| !n.is_empty())
            .collect();
        namespaces.sort();
        namespaces.dedup();
        let single = namespaces.is_empty();
        let dimensions = alarm_dimensions(ctx);
        let alarm = Alarm {
            arn: alarm_arn(ctx, &name),
            namespace: ctx.text("namespace").filter(|s| single && !s.is_empty()),
            metric_name: ctx.text("metric_name").filter(|s| single && !s.is_empty()),
            dimensions,
            statistic: ctx
                .text("statistic")
                .filter(|s| !s.is_empty())
                .or_else(|| ctx.text("extended_statistic").filter(|s| !s.is_empty())),
            period: ctx.int("period").filter(|p| single && *p > 0),
            evaluation_periods: ctx.int("evaluation_periods"),
            datapoints_to_alarm: ctx.int("datapoints_to_alarm").filter(|d| *d > 0),
            threshold: ctx.get("threshold").as_f64(),
            comparison_operator: ctx.text("comparison_operator").filter(|s| !s.is_empty()),
            actions_enabled: Some(ctx.boolean("actions_enabled").unwrap_or(true)),
            alarm_actions: ctx.strings("alarm_actions"),
            metrics_namespaces: namespaces,
            name,
            state: None,
            composite_rule: None,
        };
        Ok(put_alarm(ctx, snapshot, alarm))
    },
    remove: remove_alarm,
    exists: alarm_exists,
};

/// An alarm's dimensions. A map known only after apply is almost always an
/// alarm on a health check the plan creates or replaces (a new
/// `request_interval` replaces the check, so its id changes): a Route 53
/// alarm whose `dimensions` refer to exactly one `aws_route53_health_check`,
/// and held no dimension but `HealthCheckId` before, gets that check's
/// planned id (or its placeholder). Any other unknown map stays a gap.
fn alarm_dimensions(ctx: &mut Ctx<'_, '_, '_>) -> BTreeMap<String, String> {
    let strings = |value: &serde_json::Value| -> BTreeMap<String, String> {
        value
            .as_object()
            .map(|m| {
                m.iter()
                    .filter_map(|(k, v)| v.as_str().map(|v| (k.clone(), v.to_string())))
                    .collect()
            })
            .unwrap_or_default()
    };
    if values::unknown(&ctx.change.after_unknown, "dimensions") {
        let route53 = values::text(ctx.values(), "namespace").as_deref() == Some("AWS/Route53");
        let before_keys_fit = strings(
            values::at(&ctx.change.before, "dimensions").unwrap_or(&serde_json::Value::Null),
        )
        .keys()
        .all(|k| k == HEALTH_CHECK_DIMENSION);
        let checks = ctx.resolve("dimensions", "aws_route53_health_check", "id");
        if let ([serde_json::Value::String(id)], true, true) =
            (checks.as_slice(), route53, before_keys_fit)
        {
            return BTreeMap::from([(HEALTH_CHECK_DIMENSION.to_string(), id.clone())]);
        }
    }
    strings(&ctx.get("dimensions"))
}

/// The one dimension of Route 53's health-check metrics.
const HEALTH_CHECK_DIMENSION: &str = "HealthCheckId";

/// `aws_cloudwatch_composite_alarm`.
pub const COMPOSITE_ALARM: Mapping = Mapping {
    tf_type: "aws_cloudwatch_composite_alarm",
    kind: "cloudwatch.alarm",
    source: "cloudwatch.alarms",
    global: false,
    attrs: &[
        value("alarm_name", "name"),
        identity("arn", "arn (written out from region and name)"),
        value("alarm_rule", "composite_rule"),
        value("actions_enabled", "actions_enabled"),
        value("alarm_actions", "alarm_actions"),
    ],
    upsert: |ctx, snapshot| {
        let name = ctx.text("alarm_name").ok_or("no alarm_name")?;
        let alarm = Alarm {
            arn: alarm_arn(ctx, &name),
            composite_rule: ctx.text("alarm_rule").filter(|s| !s.is_empty()),
            actions_enabled: Some(ctx.boolean("actions_enabled").unwrap_or(true)),
            alarm_actions: ctx.strings("alarm_actions"),
            name,
            ..Alarm::default()
        };
        Ok(put_alarm(ctx, snapshot, alarm))
    },
    remove: remove_alarm,
    exists: alarm_exists,
};

/// An alarm's ARN follows from its region and name (EventBridge patterns
/// name alarms by it), so a new alarm's is written out, not left unknown.
fn alarm_arn(ctx: &Ctx<'_, '_, '_>, name: &str) -> String {
    values::text(&ctx.change.after, "arn")
        .filter(|a| !a.is_empty())
        .unwrap_or_else(|| {
            format!(
                "arn:aws:cloudwatch:{}:{}:alarm:{name}",
                ctx.region, ctx.account
            )
        })
}

/// Writes the alarm (replacing what `before` names); keeps the state
/// collected, which a plan cannot know.
fn put_alarm(ctx: &Ctx<'_, '_, '_>, snapshot: &mut Snapshot, alarm: Alarm) -> String {
    let find = values::text(ctx.before(), "alarm_name").unwrap_or_else(|| alarm.name.clone());
    let name = alarm.name.clone();
    let data = region(snapshot, &ctx.region.clone());
    upsert(
        &mut data.alarms,
        |a| a.name == find,
        |old| Alarm {
            state: old.and_then(|o| o.state),
            ..alarm
        },
    );
    name
}

fn remove_alarm(ctx: &mut Ctx<'_, '_, '_>, snapshot: &mut Snapshot) -> Option<String> {
    let name = values::text(ctx.before(), "alarm_name")?;
    let data = snapshot.regions.get_mut(&ctx.region)?;
    remove(&mut data.alarms, |a| a.name == name).then_some(name)
}

fn alarm_exists(ctx: &Ctx<'_, '_, '_>, snapshot: &Snapshot) -> Option<String> {
    let name = values::text(ctx.before(), "alarm_name")?;
    let data = snapshot.regions.get(&ctx.region)?;
    data.alarms.iter().any(|a| a.name == name).then_some(name)
}
