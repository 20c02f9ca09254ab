//! `[app]` and `[targets]`.

use super::Validator;
use super::values::parse_percent;
use crate::config::duration::parse_duration;
use crate::config::error::InvalidValue;
use crate::config::model::{App, Targets};
use crate::config::raw::{RawApp, RawTargets};
use crate::vocab::is_region_name;

impl Validator {
    pub(super) fn app(&mut self, raw: RawApp, app: &mut App) {
        if let Some(name) = raw.name {
            if name.get_ref().trim().is_empty() {
                self.problem(
                    self.span_of(&name),
                    "`app.name` is empty".into(),
                    "empty",
                    "give the app a short name, e.g. \"shop\"",
                );
            }
            app.name = name.into_inner();
        }
        if let Some(domain) = raw.domain {
            let text = domain.get_ref().trim();
            if text.is_empty() || text.contains(' ') || text.contains("://") || !text.contains('.')
            {
                self.problem(
                    self.span_of(&domain),
                    format!("`app.domain` = {:?} is not a DNS name", domain.get_ref()),
                    "not a domain name",
                    "write the record name that has the failover pair, e.g. \"api.yourstore.com\" (no scheme, no path)",
                );
            }
            app.domain = Some(text.to_string());
        }
        let mut region_spans = Vec::new();
        for (key, raw_region, target) in [
            (
                "primary_region",
                raw.primary_region,
                &mut app.primary_region,
            ),
            ("dr_region", raw.dr_region, &mut app.dr_region),
        ] {
            if let Some(region) = raw_region {
                let span = self.span_of(&region);
                if !is_region_name(region.get_ref()) {
                    self.problem(
                        span,
                        format!(
                            "`app.{key}` = {:?} is not an AWS region name",
                            region.get_ref()
                        ),
                        "not a region",
                        "use a region code such as \"us-east-1\" or \"eu-west-2\"",
                    );
                }
                region_spans.push(Some(span));
                *target = region.into_inner();
            } else {
                region_spans.push(None);
            }
        }
        if app.primary_region == app.dr_region {
            let dr_span = region_spans
                .get(1)
                .copied()
                .flatten()
                .or(region_spans.first().copied().flatten());
            if let Some(span) = dr_span {
                self.problems.push(InvalidValue {
                    message: format!("the DR region equals the primary region ({})", app.dr_region),
                    help: "a regional failover needs a second region: set `app.dr_region` to the standby region, e.g. \"us-west-2\"".into(),
                    src: self.file.named(),
                    span,
                    label: "same region as the primary".into(),
                    other: region_spans.first().copied().flatten().filter(|s| Some(*s) != dr_span),
                    other_label: "primary region set here".into(),
                });
            }
        }
        if let Some(runbook) = raw.runbook {
            app.runbook = Some(runbook.into_inner());
        }
    }

    pub(super) fn targets(&mut self, raw: RawTargets, targets: &mut Targets) {
        for (key, raw_value, target) in [
            ("rto", raw.rto, &mut targets.rto_seconds),
            ("rpo", raw.rpo, &mut targets.rpo_seconds),
        ] {
            let Some(value) = raw_value else { continue };
            match parse_duration(value.get_ref()) {
                Ok(0) if key == "rto" => self.problem(
                    self.span_of(&value),
                    "`targets.rto` is zero: no failover completes instantly".into(),
                    "zero",
                    "set the recovery time objective of your contract, e.g. \"15m\"",
                ),
                Ok(seconds) => *target = seconds,
                Err(reason) => self.problem(
                    self.span_of(&value),
                    format!("`targets.{key}` = {:?}: {reason}", value.get_ref()),
                    "not a duration",
                    "write a positive duration with a unit: \"90s\", \"15m\", \"1h30m\"",
                ),
            }
        }
        if let Some(value) = raw.availability {
            match parse_percent(value.get_ref()) {
                Ok(percent) => {
                    if percent.value < 90.0 {
                        self.warn(
                            &value,
                            format!(
                                "`targets.availability` = {}% allows {:.0} hours of downtime a year: is that the contract?",
                                percent.value,
                                (100.0 - percent.value) / 100.0 * 365.0 * 24.0
                            ),
                        );
                    }
                    targets.availability_percent = percent.value;
                }
                Err(reason) => self.problem(
                    self.span_of(&value),
                    format!("`targets.availability`: {reason}"),
                    "not an availability",
                    "write a percentage above 0 and below 100 with its sign, e.g. \"99.99%\"",
                ),
            }
        }
        if let Some(value) = raw.expected_failovers_per_year {
            match value.get_ref() {
                toml::Value::Integer(n) if *n >= 0 => {
                    targets.expected_failovers_per_year = *n as f64
                }
                toml::Value::Float(f) if f.is_finite() && *f >= 0.0 => {
                    targets.expected_failovers_per_year = *f
                }
                _ => self.problem(
                    self.span_of(&value),
                    "`targets.expected_failovers_per_year` must be a number ≥ 0".into(),
                    "not a count",
                    "count real failovers and drills per year, e.g. 2",
                ),
            }
        }
    }
}
