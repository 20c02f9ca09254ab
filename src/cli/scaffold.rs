//! `drguard rules new AREA/NAME --id ID`: a new rule file and its two
//! fixtures, so that adding a rule starts from something that loads.

use std::path::{Path, PathBuf};

use clap::Args;
use miette::miette;

use crate::audit::ExitStatus;
use crate::rules::load::{is_kebab, is_rule_id};

/// Arguments of `drguard rules new`.
#[derive(Debug, Args)]
pub struct NewArgs {
    /// The rule's area and kebab-case name: `route53/failover-record-ttl`
    /// writes `rules/route53/failover-record-ttl.toml`.
    #[arg(value_name = "AREA/NAME")]
    pub rule: String,
    /// The rule's id (`DRG-R53-009`); ids are a public contract, never reused.
    #[arg(long, value_name = "ID")]
    pub id: String,
    /// Folder holding `rules/` and `fixtures/rules/` [default: the current folder].
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,
}

/// Writes the rule file and its pass and fail fixtures; refuses to overwrite.
pub fn run(args: NewArgs) -> miette::Result<ExitStatus> {
    let Some((area, name)) = args.rule.split_once('/') else {
        return Err(usage(format!("`{}` is not AREA/NAME", args.rule)));
    };
    if !is_kebab(area) || !is_kebab(name) {
        return Err(usage(format!(
            "`{}`: the area and the name are kebab-case (`route53/failover-record-ttl`)",
            args.rule
        )));
    }
    if !is_rule_id(&args.id) {
        return Err(usage(format!(
            "`{}` is not a rule id: upper-case parts joined by `-`, e.g. `DRG-R53-009`",
            args.id
        )));
    }
    let rule_path = args
        .root
        .join("rules")
        .join(area)
        .join(format!("{name}.toml"));
    let fixtures = args.root.join("fixtures/rules").join(&args.id);
    let pass = fixtures.join("pass.json");
    let fail = fixtures.join("fail.json");
    for path in [&rule_path, &pass, &fail] {
        if path.exists() {
            return Err(usage(format!(
                "`{}` exists already; pick another name or id",
                path.display()
            )));
        }
    }
    write(&rule_path, &rule_text(&args.id, name))?;
    write(
        &pass,
        "{\n  \"description\": \"the bundled example, which complies\",\n  \"patch\": []\n}\n",
    )?;
    write(
        &fail,
        "{\n  \"description\": \"TODO: what this fixture breaks (one JSON Patch op per change)\",\n  \"patch\": []\n}\n",
    )?;
    crate::say!(
        "wrote {}, {} and {}\nnext: write the rule's `resource`, `where`, `assert` and texts; \
         make fail.json break exactly what the rule checks (JSON Patch over \
         fixtures/reference/snapshot.json); then `drguard rules check {}` and \
         `drguard rules test {}` (in drguard's repository, `cargo test` runs them too)",
        rule_path.display(),
        pass.display(),
        fail.display(),
        rule_path.display(),
        args.root.join("rules").display()
    );
    Ok(ExitStatus::Pass)
}

fn usage(message: String) -> miette::Report {
    miette!(
        code = "drguard::usage",
        help = "drguard rules new route53/failover-record-ttl --id DRG-R53-009",
        "{message}"
    )
}

fn write(path: &Path, text: &str) -> miette::Result<()> {
    if let Some(folder) = path.parent() {
        std::fs::create_dir_all(folder).map_err(|e| {
            miette!(
                code = "drguard::output",
                "cannot create `{}`: {e}",
                folder.display()
            )
        })?;
    }
    std::fs::write(path, text).map_err(|e| {
        miette!(
            code = "drguard::output",
            "cannot write `{}`: {e}",
            path.display()
        )
    })
}

/// A rule that loads and checks nothing yet: every key a built-in rule has,
/// each with what to write there.
fn rule_text(id: &str, name: &str) -> String {
    format!(
        r#"[[rule]]
id = "{id}"
name = "{name}"
# One line: the compliant state.
title = "TODO: the compliant state, in one line"
severity = "medium"            # critical | high | medium | low | info
category = "rto"               # rto | rpo | availability | drift | runbook | security
# A resource type (`drguard rules explain` of a similar rule shows one), or "app".
resource = "app"
# where = "resource.role == 'dr'"
assert = "true"
message = "TODO: what was found, naming the values: {{{{ app.name }}}}"
pass_message = "TODO: what complies"
requires = ["route53"]         # the data sources the answer depends on
rationale = """
TODO: why a failover breaks without it, with the AWS behaviour that makes it so.
"""
remediation = """
TODO: what to change, with the AWS CLI where it helps.
"""
references = ["https://docs.aws.amazon.com/"]
"#
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scaffold_loads_as_a_rule() {
        let text = rule_text("DRG-XYZ-001", "some-rule");
        let file = crate::source::SourceFile::new("rules/x/some-rule.toml", text);
        let set =
            crate::rules::load::parse_rule_files(vec![file], &crate::config::Config::default())
                .unwrap_or_else(|e| panic!("the scaffold does not load: {e:?}"));
        assert_eq!(set.rules.len(), 1);
    }
}
