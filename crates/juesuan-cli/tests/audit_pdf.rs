//! `juesuan audit` on a PDF end to end: read through pdftotext -bbox-layout (poppler-utils;
//! `scripts/test` installs it), and the failures when pdftotext is missing or fails.

mod support;

use support::juesuan;

#[test]
fn a_published_pdf_is_audited_through_its_word_positions() {
    let out = juesuan()
        .args([
            "audit",
            "fixtures/reports/pdf/02_shanghai-putuo-ghzyj-2024.pdf",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for needle in [
        "上海市普陀区规划和自然资源局",
        "读出 9 张表",
        "收入支出决算总表（第 7 页）",
        "X107",
        "236.63",
        "236.64",
        // Findings for people: the page a figure is printed on, the class of a difference
        // that is only rounding, cells named in words rather than as formulas address them.
        "X104 第40行（第 7 页）: 舍入差异：",
        "说明写 236.63万元，表中 一般公共预算财政拨款支出决算表 210 卫生健康支出（合计） 为 236.64万元",
        "第 24 页（原文第 477 行）",
    ] {
        assert!(text.contains(needle), "{needle} not in:\n{text}");
    }
    // One finding per discrepancy: 236.63 against 236.64 between the 总表 and the 支出表 once,
    // not again from the 支出表's side; real contradictions before rounding differences.
    assert_eq!(text.matches("X104").count(), 2, "{text}");
    // In the narrative, the N201 on page 21 (236.63, a rounding difference) comes after the
    // contradictions on page 24, though its line comes first.
    let contradiction = text.find("错误 N201 第 24 页").unwrap();
    let rounding = text.find("警告 N201 第 21 页").unwrap();
    assert!(contradiction < rounding, "{text}");
    assert!(!text.contains("general_budget[C210"), "{text}");
    // Every row's figures placed: nothing left out of the checks.
    assert!(!text.contains("无法确定各数所在的栏"), "{text}");
    let out = juesuan()
        .args([
            "--lang",
            "en",
            "audit",
            "fixtures/reports/pdf/03_shanghai-putuo-shgzb-2024.pdf",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["year"], 2024);
    assert_eq!(json["department"], "中共上海市普陀区委社会工作部");
    let rules: Vec<&str> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["rule"].as_str())
        .collect();
    assert!(rules.iter().all(|r| !r.starts_with('U')), "{rules:?}");
}

#[test]
fn without_pdftotext_a_pdf_is_refused_with_e0905() {
    let dir = tempfile::tempdir().unwrap();
    let out = juesuan()
        .env("PATH", dir.path())
        .args([
            "audit",
            "fixtures/reports/pdf/01_shanghai-putuo-czj-2024.pdf",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    for needle in ["E0905", "01_shanghai-putuo-czj-2024.pdf", "poppler-utils"] {
        assert!(stderr.contains(needle), "{needle} not in:\n{stderr}");
    }
}

#[test]
fn a_pdf_pdftotext_cannot_read_is_refused_with_e0906() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("broken.pdf");
    std::fs::write(&bad, b"%PDF-1.4\nnot really a PDF\n").unwrap();
    let out = juesuan().arg("audit").arg(&bad).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("E0906") && stderr.contains("broken.pdf"),
        "{stderr}"
    );
}

#[test]
fn audit_reads_a_published_workbook() {
    // The workbook `build` writes for the seed is a published XLSX: it audits clean.
    let dir = tempfile::tempdir().unwrap();
    let out = juesuan()
        .args([
            "build",
            "examples/hongshan-kjj-2023.toml",
            "--format",
            "xlsx",
            "-q",
            "-o",
        ])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success());
    let book = dir.path().join("hongshan-kjj-2023.xlsx");
    let out = juesuan().arg("audit").arg(&book).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(
        text.contains("武汉市洪山区科学技术和经济信息化局"),
        "{text}"
    );
    assert!(text.contains("9 张表"), "{text}");
    // Not a workbook after all: exit 2, E0907.
    let fake = dir.path().join("fake.xlsx");
    std::fs::write(&fake, b"PK\x03\x04 not a zip").unwrap();
    let out = juesuan().arg("audit").arg(&fake).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("E0907"));
}
