//! `[plan]`: which region each Terraform provider configuration manages.

use super::Validator;
use crate::config::model::Config;
use crate::config::raw::RawPlan;
use crate::vocab::is_region_name;

impl Validator {
    pub(super) fn plan(&mut self, raw: RawPlan, config: &mut Config) {
        for (key, value) in raw.providers {
            let span = self.span_of(&value);
            let region = match value.get_ref().as_str() {
                "primary" => config.app.primary_region.clone(),
                "dr" => config.app.dr_region.clone(),
                other if is_region_name(other) => other.to_string(),
                other => {
                    self.problem(
                        span,
                        format!("[plan] providers: {key:?} = {other:?} names neither a role nor a region"),
                        "not a role or region",
                        "write \"primary\" (app.primary_region), \"dr\" (app.dr_region) or a region code such as \"us-west-2\"",
                    );
                    continue;
                }
            };
            let provider = key.rsplit(':').next().unwrap_or(&key);
            if !(provider == "aws" || provider.starts_with("aws.")) {
                self.problem(
                    span,
                    format!("[plan] providers: {key:?} is not an AWS provider configuration key"),
                    "not an AWS provider key",
                    "keys are the plan's provider_config_key values: \"aws\", \"aws.ALIAS\" or \"module.NAME:aws\"",
                );
                continue;
            }
            config.plan.providers.insert(key, region);
        }
    }
}
