//! Table layouts as data.
//!
//! A [`Layout`] describes how one region and year prints the nine public tables: titles,
//! numbers, notes, header grids with merged cells, and for every body cell which facts it sums.
//! Another region's or year's layout is a TOML file (see `data/kinds/<kind>/layouts/`), not a code change.
//!
//! A table is made of *panels* printed side by side (公开01 has an income panel and an
//! expenditure panel). A panel is one of:
//! - `lines`: fixed rows with 行次, each a filter over facts, a sum of other lines, or blank;
//! - `function`: a 合计 row and one row per function 类/款/项 that has an amount;
//! - `economic`: fixed economic 类/款 rows (公开06), extended by any 款 with an amount.
//!
//! A cell's value is the sum of the facts matching the *filters* of its table, panel, row and
//! column together (their intersection).

use crate::diag::{Diagnostic, Location};
use crate::facts::{BalanceKind, ExpKind, FundSource, SanGong, Scenario};
use crate::kind::Kind;
pub use crate::kind::TableId;
use crate::money::AmountUnit;
use crate::text::Text;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// Which facts a filter reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Dataset {
    /// Income facts (dimensions: fund, function).
    Income,
    /// Expenditure facts (fund, function, kind).
    Expenditure,
    /// Basic expenditure by economic 款 (fund, economic).
    BasicEconomic,
    /// Balances (fund, balance, function).
    Balance,
    /// "三公" facts (category, scenario).
    Sangong,
    /// 机关运行经费 (scenario): the disclosure's budget and actual amounts.
    RunningCosts,
}

/// A set of fund sources written as names or groups (`财政拨款`, `非财政拨款`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FundSet(pub BTreeSet<FundSource>);

impl<'de> Deserialize<'de> for FundSet {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<FundSet, D::Error> {
        let names = Vec::<String>::deserialize(d)?;
        let mut set = BTreeSet::new();
        for n in names {
            let group = FundSource::parse_group(&n).ok_or_else(|| {
                serde::de::Error::custom(format!(
                    "unknown fund source {n:?}; expected 财政拨款, 非财政拨款 or one of: {}",
                    FundSource::ALL
                        .iter()
                        .map(|f| f.zh())
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            })?;
            set.extend(group);
        }
        Ok(FundSet(set))
    }
}

/// A filter over facts; every field that is set must match. Filters of a table, panel, row
/// and column are intersected.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Filter {
    /// Which facts.
    pub dataset: Option<Dataset>,
    /// Fund sources (income source, or fund paying an expenditure or holding a balance).
    pub fund: Option<FundSet>,
    /// Expenditure kinds.
    pub kind: Option<Vec<ExpKind>>,
    /// Balance kinds.
    pub balance: Option<Vec<BalanceKind>>,
    /// "三公" categories.
    pub category: Option<Vec<SanGong>>,
    /// Budget or actual ("三公").
    pub scenario: Option<Scenario>,
    /// Function code prefix (a 类, 款 or 项).
    pub function: Option<String>,
    /// Economic code prefix (a 类 or 款).
    pub economic: Option<String>,
    /// Economic codes under any of these prefixes: a column that gathers several classes
    /// (人员经费: 301 and 303).
    pub economic_any: Option<Vec<String>>,
    /// "其中" items (facts' `detail`): only the parts so marked (教育收费 of 事业收入).
    pub detail: Option<Vec<String>>,
}

/// A resolved filter: the intersection of the filters that apply to one cell.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Query {
    /// Which facts.
    pub dataset: Dataset,
    /// Allowed fund sources (`None`: all).
    pub fund: Option<BTreeSet<FundSource>>,
    /// Allowed expenditure kinds.
    pub kind: Option<BTreeSet<ExpKind>>,
    /// Allowed balance kinds.
    pub balance: Option<BTreeSet<BalanceKind>>,
    /// Allowed "三公" categories.
    pub category: Option<BTreeSet<SanGong>>,
    /// Budget or actual.
    pub scenario: Option<Scenario>,
    /// Function code prefix.
    pub function: Option<String>,
    /// Economic code prefix.
    pub economic: Option<String>,
    /// Groups of economic prefixes: a code must be under one prefix of every group.
    pub economic_any: Vec<Vec<String>>,
    /// Allowed "其中" items; `None`: every fact, whatever its detail.
    pub detail: Option<BTreeSet<String>>,
    /// True when two filters contradict each other: the cell is always zero.
    pub contradictory: bool,
}

fn intersect<T: Ord + Clone>(a: Option<BTreeSet<T>>, b: Option<&[T]>) -> Option<BTreeSet<T>> {
    match (a, b) {
        (None, None) => None,
        (Some(a), None) => Some(a),
        (None, Some(b)) => Some(b.iter().cloned().collect()),
        (Some(a), Some(b)) => Some(a.into_iter().filter(|x| b.contains(x)).collect()),
    }
}

