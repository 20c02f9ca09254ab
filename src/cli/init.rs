//! `drguard init`.

use std::path::PathBuf;

use clap::Args;
use miette::miette;

use super::emit;
use crate::audit::ExitStatus;
use crate::config::STARTER;

/// Arguments of `drguard init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Where to write the file (`-` for stdout).
    #[arg(long, short, value_name = "PATH", default_value = "drguard.toml")]
    pub output: PathBuf,
    /// Overwrite an existing file.
    #[arg(long)]
    pub force: bool,
}

/// Writes the starter config.
pub fn run(args: InitArgs) -> miette::Result<ExitStatus> {
    if args.output.as_os_str() == "-" {
        emit(STARTER, None)?;
        return Ok(ExitStatus::Pass);
    }
    if args.output.exists() && !args.force {
        return Err(miette!(
            code = "drguard::init::exists",
            help = "pass --force to overwrite it, or --output another path",
            "`{}` already exists",
            args.output.display()
        ));
    }
    emit(STARTER, Some(&args.output))?;
    crate::say!(
        "wrote {}: set [app].domain and the regions, then run `drguard audit`",
        args.output.display()
    );
    Ok(ExitStatus::Pass)
}
