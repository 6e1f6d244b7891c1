//! Bad input never crashes, never writes and never takes memory without bound: every file in
//! `fixtures/bad-input/` carries its expectation in its first lines (`# expect: CODE at
//! LINE:COL`, `at SHEET!CELL` in a workbook, `at -` for the whole file; `# expect-text: …`);
//! files that cannot hold a `#` comment (JSON, workbooks, binary, empty, other encodings) have
//! it in a `.expect` file beside them. Each runs through `build` (in both languages) and
//! `check` under a cap on its address space, and must fail with exit code 2, that code at that
//! location, that text, an "expected"/"found", no panic and no file written. Valid inputs
//! among them say `# expect: accepted exit N` and must be published. Each also runs through
//! `audit`, which must refuse it (none is a published report) with a located E09xx error.

mod support;

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use support::repo;

/// Address space allowed to one run on a corpus file (KiB): the biggest valid example needs a
/// small fraction of it.
const MEMORY_CAP_KIB: u64 = 1024 * 1024;

enum Expect {
    Rejected {
        code: String,
        at: String,
        texts: Vec<String>,
    },
    Accepted {
        exit: i32,
    },
}

fn expectation(path: &Path) -> Expect {
    let sidecar = path.with_extension("expect");
    let text = if sidecar.exists() {
        std::fs::read_to_string(&sidecar).unwrap()
    } else {
        String::from_utf8_lossy(&std::fs::read(path).unwrap()).into_owned()
    };
    let mut expect = None;
    let mut texts = Vec::new();
    for line in text.lines() {
        let line = line.trim_start_matches('\u{feff}');
        if let Some(rest) = line.strip_prefix("# expect: ") {
            let words: Vec<&str> = rest.split_whitespace().collect();
            expect = Some(match words[..] {
                ["accepted", "exit", n, ..] => Expect::Accepted {
                    exit: n.parse().unwrap(),
                },
                [code, "at", at, ..] => Expect::Rejected {
                    code: code.to_string(),
                    at: at.to_string(),
                    texts: Vec::new(),
                },
                _ => panic!(
                    "{}: `# expect: CODE at L:C` or `# expect: accepted exit N`",
                    path.display()
                ),
            });
        } else if let Some(rest) = line.strip_prefix("# expect-text: ") {
            texts.push(rest.to_string());
        }
    }
    match expect {
        Some(Expect::Rejected { code, at, .. }) => Expect::Rejected { code, at, texts },
        Some(e) => e,
        None => panic!("{} has no `# expect:` line", path.display()),
    }
}

/// What one run left: exit status, stderr, and the files in its folder besides the input.
struct Run {
    status: ExitStatus,
    stderr: String,
    left: Vec<String>,
    peak_kib: Option<u64>,
}

