//! Injected errors: one realistic mistake written into a generated department, with what
//! must report it (see [`ErrorKind`] for why those rules), recorded as an [`Injection`] (a
//! line of the generator's manifest lists them).

use juesuan_core::Money;
use juesuan_core::catalog::{Catalog, Classification};
use juesuan_core::facts::{BalanceKind, DepartmentYear, ExpKind, FundSource, SanGong, Scenario};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

/// The kinds of injected error, and what must catch each.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// An income figure mistyped: income no longer equals expenditure plus the change in
    /// balances — T105 (公开01); for an appropriation also T406 (公开04); for 政府性基金 also
    /// T702 (公开07, per row).
    Income,
    /// An expenditure figure mistyped: as for income; for 一般公共预算 basic expenditure also
    /// X110 (公开06 no longer adds up to 公开05's basic column).
    Expenditure,
    /// A basic-expenditure economic 款 mistyped: X110.
    Economic,
    /// A closing balance mistyped: T105; for an appropriation also T406; for 政府性基金 T702.
    Closing,
    /// A 三公 actual mistyped: it no longer equals its economic 款 (X112–X115, warnings); T905
    /// (warning) when it now exceeds its budget.
    SanGong,
    /// One side of an internal flow between two units mistyped: consolidation refuses, E0301.
    InternalFlow,
    /// A function code that is not in the catalog: E0211.
    UnknownCode,
}

/// One injected error.
#[derive(Clone, Debug, Serialize, serde::Deserialize, PartialEq, Eq)]
pub struct Injection {
    /// What was changed.
    pub kind: ErrorKind,
    /// The fact changed: `income[3]` (index into the written section).
    pub fact: String,
    /// How it was mistyped (`transposed digits`, `wrong digit`, `extra zero`, `unknown code`).
    pub how: String,
    /// The correct value.
    pub correct: String,
    /// The value written.
    pub written: String,
    /// `error` or `warning`: the severity of the findings that must report it.
    pub severity: String,
    /// The rules that must report it, with the table each finding is located in.
    pub rules: Vec<RuleAt>,
    /// The diagnostic codes that must report it (the input is then invalid).
    pub codes: Vec<String>,
}

/// A rule and the table its finding is located in.
#[derive(Clone, Debug, Serialize, serde::Deserialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct RuleAt {
    /// Rule id (`T105`).
    pub rule: String,
    /// Table key (`summary`).
    pub table: String,
}

fn at(rule: &str, table: &str) -> RuleAt {
    RuleAt {
        rule: rule.into(),
        table: table.into(),
    }
}

/// How a figure is mistyped: two adjacent digits swapped, one digit wrong, or a zero too many.
/// The result always differs from the original and is never negative.
pub fn mistype(rng: &mut ChaCha8Rng, m: Money) -> (Money, &'static str) {
    let digits: Vec<u8> = m.fen().to_string().into_bytes();
    let swappable: Vec<usize> = (0..digits.len().saturating_sub(1))
        .filter(|&i| digits[i] != digits[i + 1] && !(i == 0 && digits[1] == b'0'))
        .collect();
    let mode = rng.random_range(0..3);
    let mut d = digits.clone();
    let how = if mode == 0 && !swappable.is_empty() {
        let i = swappable[rng.random_range(0..swappable.len())];
        d.swap(i, i + 1);
        "transposed digits"
    } else if mode == 1 || digits.len() < 2 {
        let i = rng.random_range(0..d.len());
        let old = d[i] - b'0';
        let lowest = u8::from(i == 0 && d.len() > 1);
        let mut new = rng.random_range(lowest..10);
        if new == old {
            new = if old == 9 { 1 } else { old + 1 };
        }
        d[i] = b'0' + new;
        "wrong digit"
    } else {
        let i = rng.random_range(1..d.len());
        d.insert(i, b'0');
        "extra zero"
    };
    let fen: i128 = std::str::from_utf8(&d)
        .expect("digits")
        .parse()
        .expect("digits");
    if fen == m.fen() {
        // Only possible for a one-digit figure changed to itself: add a zero instead.
        return (Money::from_fen(fen * 10 + 1), "extra zero");
    }
    (Money::from_fen(fen), how)
}

