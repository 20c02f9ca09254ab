//! Arguments shared by the commands that read the live account.

use clap::Args;

#[cfg(feature = "live")]
use crate::collect;
use crate::config::Config;
use crate::snapshot::Snapshot;

/// How to reach AWS.
#[derive(Debug, Args, Default)]
pub struct LiveArgs {
    /// Named profile from the shared AWS config/credentials files; it alone supplies the credentials, environment keys do not override it (default: the standard chain, AWS_PROFILE, else `default`).
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,
    /// Assume this IAM role for the whole run (on top of the credentials the chain found).
    #[arg(long, value_name = "ARN")]
    pub role_arn: Option<String>,
    /// External id to pass when assuming `--role-arn`.
    #[arg(long, value_name = "ID", requires = "role_arn")]
    pub external_id: Option<String>,
    /// No progress display on stderr.
    #[arg(long, short)]
    pub quiet: bool,
    /// Log every AWS API call (operation, region, duration, outcome) on stderr; -vv adds SDK debug logs.
    #[arg(long, short, action = clap::ArgAction::Count)]
    pub verbose: u8,
}

impl LiveArgs {
    /// Collects a snapshot with these arguments.
    #[cfg(feature = "live")]
    pub fn collect(&self, config: &Config) -> miette::Result<Snapshot> {
        init_tracing(self.verbose);
        let options = collect::Options {
            profile: self.profile.clone(),
            role_arn: self.role_arn.clone(),
            external_id: self.external_id.clone(),
            progress: !self.quiet,
            ..collect::Options::default()
        };
        Ok(collect::collect(config, &options)?)
    }

    /// Without the `live` feature there is no AWS SDK to collect with.
    #[cfg(not(feature = "live"))]
    pub fn collect(&self, _config: &Config) -> miette::Result<Snapshot> {
        Err(miette::miette!(
            code = "drguard::live::disabled",
            help = "pass `--snapshot FILE` (a snapshot written by `drguard snapshot`), or rebuild with the default features (`cargo build --release`) to collect from AWS",
            "this drguard was built without live collection (cargo feature `live`)"
        ))
    }
}

#[cfg(feature = "live")]
fn init_tracing(verbose: u8) {
    if verbose == 0 {
        return;
    }
    let level = if verbose == 1 {
        tracing::Level::INFO
    } else {
        tracing::Level::DEBUG
    };
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_max_level(level)
        .with_target(true)
        .with_ansi(false)
        .try_init();
}
