//! `--config FILE`: the one way every subcommand finds its configuration:
//! `--config`, else `DRGUARD_CONFIG`, else `drguard.toml` in the current
//! folder or a parent up to the repository root, else built-in defaults
//! (said on stderr).

use std::path::PathBuf;

use clap::Args;

use crate::config::{self, Config, ConfigSource};

/// The environment variable naming the config file when `--config` is not given.
pub const CONFIG_ENV: &str = "DRGUARD_CONFIG";

/// Where the configuration comes from.
#[derive(Debug, Args, Default)]
pub struct ConfigArgs {
    /// Configuration file [default: $DRGUARD_CONFIG, else drguard.toml in the current folder or
    /// a parent up to the repository root, else built-in defaults].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

impl ConfigArgs {
    /// The file named by `--config` or `DRGUARD_CONFIG`, if any.
    pub fn explicit(&self) -> Option<PathBuf> {
        self.config.clone().or_else(|| {
            std::env::var_os(CONFIG_ENV)
                .filter(|value| !value.is_empty())
                .map(PathBuf::from)
        })
    }

    /// Loads and validates the configuration; says on stderr what looks
    /// like a mistake (an availability below 90 %, …), and that built-in
    /// defaults are in use when no file was found.
    pub fn load(&self) -> miette::Result<Config> {
        let config = match self.explicit() {
            Some(path) => config::load(ConfigSource::Explicit(&path))?,
            None => config::load(ConfigSource::Default)?,
        };
        for warning in &config.warnings {
            crate::say!("warning: {warning}");
        }
        if config.source.is_none() {
            crate::say!("note: {}", defaults_note());
        }
        Ok(config)
    }
}

/// Said on stderr when no config file was found: where drguard looked, and
/// how to give one (`drguard config check` shows the values in force).
pub fn defaults_note() -> String {
    format!(
        "using built-in defaults: no drguard.toml here or in a parent folder up to the \
         repository root (--config FILE or {CONFIG_ENV}=FILE names one; `drguard init` writes one)"
    )
}
