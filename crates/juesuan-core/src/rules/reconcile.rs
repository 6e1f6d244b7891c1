//! Relations between documents of one department (R rules): a year's report and the year
//! before's, a budget and the final accounts that cite it.
//!
//! A bundle's `reconcile.toml` names the documents a report of its kind cites (`[documents]`:
//! a name, the cited kind, its year relative to the report's) and the relations that must hold
//! between them, each a rule with an id, a severity, texts and test cases. A relation is one
//! of two forms, both data:
//!
//! - a formula of the rule language over both documents' tables, the cited one's qualified
//!   by its name: `summary[L29] = last:summary[L60]` (this year's 年初结转和结余 is last year's
//!   年末结转和结余); the two documents' tables are one [`Sheet`] ([`joined`]), so the formula
//!   is evaluated, rounding-aware, by the engine every rule uses;
//! - what the report's narrative states of an aspect, against figures of either document:
//!   `said(prior) = @last:{c}` (a last-year amount the narrative states of a figure `{c}` is
//!   last year's `{c}`), `said(growth) = (@{c} - @last:{c}) / @last:{c}`. `said(aspect)` is
//!   every number the narrative states of that aspect (the lexicon's aspects), `{c}` the figure
//!   it is stated of; the audit makes each a narrative claim over the joined sheet.
//!
//! Pure: the files are parsed here, the documents are read by the audit.

use super::formula::{self, Formula};
use super::sheet::Sheet;
use super::{Formulas, RuleCase, RuleDef, Scope};
use crate::diag::{Diagnostic, Location, Severity};
use crate::kind::TableId;
use crate::text::Text;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A bundle's `reconcile.toml`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReconcileFile {
    /// The documents a report of this kind cites, by the name relations give them.
    #[serde(default)]
    pub documents: BTreeMap<String, Cited>,
    /// The relations, as rules.
    #[serde(default)]
    pub rules: Vec<ReconcileDef>,
}

/// A document a report cites: its kind and year.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Cited {
    /// Its document kind (`final-accounts`, `budget`).
    pub kind: String,
    /// Its year, relative to the citing report's (`-1`: the year before).
    pub year: i32,
    /// What findings call it (`上年度部门决算`).
    pub name: Text,
}

/// A relation between a report and a document it cites, as written.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReconcileDef {
    /// Stable id, never reused (`R101`).
    pub id: String,
    /// error / warning / info (a difference a stated 调整 explains is a warning).
    pub severity: Severity,
    /// One line.
    pub title: Text,
    /// What it checks and why it matters.
    pub why: Text,
    /// How to fix a failure.
    pub hint: Text,
    /// The cited document it reads (a name of `[documents]`).
    pub with: String,
    /// The relations (see the module's documentation); every one must hold.
    pub formula: Formulas,
    /// Cases that must pass.
    #[serde(default)]
    pub pass: Vec<ReconcileCase>,
    /// Cases that must fail.
    #[serde(default)]
    pub fail: Vec<ReconcileCase>,
}

/// A test case of a relation: two bundled examples joined (the cited one may be the same
/// example), then changed as a rule case changes one (`"last:summary[L60]" = "5.00"`); for a
/// `said(…)` relation, the numbers the report's narrative states (`said`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ReconcileCase {
    /// The report's example.
    pub this: String,
    /// The cited document's example.
    pub cited: String,
    /// Check the printed tables (rounded figures) instead of the exact ones.
    #[serde(default)]
    pub printed: bool,
    /// Cells of the joined sheet to overwrite with printed figures.
    #[serde(default)]
    pub set: BTreeMap<String, String>,
    /// Numbers the report's narrative states, of the rule's aspect.
    #[serde(default)]
    pub said: Vec<SaidCase>,
}

/// A number a rule case's narrative states: `{ of = "income", number = "35549.61", unit =
/// "万元" }`, `{ of = "income", number = "5.2", unit = "%", direction = "down" }`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SaidCase {
    /// The figure (concept) it is stated of.
    pub of: String,
    /// The number as printed.
    pub number: String,
    /// `万元`, `元` or `%`.
    pub unit: String,
    /// `up` or `down`, for a change or a growth rate.
    #[serde(default)]
    pub direction: Option<String>,
}

impl ReconcileCase {
    /// The joined sheet of the case, `cited` under `name:`, changed as the case says.
    pub fn apply(&self, this: &Sheet, cited: &Sheet, name: &str) -> Result<Sheet, String> {
        let (this, cited) = if self.printed {
            (this.as_printed(), cited.as_printed())
        } else {
            (this.clone(), cited.clone())
        };
        let joined = joined(&this, None, &cited, name, None);
        RuleCase {
            base: self.this.clone(),
            set: self.set.clone(),
            ..RuleCase::default()
        }
        .apply(&joined)
    }
}

