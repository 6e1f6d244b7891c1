//! The other forms a report is published in — an HTML page, a Word document, and a page with
//! its tables as an .xls attachment — give the findings of the report's PDF.
//!
//! Each form is made here from what the audit reads in the official PDFs of
//! fixtures/reports/pdf (through `pdftotext -bbox-layout`, as tests/pdf.rs): the lines outside
//! the tables become paragraphs, and each table a grid whose columns are where the PDF prints
//! its figures — the amounts of one column overlap across the page, and each word goes to the
//! columns it overlaps (a header over several, as a merged cell) — written as a publisher would
//! write it: `<table>` cells with `colspan`, `w:tc` with `w:gridSpan`, or one workbook cell per
//! column.

mod support;

use juesuan_audit::text::{Document, Span, Tok, is_page_marker, normalize, tokens_at};
use juesuan_audit::{Audit, Auditor};
use juesuan_core::diag::Severity;
use juesuan_core::rules::{Finding, Place};
use std::collections::BTreeSet;
use std::io::Write;
use support::{ROOT, bbox};

/// A piece of a report: a paragraph, or a table's rows of cells (text, first column, columns
/// spanned) on a grid of `columns` columns.
enum Piece {
    Para(String),
    Table {
        columns: usize,
        rows: Vec<Vec<(String, usize, usize)>>,
    },
}

/// The words of line `i` of a document with their extents.
fn words(doc: &Document, i: usize) -> Vec<(String, Span, bool)> {
    let no = u32::try_from(i + 1).unwrap();
    let line = &doc.lines[i];
    let toks = tokens_at(line, no, doc.positions.get(i).map(Vec::as_slice));
    // Dashes are dropped by the tokenizer; they print nothing the audit reads.
    toks.into_iter()
        .filter_map(|t| {
            let x = t.x?;
            Some(match t.tok {
                Tok::Amount(p) => (p.grouped(), x, true),
                Tok::Int(s) => (s, x, true),
                Tok::Text(s) => (s, x, false),
                Tok::Unsure => (juesuan_audit::text::UNREADABLE.to_string(), x, true),
            })
        })
        .collect()
}

/// The report read from a PDF, as paragraphs and tables: each table from the line after its
/// title to the last line a row of it was read from.
fn pieces(doc: &Document, audit: &Audit) -> Vec<Piece> {
    let mut regions: Vec<(usize, usize)> = audit
        .read
        .found
        .iter()
        .filter_map(|(id, title)| {
            let from = *title as usize; // the line after the title, 0-based
            let last = audit
                .read
                .sheet
                .table(id.key())
                .into_iter()
                .flat_map(|t| t.rows.iter().filter_map(|r| r.source_line))
                .chain(
                    audit
                        .read
                        .unread
                        .iter()
                        .filter(|u| u.table.key() == id.key())
                        .map(|u| u.line),
                )
                .max()?;
            // A table without rows (本表无数据) is paragraphs, as it prints.
            Some((from, last as usize))
        })
        .collect();
    regions.sort();
    let mut out = Vec::new();
    let mut i = 0;
    while i < doc.lines.len() {
        if let Some(&(from, to)) = regions.iter().find(|(f, _)| *f == i) {
            out.push(grid(doc, from, to));
            i = to.max(from + 1);
            continue;
        }
        let line = &doc.lines[i];
        if !is_page_marker(line) && !line.trim().is_empty() {
            let text: Vec<&str> = line.split_whitespace().collect();
            out.push(Piece::Para(text.join(" ")));
        }
        i += 1;
    }
    out
}

