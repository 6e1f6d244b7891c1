//! A finding as data: where it is (a cell of a table, a place in a published document, or
//! nowhere), what each side of the broken relation comes to as exact values, and the cells
//! involved. Its words in Chinese and English are made from these when it is shown
//! (`wording.rs`); nothing reads a worded finding back.

use super::Scope;
use super::formula::{Op, RowFilter};
use super::sheet::{CheckRow, CheckTable, Claim, ColumnInfo, Figure, Interval};
use crate::diag::Severity;
use crate::money::{AmountUnit, Money};
use crate::scoring::Score;
use crate::text::Text;
use rust_decimal::Decimal;
use std::fmt;

/// A rule that does not hold, or a passage that could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// Rule id.
    pub rule: String,
    /// error / warning / info.
    pub severity: Severity,
    /// 表内 / 表间 / 表与说明 / 代码 / 绩效 / 读取.
    pub scope: Scope,
    /// Where.
    pub place: Place,
    /// The rule's title.
    pub message: Text,
    /// How to fix it.
    pub hint: Text,
    /// What was found against what was expected.
    pub detail: Detail,
    /// The table cells involved (figures of a relation, the label of a named row).
    pub cells: Vec<Cell>,
    /// Why a person must check the finding before it is relied on, when one must: its figures
    /// or its passage were recognised from a scan.
    pub review: Option<Review>,
}

/// Why a finding needs a person's review (需人工复核).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Review {
    /// What it is about was read from a scanned page by OCR (文字识别), which may misread a
    /// glyph: the finding may be the recognition's, not the report's.
    Recognised,
}

impl Review {
    /// The key in `findings.json` (`"review": "ocr"`).
    pub fn key(self) -> &'static str {
        match self {
            Review::Recognised => "ocr",
        }
    }

    /// What people are told.
    pub fn words(self) -> Text {
        match self {
            Review::Recognised => Text::new(
                "需人工复核：由扫描件文字识别读出",
                "needs manual review: read from a scan by OCR",
            ),
        }
    }
}

/// Where a finding is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Place {
    /// Nowhere in particular (a relation that read no cell).
    Nowhere,
    /// A cell of a table (or of a 绩效 form).
    Cell(Box<CellPlace>),
    /// A place in a published document: a sentence of its narrative.
    Document(Passage),
}

impl Place {
    /// Column `column` of `row` of table `t`, with the row's line in the document it was read
    /// from, if it was.
    pub fn cell(t: &CheckTable, row: &CheckRow, column: &str) -> Place {
        Place::Cell(Box::new(CellPlace {
            table: TableRef::of(t),
            row: Some(RowRef::of(row)),
            column: column.to_string(),
            source: row.source_line.map(|line| Passage {
                line,
                page: None,
                text: None,
            }),
        }))
    }
}

/// A cell of a table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CellPlace {
    /// The table.
    pub table: TableRef,
    /// The row; `None` for a line of a table the reader could not attach to a row.
    pub row: Option<RowRef>,
    /// Column key (`fiscal`, `amount`); empty for a row's label or a footer total.
    pub column: String,
    /// Where the row stands in the published document it was read from, when it was.
    pub source: Option<Passage>,
}

/// A place in a published document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Passage {
    /// 1-based line of the document's text.
    pub line: u32,
    /// Page (of a PDF; sheet of a workbook), when the document has pages.
    pub page: Option<u32>,
    /// The sentence or the line as printed, when the finding is about it.
    pub text: Option<String>,
}

/// Where a finding's figures are printed on one page of a published PDF: the page, its size
/// and a box around each figure (a word of the page, else the whole line), for a reader to see
/// them. Measured in hundredths of a point from the page's top left corner, as the word
/// positions are read (integers: no floating point).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Evidence {
    /// 1-based page.
    pub page: u32,
    /// The page's width.
    pub width: i32,
    /// The page's height.
    pub height: i32,
    /// The boxes, each once, the finding's own place first.
    pub boxes: Vec<Rect>,
}

/// A box on a page (see [`Evidence`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
pub struct Rect {
    /// Left edge.
    pub x: i32,
    /// Top edge.
    pub y: i32,
    /// Width.
    pub width: i32,
    /// Height.
    pub height: i32,
}

/// A table as findings name it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TableRef {
    /// Table key (`summary`, `附件1` for a form).
    pub key: String,
    /// Printed number (公开01表), if any.
    pub number: Option<Text>,
    /// Title (empty when the table is not known).
    pub title: Text,
}

impl TableRef {
    /// The table `t`.
    pub fn of(t: &CheckTable) -> TableRef {
        TableRef {
            key: t.id.key().to_string(),
            number: t.number.clone(),
            title: t.title.clone(),
        }
    }
}

/// How a row is addressed, as formulas address it: its 行次, else its code, else its label
/// without spaces.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RowKey {
    /// 行次.
    Line(u32),
    /// Classification code.
    Code(String),
    /// Label without spaces (`合计`), or a form's item.
    Label(String),
}

