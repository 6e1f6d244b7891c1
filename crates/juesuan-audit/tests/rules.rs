//! The catalog's cases on published reports (`base = "published:<file>"`): the reader's own
//! rules U001 and U002 are tested here, since only the audit crate can read a report.

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

#[test]
fn cases_on_published_reports() {
    let rules = juesuan_input::builtin::rules().unwrap();
    let mut ran = 0;
    let mut problems = Vec::new();
    for rule in &rules.rules {
        let d = &rule.def;
        for (expect_fail, cases) in [(false, &d.pass), (true, &d.fail)] {
            for case in cases.iter() {
                let Some(file) = case.base.strip_prefix("published:") else {
                    continue;
                };
                let bytes = std::fs::read(format!("{ROOT}/{file}")).unwrap();
                let a = juesuan_audit::audit(file, &bytes).unwrap();
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
    assert!(u[0].found.contains("12.34"), "{:?}", u[0]);
    assert!(u[0].row_name.zh.contains('8'), "{:?}", u[0].row_name);
    // 本年收入合计 100 = line 1 100 holds, and the stray 12.34 was not added anywhere.
    assert!(
        a.findings.iter().all(|f| !f.rule.starts_with('T')),
        "{:?}",
        a.findings
    );
    assert_eq!(a.department.as_deref(), Some("示例区示例局"));
    assert_eq!(a.year, Some(2024));
}
