//! Applying a plan to a snapshot: creates and updates write the planned
//! values, deletes and forgets remove the resource, no-ops keep the
//! snapshot's resource. With no snapshot, the plan's own prior state (the
//! `before` values and `prior_state`) is the base, and every data source the
//! plan does not manage is skipped: "not managed in this plan".

use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};

use serde_json::Value;

use super::mapping::{self, AttrKind, Cache, Ctx, Mapping};
use super::parse::{Plan, ResourceChange, is_aws};
use super::regions::{Placement, region_of};
use super::values;
use super::{Action, AttributeChange, PlanSummary, PlannedResource};
use crate::config::Config;
use crate::snapshot::Snapshot;
use crate::snapshot::model::{CollectionGap, SkippedSource};

/// A plan applied to its base.
#[derive(Debug, Clone)]
pub struct Overlaid {
    /// The base: the current snapshot, or the plan's prior state.
    pub before: Snapshot,
    /// The base with the plan applied: what the engine audits.
    pub after: Snapshot,
    /// What was read from the plan, for the report.
    pub summary: PlanSummary,
}

/// The reason rules read for data the plan does not manage.
pub const NOT_MANAGED: &str = "not managed in this plan";

/// Applies `plan` to `base` (None: the plan's own prior state).
pub fn overlay(plan: &Plan, base: Option<Snapshot>, config: &Config) -> Overlaid {
    let alone = base.is_none();
    let mut summary = PlanSummary {
        file: plan.file.name.clone(),
        format_version: plan.format_version.clone(),
        terraform_version: plan.terraform_version.clone(),
        alone,
        ..PlanSummary::default()
    };
    let mut changes: Vec<&ResourceChange> = plan
        .changes
        .iter()
        .filter(|c| c.mode == "managed" && is_aws(&c.provider_name, &c.resource_type))
        .collect();
    // Creates and updates containers first, then removals contents first (a
    // deleted rule's target is removed before the rule).
    changes.sort_by_key(|c| {
        let rank = mapping::rank(&c.resource_type);
        if c.action.removes() {
            (1, usize::MAX - rank)
        } else {
            (0, rank)
        }
    });
    let by_address = planned_by_address(plan);
    let others = |address: &str| lookup(&by_address, address);
    let before = match base {
        Some(snapshot) => snapshot,
        None => {
            let mut snapshot = empty_snapshot(plan);
            let mut prior: Vec<ResourceChange> = changes
                .iter()
                .filter(|c| c.action != Action::Create && !c.before.is_null())
                .map(|c| ResourceChange {
                    action: Action::NoOp,
                    after: c.before.clone(),
                    after_unknown: Value::Null,
                    ..(*c).clone()
                })
                .chain(
                    plan.prior
                        .iter()
                        .filter(|c| is_aws(&c.provider_name, &c.resource_type))
                        .cloned(),
                )
                .collect();
            prior.sort_by_key(|c| mapping::rank(&c.resource_type));
            // The prior state is read as a plan of its own, so that what a
            // mapping looks up in other resources (which target groups a
            // listener forwards to) is their state before the change too.
            let prior_plan = plan.with_changes(prior);
            let prior_by_address = planned_by_address(&prior_plan);
            let prior_others = |address: &str| lookup(&prior_by_address, address);
            let mut scratch = PlanSummary::default();
            let prior_cache = RefCell::new(Cache::default());
            for change in &prior_plan.changes {
                let pass = Pass {
                    plan: &prior_plan,
                    config,
                    alone: true,
                    others: &prior_others,
                    cache: &prior_cache,
                };
                apply(&pass, change, &mut snapshot, &mut scratch);
            }
            // Gaps found while reading the prior state stay: they are real.
            snapshot.skipped = not_managed(plan);
            // The app's regions exist, even when nothing could be placed there.
            for region in [&config.app.primary_region, &config.app.dr_region] {
                snapshot.regions.entry(region.clone()).or_default();
            }
            snapshot
        }
    };
    let mut after = before.clone();
    let cache = RefCell::new(Cache::default());
    let pass = Pass {
        plan,
        config,
        alone,
        others: &others,
        cache: &cache,
    };
    for change in changes {
        apply(&pass, change, &mut after, &mut summary);
    }
    held_images(&before, &mut after, &config.app.primary_region);
    for change in &plan.changes {
        if change.mode == "managed"
            && change.action != Action::Read
            && is_aws(&change.provider_name, &change.resource_type)
            && mapping::mapping_of(&change.resource_type).is_none()
        {
            *summary
                .not_modelled
                .entry(change.resource_type.clone())
                .or_default() += 1;
        }
    }
    // A gap found while reading the prior state is found again on apply: once is enough.
    let mut seen = BTreeSet::new();
    after.gaps.retain(|g| {
        seen.insert((
            g.service.clone(),
            g.resource.clone(),
            g.region.clone(),
            g.error_code.clone(),
            g.message.clone(),
        ))
    });
    crate::snapshot::spec::normalise_order(&mut after);
    Overlaid {
        before,
        after,
        summary,
    }
}

