//! Route 53: the hosted zone, the failover record pair and its health checks.

use aws_types::SdkConfig;

use super::network::Site;
use super::{Design, Result};

/// The zone, the records and the checks; returns the zone id the runbook names.
/// Returns the hosted zone's id and the PRIMARY record's health check id.
pub async fn seed(
    east: &SdkConfig,
    design: &Design,
    primary: &Site,
    dr: &Site,
) -> Result<(String, String)> {
    // Route 53: the zone, the failover pair and its health checks.
    let route53 = aws_sdk_route53::Client::new(east);
    let zone = route53
        .create_hosted_zone()
        .name("yourstore.com")
        .caller_reference("drguard-live-tests")
        .send()
        .await?;
    let zone_id = zone
        .hosted_zone()
        .map(|z| z.id().trim_start_matches("/hostedzone/").to_string())
        .unwrap_or_default();
    let health_check = |fqdn: String, reference: String, disabled: bool| {
        use aws_sdk_route53::types::*;
        let route53 = route53.clone();
        let design = design.clone();
        async move {
            let mut config = HealthCheckConfig::builder()
                .r#type(HealthCheckType::from(design.health_check_type))
                .fully_qualified_domain_name(fqdn)
                .port(443)
                .request_interval(design.health_check_interval)
                .failure_threshold(design.health_check_threshold)
                .disabled(disabled);
            if design.health_check_type != "TCP" {
                config = config.resource_path(design.health_check_path);
            }
            let created = route53
                .create_health_check()
                .caller_reference(reference)
                .health_check_config(config.build()?)
                .send()
                .await?;
            Result::Ok(
                created
                    .health_check()
                    .map(|h| h.id().to_string())
                    .unwrap_or_default(),
            )
        }
    };
    let primary_check = health_check(
        primary.lb_dns.clone(),
        "hc-primary".into(),
        design.primary_check_disabled,
    )
    .await?;
    let dr_check = health_check(dr.lb_dns.clone(), "hc-dr".into(), false).await?;
    for i in 0..design.extra_health_checks {
        health_check(
            format!("batch-{i}.yourstore.com"),
            format!("hc-extra-{i}"),
            false,
        )
        .await?;
    }
    {
        use aws_sdk_route53::types::*;
        let failover_record = |role: ResourceRecordSetFailover,
                               set_id: &str,
                               site: &Site,
                               check: Option<&str>|
         -> Result<ResourceRecordSet> {
            let mut record = ResourceRecordSet::builder()
                .name("api.yourstore.com")
                .set_identifier(set_id)
                .failover(role)
                .set_health_check_id(check.map(str::to_string));
            record = match design.cname_records_ttl {
                Some(ttl) => record
                    .r#type(RrType::Cname)
                    .ttl(ttl)
                    .resource_records(ResourceRecord::builder().value(&site.lb_dns).build()?),
                None => record.r#type(RrType::A).alias_target(
                    AliasTarget::builder()
                        .dns_name(format!("dualstack.{}", site.lb_dns))
                        .hosted_zone_id(&site.lb_zone)
                        .evaluate_target_health(design.primary_record_health_checked)
                        .build()?,
                ),
            };
            Ok(record.build()?)
        };
        let mut changes = vec![
            failover_record(
                ResourceRecordSetFailover::Primary,
                "primary-us-east-1",
                primary,
                design
                    .primary_record_health_checked
                    .then_some(primary_check.as_str()),
            )?,
            failover_record(
                ResourceRecordSetFailover::Secondary,
                "secondary-us-west-2",
                dr,
                Some(dr_check.as_str()),
            )?,
            ResourceRecordSet::builder()
                .name("www.yourstore.com")
                .r#type(RrType::Cname)
                .ttl(300)
                .resource_records(
                    ResourceRecord::builder()
                        .value("api.yourstore.com")
                        .build()?,
                )
                .build()?,
        ];
        for i in 0..design.extra_records {
            changes.push(
                ResourceRecordSet::builder()
                    .name(format!("host-{i:04}.yourstore.com"))
                    .r#type(RrType::A)
                    .ttl(300)
                    .resource_records(ResourceRecord::builder().value("192.0.2.10").build()?)
                    .build()?,
            );
        }
        // Route 53 takes at most 1,000 changes per batch.
        for batch in changes.chunks(500) {
            route53
                .change_resource_record_sets()
                .hosted_zone_id(&zone_id)
                .change_batch(
                    ChangeBatch::builder()
                        .set_changes(Some(
                            batch
                                .iter()
                                .map(|r| {
                                    Change::builder()
                                        .action(ChangeAction::Create)
                                        .resource_record_set(r.clone())
                                        .build()
                                })
                                .collect::<std::result::Result<Vec<_>, _>>()?,
                        ))
                        .build()?,
                )
                .send()
                .await?;
        }
    }
    Ok((zone_id, primary_check))
}
