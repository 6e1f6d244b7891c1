//! The checks of what a report's narrative says (N2xx rules).
//!
//! A claim ([`Claim`], read with the tables into the [`Sheet`]) ties a number stated in a
//! sentence to what it restates: cells of the tables (an amount, a share, a completion or
//! growth rate), or other numbers of the narrative (a rate of two stated amounts, a total and
//! its parts, a comparison word). A stated number stands for every value that rounds to it at
//! the decimals printed, a table figure for every amount that prints the same; a claim fails
//! only when no values inside both agree, so a sentence that rounds differently from a table
//! is never flagged.

use super::RuleDef;
use super::finding::{Against, ClaimProblem, Detail, Finding, Passage, Place};
use super::formula::{CellRef, ColSel, Expr, RowSel, Term};
use super::sheet::{
    Claim, ClaimKind, Direction, Interval, NumUnit, Number, Operand, Relation, Sheet,
};
use crate::text::Text;
use serde::Serialize;

/// Thousandths of a 分 per 分: stated amounts are compared in thousandths of a 分, so that
/// `0.345 万元` and `12.345 元` are exact.
pub const MILLI: i128 = 1000;

/// What the cells of `e` come to, in 分 (a signed sum, read as the rules read cells), `None`
/// when the sheet cannot say (a table or row missing, a row uncertain).
fn total(sheet: &Sheet, e: &Expr) -> Option<Interval> {
    e.terms
        .iter()
        .try_fold(Interval::point(0), |acc, (sign, t)| {
            let v = match t {
                Term::Zero => Interval::point(0),
                Term::Cell(r) => super::eval::amount(sheet, r, false)?.interval,
                Term::Sum(r) => super::eval::amount(sheet, r, true)?.interval,
                Term::Group(g) => total(sheet, g)?,
                _ => return None,
            };
            Some(acc.add(*sign, v))
        })
}

/// The values a stated number stands for, in thousandths of its base unit (of a 分 for money,
/// of one for counts and scores); counts are exact. `None` for a percentage.
pub fn value(n: &Number) -> Option<Interval> {
    // `0 万元`, `0 辆`: nothing, not an amount rounded to zero.
    if n.stated.scaled == 0 && !matches!(n.unit, NumUnit::Percent) {
        return Some(Interval::point(0));
    }
    let scale = n.stated.decimals + 1;
    let per = match &n.unit {
        NumUnit::Money(_, per) => *per,
        NumUnit::Count(_) => {
            let v = n.stated.scaled.checked_mul(1000)? / 10i128.checked_pow(n.stated.decimals)?;
            return Some(Interval::point(v));
        }
        NumUnit::Score => 1000,
        NumUnit::Percent => return None,
    };
    let s = n.stated.interval(scale)?;
    let div = 10i128.checked_pow(scale)?;
    if per % div != 0 {
        return None;
    }
    let k = per / div;
    // Printed numbers round half away from zero: `2995.39` is every value from 2995.385 up to,
    // not including, 2995.395 — the upper end is one thousandth below.
    Some(Interval {
        lo: s.lo.checked_mul(k)?,
        hi: s.hi.checked_mul(k)? - 1,
    })
}

/// What an operand comes to, in thousandths (see [`value`]).
pub fn operand(sheet: &Sheet, o: &Operand) -> Option<Interval> {
    match o {
        Operand::Cells { cells, .. } => {
            let t = total(sheet, cells)?;
            Some(Interval {
                lo: t.lo.checked_mul(MILLI)?,
                hi: t.hi.checked_mul(MILLI)?,
            })
        }
        Operand::Stated { number, .. } => value(number),
        Operand::Sum { terms } => terms.iter().try_fold(Interval::point(0), |acc, (s, o)| {
            Some(acc.add(*s, operand(sheet, o)?))
        }),
    }
}

