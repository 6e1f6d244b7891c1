//! What rules read: the nine tables as addressed figures, each either exact (built from facts)
//! or printed (read from a published report), so one rule catalog serves both; and what a
//! published report's narrative claims about them ([`Claim`], checked by `claims`).

use super::formula::{ColSel, Domain, Expr, Formula, RowFilter, RowSel};
use crate::layout::TableId;
use crate::money::{AmountUnit, Money, Printed};
use crate::text::Text;
use crate::views::{RowKind, Views};
use serde::Serialize;

/// A figure of a table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Figure {
    /// An exact amount (a view built from facts).
    Exact {
        /// The amount.
        value: Money,
        /// The unit the table prints in.
        unit: AmountUnit,
    },
    /// A printed amount: it stands for every whole-分 amount that prints the same.
    Printed {
        /// The figure as printed.
        value: Printed,
        /// The unit it is printed in.
        unit: AmountUnit,
    },
}

/// A closed interval of whole 分.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Interval {
    /// Smallest possible value, in 分.
    pub lo: i128,
    /// Largest possible value, in 分.
    pub hi: i128,
}

impl Interval {
    /// A single exact value.
    pub fn point(fen: i128) -> Interval {
        Interval { lo: fen, hi: fen }
    }

    /// True when the interval is one value.
    pub fn is_exact(self) -> bool {
        self.lo == self.hi
    }

    /// `self + sign × other`.
    pub fn add(self, sign: i8, other: Interval) -> Interval {
        if sign >= 0 {
            Interval {
                lo: self.lo + other.lo,
                hi: self.hi + other.hi,
            }
        } else {
            Interval {
                lo: self.lo - other.hi,
                hi: self.hi - other.lo,
            }
        }
    }

    /// The distance between two intervals (0 when they meet).
    pub fn gap(self, other: Interval) -> i128 {
        if self.hi < other.lo {
            other.lo - self.hi
        } else if other.hi < self.lo {
            self.lo - other.hi
        } else {
            0
        }
    }
}

impl Figure {
    /// The whole-分 amounts this figure can stand for.
    ///
    /// Printed figures round half away from zero (四舍五入): with a step of `s` 分, a printed
    /// `v > 0` stands for `[v − s/2, v + s/2 − 1]`, `v = 0` for `[−(s/2 − 1), s/2 − 1]`, and a
    /// negative `v` for `[v − s/2 + 1, v + s/2]`.
    pub fn interval(self) -> Interval {
        match self {
            Figure::Exact { value, .. } => Interval::point(value.fen()),
            Figure::Printed { value, unit } => {
                let step = unit.fen_per_hundredth();
                let v = value.hundredths() * step;
                let half = step / 2;
                if half == 0 {
                    Interval::point(v)
                } else if v > 0 {
                    Interval {
                        lo: v - half,
                        hi: v + half - 1,
                    }
                } else if v == 0 {
                    Interval {
                        lo: -(half - 1),
                        hi: half - 1,
                    }
                } else {
                    Interval {
                        lo: v - half + 1,
                        hi: v + half,
                    }
                }
            }
        }
    }

    /// What the figure reads as, in 分: an exact amount as itself, a printed one as printed.
    pub fn nominal(self) -> i128 {
        match self {
            Figure::Exact { value, .. } => value.fen(),
            Figure::Printed { value, unit } => value.hundredths() * unit.fen_per_hundredth(),
        }
    }

    /// Whether the figure is an exact amount (built from facts), not one read as printed.
    pub fn is_exact(self) -> bool {
        matches!(self, Figure::Exact { .. })
    }

    /// As the table prints it.
    pub fn printed(self) -> Printed {
        match self {
            Figure::Exact { value, unit } => value.display_in(unit),
            Figure::Printed { value, .. } => value,
        }
    }

    /// The unit of the table.
    pub fn unit(self) -> AmountUnit {
        match self {
            Figure::Exact { unit, .. } | Figure::Printed { unit, .. } => unit,
        }
    }
}

/// One row of a checked table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CheckRow {
    /// 行次.
    pub line: Option<u32>,
    /// Classification code.
    pub code: Option<String>,
    /// Label or name as printed (Chinese), with its English where the layout gives one.
    pub label: Text,
    /// What the row is.
    pub kind: RowKind,
    /// Panel the row belongs to (0 for footers of several panels).
    pub panel: usize,
    /// Values by 栏次 (`""` for a footer total without one).
    pub cells: Vec<(String, Figure)>,
    /// Read from a published report without certainty about its cells (blank cells dropped and
    /// no unique way to place its figures): rules that touch it are not evaluated.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub uncertain: bool,
    /// Where the row stands in the document it was read from (1-based line).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_line: Option<u32>,
}

