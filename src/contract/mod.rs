//! The published JSON contract, version 1: the wire types of the JSON audit
//! report (`audit --format json`), of `budget --format json` and of
//! `diff --format json`.
//!
//! These types are the contract, kept apart from the internal ones on
//! purpose (zizmor's lesson: dumping internal types as output disrupts
//! users). Internal refactors change the conversions in `crate::report`,
//! never these shapes. Adding a field is a compatible change; renaming or
//! removing one needs schema version 2. `docs/report.schema.json` is
//! generated from [`report::ReportV1`] and checked fresh by a test.
//!
//! The same types are read back: `audit --baseline REPORT` reads a previous
//! report's rows as [`drift::PriorResultV1`]. A leaf module: it imports only
//! the shared vocabulary.

pub mod budget;
pub mod drift;
pub mod report;

pub use budget::BudgetV1;
pub use drift::{DiffReportV1, DiffV1, DriftV1, PriorResultV1};
pub use report::{ReportV1, ResultV1};

/// The JSON report's and the diff document's version.
pub const SCHEMA_VERSION: &str = "1";

/// The JSON Schema of the audit report, as committed in `docs/report.schema.json`.
pub fn report_schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(report::ReportV1)).unwrap_or(serde_json::Value::Null)
}

/// Who wrote a document.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct ToolV1 {
    /// `drguard`.
    pub name: String,
    /// drguard's version.
    pub version: String,
}

impl ToolV1 {
    /// This build of drguard.
    pub fn this() -> ToolV1 {
        ToolV1 {
            name: "drguard".into(),
            version: env!("CARGO_PKG_VERSION").into(),
        }
    }
}
