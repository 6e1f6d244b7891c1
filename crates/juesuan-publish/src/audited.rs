//! Auditing a published report from its bytes, whatever it is: a PDF (through the positions
//! of its words), a workbook (through its cells' columns), an HTML page or a Word document
//! (tables cell by cell, the rest as text), text — or several files making one report.

use crate::ocr::PdfRead;
use crate::pipeline::Setup;
use juesuan_audit::text::Document;
use juesuan_audit::{Audit, Format};
use juesuan_core::rules::{Evidence, Finding, Place};
use juesuan_core::{Diagnostic, Lang, Location, Text};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// An audit, and where each line of the text it read is in the source.
pub struct Audited {
    /// What was read and found.
    pub audit: Audit,
    /// For a PDF or a workbook: the page (sheet) of each line of the rebuilt text, first line
    /// first. `None` for text, whose lines are the source's own.
    pub pages: Option<Vec<u32>>,
    /// For a PDF read in one piece: where each finding's figures are printed (boxes on pages,
    /// [`juesuan_audit::evidence`]), in the order of `audit.findings`; empty lists otherwise.
    pub evidence: Vec<Vec<Evidence>>,
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
            summary: juesuan_render::findings::Summary::of(&a.findings, &a.coverage),
            findings: &a.findings,
            coverage: &a.coverage,
            narrative: (!a.narrative.is_empty())
                .then(|| juesuan_render::findings::NarrativeJson::of(&a.narrative)),
        })
    }

    /// The first line of the audit for people: department, year, layout and the tables read
    /// (and where).
    pub fn heading(&self, lang: Lang) -> String {
        let audit = &self.audit;
        let place = |line: u32| self.place(line, lang);
        let tables: Vec<String> = audit
            .read
            .found
            .iter()
            .filter_map(|(id, line)| {
                let t = audit.read.sheet.table(id.key())?;
                Some(match lang {
                    Lang::Zh => format!("{}（{}）", t.describe().zh, place(*line)),
                    Lang::En => format!("{} ({})", t.describe().en, place(*line)),
                })
            })
            .collect();
        match lang {
            Lang::Zh => format!(
                "{} {}：按 {} 版式读出 {} 张表：{}",
                audit.department.as_deref().unwrap_or("（未识别部门）"),
                audit.year.map(|y| format!("{y} 年度")).unwrap_or_default(),
                audit.read.layout,
                tables.len(),
                tables.join("、")
            ),
            Lang::En => format!(
                "{} {}: {} tables read with layout {}: {}",
                audit
                    .department
                    .as_deref()
                    .unwrap_or("(department not recognised)"),
                audit.year.map(|y| y.to_string()).unwrap_or_default(),
                tables.len(),
                audit.read.layout,
                tables.join(", ")
            ),
        }
    }

    /// The findings of the checks (not what could not be read, U rules) with their evidence.
    fn checked(&self) -> (Vec<Finding>, Vec<Vec<Evidence>>) {
        self.audit
            .findings
            .iter()
            .enumerate()
            .filter(|(_, f)| !f.rule.starts_with('U'))
            .map(|(i, f)| (f.clone(), self.evidence.get(i).cloned().unwrap_or_default()))
            .unzip()
    }

    /// One line per table for the rows that could not be read (each of them is in the JSON).
    pub fn unread_lines(&self, lang: Lang) -> Vec<String> {
        let place = |line: u32| self.place(line, lang);
        let mut by_table: Vec<(String, Vec<String>)> = Vec::new();
        for f in self
            .audit
            .findings
            .iter()
            .filter(|f| f.rule.starts_with('U'))
        {
            let name = f.table_name().get(lang).to_string();
            let line = place(f.source().map_or(0, |p| p.line));
            match by_table.iter_mut().find(|(t, _)| *t == name) {
                Some((_, v)) => v.push(line),
                None => by_table.push((name, vec![line])),
            }
        }
        by_table
            .into_iter()
            .map(|(table, mut lines)| {
                let rows = lines.len();
                lines.dedup();
                match lang {
                    Lang::Zh => format!(
                        "{table}：{rows} 行无法确定各数所在的栏，未参与检查（原文{}；详见 --format json）",
                        lines.join("、")
                    ),
                    Lang::En => format!(
                        "{table}: {rows} rows whose figures could not be placed with certainty were left out (source {}; see --format json)",
                        lines.join(", ")
                    ),
                }
            })
            .collect()
    }

    /// The audit for people: the tables read (and where), the findings of the checks, then one
    /// line per table for the rows that could not be read (each of them is in the JSON).
    pub fn text(&self, lang: Lang) -> String {
        let audit = &self.audit;
        let mut out = self.heading(lang);
        out.push('\n');
        let (checked, _) = self.checked();
        let summary = juesuan_render::findings::Summary::of(&audit.findings, &audit.coverage);
        out.push_str(&juesuan_render::findings::text(
            &checked,
            summary,
            &audit.coverage,
            lang,
        ));
        for line in self.unread_lines(lang) {
            out.push_str(&line);
            out.push('\n');
        }
        if !audit.narrative.is_empty() {
            out.push_str(&juesuan_render::findings::narrative_line(
                &audit.narrative,
                lang,
            ));
            out.push('\n');
        }
        out
    }

    /// The pages the findings' figures are printed on, each once, in order: those to draw for
    /// [`Audited::html`].
    pub fn evidence_pages(&self) -> Vec<u32> {
        let mut pages: Vec<u32> = self.evidence.iter().flatten().map(|e| e.page).collect();
        pages.sort_unstable();
        pages.dedup();
        pages
    }

    /// The audit as one self-contained HTML page, the findings in the order and words of
    /// [`Audited::text`], each PDF finding with its figures boxed on the images of their pages
    /// (`images`: PNG by page, [`crate::tools::page_images`]; a page without one shows none).
    pub fn html(
        &self,
        input: &str,
        images: &BTreeMap<u32, Vec<u8>>,
        lang: Lang,
    ) -> Result<String, Diagnostic> {
        let a = &self.audit;
        let (checked, evidence) = self.checked();
        juesuan_render::audit::page(&juesuan_render::audit::AuditReport {
            lang,
            input,
            department: a.department.as_deref(),
            year: a.year,
            heading: self.heading(lang),
            findings: &checked,
            evidence: &evidence,
            summary: juesuan_render::findings::Summary::of(&a.findings, &a.coverage),
            coverage: &a.coverage,
            unread: self.unread_lines(lang),
            narrative: (!a.narrative.is_empty())
                .then(|| juesuan_render::findings::narrative_line(&a.narrative, lang)),
            viewer: self.narrative_markup(lang, juesuan_render::viewer::Script::Inline),
            images,
        })
        .map_err(|e| {
            Diagnostic::error(
                "E0602",
                Location::File {
                    file: input.to_string(),
                },
                Text::new("生成 HTML 失败", "could not render HTML"),
            )
            .found(e.to_string())
        })
    }

    /// The narrative as read, every number marked by what became of it and opening the
    /// figure viewer's panel ([`juesuan_render::viewer::audited`]); `None` without a narrative.
    pub fn narrative_markup(
        &self,
        lang: Lang,
        script: juesuan_render::viewer::Script<'_>,
    ) -> Option<String> {
        let a = &self.audit;
        if a.narrative.is_empty() {
            return None;
        }
        let place = |line: u32| self.place(line, lang);
        Some(juesuan_render::viewer::audited(
            &juesuan_render::viewer::AuditedText {
                paragraphs: &a.paragraphs,
                mentions: &a.narrative,
                subjects: &a.subjects,
                sheet: &a.read.sheet,
                findings: &a.findings,
                place: &place,
                lang,
            },
            script,
        ))
    }

    /// Whether an error-severity finding was reported.
    pub fn has_errors(&self) -> bool {
        self.audit
            .findings
            .iter()
            .any(|f| f.severity == juesuan_core::diag::Severity::Error)
    }
}

