//! Generated departments: catalog codes only, deterministic, valid (every rule passes, exact
//! and printed), written in the input format (read back to the same ledger), and every
//! injected error reported by exactly the rules (or codes) its manifest line names.

use juesuan_batch::inject::{ErrorKind, RuleAt};
use juesuan_batch::input_file::InputFormat;
use juesuan_batch::synth::{Params, economic_codes, generate, theme_codes};
use juesuan_core::catalog::{Catalog, Classification, Level};
use juesuan_core::diag::Severity;
use juesuan_core::rules::{RuleSet, Sheet};
use juesuan_core::{Location, Money};
use juesuan_input::Source;
use juesuan_input::compile::{LayoutChoice, catalog, compile};
use std::collections::BTreeSet;
use std::sync::OnceLock;

fn the_catalog() -> &'static Catalog {
    static C: OnceLock<Catalog> = OnceLock::new();
    C.get_or_init(|| catalog(true, &[]).unwrap())
}

fn rules() -> &'static RuleSet {
    static R: OnceLock<RuleSet> = OnceLock::new();
    R.get_or_init(|| juesuan_input::builtin::rules().unwrap())
}

#[test]
fn every_code_the_generator_writes_is_in_the_catalog_at_its_level() {
    for code in theme_codes() {
        let e = the_catalog()
            .get(Classification::Function, code)
            .unwrap_or_else(|| panic!("{code} not in the catalog"));
        assert_eq!(e.level, Level::Xiang, "{code}");
    }
    for code in economic_codes() {
        let e = the_catalog()
            .get(Classification::Economic, code)
            .unwrap_or_else(|| panic!("{code} not in the catalog"));
        assert_eq!(e.level, Level::Kuan, "{code}");
    }
}

#[test]
fn the_same_seed_gives_the_same_files_and_another_seed_others() {
    let p = Params {
        departments: 6,
        error_ppm: 500_000,
        ..Params::default()
    };
    let q = Params {
        seed: 2,
        ..p.clone()
    };
    for i in 0..6 {
        let a = generate(the_catalog(), &p, i);
        assert_eq!(a.text, generate(the_catalog(), &p, i).text);
        assert_eq!(a.entry, generate(the_catalog(), &p, i).entry);
        assert_ne!(a.text, generate(the_catalog(), &q, i).text);
    }
    // Injecting errors changes nothing but the injected fact.
    let clean = Params {
        error_ppm: 0,
        ..p.clone()
    };
    for i in 0..6 {
        assert_eq!(
            generate(the_catalog(), &p, i).facts,
            generate(the_catalog(), &clean, i).facts
        );
    }
}

fn build(
    name: &str,
    text: &str,
) -> Result<juesuan_input::compile::Compiled, Vec<juesuan_core::Diagnostic>> {
    compile(
        &Source::new(name, text),
        &juesuan_input::assets::Assets::builtin().unwrap(),
        the_catalog(),
        &LayoutChoice::FromInput,
    )
}

#[test]
fn generated_departments_pass_every_rule_exact_and_printed_in_both_formats() {
    let mut kinds = BTreeSet::new();
    for (units, format, n) in [
        (None, InputFormat::Toml, 48),
        (Some(1), InputFormat::Json, 8),
        (Some(6), InputFormat::Toml, 8),
    ] {
        let p = Params {
            departments: n,
            units,
            seed: 5,
            format,
            ..Params::default()
        };
        for i in 0..n {
            let g = generate(the_catalog(), &p, i);
            let built = build(&g.file, &g.text).unwrap_or_else(|d| panic!("{}: {d:#?}", g.file));
            // The file says what the generator meant.
            assert_eq!(
                built.ledger,
                juesuan_core::consolidate::consolidate(&g.facts).unwrap(),
                "{}",
                g.file
            );
            let sheet = Sheet::of_build(&built.views, &built.facts.disclosure);
            for s in [sheet.clone(), sheet.as_printed()] {
                let f = rules().check(&s, Some(the_catalog()));
                assert!(
                    f.is_empty(),
                    "{}: {:?}",
                    g.file,
                    f.iter()
                        .map(|f| (&f.rule, f.location().to_string()))
                        .collect::<Vec<_>>()
                );
            }
            let l = &built.ledger;
            if l.income
                .keys()
                .any(|(s, _)| *s == juesuan_core::facts::FundSource::GovFund)
            {
                kinds.insert("gov_fund");
            }
            if !l.eliminated.is_empty() {
                kinds.insert("internal flows");
            }
            let project: Money = l
                .expenditure
                .iter()
                .filter(|((_, _, k), _)| *k == juesuan_core::facts::ExpKind::Project)
                .map(|(_, m)| *m)
                .sum();
            if project > l.total_expenditure() - project {
                kinds.insert("project-heavy");
            }
            if g.facts
                .facts
                .income
                .iter()
                .any(|f| f.counterparty_department.is_some())
            {
                kinds.insert("between departments");
            }
        }
    }
    // The variety the generator promises is there.
    assert_eq!(kinds.len(), 4, "{kinds:?}");
}