/// `num / den × 100` can fall in `p` (an interval in units of 10^-scale percent): the two
/// intervals of a ratio of positive intervals meet.
fn ratio_meets(num: Interval, den: Interval, p: Interval, scale: u32) -> Option<bool> {
    if den.lo <= 0 {
        return None;
    }
    let k = 100 * 10i128.checked_pow(scale)?;
    // min ratio = num.lo / den.hi, max ratio = num.hi / den.lo (num ≥ 0).
    let num = Interval {
        lo: num.lo.max(0),
        hi: num.hi.max(0),
    };
    // The stated rate rounds half away from zero: its upper end is not reached.
    let low_ok = num.lo.checked_mul(k)? < p.hi.checked_mul(den.hi)?;
    let high_ok = num.hi.checked_mul(k)? >= p.lo.checked_mul(den.lo)?;
    Some(low_ok && high_ok)
}

/// What a claim comes to: `Some((holds, what the tables or other numbers give))`, or `None`
/// when it cannot be evaluated (a table not read, a row uncertain, a base of zero).
pub fn evaluate(sheet: &Sheet, claim: &Claim) -> Option<(bool, Against)> {
    match &claim.kind {
        ClaimKind::Amount {
            stated,
            change,
            against,
        } => {
            let mut s = value(stated)?;
            if *change == Some(Direction::Down) {
                s = Interval {
                    lo: -s.hi,
                    hi: -s.lo,
                };
            }
            let other = operand(sheet, against)?;
            Some((s.gap(other) == 0, Against::Amount(other)))
        }
        ClaimKind::Rate {
            stated,
            num,
            den,
            growth,
            ..
        } => {
            let n = operand(sheet, num)?;
            let d = operand(sheet, den)?;
            let base = match growth {
                None => d,
                Some(Direction::Up) => d.add(-1, n),
                Some(Direction::Down) => d.add(1, n),
            };
            let scale = stated.stated.decimals + 1;
            // 0 of 0 printed as 0%: nothing to contradict.
            if base.lo <= 0 && base.hi >= 0 && n.lo <= 0 && n.hi >= 0 && stated.stated.scaled == 0 {
                return Some((true, Against::Rate { num: n, den: base }));
            }
            // A rate of a budget of nothing is no rate (a growth from nothing is printed 100%
            // by convention, and left alone); nothing of nothing is printed 0 or not at all.
            if growth.is_none()
                && base == Interval::point(0)
                && (n.lo > 0 || (n == Interval::point(0) && stated.stated.scaled != 0))
            {
                return Some((false, Against::Rate { num: n, den: base }));
            }
            let ok = ratio_meets(n, base, stated.stated.interval(scale)?, scale)?;
            Some((ok, Against::Rate { num: n, den: base }))
        }
        ClaimKind::Sum {
            stated,
            parts,
            complete,
        } => {
            let t = value(stated)?;
            let sum = parts
                .iter()
                .try_fold(Interval::point(0), |acc, p| Some(acc.add(1, value(p)?)))?;
            let holds = if *complete {
                t.gap(sum) == 0
            } else {
                sum.lo <= t.hi
            };
            Some((holds, Against::Parts))
        }
        ClaimKind::Compare {
            relation,
            left,
            right,
            ..
        } => {
            let l = operand(sheet, left)?;
            let r = operand(sheet, right)?;
            let holds = match relation {
                Relation::Greater => l.hi > r.lo,
                Relation::Less => l.lo < r.hi,
                Relation::Equal => l.gap(r) == 0,
            };
            Some((holds, Against::Compare { left: l, right: r }))
        }
        ClaimKind::Name { .. } | ClaimKind::Unresolved { .. } => Some((false, Against::Name)),
    }
}

