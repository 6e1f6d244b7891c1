//! The roll-up of generated departments is the sum of their views, cell by cell, less the
//! flows between departments it eliminated; it passes every rule; and it refuses flows whose
//! two sides disagree or whose other department is missing, and departments of another year.

use juesuan_batch::rollup::{Rollup, facts_of};
use juesuan_batch::synth::{Params, generate};
use juesuan_core::Money;
use juesuan_core::catalog::Catalog;
use juesuan_core::consolidate::Ledger;
use juesuan_core::facts::Department;
use juesuan_core::money::AmountUnit;
use juesuan_core::rules::Sheet;
use juesuan_core::views::{Views, build_views};
use juesuan_input::Source;
use juesuan_input::compile::{Compiled, LayoutChoice, catalog, compile};
use proptest::prelude::*;
use std::collections::BTreeMap;
use std::sync::OnceLock;

fn the_catalog() -> &'static Catalog {
    static C: OnceLock<Catalog> = OnceLock::new();
    C.get_or_init(|| catalog(true, &[]).unwrap())
}

fn layout() -> juesuan_core::layout::Layout {
    juesuan_input::builtin::layout("hubei-wuhan-2023")
        .unwrap()
        .unwrap()
}

fn district() -> Department {
    Department {
        name: "示例区".into(),
        code: Some("Q1".into()),
        year: 0,
        amount_unit: AmountUnit::Yuan,
        layout: None,
        strict_catalog: false,
    }
}

fn departments(p: &Params) -> Vec<(String, Compiled)> {
    (0..p.departments)
        .map(|i| {
            let g = generate(the_catalog(), p, i);
            let c = compile(
                &Source::new(g.file.clone(), g.text),
                &juesuan_input::assets::Assets::builtin().unwrap(),
                the_catalog(),
                &LayoutChoice::FromInput,
            )
            .unwrap();
            (g.file, c)
        })
        .collect()
}

/// Every value of every table, keyed by (table, panel, row address, column) — footers too.
fn cells(v: &Views) -> BTreeMap<(String, usize, String, usize), Money> {
    let mut out: BTreeMap<(String, usize, String, usize), Money> = BTreeMap::new();
    for t in &v.tables {
        for (pi, p) in t.panels.iter().enumerate() {
            for r in &p.rows {
                for (ci, x) in r.values.iter().enumerate() {
                    if let (Some(x), Some(addr)) = (x, r.address()) {
                        *out.entry((t.id.key().to_string(), pi, addr, ci))
                            .or_default() += *x;
                    }
                }
            }
        }
        for (k, f) in t.footer.iter().enumerate() {
            *out.entry((t.id.key().to_string(), usize::MAX, f.label.zh.clone(), k))
                .or_default() += f.value;
        }
    }
    out.retain(|_, m| !m.is_zero());
    out
}

fn subtract(into: &mut BTreeMap<(String, usize, String, usize), Money>, v: &Views) {
    for (k, m) in cells(v) {
        *into.entry(k).or_default() -= m;
    }
    into.retain(|_, m| !m.is_zero());
}