/// The rules an amount changed in fund `fund` trips through the income = expenditure +
/// balances identities.
fn balance_rules(fund: FundSource) -> Vec<RuleAt> {
    let mut r = vec![at("T105", "summary")];
    if fund.is_fiscal() {
        r.push(at("T406", "fiscal_summary"));
    }
    if fund == FundSource::GovFund {
        r.push(at("T702", "gov_fund"));
    }
    r
}

#[allow(clippy::too_many_arguments)]
fn record(
    kind: ErrorKind,
    fact: String,
    how: &str,
    correct: String,
    written: String,
    severity: &str,
    mut rules: Vec<RuleAt>,
    codes: &[&str],
) -> Injection {
    rules.sort();
    rules.dedup();
    Injection {
        kind,
        fact,
        how: how.into(),
        correct,
        written,
        severity: severity.into(),
        rules,
        codes: codes.iter().map(|c| c.to_string()).collect(),
    }
}

/// Writes one error into `dy` and says what must report it; `None` when the department has no
/// fact of the kind drawn.
pub fn inject(
    rng: &mut ChaCha8Rng,
    catalog: &Catalog,
    dy: &mut DepartmentYear,
) -> Option<Injection> {
    const KINDS: [ErrorKind; 7] = [
        ErrorKind::Income,
        ErrorKind::Expenditure,
        ErrorKind::Economic,
        ErrorKind::Closing,
        ErrorKind::SanGong,
        ErrorKind::InternalFlow,
        ErrorKind::UnknownCode,
    ];
    // Draw kinds until one applies (Economic, Closing, Income and Expenditure always do).
    for _ in 0..16 {
        let kind = KINDS[rng.random_range(0..KINDS.len())];
        if let Some(inj) = inject_kind(rng, catalog, dy, kind) {
            return Some(inj);
        }
    }
    None
}

fn pick(rng: &mut ChaCha8Rng, candidates: &[usize]) -> Option<usize> {
    (!candidates.is_empty()).then(|| candidates[rng.random_range(0..candidates.len())])
}

