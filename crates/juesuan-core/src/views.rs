//! The nine public tables as views of one consolidated [`Ledger`], laid out by a [`Layout`].
//!
//! A [`View`] keeps exact amounts (元, [`Money`]) with the address of every cell (table,
//! 行次 or code, 栏次); [`View::body_grid`] turns it into printed text for renderers, rounding
//! each figure once to the layout's display unit.

use crate::catalog::{Catalog, Classification, Level};
use crate::consolidate::Ledger;
use crate::diag::{Diagnostic, Location};
use crate::facts::{Department, ExpKind};
use crate::layout::{
    BoldRow, ColumnKind, Dataset, Depth, Filter, HeaderCell, Layout, LineRowLayout, PanelLayout,
    Query, RowStyle, TableId, TableLayout, TotalAt, ZeroDisplay, header_positions,
};
use crate::money::{AmountUnit, Money, Printed};
use crate::text::{Lang, Text};
use serde::Serialize;
use std::collections::BTreeMap;

/// The nine views of one department-year.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Views {
    /// Department name.
    pub department: String,
    /// Fiscal year.
    pub year: i32,
    /// Layout id.
    pub layout: String,
    /// Unit the tables print in.
    pub amount_unit: AmountUnit,
    /// The line printed above each table.
    pub meta: MetaTexts,
    /// Tables in printed order.
    pub tables: Vec<View>,
    /// What the document is called (its kind's titles; the 部门决算's unless the build says).
    #[serde(skip)]
    pub titles: crate::kind::DocumentTitles,
}

impl Views {
    /// The table with role `id`.
    pub fn table(&self, id: &str) -> Option<&View> {
        self.tables.iter().find(|t| t.id == id)
    }

    /// The unit `view` prints its amounts in.
    pub fn unit_of(&self, view: &View) -> AmountUnit {
        view.amount_unit.unwrap_or(self.amount_unit)
    }

    /// The unit part of the line above `view` (`单位：元`).
    pub fn unit_line(&self, view: &View) -> Text {
        match view.amount_unit {
            Some(u) if u != self.amount_unit => Text {
                zh: self.meta.unit.zh.replace(self.amount_unit.zh(), u.zh()),
                en: self
                    .meta
                    .unit
                    .get(Lang::En)
                    .replace(self.amount_unit.en(), u.en()),
            },
            _ => self.meta.unit.clone(),
        }
    }
}

/// The line above each table: department, year and amount unit, as printed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MetaTexts {
    /// `部门：武汉市洪山区科学技术和经济信息化局`, if the layout prints it.
    pub department: Option<Text>,
    /// `2023年度`, if the layout prints it.
    pub year: Option<Text>,
    /// `金额单位：万元`.
    pub unit: Text,
}

/// What a row is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RowKind {
    /// A fixed line of a `lines` panel.
    Line,
    /// A line with 行次 but nothing else.
    Blank,
    /// A total (合计, 总计, 本年收入合计...).
    Total,
    /// A classification row at 类 level.
    Lei,
    /// A classification row at 款 level.
    Kuan,
    /// A classification row at 项 level.
    Xiang,
}

/// One row of a panel, with exact values.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Row {
    /// What the row is.
    pub kind: RowKind,
    /// 行次.
    pub line: Option<u32>,
    /// Classification code.
    pub code: Option<String>,
    /// Label or classification name.
    pub label: Text,
    /// One value per value column of the panel; `None` prints blank whatever its zero policy.
    pub values: Vec<Option<Money>>,
    /// The 行次 printed, where the form numbers the line otherwise than its national 行次.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub printed_line: Option<String>,
    /// For a "其中" line: the 行次 of the line it is a part of.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub part_of: Option<u32>,
    /// A copy of a row printed again (a 合计 repeated at the foot of the table): the same
    /// figures, left out of the checks.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub repeat: bool,
}

impl Row {
    /// The 行次 the form prints for the row: its own numbering where it has one, else the
    /// national 行次.
    pub fn line_as_printed(&self) -> Option<String> {
        self.printed_line
            .clone()
            .or_else(|| self.line.map(|l| l.to_string()))
    }

    /// The row's address for checks: its 行次, else its code, else its Chinese label without
    /// spaces (`合计`); `None` for a row with none of them (the single row of 公开09).
    pub fn address(&self) -> Option<String> {
        match (&self.line, &self.code) {
            (Some(l), _) => Some(l.to_string()),
            (None, Some(c)) => Some(c.clone()),
            _ => Some(crate::text::compact(&self.label.zh)).filter(|s| !s.is_empty()),
        }
    }
}