fn roll(
    deps: &[(String, Compiled)],
) -> Result<(Compiled, Vec<juesuan_batch::rollup::DepartmentFlow>), Vec<juesuan_core::Diagnostic>> {
    let mut r = Rollup::new();
    for (file, c) in deps {
        r.add(file, c)?;
    }
    r.finish(district(), the_catalog(), layout())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]
    #[test]
    fn the_rollup_is_the_sum_of_the_departments_views_after_eliminations(
        seed in any::<u64>(),
        n in 1_usize..9,
        units in proptest::option::of(1_usize..5),
    ) {
        let p = Params { departments: n, units, seed, ..Params::default() };
        let deps = departments(&p);
        let (district, flows) = roll(&deps).unwrap();
        // The flows eliminated, as a ledger: the marked facts of both sides.
        let mut marked = Ledger::default();
        for (_, c) in &deps {
            for f in c.facts.facts.income.iter().filter(|f| f.counterparty_department.is_some()) {
                *marked.income.entry((f.source, f.function.clone())).or_default() += f.amount;
            }
            for f in c.facts.facts.expenditure.iter().filter(|f| f.counterparty_department.is_some()) {
                *marked.expenditure.entry((f.fund, f.function.clone(), f.kind)).or_default() += f.amount;
            }
        }
        let pairs = (0..n / 2).filter(|k| deps[2 * k].1.facts.facts.expenditure.iter().any(|f| f.counterparty_department.is_some())).count();
        prop_assert_eq!(flows.len(), pairs);
        let mut want = BTreeMap::new();
        for (_, c) in &deps {
            for (k, m) in cells(&c.views) {
                *want.entry(k).or_insert(Money::ZERO) += m;
            }
        }
        let eliminated = build_views(&district.facts.department, &marked, the_catalog(), &layout()).unwrap();
        subtract(&mut want, &eliminated);
        prop_assert_eq!(cells(&district.views), want);
        // The district is as consistent as its departments.
        let sheet = Sheet::of_build(&district.views, &district.facts.disclosure);
        for s in [sheet.clone(), sheet.as_printed()] {
            let findings = juesuan_input::builtin::rules().unwrap().check(&s, Some(the_catalog()));
            prop_assert!(findings.is_empty(), "{:?}", findings.iter().map(|f| &f.rule).collect::<Vec<_>>());
        }
        // Its facts, written as one department, give the same views.
        prop_assert_eq!(&facts_of(&district.ledger), &district.facts.facts);
        let text = juesuan_batch::input_file::write(&district.facts, the_catalog(), juesuan_batch::input_file::InputFormat::Toml);
        let again = compile(&Source::new("district.toml", text), &juesuan_input::assets::Assets::builtin().unwrap(), the_catalog(), &LayoutChoice::FromInput).unwrap();
        prop_assert_eq!(again.views, district.views);
    }
}

fn codes(
    r: Result<
        (Compiled, Vec<juesuan_batch::rollup::DepartmentFlow>),
        Vec<juesuan_core::Diagnostic>,
    >,
) -> Vec<&'static str> {
    match r {
        Ok(_) => Vec::new(),
        Err(d) => d.iter().map(|d| d.code).collect(),
    }
}

/// Two departments that share a subsidy (the generator's pair 0 → 1 for this seed).
fn pair() -> Vec<(String, Compiled)> {
    for seed in 1.. {
        let p = Params {
            departments: 2,
            seed,
            ..Params::default()
        };
        let deps = departments(&p);
        if deps[0]
            .1
            .facts
            .facts
            .expenditure
            .iter()
            .any(|f| f.counterparty_department.is_some())
        {
            return deps;
        }
    }
    unreachable!()
}

#[test]
fn a_flow_the_two_departments_book_differently_is_refused() {
    let mut deps = pair();
    assert_eq!(codes(roll(&deps)), Vec::<&str>::new());
    let f = deps[0]
        .1
        .facts
        .facts
        .expenditure
        .iter_mut()
        .find(|f| f.counterparty_department.is_some())
        .unwrap();
    f.amount += Money::from_fen(1);
    assert_eq!(codes(roll(&deps)), ["E1103"]);
}

#[test]
fn a_flow_to_a_department_outside_the_rollup_is_refused() {
    let deps = pair();
    assert_eq!(codes(roll(&deps[..1])), ["E1104"]);
}

#[test]
fn a_mark_on_a_fact_that_is_no_flow_is_refused() {
    let mut deps = pair();
    let f = deps[1]
        .1
        .facts
        .facts
        .income
        .iter_mut()
        .find(|f| f.counterparty_department.is_none())
        .unwrap();
    f.counterparty_department = Some("D00001".into());
    assert_eq!(codes(roll(&deps)), ["E1104"]);
}

#[test]
fn departments_of_different_years_or_one_code_twice_are_refused() {
    let mut deps = pair();
    deps[1].1.facts.department.year = 2023;
    assert_eq!(codes(roll(&deps)), ["E1102"]);
    let mut deps = pair();
    deps[1].1.facts.department.code = Some("D00001".into());
    assert!(codes(roll(&deps)).contains(&"E1105"));
}
