//! `drguard.toml`: what the app is, what the contract promises, and how to audit it.
//!
//! Loading is two-phase, as in cargo-deny: the TOML is first deserialised
//! into raw types that keep the span of every value (unknown keys and wrong
//! types fail here, pointing at the key), then validated into [`Config`]
//! (durations, percentages, regions), collecting every problem before
//! reporting them together.

mod duration;
mod error;
mod model;
mod raw;
mod validate;

use std::path::{Path, PathBuf};

pub use duration::{format_duration, parse_duration};
pub use error::{ConfigError, InvalidValue};
pub use model::{
    App, BudgetConfig, Claims, CollectConfig, Config, PlanConfig, RuleOverride, RulesConfig, Scope,
    Skip, Targets, Waiver,
};
pub use validate::{parse_percent, toml_to_json};

use crate::source::SourceFile;
use raw::RawConfig;
use validate::Validator;

/// Where the config came from.
pub enum ConfigSource<'a> {
    /// `--config FILE` or `DRGUARD_CONFIG`: must exist.
    Explicit(&'a Path),
    /// Neither: `drguard.toml` in the current folder, else in its parents up
    /// to the repository root ([`discover`]), else built-in defaults.
    Default,
}

/// The name of the file discovery looks for.
pub const FILE_NAME: &str = "drguard.toml";

/// The folders discovery searches, nearest first: `start`, then each parent
/// up to the repository root (the first folder holding `.git`, a folder or a
/// worktree's file). Outside a repository only `start` is searched, so a
/// stray `drguard.toml` in a home folder is never picked up.
pub fn search_path(start: &Path) -> Vec<PathBuf> {
    let mut folders = Vec::new();
    for folder in start.ancestors() {
        folders.push(folder.to_path_buf());
        if folder.join(".git").exists() {
            return folders;
        }
    }
    folders.truncate(1);
    folders
}

/// The config file discovery finds from `start` (the current folder), if
/// any; in `start` itself it is named `drguard.toml` (relative), so
/// diagnostics read as before.
pub fn discover(start: &Path) -> Option<PathBuf> {
    search_path(start)
        .into_iter()
        .enumerate()
        .map(|(index, folder)| {
            if index == 0 {
                PathBuf::from(FILE_NAME)
            } else {
                folder.join(FILE_NAME)
            }
        })
        .find(|path| path.is_file())
}

/// Loads and validates the configuration.
pub fn load(source: ConfigSource<'_>) -> Result<Config, ConfigError> {
    let path = match source {
        ConfigSource::Explicit(path) => path.to_path_buf(),
        ConfigSource::Default => {
            let start = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
            match discover(&start) {
                Some(path) => path,
                None => return Ok(Config::default()),
            }
        }
    };
    let file = SourceFile::read(&path, "config file")?;
    let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
    parse(file, &base)
}

/// Parses and validates config text; `base` resolves relative rule paths.
pub fn parse(file: SourceFile, base: &Path) -> Result<Config, ConfigError> {
    let raw: RawConfig = toml::from_str(&file.text).map_err(|err| parse_error(&file, &err))?;
    Validator::new(file, base).validate(raw)
}

fn parse_error(file: &SourceFile, err: &toml::de::Error) -> ConfigError {
    let span = err.span().unwrap_or(0..0);
    let message = err.message().trim().to_string();
    let help = if message.contains("unknown field") {
        "remove the key or fix its spelling; `drguard init` writes a commented example of every key"
    } else if message.contains("missing field") {
        "add the key the message names to this table (`[[collect.skip]]` needs both `source` and `reason`)"
    } else if message.contains("unknown variant") {
        "use one of the values the message lists"
    } else if message.contains("invalid type") {
        "check the value's type: durations and percentages are quoted strings (\"15m\", \"99.99%\")"
    } else {
        "fix the TOML syntax at the marked position"
    };
    ConfigError::Parse {
        message,
        help: help.into(),
        src: file.named(),
        span: file.span(span.start, span.end.saturating_sub(span.start)),
    }
}

/// The commented starter file `drguard init` writes.
pub const STARTER: &str = include_str!("starter.toml");
