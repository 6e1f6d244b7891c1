//! How a finding reads, in Chinese and English: its place, the relation with names and figures,
//! what was found and expected — made from the typed [`Finding`] when it is shown (the text for
//! people, the JSON's words), never stored in it.

use super::finding::{
    Against, Broken, Capped, Cell, CellValue, CellsPart, ClaimProblem, CodeProblem, Columns,
    Detail, Executed, Finding, Part, Passage, Place, RowKey, RowRef, Rows, ScoreProblem, TableRef,
};
use super::formula::{Expr, Op, RowFilter, Term};
use super::sheet::{ClaimKind, Direction, Interval, NumUnit, Operand, column_name, table_name};
use crate::diag::Location;
use crate::money::{AmountUnit, Money};
use crate::text::{Lang, Text};
use rust_decimal::Decimal;
use serde::Serialize;

/// An involved cell as the findings JSON writes it: its address and what it prints.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PrintedCell {
    /// Table key (`narrative` for a sentence of the narrative).
    pub table: String,
    /// Row address (行次, code or label; the line of a sentence).
    pub row: String,
    /// Column key (the pattern that read a sentence).
    pub column: String,
    /// The figure, name, score or text as printed.
    pub printed: String,
}

impl TableRef {
    /// `公开01表 收入支出决算总表`, or the title alone.
    pub fn describe(&self) -> Text {
        table_name(self.number.as_ref(), &self.title)
    }

    /// `公开01表`, or the title when the table has no number.
    pub fn short(&self) -> Text {
        self.number.clone().unwrap_or_else(|| self.title.clone())
    }
}

impl RowRef {
    /// 第27行 / 2060101 行政运行 / 合计.
    pub fn describe(&self) -> Text {
        match &self.key {
            RowKey::Line(l) => line_name(*l),
            RowKey::Code(c) => Text::same(format!("{c} {}", self.label.zh)),
            RowKey::Label(_) if self.label.zh.is_empty() => Text::new("数据行", "data row"),
            RowKey::Label(l) => Text::new(l.clone(), self.label.get(Lang::En)),
        }
    }
}

fn line_name(l: u32) -> Text {
    Text::new(format!("第{l}行"), format!("line {l}"))
}

/// How a finding names a line of the document it read (and its page, where it has pages).
fn source_line_name(p: &Passage) -> Text {
    let line = p.line;
    match p.page {
        Some(page) => Text::new(
            format!("第 {page} 页（原文第 {line} 行）"),
            format!("page {page} (source line {line})"),
        ),
        None => Text::new(
            format!("第 {line} 行（原文）"),
            format!("source line {line}"),
        ),
    }
}

/// An amount in 分 in the tables' unit, as tables print it (an exact amount that is not a whole
/// hundredth is rounded here only for display).
fn show(fen: i128, unit: AmountUnit) -> String {
    Money::from_fen(fen).display_in(unit).grouped()
}

/// Points as forms print them: at most 2 decimals, no trailing zeros.
fn pts(d: Decimal) -> String {
    d.round_dp(2).normalize().to_string()
}

fn wan(m: Money) -> String {
    m.display_in(AmountUnit::Wan).plain()
}

impl Finding {
    /// A 舍入差异: figures that differ only as far as rounding their last printed digit could
    /// take them — two printings of one figure one unit apart, a rate truncated instead of
    /// rounded. A warning, sorted after real contradictions.
    pub fn rounding(&self) -> bool {
        match &self.detail {
            Detail::Relation(b) => b.within_rounding(),
            Detail::Claim(c) => super::claims::within_rounding(&c.claim, &c.against),
            _ => false,
        }
    }

    /// Whether the finding is about a line of the document read (a sentence, a line that could
    /// not be read, what the document lacks), so that its row is named by that line.
    pub fn named_by_line(&self) -> bool {
        matches!(
            self.detail,
            Detail::Unread { .. } | Detail::Claim(_) | Detail::Document { .. }
        )
    }

    /// Where in the published document the finding's figure is printed, for people: the page
    /// (a PDF, a workbook), else the line of the text read.
    pub fn printed_at(&self) -> Option<Text> {
        let p = self.source()?;
        Some(match p.page {
            Some(page) => Text::new(format!("第 {page} 页"), format!("page {page}")),
            None => Text::new(
                format!("原文第 {} 行", p.line),
                format!("source line {}", p.line),
            ),
        })
    }

