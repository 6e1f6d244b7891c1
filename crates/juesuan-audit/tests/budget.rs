//! The real budget disclosures of fixtures/budget, audited from their PDFs (through
//! `pdftotext -bbox-layout`): exactly the errors and warnings recorded, each checked by hand, in
//! fixtures/budget/audit-expect.toml, and the README defects it says are found.

use std::collections::BTreeMap;
use std::process::Command;

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

fn bbox(file: &str) -> String {
    let out = Command::new("pdftotext")
        .args([
            "-q",
            "-bbox-layout",
            &format!("{ROOT}/fixtures/budget/{file}"),
            "-",
        ])
        .output()
        .expect("pdftotext (poppler-utils; scripts/test installs it)");
    assert!(out.status.success(), "pdftotext failed on {file}");
    String::from_utf8(out.stdout).expect("UTF-8")
}

/// A finding's place as the record writes it: a table's `table/row/column`, a narrative's
/// `line N`.
fn place(location: &str) -> String {
    match location.strip_prefix("narrative/") {
        Some(rest) => format!("line {}", rest.split('/').next().unwrap_or("")),
        None => location.to_string(),
    }
}

#[test]
fn budget_pdfs_give_exactly_their_recorded_findings() {
    let text =
        std::fs::read_to_string(format!("{ROOT}/fixtures/budget/audit-expect.toml")).unwrap();
    let record: toml::Value = toml::from_str(&text).unwrap();
    let docs = record["document"].as_array().unwrap();
    let mut problems = Vec::new();
    let (mut found, mut listed, mut false_alarms) = (0, 0, 0);
    for d in docs {
        let file = d["file"].as_str().unwrap();
        // Every PDF a shipped layout reads; the record says why the others are not compared
        // (07: text only, its cells glued; 10: no layout reads its titles yet).
        if d.get("compared").and_then(|c| c.as_bool()) == Some(false) {
            continue;
        }
        let a = juesuan_audit::audit_bbox(file, &bbox(file))
            .unwrap_or_else(|e| panic!("{file}: {e:?}"));
        let tables = d.get("tables").and_then(|t| t.as_integer()).unwrap_or(9);
        if a.read.found.len() as i64 != tables {
            problems.push(format!(
                "{file}: {} tables read, recorded {tables}",
                a.read.found.len()
            ));
        }
        let mut got: BTreeMap<(String, String), usize> = BTreeMap::new();
        for f in a
            .findings
            .iter()
            .filter(|f| !matches!(f.severity, juesuan_core::diag::Severity::Info))
        {
            *got.entry((f.rule.clone(), place(&f.location().to_string())))
                .or_default() += 1;
        }
        let mut want: BTreeMap<(String, String), usize> = BTreeMap::new();
        for f in d
            .get("finding")
            .and_then(|f| f.as_array())
            .into_iter()
            .flatten()
        {
            *want
                .entry((
                    f["rule"].as_str().unwrap().to_string(),
                    f["at"].as_str().unwrap().to_string(),
                ))
                .or_default() += 1;
            false_alarms += usize::from(f["false_alarm"].as_bool().unwrap());
        }
        if got != want {
            problems.push(format!("{file}:\n  found    {got:?}\n  recorded {want:?}"));
        }
        for r in d["readme_defects"].as_array().unwrap() {
            listed += 1;
            found += usize::from(r["found"].as_bool().unwrap());
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // What the record claims, so that a change in either shows here: README defects found of
    // those listed, and the findings still recorded as false alarms.
    assert_eq!((found, listed, false_alarms), (15, 24, 0));
}

/// A real pair: 万里街道's 2024 budget (04) states its change over the 2023 budget (03,
/// "比2023年预算减少876.75万元"); audited together, the two agree, and the change one figure off
/// is caught (R401), naming both documents.
#[test]
fn a_real_budget_pair_reconciles_and_a_changed_base_is_caught() {
    use juesuan_audit::xdoc::Doc;
    let auditor = juesuan_audit::Auditor::builtin().unwrap();
    let (f03, f04) = (
        "03_shanghai-putuo-wljd-2023-budget.pdf",
        "04_shanghai-putuo-wljd-2024-budget.pdf",
    );
    let a03 = auditor.audit_bbox(f03, &bbox(f03)).unwrap();
    let relate = |xhtml: &str| {
        let a04 = auditor.audit_bbox(f04, xhtml).unwrap();
        assert_eq!((a03.year, a04.year), (Some(2023), Some(2024)));
        let r = auditor.reconcile(&[
            Doc {
                file: f03,
                audit: &a03,
            },
            Doc {
                file: f04,
                audit: &a04,
            },
        ]);
        let checked: usize = r
            .pairs
            .iter()
            .flat_map(|p| p.checked.iter())
            .filter(|(rule, _)| rule == "R401")
            .map(|(_, n)| n)
            .sum();
        let found: Vec<String> = r
            .findings
            .iter()
            .map(|(_, f)| {
                format!(
                    "{} {:?} {} {}",
                    f.rule,
                    f.severity,
                    f.message.zh,
                    f.formula().zh
                )
            })
            .collect();
        (checked, found)
    };
    let page = bbox(f04);
    let (checked, found) = relate(&page);
    assert!(checked >= 2, "R401 checked {checked}");
    assert!(found.is_empty(), "{found:#?}");

    let from = "比2023年预算减少876.75万元；政府性基金";
    assert!(page.contains(from));
    let (_, found) = relate(&page.replacen(from, "比2023年预算减少876.85万元；政府性基金", 1));
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(found[0].starts_with("R401 Error"), "{found:#?}");
    for file in [f03, f04] {
        assert!(found[0].contains(file), "{file} not named: {found:#?}");
    }
}
