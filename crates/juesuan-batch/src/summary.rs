//! What a batch found: a small summary per department (made as soon as the department is
//! done), totals per rule and per diagnostic code, the exit code, and `summary.json` written
//! as the batch goes (one department at a time, then the totals), so nothing grows with N but
//! the counters.

use juesuan_core::diag::Severity;
use juesuan_core::rules::Finding;
use juesuan_core::{Diagnostic, Lang};
use juesuan_publish::output::{Staged, WriteError};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The outcome of one department.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Every rule passed (warnings may remain).
    Ok,
    /// An error-severity rule failed.
    Errors,
    /// The input could not be read, built or written (diagnostics say why).
    Invalid,
}

/// A finding, reduced to where it is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FindingRef {
    /// Rule id.
    pub rule: String,
    /// `error`, `warning` or `info`.
    pub severity: &'static str,
    /// Table key.
    pub table: String,
    /// Row address.
    pub row: String,
    /// Column.
    pub column: String,
}

/// A diagnostic, reduced to its code, place and message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DiagnosticRef {
    /// Error code (`E0211`).
    pub code: &'static str,
    /// Where (`file:line:col`).
    pub location: String,
    /// The message, in the run's language.
    pub message: String,
}

/// At most this many findings and diagnostics are listed per department (all are counted).
pub const LISTED: usize = 50;

/// One department's summary.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DepartmentSummary {
    /// Input path relative to the batch folder.
    pub file: String,
    /// Outcome.
    pub status: Status,
    /// Department name, when the input was read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub department: Option<String>,
    /// Department code, when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// Year.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    /// Error findings.
    pub errors: usize,
    /// Warning findings.
    pub warnings: usize,
    /// Info findings.
    pub infos: usize,
    /// The findings (the first [`LISTED`]).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub findings: Vec<FindingRef>,
    /// Why the input is invalid (the first [`LISTED`]).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub diagnostics: Vec<DiagnosticRef>,
    /// Every diagnostic code, once each.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub codes: Vec<&'static str>,
    /// Files written (build).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub outputs: Vec<String>,
    /// True when the build refused to publish (errors, no --allow-errors): only the findings
    /// were written.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub refused: bool,
}

/// The key of a severity in summaries and datasets (`error`, `warning`, `info`).
pub(crate) fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "info",
    }
}

impl DepartmentSummary {
    /// A department read and checked.
    pub fn checked(file: &str, checked: &juesuan_publish::Checked) -> DepartmentSummary {
        let d = &checked.built.facts.department;
        DepartmentSummary::of_findings(
            file,
            &checked.findings,
            Some(d.name.clone()),
            d.code.clone(),
            Some(d.year),
        )
    }

    /// A published report audited (`audit --batch`): its department and year as its cover
    /// names them.
    pub fn audited(file: &str, audit: &juesuan_audit::Audit) -> DepartmentSummary {
        DepartmentSummary::of_findings(
            file,
            &audit.findings,
            audit.department.clone(),
            None,
            audit.year,
        )
    }

    /// A department (or report) read and checked, with its `findings`.
    fn of_findings(
        file: &str,
        findings: &[Finding],
        department: Option<String>,
        code: Option<String>,
        year: Option<i32>,
    ) -> DepartmentSummary {
        let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
        let errors = count(Severity::Error);
        DepartmentSummary {
            file: file.to_string(),
            status: if errors > 0 {
                Status::Errors
            } else {
                Status::Ok
            },
            department,
            code,
            year,
            errors,
            warnings: count(Severity::Warning),
            infos: count(Severity::Info),
            findings: findings.iter().take(LISTED).map(finding_ref).collect(),
            diagnostics: Vec::new(),
            codes: Vec::new(),
            outputs: Vec::new(),
            refused: false,
        }
    }

    /// A department whose input could not be read, built or written.
    pub fn invalid(file: &str, diagnostics: &[Diagnostic], lang: Lang) -> DepartmentSummary {
        let mut codes: Vec<&'static str> = diagnostics.iter().map(|d| d.code).collect();
        codes.sort_unstable();
        codes.dedup();
        DepartmentSummary {
            file: file.to_string(),
            status: Status::Invalid,
            department: None,
            code: None,
            year: None,
            errors: 0,
            warnings: 0,
            infos: 0,
            findings: Vec::new(),
            diagnostics: diagnostics
                .iter()
                .take(LISTED)
                .map(|d| DiagnosticRef {
                    code: d.code,
                    location: d.location.to_string(),
                    message: d.message.get(lang).to_string(),
                })
                .collect(),
            codes,
            outputs: Vec::new(),
            refused: false,
        }
    }

