//! drguard proves that a live AWS account still matches its warm-standby
//! disaster-recovery design.
//!
//! The pipeline runs one way, through one [`audit::Engine`]: a [`config`]
//! says what the app is and what the contract promises; [`collect`] reads
//! both regions through the AWS SDK into a [`snapshot`] (which can also be
//! read from a file); [`link`] derives the app's topology once; [`budget`]
//! computes the RTO/RPO budget on it; [`rules`] evaluates declarative TOML +
//! CEL rules (and the budget) into results; [`waivers`] accept known gaps
//! until a date and [`drift`] compares with a baseline, each in a table of its
//! own beside the results; [`audit::verdict`] decides the exit code; and
//! [`report`] writers turn the joined view into human, JSON, SARIF, JUnit,
//! Markdown and OCSF output, the JSON through the published wire types of
//! [`contract`].
//!
//! Leaves that everything else builds on: [`vocab`] (severities, statuses,
//! data-source and region names), [`cel`] (compiling and running CEL) and
//! [`source`] (files with positions for diagnostics).
//!
//! [`collect`] (and the AWS SDK) is compiled only with the default `live`
//! feature; without it, everything else works on saved snapshots.

/// `eprintln!` that cannot panic: a closed stderr (`drguard … 2>&1 | head`)
/// must not turn a diagnostic or a warning into a crash (exit 101). A line
/// that cannot be written is dropped; stderr is the only place it could
/// have gone.
#[macro_export]
macro_rules! say {
    ($($arg:tt)*) => {{
        use ::std::io::Write as _;
        let _ = ::std::writeln!(::std::io::stderr(), $($arg)*);
    }};
}

pub mod audit;
pub mod budget;
pub mod cel;
pub mod cli;
#[cfg(feature = "live")]
pub mod collect;
pub mod config;
pub mod contract;
pub mod drift;
pub mod link;
pub mod plan;
pub mod report;
pub mod rules;
pub mod snapshot;
pub mod source;
pub mod vocab;
pub mod waivers;
