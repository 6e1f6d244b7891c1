//! Roll-up (汇总): many departments consolidated into one district, pure.
//!
//! The district's ledger is the sum of the departments' consolidated ledgers, less the money
//! that only moved between two of them. Such a flow is marked on both sides with
//! `counterparty_department` (the other department's `department.code`): the payer's
//! 上缴上级支出 or 对附属单位补助支出, and the payee's 附属单位上缴收入 or 上级补助收入. Both sides
//! must agree to the 分 and both departments must be in the roll-up; otherwise the roll-up
//! refuses with located errors (E1103, E1104) rather than count money twice. Inside each
//! department its own units' flows were already eliminated by `consolidate`.
//!
//! [`Rollup::add`] takes one department at a time and keeps only sums (bounded by the
//! catalog, not by the number of departments) and the marked flows; [`Rollup::finish`] gives
//! the district as a [`Compiled`] build — department-level facts, ledger, layout and views —
//! which the same rules and renderers take as they take one department.

use juesuan_core::catalog::{Catalog, Classification, Entry};
use juesuan_core::consolidate::{InternalFlow, Ledger};
use juesuan_core::disclosure::{
    Assets, BudgetLine, Disclosure, PriorYear, Procurement, RunningCosts, SanGongDetails,
};
use juesuan_core::facts::{
    BalanceFact, Department, DepartmentYear, EconomicFact, ExpKind, ExpenditureFact, Facts,
    FundSource, IncomeFact, SanGongFact,
};
use juesuan_core::layout::Layout;
use juesuan_core::money::AmountUnit;
use juesuan_core::views::build_views;
use juesuan_core::{Diagnostic, Location, Money, Text};
use juesuan_input::compile::Compiled;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// (payer code, payee code, flow).
type FlowKey = (String, String, InternalFlow);

/// One side of a marked flow: where it sits in the ledger and how much.
#[derive(Clone, Debug)]
enum Side {
    Income(FundSource, String, Money),
    Expenditure(FundSource, String, ExpKind, Money),
}

/// A flow between two departments removed by the roll-up.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DepartmentFlow {
    /// Paying department's code.
    pub payer: String,
    /// Receiving department's code.
    pub payee: String,
    /// Which pair of lines.
    pub flow: InternalFlow,
    /// Amount removed from both sides.
    pub amount: Money,
}

/// A roll-up under way.
#[derive(Debug, Default)]
pub struct Rollup {
    ledger: Ledger,
    year: Option<(i32, String)>,
    departments: usize,
    codes: BTreeMap<String, String>,
    paid: BTreeMap<FlowKey, (Money, Vec<Side>, Vec<Location>)>,
    received: BTreeMap<FlowKey, (Money, Vec<Side>, Vec<Location>)>,
    disclosure: DisclosureSums,
    layout: Option<String>,
    /// Codes the departments' inputs named that the catalog lacks: the district's tables
    /// print them too.
    supplied: BTreeMap<(Classification, String), Entry>,
}

/// Sums of the disclosure figures that add up across departments.
#[derive(Debug, Default)]
struct DisclosureSums {
    /// Last year's amounts, each summed while every department gives it (`None` before the
    /// first department).
    prior: Option<[Option<Money>; PriorYear::AMOUNTS]>,
    budgets: BTreeMap<String, (Option<Money>, Option<Money>)>,
    purchased: u32,
    fleet: u32,
    running_budget: Option<Money>,
    procurement: Option<Procurement>,
    vehicles: BTreeMap<String, u32>,
    equipment: u32,
}

fn error(code: &'static str, location: Location, zh: String, en: String) -> Diagnostic {
    Diagnostic::error(code, location, Text::new(zh, en))
}

fn file_location(file: &str) -> Location {
    Location::File {
        file: file.to_string(),
    }
}

impl Rollup {
    /// An empty roll-up.
    pub fn new() -> Rollup {
        Rollup::default()
    }

    /// Departments added so far.
    pub fn len(&self) -> usize {
        self.departments
    }

    /// True before the first department.
    pub fn is_empty(&self) -> bool {
        self.departments == 0
    }

