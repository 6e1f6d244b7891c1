//! The commands at scale, end to end: generated departments checked and built as a batch
//! (every injected error found, and no other; one bad file reported while the batch goes on),
//! a district rolled up, and open data queried with DuckDB.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use support::juesuan;

fn manifest(dir: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(dir.join("manifest.jsonl"))
        .unwrap()
        .lines()
        .skip(1)
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn generate(dir: &Path, args: &[&str]) {
    let mut a = vec!["-q", "gen", "-o", dir.to_str().unwrap()];
    a.extend(args);
    juesuan().args(&a).assert().success();
}

/// The acceptance test: 200 departments, errors injected into about a quarter of them;
/// `check --batch` reports every injected error — the rules its manifest line names, in the
/// tables it names, or the diagnostic codes — and nothing else for any department.
#[test]
fn check_batch_finds_every_injected_error_and_no_other() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("district");
    generate(
        &dir,
        &[
            "--departments",
            "200",
            "--error-rate",
            "0.25",
            "--seed",
            "11",
        ],
    );
    let summary = tmp.path().join("summary.json");
    let out = juesuan()
        .args([
            "-q",
            "check",
            "--batch",
            dir.to_str().unwrap(),
            "--summary",
            summary.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    let s: serde_json::Value = serde_json::from_slice(&std::fs::read(&summary).unwrap()).unwrap();
    let found: BTreeMap<&str, &serde_json::Value> = s["departments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["file"].as_str().unwrap(), d))
        .collect();
    assert_eq!(found.len(), 200);
    let (mut injected, mut invalid, mut kinds) = (0, 0, BTreeSet::new());
    for m in manifest(&dir) {
        let d = found[m["file"].as_str().unwrap()];
        let mut want = BTreeSet::new();
        let mut codes = BTreeSet::new();
        for i in m["injected"].as_array().unwrap() {
            injected += 1;
            kinds.insert(i["kind"].as_str().unwrap().to_string());
            for r in i["rules"].as_array().unwrap() {
                want.insert((
                    r["rule"].as_str().unwrap().to_string(),
                    r["table"].as_str().unwrap().to_string(),
                ));
            }
            for c in i["codes"].as_array().unwrap() {
                codes.insert(c.as_str().unwrap().to_string());
            }
        }
        let got: BTreeSet<(String, String)> = d["findings"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|f| {
                (
                    f["rule"].as_str().unwrap().to_string(),
                    f["table"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        let got_codes: BTreeSet<String> = d["codes"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|c| c.as_str().unwrap().to_string())
            .collect();
        assert_eq!((&got, &got_codes), (&want, &codes), "{}: {m}", m["file"]);
        if !codes.is_empty() {
            invalid += 1;
            assert_eq!(d["status"], "invalid");
        } else if want.is_empty() {
            assert_eq!(d["status"], "ok");
            assert_eq!(d["warnings"], 0);
        }
    }
    assert!(injected >= 30, "only {injected} errors injected");
    assert!(kinds.len() >= 6, "{kinds:?}");
    assert_eq!(s["totals"]["invalid"], invalid);
    assert_eq!(out.status.code(), Some(if invalid > 0 { 2 } else { 1 }));
}

/// `build --batch`: each department's outputs in OUT/<name>/, a bad file and a name clash
/// reported, the batch goes on, summary.json says what happened; exit code 2.
#[test]
fn build_batch_writes_every_department_and_reports_bad_files() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("in");
    generate(&dir, &["--departments", "6", "--units", "2"]);
    std::fs::create_dir_all(dir.join("街道")).unwrap();
    std::fs::copy(
        dir.join("dept-00001.toml"),
        dir.join("街道/dept-00001.toml"),
    )
    .unwrap();
    std::fs::write(dir.join("broken.toml"), "department = { name = \"x\"").unwrap();
    std::fs::write(dir.join("dept-00002.json"), "{}").unwrap();
    let out_dir = tmp.path().join("out");
    let out = juesuan()
        .args([
            "--lang",
            "en",
            "build",
            "--batch",
            dir.to_str().unwrap(),
            "-o",
            out_dir.to_str().unwrap(),
            "--format",
            "xlsx,html,json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("broken.toml  invalid: E0201"), "{text}");
    assert!(text.contains("dept-00002.toml  invalid: E1107"), "{text}");
    assert!(text.contains("9 departments: 6 passed"), "{text}");
    for stem in ["dept-00001", "dept-00003", "dept-00006", "街道/dept-00001"] {
        let leaf = stem.rsplit('/').next().unwrap();
        for ext in [
            "xlsx",
            "report.html",
            "tables.html",
            "views.json",
            "report.json",
            "findings.json",
        ] {
            assert!(
                out_dir.join(stem).join(format!("{leaf}.{ext}")).is_file(),
                "{stem}.{ext}"
            );
        }
    }
    // dept-00002.json came first (and is invalid); its twin dept-00002.toml was refused.
    assert!(!out_dir.join("dept-00002").exists());
    let s: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out_dir.join("summary.json")).unwrap()).unwrap();
    assert_eq!(s["totals"]["departments"], 9);
    assert_eq!(s["totals"]["invalid"], 3);
    assert_eq!(s["totals"]["files_written"], 6 * 6);
    // The batch's outputs are the single builds' outputs.
    let single = tmp.path().join("single");
    juesuan()
        .args([
            "-q",
            "--lang",
            "en",
            "build",
            dir.join("dept-00003.toml").to_str().unwrap(),
            "-o",
            single.to_str().unwrap(),
            "--format",
            "xlsx,html,json",
        ])
        .assert()
        .success();
    for ext in ["xlsx", "views.json", "report.html"] {
        let name = format!("dept-00003.{ext}");
        let same = std::fs::read(single.join(&name)).unwrap()
            == std::fs::read(out_dir.join("dept-00003").join(&name)).unwrap();
        assert!(same, "{name} differs between the batch and a single build");
    }
}

/// Exit code 1 when departments only fail rules; JSON output for programs.
#[test]
fn check_batch_exit_codes_and_json() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("in");
    generate(
        &dir,
        &["--departments", "40", "--error-rate", "1", "--seed", "4"],
    );
    // Keep the departments whose error is one of the figures (no diagnostics).
    for m in manifest(&dir) {
        let i = &m["injected"][0];
        if !i["codes"].as_array().unwrap().is_empty() || i["severity"] == "warning" {
            std::fs::remove_file(dir.join(m["file"].as_str().unwrap())).unwrap();
        }
    }
    let out = juesuan()
        .args([
            "check",
            "--batch",
            dir.to_str().unwrap(),
            "--format",
            "json",
            "--jobs",
            "3",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let s: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(s["format"], "juesuan.batch/1");
    let n = s["departments"].as_array().unwrap().len();
    assert!(n >= 10);
    assert_eq!(s["totals"]["with_errors"], n);
    assert!(
        s["totals"]["rules"]["T105"]["departments"]
            .as_u64()
            .unwrap()
            > 0
    );
    // A folder without inputs.
    let empty = tmp.path().join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    juesuan()
        .args(["check", "--batch", empty.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("E1101"));
    // An input and --batch together is a usage error.
    juesuan()
        .args(["check", "x.toml", "--batch", empty.to_str().unwrap()])
        .assert()
        .code(2);
}

/// `rollup`: the district's tables, its facts as one input file that rebuilds the same
/// tables, and the flows between departments eliminated.
#[test]
fn rollup_writes_the_district_and_its_facts() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("in");
    generate(&dir, &["--departments", "12", "--seed", "2"]);
    let out_dir = tmp.path().join("out");
    let out = juesuan()
        .args([
            "--lang",
            "en",
            "rollup",
            dir.to_str().unwrap(),
            "-o",
            out_dir.to_str().unwrap(),
            "--name",
            "示例区",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("rolled up 12 departments"), "{text}");
    for f in [
        "示例区.xlsx",
        "示例区.tables.html",
        "示例区.views.json",
        "示例区.toml",
    ] {
        assert!(out_dir.join(f).is_file(), "{f}");
    }
    let again = tmp.path().join("again");
    juesuan()
        .args([
            "-q",
            "build",
            out_dir.join("示例区.toml").to_str().unwrap(),
            "-o",
            again.to_str().unwrap(),
            "--format",
            "json",
            "--narrative",
            "tables-only",
        ])
        .assert()
        .success();
    assert_eq!(
        std::fs::read(again.join("示例区.views.json")).unwrap(),
        std::fs::read(out_dir.join("示例区.views.json")).unwrap()
    );
    // Break one side of a flow between departments: the payer's own check fails (exit 1)
    // and, even with --allow-errors, the roll-up refuses to count the money twice (exit 2).
    let payer = manifest(&dir)
        .into_iter()
        .map(|m| dir.join(m["file"].as_str().unwrap()))
        .find(|p| {
            std::fs::read_to_string(p)
                .unwrap()
                .contains("kind = \"对附属单位补助支出\"\ncounterparty_department")
        })
        .expect("a subsidy between departments");
    let text = std::fs::read_to_string(&payer).unwrap();
    let at = text.find("counterparty_department").unwrap();
    let amount = at + text[at..].find("amount = \"").unwrap() + "amount = \"".len();
    let mut broken = text.clone();
    broken.insert(amount, '1');
    std::fs::write(&payer, broken).unwrap();
    juesuan()
        .args([
            "rollup",
            dir.to_str().unwrap(),
            "-o",
            tmp.path().join("no").to_str().unwrap(),
            "--name",
            "示例区",
        ])
        .assert()
        .code(1);
    juesuan()
        .args([
            "rollup",
            dir.to_str().unwrap(),
            "-o",
            tmp.path().join("no").to_str().unwrap(),
            "--name",
            "示例区",
            "--allow-errors",
        ])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("E1103"));
    assert!(!tmp.path().join("no").join("示例区.xlsx").exists());
}

/// `export --batch`: CSV, Parquet and the descriptor; DuckDB reads the Parquet and its sums are
/// the CSV's to the 分 (the query shown in the README).
#[test]
fn export_is_queryable_with_duckdb() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("in");
    generate(&dir, &["--departments", "8"]);
    let open = tmp.path().join("open");
    juesuan()
        .args([
            "-q",
            "export",
            "--batch",
            dir.to_str().unwrap(),
            "-o",
            open.to_str().unwrap(),
        ])
        .assert()
        .success();
    for f in [
        "facts.csv",
        "views.csv",
        "facts.parquet",
        "views.parquet",
        "datapackage.json",
    ] {
        assert!(open.join(f).is_file(), "{f}");
    }
    // 本年支出合计 (公开01 line 58) per department, from the CSV.
    let mut want: BTreeMap<String, String> = BTreeMap::new();
    let mut r = csv::Reader::from_path(open.join("views.csv")).unwrap();
    for rec in r.records() {
        let rec = rec.unwrap();
        if &rec[4] == "summary" && &rec[8] == "58" {
            want.insert(rec[1].to_string(), rec[14].to_string());
        }
    }
    assert_eq!(want.len(), 8);
    let query = "SELECT department, sum(amount) AS total FROM 'views.parquet' WHERE \"table\" = 'summary' AND \"row\" = '58' GROUP BY department ORDER BY department";
    let script = format!(
        "import duckdb\nfor d, t in duckdb.sql(\"\"\"{query}\"\"\").fetchall():\n    print(f'{{d}}\\t{{t}}')\n"
    );
    let out = std::process::Command::new("python3")
        .arg("-c")
        .arg(&script)
        .current_dir(&open)
        .output()
        .expect("python3");
    assert!(
        out.status.success(),
        "DuckDB (pip install duckdb; scripts/test installs it): {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let got: BTreeMap<String, String> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let (d, t) = l.split_once('\t').unwrap();
            (d.to_string(), t.to_string())
        })
        .collect();
    assert_eq!(got, want);
}

#[test]
fn every_batch_command_has_help_with_examples() {
    for cmd in [
        &["gen", "--help"][..],
        &["rollup", "--help"],
        &["export", "--help"],
        &["build", "--help"],
        &["check", "--help"],
    ] {
        let out = juesuan().args(cmd).output().unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(
            text.contains("Examples") || text.contains("示例"),
            "{cmd:?}"
        );
        if cmd[0] == "build" || cmd[0] == "check" {
            assert!(text.contains("--batch"), "{cmd:?}");
        }
    }
}