impl CheckRow {
    /// The label without spaces, for matching `"合计"`.
    pub fn compact_label(&self) -> String {
        crate::text::compact(&self.label.zh)
    }

    /// The row's address: 行次, else code, else label.
    pub fn address(&self) -> String {
        match (&self.line, &self.code) {
            (Some(l), _) => l.to_string(),
            (None, Some(c)) => c.clone(),
            _ => self.compact_label(),
        }
    }
}

/// A value column: its key, printed 栏次 and header name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ColumnInfo {
    /// What the column means (`fiscal`, `basic`…).
    pub key: String,
    /// 栏次 as printed, if the table prints one.
    pub col_no: Option<String>,
    /// The column's heading.
    pub name: Text,
}

/// One table as rules see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CheckTable {
    /// Role.
    pub id: TableId,
    /// The classification its codes follow.
    #[serde(skip)]
    pub codes: crate::catalog::Classification,
    /// Printed number, if any.
    pub number: Option<Text>,
    /// Title.
    pub title: Text,
    /// Value columns, in order (one entry per key).
    pub columns: Vec<ColumnInfo>,
    /// Rows with values (blank lines are left out).
    pub rows: Vec<CheckRow>,
    /// A row the table does not print stands for zero (true for tables that print only rows
    /// with amounts, and for every table built from facts).
    pub absent_is_zero: bool,
    /// Some printed rows could not be read at all: rules over sets of rows (sums of children,
    /// every 类 row) are not evaluated on this table.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub partial: bool,
    /// The rows its layout prints whatever the amounts, where known: an address of rows it
    /// never prints (lines a family leaves out, codes in a table without any) names nothing,
    /// and a rule over it does not apply ([`CheckTable::prints`]).
    #[serde(skip)]
    pub printed: Option<crate::layout::PrintedRows>,
    /// Rows printed a second time (a 合计 at the top and at the foot of a table): rule T001
    /// compares each with the row it repeats; no other rule reads them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub repeats: Vec<CheckRow>,
}

impl CheckTable {
    /// A table of these rows, read in full, nothing known of its layout (every row it could
    /// print may be addressed; absent rows read as zero).
    pub fn new(id: TableId, title: Text, rows: Vec<CheckRow>) -> CheckTable {
        CheckTable {
            id,
            codes: Default::default(),
            number: None,
            title,
            columns: Vec::new(),
            rows,
            absent_is_zero: true,
            partial: false,
            printed: None,
            repeats: Vec::new(),
        }
    }

    /// Whether the table's layout prints rows that `sel` can name (always, where the layout is
    /// not known). A range of 行次 needs one of its lines printed; a code, the rows under a
    /// code or the rows of a classification level need rows with codes.
    pub fn prints(&self, sel: &RowSel) -> bool {
        let Some(p) = &self.printed else {
            return true;
        };
        match sel {
            RowSel::Lines(a, b) => p.lines.iter().any(|l| a <= l && l <= b),
            RowSel::Code(_) | RowSel::CodeOf(_) | RowSel::Children(_) => p.codes,
            RowSel::Kinds(k) => p.codes || !k.iter().all(RowFilter::needs_code),
            RowSel::Label(_) | RowSel::Only | RowSel::Var(_) => true,
        }
    }

    /// Whether the table's layout prints a column `col` names (always, where the layout is not
    /// known; a bound column variable in `vars` ranges over the printed ones): a key no panel
    /// prints names nothing.
    pub fn prints_column(&self, col: &ColSel, vars: &[&str]) -> bool {
        if self.printed.is_none() || self.columns.is_empty() {
            return true;
        }
        let printed = |k: &str| vars.contains(&k) || self.columns.iter().any(|c| c.key == k);
        match col {
            ColSel::Implicit => true,
            ColSel::Name(k) => printed(k),
            ColSel::Set(ks) => ks.iter().any(|k| printed(k)),
        }
    }

    /// How findings name a column: `第2栏（财政拨款收入）`, or the heading alone.
    pub fn column_name(&self, key: &str) -> Text {
        column_name(key, self.columns.iter().find(|c| c.key == key))
    }