impl RowKey {
    /// The address of `row`.
    pub fn of(row: &CheckRow) -> RowKey {
        match (&row.line, &row.code) {
            (Some(l), _) => RowKey::Line(*l),
            (None, Some(c)) => RowKey::Code(c.clone()),
            _ => RowKey::Label(row.compact_label()),
        }
    }
}

/// The address as written in a location (`27`, `2060101`, `合计`).
impl fmt::Display for RowKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RowKey::Line(l) => write!(f, "{l}"),
            RowKey::Code(c) | RowKey::Label(c) => f.write_str(c),
        }
    }
}

/// A row as findings name it: its address and its printed label.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct RowRef {
    /// Address.
    pub key: RowKey,
    /// Label as printed.
    pub label: Text,
}

impl RowRef {
    /// The row `row`.
    pub fn of(row: &CheckRow) -> RowRef {
        RowRef {
            key: RowKey::of(row),
            label: row.label.clone(),
        }
    }
}

/// One cell a finding involves.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cell {
    /// Table key.
    pub table: String,
    /// Row address.
    pub row: RowKey,
    /// Column key (empty for a row's label or a footer total).
    pub column: String,
    /// What the cell holds.
    pub value: CellValue,
}

/// What an involved cell holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CellValue {
    /// A figure.
    Figure(Figure),
    /// A row's label (the name a code is printed with).
    Label(String),
}

/// What a finding found against what was expected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Detail {
    /// A relation of a formula does not hold.
    Relation(Box<Broken>),
    /// A classification code or its name (C rules).
    Code(CodeProblem),
    /// A score of a 绩效自评 form (P rules).
    Score(ScoreProblem),
    /// A number or name of the narrative (N2xx rules).
    Claim(Box<ClaimProblem>),
    /// A line of a table that could not be read with certainty (U rules); the line is the
    /// place's source.
    Unread {
        /// Why.
        why: Text,
    },
    /// What a published report lacks or says of itself (D rules): a table or part missing, an
    /// empty table without its note; the place's source is the line concerned, when there is
    /// one.
    Document {
        /// What is wrong, in words.
        what: Text,
    },
}

/// A relation that does not hold, with what its two sides come to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Broken {
    /// The formula as written in the catalog.
    pub source: String,
    /// How the sides must compare.
    pub op: Op,
    /// Left side.
    pub left: Side,
    /// Right side.
    pub right: Side,
    /// The unit the tables print in.
    pub unit: AmountUnit,
}

impl Broken {
    /// Both sides were built from facts (every figure exact).
    pub fn exact(&self) -> bool {
        self.left.exact && self.right.exact
    }

    /// Left − right as the figures read, in 分.
    pub fn difference(&self) -> Money {
        Money::from_fen(self.left.nominal - self.right.nominal)
    }

    /// Two printings of one figure that differ only in their last digit (236.63 against
    /// 236.64): each side one printed cell, no further apart than rounding could take them.
    pub fn within_rounding(&self) -> bool {
        let single = |s: &Side| {
            !s.exact
                && matches!(s.terms.as_slice(), [(_, Part::Cells(c))]
                    if !c.sum && matches!(c.rows, Rows::One(_))
                        && !matches!(c.columns, Columns::Set(_)))
        };
        // One unit of a printed figure's last digit: its interval holds that many 分.
        let unit = |s: &Side| s.interval.hi - s.interval.lo + 1;
        single(&self.left)
            && single(&self.right)
            && self.difference().fen().abs() <= unit(&self.left).max(unit(&self.right))
    }

    /// Half the width of both sides' intervals: how far rounding lets the printed sides differ
    /// (zero when exact).
    pub fn tolerance(&self) -> Money {
        let width = |s: &Side| s.interval.hi - s.interval.lo;
        Money::from_fen((width(&self.left) + width(&self.right)) / 2)
    }
}

/// What one side of a relation comes to, and what it is made of.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Side {
    /// Every whole-分 amount it can stand for.
    pub interval: Interval,
    /// The sum of its figures as they read, in 分.
    pub nominal: i128,
    /// Every figure it read was exact.
    pub exact: bool,
    /// Its terms, with their signs.
    pub terms: Vec<(i8, Part)>,
}

impl Side {
    /// What the side reads as.
    pub fn amount(&self) -> Money {
        Money::from_fen(self.nominal)
    }
}

/// A term of a side.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Part {
    /// `0`.
    Zero,
    /// Cells of one table: one, or a sum.
    Cells(Box<CellsPart>),
    /// A parenthesised expression.
    Group(Vec<(i8, Part)>),
}

/// Cells of one table a term reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CellsPart {
    /// A sum (`sum(...)`).
    pub sum: bool,
    /// The table.
    pub table: TableRef,
    /// Which rows.
    pub rows: Rows,
    /// Which columns.
    pub columns: Columns,
    /// What the cells read as, in 分.
    pub nominal: i128,
}