/// Audits the report `bytes` named `name`, whatever its format ([`Format::of`], by content):
/// a PDF is read by `read_pdf` (an edge: [`crate::ocr::read_pdf_bytes`] runs pdftotext, and
/// tesseract on scanned pages); a .doc is converted to .docx by LibreOffice
/// ([`crate::tools::docx_from_doc`]). A PDF and a workbook are rebuilt as text with a
/// `=== 第N页 ===` line before each page (sheet), so a line number has a page.
pub fn audit_bytes(
    setup: &Setup,
    name: &str,
    bytes: &[u8],
    read_pdf: &dyn Fn() -> Result<PdfRead, Diagnostic>,
) -> Result<Audited, Vec<Diagnostic>> {
    let auditor = setup.auditor()?;
    let doc = read_part(name, bytes, read_pdf).map_err(|d| vec![d])?;
    let audit = auditor.audit_read(&doc)?;
    Ok(Audited {
        pages: paged(&doc).then(|| juesuan_audit::pages(&doc)),
        evidence: juesuan_audit::evidence::of_all(&audit.findings, &doc, &audit.read.sheet),
        audit,
    })
}

/// True for a document rebuilt with a page marker before each page (a PDF, a workbook).
fn paged(doc: &Document) -> bool {
    doc.lines
        .first()
        .is_some_and(|l| juesuan_audit::text::is_page_marker(l))
}

