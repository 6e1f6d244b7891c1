//! The input workbook's layout, derived from the input format ([`crate::schema::DOCUMENT`]):
//! which sheets it has, their columns or rows, and their names in both languages. The template
//! writer (`juesuan-render`'s `template`) and the reader ([`super::read`]) both follow it, so
//! the workbook cannot drift from the TOML format.
//!
//! - A list section (`[[income]]`) is a **records sheet**: a header row of field labels, one
//!   record per row.
//! - A table section (`[department]`) is a **fields sheet**: one row per field (label, key,
//!   value, help). A nested table (`performance.department`) is flattened into dotted keys
//!   (`department.budget`), a table of counts (`assets.vehicles`) into one row per allowed key.
//! - A list of records inside a section (`performance.projects`) gets its own records sheet; a
//!   list inside such records (`performance.projects[].indicators`) too, whose rows name their
//!   parent row by its 序号 (No.).
//! - A list of paragraphs (`profile.duties`) is one value per row on a fields sheet (the rows
//!   after the first leave label and key empty), and one cell with a line per paragraph on a
//!   records sheet.

use crate::schema::{self, Field, FieldType, Shape};
use juesuan_core::Text;

/// What a column of a records sheet, or a row of a fields sheet, holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scalar {
    /// A field of the input format.
    Field(&'static Field),
    /// One key of a table of counts (`assets.vehicles`): a whole number.
    CountOf(&'static Field, &'static str),
    /// The function class code of a `class_uses` row.
    ClassCode,
    /// The code of a `codes` row: any level of either classification.
    Code,
    /// The name of a `codes` row.
    CodeName,
    /// The text of a `class_uses` row.
    ClassText,
    /// The row's number, for the rows of a child sheet to name it.
    Number,
    /// The number of the parent sheet's row this row belongs to.
    Parent,
}

/// A column of a records sheet or a row of a fields sheet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Column {
    /// The key in the input format, dotted below the record (`department.budget`), or a
    /// fixed name for the workbook's own columns (`序号`).
    pub key: String,
    /// The label printed in the header (or the fields sheet's first column).
    pub label: Text,
    /// What it holds.
    pub scalar: Scalar,
    /// Must be filled in.
    pub required: bool,
    /// What it means (the schema's text).
    pub help: Text,
}

impl Column {
    /// The field type of the value, for the column's own kinds too.
    pub fn ty(&self) -> FieldType {
        match self.scalar {
            Scalar::Field(f) => f.ty,
            Scalar::CountOf(..) | Scalar::Number | Scalar::Parent => FieldType::Count,
            Scalar::ClassCode | Scalar::ClassText | Scalar::Code | Scalar::CodeName => {
                FieldType::Text
            }
        }
    }

    /// Whether a header (or fields-sheet label or key) names this column: its key, its
    /// Chinese or its English label, spaces and an amount-unit suffix aside.
    pub fn is_named(&self, header: &str) -> bool {
        let h = header_name(header);
        h == self.key || h == header_name(&self.label.zh) || h == header_name(&self.label.en)
    }
}

/// A header as compared: no spaces, no `（万元）`-style suffix, no required-mark `*`.
fn header_name(s: &str) -> String {
    let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    let s = s.trim_end_matches('*').trim_start_matches('*');
    let s = ["（元）", "（万元）", "(元)", "(万元)"]
        .iter()
        .fold(s.to_string(), |s, suffix| {
            s.strip_suffix(suffix).map(str::to_string).unwrap_or(s)
        });
    s.to_lowercase()
}

/// The two kinds of sheets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// One row per field: label, key, value, help.
    Fields,
    /// A header row and one record per row.
    Records,
}

/// One data sheet of the workbook.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SheetSpec {
    /// Where its data goes in the input format: the section, then field names.
    pub path: Vec<&'static str>,
    /// The sheet's name.
    pub name: Text,
    /// What it holds (the schema's description).
    pub about: Text,
    /// Its kind.
    pub kind: Kind,
    /// Columns (records sheet) or rows (fields sheet).
    pub columns: Vec<Column>,
    /// For the rows of a list inside records: the sheet of those records.
    pub parent: Option<usize>,
    /// Required section (the file is invalid without it).
    pub required: bool,
}

impl SheetSpec {
    /// Whether a sheet named `name` is this one (its Chinese or English name).
    pub fn is_named(&self, name: &str) -> bool {
        let n = name.trim();
        n == self.name.zh || n.eq_ignore_ascii_case(&self.name.en)
    }

