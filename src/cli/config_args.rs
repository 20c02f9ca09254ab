//! `--config FILE`: the one way every subcommand finds its configuration.

use std::path::PathBuf;

use clap::Args;

use crate::config::{self, Config, ConfigSource};

/// Where the configuration comes from.
#[derive(Debug, Args, Default)]
pub struct ConfigArgs {
    /// Configuration file [default: ./drguard.toml if present, else built-in defaults].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

impl ConfigArgs {
    /// Loads and validates the configuration; says on stderr what looks
    /// like a mistake (an availability below 90 %, …).
    pub fn load(&self) -> miette::Result<Config> {
        let config = match &self.config {
            Some(path) => config::load(ConfigSource::Explicit(path))?,
            None => config::load(ConfigSource::Default)?,
        };
        for warning in &config.warnings {
            eprintln!("warning: {warning}");
        }
        Ok(config)
    }
}