/// One file of a report as the document the audit reads.
fn read_part(
    name: &str,
    bytes: &[u8],
    read_pdf: &dyn Fn() -> Result<PdfRead, Diagnostic>,
) -> Result<Document, Diagnostic> {
    match Format::of(bytes) {
        Format::Pdf => Ok(read_pdf()?.document),
        Format::Doc => {
            let docx = crate::tools::docx_from_doc(name, bytes)?;
            juesuan_audit::read_document(name, Format::Docx, &docx)
        }
        format => juesuan_audit::read_document(name, format, bytes),
    }
}

/// Audits the report in the file at `path` with `setup`'s assets (read only, at most the
/// audit's limit): a PDF's words come from poppler's pdftotext run on the file, and from
/// tesseract for its scanned pages ([`crate::ocr::read_pdf`]). One document of a batch: its
/// pages are read in one run (the batch keeps the cores busy with other documents).
pub fn audit_file(setup: &Setup, path: &Path) -> Result<Audited, Vec<Diagnostic>> {
    audit_paths(setup, std::slice::from_ref(&path.to_path_buf()), false)
}

/// Audits one report published in several files — a page and its attachments, such as the
/// narrative as an HTML page and the tables as an .xls — as one document
/// ([`juesuan_audit::Auditor::combine`]: the attachments' tables are read where the page's
/// narrative begins). One file is audited as [`audit_file`]. Lines of a report in parts are
/// numbered in the document read, the parts one after another as combined. An audit on its
/// own: a long PDF's pages are read in two halves at once on a machine with two cores.
pub fn audit_files(setup: &Setup, paths: &[PathBuf]) -> Result<Audited, Vec<Diagnostic>> {
    audit_paths(setup, paths, true)
}

fn audit_paths(setup: &Setup, paths: &[PathBuf], split: bool) -> Result<Audited, Vec<Diagnostic>> {
    let doc = read_paths(setup, paths, split)?;
    let audit = setup.auditor()?.audit_read(&doc)?;
    Ok(Audited {
        pages: paged(&doc).then(|| juesuan_audit::pages(&doc)),
        evidence: juesuan_audit::evidence::of_all(&audit.findings, &doc, &audit.read.sheet),
        audit,
    })
}

/// The document a report in one file or in parts reads as, as [`audit_files`] reads it (what
/// `juesuan layout infer` drafts a layout from).
pub fn read_files(setup: &Setup, paths: &[PathBuf]) -> Result<Document, Vec<Diagnostic>> {
    read_paths(setup, paths, true)
}