/// The longer of two code prefixes if one extends the other; `Err` if they are disjoint.
fn narrow(a: Option<String>, b: Option<&String>) -> Result<Option<String>, ()> {
    match (a, b) {
        (a, None) => Ok(a),
        (None, Some(b)) => Ok(Some(b.clone())),
        (Some(a), Some(b)) if b.starts_with(&a) => Ok(Some(b.clone())),
        (Some(a), Some(b)) if a.starts_with(b.as_str()) => Ok(Some(a)),
        _ => Err(()),
    }
}

impl Filter {
    /// Intersects `filters` into a query. `None` when no filter names a dataset.
    pub fn resolve<'a>(filters: impl IntoIterator<Item = &'a Filter>) -> Option<Query> {
        let mut q = Query {
            dataset: Dataset::Income,
            fund: None,
            kind: None,
            balance: None,
            category: None,
            scenario: None,
            function: None,
            economic: None,
            economic_any: Vec::new(),
            detail: None,
            contradictory: false,
        };
        let mut dataset = None;
        for f in filters {
            if let Some(d) = f.dataset {
                if dataset.is_some_and(|x| x != d) {
                    q.contradictory = true;
                }
                dataset = Some(d);
            }
            q.fund = intersect(
                q.fund,
                f.fund
                    .as_ref()
                    .map(|s| s.0.iter().copied().collect::<Vec<_>>())
                    .as_deref(),
            );
            q.kind = intersect(q.kind, f.kind.as_deref());
            q.balance = intersect(q.balance, f.balance.as_deref());
            q.category = intersect(q.category, f.category.as_deref());
            q.detail = intersect(q.detail, f.detail.as_deref());
            if let Some(s) = f.scenario {
                if q.scenario.is_some_and(|x| x != s) {
                    q.contradictory = true;
                }
                q.scenario = Some(s);
            }
            match narrow(q.function.take(), f.function.as_ref()) {
                Ok(v) => q.function = v,
                Err(()) => q.contradictory = true,
            }
            match narrow(q.economic.take(), f.economic.as_ref()) {
                Ok(v) => q.economic = v,
                Err(()) => q.contradictory = true,
            }
            if let Some(any) = &f.economic_any {
                q.economic_any.push(any.clone());
            }
        }
        q.dataset = dataset?;
        Some(q)
    }

    /// Names of the dimensions this filter sets.
    fn dimensions(&self) -> Vec<&'static str> {
        let mut d = Vec::new();
        if self.fund.is_some() {
            d.push("fund");
        }
        if self.kind.is_some() {
            d.push("kind");
        }
        if self.balance.is_some() {
            d.push("balance");
        }
        if self.category.is_some() {
            d.push("category");
        }
        if self.scenario.is_some() {
            d.push("scenario");
        }
        if self.function.is_some() {
            d.push("function");
        }
        if self.economic.is_some() || self.economic_any.is_some() {
            d.push("economic");
        }
        if self.detail.is_some() {
            d.push("detail");
        }
        d
    }
}

impl Dataset {
    /// The filter dimensions facts of this dataset have.
    pub fn dimensions(self) -> &'static [&'static str] {
        match self {
            Dataset::Income => &["fund", "function", "detail"],
            Dataset::Expenditure => &["fund", "function", "kind", "detail"],
            Dataset::BasicEconomic => &["fund", "economic"],
            Dataset::Balance => &["fund", "balance", "function"],
            Dataset::Sangong => &["category", "scenario"],
            Dataset::RunningCosts => &["scenario"],
        }
    }
}

/// How a zero amount prints.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ZeroDisplay {
    /// As `0.00`.
    #[default]
    #[serde(rename = "0.00")]
    Zero,
    /// As an empty cell.
    #[serde(rename = "blank")]
    Blank,
}

/// What a body column shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ColumnKind {
    /// The row's label (项目).
    Label,
    /// The row's 行次.
    Line,
    /// The row's full classification code.
    Code,
    /// The 类 part of the code (split-code layouts).
    Lei,
    /// The 款 part of the code (two digits).
    Kuan,
    /// The 项 part of the code (two digits).
    Xiang,
    /// The row's classification name.
    Name,
    /// An amount.
    Value,
}