    /// The rules that reported, once each, in catalog order of first finding.
    pub fn rules(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for f in &self.findings {
            if !out.contains(&f.rule.as_str()) {
                out.push(&f.rule);
            }
        }
        out
    }

    /// One line for people, or `None` when there is nothing to say.
    pub fn line(&self, lang: Lang) -> Option<String> {
        let who = self.department.as_deref().unwrap_or("");
        match (self.status, lang) {
            (Status::Invalid, Lang::Zh) => Some(format!(
                "{}  无法处理：{}",
                self.file,
                self.diagnostics
                    .iter()
                    .map(|d| format!("{} {}（{}）", d.code, d.message, d.location))
                    .collect::<Vec<_>>()
                    .join("；")
            )),
            (Status::Invalid, Lang::En) => Some(format!(
                "{}  invalid: {}",
                self.file,
                self.diagnostics
                    .iter()
                    .map(|d| format!("{} {} ({})", d.code, d.message, d.location))
                    .collect::<Vec<_>>()
                    .join("; ")
            )),
            _ if self.errors + self.warnings == 0 => None,
            (_, Lang::Zh) => Some(format!(
                "{}  {who}：{} 个错误，{} 个警告（{}）{}",
                self.file,
                self.errors,
                self.warnings,
                self.rules().join("、"),
                if self.refused { "，未发布" } else { "" }
            )),
            (_, Lang::En) => Some(format!(
                "{}  {who}: {}, {} ({}){}",
                self.file,
                juesuan_render::findings::count_en(self.errors, "error"),
                juesuan_render::findings::count_en(self.warnings, "warning"),
                self.rules().join(", "),
                if self.refused { ", not published" } else { "" }
            )),
        }
    }
}

fn finding_ref(f: &Finding) -> FindingRef {
    let (table, row, column) = f.address();
    FindingRef {
        rule: f.rule.clone(),
        severity: severity(f.severity),
        table,
        row,
        column,
    }
}

/// Counts for one rule over the batch.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct RuleTotal {
    /// Severity.
    pub severity: &'static str,
    /// Departments with at least one finding of the rule.
    pub departments: usize,
    /// Findings.
    pub findings: usize,
}

/// What the whole batch found.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Totals {
    /// Inputs.
    pub departments: usize,
    /// Passed every error rule.
    pub ok: usize,
    /// Of those, with warnings.
    pub with_warnings: usize,
    /// With error findings.
    pub with_errors: usize,
    /// Invalid inputs.
    pub invalid: usize,
    /// Refused publication (build).
    pub refused: usize,
    /// Files written (build).
    pub files_written: usize,
    /// Per rule (counted over every finding, not only the listed ones).
    pub rules: BTreeMap<String, RuleTotal>,
    /// Per diagnostic code: invalid inputs reporting it.
    pub codes: BTreeMap<&'static str, usize>,
}

impl Totals {
    /// Adds one department (`all` = every finding, when the summary lists fewer).
    pub fn add(&mut self, d: &DepartmentSummary, all: Option<&[Finding]>) {
        self.departments += 1;
        match d.status {
            Status::Ok => {
                self.ok += 1;
                if d.warnings > 0 {
                    self.with_warnings += 1;
                }
            }
            Status::Errors => self.with_errors += 1,
            Status::Invalid => self.invalid += 1,
        }
        if d.refused {
            self.refused += 1;
        }
        self.files_written += d.outputs.len();
        let mut seen: Vec<&str> = Vec::new();
        let listed: Vec<(String, &'static str)> = match all {
            Some(fs) => fs
                .iter()
                .map(|f| (f.rule.clone(), severity(f.severity)))
                .collect(),
            None => d
                .findings
                .iter()
                .map(|f| (f.rule.clone(), f.severity))
                .collect(),
        };
        for (rule, sev) in &listed {
            let t = self.rules.entry(rule.clone()).or_default();
            t.severity = sev;
            t.findings += 1;
            if !seen.contains(&rule.as_str()) {
                seen.push(rule);
                t.departments += 1;
            }
        }
        for c in &d.codes {
            *self.codes.entry(c).or_default() += 1;
        }
    }

    /// The exit code: 2 if any input was invalid, else 1 if any department has errors, else 0.
    pub fn exit_code(&self) -> u8 {
        if self.invalid > 0 {
            2
        } else if self.with_errors > 0 {
            1
        } else {
            0
        }
    }

