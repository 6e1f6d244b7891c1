//! JSON input is the same format as TOML: converting each example to JSON (numbers kept as
//! written) and reading it back gives the same facts.

use juesuan_input::Source;
use juesuan_input::compile::catalog;
use juesuan_input::decode::read_department_year;
use juesuan_input::node::{Node, Value, parse_toml};
use std::path::PathBuf;

fn to_json(node: &Node) -> String {
    match &node.value {
        Value::Str(s) => serde_json::to_string(s).unwrap(),
        Value::Num(n) => n.replace('_', ""),
        Value::Bool(b) => b.to_string(),
        Value::Null | Value::Other(_) => "null".into(),
        Value::Array(items) => format!(
            "[{}]",
            items.iter().map(to_json).collect::<Vec<_>>().join(",")
        ),
        Value::Table(entries) => format!(
            "{{{}}}",
            entries
                .iter()
                .map(|(k, v)| format!("{}:{}", serde_json::to_string(&k.name).unwrap(), to_json(v)))
                .collect::<Vec<_>>()
                .join(",")
        ),
    }
}

#[test]
fn json_and_toml_give_the_same_facts() {
    let catalog = catalog(true, &[]).unwrap();
    for name in ["hongshan-kjj-2023", "three-units-2024"] {
        let path =
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("../../examples/{name}.toml"));
        let toml_source = Source::new(
            format!("{name}.toml"),
            std::fs::read_to_string(path).unwrap(),
        );
        let from_toml = read_department_year(&toml_source, &catalog).unwrap();
        let json_source = Source::new(
            format!("{name}.json"),
            to_json(&parse_toml(&toml_source).unwrap()),
        );
        let from_json =
            read_department_year(&json_source, &catalog).unwrap_or_else(|p| panic!("{p:#?}"));
        // Locations differ (different files); the facts themselves are equal.
        assert_eq!(
            serde_json::to_value(&from_toml).unwrap(),
            serde_json::to_value(&from_json).unwrap(),
            "{name}"
        );
    }
}