    /// Where the finding is in the published document read, when it is (the sentence, the line
    /// that could not be read, or the line of the row).
    pub fn source(&self) -> Option<&Passage> {
        match &self.place {
            Place::Document(p) => Some(p),
            Place::Cell(c) => c.source.as_ref(),
            Place::Nowhere => None,
        }
    }

    /// The place as the findings JSON addresses it, (table, row, column): a cell as its
    /// table key, row address and column key; a sentence of the narrative as (`narrative`, its
    /// line, the pattern that read it); nowhere as three empty fields.
    pub fn address(&self) -> (String, String, String) {
        match (&self.place, &self.detail) {
            (Place::Cell(c), _) => (
                c.table.key.clone(),
                c.row
                    .as_ref()
                    .map(|r| r.key.to_string())
                    .unwrap_or_default(),
                c.column.clone(),
            ),
            (Place::Document(p), detail) => (
                "narrative".to_string(),
                p.line.to_string(),
                match detail {
                    Detail::Claim(c) => c.claim.pattern.clone(),
                    _ => String::new(),
                },
            ),
            (Place::Nowhere, _) => Default::default(),
        }
    }

    /// The place as the findings JSON writes it: a view location of [`Finding::address`].
    pub fn location(&self) -> Location {
        let (table, row, column) = self.address();
        Location::View { table, row, column }
    }

    /// How the table is named in print (公开01表 收入支出决算总表; 情况说明).
    pub fn table_name(&self) -> Text {
        match &self.place {
            Place::Cell(c) => c.table.describe(),
            Place::Document(_) => Text::new("情况说明", "narrative"),
            Place::Nowhere => Text::default(),
        }
    }

    /// How the row is named (第27行, 2060101 行政运行, 合计; the document's line for what was
    /// read from a line).
    pub fn row_name(&self) -> Text {
        if self.named_by_line()
            && let Some(p) = self.source()
        {
            return source_line_name(p);
        }
        match &self.place {
            Place::Cell(c) => c.row.as_ref().map(RowRef::describe).unwrap_or_default(),
            _ => Text::default(),
        }
    }

    /// Whether [`Finding::formula`] states a relation (sides and figures, for those who want
    /// them) rather than the finding itself in words (a sentence quoted, a name, a part
    /// missing): pages show the words, and keep a relation behind a toggle.
    pub fn states_a_relation(&self) -> bool {
        matches!(self.detail, Detail::Relation(_))
    }

    /// The finding explained: the relation with names and figures filled in, or what the
    /// names, scores or sentence say.
    pub fn formula(&self) -> Text {
        match &self.detail {
            Detail::Relation(b) => relation_text(b),
            Detail::Code(p) => code_text(p),
            Detail::Score(p) => score_text(p),
            Detail::Claim(c) => claim_text(c),
            Detail::Unread { why } => {
                let raw = self.raw();
                Text::new(format!("{}：{raw}", why.zh), format!("{}: {raw}", why.en))
            }
            Detail::Document { what } => what.clone(),
        }
    }

    /// What was found (the left side of a relation, printed; a name, a score, a stated number).
    pub fn found(&self) -> String {
        match &self.detail {
            Detail::Relation(b) => show(b.left.nominal, b.unit),
            Detail::Code(p) => code_found_expected(p).0,
            Detail::Score(p) => score_found_expected(p).0,
            Detail::Claim(c) => c.claim.kind.stated_text(),
            Detail::Unread { .. } | Detail::Document { .. } => self.raw().to_string(),
        }
    }

    /// What was expected (the right side of a relation, printed; the name, score or figure
    /// the other side gives).
    pub fn expected(&self) -> String {
        match &self.detail {
            Detail::Relation(b) => show(b.right.nominal, b.unit),
            Detail::Code(p) => code_found_expected(p).1,
            Detail::Score(p) => score_found_expected(p).1,
            Detail::Claim(c) => against_shown(c),
            Detail::Unread { .. } | Detail::Document { .. } => String::new(),
        }
    }

    /// Left − right of a relation, printed (in 元 when both sides are exact); empty otherwise.
    pub fn difference(&self) -> String {
        match &self.detail {
            Detail::Relation(b) => difference_shown(b),
            _ => String::new(),
        }
    }

