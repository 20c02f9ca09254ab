//! Engine tests, one binary: the configuration, the rules and their
//! fixtures, the budget, waivers, baselines, diffs, every report format, bad
//! input, the examples and the fuzzers' regressions. They run the library
//! through `drguard::audit::Engine` and the real `drguard` binary on saved
//! snapshots; nothing here talks to AWS (the live tests are `tests/live/`).
//!
//! One binary links the library once instead of once per file.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::print_stderr
)] // tests fail loudly by design

#[path = "../common/mod.rs"]
mod common;

mod bad_input;
mod baseline;
mod budget;
mod catalog_v2;
mod cli;
mod conventions;
mod diff;
mod doc_examples;
mod docs;
mod examples;
mod formats;
mod fuzz_regressions;
mod mermaid;
mod misreadings;
mod plan;
mod real_plans;
mod report_schema;
mod rule_authoring;
mod rule_fixtures;
mod sarif;
mod snapshot_schema;
mod waivers;
