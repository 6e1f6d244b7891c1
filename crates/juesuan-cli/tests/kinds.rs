//! A second document kind as files only (`fixtures/kinds/budget-sketch`, given with
//! `--assets`): its tables, rules, figures, layout, narrative and wording drive `build`,
//! `check` and `audit` as the 部门决算 bundle drives them — the seam the 部门预算 bundle will use.
//! The PDF is printed by headless Chromium and read back with poppler's pdftotext
//! (`scripts/test` installs both).

mod support;

use support::{juesuan, repo};

fn sketch() -> std::path::PathBuf {
    repo().join("fixtures/kinds/budget-sketch")
}

fn json(path: &std::path::Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

#[test]
fn a_kind_of_files_builds_checks_and_audits() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    juesuan()
        .args(["-q", "build", "examples/three-units-2024.toml"])
        .args([
            "--format",
            "xlsx,html,pdf,json",
            "--layout",
            "budget-sketch",
        ])
        .arg("--assets")
        .arg(sketch())
        .arg("-o")
        .arg(&out)
        .assert()
        .success();

    // The kind's two tables, by its keys.
    let views = json(&out.join("three-units-2024.views.json"));
    let tables: Vec<&str> = views["tables"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap())
        .collect();
    assert_eq!(tables, ["summary", "spending"]);
    // Its rules ran, and only its: three of the tables and two of the narrative.
    let findings = json(&out.join("three-units-2024.findings.json"));
    assert_eq!(findings["summary"]["rules"], 5, "{findings:#}");
    // Its figures, printed by its narrative.
    let report = json(&out.join("three-units-2024.report.json"));
    assert_eq!(report["figures"]["spending"]["formula"], "summary[L6]");
    assert_eq!(
        report["figures"]["spending.basic"]["label"]["zh"],
        "基本支出"
    );
    let html = std::fs::read_to_string(out.join("three-units-2024.report.html")).unwrap();
    assert!(
        html.contains("支出预算合计 <span class=\"fig\" data-figure=\"spending\">1181.01</span>")
    );

    // `check` with the kind's layout runs the kind's rules.
    let checked = juesuan()
        .args([
            "check",
            "examples/three-units-2024.toml",
            "--format",
            "json",
        ])
        .args(["--layout", "budget-sketch", "--assets"])
        .arg(sketch())
        .output()
        .unwrap();
    let checked: serde_json::Value = serde_json::from_slice(&checked.stdout).unwrap();
    assert_eq!(checked["summary"]["rules"], 5);

    // The audit of the printed report reads the kind's tables under its titles, checks them
    // with its rules and reads its narrative with its lexicon: the one sentence that states a
    // number the tables do not print (the template's test sentence) is found, nothing else.
    let audited = juesuan()
        .args(["audit", "--format", "json"])
        .arg(out.join("three-units-2024.report.pdf"))
        .arg("--assets")
        .arg(sketch())
        .output()
        .unwrap();
    let audited: serde_json::Value = serde_json::from_slice(&audited.stdout).unwrap();
    let rules: Vec<&str> = audited["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["BN01"], "{audited:#}");
    // The cell named in words (its table's title and its row), not as the formula writes it.
    let formula = audited["findings"][0]["formula"]["zh"].as_str().unwrap();
    assert!(
        formula.starts_with("说明写 1.00万元，表中 ")
            && formula.contains("为 1181.01万元")
            && !formula.contains("summary["),
        "{formula}"
    );
    // The workbook reads the same way (tables only).
    let book = juesuan()
        .args(["audit", "--format", "json"])
        .arg(out.join("three-units-2024.xlsx"))
        .arg("--assets")
        .arg(sketch())
        .output()
        .unwrap();
    assert!(
        book.status.success(),
        "{}",
        String::from_utf8_lossy(&book.stderr)
    );

    // `juesuan rules --kind` lists the kind's catalog.
    let listed = juesuan()
        .args(["rules", "--kind", "budget-sketch", "--assets"])
        .arg(sketch())
        .output()
        .unwrap();
    let listed = String::from_utf8_lossy(&listed.stdout);
    assert!(
        listed.starts_with("B101") && !listed.contains("T101"),
        "{listed}"
    );
}