/// The cells a claim reads, each as formulas write it and in words: the table's number and
/// title, the row's 行次, code and name or label, the column's 栏次 and heading.
fn cells_in_words(sheet: &Sheet, kind: &ClaimKind) -> Vec<(String, Text)> {
    fn operands<'a>(o: &'a Operand, out: &mut Vec<&'a Expr>) {
        match o {
            Operand::Cells { cells, .. } => out.push(cells),
            Operand::Stated { .. } => {}
            Operand::Sum { terms } => terms.iter().for_each(|(_, o)| operands(o, out)),
        }
    }
    let mut exprs = Vec::new();
    match kind {
        ClaimKind::Amount { against, .. } => operands(against, &mut exprs),
        ClaimKind::Rate { num, den, .. } => {
            operands(num, &mut exprs);
            operands(den, &mut exprs);
        }
        ClaimKind::Compare { left, right, .. } => {
            operands(left, &mut exprs);
            operands(right, &mut exprs);
        }
        _ => {}
    }
    exprs
        .iter()
        .flat_map(|e| e.cell_refs())
        .filter_map(|r| Some((r.to_string(), cell_words(sheet, r)?)))
        .collect()
}

/// One cell reference in words, where the sheet has its table and the row is one row.
fn cell_words(sheet: &Sheet, r: &CellRef) -> Option<Text> {
    let t = sheet.table(&r.table)?;
    let row = match &r.row {
        RowSel::Lines(a, b) if a == b => {
            let label = t
                .rows
                .iter()
                .find(|x| x.line == Some(*a))
                .map(|x| x.label.clone())
                .unwrap_or_default();
            Text::new(
                format!("第{a}行 {}", label.zh).trim_end().to_string(),
                format!("line {a} {}", label.get(crate::Lang::En))
                    .trim_end()
                    .to_string(),
            )
        }
        RowSel::Code(c) => {
            let label = t
                .rows
                .iter()
                .find(|x| x.code.as_deref() == Some(c.as_str()))
                .map(|x| x.label.clone())
                .unwrap_or_default();
            Text::new(
                format!("{c} {}", label.zh).trim_end().to_string(),
                format!("{c} {}", label.get(crate::Lang::En))
                    .trim_end()
                    .to_string(),
            )
        }
        RowSel::Label(l) => Text::same(l.clone()),
        RowSel::Only => Text::default(),
        _ => return None,
    };
    let col = match &r.col {
        ColSel::Name(k) => t.column_name(k),
        ColSel::Implicit => Text::default(),
        ColSel::Set(_) => return None,
    };
    let table = t.describe();
    let join = |parts: [&str; 3]| {
        parts
            .iter()
            .filter(|p| !p.trim().is_empty())
            .map(|p| p.trim())
            .collect::<Vec<_>>()
            .join(" ")
            // A heading without a 栏次 prints as `（合计）`, close to its row.
            .replace(" （", "（")
    };
    Some(Text::new(
        join([&table.zh, &row.zh, &col.zh]),
        join([
            table.get(crate::Lang::En),
            row.get(crate::Lang::En),
            col.get(crate::Lang::En),
        ]),
    ))
}

/// Whether a claim that does not hold misses only in its last printed digit: an amount one
/// unit of that digit from what the tables print (236.63 for 236.64), a rate within one unit
/// of the ratio (99.86% for 99.868%: truncated, not rounded). Such a slip is a 舍入差异, not a
/// contradiction.
pub fn within_rounding(claim: &Claim, against: &Against) -> bool {
    match (&claim.kind, against) {
        (ClaimKind::Amount { stated, change, .. }, Against::Amount(other)) => {
            let Some(mut s) = value(stated) else {
                return false;
            };
            if *change == Some(Direction::Down) {
                s = Interval {
                    lo: -s.hi,
                    hi: -s.lo,
                };
            }
            // One unit of the last digit is the interval's width.
            let unit = s.hi - s.lo + 1;
            s.gap(*other) <= unit
        }
        (ClaimKind::Rate { stated, .. }, Against::Rate { num, den }) => {
            let scale = stated.stated.decimals + 1;
            let Some(p) = stated.stated.interval(scale) else {
                return false;
            };
            // Half a unit each side already; half more reaches a whole unit.
            let wide = Interval {
                lo: p.lo - 5,
                hi: p.hi + 5,
            };
            ratio_meets(*num, *den, wide, scale) == Some(true)
        }
        _ => false,
    }
}

