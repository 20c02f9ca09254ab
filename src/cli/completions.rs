//! `drguard completions SHELL`: a completion script generated from the clap
//! definitions, so it never disagrees with `--help`.

use clap::{Args, CommandFactory};
use clap_complete::Shell;

use super::{Cli, emit};
use crate::audit::ExitStatus;

/// Arguments of `drguard completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete in.
    #[arg(value_enum)]
    pub shell: Shell,
}

/// Writes the script to stdout.
pub fn run(args: &CompletionsArgs) -> miette::Result<ExitStatus> {
    let mut command = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "drguard", &mut script);
    emit(&String::from_utf8_lossy(&script), None)?;
    Ok(ExitStatus::Pass)
}
