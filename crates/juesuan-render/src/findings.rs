//! Findings of the rule catalog for people (grouped, coloured text) and programs (JSON), and
//! the rule reference page.

use anstyle::{AnsiColor, Style};
use juesuan_core::diag::{Location, Severity};
use juesuan_core::rules::claims::{Mention, Status as MentionStatus, Tally, Unchecked, tally};
use juesuan_core::rules::coverage::{Reason, Status};
use juesuan_core::rules::reconcile::ReconcileRule;
use juesuan_core::rules::wording::PrintedCell;
use juesuan_core::rules::{Coverage, Finding, Rule, RuleCoverage, RuleSet, Scope};
use juesuan_core::{Lang, Text};
use serde::{Deserialize, Serialize, Serializer};
use std::fmt::Write;

/// Counts of findings by severity, and of the rules that ran.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Summary {
    /// Error findings.
    pub errors: usize,
    /// Warning findings.
    pub warnings: usize,
    /// Info findings.
    pub infos: usize,
    /// Rules run (wholly or in part).
    pub rules: usize,
    /// Rules that did not apply (written only when some did not).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub not_applicable: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl Summary {
    /// Counts `findings` of a check whose rules ran as `coverage` says.
    pub fn of(findings: &[Finding], coverage: &Coverage) -> Summary {
        let count = |s| findings.iter().filter(|f| f.severity == s).count();
        Summary {
            errors: count(Severity::Error),
            warnings: count(Severity::Warning),
            infos: count(Severity::Info),
            rules: coverage.run(),
            not_applicable: coverage.not_applicable(),
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
    #[serde(serialize_with = "findings_json")]
    pub findings: &'a [Finding],
    /// The rules that did not run wholly, with why (written only when there are some).
    #[serde(serialize_with = "coverage_json", skip_serializing_if = "complete")]
    pub coverage: &'a Coverage,
    /// A published report's narrative: every number, checked or why not (audits only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub narrative: Option<NarrativeJson<'a>>,
}

/// The numbers of a published report's narrative as the JSON writes them: the counts, and
/// each number with what became of it.
#[derive(Clone, Debug, Serialize)]
pub struct NarrativeJson<'a> {
    /// The counts.
    #[serde(flatten)]
    pub tally: Tally,
    /// Each number.
    pub each: &'a [Mention],
}

impl<'a> NarrativeJson<'a> {
    /// The counts and list of `mentions`.
    pub fn of(mentions: &'a [Mention]) -> NarrativeJson<'a> {
        NarrativeJson {
            tally: tally(mentions),
            each: mentions,
        }
    }
}

/// The narrative's coverage in one line: `情况说明共 N 个数字：已核对 M 个，无法核对 K 个（…）`,
/// the reasons counted.
pub fn narrative_line(mentions: &[Mention], lang: Lang) -> String {
    let t = tally(mentions);
    let mut reasons: Vec<(Unchecked, usize)> = Vec::new();
    for m in mentions {
        if let MentionStatus::NotCheckable { reason } = m.status
            && reason != Unchecked::Bounded
        {
            match reasons.iter_mut().find(|(r, _)| *r == reason) {
                Some((_, n)) => *n += 1,
                None => reasons.push((reason, 1)),
            }
        }
    }
    reasons.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
    let why: Vec<String> = reasons
        .iter()
        .map(|(r, n)| match lang {
            Lang::Zh => format!("{} {n} 个", r.text().zh),
            Lang::En => format!("{n} {}", r.text().en),
        })
        .collect();
    let (all, checked, bounded, unchecked) = (t.numbers, t.checked, t.bounded, t.not_checkable);
    match lang {
        Lang::Zh => {
            let mut line = format!(
                "情况说明共 {all} 个数字：已核对 {checked} 个，只能核对大小或范围 {bounded} 个，无法核对 {unchecked} 个"
            );
            if !why.is_empty() {
                let _ = write!(line, "（{}）", why.join("；"));
            }
            line
        }
        Lang::En => {
            let mut line = format!(
                "The narrative states {all} numbers: {checked} checked, {bounded} only bounded, {unchecked} not checkable"
            );
            if !why.is_empty() {
                let _ = write!(line, " ({})", why.join("; "));
            }
            line
        }
    }
}

fn complete(c: &&Coverage) -> bool {
    c.incomplete().is_empty()
}

fn coverage_json<S: Serializer>(c: &&Coverage, s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(c.incomplete())
}

/// One finding as the JSON writes it (`juesuan.findings/1`): its words made from the typed
/// finding, in the fields and order consumers read.
#[derive(Serialize)]
struct FindingJson<'a> {
    rule: &'a str,
    severity: Severity,
    scope: Scope,
    location: Location,
    table_name: Text,
    row_name: Text,
    message: &'a Text,
    formula: Text,
    found: String,
    expected: String,
    difference: String,
    hint: &'a Text,
    cells: Vec<PrintedCell>,
    /// `rounding` for a 舍入差异 (figures one unit of their last digit apart).
    #[serde(skip_serializing_if = "Option::is_none")]
    class: Option<&'static str>,
    /// Where the figure is printed in a published document: its page, else the line read.
    #[serde(skip_serializing_if = "Option::is_none")]
    printed_at: Option<Text>,
    /// `ocr` when the finding needs manual review (需人工复核): read from a scan by OCR.
    #[serde(skip_serializing_if = "Option::is_none")]
    review: Option<&'static str>,
}