    /// The totals for people: one line of counts, then one line per rule (its title from
    /// `title`) and per code.
    pub fn text(&self, lang: Lang, title: &dyn Fn(&str) -> Option<juesuan_core::Text>) -> String {
        let mut out = String::new();
        match lang {
            Lang::Zh => out.push_str(&format!(
                "共 {} 个部门：{} 个通过（其中 {} 个有警告），{} 个有错误，{} 个无法处理{}\n",
                self.departments,
                self.ok,
                self.with_warnings,
                self.with_errors,
                self.invalid,
                if self.files_written > 0 || self.refused > 0 {
                    format!(
                        "；写出 {} 个文件，{} 个部门未发布",
                        self.files_written, self.refused
                    )
                } else {
                    String::new()
                }
            )),
            Lang::En => out.push_str(&format!(
                "{} departments: {} passed ({} with warnings), {} with errors, {} invalid{}\n",
                self.departments,
                self.ok,
                self.with_warnings,
                self.with_errors,
                self.invalid,
                if self.files_written > 0 || self.refused > 0 {
                    format!(
                        "; {} files written, {} not published",
                        self.files_written, self.refused
                    )
                } else {
                    String::new()
                }
            )),
        }
        for (id, t) in &self.rules {
            let title = title(id)
                .map(|t| t.get(lang).to_string())
                .unwrap_or_default();
            out.push_str(&match lang {
                Lang::Zh => format!(
                    "  {id}  {}  {} 个部门，{} 处  {title}\n",
                    sev_zh(t.severity),
                    t.departments,
                    t.findings
                ),
                Lang::En => format!(
                    "  {id}  {}  {} departments, {} findings  {title}\n",
                    t.severity, t.departments, t.findings
                ),
            });
        }
        for (code, n) in &self.codes {
            out.push_str(&match lang {
                Lang::Zh => format!("  {code}  {n} 个文件\n"),
                Lang::En => format!("  {code}  {n} files\n"),
            });
        }
        out
    }
}

fn sev_zh(s: &str) -> &'static str {
    match s {
        "error" => "错误",
        "warning" => "警告",
        _ => "提示",
    }
}

/// The batch summary as JSON (`juesuan.batch/1`), in pieces so it can go out as the batch goes:
/// [`json_head`], then [`json_department`] for each department, then [`json_tail`]. The same
/// text whether it goes to `summary.json` or to standard output.
pub fn json_head(command: &str, input: &str) -> String {
    format!(
        "{{\"format\":\"juesuan.batch/1\",\"command\":{},\"input\":{},\"departments\":[",
        serde_json::to_string(command).expect("str"),
        serde_json::to_string(input).expect("str")
    )
}

/// One department of the summary's list (`first` of the list, or after a comma).
pub fn json_department(first: bool, d: &DepartmentSummary) -> String {
    format!(
        "{}\n{}",
        if first { "" } else { "," },
        serde_json::to_string(d).expect("json")
    )
}

/// The end of the summary: the totals.
pub fn json_tail(totals: &Totals) -> String {
    format!(
        "\n],\"totals\":{}}}\n",
        serde_json::to_string(totals).expect("json")
    )
}

/// `summary.json`, written as the batch goes: the departments one by one, then the totals;
/// streamed through the atomic writer, in place only once finished.
pub struct SummaryWriter {
    out: Staged,
    first: bool,
}

impl SummaryWriter {
    /// Starts `path` for a batch of `command` over `input`; never over a file of `protect`.
    pub fn create(
        path: &Path,
        command: &str,
        input: &str,
        protect: &[PathBuf],
    ) -> Result<SummaryWriter, WriteError> {
        let mut out = Staged::create(path, protect)?;
        out.write_all(json_head(command, input).as_bytes())
            .map_err(|e| WriteError::new(path, e))?;
        Ok(SummaryWriter { out, first: true })
    }

    /// The file it writes.
    pub fn path(&self) -> &Path {
        self.out.path()
    }

    /// Appends one department.
    pub fn department(&mut self, d: &DepartmentSummary) -> Result<(), WriteError> {
        let text = json_department(self.first, d);
        self.first = false;
        self.out
            .write_all(text.as_bytes())
            .map_err(|e| WriteError::new(self.out.path(), e))
    }

    /// Writes the totals and puts the file in place.
    pub fn finish(mut self, totals: &Totals) -> Result<PathBuf, WriteError> {
        self.out
            .write_all(json_tail(totals).as_bytes())
            .map_err(|e| WriteError::new(self.out.path(), e))?;
        self.out.finish()
    }
}
