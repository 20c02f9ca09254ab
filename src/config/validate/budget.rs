//! `[budget]`: a replacement model, single defaults, the design's claims.

use super::Validator;
use crate::config::model::BudgetConfig;
use crate::config::raw::RawBudget;

impl Validator {
    pub(super) fn budget(&mut self, raw: RawBudget, budget: &mut BudgetConfig) {
        budget.model = raw.model.map(|m| self.base.join(m.get_ref()));
        for (name, value) in raw.defaults {
            let span = self.span_of(&value);
            if value.get_ref().trim() == "none" {
                budget.defaults.insert(name, (None, span));
            } else if let Some(seconds) = self.duration(&value, &format!("budget.defaults.{name}"))
            {
                budget.defaults.insert(name, (Some(seconds as f64), span));
            }
        }
        budget.claims.source = raw.claims.source;
        budget.claims.rto = raw
            .claims
            .rto
            .and_then(|v| self.duration(&v, "budget.claims.rto"));
        budget.claims.rpo = raw
            .claims
            .rpo
            .and_then(|v| self.duration(&v, "budget.claims.rpo"));
        for (step, value) in raw.claims.steps {
            let span = self.span_of(&value);
            if let Some(seconds) = self.duration(&value, &format!("budget.claims.steps.{step}")) {
                budget.claims.steps.insert(step, (seconds, span));
            }
        }
    }
}
