//! Open data: one department's or a whole batch's facts and views as long-format tables —
//! CSV, Parquet, and a Fiscal Data Package descriptor (`datapackage.json`).
//!
//! Two tables, described once ([`FACT_COLUMNS`], [`VIEW_COLUMNS`]) so that the CSV header, the
//! Parquet schema and the descriptor cannot disagree:
//!
//! - `facts`: every fact as the input gives it (per unit), with its classification codes and
//!   names, fund source, kind and counterparty;
//! - `views`: every amount of the nine published tables, addressed by table, row (行次 or
//!   code) and column (its key and 栏次), with the figure as printed.
//!
//! Amounts are exact: in CSV a decimal string in 元 (`12345.67`); in Parquet an `INT64`
//! annotated `DECIMAL(18,2)` — the 分 as an integer, which DuckDB, Spark and Trino read as an
//! exact decimal and sum without binary rounding (a float column would not be exact, and a
//! string column would need a cast in every query). 18 digits hold any single fact (at most
//! 10^16 元); a sum beyond them is refused (E1106), never rounded.
//!
//! Writing streams: rows go to the CSV files at once and to Parquet in row groups, so memory
//! stays flat in the number of departments. Files are streamed through the atomic writer
//! (`juesuan_publish::output`) and put in place together by [`OpenDataWriter::finish`].

use juesuan_core::catalog::{Catalog, Classification};
use juesuan_core::facts::{DepartmentYear, ExpKind};
use juesuan_core::views::Views;
use juesuan_core::{Diagnostic, Location, Money, Text};
use juesuan_publish::files::io_error;
use juesuan_publish::output::{self, Staged};
use parquet::basic::Compression;
use parquet::data_type::{ByteArray, ByteArrayType, Int32Type, Int64Type};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use serde_json::{Value, json};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// What a column holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Text (may be empty: NULL in Parquet).
    Text,
    /// A whole number.
    Integer,
    /// An exact amount in 元.
    Amount,
    /// A whole number, or nothing (NULL).
    OptInteger,
    /// An exact decimal of at most four places, or nothing (Parquet `DECIMAL(18,4)`).
    Decimal,
}

/// One column of an exported table.
#[derive(Clone, Copy, Debug)]
pub struct Column {
    /// Name (CSV header, Parquet field).
    pub name: &'static str,
    /// What it holds.
    pub kind: Kind,
    /// English concept name.
    pub title: &'static str,
    /// What it means, in English and Chinese.
    pub description: &'static str,
    /// The Fiscal Data Package budget taxonomy's column type, where one fits.
    pub column_type: Option<&'static str>,
}

const fn col(
    name: &'static str,
    kind: Kind,
    title: &'static str,
    description: &'static str,
    column_type: Option<&'static str>,
) -> Column {
    Column {
        name,
        kind,
        title,
        description,
        column_type,
    }
}

/// The department columns both tables start with.
macro_rules! department_columns {
    () => {
        [
            col(
                "department_code",
                Kind::Text,
                "Department code",
                "The department's code in the finance bureau's system. 部门编码",
                Some("administrative-classification:generic:level1:code"),
            ),
            col(
                "department",
                Kind::Text,
                "Department",
                "The department's full name. 部门名称",
                Some("administrative-classification:generic:level1:label"),
            ),
            col(
                "year",
                Kind::Integer,
                "Fiscal year",
                "The fiscal year of the final accounts. 决算年度",
                Some("date:fiscal-year"),
            ),
        ]
    };
}

