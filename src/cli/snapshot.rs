//! `drguard snapshot`: collect only.

use std::path::PathBuf;

use clap::Args;

use super::live::LiveArgs;
use crate::config::{self, ConfigSource};
use crate::exit::ExitStatus;
use crate::snapshot;

/// Arguments of `drguard snapshot`.
#[derive(Debug, Args)]
pub struct SnapshotArgs {
    /// Where to write the snapshot (JSON); `drguard audit --snapshot FILE` reads it.
    #[arg(long, short, value_name = "FILE")]
    pub output: PathBuf,
    /// Configuration file [default: ./drguard.toml if present, else built-in defaults].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// AWS access.
    #[command(flatten)]
    pub live: LiveArgs,
}

/// Collects and saves a snapshot. Exits 0 even when some calls failed: the
/// gaps are in the file, and `audit --snapshot` turns them into exit 3.
pub fn run(args: SnapshotArgs) -> miette::Result<ExitStatus> {
    let config = match &args.config {
        Some(path) => config::load(ConfigSource::Explicit(path))?,
        None => config::load(ConfigSource::Default)?,
    };
    let snapshot = args.live.collect(&config)?;
    snapshot::save(&snapshot, &args.output)?;
    if !args.live.quiet {
        eprintln!(
            "wrote {}: {} API calls, {} failed after retries{}",
            args.output.display(),
            snapshot
                .collection
                .as_ref()
                .map(|c| c.api_calls.len())
                .unwrap_or_default(),
            snapshot.gaps.len(),
            if snapshot.gaps.is_empty() {
                String::new()
            } else {
                " (audit will report the rules that need them as errors, exit 3)".into()
            }
        );
    }
    Ok(ExitStatus::Pass)
}
