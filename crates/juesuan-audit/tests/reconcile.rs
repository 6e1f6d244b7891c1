//! The relations between documents (R rules, `data/kinds/*/reconcile.toml`): every rule has
//! passing and failing cases, and each behaves — two bundled examples joined as a report and
//! the document it cites, changed as the case says, with the numbers its narrative states.

use juesuan_audit::Auditor;
use juesuan_audit::claims::Statement;
use juesuan_audit::xdoc::Side;
use juesuan_core::rules::Sheet;
use juesuan_core::rules::reconcile::{ReconcileCase, ReconcileRule, Relation, SaidCase};
use juesuan_core::rules::sheet::{Direction, NumUnit, Number, Stated};
use juesuan_input::assets::Assets;
use juesuan_input::compile::compile_with_builtins;
use std::collections::BTreeMap;
use std::path::PathBuf;

fn sheet(name: &str) -> Sheet {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("../../examples/{name}.toml"));
    let c = compile_with_builtins(
        &format!("examples/{name}.toml"),
        &std::fs::read_to_string(path).unwrap(),
    )
    .unwrap_or_else(|p| panic!("{p:#?}"));
    Sheet::of_build(&c.views, &c.facts.disclosure)
}

/// A number a case's narrative states, as the reader would have read it.
fn statement(s: &SaidCase, aspect: &'static str) -> Statement {
    let unit = match s.unit.as_str() {
        "%" => NumUnit::Percent,
        "万元" => NumUnit::Money("万元".into(), 1_000_000_000),
        "元" => NumUnit::Money("元".into(), 100_000),
        u => panic!("unit {u}"),
    };
    Statement {
        concept: s.of.clone(),
        aspect,
        number: Number {
            stated: Stated::parse(&s.number).unwrap(),
            unit,
        },
        direction: s.direction.as_deref().map(|d| match d {
            "up" => Direction::Up,
            "down" => Direction::Down,
            d => panic!("direction {d}"),
        }),
        line: 1,
        sentence: format!("{} {}{}", s.of, s.number, s.unit),
        section: None,
    }
}

/// The findings of `rule` on `case`.
fn run(
    auditor: &Auditor,
    kind: &str,
    rule: &ReconcileRule,
    case: &ReconcileCase,
    sheets: &BTreeMap<String, Sheet>,
) -> Vec<String> {
    let aspect: &'static str = rule
        .relations
        .iter()
        .find_map(|(_, r)| match r {
            Relation::Said { aspect, .. } => Some(aspect.clone().leak() as &'static str),
            Relation::Cells(_) => None,
        })
        .unwrap_or("");
    let (this, cited) = (&sheets[&case.this], &sheets[&case.cited]);
    let joined = case.apply(this, cited, &rule.with).unwrap();
    let statements: Vec<Statement> = case.said.iter().map(|s| statement(s, aspect)).collect();
    let (found, _) = auditor.relate(
        rule,
        &joined,
        Side {
            kind,
            sheet: this,
            statements: &statements,
        },
        Side {
            kind: &rule.cited.kind,
            sheet: cited,
            statements: &[],
        },
    );
    found
        .iter()
        .map(|f| format!("{} {}", f.rule, f.formula().zh))
        .collect()
}

#[test]
fn every_relation_has_cases_and_each_behaves() {
    let assets = Assets::builtin().unwrap();
    let auditor = Auditor::builtin().unwrap();
    let mut sheets = BTreeMap::new();
    let mut problems = Vec::new();
    let mut rules = 0;
    for bundle in assets.bundles() {
        for rule in &bundle.reconcile.rules {
            rules += 1;
            let id = &rule.def.id;
            if rule.pass.is_empty() || rule.fail.is_empty() {
                problems.push(format!("{id}: needs passing and failing cases"));
            }
            for (cases, fails) in [(&rule.pass, false), (&rule.fail, true)] {
                for (i, case) in cases.iter().enumerate() {
                    for name in [&case.this, &case.cited] {
                        sheets.entry(name.clone()).or_insert_with(|| sheet(name));
                    }
                    let found = run(auditor, &bundle.kind.id, rule, case, &sheets);
                    if found.is_empty() == fails {
                        problems.push(format!(
                            "{id} {} case {i}: {found:?}",
                            if fails { "fail" } else { "pass" }
                        ));
                    }
                }
            }
        }
    }
    assert!(rules >= 6, "{rules} relation rules");
    assert!(problems.is_empty(), "{problems:#?}");
}
