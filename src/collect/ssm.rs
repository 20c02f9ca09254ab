//! SSM, per region: Automation documents owned by the account, with their
//! content (YAML or JSON) parsed into parameters and steps (action, API
//! service and operation, inputs) by [`document::parse`].
//!
//! Calls: `ListDocuments` (owner `Self`, type `Automation`; all pages; the
//! listing carries the tags) and one `GetDocument` per document.
//!
//! A document whose content cannot be parsed is a gap (`UnparseableContent`),
//! not a document without steps: a runbook drguard cannot read must never pass.

use std::sync::Arc;

use futures_util::future::join_all;

use super::{Ctx, Part, gap};
use crate::snapshot::document;
use crate::snapshot::model::{AutomationDocument, CollectionGap, Snapshot, Tags};
use aws_sdk_ssm::Client;
use aws_sdk_ssm::types::{DocumentKeyValuesFilter, DocumentType};

const SOURCE: &str = "ssm";

/// Collects the Automation documents of one region.
pub(crate) async fn collect(ctx: Arc<Ctx>, region: String, _view: Arc<Snapshot>) -> Part {
    let client = Client::from_conf(
        aws_sdk_ssm::config::Builder::from(&ctx.sdk(&region))
            .interceptor(ctx.recorder.clone())
            .build(),
    );
    let mut part = Part::new();
    let mut listed: Vec<(String, Option<String>, Tags)> = Vec::new();
    {
        let _permit = ctx.permit(SOURCE).await;
        let mut pages = client
            .list_documents()
            // The largest page AWS allows (default 10): fewer round trips.
            .max_results(50)
            .filters(
                DocumentKeyValuesFilter::builder()
                    .key("Owner")
                    .values("Self")
                    .build(),
            )
            .filters(
                DocumentKeyValuesFilter::builder()
                    .key("DocumentType")
                    .values(DocumentType::Automation.as_str())
                    .build(),
            )
            .into_paginator()
            .send();
        while let Some(page) = pages.next().await {
            match page {
                Ok(page) => listed.extend(page.document_identifiers().iter().filter_map(|d| {
                    // The filter is a request; keep the promise even if an endpoint ignores it.
                    if d.document_type()
                        .is_some_and(|t| *t != DocumentType::Automation)
                    {
                        return None;
                    }
                    Some((
                        d.name()?.to_string(),
                        d.document_version().map(str::to_string),
                        d.tags()
                            .iter()
                            .map(|t| (t.key().to_string(), t.value().to_string()))
                            .collect(),
                    ))
                })),
                Err(err) => {
                    part.gaps.push(gap(SOURCE, &region, "ListDocuments", &err));
                    break;
                }
            }
        }
    }
    // One GetDocument per document, concurrently under the service's cap.
    let (ctx, client) = (&ctx, &client);
    let fetched = join_all(listed.iter().map(|(name, version, _)| async move {
        let _permit = ctx.permit(SOURCE).await;
        client
            .get_document()
            .name(name)
            .set_document_version(version.clone())
            .send()
            .await
    }))
    .await;
    let mut documents = Vec::new();
    for ((name, _, tags), result) in listed.into_iter().zip(fetched) {
        match result {
            Ok(out) => {
                let format = out.document_format().map(|f| f.as_str().to_string());
                let content = out.content().unwrap_or_default();
                match document::parse(content, format.as_deref()) {
                    Ok(parsed) => documents.push(AutomationDocument {
                        name,
                        document_type: out
                            .document_type()
                            .map(|t| t.as_str().to_string())
                            .unwrap_or_else(|| "Automation".into()),
                        document_version: out.document_version().map(str::to_string),
                        document_format: format,
                        tags,
                        parameters: parsed.parameters,
                        steps: parsed.steps,
                        assume_role: parsed.assume_role,
                    }),
                    Err(reason) => part.gaps.push(CollectionGap {
                        service: SOURCE.into(),
                        resource: None,
                        region: region.clone(),
                        operation: "GetDocument".into(),
                        error_code: "UnparseableContent".into(),
                        message: format!("document {name}: {reason}"),
                    }),
                }
            }
            Err(err) => part.gaps.push(gap(SOURCE, &region, "GetDocument", &err)),
        }
    }
    part.count("automation documents", documents.len());
    part.edit_region(&region, move |data| {
        data.automation_documents.extend(documents)
    });
    part
}
