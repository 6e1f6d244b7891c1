//! The input template workbook: every bundled example → workbook → build gives the same views
//! and report as building the example directly; a workbook's mistakes are located at their
//! `sheet!cell`.

use juesuan_core::{Catalog, Diagnostic, Lang};
use juesuan_input::compile::{self, LayoutChoice};
use juesuan_input::{Source, decode::parse_document};
use juesuan_render::template::{Options, template};
/// The repository.
const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

fn catalog() -> Catalog {
    compile::catalog(true, &[]).unwrap()
}

fn example(name: &str) -> String {
    std::fs::read_to_string(format!("{ROOT}/examples/{name}")).unwrap()
}

/// The template filled from `text`.
fn workbook(text: &str, lang: Lang) -> Vec<u8> {
    let source = Source::new("input.toml", text);
    let tree = parse_document(&source).unwrap();
    template(&Options {
        catalog: &catalog(),
        from: Some(&tree),
        lang,
    })
    .unwrap()
}

/// The three-unit example with `from` replaced by `to` once.
fn three_units_with(from: &str, to: &str) -> String {
    let text = example("three-units-2024.toml");
    // A change that finds nothing to change would make its test pass vacuously.
    assert!(text.contains(from), "the example has no {from:?}");
    text.replacen(from, to, 1)
}

fn errors(name: &str, bytes: &[u8]) -> Vec<Diagnostic> {
    compile::compile_bytes(
        name,
        bytes,
        &juesuan_input::assets::Assets::builtin().unwrap(),
        &catalog(),
        &LayoutChoice::FromInput,
    )
    .unwrap_err()
}

fn located(d: &[Diagnostic]) -> Vec<String> {
    d.iter()
        .map(|d| format!("{} {}", d.code, d.location))
        .collect()
}

#[test]
fn every_example_round_trips_through_the_workbook() {
    let catalog = catalog();
    let mut examples: Vec<String> = std::fs::read_dir(format!("{ROOT}/examples"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".toml"))
        .collect();
    examples.sort();
    assert!(examples.len() >= 2, "{examples:?}");
    for name in examples {
        let text = example(&name);
        let direct = compile::compile(
            &Source::new(name.clone(), text.clone()),
            &juesuan_input::assets::Assets::builtin().unwrap(),
            &catalog,
            &LayoutChoice::FromInput,
        )
        .unwrap();
        for lang in [Lang::Zh, Lang::En] {
            let bytes = workbook(&text, lang);
            let via = compile::compile_bytes(
                "input.xlsx",
                &bytes,
                &juesuan_input::assets::Assets::builtin().unwrap(),
                &catalog,
                &LayoutChoice::FromInput,
            )
            .unwrap_or_else(|d| panic!("{name} ({lang:?}): {:#?}", located(&d)));
            assert_eq!(
                juesuan_render::json::views_json(&via.views),
                juesuan_render::json::views_json(&direct.views),
                "{name} ({lang:?}): views differ"
            );
            // Not only the tables: every fact and text of the report survives.
            assert_eq!(
                without_locations(&format!("{:?}", via.facts)),
                without_locations(&format!("{:?}", direct.facts)),
                "{name} ({lang:?}): facts differ"
            );
            // A workbook filled from the workbook is the same workbook.
            let tree = juesuan_input::workbook::read("input.xlsx", &bytes).unwrap();
            let again = template(&Options {
                catalog: &catalog,
                from: Some(&tree),
                lang,
            })
            .unwrap();
            assert!(
                again == bytes,
                "{name} ({lang:?}): template → read → template changed"
            );
        }
    }
}

#[test]
fn the_empty_template_reads_as_an_input_without_a_department() {
    let bytes = template(&Options {
        catalog: &catalog(),
        from: None,
        lang: Lang::Zh,
    })
    .unwrap();
    // Every sheet is there and empty: what is missing is the department's required fields.
    let d = errors("empty.xlsx", &bytes);
    assert!(
        d.iter().all(|d| d.code == "E0202" || d.code == "E0203"),
        "{:#?}",
        located(&d)
    );
    assert!(!d.is_empty());
}

#[test]
fn a_wrong_code_is_located_with_the_nearest_candidates() {
    let text = three_units_with(
        "function = \"2070112 文化和旅游市场管理\"",
        "function = \"2070188 文化和旅游市场管理\"",
    );
    let d = errors("w.xlsx", &workbook(&text, Lang::Zh));
    assert_eq!(located(&d), ["E0211 w.xlsx: 收入!C5"], "{d:#?}");
    let rendered = d[0].render(Lang::Zh);
    assert!(
        rendered.contains("2070112"),
        "nearest code offered: {rendered}"
    );
}

#[test]
fn a_name_alone_is_matched_and_a_wrong_name_rejected() {
    let text = three_units_with(
        "function = \"2070112 文化和旅游市场管理\"",
        "function = \"文化和旅游市场管理\"",
    );
    let bytes = workbook(&text, Lang::Zh);
    compile::compile_bytes(
        "w.xlsx",
        &bytes,
        &juesuan_input::assets::Assets::builtin().unwrap(),
        &catalog(),
        &LayoutChoice::FromInput,
    )
    .unwrap();
    let text = three_units_with(
        "function = \"2070112 文化和旅游市场管理\"",
        "function = \"文化旅游市场管理事务\"",
    );
    let d = errors("w.xlsx", &workbook(&text, Lang::Zh));
    assert_eq!(d.len(), 1, "{d:#?}");
    assert!(d[0].location.to_string().ends_with("收入!C5"), "{d:#?}");
    assert!(
        d[0].render(Lang::Zh).contains("2070112"),
        "{}",
        d[0].render(Lang::Zh)
    );
}

#[test]
fn text_in_an_amount_cell_is_located() {
    let text = three_units_with("amount = \"850,000.00\"", "amount = \"八十五万\"");
    let d = errors("w.xlsx", &workbook(&text, Lang::En));
    assert_eq!(located(&d), ["E0205 w.xlsx: Income!F5"], "{d:#?}");
    assert!(d[0].render(Lang::En).contains("八十五万"));
}

#[test]
fn every_bad_workbook_fixture_is_current() {
    // fixtures/bad-input/*.xlsx are written by `cargo run -p juesuan-render --example
    // bad_workbooks`; they must be what it writes today.
    let dir = tempfile_dir();
    let status = std::process::Command::new(env!("CARGO"))
        .args([
            "run",
            "-q",
            "-p",
            "juesuan-render",
            "--example",
            "bad_workbooks",
            "--",
        ])
        .arg(&dir)
        .status()
        .unwrap();
    assert!(status.success());
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let committed = std::fs::read(format!("{ROOT}/fixtures/bad-input/{name}"))
            .unwrap_or_else(|_| panic!("fixtures/bad-input/{name} missing: run the example"));
        assert!(
            committed == std::fs::read(&path).unwrap(),
            "fixtures/bad-input/{name} is stale: run `cargo run -p juesuan-render --example bad_workbooks`"
        );
        n += 1;
    }
    assert!(n >= 10, "{n} fixtures");
    let _ = std::fs::remove_dir_all(&dir);
}

/// A Debug dump without its `location: …` fields (a cell in one, a line in the other).
fn without_locations(debug: &str) -> String {
    let mut out = String::new();
    let mut rest = debug;
    while let Some(at) = rest.find("location: ") {
        out.push_str(&rest[..at]);
        let after = &rest[at..];
        let end = after.find('}').map_or(after.len(), |e| e + 1);
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

fn tempfile_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("juesuan-bad-workbooks-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
