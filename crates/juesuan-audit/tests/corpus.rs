//! `audit` on every real report in fixtures/reports: exactly the findings recorded, checked by
//! hand, in fixtures/reports/audit-expect.toml.

use juesuan_core::diag::Severity;
use std::collections::BTreeSet;

mod support;
use support::{ROOT, at, compare, records};

#[test]
fn every_report_gives_exactly_its_recorded_findings() {
    let all = records();
    let files: BTreeSet<String> = std::fs::read_dir(format!("{ROOT}/fixtures/reports"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".txt"))
        .collect();
    // The PDFs' records (`pdf/…`) are tests/pdf.rs's.
    let texts: Vec<&support::Document> = all.iter().filter(|d| !d.file.ends_with(".pdf")).collect();
    let recorded: BTreeSet<String> = texts.iter().map(|d| d.file.clone()).collect();
    assert_eq!(files, recorded, "every report has a record");
    let mut problems = Vec::new();
    for d in texts {
        let bytes = std::fs::read(format!("{ROOT}/fixtures/reports/{}", d.file)).unwrap();
        let a =
            juesuan_audit::audit(&d.file, &bytes).unwrap_or_else(|e| panic!("{}: {e:?}", d.file));
        problems.extend(compare(d, &a));
        assert!(
            a.department.is_some() && a.year.is_some(),
            "{}: cover not read",
            d.file
        );
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn unreadable_input_is_refused_with_a_located_message() {
    for (bytes, code) in [
        (&b""[..], "E0903"),
        (&b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"[..], "E0902"),
        ("一份没有任何表格的文件\n第二行\n".as_bytes(), "E0903"),
    ] {
        let e = juesuan_audit::audit("x.txt", bytes).unwrap_err();
        assert_eq!(e[0].code, code, "{e:?}");
    }
    // Half a report: the first tables only, cut in the middle of a table.
    let seed = std::fs::read_to_string(format!(
        "{ROOT}/fixtures/reports/wuhan-hongshan-kjj-2023.txt"
    ))
    .unwrap();
    let half: String = seed.lines().take(180).collect::<Vec<_>>().join("\n");
    let a = juesuan_audit::audit("half.txt", half.as_bytes()).unwrap();
    assert!(a.read.found.len() < 9);
    assert!(
        a.findings.iter().all(|f| f.severity != Severity::Error),
        "missing tables are not errors: {:?}",
        a.findings.iter().map(|f| &f.rule).collect::<Vec<_>>()
    );
}

/// `file` with `fixes` applied: (1-based line, text printed, text meant).
fn corrected(file: &str, fixes: &[(usize, &str, &str)]) -> String {
    let text = std::fs::read_to_string(format!("{ROOT}/fixtures/reports/{file}")).unwrap();
    let mut lines: Vec<String> = text.split('\n').map(str::to_string).collect();
    for (line, from, to) in fixes {
        let l = &mut lines[line - 1];
        assert!(l.contains(from), "{file}:{line} lacks {from}");
        *l = l.replace(from, to);
    }
    lines.join("\n")
}

#[test]
fn a_corrected_copy_gives_no_error() {
    for (file, fixes) in [
        (
            "wuhan-hongshan-kjj-2023.txt",
            vec![
                (594, "人员经费 1466.62", "人员经费 1316.78"),
                (586, "房租补贴", "提租补贴"),
            ],
        ),
        (
            "01_shanghai-putuo-czj-2024.txt",
            vec![
                (422, "总计0.3万元", "总计2961.68万元"),
                (433, "占71.73%", "占71.65%"),
            ],
        ),
        (
            "02_shanghai-putuo-ghzyj-2024.txt",
            vec![
                (128, "236.63", "236.64"),
                (254, "236.63 236.63", "236.64 236.64"),
                (459, "236.63", "236.64"),
                (535, "5377.64", "5364.75"),
                (536, "4896.98", "4884.09"),
                (452, "99.86%", "99.87%"),
                (464, "95.45%", "95.46%"),
            ],
        ),
    ] {
        let text = corrected(file, &fixes);
        let a = juesuan_audit::audit(file, text.as_bytes()).unwrap();
        let bad: Vec<String> = a
            .findings
            .iter()
            .filter(|f| matches!(f.severity, Severity::Error | Severity::Warning))
            .map(|f| format!("{} {}", f.rule, at(&f.location())))
            .collect();
        assert!(bad.is_empty(), "{file} corrected: {bad:?}");
    }
}