impl<'a> FindingJson<'a> {
    fn of(f: &'a Finding) -> FindingJson<'a> {
        FindingJson {
            rule: &f.rule,
            severity: f.severity,
            scope: f.scope,
            location: f.location(),
            table_name: f.table_name(),
            row_name: f.row_name(),
            message: &f.message,
            formula: f.formula(),
            found: f.found(),
            expected: f.expected(),
            difference: f.difference(),
            hint: &f.hint,
            cells: f.printed_cells(),
            class: f.rounding().then_some("rounding"),
            printed_at: f.printed_at(),
            review: f.review.map(|r| r.key()),
        }
    }
}

fn findings_json<S: Serializer>(findings: &&[Finding], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(findings.iter().map(FindingJson::of))
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

/// The findings in the order people read them: grouped by table (tables in the order first
/// met), contradictions first and rounding differences after the other warnings; each group's
/// table and the indices of its findings. The text, the audit's HTML page and the web app
/// list findings so.
pub fn ordered(findings: &[Finding]) -> Vec<(Text, Vec<usize>)> {
    let mut groups: Vec<(Text, Vec<usize>)> = Vec::new();
    for (i, f) in findings.iter().enumerate() {
        let name = f.table_name();
        match groups.iter_mut().find(|(t, _)| *t == name) {
            Some((_, v)) => v.push(i),
            None => groups.push((name, vec![i])),
        }
    }
    for (_, v) in &mut groups {
        v.sort_by_key(|&i| (findings[i].severity, findings[i].rounding()));
    }
    groups
}

/// A group's heading: its table's name, or `（全表）` for findings about no table.
pub fn group_name(table: &Text, lang: Lang) -> &str {
    if table.is_empty() {
        match lang {
            Lang::Zh => "（全表）",
            Lang::En => "(all tables)",
        }
    } else {
        table.get(lang)
    }
}

/// How a finding's row is named, with the page of a printed figure (a finding about a line
/// already names it): `第39行（第 6 页）`.
pub fn row_words(f: &Finding, lang: Lang) -> String {
    let mut row = f.row_name().get(lang).to_string();
    if !f.named_by_line()
        && let Some(at) = f.printed_at()
    {
        row.push_str(&match lang {
            Lang::Zh => format!("（{}）", at.zh),
            Lang::En => format!(" ({})", at.en),
        });
    }
    row
}

/// `舍入差异：` before the title of a rounding difference, else nothing.
pub fn class_words(f: &Finding, lang: Lang) -> &'static str {
    match (f.rounding(), lang) {
        (false, _) => "",
        (true, Lang::Zh) => "舍入差异：",
        (true, Lang::En) => "rounding difference: ",
    }
}

/// `（需人工复核）` after a finding read from recognised text, else nothing.
pub fn review_words(f: &Finding, lang: Lang) -> String {
    match f.review.map(|r| r.words()) {
        Some(w) => match lang {
            Lang::Zh => format!("（{}）", w.zh),
            Lang::En => format!(" ({})", w.en),
        },
        None => String::new(),
    }
}

/// The word before a finding's hint.
pub fn hint_words(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "提示：",
        Lang::En => "hint: ",
    }
}