/// Images a planned launch template of the primary region starts to launch
/// that the snapshot does not hold (a new golden AMI baked after it was
/// taken) are added as images of unknown state, so DRG-AMI-001 asks for
/// their DR copy instead of reading them as not owned by the account
/// (`not_applicable`).
fn held_images(before: &Snapshot, after: &mut Snapshot, primary: &str) {
    let launched = |snapshot: &Snapshot| -> BTreeSet<String> {
        snapshot
            .regions
            .get(primary)
            .into_iter()
            .flat_map(|data| &data.launch_templates)
            .flat_map(|template| &template.versions)
            .filter_map(|version| version.image_id.clone())
            .collect()
    };
    let old = launched(before);
    let new = launched(after);
    let Some(data) = after.regions.get_mut(primary) else {
        return;
    };
    let introduced = new
        .into_iter()
        .filter(|id| id.starts_with("ami-") && !old.contains(id))
        .filter(|id| !data.images.iter().any(|image| &image.id == id));
    for id in introduced.collect::<Vec<_>>() {
        data.images.push(crate::snapshot::model::Image {
            id,
            name: None,
            description: Some(UNHELD_IMAGE.into()),
            state: "unknown".into(),
            creation_date: None,
            source_image_id: None,
            source_image_region: None,
            tags: Default::default(),
        });
    }
}

/// The description of an image only the plan names, which DRG-AMI-001's
/// message repeats.
pub const UNHELD_IMAGE: &str = "not in the snapshot: a launch template of the plan names it";

/// Every resource of a plan (changes, then the rest of its prior state) by address.
fn planned_by_address(plan: &Plan) -> HashMap<&str, &ResourceChange> {
    plan.changes
        .iter()
        .chain(plan.prior.iter())
        .map(|c| (c.address.as_str(), c))
        .collect()
}

/// What a mapping sees of another planned resource: its type, after
/// values and unknown marks.
fn lookup<'p>(
    by_address: &HashMap<&str, &'p ResourceChange>,
    address: &str,
) -> Option<(&'p str, &'p Value, &'p Value)> {
    by_address
        .get(address)
        .map(|c| (c.resource_type.as_str(), &c.after, &c.after_unknown))
}

/// A snapshot with nothing in it, for the plan's prior state.
fn empty_snapshot(plan: &Plan) -> Snapshot {
    Snapshot {
        schema_version: crate::snapshot::SCHEMA_VERSION.into(),
        captured_at: plan
            .timestamp
            .clone()
            .filter(|t| chrono::DateTime::parse_from_rfc3339(t).is_ok())
            .unwrap_or_else(|| "1970-01-01T00:00:00Z".into()),
        account_id: account_of(&plan.file.text).unwrap_or_else(|| "000000000000".into()),
        tool: Some(format!(
            "drguard {} (terraform plan)",
            env!("CARGO_PKG_VERSION")
        )),
        regions: Default::default(),
        global: Default::default(),
        gaps: Vec::new(),
        skipped: Vec::new(),
        sources: Some(
            crate::snapshot::spec::leaf_sources()
                .into_iter()
                .map(str::to_string)
                .collect(),
        ),
        collection: None,
    }
}

/// The account of the first ARN in the plan that names one.
fn account_of(text: &str) -> Option<String> {
    text.match_indices("arn:aws:").find_map(|(at, _)| {
        let account = text.get(at..)?.split(':').nth(4)?;
        (account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit()))
            .then(|| account.to_string())
    })
}

/// The data sources no mapped resource of the plan feeds.
fn not_managed(plan: &Plan) -> Vec<SkippedSource> {
    let mut managed: BTreeSet<&str> = BTreeSet::new();
    for change in plan.changes.iter().chain(plan.prior.iter()) {
        if let Some(m) = mapping::mapping_of(&change.resource_type) {
            managed.insert(m.source);
            if m.tf_type == "aws_s3_bucket" {
                managed.extend(["s3.versioning", "s3.replication", "s3.encryption"]);
            }
        }
    }
    crate::snapshot::spec::leaf_sources()
        .into_iter()
        .filter(|source| !managed.contains(source))
        .map(|source| SkippedSource {
            source: source.to_string(),
            reason: NOT_MANAGED.into(),
        })
        .collect()
}

