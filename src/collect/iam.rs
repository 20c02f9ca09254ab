//! IAM, once (a global service; its control plane is in us-east-1): the
//! roles the Automation documents assume, with the services their trust
//! policies admit, and the instance profiles the launch templates name,
//! with their roles. Only those names are looked up, so it starts once
//! `ssm` and `ec2.launch_templates` are read in both regions.
//!
//! Calls: `GetRole` per role and `GetInstanceProfile` per profile, under the
//! service's cap. `NoSuchEntity` is data (the name goes to
//! `missing_iam_roles` / `missing_instance_profiles`); any other error is a
//! gap. A role's `AssumeRolePolicyDocument` comes URL-encoded (RFC 3986); one
//! that does not parse is a gap (`UnparseableContent`), never a role that
//! trusts nothing.
//!
//! A document's `assumeRole` is often `{{ AutomationAssumeRole }}`: it is
//! resolved from the parameter's default. A value known only at run time (no
//! default, `{{ automation:… }}`) is not looked up, nor is an ARN of another
//! account (`GetRole` sees this account only). `{{ global:ACCOUNT_ID }}` in
//! an ARN is this account.

use std::collections::BTreeSet;
use std::sync::Arc;

use aws_sdk_iam::Client;
use futures_util::future::{join, join_all};
use serde_json::Value;

use super::{Ctx, Part, error_code, gap};
use crate::snapshot::model::{
    AutomationDocument, CollectionGap, IamRole, InstanceProfile, Snapshot,
};

const SOURCE: &str = "iam";

/// Collects the roles and instance profiles the snapshot's documents and
/// templates name.
pub(crate) async fn collect(ctx: Arc<Ctx>, region: String, view: Arc<Snapshot>) -> Part {
    let account = view.account_id.as_str();
    let roles: BTreeSet<String> = view
        .regions
        .values()
        .flat_map(|r| &r.automation_documents)
        .filter_map(|doc| assumed_role(doc, account))
        .collect();
    let profiles: BTreeSet<String> = view
        .regions
        .values()
        .flat_map(|r| &r.launch_templates)
        .flat_map(|t| &t.versions)
        .filter_map(|v| v.iam_instance_profile.as_deref())
        .filter_map(|profile| iam_name(profile, account))
        .collect();
    let mut part = Part::new();
    if roles.is_empty() && profiles.is_empty() {
        part.count("roles", 0);
        return part;
    }
    let client = Client::from_conf(
        aws_sdk_iam::config::Builder::from(&ctx.sdk(&region))
            .interceptor(ctx.recorder.clone())
            .build(),
    );
    let (ctx, client) = (&ctx, &client);
    let (role_answers, profile_answers) = join(
        join_all(roles.iter().map(|name| async move {
            let _permit = ctx.permit(SOURCE).await;
            (name, client.get_role().role_name(name).send().await)
        })),
        join_all(profiles.iter().map(|name| async move {
            let _permit = ctx.permit(SOURCE).await;
            (
                name,
                client
                    .get_instance_profile()
                    .instance_profile_name(name)
                    .send()
                    .await,
            )
        })),
    )
    .await;
    let (mut found_roles, mut missing_roles) = (Vec::new(), Vec::new());
    for (name, answer) in role_answers {
        match answer {
            Ok(out) => {
                let Some(role) = out.role() else { continue };
                let document = role.assume_role_policy_document().unwrap_or_default();
                let trusted_services = match trusted_services(document) {
                    Ok(services) => services,
                    Err(reason) => {
                        part.gaps.push(unparseable(name, &reason));
                        Vec::new()
                    }
                };
                found_roles.push(IamRole {
                    name: role.role_name().to_string(),
                    arn: role.arn().to_string(),
                    trusted_services,
                });
            }
            Err(err) if error_code(&err) == Some("NoSuchEntity") => {
                missing_roles.push(name.clone())
            }
            Err(err) => part.gaps.push(gap(SOURCE, "global", "GetRole", &err)),
        }
    }
    let (mut found_profiles, mut missing_profiles) = (Vec::new(), Vec::new());
    for (name, answer) in profile_answers {
        match answer {
            Ok(out) => {
                let Some(profile) = out.instance_profile() else {
                    continue;
                };
                found_profiles.push(InstanceProfile {
                    name: profile.instance_profile_name().to_string(),
                    arn: profile.arn().to_string(),
                    roles: profile
                        .roles()
                        .iter()
                        .map(|r| r.role_name().to_string())
                        .collect(),
                });
            }
            Err(err) if error_code(&err) == Some("NoSuchEntity") => {
                missing_profiles.push(name.clone());
            }
            Err(err) => part
                .gaps
                .push(gap(SOURCE, "global", "GetInstanceProfile", &err)),
        }
    }
    part.count("roles", found_roles.len());
    part.count("instance profiles", found_profiles.len());
    part.edit(move |snapshot| {
        let global = &mut snapshot.global;
        global.iam_roles.append(&mut found_roles);
        global.missing_iam_roles.append(&mut missing_roles);
        global.instance_profiles.append(&mut found_profiles);
        global
            .missing_instance_profiles
            .append(&mut missing_profiles);
    });
    part
}

