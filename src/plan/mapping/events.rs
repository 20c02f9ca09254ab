//! EventBridge rules and their targets (regional): what copies new AMIs to
//! the DR region.

use serde_json::Value;

use super::{Ctx, Mapping, identity, link, not_placed, region, remove, upsert, value};
use crate::snapshot::Snapshot;
use crate::snapshot::model::{EventRule, EventTarget};

/// `aws_cloudwatch_event_rule`.
pub const EVENT_RULE: Mapping = Mapping {
    tf_type: "aws_cloudwatch_event_rule",
    kind: "events.rule",
    source: "events",
    global: false,
    attrs: &[
        value("name", "name"),
        identity("arn", "arn"),
        value("state", "state (provider 6)"),
        value("is_enabled", "state (provider ≤ 5)"),
        value("event_bus_name", "event_bus"),
        value("event_pattern", "event_pattern"),
        value("schedule_expression", "schedule_expression"),
        value("description", "description"),
    ],
    upsert: rule_upsert,
    remove: |ctx, snapshot| {
        let name = super::values::text(ctx.before(), "name")?;
        let data = snapshot.regions.get_mut(&ctx.region)?;
        remove(&mut data.event_rules, |r| r.name == name).then_some(name)
    },
    exists: |ctx, snapshot| {
        let name = super::values::text(ctx.before(), "name")?;
        let data = snapshot.regions.get(&ctx.region)?;
        data.event_rules
            .iter()
            .any(|r| r.name == name)
            .then_some(name)
    },
};

fn rule_upsert(ctx: &mut Ctx<'_, '_, '_>, snapshot: &mut Snapshot) -> Result<String, String> {
    let before = super::values::text(ctx.before(), "name");
    let name = ctx.text("name").ok_or("no name (known after apply)")?;
    let state = match (ctx.text("state"), ctx.boolean("is_enabled")) {
        (Some(state), _) if !state.is_empty() => state.to_ascii_uppercase(),
        (_, Some(false)) => "DISABLED".into(),
        _ => "ENABLED".into(),
    };
    let rule = EventRule {
        name: name.clone(),
        arn: ctx.text("arn").filter(|s| !s.is_empty()),
        state,
        event_bus: ctx.text("event_bus_name").filter(|s| !s.is_empty()),
        event_pattern: ctx.text("event_pattern").filter(|s| !s.is_empty()),
        schedule_expression: ctx.text("schedule_expression").filter(|s| !s.is_empty()),
        description: ctx.text("description").filter(|s| !s.is_empty()),
        targets: Vec::new(),
    };
    let find = before.unwrap_or_else(|| name.clone());
    let data = region(snapshot, &ctx.region.clone());
    upsert(
        &mut data.event_rules,
        |r| r.name == find,
        |old| EventRule {
            // Targets are resources of their own.
            targets: old.map(|o| o.targets).unwrap_or_default(),
            ..rule
        },
    );
    Ok(name)
}

/// `aws_cloudwatch_event_target`.
pub const EVENT_TARGET: Mapping = Mapping {
    tf_type: "aws_cloudwatch_event_target",
    kind: "events.rule",
    source: "events",
    global: false,
    attrs: &[
        link(
            "rule",
            "the rule's targets",
            "aws_cloudwatch_event_rule",
            "name",
        ),
        identity("target_id", "targets[].id"),
        link("arn", "targets[].arn", "aws_lambda_function", "arn"),
    ],
    upsert: target_upsert,
    remove: |ctx, snapshot| {
        let (rule, id) = target_key(ctx.before())?;
        let data = snapshot.regions.get_mut(&ctx.region)?;
        let found = data.event_rules.iter_mut().find(|r| r.name == rule)?;
        remove(&mut found.targets, |t| t.id == id).then_some(rule)
    },
    exists: |ctx, snapshot| {
        let (rule, id) = target_key(ctx.before())?;
        let data = snapshot.regions.get(&ctx.region)?;
        data.event_rules
            .iter()
            .any(|r| r.name == rule && r.targets.iter().any(|t| t.id == id))
            .then_some(rule)
    },
};

fn target_key(values: &Value) -> Option<(String, String)> {
    Some((
        super::values::text(values, "rule")?,
        super::values::text(values, "target_id")?,
    ))
}

fn target_upsert(ctx: &mut Ctx<'_, '_, '_>, snapshot: &mut Snapshot) -> Result<String, String> {
    let old = target_key(ctx.before());
    if let Some((found, id)) = old.and_then(|(rule, id)| {
        let data = snapshot.regions.get_mut(&ctx.region)?;
        Some((data.event_rules.iter_mut().find(|r| r.name == rule)?, id))
    }) {
        found.targets.retain(|t| t.id != id);
    }
    let rule = ctx
        .text("rule")
        .ok_or("its rule is known only after apply")?;
    // A target id Terraform generates is unknown on create: any id will do.
    let id = ctx
        .text("target_id")
        .unwrap_or_else(|| super::unknown::placeholder(&ctx.change.address));
    // The target's ARN (a function created in the same plan) only has to exist.
    let arn = ctx
        .text("arn")
        .unwrap_or_else(|| super::unknown::placeholder(&ctx.change.address));
    let data = region(snapshot, &ctx.region.clone());
    let found = data
        .event_rules
        .iter_mut()
        .find(|r| r.name == rule)
        .ok_or_else(|| not_placed("rule", &rule))?;
    upsert(
        &mut found.targets,
        |t| t.id == id,
        |_| EventTarget {
            id: id.clone(),
            arn,
        },
    );
    Ok(rule)
}
