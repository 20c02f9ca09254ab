//! Configuration problems, each pointing into the file.

use miette::{Diagnostic, SourceSpan};
use thiserror::Error;

use crate::source::UnreadableFile;

/// A configuration problem, pointing into the file.
#[derive(Debug, Error, Diagnostic)]
pub enum ConfigError {
    /// The file could not be read.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Unreadable(#[from] UnreadableFile),
    /// TOML syntax, an unknown key or a wrong type.
    #[error("{message}")]
    #[diagnostic(code(drguard::config::parse), help("{help}"))]
    Parse {
        /// What went wrong.
        message: String,
        /// How to fix it.
        help: String,
        /// The file.
        #[source_code]
        src: crate::source::Excerpt,
        /// Where.
        #[label("here")]
        span: SourceSpan,
    },
    /// Values that parse but make no sense; all of them at once.
    #[error("{} invalid value(s) in `{file}`", problems.len())]
    #[diagnostic(code(drguard::config::invalid))]
    Invalid {
        /// The config file.
        file: String,
        /// Every problem found.
        #[related]
        problems: Vec<InvalidValue>,
    },
}

/// One invalid value in a config file.
#[derive(Debug, Error, Diagnostic)]
#[error("{message}")]
#[diagnostic(code(drguard::config::invalid_value), help("{help}"))]
pub struct InvalidValue {
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub help: String,
    /// The file.
    #[source_code]
    pub src: crate::source::Excerpt,
    /// The value.
    #[label("{label}")]
    pub span: SourceSpan,
    /// Label text.
    pub label: String,
    /// A second place involved (e.g. where the primary region was set).
    #[label("{other_label}")]
    pub other: Option<SourceSpan>,
    /// Label text of the second place.
    pub other_label: String,
}
