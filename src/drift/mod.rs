//! Drift: what changed since a baseline, and between two snapshots.
//!
//! - [`baseline`] marks each result of an audit `new`, `unchanged`, `updated`
//!   or `absent` against a previous JSON report or snapshot, by fingerprint
//!   (rule id + resource ARN, never the message), for `audit --baseline`;
//! - [`mod@diff`] compares two snapshots resource by resource, for `drguard diff`
//!   and for the `drift.changes` of an audit whose baseline is a snapshot;
//! - [`budget_delta`] says how the RTO/RPO estimate moved between them.
//!
//! DR-versus-primary parity is not here: it is ordinary rules (`DRG-PAR-*`
//! under `rules/parity/`) over facts that [`crate::link`] derives.

pub mod baseline;
pub mod budget_delta;
pub mod diff;

pub use baseline::{Baseline, BaselineState, PreviousResult};
pub use budget_delta::BudgetDelta;
pub use diff::{Diff, diff};
