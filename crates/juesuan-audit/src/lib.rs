//! # juesuan-audit
//!
//! Reads a report a department has already published (text extracted from its PDF, or the
//! text itself) back into the nine tables and runs the rule catalog on them, with the
//! rounding-aware semantics of the build: a printed figure stands for every amount that prints
//! the same, so figures that reconcile are never flagged.
//!
//! Reading fails closed: a row whose figures cannot be placed with certainty (blank cells
//! dropped by the extractor, labels that cannot be matched) is reported as `unparsed` or
//! `ambiguous` with its raw line and left out of the checks, never guessed.
//!
//! Pure: bytes in, findings out. The CLI reads files and runs PDF text extraction.

pub mod bbox;
pub mod narrative;
pub mod place;
pub mod read;
pub mod text;
pub mod xlsx;

use juesuan_core::diag::{Diagnostic, Location};
use juesuan_core::rules::{Cell, Finding, RuleSet};
use juesuan_core::text::Text;
use read::{ReadTables, UnreadKind};

/// The result of auditing one document.
#[derive(Clone, Debug)]
pub struct Audit {
    /// The department, as the cover names it.
    pub department: Option<String>,
    /// The fiscal year (年度) the cover names.
    pub year: Option<i32>,
    /// What was read.
    pub read: ReadTables,
    /// Everything the rules found, and what could not be read.
    pub findings: Vec<Finding>,
    /// How many rules ran.
    pub rules: usize,
}

/// Audits the document `name` given as `bytes` (UTF-8, UTF-16 or GB18030 text).
pub fn audit(name: &str, bytes: &[u8]) -> Result<Audit, Vec<Diagnostic>> {
    let doc = text::decode(name, bytes).map_err(|d| vec![d])?;
    audit_document(&doc, || format!("{} lines without one", doc.lines.len()))
}

/// Reads the tables and the narrative of a decoded document and runs every rule; `nothing`
/// says what the document held when no table was found.
fn audit_document(
    doc: &text::Document,
    nothing: impl FnOnce() -> String,
) -> Result<Audit, Vec<Diagnostic>> {
    let layouts = juesuan_input::builtin::LAYOUTS
        .iter()
        .filter_map(|(id, _, _)| juesuan_input::builtin::layout(id))
        .collect::<Result<Vec<_>, _>>()?;
    let catalog = juesuan_input::compile::catalog(true, &[])?;
    let rules = juesuan_input::builtin::rules()?;
    let Some(mut read) = read::read_tables(doc, &layouts, &catalog, &rules) else {
        return Err(vec![
            Diagnostic::error(
                "E0903",
                Location::File {
                    file: doc.name.clone(),
                },
                Text::new("找不到任何部门决算表", "no table of a 部门决算 report was found"),
            )
            .expected(Text::new(
                "收入支出决算总表等表的标题，其后有“单位：万元”一行",
                "the title of a table such as 收入支出决算总表, followed by its unit line (单位：万元)",
            ))
            .found(nothing()),
        ]);
    };
    let patterns =
        narrative::patterns(narrative::PATTERNS.0, narrative::PATTERNS.1).map_err(|d| vec![d])?;
    let tables_end = read
        .found
        .iter()
        .map(|(_, l)| *l as usize)
        .max()
        .unwrap_or(0);
    read.sheet.claims = narrative::claims(doc, &read.sheet, &patterns, tables_end);
    let mut findings = rules.check(&read.sheet, Some(&catalog));
    findings.extend(unread_findings(&read, &rules));
    let (department, year) = cover(doc);
    Ok(Audit {
        department,
        year,
        findings,
        rules: rules.rules.len(),
        read,
    })
}

/// The department and year from the cover: `上海市普陀区财政局 2024年度部门决算`, possibly
/// wrapped over several lines.
fn cover(doc: &text::Document) -> (Option<String>, Option<i32>) {
    let head: String = doc
        .lines
        .iter()
        .filter(|l| !l.trim().is_empty() && !text::is_page_marker(l))
        .take(8)
        .map(|l| text::normalize(l))
        .collect();
    let Some(at) = head.find("年度部门决算") else {
        return meta_line(doc);
    };
    let before = &head[..at];
    let digits: String = before
        .chars()
        .rev()
        .take_while(char::is_ascii_digit)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let year = (digits.len() == 4).then(|| digits.parse().ok()).flatten();
    let name = before[..before.len() - digits.len()].trim().to_string();
    ((!name.is_empty()).then_some(name), year)
}

