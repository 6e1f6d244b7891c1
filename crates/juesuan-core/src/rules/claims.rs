//! The checks of what a report's narrative says about its tables (N2xx rules).
//!
//! A claim ([`Claim`], read with the tables into the [`Sheet`]) ties a number stated in a
//! sentence to what the tables say: an amount a cell prints, a share or rate of two cells, or a
//! rate of two other numbers in the same sentence (completion of a budget, growth over last
//! year). A stated number stands for every value that rounds to it at the decimals printed, a
//! table figure for every amount that prints the same; a claim fails only when no values inside
//! both agree, so a sentence that rounds differently from a table is never flagged.

use super::RuleDef;
use super::eval::{Cell, Finding};
use super::sheet::{CellAddr, Claim, ClaimKind, Direction, Interval, Sheet, Stated};
use crate::diag::Location;
use crate::text::Text;
use crate::views::RowKind;

/// The interval of a table cell in 分, `None` when the sheet cannot say (table or row
/// missing, row uncertain).
fn cell(sheet: &Sheet, a: &CellAddr) -> Option<Interval> {
    let t = sheet.table(&a.table)?;
    let rows: Vec<_> = match a.row.as_str() {
        "_" => t.rows.iter().collect(),
        r if r.starts_with('L') && r[1..].bytes().all(|b| b.is_ascii_digit()) => {
            let n: u32 = r[1..].parse().ok()?;
            t.rows.iter().filter(|x| x.line == Some(n)).collect()
        }
        r if r.starts_with('C') && r[1..].bytes().all(|b| b.is_ascii_digit()) => t
            .rows
            .iter()
            .filter(|x| x.code.as_deref() == Some(&r[1..]))
            .collect(),
        label => t
            .rows
            .iter()
            .filter(|x| {
                x.code.is_none()
                    && x.line.is_none()
                    && (x.compact_label() == label || (label == "合计" && x.kind == RowKind::Total))
            })
            .collect(),
    };
    if rows.is_empty() {
        // A row a complete table does not print is zero.
        return (t.absent_is_zero && !t.partial).then_some(Interval::point(0));
    }
    if rows.len() > 1 || rows[0].uncertain {
        return None;
    }
    let cells = &rows[0].cells;
    let fig = match &a.col {
        Some(c) => cells.iter().find(|(k, _)| k == c).map(|(_, f)| *f),
        None if cells.len() == 1 => Some(cells[0].1),
        None => None,
    };
    // A blank cell of a printed row is zero.
    Some(fig.map_or(Interval::point(0), |f| f.interval()))
}

fn sum(sheet: &Sheet, cells: &[CellAddr]) -> Option<Interval> {
    cells.iter().try_fold(Interval::point(0), |acc, a| {
        Some(acc.add(1, cell(sheet, a)?))
    })
}

/// 分 per 万元.
const FEN_PER_WAN: i128 = 1_000_000;

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
    let low_ok = num.lo.checked_mul(k)? <= p.hi.checked_mul(den.hi)?;
    let high_ok = num.hi.checked_mul(k)? >= p.lo.checked_mul(den.lo)?;
    Some(low_ok && high_ok)
}

