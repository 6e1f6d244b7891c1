//! Bad input never crashes and never writes: every file in `fixtures/bad-input/` carries its
//! expectation in its first lines (`# expect: CODE at LINE:COL`, `# expect-text: …`; JSON files
//! in a `.expect` file beside them). Each must fail with exit code 2, that code at that
//! location, that text, in both languages, and leave no output behind.

mod support;

use assert_cmd::Command;
use std::path::{Path, PathBuf};
use support::repo;

struct Expect {
    code: String,
    at: String,
    texts: Vec<String>,
}

fn expectation(path: &Path) -> Expect {
    let sidecar = path.with_extension("expect");
    let text = if sidecar.exists() {
        std::fs::read_to_string(&sidecar).unwrap()
    } else {
        String::from_utf8_lossy(&std::fs::read(path).unwrap()).into_owned()
    };
    let mut code = None;
    let mut texts = Vec::new();
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("# expect: ") {
            let mut parts = rest.split_whitespace();
            let c = parts.next().unwrap().to_string();
            assert_eq!(
                parts.next(),
                Some("at"),
                "{}: `# expect: CODE at L:C`",
                path.display()
            );
            code = Some((c, parts.next().unwrap().to_string()));
        } else if let Some(rest) = line.strip_prefix("# expect-text: ") {
            texts.push(rest.to_string());
        }
    }
    let (code, at) = code.unwrap_or_else(|| panic!("{} has no `# expect:` line", path.display()));
    Expect { code, at, texts }
}

#[test]
fn every_bad_input_is_located_explained_and_writes_nothing() {
    let dir = repo().join("fixtures/bad-input");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("toml" | "json")
            )
        })
        .collect();
    files.sort();
    assert!(files.len() >= 12, "only {} bad inputs", files.len());
    let mut failures = Vec::new();
    for file in &files {
        let expect = expectation(file);
        let rel = format!("bad-input/{}", file.file_name().unwrap().to_string_lossy());
        for lang in ["zh", "en"] {
            let out = tempfile::tempdir().unwrap();
            let target = out.path().join("out");
            let result = Command::cargo_bin("juesuan")
                .unwrap()
                .current_dir(repo().join("fixtures"))
                .args(["--lang", lang, "build", &rel, "-o"])
                .arg(&target)
                .output()
                .unwrap();
            let stderr = String::from_utf8_lossy(&result.stderr);
            let header = format!("{rel}:{}: ", expect.at);
            let tag = if lang == "zh" {
                format!("错误[{}]", expect.code)
            } else {
                format!("error[{}]", expect.code)
            };
            let located = stderr
                .lines()
                .any(|l| l.starts_with(&header) && l.contains(&tag));
            let explained =
                lang == "en" || expect.texts.iter().all(|t| stderr.contains(t.as_str()));
            let has_expected_found =
                stderr.contains(if lang == "zh" { "应为" } else { "expected" })
                    || stderr.contains(if lang == "zh" { "实际" } else { "found" });
            if result.status.code() != Some(2)
                || !located
                || !explained
                || !has_expected_found
                || target.exists()
            {
                failures.push(format!(
                    "{rel} [{lang}]: exit {:?}, want {} {tag}, outputs left: {}\n{stderr}",
                    result.status.code(),
                    header,
                    target.exists()
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n---\n"));
}

#[test]
fn an_input_is_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    // Inputs named like the outputs they would produce: a data file a.xlsx (→ a.xlsx), a
    // narrative template a.report.html and a layout a.tables.html (→ outputs of a.toml).
    let data = dir.path().join("a.xlsx");
    let input = dir.path().join("a.toml");
    let narrative = dir.path().join("a.report.html");
    let layout = dir.path().join("a.tables.html");
    std::fs::copy(repo().join("examples/hongshan-kjj-2023.toml"), &data).unwrap();
    std::fs::copy(repo().join("examples/hongshan-kjj-2023.toml"), &input).unwrap();
    std::fs::copy(repo().join("data/narrative/tables-only.j2"), &narrative).unwrap();
    std::fs::copy(repo().join("data/layouts/hubei-wuhan-2023.toml"), &layout).unwrap();
    let files = [&data, &input, &narrative, &layout];
    let before: Vec<Vec<u8>> = files.iter().map(|f| std::fs::read(f).unwrap()).collect();
    let run = |args: &[&std::ffi::OsStr]| {
        Command::cargo_bin("juesuan")
            .unwrap()
            .args(["build", "--format", "xlsx,html", "-o"])
            .arg(dir.path())
            .args(args)
            .output()
            .unwrap()
    };
    for (args, clash) in [
        (vec![data.as_os_str()], "a.xlsx"),
        (
            vec![
                input.as_os_str(),
                "--narrative".as_ref(),
                narrative.as_os_str(),
            ],
            "a.report.html",
        ),
        (
            vec![input.as_os_str(), "--layout".as_ref(), layout.as_os_str()],
            "a.tables.html",
        ),
    ] {
        let result = run(&args);
        assert_eq!(result.status.code(), Some(2), "{clash}");
        let after: Vec<Vec<u8>> = files.iter().map(|f| std::fs::read(f).unwrap()).collect();
        assert!(after == before, "{clash}: an input changed");
        let left = std::fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(
            left,
            files.len(),
            "{clash}: outputs or temporary files left behind"
        );
    }
}
