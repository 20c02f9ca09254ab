//! ACM, per region: the account's certificates with every name they cover,
//! their status and validity. A certificate serves only its own region, so
//! the DR region's list is what the DR load balancer can use.
//!
//! Calls: `ListCertificates` (every key type: by default ACM lists RSA 2048
//! only; all pages) and one `DescribeCertificate` per certificate, for the
//! full list of alternative names the listing cuts at 100.

use std::sync::Arc;

use aws_sdk_acm::Client;
use aws_sdk_acm::primitives::{DateTime, DateTimeFormat};
use aws_sdk_acm::types::{Filters, KeyAlgorithm};
use futures_util::future::join_all;

use super::{Ctx, Part, gap};
use crate::snapshot::model::{Certificate, Snapshot};

const SOURCE: &str = "acm";

/// Collects the certificates of one region.
pub(crate) async fn collect(ctx: Arc<Ctx>, region: String, _view: Arc<Snapshot>) -> Part {
    let client = Client::from_conf(
        aws_sdk_acm::config::Builder::from(&ctx.sdk(&region))
            .interceptor(ctx.recorder.clone())
            .build(),
    );
    let mut part = Part::new();
    let mut arns = Vec::new();
    {
        let _permit = ctx.permit(SOURCE).await;
        let every_key_type = KeyAlgorithm::values()
            .iter()
            .map(|name| KeyAlgorithm::from(*name))
            .collect();
        let mut pages = client
            .list_certificates()
            .includes(
                Filters::builder()
                    .set_key_types(Some(every_key_type))
                    .build(),
            )
            // The largest page AWS allows: fewer round trips.
            .max_items(1000)
            .into_paginator()
            .send();
        while let Some(page) = pages.next().await {
            match page {
                Ok(page) => arns.extend(
                    page.certificate_summary_list()
                        .iter()
                        .filter_map(|c| c.certificate_arn().map(str::to_string)),
                ),
                Err(err) => {
                    part.gaps
                        .push(gap(SOURCE, &region, "ListCertificates", &err));
                    break;
                }
            }
        }
    }
    // One DescribeCertificate per certificate, concurrently under the service's cap.
    let (ctx, client) = (&ctx, &client);
    let described = join_all(arns.iter().map(|arn| async move {
        let _permit = ctx.permit(SOURCE).await;
        client
            .describe_certificate()
            .certificate_arn(arn)
            .send()
            .await
    }))
    .await;
    let mut certificates = Vec::new();
    for (arn, result) in arns.into_iter().zip(described) {
        match result {
            Ok(out) => {
                let Some(detail) = out.certificate() else {
                    continue;
                };
                certificates.push(Certificate {
                    arn,
                    domain_name: detail.domain_name().map(str::to_string),
                    subject_alternative_names: detail.subject_alternative_names().to_vec(),
                    status: detail.status().map(|s| s.as_str().to_string()),
                    certificate_type: detail.r#type().map(|t| t.as_str().to_string()),
                    key_algorithm: detail.key_algorithm().map(|k| k.as_str().to_string()),
                    not_before: detail.not_before().and_then(rfc3339),
                    not_after: detail.not_after().and_then(rfc3339),
                    in_use_by: detail.in_use_by().to_vec(),
                });
            }
            Err(err) => part
                .gaps
                .push(gap(SOURCE, &region, "DescribeCertificate", &err)),
        }
    }
    part.count("certificates", certificates.len());
    part.edit_region(&region, move |data| data.certificates.extend(certificates));
    part
}

/// An SDK time as RFC 3339 (`2027-03-31T00:00:00Z`).
fn rfc3339(time: &DateTime) -> Option<String> {
    time.fmt(DateTimeFormat::DateTime).ok()
}
