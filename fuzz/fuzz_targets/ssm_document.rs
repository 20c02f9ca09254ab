//! Fuzz target `ssm_document`: see `drguard_fuzz::drivers::ssm_document` and docs/fuzzing.md.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| drguard_fuzz::drivers::ssm_document(data));
