//! What the end-to-end tests share: the repository root and the binary.

// Each test binary compiles this module and uses only part of it.
#![allow(dead_code)]

pub mod numbers;

use assert_cmd::Command;
use std::path::{Path, PathBuf};

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// `juesuan`, run from the repository root.
pub fn juesuan() -> Command {
    let mut c = Command::cargo_bin("juesuan").unwrap();
    c.current_dir(repo());
    c
}

/// Runs `cmd`, which must exit 0 (its stderr is shown if it does not).
pub fn succeeds(cmd: &mut Command) -> std::process::Output {
    let out = cmd.output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// `juesuan audit FILES… --format json`: its exit code and its JSON (stderr shown when the
/// output is no JSON).
pub fn audit_json(files: &[&Path]) -> (Option<i32>, serde_json::Value) {
    let out = juesuan()
        .arg("audit")
        .args(files)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let json = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code(), json)
}
