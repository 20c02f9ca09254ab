//! `drguard config check --live`: the account the credentials reach, where the
//! credentials come from, and whether both regions answer. It reuses the live
//! collection itself (credentials, `--role-arn`, STS, retries, the error
//! messages), with every data source skipped but one cheap regional one
//! (EventBridge), so it costs a handful of read-only calls.

use std::fmt::Write;

use super::live::LiveArgs;
use crate::config::{Config, Skip};
use crate::snapshot::spec;

/// The data source each region is probed with.
const PROBE: &str = "events";

/// Collects with only [`PROBE`] and describes the account, credentials and regions.
pub fn check(config: &Config, live: &LiveArgs) -> miette::Result<String> {
    let mut probe = config.clone();
    probe.collect.skip = spec::services()
        .iter()
        .filter(|service| service.name != PROBE)
        .map(|service| Skip {
            source: service.name.to_string(),
            reason: "drguard config check --live probes one source".into(),
        })
        .collect();
    let snapshot = live.collect(&probe)?;
    let mut out = String::new();
    let _ = writeln!(out, "[live]     account {}", snapshot.account_id);
    let _ = writeln!(out, "           credentials: {}", credentials_source(live));
    for region in [&config.app.primary_region, &config.app.dr_region] {
        let calls: Vec<_> = snapshot
            .collection
            .iter()
            .flat_map(|c| c.api_calls.iter())
            .filter(|call| &call.region == region)
            .collect();
        let gaps: Vec<_> = snapshot
            .gaps
            .iter()
            .filter(|g| &g.region == region)
            .collect();
        let verdict = match gaps.first() {
            None if !calls.is_empty() => {
                format!("reachable ({} EventBridge call(s) answered)", calls.len())
            }
            None => "not probed".to_string(),
            Some(gap) => format!(
                "NOT reachable: {} failed with {}: {}",
                gap.operation, gap.error_code, gap.message
            ),
        };
        let _ = writeln!(out, "           {region}: {verdict}");
    }
    Ok(out)
}

/// Which link of the standard chain supplies the credentials, judged the way
/// the chain does (first match wins); never the credentials themselves.
fn credentials_source(live: &LiveArgs) -> String {
    let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty());
    let base = if let Some(profile) = &live.profile {
        format!("profile {profile:?} of the shared config and credentials files (--profile)")
    } else if set("AWS_ACCESS_KEY_ID") {
        "environment variables (AWS_ACCESS_KEY_ID)".to_string()
    } else if let Ok(profile) = std::env::var("AWS_PROFILE") {
        format!("profile {profile:?} of the shared config and credentials files (AWS_PROFILE)")
    } else if set("AWS_WEB_IDENTITY_TOKEN_FILE") {
        "web identity (AWS_WEB_IDENTITY_TOKEN_FILE)".to_string()
    } else if set("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")
        || set("AWS_CONTAINER_CREDENTIALS_FULL_URI")
    {
        "the container's credentials endpoint".to_string()
    } else {
        "the default profile of the shared files, IAM Identity Center, or the instance role"
            .to_string()
    };
    match &live.role_arn {
        Some(role) => format!("{base}, then role {role} (--role-arn)"),
        None => base,
    }
}