/// A body column.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ViewColumn {
    /// Panel the column belongs to.
    pub panel: usize,
    /// What it shows.
    pub kind: ColumnKind,
    /// 栏次 of a value column, as printed.
    pub col_no: Option<String>,
    /// What a value column means ([`crate::layout::TableId::column_keys`]).
    pub key: Option<String>,
    /// Width in spreadsheet units: one Latin character; a Chinese character takes two.
    pub width: Option<u16>,
}

/// A block of rows printed beside the other panels.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Panel {
    /// Rows, top to bottom.
    pub rows: Vec<Row>,
}

/// A total printed under several panels.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FooterItem {
    /// Label.
    pub label: Text,
    /// Panels it spans.
    pub panels: Vec<usize>,
    /// Exact value.
    pub value: Money,
}

/// One of the nine tables.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct View {
    /// Role.
    pub id: TableId,
    /// The classification its codes follow (economic where a panel lists economic 类/款).
    #[serde(skip)]
    pub codes: Classification,
    /// Printed number (公开01表).
    pub number: Option<Text>,
    /// Title.
    pub title: Text,
    /// Short title for sheet tabs (the title when the layout gives none).
    pub short_title: Text,
    /// Note under the table.
    pub note: Option<Text>,
    /// True when every amount of the table is zero.
    pub empty: bool,
    /// Sentence printed because the table is empty.
    pub empty_note: Option<Text>,
    /// How zeros print.
    pub zero: ZeroDisplay,
    /// Printed landscape.
    pub landscape: bool,
    /// The unit it prints in, where not the layout's ([`Views::unit_of`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount_unit: Option<AmountUnit>,
    /// Kinds of rows printed bold.
    pub bold: Vec<RowKind>,
    /// Header cells placed on the grid.
    pub header: Vec<HeaderCell>,
    /// Number of header rows.
    pub header_rows: usize,
    /// Body columns, all panels left to right.
    pub columns: Vec<ViewColumn>,
    /// Panels.
    pub panels: Vec<Panel>,
    /// Totals under several panels.
    pub footer: Vec<FooterItem>,
    /// The rows its layout prints whatever the amounts (what rules can address).
    #[serde(skip)]
    pub printed: crate::layout::PrintedRows,
}

/// A printed body cell.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum Content {
    /// Nothing printed.
    Empty,
    /// Text (label, code, 行次).
    Text(String),
    /// An amount, rounded once for printing.
    Amount(Printed),
    /// Covered by a merged cell to its left.
    Covered,
}

/// A printed body cell with its layout and address.
///
/// `body_grid` gives one cell per body column in every row; a merged cell spans `colspan`
/// columns and the cells it covers are [`Content::Covered`]. In a footer item the label spans
/// every column of its panels but the last, which holds the amount.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct GridCell {
    /// What is printed.
    pub content: Content,
    /// Columns the cell spans (1 unless merged).
    pub colspan: usize,
    /// Printed bold (totals, 类 rows).
    pub strong: bool,
    /// What the cell's column shows (a footer label counts as a label).
    pub column: ColumnKind,
    /// What the cell's row is; `None` below the end of a shorter panel.
    pub row_kind: Option<RowKind>,
    /// The row's address ([`Row::address`]; a footer item's label), for amounts and the
    /// blank cells of value columns.
    pub row: Option<String>,
    /// The column's printed 栏次, for the cells of value columns.
    pub col: Option<String>,
    /// The column's key, for the cells of value columns (empty for a footer total, which
    /// adds whole panels).
    pub key: Option<String>,
}

impl GridCell {
    /// The text a reader sees in this cell (amounts grouped: `35,549.61`).
    pub fn text(&self) -> String {
        match &self.content {
            Content::Empty | Content::Covered => String::new(),
            Content::Text(s) => s.clone(),
            Content::Amount(p) => p.grouped(),
        }
    }
}

impl View {
    /// The value columns of panel `panel`, in order.
    pub fn value_columns(&self, panel: usize) -> impl Iterator<Item = &ViewColumn> {
        self.columns
            .iter()
            .filter(move |c| c.panel == panel && c.kind == ColumnKind::Value)
    }

