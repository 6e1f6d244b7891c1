//! Fuzz target `audit_text`: see `fuzz/harness.rs` for what it checks and docs/fuzzing.md for runs.
#![no_main]

#[path = "../harness.rs"]
mod harness;
#[path = "../mutate.rs"]
mod mutate;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::audit_text(data));

libfuzzer_sys::fuzz_mutator!(|data: &mut [u8], size: usize, max_size: usize, seed: u32| {
    mutate::mutate(data, size, max_size, seed, mutate::REPORT_TOKENS)
});
