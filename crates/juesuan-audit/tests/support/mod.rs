//! Shared by the audit tests: the records of fixtures/reports/audit-expect.toml and the
//! comparison of an audit with its record.

#![allow(dead_code)]

use juesuan_audit::Audit;
use juesuan_core::diag::{Location, Severity};
use std::collections::BTreeSet;
use std::process::Command;

/// The repository.
pub const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

#[derive(serde::Deserialize)]
struct Expect {
    document: Vec<Document>,
}

/// One report's record.
#[derive(serde::Deserialize)]
pub struct Document {
    /// Under fixtures/reports.
    pub file: String,
    /// Rows not read with certainty (U001/U002).
    pub unread: usize,
    /// Every error and warning.
    #[serde(default)]
    pub finding: Vec<Expected>,
    #[serde(default)]
    why: String,
    #[serde(default)]
    finding_why: String,
}

/// A finding recorded.
#[derive(serde::Deserialize)]
pub struct Expected {
    /// Rule id.
    pub rule: String,
    /// `table/row/column`.
    pub at: String,
    /// A 舍入差异: figures one unit of their last digit apart, reported as a warning.
    #[serde(default)]
    pub rounding: bool,
    #[serde(default)]
    why: String,
}

/// Every record.
pub fn records() -> Vec<Document> {
    let expect: Expect = toml::from_str(
        &std::fs::read_to_string(format!("{ROOT}/fixtures/reports/audit-expect.toml")).unwrap(),
    )
    .unwrap();
    expect.document
}

/// A finding's location as the records write it.
pub fn at(l: &Location) -> String {
    match l {
        Location::View { table, row, column } => format!("{table}/{row}/{column}"),
        other => other.to_string(),
    }
}

/// What differs between an audit and its record: findings unexpected or missing, and the
/// number of rows left unread.
pub fn compare(d: &Document, a: &Audit) -> Vec<String> {
    let mut problems = Vec::new();
    let got: BTreeSet<(String, String)> = a
        .findings
        .iter()
        .filter(|f| matches!(f.severity, Severity::Error | Severity::Warning))
        .map(|f| (f.rule.clone(), at(&f.location())))
        .collect();
    let want: BTreeSet<(String, String)> = d
        .finding
        .iter()
        .map(|f| (f.rule.clone(), f.at.clone()))
        .collect();
    for extra in got.difference(&want) {
        problems.push(format!("{}: unexpected {extra:?}", d.file));
    }
    for missing in want.difference(&got) {
        problems.push(format!("{}: missing {missing:?}", d.file));
    }
    // Each rounding difference recorded is one (a warning), and no other finding is.
    for f in &a.findings {
        let key = (f.rule.clone(), at(&f.location()));
        let Some(e) = d
            .finding
            .iter()
            .find(|e| (e.rule.clone(), e.at.clone()) == key)
        else {
            continue;
        };
        if f.rounding() != e.rounding {
            problems.push(format!(
                "{}: {key:?} is {}a rounding difference, recorded {}",
                d.file,
                if f.rounding() { "" } else { "not " },
                e.rounding
            ));
        }
        if f.rounding() && f.severity != Severity::Warning {
            problems.push(format!(
                "{}: {key:?} is a rounding difference but not a warning",
                d.file
            ));
        }
    }
    let unread = a
        .findings
        .iter()
        .filter(|f| f.rule.starts_with('U'))
        .count();
    if unread != d.unread {
        problems.push(format!(
            "{}: {unread} rows unread, recorded {}",
            d.file, d.unread
        ));
    }
    problems
}

/// `pdftotext -q -bbox-layout FILE -`: the word positions of a PDF in fixtures/reports.
pub fn bbox(file: &str) -> String {
    let path = format!("{ROOT}/fixtures/reports/{file}");
    let out = Command::new("pdftotext")
        .args(["-q", "-bbox-layout", &path, "-"])
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "cannot run pdftotext ({e}): these tests need poppler-utils \
                 (scripts/test installs it; apt-get install poppler-utils)"
            )
        });
    assert!(
        out.status.success(),
        "pdftotext failed on {file}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("pdftotext writes UTF-8")
}