/// Checks one generated department and compares what is reported with its manifest line.
fn reported(text: &str, file: &str) -> (BTreeSet<RuleAt>, BTreeSet<String>, Vec<Severity>) {
    match build(file, text) {
        Ok(built) => {
            let sheet = Sheet::of_build(&built.views, &built.facts.disclosure);
            let findings = rules().check(&sheet, Some(the_catalog()));
            let rules = findings
                .iter()
                .map(|f| RuleAt {
                    rule: f.rule.clone(),
                    table: match &f.location() {
                        Location::View { table, .. } => table.clone(),
                        other => other.to_string(),
                    },
                })
                .collect();
            (
                rules,
                BTreeSet::new(),
                findings.iter().map(|f| f.severity).collect(),
            )
        }
        Err(d) => (
            BTreeSet::new(),
            d.iter().map(|d| d.code.to_string()).collect(),
            Vec::new(),
        ),
    }
}

#[test]
fn every_injected_error_is_reported_by_exactly_the_rules_its_manifest_names() {
    let p = Params {
        departments: 240,
        error_ppm: 1_000_000,
        seed: 9,
        ..Params::default()
    };
    let mut kinds = BTreeSet::new();
    for i in 0..p.departments {
        let g = generate(the_catalog(), &p, i);
        let [inj] = g.entry.injected.as_slice() else {
            panic!(
                "{}: one error injected at rate 1, got {:?}",
                g.file, g.entry.injected
            )
        };
        kinds.insert(format!("{:?}", inj.kind));
        assert_ne!(inj.correct, inj.written, "{}", g.file);
        let (rules, codes, severities) = reported(&g.text, &g.file);
        let want: BTreeSet<RuleAt> = inj.rules.iter().cloned().collect();
        let want_codes: BTreeSet<String> = inj.codes.iter().cloned().collect();
        assert_eq!((&rules, &codes), (&want, &want_codes), "{} {inj:?}", g.file);
        let worst = if inj.severity == "error" {
            Severity::Error
        } else {
            Severity::Warning
        };
        assert!(
            severities.iter().all(|s| *s <= Severity::Warning),
            "{}",
            g.file
        );
        if inj.codes.is_empty() {
            assert!(severities.contains(&worst), "{} {inj:?}", g.file);
        }
        if inj.kind == ErrorKind::SanGong {
            assert!(severities.iter().all(|s| *s == Severity::Warning));
        }
    }
    assert_eq!(kinds.len(), 7, "every kind of error drawn: {kinds:?}");
}

mod mistyping {
    use juesuan_batch::inject::mistype;
    use juesuan_core::Money;
    use proptest::prelude::*;
    use rand::SeedableRng;

    proptest! {
        /// A mistyped figure always differs from the original and is never negative.
        #[test]
        fn mistyping_changes_the_figure(fen in 1_i128..10_i128.pow(15), seed in any::<u64>()) {
            let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
            let (m, _) = mistype(&mut rng, Money::from_fen(fen));
            prop_assert_ne!(m, Money::from_fen(fen));
            prop_assert!(!m.is_negative());
        }
    }
}
