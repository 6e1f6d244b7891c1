//! Project policies, enforced: no floating point anywhere, every error code documented,
//! generated documents current, every crate on the architecture map.

mod support;

use assert_cmd::Command;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use support::repo;

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn sources() -> Vec<(PathBuf, String)> {
    let mut files = Vec::new();
    rust_files(&repo().join("crates"), &mut files);
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            (p, text)
        })
        .collect()
}

/// Money is never binary floating point: no 32- or 64-bit float type anywhere in the code
/// (amounts and rates are computed, compared and printed exactly; spreadsheets get decimals).
#[test]
fn no_binary_floating_point_anywhere() {
    // Spelled in two halves so that this file passes its own check.
    let floats = [concat!("f", "32"), concat!("f", "64")];
    let mut found = Vec::new();
    for (path, text) in sources() {
        for (n, line) in text.lines().enumerate() {
            // The one escape: serde's trait method names, marked where they are forwarded.
            if line.contains("// policy: float-free") {
                continue;
            }
            let words = line.split(|c: char| !c.is_ascii_alphanumeric() && c != '_');
            if words.into_iter().any(|w| floats.contains(&w)) {
                found.push(format!("{}:{}: {}", path.display(), n + 1, line.trim()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "floating point found:\n{}",
        found.join("\n")
    );
}

fn codes_in(text: &str) -> BTreeSet<String> {
    let bytes = text.as_bytes();
    let mut out = BTreeSet::new();
    for i in 0..bytes.len().saturating_sub(4) {
        if bytes[i] == b'E'
            && bytes[i + 1..i + 5].iter().all(u8::is_ascii_digit)
            && (i == 0 || !bytes[i - 1].is_ascii_alphanumeric())
            && bytes.get(i + 5).is_none_or(|b| !b.is_ascii_alphanumeric())
        {
            out.insert(text[i..i + 5].to_string());
        }
    }
    out
}

/// Every error code the code can emit is in docs/errors.md, and the page lists nothing else.
#[test]
fn every_error_code_is_documented() {
    let mut used = BTreeSet::new();
    for (path, text) in sources() {
        if path.components().any(|c| c.as_os_str() == "tests") {
            continue;
        }
        for line in text.lines().filter(|l| l.contains("\"E")) {
            used.extend(codes_in(line));
        }
    }
    let doc = std::fs::read_to_string(repo().join("docs/errors.md")).unwrap();
    let documented: BTreeSet<String> = doc
        .lines()
        .filter(|l| l.starts_with("| E"))
        .flat_map(codes_in)
        .collect();
    let undocumented: Vec<_> = used.difference(&documented).collect();
    let stale: Vec<_> = documented.difference(&used).collect();
    assert!(
        undocumented.is_empty(),
        "undocumented error codes: {undocumented:?}"
    );
    assert!(
        stale.is_empty(),
        "documented but unused error codes: {stale:?}"
    );
}

/// The schema and the format reference are generated; the committed copies are current.
#[test]
fn generated_documents_are_current() {
    for (args, file) in [
        (vec!["schema"], "schema/department-year.schema.json"),
        (vec!["schema", "--markdown"], "docs/input-format.md"),
        (vec!["rules", "--markdown"], "docs/rules.md"),
    ] {
        let out = Command::cargo_bin("juesuan")
            .unwrap()
            .args(&args)
            .output()
            .unwrap();
        assert!(out.status.success());
        let committed = std::fs::read_to_string(repo().join(file)).unwrap();
        assert_eq!(
            String::from_utf8(out.stdout).unwrap(),
            committed,
            "{file} is stale: run `juesuan {}` > {file}",
            args.join(" ")
        );
    }
}

/// ARCHITECTURE.md has a heading for every crate of the workspace.
#[test]
fn every_crate_is_on_the_architecture_map() {
    let map = std::fs::read_to_string(repo().join("ARCHITECTURE.md")).unwrap();
    for entry in std::fs::read_dir(repo().join("crates")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        assert!(
            map.lines()
                .any(|l| l.starts_with('#') && l.contains(&format!("crates/{name}"))),
            "ARCHITECTURE.md has no heading for crates/{name}"
        );
    }
}