fn read_paths(setup: &Setup, paths: &[PathBuf], split: bool) -> Result<Document, Vec<Diagnostic>> {
    let mut parts = Vec::new();
    let mut problems = Vec::new();
    for path in paths {
        let read =
            crate::files::read_bounded(path, juesuan_audit::text::MAX_BYTES).and_then(|bytes| {
                let name = path.display().to_string();
                read_part(&name, &bytes, &|| crate::ocr::read_pdf(path, &name, split))
            });
        match read {
            Ok(doc) => parts.push(doc),
            Err(d) => problems.push(d),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(if parts.len() == 1 {
        parts.remove(0)
    } else {
        let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        setup.auditor()?.combine(&names.join(" + "), parts)
    })
}

/// The extensions of the files a folder given to `juesuan audit` holds reports in.
pub const REPORT_EXTENSIONS: &[&str] = &[
    "pdf", "txt", "text", "xls", "xlsx", "html", "htm", "docx", "doc",
];

/// What `juesuan audit FILE…` audits: one report (in one file or in parts), or several
/// documents of one department reconciled ([`AuditedSet`]).
pub enum Outcome {
    /// One report.
    One(Box<Audited>),
    /// Several documents.
    Set(AuditedSet),
}

/// Several documents of one department, each audited on its own and related by the R rules of
/// their kinds (`reconcile.toml`, [`juesuan_audit::xdoc`]).
pub struct AuditedSet {
    /// Each document: the file (or files of a report in parts, joined by ` + `) and its audit.
    pub docs: Vec<(String, Audited)>,
    /// The pairs related and what the relations found.
    pub reconciled: juesuan_audit::xdoc::Reconciled,
}

/// The files `paths` name: a folder stands for the reports it holds (not its subfolders or
/// hidden files; sorted by name).
pub fn expand(paths: &[PathBuf]) -> Result<Vec<PathBuf>, Vec<Diagnostic>> {
    let mut out = Vec::new();
    for p in paths {
        if !p.is_dir() {
            out.push(p.clone());
            continue;
        }
        let entries = std::fs::read_dir(p).map_err(|e| {
            vec![
                Diagnostic::error(
                    "E0914",
                    Location::File {
                        file: p.display().to_string(),
                    },
                    Text::new("无法读取文件夹", "the folder cannot be read"),
                )
                .found(e.to_string()),
            ]
        })?;
        let mut files: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|f| {
                f.is_file()
                    && !f
                        .file_name()
                        .is_some_and(|n| n.to_string_lossy().starts_with('.'))
                    && f.extension().is_some_and(|x| {
                        REPORT_EXTENSIONS.contains(&x.to_string_lossy().to_lowercase().as_str())
                    })
            })
            .collect();
        files.sort();
        if files.is_empty() {
            return Err(vec![
                Diagnostic::error(
                    "E0914",
                    Location::File {
                        file: p.display().to_string(),
                    },
                    Text::new("文件夹中没有报告文件", "the folder holds no report"),
                )
                .expected(Text::same(REPORT_EXTENSIONS.join(", "))),
            ]);
        }
        out.extend(files);
    }
    Ok(out)
}

/// Audits the files `paths` (a folder: the reports it holds). Each file is read once and
/// audited on its own; when the files are documents of more than one kind or year (each
/// named by its own cover or tables), each document is audited and the documents are
/// reconciled ([`AuditedSet`]); files of the same kind and year are parts of one document
/// (a page and its attachments). Otherwise — one file, or files of which at most one kind and
/// year can be told — they are one report in parts, as [`audit_files`] audits them.
pub fn audit_inputs(setup: &Setup, paths: &[PathBuf]) -> Result<Outcome, Vec<Diagnostic>> {
    let paths = expand(paths)?;
    if paths.len() == 1 {
        return audit_files(setup, &paths).map(|a| Outcome::One(Box::new(a)));
    }
    let mut docs = Vec::new();
    let mut problems = Vec::new();
    for path in &paths {
        let name = path.display().to_string();
        let read =
            crate::files::read_bounded(path, juesuan_audit::text::MAX_BYTES).and_then(|bytes| {
                read_part(&name, &bytes, &|| crate::ocr::read_pdf(path, &name, true))
            });
        match read {
            Ok(doc) => docs.push((name, doc)),
            Err(d) => problems.push(d),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    audit_documents(setup, docs)
}

/// Audits reports held in memory, each (name, bytes), as [`audit_inputs`] audits files: one
/// report, or several documents reconciled. A PDF's words come from pdftotext run on a
/// temporary copy ([`crate::ocr::read_pdf_bytes`]).
pub fn audit_inputs_bytes(
    setup: &Setup,
    files: &[(String, Vec<u8>)],
) -> Result<Outcome, Vec<Diagnostic>> {
    let mut docs = Vec::new();
    let mut problems = Vec::new();
    for (name, bytes) in files {
        match read_part(name, bytes, &|| {
            crate::ocr::read_pdf_bytes(name, bytes, files.len() == 1)
        }) {
            Ok(doc) => docs.push((name.clone(), doc)),
            Err(d) => problems.push(d),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    audit_documents(setup, docs)
}

/// The documents read, each named: one report in parts, or a set of several kinds or years.
fn audit_documents(
    setup: &Setup,
    named: Vec<(String, Document)>,
) -> Result<Outcome, Vec<Diagnostic>> {
    let auditor = setup.auditor()?;
    let (paths, docs): (Vec<String>, Vec<Document>) = named.into_iter().unzip();
    if docs.len() == 1 {
        return audited(auditor, docs.into_iter().next().expect("one document"))
            .map(|a| Outcome::One(Box::new(a)));
    }
    // Each file's own identity: its kind and year, when it can be read on its own.
    let mut own: Vec<Option<Audit>> = docs
        .iter()
        .map(|d| auditor.audit_read(d).ok().filter(|a| a.year.is_some()))
        .collect();
    let identity: Vec<Option<Identity>> = own
        .iter()
        .map(|a| a.as_ref().map(|a| (a.kind.clone(), a.year)))
        .collect();
    let mut keys: Vec<&Identity> = identity.iter().flatten().collect();
    keys.sort();
    keys.dedup();
    if keys.len() <= 1 {
        let doc = auditor.combine(&paths.join(" + "), docs);
        return audited(auditor, doc).map(|a| Outcome::One(Box::new(a)));
    }
    let unknown: Vec<Diagnostic> = paths
        .iter()
        .zip(&identity)
        .filter(|(_, id)| id.is_none())
        .map(|(p, _)| {
            Diagnostic::error(
                "E0914",
                Location::File {
                    file: p.clone(),
                },
                Text::new(
                    "几份文件属于不同年度或文书类型，但无法确定此文件的文书类型与年度",
                    "the files are documents of several years or kinds, but this file's kind and year cannot be told",
                ),
            )
            .expected(Text::new(
                "每份文件的封面或表头写明部门、年度与文书类型（如“2024年度部门决算”）；一份报告的各部分请单独审查",
                "each file names its department, year and kind on its cover or tables (such as 2024年度部门决算); audit a report in parts on its own",
            ))
        })
        .collect();
    if !unknown.is_empty() {
        return Err(unknown);
    }
    // Files of one kind and year are the parts of one document, in the order given.
    let mut groups: Vec<(&Identity, Vec<usize>)> = Vec::new();
    for (i, id) in identity.iter().enumerate() {
        let id = id.as_ref().expect("every file identified");
        match groups.iter_mut().find(|(k, _)| *k == id) {
            Some((_, v)) => v.push(i),
            None => groups.push((id, vec![i])),
        }
    }
    let mut docs: Vec<Option<Document>> = docs.into_iter().map(Some).collect();
    let mut set = Vec::new();
    for (_, members) in groups {
        let names: Vec<String> = members.iter().map(|&i| paths[i].clone()).collect();
        let parts: Vec<Document> = members.iter().filter_map(|&i| docs[i].take()).collect();
        let done = match members.as_slice() {
            // A document in one file was audited when it was identified.
            [i] => own[*i].take(),
            _ => None,
        };
        let doc = if parts.len() == 1 {
            parts.into_iter().next().expect("one part")
        } else {
            auditor.combine(&names.join(" + "), parts)
        };
        let a = match done {
            Some(audit) => with_pages(audit, &doc),
            None => audited(auditor, doc)?,
        };
        set.push((names.join(" + "), a));
    }
    let reconciled = {
        let docs: Vec<juesuan_audit::xdoc::Doc<'_>> = set
            .iter()
            .map(|(file, a)| juesuan_audit::xdoc::Doc {
                file,
                audit: &a.audit,
            })
            .collect();
        auditor.reconcile(&docs)
    };
    let mut set = AuditedSet {
        docs: set,
        reconciled,
    };
    // A statement's line is in the report that states it: its page there.
    for (pair, f) in &mut set.reconciled.findings {
        let this = set.reconciled.pairs[*pair].this;
        if let (Place::Document(p), Some(pages)) = (&mut f.place, &set.docs[this].1.pages) {
            p.page = pages.get(p.line.saturating_sub(1) as usize).copied();
        }
    }
    Ok(Outcome::Set(set))
}

/// What a file of a set is on its own: its document kind and year.
type Identity = (String, Option<i32>);

/// The audit of a document read, with its pages and evidence.
fn audited(auditor: &juesuan_audit::Auditor, doc: Document) -> Result<Audited, Vec<Diagnostic>> {
    Ok(with_pages(auditor.audit_read(&doc)?, &doc))
}

/// `audit` of `doc`, with the pages of its lines and its findings' evidence.
fn with_pages(audit: Audit, doc: &Document) -> Audited {
    Audited {
        pages: paged(doc).then(|| juesuan_audit::pages(doc)),
        evidence: juesuan_audit::evidence::of_all(&audit.findings, doc, &audit.read.sheet),
        audit,
    }
}

impl AuditedSet {
    /// The findings of the relations, in order.
    pub fn findings(&self) -> Vec<Finding> {
        self.reconciled
            .findings
            .iter()
            .map(|(_, f)| f.clone())
            .collect()
    }

    /// Whether any document, or any relation between them, has an error.
    pub fn has_errors(&self) -> bool {
        self.docs.iter().any(|(_, a)| a.has_errors())
            || self
                .reconciled
                .findings
                .iter()
                .any(|(_, f)| f.severity == juesuan_core::diag::Severity::Error)
    }

    /// Document `i`'s own audit in counts.
    pub fn own_summary(&self, i: usize) -> juesuan_render::findings::Summary {
        let a = &self.docs[i].1.audit;
        juesuan_render::findings::Summary::of(&a.findings, &a.coverage)
    }

    /// What each document is, as findings name it.
    pub fn label(&self, i: usize, setup: &Setup) -> Text {
        let (file, a) = &self.docs[i];
        let kind = setup
            .assets
            .bundle(&a.audit.kind)
            .map_or_else(|| Text::same(&a.audit.kind), |b| b.kind.name.clone());
        juesuan_audit::xdoc::label(&kind, a.audit.year, file)
    }

    /// The coverage of the relations: a rule evaluated in any pair ran.
    fn coverage(&self) -> juesuan_core::rules::Coverage {
        use juesuan_core::rules::coverage::Status;
        let mut out = juesuan_core::rules::Coverage::default();
        for p in &self.reconciled.pairs {
            for c in &p.coverage.rules {
                match out.rules.iter_mut().find(|x| x.rule == c.rule) {
                    Some(x) if c.status == Status::Evaluated => *x = c.clone(),
                    Some(_) => {}
                    None => out.rules.push(c.clone()),
                }
            }
        }
        out
    }

    /// The set for people: the documents and the pairs related, each document's audit, then
    /// the relations' findings.
    pub fn text(&self, setup: &Setup, lang: Lang) -> String {
        let mut out = String::new();
        let zh = lang == Lang::Zh;
        out.push_str(&if zh {
            format!("共 {} 份文件，逐份审查后跨文件核对：\n", self.docs.len())
        } else {
            format!(
                "{} documents, each audited, then reconciled:\n",
                self.docs.len()
            )
        });
        for i in 0..self.docs.len() {
            out.push_str(&format!("  {}\n", self.label(i, setup).get(lang)));
        }
        for (i, (_, a)) in self.docs.iter().enumerate() {
            out.push_str(&format!("\n== {} ==\n", self.label(i, setup).get(lang)));
            out.push_str(&a.text(lang));
        }
        out.push_str(if zh {
            "\n== 跨文件核对 ==\n"
        } else {
            "\n== Between documents ==\n"
        });
        for p in &self.reconciled.pairs {
            let n: usize = p.checked.iter().map(|(_, n)| n).sum();
            let (this, cited) = (self.label(p.this, setup), self.label(p.cited, setup));
            out.push_str(&if zh {
                format!("{} ↔ {}：核对 {n} 项关系\n", this.zh, cited.zh)
            } else {
                format!("{} ↔ {}: {n} relations checked\n", this.en, cited.en)
            });
        }
        for (i, name) in &self.reconciled.missing {
            out.push_str(&if zh {
                format!(
                    "{}：未提供所引的{}，相关核对未进行\n",
                    self.label(*i, setup).zh,
                    name.zh
                )
            } else {
                format!(
                    "{}: {} (which it cites) was not given; not reconciled\n",
                    self.label(*i, setup).en,
                    name.en
                )
            });
        }
        let findings = self.findings();
        let coverage = self.coverage();
        let summary = juesuan_render::findings::Summary::of(&findings, &coverage);
        out.push_str(&juesuan_render::findings::text(
            &findings, summary, &coverage, lang,
        ));
        out
    }

    /// The relations of the set as one HTML page, in the words and order of
    /// [`AuditedSet::text`]'s last part: the pairs and each document's own counts as its
    /// heading (a document's findings are on its own page: `juesuan audit FILE --format
    /// html`), then the relations' findings, each naming both documents.
    pub fn html(&self, setup: &Setup, lang: Lang) -> Result<String, Diagnostic> {
        let findings = self.findings();
        let coverage = self.coverage();
        let names: Vec<&str> = self.docs.iter().map(|(f, _)| f.as_str()).collect();
        let input = names.join(" + ");
        let pairs: Vec<String> = self
            .reconciled
            .pairs
            .iter()
            .map(|p| {
                format!(
                    "{} ↔ {}",
                    self.label(p.this, setup).get(lang),
                    self.label(p.cited, setup).get(lang)
                )
            })
            .collect();
        let own: Vec<String> = self
            .docs
            .iter()
            .enumerate()
            .map(|(i, _)| {
                format!(
                    "{} {}",
                    self.label(i, setup).get(lang),
                    juesuan_render::findings::summary_line(&self.own_summary(i), lang)
                        .trim_end()
                        .trim_end_matches(['。', '.'])
                )
            })
            .collect();
        let heading = match lang {
            Lang::Zh => format!(
                "跨文件核对：{}。各文件自身：{}",
                pairs.join("；"),
                own.join("；")
            ),
            Lang::En => format!(
                "Between documents: {}. Each document: {}",
                pairs.join("; "),
                own.join("; ")
            ),
        };
        let first = self.docs.first().map(|(_, a)| &a.audit);
        let evidence = vec![Vec::new(); findings.len()];
        juesuan_render::audit::page(&juesuan_render::audit::AuditReport {
            lang,
            input: &input,
            department: first.and_then(|a| a.department.as_deref()),
            year: self.docs.iter().filter_map(|(_, a)| a.audit.year).max(),
            heading,
            findings: &findings,
            evidence: &evidence,
            summary: juesuan_render::findings::Summary::of(&findings, &coverage),
            coverage: &coverage,
            unread: Vec::new(),
            narrative: None,
            viewer: None,
            images: &BTreeMap::new(),
        })
        .map_err(|e| {
            Diagnostic::error(
                "E0602",
                Location::File {
                    file: input.clone(),
                },
                Text::new("生成 HTML 失败", "could not render HTML"),
            )
            .found(e.to_string())
        })
    }

    /// The set as JSON, in the schema of `check`/`audit` (`juesuan.findings/1`): the
    /// relations' findings, each naming its two documents (`documents`), their summary and
    /// coverage, and each document's own audit under `documents`.
    pub fn json(&self, setup: &Setup) -> Vec<u8> {
        let findings = self.findings();
        let coverage = self.coverage();
        let names: Vec<&str> = self.docs.iter().map(|(f, _)| f.as_str()).collect();
        let first = self.docs.first().map(|(_, a)| &a.audit);
        let raw = juesuan_render::findings::json(&juesuan_render::findings::Report {
            format: "juesuan.findings/1",
            input: &names.join(" + "),
            department: first
                .and_then(|a| a.department.as_deref())
                .unwrap_or_default(),
            year: self
                .docs
                .iter()
                .filter_map(|(_, a)| a.audit.year)
                .max()
                .unwrap_or_default(),
            summary: juesuan_render::findings::Summary::of(&findings, &coverage),
            findings: &findings,
            coverage: &coverage,
            narrative: None,
        });
        let mut v: serde_json::Value = serde_json::from_slice(&raw).unwrap_or_default();
        let doc_ref = |i: usize, role: &str| {
            let (file, a) = &self.docs[i];
            serde_json::json!({
                "role": role,
                "input": file,
                "kind": a.audit.kind,
                "year": a.audit.year,
                "name": self.label(i, setup),
            })
        };
        if let Some(list) = v.get_mut("findings").and_then(|f| f.as_array_mut()) {
            for (item, (pair, _)) in list.iter_mut().zip(&self.reconciled.findings) {
                let p = &self.reconciled.pairs[*pair];
                item["documents"] = serde_json::json!([
                    doc_ref(p.this, "report"),
                    doc_ref(p.cited, p.name.as_str())
                ]);
            }
        }
        let docs: Vec<serde_json::Value> = self
            .docs
            .iter()
            .enumerate()
            .map(|(i, (file, a))| {
                let mut d: serde_json::Value =
                    serde_json::from_slice(&a.findings_json(file)).unwrap_or_default();
                d["kind"] = serde_json::json!(a.audit.kind);
                d["name"] = serde_json::json!(self.label(i, setup));
                d
            })
            .collect();
        v["documents"] = serde_json::Value::Array(docs);
        v["pairs"] = serde_json::Value::Array(
            self.reconciled
                .pairs
                .iter()
                .map(|p| {
                    serde_json::json!({
                        "report": p.this,
                        "cited": p.cited,
                        "as": p.name,
                        "checked": p.checked.iter().map(|(r, n)| serde_json::json!({"rule": r, "relations": n})).collect::<Vec<_>>(),
                    })
                })
                .collect(),
        );
        let mut out = serde_json::to_vec_pretty(&v).unwrap_or_default();
        out.push(b'\n');
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use juesuan_core::rules::Place;

    /// The lines the audit text names for rows it could not read are the findings' own lines
    /// (typed), not numbers read back out of their words.
    #[test]
    fn the_audit_text_names_the_lines_of_the_places() {
        let setup = Setup::new(crate::pipeline::SetupOptions::default()).unwrap();
        let file = "fixtures/audit/stray-amount.txt";
        let bytes = std::fs::read(format!("{}/../../{file}", env!("CARGO_MANIFEST_DIR"))).unwrap();
        let mut audited = audit_bytes(&setup, file, &bytes, &|| unreachable!()).unwrap();
        let text = audited.text(Lang::Zh);
        assert!(text.contains("（原文第 8 行；"), "{text}");
        for f in &mut audited.audit.findings {
            if let Place::Cell(c) = &mut f.place
                && let Some(p) = &mut c.source
                && f.rule == "U001"
            {
                p.line = 4242;
            }
        }
        let text = audited.text(Lang::En);
        assert!(text.contains("(source line 4242;"), "{text}");
        // The rules that had nothing to check are listed, after the summary.
        assert!(
            text.contains("rules run (") && text.contains("Not applicable: "),
            "{text}"
        );
    }
}