/// Columns of `facts`.
pub const FACT_COLUMNS: [Column; 18] = {
    let d = department_columns!();
    [
        d[0],
        d[1],
        d[2],
        col(
            "unit",
            Kind::Text,
            "Budget unit",
            "The budget unit (本级 or a subordinate unit) that booked the fact; empty for a department-level fact. 单位",
            Some("administrative-classification:generic:level2:code"),
        ),
        col(
            "dataset",
            Kind::Text,
            "Kind of fact",
            "income, expenditure, basic_economic (basic expenditure by economic section), balance or sangong (three public expenses). 事实类别",
            Some("value-kind:code"),
        ),
        col(
            "fund_source_code",
            Kind::Text,
            "Fund source code",
            "Source of the money (general_budget, gov_fund, state_capital, superior_subsidy, business, operating, from_subsidiaries, other). 资金来源",
            Some("fin-source:code"),
        ),
        col(
            "fund_source",
            Kind::Text,
            "Fund source",
            "Source of the money, as printed. 资金来源名称",
            Some("fin-source:label"),
        ),
        col(
            "function_code",
            Kind::Text,
            "Function item code",
            "Government functional classification item (项, 7 digits; its first 3 are the class 类, 5 the section 款). 支出功能分类项级代码",
            Some("functional-classification:generic:level3:code"),
        ),
        col(
            "function",
            Kind::Text,
            "Function item",
            "Name of the functional classification item. 支出功能分类科目名称",
            Some("functional-classification:generic:level3:label"),
        ),
        col(
            "economic_code",
            Kind::Text,
            "Economic section code",
            "Departmental economic classification section (款, 5 digits; its first 3 are the class 类). 部门预算支出经济分类款级代码",
            Some("economic-classification:generic:level2:code"),
        ),
        col(
            "economic",
            Kind::Text,
            "Economic section",
            "Name of the economic classification section. 经济分类科目名称",
            Some("economic-classification:generic:level2:label"),
        ),
        col(
            "kind_code",
            Kind::Text,
            "Kind code",
            "Kind of expenditure (basic, project, to_superior, operating, to_subsidiaries), of balance (opening, use_of_non_fiscal, distribution, closing) or three-public-expenses category. 支出类型、结转结余类型或“三公”类别",
            None,
        ),
        col(
            "kind",
            Kind::Text,
            "Kind",
            "The kind, as printed. 类型名称",
            None,
        ),
        col(
            "scenario",
            Kind::Text,
            "Budget or actual",
            "actual (决算数), or budget (预算数) for the three public expenses. 预算数或决算数",
            Some("budget-phase:code"),
        ),
        col(
            "counterparty_unit",
            Kind::Text,
            "Counterparty unit",
            "The other unit of the department of an internal flow (eliminated in the department's tables). 内部往来单位",
            None,
        ),
        col(
            "counterparty_department",
            Kind::Text,
            "Counterparty department",
            "The code of the other department of a flow between departments (eliminated in a roll-up). 往来部门编码",
            None,
        ),
        col(
            "detail",
            Kind::Text,
            "Part of",
            "The \"其中\" item the fact is, where the tables show it apart (教育收费 of 事业收入, 基本建设 of 项目支出). “其中”项目",
            None,
        ),
        col(
            "amount",
            Kind::Amount,
            "Amount",
            "Exact amount in yuan (CNY), two decimals. 金额（元）",
            Some("value"),
        ),
    ]
};

/// Columns of `views`.
pub const VIEW_COLUMNS: [Column; 17] = {
    let d = department_columns!();
    [
        d[0],
        d[1],
        d[2],
        col(
            "layout",
            Kind::Text,
            "Layout",
            "The table layout (region and year of the template). 公开表式",
            None,
        ),
        col(
            "table",
            Kind::Text,
            "Table",
            "The table's role: summary, income, expenditure, fiscal_summary, general_budget, basic_economic, gov_fund, state_capital, sangong. 表",
            None,
        ),
        col(
            "table_number",
            Kind::Text,
            "Table number",
            "The table's number as printed (公开01表). 表号",
            None,
        ),
        col(
            "table_title",
            Kind::Text,
            "Table title",
            "The table's title as printed. 表名",
            None,
        ),
        col(
            "panel",
            Kind::Integer,
            "Panel",
            "Which block of the table (0 = the first; income and expenditure sides of the summary tables are 0 and 1). 栏块",
            None,
        ),
        col(
            "row",
            Kind::Text,
            "Row",
            "The row's address: its line number (行次), else its classification code, else its label (合计). 行",
            None,
        ),
        col(
            "row_kind",
            Kind::Text,
            "Row kind",
            "line, total, lei (class), kuan (section), xiang (item). 行类别",
            None,
        ),
        col(
            "row_code",
            Kind::Text,
            "Row classification code",
            "The classification code of a class, section or item row. 科目代码",
            Some("functional-classification:generic:code"),
        ),
        col(
            "row_label",
            Kind::Text,
            "Row label",
            "The row's label or classification name, as printed. 项目",
            None,
        ),
        col(
            "column",
            Kind::Text,
            "Column",
            "What the column means (total, fiscal, basic, project, budget_total, actual_total…), the same key in every layout. 栏",
            Some("value-kind:code"),
        ),
        col(
            "column_number",
            Kind::Text,
            "Column number",
            "The column's number as printed (栏次). 栏次",
            None,
        ),
        col(
            "amount",
            Kind::Amount,
            "Amount",
            "Exact amount in yuan (CNY), two decimals. 金额（元）",
            Some("value"),
        ),
        col(
            "printed",
            Kind::Text,
            "Printed figure",
            "The figure as the table prints it, in printed_unit (rounded half away from zero once). 表中所印数字",
            None,
        ),
        col(
            "printed_unit",
            Kind::Text,
            "Printed unit",
            "The unit the table prints in (元 or 万元). 表中金额单位",
            None,
        ),
    ]
};