/// A body column.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ColumnLayout {
    /// What it shows.
    pub kind: ColumnKind,
    /// 栏次 as printed in the header, if the layout prints one.
    #[serde(default)]
    pub col_no: Option<String>,
    /// What a value column means, from the table's vocabulary ([`TableId::column_keys`]):
    /// its address for checks, the same in every layout (`fiscal`, `basic`, `actual_total`).
    #[serde(default)]
    pub key: Option<String>,
    /// Filter of a value column.
    #[serde(default)]
    pub filter: Filter,
    /// Width in spreadsheet units (one Latin character; a Chinese character takes two).
    #[serde(default)]
    pub width: Option<u16>,
}

/// Where a function panel prints its total row.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TotalAt {
    /// Above the classification rows (the 2023 Wuhan layout).
    #[default]
    Top,
    /// Below them (some Shanghai tables).
    Bottom,
    /// Both above and below (some forms repeat the 合计 at the foot of the table). The copy at
    /// the foot prints the same figures; checks read the one above.
    Both,
}

/// Visual weight of a row.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RowStyle {
    /// Ordinary line.
    #[default]
    Normal,
    /// A total (合计, 总计): printed bold.
    Total,
}

/// A fixed row of a `lines` panel.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LineRowLayout {
    /// The national template's 行次 of the row: what rules address (`summary[L27]`) and `sum`
    /// refers to; printed in `line` columns unless `printed` says otherwise. A row the national
    /// template does not have leaves it out (rules then address it by its label).
    #[serde(default)]
    pub line: Option<u32>,
    /// The 行次 the form prints in its `line` column, where the region numbers its lines its own
    /// way (a family's forms number their lines 1, 2, 3… whatever the national 行次 they are).
    #[serde(default)]
    pub printed: Option<String>,
    /// A "其中" line: a part of the line with this 行次 (`其中：教育收费` under 事业收入), never
    /// more than it.
    #[serde(default)]
    pub part_of: Option<u32>,
    /// Label as printed.
    #[serde(default)]
    pub label: Option<Text>,
    /// A function 类 whose catalog name (after `prefix`) is the label and which filters the row.
    #[serde(default)]
    pub class: Option<String>,
    /// Printed before the class name, e.g. `一、`.
    #[serde(default)]
    pub prefix: Option<String>,
    /// Filter of the row.
    #[serde(default)]
    pub filter: Option<Filter>,
    /// Lines of the same panel whose values this row adds up.
    #[serde(default)]
    pub sum: Option<Vec<u32>>,
    /// Visual weight.
    #[serde(default)]
    pub style: RowStyle,
}

/// A panel: a block of columns printed beside the others.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PanelLayout {
    /// Fixed rows with 行次.
    Lines {
        /// Filter for every cell of the panel.
        #[serde(default)]
        filter: Filter,
        /// Columns.
        columns: Vec<ColumnLayout>,
        /// Rows.
        rows: Vec<LineRowLayout>,
    },
    /// 合计 plus the function 类/款/项 rows that have an amount in some value column.
    Function {
        /// Filter for every cell of the panel.
        #[serde(default)]
        filter: Filter,
        /// Columns.
        columns: Vec<ColumnLayout>,
        /// Label of the total row, e.g. `合 计`.
        total: Text,
        /// Where the total row prints: `top` (default) or `bottom`.
        #[serde(default)]
        total_at: TotalAt,
        /// Blank ruled rows are added so that the panel has at least this many rows besides
        /// its total (an empty table printed as a form).
        #[serde(default)]
        min_rows: usize,
        /// Only the 类 rows (`lei`): the expenditure side of a budget's summary tables, which
        /// lists the classes with an amount.
        #[serde(default)]
        depth: Option<Depth>,
        /// Its 类 rows are numbered `一、` `二、` … in order (the classes it prints).
        #[serde(default)]
        numbered: bool,
    },
    /// Fixed economic 类/款 rows.
    Economic {
        /// Filter for every cell of the panel.
        #[serde(default)]
        filter: Filter,
        /// Columns.
        columns: Vec<ColumnLayout>,
        /// Codes printed in order: 3-digit 类 rows and 5-digit 款 rows.
        rows: Vec<String>,
        /// This panel also shows economic 类 that no panel lists.
        #[serde(default)]
        rest: bool,
        /// Label of a total row adding its 类 rows column by column (a budget's 合计), if it
        /// prints one.
        #[serde(default)]
        total: Option<Text>,
        /// Where that total row prints: `top` (default) or `bottom`.
        #[serde(default)]
        total_at: TotalAt,
    },
}

impl ColumnKind {
    /// The snake_case key used in layout files (`label`, `value`, ...).
    pub fn key(self) -> &'static str {
        match self {
            ColumnKind::Label => "label",
            ColumnKind::Line => "line",
            ColumnKind::Code => "code",
            ColumnKind::Lei => "lei",
            ColumnKind::Kuan => "kuan",
            ColumnKind::Xiang => "xiang",
            ColumnKind::Name => "name",
            ColumnKind::Value => "value",
        }
    }
}

