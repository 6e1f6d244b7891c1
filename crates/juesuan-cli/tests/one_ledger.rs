//! One ledger, two documents: `build --with-layout` writes the 部门决算 and the 部门预算 of one
//! input that carries budget and actual facts together
//! (fixtures/xdoc/one-ledger-2025.toml), and the 决算's 年初预算 are the budget's own by
//! construction: the audit of the two outputs as a set finds every relation between them true
//! (R301), and a one-figure change to either side is caught, naming both documents.

mod support;

use std::path::{Path, PathBuf};
use support::{juesuan, succeeds};

const INPUT: &str = "fixtures/xdoc/one-ledger-2025.toml";
const BUDGET_LAYOUT: &str = "shanghai-putuo-2025";

/// Builds both documents of the input into `dir`; their report pages.
fn build(dir: &Path) -> (PathBuf, PathBuf) {
    succeeds(
        juesuan()
            .args(["build", INPUT, "--with-layout", BUDGET_LAYOUT, "-o"])
            .arg(dir)
            .args(["--format", "html,json"]),
    );
    (
        dir.join("one-ledger-2025.report.html"),
        dir.join(format!("one-ledger-2025.{BUDGET_LAYOUT}.report.html")),
    )
}

fn figures(report_json: &Path) -> serde_json::Map<String, serde_json::Value> {
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(report_json).unwrap()).unwrap();
    v["figures"].as_object().unwrap().clone()
}

/// The audit of the set as JSON.
fn audit(files: &[&Path]) -> serde_json::Value {
    support::audit_json(files).1
}

/// How many relations rule `rule` checked over every pair of the set.
fn relations_checked(audit: &serde_json::Value, rule: &str) -> u64 {
    audit["pairs"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["checked"].as_array().cloned().unwrap_or_default())
        .filter(|c| c["rule"] == rule)
        .map(|c| c["relations"].as_u64().unwrap_or(0))
        .sum()
}

/// The cross-document findings: (rule, severity, message).
fn relations(audit: &serde_json::Value) -> Vec<(String, String, String)> {
    audit["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"].as_str().is_some_and(|r| r.starts_with('R')))
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["severity"].as_str().unwrap_or_default().to_string(),
                f.to_string(),
            )
        })
        .collect()
}

#[test]
fn the_final_accounts_initial_budgets_are_the_budgets_own() {
    let dir = tempfile::tempdir().unwrap();
    build(dir.path());
    let fa = figures(&dir.path().join("one-ledger-2025.report.json"));
    let b = figures(
        &dir.path()
            .join(format!("one-ledger-2025.{BUDGET_LAYOUT}.report.json")),
    );
    let value = |m: &serde_json::Map<String, serde_json::Value>, k: &str| {
        m.get(k)
            .unwrap_or_else(|| panic!("no figure {k}"))
            .get("value")
            .cloned()
    };
    let items: Vec<&String> = b
        .keys()
        .filter(|k| k.starts_with("gb.item.") && k.ends_with(".actual"))
        .collect();
    assert!(items.len() >= 10, "{items:?}");
    for k in items {
        let item = k.trim_end_matches(".actual");
        assert_eq!(
            value(&fa, &format!("{item}.budget")),
            value(&b, k),
            "{item}"
        );
    }
    assert_eq!(
        value(&fa, "gb.budget_total"),
        value(&b, "general_budget_expenditure")
    );
    assert_eq!(value(&fa, "sangong.budget"), value(&b, "sangong.actual"));
    // The 决算's actual differs from its budget where the fixture says (2010608).
    assert_ne!(
        value(&fa, "gb.item.2010608.actual"),
        value(&fa, "gb.item.2010608.budget")
    );
}

