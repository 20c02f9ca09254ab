//! `[[waiver]]` and `[waivers]`.

use toml::Spanned;

use super::Validator;
use crate::config::model::Waiver;
use crate::config::raw::{RawWaiver, RawWaiverSettings};

impl Validator {
    pub(super) fn waiver(&mut self, raw: Spanned<RawWaiver>) -> Option<Waiver> {
        let table_span = self.span_of(&raw);
        let defined_at = self.location(raw.span().start);
        let raw = raw.into_inner();
        let rule_span = raw
            .rule
            .as_ref()
            .map_or(table_span, |rule| self.span_of(rule));
        let mut missing = Vec::new();
        let mut text = |this: &mut Self, key: &'static str, value: Option<Spanned<String>>| {
            match value {
                None => {
                    missing.push(key);
                    None
                }
                Some(value) if value.get_ref().trim().is_empty() => {
                    this.problem(
                        this.span_of(&value),
                        format!("`{key}` of a waiver is empty"),
                        "empty",
                        match key {
                            "reason" => "say why the gap is accepted, e.g. \"migration ticket OPS-123\"",
                            "rule" => "name the rule id, e.g. \"DRG-S3-002\"",
                            _ => "write the resource ARN, or a glob such as \"arn:aws:s3:::legacy-*\"",
                        },
                    );
                    None
                }
                Some(value) => Some(value.into_inner().trim().to_string()),
            }
        };
        let rule = text(self, "rule", raw.rule);
        let resource = text(self, "resource", raw.resource);
        let reason = text(self, "reason", raw.reason);
        let expires = match raw.expires {
            None => {
                missing.push("expires");
                None
            }
            Some(value) => {
                let parsed = match value.get_ref() {
                    toml::Value::String(text) => {
                        chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok()
                    }
                    toml::Value::Datetime(datetime) if datetime.time.is_none() => {
                        datetime.date.and_then(|d| {
                            chrono::NaiveDate::from_ymd_opt(
                                i32::from(d.year),
                                u32::from(d.month),
                                u32::from(d.day),
                            )
                        })
                    }
                    _ => None,
                };
                if parsed.is_none() {
                    self.problem(
                        self.span_of(&value),
                        format!("`expires` = {} is not a date", value.get_ref()),
                        "not a date",
                        "write the last day the waiver applies as YYYY-MM-DD, e.g. expires = \"2027-03-31\"",
                    );
                }
                parsed
            }
        };
        if !missing.is_empty() {
            self.problem(
                table_span,
                format!(
                    "waiver without {}",
                    missing
                        .iter()
                        .map(|k| format!("`{k}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                "this waiver",
                "a waiver names `rule` and `resource` (an ARN glob) and must say why (`reason`) and until when (`expires = \"YYYY-MM-DD\"`): a gap accepted for ever is a gap forgotten",
            );
        }
        Some(Waiver {
            rule: rule?,
            rule_span,
            resource: resource?,
            reason: reason?,
            expires: expires?,
            owner: raw
                .owner
                .map(|o| o.into_inner().trim().to_string())
                .filter(|o| !o.is_empty()),
            defined_at,
        })
    }

    /// `[waivers] expiry_notice`: whole days, `"0d"` to turn the notice off.
    pub(super) fn waiver_settings(&mut self, raw: RawWaiverSettings) -> Option<u64> {
        let value = raw.expiry_notice?;
        let text = value.get_ref().trim();
        let seconds = if text == "0" {
            Some(0)
        } else {
            self.duration(&value, "waivers.expiry_notice")
        }?;
        if seconds % 86_400 != 0 {
            self.problem(
                self.span_of(&value),
                format!("`waivers.expiry_notice` = {text:?} is not a whole number of days"),
                "not whole days",
                "write days, e.g. expiry_notice = \"14d\" (\"0d\" turns the notice off)",
            );
            return None;
        }
        Some(seconds / 86_400)
    }
}