/// A cell of a row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cell {
    /// Text, or nothing.
    Text(Option<String>),
    /// A whole number.
    Integer(i32),
    /// An exact amount.
    Amount(Money),
    /// An exact decimal ([`Kind::Decimal`]).
    Decimal(rust_decimal::Decimal),
    /// Nothing, in an optional column.
    Null,
}

impl Cell {
    /// As a CSV field writes it: text (empty for nothing), the number, the amount in exact 元.
    pub fn text(&self) -> String {
        match self {
            Cell::Text(s) => s.clone().unwrap_or_default(),
            Cell::Integer(i) => i.to_string(),
            Cell::Amount(m) => m.to_string(),
            Cell::Decimal(d) => d.normalize().to_string(),
            Cell::Null => String::new(),
        }
    }
}

/// One amount of the nine tables: a row of the `views` table, typed. Its cells, in the order
/// of [`VIEW_COLUMNS`], are [`ViewRow::cells`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ViewRow {
    /// The department's code, if it has one.
    pub department_code: Option<String>,
    /// The department's name.
    pub department: String,
    /// Fiscal year.
    pub year: i32,
    /// The layout's id.
    pub layout: String,
    /// Table key (`summary`, `income`…).
    pub table: String,
    /// The table's number as printed (公开01表), if any.
    pub table_number: Option<String>,
    /// The table's title as printed.
    pub table_title: String,
    /// Which block of the table (0 = the first).
    pub panel: usize,
    /// The row's address: 行次, else code, else label without spaces.
    pub row: Option<String>,
    /// `line`, `total`, `lei`, `kuan`, `xiang`.
    pub row_kind: &'static str,
    /// The row's classification code.
    pub row_code: Option<String>,
    /// The row's label as printed.
    pub row_label: String,
    /// The column's key (none for a footer total).
    pub column: Option<String>,
    /// The column's 栏次.
    pub column_number: Option<String>,
    /// Exact amount.
    pub amount: Money,
    /// The figure as the table prints it.
    pub printed: String,
    /// The unit the table prints in (元 or 万元).
    pub printed_unit: &'static str,
}

impl ViewRow {
    /// The cell of column `name` of [`VIEW_COLUMNS`] (`None` for a name not in the list).
    pub fn cell(&self, name: &str) -> Option<Cell> {
        Some(match name {
            "department_code" => opt(self.department_code.as_deref()),
            "department" => text(self.department.clone()),
            "year" => Cell::Integer(self.year),
            "layout" => text(self.layout.clone()),
            "table" => text(self.table.clone()),
            "table_number" => opt(self.table_number.as_deref()),
            "table_title" => text(self.table_title.clone()),
            "panel" => Cell::Integer(i32::try_from(self.panel).unwrap_or(i32::MAX)),
            "row" => opt(self.row.as_deref()),
            "row_kind" => text(self.row_kind),
            "row_code" => opt(self.row_code.as_deref()),
            "row_label" => text(self.row_label.clone()),
            "column" => opt(self.column.as_deref()),
            "column_number" => opt(self.column_number.as_deref()),
            "amount" => Cell::Amount(self.amount),
            "printed" => text(self.printed.clone()),
            "printed_unit" => text(self.printed_unit),
            _ => return None,
        })
    }

    /// The row's cells, in the order of [`VIEW_COLUMNS`].
    pub fn cells(&self) -> Vec<Cell> {
        VIEW_COLUMNS
            .iter()
            .map(|c| self.cell(c.name).unwrap_or(Cell::Text(None)))
            .collect()
    }
}

