//! Checks as data: a catalog of rules, each a formula over named cells of the nine tables,
//! evaluated with rounding-aware (XBRL Calculations 1.1) semantics.
//!
//! A printed figure stands for every whole-分 amount that prints the same; a relation fails only
//! when no amounts inside its figures' intervals satisfy it. Figures built from facts are exact,
//! so a build is checked to the 分. Rules the formula language cannot say (names and codes) are
//! `builtin` checks named by the catalog.

pub mod builtin;
pub mod claims;
pub mod coverage;
pub mod eval;
pub mod finding;
pub mod forms;
pub mod formula;
pub mod reconcile;
pub mod sheet;
pub mod wording;

use crate::catalog::Catalog;
use crate::diag::{Diagnostic, Location, Severity};
use crate::kind::Kind;
use crate::text::Text;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub use coverage::{Coverage, RuleCoverage, Subject};
pub use finding::{
    Cell, Detail, Evidence, Finding, Passage, Place, Rect, Review, RowKey, RowRef, TableRef,
};
pub use sheet::{CheckRow, CheckTable, Figure, Interval, Sheet};

/// Where a rule looks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Scope {
    /// Within one table.
    #[serde(rename = "表内")]
    Within,
    /// Between tables.
    #[serde(rename = "表间")]
    Between,
    /// Between tables and the narrative.
    #[serde(rename = "表与说明")]
    Narrative,
    /// Classification codes and names.
    #[serde(rename = "代码")]
    Codes,
    /// 绩效自评 forms: scores against the scheme.
    #[serde(rename = "绩效")]
    Performance,
    /// Reading a published report: what could not be read.
    #[serde(rename = "读取")]
    Reading,
    /// A published report as a whole: its tables and parts all there.
    #[serde(rename = "完整性")]
    Document,
    /// A published report's wording: template residue, punctuation.
    #[serde(rename = "文字")]
    Wording,
    /// A published report's department and year, the same everywhere it names them.
    #[serde(rename = "主体与年度")]
    Identity,
    /// Between documents of one department: a year's and the year before's, a budget and
    /// its final accounts ([`reconcile`]).
    #[serde(rename = "跨文件")]
    Documents,
}

impl Scope {
    /// Chinese name.
    pub fn zh(self) -> &'static str {
        match self {
            Scope::Within => "表内",
            Scope::Between => "表间",
            Scope::Narrative => "表与说明",
            Scope::Codes => "代码",
            Scope::Performance => "绩效",
            Scope::Reading => "读取",
            Scope::Document => "完整性",
            Scope::Wording => "文字",
            Scope::Identity => "主体与年度",
            Scope::Documents => "跨文件",
        }
    }

    /// English name.
    pub fn en(self) -> &'static str {
        match self {
            Scope::Within => "within a table",
            Scope::Between => "between tables",
            Scope::Narrative => "tables and narrative",
            Scope::Codes => "codes",
            Scope::Performance => "performance",
            Scope::Reading => "reading",
            Scope::Document => "completeness",
            Scope::Wording => "wording",
            Scope::Identity => "department and year",
            Scope::Documents => "between documents",
        }
    }
}

/// One or several formulas.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Formulas(pub Vec<String>);

impl<'de> Deserialize<'de> for Formulas {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Formulas, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Repr {
            One(String),
            Many(Vec<String>),
        }
        Ok(Formulas(match Repr::deserialize(d)? {
            Repr::One(s) => vec![s],
            Repr::Many(v) => v,
        }))
    }
}

/// A test case of a rule: a base example, changed so the rule must pass or fail.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RuleCase {
    /// Which bundled example the case starts from (`hongshan-kjj-2023`, `three-units-2024`).
    pub base: String,
    /// Cells to overwrite with printed figures: `"summary[L1]" = "35549.62"`. A named column
    /// the row lacks is added to it (and to its table): the columns a layout prints beyond
    /// the example's (`"summary[C201, personnel]"`).
    #[serde(default)]
    pub set: BTreeMap<String, String>,
    /// Rows whose label to change: `"income[C2060101]" = "行政管理"`.
    #[serde(default)]
    pub rename: BTreeMap<String, String>,
    /// Rows to remove: `["income[C20601]"]`.
    #[serde(default)]
    pub drop: Vec<String>,
    /// Rows to add at the end of a table.
    #[serde(default)]
    pub add: Vec<AddedRow>,
    /// Check the printed tables (rounded figures) instead of the exact ones.
    #[serde(default)]
    pub printed: bool,
    /// Tables to copy under another key first: `{ general_budget = "fiscal_expenditure" }`
    /// (a department whose appropriations are all general budget prints the same figures in
    /// both), so a rule on a table no bundled example's layout prints (or prints empty) is tested
    /// too; the copy replaces a table of that key.
    #[serde(default)]
    pub copy: BTreeMap<String, String>,
    /// Rows printed again at their table's foot, as read (`['expenditure["合计"]']`): copied
    /// before `set` changes the row, so a case can make the two printings differ.
    #[serde(default)]
    pub repeat: Vec<String>,
    /// "其中" parts to add, each with its printed figure: a cell (`'income["合计", fiscal]'`)
    /// gains a column `fiscal.part` in its row; a line (`"summary[L5]"`) gains a line
    /// `其中：部分` printed as part of it.
    #[serde(default)]
    pub part: BTreeMap<String, String>,
    /// For a published report (`base = "published:<file>"`): passages of its text to replace
    /// (each must occur once), so a case is a real report with one slip.
    #[serde(default)]
    pub edit: BTreeMap<String, String>,
    /// Scores of the 绩效自评 forms to overwrite (`""` blanks one), 1-based:
    /// `"project[2].goal_score"`, `"project[2].indicator[3].score"`,
    /// `"project[2].reported_score"`, `"department.goal[1].weight"`,
    /// `"department.goal[1].indicator[2].score"`, `"department.reported_score"`,
    /// `"scheme.goal"`.
    #[serde(default)]
    pub score: BTreeMap<String, String>,
    /// Codes the case's input names itself, as if the catalog lacked them (`["2060101"]`):
    /// the rule sees them marked [`crate::catalog::Entry::supplied`] ([`RuleCase::catalog`]).
    #[serde(default)]
    pub supplied: Vec<String>,
}

