//! Every kind's catalog's cases on published reports (`base = "published:<file>"`): the
//! reader's own rules U001 and U002 are tested here, since only the audit crate can read a
//! report.

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

#[test]
fn cases_on_published_reports() {
    let assets = juesuan_input::assets::Assets::builtin().unwrap();
    let mut ran = 0;
    let mut problems = Vec::new();
    for rule in assets.bundles().flat_map(|b| &b.rules.rules) {
        let d = &rule.def;
        for (expect_fail, cases) in [(false, &d.pass), (true, &d.fail)] {
            for case in cases.iter() {
                let Some(file) = case.base.strip_prefix("published:") else {
                    continue;
                };
                let mut text = std::fs::read_to_string(format!("{ROOT}/{file}")).unwrap();
                for (from, to) in &case.edit {
                    assert_eq!(text.matches(from.as_str()).count(), 1, "{}: {from}", d.id);
                    text = text.replacen(from.as_str(), to, 1);
                }
                let a = juesuan_audit::audit(file, text.as_bytes()).unwrap();
                let n = a.findings.iter().filter(|f| f.rule == d.id).count();
                ran += 1;
                if expect_fail == (n == 0) {
                    problems.push(format!("{} on {file}: {n} findings", d.id));
                }
            }
        }
    }
    assert!(ran >= 4, "only {ran} cases");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn a_stray_amount_is_reported_and_not_guessed() {
    let file = "fixtures/audit/stray-amount.txt";
    let a = juesuan_audit::audit(file, &std::fs::read(format!("{ROOT}/{file}")).unwrap()).unwrap();
    let u: Vec<_> = a.findings.iter().filter(|f| f.rule == "U001").collect();
    assert_eq!(u.len(), 1);
    assert!(u[0].found().contains("12.34"), "{:?}", u[0]);
    assert!(u[0].row_name().zh.contains('8'), "{:?}", u[0].row_name());
    // 本年收入合计 100 = line 1 100 holds, and the stray 12.34 was not added anywhere.
    assert!(
        a.findings.iter().all(|f| !f.rule.starts_with('T')),
        "{:?}",
        a.findings
    );
    assert_eq!(a.department.as_deref(), Some("示例区示例局"));
    assert_eq!(a.year, Some(2024));
}

/// A line that could not be read is a place in the document (its line, its text), typed: the
/// row it belongs to is not guessed, and nothing has to be read back out of a message.
#[test]
fn a_reading_finding_keeps_its_line_and_text() {
    use juesuan_core::rules::{Detail, Place};
    let file = "fixtures/audit/stray-amount.txt";
    let a = juesuan_audit::audit(file, &std::fs::read(format!("{ROOT}/{file}")).unwrap()).unwrap();
    let u = a.findings.iter().find(|f| f.rule == "U001").unwrap();
    let Place::Cell(c) = &u.place else {
        panic!("{:?}", u.place)
    };
    assert_eq!(c.row, None, "an amount of no row");
    let p = c.source.as_ref().unwrap();
    assert_eq!(p.line, 8);
    assert_eq!(p.page, None, "a text has no pages");
    assert!(p.text.as_deref().unwrap().contains("12.34"), "{p:?}");
    assert!(matches!(u.detail, Detail::Unread { .. }));
    assert_eq!(u.source(), Some(p));
    assert_eq!(u.location().to_string(), format!("{}//", c.table.key));
}

/// An audit that found one table runs the rules of that table and says which rules had
/// nothing to check: those naming a table it did not find, the forms checks (an audit reads
/// no forms) and the narrative checks (no narrative).
#[test]
fn an_audit_of_one_table_says_which_rules_did_not_apply() {
    use juesuan_core::rules::coverage::{Reason, Status};
    let file = "fixtures/audit/stray-amount.txt";
    let a = juesuan_audit::audit(file, &std::fs::read(format!("{ROOT}/{file}")).unwrap()).unwrap();
    let cov = |id: &str| {
        a.coverage
            .rules
            .iter()
            .find(|r| r.rule == id)
            .unwrap()
            .clone()
    };
    assert_eq!(cov("T101").status, Status::Evaluated);
    assert_eq!(cov("U001").status, Status::Evaluated);
    for (id, table) in [("T201", "income"), ("X101", "income"), ("T901", "sangong")] {
        let c = cov(id);
        assert_eq!(
            (c.status, c.reason),
            (Status::NotApplicable, Some(Reason::MissingTables)),
            "{id}"
        );
        assert_eq!(c.missing_tables, [table], "{id}");
    }
    assert_eq!(cov("P101").reason, Some(Reason::NoForms));
    assert_eq!(cov("N201").reason, Some(Reason::NoClaims));
    assert_eq!(
        a.coverage.run() + a.coverage.not_applicable(),
        a.coverage.rules.len()
    );
}