impl PanelLayout {
    /// The panel's columns.
    pub fn columns(&self) -> &[ColumnLayout] {
        match self {
            PanelLayout::Lines { columns, .. }
            | PanelLayout::Function { columns, .. }
            | PanelLayout::Economic { columns, .. } => columns,
        }
    }

    /// The panel's own filter.
    pub fn filter(&self) -> &Filter {
        match self {
            PanelLayout::Lines { filter, .. }
            | PanelLayout::Function { filter, .. }
            | PanelLayout::Economic { filter, .. } => filter,
        }
    }
}

/// How deep a function panel lists the classification.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Depth {
    /// 类 rows only.
    Lei,
    /// 类 and 款 rows.
    Kuan,
}

/// A header cell as written: a text, or a text with spans.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum HeaderCellLayout {
    /// One cell.
    Plain(Text),
    /// A merged cell.
    Spanned {
        /// The text.
        text: Text,
        /// Columns covered (default 1).
        #[serde(default)]
        colspan: Option<u16>,
        /// Rows covered (default 1).
        #[serde(default)]
        rowspan: Option<u16>,
    },
}

/// A total printed under several panels (公开06: 人员经费合计, 公用经费合计).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FooterLayout {
    /// Label.
    pub label: Text,
    /// Indexes of the panels whose totals it adds (their label and value columns are merged).
    pub panels: Vec<usize>,
}

/// One table of a layout.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TableLayout {
    /// Role of the table.
    pub id: TableId,
    /// Number as printed, e.g. `公开01表`.
    #[serde(default)]
    pub number: Option<Text>,
    /// Title.
    pub title: Text,
    /// A short title for sheet tabs (Excel allows 31 characters).
    #[serde(default)]
    pub short_title: Option<Text>,
    /// Note printed under the table (注：…).
    #[serde(default)]
    pub note: Option<Text>,
    /// Sentence printed when the table has no amounts (本单位无…).
    #[serde(default)]
    pub empty_note: Option<Text>,
    /// How zeros print.
    #[serde(default)]
    pub zero: ZeroDisplay,
    /// Printed on landscape A4.
    #[serde(default)]
    pub landscape: bool,
    /// The last row of every panel prints on the table's last row (收入总计 beside 支出总计,
    /// whatever the number of lines above each).
    #[serde(default)]
    pub align_last: bool,
    /// The unit this table prints in, where it is not the layout's (a budget's "三公" table in
    /// 万元 among tables in 元).
    #[serde(default)]
    pub amount_unit: Option<AmountUnit>,
    /// Header rows, top to bottom.
    pub header: Vec<Vec<HeaderCellLayout>>,
    /// Filter for every cell of the table.
    #[serde(default)]
    pub filter: Filter,
    /// Panels, left to right.
    pub panels: Vec<PanelLayout>,
    /// Totals under several panels.
    #[serde(default)]
    pub footer: Vec<FooterLayout>,
}

/// The rows a table prints whatever its amounts: what a rule's row address can name in it.
///
/// A family that leaves out lines of the national form (no class lines 32–57 in a 收支决算总表
/// that lists 基本支出 and 项目支出 instead) has nothing at those addresses: a rule over them
/// does not apply there, rather than reading zeros.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PrintedRows {
    /// The national 行次 of its fixed lines, blank or not, in order.
    pub lines: Vec<u32>,
    /// Whether rows carry classification codes (a function or economic panel, or fixed lines
    /// of function 类).
    pub codes: bool,
    /// "其中" lines: each one's label without spaces, and the 行次 of the line it is part of.
    pub parts: Vec<(String, u32)>,
}

impl TableLayout {
    /// The rows this table prints whatever its amounts.
    pub fn printed_rows(&self) -> PrintedRows {
        let mut out = PrintedRows::default();
        for p in &self.panels {
            match p {
                PanelLayout::Lines { rows, .. } => {
                    out.lines.extend(rows.iter().filter_map(|r| r.line));
                    out.codes |= rows.iter().any(|r| r.class.is_some());
                    out.parts.extend(rows.iter().filter_map(|r| {
                        let label = r.label.as_ref()?;
                        Some((crate::text::compact(&label.zh), r.part_of?))
                    }));
                }
                PanelLayout::Function { .. } | PanelLayout::Economic { .. } => out.codes = true,
            }
        }
        out
    }
}

