//! Fuzz target `aws_response`: see `drguard_fuzz::aws` and docs/fuzzing.md.
//! Built only with `--features live` (it compiles the AWS SDK).

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| drguard_fuzz::aws::aws_response(data));