/// What a claim comes to: `Some((holds, what the tables or other numbers give))`, or `None`
/// when it cannot be evaluated.
pub fn evaluate(sheet: &Sheet, claim: &Claim) -> Option<(bool, String)> {
    match &claim.kind {
        ClaimKind::Amount { stated, cells } => {
            let table = sum(sheet, cells)?;
            // Stated 万元 with d decimals, in 分.
            let s = stated.interval(stated.decimals + 1)?;
            let scale = FEN_PER_WAN / 10i128.pow(stated.decimals + 1);
            let s = Interval {
                lo: s.lo * scale,
                hi: s.hi * scale,
            };
            let meets = s.gap(table) == 0;
            Some((meets, show_fen(table)))
        }
        ClaimKind::Share { stated, num, den } => {
            let n = sum(sheet, num)?;
            let d = sum(sheet, den)?;
            let scale = stated.decimals + 1;
            let ok = ratio_meets(n, d, stated.interval(scale)?, scale)?;
            Some((ok, show_rate(n, d)))
        }
        ClaimKind::Internal {
            stated,
            num,
            den,
            growth,
        } => {
            // Both stated amounts at a common scale.
            let sc = num.decimals.max(den.decimals) + 1;
            let n = num.interval(sc)?;
            let d = den.interval(sc)?;
            let base = match growth {
                None => d,
                // This year = base + change: base = this year − change (an increase) or
                // this year + change (a decrease).
                Some(Direction::Up) => d.add(-1, n),
                Some(Direction::Down) => d.add(1, n),
            };
            let scale = stated.decimals + 1;
            let ok = ratio_meets(n, base, stated.interval(scale)?, scale)?;
            Some((ok, show_rate(n, base)))
        }
        ClaimKind::StatedShare { stated, num, den } => {
            // The stated amount in 分.
            let n = num.interval(num.decimals + 1)?;
            let scale = FEN_PER_WAN / 10i128.pow(num.decimals + 1);
            let n = Interval {
                lo: n.lo * scale,
                hi: n.hi * scale,
            };
            let d = sum(sheet, den)?;
            let sc = stated.decimals + 1;
            let ok = ratio_meets(n, d, stated.interval(sc)?, sc)?;
            Some((ok, show_rate(n, d)))
        }
        ClaimKind::Sum { stated, parts } => {
            let sc = parts
                .iter()
                .map(|p| p.decimals)
                .chain([stated.decimals])
                .max()
                .unwrap_or(0)
                + 1;
            // Counts are exact: no rounding on either side.
            let exact = |x: &Stated| -> Option<Interval> {
                let v = x.scaled.checked_mul(10i128.checked_pow(sc - x.decimals)?)?;
                Some(Interval::point(v))
            };
            let total = exact(stated)?;
            let parts_sum = parts
                .iter()
                .try_fold(Interval::point(0), |acc, p| Some(acc.add(1, exact(p)?)))?;
            let shown = parts
                .iter()
                .map(|p| p.text.as_str())
                .collect::<Vec<_>>()
                .join(" + ");
            Some((total.gap(parts_sum) == 0, shown))
        }
        ClaimKind::Name { printed, .. } => Some((false, printed.clone().unwrap_or_default())),
    }
}

/// An interval of 分 as 万元 with two decimals (its middle).
fn show_fen(i: Interval) -> String {
    let mid = (i.lo + i.hi) / 2;
    crate::money::Money::from_fen(mid)
        .display_in(crate::money::AmountUnit::Wan)
        .plain()
}

/// A ratio's middle, as a percentage with two decimals.
fn show_rate(n: Interval, d: Interval) -> String {
    let (n, d) = ((n.lo + n.hi) / 2, (d.lo + d.hi) / 2);
    if d == 0 {
        return "—".into();
    }
    let p = crate::money::percent(
        crate::money::Money::from_fen(n),
        crate::money::Money::from_fen(d),
        2,
    );
    p.map_or_else(|| "—".into(), |p| format!("{p}%"))
}

