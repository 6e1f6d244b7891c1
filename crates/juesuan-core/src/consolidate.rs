//! Consolidation: units → department.
//!
//! A department's accounts are the sum of its units' accounts minus the money that only moved
//! between them: a unit's 上缴上级支出 that another unit of the department booked as 附属单位上缴
//! 收入, and a unit's 对附属单位补助支出 that another unit booked as 上级补助收入. Facts name the
//! other unit in `counterparty`; both sides of each internal flow must agree to the 分, or
//! consolidation refuses with a located error rather than publish totals that count money twice.

use crate::diag::{Diagnostic, Location};
use crate::facts::{BalanceKind, DepartmentYear, ExpKind, FundSource, SanGong, Scenario};
use crate::money::{AmountUnit, Money};
use crate::text::Text;
use serde::Serialize;
use std::collections::BTreeMap;

/// A flow of money between two units of the same department.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum InternalFlow {
    /// 上缴上级支出 (payer) ↔ 附属单位上缴收入 (payee).
    Remittance,
    /// 对附属单位补助支出 (payer) ↔ 上级补助收入 (payee).
    Subsidy,
}

impl InternalFlow {
    /// The flow an expenditure kind starts, if any.
    pub fn of_expenditure(kind: ExpKind) -> Option<InternalFlow> {
        match kind {
            ExpKind::ToSuperior => Some(InternalFlow::Remittance),
            ExpKind::ToSubsidiaries => Some(InternalFlow::Subsidy),
            _ => None,
        }
    }

    /// The flow an income source ends, if any.
    pub fn of_income(source: FundSource) -> Option<InternalFlow> {
        match source {
            FundSource::FromSubsidiaries => Some(InternalFlow::Remittance),
            FundSource::SuperiorSubsidy => Some(InternalFlow::Subsidy),
            _ => None,
        }
    }

    fn text(self) -> Text {
        // The two sides' names from the vocabulary; short English for messages.
        let (paid, received, en) = match self {
            InternalFlow::Remittance => (
                ExpKind::ToSuperior,
                FundSource::FromSubsidiaries,
                "remittance to superior ↔ remittance from subsidiary",
            ),
            InternalFlow::Subsidy => (
                ExpKind::ToSubsidiaries,
                FundSource::SuperiorSubsidy,
                "subsidy to subsidiary ↔ subsidy from superior",
            ),
        };
        Text::new(format!("{} ↔ {}", paid.zh(), received.zh()), en)
    }
}

/// One internal flow removed by consolidation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Elimination {
    /// Unit that paid.
    pub payer: String,
    /// Unit that received.
    pub payee: String,
    /// Which pair of lines.
    pub flow: InternalFlow,
    /// Amount removed from both sides.
    pub amount: Money,
}

/// The department's consolidated facts, aggregated by their dimensions.
///
/// Keys hold classification codes as written (function 项, economic 款).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Ledger {
    /// Income by (source, function 项).
    #[serde(serialize_with = "entries")]
    pub income: BTreeMap<(FundSource, String), Money>,
    /// Expenditure by (fund, function 项, kind).
    #[serde(serialize_with = "entries")]
    pub expenditure: BTreeMap<(FundSource, String, ExpKind), Money>,
    /// The "其中" parts of income (facts with a `detail`), by (source, function 项, detail):
    /// amounts also counted in `income`.
    #[serde(serialize_with = "entries", skip_serializing_if = "BTreeMap::is_empty")]
    pub income_detail: BTreeMap<(FundSource, String, String), Money>,
    /// The "其中" parts of expenditure, by (fund, function 项, kind, detail): amounts also
    /// counted in `expenditure`.
    #[serde(serialize_with = "entries", skip_serializing_if = "BTreeMap::is_empty")]
    pub expenditure_detail: BTreeMap<(FundSource, String, ExpKind, String), Money>,
    /// Basic expenditure by (fund, economic 款).
    #[serde(serialize_with = "entries")]
    pub basic_economic: BTreeMap<(FundSource, String), Money>,
    /// Balances by (fund, kind, function 项 if tracked).
    #[serde(serialize_with = "entries")]
    pub balances: BTreeMap<(FundSource, BalanceKind, Option<String>), Money>,
    /// "三公" by (category, budget/actual).
    #[serde(serialize_with = "entries")]
    pub sangong: BTreeMap<(SanGong, Scenario), Money>,
    /// 机关运行经费 by budget/actual, where the disclosure states them.
    #[serde(serialize_with = "entries", skip_serializing_if = "BTreeMap::is_empty")]
    pub running_costs: BTreeMap<Scenario, Money>,
    /// Internal flows removed.
    pub eliminated: Vec<Elimination>,
}