impl RuleCase {
    /// The catalog the case's rule runs with: `base`, with the case's `supplied` codes marked
    /// as named by the input.
    pub fn catalog<'a>(&self, base: &'a Catalog) -> std::borrow::Cow<'a, Catalog> {
        if self.supplied.is_empty() {
            return std::borrow::Cow::Borrowed(base);
        }
        let entries: Vec<_> = self
            .supplied
            .iter()
            .filter_map(|code| {
                let class = crate::catalog::Classification::infer(code)?;
                Some((class, base.get(class, code)?.clone()))
            })
            .collect();
        std::borrow::Cow::Owned(base.with_supplied(&entries))
    }
}

/// A row a test case adds.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AddedRow {
    /// Table key.
    pub table: String,
    /// Classification code.
    #[serde(default)]
    pub code: Option<String>,
    /// Label.
    pub label: String,
    /// `lei`, `kuan`, `xiang`, `total` or `line`.
    pub kind: String,
    /// Printed figures by 栏次.
    pub values: BTreeMap<String, String>,
}

impl RuleCase {
    /// The case's sheet: `base` changed as the case says.
    pub fn apply(&self, base: &Sheet) -> Result<Sheet, String> {
        let mut sheet = if self.printed {
            base.as_printed()
        } else {
            base.clone()
        };
        for (from, to) in &self.copy {
            let mut t = sheet
                .table(from)
                .ok_or(format!("copy: no table {from}"))?
                .clone();
            t.id = crate::layout::TableId::new(to);
            // It takes the place of a table of that key the sheet has (an empty one).
            match sheet.tables.iter().position(|x| x.id.key() == to.as_str()) {
                Some(i) => sheet.tables[i] = t,
                None => sheet.tables.push(t),
            }
        }
        for cell in &self.repeat {
            let (t, r) = locate(&sheet, cell)?;
            let row = sheet.tables[t].rows[r].clone();
            sheet.tables[t].repeats.push(row);
        }
        let unit = sheet.unit();
        let printed = |v: &str| -> Result<Figure, String> {
            let m = crate::money::Money::parse(v, unit).map_err(|e| format!("{v}: {e:?}"))?;
            Ok(Figure::Printed {
                value: m.display_in(unit),
                unit,
            })
        };
        for (cell, value) in &self.set {
            let (t, r) = locate(&sheet, cell)?;
            let col = formula::parse_cell(cell)
                .map_err(|e| format!("{cell}: {}", e.expected))?
                .col;
            let table = &mut sheet.tables[t];
            let fig = printed(value)?;
            match col {
                formula::ColSel::Implicit if table.rows[r].cells.len() == 1 => {
                    table.rows[r].cells[0].1 = fig;
                }
                formula::ColSel::Name(key) => {
                    let row = &mut table.rows[r];
                    match row.cells.iter().position(|(c, _)| *c == key) {
                        Some(i) => row.cells[i].1 = fig,
                        None => row.cells.push((key.clone(), fig)),
                    }
                    if !table.columns.iter().any(|c| c.key == key) {
                        table.columns.push(sheet::ColumnInfo {
                            key: key.clone(),
                            col_no: None,
                            name: Text::zh(key.clone()),
                        });
                    }
                }
                _ => return Err(format!("{cell}: name one cell")),
            }
        }
        for (cell, value) in &self.part {
            let (t, r) = locate(&sheet, cell)?;
            let fig = printed(value)?;
            let col = formula::parse_cell(cell)
                .map_err(|e| format!("{cell}: {}", e.expected))?
                .col;
            let table = &mut sheet.tables[t];
            match col {
                formula::ColSel::Name(whole) => {
                    let key = format!("{whole}.part");
                    if !table.columns.iter().any(|c| c.key == key) {
                        table.columns.push(sheet::ColumnInfo {
                            key: key.clone(),
                            col_no: None,
                            name: Text::new("其中：部分", "of which: part"),
                        });
                    }
                    table.rows[r].cells.push((key, fig));
                }
                formula::ColSel::Implicit => {
                    let whole = &table.rows[r];
                    let line = whole.line.ok_or(format!("{cell}: name a line"))?;
                    let mut row = whole.clone();
                    row.line = None;
                    row.label = Text::new("其中：部分", "of which: part");
                    for (_, f) in &mut row.cells {
                        *f = fig;
                    }
                    table.rows.insert(r + 1, row);
                    table
                        .printed
                        .as_mut()
                        .ok_or(format!("{cell}: the table's layout is not known"))?
                        .parts
                        .push(("其中：部分".into(), line));
                }
                formula::ColSel::Set(_) => return Err(format!("{cell}: name one cell")),
            }
        }
        for (cell, name) in &self.rename {
            let (t, r) = locate(&sheet, cell)?;
            sheet.tables[t].rows[r].label = Text::zh(name.clone());
        }
        for cell in &self.drop {
            let (t, r) = locate(&sheet, cell)?;
            sheet.tables[t].rows.remove(r);
        }
        for row in &self.add {
            let t = sheet
                .tables
                .iter()
                .position(|t| t.id.key() == row.table)
                .ok_or(format!("no table {}", row.table))?;
            let kind = match row.kind.as_str() {
                "lei" => crate::views::RowKind::Lei,
                "kuan" => crate::views::RowKind::Kuan,
                "xiang" => crate::views::RowKind::Xiang,
                "total" => crate::views::RowKind::Total,
                "line" => crate::views::RowKind::Line,
                other => return Err(format!("unknown row kind {other}")),
            };
            let cells = row
                .values
                .iter()
                .map(|(c, v)| Ok((c.clone(), printed(v)?)))
                .collect::<Result<Vec<_>, String>>()?;
            sheet.tables[t].rows.push(CheckRow {
                line: None,
                code: row.code.clone(),
                label: Text::zh(row.label.clone()),
                kind,
                panel: 0,
                cells,
                uncertain: false,
                source_line: None,
            });
        }
        for (path, value) in &self.score {
            let e = sheet
                .evaluations
                .as_mut()
                .ok_or(format!("{path}: the base has no 绩效自评 forms"))?;
            set_score(e, path, value).map_err(|why| format!("{path}: {why}"))?;
        }
        Ok(sheet)
    }
}

