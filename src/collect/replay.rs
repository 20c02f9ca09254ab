//! Collection against in-process HTTP answers instead of AWS.
//!
//! The `aws_response` fuzz target (docs/fuzzing.md) serves arbitrary status
//! codes and bodies to every data call, through the real SDK clients, their
//! deserialisers and drguard's normalisation, and checks that the outcome is a
//! snapshot (with gaps where the answers made no sense), never a panic or a
//! hang. STS `GetCallerIdentity` gets a valid answer so that collection
//! starts. Nothing leaves the process: no socket is opened.

use std::sync::Arc;

use aws_smithy_runtime_api::client::http::{
    HttpConnector, HttpConnectorFuture, SharedHttpConnector, http_client_fn,
};
use aws_smithy_runtime_api::client::orchestrator::{HttpRequest, HttpResponse};
use aws_smithy_runtime_api::http::StatusCode;
use aws_smithy_types::body::SdkBody;

use super::{CollectError, Options, collect};
use crate::config::Config;
use crate::snapshot::model::Snapshot;

/// What STS answers, so that the canned account id is known.
const CALLER_IDENTITY: &str = "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\
<GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/canned</Arn><UserId>AIDACANNED</UserId>\
<Account>123456789012</Account></GetCallerIdentityResult>\
<ResponseMetadata><RequestId>00000000-0000-0000-0000-000000000000</RequestId></ResponseMetadata>\
</GetCallerIdentityResponse>";

/// One answer for every data call.
#[derive(Debug, Clone)]
pub struct CannedAnswer {
    /// HTTP status (an invalid one is answered as 500).
    pub status: u16,
    /// Response headers.
    pub headers: Vec<(String, String)>,
    /// Response body.
    pub body: Arc<[u8]>,
}

impl HttpConnector for CannedAnswer {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        const IDENTITY_ACTION: &[u8] = b"Action=GetCallerIdentity";
        let asks_identity = request.body().bytes().is_some_and(|b| {
            b.windows(IDENTITY_ACTION.len())
                .any(|w| w == IDENTITY_ACTION)
        });
        let (status, body) = if asks_identity {
            (200, SdkBody::from(CALLER_IDENTITY))
        } else {
            (self.status, SdkBody::from(self.body.to_vec()))
        };
        let status = StatusCode::try_from(status)
            .or_else(|_| StatusCode::try_from(500))
            .map_err(|e| {
                aws_smithy_runtime_api::client::result::ConnectorError::other(e.into(), None)
            });
        let response = status.map(|status| {
            let mut response = HttpResponse::new(status, body);
            if !asks_identity {
                for (name, value) in &self.headers {
                    // An invalid header name or value is left out, as a client would.
                    let _ = response
                        .headers_mut()
                        .try_insert(name.clone(), value.clone());
                }
            }
            response
        });
        HttpConnectorFuture::ready(response)
    }
}

/// Collects a snapshot of `config`'s regions while every data call gets
/// `answer` (static test credentials; the environment's are not read).
#[doc(hidden)]
pub fn collect_with_canned_answer(
    config: &Config,
    answer: CannedAnswer,
) -> Result<Snapshot, CollectError> {
    let options = Options {
        canned: Some(http_client_fn(move |_, _| {
            SharedHttpConnector::new(answer.clone())
        })),
        ..Options::default()
    };
    collect(config, &options)
}
