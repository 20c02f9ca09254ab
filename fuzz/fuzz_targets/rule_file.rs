//! Fuzz target `rule_file`: see `drguard_fuzz::drivers::rule_file` and docs/fuzzing.md.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| drguard_fuzz::drivers::rule_file(data));
