//! Auditing a published report from its bytes, whatever it is: a PDF (through the positions
//! of its words), a workbook (through its cells' columns) or text.

use crate::pipeline::Setup;
use juesuan_audit::Audit;
use juesuan_core::{Diagnostic, Lang};

/// An audit, and where each line of the text it read is in the source.
pub struct Audited {
    /// What was read and found.
    pub audit: Audit,
    /// For a PDF or a workbook: the page (sheet) of each line of the rebuilt text, first line
    /// first. `None` for text, whose lines are the source's own.
    pub pages: Option<Vec<u32>>,
}

impl Audited {
    /// Where line `line` (1-based) of the text read is, as people look for it: its line in a
    /// text, its page in a PDF or a workbook.
    pub fn place(&self, line: u32, lang: Lang) -> String {
        match &self.pages {
            Some(p) => {
                let page = p.get(line.saturating_sub(1) as usize).copied().unwrap_or(0);
                match lang {
                    Lang::Zh => format!("第 {page} 页"),
                    Lang::En => format!("page {page}"),
                }
            }
            None => match lang {
                Lang::Zh => format!("第 {line} 行"),
                Lang::En => format!("line {line}"),
            },
        }
    }

    /// The findings as `check --format json` writes them (`juesuan.findings/1`), for the report
    /// named `input`.
    pub fn findings_json(&self, input: &str) -> Vec<u8> {
        let a = &self.audit;
        juesuan_render::findings::json(&juesuan_render::findings::Report {
            format: "juesuan.findings/1",
            input,
            department: a.department.as_deref().unwrap_or_default(),
            year: a.year.unwrap_or_default(),
            summary: juesuan_render::findings::Summary::of(&a.findings, a.rules),
            findings: &a.findings,
        })
    }

    /// Whether an error-severity finding was reported.
    pub fn has_errors(&self) -> bool {
        self.audit
            .findings
            .iter()
            .any(|f| f.severity == juesuan_core::diag::Severity::Error)
    }
}

/// Audits the report `bytes` named `name`. A PDF's words come from `pdf_words` (an edge:
/// [`crate::tools::bbox_layout`] runs pdftotext); both a PDF and a workbook are rebuilt as text
/// with a `=== 第N页 ===` line before each page (sheet), so a line number has a page.
pub fn audit_bytes(
    setup: &Setup,
    name: &str,
    bytes: &[u8],
    pdf_words: &dyn Fn() -> Result<String, Diagnostic>,
) -> Result<Audited, Vec<Diagnostic>> {
    let auditor = setup.auditor()?;
    let (audit, doc) = if bytes.starts_with(b"%PDF") {
        let xhtml = pdf_words().map_err(|d| vec![d])?;
        let doc = juesuan_audit::bbox::document(name, &xhtml).map_err(|d| vec![d])?;
        (auditor.audit_bbox(name, &xhtml)?, Some(doc))
    } else if juesuan_audit::xlsx::is_workbook(bytes) {
        let doc = juesuan_audit::xlsx::document(name, bytes).map_err(|d| vec![d])?;
        (auditor.audit_xlsx(name, bytes)?, Some(doc))
    } else {
        (auditor.audit(name, bytes)?, None)
    };
    let pages = doc.map(|doc| {
        let mut page = 0;
        doc.lines
            .iter()
            .map(|l| {
                if juesuan_audit::text::is_page_marker(l) {
                    page += 1;
                }
                page
            })
            .collect()
    });
    Ok(Audited { audit, pages })
}
