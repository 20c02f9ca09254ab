//! What carries traffic to a load balancer's instances (regional): target
//! groups, listeners with their certificates and ACM certificates (the
//! attachments of Auto Scaling groups are in `attachment`).

use serde_json::Value;

use super::{Ctx, Mapping, computed, identity, link, not_placed, region, remove, routing, value};
use crate::plan::unknown;
use crate::plan::values;
use crate::snapshot::Snapshot;
use crate::snapshot::model::{Certificate, Listener, ListenerCertificate, TargetGroup};

/// `aws_lb_target_group` (and `aws_alb_target_group`).
pub const TARGET_GROUP: Mapping = Mapping {
    tf_type: "aws_lb_target_group",
    kind: "elbv2.target_group",
    source: "elbv2.target_groups",
    global: false,
    attrs: &[
        identity("arn", "arn"),
        identity("name", "name (a `name_prefix` name is known after apply)"),
        value("health_check.0.path", "health_check_path"),
        value("health_check.0.interval", "health_check_interval_seconds"),
        computed(
            "health_check.0.timeout",
            "health_check_timeout_seconds",
            "null",
        ),
        value(
            "health_check.0.healthy_threshold",
            "healthy_threshold_count",
        ),
        value(
            "health_check.0.unhealthy_threshold",
            "unhealthy_threshold_count",
        ),
        identity(
            "load_balancer_arns",
            "load_balancer_arns (on create: the load balancers of the listeners whose default action or `aws_lb_listener_rule` forwards to it)",
        ),
    ],
    upsert: tg_upsert,
    remove: |ctx, snapshot| {
        let name = values::text(ctx.before(), "name")?;
        let data = snapshot.regions.get_mut(&ctx.region)?;
        remove(&mut data.target_groups, |tg| tg.name == name).then_some(name)
    },
    exists: |ctx, snapshot| {
        let name = values::text(ctx.before(), "name")?;
        let data = snapshot.regions.get(&ctx.region)?;
        data.target_groups
            .iter()
            .any(|tg| tg.name == name)
            .then_some(name)
    },
};

fn tg_upsert(ctx: &mut Ctx<'_, '_, '_>, snapshot: &mut Snapshot) -> Result<String, String> {
    let before = values::text(ctx.before(), "name");
    let arn = ctx.text("arn").unwrap_or_default();
    let name = ctx.text("name").unwrap_or_else(|| arn.clone());
    let lbs_known = !values::unknown(&ctx.change.after_unknown, "load_balancer_arns");
    let mut lbs = if lbs_known {
        ctx.strings("load_balancer_arns")
    } else {
        Vec::new()
    };
    // A new target group's load balancers are known only after apply: the
    // plan's listeners that forward to it say which they will be.
    let known = snapshot
        .regions
        .get(&ctx.region)
        .map_or(&[][..], |data| &data.load_balancers[..]);
    for lb in routing::forwarding_load_balancers(ctx, &arn, known) {
        if !lbs.contains(&lb) {
            lbs.push(lb);
        }
    }
    let group = TargetGroup {
        arn: arn.clone(),
        name: name.clone(),
        load_balancer_arns: lbs,
        health_check_path: ctx.text("health_check.0.path").filter(|s| !s.is_empty()),
        health_check_interval_seconds: ctx.int("health_check.0.interval"),
        health_check_timeout_seconds: ctx.int("health_check.0.timeout"),
        healthy_threshold_count: ctx.int("health_check.0.healthy_threshold"),
        unhealthy_threshold_count: ctx.int("health_check.0.unhealthy_threshold"),
        targets: Vec::new(),
    };
    let find = before.unwrap_or_else(|| name.clone());
    let data = region(snapshot, &ctx.region.clone());
    super::upsert(
        &mut data.target_groups,
        |tg| tg.name == find,
        |old| match old {
            // Registered targets and their health are not in a plan: they stay.
            Some(old) => TargetGroup {
                targets: old.targets,
                load_balancer_arns: if lbs_known || !group.load_balancer_arns.is_empty() {
                    group.load_balancer_arns.clone()
                } else {
                    old.load_balancer_arns
                },
                ..group
            },
            None => group,
        },
    );
    // Its `load_balancer_arns` come from the last refresh: a listener of the
    // plan that stops forwarding to it takes its load balancer off.
    let current = data
        .target_groups
        .iter()
        .find(|tg| tg.name == name)
        .map(|tg| (tg.arn.clone(), tg.load_balancer_arns.clone()));
    if let Some((arn, lbs)) = current {
        for lb in lbs {
            routing::reroute(ctx, snapshot, &arn, &lb);
        }
    }
    Ok(name)
}

