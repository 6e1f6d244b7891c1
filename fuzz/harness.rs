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
use juesuan_core::rules::{RuleSet, Sheet, Subject};
use juesuan_core::{Diagnostic, Lang, Location};
use juesuan_input::compile::{self, Compiled, LayoutChoice};
use juesuan_input::{Source, catalog_csv, rule_file};
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
    let catalog = built.catalog(catalog);
    let sheet = Sheet::from_views(&built.views);
    let findings = rules.check(&sheet, Some(catalog));
    let coverage = rules.coverage(&sheet, Some(catalog), Subject::Built);
    let summary = juesuan_render::findings::Summary::of(&findings, &coverage);
    juesuan_render::findings::json(&juesuan_render::findings::Report {
        format: "juesuan.findings/1",
        input: "fuzz",
        department: &built.facts.department.name,
        year: built.facts.department.year,
        summary,
        findings: &findings,
        coverage: &coverage,
        narrative: None,
    });
    juesuan_render::findings::text(&findings, summary, &coverage, Lang::En);
    juesuan_render::json::views_json(&built.views);
    juesuan_render::html::page(&built.views, Lang::Zh).expect("HTML renders");
    juesuan_render::xlsx::workbook(&built.views, Lang::En).expect("XLSX renders");
    juesuan_core::report::report_data(
        &built.facts,
        &built.views,
        catalog,
        &juesuan_input::assets::Assets::builtin()
            .expect("built-in assets")
            .final_accounts()
            .expect("the 部门决算 bundle")
            .figures,
    );
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
    match compile::compile(
        &source,
        &juesuan_input::assets::Assets::builtin().expect("built-in assets"),
        builtin_catalog(),
        &LayoutChoice::FromInput,
    ) {
        Ok(built) => publish(&built, builtin_catalog(), builtin_rules()),
        Err(problems) => assert_explained(&problems, &source),
    }
}