/// `name[i]` → (`name`, i − 1).
fn indexed(part: &str) -> Result<(&str, usize), String> {
    let (name, rest) = part.split_once('[').ok_or("expected name[n]")?;
    let i: usize = rest
        .strip_suffix(']')
        .and_then(|n| n.parse().ok())
        .filter(|n| *n > 0)
        .ok_or("expected a position from 1")?;
    Ok((name, i - 1))
}

/// Overwrites one score of the forms (see [`RuleCase::score`]).
fn set_score(e: &mut crate::scoring::Evaluations, path: &str, value: &str) -> Result<(), String> {
    use rust_decimal::Decimal;
    let v: Option<Decimal> = if value.is_empty() {
        None
    } else {
        Some(
            value
                .parse()
                .map_err(|_| format!("{value} is not a score"))?,
        )
    };
    let need = |v: Option<Decimal>| v.ok_or("this score cannot be blank".to_string());
    let parts: Vec<&str> = path.split('.').collect();
    let indicator = |list: &mut Vec<crate::disclosure::Indicator>, part: &str, field: &str| {
        let (name, i) = indexed(part)?;
        let ind = list
            .get_mut(i)
            .filter(|_| name == "indicator")
            .ok_or("no such indicator")?;
        match field {
            "score" => ind.score = v,
            "weight" => ind.weight = v,
            _ => return Err("indicators have score and weight".to_string()),
        }
        Ok(())
    };
    match parts.as_slice() {
        ["scheme", field] => {
            let s = &mut e.scheme;
            match *field {
                "execution" => s.execution = need(v)?,
                "goal" => s.goal = need(v)?,
                "indicators" => s.indicators = need(v)?,
                _ => return Err("the scheme has execution, goal and indicators".into()),
            }
        }
        ["department", rest @ ..] => {
            let d = e.department.as_mut().ok_or("no department-wide form")?;
            match rest {
                ["reported_score"] => d.reported_score = v,
                ["reported_rate"] => d.reported_rate = v,
                ["reported_execution"] => d.reported_execution = v,
                [goal, "weight"] => {
                    let (_, k) = indexed(goal)?;
                    d.goals.get_mut(k).ok_or("no such goal")?.weight = need(v)?;
                }
                [goal, ind, field] => {
                    let (_, k) = indexed(goal)?;
                    let g = d.goals.get_mut(k).ok_or("no such goal")?;
                    indicator(&mut g.indicators, ind, field)?;
                }
                _ => return Err("unknown department-wide field".into()),
            }
        }
        [project, rest @ ..] => {
            let (name, i) = indexed(project)?;
            let p = e
                .projects
                .get_mut(i)
                .filter(|_| name == "project")
                .ok_or("no such project")?;
            match rest {
                ["reported_score"] => p.reported_score = v,
                ["reported_rate"] => p.reported_rate = v,
                ["reported_execution"] => p.reported_execution = v,
                ["goal_score"] => p.goal_score = v,
                [ind, field] => indicator(&mut p.indicators, ind, field)?,
                _ => return Err("unknown project field".into()),
            }
        }
        [] => return Err("empty path".into()),
    }
    Ok(())
}