fn gap(mapping: &Mapping, region: &str, code: &str, message: String) -> CollectionGap {
    let (service, resource) = match mapping.source.split_once('.') {
        Some((service, part)) => (service.to_string(), Some(part.to_string())),
        None => (mapping.source.to_string(), None),
    };
    CollectionGap {
        service,
        resource,
        region: region.to_string(),
        operation: "terraform plan".into(),
        error_code: code.into(),
        message,
    }
}

type Others<'a> = mapping::Lookup<'a>;

/// What every change of one pass over the plan shares.
struct Pass<'a, 'o, 'c> {
    plan: &'a Plan,
    config: &'a Config,
    /// True when the base is the plan's own prior state.
    alone: bool,
    others: &'o Others<'o>,
    cache: &'c RefCell<Cache>,
}

fn apply<'a>(
    pass: &Pass<'a, '_, '_>,
    change: &'a ResourceChange,
    snapshot: &mut Snapshot,
    summary: &mut PlanSummary,
) {
    let Pass {
        plan,
        config,
        alone,
        others,
        cache,
    } = *pass;
    let Some(mapping) = mapping::mapping_of(&change.resource_type) else {
        return;
    };
    if change.action == Action::Read {
        return;
    }
    let mut ctx = Ctx {
        plan,
        change,
        mapping,
        region: "global".into(),
        account: snapshot.account_id.clone(),
        unknown: Vec::new(),
        others,
        cache,
    };
    if !mapping.global {
        match region_of(plan, config, change) {
            Placement::Region(region, _) => ctx.region = region,
            Placement::Unknown(why) => {
                // A resource the snapshot already holds is where it is (a
                // bucket's region is written on the bucket).
                let bucket = values::text(&change.before, "bucket")
                    .or_else(|| values::text(&change.after, "bucket"));
                let bucket_region = bucket.and_then(|name| bucket_region(cache, snapshot, &name));
                let found: Vec<String> = snapshot
                    .regions
                    .keys()
                    .filter(|r| {
                        let probe = Ctx {
                            region: (*r).clone(),
                            unknown: Vec::new(),
                            ..ctx_clone(&ctx)
                        };
                        change.action != Action::Create
                            && (mapping.exists)(&probe, snapshot).is_some()
                    })
                    .cloned()
                    .collect();
                match (found.as_slice(), bucket_region) {
                    (_, Some(region))
                        if mapping.source.starts_with("s3.") && change.action != Action::Create =>
                    {
                        ctx.region = region
                    }
                    ([region], _) => ctx.region = region.clone(),
                    _ => {
                        summary.unplaced.push(why.clone());
                        snapshot
                            .gaps
                            .push(gap(mapping, "unknown", "RegionUnknown", why));
                        return;
                    }
                }
            }
        }
    }
    let existing = (mapping.exists)(&ctx, snapshot);
    if !alone && existing.is_none() && !matches!(change.action, Action::Create) {
        summary.stale.push(format!(
            "`{}` ({}) is not in the snapshot: the plan's values are used",
            change.address, change.action
        ));
    }
    let outcome = match change.action {
        Action::Delete | Action::Forget => {
            (mapping.remove)(&mut ctx, snapshot).ok_or_else(String::new)
        }
        // A no-op keeps what the snapshot shows; the plan fills in what it lacks.
        Action::NoOp if !alone && existing.is_some() => Ok(existing.clone().unwrap_or_default()),
        _ => (mapping.upsert)(&mut ctx, snapshot),
    };
    let resource_id = match outcome {
        Ok(id) => id,
        Err(why) if why.is_empty() => existing.clone().unwrap_or_default(),
        // A no-op changes nothing the base shows: when the snapshot lacks
        // what the resource belongs to too (another account, or a stale
        // snapshot), it is listed, not made a gap.
        Err(why) if change.action == Action::NoOp && !alone => {
            // It replaces the "plan's values are used" line written above.
            summary.stale.pop();
            summary.stale.push(format!(
                "`{}` (no-op) is not in the snapshot and cannot be placed: {why}",
                change.address
            ));
            return;
        }
        Err(why) => {
            let code = if why.contains("after apply") {
                "KnownAfterApply"
            } else {
                "Unreadable"
            };
            let message = format!("`{}`: {why}", change.address);
            summary.unknown.push(message.clone());
            snapshot.gaps.push(gap(mapping, &ctx.region, code, message));
            existing.clone().unwrap_or_else(|| change.address.clone())
        }
    };
    if let Some(first) = ctx.unknown.first() {
        let more = match ctx.unknown.len() {
            1 => String::new(),
            n => format!(" (and {} more)", n - 1),
        };
        snapshot.gaps.push(gap(
            mapping,
            &ctx.region,
            "KnownAfterApply",
            format!("`{first}` is known after apply{more}"),
        ));
        summary.unknown.extend(ctx.unknown.iter().cloned());
    }
    let region = if mapping.source.starts_with("s3.") {
        bucket_region(cache, snapshot, &resource_id).unwrap_or_else(|| ctx.region.clone())
    } else {
        ctx.region.clone()
    };
    summary.resources.push(PlannedResource {
        address: change.address.clone(),
        action: change.action,
        resource_type: change.resource_type.clone(),
        source: mapping.source,
        kind: mapping.kind,
        region,
        resource_id,
        changes: attribute_changes(mapping, change),
    });
}

