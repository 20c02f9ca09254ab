//! `drguard config check`: validates the configuration with everything it
//! names (rules, overrides, waivers, the budget model) and prints the values
//! drguard resolved, so a user sees what the defaults and units became.

use std::fmt::Write;
use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::config_args::{CONFIG_ENV, ConfigArgs};
use super::emit;
use super::live::LiveArgs;
use crate::audit::{Engine, ExitStatus};
use crate::config::{self, Config, format_duration};
use crate::waivers;

/// `drguard config …`.
#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Validate the configuration (and the rules, overrides, waivers and budget model it
    /// names) and print the resolved values; exit 2 on any problem.
    Check(CheckArgs),
}

/// Arguments of `drguard config check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The configuration.
    #[command(flatten)]
    pub config: ConfigArgs,
    /// Extra rule folder, as `audit --rules`; may repeat.
    #[arg(long = "rules", value_name = "DIR")]
    pub rules: Vec<PathBuf>,
    /// Also reach AWS: the account, where the credentials come from, and whether both
    /// regions answer (a few read-only calls: STS GetCallerIdentity, EventBridge).
    #[arg(long)]
    pub live: bool,
    /// AWS access (with --live).
    #[command(flatten)]
    pub access: LiveArgs,
}

/// Runs a config subcommand.
pub fn run(command: ConfigCommand) -> miette::Result<ExitStatus> {
    match command {
        ConfigCommand::Check(args) => check(&args),
    }
}

fn check(args: &CheckArgs) -> miette::Result<ExitStatus> {
    let origin = match (&args.config.config, args.config.explicit()) {
        (Some(path), _) => format!("{} (--config)", path.display()),
        (None, Some(path)) => format!("{} ({CONFIG_ENV})", path.display()),
        (None, None) => {
            let start = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
            match config::discover(&start) {
                Some(path) => format!("{} (found from the current folder)", path.display()),
                None => "none: built-in defaults".into(),
            }
        }
    };
    let engine = Engine::load(args.config.load()?, &args.rules)?;
    let mut out = format!("config: {origin}\n");
    describe(&mut out, engine.config());
    let rules = &engine.rules().rules;
    let _ = writeln!(
        out,
        "[rules]    {} rule(s): {} built-in, {} from [rules].paths and --rules; {} disabled; {} overridden",
        rules.len(),
        rules.iter().filter(|r| r.builtin).count(),
        rules.iter().filter(|r| !r.builtin).count(),
        rules.iter().filter(|r| !r.enabled).count(),
        engine.config().rules.overrides.len()
    );
    let _ = writeln!(
        out,
        "[budget]   model: {}; {} step(s), {} default(s) replaced{}",
        engine
            .config()
            .budget
            .model
            .as_ref()
            .map_or("built-in".to_string(), |p| p.display().to_string()),
        engine.model().steps.len(),
        engine.config().budget.defaults.len(),
        claims(engine.config())
    );
    if args.live {
        out.push_str(&super::config_live::check(engine.config(), &args.access)?);
    }
    out.push_str(if args.live {
        "ok: the config and the rules, waivers and budget model it names load; AWS answers\n"
    } else {
        "ok: the config and the rules, waivers and budget model it names load\n"
    });
    emit(&out, None)?;
    Ok(ExitStatus::Pass)
}

fn describe(out: &mut String, config: &Config) {
    let app = &config.app;
    let _ = writeln!(
        out,
        "[app]      name {:?}, domain {}, primary {} → DR {}, runbook {}",
        app.name,
        app.domain.as_deref().map_or(
            "none (no failover record is followed)".to_string(),
            |d| format!("{d:?}")
        ),
        app.primary_region,
        app.dr_region,
        app.runbook
            .as_deref()
            .map_or("detected from its steps".to_string(), |r| format!("{r:?}"))
    );
    let targets = &config.targets;
    let allowance = (100.0 - targets.availability_percent) / 100.0 * 365.0 * 24.0 * 60.0;
    let _ = writeln!(
        out,
        "[targets]  RTO {} ({} s), RPO {} ({} s), availability {}% ({allowance:.2} min of downtime a year), {} failover(s) a year",
        format_duration(targets.rto_seconds),
        targets.rto_seconds,
        format_duration(targets.rpo_seconds),
        targets.rpo_seconds,
        targets.availability_percent,
        targets.expected_failovers_per_year
    );
    let tags: Vec<String> = config
        .scope
        .tags
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    let _ = writeln!(
        out,
        "[scope]    {}",
        if tags.is_empty() {
            "every resource of both regions (no tags)".to_string()
        } else {
            format!("resources tagged {}", tags.join(", "))
        }
    );
    let today = waivers::today_utc();
    let _ = writeln!(
        out,
        "[waivers]  {} waiver(s); announced {} day(s) before they expire",
        config.waivers.len(),
        config.waiver_expiry_notice_days
    );
    for waiver in &config.waivers {
        let days = (waiver.expires - today).num_days();
        let when = match days {
            d if d < 0 => format!("EXPIRED on {}", waiver.expires),
            0 => format!("expires today ({})", waiver.expires),
            d => format!("until {} ({d} day(s) left)", waiver.expires),
        };
        let _ = writeln!(
            out,
            "           {} on {} {when} ({})",
            waiver.rule, waiver.resource, waiver.defined_at
        );
    }
    let collect = &config.collect;
    let skips: Vec<String> = collect
        .skip
        .iter()
        .map(|s| format!("{} ({})", s.source, s.reason))
        .collect();
    let _ = writeln!(
        out,
        "[collect]  {} attempt(s) a call; timeouts: connect {}, attempt {}, operation {}; {} call(s) at once a service; Route 53 {} request(s)/s; metric window {}, peak window {}; skipped: {}",
        collect.max_attempts,
        format_duration(collect.connect_timeout_seconds),
        format_duration(collect.attempt_timeout_seconds),
        format_duration(collect.operation_timeout_seconds),
        collect.concurrency,
        collect.route53_requests_per_second,
        format_duration(collect.metric_window_seconds),
        format_duration(collect.peak_window_seconds),
        if skips.is_empty() {
            "nothing".to_string()
        } else {
            skips.join(", ")
        }
    );
}

fn claims(config: &Config) -> String {
    let claims = &config.budget.claims;
    if claims.rto.is_none() && claims.rpo.is_none() && claims.steps.is_empty() {
        return String::new();
    }
    let figure = |value: Option<u64>| value.map_or("—".to_string(), format_duration);
    format!(
        "; the design claims RTO {}, RPO {} and {} step figure(s)",
        figure(claims.rto),
        figure(claims.rpo),
        claims.steps.len()
    )
}
