//! # juesuan-audit
//!
//! Reads a report a department has already published (its PDF through the positions of its
//! words, a workbook, an HTML page, a Word document, text, or several of these making one
//! report) back into the nine tables and runs the rule catalog on them, with the
//! rounding-aware semantics of the build: a printed figure stands for every amount that prints
//! the same, so figures that reconcile are never flagged.
//!
//! Reading fails closed: a row whose figures cannot be placed with certainty (blank cells
//! dropped by the extractor, labels that cannot be matched) is reported as `unparsed` or
//! `ambiguous` with its raw line and left out of the checks, never guessed.
//!
//! Pure: bytes in, findings out. The CLI reads files and runs PDF text extraction.

pub mod bbox;
pub mod claims;
pub mod complete;
pub mod docx;
pub mod evidence;
pub mod forms;
pub mod html;
pub mod identity;
pub mod infer;
pub mod markup;
pub mod ocr;
pub mod place;
pub mod read;
pub mod text;
pub mod whole;
pub mod wording;
pub mod xdoc;
pub mod xlsx;

use juesuan_core::catalog::Catalog;
use juesuan_core::diag::{Diagnostic, Location};
use juesuan_core::layout::Layout;
use juesuan_core::rules::claims::{Mention, NarrativeParagraph};
use juesuan_core::rules::finding::{CellPlace, Detail, Passage, Place, TableRef};
use juesuan_core::rules::{Coverage, Finding, RuleSet, Subject};
use juesuan_core::text::Text;
use juesuan_input::assets::{Assets, Bundle};
use read::{ReadTables, UnreadKind};
use std::sync::{Arc, OnceLock};

/// The result of auditing one document.
#[derive(Clone, Debug)]
pub struct Audit {
    /// The department, as the cover names it.
    pub department: Option<String>,
    /// The fiscal year (年度) the cover names.
    pub year: Option<i32>,
    /// The document kind the report was read as (`final-accounts`).
    pub kind: String,
    /// What was read.
    pub read: ReadTables,
    /// Everything the rules found, and what could not be read.
    pub findings: Vec<Finding>,
    /// Which rules ran, and which found nothing to check (tables not found, no forms read).
    pub coverage: Coverage,
    /// Every number of the narrative: checked, or why not.
    pub narrative: Vec<Mention>,
    /// The narrative's paragraphs as read, which each number's place points into.
    pub paragraphs: Vec<NarrativeParagraph>,
    /// The name of each subject the narrative's numbers were read as.
    pub subjects: std::collections::BTreeMap<String, Text>,
    /// What the narrative states of last year, changes, growth and budgets ([`xdoc`] checks
    /// them against the documents they cite).
    pub statements: Vec<claims::Statement>,
}

/// One layout a report may follow, with what its kind's bundle says.
struct Reader {
    layout: Arc<Layout>,
    bundle: Arc<Bundle>,
    /// Index into [`Auditor::lexicons`].
    lexicon: usize,
}

/// What reports are audited with: the layouts whose tables are recognised, each kind's rules
/// and lexicon, and the catalog — the same assets the build uses ([`Assets`]), so a layout or
/// a lexicon given as a file audits as well as it builds.
pub struct Auditor {
    readers: Vec<Reader>,
    lexicons: Vec<claims::lexicon::Lexicon>,
    catalog: Catalog,
}