/// The kind of a claim as the narrative checks select them: `amount` (against the tables),
/// `restated` (against other numbers of the narrative), `rate`, `sum`, `compare`, `name`.
pub fn kind_of(kind: &ClaimKind) -> &'static str {
    match kind {
        ClaimKind::Amount { against, .. } if against.reads_tables() => "amount",
        ClaimKind::Amount { .. } => "restated",
        ClaimKind::Rate { .. } => "rate",
        ClaimKind::Sum { .. } => "sum",
        ClaimKind::Compare { .. } => "compare",
        ClaimKind::Name { .. } => "name",
        ClaimKind::Unresolved { .. } => "unresolved",
    }
}

/// Runs the claims of `sheet` of the given kinds (see [`kind_of`]).
pub fn check(def: &RuleDef, sheet: &Sheet, kinds: &[&str]) -> Vec<Finding> {
    let mut out = Vec::new();
    for c in &sheet.claims {
        if !kinds.contains(&kind_of(&c.kind)) {
            continue;
        }
        let Some((holds, against)) = evaluate(sheet, c) else {
            continue;
        };
        if holds {
            continue;
        }
        out.push(Finding {
            rule: def.id.clone(),
            severity: def.severity,
            scope: def.scope,
            place: Place::Document(Passage {
                line: c.line,
                page: None,
                text: Some(c.sentence.clone()),
            }),
            message: def.title.clone(),
            hint: def.hint.clone(),
            detail: Detail::Claim(Box::new(ClaimProblem {
                claim: c.clone(),
                against,
                words: cells_in_words(sheet, &c.kind),
            })),
            cells: Vec::new(),
            review: None,
        });
    }
    out
}

/// What became of one number of the narrative.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Mention {
    /// 1-based line of the document.
    pub line: u32,
    /// The number as printed, with its unit.
    pub text: String,
    /// The narrative section it stands in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
    /// What it was read as: the subject's figure or words.
    pub subject: String,
    /// Checked, or why not.
    pub status: Status,
    /// The line its paragraph begins on (what groups a paragraph's numbers).
    #[serde(skip)]
    pub paragraph: u32,
    /// Where it is printed in the narrative's text ([`NarrativeParagraph`]), for a reader that marks it.
    #[serde(skip)]
    pub at: Option<At>,
    /// The claim that checked it (an index into the sheet's claims), when one did.
    #[serde(skip)]
    pub claim: Option<usize>,
}

/// Where a number stands in the narrative as read: its paragraph and byte range there.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct At {
    /// Index of the paragraph in the narrative's [`NarrativeParagraph`] list.
    pub paragraph: usize,
    /// First byte of the number (and its unit) in the paragraph's text.
    pub start: usize,
    /// Byte after it.
    pub end: usize,
}

/// One paragraph of a published narrative as the reader joined it from the document's lines
/// (whitespace and full-width forms normalised), with the document line each part came from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NarrativeParagraph {
    /// The text.
    pub text: String,
    /// Where each document line begins in `text` (byte) and its 1-based line number.
    pub lines: Vec<(usize, u32)>,
}

/// What a claim is compared with, in words, whether it holds or not — `说明写 2995.39万元，表中
/// 收入支出决算总表 … 为 2995.39万元` (without the sentence) — with whether it holds; `None`
/// when it cannot be evaluated.
pub fn compared(sheet: &Sheet, claim: &Claim) -> Option<(bool, Text)> {
    let (holds, against) = evaluate(sheet, claim)?;
    let problem = ClaimProblem {
        claim: claim.clone(),
        against,
        words: cells_in_words(sheet, &claim.kind),
    };
    Some((holds, problem.relation()))
}

/// Whether a number of the narrative was checked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Status {
    /// Compared with what it restates.
    Checked {
        /// What it was compared with (a figure's key, or `narrative` for stated numbers).
        against: String,
        /// Whether it held.
        holds: bool,
    },
    /// Not compared, and why.
    NotCheckable {
        /// Why.
        reason: Unchecked,
    },
}

