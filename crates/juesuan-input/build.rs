//! Embeds the repository's data files that juesuan ships (document-kind bundles, the
//! classification catalog and the report templates) as `(path, text)` pairs: adding a file to a
//! bundle needs no Rust change, and the assets loader (`src/assets.rs`) reads built-in and
//! user-given files the same way.

use std::fmt::Write;
use std::path::{Path, PathBuf};

/// The folders under `data/` that are assets (the web app's pages and the database
/// migrations are the web app's own and stay with it).
const ROOTS: &[&str] = &["kinds", "catalog", "templates"];

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            // Provenance material (copies of published lists), not loaded.
            if p.file_name().is_some_and(|n| n == "sources") {
                continue;
            }
            files(&p, out);
        } else if p
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| matches!(e, "toml" | "csv" | "j2" | "css" | "js" | "md"))
        {
            out.push(p);
        }
    }
}

/// Whether `v` holds no date or time (which JSON has no type for).
fn plain(v: &toml::Value) -> bool {
    match v {
        toml::Value::Datetime(_) => false,
        toml::Value::Array(a) => a.iter().all(plain),
        toml::Value::Table(t) => t.values().all(plain),
        _ => true,
    }
}

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let data = manifest.join("../../data");
    let mut found = Vec::new();
    for root in ROOTS {
        let dir = data.join(root);
        println!("cargo:rerun-if-changed={}", dir.display());
        files(&dir, &mut found);
    }
    found.sort();
    let mut code = String::from(
        "/// Every built-in asset file: (path under the repository, text).\npub static FILES: &[(&str, &str)] = &[\n",
    );
    for p in &found {
        let rel = p
            .strip_prefix(manifest.join("../.."))
            .expect("under the repository")
            .to_string_lossy()
            .replace('\\', "/");
        let abs = p.canonicalize().expect("exists");
        writeln!(
            code,
            "    ({rel:?}, include_str!({:?})),",
            abs.display().to_string()
        )
        .expect("string");
    }
    code.push_str("];\n");
    // The TOML files also as JSON, which parses several times faster: the built-in kind,
    // rules, figures and layouts were parsed from TOML at every start (a tenth of a build of
    // one department). The TOML stays the source; this is a cache of it.
    code.push_str(
        "/// The built-in TOML files as JSON: (path, the same document in JSON).\npub static JSON: &[(&str, &str)] = &[\n",
    );
    for p in found
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
    {
        let rel = p
            .strip_prefix(manifest.join("../.."))
            .expect("under the repository")
            .to_string_lossy()
            .replace('\\', "/");
        let text = std::fs::read_to_string(p).expect("readable");
        let value: toml::Value =
            toml::from_str(&text).unwrap_or_else(|e| panic!("{rel} is not valid TOML: {e}"));
        if !plain(&value) {
            // A date has no JSON twin: such a file is read from its TOML.
            continue;
        }
        let json = serde_json::to_string(&value).expect("serializes");
        writeln!(code, "    ({rel:?}, {json:?}),").expect("string");
    }
    code.push_str("];\n");
    let out =
        PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets it")).join("builtin_files.rs");
    std::fs::write(out, code).expect("OUT_DIR is writable");
}
