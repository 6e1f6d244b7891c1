//! Fuzz target `workbook_cells`: see `fuzz/harness.rs` for what it checks and docs/fuzzing.md for runs.
#![no_main]

#[path = "../harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::workbook_cells(data));