/// One wrong 项 makes a row rule fail on its 款, its 类 and the 合计 too, by the same amount:
/// keep the deepest row and drop the rows above it that only echo it.
fn suppress_echoes(findings: Vec<Finding>) -> Vec<Finding> {
    /// The table, row address, column and relation of a finding in a table.
    fn at(f: &Finding) -> Option<(&str, Option<&RowKey>, &str, &finding::Broken)> {
        match (&f.place, &f.detail) {
            (Place::Cell(c), Detail::Relation(b)) => Some((
                c.table.key.as_str(),
                c.row.as_ref().map(|r| &r.key),
                c.column.as_str(),
                b,
            )),
            _ => None,
        }
    }
    // The same difference as printed: to the 分 when exact, else in the tables' unit.
    let same_difference = |a: &finding::Broken, b: &finding::Broken| {
        a.exact() == b.exact()
            && if a.exact() {
                a.difference() == b.difference()
            } else {
                a.difference().display_in(a.unit) == b.difference().display_in(b.unit)
            }
    };
    let echoes = |above: &Finding, below: &Finding| {
        let (Some((ta, ra, ca, da)), Some((tb, rb, cb, db))) = (at(above), at(below)) else {
            return false;
        };
        // A code under another code, or under the 合计; fixed lines echo nothing.
        let deeper = match (ra, rb) {
            (Some(RowKey::Code(a)), Some(RowKey::Code(b))) => {
                b.len() > a.len() && b.starts_with(a.as_str())
            }
            (Some(RowKey::Label(a)), Some(RowKey::Code(_))) => a == "合计",
            _ => false,
        };
        ta == tb && ca == cb && deeper && same_difference(da, db)
    };
    findings
        .iter()
        .filter(|f| !findings.iter().any(|g| echoes(f, g)))
        .cloned()
        .collect()
}

/// The (table, row) index of a single-row reference: its row selected as rules select it
/// ([`eval::rows_named`]), so a cell address means the same in a test case as in a formula.
fn locate(sheet: &Sheet, cell: &str) -> Result<(usize, usize), String> {
    let r = formula::parse_cell(cell).map_err(|e| format!("{cell}: expected {}", e.expected))?;
    let t = sheet
        .tables
        .iter()
        .position(|t| t.id.key() == r.table)
        .ok_or(format!("{cell}: no table {}", r.table))?;
    let table = &sheet.tables[t];
    let found = eval::rows_named(table, &r.row).unwrap_or_default();
    match found.as_slice() {
        [one] => Ok((
            t,
            table
                .rows
                .iter()
                .position(|x| std::ptr::eq(x, *one))
                .ok_or(format!("{cell}: no such row"))?,
        )),
        [] => Err(format!("{cell}: no such row")),
        _ => Err(format!("{cell}: several rows match")),
    }
}

/// A rule as written in the catalog file.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleDef {
    /// Stable id, never reused (`T101`).
    pub id: String,
    /// error / warning / info.
    pub severity: Severity,
    /// 表内 / 表间 / 表与说明 / 代码.
    pub scope: Scope,
    /// One line.
    pub title: Text,
    /// What it checks and why it matters.
    pub why: Text,
    /// How to fix a failure.
    pub hint: Text,
    /// Formulas (see [`formula`]); every one must hold.
    #[serde(default)]
    pub formula: Formulas,
    /// A check the formula language cannot say, implemented in [`builtin`].
    #[serde(default)]
    pub builtin: Option<String>,
    /// Cases that must pass.
    #[serde(default)]
    pub pass: Vec<RuleCase>,
    /// Cases that must fail.
    #[serde(default)]
    pub fail: Vec<RuleCase>,
}

/// A rule ready to run.
#[derive(Clone, Debug)]
pub struct Rule {
    /// As written.
    pub def: RuleDef,
    /// Parsed formulas.
    pub formulas: Vec<formula::Formula>,
}

/// The rule catalog file.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleFile {
    /// Rules in catalog order.
    pub rules: Vec<RuleDef>,
}

/// A checked catalog of rules.
#[derive(Clone, Debug, Default)]
pub struct RuleSet {
    /// Rules in catalog order.
    pub rules: Vec<Rule>,
    /// The kind's tables by key, with their titles: how findings and coverage name a table
    /// that is not in the sheet.
    pub tables: Vec<(String, Text)>,
}