impl Auditor {
    /// Audits with every layout of `assets`, or with `layout` alone when one is given
    /// (`juesuan audit --layout`).
    pub fn new(
        assets: &Assets,
        catalog: Catalog,
        layout: Option<Arc<Layout>>,
    ) -> Result<Auditor, Vec<Diagnostic>> {
        let layouts: Vec<Arc<Layout>> = match layout {
            Some(l) => vec![l],
            None => assets
                .layouts()
                .map(|(_, l)| l.id.clone())
                .collect::<Vec<_>>()
                .iter()
                .filter_map(|id| assets.layout(id))
                .collect::<Result<_, _>>()?,
        };
        let mut readers = Vec::new();
        let mut lexicons: Vec<(String, claims::lexicon::Lexicon)> = Vec::new();
        for layout in layouts {
            let bundle = assets.bundle_of(&layout)?.clone();
            let lexicon = match lexicons.iter().position(|(k, _)| *k == bundle.kind.id) {
                Some(i) => i,
                None => {
                    let p = claims::lexicon::Lexicon::new(&bundle.lexicons).map_err(|d| vec![d])?;
                    lexicons.push((bundle.kind.id.clone(), p));
                    lexicons.len() - 1
                }
            };
            readers.push(Reader {
                layout,
                bundle,
                lexicon,
            });
        }
        Ok(Auditor {
            readers,
            lexicons: lexicons.into_iter().map(|(_, p)| p).collect(),
            catalog,
        })
    }

