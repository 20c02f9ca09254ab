//! `drguard snapshot`: collect only.

use std::path::PathBuf;

use clap::Args;

use super::config_args::ConfigArgs;
use super::live::LiveArgs;
use crate::audit::ExitStatus;
use crate::snapshot;

/// Arguments of `drguard snapshot`.
#[derive(Debug, Args)]
pub struct SnapshotArgs {
    /// Where to write the snapshot (JSON); `drguard audit --snapshot FILE` reads it.
    #[arg(long, short, value_name = "FILE")]
    pub output: PathBuf,
    /// The configuration.
    #[command(flatten)]
    pub config: ConfigArgs,
    /// AWS access.
    #[command(flatten)]
    pub live: LiveArgs,
}

/// Collects and saves a snapshot. Exits 0 even when some calls failed, so that
/// a pipeline's next step still audits what was collected: the gaps are in
/// the file (and on stderr, even with `--quiet`), and `audit --snapshot`
/// turns them into exit 3.
pub fn run(args: SnapshotArgs) -> miette::Result<ExitStatus> {
    let config = args.config.load()?;
    let snapshot = args.live.collect(&config)?;
    snapshot::save(&snapshot, &args.output)?;
    let calls = snapshot
        .collection
        .as_ref()
        .map(|c| c.api_calls.len())
        .unwrap_or_default();
    // The summary is progress (silenced by --quiet); an incomplete snapshot is
    // a warning that --quiet does not hide.
    if !snapshot.gaps.is_empty() {
        crate::say!(
            "warning: wrote {} incomplete: {} API call(s) failed after retries; \
             an audit of it reports the rules that need that data as errors (exit 3)",
            args.output.display(),
            snapshot.gaps.len()
        );
        for gap in &snapshot.gaps {
            crate::say!(
                "  {} {} {}: {}: {}",
                gap.region,
                gap.service,
                gap.operation,
                gap.error_code,
                gap.message
            );
        }
    } else if !args.live.quiet {
        crate::say!("wrote {}: {calls} API calls", args.output.display());
    }
    Ok(ExitStatus::Pass)
}