/// One relation of a rule, parsed.
#[derive(Clone, Debug)]
pub enum Relation {
    /// A formula over both documents' tables.
    Cells(Formula),
    /// What the narrative states of `aspect`, against the figure formula `value` (`{c}` the
    /// figure each statement is of; `@NAME:key` a figure of the cited document).
    Said {
        /// The aspect (`prior`, `change`, `growth`, `budget` …).
        aspect: String,
        /// The figure formula, `{c}` not yet filled in.
        value: String,
    },
}

/// A relation rule ready to run.
#[derive(Clone, Debug)]
pub struct ReconcileRule {
    /// As a rule: id, severity, scope 跨文件, texts.
    pub def: RuleDef,
    /// The name of the cited document.
    pub with: String,
    /// What it is.
    pub cited: Cited,
    /// Its relations, each with its text as written.
    pub relations: Vec<(String, Relation)>,
    /// Cases that must pass.
    pub pass: Vec<ReconcileCase>,
    /// Cases that must fail.
    pub fail: Vec<ReconcileCase>,
}

/// The relations of one kind's reports with the documents they cite.
#[derive(Clone, Debug, Default)]
pub struct Reconciliation {
    /// The rules, in file order (a later file's rule replaces an earlier one of the same id).
    pub rules: Vec<ReconcileRule>,
}

fn problem(file: &str, zh: String, en: String) -> Diagnostic {
    Diagnostic::error(
        "E1304",
        Location::File {
            file: file.to_string(),
        },
        Text::new("跨文件核对文件无效", "invalid reconciliation file"),
    )
    .found_text(Text::new(zh, en))
}

/// Parses one relation: `said(aspect) = value`, else a formula of the rule language. `with` is
/// the only document name it may qualify tables and figures with.
pub fn parse_relation(src: &str, with: &str) -> Result<Relation, String> {
    let qualified = |name: &str| match name.split_once(':') {
        Some((q, _)) if q != with => Err(format!("{name}: 未声明的文件 {q}（可用 {with}）")),
        _ => Ok(()),
    };
    if let Some(rest) = src.trim().strip_prefix("said(") {
        let (aspect, rest) = rest.split_once(')').ok_or("said( 缺少 )".to_string())?;
        let value = rest
            .trim()
            .strip_prefix('=')
            .ok_or("said(…) 之后应为 =".to_string())?
            .trim()
            .to_string();
        let probe = value.replace("{c}", "c");
        let f = formula::parse_figure(&probe)
            .map_err(|e| format!("{value}: 第 {} 字节处应为 {}", e.at, e.expected))?;
        let mut names = Vec::new();
        for e in std::iter::once(&f.num).chain(f.den.as_ref()) {
            figure_keys(e, &mut names);
        }
        if !names.iter().any(|n| n.starts_with(&format!("{with}:"))) {
            return Err(format!("{value}: 没有读取 {with} 的数字"));
        }
        for n in &names {
            qualified(n)?;
        }
        return Ok(Relation::Said {
            aspect: aspect.trim().to_string(),
            value,
        });
    }
    let f = formula::parse(src).map_err(|e| format!("第 {} 字节处应为 {}", e.at, e.expected))?;
    let tables = f.tables();
    if !tables.iter().any(|t| t.starts_with(&format!("{with}:"))) {
        return Err(format!("没有读取 {with} 的表"));
    }
    for t in &tables {
        qualified(t)?;
    }
    Ok(Relation::Cells(f))
}

/// The figure keys (`@key`) an expression names, groups and calls included.
pub fn figure_keys(e: &formula::Expr, out: &mut Vec<String>) {
    for (_, t) in &e.terms {
        match t {
            formula::Term::Figure(k) => out.push(k.clone()),
            formula::Term::Group(g) => figure_keys(g, out),
            formula::Term::Call(_, args) => args.iter().for_each(|a| figure_keys(a, out)),
            _ => {}
        }
    }
}

