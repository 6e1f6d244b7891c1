//! The seed report read back from its published text equals, figure for figure, the tables
//! built from the example that reproduces it.

use juesuan_core::rules::Sheet;
use std::collections::BTreeMap;

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

/// Non-zero printed figures by (table, row address, column).
fn figures(sheet: &Sheet) -> BTreeMap<(String, String, String), i128> {
    sheet
        .tables
        .iter()
        .flat_map(|t| {
            t.rows.iter().flat_map(move |r| {
                r.cells.iter().map(move |(c, f)| {
                    (
                        (t.id.key().to_string(), r.address(), c.clone()),
                        f.printed().hundredths(),
                    )
                })
            })
        })
        .filter(|(_, v)| *v != 0)
        .collect()
}

#[test]
fn the_seed_reads_back_as_built() {
    let text = std::fs::read(format!(
        "{ROOT}/fixtures/reports/wuhan-hongshan-kjj-2023.txt"
    ))
    .unwrap();
    let audit = juesuan_audit::audit("wuhan-hongshan-kjj-2023.txt", &text).unwrap();
    assert_eq!(audit.read.layout, "hubei-wuhan-2023");
    assert_eq!(audit.read.found.len(), 9);
    assert!(audit.read.unread.is_empty(), "{:#?}", audit.read.unread);
    let path = format!("{ROOT}/examples/hongshan-kjj-2023.toml");
    let built = juesuan_input::compile::compile_with_builtins(
        &path,
        &std::fs::read_to_string(&path).unwrap(),
    )
    .unwrap_or_else(|p| panic!("{p:?}"));
    let want = figures(&Sheet::from_views(&built.views).as_printed());
    let got = figures(&audit.read.sheet);
    let missing: Vec<_> = want
        .iter()
        .filter(|(k, v)| got.get(*k) != Some(v))
        .collect();
    let extra: Vec<_> = got.iter().filter(|(k, _)| !want.contains_key(*k)).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "missing or different: {missing:#?}\nextra: {extra:#?}"
    );
    assert!(want.len() > 300, "{} figures", want.len());
}
