//! drguard proves that a live AWS account still matches its warm-standby
//! disaster-recovery design.
//!
//! The pipeline runs one way: a [`config`] says what the app is and what the
//! contract promises; [`collect`] reads both regions through the AWS SDK into
//! a [`snapshot`] (which can also be read from a file); [`link`] derives the
//! app's topology once; [`rules`] evaluates declarative TOML + CEL rules into
//! results; [`budget`] computes the RTO/RPO budget; [`waivers`] accept known
//! gaps until a date; [`drift`] compares results with a baseline and snapshots
//! with each other; [`report`] writers turn the results into human, JSON,
//! SARIF, JUnit, Markdown and OCSF output; and [`exit`] decides the process's
//! exit code in one place.
//!
//! [`collect`] (and the AWS SDK) is compiled only with the default `live`
//! feature; without it, everything else works on saved snapshots.

pub mod budget;
pub mod cli;
#[cfg(feature = "live")]
pub mod collect;
pub mod config;
pub mod drift;
pub mod exit;
pub mod link;
pub mod report;
pub mod rules;
pub mod snapshot;
pub mod source;
pub mod waivers;