    /// The dotted path (`performance.projects.indicators`).
    pub fn dotted(&self) -> String {
        self.path.join(".")
    }

    /// Whether child sheets refer to this sheet's rows (it then has a 序号 column).
    pub fn numbered(&self) -> bool {
        self.columns.iter().any(|c| c.scalar == Scalar::Number)
    }
}

/// Sheets that carry no data: instructions, live checks and the dropdown lists. The reader
/// passes over them.
pub const AUXILIARY: &[(&str, &str)] = &[
    ("说明", "Instructions"),
    ("核对", "Checks"),
    ("目录", "Lists"),
];

/// The first row of data on a records sheet (1-based): title, header, totals, then data.
pub const RECORDS_FIRST_ROW: u32 = 4;
/// The header row of every data sheet (1-based).
pub const HEADER_ROW: u32 = 2;
/// The first row of data on a fields sheet (1-based).
pub const FIELDS_FIRST_ROW: u32 = 3;
/// The totals row of a records sheet (1-based).
pub const TOTALS_ROW: u32 = 3;
/// The first cell of the totals row says this (Chinese, English).
pub const TOTALS_LABEL: (&str, &str) = ("合计", "Total");

/// Sheet names by dotted path. Every list section and every list of records in the input
/// format has one (a test keeps this complete).
const NAMES: &[(&str, &str, &str)] = &[
    ("department", "部门", "Department"),
    ("units", "单位", "Units"),
    ("income", "收入", "Income"),
    ("expenditure", "支出", "Expenditure"),
    ("basic_economic", "基本支出经济分类", "Basic by economic"),
    ("balances", "结转结余", "Balances"),
    ("sangong", "三公经费", "Three public expenses"),
    ("profile", "部门概况", "Profile"),
    ("prior_year", "上年决算", "Prior year"),
    ("reasons", "原因说明", "Reasons"),
    ("codes", "科目名称", "Code names"),
    ("class_uses", "类级支出用途", "Uses by class"),
    ("budgets", "预算", "Budgets"),
    ("sangong_details", "三公细节", "Sangong details"),
    (
        "sangong_details.operation_breakdown",
        "运行维护费构成",
        "Vehicle running costs",
    ),
    ("running_costs", "机关运行经费", "Running costs"),
    ("procurement", "政府采购", "Procurement"),
    ("assets", "国有资产", "Assets"),
    ("performance", "绩效", "Performance"),
    (
        "performance.department.goals",
        "部门整体目标",
        "Department goals",
    ),
    (
        "performance.department.goals.indicators",
        "部门整体指标",
        "Department indicators",
    ),
    ("performance.projects", "项目绩效", "Projects"),
    (
        "performance.projects.indicators",
        "项目绩效指标",
        "Project indicators",
    ),
    ("performance.scheme.caps", "评分上限", "Scoring caps"),
    (
        "performance.management.goal_items",
        "绩效目标项目",
        "Projects with goals",
    ),
    ("key_work", "重点工作", "Key work"),
    ("key_work.items", "重点工作事项", "Key work items"),
    ("texts", "其他文字", "Other texts"),
];

/// The sheet name of a dotted path, when it has one.
pub fn sheet_name(dotted: &str) -> Option<Text> {
    NAMES
        .iter()
        .find(|(p, _, _)| *p == dotted)
        .map(|(_, zh, en)| Text::new(*zh, *en))
}

fn column(key: String, label: Text, scalar: Scalar, required: bool, help: Text) -> Column {
    Column {
        key,
        label,
        scalar,
        required,
        help,
    }
}

/// Labels where the first clause of a field's meaning is not a good column header.
const LABELS: &[(&str, &str)] = &[
    ("unit", "单位"),
    ("function", "功能分类科目"),
    ("economic", "经济分类科目"),
    ("counterparty", "内部往来单位"),
    ("counterparty_department", "往来部门编码"),
    ("amount_unit", "金额单位"),
    ("overview", "十三(一)其他说明"),
];

/// A field's label: from [`LABELS`], else the first clause of its Chinese meaning (up to a
/// comma, semicolon or colon) without a bracket at its end (`预算数（A）` → `预算数`); in
/// English, its key.
fn label(f: &Field) -> Text {
    let zh = LABELS
        .iter()
        .find(|(k, _)| *k == f.name)
        .map(|(_, l)| (*l).to_string())
        .unwrap_or_else(|| {
            let clause = f.zh.split(['，', '；', '：']).next().unwrap_or(f.zh).trim();
            let clause = match (clause.ends_with('）'), clause.rfind('（')) {
                (true, Some(open)) if open > 0 => &clause[..open],
                _ => clause,
            };
            clause.trim().to_string()
        });
    Text::new(
        if zh.is_empty() {
            f.name.to_string()
        } else {
            zh
        },
        f.name,
    )
}