fn bucket_region(cache: &RefCell<Cache>, snapshot: &Snapshot, name: &str) -> Option<String> {
    let buckets = &snapshot.global.buckets;
    let at = cache
        .borrow_mut()
        .find(mapping::BUCKETS, buckets, |b| b.name.clone(), name)?;
    buckets.get(at).map(|b| b.region.clone())
}

fn ctx_clone<'a, 'o, 'c>(ctx: &Ctx<'a, 'o, 'c>) -> Ctx<'a, 'o, 'c> {
    Ctx {
        plan: ctx.plan,
        change: ctx.change,
        mapping: ctx.mapping,
        region: ctx.region.clone(),
        account: ctx.account.clone(),
        unknown: Vec::new(),
        others: ctx.others,
        cache: ctx.cache,
    }
}

/// The changes of the attributes drguard reads, for the report.
fn attribute_changes(mapping: &Mapping, change: &ResourceChange) -> Vec<AttributeChange> {
    if !matches!(change.action, Action::Update | Action::Replace) {
        return Vec::new();
    }
    let read: BTreeSet<&str> = mapping
        .attrs
        .iter()
        .map(|a| a.plan.split('.').next().unwrap_or(a.plan))
        .collect();
    let mut diffs = Vec::new();
    values::differences(&change.before, &change.after, &mut diffs);
    let mut out: Vec<AttributeChange> = diffs
        .into_iter()
        .filter(|(path, _, _)| read.contains(path.split('.').next().unwrap_or(path)))
        .filter(|(path, _, _)| !values::unknown(&change.after_unknown, path))
        .map(|(path, before, after)| match (&before, &after) {
            // A document (an SSM runbook's content): the first line that differs.
            (Some(Value::String(b)), Some(Value::String(a)))
                if b.contains('\n') || a.contains('\n') =>
            {
                let (line, old, new) = first_difference(b, a);
                AttributeChange {
                    path: format!("{}, line {line}", display_path(&path)),
                    before: Some(values::show(&Value::String(old.trim().to_string()))),
                    after: Some(values::show(&Value::String(new.trim().to_string()))),
                }
            }
            _ => AttributeChange {
                path: display_path(&path),
                before: before.as_ref().map(values::show),
                after: after.as_ref().map(values::show),
            },
        })
        .collect();
    for attr in mapping.attrs {
        if attr.kind == AttrKind::Value && values::unknown(&change.after_unknown, attr.plan) {
            out.push(AttributeChange {
                path: display_path(attr.plan),
                before: values::at(&change.before, attr.plan)
                    .filter(|v| !v.is_null())
                    .map(values::show),
                after: Some("(known after apply)".into()),
            });
        }
    }
    out
}

/// The first line that differs between two texts (1-based), and both lines.
fn first_difference<'t>(before: &'t str, after: &'t str) -> (usize, &'t str, &'t str) {
    let mut old = before.lines();
    let mut new = after.lines();
    let mut line = 1;
    loop {
        match (old.next(), new.next()) {
            (Some(o), Some(n)) if o == n => line += 1,
            (o, n) => return (line, o.unwrap_or_default(), n.unwrap_or_default()),
        }
    }
}

/// `rule.0.destination.0.replication_time` → `rule[0].destination[0].replication_time`.
fn display_path(path: &str) -> String {
    let mut out = String::new();
    for step in path.split('.') {
        if !step.is_empty() && step.bytes().all(|b| b.is_ascii_digit()) {
            out.push_str(&format!("[{step}]"));
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(step);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_read_like_terraform() {
        assert_eq!(
            display_path("rule.0.destination.0.replication_time"),
            "rule[0].destination[0].replication_time"
        );
    }

    #[test]
    fn accounts_come_from_arns() {
        assert_eq!(
            account_of(r#""arn":"arn:aws:rds:us-east-1:123456789012:cluster:x""#).as_deref(),
            Some("123456789012")
        );
        assert_eq!(account_of(r#""arn":"arn:aws:s3:::bucket""#), None);
    }
}
