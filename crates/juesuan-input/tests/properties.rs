//! Property tests: consolidation keeps every 分 that left the department and removes every 分
//! that only moved inside it; every view's totals are the sums of their parts, and the tables
//! agree with each other — for any facts, not just the examples.

use juesuan_core::Location;
use juesuan_core::catalog::{Catalog, Classification, Level};
use juesuan_core::consolidate::{Ledger, consolidate};
use juesuan_core::facts::{
    BalanceFact, BalanceKind, Department, DepartmentYear, EconomicFact, ExpKind, ExpenditureFact,
    Facts, FundSource, IncomeFact, SanGong, SanGongFact, Scenario, Unit,
};
use juesuan_core::layout::Layout;
use juesuan_core::money::{AmountUnit, Money};
use juesuan_core::views::{Row, RowKind, View, Views, build_views};
use proptest::prelude::*;
use std::sync::OnceLock;

fn catalog() -> &'static Catalog {
    static C: OnceLock<Catalog> = OnceLock::new();
    C.get_or_init(|| juesuan_input::builtin::catalog().unwrap())
}

fn layout() -> &'static Layout {
    static L: OnceLock<Layout> = OnceLock::new();
    L.get_or_init(|| {
        juesuan_input::builtin::layout("hubei-wuhan-2023")
            .unwrap()
            .unwrap()
    })
}

fn codes(class: Classification, level: Level) -> Vec<String> {
    catalog()
        .entries(class)
        .filter(|e| e.level == level)
        .map(|e| e.code.clone())
        .collect()
}

fn money() -> impl Strategy<Value = Money> {
    // Up to 10 亿元 in 分, with odd 分 so that rounding to 万元 is exercised.
    (0_i128..100_000_000_000).prop_map(Money::from_fen)
}

fn pick<T: Clone + std::fmt::Debug + 'static>(items: Vec<T>) -> impl Strategy<Value = T> {
    proptest::sample::select(items)
}

const UNITS: [&str; 3] = ["u0", "u1", "u2"];

fn unit() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        Just(None),
        pick(UNITS.to_vec()).prop_map(|u| Some(u.to_string()))
    ]
}

fn fund() -> impl Strategy<Value = FundSource> {
    pick(FundSource::ALL.to_vec())
}

fn income() -> impl Strategy<Value = IncomeFact> {
    let functions = codes(Classification::Function, Level::Xiang);
    (unit(), fund(), pick(functions), money()).prop_map(|(unit, source, function, amount)| {
        IncomeFact {
            unit,
            source,
            function,
            counterparty: None,
            counterparty_department: None,
            detail: None,
            amount,
            location: Location::Nowhere,
        }
    })
}

fn expenditure() -> impl Strategy<Value = ExpenditureFact> {
    let functions = codes(Classification::Function, Level::Xiang);
    (
        unit(),
        fund(),
        pick(functions),
        pick(ExpKind::ALL.to_vec()),
        money(),
    )
        .prop_map(|(unit, fund, function, kind, amount)| {
            // Appropriations pay only basic or project expenditure (the reader enforces it).
            let kind = if fund.is_fiscal() && !matches!(kind, ExpKind::Basic | ExpKind::Project) {
                ExpKind::Project
            } else {
                kind
            };
            ExpenditureFact {
                unit,
                fund,
                function,
                kind,
                counterparty: None,
                counterparty_department: None,
                detail: None,
                amount,
                location: Location::Nowhere,
            }
        })
}

fn economic() -> impl Strategy<Value = EconomicFact> {
    let econ = codes(Classification::Economic, Level::Kuan);
    (unit(), pick(econ), money()).prop_map(|(unit, economic, amount)| EconomicFact {
        unit,
        fund: FundSource::GeneralBudget,
        economic,
        amount,
        location: Location::Nowhere,
    })
}