/// The gap of a trust policy that does not parse.
fn unparseable(role: &str, reason: &str) -> CollectionGap {
    CollectionGap {
        service: SOURCE.into(),
        resource: None,
        region: "global".into(),
        operation: "GetRole".into(),
        error_code: "UnparseableContent".into(),
        message: format!("the trust policy of role {role} does not parse: {reason}"),
    }
}

/// The name of the role a document assumes, when it is known before the
/// run and belongs to `account`.
fn assumed_role(doc: &AutomationDocument, account: &str) -> Option<String> {
    let value = doc.assume_role.as_deref()?.trim();
    let value = match value
        .strip_prefix("{{")
        .and_then(|rest| rest.strip_suffix("}}"))
    {
        Some(inner) => doc
            .parameters
            .iter()
            .find(|p| p.name == inner.trim())?
            .default
            .as_ref()?
            .as_str()?
            .trim()
            .to_string(),
        None => value.to_string(),
    };
    iam_name(&value, account)
}

/// The name of an IAM role or instance profile given by name or by ARN (its
/// last path segment). None for an ARN of another account, and for a value
/// with a placeholder only a run resolves.
fn iam_name(value: &str, account: &str) -> Option<String> {
    let value = with_account(value.trim(), account);
    if value.is_empty() || value.contains("{{") {
        return None;
    }
    if !value.starts_with("arn:") {
        return Some(value);
    }
    // arn:PARTITION:iam::ACCOUNT:role/PATH/NAME
    let mut fields = value.splitn(6, ':');
    let owner = fields.nth(4)?;
    let resource = fields.next()?;
    if owner != account {
        return None;
    }
    resource
        .rsplit('/')
        .next()
        .filter(|name| !name.is_empty())
        .map(str::to_string)
}

/// `value` with `{{ global:ACCOUNT_ID }}` (any spacing) replaced by `account`.
fn with_account(value: &str, account: &str) -> String {
    let mut out = String::new();
    let mut rest = value;
    while let Some((before, after)) = rest.split_once("{{") {
        let Some((inner, tail)) = after.split_once("}}") else {
            break;
        };
        out.push_str(before);
        if inner.trim() == "global:ACCOUNT_ID" {
            out.push_str(account);
        } else {
            out.push_str("{{");
            out.push_str(inner);
            out.push_str("}}");
        }
        rest = tail;
    }
    out.push_str(rest);
    out
}

/// The services an `AssumeRolePolicyDocument` lets assume the role:
/// `Principal.Service` (a string or a list) of each `Allow` statement.
fn trusted_services(document: &str) -> Result<Vec<String>, String> {
    let text = if document.trim_start().starts_with('{') {
        document.to_string()
    } else {
        percent_decode(document)
    };
    let policy: Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    let statements = match policy.get("Statement") {
        Some(Value::Array(statements)) => statements.iter().collect(),
        Some(statement @ Value::Object(_)) => vec![statement],
        _ => return Err("no Statement".into()),
    };
    let mut services = Vec::new();
    for statement in statements {
        if statement.get("Effect").and_then(Value::as_str) != Some("Allow") {
            continue;
        }
        match statement.get("Principal").and_then(|p| p.get("Service")) {
            Some(Value::String(service)) => services.push(service.clone()),
            Some(Value::Array(list)) => {
                services.extend(list.iter().filter_map(Value::as_str).map(str::to_string))
            }
            _ => {}
        }
    }
    services.sort();
    services.dedup();
    Ok(services)
}

