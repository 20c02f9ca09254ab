//! The attachments that put an Auto Scaling group behind a target group,
//! managed apart from the group: `aws_autoscaling_attachment` and its newer
//! form, `aws_autoscaling_traffic_source_attachment`.

use serde_json::Value;

use super::{Attr, Ctx, Mapping, link, not_placed, region, remove};
use crate::plan::values;
use crate::snapshot::Snapshot;

/// The group an attachment names, by name.
const GROUP: Attr = link(
    "autoscaling_group_name",
    "the group",
    "aws_autoscaling_group",
    "name",
);

/// `aws_autoscaling_attachment`: a group behind a target group, managed
/// apart from the group (which then ignores changes to `target_group_arns`).
pub const GROUP_ATTACHMENT: Mapping = Mapping {
    tf_type: "aws_autoscaling_attachment",
    kind: "autoscaling.group",
    source: "autoscaling",
    global: false,
    attrs: &[
        GROUP,
        link(
            "lb_target_group_arn",
            "target_group_arns[]",
            "aws_lb_target_group",
            "arn",
        ),
    ],
    upsert: |ctx, snapshot| attach(ctx, snapshot, attachment_key, "lb_target_group_arn"),
    remove: |ctx, snapshot| detach_named(ctx, snapshot, attachment_key),
    exists: |ctx, snapshot| attached(ctx, snapshot, attachment_key),
};

/// `aws_autoscaling_traffic_source_attachment`: the newer form of the
/// attachment; a traffic source of type `elbv2` is a target group (other
/// types, VPC Lattice, are not load balancers the rules read).
pub const TRAFFIC_SOURCE_ATTACHMENT: Mapping = Mapping {
    tf_type: "aws_autoscaling_traffic_source_attachment",
    kind: "autoscaling.group",
    source: "autoscaling",
    global: false,
    attrs: &[
        GROUP,
        link(
            "traffic_source.0.identifier",
            "target_group_arns[] (type `elbv2`)",
            "aws_lb_target_group",
            "arn",
        ),
    ],
    upsert: |ctx, snapshot| {
        if values::text(ctx.values(), "traffic_source.0.type").as_deref() != Some("elbv2") {
            if let Some((group, arn)) = traffic_source_key(ctx.before()) {
                detach(ctx, snapshot, &group, &arn);
            }
            return ctx
                .text("autoscaling_group_name")
                .ok_or_else(|| "its group is known only after apply".to_string());
        }
        attach(
            ctx,
            snapshot,
            traffic_source_key,
            "traffic_source.0.identifier",
        )
    },
    remove: |ctx, snapshot| detach_named(ctx, snapshot, traffic_source_key),
    exists: |ctx, snapshot| attached(ctx, snapshot, traffic_source_key),
};

/// What an attachment's values name: (group, target group ARN).
type AttachmentKey = fn(&Value) -> Option<(String, String)>;

/// Puts the group behind the target group the attachment names (at
/// `target_group`), after detaching what it named before.
fn attach(
    ctx: &mut Ctx<'_, '_, '_>,
    snapshot: &mut Snapshot,
    key: AttachmentKey,
    target_group: &str,
) -> Result<String, String> {
    if let Some((group, arn)) = key(ctx.before()) {
        detach(ctx, snapshot, &group, &arn);
    }
    let group = ctx
        .text("autoscaling_group_name")
        .ok_or("its group is known only after apply")?;
    let arn = ctx
        .text(target_group)
        .ok_or("its target group is known only after apply")?;
    let data = region(snapshot, &ctx.region.clone());
    let found = data
        .auto_scaling_groups
        .iter_mut()
        .find(|g| g.name == group)
        .ok_or_else(|| not_placed("group", &group))?;
    if !found.target_group_arns.contains(&arn) {
        found.target_group_arns.push(arn);
    }
    // The group's cache slot keys by name, which did not change.
    Ok(group)
}

/// Detaches what an attachment's `before` values name.
fn detach_named(
    ctx: &Ctx<'_, '_, '_>,
    snapshot: &mut Snapshot,
    key: AttachmentKey,
) -> Option<String> {
    let (group, arn) = key(ctx.before())?;
    detach(ctx, snapshot, &group, &arn)
}

/// The group an attachment's `before` values name, when the snapshot shows
/// it behind that target group.
fn attached(ctx: &Ctx<'_, '_, '_>, snapshot: &Snapshot, key: AttachmentKey) -> Option<String> {
    let (group, arn) = key(ctx.before())?;
    snapshot
        .regions
        .get(&ctx.region)?
        .auto_scaling_groups
        .iter()
        .any(|g| g.name == group && g.target_group_arns.contains(&arn))
        .then_some(group)
}

fn traffic_source_key(values: &Value) -> Option<(String, String)> {
    (values::text(values, "traffic_source.0.type")? == "elbv2").then_some(())?;
    Some((
        values::text(values, "autoscaling_group_name")?,
        values::text(values, "traffic_source.0.identifier")?,
    ))
}

fn attachment_key(values: &Value) -> Option<(String, String)> {
    Some((
        values::text(values, "autoscaling_group_name")?,
        values::text(values, "lb_target_group_arn")?,
    ))
}

fn detach(
    ctx: &Ctx<'_, '_, '_>,
    snapshot: &mut Snapshot,
    group: &str,
    arn: &str,
) -> Option<String> {
    let data = snapshot.regions.get_mut(&ctx.region)?;
    let found = data
        .auto_scaling_groups
        .iter_mut()
        .find(|g| g.name == group)?;
    remove(&mut found.target_group_arns, |a| a == arn).then(|| group.to_string())
}