/// The rows a term read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Rows {
    /// 行次 `a` to `b`.
    Range(u32, u32),
    /// The rows one level below the row with this code (empty when the bound row has none).
    Children(String),
    /// Every row of these kinds.
    Kinds(Vec<RowFilter>),
    /// The one row read.
    One(RowRef),
    /// The row named, which the table does not print (it counts as zero).
    Absent(RowKey),
    /// No row, or several where one was named.
    Unknown,
}

/// The columns a term read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Columns {
    /// The row's only value column.
    Implicit,
    /// One column.
    One(Column),
    /// Several.
    Set(Vec<Column>),
}

/// A value column as findings name it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Column {
    /// Key.
    pub key: String,
    /// Its 栏次 and heading, when the table has the column.
    pub info: Option<ColumnInfo>,
}

/// What is wrong with a classification code or its name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CodeProblem {
    /// An earlier table prints the code with another name.
    NameDiffers {
        /// The code.
        code: String,
        /// The name here.
        name: String,
        /// The name in the first table that prints the code.
        first: String,
        /// That table.
        first_table: TableRef,
    },
    /// The name is not the catalog's.
    NotCatalogName {
        /// The code.
        code: String,
        /// The name printed.
        name: String,
        /// The catalog's name.
        official: String,
    },
    /// Not in the catalog loaded: named by the department's input.
    NotInCatalog {
        /// The code.
        code: String,
        /// The name the input gives it.
        name: String,
    },
    /// Not 3, 5 or 7 digits.
    Malformed {
        /// The code.
        code: String,
    },
    /// The parent is printed in the table, but not above the code.
    ParentNotAbove {
        /// The code.
        code: String,
        /// Its parent.
        parent: String,
    },
    /// The parent is not printed in the table.
    ParentMissing {
        /// The code.
        code: String,
        /// Its parent.
        parent: String,
    },
}

/// What is wrong with the scores of a 绩效自评 form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ScoreProblem {
    /// The reported total is not the sum of the parts.
    Total {
        /// The total the form reports.
        reported: Decimal,
        /// The score computed from the form.
        score: Score,
        /// 执行数.
        actual: Money,
        /// 预算数.
        budget: Money,
        /// The department-wide form (goal points are its goals' weights).
        department: bool,
    },
    /// A negative indicator score.
    Negative {
        /// The score.
        score: Decimal,
    },
    /// A part earns more than it may.
    Over {
        /// Points earned.
        got: Decimal,
        /// Points available.
        cap: Decimal,
        /// Which part.
        part: Capped,
    },
    /// The department-wide goals' weights do not add up to the goal points.
    Weights {
        /// Each goal's weight.
        weights: Vec<Decimal>,
        /// The scheme's goal points.
        goal: Decimal,
    },
    /// A printed 执行率 or 执行得分 that the form's 预算数 and 执行数 do not give.
    Execution {
        /// Which figure.
        part: Executed,
        /// As printed (a percentage for the rate).
        printed: Decimal,
        /// The lowest and highest the amounts give, at the printed figure's decimals (equal
        /// when the amounts are exact or fix it).
        lo: Decimal,
        /// See `lo`.
        hi: Decimal,
        /// 执行数.
        actual: Money,
        /// 预算数.
        budget: Money,
        /// The execution points of the scheme.
        points: Decimal,
    },
    /// Scores left blank.
    Blank {
        /// The total the form reports, if any.
        reported: Option<Decimal>,
        /// The goal has no score.
        goal: bool,
        /// How many indicators have no score.
        indicators: usize,
    },
}

/// The figures of a form's execution row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Executed {
    /// 执行率 (B/A).
    Rate,
    /// 执行得分 (points × 执行率).
    Score,
}

/// A part of a form that has a cap.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Capped {
    /// One indicator's score.
    Indicator,
    /// The indicator scores of a department-wide goal (1-based) of this weight.
    GoalIndicators {
        /// Which goal.
        goal: usize,
        /// Its weight.
        weight: Decimal,
    },
    /// A project's goal score.
    GoalScore,
    /// A project's indicator scores together.
    Indicators,
    /// The scores of one 一级指标.
    Level1(String),
}

/// A narrative claim that does not agree with what it is computed from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClaimProblem {
    /// The claim, where it stands.
    pub claim: Claim,
    /// What the tables (or the sentence's other numbers) give.
    pub against: Against,
    /// The cells the claim read, named in words for people (a cell as formulas write it →
    /// `公开05表 一般公共预算财政拨款支出决算表 210 卫生健康支出 第1栏（合计）`).
    pub words: Vec<(String, Text)>,
}

/// What a claim is compared with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Against {
    /// What the figure's cells (or the other stated numbers) come to, in thousandths of a 分.
    Amount(Interval),
    /// A rate `num / den × 100` (both in the same unit).
    Rate {
        /// Numerator.
        num: Interval,
        /// Denominator.
        den: Interval,
    },
    /// The parts the sentence lists (their sum is not the total).
    Parts,
    /// The two amounts a comparison word compares (thousandths of a 分).
    Compare {
        /// The first.
        left: Interval,
        /// The second.
        right: Interval,
    },
    /// What the tables print for the name (the claim says).
    Name,
}