    /// How far apart the two sides are, in the unit of the figures: `相差 -0.01 万元` for a
    /// relation or an amount the narrative states, `相差 0.08 个百分点` for a rate; `None` where
    /// nothing is an amount (a name, a code, a line not read).
    pub fn difference_words(&self) -> Option<Text> {
        let said = |zh: String, en: String| {
            Some(Text::new(format!("相差 {zh}"), format!("difference {en}")))
        };
        match &self.detail {
            Detail::Relation(b) => {
                let d = difference_shown(b);
                match d.strip_suffix(" 元") {
                    Some(n) => said(format!("{n} 元"), format!("{n} yuan")),
                    None => said(
                        format!("{d} {}", b.unit.zh()),
                        format!("{d} in {}", b.unit.en()),
                    ),
                }
            }
            Detail::Claim(c) => match (&c.claim.kind, &c.against) {
                (ClaimKind::Amount { stated, change, .. }, Against::Amount(i)) => {
                    let s = super::claims::value(stated)?;
                    let mid = |i: Interval| (i.lo + i.hi) / 2;
                    // A change is stated as its size; the tables give it signed.
                    let against = match change {
                        Some(Direction::Down) => -mid(*i),
                        _ => mid(*i),
                    };
                    let d = show_milli(Interval::point(mid(s) - against), &stated.unit);
                    let unit = unit_word(&stated.unit);
                    said(format!("{d} {unit}"), format!("{d} {unit}"))
                }
                (ClaimKind::Rate { stated, .. }, Against::Rate { num, den }) => {
                    let mid = |i: &Interval| Money::from_fen((i.lo + i.hi) / 2);
                    let computed = crate::money::percent(mid(num), mid(den), 2)?;
                    let stated =
                        Decimal::from_i128_with_scale(stated.stated.scaled, stated.stated.decimals);
                    let d = (stated - computed).normalize();
                    said(format!("{d} 个百分点"), format!("{d} percentage points"))
                }
                _ => None,
            },
            _ => None,
        }
    }

    /// The two sides as exact numbers, for datasets: what the document prints and what the
    /// other side comes to ([`Values`]). Amounts in 元, rates in percent (the recomputed rate
    /// to four decimals, rounded half away from zero), counts in their own unit; `None` where
    /// a side is no number (a name, a code, a line not read, parts listed).
    pub fn values(&self) -> Option<Values> {
        let yuan = |fen: i128| Decimal::try_from_i128_with_scale(fen, 2).ok();
        match &self.detail {
            Detail::Relation(b) => Some(Values {
                found: yuan(b.left.nominal)?,
                expected: yuan(b.right.nominal)?,
                unit: "元".into(),
            }),
            Detail::Claim(c) => match (&c.claim.kind, &c.against) {
                (ClaimKind::Amount { stated, change, .. }, Against::Amount(i)) => {
                    let mid = (i.lo + i.hi) / 2;
                    // A change is stated as its size; the tables give it signed.
                    let mid = if *change == Some(Direction::Down) {
                        -mid
                    } else {
                        mid
                    };
                    let number = Decimal::try_from_i128_with_scale(
                        stated.stated.scaled,
                        stated.stated.decimals,
                    )
                    .ok()?;
                    match &stated.unit {
                        NumUnit::Money(_, per) => {
                            // What the tables give, as findings print it (two decimals of the
                            // sentence's unit), then in 元.
                            let yuan_per_unit = Decimal::from_i128_with_scale(*per, 5);
                            let in_unit = (Decimal::from_i128_with_scale(mid, 0)
                                / Decimal::from_i128_with_scale(*per, 0))
                            .round_dp_with_strategy(
                                2,
                                rust_decimal::RoundingStrategy::MidpointAwayFromZero,
                            );
                            Some(Values {
                                found: (number * yuan_per_unit).normalize(),
                                expected: (in_unit * yuan_per_unit).normalize(),
                                unit: "元".into(),
                            })
                        }
                        NumUnit::Count(w) => Some(Values {
                            found: number,
                            expected: Decimal::try_from_i128_with_scale(mid, 3).ok()?.normalize(),
                            unit: w.clone(),
                        }),
                        _ => None,
                    }
                }
                (ClaimKind::Rate { stated, .. }, Against::Rate { num, den }) => {
                    let mid = |i: &Interval| Money::from_fen((i.lo + i.hi) / 2);
                    Some(Values {
                        found: Decimal::try_from_i128_with_scale(
                            stated.stated.scaled,
                            stated.stated.decimals,
                        )
                        .ok()?,
                        expected: crate::money::percent(mid(num), mid(den), 4)?.normalize(),
                        unit: "%".into(),
                    })
                }
                _ => None,
            },
            _ => None,
        }
    }