/// Maps with tuple keys serialize as lists of `[key, amount]` pairs (JSON keys must be strings).
fn entries<K: Serialize, S: serde::Serializer>(
    map: &BTreeMap<K, Money>,
    s: S,
) -> Result<S::Ok, S::Error> {
    s.collect_seq(map.iter())
}

impl Ledger {
    /// Total income.
    pub fn total_income(&self) -> Money {
        self.income.values().sum()
    }

    /// Total expenditure.
    pub fn total_expenditure(&self) -> Money {
        self.expenditure.values().sum()
    }

    /// Total of one balance kind over all funds.
    pub fn balance(&self, kind: BalanceKind) -> Money {
        self.balances
            .iter()
            .filter(|((_, k, _), _)| *k == kind)
            .map(|(_, m)| *m)
            .sum()
    }
}

/// Key of one internal flow: (payer, payee, flow).
type FlowKey = (String, String, InternalFlow);

/// Consolidates the units of `dy` into one department ledger, removing internal flows.
///
/// Errors (all reported together): a counterparty on a fact that cannot be internal, a
/// counterparty that is the unit itself or not a unit of the department, and internal flows
/// whose two sides differ.
pub fn consolidate(dy: &DepartmentYear) -> Result<Ledger, Vec<Diagnostic>> {
    let mut problems = Vec::new();
    let mut paid: BTreeMap<FlowKey, (Money, Vec<Location>)> = BTreeMap::new();
    let mut received: BTreeMap<FlowKey, (Money, Vec<Location>)> = BTreeMap::new();
    let mut ledger = Ledger::default();

    for f in &dy.facts.income {
        match internal(
            dy,
            f.unit.as_deref(),
            f.counterparty.as_deref(),
            InternalFlow::of_income(f.source),
            &f.location,
            &mut problems,
        ) {
            Some((unit, other, flow)) => {
                let e = received.entry((other, unit, flow)).or_default();
                e.0 += f.amount;
                e.1.push(f.location.clone());
            }
            None => {
                *ledger
                    .income
                    .entry((f.source, f.function.clone()))
                    .or_default() += f.amount;
                if let Some(d) = &f.detail {
                    *ledger
                        .income_detail
                        .entry((f.source, f.function.clone(), d.clone()))
                        .or_default() += f.amount;
                }
            }
        }
    }
    for f in &dy.facts.expenditure {
        match internal(
            dy,
            f.unit.as_deref(),
            f.counterparty.as_deref(),
            InternalFlow::of_expenditure(f.kind),
            &f.location,
            &mut problems,
        ) {
            Some((unit, other, flow)) => {
                let e = paid.entry((unit, other, flow)).or_default();
                e.0 += f.amount;
                e.1.push(f.location.clone());
            }
            None => {
                *ledger
                    .expenditure
                    .entry((f.fund, f.function.clone(), f.kind))
                    .or_default() += f.amount;
                if let Some(d) = &f.detail {
                    *ledger
                        .expenditure_detail
                        .entry((f.fund, f.function.clone(), f.kind, d.clone()))
                        .or_default() += f.amount;
                }
            }
        }
    }
    for f in &dy.facts.basic_economic {
        *ledger
            .basic_economic
            .entry((f.fund, f.economic.clone()))
            .or_default() += f.amount;
    }
    for f in &dy.facts.balances {
        *ledger
            .balances
            .entry((f.fund, f.kind, f.function.clone()))
            .or_default() += f.amount;
    }
    for f in &dy.facts.sangong {
        *ledger.sangong.entry((f.category, f.scenario)).or_default() += f.amount;
    }
    // The running costs are stated, not booked by fact: a 部门预算's table prints its budget.
    if let Some(rc) = &dy.disclosure.running_costs {
        for (scenario, amount) in [(Scenario::Budget, rc.budget), (Scenario::Actual, rc.actual)] {
            if let Some(m) = amount {
                ledger.running_costs.insert(scenario, m);
            }
        }
    }

    // Both sides of every internal flow must agree.
    let keys: std::collections::BTreeSet<&FlowKey> = paid.keys().chain(received.keys()).collect();
    for key in keys {
        let (p, p_at) = paid.get(key).cloned().unwrap_or_default();
        let (r, r_at) = received.get(key).cloned().unwrap_or_default();
        let (payer, payee, flow) = key;
        if p != r {
            let mut at = p_at.iter().chain(r_at.iter()).cloned();
            let mut d = Diagnostic::error(
                "E0301",
                at.next().unwrap_or_default(),
                Text::new(
                    format!(
                        "单位 {payer} → {payee} 的内部往来（{}）两边金额不一致",
                        flow.text().zh
                    ),
                    format!(
                        "internal flow {payer} → {payee} ({}) differs between the two units",
                        flow.text().en
                    ),
                ),
            )
            .expected(Text::new(
                format!("{payer} 支出 = {payee} 收入"),
                format!("{payer}'s expenditure = {payee}'s income"),
            ))
            .found(format!(
                "{} 元 ≠ {} 元",
                p.display_in(AmountUnit::Yuan).grouped(),
                r.display_in(AmountUnit::Yuan).grouped()
            ));
            for l in at {
                d = d.related(l);
            }
            problems.push(d);
        } else if !p.is_zero() {
            ledger.eliminated.push(Elimination {
                payer: payer.clone(),
                payee: payee.clone(),
                flow: *flow,
                amount: p,
            });
        }
    }

    if problems.is_empty() {
        Ok(ledger)
    } else {
        Err(problems)
    }
}

