//! `drguard rules list | explain | check | new | test`.

use std::path::PathBuf;

use clap::{Subcommand, ValueEnum};
use miette::miette;

use super::emit;
use crate::audit::ExitStatus;
use crate::config::Config;
use crate::rules::{self, Rule, RuleSet};

/// `drguard rules …`.
#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// List the rules (built-in, plus `--rules DIR`).
    List {
        /// Output: a table, Markdown (as docs/rules.md) or JSON.
        #[arg(long, value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
        /// Extra rule folder; may repeat.
        #[arg(long = "rules", value_name = "DIR")]
        rules: Vec<PathBuf>,
    },
    /// Show one rule's documentation: what it checks, why, how to fix.
    Explain {
        /// Rule id, e.g. DRG-SSM-003.
        id: String,
        /// Extra rule folder; may repeat.
        #[arg(long = "rules", value_name = "DIR")]
        rules: Vec<PathBuf>,
    },
    /// Check rule files or folders: TOML shape, ids, CEL; exit 2 on any problem.
    Check {
        /// Rule files or folders.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Start a new rule: write `rules/AREA/NAME.toml` and its pass and fail fixtures.
    New(super::scaffold::NewArgs),
    /// Run the rules under DIR against their fixtures (`<ID>/pass*.json`,
    /// `<ID>/fail*.json`: JSON Patch over a base snapshot); exit 1 when one is not met.
    Test(super::rules_test::TestArgs),
}

/// `rules list --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    /// One line per rule.
    Text,
    /// The catalog as Markdown.
    Markdown,
    /// Machine-readable.
    Json,
}

/// Runs a rules subcommand.
pub fn run(command: RulesCommand) -> miette::Result<ExitStatus> {
    match command {
        RulesCommand::List {
            format,
            rules: dirs,
        } => {
            let set = rules::load_rule_set(&Config::default(), &dirs)?;
            let text = match format {
                ListFormat::Text => list_text(&set),
                ListFormat::Markdown => markdown(&set),
                ListFormat::Json => {
                    list_json(&set).map_err(|e| super::serialise_error("the rule list", e))?
                }
            };
            emit(&text, None)?;
            Ok(ExitStatus::Pass)
        }
        RulesCommand::Explain { id, rules: dirs } => {
            let set = rules::load_rule_set(&Config::default(), &dirs)?;
            let Some(rule) = set
                .rules
                .iter()
                .find(|r| r.id.eq_ignore_ascii_case(&id) || r.name == id)
            else {
                return Err(miette!(
                    code = "drguard::rules::unknown",
                    help = "list the ids with `drguard rules list`",
                    "no rule with id or name `{id}`"
                ));
            };
            emit(&explain(rule), None)?;
            Ok(ExitStatus::Pass)
        }
        RulesCommand::New(args) => super::scaffold::run(args),
        RulesCommand::Test(args) => super::rules_test::run(args),
        RulesCommand::Check { paths } => {
            let checked = rules::load::check_paths(&paths)?;
            crate::say!(
                "{} rule(s) in {} file(s) checked: TOML, ids, CEL and the fields they read are valid",
                checked.rules,
                checked.files
            );
            Ok(ExitStatus::Pass)
        }
    }
}

fn list_text(set: &RuleSet) -> String {
    let mut out = String::new();
    for rule in &set.rules {
        let tier = rule
            .warning
            .as_ref()
            .map(|w| format!(" [warning tier: {}]", w.severity.as_str()))
            .unwrap_or_default();
        out.push_str(&format!(
            "{:<12} {:<9} {:<38} {}{tier}\n",
            rule.id,
            rule.severity.as_str(),
            rule.name,
            rule.title
        ));
    }
    out
}

fn list_json(set: &RuleSet) -> Result<String, serde_json::Error> {
    let rules: Vec<serde_json::Value> = set
        .rules
        .iter()
        .map(|r| {
            serde_json::json!({
                "id": r.id, "name": r.name, "title": r.title, "severity": r.severity.as_str(),
                "category": r.category.as_str(), "resource": r.resource.as_str(),
                "requires": r.requires, "params": r.params, "builtin": r.builtin,
                "references": r.references,
                "warning": r.warning.as_ref().map(|w| serde_json::json!({
                    "severity": w.severity.as_str(), "assert": w.assert.source.trim(),
                })),
            })
        })
        .collect();
    crate::report::json::to_pretty(&rules)
}

