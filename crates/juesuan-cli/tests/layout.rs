//! `juesuan layout check` and `juesuan layout infer` end to end:
//!
//! - every layout the project ships (built in, and the test assets' with their folders) is
//!   sound: exit 0;
//! - every file of `fixtures/bad-layouts/` carries its expectation in its first lines
//!   (`# expect: CODE at LINE:COL`, `# expect-text: …`) and is refused with exit 2, that code
//!   at that place with that text, what was expected and found, in both languages;
//! - a layout drafted from the seed's text checks sound, and audits the seed as the built-in
//!   layout does (the same findings, rule and place);
//! - a text without any table drafts nothing (E0512, exit 2).

mod support;

use std::collections::BTreeSet;
use support::{juesuan, repo};

#[test]
fn the_shipped_layouts_are_sound() {
    let mut cases: Vec<(String, Option<&str>)> =
        std::fs::read_dir(repo().join("data/kinds/final-accounts/layouts"))
            .unwrap()
            .map(|e| {
                let p = e.unwrap().path();
                (
                    format!(
                        "data/kinds/final-accounts/layouts/{}",
                        p.file_name().unwrap().to_string_lossy()
                    ),
                    None,
                )
            })
            .collect();
    cases.sort();
    cases.extend([
        (
            "fixtures/assets/test-region/layouts/test-region-2024.toml".to_string(),
            Some("fixtures/assets/test-region"),
        ),
        (
            "fixtures/families/four-tables/assets/layouts/four-tables.toml".to_string(),
            Some("fixtures/families/four-tables/assets"),
        ),
        (
            "fixtures/kinds/budget-sketch/layouts/budget-sketch.toml".to_string(),
            Some("fixtures/kinds/budget-sketch"),
        ),
    ]);
    for (file, assets) in cases {
        let mut cmd = juesuan();
        cmd.args(["layout", "check", &file]);
        if let Some(a) = assets {
            cmd.args(["--assets", a]);
        }
        let out = cmd.output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(0), "{file}: {stdout}");
        assert!(stdout.contains("表式无误"), "{file}: {stdout}");
    }
}

/// `# expect: CODE at L:C` and `# expect-text: …` of a bad layout.
fn expectation(text: &str) -> (String, String, Vec<String>) {
    let mut code = None;
    let mut texts = Vec::new();
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("# expect: ") {
            let w: Vec<&str> = rest.split_whitespace().collect();
            code = Some((w[0].to_string(), w[2].to_string()));
        } else if let Some(rest) = line.strip_prefix("# expect-text: ") {
            texts.push(rest.to_string());
        }
    }
    let (code, at) = code.expect("an expectation");
    (code, at, texts)
}

#[test]
fn every_bad_layout_is_explained_where_it_is_wrong() {
    let dir = repo().join("fixtures/bad-layouts");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".toml"))
        .collect();
    files.sort();
    assert!(files.len() >= 10, "{files:?}");
    for name in files {
        let file = format!("fixtures/bad-layouts/{name}");
        let text = std::fs::read_to_string(repo().join(&file)).unwrap();
        let (code, at, texts) = expectation(&text);
        for (lang, expected) in [("zh", "应为"), ("en", "expected")] {
            let out = juesuan()
                .args(["--lang", lang, "layout", "check", &file])
                .output()
                .unwrap();
            let stdout = String::from_utf8_lossy(&out.stdout);
            assert_eq!(out.status.code(), Some(2), "{file} ({lang}): {stdout}");
            let place = format!("{file}:{at}: ");
            let block = stdout
                .split(&place)
                .nth(1)
                .unwrap_or_else(|| panic!("{file} ({lang}): nothing at {at}:\n{stdout}"));
            let first = block
                .split(&format!("\n{file}:"))
                .next()
                .unwrap_or_default();
            assert!(
                first.contains(&format!("[{code}]")),
                "{file} ({lang}): {first}"
            );
            for t in &texts {
                assert!(
                    first.contains(t.as_str()),
                    "{file} ({lang}): no “{t}” in {first}"
                );
            }
            // Syntax errors say what the parser found; a thing written twice where it was
            // first; the others what was expected.
            let also = if lang == "zh" { "另见" } else { "see also" };
            if code != "E0502" || name.starts_with("unknown-field") {
                assert!(
                    first.contains(expected) || first.contains(also),
                    "{file} ({lang}): {first}"
                );
            }
        }
    }
}

/// The errors and warnings of `juesuan audit … --format json`: (rule, location).
fn findings(json: &[u8]) -> BTreeSet<(String, String)> {
    let v: serde_json::Value = serde_json::from_slice(json).unwrap();
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| {
            f["severity"] != "info" || f["rule"].as_str().is_some_and(|r| r.starts_with('U'))
        })
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or_default().to_string(),
                f["location"].to_string(),
            )
        })
        .collect()
}

#[test]
fn a_layout_drafted_from_a_report_checks_sound_and_audits_it_alike() {
    let tmp = tempfile::tempdir().unwrap();
    let draft = tmp.path().join("wuhan-draft.toml");
    let report = "fixtures/reports/wuhan-hongshan-kjj-2023.txt";
    let out = juesuan()
        .args(["layout", "infer", report, "-o"])
        .arg(&draft)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("9 张表") && said.contains("待核"), "{said}");
    let text = std::fs::read_to_string(&draft).unwrap();
    assert!(
        text.contains("id = \"wuhan-draft\""),
        "the id is the file's name"
    );
    assert!(
        text.contains("# 读自 / read from: 第 91 行"),
        "where each table was read"
    );
    let out = juesuan()
        .args(["layout", "check"])
        .arg(&draft)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let default = juesuan()
        .args(["audit", report, "--format", "json"])
        .output()
        .unwrap();
    let drafted = juesuan()
        .args(["audit", report, "--format", "json", "--layout"])
        .arg(&draft)
        .output()
        .unwrap();
    assert_eq!(default.status.code(), drafted.status.code());
    assert_eq!(findings(&default.stdout), findings(&drafted.stdout));
    // To standard output without -o.
    let out = juesuan()
        .args(["layout", "infer", report])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("[[tables]]"));
}

#[test]
fn a_text_without_tables_drafts_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let report = tmp.path().join("notes.txt");
    std::fs::write(&report, "一份没有表的文件\n第二行\n").unwrap();
    let out = juesuan()
        .args(["--lang", "en", "layout", "infer"])
        .arg(&report)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("[E0512]") && err.contains("no table"), "{err}");
}
