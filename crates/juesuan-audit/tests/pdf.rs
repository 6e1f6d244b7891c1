//! `audit_bbox` on the official PDFs in fixtures/reports/pdf, through `pdftotext -bbox-layout`
//! (poppler-utils; scripts/test installs it): exactly the findings recorded, checked by hand,
//! in fixtures/reports/audit-expect.toml, and the same figures as the reports' extracted texts
//! wherever those are read with certainty.

use juesuan_core::rules::Sheet;
use std::collections::{BTreeMap, BTreeSet};

mod support;
use support::{ROOT, bbox, compare, records};

fn pdf_records() -> Vec<support::Document> {
    records()
        .into_iter()
        .filter(|d| d.file.ends_with(".pdf"))
        .collect()
}

#[test]
fn every_pdf_gives_exactly_its_recorded_findings() {
    let records = pdf_records();
    let pdfs: BTreeSet<String> = std::fs::read_dir(format!("{ROOT}/fixtures/reports/pdf"))
        .unwrap()
        .map(|e| format!("pdf/{}", e.unwrap().file_name().to_string_lossy()))
        .filter(|n| n.ends_with(".pdf"))
        .collect();
    let recorded: BTreeSet<String> = records.iter().map(|d| d.file.clone()).collect();
    assert_eq!(pdfs, recorded, "every PDF has a record");
    let mut problems = Vec::new();
    for d in &records {
        let a = juesuan_audit::audit_bbox(&d.file, &bbox(&d.file))
            .unwrap_or_else(|e| panic!("{}: {e:?}", d.file));
        problems.extend(compare(d, &a));
        assert_eq!(a.read.found.len(), 9, "{}: nine tables", d.file);
        assert!(
            a.department.is_some() && a.year == Some(2024),
            "{}: cover not read: {:?} {:?}",
            d.file,
            a.department,
            a.year
        );
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Every certain row of a sheet: (table, row address) → cells (key → hundredths).
fn certain(sheet: &Sheet) -> BTreeMap<(String, String), BTreeMap<String, i128>> {
    sheet
        .tables
        .iter()
        .flat_map(|t| {
            t.rows.iter().filter(|r| !r.uncertain).map(|r| {
                (
                    (t.id.key().to_string(), r.address()),
                    r.cells
                        .iter()
                        .map(|(k, f)| (k.clone(), f.printed().hundredths()))
                        .collect(),
                )
            })
        })
        .collect()
}

#[test]
fn the_pdfs_give_the_figures_of_their_texts() {
    for d in pdf_records() {
        let name = d.file.trim_start_matches("pdf/").replace(".pdf", ".txt");
        let text = std::fs::read(format!("{ROOT}/fixtures/reports/{name}")).unwrap();
        let from_text = juesuan_audit::audit(&name, &text).unwrap();
        let from_pdf = juesuan_audit::audit_bbox(&d.file, &bbox(&d.file)).unwrap();
        let (t, p) = (
            certain(&from_text.read.sheet),
            certain(&from_pdf.read.sheet),
        );
        let mut differ = Vec::new();
        for (row, cells) in &t {
            match p.get(row) {
                Some(c) if c == cells => {}
                other => differ.push(format!("{row:?}: text {cells:?}, PDF {other:?}")),
            }
        }
        assert!(
            differ.is_empty(),
            "{}: {} of {} rows differ:\n{}",
            d.file,
            differ.len(),
            t.len(),
            differ.join("\n")
        );
        // The PDF reads at least every row the text reads with certainty, and more.
        assert!(p.len() >= t.len(), "{}: {} < {}", d.file, p.len(), t.len());
        assert_eq!(from_text.department, from_pdf.department, "{}", d.file);
    }
}

#[test]
fn what_is_not_pdftotext_output_is_refused() {
    for bad in [
        "",
        "plain text, no XHTML",
        "<doc><page><word xMin=\"1\" yMin=\"1\" xMax=\"2\">x</word></page></doc>",
    ] {
        let e = juesuan_audit::audit_bbox("x.pdf", bad).unwrap_err();
        assert!(matches!(e[0].code, "E0903" | "E0906"), "{bad:?}: {e:?}");
    }
}