#[test]
fn the_two_documents_reconcile_and_a_changed_figure_is_caught_naming_both() {
    let dir = tempfile::tempdir().unwrap();
    let (fa, budget) = build(dir.path());
    let clean = audit(&[&fa, &budget]);
    assert_eq!(
        clean["documents"].as_array().map(Vec::len),
        Some(2),
        "{clean:#}"
    );
    let errors: Vec<_> = relations(&clean)
        .into_iter()
        .filter(|(_, s, _)| s == "error")
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let checked = relations_checked(&clean, "R301");
    assert!(checked >= 10, "R301 checked {checked} relations");
    let sangong = relations_checked(&clean, "R302");
    assert_eq!(sangong, 6, "R302: the six budget columns of the 三公 table");

    // The budget's 三公 table one figure off: R302 against the 决算's 预算数 column.
    let page = std::fs::read_to_string(&budget).unwrap();
    let cell = r#"data-value="0.95" data-key="reception">0.95<"#;
    assert!(page.contains(cell), "the budget's 公务接待费 0.95");
    let changed = dir.path().join("sangong-changed.report.html");
    std::fs::write(
        &changed,
        page.replace(cell, r#"data-value="1.05" data-key="reception">1.05<"#),
    )
    .unwrap();
    let found = relations(&audit(&[&fa, &changed]));
    assert!(
        found.iter().any(|(r, s, t)| r == "R302"
            && s == "error"
            && t.contains("sangong-changed.report.html")
            && t.contains("one-ledger-2025.report.html")),
        "{found:#?}"
    );

    // A 年初预算 the 决算 states, one figure off: R301, naming both documents.
    let page = std::fs::read_to_string(&fa).unwrap();
    let from = "data-figure=\"gb.item.2010601.budget\">1623.18<";
    assert!(page.contains(from));
    let changed = dir.path().join("changed.report.html");
    std::fs::write(
        &changed,
        page.replacen(from, "data-figure=\"gb.item.2010601.budget\">1623.28<", 1),
    )
    .unwrap();
    let found = relations(&audit(&[&changed, &budget]));
    assert_eq!(found.len(), 1, "{found:#?}");
    let (rule, severity, text) = &found[0];
    assert_eq!((rule.as_str(), severity.as_str()), ("R301", "error"));
    for name in [
        "changed.report.html",
        "one-ledger-2025.shanghai-putuo-2025.report.html",
    ] {
        assert!(text.contains(name), "{name} not named: {text}");
    }
    assert!(text.contains("1623.28"), "{text}");

    // The budget's own figure changed instead: the same relation fails from the other side.
    let page = std::fs::read_to_string(&budget).unwrap();
    let cell = "data-value=\"16231840.80\"";
    assert!(
        page.contains(cell),
        "the budget prints 2010601's 16,231,840.80"
    );
    let changed = dir.path().join("budget-changed.report.html");
    std::fs::write(
        &changed,
        page.replace(cell, "data-value=\"16231940.80\"")
            .replace("16,231,840.80", "16,231,940.80"),
    )
    .unwrap();
    let found = relations(&audit(&[&fa, &changed]));
    assert!(
        found.iter().any(|(r, s, t)| r == "R301"
            && s == "error"
            && t.contains("budget-changed.report.html")
            && t.contains("one-ledger-2025.report.html")),
        "{found:#?}"
    );
}

#[test]
fn an_initial_budget_the_input_writes_must_be_its_budgets() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(support::repo().join(INPUT)).unwrap();
    let from = "{ function = \"2010602\", uses = \"财政业务指导与宣传\" }";
    assert!(text.contains(from));
    let input = dir.path().join("wrong.toml");
    std::fs::write(
        &input,
        text.replace(
            from,
            "{ function = \"2010602\", initial = 120000.00, uses = \"财政业务指导与宣传\" }",
        ),
    )
    .unwrap();
    let out = juesuan()
        .arg("build")
        .arg(&input)
        .arg("-o")
        .arg(dir.path().join("out"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("E0221") && err.contains("wrong.toml:"),
        "{err}"
    );
    assert!(
        err.contains("100000.00") && err.contains("120000.00"),
        "{err}"
    );
    assert!(!dir.path().join("out").exists());
}

#[test]
fn the_ledger_round_trips_through_the_excel_template_with_both_documents_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("ledger.xlsx");
    succeeds(
        juesuan()
            .args(["init", "--xlsx"])
            .arg(&book)
            .args(["--from", INPUT]),
    );
    let (from_toml, from_book) = (dir.path().join("toml"), dir.path().join("book"));
    build(&from_toml);
    succeeds(
        juesuan()
            .arg("build")
            .arg(&book)
            .args(["--with-layout", BUDGET_LAYOUT, "-o"])
            .arg(&from_book)
            .args(["--format", "html,json"]),
    );
    for suffix in ["views.json", &format!("{BUDGET_LAYOUT}.views.json")] {
        let a = std::fs::read(from_toml.join(format!("one-ledger-2025.{suffix}"))).unwrap();
        let b = std::fs::read(from_book.join(format!("ledger.{suffix}"))).unwrap();
        assert!(
            a == b,
            "{suffix} differs when the ledger comes from the workbook"
        );
    }
}
