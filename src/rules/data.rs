//! Fail closed: whether the data a result depends on was collected.
//!
//! A rule names what it reads in `requires` (checked once, for the whole
//! rule) and, where that depends on the resource, in `reads` (a CEL list of
//! data-source names, checked per result when the assertion holds). Data that
//! failed to be collected makes the result `error`; data skipped on purpose
//! makes it `not_applicable`; never a pass.

use crate::snapshot::Snapshot;
use crate::vocab::Status;
use crate::vocab::sources::overlaps;

/// Why a result cannot be decided, or None when all its data is there.
pub struct Unavailable {
    /// `error` (not collected) or `not_applicable` (skipped on purpose).
    pub status: Status,
    /// What is missing, for the result's message.
    pub message: String,
    /// True when the data failed to be collected (a gap).
    pub missing_data: bool,
}

/// The first reason the data named by `wanted` is unavailable: a failed
/// call first (error), else a source skipped on purpose (not applicable).
pub fn unavailable<'w>(
    snapshot: &Snapshot,
    wanted: impl Iterator<Item = &'w str> + Clone,
) -> Option<Unavailable> {
    let gaps: Vec<_> = snapshot
        .gaps
        .iter()
        .filter(|gap| {
            let have = match &gap.resource {
                Some(part) => format!("{}.{}", gap.service, part),
                None => gap.service.clone(),
            };
            wanted.clone().any(|w| overlaps(w, &have))
        })
        .collect();
    if let Some(first) = gaps.first() {
        let more = if gaps.len() > 1 {
            format!(" (and {} more failed call(s))", gaps.len() - 1)
        } else {
            String::new()
        };
        return Some(Unavailable {
            status: Status::Error,
            message: format!(
                "not evaluated: the data it needs was not collected: {} in {} failed with {}: {}{more}",
                first.operation, first.region, first.error_code, first.message
            ),
            missing_data: true,
        });
    }
    let skipped = snapshot
        .skipped
        .iter()
        .find(|skip| wanted.clone().any(|w| overlaps(w, &skip.source)))
        .map(|skip| Unavailable {
            status: Status::NotApplicable,
            message: format!(
                "not evaluated: data source `{}` skipped on purpose: {}",
                skip.source, skip.reason
            ),
            missing_data: false,
        });
    if skipped.is_some() {
        return skipped;
    }
    wanted
        .clone()
        .find(|w| !snapshot.carries(w))
        .map(|missing| Unavailable {
            status: Status::Error,
            message: format!(
                "not evaluated: the snapshot carries no `{missing}` data (it was written by an \
                 older drguard, or by hand without listing `{missing}` in its `sources`): \
                 collect a new one with `drguard snapshot`"
            ),
            missing_data: true,
        })
}
