//! Audits at scale (`juesuan audit --batch DIR -o OUT`): every published report under a folder
//! audited in parallel, as the single-file audit audits it, into a findings dataset and a
//! summary people read.
//!
//! - `findings.csv` / `.parquet`: one row per finding — file, page or line, department, year,
//!   kind, rule, severity, the place in words and as keys, what is printed and what the other
//!   side comes to, as exact decimals ([`FINDING_COLUMNS`]);
//! - `documents.csv` / `.parquet`: one row per document — what was read, tables found, rows
//!   not read, numbers of the narrative checked or not, counts by severity, time taken, or why
//!   it could not be audited ([`DOCUMENT_COLUMNS`]);
//! - `datapackage.json`: a Frictionless descriptor of both;
//! - `index.html`: totals, findings by rule and by severity, the documents sorted by errors,
//!   each linked to its own audit page `documents/<file>.html`.
//!
//! One code path for every source: [`audit_reports`] audits any [`Report`] — a file of the
//! folder ([`audit`]) or bytes held in memory (the web app's uploads, [`InMemory`]) — and keeps
//! the [`Summary`] so that the page can be shown again in the other language.
//!
//! Each document's department, year and kind are read from its content (the cover, the titles),
//! never from its file name. A file that cannot be read is a row with its reason, never fatal.
//! Rows stream to the tables as documents finish (in listing order), so memory stays flat in
//! the number of documents; the tables and the summary are put in place together at the end,
//! the per-document pages in groups as they come.

use crate::export::{Cell, Column, Kind, Table, schema_fields};
use crate::runner::{self, Input};
use crate::service::{InMemory, Progress};
use crate::summary::{DepartmentSummary, Totals};
use juesuan_core::diag::Severity;
use juesuan_core::rules::Finding;
use juesuan_core::{Diagnostic, Lang, Location, Text};
use juesuan_publish::Setup;
use juesuan_publish::audited::{self, Audited};
use juesuan_publish::files::io_error;
use juesuan_publish::output::{self, Staged, WriteError};
use juesuan_render::audit_batch::{self, BatchDocument, BatchPage, RuleCount};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Extensions read as published reports: PDF, text, workbooks, HTML pages, Word documents. The
/// format itself is told from the content ([`juesuan_audit::Format::of`]).
pub const AUDIT_EXTENSIONS: &[&str] = &[
    "pdf", "txt", "text", "xls", "xlsx", "html", "htm", "docx", "doc",
];

const fn col(
    name: &'static str,
    kind: Kind,
    title: &'static str,
    description: &'static str,
) -> Column {
    Column {
        name,
        kind,
        title,
        description,
        column_type: None,
    }
}