    /// The auditor of the built-in assets, made once per process.
    pub fn builtin() -> Result<&'static Auditor, Vec<Diagnostic>> {
        static BUILTIN: OnceLock<Result<Auditor, Vec<Diagnostic>>> = OnceLock::new();
        BUILTIN
            .get_or_init(|| {
                let assets = Assets::builtin()?;
                Auditor::new(&assets, assets.catalog(true, &[])?, None)
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Audits the document `name` given as `bytes` (UTF-8, UTF-16 or GB18030 text).
    pub fn audit(&self, name: &str, bytes: &[u8]) -> Result<Audit, Vec<Diagnostic>> {
        let doc = text::decode(name, bytes).map_err(|d| vec![d])?;
        self.audit_document(&doc, false, || lines_without(doc.lines.len()))
    }

    /// Audits a PDF through the positions of its words: `xhtml` is what `pdftotext
    /// -bbox-layout` (poppler) writes for the PDF `name`. Lines are rebuilt from the words'
    /// boxes ([`bbox::document`]) and read as text is; in addition each row's amounts go into
    /// the columns they are printed under, so rows whose blank cells print nothing are placed
    /// with certainty instead of by the rules ([`place::by_position`]). The same checks as
    /// [`Auditor::audit`].
    pub fn audit_bbox(&self, name: &str, xhtml: &str) -> Result<Audit, Vec<Diagnostic>> {
        let doc = bbox::document(name, xhtml).map_err(|d| vec![d])?;
        self.audit_document(&doc, true, || {
            if doc.lines.iter().all(|l| text::is_page_marker(l)) {
                pages_without_text(doc.lines.len())
            } else {
                lines_without(doc.lines.len())
            }
        })
    }

    /// Audits a published workbook (XLSX or XLS): each sheet is read as a page whose cells
    /// stand in their columns, so every amount is placed with certainty, as in a PDF
    /// ([`Auditor::audit_bbox`]). The same checks as [`Auditor::audit`].
    pub fn audit_xlsx(&self, name: &str, bytes: &[u8]) -> Result<Audit, Vec<Diagnostic>> {
        let doc = xlsx::document(name, bytes).map_err(|d| vec![d])?;
        self.audit_document(&doc, true, || {
            Text::new(
                format!("{} 行工作表内容，其中没有这样的标题", doc.lines.len()),
                format!("{} sheet rows without one", doc.lines.len()),
            )
        })
    }

    /// Audits a published HTML page: its tables cell by cell, each amount at its column as in a
    /// workbook, and the rest of the page as the narrative ([`html::document`]). The same
    /// checks as [`Auditor::audit`].
    pub fn audit_html(&self, name: &str, bytes: &[u8]) -> Result<Audit, Vec<Diagnostic>> {
        let doc = html::document(name, bytes).map_err(|d| vec![d])?;
        self.audit_read(&doc)
    }

    /// Audits a Word document (.docx): its tables cell by cell, its paragraphs as lines
    /// ([`docx::document`]). The same checks as [`Auditor::audit`].
    pub fn audit_docx(&self, name: &str, bytes: &[u8]) -> Result<Audit, Vec<Diagnostic>> {
        let doc = docx::document(name, bytes).map_err(|d| vec![d])?;
        self.audit_read(&doc)
    }

    /// Audits a document already read ([`read_document`], [`Auditor::combine`]): the same
    /// checks as [`Auditor::audit`]; lines have pages when the document has page markers.
    pub fn audit_read(&self, doc: &text::Document) -> Result<Audit, Vec<Diagnostic>> {
        let paged = doc.lines.first().is_some_and(|l| text::is_page_marker(l));
        self.audit_document(doc, paged, || {
            if paged && doc.lines.iter().all(|l| text::is_page_marker(l)) {
                pages_without_text(doc.lines.len())
            } else {
                lines_without(doc.lines.len())
            }
        })
    }

    /// One document of a report published in parts (a page and its attachments, such as the
    /// tables as an .xls): the parts' lines in the order given, except that when a part has the
    /// line that begins the narrative (`第三部分`, as the kind says; its last such line, not its
    /// contents' entry), the other parts go just before that line — where a report prints its
    /// tables — so the narrative is read after them as in a report in one piece.
    pub fn combine(&self, name: &str, parts: Vec<text::Document>) -> text::Document {
        let begins: Vec<&String> = self
            .readers
            .iter()
            .flat_map(|r| &r.bundle.kind.narrative.begins)
            .collect();
        // The last such line: a contents lists the part before the body does.
        let begins_at = |d: &text::Document| {
            d.lines.iter().rposition(|l| {
                let n = text::normalize(l);
                begins.iter().any(|b| n.starts_with(b.as_str()))
            })
        };
        let host = parts.iter().position(|d| begins_at(d).is_some());
        let mut lines = Vec::new();
        let mut positions = Vec::new();
        let mut add = |d: &text::Document, from: usize, to: usize| {
            for i in from..to {
                lines.push(d.lines[i].clone());
                positions.push(d.positions.get(i).cloned().unwrap_or_default());
            }
        };
        match host {
            Some(h) => {
                let at = begins_at(&parts[h]).unwrap_or(0);
                add(&parts[h], 0, at);
                for (i, d) in parts.iter().enumerate() {
                    if i != h {
                        add(d, 0, d.lines.len());
                    }
                }
                add(&parts[h], at, parts[h].lines.len());
            }
            None => {
                for d in &parts {
                    add(d, 0, d.lines.len());
                }
            }
        }
        // A document with positions has them for every line (empty for lines of plain text).
        if positions.iter().all(Vec::is_empty) {
            positions.clear();
        }
        // Pages of several files cannot be told apart in the combined document: no page
        // sizes or vertical positions, so its findings have no boxes ([`evidence`]).
        text::Document {
            name: name.to_string(),
            lines,
            positions,
            ..text::Document::default()
        }
    }

    /// Reads the tables and the narrative of a decoded document and runs every rule of its
    /// kind; `paged`: the document was rebuilt with a page marker before each page (a PDF, a
    /// workbook), so each finding's line has a page; `nothing` says what the document held when
    /// no table was found.
    fn audit_document(
        &self,
        doc: &text::Document,
        paged: bool,
        nothing: impl FnOnce() -> Text,
    ) -> Result<Audit, Vec<Diagnostic>> {
        let candidates: Vec<read::Candidate> = self
            .readers
            .iter()
            .map(|r| read::Candidate {
                layout: &r.layout,
                kind: &r.bundle.kind,
                rules: &r.bundle.rules,
            })
            .collect();
        let Some((mut read, chosen)) = read::read_tables(doc, &candidates, &self.catalog) else {
            // Never guessed: a report of another family is read with the layout its user
            // writes for it.
            let layouts: Vec<&str> = self.readers.iter().map(|r| r.layout.id.as_str()).collect();
            return Err(vec![
                Diagnostic::error(
                    "E0903",
                    Location::File {
                        file: doc.name.clone(),
                    },
                    Text::new(
                        format!(
                            "找不到已知表式（{}）的任何一张表；若报告使用其他表式，请按 docs/layouts.md 写出其表式文件，再用 --layout 文件 审查",
                            layouts.join("、")
                        ),
                        format!(
                            "no table of a known layout ({}) was found; for a report of another family, write its layout file (docs/layouts.md) and audit with --layout FILE",
                            layouts.join(", ")
                        ),
                    ),
                )
                .expected(Text::new(
                    "收入支出决算总表等表的标题，其后有“单位：万元”一行",
                    "the title of a table such as 收入支出决算总表, followed by its unit line (单位：万元)",
                ))
                .found_text(nothing()),
            ]);
        };
        let reader = &self.readers[chosen];
        let rules = &reader.bundle.rules;
        let tables_end = read
            .found
            .iter()
            .map(|(_, l)| *l as usize)
            .max()
            .unwrap_or(0);
        // What the layout prints before the department's name on each table (`单位：`).
        let label = reader
            .layout
            .meta
            .department
            .as_ref()
            .and_then(|t| t.zh.split_once("{department}"))
            .map(|(before, _)| before.trim().trim_end_matches(['：', ':']).to_string())
            .filter(|l| !l.is_empty());
        let lex = &self.lexicons[reader.lexicon];
        let (department, year) = cover(
            doc,
            label.as_deref(),
            lex.document_words("title"),
            lex.document_words("cover_year"),
        );
        let reading = claims::read(
            doc,
            &read.sheet,
            &claims::Meaning {
                lexicon: &self.lexicons[reader.lexicon],
                figures: &reader.bundle.figures,
                narrative: &reader.bundle.kind.narrative,
                same_as: &reader.layout.same_as,
            },
            tables_end,
            &read
                .found
                .iter()
                .map(|(_, l)| (*l as usize).saturating_sub(1))
                .collect::<Vec<_>>(),
            year,
        );
        read.sheet.claims = reading.claims;
        let forms = forms::read(doc, &self.lexicons[reader.lexicon]);
        read.sheet.evaluations = forms.as_ref().map(|f| f.evaluations.clone());
        let mut findings = rules.check(&read.sheet, Some(&self.catalog));
        if let Some(f) = &forms {
            for finding in &mut findings {
                place_on_form(finding, &f.lines, doc);
            }
        }
        findings.extend(unread_findings(&read, rules));
        let whole = whole::Read {
            doc,
            lex: &self.lexicons[reader.lexicon],
            layout: &reader.layout,
            found: &read.found,
            sheet: &read.sheet,
            rules,
            department: department.as_deref(),
            year,
            header_label: label.as_deref(),
            kind: &reader.bundle.kind,
            tables_end: tables_end as u32,
            forms_from: forms
                .as_ref()
                .and_then(|f| f.lines.iter().map(|l| l.anchor).min())
                .map(|a| a.saturating_sub(FORM_HEAD)),
            forms: forms.as_ref().is_some_and(|f| {
                f.evaluations.department.is_some() || !f.evaluations.projects.is_empty()
            }),
        };
        findings.extend(complete::check(&whole));
        findings.extend(wording::check(&whole));
        findings.extend(identity::check(&whole));
        if paged {
            let pages = pages(doc);
            for f in &mut findings {
                set_page(f, &pages);
            }
        }
        mark_recognised(&mut findings, doc, &read);
        let coverage = rules.coverage(&read.sheet, Some(&self.catalog), Subject::Published);
        Ok(Audit {
            department,
            year,
            kind: reader.bundle.kind.id.clone(),
            findings,
            coverage,
            read,
            narrative: reading.mentions,
            paragraphs: reading.paragraphs,
            subjects: reading.subjects,
            statements: reading.statements,
        })
    }
}

/// How many lines a 绩效自评 form's title and head take above its execution header.
const FORM_HEAD: u32 = 12;

/// Audits the document `name` given as `bytes` with the built-in assets ([`Auditor::audit`]).
pub fn audit(name: &str, bytes: &[u8]) -> Result<Audit, Vec<Diagnostic>> {
    Auditor::builtin()?.audit(name, bytes)
}

/// Audits a PDF's word positions with the built-in assets ([`Auditor::audit_bbox`]).
pub fn audit_bbox(name: &str, xhtml: &str) -> Result<Audit, Vec<Diagnostic>> {
    Auditor::builtin()?.audit_bbox(name, xhtml)
}

/// Audits a published workbook with the built-in assets ([`Auditor::audit_xlsx`]).
pub fn audit_xlsx(name: &str, bytes: &[u8]) -> Result<Audit, Vec<Diagnostic>> {
    Auditor::builtin()?.audit_xlsx(name, bytes)
}

/// Audits a published HTML page with the built-in assets ([`Auditor::audit_html`]).
pub fn audit_html(name: &str, bytes: &[u8]) -> Result<Audit, Vec<Diagnostic>> {
    Auditor::builtin()?.audit_html(name, bytes)
}

/// Audits a Word document with the built-in assets ([`Auditor::audit_docx`]).
pub fn audit_docx(name: &str, bytes: &[u8]) -> Result<Audit, Vec<Diagnostic>> {
    Auditor::builtin()?.audit_docx(name, bytes)
}

/// What a published report's bytes are, by their content.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// A PDF: read through the positions of its words (pdftotext, at the edge).
    Pdf,
    /// A Word document (.docx).
    Docx,
    /// A Word 97–2003 document (.doc): converted to .docx at the edge (LibreOffice).
    Doc,
    /// A workbook (XLSX or XLS).
    Workbook,
    /// An HTML page.
    Html,
    /// Text (extracted from a PDF, or written as text).
    Text,
}

impl Format {
    /// The format of `bytes`: by their signature and content, never by the file's name.
    pub fn of(bytes: &[u8]) -> Format {
        if bytes.starts_with(b"%PDF") {
            Format::Pdf
        } else if docx::is_docx(bytes) {
            Format::Docx
        } else if docx::is_doc(bytes) {
            Format::Doc
        } else if xlsx::is_workbook(bytes) {
            Format::Workbook
        } else if html::is_html(bytes) {
            Format::Html
        } else {
            Format::Text
        }
    }
}

/// The document the audit reads from `bytes` of format `format` (a PDF's are the output of
/// `pdftotext -bbox-layout`; a .doc's must be converted to .docx first).
pub fn read_document(
    name: &str,
    format: Format,
    bytes: &[u8],
) -> Result<text::Document, Diagnostic> {
    match format {
        Format::Pdf => {
            let xhtml = std::str::from_utf8(bytes).map_err(|e| {
                Diagnostic::error(
                    "E0906",
                    Location::File {
                        file: name.to_string(),
                    },
                    Text::new("无法读取 PDF 的文字", "the text of the PDF cannot be read"),
                )
                .found_text(Text::new(
                    format!("pdftotext 输出的不是 UTF-8：{e}"),
                    format!("pdftotext output that is not UTF-8: {e}"),
                ))
            })?;
            bbox::document(name, xhtml)
        }
        Format::Docx | Format::Doc => docx::document(name, bytes),
        Format::Workbook => xlsx::document(name, bytes),
        Format::Html => html::document(name, bytes),
        Format::Text => text::decode(name, bytes),
    }
}

/// What a document without any table held: `n` lines.
fn lines_without(n: usize) -> Text {
    Text::new(
        format!("{n} 行文字，其中没有这样的标题"),
        format!("{n} lines without one"),
    )
}

/// What a PDF of images only held: `n` pages and no text.
fn pages_without_text(n: usize) -> Text {
    Text::new(
        format!("{n} 页都没有文字（扫描图像？须先识别其文字）"),
        format!("{n} pages without text (a scanned image? its text must be recognised first)"),
    )
}

/// The department and year from the cover: `上海市普陀区财政局 2024年度部门决算`, possibly
/// wrapped over several lines. `titles` are the words after the year of a cover that names
/// the department before it (the lexicon's `[document] title`, `年度部门决算`); `years` those
/// of a cover that names a region there (`上海市普陀区2025年区级部门预算`, `[document]
/// cover_year`), whose department is then read from the tables' meta line.
pub(crate) fn cover(
    doc: &text::Document,
    label: Option<&str>,
    titles: &[String],
    years: &[String],
) -> (Option<String>, Option<i32>) {
    let head: String = doc
        .lines
        .iter()
        .filter(|l| !l.trim().is_empty() && !text::is_page_marker(l))
        .take(8)
        .map(|l| text::normalize(l))
        .collect();
    let year_before = |at: usize| {
        let digits = text::trailing_digits(&head[..at]);
        let year = (digits.len() == 4).then(|| digits.parse().ok()).flatten();
        (digits.len(), year)
    };
    let first = |words: &[String]| {
        words
            .iter()
            .filter_map(|w| head.find(&text::normalize(w)))
            .min()
    };
    if let Some(at) = first(titles) {
        let (n, year) = year_before(at);
        let name = head[..at - n].trim().to_string();
        return ((!name.is_empty()).then_some(name), year);
    }
    let (name, year) = meta_line(doc, label);
    let cover_year = first(years).and_then(|at| year_before(at).1);
    (name, year.or(cover_year))
}

/// The department and year from a table's meta line (`部门：… 2023年度`, or the word the layout
/// prints before the name, `单位`), for a document without a cover (a workbook of the tables).
fn meta_line(doc: &text::Document, label: Option<&str>) -> (Option<String>, Option<i32>) {
    let labels: Vec<String> = label
        .into_iter()
        .chain(["部门"])
        .flat_map(|w| [format!("{w}："), format!("{w}:")])
        .collect();
    let found = doc.lines.iter().find_map(|l| {
        labels
            .iter()
            .find_map(|label| l.split_once(label.as_str()))
            .map(|(_, after)| (l, after))
    });
    let Some((line, after)) = found else {
        return (None, None);
    };
    let name: String = after
        .trim_start()
        .chars()
        .take_while(|c| !text::is_separator(*c))
        .collect();
    let year = line.find("年度").and_then(|i| {
        let digits = text::trailing_digits(line[..i].trim_end_matches(text::is_separator));
        (digits.len() == 4).then(|| digits.parse().ok()).flatten()
    });
    ((!name.is_empty()).then_some(name), year)
}

/// The page of each line of a document rebuilt with a page marker before each page, first
/// line first.
pub fn pages(doc: &text::Document) -> Vec<u32> {
    let mut page = 0;
    doc.lines
        .iter()
        .map(|l| {
            if text::is_page_marker(l) {
                page += 1;
            }
            page
        })
        .collect()
}

/// Gives a finding about a form read from the document ([`forms::read`]) the line of the
/// figure it names: the total, the execution row, a goal, an indicator, else the form's
/// execution header.
fn place_on_form(f: &mut Finding, forms: &[forms::FormLines], doc: &text::Document) {
    let Place::Cell(c) = &mut f.place else {
        return;
    };
    let Some(form) = c
        .table
        .key
        .strip_prefix("附件")
        .and_then(|n| n.parse::<usize>().ok())
        .and_then(|n| forms.iter().find(|l| l.annex == n))
    else {
        return;
    };
    let label = c.row.as_ref().map(|r| r.label.zh.as_str()).unwrap_or("");
    let goal = |k: usize| form.goals.get(k).copied();
    let line = match label {
        "自评得分" => form.total,
        "执行率" | "执行得分" => Some(form.execution),
        "总目标得分" => form.goals.last().copied(),
        _ => label
            .strip_prefix("年度目标")
            .and_then(|k| k.parse::<usize>().ok())
            .and_then(|k| goal(k.saturating_sub(1)))
            .or_else(|| {
                form.indicators
                    .iter()
                    .find(|(l, _)| l == label)
                    .map(|(_, no)| *no)
            }),
    }
    .unwrap_or(form.anchor);
    c.source = Some(Passage {
        line,
        page: None,
        text: doc
            .lines
            .get(line as usize - 1)
            .map(|t| t.replace('\t', " ")),
    });
}

/// Marks for review (需人工复核) the findings of a document with pages recognised from their
/// images (a scan, [`ocr`]): a finding placed on such a page, one about a table any of whose
/// rows or title was read there (its figures, or the cells it involves), and one with no
/// place in the document (a table not found may be a title misread). What only text pages
/// say is not marked.
fn mark_recognised(findings: &mut [Finding], doc: &text::Document, read: &ReadTables) {
    let on = text::recognised_lines(doc);
    if !on.contains(&true) {
        return;
    }
    let recognised = |line: u32| on.get(line.saturating_sub(1) as usize) == Some(&true);
    let tables: std::collections::BTreeSet<&str> = read
        .sheet
        .tables
        .iter()
        .filter(|t| {
            t.rows
                .iter()
                .chain(&t.repeats)
                .filter_map(|r| r.source_line)
                .any(recognised)
                || read
                    .found
                    .iter()
                    .any(|(id, line)| id.key() == t.id.key() && recognised(*line))
        })
        .map(|t| t.id.key())
        .collect();
    for f in findings {
        let table = match &f.place {
            Place::Cell(c) => Some(c.table.key.as_str()),
            _ => None,
        };
        let marked = f.source().is_none_or(|p| recognised(p.line))
            || table.is_some_and(|t| tables.contains(t))
            || f.cells.iter().any(|c| tables.contains(c.table.as_str()));
        if marked {
            f.review = Some(juesuan_core::rules::Review::Recognised);
        }
    }
}

/// Gives the place of `f` in the document its page.
fn set_page(f: &mut Finding, pages: &[u32]) {
    let passage = match &mut f.place {
        Place::Document(p) => Some(p),
        Place::Cell(c) => c.source.as_mut(),
        Place::Nowhere => None,
    };
    if let Some(p) = passage {
        p.page = pages.get(p.line.saturating_sub(1) as usize).copied();
    }
}

/// The finding of rule `def` about a table (a row of it, where `row` says) of the document read,
/// at the passage `source` — what the audit itself finds as it reads (U, D and W rules).
pub(crate) fn finding_at(
    def: &juesuan_core::rules::RuleDef,
    table: TableRef,
    row: Option<juesuan_core::rules::RowRef>,
    source: Option<Passage>,
    detail: Detail,
) -> Finding {
    Finding {
        rule: def.id.clone(),
        severity: def.severity,
        scope: def.scope,
        place: Place::Cell(Box::new(CellPlace {
            table,
            row,
            column: String::new(),
            source,
        })),
        message: def.title.clone(),
        hint: def.hint.clone(),
        detail,
        cells: Vec::new(),
        review: None,
    }
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
            let table = match read.sheet.table(u.table.key()) {
                Some(t) => TableRef::of(t),
                None => TableRef {
                    key: u.table.key().to_string(),
                    ..TableRef::default()
                },
            };
            let source = Passage {
                line: u.line,
                page: None,
                text: Some(u.raw.clone()),
            };
            let why = Detail::Unread { why: u.why.clone() };
            Some(finding_at(def, table, u.row.clone(), Some(source), why))
        })
        .collect()
}