fn help(f: &Field) -> Text {
    Text::new(f.zh, f.en)
}

/// The workbook's data sheets, in order.
#[derive(Clone, Debug)]
pub struct Book {
    /// Sheets, parents before children.
    pub sheets: Vec<SheetSpec>,
}

impl Book {
    /// The workbook of [`schema::DOCUMENT`].
    pub fn new() -> Book {
        let mut sheets = Vec::new();
        for s in schema::DOCUMENT {
            let name = sheet_name(s.name).unwrap_or_else(|| Text::new(s.name, s.name));
            let about = Text::new(s.zh, s.en);
            // A table keyed by code is a sheet of (code, text) rows.
            let keyed = match s.name {
                "class_uses" => Some([
                    column(
                        "code".into(),
                        Text::new("类级代码", "class code"),
                        Scalar::ClassCode,
                        true,
                        Text::new("功能分类类级代码（3 位）", "function class code (3 digits)"),
                    ),
                    column(
                        "text".into(),
                        Text::new("主要用于", "mainly spent on"),
                        Scalar::ClassText,
                        true,
                        about.clone(),
                    ),
                ]),
                "codes" => Some([
                    column(
                        "code".into(),
                        Text::new("代码", "code"),
                        Scalar::Code,
                        true,
                        Text::new(
                            "分类目录中没有的功能分类类/款/项或经济分类类/款代码",
                            "a function class/section/item or economic class/section code the catalog lacks",
                        ),
                    ),
                    column(
                        "name".into(),
                        Text::new("名称", "name"),
                        Scalar::CodeName,
                        true,
                        Text::new(
                            "科目名称，按当年《政府收支分类科目》",
                            "its name, as the year's official catalog gives it",
                        ),
                    ),
                ]),
                _ => None,
            };
            if let Some(columns) = keyed {
                sheets.push(SheetSpec {
                    path: vec![s.name],
                    name,
                    about: about.clone(),
                    kind: Kind::Records,
                    columns: columns.into(),
                    parent: None,
                    required: s.required,
                });
                continue;
            }
            match s.shape {
                Shape::List => records_sheets(
                    &mut sheets,
                    vec![s.name],
                    name,
                    about,
                    s.fields,
                    None,
                    s.required,
                ),
                Shape::Table => {
                    let at = sheets.len();
                    sheets.push(SheetSpec {
                        path: vec![s.name],
                        name,
                        about,
                        kind: Kind::Fields,
                        columns: Vec::new(),
                        parent: None,
                        required: s.required,
                    });
                    let mut rows = Vec::new();
                    fields_rows(&mut sheets, &mut rows, vec![s.name], "", s.fields);
                    sheets[at].columns = rows;
                }
            }
        }
        Book { sheets }
    }

    /// The sheet named `name` (either language).
    pub fn sheet(&self, name: &str) -> Option<(usize, &SheetSpec)> {
        self.sheets
            .iter()
            .enumerate()
            .find(|(_, s)| s.is_named(name))
    }

    /// The sheet at dotted path `dotted`.
    pub fn at_path(&self, dotted: &str) -> Option<(usize, &SheetSpec)> {
        self.sheets
            .iter()
            .enumerate()
            .find(|(_, s)| s.dotted() == dotted)
    }
}

impl Default for Book {
    fn default() -> Self {
        Book::new()
    }
}

/// The rows of a fields sheet for `fields` below `prefix`; lists of records become sheets.
fn fields_rows(
    sheets: &mut Vec<SheetSpec>,
    rows: &mut Vec<Column>,
    path: Vec<&'static str>,
    prefix: &str,
    fields: &'static [Field],
) {
    for f in fields {
        let key = format!("{prefix}{}", f.name);
        match f.ty {
            FieldType::Record(inner) => {
                let mut p = path.clone();
                p.push(f.name);
                fields_rows(sheets, rows, p, &format!("{key}."), inner);
            }
            FieldType::Records(inner) => child_sheets(sheets, &path, f, inner, None),
            _ => scalar_columns(rows, key, f),
        }
    }
}