/// Columns of `findings`.
pub const FINDING_COLUMNS: [Column; 22] = [
    col(
        "file",
        Kind::Text,
        "File",
        "The document's path under the folder audited. 文件",
    ),
    col(
        "department",
        Kind::Text,
        "Department",
        "The department, as the document's cover names it. 部门",
    ),
    col(
        "year",
        Kind::OptInteger,
        "Fiscal year",
        "The year the document reports on, as its cover says. 年度",
    ),
    col(
        "kind",
        Kind::Text,
        "Document kind",
        "What the document was read as (final-accounts: 部门决算). 文书类型",
    ),
    col(
        "rule",
        Kind::Text,
        "Rule",
        "The rule's stable id (docs/rules.md). 规则",
    ),
    col(
        "severity",
        Kind::Text,
        "Severity",
        "error, warning or info. 严重程度",
    ),
    col(
        "class",
        Kind::Text,
        "Class",
        "rounding for a 舍入差异 (figures one unit of their last digit apart); empty otherwise. 类别",
    ),
    col(
        "review",
        Kind::Text,
        "Review",
        "ocr when the finding was read from a scan and needs a person's review (需人工复核). 复核",
    ),
    col(
        "page",
        Kind::OptInteger,
        "Page",
        "The page (a PDF, a workbook's sheet) the finding's figure is printed on. 页",
    ),
    col(
        "line",
        Kind::OptInteger,
        "Line",
        "The line of the text read the finding is on. 行",
    ),
    col(
        "table",
        Kind::Text,
        "Table key",
        "The table's key (narrative for the 情况说明). 表键",
    ),
    col(
        "row",
        Kind::Text,
        "Row key",
        "The row's address: 行次, code, or the narrative's line. 行键",
    ),
    col(
        "column",
        Kind::Text,
        "Column key",
        "The column's key, or the claim's pattern. 栏键",
    ),
    col(
        "table_name",
        Kind::Text,
        "Table",
        "The table as printed (公开01表 收入支出决算总表). 表名",
    ),
    col(
        "row_name",
        Kind::Text,
        "Row",
        "The row in words (第27行 2060101 行政运行). 行名",
    ),
    col(
        "message",
        Kind::Text,
        "Message",
        "What the rule says, in Chinese. 说明",
    ),
    col(
        "found",
        Kind::Text,
        "Found (printed)",
        "What was found, as the findings print it. 实际",
    ),
    col(
        "expected",
        Kind::Text,
        "Expected (printed)",
        "What was expected, as the findings print it. 应为",
    ),
    col(
        "found_value",
        Kind::Decimal,
        "Found value",
        "What the document prints, an exact decimal in value_unit; empty when it is no number. 实际数值",
    ),
    col(
        "expected_value",
        Kind::Decimal,
        "Expected value",
        "What the other side comes to, an exact decimal in value_unit (a rate recomputed to four decimals). 应为数值",
    ),
    col(
        "value_unit",
        Kind::Text,
        "Unit of the values",
        "元 for amounts, % for rates, or a count's word. 数值单位",
    ),
    col(
        "formula",
        Kind::Text,
        "Formula",
        "The relation or claim with names and figures, in Chinese. 公式",
    ),
];

/// Columns of `documents`.
pub const DOCUMENT_COLUMNS: [Column; 20] = [
    col(
        "file",
        Kind::Text,
        "File",
        "The document's path under the folder audited. 文件",
    ),
    col(
        "status",
        Kind::Text,
        "Status",
        "audited, or unreadable (with problem_code and problem). 状态",
    ),
    col(
        "department",
        Kind::Text,
        "Department",
        "The department, as the document's cover names it. 部门",
    ),
    col(
        "year",
        Kind::OptInteger,
        "Fiscal year",
        "The year the document reports on, as its cover says. 年度",
    ),
    col(
        "kind",
        Kind::Text,
        "Document kind",
        "What the document was read as. 文书类型",
    ),
    col(
        "layout",
        Kind::Text,
        "Layout",
        "The layout whose table titles the document follows. 表式",
    ),
    col(
        "pages",
        Kind::OptInteger,
        "Pages",
        "Pages (a PDF) or sheets (a workbook); empty for text. 页数",
    ),
    col(
        "tables_found",
        Kind::OptInteger,
        "Tables found",
        "Tables of the layout found in the document. 读到的表",
    ),
    col(
        "rows_unread",
        Kind::OptInteger,
        "Rows not read",
        "Table rows that could not be read with certainty, left out of the checks. 未读行",
    ),
    col(
        "numbers",
        Kind::OptInteger,
        "Narrative numbers",
        "Numbers of the narrative. 说明中的数字",
    ),
    col(
        "numbers_checked",
        Kind::OptInteger,
        "Numbers checked",
        "Of those, compared exactly with what they restate. 已核对",
    ),
    col(
        "numbers_bounded",
        Kind::OptInteger,
        "Numbers bounded",
        "Of those, only bounded (a comparison, a partial list). 部分核对",
    ),
    col(
        "numbers_unchecked",
        Kind::OptInteger,
        "Numbers not checkable",
        "Of those, not compared with anything. 无法核对",
    ),
    col("errors", Kind::OptInteger, "Errors", "Error findings. 错误"),
    col(
        "warnings",
        Kind::OptInteger,
        "Warnings",
        "Warning findings. 警告",
    ),
    col("infos", Kind::OptInteger, "Infos", "Info findings. 提示"),
    col(
        "rounding",
        Kind::OptInteger,
        "Rounding differences",
        "Of the warnings, 舍入差异. 舍入差异",
    ),
    col(
        "millis",
        Kind::OptInteger,
        "Time (ms)",
        "Wall time the audit of the document took, in milliseconds. 用时",
    ),
    col(
        "problem_code",
        Kind::Text,
        "Problem code",
        "Why the document could not be audited: the error code (docs/errors.md). 问题代码",
    ),
    col("problem", Kind::Text, "Problem", "Why, in Chinese. 问题"),
];