impl Reconciliation {
    /// The relations of `files` ((name, file), base first: a later rule replaces one of the
    /// same id, a later document name one of the same name).
    pub fn new(files: Vec<(String, ReconcileFile)>) -> Result<Reconciliation, Vec<Diagnostic>> {
        let mut documents: BTreeMap<String, Cited> = BTreeMap::new();
        let mut defs: Vec<(String, ReconcileDef)> = Vec::new();
        for (name, f) in files {
            documents.extend(f.documents);
            for d in f.rules {
                defs.retain(|(_, x)| x.id != d.id);
                defs.push((name.clone(), d));
            }
        }
        let mut rules = Vec::new();
        let mut problems = Vec::new();
        for (file, d) in defs {
            let Some(cited) = documents.get(&d.with) else {
                problems.push(problem(
                    &file,
                    format!("{}：with = \"{}\" 不是 [documents] 中的文件", d.id, d.with),
                    format!(
                        "{}: with = \"{}\" is no document of [documents]",
                        d.id, d.with
                    ),
                ));
                continue;
            };
            if d.formula.0.is_empty() {
                problems.push(problem(
                    &file,
                    format!("{}：没有 formula", d.id),
                    format!("{}: no formula", d.id),
                ));
            }
            let mut relations = Vec::new();
            for src in &d.formula.0 {
                match parse_relation(src, &d.with) {
                    Ok(r) => relations.push((src.clone(), r)),
                    Err(e) => problems.push(problem(
                        &file,
                        format!("{}：{src}：{e}", d.id),
                        format!("{}: {src}: {e}", d.id),
                    )),
                }
            }
            rules.push(ReconcileRule {
                def: RuleDef {
                    id: d.id,
                    severity: d.severity,
                    scope: Scope::Documents,
                    title: d.title,
                    why: d.why,
                    hint: d.hint,
                    formula: d.formula,
                    builtin: None,
                    pass: Vec::new(),
                    fail: Vec::new(),
                },
                with: d.with,
                cited: cited.clone(),
                relations,
                pass: d.pass,
                fail: d.fail,
            });
        }
        if problems.is_empty() {
            Ok(Reconciliation { rules })
        } else {
            Err(problems)
        }
    }

    /// The names of the documents its rules cite, with what each is, each once.
    pub fn cited(&self) -> Vec<(&str, &Cited)> {
        let mut out: Vec<(&str, &Cited)> = Vec::new();
        for r in &self.rules {
            if !out.iter().any(|(n, _)| *n == r.with) {
                out.push((&r.with, &r.cited));
            }
        }
        out
    }
}

/// One sheet of a report's tables and a cited document's, the cited ones under `name:` keys
/// (`last:summary`), so formulas read both. Each table's title is prefixed with what its
/// document is, when given (`2023年度部门决算（h2023.pdf）`), so findings name both documents.
pub fn joined(
    this: &Sheet,
    this_is: Option<&Text>,
    cited: &Sheet,
    name: &str,
    cited_is: Option<&Text>,
) -> Sheet {
    let titled = |t: &super::CheckTable, is: Option<&Text>| {
        let mut t = t.clone();
        if let Some(is) = is {
            let number = t.number.take();
            let head = match &number {
                Some(n) => Text::new(format!("{} {}", is.zh, n.zh), format!("{} {}", is.en, n.en)),
                None => is.clone(),
            };
            t.number = Some(head);
        }
        t
    };
    let mut out = this.clone();
    out.claims.clear();
    out.tables = this.tables.iter().map(|t| titled(t, this_is)).collect();
    for t in &cited.tables {
        let mut t = titled(t, cited_is);
        t.id = TableId::new(&format!("{name}:{}", t.id.key()));
        out.tables.push(t);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relations_parse_and_name_only_their_document() {
        assert!(matches!(
            parse_relation("summary[L29] = last:summary[L60]", "last"),
            Ok(Relation::Cells(_))
        ));
        assert!(matches!(
            parse_relation("said(growth) = (@{c} - @last:{c}) / @last:{c}", "last"),
            Ok(Relation::Said { aspect, .. }) if aspect == "growth"
        ));
        // Another document's name, or none of the cited document's tables, is refused.
        assert!(parse_relation("summary[L29] = budget:summary[L60]", "last").is_err());
        assert!(parse_relation("summary[L29] = summary[L60]", "last").is_err());
        assert!(parse_relation("said(prior) = @{c}", "last").is_err());
    }

    #[test]
    fn a_rule_must_cite_a_declared_document() {
        let file: ReconcileFile = toml::from_str(
            r#"
[documents]
last = { kind = "final-accounts", year = -1, name = ["上年度部门决算", "last year's final accounts"] }

[[rules]]
id = "R900"
severity = "error"
title = ["t", "t"]
why = ["w", "w"]
hint = ["h", "h"]
with = "budget"
formula = "summary[L29] = budget:summary[L60]"
"#,
        )
        .unwrap();
        let e = Reconciliation::new(vec![("r.toml".into(), file)]).unwrap_err();
        assert_eq!(e[0].code, "E1304");
    }
}