    /// The printed body: one row of cells per row of the tallest panel, then the footer.
    pub fn body_grid(&self, lang: Lang, unit: AmountUnit) -> Vec<Vec<GridCell>> {
        let blank_zero = self.zero == ZeroDisplay::Blank || self.empty_note.is_some();
        let height = self.panels.iter().map(|p| p.rows.len()).max().unwrap_or(0);
        let mut grid = Vec::with_capacity(height + 1);
        for r in 0..height {
            let mut cells = Vec::with_capacity(self.columns.len());
            for (pi, panel) in self.panels.iter().enumerate() {
                let row = panel.rows.get(r);
                let strong = row.is_some_and(|r| self.bold.contains(&r.kind));
                let mut vi = 0;
                for col in self.columns.iter().filter(|c| c.panel == pi) {
                    let content = match row {
                        None => Content::Empty,
                        Some(row) => cell_content(row, col.kind, &mut vi, blank_zero, lang, unit),
                    };
                    // An amount's cell is addressed, and so is a value cell left blank (a
                    // zero, a line with nothing): a figure may read it, a reader may ask.
                    let addressed = matches!(content, Content::Amount(_))
                        || (row.is_some() && col.kind == ColumnKind::Value);
                    cells.push(GridCell {
                        content,
                        colspan: 1,
                        strong,
                        column: col.kind,
                        row_kind: row.map(|r| r.kind),
                        row: row.and_then(Row::address).filter(|_| addressed),
                        col: col.col_no.clone().filter(|_| addressed),
                        key: col.key.clone().filter(|_| addressed),
                    });
                }
            }
            grid.push(cells);
        }
        if !self.footer.is_empty() {
            let mut cells: Vec<GridCell> = self
                .columns
                .iter()
                .map(|c| GridCell {
                    content: Content::Empty,
                    colspan: 1,
                    strong: self.bold.contains(&RowKind::Total),
                    column: c.kind,
                    row_kind: Some(RowKind::Total),
                    row: None,
                    col: None,
                    key: None,
                })
                .collect();
            for item in &self.footer {
                let cols: Vec<usize> = self
                    .columns
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| item.panels.contains(&c.panel))
                    .map(|(i, _)| i)
                    .collect();
                let (Some(&first), Some(&last)) = (cols.first(), cols.last()) else {
                    continue;
                };
                cells[first].content = Content::Text(item.label.get(lang).to_string());
                cells[first].colspan = last - first;
                cells[first].column = ColumnKind::Label;
                for c in &mut cells[first + 1..last] {
                    c.content = Content::Covered;
                }
                cells[last].content = amount(Some(item.value), blank_zero, unit);
                // A footer total adds whole panels: its address is its label, no 栏次, and
                // no column key (`basic_economic/人员经费合计/`).
                cells[last].row = Some(crate::text::compact(&item.label.zh));
                cells[last].key = Some(String::new());
            }
            grid.push(cells);
        }
        grid
    }
}

fn amount(value: Option<Money>, blank_zero: bool, unit: AmountUnit) -> Content {
    match value {
        None => Content::Empty,
        Some(m) if m.is_zero() && blank_zero => Content::Empty,
        Some(m) => Content::Amount(m.display_in(unit)),
    }
}

fn cell_content(
    row: &Row,
    kind: ColumnKind,
    value_index: &mut usize,
    blank_zero: bool,
    lang: Lang,
    unit: AmountUnit,
) -> Content {
    let text = |s: String| {
        if s.is_empty() {
            Content::Empty
        } else {
            Content::Text(s)
        }
    };
    let part = |range: std::ops::Range<usize>| {
        text(
            row.code
                .as_deref()
                .and_then(|c| c.get(range))
                .unwrap_or("")
                .to_string(),
        )
    };
    match kind {
        ColumnKind::Label | ColumnKind::Name => text(row.label.get(lang).to_string()),
        ColumnKind::Line => text(row.line_as_printed().unwrap_or_default()),
        ColumnKind::Code => text(row.code.clone().unwrap_or_default()),
        ColumnKind::Lei => part(0..3),
        ColumnKind::Kuan => part(3..5),
        ColumnKind::Xiang => part(5..7),
        ColumnKind::Value => {
            let v = row.values.get(*value_index).copied().flatten();
            *value_index += 1;
            amount(v, blank_zero, unit)
        }
    }
}

/// Evaluates queries over a ledger.
struct Eval<'a> {
    ledger: &'a Ledger,
}