    /// How findings name the table: `公开01表 收入支出决算总表`.
    pub fn describe(&self) -> Text {
        table_name(self.number.as_ref(), &self.title)
    }
}

/// How findings name column `key` of a table, given its 栏次 and heading when the table has
/// it: `第2栏（财政拨款收入）`, `（财政拨款收入）`, else the key.
pub fn column_name(key: &str, info: Option<&ColumnInfo>) -> Text {
    match info {
        Some(ColumnInfo {
            col_no: Some(n),
            name,
            ..
        }) => Text {
            zh: format!("第{n}栏（{}）", name.zh),
            en: format!(" col {n} ({})", name.get(crate::Lang::En)),
        },
        Some(c) => Text {
            zh: format!("（{}）", c.name.zh),
            en: format!(" ({})", c.name.get(crate::Lang::En)),
        },
        None => Text::same(key),
    }
}

/// How findings name a table of this number and title: `公开01表 收入支出决算总表`, or the
/// title alone.
pub fn table_name(number: Option<&Text>, title: &Text) -> Text {
    match number {
        Some(n) => Text {
            zh: format!("{} {}", n.zh, title.zh),
            en: format!("{} {}", n.get(crate::Lang::En), title.get(crate::Lang::En)),
        },
        None => title.clone(),
    }
}

/// The value columns of a view with their headings: the lowest header cell over each column
/// that is not a 栏次 number.
fn column_infos(v: &crate::views::View) -> Vec<ColumnInfo> {
    let mut out: Vec<ColumnInfo> = Vec::new();
    for (i, c) in v.columns.iter().enumerate() {
        let Some(key) = &c.key else { continue };
        if out.iter().any(|x| x.key == *key) {
            continue;
        }
        let name = v
            .header
            .iter()
            .filter(|h| h.col <= i && i < h.col + h.colspan)
            .filter(|h| {
                let t: String = h.text.zh.split_whitespace().collect();
                !t.is_empty() && !t.bytes().all(|b| b.is_ascii_digit()) && t != "栏次"
            })
            .max_by_key(|h| h.row)
            .map(|h| h.text.clone())
            .unwrap_or_else(|| Text::same(key.clone()));
        out.push(ColumnInfo {
            key: key.clone(),
            col_no: c.col_no.clone(),
            name,
        });
    }
    out
}

/// A number as a sentence states it: `scaled / 10^decimals` (in 万元 for amounts, in percent
/// for rates).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Stated {
    /// As written.
    pub text: String,
    /// The digits without the point.
    pub scaled: i128,
    /// Digits after the point.
    pub decimals: u32,
}

impl Stated {
    /// Reads `35549.61`, `1,466.62`, `64.5`, `0`.
    pub fn parse(text: &str) -> Option<Stated> {
        let t: String = text.chars().filter(|c| *c != ',').collect();
        let (int, frac) = t.split_once('.').unwrap_or((&t, ""));
        if int.is_empty()
            || !int.bytes().all(|b| b.is_ascii_digit())
            || !frac.bytes().all(|b| b.is_ascii_digit())
            || int.len() + frac.len() > 24
        {
            return None;
        }
        let scaled = format!("{int}{frac}").parse().ok()?;
        Some(Stated {
            text: text.to_string(),
            scaled,
            decimals: u32::try_from(frac.len()).ok()?,
        })
    }

    /// The values it stands for, in units of `10^-scale` (scale ≥ decimals + 1): the stated
    /// value ± half a unit of its last digit.
    pub(crate) fn interval(&self, scale: u32) -> Option<Interval> {
        let up = 10i128.checked_pow(scale.checked_sub(self.decimals)?)?;
        let v = self.scaled.checked_mul(up)?;
        let half = up / 2;
        Some(Interval {
            lo: v - half,
            hi: v + half,
        })
    }
}

/// What a number of the narrative counts in: an amount in a unit of money, a percentage, a
/// count of things or a score.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "unit", content = "word", rename_all = "snake_case")]
pub enum NumUnit {
    /// Money: the word (`万元`, `元`, `亿元`) and how many thousandths of a 分 one unit is.
    Money(String, #[serde(skip)] i128),
    /// A percentage.
    Percent,
    /// A count of things (`个`, `辆`, `台（套）`).
    Count(String),
    /// A score (`分`).
    Score,
}

/// A number of the narrative with its unit: `35549.61 万元`, `64.5%`, `9 辆`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Number {
    /// The number as printed.
    pub stated: Stated,
    /// Its unit.
    pub unit: NumUnit,
}

