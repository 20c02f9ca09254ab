//! Which target groups a load balancer forwards to: its listeners' default
//! actions and its listener rules (`aws_lb_listener_rule`). The snapshot
//! keeps the answer on each target group (`load_balancer_arns`, as
//! DescribeTargetGroups reports it), so a plan that makes a listener or a
//! rule forward elsewhere, or deletes it, moves target groups onto or off
//! their load balancer. Taking one off needs proof that nothing of the load
//! balancer forwards there any more: every listener of it is managed by the
//! plan, and none of them, nor any rule of the plan on them, forwards to the
//! group. Otherwise the snapshot's association stays.

use serde_json::Value;

use super::{Ctx, Mapping, canonical, link, not_placed, value};
use crate::plan::parse::ResourceChange;
use crate::plan::unknown;
use crate::plan::values;
use crate::snapshot::Snapshot;
use crate::snapshot::model::LoadBalancer;

/// `aws_lb_listener_rule` (and `aws_alb_listener_rule`): a `forward` action
/// puts its target groups behind the load balancer of the rule's listener.
/// Conditions are not modelled.
pub const LISTENER_RULE: Mapping = Mapping {
    tf_type: "aws_lb_listener_rule",
    kind: "elbv2.load_balancer",
    source: "elbv2.target_groups",
    global: false,
    attrs: &[
        link(
            "listener_arn",
            "the load balancer of its listener",
            "aws_lb_listener",
            "arn",
        ),
        value(
            "action",
            "target groups' load_balancer_arns (`forward`, plain or weighted)",
        ),
    ],
    upsert: rule_upsert,
    remove: |ctx, snapshot| {
        let listener = values::text(ctx.before(), "listener_arn")?;
        let (lb_arn, lb_name) = lb_of_listener(snapshot, &ctx.region, &listener)?;
        for group in forwarded(ctx.before(), "action") {
            reroute(ctx, snapshot, &group, &lb_arn);
        }
        Some(lb_name)
    },
    exists: |ctx, snapshot| {
        let listener = values::text(ctx.before(), "listener_arn")?;
        lb_of_listener(snapshot, &ctx.region, &listener).map(|(_, name)| name)
    },
};

fn rule_upsert(ctx: &mut Ctx<'_, '_, '_>, snapshot: &mut Snapshot) -> Result<String, String> {
    let listener = ctx
        .text("listener_arn")
        .ok_or("its listener is known only after apply")?;
    let (lb_arn, lb_name) = lb_of_listener(snapshot, &ctx.region, &listener)
        .ok_or_else(|| not_placed("listener", &listener))?;
    let now = forwarded(ctx.values(), "action");
    attach(ctx, snapshot, &now, &lb_arn);
    let before = ctx.before().clone();
    if let Some((old_lb, _)) = values::text(&before, "listener_arn")
        .and_then(|old| lb_of_listener(snapshot, &ctx.region, &old))
    {
        for group in forwarded(&before, "action") {
            if old_lb != lb_arn || !now.contains(&group) {
                reroute(ctx, snapshot, &group, &old_lb);
            }
        }
    }
    Ok(lb_name)
}

/// A listener changed: the target groups its default action forwards to
/// are behind its load balancer (`lb_arn`); those it forwarded to before
/// (on `before_lb`) may no longer be.
pub(super) fn listener_moved(
    ctx: &Ctx<'_, '_, '_>,
    snapshot: &mut Snapshot,
    lb_arn: Option<&str>,
    before_lb: Option<&str>,
) {
    let now = if lb_arn.is_some() {
        forwarded(ctx.values(), "default_action")
    } else {
        Vec::new()
    };
    if let Some(lb_arn) = lb_arn {
        attach(ctx, snapshot, &now, lb_arn);
    }
    if let Some(before_lb) = before_lb {
        for group in forwarded(ctx.before(), "default_action") {
            if lb_arn != Some(before_lb) || !now.contains(&group) {
                reroute(ctx, snapshot, &group, before_lb);
            }
        }
    }
}