/// Texts of the line above each table: department, year and amount unit. A layout that
/// prints only the unit leaves out the others.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetaLine {
    /// Department, with `{department}` replaced, e.g. `部门：{department}`.
    #[serde(default)]
    pub department: Option<Text>,
    /// Year, with `{year}` replaced, e.g. `{year}年度`.
    #[serde(default)]
    pub year: Option<Text>,
    /// Unit, with `{unit}` replaced, e.g. `金额单位：{unit}`.
    pub unit: Text,
}

/// A region's and year's layout of the nine tables.
///
/// Texts of titles, notes and the meta line may say `{department}` and `{year}` (and the meta
/// line `{unit}`): they are filled in for each department.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Layout {
    /// Identifier, e.g. `hubei-wuhan-2023`.
    pub id: String,
    /// The document kind whose tables it prints (`final-accounts`, the default).
    #[serde(default = "default_kind")]
    pub kind: String,
    /// Description.
    pub name: Text,
    /// Unit the tables print amounts in.
    #[serde(default = "default_unit")]
    pub amount_unit: AmountUnit,
    /// Rows printed bold: any of `total`, `lei`, `kuan`, `xiang`, `line` (default: totals
    /// and 类 rows).
    #[serde(default = "default_bold")]
    pub bold: Vec<BoldRow>,
    /// The line above each table.
    pub meta: MetaLine,
    /// The report's narrative template: a built-in id (`juesuan layouts` lists them) or, from
    /// the command line, a file. Without one the report holds the tables alone.
    #[serde(default)]
    pub narrative: Option<String>,
    /// Catalog files the layout needs (codes its forms print that the official catalog of the
    /// year may lack), relative to its bundle folder (`catalog/extra.csv`; for a layout file
    /// given alone, to the file's folder). They are loaded with the assets; a missing one is
    /// an error.
    #[serde(default)]
    pub catalogs: Vec<String>,
    /// Figures this region's reports make the same as another figure of the tables, by their
    /// own definitions (`running_costs = "public"`: its 机关运行经费 is the 公用经费 of the
    /// basic-expenditure table): an audit checks what the narrative states of the first
    /// against the cells of the second.
    #[serde(default)]
    pub same_as: std::collections::BTreeMap<String, String>,
    /// What a published report in this layout has besides its tables (rule D006).
    #[serde(default)]
    pub requires: Requires,
    /// Tables in printed order.
    pub tables: Vec<TableLayout>,
}

/// The parts a region's published report must have besides its tables, each found by its
/// heading (rule D006).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Requires {
    /// Sections of the narrative: keys of the kind's `[narrative] sections`.
    #[serde(default)]
    pub sections: Vec<String>,
    /// Other parts: keys of the kind's `[[parts]]` (`glossary`, 名词解释).
    #[serde(default)]
    pub parts: Vec<String>,
    /// Whether the report prints its 绩效自评 forms.
    #[serde(default)]
    pub forms: bool,
}

fn default_kind() -> String {
    crate::kind::FINAL_ACCOUNTS.to_string()
}

fn default_unit() -> AmountUnit {
    AmountUnit::Wan
}

fn default_bold() -> Vec<BoldRow> {
    vec![BoldRow::Total, BoldRow::Lei]
}

/// Kinds of rows a layout prints bold.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BoldRow {
    /// Totals.
    Total,
    /// 类 rows.
    Lei,
    /// 款 rows.
    Kuan,
    /// 项 rows.
    Xiang,
    /// Fixed lines.
    Line,
}

impl Layout {
    /// The table with role `id`.
    pub fn table(&self, id: &TableId) -> Option<&TableLayout> {
        self.tables.iter().find(|t| t.id == *id)
    }