/// `aws_lb_listener` (and `aws_alb_listener`).
pub const LISTENER: Mapping = Mapping {
    tf_type: "aws_lb_listener",
    kind: "elbv2.load_balancer",
    source: "elbv2.listeners",
    global: false,
    attrs: &[
        identity("arn", "listeners[].arn"),
        link(
            "load_balancer_arn",
            "the load balancer's listeners",
            "aws_lb",
            "arn",
        ),
        value("port", "listeners[].port"),
        value("protocol", "listeners[].protocol"),
        computed("ssl_policy", "listeners[].ssl_policy", "null"),
        value(
            "default_action",
            "target groups' load_balancer_arns (the groups it forwards to)",
        ),
        link(
            "certificate_arn",
            "listeners[].certificates[] (the default; also through `aws_acm_certificate_validation`)",
            "aws_acm_certificate",
            "arn",
        ),
    ],
    upsert: listener_upsert,
    remove: |ctx, snapshot| {
        let arn = values::text(ctx.before(), "arn")?;
        let data = snapshot.regions.get_mut(&ctx.region)?;
        let lb = data
            .load_balancers
            .iter_mut()
            .find(|lb| lb.listeners.iter().any(|l| l.arn == arn))?;
        lb.listeners.retain(|l| l.arn != arn);
        let (lb_arn, name) = (lb.arn.clone(), lb.name.clone());
        routing::listener_moved(ctx, snapshot, None, Some(&lb_arn));
        Some(name)
    },
    exists: |ctx, snapshot| {
        let arn = values::text(ctx.before(), "arn")?;
        let data = snapshot.regions.get(&ctx.region)?;
        data.load_balancers
            .iter()
            .find(|lb| lb.listeners.iter().any(|l| l.arn == arn))
            .map(|lb| lb.name.clone())
    },
};

fn listener_upsert(ctx: &mut Ctx<'_, '_, '_>, snapshot: &mut Snapshot) -> Result<String, String> {
    let before = values::text(ctx.before(), "arn");
    let arn = ctx
        .text("arn")
        .unwrap_or_else(|| unknown::placeholder(&ctx.change.address));
    let lb_arn = ctx
        .text("load_balancer_arn")
        .ok_or("its load balancer is known only after apply")?;
    let default_certificate = certificate_arn(ctx);
    let port = ctx.int("port");
    let protocol = ctx.text("protocol").filter(|s| !s.is_empty());
    let ssl_policy = ctx.text("ssl_policy").filter(|s| !s.is_empty());
    let data = region(snapshot, &ctx.region.clone());
    // The listener leaves the load balancer it was on, SNI certificates in hand.
    let mut sni = Vec::new();
    let old_arn = before.unwrap_or_else(|| arn.clone());
    let mut old_lb = None;
    for lb in &mut data.load_balancers {
        if let Some(old) = lb.listeners.iter().find(|l| l.arn == old_arn) {
            sni.extend(old.certificates.iter().filter(|c| !c.is_default).cloned());
            old_lb = Some(lb.arn.clone());
        }
        lb.listeners.retain(|l| l.arn != old_arn);
    }
    let lb = data
        .load_balancers
        .iter_mut()
        .find(|lb| lb.arn == lb_arn)
        .ok_or_else(|| not_placed("load balancer", &lb_arn))?;
    let certificates = default_certificate
        .map(|arn| ListenerCertificate {
            arn,
            is_default: true,
        })
        .into_iter()
        .chain(sni)
        .collect();
    lb.listeners.push(Listener {
        arn,
        port,
        protocol,
        ssl_policy,
        certificates,
    });
    let name = lb.name.clone();
    routing::listener_moved(ctx, snapshot, Some(&lb_arn), old_lb.as_deref());
    Ok(name)
}

/// The listener's default certificate. Terraform's documented pattern
/// refers to `aws_acm_certificate_validation.x.certificate_arn`, so that the
/// listener waits for the certificate to be issued: that reference is
/// followed to the certificate too.
fn certificate_arn(ctx: &mut Ctx<'_, '_, '_>) -> Option<String> {
    if !values::unknown(&ctx.change.after_unknown, "certificate_arn") {
        return ctx.text("certificate_arn").filter(|s| !s.is_empty());
    }
    let address = ctx.change.address.clone();
    let direct = ctx.resolve_at(&address, "certificate_arn", "aws_acm_certificate", "arn");
    let through = unknown::referenced(ctx.plan, &address, "certificate_arn")
        .into_iter()
        .filter(|target| target.contains("aws_acm_certificate_validation."))
        .flat_map(|validation| {
            ctx.resolve_at(&validation, "certificate_arn", "aws_acm_certificate", "arn")
        })
        .collect::<Vec<_>>();
    match direct
        .into_iter()
        .chain(through)
        .find_map(|v| v.as_str().map(str::to_string))
    {
        Some(arn) => Some(arn),
        None => {
            ctx.note_unknown("certificate_arn");
            None
        }
    }
}