fn balance() -> impl Strategy<Value = BalanceFact> {
    let functions = codes(Classification::Function, Level::Xiang);
    (
        unit(),
        fund(),
        pick(BalanceKind::ALL.to_vec()),
        pick(functions),
        money(),
    )
        .prop_map(|(unit, fund, kind, function, amount)| BalanceFact {
            unit,
            fund,
            kind,
            function: (fund == FundSource::GovFund).then_some(function),
            amount,
            location: Location::Nowhere,
        })
}

fn sangong() -> impl Strategy<Value = SanGongFact> {
    (
        unit(),
        pick(SanGong::ALL.to_vec()),
        pick(vec![Scenario::Budget, Scenario::Actual]),
        money(),
    )
        .prop_map(|(unit, category, scenario, amount)| SanGongFact {
            unit,
            category,
            scenario,
            amount,
            location: Location::Nowhere,
        })
}

/// An internal flow: (payer, payee, is_subsidy, function, amount).
fn flow() -> impl Strategy<Value = (usize, usize, bool, String, Money)> {
    let functions = codes(Classification::Function, Level::Xiang);
    (
        0..3_usize,
        1..3_usize,
        any::<bool>(),
        pick(functions),
        money(),
    )
        .prop_map(|(payer, step, subsidy, f, m)| (payer, (payer + step) % 3, subsidy, f, m))
}

fn department_year(
    mut facts: Facts,
    flows: Vec<(usize, usize, bool, String, Money)>,
) -> DepartmentYear {
    for (payer, payee, subsidy, function, amount) in flows {
        let (kind, source) = if subsidy {
            (ExpKind::ToSubsidiaries, FundSource::SuperiorSubsidy)
        } else {
            (ExpKind::ToSuperior, FundSource::FromSubsidiaries)
        };
        facts.expenditure.push(ExpenditureFact {
            unit: Some(UNITS[payer].into()),
            fund: FundSource::Other,
            function: function.clone(),
            kind,
            counterparty: Some(UNITS[payee].into()),
            counterparty_department: None,
            detail: None,
            amount,
            location: Location::Nowhere,
        });
        facts.income.push(IncomeFact {
            unit: Some(UNITS[payee].into()),
            source,
            function,
            counterparty: Some(UNITS[payer].into()),
            counterparty_department: None,
            detail: None,
            amount,
            location: Location::Nowhere,
        });
    }
    DepartmentYear {
        department: Department {
            name: "测试部门".into(),
            code: None,
            year: 2024,
            amount_unit: AmountUnit::Yuan,
            layout: None,
            strict_catalog: false,
        },
        units: UNITS
            .iter()
            .map(|u| Unit {
                id: u.to_string(),
                name: u.to_string(),
                kind: None,
                note: None,
                location: Location::Nowhere,
            })
            .collect(),
        facts,
        budget: Default::default(),
        disclosure: Default::default(),
    }
}

fn facts() -> impl Strategy<Value = Facts> {
    (
        proptest::collection::vec(income(), 0..25),
        proptest::collection::vec(expenditure(), 0..25),
        proptest::collection::vec(economic(), 0..20),
        proptest::collection::vec(balance(), 0..10),
        proptest::collection::vec(sangong(), 0..8),
    )
        .prop_map(
            |(income, expenditure, basic_economic, balances, sangong)| Facts {
                income,
                expenditure,
                basic_economic,
                balances,
                sangong,
            },
        )
}

fn views_of(ledger: &Ledger) -> Views {
    let dept = Department {
        name: "测试部门".into(),
        code: None,
        year: 2024,
        amount_unit: AmountUnit::Yuan,
        layout: None,
        strict_catalog: false,
    };
    build_views(&dept, ledger, catalog(), layout()).unwrap_or_else(|p| panic!("{p:#?}"))
}

fn line(view: &View, l: u32) -> &Row {
    view.panels
        .iter()
        .flat_map(|p| p.rows.iter())
        .find(|r| r.line == Some(l))
        .unwrap_or_else(|| panic!("line {l}"))
}