impl Eval<'_> {
    /// Calls `f(function, economic, amount)` for every fact matching `q`.
    fn each(&self, q: &Query, mut f: impl FnMut(Option<&str>, Option<&str>, Money)) {
        if q.contradictory {
            return;
        }
        let fund_ok = |x| q.fund.as_ref().is_none_or(|s| s.contains(&x));
        let code_ok = |prefix: &Option<String>, code: Option<&str>| match prefix {
            None => true,
            Some(p) => code.is_some_and(|c| c.starts_with(p.as_str())),
        };
        let l = self.ledger;
        match q.dataset {
            // A "其中" filter reads the parts with those details; without one, every amount.
            Dataset::Income => match &q.detail {
                None => {
                    for ((src, func), m) in &l.income {
                        if fund_ok(*src) && code_ok(&q.function, Some(func)) {
                            f(Some(func), None, *m);
                        }
                    }
                }
                Some(details) => {
                    for ((src, func, detail), m) in &l.income_detail {
                        if details.contains(detail)
                            && fund_ok(*src)
                            && code_ok(&q.function, Some(func))
                        {
                            f(Some(func), None, *m);
                        }
                    }
                }
            },
            Dataset::Expenditure => {
                let kind_ok = |kind: &ExpKind| q.kind.as_ref().is_none_or(|s| s.contains(kind));
                match &q.detail {
                    None => {
                        for ((fund, func, kind), m) in &l.expenditure {
                            if fund_ok(*fund) && kind_ok(kind) && code_ok(&q.function, Some(func)) {
                                f(Some(func), None, *m);
                            }
                        }
                    }
                    Some(details) => {
                        for ((fund, func, kind, detail), m) in &l.expenditure_detail {
                            if details.contains(detail)
                                && fund_ok(*fund)
                                && kind_ok(kind)
                                && code_ok(&q.function, Some(func))
                            {
                                f(Some(func), None, *m);
                            }
                        }
                    }
                }
            }
            Dataset::BasicEconomic => {
                let any_ok = |econ: &str| {
                    q.economic_any
                        .iter()
                        .all(|g| g.iter().any(|p| econ.starts_with(p.as_str())))
                };
                for ((fund, econ), m) in &l.basic_economic {
                    if fund_ok(*fund) && code_ok(&q.economic, Some(econ)) && any_ok(econ) {
                        f(None, Some(econ), *m);
                    }
                }
            }
            Dataset::Balance => {
                for ((fund, kind, func), m) in &l.balances {
                    if fund_ok(*fund)
                        && q.balance.as_ref().is_none_or(|s| s.contains(kind))
                        && code_ok(&q.function, func.as_deref())
                    {
                        f(func.as_deref(), None, *m);
                    }
                }
            }
            Dataset::Sangong => {
                for ((cat, scen), m) in &l.sangong {
                    if q.category.as_ref().is_none_or(|s| s.contains(cat))
                        && q.scenario.is_none_or(|s| s == *scen)
                    {
                        f(None, None, *m);
                    }
                }
            }
            Dataset::RunningCosts => {
                for (scen, m) in &l.running_costs {
                    if q.scenario.is_none_or(|s| s == *scen) {
                        f(None, None, *m);
                    }
                }
            }
        }
    }

    fn sum(&self, q: &Query) -> Money {
        let mut total = Money::ZERO;
        self.each(q, |_, _, m| total += m);
        total
    }
}

/// Builds every table of `layout` from the consolidated `ledger`.
///
/// Fails (with every problem) when the layout is inconsistent, or when a code with an amount
/// has no name in the catalog, or an economic 类 has no panel to print in.
pub fn build_views(
    department: &Department,
    ledger: &Ledger,
    catalog: &Catalog,
    layout: &Layout,
) -> Result<Views, Vec<Diagnostic>> {
    let problems = layout.check(&layout.id);
    if !problems.is_empty() {
        return Err(problems);
    }
    let eval = Eval { ledger };
    let mut problems = Vec::new();
    let bold: Vec<RowKind> = layout
        .bold
        .iter()
        .map(|b| match b {
            BoldRow::Total => RowKind::Total,
            BoldRow::Lei => RowKind::Lei,
            BoldRow::Kuan => RowKind::Kuan,
            BoldRow::Xiang => RowKind::Xiang,
            BoldRow::Line => RowKind::Line,
        })
        .collect();
    let tables: Vec<View> = layout
        .tables
        .iter()
        .map(|t| build_table(t, &bold, &eval, catalog, layout.amount_unit, &mut problems))
        .collect();
    if !problems.is_empty() {
        return Err(problems);
    }
    let unit = Text::new(layout.amount_unit.zh(), layout.amount_unit.en());
    let year = Text::same(department.year.to_string());
    let name = Text::same(department.name.clone());
    let fill = |t: &Text| {
        fill_in(
            t,
            &[
                ("{department}", &name),
                ("{year}", &year),
                ("{unit}", &unit),
            ],
        )
    };
    let mut tables = tables;
    for t in &mut tables {
        let fill_opt = |t: &mut Option<Text>| {
            if let Some(x) = t {
                *x = fill_in(x, &[("{department}", &name), ("{year}", &year)]);
            }
        };
        t.title = fill_in(&t.title, &[("{department}", &name), ("{year}", &year)]);
        t.short_title = fill_in(
            &t.short_title,
            &[("{department}", &name), ("{year}", &year)],
        );
        fill_opt(&mut t.note);
        fill_opt(&mut t.empty_note);
    }
    Ok(Views {
        department: department.name.clone(),
        year: department.year,
        layout: layout.id.clone(),
        amount_unit: layout.amount_unit,
        meta: MetaTexts {
            department: layout.meta.department.as_ref().map(fill),
            year: layout.meta.year.as_ref().map(fill),
            unit: fill(&layout.meta.unit),
        },
        tables,
        titles: Default::default(),
    })
}