/// A layout file; when it loads, the sample input is laid out and published with it.
pub fn layout(bytes: &[u8]) {
    let Ok(source) = Source::from_bytes("fuzz-layout.toml", bytes) else {
        return;
    };
    let assets = juesuan_input::assets::Assets::builtin().expect("built-in assets");
    match assets.load_layout(&source) {
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
                    catalog: None,
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
    let assets = juesuan_input::assets::Assets::builtin().expect("built-in assets");
    let bundle = assets.final_accounts().expect("the 部门决算 bundle");
    match rule_file::load(&source, &bundle.kind) {
        Ok(rules) => {
            let sheet = Sheet::from_views(&sample().views);
            let findings = rules.check(&sheet, Some(builtin_catalog()));
            let coverage = rules.coverage(&sheet, Some(builtin_catalog()), Subject::Built);
            let summary = juesuan_render::findings::Summary::of(&findings, &coverage);
            juesuan_render::findings::text(&findings, summary, &coverage, Lang::Zh);
            juesuan_render::findings::reference(&rules, "", "fuzz-rules.toml");
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
            if let Ok(built) = compile::compile(
                &input,
                &juesuan_input::assets::Assets::builtin().expect("built-in assets"),
                &catalog,
                &LayoutChoice::FromInput,
            ) {
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

/// A department-year workbook (any bytes: XLSX, XLS, ODS or junk), read, compiled and
/// published; when it reads, the template filled from it is written too.
pub fn workbook(bytes: &[u8]) {
    let name = "fuzz.xlsx";
    let empty = Source::new(name, "");
    if let Ok(tree) = juesuan_input::workbook::read(name, bytes) {
        juesuan_render::template::template(&juesuan_render::template::Options {
            catalog: builtin_catalog(),
            from: Some(&tree),
            lang: Lang::Zh,
        })
        .expect("a workbook that reads fills the template");
    }
    match compile::compile_bytes(
        name,
        bytes,
        &juesuan_input::assets::Assets::builtin().expect("built-in assets"),
        builtin_catalog(),
        &LayoutChoice::FromInput,
    ) {
        Ok(built) => publish(&built, builtin_catalog(), builtin_rules()),
        Err(problems) => assert_explained(&problems, &empty),
    }
}

/// Reads `bytes` as instructions for a workbook — sheets named as the template names them (or
/// not), header labels, values of every kind a cell holds (codes, choices, numbers, texts,
/// formulas with and without values, Excel errors, dates, booleans), merged ranges — writes it
/// and runs [`workbook`] on it. Byte mutations of a ZIP rarely get past its checksums; this
/// reaches the reader's own logic.
pub fn workbook_cells(bytes: &[u8]) {
    use juesuan_input::workbook::Book;
    use rust_xlsxwriter::{ExcelDateTime, Formula, Workbook};
    const VALUES: &[&str] = &[
        "合计",
        "Total",
        "本级",
        "一般公共预算财政拨款",
        "事业收入",
        "基本支出",
        "项目支出",
        "年初结转和结余",
        "年末结转和结余",
        "2060101 行政运行",
        "2060101",
        "行政运行",
        "206",
        "30101",
        "30101 基本工资",
        "2099999",
        "元",
        "万元",
        "测试局",
        "hubei-wuhan-2023",
        "1",
        "2",
        "9",
        "-5",
        "35,549.61",
        "0.005",
        "1e400",
        "abc",
        "",
        " ",
        "产出指标",
        "数量指标",
        "无",
        "name",
        "year",
        "amount_unit",
        "amount",
        "序号",
        "所属序号",
        "duties",
    ];
    let book = Book::new();
    let mut names: Vec<String> = book
        .sheets
        .iter()
        .flat_map(|s| [s.name.zh.to_string(), s.name.en.to_string()])
        .collect();
    names.extend(["说明", "核对", "Sheet1", "收人"].map(String::from));
    let labels: Vec<String> = book
        .sheets
        .iter()
        .flat_map(|s| s.columns.iter().map(|c| c.label.zh.to_string()))
        .collect();
    let mut at = 0;
    let mut next = || {
        let b = bytes.get(at).copied();
        at += 1;
        b
    };
    let mut wb = Workbook::new();
    let mut used = Vec::new();
    'sheets: while let Some(s) = next() {
        let name = &names[usize::from(s) % names.len()];
        if used.contains(name) {
            continue;
        }
        used.push(name.clone());
        let ws = wb.add_worksheet();
        ws.set_name(name).expect("a valid sheet name");
        loop {
            let (Some(op), Some(r), Some(c)) = (next(), next(), next()) else {
                break 'sheets;
            };
            let (r, c) = (u32::from(r % 24), u16::from(c % 12));
            let v = next().unwrap_or(0);
            let text = VALUES[usize::from(v) % VALUES.len()];
            let _ = match op % 12 {
                0 => break,
                1 => ws
                    .write(r, c, &labels[usize::from(v) % labels.len()])
                    .map(|_| ()),
                2 => ws.write(r, c, i32::from(v) - 100).map(|_| ()),
                // Numbers with decimals, as Excel stores them (the written decimal).
                3 => ws
                    .write(r, c, rust_decimal::Decimal::new(i64::from(v) * 12_345, 2))
                    .map(|_| ()),
                4 => ws
                    .write_formula(r, c, Formula::new("=1+1").set_result("2"))
                    .map(|_| ()),
                5 => ws
                    .write_formula(r, c, Formula::new("=1/0").set_result("#DIV/0!"))
                    .map(|_| ()),
                6 => ws
                    .write_datetime(
                        r,
                        c,
                        ExcelDateTime::from_ymd(2024, 1 + v % 12, 1).expect("a date"),
                    )
                    .map(|_| ()),
                7 => ws.write(r, c, v % 2 == 0).map(|_| ()),
                8 => ws
                    .merge_range(
                        r,
                        c,
                        r + u32::from(v % 3),
                        c + u16::from(v % 2) + 1,
                        text,
                        &Default::default(),
                    )
                    .map(|_| ()),
                9 => ws
                    .write(r, c, text.repeat(usize::from(v % 4) + 1))
                    .map(|_| ()),
                10 => ws.write(r, c, format!("{text}\n{text}")).map(|_| ()),
                _ => ws.write(r, c, text).map(|_| ()),
            };
        }
    }
    if let Ok(bytes) = wb.save_to_buffer() {
        workbook(&bytes);
    }
}

/// A published report's text (UTF-8, UTF-16 or GB18030 bytes), audited.
pub fn audit_text(bytes: &[u8]) {
    let name = "fuzz.txt";
    match juesuan_audit::audit(name, bytes) {
        Ok(a) => audited(&a),
        Err(problems) => {
            // Lines and columns count in the text as the reader decoded it.
            let text = juesuan_audit::text::decoded_text(name, bytes)
                .unwrap_or_else(|_| String::from_utf8_lossy(bytes).into_owned());
            assert_explained(&problems, &Source::new(name, text))
        }
    }
}

/// A PDF's words as `pdftotext -bbox-layout` writes them (XHTML), audited.
pub fn audit_bbox(bytes: &[u8]) {
    let name = "fuzz.pdf";
    let xhtml = String::from_utf8_lossy(bytes);
    match juesuan_audit::audit_bbox(name, &xhtml) {
        Ok(a) => audited(&a),
        Err(problems) => assert_explained(&problems, &Source::new(name, "")),
    }
}

/// A published workbook, audited.
pub fn audit_xlsx(bytes: &[u8]) {
    let name = "fuzz.xlsx";
    match juesuan_audit::audit_xlsx(name, bytes) {
        Ok(a) => audited(&a),
        Err(problems) => assert_explained(&problems, &Source::new(name, "")),
    }
}

/// What `juesuan audit` prints of an audit: the findings as text and JSON.
fn audited(a: &juesuan_audit::Audit) {
    let summary = juesuan_render::findings::Summary::of(&a.findings, &a.coverage);
    for lang in [Lang::Zh, Lang::En] {
        juesuan_render::findings::text(&a.findings, summary, &a.coverage, lang);
    }
    juesuan_render::findings::json(&juesuan_render::findings::Report {
        format: "juesuan.findings/1",
        input: "fuzz",
        department: a.department.as_deref().unwrap_or_default(),
        year: a.year.unwrap_or_default(),
        summary,
        findings: &a.findings,
        coverage: &a.coverage,
        narrative: Some(juesuan_render::findings::NarrativeJson::of(&a.narrative)),
    });
    for lang in [Lang::Zh, Lang::En] {
        juesuan_render::findings::narrative_line(&a.narrative, lang);
    }
}