/// The department and year from a table's meta line (`部门：… 2023年度`), for a document
/// without a cover (a workbook of the tables).
fn meta_line(doc: &text::Document) -> (Option<String>, Option<i32>) {
    let line = doc
        .lines
        .iter()
        .find(|l| l.contains("部门：") || l.contains("部门:"));
    let Some(line) = line else {
        return (None, None);
    };
    let after = line
        .split_once("部门：")
        .or_else(|| line.split_once("部门:"))
        .map_or("", |(_, a)| a);
    let name: String = after
        .trim_start()
        .chars()
        .take_while(|c| !text::is_separator(*c))
        .collect();
    let year = line.find("年度").and_then(|i| {
        let digits: String = line[..i]
            .chars()
            .rev()
            .skip_while(|c| text::is_separator(*c))
            .take_while(char::is_ascii_digit)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        (digits.len() == 4).then(|| digits.parse().ok()).flatten()
    });
    ((!name.is_empty()).then_some(name), year)
}

/// Findings for what could not be read: rules U001 (unparsed) and U002 (ambiguous) of the
/// catalog, never errors about the figures.
fn unread_findings(read: &ReadTables, rules: &RuleSet) -> Vec<Finding> {
    read.unread
        .iter()
        .filter_map(|u| {
            let id = match u.kind {
                UnreadKind::Unparsed => "U001",
                UnreadKind::Ambiguous => "U002",
            };
            let def = &rules.get(id)?.def;
            let table = read.sheet.table(u.table.key());
            let table_name = table.map(|t| t.describe()).unwrap_or_default();
            Some(Finding {
                rule: def.id.clone(),
                severity: def.severity,
                scope: def.scope,
                location: Location::View {
                    table: u.table.key().to_string(),
                    row: u.row.clone(),
                    column: String::new(),
                },
                table_name,
                row_name: Text::new(
                    format!("第 {} 行（原文）", u.line),
                    format!("source line {}", u.line),
                ),
                message: def.title.clone(),
                formula: Text::new(
                    format!("{}：{}", u.why.zh, u.raw.trim()),
                    format!("{}: {}", u.why.en, u.raw.trim()),
                ),
                found: u.raw.trim().to_string(),
                expected: String::new(),
                difference: String::new(),
                hint: def.hint.clone(),
                cells: vec![Cell {
                    table: u.table.key().to_string(),
                    row: u.row.clone(),
                    column: String::new(),
                    printed: u.raw.trim().to_string(),
                }],
            })
        })
        .collect()
}

/// Audits a PDF through the positions of its words: `xhtml` is what `pdftotext -bbox-layout`
/// (poppler) writes for the PDF `name`. Lines are rebuilt from the words' boxes
/// ([`bbox::document`]) and read as text is; in addition each row's amounts go into the
/// columns they are printed under, so rows whose blank cells print nothing are placed with
/// certainty instead of by the rules ([`place::by_position`]). The same checks as [`audit`].
pub fn audit_bbox(name: &str, xhtml: &str) -> Result<Audit, Vec<Diagnostic>> {
    let doc = bbox::document(name, xhtml).map_err(|d| vec![d])?;
    audit_document(&doc, || {
        if doc.lines.iter().all(|l| text::is_page_marker(l)) {
            format!(
                "{} pages without text (a scanned image? its text must be recognised first)",
                doc.lines.len()
            )
        } else {
            format!("{} lines of text in the PDF without one", doc.lines.len())
        }
    })
}

/// Audits a published workbook (XLSX or XLS): each sheet is read as a page whose cells stand
/// in their columns, so every amount is placed with certainty, as in a PDF
/// ([`audit_bbox`]). The same checks as [`audit`].
pub fn audit_xlsx(name: &str, bytes: &[u8]) -> Result<Audit, Vec<Diagnostic>> {
    let doc = xlsx::document(name, bytes).map_err(|d| vec![d])?;
    audit_document(&doc, || {
        format!("{} sheet rows without one", doc.lines.len())
    })
}