/// The load balancer (ARN, name) that holds listener `listener`.
fn lb_of_listener(snapshot: &Snapshot, region: &str, listener: &str) -> Option<(String, String)> {
    snapshot
        .regions
        .get(region)?
        .load_balancers
        .iter()
        .find(|lb| lb.listeners.iter().any(|l| l.arn == listener))
        .map(|lb| (lb.arn.clone(), lb.name.clone()))
}

/// The target groups (known ARNs) the actions in `block` forward to.
fn forwarded(values: &Value, block: &str) -> Vec<String> {
    let mut out = Vec::new();
    for path in forward_paths(values, block) {
        if let Some(arn) = values::text(values, &path).filter(|a| !a.is_empty())
            && !out.contains(&arn)
        {
            out.push(arn);
        }
    }
    out
}

/// The target groups the actions in `block` of a planned resource forward
/// to: known ARNs, and for ARNs known only after apply the target group the
/// configuration refers to (its ARN, or its placeholder when it is created).
fn targets(ctx: &Ctx<'_, '_, '_>, resource: &ResourceChange, block: &str) -> Vec<String> {
    let mut out = forwarded(&resource.after, block);
    for path in forward_paths(&resource.after, block) {
        if values::unknown(&resource.after_unknown, &path) {
            let found = ctx.resolve_at(&resource.address, &path, "aws_lb_target_group", "arn");
            out.extend(
                found
                    .into_iter()
                    .filter_map(|v| v.as_str().map(str::to_string)),
            );
        }
    }
    out
}

/// The paths of every target group ARN in the actions of `block`: the
/// plain `target_group_arn` and each weighted `forward` target group.
fn forward_paths(values: &Value, block: &str) -> Vec<String> {
    let length = |path: &str| {
        values::at(values, path)
            .and_then(Value::as_array)
            .map_or(0, Vec::len)
    };
    let mut out = Vec::new();
    for i in 0..length(block) {
        out.push(format!("{block}.{i}.target_group_arn"));
        let weighted = length(&format!("{block}.{i}.forward.0.target_group"));
        out.extend((0..weighted).map(|j| format!("{block}.{i}.forward.0.target_group.{j}.arn")));
    }
    out
}

/// Puts the existing target groups `groups` behind `lb_arn`.
fn attach(ctx: &Ctx<'_, '_, '_>, snapshot: &mut Snapshot, groups: &[String], lb_arn: &str) {
    let Some(data) = snapshot.regions.get_mut(&ctx.region) else {
        return;
    };
    for group in data
        .target_groups
        .iter_mut()
        .filter(|g| groups.contains(&g.arn))
    {
        if !group.load_balancer_arns.iter().any(|a| a == lb_arn) {
            group.load_balancer_arns.push(lb_arn.to_string());
        }
    }
}

/// Takes `lb_arn` off the target group `group` when the plan proves that
/// nothing of that load balancer forwards there any more (see the module
/// documentation); otherwise leaves the association as it is.
pub(super) fn reroute(ctx: &Ctx<'_, '_, '_>, snapshot: &mut Snapshot, group: &str, lb_arn: &str) {
    let Some(data) = snapshot.regions.get_mut(&ctx.region) else {
        return;
    };
    let Some(lb) = data.load_balancers.iter().find(|lb| lb.arn == lb_arn) else {
        return;
    };
    let present: Vec<&str> = lb.listeners.iter().map(|l| l.arn.as_str()).collect();
    let kept = || {
        ctx.plan
            .changes
            .iter()
            .chain(ctx.plan.prior.iter())
            .filter(|r| !r.action.removes())
    };
    let identity = |r: &ResourceChange| {
        values::text(&r.after, "arn")
            .filter(|a| !a.is_empty())
            .unwrap_or_else(|| unknown::placeholder(&r.address))
    };
    let listeners: Vec<&ResourceChange> = kept()
        .filter(|r| canonical(&r.resource_type) == "aws_lb_listener")
        .filter(|r| {
            values::text(&r.after, "load_balancer_arn").as_deref() == Some(lb_arn)
                || present.contains(&identity(r).as_str())
        })
        .collect();
    let managed: Vec<String> = listeners.iter().map(|r| identity(r)).collect();
    let on_this_lb = |rule: &ResourceChange| {
        values::text(&rule.after, "listener_arn")
            .is_some_and(|a| present.contains(&a.as_str()) || managed.contains(&a))
            || unknown::referenced(ctx.plan, &rule.address, "listener_arn")
                .iter()
                .any(|target| {
                    listeners
                        .iter()
                        .any(|l| l.address == *target || l.address == format!("{target}[0]"))
                })
    };
    let still = listeners
        .iter()
        .any(|l| targets(ctx, l, "default_action").iter().any(|g| g == group))
        || kept()
            .filter(|r| canonical(&r.resource_type) == "aws_lb_listener_rule")
            .filter(|r| on_this_lb(r))
            .any(|r| targets(ctx, r, "action").iter().any(|g| g == group));
    // A listener the plan does not manage may forward there (or hold a rule
    // that does): the association stays.
    let all_managed = present.iter().all(|a| managed.iter().any(|m| m == a));
    if still || !all_managed {
        return;
    }
    if let Some(found) = data.target_groups.iter_mut().find(|g| g.arn == group) {
        found.load_balancer_arns.retain(|a| a != lb_arn);
    }
}

