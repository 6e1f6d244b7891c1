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
use super::formula::{Expr, Term};
use super::sheet::{Claim, ClaimKind, Direction, Interval, Sheet, Stated};
use crate::diag::Location;
use crate::text::Text;

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
        ClaimKind::Amount { stated, cells, .. } => {
            let table = total(sheet, cells)?;
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
        ClaimKind::Share {
            stated, num, den, ..
        } => {
            let n = total(sheet, num)?;
            let d = total(sheet, den)?;
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
        ClaimKind::StatedShare {
            stated, num, den, ..
        } => {
            // The stated amount in 分.
            let n = num.interval(num.decimals + 1)?;
            let scale = FEN_PER_WAN / 10i128.pow(num.decimals + 1);
            let n = Interval {
                lo: n.lo * scale,
                hi: n.hi * scale,
            };
            let d = total(sheet, den)?;
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
                let names = describe(cells);
                Text::new(
                    format!("说明写 {found} 万元，表中 {names} 为 {expected} 万元"),
                    format!("the narrative says {found}, the tables' {names} print {expected}"),
                )
            }
            ClaimKind::Share { num, den, .. } => Text::new(
                format!(
                    "说明写 {found}%，按表计算 {} / {} = {expected}",
                    describe(num),
                    describe(den)
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
                    describe(den)
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

/// The cells of `e` as findings name them: `summary[L1] + summary[L2]`.
fn describe(e: &Expr) -> String {
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
            Term::Cell(r) | Term::Sum(r) => out.push_str(&r.to_string()),
            Term::Zero => out.push('0'),
            _ => out.push('…'),
        }
    }
    out
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
            section: None,
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
