//! A family of forms other than the nine tables (`fixtures/families/four-tables`, given with
//! `--assets`): four tables with "其中" columns and lines, a 合计 printed at the top and the
//! foot, its own 行次 and no 三公 or 政府性基金 table. `build` prints it, `check` says which rules
//! did not apply (instead of passing them), and `audit` reads the printed report back — with
//! slips placed in a repeated 合计 and in a "其中" line caught. The PDF is printed by headless
//! Chromium and read back with poppler's pdftotext (`scripts/test` installs both).

mod support;

use serde_json::Value;
use std::path::{Path, PathBuf};
use support::{juesuan, repo};

fn family() -> PathBuf {
    repo().join("fixtures/families/four-tables")
}

fn json(bytes: &[u8]) -> Value {
    serde_json::from_slice(bytes).unwrap()
}

fn table<'a>(views: &'a Value, id: &str) -> &'a Value {
    views["tables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == id)
        .unwrap_or_else(|| panic!("no table {id}"))
}

/// The rows of a table's first panel.
fn rows(t: &Value) -> &Vec<Value> {
    t["panels"][0]["rows"].as_array().unwrap()
}

/// The rule ids of a findings document.
fn rules(findings: &Value) -> Vec<&str> {
    findings["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect()
}

/// Audits `file` with the family's assets, as JSON.
fn audit(file: &Path) -> Value {
    let out = juesuan()
        .args(["audit", "--format", "json"])
        .arg(file)
        .arg("--assets")
        .arg(family().join("assets"))
        .output()
        .unwrap();
    assert!(
        out.status.code().is_some_and(|c| c <= 1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    json(&out.stdout)
}

/// Why each rule that did not run wholly did not: (rule, reason, missing tables).
fn coverage(findings: &Value) -> Vec<(String, String, Vec<String>)> {
    findings["coverage"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let missing = c["missing_tables"]
                .as_array()
                .map(|m| m.iter().map(|t| t.as_str().unwrap().to_string()).collect())
                .unwrap_or_default();
            (
                c["rule"].as_str().unwrap().to_string(),
                c["reason"].as_str().unwrap().to_string(),
                missing,
            )
        })
        .collect()
}

#[test]
fn a_four_table_family_builds_checks_and_audits() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    juesuan()
        .args(["-q", "build"])
        .arg(family().join("school.toml"))
        .args(["--format", "xlsx,html,pdf,json", "--assets"])
        .arg(family().join("assets"))
        .arg("-o")
        .arg(&out)
        .assert()
        .success();

    // The family's four tables, in its order.
    let views = json(&std::fs::read(out.join("school.views.json")).unwrap());
    let ids: Vec<&str> = views["tables"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        ["summary", "income", "expenditure", "fiscal_expenditure"]
    );

    // 表1: 事业收入 printed as line 3 (national 行次 5), its "其中" line 4 under it, and the
    // lines without a national 行次 (基本支出, 项目支出) printed with the form's own numbers.
    let summary = table(&views, "summary");
    let income_lines = rows(summary);
    let business = income_lines
        .iter()
        .find(|r| r["line"] == 5)
        .expect("line 5");
    assert_eq!(business["printed_line"], "3");
    assert_eq!(business["values"][0], "3000000.00");
    let tuition = income_lines
        .iter()
        .find(|r| r["label"]["zh"] == "其中：教育收费")
        .unwrap();
    assert_eq!(
        (
            &tuition["printed_line"],
            &tuition["part_of"],
            &tuition["values"][0]
        ),
        (&"4".into(), &5.into(), &"2500000.00".into())
    );
    let spending = summary["panels"][1]["rows"].as_array().unwrap();
    let basic = spending
        .iter()
        .find(|r| r["label"]["zh"] == "一、基本支出")
        .unwrap();
    assert_eq!(
        (&basic["line"], &basic["printed_line"]),
        (&Value::Null, &"10".into())
    );
    assert_eq!(basic["values"][0], "12800000.00");

    // 表2: "其中" columns beside the source they are part of.
    let income = table(&views, "income");
    let keys: Vec<&str> = income["columns"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["key"].as_str())
        .collect();
    assert_eq!(
        keys,
        [
            "total",
            "fiscal",
            "business",
            "business.教育收费",
            "other",
            "other.捐赠收入"
        ]
    );
    assert_eq!(
        rows(income)[0]["values"],
        serde_json::json!([
            "15400000.00",
            "12000000.00",
            "3000000.00",
            "2500000.00",
            "400000.00",
            "300000.00"
        ])
    );

    // 表3: the 合计 at the top and again at the foot, the same figures, the foot marked as a
    // repeat; the "其中：基本建设" column.
    let expenditure = rows(table(&views, "expenditure"));
    let (top, foot) = (&expenditure[0], expenditure.last().unwrap());
    assert_eq!(
        (&top["label"]["zh"], &foot["label"]["zh"]),
        (&"合计".into(), &"合计".into())
    );
    assert_eq!(top["values"], foot["values"]);
    assert_eq!(foot["repeat"], true);
    assert_eq!(top["values"][3], "1200000.00");

    // 表4: every appropriation, whatever its budget.
    let fiscal = rows(table(&views, "fiscal_expenditure"));
    assert_eq!(
        fiscal[0]["values"],
        serde_json::json!(["12000000.00", "10000000.00", "2000000.00"])
    );

    // The check: nothing wrong, and the rules that did not apply are named with why — the
    // tables the family does not have, and the national lines its 收支决算总表 does not print.
    let findings = json(&std::fs::read(out.join("school.findings.json")).unwrap());
    assert_eq!(findings["summary"]["errors"], 0, "{findings:#}");
    let cov = coverage(&findings);
    let reason = |id: &str| {
        cov.iter()
            .find(|(r, _, _)| r == id)
            .map(|(_, why, missing)| (why.as_str(), missing.clone()))
    };
    assert_eq!(
        reason("T901"),
        Some(("missing_tables", vec!["sangong".into()]))
    );
    assert_eq!(
        reason("T701"),
        Some(("missing_tables", vec!["gov_fund".into()]))
    );
    assert_eq!(reason("T103"), Some(("rows_not_printed", vec![])));
    assert_eq!(reason("X104"), Some(("rows_not_printed", vec![])));
    // The family's own tables are checked: 表4's rules, the repeated 合计, the "其中" parts.
    for ran in ["T101", "T301", "T551", "T001", "T002", "X103"] {
        assert_eq!(reason(ran), None, "{ran} should have run");
    }
    let run = findings["summary"]["rules"].as_u64().unwrap();
    let not_applicable = findings["summary"]["not_applicable"].as_u64().unwrap();
    let listed = findings["coverage"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["status"] == "not_applicable")
        .count();
    assert!(run > 0 && not_applicable > 0);
    assert_eq!(not_applicable as usize, listed);

    // `check` says the same, and its text names the rules that did not apply.
    let text = juesuan()
        .arg("check")
        .arg(family().join("school.toml"))
        .arg("--assets")
        .arg(family().join("assets"))
        .output()
        .unwrap();
    assert!(text.status.success());
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains(&format!("运行规则 {run} 条（{not_applicable} 条不适用）"))
            && text.contains("T901")
            && text.contains("缺少表 财政拨款“三公”经费支出决算表")
            && text.contains("表式未列示所引的行"),
        "{text}"
    );

    // The audit reads the printed report back by the family's layout: four tables, nothing
    // wrong, whether from the PDF or the workbook.
    for file in ["school.report.pdf", "school.xlsx"] {
        let audited = audit(&out.join(file));
        assert_eq!(rules(&audited), Vec::<&str>::new(), "{file}: {audited:#}");
        let said = juesuan()
            .arg("audit")
            .arg(out.join(file))
            .arg("--assets")
            .arg(family().join("assets"))
            .output()
            .unwrap();
        let said = String::from_utf8_lossy(&said.stdout);
        assert!(
            // The department and year, from the PDF's cover and from the tables' own meta
            // line in the workbook (单位：…, as the layout prints it).
            said.starts_with("示例市第一中学 2024 年度：按 four-tables 版式读出 4 张表"),
            "{file}: {said}"
        );
    }

    // Slips a reviewer would catch, placed in the text of the printed report.
    let pdf = out.join("school.report.pdf");
    let txt = tmp.path().join("school.txt");
    let status = std::process::Command::new("pdftotext")
        .args(["-layout"])
        .arg(&pdf)
        .arg(&txt)
        .status()
        .unwrap();
    assert!(status.success());
    let text = std::fs::read_to_string(&txt).unwrap();
    let slipped = |name: &str, edit: &dyn Fn(&str) -> String| {
        let path = tmp.path().join(name);
        let changed = edit(&text);
        assert_ne!(changed, text, "{name}: the slip was not placed");
        std::fs::write(&path, changed).unwrap();
        rules(&audit(&path))
            .into_iter()
            .map(String::from)
            .collect::<Vec<_>>()
    };
    // The 合计 at the foot of 表3 disagrees with the one at its top.
    let foot = slipped("foot.txt", &|t| {
        let table = t.find("表3").unwrap();
        let end = table + t[table..].find("表4").unwrap();
        let at = table + t[table..end].rfind("合计").unwrap();
        let amount = at + t[at..].find("1,280.00").unwrap();
        format!("{}1,208.00{}", &t[..amount], &t[amount + 8..])
    });
    assert_eq!(foot, ["T001"]);
    // Both printings changed alike: the 合计 no longer adds up, nor agrees with 表1.
    let both = slipped("both.txt", &|t| {
        let table = t.find("表3").unwrap();
        let end = table + t[table..].find("表4").unwrap();
        let body = t[table..end]
            .lines()
            .map(|l| {
                if l.trim_start().starts_with("合计") {
                    l.replace("1,510.00", "1,501.00")
                        .replace("1,280.00", "1,271.00")
                } else {
                    l.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join("\n");
        format!("{}{body}{}", &t[..table], &t[end..])
    });
    assert!(both.contains(&"X103".to_string()), "{both:?}");
    assert!(!both.contains(&"T001".to_string()), "{both:?}");
    // A "其中" line more than the line it is part of.
    let part = slipped("part.txt", &|t| {
        let at = t.find("其中：教育收费").unwrap();
        let amount = at + t[at..].find("250.00").unwrap();
        format!("{}350.00{}", &t[..amount], &t[amount + 6..])
    });
    assert_eq!(part, ["T002"]);
}