/// The load balancers (ARNs, or placeholders for ones created by the plan)
/// of the plan's listeners that forward to the target group `arn` (or to the
/// resource being applied, by reference): by their default action, or by
/// one of their rules (`aws_lb_listener_rule`). A rule's listener is looked
/// up in the plan, else among the snapshot's load balancers (`known`).
pub(super) fn forwarding_load_balancers(
    ctx: &Ctx<'_, '_, '_>,
    arn: &str,
    known: &[LoadBalancer],
) -> Vec<String> {
    let mut out = Vec::new();
    let resources = || ctx.plan.changes.iter().chain(ctx.plan.prior.iter());
    for resource in resources() {
        if resource.action.removes() {
            continue;
        }
        match canonical(&resource.resource_type) {
            "aws_lb_listener" if forwards_to(ctx, resource, "default_action", arn) => {
                out.extend(listener_load_balancer(ctx, resource));
            }
            "aws_lb_listener_rule" if forwards_to(ctx, resource, "action", arn) => {
                let listener_arn =
                    values::text(&resource.after, "listener_arn").filter(|a| !a.is_empty());
                let by_reference = unknown::referenced(ctx.plan, &resource.address, "listener_arn");
                let listener = resources().find(|l| {
                    canonical(&l.resource_type) == "aws_lb_listener"
                        && !l.action.removes()
                        && (listener_arn.is_some() && values::text(&l.after, "arn") == listener_arn
                            || by_reference
                                .iter()
                                .any(|r| *r == l.address || format!("{r}[0]") == l.address))
                });
                match (listener, &listener_arn) {
                    (Some(listener), _) => out.extend(listener_load_balancer(ctx, listener)),
                    (None, Some(listener_arn)) => out.extend(
                        known
                            .iter()
                            .filter(|lb| lb.listeners.iter().any(|l| &l.arn == listener_arn))
                            .map(|lb| lb.arn.clone()),
                    ),
                    (None, None) => {}
                }
            }
            _ => {}
        }
    }
    out.dedup();
    out
}

/// True when one of the actions in `block` of a listener or listener rule
/// forwards to the target group `arn`, or refers to the resource applied.
fn forwards_to(ctx: &Ctx<'_, '_, '_>, resource: &ResourceChange, block: &str, arn: &str) -> bool {
    let me = ctx.change.address.as_str();
    forward_paths(&resource.after, block).iter().any(|path| {
        values::text(&resource.after, path).is_some_and(|a| !a.is_empty() && a == arn)
            || unknown::referenced(ctx.plan, &resource.address, path)
                .iter()
                .any(|target| target == me || format!("{target}[0]") == me)
    })
}

/// The load balancer of a planned listener: its ARN, or the placeholder of
/// the `aws_lb` it refers to.
fn listener_load_balancer(ctx: &Ctx<'_, '_, '_>, listener: &ResourceChange) -> Vec<String> {
    match values::text(&listener.after, "load_balancer_arn").filter(|a| !a.is_empty()) {
        Some(lb) => vec![lb],
        None => ctx
            .resolve_at(&listener.address, "load_balancer_arn", "aws_lb", "arn")
            .into_iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
    }
}