/// One department-year's views as the `views` CSV of an export (header and rows as
/// [`OpenDataWriter`] writes them), for a single download.
pub fn views_csv(views: &Views) -> Vec<u8> {
    let mut csv = csv::Writer::from_writer(Vec::new());
    let rows = std::iter::once(VIEW_COLUMNS.iter().map(|c| c.name.to_string()).collect()).chain(
        view_rows(views, None)
            .into_iter()
            .map(|r| r.cells().iter().map(Cell::text).collect()),
    );
    for record in rows {
        // Writing to memory cannot fail.
        let _ = csv.write_record::<Vec<String>, String>(record);
    }
    csv.into_inner().unwrap_or_default()
}

fn text(s: impl Into<String>) -> Cell {
    let s = s.into();
    Cell::Text((!s.is_empty()).then_some(s))
}

fn opt(s: Option<&str>) -> Cell {
    Cell::Text(s.filter(|s| !s.is_empty()).map(str::to_string))
}

/// The `facts` rows of a department-year.
pub fn fact_rows(dy: &DepartmentYear, catalog: &Catalog) -> Vec<Vec<Cell>> {
    let d = &dy.department;
    let head = || {
        vec![
            opt(d.code.as_deref()),
            text(d.name.clone()),
            Cell::Integer(d.year),
        ]
    };
    let fname = |c: &str| opt(catalog.name(Classification::Function, c));
    let ename = |c: &str| opt(catalog.name(Classification::Economic, c));
    let f = &dy.facts;
    let mut rows = Vec::new();
    for x in &f.income {
        let mut r = head();
        r.extend([
            opt(x.unit.as_deref()),
            text("income"),
            text(x.source.key()),
            text(x.source.zh()),
            text(x.function.clone()),
            fname(&x.function),
            opt(None),
            opt(None),
            opt(None),
            opt(None),
            text("actual"),
            opt(x.counterparty.as_deref()),
            opt(x.counterparty_department.as_deref()),
            opt(x.detail.as_deref()),
            Cell::Amount(x.amount),
        ]);
        rows.push(r);
    }
    for x in &f.expenditure {
        let mut r = head();
        r.extend([
            opt(x.unit.as_deref()),
            text("expenditure"),
            text(x.fund.key()),
            text(x.fund.zh()),
            text(x.function.clone()),
            fname(&x.function),
            opt(None),
            opt(None),
            text(x.kind.key()),
            text(x.kind.zh()),
            text("actual"),
            opt(x.counterparty.as_deref()),
            opt(x.counterparty_department.as_deref()),
            opt(x.detail.as_deref()),
            Cell::Amount(x.amount),
        ]);
        rows.push(r);
    }
    for x in &f.basic_economic {
        let mut r = head();
        r.extend([
            opt(x.unit.as_deref()),
            text("basic_economic"),
            text(x.fund.key()),
            text(x.fund.zh()),
            opt(None),
            opt(None),
            text(x.economic.clone()),
            ename(&x.economic),
            text(ExpKind::Basic.key()),
            text(ExpKind::Basic.zh()),
            text("actual"),
            opt(None),
            opt(None),
            opt(None),
            Cell::Amount(x.amount),
        ]);
        rows.push(r);
    }
    for x in &f.balances {
        let mut r = head();
        let func = x.function.as_deref();
        r.extend([
            opt(x.unit.as_deref()),
            text("balance"),
            text(x.fund.key()),
            text(x.fund.zh()),
            opt(func),
            func.map_or(opt(None), fname),
            opt(None),
            opt(None),
            text(x.kind.key()),
            text(x.kind.zh()),
            text("actual"),
            opt(None),
            opt(None),
            opt(None),
            Cell::Amount(x.amount),
        ]);
        rows.push(r);
    }
    for x in &f.sangong {
        let mut r = head();
        r.extend([
            opt(x.unit.as_deref()),
            text("sangong"),
            text("fiscal"),
            text("财政拨款"),
            opt(None),
            opt(None),
            opt(None),
            opt(None),
            text(x.category.key()),
            text(x.category.zh()),
            text(x.scenario.key()),
            opt(None),
            opt(None),
            opt(None),
            Cell::Amount(x.amount),
        ]);
        rows.push(r);
    }
    rows
}

