//! The launch template versions a region's Auto Scaling groups use
//! (`$Latest` and `$Default` resolved), with what each launches: AMI,
//! instance type, security groups, subnets, instance profile and the KMS keys
//! of its EBS volumes.
//!
//! Calls: `DescribeLaunchTemplateVersions` for the templates groups name,
//! asking for each group's version plus `$Latest` and `$Default`. Only the
//! templates groups launch are kept.
//!
//! When the groups of a region name [`ACCOUNT_WIDE_FROM`] templates or more,
//! one account-wide listing (`Versions=[$Latest, $Default]`, no template named,
//! 200 a page) replaces the call per template; a template is then asked for
//! on its own only for a numbered version that is neither its `$Latest` nor
//! its `$Default`, or when the listing did not show it (the per-template call
//! then records why, e.g. a deleted template).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use aws_sdk_ec2::Client;
use futures_util::future::join_all;

use super::{SERVICE, client};
use crate::collect::{Ctx, Part, gap};
use crate::snapshot::model::{CollectionGap, LaunchTemplate, LaunchTemplateVersion, Snapshot};

/// From this many templates named by a region's groups, one account-wide
/// listing is cheaper than a call per template. Its cost grows with every
/// template in the region, used or not (two versions each, 200 a page), so
/// with a couple of templates the calls per template are kept.
const ACCOUNT_WIDE_FROM: usize = 3;

/// How a group names its launch template.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum TemplateKey {
    Id(String),
    Name(String),
}

type ApiVersion = aws_sdk_ec2::types::LaunchTemplateVersion;

/// Collects the launch template versions the region's groups use.
pub(crate) async fn launch_templates(ctx: Arc<Ctx>, region: String, view: Arc<Snapshot>) -> Part {
    let mut part = Part::new();
    let mut wanted: BTreeMap<TemplateKey, BTreeSet<String>> = BTreeMap::new();
    let groups = view
        .regions
        .get(&region)
        .map(|r| r.auto_scaling_groups.as_slice())
        .unwrap_or_default();
    for group in groups {
        let Some(template) = &group.launch_template else {
            continue;
        };
        let key = match (&template.id, &template.name) {
            (Some(id), _) => TemplateKey::Id(id.clone()),
            (None, Some(name)) => TemplateKey::Name(name.clone()),
            (None, None) => continue,
        };
        let versions = wanted.entry(key).or_default();
        versions.insert("$Latest".into());
        versions.insert("$Default".into());
        if let Some(version) = &template.version {
            versions.insert(version.clone());
        }
    }
    // Two groups may name one template, once by id and once by name.
    let client = client(&ctx, &region);
    let mut templates: Vec<LaunchTemplate> = Vec::new();
    let account_wide = if wanted.len() >= ACCOUNT_WIDE_FROM {
        latest_and_default(&ctx, &client).await
    } else {
        Vec::new()
    };
    let mut by_id: HashMap<String, Vec<ApiVersion>> = HashMap::new();
    let mut id_of_name: HashMap<String, String> = HashMap::new();
    for version in account_wide {
        let Some(id) = version.launch_template_id().map(str::to_string) else {
            continue;
        };
        if let Some(name) = version.launch_template_name() {
            id_of_name.insert(name.to_string(), id.clone());
        }
        by_id.entry(id).or_default().push(version);
    }
    let mut listings = Vec::new();
    let mut remaining = Vec::new();
    for (key, versions) in wanted {
        let id = match &key {
            TemplateKey::Id(id) => Some(id.as_str()),
            TemplateKey::Name(name) => id_of_name.get(name).map(String::as_str),
        };
        let listed = id.and_then(|id| by_id.get(id)).cloned().unwrap_or_default();
        let listed_numbers: BTreeSet<String> = listed
            .iter()
            .filter_map(|v| v.version_number())
            .map(|n| n.to_string())
            .collect();
        let unlisted = listed.is_empty()
            || versions
                .iter()
                .any(|v| !v.starts_with('$') && !listed_numbers.contains(v));
        if unlisted {
            // Not in the listing, or a numbered version it does not hold: the
            // template on its own, with `$Latest` and `$Default` again so that
            // this answer alone gives both.
            remaining.push((key, versions));
        } else {
            listings.push(Ok(listed));
        }
    }
    // The calls per template, concurrently under the service's cap.
    listings.extend(
        join_all(
            remaining
                .into_iter()
                .map(|(key, versions)| template_versions(&ctx, &client, &region, key, versions)),
        )
        .await,
    );
    for listing in listings {
        let found = match listing {
            Ok(found) => found,
            Err(gap) => {
                part.gaps.push(gap);
                continue;
            }
        };
        if found.is_empty() {
            continue;
        }
        let id = found
            .iter()
            .find_map(|v| v.launch_template_id())
            .unwrap_or_default()
            .to_string();
        let name = found
            .iter()
            .find_map(|v| v.launch_template_name())
            .unwrap_or_default()
            .to_string();
        let latest_version = found
            .iter()
            .filter_map(|v| v.version_number())
            .max()
            .unwrap_or_default();
        let default_version = found
            .iter()
            .find(|v| v.default_version() == Some(true))
            .and_then(|v| v.version_number())
            .unwrap_or(latest_version);
        let mut versions: Vec<LaunchTemplateVersion> = found.iter().filter_map(version).collect();
        versions.sort_by_key(|v| v.version_number);
        versions.dedup_by_key(|v| v.version_number);
        match templates.iter_mut().find(|t| t.id == id) {
            Some(existing) => {
                existing.versions.extend(versions);
                existing.versions.sort_by_key(|v| v.version_number);
                existing.versions.dedup_by_key(|v| v.version_number);
            }
            None => templates.push(LaunchTemplate {
                id,
                name,
                default_version,
                latest_version,
                versions,
            }),
        }
    }
    part.count("launch templates", templates.len());
    part.edit_region(&region, move |data| data.launch_templates.extend(templates));
    part
}