/// What to audit.
#[derive(Clone, Debug)]
pub struct AuditOptions {
    /// The folder of published reports (subfolders too).
    pub dir: PathBuf,
    /// Where the dataset and the summary go.
    pub out: PathBuf,
    /// Worker threads.
    pub jobs: usize,
    /// Language of the pages and of the progress lines.
    pub lang: Lang,
    /// Files never written over (the setup's).
    pub protect: Vec<PathBuf>,
}

/// What a batch audit did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditOutcome {
    /// Documents by outcome and findings by rule (a document counts as a department).
    pub totals: Totals,
    /// Finding rows written.
    pub findings: u64,
    /// The files written (the tables, the descriptor, the summary; the documents' pages are
    /// under `documents/`).
    pub files: Vec<PathBuf>,
    /// What `index.html` shows, to show it again in another language.
    pub summary: Summary,
}

/// Where a batch of reports goes and how: what [`audit_reports`] needs besides the reports.
#[derive(Clone, Debug)]
pub struct Target {
    /// What was audited, as the summary names it (the folder, or the upload).
    pub label: String,
    /// Where the dataset and the summary go.
    pub out: PathBuf,
    /// Worker threads.
    pub jobs: usize,
    /// Language of the pages and of the progress lines.
    pub lang: Lang,
    /// Files never written over.
    pub protect: Vec<PathBuf>,
}

/// A published report of a batch: a file of the folder ([`Input`]) or bytes held in memory
/// (an upload, [`InMemory`]). Both are audited exactly as `juesuan audit` audits one report.
pub trait Report: Sync {
    /// Its name in the dataset and the summary (a path under the folder, with `/`).
    fn name(&self) -> &str;
    /// Its audit.
    fn audit(&self, setup: &Setup) -> Result<Audited, Vec<Diagnostic>>;
}

impl Report for Input {
    fn name(&self) -> &str {
        &self.name
    }

    fn audit(&self, setup: &Setup) -> Result<Audited, Vec<Diagnostic>> {
        audited::audit_file(setup, &self.path)
    }
}

impl Report for InMemory {
    fn name(&self) -> &str {
        &self.name
    }

    fn audit(&self, setup: &Setup) -> Result<Audited, Vec<Diagnostic>> {
        if self.bytes.len() > juesuan_audit::text::MAX_BYTES {
            return Err(vec![too_large(&self.name, self.bytes.len())]);
        }
        audited::audit_bytes(setup, &self.name, &self.bytes, &|| {
            juesuan_publish::ocr::read_pdf_bytes(&self.name, &self.bytes, false)
        })
    }
}

/// The in-memory twin of the file audit's size limit (E0601 there: a file read is bounded).
fn too_large(name: &str, len: usize) -> Diagnostic {
    Diagnostic::error(
        "E0601",
        Location::File {
            file: name.to_string(),
        },
        Text::new("文件过大，无法审查", "the file is too large to audit"),
    )
    .expected(Text::new(
        format!("不超过 {} MiB", juesuan_audit::text::MAX_BYTES >> 20),
        format!("at most {} MiB", juesuan_audit::text::MAX_BYTES >> 20),
    ))
    .found(format!("{len} bytes"))
}

/// What the summary page shows: each document's line and how often each rule reported. Kept
/// apart from the page so that the page can be rendered in either language.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Summary {
    /// What was audited (the folder, the upload).
    pub label: String,
    documents: Vec<(BatchDocument, Option<Diagnostic>)>,
    by_rule: BTreeMap<String, (Severity, usize)>,
}