/// Replaces each `{key}` in both languages.
fn fill_in(t: &Text, pairs: &[(&str, &Text)]) -> Text {
    let mut zh = t.zh.clone();
    let mut en = t.get(Lang::En).to_string();
    for (key, value) in pairs {
        zh = zh.replace(key, &value.zh);
        en = en.replace(key, value.get(Lang::En));
    }
    Text { zh, en }
}

fn build_table(
    t: &TableLayout,
    bold: &[RowKind],
    eval: &Eval,
    catalog: &Catalog,
    layout_unit: AmountUnit,
    problems: &mut Vec<Diagnostic>,
) -> View {
    let (header, _) = header_positions(&t.header).unwrap_or_default();
    let header_rows = t.header.len();
    let mut columns = Vec::new();
    let mut panels = Vec::new();
    let mut panel_totals = Vec::new();
    for (pi, p) in t.panels.iter().enumerate() {
        columns.extend(p.columns().iter().map(|c| ViewColumn {
            panel: pi,
            kind: c.kind,
            col_no: c.col_no.clone(),
            key: c.key.clone(),
            width: c.width,
        }));
        let base = [&t.filter, p.filter()];
        let value_filters: Vec<&Filter> = p
            .columns()
            .iter()
            .filter(|c| c.kind == ColumnKind::Value)
            .map(|c| &c.filter)
            .collect();
        let (rows, total) = match p {
            PanelLayout::Lines { rows, .. } => (
                line_rows(rows, &base, &value_filters, eval, catalog, t, problems),
                Money::ZERO,
            ),
            PanelLayout::Function {
                total,
                total_at,
                min_rows,
                depth,
                numbered,
                ..
            } => {
                let mut rows =
                    function_rows(total, &base, &value_filters, eval, catalog, t, problems);
                match depth {
                    Some(Depth::Lei) => {
                        rows.retain(|r| matches!(r.kind, RowKind::Total | RowKind::Lei))
                    }
                    Some(Depth::Kuan) => rows.retain(|r| r.kind != RowKind::Xiang),
                    None => {}
                }
                if *numbered {
                    let mut n: u32 = 0;
                    for r in rows.iter_mut().filter(|r| r.kind == RowKind::Lei) {
                        n += 1;
                        r.label = Text {
                            zh: format!("{}、{}", crate::text::cn_numeral(n), r.label.zh),
                            en: format!("{n}. {}", r.label.get(Lang::En)),
                        };
                    }
                }
                // What a footer under this panel adds: its total's first amount.
                let panel_total = rows[0]
                    .values
                    .first()
                    .copied()
                    .flatten()
                    .unwrap_or_default();
                // Blank ruled rows after the classification rows, as forms print them.
                while rows.len() < min_rows + 1 {
                    rows.push(Row {
                        kind: RowKind::Blank,
                        line: None,
                        code: None,
                        label: Text::default(),
                        values: vec![None; value_filters.len()],
                        printed_line: None,
                        part_of: None,
                        repeat: false,
                    });
                }
                match total_at {
                    TotalAt::Top => {}
                    TotalAt::Bottom => rows.rotate_left(1),
                    TotalAt::Both => {
                        let mut foot = rows[0].clone();
                        foot.repeat = true;
                        rows.push(foot);
                    }
                }
                (rows, panel_total)
            }
            PanelLayout::Economic {
                rows,
                rest,
                total: total_label,
                total_at,
                ..
            } => {
                let others: Vec<&String> = t
                    .panels
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| *i != pi)
                    .flat_map(|(_, p)| match p {
                        PanelLayout::Economic { rows, .. } => rows.iter().collect(),
                        _ => Vec::new(),
                    })
                    .filter(|c| c.len() == 3)
                    .collect();
                let first_economic = t
                    .panels
                    .iter()
                    .position(|p| matches!(p, PanelLayout::Economic { .. }))
                    == Some(pi);
                let any_rest = t
                    .panels
                    .iter()
                    .any(|p| matches!(p, PanelLayout::Economic { rest: true, .. }));
                let report = first_economic && !any_rest;
                let (mut rows, total) = economic_rows(
                    rows,
                    *rest,
                    report,
                    &others,
                    &base,
                    &value_filters,
                    eval,
                    catalog,
                    t,
                    problems,
                );
                if let Some(label) = total_label {
                    let values = (0..value_filters.len())
                        .map(|c| {
                            Some(
                                rows.iter()
                                    .filter(|r| r.kind == RowKind::Lei)
                                    .filter_map(|r| r.values[c])
                                    .sum(),
                            )
                        })
                        .collect();
                    let row = Row {
                        kind: RowKind::Total,
                        line: None,
                        code: None,
                        label: label.clone(),
                        values,
                        printed_line: None,
                        part_of: None,
                        repeat: false,
                    };
                    match total_at {
                        TotalAt::Bottom => rows.push(row),
                        TotalAt::Top => rows.insert(0, row),
                        TotalAt::Both => {
                            let mut foot = row.clone();
                            foot.repeat = true;
                            rows.insert(0, row);
                            rows.push(foot);
                        }
                    }
                }
                (rows, total)
            }
        };
        panel_totals.push(total);
        panels.push(Panel { rows });
    }
    if t.align_last {
        // Blank rows before each shorter panel's last row, which then prints on the last.
        let height = panels.iter().map(|p| p.rows.len()).max().unwrap_or(0);
        for (p, filters) in panels.iter_mut().zip(t.panels.iter()) {
            let n = filters
                .columns()
                .iter()
                .filter(|c| c.kind == ColumnKind::Value)
                .count();
            let at = p.rows.len().saturating_sub(1);
            while p.rows.len() < height {
                p.rows.insert(
                    at,
                    Row {
                        kind: RowKind::Blank,
                        line: None,
                        code: None,
                        label: Text::default(),
                        values: vec![None; n],
                        printed_line: None,
                        part_of: None,
                        repeat: false,
                    },
                );
            }
        }
    }
    let footer = t
        .footer
        .iter()
        .map(|f| FooterItem {
            label: f.label.clone(),
            panels: f.panels.clone(),
            value: Money::checked_sum(
                f.panels
                    .iter()
                    .filter_map(|&p| panel_totals.get(p).copied()),
            )
            .unwrap_or_else(|| {
                problems.push(overflow(t, "footer".into(), 0));
                Money::ZERO
            }),
        })
        .collect();
    let empty = panels
        .iter()
        .flat_map(|p| p.rows.iter())
        .flat_map(|r| r.values.iter())
        .all(|v| v.is_none_or(|m| m.is_zero()));
    View {
        id: t.id.clone(),
        codes: if t
            .panels
            .iter()
            .any(|p| matches!(p, PanelLayout::Economic { .. }))
        {
            Classification::Economic
        } else {
            Classification::Function
        },
        number: t.number.clone(),
        title: t.title.clone(),
        short_title: t.short_title.clone().unwrap_or_else(|| t.title.clone()),
        note: t.note.clone(),
        empty,
        empty_note: if empty { t.empty_note.clone() } else { None },
        zero: t.zero,
        landscape: t.landscape,
        amount_unit: t.amount_unit.filter(|u| *u != layout_unit),
        bold: bold.to_vec(),
        header,
        header_rows,
        columns,
        panels,
        footer,
        printed: t.printed_rows(),
    }
}