/// Findings as text for people, grouped by table, with ANSI colours (the caller strips them
/// when not writing to a terminal); then the summary and, when some rules did not run wholly,
/// one line saying which and why.
pub fn text(findings: &[Finding], summary: Summary, coverage: &Coverage, lang: Lang) -> String {
    let mut out = String::new();
    let bold = Style::new().bold();
    let dim = Style::new().dimmed();
    for (table, in_table) in ordered(findings) {
        let name = group_name(&table, lang);
        let _ = writeln!(out, "{bold}{name}{bold:#}");
        for f in in_table.into_iter().map(|i| &findings[i]) {
            let sev = severity_style(f.severity);
            let label = match lang {
                Lang::Zh => f.severity.zh(),
                Lang::En => f.severity.en(),
            };
            // A finding about the whole table or part has no row to name.
            let mut row = row_words(f, lang);
            if !row.is_empty() {
                row.insert(0, ' ');
            }
            let review = review_words(f, lang);
            let _ = writeln!(
                out,
                "  {sev}{label} {}{sev:#}{row}: {}{}{review}",
                f.rule,
                class_words(f, lang),
                f.message.get(lang)
            );
            let _ = writeln!(out, "      {}", f.formula().get(lang));
            let _ = writeln!(
                out,
                "      {dim}{}{}{dim:#}",
                hint_words(lang),
                f.hint.get(lang)
            );
        }
    }
    out.push_str(&summary_line(&summary, lang));
    out.push('\n');
    if let Some(line) = coverage_line(&coverage.incomplete(), lang) {
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// The summary of a check: rules run (and not applicable, when some were not), findings by
/// severity.
pub fn summary_line(summary: &Summary, lang: Lang) -> String {
    let s = summary;
    match (lang, s.not_applicable) {
        (Lang::Zh, 0) => format!(
            "运行规则 {} 条：{} 个错误，{} 个警告，{} 个提示。",
            s.rules, s.errors, s.warnings, s.infos
        ),
        (Lang::Zh, na) => format!(
            "运行规则 {} 条（{na} 条不适用）：{} 个错误，{} 个警告，{} 个提示。",
            s.rules, s.errors, s.warnings, s.infos
        ),
        (Lang::En, na) => {
            let na = if na == 0 {
                String::new()
            } else {
                format!(" ({na} not applicable)")
            };
            format!(
                "{} rules run{na}: {}, {}, {}.",
                s.rules,
                count_en(s.errors, "error"),
                count_en(s.warnings, "warning"),
                count_en(s.infos, "note")
            )
        }
    }
}

/// `1 error`, `2 errors`.
pub fn count_en(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// One line naming the rules that did not run wholly, grouped by why (`None` when every rule
/// ran): `不适用：T901、T902（缺少表 sangong）；P101、P102（无绩效自评表）`.
pub fn coverage_line(incomplete: &[&RuleCoverage], lang: Lang) -> Option<String> {
    if incomplete.is_empty() {
        return None;
    }
    // Groups of rules with the same status and reason, in the order they first appear.
    let mut groups: Vec<(&RuleCoverage, Vec<&str>)> = Vec::new();
    for r in incomplete {
        let same = |g: &&RuleCoverage| {
            g.status == r.status && g.reason == r.reason && g.missing_tables == r.missing_tables
        };
        match groups.iter_mut().find(|(g, _)| same(g)) {
            Some((_, ids)) => ids.push(&r.rule),
            None => groups.push((r, vec![&r.rule])),
        }
    }
    let (head, sep, ids_sep) = match lang {
        Lang::Zh => ("不适用：", "；", "、"),
        Lang::En => ("Not applicable: ", "; ", ", "),
    };
    let parts: Vec<String> = groups
        .iter()
        .map(|(r, ids)| {
            let tables = if r.missing_names.is_empty() {
                r.missing_tables.join(ids_sep)
            } else {
                let names: Vec<&str> = r.missing_names.iter().map(|t| t.get(lang)).collect();
                names.join(ids_sep)
            };
            let why = match (lang, r.reason) {
                (Lang::Zh, Some(Reason::MissingTables)) => format!("缺少表 {tables}"),
                (Lang::En, Some(Reason::MissingTables)) => format!("no table {tables}"),
                (Lang::Zh, Some(Reason::NoForms)) => "无绩效自评表".into(),
                (Lang::En, Some(Reason::NoForms)) => "no performance self-evaluation forms".into(),
                (Lang::Zh, Some(Reason::NoClaims)) => "情况说明中未读到可核对的内容".into(),
                (Lang::En, Some(Reason::NoClaims)) => {
                    "nothing of the kind read in the narrative".into()
                }
                (Lang::Zh, Some(Reason::NoCatalog)) => "未载入分类目录".into(),
                (Lang::En, Some(Reason::NoCatalog)) => "no classification catalog".into(),
                (Lang::Zh, Some(Reason::RowsNotPrinted)) => "表式未列示所引的行".into(),
                (Lang::En, Some(Reason::RowsNotPrinted)) => {
                    "the layout does not print the rows addressed".into()
                }
                (Lang::Zh, None) => String::new(),
                (Lang::En, None) => String::new(),
            };
            let why = match (lang, r.status) {
                (Lang::Zh, Status::Partly) => format!("部分公式不适用，{why}"),
                (Lang::En, Status::Partly) => format!("partly, {why}"),
                _ => why,
            };
            match lang {
                Lang::Zh => format!("{}（{why}）", ids.join(ids_sep)),
                Lang::En => format!("{} ({why})", ids.join(ids_sep)),
            }
        })
        .collect();
    Some(format!("{head}{}", parts.join(sep)))
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
        // The family is the letter before the number (`T101`; `BT101` of a kind whose ids
        // lead with its own letter).
        let family =
            d.id.chars()
                .take_while(|c| !c.is_ascii_digit())
                .last()
                .unwrap_or(' ');
        if family != last_family {
            let (zh, en) = match family {
                'T' => ("表内", "Within a table"),
                'X' => ("表间", "Between tables"),
                'N' => ("表与说明", "Tables and narrative"),
                'C' => ("代码", "Codes and names"),
                'P' => ("绩效", "Performance self-evaluations"),
                'U' => ("读取", "Reading published reports"),
                'D' => ("完整性", "Completeness of published reports"),
                'W' => ("文字", "Wording of published reports"),
                _ => ("其他", "Other"),
            };
            let _ = write!(out, "\n## {family} — {zh} / {en}\n");
            last_family = family;
        }
        entry(&mut out, d, "");
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

/// One rule of a reference page: its heading, severity and scope (and `extra`, e.g. what a
/// relation cites), why and how to fix it, and its formulas.
fn entry(out: &mut String, d: &juesuan_core::rules::RuleDef, extra: &str) {
    let _ = write!(
        out,
        "\n### {} — {}\n\n{}  \n*{} · {} · {} / {}{extra}*\n\n{}  \n{}\n\n**处理 / Fix:** {}  \n{}\n",
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
}

/// The reference of a kind's relations with the documents its reports cite (R rules,
/// `reconcile.toml`), in the form of [`reference`]; `file` is where they are written.
pub fn reconcile_reference(rules: &[ReconcileRule], file: &str) -> String {
    let mut out = String::new();
    if rules.is_empty() {
        return out;
    }
    let _ = write!(
        out,
        "\n## R — 跨文件 / Between documents\n\nRelations between a report and the documents it cites, run by `juesuan audit` when it is given several documents of one department (or a folder of them): `last:summary[L60]` is a table of the cited document named `last`; `said(aspect)` is every number the report's narrative states of that aspect of a figure `{{c}}` (docs/audit.md). Written in `{file}`.\n"
    );
    for r in rules {
        let d = &r.def;
        let cites = format!(
            " · 引用 / cites: {}（{}, {:+}）",
            r.cited.name.zh, r.cited.kind, r.cited.year
        );
        entry(&mut out, d, &cites);
        let _ = writeln!(
            out,
            "\nTests / 测试: {} passing, {} failing case(s) in `{file}`; end to end in `crates/juesuan-cli/tests/xdoc.rs`.",
            r.pass.len(),
            r.fail.len()
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use juesuan_core::rules::coverage::Status;

    fn entry(rule: &str, status: Status, reason: Option<Reason>, tables: &[&str]) -> RuleCoverage {
        RuleCoverage {
            rule: rule.into(),
            status,
            reason,
            missing_tables: tables.iter().map(|t| t.to_string()).collect(),
            missing_names: Vec::new(),
        }
    }

    #[test]
    fn the_summary_says_which_rules_did_not_apply_and_why() {
        let all = Coverage::all_run(["T101".to_string(), "T102".to_string()]);
        let summary = Summary::of(&[], &all);
        // Nothing not applicable: the line as it always was, and no second line.
        assert_eq!(
            text(&[], summary, &all, Lang::Zh),
            "运行规则 2 条：0 个错误，0 个警告，0 个提示。\n"
        );
        let coverage = Coverage {
            rules: vec![
                entry("T101", Status::Evaluated, None, &[]),
                entry(
                    "T901",
                    Status::NotApplicable,
                    Some(Reason::MissingTables),
                    &["sangong"],
                ),
                entry(
                    "X109",
                    Status::Partly,
                    Some(Reason::MissingTables),
                    &["state_capital"],
                ),
                entry(
                    "T902",
                    Status::NotApplicable,
                    Some(Reason::MissingTables),
                    &["sangong"],
                ),
                entry("P101", Status::NotApplicable, Some(Reason::NoForms), &[]),
            ],
        };
        let summary = Summary::of(&[], &coverage);
        assert_eq!((summary.rules, summary.not_applicable), (2, 3));
        assert_eq!(
            text(&[], summary, &coverage, Lang::Zh),
            "运行规则 2 条（3 条不适用）：0 个错误，0 个警告，0 个提示。\n\
             不适用：T901、T902（缺少表 sangong）；X109（部分公式不适用，缺少表 state_capital）；P101（无绩效自评表）\n"
        );
        assert_eq!(
            text(&[], summary, &coverage, Lang::En),
            "2 rules run (3 not applicable): 0 errors, 0 warnings, 0 notes.\n\
             Not applicable: T901, T902 (no table sangong); X109 (partly, no table state_capital); P101 (no performance self-evaluation forms)\n"
        );
        // The JSON: the counts, and the rules that did not run wholly.
        let json: serde_json::Value = serde_json::from_slice(&super::json(&Report {
            format: "juesuan.findings/1",
            input: "x",
            department: "d",
            year: 2024,
            summary,
            findings: &[],
            coverage: &coverage,
            narrative: None,
        }))
        .unwrap();
        assert_eq!(json["summary"]["not_applicable"], 3);
        assert_eq!(
            json["coverage"][0],
            serde_json::json!({"rule": "T901", "status": "not_applicable", "reason": "missing_tables", "missing_tables": ["sangong"]})
        );
        assert_eq!(
            json["coverage"][3],
            serde_json::json!({"rule": "P101", "status": "not_applicable", "reason": "no_forms"})
        );
        let back: Vec<RuleCoverage> = serde_json::from_value(json["coverage"].clone()).unwrap();
        assert_eq!(
            back,
            coverage
                .incomplete()
                .into_iter()
                .cloned()
                .collect::<Vec<_>>()
        );
    }
}