impl RuleSet {
    /// Parses every formula and proves the catalog well formed: ids unique and well formed,
    /// each rule has a formula or a known builtin, texts in both languages, and every table and
    /// column a formula names is one of `kind`'s.
    pub fn new(file: RuleFile, name: &str, kind: &Kind) -> Result<RuleSet, Vec<Diagnostic>> {
        let mut problems = Vec::new();
        let mut rules = Vec::new();
        let mut seen = std::collections::BTreeSet::new();
        for def in file.rules {
            let at = Location::File {
                file: format!("{name}#{}", def.id),
            };
            let fail =
                |zh: String, en: String| Diagnostic::error("E0701", at.clone(), Text::new(zh, en));
            if !seen.insert(def.id.clone()) {
                problems.push(fail(
                    format!("规则 {} 重复", def.id),
                    format!("rule {} appears twice", def.id),
                ));
            }
            let mut formulas = Vec::new();
            for f in &def.formula.0 {
                match formula::parse(f) {
                    Ok(parsed) => {
                        for t in parsed.tables() {
                            if kind.table(&t).is_none() {
                                problems.push(fail(
                                    format!("规则 {} 引用了未知的表 {t}", def.id),
                                    format!("rule {} names an unknown table {t}", def.id),
                                ));
                            }
                        }
                        let (columns, vars) = parsed.column_names();
                        for (t, c) in columns {
                            let known = kind.table(&t).is_none_or(|def| def.column(&c).is_some());
                            if !known && !vars.contains(&c) {
                                problems.push(fail(
                                    format!("规则 {} 引用了表 {t} 中不存在的列 {c}", def.id),
                                    format!(
                                        "rule {} names a column {c} that table {t} lacks",
                                        def.id
                                    ),
                                ));
                            }
                        }
                        formulas.push(parsed)
                    }
                    Err(e) => problems.push(
                        fail(
                            format!("规则 {} 的公式无法解析（第 {} 个字符处）", def.id, e.at + 1),
                            format!(
                                "rule {}: formula does not parse at character {}",
                                def.id,
                                e.at + 1
                            ),
                        )
                        .expected(Text::same(e.expected))
                        .found(f.clone()),
                    ),
                }
            }
            match &def.builtin {
                Some(b) if !builtin::NAMES.contains(&b.as_str()) => problems.push(fail(
                    format!("规则 {} 引用了未知的内置检查 {b}", def.id),
                    format!("rule {} names an unknown builtin check {b}", def.id),
                )),
                None if def.formula.0.is_empty() => problems.push(fail(
                    format!("规则 {} 既无公式也无内置检查", def.id),
                    format!("rule {} has neither a formula nor a builtin", def.id),
                )),
                _ => {}
            }
            rules.push(Rule { def, formulas });
        }
        if problems.is_empty() {
            let tables = kind
                .tables
                .iter()
                .map(|t| (t.key.key().to_string(), t.title.clone()))
                .collect();
            Ok(RuleSet { rules, tables })
        } else {
            Err(problems)
        }
    }

    /// Adds the rules of `more`, each replacing the rule with its id (an extension of a
    /// bundle may change a rule's severity or formula); new ids go at the end.
    pub fn extend(&mut self, more: RuleSet) {
        for (key, title) in more.tables {
            if !self.tables.iter().any(|(k, _)| *k == key) {
                self.tables.push((key, title));
            }
        }
        for r in more.rules {
            match self.rules.iter_mut().find(|x| x.def.id == r.def.id) {
                Some(x) => *x = r,
                None => self.rules.push(r),
            }
        }
    }

    /// The rule with id `id`.
    pub fn get(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.def.id == id)
    }

    /// Runs every rule on `sheet`: all findings, in catalog order.
    pub fn check(&self, sheet: &Sheet, catalog: Option<&Catalog>) -> Vec<Finding> {
        let mut out: Vec<Finding> = Vec::new();
        for mut f in self.rules.iter().flat_map(|r| r.check(sheet, catalog)) {
            // One finding per discrepancy: a rule written from both tables' side (X104 from
            // the 总表 and from the 支出表) finds the same two cells twice.
            if matches!(f.detail, finding::Detail::Relation(_))
                && out.iter().any(|g| {
                    g.rule == f.rule
                        && matches!(g.detail, finding::Detail::Relation(_))
                        && same_cells(g, &f)
                })
            {
                continue;
            }
            if f.severity == Severity::Error && f.rounding() {
                f.severity = Severity::Warning;
            }
            out.push(f);
        }
        out
    }
}

impl RuleSet {
    /// For each table cell (`table/row/column`, as [`finding::Cell`] names it), the formula
    /// rules that read it on `sheet` and whether each held wherever it read it: the checks
    /// behind a printed figure. Builtin checks (names, codes, scores) are not listed.
    pub fn checks_by_cell(&self, sheet: &Sheet) -> BTreeMap<String, BTreeMap<String, bool>> {
        use std::fmt::Write;
        let mut out: BTreeMap<String, BTreeMap<String, bool>> = BTreeMap::new();
        // A cell is read by many rules and a rule reads it on many lines: the key is written
        // into one buffer and allocated only for a cell or a rule not seen before.
        let mut key = String::new();
        for rule in &self.rules {
            let id = &rule.def.id;
            for f in &rule.formulas {
                eval::trace(f, sheet, &mut |cells, held| {
                    for c in cells {
                        key.clear();
                        let _ = write!(key, "{}/{}/{}", c.table, c.row, c.column);
                        let by_rule = match out.get_mut(key.as_str()) {
                            Some(m) => m,
                            None => out.entry(key.clone()).or_default(),
                        };
                        match by_rule.get_mut(id.as_str()) {
                            Some(all) => *all &= held,
                            None => {
                                by_rule.insert(id.clone(), held);
                            }
                        }
                    }
                });
            }
        }
        out
    }
}

