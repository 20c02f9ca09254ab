//! Service Quotas, per region: the applied value of each quota in
//! [`QUOTAS`](crate::snapshot::model::servicequotas::QUOTAS) (the EC2
//! On-Demand Standard vCPU quota). Scaling the DR region out to the primary's
//! peak fails at the quota, and an increase is a support case, not a
//! failover step.
//!
//! Calls: one `GetServiceQuota` per quota. Any error, `NoSuchResourceException`
//! included, is a gap: a quota drguard could not read must never pass.

use std::sync::Arc;

use aws_sdk_servicequotas::Client;

use super::{Ctx, Part, gap};
use crate::snapshot::model::servicequotas::QUOTAS;
use crate::snapshot::model::{CollectionGap, ServiceQuota, Snapshot};

const SOURCE: &str = "servicequotas";

/// Collects the quotas of one region.
pub(crate) async fn collect(ctx: Arc<Ctx>, region: String, _view: Arc<Snapshot>) -> Part {
    let client = Client::from_conf(
        aws_sdk_servicequotas::config::Builder::from(&ctx.sdk(&region))
            .interceptor(ctx.recorder.clone())
            .build(),
    );
    let mut part = Part::new();
    let mut quotas = Vec::new();
    for (service_code, quota_code) in QUOTAS {
        let _permit = ctx.permit(SOURCE).await;
        let answer = client
            .get_service_quota()
            .service_code(*service_code)
            .quota_code(*quota_code)
            .send()
            .await;
        match answer {
            Ok(out) => {
                let Some(quota) = out.quota() else {
                    part.gaps.push(CollectionGap {
                        service: SOURCE.into(),
                        resource: None,
                        region: region.clone(),
                        operation: "GetServiceQuota".into(),
                        error_code: "MalformedResponse".into(),
                        message: format!("the answer for {service_code} {quota_code} has no Quota"),
                    });
                    continue;
                };
                quotas.push(ServiceQuota {
                    service_code: quota.service_code().unwrap_or(service_code).to_string(),
                    quota_code: quota.quota_code().unwrap_or(quota_code).to_string(),
                    quota_name: quota.quota_name().map(str::to_string),
                    value: quota.value(),
                    unit: quota.unit().map(str::to_string),
                    adjustable: Some(quota.adjustable()),
                });
            }
            Err(err) => part
                .gaps
                .push(gap(SOURCE, &region, "GetServiceQuota", &err)),
        }
    }
    part.count("quotas", quotas.len());
    part.edit_region(&region, move |data| data.service_quotas.extend(quotas));
    part
}