fn v(row: &Row, col: usize) -> Money {
    row.values[col].unwrap_or(Money::ZERO)
}

fn sum_lines(view: &View, lines: impl IntoIterator<Item = u32>, col: usize) -> Money {
    lines.into_iter().map(|l| v(line(view, l), col)).sum()
}

/// In a function table: 合计 = Σ类, 类 = Σ款, 款 = Σ项 in every column.
fn check_hierarchy(view: &View) -> Result<(), TestCaseError> {
    for panel in &view.panels {
        let rows = &panel.rows;
        let Some(total) = rows.iter().find(|r| r.kind == RowKind::Total) else {
            continue;
        };
        for c in 0..total.values.len() {
            let classes: Money = rows
                .iter()
                .filter(|r| r.kind == RowKind::Lei)
                .map(|r| v(r, c))
                .sum();
            // Balances without a function code reach 合计 only (none in this layout's function
            // tables, which read 政府性基金 balances that always carry a code).
            prop_assert_eq!(v(total, c), classes, "{:?} 合计 col {}", view.id, c);
            for parent in rows
                .iter()
                .filter(|r| matches!(r.kind, RowKind::Lei | RowKind::Kuan))
            {
                let code = parent.code.as_deref().unwrap();
                let child_len = code.len() + 2;
                let children: Money = rows
                    .iter()
                    .filter(|r| {
                        r.code
                            .as_deref()
                            .is_some_and(|k| k.len() == child_len && k.starts_with(code))
                    })
                    .map(|r| v(r, c))
                    .sum();
                prop_assert_eq!(v(parent, c), children, "{:?} {} col {}", view.id, code, c);
            }
        }
    }
    Ok(())
}