/// Whether two findings are about the same cells (in any order).
fn same_cells(a: &Finding, b: &Finding) -> bool {
    let key = |f: &Finding| {
        let mut k: Vec<(String, String, String)> = f
            .cells
            .iter()
            .map(|c| (c.table.clone(), c.row.to_string(), c.column.clone()))
            .collect();
        k.sort();
        k
    };
    a.cells.len() == b.cells.len() && key(a) == key(b)
}

impl Rule {
    /// Runs this rule on `sheet`.
    pub fn check(&self, sheet: &Sheet, catalog: Option<&Catalog>) -> Vec<Finding> {
        let mut out = Vec::new();
        for (source, f) in self.def.formula.0.iter().zip(&self.formulas) {
            out.extend(suppress_echoes(eval::evaluate(&self.def, source, f, sheet)));
        }
        if let Some(b) = &self.def.builtin {
            out.extend(builtin::run(b, &self.def, sheet, catalog));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::TableId;
    use crate::money::{AmountUnit, Printed};
    use crate::views::RowKind;
    use finding::{Detail, Place};

    /// A one-table sheet whose rows are 行次 1, 2, 3… with these printed figures (0.01 万元).
    fn sheet(hundredths: &[i128]) -> Sheet {
        let rows = hundredths
            .iter()
            .enumerate()
            .map(|(i, h)| CheckRow {
                line: Some(i as u32 + 1),
                code: None,
                label: Text::zh(format!("第{}行", i + 1)),
                kind: RowKind::Line,
                panel: 0,
                cells: vec![(
                    "amount".into(),
                    Figure::Printed {
                        value: Printed::from_hundredths(*h),
                        unit: AmountUnit::Wan,
                    },
                )],
                uncertain: false,
                source_line: None,
            })
            .collect();
        Sheet {
            department: "测试".into(),
            tables: vec![CheckTable::new(
                TableId::new("summary"),
                Text::zh("收入支出决算总表"),
                rows,
            )],
            evaluations: None,
            claims: Vec::new(),
        }
    }

    /// A kind of two tables: the one-column `summary` and the `income` of two columns.
    fn kind() -> Kind {
        let table = |key: &str, rows: crate::kind::RowsBy, cols: &[&str]| crate::kind::TableDef {
            key: TableId::new(key),
            title: Text::same(key),
            aliases: Vec::new(),
            rows,
            terms: Vec::new(),
            columns: cols
                .iter()
                .map(|c| crate::kind::ColumnDef {
                    key: c.to_string(),
                    name: Text::same(*c),
                    aliases: Vec::new(),
                })
                .collect(),
            subject: Vec::new(),
        };
        Kind {
            id: "test".into(),
            name: Text::same("test"),
            default_layout: "test".into(),
            scenario: crate::facts::Scenario::Actual,
            titles: Default::default(),
            narrative: Default::default(),
            parts: Vec::new(),
            tables: vec![
                table("summary", crate::kind::RowsBy::Lines, &["amount"]),
                table(
                    "income",
                    crate::kind::RowsBy::Function,
                    &["total", "fiscal"],
                ),
            ],
        }
    }

    /// A catalog of one rule with this formula.
    fn catalog(formula: &str) -> RuleFile {
        RuleFile {
            rules: vec![RuleDef {
                id: "Z001".into(),
                severity: Severity::Error,
                scope: Scope::Within,
                title: Text::same("t"),
                why: Text::same("w"),
                hint: Text::same("h"),
                formula: Formulas(vec![formula.into()]),
                builtin: None,
                pass: Vec::new(),
                fail: Vec::new(),
            }],
        }
    }

    fn fails(formula: &str, hundredths: &[i128]) -> bool {
        let set = RuleSet::new(catalog(formula), "test", &kind()).unwrap();
        !set.check(&sheet(hundredths), None).is_empty()
    }

    #[test]
    fn rounding_semantics_as_documented() {
        // Two figures that must be equal: 1.00 and 1.01 share no amount.
        assert!(fails("summary[L1] = summary[L2]", &[100, 101]));
        assert!(!fails("summary[L1] = summary[L2]", &[100, 100]));
        // A two-term sum off by 0.02 fails; off by 0.01 it may be honest rounding
        // (1.004 + 2.004 = 3.008 prints 1.00 + 2.00 and 3.01).
        assert!(fails(
            "summary[L3] = summary[L1] + summary[L2]",
            &[100, 200, 302]
        ));
        assert!(!fails(
            "summary[L3] = summary[L1] + summary[L2]",
            &[100, 200, 301]
        ));
        // Inequalities use the same intervals: 1.01 can never be at most 1.00.
        assert!(!fails("summary[L1] <= summary[L2]", &[100, 100]));
        assert!(fails("summary[L1] <= summary[L2]", &[101, 100]));
        assert!(!fails(
            "summary[L1] + summary[L2] <= summary[L3]",
            &[100, 100, 199]
        ));
        // `when` limits a rule to where its condition can hold.
        assert!(!fails("summary[L2] = 0 when summary[L1] = 0", &[100, 50]));
        assert!(fails("summary[L2] = 0 when summary[L1] = 0", &[0, 50]));
    }

    #[test]
    fn fixed_lines_are_not_codes_and_echo_nothing() {
        // Lines 3 and 35 both off by 1.00: two findings, although "35" begins with "3" (a code
        // 20135 under 201 would echo it, and only the deeper one would be kept).
        let mut h = vec![0; 35];
        h[2] = 100;
        h[34] = 100;
        let set = RuleSet::new(
            catalog("for r in rows(summary, line): summary[r] = 0"),
            "test",
            &kind(),
        )
        .unwrap();
        let found = set.check(&sheet(&h), None);
        let rows: Vec<String> = found.iter().map(|f| f.row_name().zh).collect();
        assert_eq!(rows, ["第3行", "第35行"]);
    }

    /// The checks behind a cell: every rule that reads it, and whether it held there.
    #[test]
    fn each_cell_knows_the_rules_that_read_it() {
        let mut file = catalog("summary[L3] = summary[L1] + summary[L2]");
        file.rules[0].formula = Formulas(vec![
            "summary[L3] = summary[L1] + summary[L2]".into(),
            "summary[L4] <= summary[L3]".into(),
        ]);
        let set = RuleSet::new(file, "test", &kind()).unwrap();
        let id = set.rules[0].def.id.clone();
        let checks = set.checks_by_cell(&sheet(&[100, 200, 300, 250]));
        assert_eq!(checks.len(), 4, "{checks:?}");
        assert!(checks.values().all(|m| m[&id]));
        // Line 3 off: both relations that read it fail, line 4's alone holds.
        let checks = set.checks_by_cell(&sheet(&[100, 200, 250, 400]));
        assert!(!checks["summary/1/amount"][&id]);
        assert!(!checks["summary/3/amount"][&id]);
        assert!(!checks["summary/4/amount"][&id]);
        let checks = set.checks_by_cell(&sheet(&[100, 200, 300, 400]));
        assert!(checks["summary/1/amount"][&id]);
        assert!(!checks["summary/4/amount"][&id]);
        assert!(
            !checks["summary/3/amount"][&id],
            "read by the failing second relation"
        );
    }

    #[test]
    fn a_probe_agrees_with_a_full_check_for_every_filling() {
        let formulas = [
            "summary[L3] = summary[L1] + summary[L2]",
            "summary[L2] = 0 when summary[L1] = 0",
            "summary[L4] <= summary[L3]",
            "for r in rows(summary): summary[r] >= 0",
        ];
        let mut file = catalog(formulas[0]);
        file.rules[0].formula = Formulas(formulas.iter().map(|f| f.to_string()).collect());
        let set = RuleSet::new(file, "test", &kind()).unwrap();
        let base = sheet(&[100, 200, 300, 250]);
        for row in 0..4 {
            let probe = eval::Probe::new(set.rules.iter().flat_map(|r| &r.formulas), &base, 0, row);
            for h in [-5, 0, 100, 200, 250, 300, 301, 302, 500] {
                let mut cells = base.tables[0].rows[row].cells.clone();
                cells[0].1 = Figure::Printed {
                    value: Printed::from_hundredths(h),
                    unit: AmountUnit::Wan,
                };
                let mut filled = base.clone();
                filled.tables[0].rows[row].cells = cells.clone();
                assert_eq!(
                    probe.holds(&cells),
                    set.check(&filled, None).is_empty(),
                    "row {row}, {h}"
                );
                // No cell at all: the row reads as absent in its column.
                filled.tables[0].rows[row].cells.clear();
                assert_eq!(probe.holds(&[]), set.check(&filled, None).is_empty());
            }
        }
    }

    #[test]
    fn unknown_tables_and_columns_are_refused() {
        assert!(RuleSet::new(catalog("nosuch[L1] = 0"), "t", &kind()).is_err());
        assert!(RuleSet::new(catalog("income[C201, fiscall] = 0"), "t", &kind()).is_err());
        assert!(
            RuleSet::new(
                catalog("for c in cols(income): income[C201, c] = 0"),
                "t",
                &kind()
            )
            .is_ok()
        );
    }

    #[test]
    fn a_rule_finding_keeps_its_place_and_exact_values() {
        let set = RuleSet::new(
            catalog("summary[L3] = summary[L1] + summary[L2]"),
            "test",
            &kind(),
        )
        .unwrap();
        let found = set.check(&sheet(&[100, 200, 302]), None);
        assert_eq!(found.len(), 1, "{found:?}");
        let f = &found[0];
        // The place: the first cell of the left side, its row as data.
        let Place::Cell(c) = &f.place else {
            panic!("{:?}", f.place)
        };
        assert_eq!(c.table.key, "summary");
        assert_eq!(c.row.as_ref().map(|r| &r.key), Some(&RowKey::Line(3)));
        assert_eq!(c.column, "amount");
        assert_eq!(c.source, None);
        // The values: both sides as intervals of 分 and as they read; 0.01 万元 is 10,000 分.
        let Detail::Relation(b) = &f.detail else {
            panic!("{:?}", f.detail)
        };
        assert_eq!(b.left.nominal, 3_020_000);
        assert_eq!(b.right.nominal, 3_000_000);
        assert_eq!(
            b.left.interval,
            Interval {
                lo: 3_015_000,
                hi: 3_024_999
            }
        );
        assert_eq!(
            b.right.interval,
            Interval {
                lo: 2_990_000,
                hi: 3_009_998
            }
        );
        assert!(!b.exact());
        assert_eq!(b.difference(), crate::money::Money::from_fen(20_000));
        assert_eq!(b.tolerance(), crate::money::Money::from_fen(14_998));
        assert_eq!(b.op, formula::Op::Eq);
        // The cells, as data: three figures of 行次 3, 1 and 2.
        let rows: Vec<&RowKey> = f.cells.iter().map(|c| &c.row).collect();
        assert_eq!(rows, [&RowKey::Line(3), &RowKey::Line(1), &RowKey::Line(2)]);
        assert!(f.cells.iter().all(|c| c.table == "summary"));
        // And the words, made from these.
        assert_eq!(f.location().to_string(), "summary/3/amount");
        assert_eq!(f.row_name(), Text::new("第3行", "line 3"));
        assert_eq!((f.found(), f.expected()), ("3.02".into(), "3.00".into()));
        assert_eq!(f.difference(), "0.02");
        // For datasets: the two printed figures, exactly, in 元.
        let v = f.values().unwrap();
        assert_eq!(
            (v.found.to_string(), v.expected.to_string(), v.unit.as_str()),
            ("30200.00".into(), "30000.00".into(), "元")
        );
        assert_eq!(
            f.difference_words(),
            Some(Text::new(
                "相差 0.02 万元",
                "difference 0.02 in 10,000 yuan"
            ))
        );
        assert!(
            f.formula()
                .zh
                .contains("（金额单位：万元；相差 0.02；舍入容差 ±0.01）"),
            "{}",
            f.formula().zh
        );
    }

    /// A sheet of three tables: 行次 rows (one labelled 合计), code rows with a 合计 row
    /// addressed by its label, and a table of one unlabelled row.
    fn addressed() -> Sheet {
        let fig = |h: i128| Figure::Printed {
            value: Printed::from_hundredths(h),
            unit: AmountUnit::Wan,
        };
        let row =
            |line: Option<u32>, code: Option<&str>, label: &str, kind, cells: &[&str]| CheckRow {
                line,
                code: code.map(str::to_string),
                label: Text::zh(label),
                kind,
                panel: 0,
                cells: cells.iter().map(|c| (c.to_string(), fig(100))).collect(),
                uncertain: false,
                source_line: None,
            };
        let table = |key: &str, rows| CheckTable::new(TableId::new(key), Text::zh(key), rows);
        Sheet {
            department: "测试".into(),
            tables: vec![
                table(
                    "summary",
                    vec![
                        row(Some(1), None, "一、收入", RowKind::Line, &["amount"]),
                        row(Some(2), None, "合计", RowKind::Total, &["amount"]),
                    ],
                ),
                table(
                    "income",
                    vec![
                        row(None, None, "合 计", RowKind::Total, &["total", "fiscal"]),
                        row(
                            None,
                            Some("201"),
                            "合计",
                            RowKind::Lei,
                            &["total", "fiscal"],
                        ),
                        row(None, Some("20101"), "人大事务", RowKind::Kuan, &["total"]),
                    ],
                ),
                table(
                    "sangong",
                    vec![row(None, None, "", RowKind::Line, &["a", "b"])],
                ),
            ],
            evaluations: None,
            claims: Vec::new(),
        }
    }

    #[test]
    fn a_cell_address_means_the_same_to_a_test_case_and_to_a_rule() {
        let base = addressed();
        for (address, table, row) in [
            ("summary[L2]", 0, 1),
            ("income[\"合计\", fiscal]", 1, 0),
            ("income[C201, fiscal]", 1, 1),
            ("income[C20101, total]", 1, 2),
            ("sangong[_, b]", 2, 0),
        ] {
            // The row a test case changes is the row a rule reads.
            assert_eq!(locate(&base, address), Ok((table, row)), "{address}");
            let r = formula::parse_cell(address).unwrap();
            let named = eval::rows_named(&base.tables[table], &r.row).unwrap();
            assert!(
                named.len() == 1 && std::ptr::eq(named[0], &base.tables[table].rows[row]),
                "{address}"
            );
            let case = RuleCase {
                set: [(address.to_string(), "12.34".to_string())].into(),
                ..RuleCase::default()
            };
            let changed = case.apply(&base).unwrap();
            let read = eval::amount(&changed, &r, false).unwrap();
            assert_eq!(read.nominal, 1234 * 10_000, "{address}");
            assert_eq!(read.cells.len(), 1, "{address}");
        }
        // A 行次 row is never addressed by its label, nor a code row: as in rules.
        assert!(locate(&base, "summary[\"合计\"]").is_err());
        assert_eq!(locate(&base, "income[\"合计\", total]"), Ok((1, 0)));
        // Several rows, or none, are refused.
        assert!(locate(&base, "summary[L1..L2]").is_err());
        assert!(locate(&base, "summary[L9]").is_err());
    }
}