impl Number {
    /// An amount in 万元 (for tests).
    #[cfg(test)]
    pub(crate) fn wan(text: &str) -> Option<Number> {
        Some(Number {
            stated: Stated::parse(text)?,
            unit: NumUnit::Money("万元".into(), 1_000_000_000),
        })
    }

    /// A percentage (for tests).
    #[cfg(test)]
    pub(crate) fn percent(text: &str) -> Option<Number> {
        Some(Number {
            stated: Stated::parse(text)?,
            unit: NumUnit::Percent,
        })
    }

    /// A count (for tests).
    #[cfg(test)]
    pub(crate) fn count(text: &str, word: &str) -> Option<Number> {
        Some(Number {
            stated: Stated::parse(text)?,
            unit: NumUnit::Count(word.into()),
        })
    }

    /// The number as printed with its unit.
    pub fn shown(&self) -> String {
        match &self.unit {
            NumUnit::Money(w, _) | NumUnit::Count(w) => format!("{}{w}", self.stated.text),
            NumUnit::Percent => format!("{}%", self.stated.text),
            NumUnit::Score => format!("{}分", self.stated.text),
        }
    }
}

/// One side of what a claim compares: cells of the tables, a number the narrative states, or
/// a signed sum of these.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Operand {
    /// The cells a figure of the figure catalog stands for.
    Cells {
        /// The figure.
        figure: String,
        /// Its cells, with their signs.
        #[serde(skip)]
        cells: Expr,
    },
    /// A number the narrative states (at `line`).
    Stated {
        /// The number.
        number: Number,
        /// Where it is stated.
        line: u32,
    },
    /// `Σ sign × operand`.
    Sum {
        /// The signed terms.
        terms: Vec<(i8, Operand)>,
    },
}

impl Operand {
    /// A number stated at `line`.
    pub fn stated(number: Number, line: u32) -> Operand {
        Operand::Stated { number, line }
    }

    /// Whether any part of it is read from the tables.
    pub fn reads_tables(&self) -> bool {
        match self {
            Operand::Cells { .. } => true,
            Operand::Stated { .. } => false,
            Operand::Sum { terms } => terms.iter().any(|(_, o)| o.reads_tables()),
        }
    }
}

/// How two amounts compare, as a sentence says it (`决算数大于预算数`, `与上年持平`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    /// The first is larger.
    Greater,
    /// The first is smaller.
    Less,
    /// They are equal (at the decimals printed).
    Equal,
}

/// What a sentence claims.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ClaimKind {
    /// The amount is what `against` comes to; `change`: the number is the size of an increase
    /// (or a decrease) that `against` gives as a signed difference.
    Amount {
        /// The number.
        stated: Number,
        /// The direction a change is said to go (`增加 … 万元`), if the number is a change.
        #[serde(skip_serializing_if = "Option::is_none")]
        change: Option<Direction>,
        /// What it states: table cells or other stated numbers.
        against: Operand,
    },
    /// The percentage is `num / den × 100`; for a growth rate `den` is this year's amount and
    /// `num` the change, so the base is `den − num` (an increase) or `den + num` (a decrease).
    Rate {
        /// The rate.
        stated: Number,
        /// The ratio figure of the figure catalog it states, if one defines it.
        #[serde(skip_serializing_if = "Option::is_none")]
        figure: Option<String>,
        /// Numerator.
        num: Operand,
        /// Denominator (this year's amount for a growth rate).
        den: Operand,
        /// The change `num` went this way (a growth rate).
        #[serde(skip_serializing_if = "Option::is_none")]
        growth: Option<Direction>,
    },
    /// A stated total and the parts listed after it (`共有车辆 9 辆，其中：…`): the parts add up
    /// to it when the list is `complete`, else do not exceed it.
    Sum {
        /// The total.
        stated: Number,
        /// The parts.
        parts: Vec<Number>,
        /// The list names every part.
        complete: bool,
    },
    /// A comparison word (`决算数小于预算数`, `与上年持平`, `增加`) against the amounts it
    /// compares.
    Compare {
        /// The words, as printed.
        word: String,
        /// What the sentence says.
        relation: Relation,
        /// The first amount.
        left: Operand,
        /// The second amount.
        right: Operand,
    },
    /// Numbers of a paragraph whose subject resolves to nothing the reader knows and that no
    /// other number checks: reported (info), never guessed.
    Unresolved {
        /// Each number as printed, with the words before it.
        numbers: Vec<String>,
    },
    /// A 类/款/项 name the sentence uses that no table prints under that code's parent.
    Name {
        /// The name as written.
        stated: String,
        /// What the tables print for the nearest code, if any.
        printed: Option<String>,
    },
}