    /// Proves the layout speaks its kind's vocabulary: every table is one of the kind's, and
    /// every value column has a key (once per panel) that the kind's table defines. `file`
    /// names the layout in diagnostics.
    pub fn check_kind(&self, file: &str, kind: &Kind) -> Vec<Diagnostic> {
        let mut problems = Vec::new();
        let required = self
            .requires
            .sections
            .iter()
            .map(|k| (k, kind.narrative.sections.iter().any(|s| s.key == *k)))
            .chain(
                self.requires
                    .parts
                    .iter()
                    .map(|k| (k, kind.parts.iter().any(|s| s.key == *k))),
            );
        for (key, _) in required.filter(|(_, known)| !known) {
            problems.push(Diagnostic::error(
                "E0501",
                Location::View {
                    table: format!("{file}#requires"),
                    row: "-".into(),
                    column: key.clone(),
                },
                Text::new(
                    format!("{}没有说明部分 {key}", kind.name.zh),
                    format!("{} has no part {key}", kind.name.get(crate::Lang::En)),
                ),
            ));
        }
        for table in &self.tables {
            let at = |row: String, column: String| Location::View {
                table: format!("{file}#{}", table.id.key()),
                row,
                column,
            };
            let mut fail = |loc: Location, zh: String, en: String| {
                problems.push(Diagnostic::error("E0501", loc, Text::new(zh, en)));
            };
            let Some(def) = kind.table(table.id.key()) else {
                let known = kind.table_keys().join(", ");
                fail(
                    at("-".into(), "-".into()),
                    format!("{}没有表 {}；可用：{known}", kind.name.zh, table.id),
                    format!(
                        "{} has no table {}; known: {known}",
                        kind.name.get(crate::Lang::En),
                        table.id
                    ),
                );
                continue;
            };
            let allowed = def.column_keys();
            // A "其中" column (a part of a column of the kind): `business.教育收费`.
            let part_of_known = |k: &str| {
                k.split_once('.')
                    .is_some_and(|(whole, part)| allowed.contains(&whole) && !part.is_empty())
            };
            for (pi, panel) in table.panels.iter().enumerate() {
                let mut keys = BTreeSet::new();
                let value_cols = panel
                    .columns()
                    .iter()
                    .filter(|c| c.kind == ColumnKind::Value);
                for (ci, col) in value_cols.enumerate() {
                    match col.key.as_deref() {
                        Some(k) if allowed.contains(&k) || part_of_known(k) => {
                            if !keys.insert(k) {
                                fail(
                                    at(format!("panel {pi}"), k.into()),
                                    format!("本栏的列 key “{k}” 重复"),
                                    format!("column key “{k}” appears twice in the panel"),
                                );
                            }
                        }
                        other => fail(
                            at(format!("panel {pi}"), format!("#{}", ci + 1)),
                            format!(
                                "数值列须有 key，取值为：{}，或其“其中”列（key.名称）；实际：{}",
                                allowed.join(", "),
                                other.unwrap_or("（无）")
                            ),
                            format!(
                                "a value column needs a key, one of: {}, or a part of one (key.name); found: {}",
                                allowed.join(", "),
                                other.unwrap_or("(none)")
                            ),
                        ),
                    }
                }
            }
        }
        problems
    }

