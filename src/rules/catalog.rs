//! The built-in rules, embedded in the binary from `rules/<area>/<name>.toml`.
//!
//! Files directly under `rules/` (such as the budget model) are not rules and
//! are left out.

use include_dir::{Dir, include_dir};

use crate::source::SourceFile;

static RULES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/rules");

/// Every built-in rule file, sorted by path, named `rules/<area>/<file>`.
pub fn builtin_files() -> Vec<SourceFile> {
    let mut files = Vec::new();
    for area in RULES.dirs() {
        collect(area, &mut files);
    }
    files.sort_by(|a, b| a.name.cmp(&b.name));
    files
}

fn collect(dir: &Dir<'static>, out: &mut Vec<SourceFile>) {
    for file in dir.files() {
        let is_toml = file.path().extension().is_some_and(|e| e == "toml");
        if let (true, Some(text)) = (is_toml, file.contents_utf8()) {
            out.push(SourceFile::new(
                format!("rules/{}", file.path().display()),
                text,
            ));
        }
    }
    for sub in dir.dirs() {
        collect(sub, out);
    }
}
