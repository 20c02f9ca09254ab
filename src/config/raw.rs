//! The configuration as typed: every value keeps its span, unknown keys and
//! wrong types are rejected here, pointing at the key (the first of the two
//! loading phases).

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use crate::vocab::Severity;

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawConfig {
    #[serde(default)]
    pub(super) app: RawApp,
    #[serde(default)]
    pub(super) targets: RawTargets,
    #[serde(default)]
    pub(super) scope: RawScope,
    #[serde(default)]
    pub(super) rules: RawRules,
    #[serde(default)]
    pub(super) budget: RawBudget,
    #[serde(default)]
    pub(super) waiver: Vec<Spanned<RawWaiver>>,
    #[serde(default)]
    pub(super) waivers: RawWaiverSettings,
    #[serde(default)]
    pub(super) collect: RawCollect,
    #[serde(default)]
    pub(super) plan: RawPlan,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawPlan {
    #[serde(default)]
    pub(super) providers: BTreeMap<String, Spanned<String>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawCollect {
    pub(super) max_attempts: Option<Spanned<i64>>,
    pub(super) connect_timeout: Option<Spanned<String>>,
    pub(super) attempt_timeout: Option<Spanned<String>>,
    pub(super) operation_timeout: Option<Spanned<String>>,
    pub(super) concurrency: Option<Spanned<i64>>,
    pub(super) route53_requests_per_second: Option<Spanned<i64>>,
    pub(super) metric_window: Option<Spanned<String>>,
    pub(super) peak_window: Option<Spanned<String>>,
    #[serde(default)]
    pub(super) skip: Vec<RawSkip>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSkip {
    pub(super) source: Spanned<String>,
    pub(super) reason: Spanned<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawWaiverSettings {
    pub(super) expiry_notice: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawWaiver {
    pub(super) rule: Option<Spanned<String>>,
    pub(super) resource: Option<Spanned<String>>,
    pub(super) reason: Option<Spanned<String>>,
    pub(super) expires: Option<Spanned<toml::Value>>,
    pub(super) owner: Option<Spanned<String>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawBudget {
    pub(super) model: Option<Spanned<String>>,
    #[serde(default)]
    pub(super) defaults: BTreeMap<String, Spanned<String>>,
    #[serde(default)]
    pub(super) claims: RawClaims,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawClaims {
    pub(super) source: Option<String>,
    pub(super) rto: Option<Spanned<String>>,
    pub(super) rpo: Option<Spanned<String>>,
    #[serde(default)]
    pub(super) steps: BTreeMap<String, Spanned<String>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawApp {
    pub(super) name: Option<Spanned<String>>,
    pub(super) domain: Option<Spanned<String>>,
    pub(super) primary_region: Option<Spanned<String>>,
    pub(super) dr_region: Option<Spanned<String>>,
    pub(super) runbook: Option<Spanned<String>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawTargets {
    pub(super) rto: Option<Spanned<String>>,
    pub(super) rpo: Option<Spanned<String>>,
    pub(super) availability: Option<Spanned<toml::Value>>,
    pub(super) expected_failovers_per_year: Option<Spanned<toml::Value>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawScope {
    #[serde(default)]
    pub(super) tags: BTreeMap<String, String>,
}

#[derive(Default)]
pub(super) struct RawRules {
    pub(super) paths: Vec<Spanned<String>>,
    pub(super) overrides: Vec<(Spanned<String>, RawOverride)>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawOverride {
    pub(super) severity: Option<Severity>,
    pub(super) enabled: Option<bool>,
    #[serde(default)]
    pub(super) params: BTreeMap<Spanned<String>, Spanned<toml::Value>>,
}

impl<'de> Deserialize<'de> for RawRules {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = RawRules;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a table with `paths` and `\"RULE-ID\"` override tables")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<RawRules, A::Error> {
                let mut rules = RawRules::default();
                while let Some(key) = map.next_key::<Spanned<String>>()? {
                    if key.get_ref() == "paths" {
                        rules.paths = map.next_value()?;
                    } else {
                        let value: RawOverride = map.next_value()?;
                        rules.overrides.push((key, value));
                    }
                }
                Ok(rules)
            }
        }
        deserializer.deserialize_map(Visitor)
    }
}