/// One rule's documentation as text.
pub fn explain(rule: &Rule) -> String {
    let mut out = format!(
        "{} {} ({}, {})\n{}\n\nChecks: {}\n  resource: {}\n",
        rule.id,
        rule.name,
        rule.severity.as_str(),
        rule.category.as_str(),
        rule.title,
        rule.assert.source.trim(),
        rule.resource
    );
    if let Some(filter) = &rule.where_ {
        out.push_str(&format!("  where: {}\n", filter.source.trim()));
    }
    if let Some(warning) = &rule.warning {
        out.push_str(&format!(
            "  warning tier ({}): when the check above holds but {} does not, the result fails at {}\n",
            warning.severity.as_str(),
            warning.assert.source.trim(),
            warning.severity.as_str()
        ));
    }
    if !rule.params.is_empty() {
        out.push_str(&format!(
            "  params: {}\n",
            serde_json::Value::Object(rule.params.clone())
        ));
    }
    if !rule.requires.is_empty() {
        out.push_str(&format!("  requires: {}\n", rule.requires.join(", ")));
    }
    out.push_str(&format!(
        "\nWhy it matters:\n  {}\n\nWhat to change:\n  {}\n",
        rule.rationale, rule.remediation
    ));
    if !rule.references.is_empty() {
        out.push_str("\nReferences:\n");
        for reference in &rule.references {
            out.push_str(&format!("  - {reference}\n"));
        }
    }
    out
}

/// The catalog as Markdown; `docs/rules.md` is this output for the built-in rules.
pub fn markdown(set: &RuleSet) -> String {
    let mut out = String::from(
        "# drguard rules\n\n<!-- generated by `drguard rules list --format markdown`; a test fails when it is stale -->\n\n\
         Each rule is one TOML file under `rules/<area>/`. Ids are a public contract: they never change meaning and are never reused.\n\n\
         | id | name | severity | title |\n|---|---|---|---|\n",
    );
    for rule in &set.rules {
        let severity = match &rule.warning {
            Some(warning) => format!(
                "{} (warning tier: {})",
                rule.severity.as_str(),
                warning.severity.as_str()
            ),
            None => rule.severity.as_str().to_string(),
        };
        out.push_str(&format!(
            "| [{}](#{}) | {} | {severity} | {} |\n",
            rule.id,
            rule.id.to_ascii_lowercase(),
            rule.name,
            rule.title
        ));
    }
    for rule in &set.rules {
        out.push_str(&format!(
            "\n## {}\n\n**{}** · severity `{}` · category `{}` · resource `{}` · file `{}`\n\n{}\n\n",
            rule.id,
            rule.name,
            rule.severity.as_str(),
            rule.category.as_str(),
            rule.resource,
            rule.origin,
            rule.title
        ));
        if let Some(filter) = &rule.where_ {
            out.push_str(&format!("- where: `{}`\n", filter.source.trim()));
        }
        out.push_str(&format!("- assert: `{}`\n", rule.assert.source.trim()));
        if let Some(warning) = &rule.warning {
            out.push_str(&format!(
                "- warning tier, severity `{}`: when `assert` holds but `{}` does not\n",
                warning.severity.as_str(),
                warning.assert.source.trim()
            ));
        }
        if !rule.params.is_empty() {
            out.push_str(&format!(
                "- params: `{}`\n",
                serde_json::Value::Object(rule.params.clone())
            ));
        }
        if !rule.requires.is_empty() {
            out.push_str(&format!(
                "- requires: {}\n",
                rule.requires
                    .iter()
                    .map(|r| format!("`{r}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        out.push_str(&format!(
            "\n**Why it matters.** {}\n\n**What to change.** {}\n",
            rule.rationale, rule.remediation
        ));
        if !rule.references.is_empty() {
            out.push_str("\n**References.**\n\n");
            for reference in &rule.references {
                out.push_str(&format!("- <{reference}>\n"));
            }
        }
    }
    out
}