/// The `views` rows of a department-year's nine tables.
pub fn view_rows(views: &Views, code: Option<&str>) -> Vec<ViewRow> {
    use juesuan_core::views::RowKind;
    let mut rows = Vec::new();
    let kind = |k: RowKind| match k {
        RowKind::Line | RowKind::Blank => "line",
        RowKind::Total => "total",
        RowKind::Lei => "lei",
        RowKind::Kuan => "kuan",
        RowKind::Xiang => "xiang",
    };
    for t in &views.tables {
        let unit = views.unit_of(t);
        let head = |panel: usize, row: Option<String>, row_kind, amount: Money| ViewRow {
            department_code: code.map(str::to_string),
            department: views.department.clone(),
            year: views.year,
            layout: views.layout.clone(),
            table: t.id.key().to_string(),
            table_number: t.number.as_ref().map(|n| n.zh.clone()),
            table_title: t.title.zh.clone(),
            panel,
            row,
            row_kind,
            row_code: None,
            row_label: String::new(),
            column: None,
            column_number: None,
            amount,
            printed: amount.display_in(unit).plain(),
            printed_unit: unit.zh(),
        };
        for (pi, panel) in t.panels.iter().enumerate() {
            let cols: Vec<_> = t.value_columns(pi).collect();
            for row in &panel.rows {
                for (c, v) in cols.iter().zip(&row.values) {
                    let Some(v) = v else { continue };
                    rows.push(ViewRow {
                        row_code: row.code.clone(),
                        row_label: row.label.zh.clone(),
                        column: c.key.clone(),
                        column_number: c.col_no.clone(),
                        ..head(pi, row.address(), kind(row.kind), *v)
                    });
                }
            }
        }
        for item in &t.footer {
            let label: String = item
                .label
                .zh
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect();
            rows.push(ViewRow {
                row_label: label.clone(),
                ..head(
                    item.panels.first().copied().unwrap_or(0),
                    Some(label),
                    "total",
                    item.value,
                )
            });
        }
    }
    rows
}

/// Rows per Parquet row group, at most.
const ROW_GROUP: usize = 50_000;

pub(crate) struct Table {
    columns: &'static [Column],
    csv: csv::Writer<Staged>,
    parquet: SerializedFileWriter<Staged>,
    pending: Vec<Vec<Cell>>,
    /// Bytes of text in `pending`.
    pending_text: usize,
    /// A row group is written once `pending` holds this much text ([`Table::text_limit`]).
    text_limit: usize,
    rows: u64,
    /// The final names of the CSV and Parquet files, for errors.
    paths: [PathBuf; 2],
}

fn parquet_schema(name: &str, columns: &[Column]) -> String {
    let fields: Vec<String> = columns
        .iter()
        .map(|c| match c.kind {
            Kind::Text => format!("OPTIONAL BYTE_ARRAY {} (UTF8);", c.name),
            Kind::Integer => format!("REQUIRED INT32 {};", c.name),
            Kind::Amount => format!("REQUIRED INT64 {} (DECIMAL(18,2));", c.name),
            Kind::OptInteger => format!("OPTIONAL INT32 {};", c.name),
            Kind::Decimal => format!("OPTIONAL INT64 {} (DECIMAL(18,4));", c.name),
        })
        .collect();
    format!("message {name} {{ {} }}", fields.join(" "))
}

impl Table {
    pub(crate) fn create(
        dir: &Path,
        name: &str,
        columns: &'static [Column],
        protect: &[PathBuf],
    ) -> Result<Table, Diagnostic> {
        let csv_path = dir.join(format!("{name}.csv"));
        let pq_path = dir.join(format!("{name}.parquet"));
        let csv_file = Staged::create(&csv_path, protect).map_err(|e| e.diagnostic())?;
        let mut csv = csv::Writer::from_writer(csv_file);
        csv.write_record(columns.iter().map(|c| c.name))
            .map_err(|e| io_error(&csv_path, e))?;
        let schema = parquet::schema::parser::parse_message_type(&parquet_schema(name, columns))
            .map_err(|e| io_error(&pq_path, e))?;
        let props = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .set_created_by("juesuan".into())
            .build();
        let pq_file = Staged::create(&pq_path, protect).map_err(|e| e.diagnostic())?;
        let parquet = SerializedFileWriter::new(pq_file, Arc::new(schema), Arc::new(props))
            .map_err(|e| io_error(&pq_path, e))?;
        Ok(Table {
            columns,
            csv,
            parquet,
            pending: Vec::new(),
            pending_text: 0,
            text_limit: usize::MAX,
            rows: 0,
            paths: [csv_path, pq_path],
        })
    }

    /// Rows with long texts (the audit's findings quote their sentences) are written once
    /// `bytes` of text wait, so memory stays flat in their number.
    pub(crate) fn text_limit(mut self, bytes: usize) -> Table {
        self.text_limit = bytes;
        self
    }

