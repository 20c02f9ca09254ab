//! The snapshot: the one data model everything downstream reads.
//!
//! [`load`] reads a snapshot file with errors that name the path inside the
//! document (`regions.us-west-2.auto_scaling_groups[3].min_size`) and the
//! line and column; [`save`] writes one.

pub mod document;
pub mod model;
pub mod spec;

use std::path::Path;

use miette::{Diagnostic, SourceSpan};
use serde::Deserialize;
use thiserror::Error;

pub use model::{SCHEMA_VERSION, Snapshot};

use crate::source::{SourceFile, UnreadableFile};

/// A snapshot that cannot be used.
#[derive(Debug, Error, Diagnostic)]
pub enum SnapshotError {
    /// The file could not be read.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Unreadable(#[from] UnreadableFile),
    /// Not JSON, or JSON of the wrong shape.
    #[error("{message}")]
    #[diagnostic(code(drguard::snapshot::invalid), help("{help}"))]
    Invalid {
        /// What is wrong, with the path inside the document.
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
    /// A `schema_version` this build does not read.
    #[error("unsupported snapshot schema_version {found}; this drguard reads \"{SCHEMA_VERSION}\"")]
    #[diagnostic(
        code(drguard::snapshot::version),
        help(
            "re-create the snapshot with this drguard (`drguard snapshot --output FILE`), or use the drguard release that wrote it"
        )
    )]
    UnsupportedVersion {
        /// The version found.
        found: String,
        /// The file.
        #[source_code]
        src: crate::source::Excerpt,
        /// Where.
        #[label("this version")]
        span: SourceSpan,
    },
    /// The snapshot could not be written.
    #[error("cannot write snapshot `{path}`: {reason}")]
    #[diagnostic(code(drguard::snapshot::write))]
    Write {
        /// Target path.
        path: String,
        /// Why.
        reason: String,
    },
}

#[derive(Deserialize)]
struct VersionProbe {
    schema_version: Option<serde_json::Value>,
    /// A drguard JSON report has these two; a snapshot has neither.
    tool: Option<serde::de::IgnoredAny>,
    results: Option<serde::de::IgnoredAny>,
}

/// Reads and validates a snapshot file; `-` reads standard input.
pub fn load(path: &Path) -> Result<Snapshot, SnapshotError> {
    let file = if path.as_os_str() == "-" {
        use std::io::Read;
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| UnreadableFile {
                what: "snapshot",
                path: "-".into(),
                reason: format!("cannot read standard input: {e}"),
                help: "pipe a snapshot in, e.g. `gunzip -c snapshot.json.gz | drguard audit --snapshot -`".into(),
            })?;
        SourceFile::new("<stdin>", text)
    } else {
        SourceFile::read(path, "snapshot")?
    };
    parse(&file)
}

/// Parses snapshot text.
pub fn parse(file: &SourceFile) -> Result<Snapshot, SnapshotError> {
    let invalid =
        |message: String, help: &str, line: usize, column: usize| SnapshotError::Invalid {
            message,
            help: help.into(),
            src: file.named(),
            // serde_json counts columns in bytes.
            span: file.span(file.offset_of_byte(line, column), 1),
        };
    match file.text.trim_start().chars().next() {
        None => {
            return Err(invalid(
                "snapshot file is empty".into(),
                "the file ends before any JSON: was it truncated, or written by a command that failed?",
                1,
                1,
            ));
        }
        Some('{') => {}
        Some(other) => {
            let skipped = file.text.len() - file.text.trim_start().len();
            return Err(SnapshotError::Invalid {
                message: format!("a snapshot is a JSON object, but this file starts with {other:?}"),
                help: "a snapshot is the JSON object `drguard snapshot` writes: `{\"schema_version\": \"1\", …}`".into(),
                src: file.named(),
                span: file.span(skipped, other.len_utf8()),
            });
        }
    }
    // Check the version first: a future snapshot would otherwise fail on the
    // first new field, with a message that hides the real cause.
    match serde_json::from_str::<VersionProbe>(&file.text) {
        Err(err) if err.is_syntax() || err.is_eof() => {
            return Err(invalid(
                format!("snapshot is not valid JSON: {}", strip_position(&err)),
                if err.is_eof() {
                    "the file ends early: was it truncated while being written or copied?"
                } else {
                    "fix the JSON at the marked position, or re-create the snapshot with `drguard snapshot`"
                },
                err.line(),
                err.column(),
            ));
        }
        Err(err) => {
            return Err(invalid(
                format!("snapshot must be a JSON object: {}", strip_position(&err)),
                "a snapshot is the JSON object `drguard snapshot` writes",
                err.line(),
                err.column(),
            ));
        }
        Ok(VersionProbe {
            tool: Some(_),
            results: Some(_),
            ..
        }) => {
            let skipped = file.text.len() - file.text.trim_start().len();
            return Err(SnapshotError::Invalid {
                message: "this is a drguard JSON report (`--format json`), not a snapshot".into(),
                help: "`drguard diff` and `--snapshot` read snapshots (`drguard snapshot --output FILE`); \
                       to compare an audit with a previous JSON report, run \
                       `drguard audit --snapshot NEW.json --baseline REPORT.json`"
                    .into(),
                src: file.named(),
                span: file.span(skipped, 1),
            });
        }
        Ok(probe) => match probe.schema_version {
            None => {
                return Err(invalid(
                    "snapshot has no `schema_version`".into(),
                    "a snapshot written by drguard starts with \"schema_version\": \"1\"; is this a drguard snapshot?",
                    1,
                    1,
                ));
            }
            Some(serde_json::Value::String(v)) if v == SCHEMA_VERSION => {}
            Some(other) => {
                let found = other.to_string();
                let offset = file
                    .text
                    .find("\"schema_version\"")
                    .and_then(|key| file.text[key..].find(found.as_str()).map(|v| key + v))
                    .unwrap_or(0);
                return Err(SnapshotError::UnsupportedVersion {
                    found,
                    src: file.named(),
                    span: file.span(offset, other.to_string().len()),
                });
            }
        },
    }
    let mut deserializer = serde_json::Deserializer::from_str(&file.text);
    let snapshot: Snapshot = serde_path_to_error::deserialize(&mut deserializer).map_err(|err| {
        let path = err.path().to_string();
        let inner = err.inner();
        invalid(
            format!("{path}: {}", strip_position(inner)),
            "compare with docs/snapshot.schema.json, or re-create the snapshot with `drguard snapshot`",
            inner.line(),
            inner.column(),
        )
    })?;
    deserializer.end().map_err(|err| {
        invalid(
            format!(
                "unexpected data after the snapshot: {}",
                strip_position(&err)
            ),
            "a snapshot file holds exactly one JSON object",
            err.line(),
            err.column(),
        )
    })?;
    check_values(file, &snapshot)?;
    Ok(snapshot)
}

