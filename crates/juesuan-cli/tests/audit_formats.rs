//! `juesuan audit` on the other forms a report is published in, end to end: the HTML pages
//! `build` writes, a page whose tables are a workbook attachment, and Word documents (a .doc
//! needs LibreOffice; without it the refusal says what to install).

mod support;

use serde_json::Value;
use support::juesuan;

/// The seed built as the report page, the tables page and the workbook, in `dir`.
fn build(dir: &std::path::Path) {
    let out = juesuan()
        .args([
            "build",
            "examples/hongshan-kjj-2023.toml",
            "--format",
            "html,xlsx",
            "-q",
            "-o",
        ])
        .arg(dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
}

/// `juesuan audit FILES… --format json`: the exit code and the findings as `rule table/row/column`.
fn audit(files: &[&std::path::Path]) -> (Option<i32>, Value, Vec<String>) {
    let (code, json) = support::audit_json(files);
    let mut found: Vec<String> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| format!("{} {}", f["rule"], f["severity"]))
        .collect();
    found.sort();
    (code, json, found)
}

#[test]
fn the_pages_build_writes_audit_as_their_workbook_and_a_split_report_as_one() {
    let dir = tempfile::tempdir().unwrap();
    build(dir.path());
    let report = dir.path().join("hongshan-kjj-2023.report.html");
    let tables = dir.path().join("hongshan-kjj-2023.tables.html");
    let book = dir.path().join("hongshan-kjj-2023.xlsx");

    // The tables page: nine tables, consistent to the cent, as the workbook.
    let (code, json, found) = audit(&[&tables]);
    assert_eq!(code, Some(0), "{json}");
    assert_eq!(json["department"], "武汉市洪山区科学技术和经济信息化局");
    assert_eq!(json["year"], 2023);
    assert_eq!(found, audit(&[&book]).2);

    // The report page: its tables, its narrative and its 绩效 forms are read; no error.
    let (code, json, whole) = audit(&[&report]);
    assert_eq!(code, Some(0), "{json}");
    assert!(whole.iter().any(|f| f.starts_with("\"P104\"")), "{whole:?}");
    assert!(whole.iter().any(|f| f.starts_with("\"N206\"")), "{whole:?}");

    // The same report with its tables moved to an attachment: the page without them and
    // the workbook, given together, say what the whole page says.
    let html = std::fs::read_to_string(&report).unwrap();
    let mut page = String::new();
    let mut rest = html.as_str();
    while let Some(at) = rest.find("<section class=\"table") {
        page.push_str(&rest[..at]);
        let end = rest[at..].find("</section>").unwrap() + at + "</section>".len();
        rest = &rest[end..];
    }
    page.push_str(rest);
    assert!(!page.contains("<table class=\"report\""));
    let page_file = dir.path().join("page.html");
    std::fs::write(&page_file, page).unwrap();
    let (code, json, split) = audit(&[&page_file, &book]);
    assert_eq!(code, Some(0), "{json}");
    assert_eq!(split, whole);
    // Either order: the part with the narrative's beginning takes the others before it.
    assert_eq!(audit(&[&book, &page_file]).2, whole);
    // The attachment as an .xls (the same workbook saved by LibreOffice: fixtures/audit).
    let xls = support::repo().join("fixtures/audit/xls/hongshan-kjj-2023.xls");
    assert_eq!(audit(&[&page_file, &xls]).2, whole);
}

#[test]
fn word_documents_that_cannot_be_read_are_refused_saying_why() {
    let dir = tempfile::tempdir().unwrap();
    // A .doc (Word 97–2003, written by LibreOffice: fixtures/audit/README.md) where no
    // LibreOffice is on PATH.
    let doc = support::repo().join("fixtures/audit/word/hongshan-kjj-2023.tables.doc");
    let empty = tempfile::tempdir().unwrap();
    let out = juesuan()
        .env("PATH", empty.path())
        .arg("audit")
        .arg(&doc)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    for needle in [
        "E0909",
        "hongshan-kjj-2023.tables.doc",
        "libreoffice-writer",
    ] {
        assert!(stderr.contains(needle), "{needle} not in:\n{stderr}");
    }
    // A .docx whose body is not there.
    let docx = dir.path().join("report.docx");
    std::fs::write(&docx, b"PK\x03\x04 word/document.xml but no archive").unwrap();
    let out = juesuan().arg("audit").arg(&docx).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("E0908") && stderr.contains("report.docx"),
        "{stderr}"
    );
}