impl Summary {
    /// The summary page (`index.html`) in `lang`.
    pub fn page(&self, setup: &Setup, lang: Lang) -> Result<String, Diagnostic> {
        let entries = self
            .documents
            .iter()
            .map(|(d, problem)| {
                let mut d = d.clone();
                if !d.kind.is_empty() {
                    d.kind_name = setup
                        .assets
                        .bundle(&d.kind)
                        .map_or_else(|| d.kind.clone(), |b| b.kind.name.get(lang).to_string());
                }
                d.problem = problem
                    .as_ref()
                    .map(|p| format!("{} {}", p.code, p.message.get(lang)));
                d
            })
            .collect();
        let mut rules: Vec<RuleCount> = self
            .by_rule
            .iter()
            .map(|(rule, (severity, count))| RuleCount {
                title: setup
                    .rule_title(rule)
                    .map(|t| t.get(lang).to_string())
                    .unwrap_or_default(),
                rule: rule.clone(),
                severity: crate::summary::severity(*severity),
                count: *count,
            })
            .collect();
        rules.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.rule.cmp(&b.rule)));
        audit_batch::page(&BatchPage::new(lang, &self.label, entries, rules)).map_err(|e| {
            Diagnostic::error(
                "E0602",
                Location::Nowhere,
                Text::new(
                    "无法生成审查汇总页",
                    "the audit summary page cannot be rendered",
                ),
            )
            .found(e.to_string())
        })
    }

    /// The totals the page opens with: documents, of them audited, of those with errors, and
    /// documents not audited.
    pub fn counts(&self) -> [usize; 4] {
        let unreadable = self.documents.iter().filter(|d| d.1.is_some()).count();
        let with_errors = self.documents.iter().filter(|d| d.0.errors > 0).count();
        let all = self.documents.len();
        [all, all - unreadable, with_errors, unreadable]
    }
}

impl AuditOutcome {
    /// The exit code: 1 if any document has errors, else 0 (a document that cannot be read is
    /// a row of the dataset, not a failure of the run).
    pub fn exit_code(&self) -> u8 {
        u8::from(self.totals.with_errors > 0)
    }
}

/// One document done, by a worker.
struct Done {
    summary: DepartmentSummary,
    findings: Vec<Finding>,
    finding_rows: Vec<Vec<Cell>>,
    document_row: Vec<Cell>,
    entry: BatchDocument,
    problem: Option<Diagnostic>,
    page: Option<Vec<u8>>,
}

/// The reports of `dir` (E0601 when it cannot be listed, E1109 when it holds none).
pub fn documents(dir: &Path, skip: Option<&Path>) -> Result<Vec<Input>, Vec<Diagnostic>> {
    let list =
        runner::list_with(dir, skip, AUDIT_EXTENSIONS).map_err(|e| vec![io_error(dir, e)])?;
    if list.is_empty() {
        return Err(vec![
            Diagnostic::error(
                "E1109",
                Location::File {
                    file: dir.display().to_string(),
                },
                Text::new("目录中没有可审查的报告", "the folder holds no report to audit"),
            )
            .expected(Text::new(
                "扩展名为 .pdf、.txt、.xls、.xlsx、.html、.docx 或 .doc 的文件（含子目录）",
                "files ending in .pdf, .txt, .xls, .xlsx, .html, .docx or .doc (subfolders included)",
            )),
        ]);
    }
    Ok(list)
}

/// Audits every report of a folder, in parallel, into the dataset and summary of `options.out`.
pub fn audit(
    setup: &Setup,
    options: &AuditOptions,
    progress: &mut dyn Progress,
) -> Result<AuditOutcome, Vec<Diagnostic>> {
    let list = documents(&options.dir, Some(&options.out))?;
    let mut protect = options.protect.clone();
    protect.extend(list.iter().map(|i| i.path.clone()));
    let target = Target {
        label: options.dir.display().to_string(),
        out: options.out.clone(),
        jobs: options.jobs,
        lang: options.lang,
        protect,
    };
    audit_reports(setup, &list, &target, progress)
}