/// Runs `juesuan ARGS` in `dir` under `ulimit -v cap_kib` (a reader that holds more than the
/// cap aborts, which fails the test), recording the peak resident memory it reached.
fn run_capped(dir: &Path, cap_kib: u64, args: &[&str]) -> Run {
    let err_path = dir.join(".stderr");
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(r#"ulimit -v "$0" && exec "$@""#)
        .arg(cap_kib.to_string())
        .arg(assert_cmd::cargo::cargo_bin("juesuan"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(File::create(&err_path).unwrap())
        .spawn()
        .unwrap();
    // VmHWM only grows, so the last reading before exit is the peak (short of a final spike,
    // which the cap catches anyway).
    let mut peak_kib = None;
    let status_file = format!("/proc/{}/status", child.id());
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if let Ok(text) = std::fs::read_to_string(&status_file)
            && let Some(kib) = text
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        {
            peak_kib = Some(kib);
        }
        std::thread::sleep(std::time::Duration::from_millis(2));
    };
    let stderr = String::from_utf8_lossy(&std::fs::read(&err_path).unwrap()).into_owned();
    std::fs::remove_file(&err_path).unwrap();
    let mut left: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "bad-input")
        .collect();
    left.sort();
    Run {
        status,
        stderr,
        left,
        peak_kib,
    }
}

/// How a location starts its line: `FILE:LINE:COL: ` for a text, `FILE: SHEET!CELL: ` for a
/// workbook cell, `FILE: ` for the whole file (`at -` in an expectation).
fn place(rel: &str, at: &str) -> String {
    if at == "-" {
        format!("{rel}: ")
    } else if at.contains('!') {
        format!("{rel}: {at}: ")
    } else {
        format!("{rel}:{at}: ")
    }
}

fn corpus() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(repo().join("fixtures/bad-input"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_none_or(|e| e != "expect"))
        .collect();
    files.sort();
    files
}

#[test]
fn every_bad_input_is_located_explained_and_writes_nothing() {
    let files = corpus();
    assert!(files.len() >= 50, "only {} bad inputs", files.len());
    let mut failures = Vec::new();
    for file in &files {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        let rel = format!("bad-input/{name}");
        // Each run gets a fresh folder holding only the input: anything else there afterwards
        // was written by juesuan.
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("bad-input")).unwrap();
        std::fs::copy(file, dir.path().join(&rel)).unwrap();
        // No PDF: Chromium is not what is under test, and it reserves more address space
        // than the cap allows.
        let formats = ["--format", "xlsx,html,json"];
        let runs = [
            (
                "zh",
                [&["--lang", "zh", "build", &rel, "-o", "out"], &formats[..]].concat(),
            ),
            (
                "en",
                [&["--lang", "en", "build", &rel, "-o", "out"], &formats[..]].concat(),
            ),
            ("zh", vec!["--lang", "zh", "check", &rel]),
            ("en", vec!["--lang", "en", "audit", &rel]),
        ];
        for (lang, args) in runs {
            let command = format!("{} {}", args[2], args[3]);
            let run = run_capped(dir.path(), MEMORY_CAP_KIB, &args);
            let panicked = run.stderr.contains("panicked") || run.status.code().is_none();
            let problem = match expectation(file) {
                // None of these is a published report: audit refuses each with its own located
                // error (E09xx), never a panic, and writes nothing.
                _ if args[2] == "audit" => {
                    let header = rel.clone();
                    let located = run
                        .stderr
                        .lines()
                        .any(|l| l.starts_with(&header) && l.contains("error[E09"));
                    (run.status.code() != Some(2) || panicked || !located || !run.left.is_empty())
                        .then(|| "want exit 2 and a located E09xx".to_string())
                }
                Expect::Rejected { code, at, texts } => {
                    let header = place(&rel, &at);
                    let tag = match lang {
                        "zh" => format!("错误[{code}]"),
                        _ => format!("error[{code}]"),
                    };
                    let located = run
                        .stderr
                        .lines()
                        .any(|l| l.starts_with(&header) && l.contains(&tag));
                    let explained =
                        lang == "en" || texts.iter().all(|t| run.stderr.contains(t.as_str()));
                    let (exp, fnd) = match lang {
                        "zh" => ("应为", "实际"),
                        _ => ("expected", "found"),
                    };
                    let has_expected_found = run.stderr.contains(exp) || run.stderr.contains(fnd);
                    (run.status.code() != Some(2)
                        || panicked
                        || !located
                        || !explained
                        || !has_expected_found
                        || !run.left.is_empty())
                    .then(|| format!("want exit 2 and {header}{tag}"))
                }
                Expect::Accepted { exit } => {
                    let published = args[2] == "check" || run.left == ["out"];
                    (run.status.code() != Some(exit) || panicked || !published)
                        .then(|| format!("want exit {exit} and outputs"))
                }
            };
            if let Some(want) = problem {
                failures.push(format!(
                    "{rel} [{command}, {lang}]: {want}; got exit {:?}, left {:?}\n{}",
                    run.status.code(),
                    run.left,
                    run.stderr
                ));
            }
            // A rejected file leaves nothing; an accepted one its outputs, cleared for the next run.
            let _ = std::fs::remove_dir_all(dir.path().join("out"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n---\n"));
}

/// A 200 MB input is refused (E0220) before it is decoded: memory stays within one copy of
/// the file, enforced by the address-space cap. Generated here, never committed.
#[test]
fn a_200_mb_input_is_refused_in_bounded_memory() {
    use std::io::Write;
    const SIZE: usize = 200 * 1024 * 1024;
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("bad-input")).unwrap();
    let rel = "bad-input/200mb.toml";
    {
        let mut w = std::io::BufWriter::new(File::create(dir.path().join(rel)).unwrap());
        w.write_all(
            "department = { name = \"测试局\", year = 2023, amount_unit = \"元\" }\n\nincome = [\n"
                .as_bytes(),
        )
        .unwrap();
        let fact = "  { source = \"事业收入\", function = \"2060101\", amount = 1.00 },\n";
        for _ in 0..SIZE / fact.len() + 1 {
            w.write_all(fact.as_bytes()).unwrap();
        }
        w.write_all(b"]\n").unwrap();
    }
    let size_kib = std::fs::metadata(dir.path().join(rel)).unwrap().len() / 1024;
    assert!(size_kib >= 200 * 1024);
    // The file once, and room for the program: a second copy (decoding, parsing) breaks it.
    let cap_kib = size_kib + 160 * 1024;
    for args in [
        vec!["--lang", "en", "build", rel, "-o", "out"],
        vec!["--lang", "en", "check", rel],
    ] {
        let run = run_capped(dir.path(), cap_kib, &args);
        assert_eq!(
            run.status.code(),
            Some(2),
            "{args:?}: peak {:?} KiB\n{}",
            run.peak_kib,
            run.stderr
        );
        assert!(
            run.stderr
                .lines()
                .any(|l| l.starts_with(&format!("{rel}: error[E0220]"))),
            "{}",
            run.stderr
        );
        assert!(run.stderr.contains("nothing was written"), "{}", run.stderr);
        assert!(run.left.is_empty(), "{args:?} left {:?}", run.left);
        if let Some(peak) = run.peak_kib {
            assert!(peak < cap_kib, "peak {peak} KiB");
        }
    }
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
    std::fs::copy(
        repo().join("data/kinds/final-accounts/narrative/tables-only.j2"),
        &narrative,
    )
    .unwrap();
    std::fs::copy(
        repo().join("data/kinds/final-accounts/layouts/hubei-wuhan-2023.toml"),
        &layout,
    )
    .unwrap();
    let files = [&data, &input, &narrative, &layout];
    let before: Vec<Vec<u8>> = files.iter().map(|f| std::fs::read(f).unwrap()).collect();
    let run = |args: &[&std::ffi::OsStr]| {
        assert_cmd::Command::cargo_bin("juesuan")
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
