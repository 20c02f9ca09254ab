//! `[collect]`: retries, timeouts, concurrency, the metric windows, skips.

use std::collections::BTreeMap;

use miette::SourceSpan;

use super::Validator;
use crate::config::duration::parse_duration;
use crate::config::error::InvalidValue;
use crate::config::model::{CollectConfig, Skip};
use crate::config::raw::RawCollect;
use crate::snapshot::spec;

/// CloudWatch keeps hourly datapoints for 455 days (15 months): a longer
/// peak window would read nothing more.
const PEAK_WINDOW_MAX_DAYS: u64 = 455;

impl Validator {
    pub(super) fn collect(&mut self, raw: RawCollect, collect: &mut CollectConfig) {
        let counts = [
            ("max_attempts", raw.max_attempts, 1, 20),
            ("concurrency", raw.concurrency, 1, 64),
            (
                "route53_requests_per_second",
                raw.route53_requests_per_second,
                1,
                100,
            ),
        ];
        for (key, value, low, high) in counts {
            let Some(value) = value else { continue };
            let n = *value.get_ref();
            if n < low || n > high {
                self.problem(
                    self.span_of(&value),
                    format!("`collect.{key}` = {n} is out of range"),
                    "out of range",
                    &format!("use a whole number from {low} to {high}"),
                );
                continue;
            }
            match key {
                "max_attempts" => collect.max_attempts = n as u32,
                "concurrency" => collect.concurrency = n as usize,
                _ => collect.route53_requests_per_second = n as u32,
            }
        }
        let durations = [
            (
                "connect_timeout",
                raw.connect_timeout,
                &mut collect.connect_timeout_seconds,
            ),
            (
                "attempt_timeout",
                raw.attempt_timeout,
                &mut collect.attempt_timeout_seconds,
            ),
            (
                "operation_timeout",
                raw.operation_timeout,
                &mut collect.operation_timeout_seconds,
            ),
            (
                "metric_window",
                raw.metric_window,
                &mut collect.metric_window_seconds,
            ),
            (
                "peak_window",
                raw.peak_window,
                &mut collect.peak_window_seconds,
            ),
        ];
        for (key, value, target) in durations {
            let Some(value) = value else { continue };
            match parse_duration(value.get_ref()) {
                Ok(0) => self.problem(
                    self.span_of(&value),
                    format!("`collect.{key}` is zero"),
                    "zero",
                    "write a positive duration with a unit: \"10s\", \"2m\", \"24h\"",
                ),
                Ok(seconds) if key == "metric_window" && seconds > 15 * 86_400 => self.problem(
                    self.span_of(&value),
                    format!("`collect.metric_window` = {:?} is longer than 15 days", value.get_ref()),
                    "too long",
                    "CloudWatch keeps 1-minute data for 15 days: use at most \"15d\" (the default is \"24h\")",
                ),
                Ok(seconds) if key == "peak_window" && seconds > PEAK_WINDOW_MAX_DAYS * 86_400 => self.problem(
                    self.span_of(&value),
                    format!("`collect.peak_window` = {:?} is longer than {PEAK_WINDOW_MAX_DAYS} days", value.get_ref()),
                    "too long",
                    &format!("CloudWatch keeps hourly data for {PEAK_WINDOW_MAX_DAYS} days: use at most \"{PEAK_WINDOW_MAX_DAYS}d\" (the default is \"7d\")"),
                ),
                Ok(seconds) => *target = seconds,
                Err(reason) => self.problem(
                    self.span_of(&value),
                    format!("`collect.{key}` = {:?}: {reason}", value.get_ref()),
                    "not a duration",
                    "write a positive duration with a unit: \"10s\", \"2m\", \"24h\"",
                ),
            }
        }
        let mut seen: BTreeMap<String, SourceSpan> = BTreeMap::new();
        for skip in raw.skip {
            let span = self.span_of(&skip.source);
            let source = skip.source.get_ref().trim().to_string();
            if !spec::is_known_source(&source) {
                self.problem(
                    span,
                    format!("`collect.skip`: unknown data source {source:?}"),
                    "unknown data source",
                    &format!(
                        "use a service or service.resource name: {}",
                        spec::source_names().join(", ")
                    ),
                );
                continue;
            }
            if skip.reason.get_ref().trim().is_empty() {
                self.problem(
                    self.span_of(&skip.reason),
                    format!("`collect.skip` of {source:?} gives no reason"),
                    "empty reason",
                    "say why the data is skipped: every report shows it, e.g. \"no accelerator in this account\"",
                );
                continue;
            }
            if let Some(first) = seen.get(&source).copied() {
                self.problems.push(InvalidValue {
                    message: format!("`collect.skip`: {source:?} is skipped twice"),
                    help: "keep one `[[collect.skip]]` table per data source".into(),
                    src: self.file.named(),
                    span,
                    label: "skipped again".into(),
                    other: Some(first),
                    other_label: "first skipped here".into(),
                });
                continue;
            }
            seen.insert(source.clone(), span);
            collect.skip.push(Skip {
                source,
                reason: skip.reason.into_inner().trim().to_string(),
            });
        }
    }
}