/// One version in the model: what it launches and with what.
fn version(api: &ApiVersion) -> Option<LaunchTemplateVersion> {
    let data = api.launch_template_data();
    let interfaces = data.map(|d| d.network_interfaces()).unwrap_or_default();
    let mut security_group_ids: Vec<String> = Vec::new();
    let groups = data
        .map(|d| d.security_group_ids())
        .unwrap_or_default()
        .iter()
        .chain(interfaces.iter().flat_map(|i| i.groups()));
    for group in groups {
        if !security_group_ids.contains(group) {
            security_group_ids.push(group.clone());
        }
    }
    let mut subnet_ids: Vec<String> = Vec::new();
    for subnet in interfaces.iter().filter_map(|i| i.subnet_id()) {
        if !subnet_ids.iter().any(|s| s == subnet) {
            subnet_ids.push(subnet.to_string());
        }
    }
    let mut block_device_kms_key_ids: Vec<String> = Vec::new();
    let keys = data
        .map(|d| d.block_device_mappings())
        .unwrap_or_default()
        .iter()
        .filter_map(|m| m.ebs()?.kms_key_id());
    for key in keys {
        if !block_device_kms_key_ids.iter().any(|k| k == key) {
            block_device_kms_key_ids.push(key.to_string());
        }
    }
    Some(LaunchTemplateVersion {
        version_number: api.version_number()?,
        image_id: data.and_then(|d| d.image_id()).map(str::to_string),
        instance_type: data
            .and_then(|d| d.instance_type())
            .map(|t| t.as_str().to_string()),
        security_group_ids,
        subnet_ids,
        iam_instance_profile: data
            .and_then(|d| d.iam_instance_profile())
            .and_then(|p| p.arn().or(p.name()))
            .map(str::to_string),
        block_device_kms_key_ids,
    })
}

/// Every launch template's `$Latest` and `$Default` version in the region
/// (all pages). Empty when the listing fails: the templates are then asked
/// for one by one, and those calls record any gap.
async fn latest_and_default(ctx: &Ctx, client: &Client) -> Vec<ApiVersion> {
    let _permit = ctx.permit(SERVICE).await;
    let mut pages = client
        .describe_launch_template_versions()
        .versions("$Latest")
        .versions("$Default")
        .max_results(200)
        .into_paginator()
        .send();
    let mut found = Vec::new();
    while let Some(page) = pages.next().await {
        match page {
            Ok(page) => found.extend(page.launch_template_versions().iter().cloned()),
            Err(_) => return Vec::new(),
        }
    }
    found
}

/// The requested versions of one launch template (all pages), or the gap.
async fn template_versions(
    ctx: &Ctx,
    client: &Client,
    region: &str,
    key: TemplateKey,
    versions: BTreeSet<String>,
) -> Result<Vec<ApiVersion>, CollectionGap> {
    let _permit = ctx.permit(SERVICE).await;
    let request = client
        .describe_launch_template_versions()
        .set_versions(Some(versions.into_iter().collect()));
    let request = match &key {
        TemplateKey::Id(id) => request.launch_template_id(id),
        TemplateKey::Name(name) => request.launch_template_name(name),
    };
    let mut found = Vec::new();
    let mut pages = request.into_paginator().send();
    while let Some(page) = pages.next().await {
        match page {
            Ok(page) => found.extend(page.launch_template_versions().iter().cloned()),
            Err(err) => {
                return Err(gap(
                    "ec2.launch_templates",
                    region,
                    "DescribeLaunchTemplateVersions",
                    &err,
                ));
            }
        }
    }
    Ok(found)
}