fn query(filters: &[&Filter]) -> Option<Query> {
    Filter::resolve(filters.iter().copied())
}

/// A layout's sum too large to print exactly (lines adding up lines many times over).
fn overflow(t: &TableLayout, row: String, column: usize) -> Diagnostic {
    Diagnostic::error(
        "E0404",
        Location::View {
            table: t.id.key().into(),
            row,
            column: column.to_string(),
        },
        Text::new(
            "版式中的合计超出可精确表示的金额范围",
            "a sum of the layout exceeds the amounts that can be held exactly",
        ),
    )
    .expected(Text::new(
        "合计行引用的行不重复累加（不超过 7.9 × 10^26 元）",
        "sum lines that do not add the same lines over and over (at most 7.9 × 10^26 yuan)",
    ))
}

fn missing_name(t: &TableLayout, class: Classification, code: &str) -> Diagnostic {
    Diagnostic::error(
        "E0402",
        Location::View {
            table: t.id.key().into(),
            row: code.into(),
            column: "-".into(),
        },
        Text::new(
            format!("{}代码 {code} 不在分类目录中，无法列示名称", class.zh()),
            format!(
                "{} code {code} is not in the catalog; its row has no name",
                class.en()
            ),
        ),
    )
}

fn line_rows(
    rows: &[LineRowLayout],
    base: &[&Filter; 2],
    value_filters: &[&Filter],
    eval: &Eval,
    catalog: &Catalog,
    t: &TableLayout,
    problems: &mut Vec<Diagnostic>,
) -> Vec<Row> {
    let mut out: Vec<Row> = Vec::with_capacity(rows.len());
    for r in rows {
        let class_filter = r.class.as_ref().map(|c| Filter {
            function: Some(c.clone()),
            ..Filter::default()
        });
        let label = match (&r.label, &r.class) {
            (Some(l), _) => l.clone(),
            (None, Some(c)) => {
                let name = catalog
                    .name(Classification::Function, c)
                    .unwrap_or_else(|| {
                        problems.push(missing_name(t, Classification::Function, c));
                        ""
                    });
                Text::zh(format!("{}{}", r.prefix.as_deref().unwrap_or(""), name))
            }
            (None, None) => Text::default(),
        };
        let computed = r.filter.is_some() || r.class.is_some();
        let values: Vec<Option<Money>> = if computed {
            value_filters
                .iter()
                .map(|vf| {
                    let mut fs: Vec<&Filter> = base.to_vec();
                    fs.extend(r.filter.as_ref());
                    fs.extend(class_filter.as_ref());
                    fs.push(vf);
                    query(&fs).map(|q| eval.sum(&q))
                })
                .collect()
        } else {
            vec![None; value_filters.len()]
        };
        let kind = match (computed, &r.sum, r.style) {
            (_, _, RowStyle::Total) => RowKind::Total,
            (false, None, _) if r.label.is_none() => RowKind::Blank,
            _ => RowKind::Line,
        };
        out.push(Row {
            kind,
            line: r.line,
            code: r.class.clone(),
            label,
            values,
            printed_line: r.printed.clone(),
            part_of: r.part_of,
            repeat: false,
        });
    }
    // Sums, resolved in dependency order (layout checks rule out cycles).
    let mut pending: Vec<usize> = (0..rows.len()).filter(|&i| rows[i].sum.is_some()).collect();
    let mut done: Vec<bool> = rows.iter().map(|r| r.sum.is_none()).collect();
    while !pending.is_empty() {
        let before = pending.len();
        pending.retain(|&i| {
            let refs: Vec<usize> = rows[i]
                .sum
                .iter()
                .flatten()
                .filter_map(|l| rows.iter().position(|r| r.line == Some(*l)))
                .collect();
            if refs.iter().any(|&j| !done[j]) {
                return true;
            }
            // Lines may add up lines that add up lines: the layout, not the facts, bounds how
            // large this gets, so the sum is checked.
            let values = (0..value_filters.len())
                .map(|c| {
                    let sum = Money::checked_sum(refs.iter().filter_map(|&j| out[j].values[c]));
                    if sum.is_none() {
                        let line = rows[i].line.map_or("-".into(), |l| l.to_string());
                        problems.push(overflow(t, line, c + 1));
                    }
                    sum
                })
                .collect();
            out[i].values = values;
            done[i] = true;
            false
        });
        if pending.len() == before {
            break;
        }
    }
    out
}