/// Why a number of the narrative could not be checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Unchecked {
    /// Its subject is no figure or table row the reader knows.
    SubjectUnresolved,
    /// Its figure is not printed in any table and the narrative states nothing to compare it
    /// with (last year's amount, a procurement total alone).
    NoTable,
    /// The tables hold it, but the rows read are uncertain or the base is zero.
    TableUnread,
    /// It stands in an explanation (主要原因, 主要用于 …), not as a figure of the report.
    Explanation,
    /// A threshold (`100 万元以上`), not an amount.
    Threshold,
    /// Only bounded: a comparison word (`决算数小于预算数`) or a partial `其中` list says it is
    /// larger or smaller than another number, not what it is.
    Bounded,
}

impl Unchecked {
    /// The reason in words.
    pub fn text(self) -> crate::text::Text {
        use crate::text::Text;
        match self {
            Unchecked::SubjectUnresolved => {
                Text::new("无法确定所指的项目", "its subject is not known")
            }
            Unchecked::NoTable => Text::new(
                "表中无此数，说明中也无可比较的数字",
                "no table holds it and the narrative states nothing to compare it with",
            ),
            Unchecked::TableUnread => Text::new(
                "所引表格的行未能确定读取，或基数为零",
                "the table rows it restates were not read with certainty, or the base is zero",
            ),
            Unchecked::Explanation => {
                Text::new("属原因说明中的数字", "it stands in an explanation")
            }
            Unchecked::Bounded => Text::new(
                "只能核对大小或范围（比较用语、未列全的“其中”、由它算出的比率）",
                "only bounded: by a comparison word, a partial list or a rate computed from it",
            ),
            Unchecked::Threshold => Text::new(
                "属标准或界限（如“100万元以上”）",
                "a threshold, not an amount",
            ),
        }
    }
}

/// The numbers of a narrative, counted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    /// Every number.
    pub numbers: usize,
    /// Compared exactly with what they restate.
    pub checked: usize,
    /// Only bounded (a comparison word, a partial list, or a rate computed from them).
    pub bounded: usize,
    /// Not compared with anything.
    pub not_checkable: usize,
}

/// Counts `mentions` by what became of them.
pub fn tally(mentions: &[Mention]) -> Tally {
    let mut t = Tally {
        numbers: mentions.len(),
        ..Tally::default()
    };
    for m in mentions {
        match m.status {
            Status::Checked { .. } => t.checked += 1,
            Status::NotCheckable {
                reason: Unchecked::Bounded,
            } => t.bounded += 1,
            Status::NotCheckable { .. } => t.not_checkable += 1,
        }
    }
    t
}

#[cfg(test)]
mod tests {
    use super::super::sheet::Stated;
    use super::*;

    fn s(t: &str) -> Stated {
        Stated::parse(t).unwrap()
    }

    fn wan(t: &str) -> Operand {
        Operand::stated(Number::wan(t).unwrap(), 1)
    }

    fn empty() -> Sheet {
        Sheet {
            department: String::new(),
            tables: Vec::new(),
            evaluations: None,
            claims: Vec::new(),
        }
    }

    fn claim(kind: ClaimKind) -> Claim {
        Claim {
            pattern: "t".into(),
            line: 1,
            sentence: String::new(),
            section: None,
            kind,
        }
    }

    #[test]
    fn stated_numbers() {
        assert_eq!(s("1,466.62").scaled, 146_662);
        assert_eq!(s("64.5").decimals, 1);
        assert_eq!(s("0").interval(1), Some(Interval { lo: -5, hi: 5 }));
        assert!(Stated::parse("1.2.3").is_none());
        assert!(Stated::parse("").is_none());
        // 0.6 万元 is 5500 元 up to (not including) 6500 元, in thousandths of a 分.
        let v = value(&Number::wan("0.6").unwrap()).unwrap();
        assert_eq!((v.lo, v.hi), (550_000_000, 649_999_999));
        // Counts are exact.
        let c = value(&Number::count("9", "辆").unwrap()).unwrap();
        assert!(c.is_exact());
    }

