//! Assets from a folder: a region's layout, narrative template, figure and wording, given with
//! `--assets DIR`, are used by `build` and by `audit` alike — no change to the program.

mod support;

use std::path::Path;
use support::{juesuan, repo};

/// `fixtures/assets/test-region` copied to a temporary folder (so nothing depends on where the
/// repository is).
fn region_folder(tmp: &Path) -> std::path::PathBuf {
    let from = repo().join("fixtures/assets/test-region");
    let to = tmp.join("region");
    for rel in [
        "README.md",
        "figures.toml",
        "lexicon.toml",
        "layouts/test-region-2024.toml",
        "narrative/test-region-2024.j2",
    ] {
        let target = to.join(rel);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(from.join(rel), target).unwrap();
    }
    to
}

/// The seed report as the test region prints it: its first three tables under the region's
/// titles, and a sentence with the figure the folder defines stating `share`.
fn region_report(tmp: &Path, share: &str) -> std::path::PathBuf {
    let seed = std::fs::read_to_string(repo().join("fixtures/reports/wuhan-hongshan-kjj-2023.txt"))
        .unwrap();
    let mut lines: Vec<String> = seed.split('\n').map(str::to_string).collect();
    for (at, was, now) in [
        (90, "收入支出决算总表", "部门收支决算总表"),
        (135, "收入决算表", "部门收入决算表"),
        (200, "支出决算表", "部门支出决算表"),
    ] {
        assert_eq!(lines[at], was);
        lines[at] = now.to_string();
    }
    assert!(lines[593].starts_with("人员经费 1466.62 万元，主要包括"));
    lines[593] = lines[593].replace(
        "人员经费 1466.62 万元，主要包括",
        &format!("人员经费 1316.78 万元，占基本支出的 {share}%，主要包括"),
    );
    let path = tmp.join(format!("region-{share}.txt"));
    std::fs::write(&path, lines.join("\n")).unwrap();
    path
}

#[test]
fn a_region_layout_and_figure_from_a_folder_build_and_audit() {
    let tmp = tempfile::tempdir().unwrap();
    let folder = region_folder(tmp.path());
    let out = tmp.path().join("out");

    // build: the folder's layout prints the tables, its template the narrative, with its figure.
    juesuan()
        .args([
            "-q",
            "build",
            "examples/hongshan-kjj-2023.toml",
            "--format",
            "html,json",
        ])
        .arg("--assets")
        .arg(&folder)
        .args(["--layout", "test-region-2024", "-o"])
        .arg(&out)
        .assert()
        .success();
    let html = std::fs::read_to_string(out.join("hongshan-kjj-2023.report.html")).unwrap();
    assert!(html.contains("表一") && html.contains("部门收支决算总表"));
    assert!(
        html.contains(
            r#"占基本支出的 <span class="fig" data-figure="basic.personnel_share">89.8%</span>"#
        ),
        "the folder's figure, printed by its template"
    );
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("hongshan-kjj-2023.report.json")).unwrap())
            .unwrap();
    let figure = &report["figures"]["basic.personnel_share"];
    assert_eq!(figure["formula"], "@personnel / @gb.basic");
    assert_eq!(figure["value"]["num"], "13167800.00");
    assert_eq!(figure["value"]["den"], "14666200.00");

    // audit: the folder's layout finds the tables under their titles, its lexicon reads the
    // sentence and its figure says what the sentence must come to.
    let wrong = region_report(tmp.path(), "95.0");
    let audit = |file: &Path, with_folder: bool| {
        let mut c = juesuan();
        c.args(["audit", "--format", "json"]).arg(file);
        if with_folder {
            c.arg("--assets").arg(&folder);
        }
        let o = c.output().unwrap();
        serde_json::from_slice::<serde_json::Value>(&o.stdout).unwrap()
    };
    let share_findings = |doc: &serde_json::Value| {
        doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| {
                f["rule"] == "N202" && f["formula"]["zh"].as_str().unwrap().contains("占基本支出")
            })
            .count()
    };
    let with = audit(&wrong, true);
    assert_eq!(share_findings(&with), 1, "{with:#}");
    assert!(
        with["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["formula"]["zh"].as_str().unwrap().contains("89.78%")),
        "the stated 95.0% against what the tables give"
    );
    // Without the folder the built-in words read the sentence too: the claims engine knows
    // 人员经费 and 占 … % from the figure catalog and the lexicon, whatever the phrasing.
    let without = audit(&wrong, false);
    assert_eq!(share_findings(&without), 1);
    // A sentence that states the share right is not flagged.
    let right = region_report(tmp.path(), "89.8");
    assert_eq!(share_findings(&audit(&right, true)), 0);

    // And `juesuan layouts` lists the folder's layout.
    let listed = juesuan()
        .arg("layouts")
        .arg("--assets")
        .arg(&folder)
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&listed.stdout).contains("test-region-2024"));
}

#[test]
fn a_folder_that_holds_what_juesuan_cannot_read_is_refused_where_it_is() {
    let tmp = tempfile::tempdir().unwrap();
    let folder = region_folder(tmp.path());
    std::fs::write(folder.join("layout.toml"), "id = \"x\"\n").unwrap();
    let o = juesuan()
        .args(["check", "examples/hongshan-kjj-2023.toml", "--assets"])
        .arg(&folder)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("E1301") && err.contains("layout.toml"),
        "{err}"
    );
}

#[test]
fn a_rule_from_a_folder_checks_and_audits() {
    let tmp = tempfile::tempdir().unwrap();
    let folder = tmp.path().join("rule");
    std::fs::create_dir_all(&folder).unwrap();
    // A region's own rule (here one the seed department breaks, to see it run).
    std::fs::write(
        folder.join("rules.toml"),
        r#"
[[rules]]
id = "Z901"
severity = "error"
scope = "表内"
title = ["本地规则：不得有一般公共预算财政拨款收入", "Local rule: no general budget appropriation income"]
why = ["测试用规则。", "A rule for the test."]
hint = ["——", "-"]
formula = 'summary[L1] = 0'
"#,
    )
    .unwrap();
    let rules_of = |out: &std::process::Output| -> Vec<String> {
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["rule"].as_str().unwrap().to_string())
            .collect()
    };
    let checked = juesuan()
        .args([
            "check",
            "examples/hongshan-kjj-2023.toml",
            "--format",
            "json",
            "--assets",
        ])
        .arg(&folder)
        .output()
        .unwrap();
    assert_eq!(checked.status.code(), Some(1));
    assert!(rules_of(&checked).contains(&"Z901".to_string()));
    let audited = juesuan()
        .args([
            "audit",
            "fixtures/reports/wuhan-hongshan-kjj-2023.txt",
            "--format",
            "json",
        ])
        .arg("--assets")
        .arg(&folder)
        .output()
        .unwrap();
    assert!(rules_of(&audited).contains(&"Z901".to_string()));
    // Without the folder, no such rule.
    let plain = juesuan()
        .args([
            "check",
            "examples/hongshan-kjj-2023.toml",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert!(!rules_of(&plain).contains(&"Z901".to_string()));
}