fn total_row(view: &View) -> &Row {
    view.panels[0]
        .rows
        .iter()
        .find(|r| r.kind == RowKind::Total)
        .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    /// Consolidation removes exactly the internal flows and nothing else.
    #[test]
    fn consolidation_keeps_external_money(f in facts(), flows in proptest::collection::vec(flow(), 0..6)) {
        let dy = department_year(f.clone(), flows.clone());
        let ledger = consolidate(&dy).unwrap();
        let sum_income: Money = f.income.iter().map(|x| x.amount).sum();
        let sum_exp: Money = f.expenditure.iter().map(|x| x.amount).sum();
        prop_assert_eq!(ledger.total_income(), sum_income);
        prop_assert_eq!(ledger.total_expenditure(), sum_exp);
        let eliminated: Money = ledger.eliminated.iter().map(|e| e.amount).sum();
        let flowed: Money = flows.iter().map(|x| x.4).sum();
        prop_assert_eq!(eliminated, flowed);
        // Order of facts does not matter.
        let mut reversed = dy.clone();
        reversed.facts.income.reverse();
        reversed.facts.expenditure.reverse();
        prop_assert_eq!(consolidate(&reversed).unwrap().income, ledger.income);
    }

    /// A flow whose two sides differ by even one 分 is refused, never half-eliminated.
    #[test]
    fn unbalanced_internal_flow_is_refused(f in facts(), fl in flow()) {
        let mut dy = department_year(f, vec![fl]);
        let last = dy.facts.income.len() - 1;
        dy.facts.income[last].amount += Money::from_fen(1);
        let err = consolidate(&dy).unwrap_err();
        prop_assert!(err.iter().any(|d| d.code == "E0301"));
    }

    /// Every view adds up, and the tables agree with each other.
    #[test]
    fn views_add_up_and_agree(f in facts(), flows in proptest::collection::vec(flow(), 0..4)) {
        let ledger = consolidate(&department_year(f, flows)).unwrap();
        let views = views_of(&ledger);
        let t = |id| views.table(id).unwrap();
        let (s01, s02, s03, s04, s05, s06, s07, s08, s09) = (
            t("summary"), t("income"), t("expenditure"),
            t("fiscal_summary"), t("general_budget"), t("basic_economic"),
            t("gov_fund"), t("state_capital"), t("sangong"),
        );
        // 公开01: 27 = Σ1–8; 58 = Σ32–57; 31 = 27+28+29; 62 = 58+59+60.
        prop_assert_eq!(v(line(s01, 27), 0), sum_lines(s01, 1..=8, 0));
        prop_assert_eq!(v(line(s01, 58), 0), sum_lines(s01, 32..=57, 0));
        prop_assert_eq!(v(line(s01, 31), 0), sum_lines(s01, [27, 28, 29], 0));
        prop_assert_eq!(v(line(s01, 62), 0), sum_lines(s01, [58, 59, 60], 0));
        // 02/03/05/07/08: hierarchy in every column; row identities.
        for view in [s02, s03, s05, s07, s08] {
            check_hierarchy(view)?;
        }
        for row in &s02.panels[0].rows {
            prop_assert_eq!(v(row, 0), (1..7).map(|c| v(row, c)).sum::<Money>());
        }
        for row in &s03.panels[0].rows {
            prop_assert_eq!(v(row, 0), (1..6).map(|c| v(row, c)).sum::<Money>());
        }
        for row in &s05.panels[0].rows {
            prop_assert_eq!(v(row, 0), v(row, 1) + v(row, 2));
        }
        // Cross-table: 02 合计 = 01 row 27; 03 合计 = 01 row 58; 类 rows of 03 = 01 类 rows.
        prop_assert_eq!(v(total_row(s02), 0), v(line(s01, 27), 0));
        prop_assert_eq!(v(total_row(s03), 0), v(line(s01, 58), 0));
        for row in s03.panels[0].rows.iter().filter(|r| r.kind == RowKind::Lei) {
            let in01 = s01.panels[1].rows.iter().find(|r| r.code == row.code).unwrap();
            prop_assert_eq!(v(row, 0), v(in01, 0));
        }
        // 04: 27 = Σ1–3; 59 = 一般 + 基金 (+ 国有资本, not printed); 05 合计 = 04 row 59 一般.
        prop_assert_eq!(v(line(s04, 27), 0), sum_lines(s04, 1..=3, 0));
        prop_assert_eq!(v(line(s04, 32), 0), sum_lines(s04, [27, 28], 0));
        prop_assert_eq!(v(line(s04, 59), 0), sum_lines(s04, 33..=58, 0));
        prop_assert_eq!(v(total_row(s05), 0), v(line(s04, 59), 1));
        prop_assert_eq!(v(total_row(s07), 2), v(line(s04, 59), 2));
        prop_assert_eq!(
            v(line(s04, 59), 0),
            v(line(s04, 59), 1) + v(line(s04, 59), 2) + v(total_row(s08), 0)
        );
        // 06: each class row = Σ its 款; footer = Σ class rows of its panels; 人员 + 公用 = 全部.
        let econ: Money = ledger.basic_economic.iter()
            .filter(|((f, _), _)| *f == FundSource::GeneralBudget).map(|(_, m)| *m).sum();
        let footer: Money = s06.footer.iter().map(|f| f.value).sum();
        prop_assert_eq!(footer, econ);
        for panel in &s06.panels {
            for class in panel.rows.iter().filter(|r| r.kind == RowKind::Lei) {
                let code = class.code.as_deref().unwrap();
                let kuan: Money = panel.rows.iter()
                    .filter(|r| r.kind == RowKind::Kuan && r.code.as_deref().unwrap().starts_with(code))
                    .map(|r| v(r, 0)).sum();
                prop_assert_eq!(v(class, 0), kuan);
            }
        }
        // 09: 合计 = 出国 + 车 + 接待; 车 = 购置 + 运行, for budget and actual.
        let row = &s09.panels[0].rows[0];
        for base in [0, 6] {
            prop_assert_eq!(v(row, base), v(row, base + 1) + v(row, base + 2) + v(row, base + 5));
            prop_assert_eq!(v(row, base + 2), v(row, base + 3) + v(row, base + 4));
        }
    }
}