fn inject_kind(
    rng: &mut ChaCha8Rng,
    catalog: &Catalog,
    dy: &mut DepartmentYear,
    kind: ErrorKind,
) -> Option<Injection> {
    let f = &mut dy.facts;
    match kind {
        ErrorKind::Income => {
            let c: Vec<usize> = (0..f.income.len())
                .filter(|&i| {
                    f.income[i].counterparty.is_none()
                        && f.income[i].counterparty_department.is_none()
                })
                .collect();
            let i = pick(rng, &c)?;
            let fact = &mut f.income[i];
            let (new, how) = mistype(rng, fact.amount);
            let correct = fact.amount;
            fact.amount = new;
            Some(record(
                kind,
                format!("income[{i}]"),
                how,
                correct.to_string(),
                new.to_string(),
                "error",
                balance_rules(fact.source),
                &[],
            ))
        }
        ErrorKind::Expenditure => {
            let c: Vec<usize> = (0..f.expenditure.len())
                .filter(|&i| {
                    f.expenditure[i].counterparty.is_none()
                        && f.expenditure[i].counterparty_department.is_none()
                })
                .collect();
            let i = pick(rng, &c)?;
            let fact = &mut f.expenditure[i];
            let (new, how) = mistype(rng, fact.amount);
            let correct = fact.amount;
            fact.amount = new;
            let mut rules = balance_rules(fact.fund);
            if fact.fund == FundSource::GeneralBudget && fact.kind == ExpKind::Basic {
                rules.push(at("X110", "basic_economic"));
            }
            Some(record(
                kind,
                format!("expenditure[{i}]"),
                how,
                correct.to_string(),
                new.to_string(),
                "error",
                rules,
                &[],
            ))
        }
        ErrorKind::Economic => {
            let sangong = ["30212", "30217", "30231", "31013"];
            let c: Vec<usize> = (0..f.basic_economic.len())
                .filter(|&i| !sangong.contains(&f.basic_economic[i].economic.as_str()))
                .collect();
            let i = pick(rng, &c)?;
            let fact = &mut f.basic_economic[i];
            let (new, how) = mistype(rng, fact.amount);
            let correct = fact.amount;
            fact.amount = new;
            Some(record(
                kind,
                format!("basic_economic[{i}]"),
                how,
                correct.to_string(),
                new.to_string(),
                "error",
                vec![at("X110", "basic_economic")],
                &[],
            ))
        }
        ErrorKind::Closing => {
            let c: Vec<usize> = (0..f.balances.len())
                .filter(|&i| f.balances[i].kind == BalanceKind::Closing)
                .collect();
            let i = pick(rng, &c)?;
            let fact = &mut f.balances[i];
            let (new, how) = mistype(rng, fact.amount);
            let correct = fact.amount;
            fact.amount = new;
            Some(record(
                kind,
                format!("balances[{i}]"),
                how,
                correct.to_string(),
                new.to_string(),
                "error",
                balance_rules(fact.fund),
                &[],
            ))
        }
        ErrorKind::SanGong => {
            let c: Vec<usize> = (0..f.sangong.len())
                .filter(|&i| f.sangong[i].scenario == Scenario::Actual)
                .collect();
            let i = pick(rng, &c)?;
            let category = f.sangong[i].category;
            let correct = f.sangong[i].amount;
            let (new, how) = mistype(rng, correct);
            f.sangong[i].amount = new;
            let rule = match category {
                SanGong::VehicleOperation => "X112",
                SanGong::Reception => "X113",
                SanGong::Abroad => "X114",
                SanGong::VehiclePurchase => "X115",
            };
            let mut rules = vec![at(rule, "sangong")];
            // Department totals, after the change: T905 when an actual now exceeds its budget.
            let total = |cat: Option<SanGong>, scenario: Scenario| -> Money {
                f.sangong
                    .iter()
                    .filter(|s| s.scenario == scenario && cat.is_none_or(|c| c == s.category))
                    .map(|s| s.amount)
                    .sum()
            };
            if total(Some(category), Scenario::Actual) > total(Some(category), Scenario::Budget)
                || total(None, Scenario::Actual) > total(None, Scenario::Budget)
            {
                rules.push(at("T905", "sangong"));
            }
            // The sangong facts are written per unit and category; name the written record.
            Some(record(
                kind,
                format!("sangong[{}]", sangong_record(&dy.facts.sangong, i)),
                how,
                correct.to_string(),
                new.to_string(),
                "warning",
                rules,
                &[],
            ))
        }
        ErrorKind::InternalFlow => {
            let c: Vec<usize> = (0..f.expenditure.len())
                .filter(|&i| f.expenditure[i].counterparty.is_some())
                .collect();
            let i = pick(rng, &c)?;
            let fact = &mut f.expenditure[i];
            let (new, how) = mistype(rng, fact.amount);
            let correct = fact.amount;
            fact.amount = new;
            Some(record(
                kind,
                format!("expenditure[{i}]"),
                how,
                correct.to_string(),
                new.to_string(),
                "error",
                Vec::new(),
                &["E0301"],
            ))
        }
        ErrorKind::UnknownCode => {
            let i = rng.random_range(0..f.income.len().max(1));
            let fact = f.income.get_mut(i)?;
            let section = &fact.function[..5];
            let bad = (10..100)
                .rev()
                .map(|n| format!("{section}{n}"))
                .find(|c| catalog.get(Classification::Function, c).is_none())?;
            let correct = std::mem::replace(&mut fact.function, bad.clone());
            Some(record(
                kind,
                format!("income[{i}]"),
                "unknown code",
                correct,
                bad,
                "error",
                Vec::new(),
                &["E0211"],
            ))
        }
    }
}

/// The index of the written `[[sangong]]` record of fact `i` (one record per unit × category,
/// in the order of first appearance).
pub fn sangong_record(facts: &[juesuan_core::facts::SanGongFact], i: usize) -> usize {
    let mut seen: Vec<(Option<&str>, SanGong)> = Vec::new();
    for (j, s) in facts.iter().enumerate() {
        let key = (s.unit.as_deref(), s.category);
        let pos = match seen.iter().position(|k| *k == key) {
            Some(p) => p,
            None => {
                seen.push(key);
                seen.len() - 1
            }
        };
        if j == i {
            return pos;
        }
    }
    0
}
