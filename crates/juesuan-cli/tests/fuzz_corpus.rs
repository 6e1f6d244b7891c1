//! CI does not fuzz; it replays. Every input that once crashed a reader
//! (`fixtures/fuzz/TARGET/`) and the committed, minimized fuzz corpora (`fuzz/corpus/TARGET/`)
//! go through the very checks the fuzz targets make (`fuzz/harness.rs`): no panic, and every
//! rejection explained by documented, located diagnostics. docs/fuzzing.md records the runs.

mod support;

#[path = "../../../fuzz/harness.rs"]
mod harness;

use std::path::Path;
use support::repo;

const TARGETS: &[&str] = &[
    "input_toml",
    "input_json",
    "layout_file",
    "rule_file",
    "catalog_csv",
    "money",
    "workbook",
    "workbook_cells",
    "audit_text",
    "audit_bbox",
    "audit_xlsx",
];

fn run(target: &str, bytes: &[u8]) {
    match target {
        "input_toml" => harness::input("fuzz.toml", bytes),
        "input_json" => harness::input("fuzz.json", bytes),
        "layout_file" => harness::layout(bytes),
        "rule_file" => harness::rules(bytes),
        "catalog_csv" => harness::catalog(bytes),
        "money" => harness::money(bytes),
        "workbook" => harness::workbook(bytes),
        "workbook_cells" => harness::workbook_cells(bytes),
        "audit_text" => harness::audit_text(bytes),
        "audit_bbox" => harness::audit_bbox(bytes),
        "audit_xlsx" => harness::audit_xlsx(bytes),
        _ => panic!("unknown fuzz target {target}"),
    }
}

/// Replays every file under `dir/TARGET/`; returns how many ran, and the failures.
fn replay(dir: &Path) -> (usize, Vec<String>) {
    let mut count = 0;
    let mut failures = Vec::new();
    for target in TARGETS {
        let Ok(entries) = std::fs::read_dir(dir.join(target)) else {
            continue;
        };
        let mut files: Vec<_> = entries.map(|e| e.unwrap().path()).collect();
        files.sort();
        for file in files {
            let bytes = std::fs::read(&file).unwrap();
            count += 1;
            let result = std::panic::catch_unwind(|| run(target, &bytes));
            if let Err(e) = result {
                let why = e
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default();
                failures.push(format!("{target}: {}: {why}", file.display()));
            }
        }
    }
    (count, failures)
}

#[test]
fn every_crash_the_fuzzers_found_stays_fixed() {
    let (count, failures) = replay(&repo().join("fixtures/fuzz"));
    assert!(count >= 2, "only {count} crash inputs kept");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_committed_fuzz_corpora_replay_cleanly() {
    let (count, failures) = replay(&repo().join("fuzz/corpus"));
    assert!(count >= 100, "only {count} corpus inputs");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The harness's oracle fails where it should: a diagnostic without a place, past the end of
/// the file, with an undocumented code or an internal error is a finding, not a pass.
#[test]
fn the_harness_refuses_unexplained_rejections() {
    use juesuan_core::{Diagnostic, Location, Text};
    let source = juesuan_input::Source::new("t.toml", "a = 1\nb = 2\n");
    let at = |line, col| Location::Text {
        file: "t.toml".into(),
        line,
        col,
    };
    let d = |code, loc| Diagnostic::error(code, loc, Text::same("x"));
    let fails = |ds: Vec<Diagnostic>| {
        std::panic::catch_unwind(|| harness::assert_explained(&ds, &source)).is_err()
    };
    assert!(!fails(vec![d("E0201", at(2, 6))]));
    assert!(fails(vec![]), "a rejection needs a diagnostic");
    assert!(fails(vec![d("E0201", Location::Nowhere)]));
    assert!(fails(vec![d("E0201", at(2, 7))]), "past the end of line 2");
    assert!(fails(vec![d("E0201", at(4, 1))]), "past the last line");
    assert!(fails(vec![d("E0201", at(0, 1))]));
    assert!(fails(vec![d("E9999", at(1, 1))]), "undocumented");
    assert!(fails(vec![d("E0218", at(1, 1))]), "internal error");
}