/// Decodes `%XX` escapes (and `+` as a space, as form encoding writes it);
/// anything else is kept as it is.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&byte) = bytes.get(i) {
        let hex = |at: usize| bytes.get(at).and_then(|b| (*b as char).to_digit(16));
        match (byte, hex(i + 1), hex(i + 2)) {
            (b'%', Some(high), Some(low)) => {
                out.push((high * 16 + low) as u8);
                i += 3;
            }
            (b'+', _, _) => {
                out.push(b' ');
                i += 1;
            }
            _ => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::snapshot::model::DocumentParameter;

    const ACCOUNT: &str = "123456789012";

    fn doc(assume_role: Option<&str>, default: Option<Value>) -> AutomationDocument {
        AutomationDocument {
            name: "shop-dr-failover".into(),
            document_type: "Automation".into(),
            assume_role: assume_role.map(str::to_string),
            parameters: vec![DocumentParameter {
                name: "AutomationAssumeRole".into(),
                param_type: Some("String".into()),
                default,
            }],
            ..AutomationDocument::default()
        }
    }

    #[test]
    fn the_assumed_role_is_resolved_from_the_parameter_default() {
        let arn = Value::from("arn:aws:iam::123456789012:role/ops/shop-dr-automation");
        let by_parameter = doc(Some("{{ AutomationAssumeRole }}"), Some(arn.clone()));
        assert_eq!(
            assumed_role(&by_parameter, ACCOUNT).as_deref(),
            Some("shop-dr-automation")
        );
        let tight = doc(Some("{{AutomationAssumeRole}}"), Some(arn));
        assert_eq!(
            assumed_role(&tight, ACCOUNT).as_deref(),
            Some("shop-dr-automation")
        );
        let templated = doc(
            Some("{{ AutomationAssumeRole }}"),
            Some(Value::from(
                "arn:aws:iam::{{ global:ACCOUNT_ID }}:role/shop-dr-automation",
            )),
        );
        assert_eq!(
            assumed_role(&templated, ACCOUNT).as_deref(),
            Some("shop-dr-automation")
        );
        let literal = doc(Some("arn:aws:iam::123456789012:role/direct"), None);
        assert_eq!(assumed_role(&literal, ACCOUNT).as_deref(), Some("direct"));
        // Known only at run time, absent, or in another account: not looked up.
        assert_eq!(
            assumed_role(&doc(Some("{{ AutomationAssumeRole }}"), None), ACCOUNT),
            None
        );
        assert_eq!(assumed_role(&doc(None, None), ACCOUNT), None);
        let foreign = doc(Some("arn:aws:iam::210987654321:role/x"), None);
        assert_eq!(assumed_role(&foreign, ACCOUNT), None);
    }

    #[test]
    fn instance_profiles_are_named_by_name_or_arn() {
        assert_eq!(iam_name("shop-web", ACCOUNT).as_deref(), Some("shop-web"));
        assert_eq!(
            iam_name(
                "arn:aws:iam::123456789012:instance-profile/shop-web",
                ACCOUNT
            )
            .as_deref(),
            Some("shop-web")
        );
        assert_eq!(iam_name("", ACCOUNT), None);
    }

    #[test]
    fn trust_policies_are_read_url_encoded_or_plain() {
        let encoded = "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Principal%22%3A%7B%22Service%22%3A%22ssm.amazonaws.com%22%7D%2C%22Action%22%3A%22sts%3AAssumeRole%22%7D%5D%7D";
        assert_eq!(
            trusted_services(encoded),
            Ok(vec!["ssm.amazonaws.com".to_string()])
        );
        let plain = r#"{"Statement": {"Effect": "Allow", "Principal": {"Service": ["ec2.amazonaws.com", "ssm.amazonaws.com"]}}}"#;
        assert_eq!(
            trusted_services(plain),
            Ok(vec![
                "ec2.amazonaws.com".to_string(),
                "ssm.amazonaws.com".to_string()
            ])
        );
        // Deny statements and other principals trust no service.
        let denied = r#"{"Statement": [{"Effect": "Deny", "Principal": {"Service": "ssm.amazonaws.com"}}, {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"}}]}"#;
        assert_eq!(trusted_services(denied), Ok(Vec::new()));
        assert!(trusted_services("%7Bnot json").is_err());
        assert!(trusted_services("{}").is_err());
    }
}