fn function_rows(
    total_label: &Text,
    base: &[&Filter; 2],
    value_filters: &[&Filter],
    eval: &Eval,
    catalog: &Catalog,
    t: &TableLayout,
    problems: &mut Vec<Diagnostic>,
) -> Vec<Row> {
    let n = value_filters.len();
    let mut by_code: BTreeMap<String, Vec<Money>> = BTreeMap::new();
    let mut totals = vec![Money::ZERO; n];
    for (c, vf) in value_filters.iter().enumerate() {
        let mut fs: Vec<&Filter> = base.to_vec();
        fs.push(vf);
        let Some(q) = query(&fs) else { continue };
        eval.each(&q, |func, _, m| {
            totals[c] += m;
            if let Some(code) = func {
                by_code
                    .entry(code.to_string())
                    .or_insert_with(|| vec![Money::ZERO; n])[c] += m;
            }
        });
    }
    by_code.retain(|_, v| v.iter().any(|m| !m.is_zero()));
    // Roll 项 up into 款 and 类; lexicographic order of codes is the printed order.
    let mut all: BTreeMap<String, Vec<Money>> = BTreeMap::new();
    for (code, values) in &by_code {
        let mut prefixes = vec![code.as_str()];
        if code.len() >= 5 {
            prefixes.push(&code[..5]);
        }
        if code.len() >= 3 {
            prefixes.push(&code[..3]);
        }
        prefixes.dedup();
        for p in prefixes {
            let e = all
                .entry(p.to_string())
                .or_insert_with(|| vec![Money::ZERO; n]);
            for (a, b) in e.iter_mut().zip(values) {
                *a += *b;
            }
        }
    }
    let mut rows = vec![Row {
        kind: RowKind::Total,
        line: None,
        code: None,
        label: total_label.clone(),
        values: totals.into_iter().map(Some).collect(),
        printed_line: None,
        part_of: None,
        repeat: false,
    }];
    for (code, values) in all {
        let name = catalog
            .name(Classification::Function, &code)
            .unwrap_or_else(|| {
                problems.push(missing_name(t, Classification::Function, &code));
                ""
            });
        rows.push(Row {
            kind: match Level::of(&code) {
                Some(Level::Lei) => RowKind::Lei,
                Some(Level::Kuan) => RowKind::Kuan,
                _ => RowKind::Xiang,
            },
            line: None,
            label: Text::zh(name),
            code: Some(code),
            values: values.into_iter().map(Some).collect(),
            printed_line: None,
            part_of: None,
            repeat: false,
        });
    }
    rows
}

