//! The `drguard` binary: parse, run, map to an exit code. The only place that
//! prints a fatal error.

use std::process::ExitCode;

use clap::Parser;
use drguard::audit::ExitStatus;
use drguard::cli::{Cli, run};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(status) => ExitCode::from(status.code()),
        Err(report) => {
            drguard::say!("{report:?}");
            ExitCode::from(ExitStatus::Usage.code())
        }
    }
}
