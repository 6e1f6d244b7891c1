//! Findings of the rule catalog for people (grouped, coloured text) and programs (JSON), and
//! the rule reference page.

use anstyle::{AnsiColor, Style};
use juesuan_core::diag::Severity;
use juesuan_core::rules::{Finding, Rule, RuleSet};
use juesuan_core::{Lang, Text};
use serde::Serialize;
use std::fmt::Write;

/// Counts of findings by severity.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Error findings.
    pub errors: usize,
    /// Warning findings.
    pub warnings: usize,
    /// Info findings.
    pub infos: usize,
    /// Rules run.
    pub rules: usize,
}

impl Summary {
    /// Counts `findings` of `rules` rules.
    pub fn of(findings: &[Finding], rules: usize) -> Summary {
        let count = |s| findings.iter().filter(|f| f.severity == s).count();
        Summary {
            errors: count(Severity::Error),
            warnings: count(Severity::Warning),
            infos: count(Severity::Info),
            rules,
        }
    }
}

/// The JSON document of `juesuan check --format json` and `<stem>.findings.json`.
#[derive(Clone, Debug, Serialize)]
pub struct Report<'a> {
    /// Format version of this document.
    pub format: &'static str,
    /// The input file.
    pub input: &'a str,
    /// Department name.
    pub department: &'a str,
    /// Fiscal year.
    pub year: i32,
    /// Counts.
    pub summary: Summary,
    /// Every finding, in catalog order.
    pub findings: &'a [Finding],
}

/// Findings as JSON (the schema is documented in docs/rules.md).
pub fn json(report: &Report<'_>) -> Vec<u8> {
    let mut out = serde_json::to_vec_pretty(report).expect("findings serialize");
    out.push(b'\n');
    out
}

fn severity_style(s: Severity) -> Style {
    match s {
        Severity::Error => AnsiColor::Red.on_default().bold(),
        Severity::Warning => AnsiColor::Yellow.on_default().bold(),
        Severity::Info => AnsiColor::Cyan.on_default(),
    }
}

/// Findings as text for people, grouped by table, with ANSI colours (the caller strips them
/// when not writing to a terminal).
pub fn text(findings: &[Finding], summary: Summary, lang: Lang) -> String {
    let mut out = String::new();
    let bold = Style::new().bold();
    let dim = Style::new().dimmed();
    let mut tables: Vec<&Text> = Vec::new();
    for f in findings {
        if !tables.contains(&&f.table_name) {
            tables.push(&f.table_name);
        }
    }
    for table in tables {
        let name = if table.is_empty() {
            match lang {
                Lang::Zh => "（全表）",
                Lang::En => "(all tables)",
            }
        } else {
            table.get(lang)
        };
        let _ = writeln!(out, "{bold}{name}{bold:#}");
        for f in findings.iter().filter(|f| f.table_name == *table) {
            let sev = severity_style(f.severity);
            let label = match lang {
                Lang::Zh => f.severity.zh(),
                Lang::En => f.severity.en(),
            };
            let row = f.row_name.get(lang);
            let _ = writeln!(
                out,
                "  {sev}{label} {}{sev:#} {row}: {}",
                f.rule,
                f.message.get(lang)
            );
            let _ = writeln!(out, "      {}", f.formula.get(lang));
            let hint = match lang {
                Lang::Zh => "提示：",
                Lang::En => "hint: ",
            };
            let _ = writeln!(out, "      {dim}{hint}{}{dim:#}", f.hint.get(lang));
        }
    }
    let _ = match lang {
        Lang::Zh => writeln!(
            out,
            "运行规则 {} 条：{} 个错误，{} 个警告，{} 个提示。",
            summary.rules, summary.errors, summary.warnings, summary.infos
        ),
        Lang::En => writeln!(
            out,
            "{} rules run: {} error(s), {} warning(s), {} info.",
            summary.rules, summary.errors, summary.warnings, summary.infos
        ),
    };
    out
}

fn scope_name(rule: &Rule, lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => rule.def.scope.zh(),
        Lang::En => rule.def.scope.en(),
    }
}

/// One rule's documentation, as `juesuan rules ID` prints it.
pub fn rule_doc(rule: &Rule, lang: Lang) -> String {
    let d = &rule.def;
    let sev = match lang {
        Lang::Zh => d.severity.zh(),
        Lang::En => d.severity.en(),
    };
    let (why, hint, formula, check) = match lang {
        Lang::Zh => ("说明", "处理", "公式", "内置检查"),
        Lang::En => ("Why", "Fix", "Formula", "Builtin check"),
    };
    let mut out = format!(
        "{} [{sev}, {}] {}\n\n{why}: {}\n{hint}: {}\n",
        d.id,
        scope_name(rule, lang),
        d.title.get(lang),
        d.why.get(lang),
        d.hint.get(lang)
    );
    for f in &d.formula.0 {
        let _ = writeln!(out, "{formula}: {f}");
    }
    if let Some(b) = &d.builtin {
        let _ = writeln!(out, "{check}: {b}");
    }
    out
}

/// The rule reference page (docs/rules.md), generated from the catalog: `intro` first, then
/// every rule; `file` is where the rules and their test cases are written.
pub fn reference(rules: &RuleSet, intro: &str, file: &str) -> String {
    let mut out = String::from(intro);
    let mut last_family = ' ';
    for rule in &rules.rules {
        let d = &rule.def;
        let family = d.id.chars().next().unwrap_or(' ');
        if family != last_family {
            let (zh, en) = match family {
                'T' => ("表内", "Within a table"),
                'X' => ("表间", "Between tables"),
                'N' => ("表与说明", "Tables and narrative"),
                'C' => ("代码", "Codes and names"),
                'P' => ("绩效", "Performance self-evaluations"),
                'U' => ("读取", "Reading published reports"),
                _ => ("其他", "Other"),
            };
            let _ = write!(out, "\n## {family} — {zh} / {en}\n");
            last_family = family;
        }
        let _ = write!(
            out,
            "\n### {} — {}\n\n{}  \n*{} · {} · {} / {}*\n\n{}  \n{}\n\n**处理 / Fix:** {}  \n{}\n",
            d.id,
            d.title.zh,
            d.title.en,
            d.severity.en(),
            d.severity.zh(),
            d.scope.zh(),
            d.scope.en(),
            d.why.zh,
            d.why.en,
            d.hint.zh,
            d.hint.en
        );
        if !d.formula.0.is_empty() {
            out.push_str("\n```text\n");
            for f in &d.formula.0 {
                out.push_str(f);
                out.push('\n');
            }
            out.push_str("```\n");
        }
        if let Some(b) = &d.builtin {
            let _ = writeln!(out, "\nBuiltin check / 内置检查: `{b}`");
        }
        let _ = writeln!(
            out,
            "\nTests / 测试: {} passing, {} failing case(s) in `{file}`.",
            d.pass.len(),
            d.fail.len()
        );
    }
    out
}
