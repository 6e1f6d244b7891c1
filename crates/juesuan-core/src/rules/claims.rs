//! The checks of what a report's narrative says about its tables (N2xx rules).
//!
//! A claim ([`Claim`], read with the tables into the [`Sheet`]) ties a number stated in a
//! sentence to what the tables say: an amount a cell prints, a share or rate of two cells, or a
//! rate of two other numbers in the same sentence (completion of a budget, growth over last
//! year). A stated number stands for every value that rounds to it at the decimals printed, a
//! table figure for every amount that prints the same; a claim fails only when no values inside
//! both agree, so a sentence that rounds differently from a table is never flagged.

use super::RuleDef;
use super::finding::{Against, ClaimProblem, Detail, Finding, Passage, Place};
use super::formula::{Expr, Term};
use super::sheet::{Claim, ClaimKind, Direction, Interval, Sheet, Stated};

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
pub fn evaluate(sheet: &Sheet, claim: &Claim) -> Option<(bool, Against)> {
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
            Some((meets, Against::Amount(table)))
        }
        ClaimKind::Share {
            stated, num, den, ..
        } => {
            let n = total(sheet, num)?;
            let d = total(sheet, den)?;
            let scale = stated.decimals + 1;
            let ok = ratio_meets(n, d, stated.interval(scale)?, scale)?;
            Some((ok, Against::Rate { num: n, den: d }))
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
            Some((ok, Against::Rate { num: n, den: base }))
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
            Some((ok, Against::Rate { num: n, den: d }))
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
            Some((total.gap(parts_sum) == 0, Against::Parts))
        }
        ClaimKind::Name { .. } => Some((false, Against::Name)),
    }
}

/// The kind of a claim as the narrative checks select them: `amount`, `share`, `internal`
/// (a rate of stated numbers, or of a stated amount over a table figure), `sum`, `name`.
pub fn kind_of(kind: &ClaimKind) -> &'static str {
    match kind {
        ClaimKind::Amount { .. } => "amount",
        ClaimKind::Share { .. } => "share",
        ClaimKind::Internal { .. } | ClaimKind::StatedShare { .. } => "internal",
        ClaimKind::Sum { .. } => "sum",
        ClaimKind::Name { .. } => "name",
    }
}

/// Runs the claims of `sheet` of the given kinds (`amount`, `share`, `internal`, `name`).
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
            })),
            cells: Vec::new(),
        });
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

    #[test]
    fn a_narrative_finding_is_placed_at_its_sentence() {
        let def = crate::rules::RuleDef {
            id: "N202".into(),
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
        let sheet = Sheet {
            department: String::new(),
            tables: Vec::new(),
            evaluations: None,
            claims: vec![Claim {
                pattern: "vehicles".into(),
                line: 42,
                sentence: sentence.into(),
                section: None,
                kind: ClaimKind::Sum {
                    stated: s("10"),
                    parts: vec![s("0"), s("0"), s("9")],
                },
            }],
        };
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
        assert_eq!(c.claim.pattern, "vehicles");
        // The JSON's words are made from it, as before.
        assert_eq!(f.location().to_string(), "narrative/42/vehicles");
        assert_eq!(f.row_name().zh, "第 42 行（原文）");
        assert_eq!((f.found(), f.expected()), ("10".into(), "0 + 0 + 9".into()));
    }
}
