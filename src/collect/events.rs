//! EventBridge, per region: the rules of every event bus with their targets
//! (the AMI-copy automation and automatic runbook triggers live there).
//!
//! Calls: `ListEventBuses`, `ListRules` per bus and `ListTargetsByRule` per
//! rule (all pages, following `NextToken`).

use std::sync::Arc;

use aws_sdk_eventbridge::Client;
use futures_util::future::join_all;

use super::{Ctx, Part, gap};
use crate::snapshot::model::{CollectionGap, EventRule, EventTarget, Snapshot};

const SOURCE: &str = "events";

/// Collects the rules of one region, on every event bus.
pub(crate) async fn collect(ctx: Arc<Ctx>, region: String, _view: Arc<Snapshot>) -> Part {
    let client = Client::from_conf(
        aws_sdk_eventbridge::config::Builder::from(&ctx.sdk(&region))
            .interceptor(ctx.recorder.clone())
            .build(),
    );
    let mut part = Part::new();
    // The default bus is read whatever the bus listing says, so both run
    // together: an endpoint that never answers costs one operation timeout.
    let (mut bus_part, mut default_part) = (Part::new(), Part::new());
    let (buses, mut rules) = tokio::join!(
        event_buses(&ctx, &client, &region, &mut bus_part),
        bus_rules(&ctx, &client, &region, None, &mut default_part)
    );
    part.gaps.extend(bus_part.gaps);
    part.gaps.extend(default_part.gaps);
    for bus in buses {
        rules.extend(bus_rules(&ctx, &client, &region, Some(bus), &mut part).await);
    }
    // One listing per rule, concurrently under the service's cap.
    let listings = join_all(rules.iter().map(|rule| {
        rule_targets(
            &ctx,
            &client,
            &region,
            &rule.name,
            rule.event_bus.as_deref(),
        )
    }))
    .await;
    for (rule, (targets, gaps)) in rules.iter_mut().zip(listings) {
        rule.targets = targets;
        part.gaps.extend(gaps);
    }
    part.count("rules", rules.len());
    part.edit_region(&region, move |data| data.event_rules.extend(rules));
    part
}

/// The region's custom event buses (the default bus is read in any case).
/// Service events (AMI state changes, alarms) arrive on the default bus, but a
/// runbook may also be started from a custom bus. If the listing fails, the
/// gap is recorded and the default bus is still read.
async fn event_buses(ctx: &Ctx, client: &Client, region: &str, part: &mut Part) -> Vec<String> {
    let mut buses = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let _permit = ctx.permit(SOURCE).await;
        match client
            .list_event_buses()
            .set_next_token(token.clone())
            .send()
            .await
        {
            Ok(page) => {
                buses.extend(
                    page.event_buses()
                        .iter()
                        .filter_map(|b| b.name())
                        .filter(|name| *name != "default")
                        .map(str::to_string),
                );
                match page.next_token() {
                    Some(next) if token.as_deref() != Some(next) => token = Some(next.to_string()),
                    _ => break,
                }
            }
            Err(err) => {
                part.gaps.push(gap(SOURCE, region, "ListEventBuses", &err));
                break;
            }
        }
    }
    buses
}

/// The rules of one bus (`None` = the default bus), without their targets.
async fn bus_rules(
    ctx: &Ctx,
    client: &Client,
    region: &str,
    bus: Option<String>,
    part: &mut Part,
) -> Vec<EventRule> {
    let mut rules = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let _permit = ctx.permit(SOURCE).await;
        match client
            .list_rules()
            // The largest page AWS allows: fewer round trips.
            .limit(100)
            .set_event_bus_name(bus.clone())
            .set_next_token(token.clone())
            .send()
            .await
        {
            Ok(page) => {
                rules.extend(page.rules().iter().map(|r| {
                    EventRule {
                        name: r.name().unwrap_or_default().to_string(),
                        arn: r.arn().map(str::to_string),
                        state: r
                            .state()
                            .map(|s| s.as_str().to_string())
                            .unwrap_or_else(|| "ENABLED".into()),
                        event_bus: r
                            .event_bus_name()
                            .map(str::to_string)
                            .or_else(|| bus.clone()),
                        event_pattern: r.event_pattern().map(str::to_string),
                        schedule_expression: r.schedule_expression().map(str::to_string),
                        description: r.description().map(str::to_string),
                        targets: Vec::new(),
                    }
                }));
                match page.next_token() {
                    Some(next) if token.as_deref() != Some(next) => token = Some(next.to_string()),
                    _ => break,
                }
            }
            Err(err) => {
                part.gaps.push(gap(SOURCE, region, "ListRules", &err));
                break;
            }
        }
    }
    rules
}

/// The targets of one rule, with the gap if the listing failed.
async fn rule_targets(
    ctx: &Ctx,
    client: &Client,
    region: &str,
    rule: &str,
    bus: Option<&str>,
) -> (Vec<EventTarget>, Vec<CollectionGap>) {
    let mut targets = Vec::new();
    let mut gaps = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let _permit = ctx.permit(SOURCE).await;
        match client
            .list_targets_by_rule()
            .rule(rule)
            .set_event_bus_name(bus.map(str::to_string))
            .set_next_token(token.clone())
            .send()
            .await
        {
            Ok(page) => {
                targets.extend(page.targets().iter().map(|t| EventTarget {
                    id: t.id().to_string(),
                    arn: t.arn().to_string(),
                }));
                match page.next_token() {
                    Some(next) if token.as_deref() != Some(next) => token = Some(next.to_string()),
                    _ => break,
                }
            }
            Err(err) => {
                gaps.push(gap(SOURCE, region, "ListTargetsByRule", &err));
                break;
            }
        }
    }
    (targets, gaps)
}