/// Checks what the types cannot: timestamps, account id and region names.
fn check_values(file: &SourceFile, snapshot: &Snapshot) -> Result<(), SnapshotError> {
    let at_key = |key: &str, message: String, help: &str| {
        let needle = format!("\"{key}\"");
        let offset = file.text.find(&needle).unwrap_or(0);
        SnapshotError::Invalid {
            message,
            help: help.into(),
            src: file.named(),
            span: file.span(offset, needle.len()),
        }
    };
    if chrono::DateTime::parse_from_rfc3339(&snapshot.captured_at).is_err() {
        return Err(at_key(
            "captured_at",
            format!(
                "captured_at: {:?} is not an RFC 3339 timestamp",
                snapshot.captured_at
            ),
            "write the capture time like \"2026-11-20T03:00:00Z\"",
        ));
    }
    if snapshot.account_id.len() != 12 || !snapshot.account_id.bytes().all(|b| b.is_ascii_digit()) {
        return Err(at_key(
            "account_id",
            format!(
                "account_id: {:?} is not a 12-digit AWS account id",
                snapshot.account_id
            ),
            "the account id is the 12 digits `aws sts get-caller-identity` prints",
        ));
    }
    for gap in &snapshot.gaps {
        let source = match &gap.resource {
            Some(part) => format!("{}.{part}", gap.service),
            None => gap.service.clone(),
        };
        // A gap no rule recognises would fail open: refuse it instead.
        if !spec::is_known_source(&gap.service) {
            return Err(at_key(
                "gaps",
                format!(
                    "gaps: unknown data source {source:?}; no rule could be marked as not evaluated"
                ),
                "gap services are data-source names such as \"s3\" or \"rds\" (see docs/snapshot.md)",
            ));
        }
    }
    if let Some(skip) = snapshot
        .skipped
        .iter()
        .find(|s| !spec::is_known_source(&s.source))
    {
        return Err(at_key(
            "skipped",
            format!("skipped: unknown data source {:?}", skip.source),
            "skipped sources are data-source names such as \"globalaccelerator\" (see docs/snapshot.md)",
        ));
    }
    if let Some(region) = snapshot
        .regions
        .keys()
        .find(|r| !crate::vocab::is_region_name(r))
    {
        return Err(at_key(
            region,
            format!("regions: {region:?} is not an AWS region name"),
            "region keys are region codes such as \"us-east-1\"",
        ));
    }
    Ok(())
}

/// serde_json appends " at line L column C"; the diagnostic shows the position itself.
pub(crate) fn strip_position(err: &serde_json::Error) -> String {
    let text = err.to_string();
    match text.rfind(" at line ") {
        Some(index) => text[..index].to_string(),
        None => text,
    }
}

/// Writes a snapshot as pretty JSON.
pub fn save(snapshot: &Snapshot, path: &Path) -> Result<(), SnapshotError> {
    let write_error = |reason: String| SnapshotError::Write {
        path: path.display().to_string(),
        reason,
    };
    let mut text =
        serde_json::to_string_pretty(snapshot).map_err(|e| write_error(e.to_string()))?;
    text.push('\n');
    std::fs::write(path, text).map_err(|e| write_error(e.to_string()))
}

/// The JSON Schema of the snapshot model, as committed in `docs/snapshot.schema.json`.
pub fn json_schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(Snapshot)).unwrap_or(serde_json::Value::Null)
}
