//! Fuzz target `plan`: see `drguard_fuzz::drivers::plan` and docs/fuzzing.md.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| drguard_fuzz::drivers::plan(data));