/// Audits `reports` (files of a folder, or uploads in memory), in parallel, into the dataset
/// and summary of `target.out`: the work of [`audit`], whatever the reports come from.
pub fn audit_reports<R: Report>(
    setup: &Setup,
    list: &[R],
    target: &Target,
    progress: &mut dyn Progress,
) -> Result<AuditOutcome, Vec<Diagnostic>> {
    // The auditor is built once, before the workers share it.
    setup.auditor()?;
    let out = &target.out;
    let pages_dir = out.join("documents");
    output::create_folder(&pages_dir).map_err(|e| vec![e.diagnostic()])?;
    let protect = &target.protect;
    let mut findings = Table::create(out, "findings", &FINDING_COLUMNS, protect)
        .map_err(|d| vec![d])?
        .text_limit(TEXT_PER_ROW_GROUP);
    let mut docs =
        Table::create(out, "documents", &DOCUMENT_COLUMNS, protect).map_err(|d| vec![d])?;
    let lang = target.lang;
    progress.start(list.len());
    let mut totals = Totals::default();
    let mut failure: Option<Diagnostic> = None;
    let mut entries: Vec<(BatchDocument, Option<Diagnostic>)> = Vec::with_capacity(list.len());
    let mut staged: Vec<Staged> = Vec::new();
    let mut by_rule: BTreeMap<String, (Severity, usize)> = BTreeMap::new();
    runner::run(
        list,
        target.jobs,
        |input| audit_one(setup, input, lang),
        |input, result| {
            let done = result
                .unwrap_or_else(|panic| failed(input.name(), &internal(input, panic), lang, 0));
            totals.add(&done.summary, Some(&done.findings));
            for f in &done.findings {
                by_rule.entry(f.rule.clone()).or_insert((f.severity, 0)).1 += 1;
            }
            progress.department(&done.summary);
            if failure.is_some() {
                return;
            }
            let step = || -> Result<(), Diagnostic> {
                findings.add(done.finding_rows)?;
                docs.add(vec![done.document_row])?;
                if let Some(page) = done.page {
                    let path = pages_dir.join(page_name(input.name()));
                    if let Some(parent) = path.parent() {
                        output::create_folder(parent).map_err(|e| e.diagnostic())?;
                    }
                    let mut f = Staged::create(&path, protect).map_err(|e| e.diagnostic())?;
                    f.write_all(&page).map_err(|e| io_error(&path, e))?;
                    staged.push(f);
                    // Pages go in place in groups: each sync is paid once per group, and
                    // open files stay few.
                    if staged.len() >= PAGES_PER_COMMIT {
                        output::commit(std::mem::take(&mut staged)).map_err(|e| e.diagnostic())?;
                    }
                }
                Ok(())
            };
            if let Err(d) = step() {
                failure = Some(d);
            }
            entries.push((done.entry, done.problem));
        },
    );
    progress.finish();
    if let Some(d) = failure {
        return Err(vec![d]);
    }
    output::commit(staged).map_err(|e| vec![e.diagnostic()])?;
    let (finding_rows, finding_files) = findings.finish().map_err(|d| vec![d])?;
    let (document_rows, document_files) = docs.finish().map_err(|d| vec![d])?;
    let descriptor = descriptor(&target.label, document_rows, finding_rows);
    let write_err = |e: WriteError| vec![e.diagnostic()];
    let package_path = out.join("datapackage.json");
    let mut package = Staged::create(&package_path, protect).map_err(write_err)?;
    let mut text = serde_json::to_string_pretty(&descriptor).expect("json");
    text.push('\n');
    package
        .write_all(text.as_bytes())
        .map_err(|e| vec![io_error(&package_path, e)])?;
    let summary = Summary {
        label: target.label.clone(),
        documents: entries,
        by_rule,
    };
    let html = summary.page(setup, lang).map_err(|d| vec![d])?;
    let index_path = out.join("index.html");
    let mut index = Staged::create(&index_path, protect).map_err(write_err)?;
    index
        .write_all(html.as_bytes())
        .map_err(|e| vec![io_error(&index_path, e)])?;
    let files = output::commit(
        finding_files
            .into_iter()
            .chain(document_files)
            .chain([package, index])
            .collect(),
    )
    .map_err(write_err)?;
    Ok(AuditOutcome {
        totals,
        findings: finding_rows,
        files,
        summary,
    })
}

/// Bytes of text a row group of `findings` gathers before it is written (a finding quotes its
/// sentence and formula: a few hundred bytes).
const TEXT_PER_ROW_GROUP: usize = 1 << 20;