#[allow(clippy::too_many_arguments)]
fn economic_rows(
    fixed: &[String],
    rest: bool,
    report_unclaimed: bool,
    other_panels_classes: &[&String],
    base: &[&Filter; 2],
    value_filters: &[&Filter],
    eval: &Eval,
    catalog: &Catalog,
    t: &TableLayout,
    problems: &mut Vec<Diagnostic>,
) -> (Vec<Row>, Money) {
    let n = value_filters.len();
    let mut by_code: BTreeMap<String, Vec<Money>> = BTreeMap::new();
    for (c, vf) in value_filters.iter().enumerate() {
        let mut fs: Vec<&Filter> = base.to_vec();
        fs.push(vf);
        let Some(q) = query(&fs) else { continue };
        eval.each(&q, |_, econ, m| {
            if let Some(code) = econ {
                by_code
                    .entry(code.to_string())
                    .or_insert_with(|| vec![Money::ZERO; n])[c] += m;
            }
        });
    }
    let own_classes: Vec<&str> = fixed
        .iter()
        .filter(|c| c.len() == 3)
        .map(|c| c.as_str())
        .collect();
    // Codes this panel prints: its fixed rows, any 款 with an amount under its classes, and with
    // `rest`, every class no other panel lists.
    let mut codes: Vec<String> = fixed.to_vec();
    for (code, values) in &by_code {
        if values.iter().all(|m| m.is_zero()) || codes.contains(code) {
            continue;
        }
        let class = &code[..code.len().min(3)];
        let mine = own_classes.contains(&class);
        let unclaimed = !own_classes.contains(&class)
            && !other_panels_classes.iter().any(|c| c.as_str() == class);
        if mine || (rest && unclaimed) {
            if !codes.iter().any(|c| c == class) {
                codes.push(class.to_string());
            }
            if code.len() > 3 {
                codes.push(code.clone());
            }
        } else if unclaimed && report_unclaimed {
            problems.push(Diagnostic::error(
                "E0403",
                Location::View {
                    table: t.id.key().into(),
                    row: code.clone(),
                    column: "-".into(),
                },
                Text::new(
                    format!("版式中没有可以列示经济分类 {class} 的栏"),
                    format!("the layout has no panel for economic class {class}"),
                ),
            ));
        }
    }
    // Keep the layout's order; place added codes after the last row of their class.
    let mut ordered: Vec<String> = fixed.to_vec();
    let mut added: Vec<String> = codes.into_iter().filter(|c| !fixed.contains(c)).collect();
    added.sort();
    for code in added {
        let class = &code[..3];
        let pos = ordered
            .iter()
            .position(|c| c.len() == 5 && c.starts_with(class) && c.as_str() > code.as_str())
            .or_else(|| {
                ordered
                    .iter()
                    .rposition(|c| c.starts_with(class))
                    .map(|p| p + 1)
            })
            .unwrap_or(ordered.len());
        ordered.insert(pos, code);
    }
    let mut total = Money::ZERO;
    let rows = ordered
        .into_iter()
        .map(|code| {
            let values: Vec<Money> = (0..n)
                .map(|c| {
                    by_code
                        .iter()
                        .filter(|(k, _)| k.starts_with(code.as_str()))
                        .map(|(_, v)| v[c])
                        .sum()
                })
                .collect();
            let level = Level::of(&code);
            if level == Some(Level::Lei) {
                total += values.first().copied().unwrap_or_default();
            }
            let name = catalog
                .name(Classification::Economic, &code)
                .unwrap_or_else(|| {
                    problems.push(missing_name(t, Classification::Economic, &code));
                    ""
                });
            Row {
                kind: if level == Some(Level::Lei) {
                    RowKind::Lei
                } else {
                    RowKind::Kuan
                },
                line: None,
                label: Text::zh(name),
                code: Some(code),
                values: values.into_iter().map(Some).collect(),
                printed_line: None,
                part_of: None,
                repeat: false,
            }
        })
        .collect();
    (rows, total)
}