    #[test]
    fn rates_with_rounding() {
        // 13934.55 / (35549.61 − 13934.55) = 64.47%: "64.5%" holds, "64.4%" does not.
        let growth = |rate: &str| {
            claim(ClaimKind::Rate {
                stated: Number::percent(rate).unwrap(),
                figure: None,
                num: wan("13934.55"),
                den: wan("35549.61"),
                growth: Some(Direction::Up),
            })
        };
        let sheet = empty();
        assert_eq!(evaluate(&sheet, &growth("64.5")).map(|x| x.0), Some(true));
        assert_eq!(evaluate(&sheet, &growth("64.47")).map(|x| x.0), Some(true));
        assert_eq!(evaluate(&sheet, &growth("64.4")).map(|x| x.0), Some(false));
        // Completion 7000 / 2000 = 350%.
        let done = claim(ClaimKind::Rate {
            stated: Number::percent("350.00").unwrap(),
            figure: None,
            num: wan("7000.00"),
            den: wan("2000.00"),
            growth: None,
        });
        assert_eq!(evaluate(&sheet, &done).map(|x| x.0), Some(true));
        // 0 of a budget of 0, printed 0%: nothing to contradict.
        let zero = claim(ClaimKind::Rate {
            stated: Number::percent("0").unwrap(),
            figure: None,
            num: wan("0"),
            den: wan("0"),
            growth: None,
        });
        assert_eq!(evaluate(&sheet, &zero).map(|x| x.0), Some(true));
        // … but not 0.10%.
        let nonzero = claim(ClaimKind::Rate {
            stated: Number::percent("0.10").unwrap(),
            figure: None,
            num: wan("0"),
            den: wan("0"),
            growth: None,
        });
        assert_eq!(evaluate(&sheet, &nonzero).map(|x| x.0), Some(false));
    }

    /// The difference a finding states, in the unit of the claim: a growth rate against the
    /// base the change gives, an amount against its cells.
    #[test]
    fn differences_in_the_unit_of_the_claim() {
        let sheet = empty();
        let finding = |c: Claim| {
            let (holds, against) = evaluate(&sheet, &c).unwrap();
            assert!(!holds);
            crate::rules::Finding {
                rule: "N202".into(),
                severity: crate::diag::Severity::Error,
                scope: crate::rules::Scope::Narrative,
                place: Place::Nowhere,
                message: Text::default(),
                hint: Text::default(),
                detail: Detail::Claim(Box::new(ClaimProblem {
                    claim: c,
                    against,
                    words: Vec::new(),
                })),
                cells: Vec::new(),
                review: None,
            }
        };
        // 13934.55 / (35549.61 − 13934.55) = 64.47%.
        let growth = finding(claim(ClaimKind::Rate {
            stated: Number::percent("64.4").unwrap(),
            figure: None,
            num: wan("13934.55"),
            den: wan("35549.61"),
            growth: Some(Direction::Up),
        }));
        assert_eq!(
            growth.difference_words(),
            Some(Text::new(
                "相差 -0.07 个百分点",
                "difference -0.07 percentage points"
            ))
        );
        let amount = finding(claim(ClaimKind::Amount {
            stated: Number::wan("0.3").unwrap(),
            change: None,
            against: wan("2961.68"),
        }));
        assert_eq!(
            amount.difference_words().map(|t| t.zh),
            Some("相差 -2961.38 万元".into())
        );
    }