/// Per-document pages staged before they are put in place together.
const PAGES_PER_COMMIT: usize = 64;

/// Where a document's own audit page goes under `documents/`: its path with `.html` added.
pub fn page_name(file: &str) -> String {
    format!("{file}.html")
}

/// Audits one document as `juesuan audit FILE` does.
fn audit_one(setup: &Setup, input: &dyn Report, lang: Lang) -> Done {
    let start = Instant::now();
    let result = input.audit(setup);
    let millis = i32::try_from(start.elapsed().as_millis()).unwrap_or(i32::MAX);
    match result {
        Ok(a) => done(input.name(), &a, lang, millis),
        Err(diags) => {
            let first = diags
                .first()
                .cloned()
                .unwrap_or_else(|| internal(input, String::new()));
            failed(input.name(), &first, lang, millis)
        }
    }
}

/// E1108: the program failed on one document (the batch goes on).
fn internal(input: &dyn Report, why: String) -> Diagnostic {
    Diagnostic::error(
        "E1108",
        Location::File {
            file: input.name().to_string(),
        },
        Text::new(
            "内部错误：处理该文件时程序出错",
            "internal error while processing the file",
        ),
    )
    .found(why)
}

fn text(s: impl Into<String>) -> Cell {
    let s = s.into();
    Cell::Text((!s.is_empty()).then_some(s))
}

fn int(n: Option<i64>) -> Cell {
    n.and_then(|n| i32::try_from(n).ok())
        .map_or(Cell::Null, Cell::Integer)
}

fn count(n: usize) -> Cell {
    int(i64::try_from(n).ok())
}

/// The row of each finding of `a`.
pub fn finding_rows(file: &str, a: &Audited) -> Vec<Vec<Cell>> {
    let audit = &a.audit;
    audit
        .findings
        .iter()
        .map(|f| {
            let (table, row, column) = f.address();
            let source = f.source();
            let page = source.and_then(|p| p.page).or_else(|| {
                // A line of a paged document is on the page its line is.
                let line = source?.line;
                a.pages
                    .as_ref()?
                    .get(line.saturating_sub(1) as usize)
                    .copied()
            });
            let values = f.values();
            vec![
                text(file),
                text(audit.department.clone().unwrap_or_default()),
                int(audit.year.map(i64::from)),
                text(audit.kind.clone()),
                text(f.rule.clone()),
                text(crate::summary::severity(f.severity)),
                text(if f.rounding() { "rounding" } else { "" }),
                text(f.review.map(|r| r.key()).unwrap_or_default()),
                int(page.map(i64::from)),
                int(source.map(|p| i64::from(p.line))),
                text(table),
                text(row),
                text(column),
                text(f.table_name().zh),
                text(f.row_name().zh),
                text(f.message.zh.clone()),
                text(f.found()),
                text(f.expected()),
                values
                    .as_ref()
                    .map_or(Cell::Null, |v| Cell::Decimal(v.found)),
                values
                    .as_ref()
                    .map_or(Cell::Null, |v| Cell::Decimal(v.expected)),
                text(values.map(|v| v.unit).unwrap_or_default()),
                text(f.formula().zh),
            ]
        })
        .collect()
}

fn done(name: &str, a: &Audited, lang: Lang, millis: i32) -> Done {
    let audit = &a.audit;
    let n = |s: Severity| audit.findings.iter().filter(|f| f.severity == s).count();
    let (errors, warnings, infos) = (n(Severity::Error), n(Severity::Warning), n(Severity::Info));
    let rounding = audit.findings.iter().filter(|f| f.rounding()).count();
    let tally = juesuan_core::rules::claims::tally(&audit.narrative);
    let pages = a.pages.as_ref().and_then(|p| p.iter().max().copied());
    let document_row = vec![
        text(name.to_string()),
        text("audited"),
        text(audit.department.clone().unwrap_or_default()),
        int(audit.year.map(i64::from)),
        text(audit.kind.clone()),
        text(audit.read.layout.clone()),
        int(pages.map(i64::from)),
        count(audit.read.found.len()),
        count(audit.read.unread.len()),
        count(tally.numbers),
        count(tally.checked),
        count(tally.bounded),
        count(tally.not_checkable),
        count(errors),
        count(warnings),
        count(infos),
        count(rounding),
        int(Some(i64::from(millis))),
        Cell::Null,
        Cell::Null,
    ];
    let page = a
        .html(name, &BTreeMap::new(), lang)
        .ok()
        .map(String::into_bytes);
    Done {
        summary: DepartmentSummary::audited(name, audit),
        finding_rows: finding_rows(name, a),
        findings: audit.findings.clone(),
        document_row,
        entry: BatchDocument {
            file: name.to_string(),
            page: page
                .as_ref()
                .map(|_| format!("documents/{}", page_name(name))),
            department: audit.department.clone().unwrap_or_default(),
            year: audit.year,
            kind: audit.kind.clone(),
            // Named in the page's language when the page is rendered (Summary::page).
            kind_name: String::new(),
            errors,
            warnings,
            infos,
            problem: None,
        },
        problem: None,
        page,
    }
}

