//! What every fuzz target checks, one function per reader. Shared by the cargo-fuzz targets
//! (`fuzz/fuzz_targets/`) and by the test that replays the committed corpora and every crash
//! found (`crates/juesuan-cli/tests/fuzz_corpus.rs`), so CI proves what the fuzzers proved.
//!
//! Beyond "no panic", each function checks the promise the readers make to people: a rejected
//! input gets at least one diagnostic, every diagnostic has a documented code and a location
//! inside the file (or a table cell), and no "internal error" (E0218) is ever reached.

// Each fuzz target (and the replaying test) uses only part of it.
#![allow(dead_code)]

use juesuan_core::catalog::Catalog;
use juesuan_core::money::{AmountUnit, Money};
use juesuan_core::rules::{RuleSet, Sheet};
use juesuan_core::{Diagnostic, Lang, Location};
use juesuan_input::compile::{self, Compiled, LayoutChoice};
use juesuan_input::{Source, catalog_csv, layout_file, rule_file};
use std::sync::OnceLock;

/// A valid input every layout, rule and catalog target runs against once its file parsed.
const SAMPLE: (&str, &str) = (
    "examples/three-units-2024.toml",
    include_str!("../examples/three-units-2024.toml"),
);

/// The error codes the documentation lists (`docs/errors.md`).
const ERRORS_DOC: &str = include_str!("../docs/errors.md");

fn builtin_catalog() -> &'static Catalog {
    static C: OnceLock<Catalog> = OnceLock::new();
    C.get_or_init(|| compile::catalog(true, &[]).expect("built-in catalog"))
}

fn builtin_rules() -> &'static RuleSet {
    static R: OnceLock<RuleSet> = OnceLock::new();
    R.get_or_init(|| juesuan_input::builtin::rules().expect("built-in rules"))
}

fn sample() -> &'static Compiled {
    static S: OnceLock<Compiled> = OnceLock::new();
    S.get_or_init(|| compile::compile_with_builtins(SAMPLE.0, SAMPLE.1).expect("sample input"))
}

fn documented(code: &str) -> bool {
    ERRORS_DOC
        .lines()
        .any(|l| l.starts_with(&format!("| {code} |")))
}

/// True when `loc` points inside `source`: an existing line, a column at most one past its
/// last character.
pub fn inside(loc: &Location, source: &Source) -> bool {
    match loc {
        Location::Text { file, line, col } => {
            let Some(text) = (*line as usize)
                .checked_sub(1)
                .and_then(|i| source.text.split('\n').nth(i))
            else {
                return false;
            };
            *col >= 1 && file == &source.name && *col as usize <= text.chars().count() + 1
        }
        // A cell of a table (layouts, views): located by table, row and column.
        Location::View { .. } | Location::Cell { .. } => true,
        // The whole file, or one entry of it (`rules.toml#T101`).
        Location::File { file } => {
            file == &source.name || file.starts_with(&format!("{}#", source.name))
        }
        Location::Nowhere => false,
    }
}

/// Panics unless `problems` is a non-empty list of documented, located, renderable errors.
pub fn assert_explained(problems: &[Diagnostic], source: &Source) {
    assert!(!problems.is_empty(), "rejected without a diagnostic");
    for d in problems {
        assert!(documented(d.code), "undocumented code {}", d.code);
        assert_ne!(d.code, "E0218", "internal error reached: {d:?}");
        assert!(
            inside(&d.location, source),
            "not located in the file: {d:?}"
        );
        for r in &d.related {
            assert!(
                inside(r, source),
                "related location outside the file: {d:?}"
            );
        }
        for lang in [Lang::Zh, Lang::En] {
            assert!(!d.render(lang).is_empty());
        }
    }
}

/// Everything `juesuan build --format xlsx,html,json` does with compiled input, in memory.
fn publish(built: &Compiled, catalog: &Catalog, rules: &RuleSet) {
    let sheet = Sheet::from_views(&built.views);
    let findings = rules.check(&sheet, Some(catalog));
    let summary = juesuan_render::findings::Summary::of(&findings, rules.rules.len());
    juesuan_render::findings::json(&juesuan_render::findings::Report {
        format: "juesuan.findings/1",
        input: "fuzz",
        department: &built.facts.department.name,
        year: built.facts.department.year,
        summary,
        findings: &findings,
    });
    juesuan_render::findings::text(&findings, summary, Lang::En);
    juesuan_render::json::views_json(&built.views);
    juesuan_render::html::page(&built.views, Lang::Zh).expect("HTML renders");
    juesuan_render::xlsx::workbook(&built.views, Lang::En).expect("XLSX renders");
    juesuan_core::report::report_data(&built.facts, &built.views, catalog);
}