    #[test]
    fn sums_changes_and_comparisons() {
        let sheet = empty();
        // 共有车辆 9 辆 = 0 + 0 + 9; 10 does not add up.
        let total = |n: &str, complete: bool| {
            claim(ClaimKind::Sum {
                stated: Number::count(n, "辆").unwrap(),
                parts: ["0", "0", "9"]
                    .iter()
                    .map(|p| Number::count(p, "辆").unwrap())
                    .collect(),
                complete,
            })
        };
        assert_eq!(evaluate(&sheet, &total("9", true)).map(|x| x.0), Some(true));
        assert_eq!(
            evaluate(&sheet, &total("10", true)).map(|x| x.0),
            Some(false)
        );
        // A list that need not be complete only must not exceed the total.
        assert_eq!(
            evaluate(&sheet, &total("10", false)).map(|x| x.0),
            Some(true)
        );
        assert_eq!(
            evaluate(&sheet, &total("8", false)).map(|x| x.0),
            Some(false)
        );
        // 比年初预算减少 9.27 万元: 149.84 − 159.11.
        let change = |dir| {
            claim(ClaimKind::Amount {
                stated: Number::wan("9.27").unwrap(),
                change: Some(dir),
                against: Operand::Sum {
                    terms: vec![(1, wan("149.84")), (-1, wan("159.11"))],
                },
            })
        };
        assert_eq!(
            evaluate(&sheet, &change(Direction::Down)).map(|x| x.0),
            Some(true)
        );
        assert_eq!(
            evaluate(&sheet, &change(Direction::Up)).map(|x| x.0),
            Some(false)
        );
        // 决算数小于预算数 with 1511.89 against 1560.05; 持平 with 10.00 and 10.00.
        let cmp = |relation, a: &str, b: &str| {
            claim(ClaimKind::Compare {
                word: "小于".into(),
                relation,
                left: wan(a),
                right: wan(b),
            })
        };
        assert_eq!(
            evaluate(&sheet, &cmp(Relation::Less, "1511.89", "1560.05")).map(|x| x.0),
            Some(true)
        );
        assert_eq!(
            evaluate(&sheet, &cmp(Relation::Greater, "1511.89", "1560.05")).map(|x| x.0),
            Some(false)
        );
        assert_eq!(
            evaluate(&sheet, &cmp(Relation::Equal, "10.00", "10.00")).map(|x| x.0),
            Some(true)
        );
        assert_eq!(
            evaluate(&sheet, &cmp(Relation::Equal, "10.00", "10.02")).map(|x| x.0),
            Some(false)
        );
    }

    #[test]
    fn a_narrative_finding_is_placed_at_its_sentence() {
        let def = crate::rules::RuleDef {
            id: "N204".into(),
            severity: crate::diag::Severity::Error,
            scope: crate::rules::Scope::Narrative,
            title: crate::text::Text::same("t"),
            why: crate::text::Text::same("w"),
            hint: crate::text::Text::same("h"),
            formula: Default::default(),
            builtin: None,
            pass: Vec::new(),
            fail: Vec::new(),
        };
        let sentence = "共有车辆 10 辆，其中：轿车 0 辆、越野车 0 辆、其他 9 辆。";
        let mut sheet = empty();
        sheet.claims = vec![Claim {
            pattern: "assets.vehicles".into(),
            line: 42,
            sentence: sentence.into(),
            section: None,
            kind: ClaimKind::Sum {
                stated: Number::count("10", "辆").unwrap(),
                parts: ["0", "0", "9"]
                    .iter()
                    .map(|p| Number::count(p, "辆").unwrap())
                    .collect(),
                complete: true,
            },
        }];
        let found = check(&def, &sheet, &["sum"]);
        assert_eq!(found.len(), 1);
        let f = &found[0];
        // A place in the document, not a cell of a table called "narrative".
        assert_eq!(
            f.place,
            Place::Document(Passage {
                line: 42,
                page: None,
                text: Some(sentence.into()),
            })
        );
        let Detail::Claim(c) = &f.detail else {
            panic!("{:?}", f.detail)
        };
        assert_eq!(c.against, Against::Parts);
        assert_eq!(f.location().to_string(), "narrative/42/assets.vehicles");
        assert_eq!(f.row_name().zh, "第 42 行（原文）");
        assert_eq!((f.found(), f.expected()), ("10".into(), "0 + 0 + 9".into()));
    }
}