/// Decides whether a fact is one side of an internal flow: `Some((unit, counterparty, flow))`.
fn internal(
    dy: &DepartmentYear,
    unit: Option<&str>,
    counterparty: Option<&str>,
    flow: Option<InternalFlow>,
    location: &Location,
    problems: &mut Vec<Diagnostic>,
) -> Option<(String, String, InternalFlow)> {
    let other = counterparty?;
    let fail = |zh: String, en: String| {
        Diagnostic::error("E0302", location.clone(), Text::new(zh, en)).found(other.to_string())
    };
    let Some(flow) = flow else {
        problems.push(fail(
            "只有上缴上级支出、对附属单位补助支出、上级补助收入、附属单位上缴收入可以填写 counterparty".into(),
            "only remittances and subsidies between units may name a counterparty".into(),
        ));
        return None;
    };
    let Some(unit) = unit else {
        problems.push(fail(
            "部门级事实不能填写 counterparty：内部往来须注明双方单位".into(),
            "a department-level fact cannot name a counterparty: internal flows need both units"
                .into(),
        ));
        return None;
    };
    if unit == other {
        problems.push(fail(
            format!("单位 {unit} 不能与自身往来"),
            format!("unit {unit} cannot pay itself"),
        ));
        return None;
    }
    if dy.unit(other).is_none() {
        problems.push(fail(
            format!("counterparty {other} 不是本部门的单位"),
            format!("counterparty {other} is not a unit of this department"),
        ));
        return None;
    }
    Some((unit.to_string(), other.to_string(), flow))
}