impl ClaimKind {
    /// What the sentence states, as printed (a number without its unit).
    pub fn stated_text(&self) -> String {
        match self {
            ClaimKind::Amount { stated, .. }
            | ClaimKind::Rate { stated, .. }
            | ClaimKind::Sum { stated, .. } => stated.stated.text.clone(),
            ClaimKind::Compare { word, .. } => word.clone(),
            ClaimKind::Name { stated, .. } => stated.clone(),
            ClaimKind::Unresolved { numbers } => numbers.join("、"),
        }
    }
}

/// Which way a change went.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// 增加 / 增长.
    Up,
    /// 减少 / 下降.
    Down,
}

/// One claim of the narrative, where it stands.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Claim {
    /// What it is about: the figure (or the subject's words) the reader resolved, for findings
    /// and tests.
    pub pattern: String,
    /// 1-based line of the document where the number stands.
    pub line: u32,
    /// The sentence, as printed.
    pub sentence: String,
    /// The key of the narrative section it stands in (`sangong`), where its heading says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
    /// What it claims.
    pub kind: ClaimKind,
}

/// The tables of one department-year, ready for checking.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Sheet {
    /// Department name.
    pub department: String,
    /// Tables.
    pub tables: Vec<CheckTable>,
    /// The 绩效自评 forms, when the department-year has them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evaluations: Option<crate::scoring::Evaluations>,
    /// What a published report's narrative says about its tables.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub claims: Vec<Claim>,
}

impl Sheet {
    /// The unit the tables print in (万元 when the sheet has no figure).
    pub fn unit(&self) -> AmountUnit {
        self.tables
            .iter()
            .flat_map(|t| t.rows.iter())
            .flat_map(|r| r.cells.iter())
            .map(|(_, f)| f.unit())
            .next()
            .unwrap_or(AmountUnit::Wan)
    }

    /// The table with key `key`.
    pub fn table(&self, key: &str) -> Option<&CheckTable> {
        self.tables.iter().find(|t| t.id.key() == key)
    }

    /// Whether the tables' layouts print what `f` addresses: its quantifiers range over rows a
    /// table can print, and each side of its relation (and condition) that names cells names
    /// at least one printed row. A line left out beside printed ones reads as zero (a family
    /// without the 国有资本 line adds up the others); a side made only of rows never printed
    /// (the class lines of a total table that lists 基本 and 项目支出 instead) has nothing to
    /// compare, and the formula does not apply. Missing tables count as printing everything:
    /// they are reported as missing.
    pub fn prints(&self, f: &Formula) -> bool {
        let prints = |t: &str, sel: &RowSel| self.table(t).is_none_or(|t| t.prints(sel));
        // Columns as rows: a side that names only columns its table's layout never prints
        // (人员经费/公用经费 of a summary that prints one 预算数) has nothing to compare.
        let vars: Vec<&str> = f
            .bindings
            .iter()
            .filter(|(_, d)| matches!(d, Domain::Cols(_)))
            .map(|(n, _)| n.as_str())
            .collect();
        let prints_col =
            |t: &str, col: &ColSel| self.table(t).is_none_or(|t| t.prints_column(col, &vars));
        let side = |e: &Expr| {
            let refs = e.cell_refs();
            refs.is_empty()
                || refs
                    .iter()
                    .any(|r| prints(&r.table, &r.row) && prints_col(&r.table, &r.col))
        };
        f.bindings.iter().all(|(_, d)| match d {
            Domain::Rows(t, k) => prints(t, &RowSel::Kinds(k.clone())),
            Domain::Cols(_) => true,
        }) && std::iter::once(&f.relation)
            .chain(f.when.as_ref())
            .all(|rel| side(&rel.left) && side(&rel.right))
    }

