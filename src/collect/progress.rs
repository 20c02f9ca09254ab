//! The progress display on stderr.

use std::time::Duration;

use super::part::Part;
use crate::snapshot::model::Snapshot;

/// The progress display: one line per collector × region as it finishes.
pub(super) struct Progress {
    enabled: bool,
}

impl Progress {
    pub(super) fn new(enabled: bool) -> Self {
        if enabled {
            crate::say!("collecting…");
        }
        Progress { enabled }
    }

    pub(super) fn done(&self, source: &str, region: &str, part: &Part, elapsed: Duration) {
        if !self.enabled {
            return;
        }
        let counts: Vec<String> = part
            .counts
            .iter()
            .map(|(what, n)| format!("{n} {what}"))
            .collect();
        let status = if part.gaps.is_empty() { "✓" } else { "✗" };
        let gaps = if part.gaps.is_empty() {
            String::new()
        } else {
            format!(", {} failed call(s)", part.gaps.len())
        };
        crate::say!(
            "  {status} {source:<38} {region:<12} {}{gaps} ({} ms)",
            counts.join(", "),
            elapsed.as_millis()
        );
    }

    pub(super) fn finish(&self, snapshot: &Snapshot) {
        if !self.enabled {
            return;
        }
        let calls = snapshot
            .collection
            .as_ref()
            .map(|c| c.api_calls.len())
            .unwrap_or_default();
        crate::say!(
            "collected in {} ms: {calls} API calls, {} failed after retries, {} source(s) skipped",
            snapshot
                .collection
                .as_ref()
                .map(|c| c.duration_ms)
                .unwrap_or_default(),
            snapshot.gaps.len(),
            snapshot.skipped.len()
        );
    }
}
