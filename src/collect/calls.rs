//! The call log: an SDK interceptor on every client that records each
//! operation drguard calls (service, IAM action, region, duration, attempts,
//! outcome). It fills `snapshot.collection.api_calls`, logs through
//! `tracing` (`-v`), and lets a test compare the calls with the published
//! IAM policy.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::interceptors::context::{
    BeforeSerializationInterceptorContextRef, BeforeTransmitInterceptorContextRef,
    FinalizerInterceptorContextRef,
};
use aws_smithy_runtime_api::client::orchestrator::Metadata;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::{ConfigBag, Storable, StoreReplace};
use aws_types::region::Region;

use crate::snapshot::model::ApiCall;

/// The interceptor; cheap to clone, all clones share one log.
#[derive(Debug, Clone, Default)]
pub(crate) struct Recorder {
    calls: Arc<Mutex<Vec<ApiCall>>>,
    /// `host:port` each (operation, region) was last sent to, so that an
    /// error without an answer can name where it went.
    endpoints: Arc<Mutex<HashMap<(String, String), String>>>,
}

impl Recorder {
    /// Takes the log.
    pub(crate) fn take(&self) -> Vec<ApiCall> {
        match self.calls.lock() {
            Ok(mut calls) => std::mem::take(&mut *calls),
            Err(_) => Vec::new(),
        }
    }

    /// Where `operation` in `region` was sent (`host:port`); for a global
    /// source's gap (region `global`), where the operation was sent at all.
    pub(crate) fn endpoint(&self, operation: &str, region: &str) -> Option<String> {
        let endpoints = self.endpoints.lock().ok()?;
        endpoints
            .get(&(operation.to_string(), region.to_string()))
            .or_else(|| {
                endpoints
                    .iter()
                    .find(|((op, _), _)| op == operation)
                    .map(|(_, at)| at)
            })
            .cloned()
    }
}

#[derive(Debug)]
struct CallState {
    started: Instant,
    attempts: u32,
}

impl Storable for CallState {
    type Storer = StoreReplace<Self>;
}

impl Intercept for Recorder {
    fn name(&self) -> &'static str {
        "drguard::collect::Recorder"
    }

    fn read_before_execution(
        &self,
        _context: &BeforeSerializationInterceptorContextRef<'_>,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        cfg.interceptor_state().store_put(CallState {
            started: Instant::now(),
            attempts: 0,
        });
        Ok(())
    }

    fn read_before_transmit(
        &self,
        context: &BeforeTransmitInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        if let (Some(at), Some(metadata), Ok(mut endpoints)) = (
            super::failure::transport::authority(context.request().uri()),
            cfg.load::<Metadata>(),
            self.endpoints.lock(),
        ) {
            let region = cfg
                .load::<Region>()
                .map(|r| r.to_string())
                .unwrap_or_else(|| "global".into());
            endpoints.insert((metadata.name().to_string(), region), at);
        }
        let (started, attempts) = cfg
            .load::<CallState>()
            .map(|s| (s.started, s.attempts))
            .unwrap_or((Instant::now(), 0));
        cfg.interceptor_state().store_put(CallState {
            started,
            attempts: attempts + 1,
        });
        Ok(())
    }

    fn read_after_execution(
        &self,
        context: &FinalizerInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let (service, operation) = cfg
            .load::<Metadata>()
            .map(|m| (m.service().to_string(), m.name().to_string()))
            .unwrap_or_default();
        let region = cfg
            .load::<Region>()
            .map(|r| r.to_string())
            .unwrap_or_else(|| "global".into());
        let (duration_ms, attempts) = cfg
            .load::<CallState>()
            .map(|s| (s.started.elapsed().as_millis() as u64, s.attempts))
            .unwrap_or_default();
        let outcome = match context.output_or_error() {
            Some(Ok(_)) => "ok".to_string(),
            Some(Err(err)) => {
                if err.is_timeout_error() {
                    "timeout".to_string()
                } else {
                    match context.response() {
                        Some(response) => format!("http {}", response.status().as_u16()),
                        None => "no response".to_string(),
                    }
                }
            }
            None => "unknown".to_string(),
        };
        let action = iam_action(&service, &operation);
        tracing::info!(
            target: "drguard::api",
            %action,
            %region,
            duration_ms,
            attempts,
            %outcome,
            "{operation}"
        );
        if let Ok(mut calls) = self.calls.lock() {
            calls.push(ApiCall {
                service,
                action,
                operation,
                region,
                duration_ms,
                attempts,
                outcome,
            });
        }
        Ok(())
    }
}

/// The IAM action that authorises an API operation, as the service specs
/// name it (`s3` + `ListBuckets` → `s3:ListAllMyBuckets`). The SDK names a
/// service as IAM prefixes its actions, except for the two spelled out here.
pub fn iam_action(service: &str, operation: &str) -> String {
    let name = service.to_ascii_lowercase().replace(' ', "");
    let prefix = match name.as_str() {
        "elasticloadbalancingv2" => "elasticloadbalancing",
        "eventbridge" => "events",
        other => other,
    };
    crate::snapshot::spec::iam_action(prefix, operation)
}