    pub(crate) fn add(&mut self, rows: Vec<Vec<Cell>>) -> Result<(), Diagnostic> {
        for r in &rows {
            for (c, cell) in self.columns.iter().zip(r) {
                if let (Kind::Decimal, Cell::Decimal(d)) = (c.kind, cell)
                    && ten_thousandths(d).is_none()
                {
                    return Err(Diagnostic::error(
                        "E1106",
                        Location::Nowhere,
                        Text::new(
                            "数值超出开放数据的 DECIMAL(18,4) 范围",
                            "a number exceeds the DECIMAL(18,4) of the open data",
                        ),
                    )
                    .found(d.to_string()));
                }
                if let (Kind::Amount, Cell::Amount(m)) = (c.kind, cell)
                    && i64::try_from(m.fen()).is_err()
                {
                    return Err(Diagnostic::error(
                        "E1106",
                        Location::Nowhere,
                        Text::new(
                            "金额超出开放数据的 DECIMAL(18,2) 范围",
                            "an amount exceeds the DECIMAL(18,2) of the open data",
                        ),
                    )
                    .found(m.to_string()));
                }
            }
            let record: Vec<String> = r.iter().map(Cell::text).collect();
            self.csv
                .write_record(&record)
                .map_err(|e| io_error(&self.paths[0], e))?;
        }
        self.rows += rows.len() as u64;
        self.pending_text += rows
            .iter()
            .flatten()
            .map(|c| match c {
                Cell::Text(Some(t)) => t.len(),
                _ => 0,
            })
            .sum::<usize>();
        self.pending.extend(rows);
        if self.pending.len() >= ROW_GROUP || self.pending_text >= self.text_limit {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<(), Diagnostic> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let path = self.paths[1].clone();
        let err = |e: parquet::errors::ParquetError| io_error(&path, e);
        let mut group = self.parquet.next_row_group().map_err(err)?;
        let mut i = 0;
        while let Some(mut column) = group.next_column().map_err(err)? {
            let cells = self.pending.iter().map(|r| &r[i]);
            match self.columns[i].kind {
                Kind::Text => {
                    let mut values = Vec::new();
                    let mut levels = Vec::with_capacity(self.pending.len());
                    for c in cells {
                        match c {
                            Cell::Text(Some(s)) => {
                                values.push(ByteArray::from(s.as_str()));
                                levels.push(1);
                            }
                            _ => levels.push(0),
                        }
                    }
                    column
                        .typed::<ByteArrayType>()
                        .write_batch(&values, Some(&levels), None)
                        .map_err(err)?;
                }
                Kind::Integer => {
                    let values: Vec<i32> = cells
                        .map(|c| match c {
                            Cell::Integer(v) => *v,
                            _ => 0,
                        })
                        .collect();
                    column
                        .typed::<Int32Type>()
                        .write_batch(&values, None, None)
                        .map_err(err)?;
                }
                Kind::OptInteger => {
                    let mut values = Vec::new();
                    let mut levels = Vec::with_capacity(self.pending.len());
                    for c in cells {
                        match c {
                            Cell::Integer(v) => {
                                values.push(*v);
                                levels.push(1);
                            }
                            _ => levels.push(0),
                        }
                    }
                    column
                        .typed::<Int32Type>()
                        .write_batch(&values, Some(&levels), None)
                        .map_err(err)?;
                }
                Kind::Decimal => {
                    let mut values = Vec::new();
                    let mut levels = Vec::with_capacity(self.pending.len());
                    for c in cells {
                        // Checked in `add`.
                        match c {
                            Cell::Decimal(d) => {
                                values.push(ten_thousandths(d).unwrap_or(i64::MAX));
                                levels.push(1);
                            }
                            _ => levels.push(0),
                        }
                    }
                    column
                        .typed::<Int64Type>()
                        .write_batch(&values, Some(&levels), None)
                        .map_err(err)?;
                }
                Kind::Amount => {
                    let values: Vec<i64> = cells
                        .map(|c| match c {
                            // Checked in `add`.
                            Cell::Amount(m) => i64::try_from(m.fen()).unwrap_or(i64::MAX),
                            _ => 0,
                        })
                        .collect();
                    column
                        .typed::<Int64Type>()
                        .write_batch(&values, None, None)
                        .map_err(err)?;
                }
            }
            column.close().map_err(err)?;
            i += 1;
        }
        group.close().map_err(err)?;
        self.pending.clear();
        self.pending_text = 0;
        Ok(())
    }

    /// Closes both files (not yet in place): the row count and the two staged files.
    pub(crate) fn finish(mut self) -> Result<(u64, [Staged; 2]), Diagnostic> {
        self.flush()?;
        let [csv_path, pq_path] = &self.paths;
        let csv = self.csv.into_inner().map_err(|e| io_error(csv_path, e))?;
        let parquet = self
            .parquet
            .into_inner()
            .map_err(|e| io_error(pq_path, e))?;
        Ok((self.rows, [csv, parquet]))
    }
}

/// Writes the open data of one or many departments into a folder.
pub struct OpenDataWriter {
    dir: PathBuf,
    protect: Vec<PathBuf>,
    facts: Table,
    views: Table,
    departments: usize,
    years: std::collections::BTreeSet<i32>,
}

impl OpenDataWriter {
    /// Starts `dir/facts.*` and `dir/views.*` (never over a file of `protect`).
    pub fn create(dir: &Path, protect: &[PathBuf]) -> Result<OpenDataWriter, Diagnostic> {
        output::create_folder(dir).map_err(|e| e.diagnostic())?;
        Ok(OpenDataWriter {
            dir: dir.to_path_buf(),
            protect: protect.to_vec(),
            facts: Table::create(dir, "facts", &FACT_COLUMNS, protect)?,
            views: Table::create(dir, "views", &VIEW_COLUMNS, protect)?,
            departments: 0,
            years: Default::default(),
        })
    }