fn failed(name: &str, d: &Diagnostic, lang: Lang, millis: i32) -> Done {
    Done {
        summary: DepartmentSummary::invalid(name, std::slice::from_ref(d), lang),
        findings: Vec::new(),
        finding_rows: Vec::new(),
        document_row: vec![
            text(name.to_string()),
            text("unreadable"),
            Cell::Null,
            Cell::Null,
            Cell::Null,
            Cell::Null,
            Cell::Null,
            Cell::Null,
            Cell::Null,
            Cell::Null,
            Cell::Null,
            Cell::Null,
            Cell::Null,
            Cell::Null,
            Cell::Null,
            Cell::Null,
            Cell::Null,
            int(Some(i64::from(millis))),
            text(d.code),
            text(d.message.zh.clone()),
        ],
        entry: BatchDocument {
            file: name.to_string(),
            page: None,
            department: String::new(),
            year: None,
            kind: String::new(),
            kind_name: String::new(),
            errors: 0,
            warnings: 0,
            infos: 0,
            // Said in the page's language when the page is rendered (Summary::page).
            problem: None,
        },
        problem: Some(d.clone()),
        page: None,
    }
}

/// The Frictionless descriptor of the dataset.
fn descriptor(label: &str, documents: u64, findings: u64) -> Value {
    let resource = |name: &str, title: &str, rows: u64, columns: &[Column]| {
        json!({
            "name": name,
            "path": format!("{name}.csv"),
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "title": title,
            "count_of_rows": rows,
            "schema": { "fields": schema_fields(columns) },
        })
    };
    json!({
        "profile": "data-package",
        "name": "juesuan-audit",
        "title": format!("审查结果：{label}"),
        "description": format!("{documents} 份已发布报告的审查结果（juesuan audit --batch）：每条发现一行，每份文件一行。Findings of juesuan's audit of {documents} published report(s): one row per finding, one per document; values are exact decimals."),
        "created_by": "juesuan",
        "resources": [
            resource("findings", "One row per finding", findings, &FINDING_COLUMNS),
            resource("documents", "One row per document audited", documents, &DOCUMENT_COLUMNS),
            { "name": "findings-parquet", "path": "findings.parquet", "format": "parquet", "mediatype": "application/vnd.apache.parquet", "title": "Findings (Parquet; values DECIMAL(18,4))" },
            { "name": "documents-parquet", "path": "documents.parquet", "format": "parquet", "mediatype": "application/vnd.apache.parquet", "title": "Documents (Parquet)" },
        ],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_have_a_cell_per_column() {
        let input = Input {
            index: 0,
            path: PathBuf::from("x.pdf"),
            name: "x.pdf".into(),
            stem: "x".into(),
            duplicate_of: None,
        };
        let d = Diagnostic::error("E0906", Location::Nowhere, Text::new("坏", "bad"));
        let done = failed(&input.name, &d, Lang::Zh, 3);
        assert_eq!(done.document_row.len(), DOCUMENT_COLUMNS.len());
        assert_eq!(done.summary.status, crate::summary::Status::Invalid);
        let names: Vec<&str> = FINDING_COLUMNS.iter().map(|c| c.name).collect();
        let mut unique = names.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), names.len());
    }
}