/// Runs the claims of `sheet` of the given kinds (`amount`, `share`, `internal`, `name`).
pub fn check(def: &RuleDef, sheet: &Sheet, kinds: &[&str]) -> Vec<Finding> {
    let mut out = Vec::new();
    for c in &sheet.claims {
        let kind = match c.kind {
            ClaimKind::Amount { .. } => "amount",
            ClaimKind::Share { .. } => "share",
            ClaimKind::Internal { .. } | ClaimKind::StatedShare { .. } => "internal",
            ClaimKind::Sum { .. } => "sum",
            ClaimKind::Name { .. } => "name",
        };
        if !kinds.contains(&kind) {
            continue;
        }
        let Some((holds, expected)) = evaluate(sheet, c) else {
            continue;
        };
        if holds {
            continue;
        }
        let found = match &c.kind {
            ClaimKind::Amount { stated, .. }
            | ClaimKind::Share { stated, .. }
            | ClaimKind::Internal { stated, .. }
            | ClaimKind::StatedShare { stated, .. }
            | ClaimKind::Sum { stated, .. } => stated.text.clone(),
            ClaimKind::Name { stated, .. } => stated.clone(),
        };
        let what = match &c.kind {
            ClaimKind::Amount { cells, .. } => {
                let names: Vec<String> = cells.iter().map(describe).collect();
                Text::new(
                    format!(
                        "说明写 {found} 万元，表中 {} 为 {expected} 万元",
                        names.join(" + ")
                    ),
                    format!(
                        "the narrative says {found}, the tables' {} print {expected}",
                        names.join(" + ")
                    ),
                )
            }
            ClaimKind::Share { num, den, .. } => Text::new(
                format!(
                    "说明写 {found}%，按表计算 {} / {} = {expected}",
                    num.iter().map(describe).collect::<Vec<_>>().join(" + "),
                    den.iter().map(describe).collect::<Vec<_>>().join(" + ")
                ),
                format!("the narrative says {found}%, the tables give {expected}"),
            ),
            ClaimKind::Internal {
                num, den, growth, ..
            } => Text::new(
                match growth {
                    None => format!(
                        "说明写 {found}%，而 {} / {} = {expected}",
                        num.text, den.text
                    ),
                    Some(_) => format!(
                        "说明写 {found}%，而变动 {} 相对上年（{} 减去变动）为 {expected}",
                        num.text, den.text
                    ),
                },
                format!("the narrative says {found}%, its own figures give {expected}"),
            ),
            ClaimKind::StatedShare { num, den, .. } => Text::new(
                format!(
                    "说明写 {found}%，按表计算 {} / {} = {expected}",
                    num.text,
                    den.iter().map(describe).collect::<Vec<_>>().join(" + ")
                ),
                format!("the narrative says {found}%, the tables give {expected}"),
            ),
            ClaimKind::Sum { .. } => Text::new(
                format!("说明写合计 {found}，而各项之和为 {expected}"),
                format!("the narrative says {found} in all, its parts add up to {expected}"),
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
        };
        let excerpt: String = c.sentence.chars().take(80).collect();
        out.push(Finding {
            rule: def.id.clone(),
            severity: def.severity,
            scope: def.scope,
            location: Location::View {
                table: "narrative".into(),
                row: c.line.to_string(),
                column: c.pattern.clone(),
            },
            table_name: Text::new("情况说明", "narrative"),
            row_name: Text::new(
                format!("第 {} 行（原文）", c.line),
                format!("source line {}", c.line),
            ),
            message: def.title.clone(),
            formula: Text::new(
                format!("{}。原句：{excerpt}", what.zh),
                format!("{}. Sentence: {excerpt}", what.en),
            ),
            found,
            expected,
            difference: String::new(),
            hint: def.hint.clone(),
            cells: vec![Cell {
                table: "narrative".into(),
                row: c.line.to_string(),
                column: c.pattern.clone(),
                printed: excerpt,
            }],
        });
    }
    out
}

fn describe(a: &CellAddr) -> String {
    match &a.col {
        Some(c) => format!("{}[{}, {c}]", a.table, a.row),
        None => format!("{}[{}]", a.table, a.row),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(t: &str) -> Stated {
        Stated::parse(t).unwrap()
    }

    #[test]
    fn stated_numbers() {
        assert_eq!(s("1,466.62").scaled, 146_662);
        assert_eq!(s("64.5").decimals, 1);
        assert_eq!(s("0").interval(1), Some(Interval { lo: -5, hi: 5 }));
        assert!(Stated::parse("1.2.3").is_none());
        assert!(Stated::parse("").is_none());
    }

    #[test]
    fn rates_with_rounding() {
        // 13934.55 / (35549.61 − 13934.55) = 64.47%: "64.5%" holds, "64.4%" does not.
        let c = |rate: &str| Claim {
            pattern: "t".into(),
            line: 1,
            sentence: String::new(),
            kind: ClaimKind::Internal {
                stated: s(rate),
                num: s("13934.55"),
                den: s("35549.61"),
                growth: Some(Direction::Up),
            },
        };
        let sheet = Sheet {
            department: String::new(),
            tables: Vec::new(),
            evaluations: None,
            claims: Vec::new(),
        };
        assert_eq!(evaluate(&sheet, &c("64.5")).map(|x| x.0), Some(true));
        assert_eq!(evaluate(&sheet, &c("64.47")).map(|x| x.0), Some(true));
        assert_eq!(evaluate(&sheet, &c("64.4")).map(|x| x.0), Some(false));
        // Completion 7000 / 2000 = 350%.
        let done = Claim {
            kind: ClaimKind::Internal {
                stated: s("350.00"),
                num: s("7000.00"),
                den: s("2000.00"),
                growth: None,
            },
            ..c("0")
        };
        assert_eq!(evaluate(&sheet, &done).map(|x| x.0), Some(true));
        // 共有车辆 9 辆 = 0 + 9; 10 does not add up.
        let total = |n: &str| Claim {
            kind: ClaimKind::Sum {
                stated: s(n),
                parts: vec![s("0"), s("0"), s("9")],
            },
            ..c("0")
        };
        assert_eq!(evaluate(&sheet, &total("9")).map(|x| x.0), Some(true));
        assert_eq!(evaluate(&sheet, &total("10")).map(|x| x.0), Some(false));
    }
}