    /// Adds one department (its build, read from `file`).
    pub fn add(&mut self, file: &str, built: &Compiled) -> Result<(), Vec<Diagnostic>> {
        let mut problems = Vec::new();
        let d = &built.facts.department;
        match &self.year {
            None => self.year = Some((d.year, file.to_string())),
            Some((y, first)) if *y != d.year => problems.push(
                error(
                    "E1102",
                    file_location(file),
                    format!("汇总的部门年度不一致：{first} 为 {y} 年度"),
                    format!("the departments of a roll-up differ in year: {first} is {y}"),
                )
                .expected(Text::same(y.to_string()))
                .found(d.year.to_string()),
            ),
            _ => {}
        }
        if let Some(code) = &d.code {
            if let Some(other) = self.codes.get(code) {
                problems.push(
                    error(
                        "E1105",
                        file_location(file),
                        format!("部门编码 {code} 与 {other} 重复"),
                        format!("department code {code} is also that of {other}"),
                    )
                    .found(code.clone()),
                );
            } else {
                self.codes.insert(code.clone(), file.to_string());
            }
        }
        self.layout.get_or_insert_with(|| built.layout.id.clone());
        // Marked flows.
        let facts = &built.facts.facts;
        let mark_problem = |location: &Location, zh: &str, en: &str, other: &str| {
            error("E1104", location.clone(), zh.to_string(), en.to_string())
                .found(other.to_string())
        };
        for f in &facts.income {
            let Some(other) = &f.counterparty_department else {
                continue;
            };
            let Some(flow) = InternalFlow::of_income(f.source) else {
                problems.push(mark_problem(&f.location, "只有上级补助收入、附属单位上缴收入可以填写 counterparty_department", "only subsidies and remittances between departments may name a counterparty_department", other));
                continue;
            };
            let (Some(code), None) = (&d.code, &f.counterparty) else {
                problems.push(mark_problem(&f.location, "填写 counterparty_department 的部门须有 department.code，且不能同时填写 counterparty", "a department naming a counterparty_department needs a department.code, and the fact no counterparty", other));
                continue;
            };
            let e = self
                .received
                .entry((other.clone(), code.clone(), flow))
                .or_default();
            e.0 += f.amount;
            e.1.push(Side::Income(f.source, f.function.clone(), f.amount));
            e.2.push(f.location.clone());
        }
        for f in &facts.expenditure {
            let Some(other) = &f.counterparty_department else {
                continue;
            };
            let Some(flow) = InternalFlow::of_expenditure(f.kind) else {
                problems.push(mark_problem(&f.location, "只有上缴上级支出、对附属单位补助支出可以填写 counterparty_department", "only subsidies and remittances between departments may name a counterparty_department", other));
                continue;
            };
            let (Some(code), None) = (&d.code, &f.counterparty) else {
                problems.push(mark_problem(&f.location, "填写 counterparty_department 的部门须有 department.code，且不能同时填写 counterparty", "a department naming a counterparty_department needs a department.code, and the fact no counterparty", other));
                continue;
            };
            let e = self
                .paid
                .entry((code.clone(), other.clone(), flow))
                .or_default();
            e.0 += f.amount;
            e.1.push(Side::Expenditure(
                f.fund,
                f.function.clone(),
                f.kind,
                f.amount,
            ));
            e.2.push(f.location.clone());
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        add_ledger(&mut self.ledger, &built.ledger);
        self.disclosure.add(&built.facts.disclosure);
        if let Some(c) = &built.catalog {
            for (class, e) in c.supplied() {
                self.supplied
                    .entry((class, e.code.clone()))
                    .or_insert_with(|| e.clone());
            }
        }
        self.departments += 1;
        Ok(())
    }

    /// The district: department-level facts, ledger and views in `layout` (the first
    /// department's when `None`), and the flows between departments it removed.
    pub fn finish(
        mut self,
        department: Department,
        catalog: &Catalog,
        layout: Layout,
    ) -> Result<(Compiled, Vec<DepartmentFlow>), Vec<Diagnostic>> {
        let supplied: Vec<(Classification, Entry)> = std::mem::take(&mut self.supplied)
            .into_iter()
            .map(|((class, _), e)| (class, e))
            .collect();
        let extended =
            (!supplied.is_empty()).then(|| std::sync::Arc::new(catalog.with_supplied(&supplied)));
        let catalog = extended.as_deref().unwrap_or(catalog);
        let mut ledger = self.ledger;
        let mut problems = Vec::new();
        let mut flows = Vec::new();
        let keys: BTreeSet<&FlowKey> = self.paid.keys().chain(self.received.keys()).collect();
        let empty = (Money::ZERO, Vec::new(), Vec::new());
        for key in keys {
            let (payer, payee, flow) = key;
            let p = self.paid.get(key).unwrap_or(&empty);
            let r = self.received.get(key).unwrap_or(&empty);
            let at = p.2.first().or(r.2.first()).cloned().unwrap_or_default();
            let missing: Vec<&String> = [payer, payee]
                .into_iter()
                .filter(|c| !self.codes.contains_key(*c))
                .collect();
            if let Some(code) = missing.first() {
                problems.push(
                    error(
                        "E1104",
                        at,
                        format!("counterparty_department {code} 不是本次汇总中任何部门的编码"),
                        format!("counterparty_department {code} is not the code of any department of this roll-up"),
                    )
                    .expected(Text::new("汇总范围内部门的 department.code", "the department.code of a department in the roll-up"))
                    .found(code.to_string()),
                );
                continue;
            }
            if p.0 != r.0 {
                let mut d = error(
                    "E1103",
                    at,
                    format!("部门 {payer} → {payee} 的往来两边金额不一致"),
                    format!("the flow from department {payer} to {payee} differs between the two departments"),
                )
                .expected(Text::new(format!("{payer} 支出 = {payee} 收入"), format!("{payer}'s expenditure = {payee}'s income")))
                .found(format!(
                    "{} 元 ≠ {} 元",
                    p.0.display_in(AmountUnit::Yuan).grouped(),
                    r.0.display_in(AmountUnit::Yuan).grouped()
                ));
                for l in p.2.iter().chain(&r.2).skip(1) {
                    d = d.related(l.clone());
                }
                problems.push(d);
                continue;
            }
            for side in p.1.iter().chain(&r.1) {
                match side {
                    Side::Income(source, function, m) => {
                        *ledger
                            .income
                            .entry((*source, function.clone()))
                            .or_default() -= *m;
                    }
                    Side::Expenditure(fund, function, kind, m) => {
                        *ledger
                            .expenditure
                            .entry((*fund, function.clone(), *kind))
                            .or_default() -= *m;
                    }
                }
            }
            flows.push(DepartmentFlow {
                payer: payer.clone(),
                payee: payee.clone(),
                flow: *flow,
                amount: p.0,
            });
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        drop_zeros(&mut ledger);
        let department = Department {
            year: self.year.map_or(department.year, |(y, _)| y),
            layout: Some(layout.id.clone()),
            strict_catalog: false,
            ..department
        };
        let views = build_views(&department, &ledger, catalog, &layout)?;
        let facts = DepartmentYear {
            department,
            units: Vec::new(),
            facts: facts_of(&ledger),
            budget: Default::default(),
            disclosure: self.disclosure.finish(),
        };
        Ok((
            Compiled {
                facts,
                ledger,
                layout: layout.into(),
                views,
                catalog: extended,
            },
            flows,
        ))
    }

    /// The layout id of the first department, if any.
    pub fn first_layout(&self) -> Option<&str> {
        self.layout.as_deref()
    }

    /// The district named `name` (and `code`), built with `setup`'s catalog and the layout it
    /// chooses (else the first department's), and checked by its rules; with the flows
    /// eliminated between departments. What `juesuan rollup` and the web app's roll-up share.
    pub fn check(
        self,
        setup: &juesuan_publish::Setup,
        name: String,
        code: Option<String>,
    ) -> Result<(juesuan_publish::pipeline::Checked, Vec<DepartmentFlow>), Vec<Diagnostic>> {
        let layout =
            juesuan_input::compile::layout(&setup.assets, &setup.layout, self.first_layout())?;
        // The year is the departments' (finish takes it from them).
        let department = Department {
            name,
            code,
            year: 0,
            amount_unit: AmountUnit::Yuan,
            layout: None,
            strict_catalog: false,
        };
        let (built, flows) = self.finish(department, &setup.catalog, layout)?;
        Ok((
            juesuan_publish::pipeline::check_compiled(setup, built)?,
            flows,
        ))
    }
}

/// `into += from`, entry by entry (internal eliminations of `from` are not carried: they are
/// the departments' own).
pub fn add_ledger(into: &mut Ledger, from: &Ledger) {
    for (k, m) in &from.income {
        *into.income.entry(k.clone()).or_default() += *m;
    }
    for (k, m) in &from.expenditure {
        *into.expenditure.entry(k.clone()).or_default() += *m;
    }
    for (k, m) in &from.income_detail {
        *into.income_detail.entry(k.clone()).or_default() += *m;
    }
    for (k, m) in &from.expenditure_detail {
        *into.expenditure_detail.entry(k.clone()).or_default() += *m;
    }
    for (k, m) in &from.basic_economic {
        *into.basic_economic.entry(k.clone()).or_default() += *m;
    }
    for (k, m) in &from.balances {
        *into.balances.entry(k.clone()).or_default() += *m;
    }
    for (k, m) in &from.sangong {
        *into.sangong.entry(*k).or_default() += *m;
    }
}

fn drop_zeros(l: &mut Ledger) {
    l.income.retain(|_, m| !m.is_zero());
    l.expenditure.retain(|_, m| !m.is_zero());
    l.income_detail.retain(|_, m| !m.is_zero());
    l.expenditure_detail.retain(|_, m| !m.is_zero());
    l.basic_economic.retain(|_, m| !m.is_zero());
    l.balances.retain(|_, m| !m.is_zero());
    l.sangong.retain(|_, m| !m.is_zero());
}

/// An amount split into its "其中" parts and the rest: (detail, amount) pairs, the rest (with no
/// detail) first when there is any or when there are no parts.
fn split(total: Money, parts: Vec<(&String, Money)>) -> Vec<(Option<String>, Money)> {
    let rest = total - parts.iter().map(|(_, m)| *m).sum::<Money>();
    let mut out = Vec::new();
    if !rest.is_zero() || parts.is_empty() {
        out.push((None, rest));
    }
    out.extend(parts.into_iter().map(|(d, m)| (Some(d.clone()), m)));
    out
}

/// A ledger written as department-level facts (no units): the district as an input file. An
/// amount with "其中" parts becomes a fact per part and one for the rest.
pub fn facts_of(l: &Ledger) -> Facts {
    let at = Location::Nowhere;
    Facts {
        income: l
            .income
            .iter()
            .flat_map(|((source, function), m)| {
                let parts = l
                    .income_detail
                    .iter()
                    .filter(|((s, f, _), _)| s == source && f == function)
                    .map(|((_, _, d), m)| (d, *m))
                    .collect();
                split(*m, parts)
                    .into_iter()
                    .map(|(detail, amount)| IncomeFact {
                        unit: None,
                        source: *source,
                        function: function.clone(),
                        counterparty: None,
                        counterparty_department: None,
                        detail,
                        amount,
                        location: at.clone(),
                    })
            })
            .collect(),
        expenditure: l
            .expenditure
            .iter()
            .flat_map(|((fund, function, kind), m)| {
                let parts = l
                    .expenditure_detail
                    .iter()
                    .filter(|((f, c, k, _), _)| f == fund && c == function && k == kind)
                    .map(|((_, _, _, d), m)| (d, *m))
                    .collect();
                split(*m, parts)
                    .into_iter()
                    .map(|(detail, amount)| ExpenditureFact {
                        unit: None,
                        fund: *fund,
                        function: function.clone(),
                        kind: *kind,
                        counterparty: None,
                        counterparty_department: None,
                        detail,
                        amount,
                        location: at.clone(),
                    })
            })
            .collect(),
        basic_economic: l
            .basic_economic
            .iter()
            .map(|((fund, economic), m)| EconomicFact {
                unit: None,
                fund: *fund,
                economic: economic.clone(),
                amount: *m,
                location: at.clone(),
            })
            .collect(),
        balances: l
            .balances
            .iter()
            .map(|((fund, kind, function), m)| BalanceFact {
                unit: None,
                fund: *fund,
                kind: *kind,
                function: function.clone(),
                amount: *m,
                location: at.clone(),
            })
            .collect(),
        sangong: l
            .sangong
            .iter()
            .map(|((category, scenario), m)| SanGongFact {
                unit: None,
                category: *category,
                scenario: *scenario,
                amount: *m,
                location: at.clone(),
            })
            .collect(),
    }
}

/// The sum of two amounts a roll-up knows only when both departments give them.
fn both(a: Option<Money>, b: Option<Money>) -> Option<Money> {
    Some(a? + b?)
}

impl DisclosureSums {
    fn add(&mut self, d: &Disclosure) {
        let parts = d
            .prior_year
            .as_ref()
            .map_or([None; PriorYear::AMOUNTS], PriorYear::amounts);
        self.prior = Some(match self.prior {
            None => parts,
            Some(sums) => std::array::from_fn(|i| both(sums[i], parts[i])),
        });
        for b in &d.budgets {
            let e = self
                .budgets
                .entry(b.function.clone())
                .or_insert((Some(Money::ZERO), Some(Money::ZERO)));
            // A sum is known only where every part is.
            e.0 = match (e.0, b.initial) {
                (Some(a), Some(x)) => Some(a + x),
                _ => None,
            };
            e.1 = match (e.1, b.adjusted) {
                (Some(a), Some(x)) => Some(a + x),
                _ => None,
            };
        }
        self.purchased += d.sangong_details.purchased_vehicles.unwrap_or(0);
        self.fleet += d.sangong_details.fleet.unwrap_or(0);
        if let Some(b) = d.running_costs.as_ref().and_then(|r| r.budget) {
            *self.running_budget.get_or_insert(Money::ZERO) += b;
        }
        if let Some(p) = &d.procurement {
            match &mut self.procurement {
                None => {
                    self.procurement = Some(Procurement {
                        goods: p.goods,
                        works: p.works,
                        services: p.services,
                        sme: p.sme,
                        small_micro: p.small_micro,
                        ..Procurement::default()
                    })
                }
                Some(s) => {
                    s.goods += p.goods;
                    s.works += p.works;
                    s.services += p.services;
                    s.sme = both(s.sme, p.sme);
                    s.small_micro = both(s.small_micro, p.small_micro);
                }
            }
        }
        if let Some(a) = &d.assets {
            for (k, n) in &a.vehicles {
                *self.vehicles.entry(k.clone()).or_default() += n;
            }
            self.equipment += a.equipment_over_million;
        }
    }

    /// What adds up: last year's totals (when every department gave them), budgets per item,
    /// vehicles, running-cost budgets, procurement and assets. Texts stay the departments'.
    fn finish(self) -> Disclosure {
        Disclosure {
            prior_year: self
                .prior
                .filter(|a| a.iter().any(Option::is_some))
                .map(PriorYear::from_amounts),
            budgets: self
                .budgets
                .into_iter()
                .map(|(function, (initial, adjusted))| BudgetLine {
                    function,
                    initial,
                    adjusted,
                    reason: None,
                    uses: None,
                })
                .collect(),
            sangong_details: SanGongDetails {
                purchased_vehicles: Some(self.purchased),
                fleet: Some(self.fleet),
                ..SanGongDetails::default()
            },
            running_costs: self.running_budget.map(|b| RunningCosts {
                budget: Some(b),
                actual: None,
            }),
            procurement: self.procurement,
            assets: (!self.vehicles.is_empty() || self.equipment > 0).then_some(Assets {
                vehicles: self.vehicles,
                other_vehicles_use: None,
                equipment_over_million: self.equipment,
                ..Assets::default()
            }),
            ..Disclosure::default()
        }
    }
}