    /// The views built from facts, with exact figures.
    pub fn from_views(views: &Views) -> Sheet {
        let tables = views
            .tables
            .iter()
            .map(|v| {
                let unit = views.unit_of(v);
                let mut rows = Vec::new();
                let mut repeats = Vec::new();
                for (pi, panel) in v.panels.iter().enumerate() {
                    let cols: Vec<String> = v
                        .value_columns(pi)
                        .map(|c| c.key.clone().unwrap_or_default())
                        .collect();
                    // A repeated row (a 合计 printed again at the foot) is checked once, and
                    // against the row it repeats.
                    for r in &panel.rows {
                        let cells: Vec<(String, Figure)> = cols
                            .iter()
                            .zip(&r.values)
                            .filter_map(|(c, v)| {
                                v.map(|value| (c.clone(), Figure::Exact { value, unit }))
                            })
                            .collect();
                        if cells.is_empty() {
                            continue;
                        }
                        let row = CheckRow {
                            line: r.line,
                            code: r.code.clone(),
                            label: r.label.clone(),
                            kind: r.kind,
                            panel: pi,
                            cells,
                            uncertain: false,
                            source_line: None,
                        };
                        if r.repeat {
                            repeats.push(row);
                        } else {
                            rows.push(row);
                        }
                    }
                }
                for f in &v.footer {
                    rows.push(CheckRow {
                        line: None,
                        code: None,
                        label: f.label.clone(),
                        kind: RowKind::Total,
                        panel: f.panels.first().copied().unwrap_or(0),
                        cells: vec![(
                            String::new(),
                            Figure::Exact {
                                value: f.value,
                                unit,
                            },
                        )],
                        uncertain: false,
                        source_line: None,
                    });
                }
                CheckTable {
                    id: v.id.clone(),
                    codes: v.codes,
                    number: v.number.clone(),
                    title: v.title.clone(),
                    columns: column_infos(v),
                    rows,
                    absent_is_zero: true,
                    partial: false,
                    printed: Some(v.printed.clone()),
                    repeats,
                }
            })
            .collect();
        Sheet {
            department: views.department.clone(),
            tables,
            evaluations: None,
            claims: Vec::new(),
        }
    }

    /// The sheet of a build: its views and its 绩效自评 forms.
    pub fn of_build(views: &Views, disclosure: &crate::disclosure::Disclosure) -> Sheet {
        Sheet {
            evaluations: crate::scoring::Evaluations::of(disclosure),
            ..Sheet::from_views(views)
        }
    }

    /// Every figure replaced by its printed form: what a reader of the published tables sees.
    pub fn as_printed(&self) -> Sheet {
        let mut s = self.clone();
        for t in &mut s.tables {
            for r in t.rows.iter_mut().chain(&mut t.repeats) {
                for (_, f) in &mut r.cells {
                    *f = Figure::Printed {
                        value: f.printed(),
                        unit: f.unit(),
                    };
                }
            }
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn printed(h: i128) -> Figure {
        Figure::Printed {
            value: Printed::from_hundredths(h),
            unit: AmountUnit::Wan,
        }
    }

    #[test]
    fn printed_intervals_follow_half_away_rounding() {
        // 1.00 万元 stands for 9,950.00 ..= 10,049.99 元.
        assert_eq!(
            printed(100).interval(),
            Interval {
                lo: 995_000,
                hi: 1_004_999
            }
        );
        assert_eq!(
            printed(0).interval(),
            Interval {
                lo: -4_999,
                hi: 4_999
            }
        );
        assert_eq!(
            printed(-100).interval(),
            Interval {
                lo: -1_004_999,
                hi: -995_000
            }
        );
    }

    proptest! {
        /// Every whole-分 amount lies inside the interval of its own printed figure, and the
        /// interval holds nothing that prints differently.
        #[test]
        fn an_amount_lies_in_the_interval_of_its_print(fen in -(10_i128.pow(13))..10_i128.pow(13)) {
            let m = Money::from_fen(fen);
            let f = printed(m.to_wan().hundredths());
            let i = f.interval();
            prop_assert!(i.lo <= fen && fen <= i.hi);
            prop_assert_eq!(Money::from_fen(i.lo).to_wan(), m.to_wan());
            prop_assert_eq!(Money::from_fen(i.hi).to_wan(), m.to_wan());
            prop_assert_ne!(Money::from_fen(i.lo - 1).to_wan(), m.to_wan());
            prop_assert_ne!(Money::from_fen(i.hi + 1).to_wan(), m.to_wan());
        }
    }
}