    /// Proves the layout can be computed and printed: header widths match the body, sums
    /// refer to lines of their panel without cycles, every value cell names a dataset and only
    /// dimensions that dataset has. `file` names the layout in diagnostics.
    pub fn check(&self, file: &str) -> Vec<Diagnostic> {
        let mut problems = Vec::new();
        let mut seen = BTreeSet::new();
        for table in &self.tables {
            let at = |row: String, column: String| Location::View {
                table: format!("{file}#{}", table.id.key()),
                row,
                column,
            };
            let mut fail = |loc: Location, zh: String, en: String| {
                problems.push(Diagnostic::error("E0501", loc, Text::new(zh, en)));
            };
            if !seen.insert(table.id.clone()) {
                fail(
                    at("-".into(), "-".into()),
                    "表重复".into(),
                    "table appears twice".into(),
                );
            }
            let width: usize = table.panels.iter().map(|p| p.columns().len()).sum();
            match header_positions(&table.header) {
                Ok((_, w)) if w != width => fail(
                    at("header".into(), "-".into()),
                    format!("表头宽 {w} 列，表体 {width} 列"),
                    format!("header is {w} columns wide, body {width}"),
                ),
                Ok((cells, _)) if cells.is_empty() => fail(
                    at("header".into(), "-".into()),
                    "缺少表头".into(),
                    "no header".into(),
                ),
                Ok(_) => {}
                Err(e) => fail(at("header".into(), "-".into()), e.zh, e.en),
            }
            for (pi, panel) in table.panels.iter().enumerate() {
                let mut lines = BTreeMap::new();
                if let PanelLayout::Lines { rows, .. } = panel {
                    for (ri, r) in rows.iter().enumerate() {
                        if let Some(l) = r.line
                            && lines.insert(l, ri).is_some()
                        {
                            fail(
                                at(format!("行次 {l}"), "-".into()),
                                format!("行次 {l} 重复"),
                                format!("line {l} appears twice"),
                            );
                        }
                    }
                }
                let value_cols: Vec<&ColumnLayout> = panel
                    .columns()
                    .iter()
                    .filter(|c| c.kind == ColumnKind::Value)
                    .collect();
                let mut row_filters: Vec<(String, Vec<&Filter>)> = Vec::new();
                match panel {
                    PanelLayout::Lines { rows, .. } => {
                        for (ri, r) in rows.iter().enumerate() {
                            let name = r.line.map_or(format!("panel {pi} row {}", ri + 1), |l| {
                                format!("行次 {l}")
                            });
                            if r.sum.is_some() && (r.filter.is_some() || r.class.is_some()) {
                                fail(
                                    at(name.clone(), "-".into()),
                                    "一行不能既是合计又带筛选".into(),
                                    "a row cannot both sum lines and filter facts".into(),
                                );
                            }
                            if let Some(whole) = r.part_of
                                && !lines.contains_key(&whole)
                            {
                                fail(
                                    at(name.clone(), "-".into()),
                                    format!("“其中”行所属的行次 {whole} 不在本栏"),
                                    format!("part_of refers to line {whole}, not in this panel"),
                                );
                            }
                            if let Some(sum) = &r.sum {
                                for l in sum {
                                    if !lines.contains_key(l) {
                                        fail(
                                            at(name.clone(), "-".into()),
                                            format!("合计引用的行次 {l} 不在本栏"),
                                            format!("sum refers to line {l}, not in this panel"),
                                        );
                                    }
                                }
                            } else if r.filter.is_some() || r.class.is_some() {
                                let mut fs = Vec::new();
                                if let Some(f) = &r.filter {
                                    fs.push(f);
                                }
                                row_filters.push((name, fs));
                            }
                        }
                        if let Some(cycle) = sum_cycle(rows) {
                            fail(
                                at(format!("行次 {cycle}"), "-".into()),
                                format!("行次 {cycle} 的合计循环引用自身"),
                                format!("line {cycle} sums itself through other lines"),
                            );
                        }
                    }
                    _ => row_filters.push(("*".into(), Vec::new())),
                }
                for (name, rf) in &row_filters {
                    for (ci, col) in value_cols.iter().enumerate() {
                        let col_name = col.key.clone().unwrap_or_else(|| format!("#{}", ci + 1));
                        let all: Vec<&Filter> = [&table.filter, panel.filter()]
                            .into_iter()
                            .chain(rf.iter().copied())
                            .chain([&col.filter])
                            .collect();
                        match Filter::resolve(all.iter().copied()) {
                            None => fail(
                                at(name.clone(), col_name),
                                "单元格未指定数据集（dataset）".into(),
                                "cell has no dataset".into(),
                            ),
                            Some(q) => {
                                let dims = q.dataset.dimensions();
                                for f in &all {
                                    for d in f.dimensions() {
                                        if !dims.contains(&d) {
                                            fail(
                                                at(name.clone(), col_name.clone()),
                                                format!("数据集 {:?} 没有维度 {d}", q.dataset),
                                                format!(
                                                    "dataset {:?} has no dimension {d}",
                                                    q.dataset
                                                ),
                                            );
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            for f in &table.footer {
                if f.panels.is_empty() || f.panels.iter().any(|&p| p >= table.panels.len()) {
                    fail(
                        at("footer".into(), "-".into()),
                        "表尾引用的栏不存在".into(),
                        "footer refers to a missing panel".into(),
                    );
                } else if f
                    .panels
                    .iter()
                    .any(|&p| matches!(table.panels[p], PanelLayout::Lines { .. }))
                {
                    // A lines panel has no total of its own: a `sum` line prints one.
                    fail(
                        at("footer".into(), "-".into()),
                        "表尾只能合计功能分类栏或经济分类栏；固定行的栏用 sum 行列示合计".into(),
                        "a footer adds function or economic panels only; a lines panel prints its total as a sum line".into(),
                    );
                }
            }
        }
        problems
    }
}

/// A line that reaches itself through `sum` references, if any.
fn sum_cycle(rows: &[LineRowLayout]) -> Option<u32> {
    let deps: BTreeMap<u32, &Vec<u32>> = rows
        .iter()
        .filter_map(|r| Some((r.line?, r.sum.as_ref()?)))
        .collect();
    for &start in deps.keys() {
        let mut stack = vec![start];
        let mut seen = BTreeSet::new();
        while let Some(l) = stack.pop() {
            for &next in deps.get(&l).map(|v| v.as_slice()).unwrap_or(&[]) {
                if next == start {
                    return Some(start);
                }
                if seen.insert(next) {
                    stack.push(next);
                }
            }
        }
    }
    None
}

/// A header cell placed on the grid.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct HeaderCell {
    /// Row, from 0.
    pub row: usize,
    /// Column, from 0.
    pub col: usize,
    /// Rows covered.
    pub rowspan: usize,
    /// Columns covered.
    pub colspan: usize,
    /// Text.
    pub text: Text,
}

/// Places header cells on a grid as HTML tables do (each cell takes the next free slot, left
/// of which rowspans from above are skipped). Returns the cells and the grid width; rows of
/// unequal width are an error.
pub fn header_positions(rows: &[Vec<HeaderCellLayout>]) -> Result<(Vec<HeaderCell>, usize), Text> {
    let mut occupied: BTreeSet<(usize, usize)> = BTreeSet::new();
    let mut cells = Vec::new();
    let mut widths = Vec::new();
    for (r, row) in rows.iter().enumerate() {
        let mut c = 0;
        for cell in row {
            while occupied.contains(&(r, c)) {
                c += 1;
            }
            let (text, colspan, rowspan) = match cell {
                HeaderCellLayout::Plain(t) => (t.clone(), 1, 1),
                HeaderCellLayout::Spanned {
                    text,
                    colspan,
                    rowspan,
                } => (
                    text.clone(),
                    usize::from(colspan.unwrap_or(1).max(1)),
                    usize::from(rowspan.unwrap_or(1).max(1)),
                ),
            };
            if r + rowspan > rows.len() {
                return Err(Text::new(
                    format!("表头第 {} 行的单元格跨行超出表头", r + 1),
                    format!("a cell in header row {} spans below the header", r + 1),
                ));
            }
            for dr in 0..rowspan {
                for dc in 0..colspan {
                    // A span running into a cell merged from above: no sheet can print both.
                    if !occupied.insert((r + dr, c + dc)) {
                        return Err(Text::new(
                            format!("表头第 {} 行的合并单元格与上方跨行的单元格重叠", r + 1),
                            format!(
                                "a merged cell in header row {} overlaps a cell spanning from above",
                                r + 1
                            ),
                        ));
                    }
                }
            }
            cells.push(HeaderCell {
                row: r,
                col: c,
                rowspan,
                colspan,
                text,
            });
            c += colspan;
        }
        widths.push(
            occupied
                .iter()
                .filter(|(rr, _)| *rr == r)
                .map(|(_, cc)| cc + 1)
                .max()
                .unwrap_or(0),
        );
    }
    let width = widths.first().copied().unwrap_or(0);
    if let Some((i, w)) = widths.iter().enumerate().find(|(_, w)| **w != width) {
        return Err(Text::new(
            format!("表头第 {} 行宽 {w} 列，第 1 行宽 {width} 列", i + 1),
            format!("header row {} is {w} columns wide, row 1 is {width}", i + 1),
        ));
    }
    Ok((cells, width))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_grid_follows_html_placement() {
        let rows: Vec<Vec<HeaderCellLayout>> = vec![
            vec![
                HeaderCellLayout::Spanned {
                    text: Text::zh("项目"),
                    colspan: Some(2),
                    rowspan: Some(2),
                },
                HeaderCellLayout::Spanned {
                    text: Text::zh("支出"),
                    colspan: Some(2),
                    rowspan: None,
                },
            ],
            vec![
                HeaderCellLayout::Plain(Text::zh("基本")),
                HeaderCellLayout::Plain(Text::zh("项目")),
            ],
        ];
        let (cells, width) = header_positions(&rows).unwrap();
        assert_eq!(width, 4);
        assert_eq!((cells[2].row, cells[2].col), (1, 2));
        let ragged = vec![vec![HeaderCellLayout::Plain(Text::zh("a"))], vec![]];
        assert!(header_positions(&ragged).is_err());
        // Row 2's three-column cell would run into the cell row 1 merges downwards.
        let overlapping = vec![
            vec![
                HeaderCellLayout::Plain(Text::same("a")),
                HeaderCellLayout::Plain(Text::same("b")),
                HeaderCellLayout::Spanned {
                    text: Text::same("c"),
                    colspan: None,
                    rowspan: Some(2),
                },
            ],
            vec![HeaderCellLayout::Spanned {
                text: Text::same("d"),
                colspan: Some(3),
                rowspan: None,
            }],
        ];
        assert!(header_positions(&overlapping).is_err());
    }

    #[test]
    fn filters_intersect() {
        let a = Filter {
            dataset: Some(Dataset::Expenditure),
            fund: Some(FundSet(FundSource::FISCAL.iter().copied().collect())),
            function: Some("206".into()),
            ..Filter::default()
        };
        let b = Filter {
            fund: Some(FundSet(
                [FundSource::GeneralBudget, FundSource::Other].into(),
            )),
            function: Some("20601".into()),
            ..Filter::default()
        };
        let q = Filter::resolve([&a, &b]).unwrap();
        assert_eq!(q.fund, Some([FundSource::GeneralBudget].into()));
        assert_eq!(q.function.as_deref(), Some("20601"));
        assert!(!q.contradictory);
        let c = Filter {
            function: Some("208".into()),
            ..Filter::default()
        };
        assert!(Filter::resolve([&a, &c]).unwrap().contradictory);
        assert!(Filter::resolve([&b]).is_none());
    }
}