/// The column of a scalar field `f` at `key`, or one per allowed key of a table of counts.
fn scalar_columns(columns: &mut Vec<Column>, key: String, f: &'static Field) {
    let FieldType::Counts(keys) = f.ty else {
        columns.push(column(key, label(f), Scalar::Field(f), f.required, help(f)));
        return;
    };
    let label = label(f);
    for k in keys {
        columns.push(column(
            format!("{key}.{k}"),
            Text::new(format!("{}：{k}", label.zh), format!("{}: {k}", label.en)),
            Scalar::CountOf(f, k),
            false,
            help(f),
        ));
    }
}

/// The sheets of the list of records `f` (fields `inner`) inside the records or table at
/// `path`; `parent` is the sheet whose rows they belong to, if any.
fn child_sheets(
    sheets: &mut Vec<SheetSpec>,
    path: &[&'static str],
    f: &'static Field,
    inner: &'static [Field],
    parent: Option<usize>,
) {
    let mut p = path.to_vec();
    p.push(f.name);
    let dotted = p.join(".");
    let name = sheet_name(&dotted).unwrap_or_else(|| Text::new(dotted.clone(), dotted.clone()));
    records_sheets(sheets, p, name, help(f), inner, parent, false);
}

/// A records sheet for `fields` at `path`, then the sheets of the lists inside its records.
fn records_sheets(
    sheets: &mut Vec<SheetSpec>,
    path: Vec<&'static str>,
    name: Text,
    about: Text,
    fields: &'static [Field],
    parent: Option<usize>,
    required: bool,
) {
    let at = sheets.len();
    let children: Vec<&'static Field> = fields
        .iter()
        .filter(|f| matches!(f.ty, FieldType::Records(_)))
        .collect();
    let mut columns = Vec::new();
    if !children.is_empty() {
        columns.push(column(
            "序号".into(),
            Text::new("序号", "No."),
            Scalar::Number,
            true,
            Text::new(
                "本行的编号，供下级工作表的“所属序号”引用",
                "this row's number, for the rows of the sheets below to name it",
            ),
        ));
    }
    if let Some(p) = parent {
        columns.push(column(
            "所属序号".into(),
            Text::new("所属序号", "Parent No."),
            Scalar::Parent,
            true,
            Text::new(
                format!("本行所属的「{}」工作表的序号", sheets[p].name.zh),
                format!(
                    "the No. of the row of sheet “{}” this row belongs to",
                    sheets[p].name.en
                ),
            ),
        ));
    }
    fn flat(columns: &mut Vec<Column>, prefix: &str, fields: &'static [Field]) {
        for f in fields {
            let key = format!("{prefix}{}", f.name);
            match f.ty {
                FieldType::Records(_) => {}
                FieldType::Record(inner) => flat(columns, &format!("{key}."), inner),
                _ => scalar_columns(columns, key, f),
            }
        }
    }
    flat(&mut columns, "", fields);
    sheets.push(SheetSpec {
        path: path.clone(),
        name,
        about,
        kind: Kind::Records,
        columns,
        parent,
        required,
    });
    for f in children {
        if let FieldType::Records(inner) = f.ty {
            child_sheets(sheets, &path, f, inner, Some(at));
        }
    }
}

/// The Markdown reference of the input workbook: its sheets, from [`Book`] (the part of
/// `docs/input-format.md` after the file format's).
pub fn markdown() -> String {
    let mut out = format!(
        "\n## 工作簿 / Workbook\n\n\
         The same file as a workbook for people who work in Excel or WPS: `juesuan init --xlsx FILE`\n\
         writes the template (`--from INPUT` fills it from an existing input), and `build` and `check`\n\
         read it as they read TOML, with errors located at `sheet!cell` (`E10xx` for the workbook's\n\
         own structure, the codes above for its values). Sheet names and headers may be Chinese or\n\
         English (the template's `--lang`); the order of columns is free. A **list** sheet has its\n\
         title in row 1, its header in row {h}, a live 合计 row in row {t} and one record per row from\n\
         row {d}; a **fields** sheet has one field per row from row {f} (label, key, value in column C,\n\
         help), paragraphs of a list one per row with columns A and B empty on the rows that\n\
         continue. Lists inside records (a project's indicators) are their own sheet, whose rows\n\
         name their record's 序号 in 所属序号. Sheets 说明, 核对 and 目录 (Instructions, Checks,\n\
         Lists) hold no data.\n\n\
         | sheet / 工作表 | kind / 类型 | input / 对应 | columns or rows / 列或行 |\n|---|---|---|---|\n",
        h = HEADER_ROW,
        t = TOTALS_ROW,
        d = RECORDS_FIRST_ROW,
        f = FIELDS_FIRST_ROW
    );
    for s in &Book::new().sheets {
        let kind = match s.kind {
            Kind::Records => "list / 列表",
            Kind::Fields => "fields / 项目",
        };
        let columns: Vec<String> = s
            .columns
            .iter()
            .map(|c| {
                let mark = if c.required { "*" } else { "" };
                format!("{}{mark} `{}`", c.label.zh, c.key)
            })
            .collect();
        out.push_str(&format!(
            "| {} / {} | {kind} | `{}` | {} |\n",
            s.name.zh,
            s.name.en,
            s.dotted(),
            columns.join(", ")
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_sheet_has_a_name_of_its_own() {
        let book = Book::new();
        let mut seen = std::collections::HashSet::new();
        for s in &book.sheets {
            assert!(
                sheet_name(&s.dotted()).is_some(),
                "no sheet name for {} in NAMES",
                s.dotted()
            );
            assert!(seen.insert(s.name.zh.to_string()), "{} twice", s.name.zh);
            assert!(seen.insert(s.name.en.to_string()), "{} twice", s.name.en);
            // Excel's limits on sheet names.
            for n in [&s.name.zh, &s.name.en] {
                assert!(
                    n.chars().count() <= 31 && !n.contains(['[', ']', ':', '*', '?', '/', '\\'])
                );
            }
            let mut keys = std::collections::HashSet::new();
            for c in &s.columns {
                assert!(
                    keys.insert(c.key.clone()),
                    "{}: column {} twice",
                    s.dotted(),
                    c.key
                );
            }
            // No two columns answer to the same header.
            for (i, a) in s.columns.iter().enumerate() {
                for b in &s.columns[i + 1..] {
                    assert!(
                        !b.is_named(&a.label.zh) && !b.is_named(&a.label.en),
                        "{}: {} and {} share a label",
                        s.dotted(),
                        a.key,
                        b.key
                    );
                }
            }
        }
        for (p, _, _) in NAMES {
            assert!(
                book.at_path(p).is_some(),
                "NAMES has {p}, the book has no such sheet"
            );
        }
        for a in AUXILIARY {
            assert!(book.sheet(a.0).is_none() && book.sheet(a.1).is_none());
        }
    }

    /// Every column has a Chinese and an English label, unique in its sheet (the reader finds
    /// columns by label); `-- --nocapture` prints them for reviewing them as officers will
    /// read them.
    #[test]
    fn labels() {
        for s in &Book::new().sheets {
            let labels: Vec<String> = s
                .columns
                .iter()
                .map(|c| format!("{}[{}]", c.label.zh, c.key))
                .collect();
            println!("{} / {}: {}", s.name.zh, s.name.en, labels.join(" "));
            for lang in [juesuan_core::Lang::Zh, juesuan_core::Lang::En] {
                let mut seen = std::collections::BTreeSet::new();
                for c in &s.columns {
                    let label = c.label.get(lang);
                    assert!(
                        !label.trim().is_empty(),
                        "{}: {} has no label",
                        s.name.zh,
                        c.key
                    );
                    assert!(seen.insert(label), "{}: label {label} twice", s.name.zh);
                }
            }
        }
    }

    #[test]
    fn nested_lists_have_their_parents() {
        let book = Book::new();
        let (_, ind) = book.at_path("performance.projects.indicators").unwrap();
        let (p, projects) = book.at_path("performance.projects").unwrap();
        assert_eq!(ind.parent, Some(p));
        assert!(projects.numbered());
        assert!(ind.columns.iter().any(|c| c.scalar == Scalar::Parent));
        let (_, perf) = book.at_path("performance").unwrap();
        assert!(perf.columns.iter().any(|c| c.key == "department.budget"));
        let (_, assets) = book.at_path("assets").unwrap();
        assert!(assets.columns.iter().any(|c| c.key == "vehicles.其他用车"));
        let (_, goals) = book.at_path("performance.department.goals").unwrap();
        assert_eq!(
            goals.parent, None,
            "its parent is the 绩效 fields sheet's one record"
        );
    }

    #[test]
    fn headers_match_with_or_without_unit_and_marks() {
        let book = Book::new();
        let (_, income) = book.at_path("income").unwrap();
        let amount = income.columns.iter().find(|c| c.key == "amount").unwrap();
        for h in [
            "amount",
            "金额",
            "金额（万元）",
            "*金额",
            " 金 额 ",
            "Amount",
        ] {
            assert!(amount.is_named(h), "{h}");
        }
        assert!(!amount.is_named("来源"));
    }
}
