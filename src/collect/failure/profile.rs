//! The shared config and credentials files as the SDK reads them: which
//! files (`AWS_CONFIG_FILE`, `AWS_SHARED_CREDENTIALS_FILE`, else `~/.aws/…`),
//! which profile is selected (`--profile`, else `AWS_PROFILE`), and whether
//! it exists. The profiles are parsed by the SDK's own parser
//! (`aws_config::profile::load`), so drguard and the SDK agree on what a
//! file holds.

use std::path::PathBuf;

use aws_types::os_shim_internal::{Env, Fs};

/// The profile the run selects and where it came from.
pub(crate) struct Selected {
    /// Its name.
    pub name: String,
    /// `--profile`, `AWS_PROFILE` or the built-in `default`.
    pub origin: &'static str,
}

/// The profile a run uses.
pub(crate) fn selected(option: Option<&str>) -> Selected {
    if let Some(name) = option {
        return Selected {
            name: name.to_string(),
            origin: "--profile",
        };
    }
    match std::env::var("AWS_PROFILE") {
        Ok(name) if !name.trim().is_empty() => Selected {
            name: name.trim().to_string(),
            origin: "AWS_PROFILE",
        },
        _ => Selected {
            name: "default".into(),
            origin: "default",
        },
    }
}

/// One of the two files.
pub(crate) struct File {
    /// Its path, `~` expanded.
    pub path: PathBuf,
    /// The variable that chose it, when one did.
    pub from_env: Option<&'static str>,
}

impl File {
    /// "/home/me/.aws/config" or "/tmp/cfg (AWS_CONFIG_FILE), missing".
    pub(crate) fn describe(&self) -> String {
        let mut text = self.path.display().to_string();
        let mut notes = Vec::new();
        if let Some(var) = self.from_env {
            notes.push(var.to_string());
        }
        if !self.path.exists() {
            notes.push("missing".into());
        }
        if !notes.is_empty() {
            text.push_str(&format!(" ({})", notes.join(", ")));
        }
        text
    }
}

/// The config file and the credentials file, in that order.
pub(crate) fn files() -> [File; 2] {
    let home = std::env::var_os("HOME")
        .or_else(|| std::env::var_os("USERPROFILE"))
        .map(PathBuf::from);
    let pick =
        |var: &'static str, default: &str| match std::env::var_os(var).filter(|v| !v.is_empty()) {
            Some(value) => File {
                path: expand(PathBuf::from(value), home.as_ref()),
                from_env: Some(var),
            },
            None => File {
                path: home
                    .clone()
                    .unwrap_or_else(|| PathBuf::from("~"))
                    .join(".aws")
                    .join(default),
                from_env: None,
            },
        };
    [
        pick("AWS_CONFIG_FILE", "config"),
        pick("AWS_SHARED_CREDENTIALS_FILE", "credentials"),
    ]
}

fn expand(path: PathBuf, home: Option<&PathBuf>) -> PathBuf {
    match (path.strip_prefix("~"), home) {
        (Ok(rest), Some(home)) => home.join(rest),
        _ => path,
    }
}

/// What the files say about a profile.
pub(crate) enum Lookup {
    /// It is defined.
    Found,
    /// It is not; these are the profiles that are.
    Missing(Vec<String>),
    /// The files could not be read or parsed (the SDK's words).
    Unreadable(String),
}

/// Looks a profile up in the files the SDK reads.
pub(crate) async fn lookup(name: &str) -> Lookup {
    let loaded = aws_config::profile::load(
        &Fs::real(),
        &Env::real(),
        &Default::default(),
        Some(name.to_string().into()),
    )
    .await;
    match loaded {
        Ok(set) if set.get_profile(name).is_some() => Lookup::Found,
        Ok(set) => {
            let mut names: Vec<String> = set.profiles().map(str::to_string).collect();
            names.sort();
            Lookup::Missing(names)
        }
        Err(err) => Lookup::Unreadable(super::transport::words(&err)),
    }
}