/// `aws_lb_listener_certificate`: an SNI certificate of a listener.
pub const LISTENER_CERTIFICATE: Mapping = Mapping {
    tf_type: "aws_lb_listener_certificate",
    kind: "elbv2.load_balancer",
    source: "elbv2.listeners",
    global: false,
    attrs: &[
        link(
            "listener_arn",
            "the listener's certificates",
            "aws_lb_listener",
            "arn",
        ),
        link(
            "certificate_arn",
            "listeners[].certificates[] (SNI)",
            "aws_acm_certificate",
            "arn",
        ),
    ],
    upsert: |ctx, snapshot| {
        if let Some((listener, cert)) = sni_key(ctx.before()) {
            drop_sni(ctx, snapshot, &listener, &cert);
        }
        let listener = ctx
            .text("listener_arn")
            .ok_or("its listener is known only after apply")?;
        let cert = ctx
            .text("certificate_arn")
            .ok_or("its certificate is known only after apply")?;
        let data = region(snapshot, &ctx.region.clone());
        let (lb, found) = data
            .load_balancers
            .iter_mut()
            .find_map(|lb| {
                let name = lb.name.clone();
                lb.listeners
                    .iter_mut()
                    .find(|l| l.arn == listener)
                    .map(|l| (name, l))
            })
            .ok_or_else(|| not_placed("listener", &listener))?;
        if !found.certificates.iter().any(|c| c.arn == cert) {
            found.certificates.push(ListenerCertificate {
                arn: cert,
                is_default: false,
            });
        }
        Ok(lb)
    },
    remove: |ctx, snapshot| {
        let (listener, cert) = sni_key(ctx.before())?;
        drop_sni(ctx, snapshot, &listener, &cert)
    },
    exists: |ctx, snapshot| {
        let (listener, cert) = sni_key(ctx.before())?;
        snapshot
            .regions
            .get(&ctx.region)?
            .load_balancers
            .iter()
            .find(|lb| {
                lb.listeners
                    .iter()
                    .any(|l| l.arn == listener && l.certificates.iter().any(|c| c.arn == cert))
            })
            .map(|lb| lb.name.clone())
    },
};

fn sni_key(values: &Value) -> Option<(String, String)> {
    Some((
        values::text(values, "listener_arn")?,
        values::text(values, "certificate_arn")?,
    ))
}

/// Removes an SNI certificate from a listener; the load balancer's name when found.
fn drop_sni(
    ctx: &Ctx<'_, '_, '_>,
    snapshot: &mut Snapshot,
    listener: &str,
    cert: &str,
) -> Option<String> {
    let data = snapshot.regions.get_mut(&ctx.region)?;
    data.load_balancers.iter_mut().find_map(|lb| {
        let found = lb.listeners.iter_mut().find(|l| l.arn == listener)?;
        remove(&mut found.certificates, |c| !c.is_default && c.arn == cert).then(|| lb.name.clone())
    })
}

/// `aws_acm_certificate`. A certificate created by the plan has its status
/// and validity known only after apply (issuance waits on validation): the
/// rules that read them are `error` until then.
pub const CERTIFICATE: Mapping = Mapping {
    tf_type: "aws_acm_certificate",
    kind: "acm.certificate",
    source: "acm",
    global: false,
    attrs: &[
        identity("arn", "arn"),
        value("domain_name", "domain_name"),
        value("subject_alternative_names", "subject_alternative_names"),
        value("status", "status"),
        value("type", "type"),
        value("key_algorithm", "key_algorithm"),
        value("not_before", "not_before"),
        value("not_after", "not_after"),
    ],
    upsert: |ctx, snapshot| {
        let before = values::text(ctx.before(), "arn");
        let arn = ctx.text("arn").ok_or("no arn")?;
        let domain_name = ctx.text("domain_name").filter(|s| !s.is_empty());
        let mut names = ctx.strings("subject_alternative_names");
        if let Some(domain) = domain_name.as_ref().filter(|d| !names.contains(d)) {
            names.insert(0, domain.clone());
        }
        let certificate = Certificate {
            arn: arn.clone(),
            domain_name,
            subject_alternative_names: names,
            status: ctx.text("status").filter(|s| !s.is_empty()),
            certificate_type: ctx.text("type").filter(|s| !s.is_empty()),
            key_algorithm: ctx.text("key_algorithm").filter(|s| !s.is_empty()),
            not_before: ctx.text("not_before").filter(|s| !s.is_empty()),
            not_after: ctx.text("not_after").filter(|s| !s.is_empty()),
            in_use_by: Vec::new(),
        };
        let find = before.unwrap_or_else(|| arn.clone());
        let data = region(snapshot, &ctx.region.clone());
        super::upsert(
            &mut data.certificates,
            |c| c.arn == find,
            |old| Certificate {
                in_use_by: old.map(|o| o.in_use_by).unwrap_or_default(),
                ..certificate
            },
        );
        Ok(arn)
    },
    remove: |ctx, snapshot| {
        let arn = values::text(ctx.before(), "arn")?;
        let data = snapshot.regions.get_mut(&ctx.region)?;
        remove(&mut data.certificates, |c| c.arn == arn).then_some(arn)
    },
    exists: |ctx, snapshot| {
        let arn = values::text(ctx.before(), "arn")?;
        let data = snapshot.regions.get(&ctx.region)?;
        data.certificates
            .iter()
            .any(|c| c.arn == arn)
            .then_some(arn)
    },
};