    /// Adds one department's rows ([`fact_rows`], [`view_rows`]).
    pub fn add(
        &mut self,
        year: i32,
        facts: Vec<Vec<Cell>>,
        views: Vec<ViewRow>,
    ) -> Result<(), Diagnostic> {
        self.facts.add(facts)?;
        self.views.add(views.iter().map(ViewRow::cells).collect())?;
        self.departments += 1;
        self.years.insert(year);
        Ok(())
    }

    /// Closes the tables, writes `datapackage.json` named `name` and titled `title`, and puts
    /// every file in place, together. Returns the files written.
    pub fn finish(self, name: &str, title: &str) -> Result<Vec<PathBuf>, Diagnostic> {
        let (fact_rows, fact_files) = self.facts.finish()?;
        let (view_rows, view_files) = self.views.finish()?;
        let descriptor = descriptor(
            name,
            title,
            self.departments,
            &self.years,
            fact_rows,
            view_rows,
        );
        let path = self.dir.join("datapackage.json");
        let mut text = serde_json::to_string_pretty(&descriptor).expect("json");
        text.push('\n');
        let mut package = Staged::create(&path, &self.protect).map_err(|e| e.diagnostic())?;
        package
            .write_all(text.as_bytes())
            .map_err(|e| io_error(&path, e))?;
        output::commit(
            fact_files
                .into_iter()
                .chain(view_files)
                .chain([package])
                .collect(),
        )
        .map_err(|e| e.diagnostic())
    }
}

/// `d` in ten-thousandths, as a `DECIMAL(18,4)` column holds it; `None` when it has more
/// places or does not fit.
fn ten_thousandths(d: &rust_decimal::Decimal) -> Option<i64> {
    let scaled = d.checked_mul(rust_decimal::Decimal::from(10_000))?;
    if !scaled.fract().is_zero() {
        return None;
    }
    i64::try_from(scaled.mantissa() / 10i128.pow(scaled.scale())).ok()
}

/// The Frictionless field descriptors of `columns`.
pub(crate) fn schema_fields(columns: &[Column]) -> Vec<Value> {
    columns
        .iter()
        .map(|c| {
            let mut f = json!({
                "name": c.name,
                "title": c.title,
                "description": c.description,
                "type": match c.kind { Kind::Text => "string", Kind::Integer | Kind::OptInteger => "integer", Kind::Amount | Kind::Decimal => "number" },
            });
            if c.kind == Kind::Amount {
                f["decimalChar"] = json!(".");
                f["groupChar"] = json!("");
                f["constraints"] = json!({ "required": true });
            }
            if let Some(t) = c.column_type {
                f["columnType"] = json!(t);
            }
            f
        })
        .collect()
}

/// The Fiscal Data Package descriptor of an export.
pub fn descriptor(
    name: &str,
    title: &str,
    departments: usize,
    years: &std::collections::BTreeSet<i32>,
    fact_rows: u64,
    view_rows: u64,
) -> Value {
    let code_name = |code: &str, label: &str| {
        json!({
            "code": { "source": code },
            "name": { "source": label, "labelfor": "code" },
        })
    };
    json!({
        "profile": "fiscal-data-package",
        "name": name,
        "title": title,
        "description": format!("部门决算公开的事实与九张公开表（{departments} 个部门）。Final accounts of {departments} Chinese government department(s): the facts and the nine public tables (公开01–09表) computed from them, amounts exact in yuan."),
        "countryCode": "CN",
        "fiscalPeriod": years.first().map(|y| json!({ "start": format!("{y}-01-01"), "end": format!("{}-12-31", years.last().copied().unwrap_or(*y)) })),
        "created_by": "juesuan",
        "resources": [
            {
                "name": "facts",
                "path": "facts.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "title": "Facts as reported, per budget unit",
                "count_of_rows": fact_rows,
                "schema": { "fields": schema_fields(&FACT_COLUMNS) },
            },
            {
                "name": "views",
                "path": "views.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "title": "The nine public tables, every printed amount",
                "count_of_rows": view_rows,
                "schema": { "fields": schema_fields(&VIEW_COLUMNS) },
            },
            { "name": "facts-parquet", "path": "facts.parquet", "format": "parquet", "mediatype": "application/vnd.apache.parquet", "title": "Facts (Parquet; amount is DECIMAL(18,2))" },
            { "name": "views-parquet", "path": "views.parquet", "format": "parquet", "mediatype": "application/vnd.apache.parquet", "title": "Tables (Parquet; amount is DECIMAL(18,2))" },
        ],
        "model": {
            "measures": {
                "amount": {
                    "source": "amount",
                    "currency": "CNY",
                    "factor": 1,
                    "title": "Amount in yuan",
                    "phase": "executed",
                }
            },
            "dimensions": {
                "department": { "dimensionType": "entity", "primaryKey": ["code"], "attributes": code_name("department_code", "department") },
                "unit": { "dimensionType": "entity", "primaryKey": ["unit"], "attributes": { "unit": { "source": "unit" } } },
                "date": { "dimensionType": "datetime", "primaryKey": ["year"], "attributes": { "year": { "source": "year" } } },
                "fund_source": { "dimensionType": "classification", "classificationType": "other", "primaryKey": ["code"], "attributes": code_name("fund_source_code", "fund_source") },
                "function": { "dimensionType": "classification", "classificationType": "functional", "primaryKey": ["code"], "attributes": code_name("function_code", "function") },
                "economic": { "dimensionType": "classification", "classificationType": "economic", "primaryKey": ["code"], "attributes": code_name("economic_code", "economic") },
                "kind": { "dimensionType": "classification", "classificationType": "other", "primaryKey": ["code"], "attributes": code_name("kind_code", "kind") },
                "dataset": { "dimensionType": "other", "primaryKey": ["dataset"], "attributes": { "dataset": { "source": "dataset" } } },
                "scenario": { "dimensionType": "other", "primaryKey": ["scenario"], "attributes": { "scenario": { "source": "scenario" } } },
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A typed view row has a cell for every column of the list, of the column's kind.
    #[test]
    fn a_view_row_fills_every_column() {
        let row = ViewRow {
            department_code: Some("001".into()),
            department: "d".into(),
            year: 2024,
            layout: "l".into(),
            table: "summary".into(),
            table_number: None,
            table_title: "t".into(),
            panel: 1,
            row: Some("27".into()),
            row_kind: "line",
            row_code: None,
            row_label: "合计".into(),
            column: Some("amount".into()),
            column_number: Some("1".into()),
            amount: Money::from_fen(123),
            printed: "0.00".into(),
            printed_unit: "万元",
        };
        for c in &VIEW_COLUMNS {
            let cell = row
                .cell(c.name)
                .unwrap_or_else(|| panic!("{} has no cell", c.name));
            let kind = match cell {
                Cell::Text(_) => Kind::Text,
                Cell::Integer(_) => Kind::Integer,
                Cell::Amount(_) => Kind::Amount,
                Cell::Decimal(_) => Kind::Decimal,
                Cell::Null => panic!("{}: the views table has no optional column", c.name),
            };
            assert_eq!(kind, c.kind, "{}", c.name);
        }
        assert_eq!(row.cells().len(), VIEW_COLUMNS.len());
        assert_eq!(row.cells()[8], Cell::Text(Some("27".into())));
    }
}
