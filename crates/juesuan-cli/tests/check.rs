//! `juesuan check` and the rule gate of `juesuan build`, end to end.

mod support;

use support::juesuan;

#[test]
fn the_examples_check_clean() {
    for name in [
        "hongshan-kjj-2023",
        "three-units-2024",
        "shanghai-putuo-czj-2024",
    ] {
        let out = juesuan()
            .args(["check", &format!("examples/{name}.toml")])
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{name}: {}",
            String::from_utf8_lossy(&out.stdout)
        );
        assert!(String::from_utf8_lossy(&out.stdout).contains("0 个错误"));
    }
}

/// The fixture says which three errors it holds: every one is reported, located to its table,
/// row and column, in Chinese and in English.
#[test]
fn three_deliberate_errors_are_all_reported_and_located() {
    let expect = [
        (
            "X110",
            "公开06表",
            "人员经费合计",
            "Table 06",
            "Personnel total",
        ),
        ("T105", "公开01表", "第31行", "Table 01", "line 31"),
        (
            "T702",
            "公开07表",
            "2070904 地方旅游开发项目补助",
            "Table 07",
            "2070904",
        ),
    ];
    let zh = juesuan()
        .args(["check", "fixtures/check/three-errors.toml"])
        .output()
        .unwrap();
    let en = juesuan()
        .args(["--lang", "en", "check", "fixtures/check/three-errors.toml"])
        .output()
        .unwrap();
    assert_eq!(zh.status.code(), Some(1));
    assert_eq!(en.status.code(), Some(1));
    let (zh, en) = (
        String::from_utf8_lossy(&zh.stdout),
        String::from_utf8_lossy(&en.stdout),
    );
    for (rule, table_zh, row_zh, table_en, row_en) in expect {
        let line = zh
            .lines()
            .find(|l| l.contains(&format!("错误 {rule} ")))
            .unwrap_or_else(|| panic!("{rule} missing:\n{zh}"));
        assert!(line.contains(row_zh), "{line}");
        assert!(zh.contains(table_zh));
        let line = en
            .lines()
            .find(|l| l.contains(&format!("error {rule} ")))
            .unwrap_or_else(|| panic!("{rule} missing:\n{en}"));
        assert!(line.contains(row_en), "{line}");
        assert!(en.contains(table_en));
    }
    assert!(en.contains("difference") && en.contains("hint:"));

    // JSON: the same findings with table, row and column.
    let json = juesuan()
        .args([
            "check",
            "fixtures/check/three-errors.toml",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v["format"], "juesuan.findings/1");
    let findings = v["findings"].as_array().unwrap();
    for (rule, ..) in expect {
        let f = findings.iter().find(|f| f["rule"] == rule).unwrap();
        for key in [
            "severity",
            "scope",
            "location",
            "message",
            "found",
            "expected",
            "difference",
            "formula",
            "hint",
            "cells",
        ] {
            assert!(!f[key].is_null(), "{rule} lacks {key}");
        }
        assert_eq!(f["location"]["kind"], "view");
        assert!(f["location"]["column"].is_string());
    }
    assert_eq!(
        v["summary"]["errors"].as_u64(),
        Some(findings.iter().filter(|f| f["severity"] == "error").count() as u64)
    );
}

#[test]
fn build_refuses_to_publish_errors_unless_allowed() {
    let out = tempfile::tempdir().unwrap();
    let refused = juesuan()
        .args(["build", "fixtures/check/three-errors.toml", "-o"])
        .arg(out.path())
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(1));
    let names = |p: &std::path::Path| {
        let mut v: Vec<String> = std::fs::read_dir(p)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    };
    assert_eq!(names(out.path()), ["three-errors.findings.json"]);
    let allowed = juesuan()
        .args([
            "build",
            "fixtures/check/three-errors.toml",
            "--allow-errors",
            "-o",
        ])
        .arg(out.path())
        .output()
        .unwrap();
    assert_eq!(allowed.status.code(), Some(0));
    assert_eq!(
        names(out.path()),
        [
            "three-errors.findings.json",
            "three-errors.report.docx",
            "three-errors.report.html",
            "three-errors.report.json",
            "three-errors.report.pdf",
            "three-errors.tables.html",
            "three-errors.views.json",
            "three-errors.xlsx"
        ]
    );
}

#[test]
fn rules_are_listed_and_explained() {
    let list = juesuan().arg("rules").output().unwrap();
    let text = String::from_utf8_lossy(&list.stdout);
    assert!(text.lines().count() >= 50, "{text}");
    let one = juesuan()
        .args(["--lang", "en", "rules", "T105"])
        .output()
        .unwrap();
    let doc = String::from_utf8_lossy(&one.stdout);
    assert!(
        doc.contains("Formula: summary[L31] = summary[L62]"),
        "{doc}"
    );
    let none = juesuan().args(["rules", "Z999"]).output().unwrap();
    assert_eq!(none.status.code(), Some(2));
}

#[test]
fn audit_reports_what_disagrees_and_refuses_what_it_cannot_read() {
    // A real 0.01 disagreement between two tables of a published report: exit 1, located.
    let out = juesuan()
        .args(["audit", "fixtures/reports/02_shanghai-putuo-ghzyj-2024.txt"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    for needle in [
        "上海市普陀区规划和自然资源局",
        "X107",
        "236.63",
        "236.64",
        "无法确定各数所在的栏",
    ] {
        assert!(text.contains(needle), "{needle} not in:\n{text}");
    }
    // The seed's tables reconcile but its narrative does not: 人员经费 1466.62 against the
    // table's 1316.78. JSON in the schema of `check`, in English.
    let out = juesuan()
        .args([
            "--lang",
            "en",
            "audit",
            "fixtures/reports/wuhan-hongshan-kjj-2023.txt",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["format"], "juesuan.findings/1");
    assert_eq!(json["year"], 2023);
    assert_eq!(json["summary"]["errors"], 1);
    let n201 = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "N201")
        .expect("N201");
    assert_eq!(n201["found"], "1466.62");
    assert_eq!(n201["expected"], "1316.78");
    // A report whose tables and narrative reconcile: exit 0 (04 with its one slip, 增长
    // 2.60% for 2.59%, corrected).
    let text = std::fs::read_to_string(
        support::repo().join("fixtures/reports/04_shanghai-putuo-sthjj-2025.txt"),
    )
    .unwrap()
    .replace("增长 2.60%", "增长 2.59%");
    let corrected = tempfile::tempdir().unwrap();
    let file = corrected.path().join("04.txt");
    std::fs::write(&file, text).unwrap();
    let out = juesuan().arg("audit").arg(&file).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    // Not a report: exit 2 with a located message.
    let dir = tempfile::tempdir().unwrap();
    let png = dir.path().join("x.png");
    std::fs::write(&png, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR").unwrap();
    let out = juesuan().arg("audit").arg(&png).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("E0902"));
}