    /// The cells involved as the findings JSON writes them.
    pub fn printed_cells(&self) -> Vec<PrintedCell> {
        let of = |c: &Cell| PrintedCell {
            table: c.table.clone(),
            row: c.row.to_string(),
            column: c.column.clone(),
            printed: match &c.value {
                CellValue::Figure(f) => f.printed().grouped(),
                CellValue::Label(l) => l.clone(),
            },
        };
        let here = |printed: String| {
            let (table, row, column) = self.address();
            vec![PrintedCell {
                table,
                row,
                column,
                printed,
            }]
        };
        match &self.detail {
            Detail::Relation(_) | Detail::Code(_) => self.cells.iter().map(of).collect(),
            Detail::Score(_) => here(self.found()),
            Detail::Claim(c) => here(excerpt(&c.claim.sentence)),
            Detail::Unread { .. } | Detail::Document { .. } => here(self.raw().to_string()),
        }
    }

    /// The line a reading finding is about, trimmed.
    fn raw(&self) -> &str {
        self.source()
            .and_then(|p| p.text.as_deref())
            .unwrap_or_default()
            .trim()
    }
}

/// The start of a sentence, as findings quote it.
fn excerpt(sentence: &str) -> String {
    sentence.chars().take(80).collect()
}

/// The difference in the tables' unit, as the figures beside it; in 元 only when it is exact
/// and smaller than the unit prints (a few 元 of a table in 万元).
fn difference_shown(b: &Broken) -> String {
    let diff = b.left.nominal - b.right.nominal;
    if b.exact() && diff % b.unit.fen_per_hundredth() != 0 {
        Money::from_fen(diff).display_in(AmountUnit::Yuan).grouped() + " 元"
    } else {
        show(diff, b.unit)
    }
}

fn relation_text(b: &Broken) -> Text {
    let l = side_text(&b.left.terms, b.unit);
    let r = side_text(&b.right.terms, b.unit);
    let op_broken = match b.op {
        Op::Eq => "≠",
        Op::Le => ">",
        Op::Ge => "<",
    };
    let difference = difference_shown(b);
    let tolerance = show(b.tolerance().fen(), b.unit);
    let (tol_zh, tol_en) = if b.exact() {
        (String::new(), String::new())
    } else {
        (
            format!("；舍入容差 ±{tolerance}"),
            format!("; rounding allows ±{tolerance}"),
        )
    };
    let source = &b.source;
    // The figures are in the tables' unit: said once, so no number is read in the wrong one.
    let (unit_zh, unit_en) = (b.unit.zh(), b.unit.en());
    Text {
        zh: format!(
            "{} {op_broken} {}（金额单位：{unit_zh}；相差 {difference}{tol_zh}）  公式：{source}",
            l.zh, r.zh
        ),
        en: format!(
            "{} {op_broken} {} (amounts in {unit_en}; difference {difference}{tol_en})  formula: {source}",
            l.en, r.en
        ),
    }
}

/// A side: its terms with their signs, `0` when it has none.
fn side_text(terms: &[(i8, Part)], unit: AmountUnit) -> Text {
    let mut out: Option<Text> = None;
    for (sign, part) in terms {
        let t = part_text(part, unit);
        out = Some(match out {
            None if *sign > 0 => t,
            None => Text {
                zh: format!("−{}", t.zh),
                en: format!("−{}", t.en),
            },
            Some(acc) => {
                let op = if *sign > 0 { " + " } else { " − " };
                Text {
                    zh: format!("{}{op}{}", acc.zh, t.zh),
                    en: format!("{}{op}{}", acc.en, t.en),
                }
            }
        });
    }
    out.unwrap_or_else(|| Text::same("0"))
}

fn part_text(part: &Part, unit: AmountUnit) -> Text {
    match part {
        Part::Zero => Text::same("0"),
        Part::Group(terms) => {
            let t = side_text(terms, unit);
            Text {
                zh: format!("({})", t.zh),
                en: format!("({})", t.en),
            }
        }
        Part::Cells(c) => cells_text(c, unit),
    }
}

