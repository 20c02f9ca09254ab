//! The report view: each result joined with the tables later stages built
//! beside it (the waiver that covers it, its state against the baseline).

use std::ops::Deref;

use super::Audit;
use crate::drift::{BaselineState, baseline::Comparison};
use crate::rules::Outcome;
use crate::vocab::Status;
use crate::waivers::WaiverMark;

/// One result as reports show it. It reads as its [`Outcome`] (`row.rule_id`,
/// `row.resource`, `row.message`), except for the status, which is the one
/// after waivers (`waived` for a failure an in-date waiver covers).
#[derive(Debug, Clone)]
pub struct ResultRow<'a> {
    /// The result as evaluated.
    pub outcome: &'a Outcome<'a>,
    /// The status reports show.
    pub status: Status,
    /// The waiver covering it (in date: status `waived`; expired: still `fail`).
    pub waiver: Option<&'a WaiverMark>,
    /// Where it stands against the baseline, when one was given.
    pub baseline_state: Option<BaselineState>,
}

impl<'a> Deref for ResultRow<'a> {
    type Target = Outcome<'a>;

    fn deref(&self) -> &Outcome<'a> {
        self.outcome
    }
}

impl<'a> Audit<'a> {
    /// Every result with its waiver and baseline state, in evaluation order.
    pub fn rows(&'a self, comparison: Option<&'a Comparison>) -> Vec<ResultRow<'a>> {
        self.evaluation
            .outcomes
            .iter()
            .map(|outcome| {
                let waiver = self.waivers.mark(outcome);
                ResultRow {
                    outcome,
                    status: self.waivers.status(outcome),
                    waiver,
                    baseline_state: comparison.and_then(|c| c.state(outcome)),
                }
            })
            .collect()
    }
}
