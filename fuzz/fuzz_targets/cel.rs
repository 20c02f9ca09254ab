//! Fuzz target `cel`: see `drguard_fuzz::drivers::cel` and docs/fuzzing.md.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| drguard_fuzz::drivers::cel(data));