/// `Σ公开01表第1–8行（35,549.62）`.
fn cells_text(c: &CellsPart, unit: AmountUnit) -> Text {
    let rows = rows_text(&c.rows);
    let cols = match &c.columns {
        Columns::Implicit => Text::default(),
        Columns::One(col) => column_name(&col.key, col.info.as_ref()),
        Columns::Set(cols) => {
            let names: Vec<Text> = cols
                .iter()
                .map(|col| column_name(&col.key, col.info.as_ref()))
                .collect();
            Text {
                zh: names
                    .iter()
                    .map(|t| t.zh.as_str())
                    .collect::<Vec<_>>()
                    .join("、"),
                en: names
                    .iter()
                    .map(|t| t.en.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            }
        }
    };
    let short = c.table.short();
    let sigma = if c.sum { "Σ" } else { "" };
    let value = show(c.nominal, unit);
    // A number ending in a digit (表3) is kept apart from a row that may begin with one.
    let gap = if short.zh.ends_with(|c: char| c.is_ascii_digit()) {
        " "
    } else {
        ""
    };
    Text {
        zh: format!("{sigma}{}{gap}{}{}（{value}）", short.zh, rows.zh, cols.zh),
        en: format!("{sigma}{} {}{} ({value})", short.en, rows.en, cols.en),
    }
}

fn rows_text(rows: &Rows) -> Text {
    match rows {
        Rows::Range(a, b) => Text::new(format!("第{a}–{b}行"), format!("lines {a}–{b}")),
        Rows::Children(code) => {
            Text::new(format!("{code} 的下级各行"), format!("rows under {code}"))
        }
        Rows::Kinds(k) => {
            let names: Vec<&str> = k
                .iter()
                .map(|k| match k {
                    RowFilter::Lei => "类",
                    RowFilter::Kuan => "款",
                    RowFilter::Xiang => "项",
                    RowFilter::Total => "合计",
                    RowFilter::Line => "行",
                    RowFilter::Code => "编码",
                    RowFilter::All => "全部",
                })
                .collect();
            Text::new(
                format!("各{}行", names.join("、")),
                format!("{:?} rows", k).to_lowercase(),
            )
        }
        Rows::One(row) => row.describe(),
        Rows::Absent(RowKey::Line(a)) => line_name(*a),
        Rows::Absent(RowKey::Code(c) | RowKey::Label(c)) => Text::same(c.clone()),
        Rows::Unknown => Text::new("（无此行）", "(no such row)"),
    }
}

fn code_found_expected(p: &CodeProblem) -> (String, String) {
    match p {
        CodeProblem::NameDiffers { name, first, .. } => (name.clone(), first.clone()),
        CodeProblem::NotCatalogName { name, official, .. } => (name.clone(), official.clone()),
        CodeProblem::Malformed { code } => (code.clone(), "3/5/7 位数字".into()),
        CodeProblem::NotInCatalog { code, name } => (format!("{code} {name}"), "分类目录".into()),
        CodeProblem::ParentNotAbove { code, parent }
        | CodeProblem::ParentMissing { code, parent } => (code.clone(), parent.clone()),
    }
}

fn code_text(p: &CodeProblem) -> Text {
    match p {
        CodeProblem::NameDiffers {
            code,
            name,
            first,
            first_table,
        } => {
            let where_ = first_table.describe();
            Text::new(
                format!("{code}：本表作“{name}”，{}作“{first}”", where_.zh),
                format!("{code}: “{name}” here, “{first}” in {}", where_.en),
            )
        }
        CodeProblem::NotCatalogName {
            code,
            name,
            official,
        } => Text::new(
            format!("{code}：表中作“{name}”，分类目录作“{official}”"),
            format!("{code}: “{name}” in the table, “{official}” in the catalog"),
        ),
        CodeProblem::NotInCatalog { code, name } => Text::new(
            format!(
                "{code} {name}：不在内置分类目录中（名称取自填报数据），请用 --catalog 载入当年官方目录核对"
            ),
            format!(
                "{code} {name}: not in the built-in catalog (the name is the input's); load the year's official catalog with --catalog to verify it"
            ),
        ),
        CodeProblem::Malformed { code } => Text::new(
            format!("代码 {code} 不是 3、5 或 7 位数字"),
            format!("code {code} is not 3, 5 or 7 digits"),
        ),
        CodeProblem::ParentNotAbove { code, parent } => Text::new(
            format!("{code} 的上级 {parent} 未列在其上方"),
            format!("the parent {parent} of {code} is not printed above it"),
        ),
        CodeProblem::ParentMissing { code, parent } => Text::new(
            format!("{code} 的上级 {parent} 未在本表列示"),
            format!("the parent {parent} of {code} is missing from the table"),
        ),
    }
}

fn score_found_expected(p: &ScoreProblem) -> (String, String) {
    match p {
        ScoreProblem::Total {
            reported, score, ..
        } => (pts(*reported), score.total.map(pts).unwrap_or_default()),
        ScoreProblem::Negative { score } => (pts(*score), "≥ 0".into()),
        ScoreProblem::Over { got, cap, .. } => (pts(*got), format!("≤ {}", pts(*cap))),
        ScoreProblem::Weights { weights, goal } => (pts(weights.iter().copied().sum()), pts(*goal)),
        ScoreProblem::Execution {
            part,
            printed,
            lo,
            hi,
            ..
        } => {
            let show = |d: Decimal| match part {
                Executed::Rate => format!("{}%", d.normalize()),
                Executed::Score => pts(d),
            };
            let expected = if lo == hi {
                show(*lo)
            } else {
                format!("{}–{}", show(*lo), show(*hi))
            };
            (show(*printed), expected)
        }
        ScoreProblem::Blank { reported, .. } => {
            (reported.map(pts).unwrap_or_default(), String::new())
        }
    }
}

fn score_text(p: &ScoreProblem) -> Text {
    match p {
        ScoreProblem::Total {
            score,
            actual,
            budget,
            department,
            ..
        } => {
            let (goal_zh, goal_en) = if *department {
                ("年度目标权重", "goal weights")
            } else {
                ("总目标得分", "goal")
            };
            let (a, b) = (wan(*actual), wan(*budget));
            let total = score.total.map(pts).unwrap_or_default();
            let (exec, goal, ind) = (pts(score.execution), pts(score.goal), pts(score.indicators));
            Text::new(
                format!(
                    "执行得分 {exec}（执行数 {a} / 预算数 {b}） + {goal_zh} {goal} + 指标得分 {ind} = {total}"
                ),
                format!(
                    "execution {exec} ({a} / {b}) + {goal_en} {goal} + indicators {ind} = {total}"
                ),
            )
        }
        ScoreProblem::Negative { score } => Text::new(
            format!("指标得分 {} 为负", pts(*score)),
            format!("indicator score {} is negative", pts(*score)),
        ),
        ScoreProblem::Over { got, cap, part } => {
            let what = match part {
                Capped::Indicator => Text::new("指标得分", "the indicator's score"),
                Capped::GoalIndicators { goal, weight } => Text::new(
                    format!("年度目标{goal}（权重 {}）的指标得分之和", pts(*weight)),
                    format!(
                        "the indicator scores of goal {goal} (weight {})",
                        pts(*weight)
                    ),
                ),
                Capped::GoalScore => Text::new("总目标得分", "the goal score"),
                Capped::Indicators => Text::new("指标得分之和", "the sum of indicator scores"),
                Capped::Level1(l) => {
                    Text::new(format!("{l}得分之和"), format!("the scores of {l}"))
                }
            };
            Text::new(
                format!("{} {} 超过分值 {}", what.zh, pts(*got), pts(*cap)),
                format!(
                    "{} {} exceeds the {} points available",
                    what.en,
                    pts(*got),
                    pts(*cap)
                ),
            )
        }
        ScoreProblem::Weights { weights, goal } => {
            let parts: Vec<String> = weights.iter().map(|w| pts(*w)).collect();
            let total: Decimal = weights.iter().copied().sum();
            Text::same(format!(
                "{} = {} ≠ {}",
                parts.join(" + "),
                pts(total),
                pts(*goal)
            ))
        }
        ScoreProblem::Execution {
            part,
            actual,
            budget,
            points,
            ..
        } => {
            let (a, b, p) = (wan(*actual), wan(*budget), pts(*points));
            match part {
                Executed::Rate => Text::new(
                    format!("执行率 = 执行数 {a} / 预算数 {b}"),
                    format!("execution rate = spent {a} / budget {b}"),
                ),
                Executed::Score => Text::new(
                    format!("执行得分 = {p} 分 × 执行数 {a} / 预算数 {b}（不超过 {p} 分）"),
                    format!("execution points = {p} × spent {a} / budget {b} (at most {p})"),
                ),
            }
        }
        ScoreProblem::Blank {
            goal, indicators, ..
        } => {
            let mut zh = Vec::new();
            let mut en = Vec::new();
            if *goal {
                zh.push("总目标未填得分".to_string());
                en.push("the goal has no score".to_string());
            }
            if *indicators > 0 {
                zh.push(format!("{indicators} 个指标未填得分"));
                en.push(format!("{indicators} indicators have no score"));
            }
            Text::new(zh.join("，"), en.join("; "))
        }
    }
}

/// An interval of thousandths of a 分 (or of one, for counts) as the claim's unit prints it
/// (its middle): 万元 with two decimals for amounts.
fn show_milli(i: Interval, unit: &NumUnit) -> String {
    let mid = (i.lo + i.hi) / 2;
    match unit {
        NumUnit::Money(_, per) => {
            let d = rust_decimal::Decimal::from_i128_with_scale(mid, 0)
                / rust_decimal::Decimal::from_i128_with_scale(*per, 0);
            let d =
                d.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
            format!("{d:.2}")
        }
        _ => rust_decimal::Decimal::from_i128_with_scale(mid, 3)
            .normalize()
            .to_string(),
    }
}

/// The word of a unit, as a sentence prints it after a number.
fn unit_word(unit: &NumUnit) -> &str {
    match unit {
        NumUnit::Money(w, _) | NumUnit::Count(w) => w,
        NumUnit::Percent => "%",
        NumUnit::Score => "分",
    }
}

/// A ratio's middle, as a percentage with two decimals.
fn show_rate(n: Interval, d: Interval) -> String {
    let (n, d) = ((n.lo + n.hi) / 2, (d.lo + d.hi) / 2);
    if d == 0 {
        return "—".into();
    }
    let p = crate::money::percent(Money::from_fen(n), Money::from_fen(d), 2);
    p.map_or_else(|| "—".into(), |p| format!("{p}%"))
}

/// The unit amounts of a claim are shown in: the stated number's, or 万元.
fn claim_unit(kind: &ClaimKind) -> NumUnit {
    match kind {
        ClaimKind::Amount { stated, .. } | ClaimKind::Sum { stated, .. } => stated.unit.clone(),
        _ => NumUnit::Money("万元".into(), 1_000_000_000),
    }
}

/// What the other side of a claim comes to, as findings print it.
fn against_shown(c: &ClaimProblem) -> String {
    let unit = claim_unit(&c.claim.kind);
    match (&c.against, &c.claim.kind) {
        (Against::Amount(i), _) => show_milli(*i, &unit),
        (Against::Rate { num, den }, _) => show_rate(*num, *den),
        (Against::Parts, ClaimKind::Sum { parts, .. }) => parts
            .iter()
            .map(|p| p.stated.text.as_str())
            .collect::<Vec<_>>()
            .join(" + "),
        (Against::Compare { left, right }, _) => {
            format!(
                "{} / {}",
                show_milli(*left, &unit),
                show_milli(*right, &unit)
            )
        }
        (Against::Name, ClaimKind::Name { printed, .. }) => printed.clone().unwrap_or_default(),
        _ => String::new(),
    }
}

/// An operand in words: the cells it reads, or the numbers stated.
fn operand_words(o: &Operand, words: &[(String, Text)]) -> String {
    match o {
        Operand::Cells { cells, .. } => describe(cells, words),
        Operand::Stated { number, line } => format!("{}（第 {line} 行）", number.shown()),
        Operand::Sum { terms } => {
            let mut out = String::new();
            for (i, (s, o)) in terms.iter().enumerate() {
                let op = match (i, *s > 0) {
                    (0, true) => "",
                    (0, false) => "−",
                    (_, true) => " + ",
                    (_, false) => " − ",
                };
                out.push_str(op);
                out.push_str(&operand_words(o, words));
            }
            out
        }
    }
}

impl ClaimProblem {
    /// The claim and what it is compared with, in words, without the sentence it stands in.
    pub fn relation(&self) -> Text {
        claim_relation(self)
    }
}

fn claim_text(c: &ClaimProblem) -> Text {
    let what = claim_relation(c);
    if c.claim.sentence.is_empty() {
        return Text::new(format!("{}。", what.zh), format!("{}.", what.en));
    }
    let excerpt = excerpt(&c.claim.sentence);
    Text::new(
        format!("{}。原句：{excerpt}", what.zh),
        format!("{}. Sentence: {excerpt}", what.en),
    )
}

fn claim_relation(c: &ClaimProblem) -> Text {
    let unit = match &c.claim.kind {
        ClaimKind::Amount { stated, .. }
        | ClaimKind::Rate { stated, .. }
        | ClaimKind::Sum { stated, .. } => unit_word(&stated.unit).to_string(),
        _ => String::new(),
    };
    let amount_unit = unit_word(&claim_unit(&c.claim.kind)).to_string();
    let found = format!("{}{unit}", c.claim.kind.stated_text());
    let expected = match (&c.against, &c.claim.kind) {
        (Against::Amount(_), _) => format!("{}{amount_unit}", against_shown(c)),
        _ => against_shown(c),
    };
    match &c.claim.kind {
        ClaimKind::Amount {
            against, change, ..
        } => {
            let names = operand_words(against, &c.words);
            let dir = match change {
                Some(Direction::Up) => "增加 ",
                Some(Direction::Down) => "减少 ",
                None => "",
            };
            if against.reads_tables() {
                Text::new(
                    format!("说明写 {dir}{found}，表中 {names} 为 {expected}"),
                    format!("the narrative says {dir}{found}, the tables' {names} give {expected}"),
                )
            } else {
                Text::new(
                    format!("说明写 {dir}{found}，而说明中的 {names} 为 {expected}"),
                    format!("the narrative says {dir}{found}, its own {names} give {expected}"),
                )
            }
        }
        ClaimKind::Rate {
            num, den, growth, ..
        } => {
            let source = if num.reads_tables() || den.reads_tables() {
                "按表计算"
            } else {
                "按说明中的数字计算"
            };
            Text::new(
                match growth {
                    None => format!(
                        "说明写 {found}，{source} {} / {} = {expected}",
                        operand_words(num, &c.words),
                        operand_words(den, &c.words)
                    ),
                    Some(dir) => format!(
                        "说明写 {found}，而变动 {} 相对基数（{} {}变动）为 {expected}",
                        operand_words(num, &c.words),
                        operand_words(den, &c.words),
                        if *dir == Direction::Up {
                            "减去"
                        } else {
                            "加上"
                        }
                    ),
                },
                format!("the narrative says {found}, the figures give {expected}"),
            )
        }
        ClaimKind::Sum { complete, .. } => Text::new(
            if *complete {
                format!("说明写合计 {found}，而所列各项之和为 {expected}")
            } else {
                format!("说明写合计 {found}，而其中所列各项 {expected} 已超过合计")
            },
            format!("the narrative says {found} in all, its parts add up to {expected}"),
        ),
        ClaimKind::Compare {
            word, left, right, ..
        } => Text::new(
            format!(
                "说明写“{word}”，而 {} 与 {} 为 {expected}",
                operand_words(left, &c.words),
                operand_words(right, &c.words)
            ),
            format!("the narrative says “{word}”, the amounts are {expected}"),
        ),
        ClaimKind::Unresolved { numbers } => Text::new(
            format!(
                "说明中的 {} 无法对应到表中或说明中的其他数字，未核对",
                numbers.join("、")
            ),
            format!(
                "the narrative's {} match no figure of the tables or the narrative, and were not checked",
                numbers.join(", ")
            ),
        ),
        ClaimKind::Name { stated, printed } => Text::new(
            match printed {
                Some(p) => format!("说明写“{stated}”，表中作“{p}”"),
                None => format!("说明写“{stated}”，表中没有此科目"),
            },
            match printed {
                Some(p) => format!("the narrative names “{stated}”, the tables print “{p}”"),
                None => format!("the narrative names “{stated}”, which no table prints"),
            },
        ),
    }
}

/// The cells of `e` as findings name them: in words where `words` names the cell, else as
/// formulas write it (`summary[L1] + summary[L2]`).
fn describe(e: &Expr, words: &[(String, Text)]) -> String {
    let mut out = String::new();
    for (i, (sign, t)) in e.terms.iter().enumerate() {
        let op = match (i, *sign > 0) {
            (0, true) => "",
            (0, false) => "−",
            (_, true) => " + ",
            (_, false) => " − ",
        };
        out.push_str(op);
        match t {
            Term::Cell(r) | Term::Sum(r) => {
                let code = r.to_string();
                match words.iter().find(|(c, _)| *c == code) {
                    Some((_, w)) => out.push_str(&w.zh),
                    None => out.push_str(&code),
                }
            }
            Term::Zero => out.push('0'),
            _ => out.push('…'),
        }
    }
    out
}

/// The two sides of a finding as exact numbers ([`Finding::values`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Values {
    /// What the document prints (the left side of a relation, the number a sentence states).
    pub found: Decimal,
    /// What the other side comes to.
    pub expected: Decimal,
    /// `元`, `%`, or a count's word (`辆`).
    pub unit: String,
}