/// Lines `from..to` (0-based, `to` exclusive) of a document as a table: columns are the
/// extents of the figures printed one under another, then of the words that stand under no
/// figure; each word goes to the columns it overlaps.
fn grid(doc: &Document, from: usize, to: usize) -> Piece {
    let lines: Vec<Vec<(String, Span, bool)>> = (from..to)
        .filter(|&i| !is_page_marker(&doc.lines[i]))
        .map(|i| words(doc, i))
        .collect();
    let union = |spans: &mut Vec<Span>, x: Span| {
        let mut x = x;
        spans.retain(|s| {
            let touch = s.overlap(x) > 0;
            if touch {
                x = x.union(*s);
            }
            !touch
        });
        spans.push(x);
    };
    let mut columns: Vec<Span> = Vec::new();
    for (_, x, _) in lines.iter().flatten().filter(|w| w.2) {
        union(&mut columns, *x);
    }
    // Words under no figure make columns of their own, narrowest first: a word over two
    // columns or more already found is a header spanning them and widens none.
    let mut texts: Vec<Span> = lines
        .iter()
        .flatten()
        .filter(|w| !w.2)
        .map(|w| w.1)
        .collect();
    texts.sort_by_key(|x| x.len());
    for x in texts {
        if columns.iter().filter(|c| c.overlap(x) > 0).count() <= 1 {
            union(&mut columns, x);
        }
    }
    columns.sort();
    let rows = lines
        .iter()
        .map(|ws| {
            let mut cells: Vec<(String, usize, usize)> = Vec::new();
            for (w, x, _) in ws {
                // A word over two columns or more (收入, 本年支出) spans them, as a merged
                // header; any other belongs to the one column under its centre, or nearest it.
                let covered: Vec<usize> = (0..columns.len())
                    .filter(|&c| x.min <= columns[c].min && columns[c].max <= x.max)
                    .collect();
                let (c0, c1) = if covered.len() >= 2 {
                    (covered[0], *covered.last().unwrap())
                } else {
                    let centre = x.centre2();
                    let distance = |c: &Span| {
                        (2 * i64::from(c.min) - centre)
                            .max(centre - 2 * i64::from(c.max))
                            .max(0)
                    };
                    let c = (0..columns.len())
                        .min_by_key(|&c| (distance(&columns[c]), -columns[c].overlap(*x)))
                        .unwrap();
                    (c, c)
                };
                match cells.last_mut() {
                    Some((t, a, n)) if c0 < *a + *n => {
                        t.push(' ');
                        t.push_str(w);
                        *n = (*n).max(c1 + 1 - *a);
                    }
                    _ => cells.push((w.clone(), c0, c1 + 1 - c0)),
                }
            }
            cells
        })
        .collect();
    Piece::Table {
        columns: columns.len(),
        rows,
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The report as an HTML page.
fn html(pieces: &[Piece]) -> String {
    let mut h = String::from(
        "<!DOCTYPE html>\n<html lang=\"zh\"><head><meta charset=\"utf-8\"><title>部门决算</title>\
         <style>td{border:1px solid}</style></head><body>\n",
    );
    for p in pieces {
        match p {
            Piece::Para(t) => h.push_str(&format!("<p>{}</p>\n", escape(t))),
            Piece::Table { columns, rows } => {
                h.push_str("<table>\n");
                for r in rows {
                    h.push_str("<tr>");
                    let mut col = 0;
                    for (t, c, n) in r {
                        if *c > col {
                            h.push_str(&format!("<td colspan=\"{}\"></td>", c - col));
                        }
                        h.push_str(&format!("<td colspan=\"{n}\">{}</td>", escape(t)));
                        col = c + n;
                    }
                    if *columns > col {
                        h.push_str(&format!("<td colspan=\"{}\">&nbsp;</td>", columns - col));
                    }
                    h.push_str("</tr>\n");
                }
                h.push_str("</table>\n");
            }
        }
    }
    h.push_str("</body></html>\n");
    h
}

/// The report as a Word document.
fn docx(pieces: &[Piece]) -> Vec<u8> {
    let para = |t: &str| {
        format!(
            "<w:p><w:r><w:t xml:space=\"preserve\">{}</w:t></w:r></w:p>",
            escape(t)
        )
    };
    let tc = |t: &str, n: usize| {
        format!(
            "<w:tc><w:tcPr><w:gridSpan w:val=\"{n}\"/></w:tcPr>{}</w:tc>",
            if t.is_empty() {
                "<w:p/>".to_string()
            } else {
                para(t)
            }
        )
    };
    let mut body = String::new();
    for p in pieces {
        match p {
            Piece::Para(t) => body.push_str(&para(t)),
            Piece::Table { columns, rows } => {
                body.push_str("<w:tbl><w:tblGrid>");
                body.push_str(&"<w:gridCol w:w=\"600\"/>".repeat(*columns));
                body.push_str("</w:tblGrid>");
                for r in rows {
                    body.push_str("<w:tr>");
                    let mut col = 0;
                    for (t, c, n) in r {
                        if *c > col {
                            body.push_str(&tc("", c - col));
                        }
                        body.push_str(&tc(t, *n));
                        col = c + n;
                    }
                    if *columns > col {
                        body.push_str(&tc("", columns - col));
                    }
                    body.push_str("</w:tr>");
                }
                body.push_str("</w:tbl>");
            }
        }
    }
    let document = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
         <w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
         <w:body>{body}<w:sectPr/></w:body></w:document>"
    );
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    let parts = [
        (
            "[Content_Types].xml",
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
             <Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
             <Default Extension=\"xml\" ContentType=\"application/xml\"/>\
             <Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>"
                .to_string(),
        ),
        (
            "_rels/.rels",
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
             <Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/></Relationships>"
                .to_string(),
        ),
        ("word/document.xml", document),
    ];
    for (name, text) in parts {
        zip.start_file(name, options).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// The report as a page whose tables are an attachment: the page (HTML) with a link where the
/// tables were, and the tables as a workbook, one sheet per table, a cell over several columns
/// merged.
fn split(pieces: &[Piece]) -> (String, Vec<u8>) {
    let mut page = Vec::new();
    let mut book = rust_xlsxwriter::Workbook::new();
    let mut linked = false;
    let mut title: Option<String> = None;
    for p in pieces {
        match p {
            Piece::Para(t) => {
                title = Some(t.clone());
                page.push(Piece::Para(t.clone()));
            }
            Piece::Table { rows, .. } => {
                // The title printed above the table goes with it into its sheet.
                let title = title.take().and_then(|t| match page.pop() {
                    Some(Piece::Para(p)) if p == t => Some(t),
                    Some(other) => {
                        page.push(other);
                        None
                    }
                    None => None,
                });
                if !linked {
                    page.push(Piece::Para("附件：部门决算表（见 tables.xlsx）".into()));
                    linked = true;
                }
                let sheet = book.add_worksheet();
                let mut r0 = 0;
                if let Some(t) = title {
                    sheet.write(0, 0, t.as_str()).unwrap();
                    r0 = 1;
                }
                let plain = rust_xlsxwriter::Format::new();
                for (r, row) in rows.iter().enumerate() {
                    for (t, c, n) in row {
                        let (r, c) = (u32::try_from(r).unwrap() + r0, u16::try_from(*c).unwrap());
                        if *n > 1 {
                            let last = c + u16::try_from(*n).unwrap() - 1;
                            sheet
                                .merge_range(r, c, r, last, t.as_str(), &plain)
                                .unwrap();
                        } else {
                            sheet.write(r, c, t.as_str()).unwrap();
                        }
                    }
                }
            }
        }
    }
    (html(&page), book.save_to_buffer().unwrap())
}

/// What a finding says, wherever it was read: rule, severity, table, row (for the narrative,
/// the text of its line), column, found and expected.
fn said(f: &Finding, doc: &Document) -> String {
    let (table, row, column) = f.address();
    let row = match &f.place {
        Place::Document(p) => doc
            .lines
            .get(p.line as usize - 1)
            .map(|l| normalize(l))
            .unwrap_or_default(),
        _ => row,
    };
    format!(
        "{} {:?} {table}/{row}/{column}: found {} expected {}",
        f.rule,
        f.severity,
        f.found(),
        f.expected()
    )
}

fn all_said(a: &Audit, doc: &Document) -> BTreeSet<String> {
    a.findings.iter().map(|f| said(f, doc)).collect()
}

#[test]
fn html_docx_and_a_split_report_give_the_findings_of_the_pdf() {
    let auditor = Auditor::builtin().unwrap();
    let mut problems = Vec::new();
    for entry in std::fs::read_dir(format!("{ROOT}/fixtures/reports/pdf")).unwrap() {
        let name = format!("pdf/{}", entry.unwrap().file_name().to_string_lossy());
        if !name.ends_with(".pdf") {
            continue;
        }
        let xhtml = bbox(&name);
        let pdf_doc = juesuan_audit::bbox::document(&name, &xhtml).unwrap();
        let pdf = auditor.audit_bbox(&name, &xhtml).unwrap();
        let want = all_said(&pdf, &pdf_doc);
        assert!(
            pdf.findings.iter().any(|f| f.severity == Severity::Error),
            "{name}: the PDFs have errors to compare"
        );
        let pieces = pieces(&pdf_doc, &pdf);

        let page = html(&pieces);
        let html_doc = juesuan_audit::html::document("r.html", page.as_bytes()).unwrap();
        let forms: Vec<(&str, Document)> = {
            let word = docx(&pieces);
            assert_eq!(
                juesuan_audit::Format::of(&word),
                juesuan_audit::Format::Docx
            );
            assert_eq!(
                juesuan_audit::Format::of(page.as_bytes()),
                juesuan_audit::Format::Html
            );
            let (page, book) = split(&pieces);
            assert_eq!(
                juesuan_audit::Format::of(&book),
                juesuan_audit::Format::Workbook
            );
            let parts = vec![
                juesuan_audit::html::document("page.html", page.as_bytes()).unwrap(),
                juesuan_audit::xlsx::document("tables.xlsx", &book).unwrap(),
            ];
            vec![
                ("HTML", html_doc),
                (
                    "DOCX",
                    juesuan_audit::docx::document("r.docx", &word).unwrap(),
                ),
                (
                    "page + xlsx",
                    auditor.combine("page.html+tables.xlsx", parts),
                ),
            ]
        };
        for (form, doc) in forms {
            let a = auditor
                .audit_read(&doc)
                .unwrap_or_else(|e| panic!("{name} as {form}: {e:?}"));
            assert_eq!(a.read.found.len(), 9, "{name} as {form}: nine tables");
            assert_eq!(
                (&a.department, a.year),
                (&pdf.department, pdf.year),
                "{name} as {form}"
            );
            let got = all_said(&a, &doc);
            let missing: Vec<&String> = want.difference(&got).collect();
            let extra: Vec<&String> = got.difference(&want).collect();
            // 01's PDF reads the 201 row of 一般公共预算财政拨款支出决算表 without its label
            // (一般公共服务支出); every other form reads it, so the sentence's 2106.66 is
            // matched to the figure of that class (gb.class.201) instead of to a table item:
            // the same finding on the same sentence, with the same figures.
            let label = |a: &Audit| {
                a.read.sheet.table("general_budget").and_then(|t| {
                    t.rows
                        .iter()
                        .find(|r| r.address() == "201")
                        .map(|r| r.label.zh.clone())
                })
            };
            let explained = name.starts_with("pdf/01")
                && label(&pdf).as_deref() == Some("")
                && label(&a).as_deref() == Some("一般公共服务支出")
                && missing.len() == 1
                && extra.len() == 1
                && missing[0].replace("/item:", "/gb.class.201:") == *extra[0];
            if !explained {
                for f in extra {
                    problems.push(format!("{name} as {form}: unexpected {f}"));
                }
                for f in missing {
                    problems.push(format!("{name} as {form}: missing {f}"));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// A Word document written by a word processor (LibreOffice, from the report page `juesuan
/// build` writes for the seed; fixtures/audit/README.md): its tables, narrative and 绩效 forms
/// are read, and it gives the findings of that page — the seed's two forms with blank scores
/// (P104), its rate without % (W005) and no error.
#[test]
fn a_word_processors_docx_is_read_whole() {
    let file = format!("{ROOT}/fixtures/audit/word/hongshan-kjj-2023.report.docx");
    let bytes = std::fs::read(&file).unwrap();
    assert_eq!(
        juesuan_audit::Format::of(&bytes),
        juesuan_audit::Format::Docx
    );
    let a = juesuan_audit::audit_docx("report.docx", &bytes).unwrap();
    assert_eq!(a.read.found.len(), 9);
    assert_eq!(
        (a.department.as_deref(), a.year),
        (Some("武汉市洪山区科学技术和经济信息化局"), Some(2023))
    );
    let mut said: Vec<(&str, Severity)> = a
        .findings
        .iter()
        .filter(|f| f.severity != Severity::Info)
        .map(|f| (f.rule.as_str(), f.severity))
        .collect();
    said.sort();
    // The example keeps the seed's own words of its 其他需要说明的情况 — with their rate
    // printed without % (W005, as in the seed).
    assert_eq!(
        said,
        [
            ("P104", Severity::Warning),
            ("P104", Severity::Warning),
            ("W005", Severity::Warning)
        ]
    );
    // The narrative is read: most of its numbers are checked.
    assert!(a.narrative.len() > 100, "{}", a.narrative.len());

    let doc = std::fs::read(format!(
        "{ROOT}/fixtures/audit/word/hongshan-kjj-2023.tables.doc"
    ))
    .unwrap();
    assert_eq!(juesuan_audit::Format::of(&doc), juesuan_audit::Format::Doc);
}
