//! `report.json` (`juesuan.report/1`) as third parties read it: valid against its published
//! schema (`schema/report.schema.json`, docs/report-json.md), and every source a figure names
//! resolves — to a cell `report.json` describes and to the cell of `report.html` with that
//! address, which prints the same amount.

mod support;

use rust_decimal::Decimal;
use scraper::{Html, Selector};
use serde_json::Value;
use std::str::FromStr;
use support::juesuan;

const SCHEMA: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../schema/report.schema.json"
);

fn build(name: &str, dir: &std::path::Path) -> (Value, String) {
    let result = juesuan()
        .args(["build", &format!("examples/{name}.toml"), "-o"])
        .arg(dir)
        .args(["--format", "html,json"])
        .output()
        .unwrap();
    assert!(
        result.status.success(),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    let json =
        serde_json::from_slice(&std::fs::read(dir.join(format!("{name}.report.json"))).unwrap())
            .unwrap();
    let html = std::fs::read_to_string(dir.join(format!("{name}.report.html"))).unwrap();
    (json, html)
}

fn schema() -> (boon::Schemas, boon::SchemaIndex) {
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    let index = compiler.compile(SCHEMA, &mut schemas).unwrap();
    (schemas, index)
}

#[test]
fn report_json_follows_its_schema_and_its_sources_resolve_to_the_page() {
    let (schemas, index) = schema();
    for name in ["hongshan-kjj-2023", "three-units-2024"] {
        let dir = tempfile::tempdir().unwrap();
        let (report, html) = build(name, dir.path());
        if let Err(e) = schemas.validate(&report, index) {
            panic!("{name}: report.json does not follow its schema: {e}");
        }
        let page = Html::parse_document(&html);
        let cells = report["cells"].as_object().unwrap();
        let mut resolved = 0;
        for (key, figure) in report["figures"].as_object().unwrap() {
            for source in figure["sources"].as_array().unwrap() {
                let source = source.as_str().unwrap();
                if source.starts_with("input:") {
                    continue;
                }
                let cell = cells
                    .get(source)
                    .unwrap_or_else(|| panic!("{name}: {key} reads {source}, not in cells"));
                let mut parts = source.splitn(3, '/');
                let (table, row, column) = (
                    parts.next().unwrap(),
                    parts.next().unwrap(),
                    parts.next().unwrap(),
                );
                // The address as the page's attributes (docs/report-json.md).
                let row_attr = if row.is_empty() {
                    ":not([data-row])".to_string()
                } else {
                    format!("[data-row=\"{row}\"]")
                };
                let selector = Selector::parse(&format!(
                    "table.report[data-table=\"{table}\"] td{row_attr}[data-key=\"{column}\"]"
                ))
                .unwrap();
                let found: Vec<_> = page.select(&selector).collect();
                assert_eq!(found.len(), 1, "{name}: {source} on the page");
                let td = found[0];
                let unit = td
                    .ancestors()
                    .filter_map(scraper::ElementRef::wrap)
                    .find_map(|e| e.value().attr("data-unit"))
                    .unwrap_or("元");
                let per = match unit {
                    "万元" => Decimal::from(10_000),
                    _ => Decimal::ONE,
                };
                // The exact amount, as the page prints it in its unit (a blank cell is none
                // or a zero the table leaves blank).
                match (cell["value"].as_str(), td.value().attr("data-value")) {
                    (Some(v), Some(printed)) => {
                        let v = Decimal::from_str(v).unwrap() / per;
                        assert_eq!(
                            v.round_dp(2),
                            Decimal::from_str(printed).unwrap(),
                            "{name}: {source}"
                        );
                    }
                    (Some(v), None) => assert!(
                        Decimal::from_str(v).unwrap().is_zero(),
                        "{name}: {source} holds {v} but prints blank"
                    ),
                    (None, printed) => {
                        assert_eq!(printed, None, "{name}: {source} blank in report.json")
                    }
                }
                for part in ["table", "row"] {
                    assert!(
                        !cell[part]["zh"].as_str().unwrap().is_empty(),
                        "{name}: {source} has no {part} name"
                    );
                }
                resolved += 1;
            }
        }
        assert!(resolved > 100, "{name}: only {resolved} sources");
        // The checks name rules that are described, and cells of the tables.
        let rules = report["rules"].as_object().unwrap();
        for (address, by_rule) in report["checks"].as_object().unwrap() {
            assert_eq!(address.matches('/').count(), 2, "{name}: {address}");
            for rule in by_rule.as_object().unwrap().keys() {
                assert!(rules.contains_key(rule), "{name}: {rule} has no title");
            }
        }
    }
}

/// The schema is not a formality: a report.json with a figure's value misspelt, a source that
/// is no address, or a field it does not define is refused.
#[test]
fn the_schema_refuses_what_it_does_not_define() {
    let (schemas, index) = schema();
    let dir = tempfile::tempdir().unwrap();
    let (report, _) = build("hongshan-kjj-2023", dir.path());
    type Mutation = (&'static str, fn(&mut Value));
    let mutations: [Mutation; 4] = [
        ("an amount as a float", |r| {
            r["figures"]["gb.class.206"]["value"]["value"] = serde_json::json!(3004865.0);
        }),
        ("a source that is no address", |r| {
            r["figures"]["gb.class.206"]["sources"][0] = "general_budget:206".into();
        }),
        ("an unknown field", |r| {
            r["figures"]["gb.class.206"]["note"] = "x".into();
        }),
        ("a definition in one language", |r| {
            r["figures"]["gb.class.206"]["definition"] = serde_json::json!({"zh": "x"});
        }),
    ];
    for (what, mutate) in mutations {
        let mut r = report.clone();
        mutate(&mut r);
        assert!(
            schemas.validate(&r, index).is_err(),
            "the schema accepts {what}"
        );
    }
}