/// A department-year file (TOML or JSON, as `name` says), read, compiled and published.
pub fn input(name: &str, bytes: &[u8]) {
    let source = match Source::from_bytes(name, bytes) {
        Ok(s) => s,
        Err(d) => {
            let lossy = Source::new(name, String::from_utf8_lossy(bytes));
            return assert_explained(&[d], &lossy);
        }
    };
    match compile::compile(&source, builtin_catalog(), &LayoutChoice::FromInput) {
        Ok(built) => publish(&built, builtin_catalog(), builtin_rules()),
        Err(problems) => assert_explained(&problems, &source),
    }
}

/// A layout file; when it loads, the sample input is laid out and published with it.
pub fn layout(bytes: &[u8]) {
    let Ok(source) = Source::from_bytes("fuzz-layout.toml", bytes) else {
        return;
    };
    match layout_file::load(&source) {
        Ok(layout) => {
            let s = sample();
            // Errors are fine (a layout may not fit these facts); panics are not.
            if let Ok(views) = juesuan_core::views::build_views(
                &s.facts.department,
                &s.ledger,
                builtin_catalog(),
                &layout,
            ) {
                let built = Compiled {
                    facts: s.facts.clone(),
                    ledger: s.ledger.clone(),
                    layout,
                    views,
                };
                publish(&built, builtin_catalog(), builtin_rules());
            }
        }
        Err(problems) => assert_explained(&problems, &source),
    }
}

/// A rule catalog file; when it loads, its rules check the sample's tables.
pub fn rules(bytes: &[u8]) {
    let Ok(source) = Source::from_bytes("fuzz-rules.toml", bytes) else {
        return;
    };
    match rule_file::load(&source) {
        Ok(rules) => {
            let sheet = Sheet::from_views(&sample().views);
            let findings = rules.check(&sheet, Some(builtin_catalog()));
            let summary = juesuan_render::findings::Summary::of(&findings, rules.rules.len());
            juesuan_render::findings::text(&findings, summary, Lang::Zh);
            juesuan_render::findings::reference(&rules);
        }
        Err(problems) => assert_explained(&problems, &source),
    }
}

/// A catalog CSV (alone, without the built-in one); when it is sound, the sample input is
/// compiled against it.
pub fn catalog(bytes: &[u8]) {
    let Ok(source) = Source::from_bytes("fuzz-catalog.csv", bytes) else {
        return;
    };
    match compile::catalog(false, std::slice::from_ref(&source)) {
        Ok(catalog) => {
            let mut described = catalog.clone();
            let problems = catalog_csv::load_descriptions(&source, &mut described);
            for d in &problems {
                assert!(inside(&d.location, &source), "not located: {d:?}");
            }
            let input = Source::new(SAMPLE.0, SAMPLE.1);
            if let Ok(built) = compile::compile(&input, &catalog, &LayoutChoice::FromInput) {
                publish(&built, &catalog, builtin_rules());
            }
        }
        Err(problems) => assert_explained(&problems, &source),
    }
}

/// An amount as written: it parses exactly or is refused, never rounds, never overflows, and
/// prints within half a printed hundredth.
pub fn money(bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    for unit in [AmountUnit::Yuan, AmountUnit::Wan] {
        let Ok(m) = Money::parse(&text, unit) else {
            continue;
        };
        assert!(m.fen().abs() <= Money::MAX_ABS_FEN, "{text:?} is too large");
        assert_eq!(Money::parse(&m.to_string(), AmountUnit::Yuan), Ok(m));
        for shown in [AmountUnit::Yuan, AmountUnit::Wan] {
            let step = shown.fen_per_hundredth();
            let printed = m.display_in(shown).hundredths();
            assert!(2 * (m.fen() - printed * step).abs() <= step, "{text:?}");
            let _ = m.display_in(shown).grouped();
        }
    }
}
