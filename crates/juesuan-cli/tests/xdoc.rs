//! `juesuan audit` of several documents of one department, end to end (issue 17, part 3): a
//! year's 决算 and the year before's, built as the report pages `juesuan build` writes, are
//! each audited and reconciled by the R rules of `data/kinds/final-accounts/reconcile.toml`.
//!
//! The set: `fixtures/xdoc/three-units-2023.toml` (N−1) and `examples/three-units-2024.toml`
//! (N) with, as its last-year figures (`prior_year`), the figures N−1's build reports — so the
//! unmodified set is consistent and gives no R finding. Then one printed figure is changed at a
//! time — a 年末结转 of N−1, a 年末 balance of one fund, a growth rate and a change in N's
//! narrative, a last-year amount N's narrative states — and each must be caught by its rule,
//! naming both documents; an adjustment the narrative states makes the difference a warning.

mod support;

use serde_json::Value;
use std::path::{Path, PathBuf};
use support::{audit_json as audit, juesuan, repo};

/// The figures N's input takes from N−1 (`prior_year.<key>` = N−1's figure `<key>`).
const PRIOR: &[&str] = &[
    "grand_total",
    "income",
    "expenditure",
    "fiscal_grand_total",
    "general_budget_income",
    "general_budget_expenditure",
];

/// Builds N−1 and N (N's last-year figures from N−1's report.json) as report pages in `dir`;
/// returns (N's page, N−1's page).
fn build(dir: &Path) -> (PathBuf, PathBuf) {
    let run = |input: &Path, out: &Path| {
        let o = juesuan()
            .args(["build", "--format", "html,json", "-q", "-o"])
            .arg(out)
            .arg(input)
            .output()
            .unwrap();
        assert!(o.status.success(), "{o:?}");
    };
    let last = repo().join("fixtures/xdoc/three-units-2023.toml");
    run(&last, &dir.join("b2023"));
    let report: Value = serde_json::from_slice(
        &std::fs::read(dir.join("b2023/three-units-2023.report.json")).unwrap(),
    )
    .unwrap();
    let mut input = std::fs::read_to_string(repo().join("examples/three-units-2024.toml")).unwrap();
    input.push('\n');
    for key in PRIOR {
        let v = report["figures"][key]["value"]["value"].as_str().unwrap();
        input.push_str(&format!("prior_year.{key} = \"{v}\"\n"));
    }
    let this = dir.join("three-units-2024.toml");
    std::fs::write(&this, input).unwrap();
    run(&this, &dir.join("b2024"));
    (
        dir.join("b2024/three-units-2024.report.html"),
        dir.join("b2023/three-units-2023.report.html"),
    )
}

/// A copy of `from` at `to` with `edit` (old, new) made once: a one-figure change.
fn edited(from: &Path, to: &Path, edit: Option<(&str, &str)>) {
    let mut text = std::fs::read_to_string(from).unwrap();
    if let Some((old, new)) = edit {
        assert_eq!(
            text.matches(old).count(),
            1,
            "{old} once in {}",
            from.display()
        );
        text = text.replace(old, new);
    }
    std::fs::write(to, text).unwrap();
}

/// The set's R findings as `rule severity`.
fn found(json: &Value) -> Vec<String> {
    json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{} {}",
                f["rule"].as_str().unwrap(),
                f["severity"].as_str().unwrap()
            )
        })
        .collect()
}

/// The set of one mutation: N and N−1 in their own folder (`y2024.html`, `y2023.html`),
/// one of them changed.
struct Case<'a> {
    name: &'a str,
    this: Option<(&'a str, &'a str)>,
    last: Option<(&'a str, &'a str)>,
    expect: &'a [&'a str],
}

#[test]
fn each_one_figure_change_between_two_years_is_caught_naming_both_documents() {
    let dir = tempfile::tempdir().unwrap();
    let (this, last) = build(dir.path());
    let this_page = std::fs::read_to_string(&this).unwrap();
    let last_page = std::fs::read_to_string(&last).unwrap();
    // What the pages print, found in them rather than written here: N−1's 年末结转和结余 (line
    // 60 of the summary) and its 政府性基金 column of the appropriation summary's line 60, and
    // N's growth rate and change of total expenditure.
    let cell = |page: &str, attrs: &str| -> String {
        let at = page.find(attrs).unwrap_or_else(|| panic!("{attrs}"));
        let rest = &page[at + attrs.len()..];
        let v = &rest[1..rest.find('<').unwrap()];
        format!("{attrs}>{v}<")
    };
    let closing = cell(
        &last_page,
        r#"data-row="60" data-col="2" data-key="amount""#,
    );
    let fund = cell(
        &last_page,
        r#"data-row="60" data-col="4" data-key="gov_fund""#,
    );
    let item = cell(
        &last_page,
        r#"data-row="2070904" data-col="6" data-key="closing""#,
    );
    let growth = cell(&this_page, r#"data-figure="expenditure.growth""#);
    let change = cell(&this_page, r#"data-figure="expenditure.change""#);
    // One unit more in the last printed digit, and a bigger slip.
    let bump = |printed: &str, to: &str| {
        let v = &printed[printed.find('>').unwrap() + 1..printed.len() - 1];
        printed.replace(&format!(">{v}<"), &format!(">{to}<"))
    };
    let income_para = r#"<p>2024 年度收入合计 <span class="fig" data-figure="income">"#;
    let income_this = cell(&this_page, r#"data-figure="income""#);
    let income_last = cell(&last_page, r#"data-figure="income""#);
    let income_last = &income_last[income_last.find('>').unwrap() + 1..income_last.len() - 1];
    let income_this = &income_this[income_this.find('>').unwrap() + 1..income_this.len() - 1];
    let stated = |v: &str| format!("{income_this}</span> 万元，上年为 {v} 万元，");
    let unstated = format!("{income_this}</span> 万元，");
    assert!(this_page.contains(&format!("{income_para}{unstated}")));
    let closing_to = bump(&closing, "99.99");
    let fund_to = bump(&fund, "77.77");
    let item_to = bump(&item, "66.66");
    let growth_to = bump(&growth, "7.7%");
    let change_to = bump(&change, "1.11");
    let stated_right = stated(income_last);
    let stated_wrong = stated("1.23");
    let adjusted = format!(
        "<p>本年年初结转和结余与上年度决算年末数不同，系会计差错更正所致。</p>{income_para}"
    );
    let cases = [
        Case {
            name: "consistent",
            this: None,
            last: None,
            expect: &[],
        },
        Case {
            name: "closing",
            this: None,
            last: Some((&closing, &closing_to)),
            expect: &["R101 error"],
        },
        Case {
            name: "fund",
            this: None,
            last: Some((&fund, &fund_to)),
            expect: &["R102 error"],
        },
        Case {
            // A 政府性基金 item's 年末 balance: one finding, though both years' items are
            // walked.
            name: "item",
            this: None,
            last: Some((&item, &item_to)),
            expect: &["R103 error"],
        },
        Case {
            name: "growth",
            this: Some((&growth, &growth_to)),
            last: None,
            expect: &["R203 error"],
        },
        Case {
            name: "change",
            this: Some((&change, &change_to)),
            last: None,
            expect: &["R202 error"],
        },
        Case {
            name: "prior-right",
            this: Some((&unstated, &stated_right)),
            last: None,
            expect: &[],
        },
        Case {
            name: "prior-wrong",
            this: Some((&unstated, &stated_wrong)),
            last: None,
            expect: &["R201 error"],
        },
    ];
    for case in &cases {
        let folder = dir.path().join(case.name);
        std::fs::create_dir(&folder).unwrap();
        let (y2024, y2023) = (folder.join("y2024.html"), folder.join("y2023.html"));
        edited(&this, &y2024, case.this);
        edited(&last, &y2023, case.last);
        let (code, json) = audit(&[&y2024, &y2023]);
        let mut got = found(&json);
        got.sort();
        assert_eq!(got, case.expect, "{}: {json:#}", case.name);
        // Two documents, each audited on its own, and one pair related with every rule.
        let docs = json["documents"].as_array().unwrap();
        assert_eq!(docs.len(), 2, "{}", case.name);
        assert_eq!(docs[0]["year"], 2024);
        assert_eq!(docs[1]["year"], 2023);
        let pairs = json["pairs"].as_array().unwrap();
        assert_eq!(pairs.len(), 1, "{}: {json:#}", case.name);
        for rule in ["R101", "R102", "R103", "R202", "R203"] {
            let n = pairs[0]["checked"]
                .as_array()
                .unwrap()
                .iter()
                .find(|c| c["rule"] == rule)
                .map(|c| c["relations"].as_u64().unwrap());
            assert!(n.unwrap_or(0) > 0, "{}: {rule} checked nothing", case.name);
        }
        // Every finding names both documents: the files, their kind and year.
        for f in json["findings"].as_array().unwrap() {
            let both: Vec<(&str, i64)> = f["documents"]
                .as_array()
                .unwrap()
                .iter()
                .map(|d| (d["input"].as_str().unwrap(), d["year"].as_i64().unwrap()))
                .collect();
            assert_eq!(
                both,
                vec![
                    (y2024.to_str().unwrap(), 2024),
                    (y2023.to_str().unwrap(), 2023)
                ],
                "{}",
                case.name
            );
            let message = f["message"]["zh"].as_str().unwrap();
            assert!(
                message.contains("2024年度部门决算（y2024.html）")
                    && message.contains("2023年度部门决算（y2023.html）"),
                "{message}"
            );
        }
        // The documents' own findings are theirs (the example prints no 绩效 forms: D006);
        // the exit code counts both.
        let own_errors = docs
            .iter()
            .any(|d| d["summary"]["errors"].as_u64().unwrap() > 0);
        let expected = if own_errors || !case.expect.is_empty() {
            1
        } else {
            0
        };
        assert_eq!(code, Some(expected), "{}", case.name);
    }

    // A stated adjustment explains the difference: a warning, not an error.
    let folder = dir.path().join("adjusted");
    std::fs::create_dir(&folder).unwrap();
    let (y2024, y2023) = (folder.join("y2024.html"), folder.join("y2023.html"));
    edited(&this, &y2024, Some((income_para, &adjusted)));
    edited(&last, &y2023, Some((&closing, &closing_to)));
    let (_, json) = audit(&[&folder]);
    assert_eq!(found(&json), ["R101 warning"], "{json:#}");

    // The text names both documents, the pair and each finding's places.
    let out = juesuan().args(["audit"]).arg(&folder).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("2024年度部门决算（y2024.html） ↔ 2023年度部门决算（y2023.html）：核对"),
        "{text}"
    );
    assert!(
        text.contains("2023年度部门决算（y2023.html） 公开01表第60行"),
        "{text}"
    );
    assert!(text.contains("说明第 "), "{text}");
    // The page of the relations: the pair, and the finding with both documents' tables.
    let out = juesuan()
        .args(["audit", "--format", "html"])
        .arg(&folder)
        .output()
        .unwrap();
    let html = String::from_utf8_lossy(&out.stdout);
    assert!(
        html.contains(
            "跨文件核对：2024年度部门决算（y2024.html） ↔ 2023年度部门决算（y2023.html）"
        ) && html.contains("R101")
            && html.contains("2023年度部门决算（y2023.html） 公开01表第60行"),
        "{html}"
    );
}

#[test]
fn several_files_of_one_report_are_still_one_report() {
    // The tables page and the report page of one year are parts of one document (one kind
    // and year): audited as one, as before, with no relation to check.
    let dir = tempfile::tempdir().unwrap();
    let (this, _) = build(dir.path());
    let tables = dir.path().join("b2024/three-units-2024.tables.html");
    let (_, json) = audit(&[&this, &tables]);
    assert!(json.get("documents").is_none(), "{json:#}");
    assert_eq!(json["year"], 2024);
    // A set whose document's kind and year cannot be told is refused, naming the file.
    let stray = dir.path().join("notes.txt");
    std::fs::write(&stray, "一些说明文字\n").unwrap();
    let last = dir.path().join("b2023/three-units-2023.report.html");
    let out = juesuan()
        .arg("audit")
        .args([&this, &last, &stray])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("E0914") && err.contains("notes.txt"), "{err}");
}

#[test]
fn a_real_report_is_reconciled_with_the_year_it_compares_with() {
    // The seed's published 2023 report (its text) and a 2022 made from what that report states
    // of 2022 (fixtures/xdoc/hongshan-kjj-2022.toml): the real narrative's changes and growth
    // rates ("比 2022 年度决算数增加 13934.55 万元", "增长 64.5%") are read and agree.
    let dir = tempfile::tempdir().unwrap();
    let o = juesuan()
        .args(["build", "--format", "html", "-q", "-o"])
        .arg(dir.path().join("b"))
        .arg(repo().join("fixtures/xdoc/hongshan-kjj-2022.toml"))
        .output()
        .unwrap();
    assert!(o.status.success(), "{o:?}");
    let last = dir.path().join("b/hongshan-kjj-2022.report.html");
    let this = repo().join("fixtures/reports/wuhan-hongshan-kjj-2023.txt");
    let set = |name: &str, this_edit: Option<(&str, &str)>, last_edit: Option<(&str, &str)>| {
        let folder = dir.path().join(name);
        std::fs::create_dir(&folder).unwrap();
        edited(&this, &folder.join("2023.txt"), this_edit);
        edited(&last, &folder.join("2022.html"), last_edit);
        let (_, json) = audit(&[&folder]);
        json
    };
    let json = set("real", None, None);
    assert_eq!(found(&json), Vec::<String>::new(), "{json:#}");
    let checked = |rule: &str| {
        json["pairs"][0]["checked"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["rule"] == rule)
            .unwrap()["relations"]
            .as_u64()
            .unwrap()
    };
    // Six changes (收支总计 … 一般公共预算财政拨款支出) and five growth rates, as printed.
    assert_eq!((checked("R202"), checked("R203")), (6, 5), "{json:#}");
    assert_eq!(
        json["pairs"][0]["report"], 1,
        "2022 sorts first in the folder"
    );

    // A change the real report states, one digit off: caught, at its line, naming both.
    let json = set(
        "change",
        Some(("收入合计增加 13934.55 万元", "收入合计增加 13934.65 万元")),
        None,
    );
    assert_eq!(found(&json), ["R202 error"], "{json:#}");
    assert_eq!(json["findings"][0]["printed_at"]["zh"], "原文第 482 行");
    // Last year's base, one digit off in last year's own table (收支总计, line 31 of its
    // summary): the change of 收、支总计 no longer agrees.
    let total = r#"data-row="31" data-col="1" data-key="amount">21,615.06<"#;
    let json = set(
        "base",
        None,
        Some((total, &total.replace("21,615.06", "21,615.16"))),
    );
    assert_eq!(found(&json), ["R202 error"], "{json:#}");
}

#[test]
fn documents_of_two_kinds_are_related_by_data_alone() {
    // The seam the 部门预算 bundle will use: the sketch kind (fixtures/kinds/budget-sketch) and
    // a relation a folder lays over the 部门决算 bundle (fixtures/xdoc/cites-sketch: a 决算
    // cites the same year's sketch budget, R901). The same facts built as both kinds agree;
    // the budget's 基本支出 one digit off is caught, naming both documents and kinds.
    let dir = tempfile::tempdir().unwrap();
    let sketch = repo().join("fixtures/kinds/budget-sketch");
    let cites = repo().join("fixtures/xdoc/cites-sketch");
    for (out, layout) in [("b", Some("budget-sketch")), ("f", None)] {
        let mut cmd = juesuan();
        cmd.args([
            "build",
            "examples/three-units-2024.toml",
            "--format",
            "html",
            "-q",
        ])
        .arg("--assets")
        .arg(&sketch)
        .arg("-o")
        .arg(dir.path().join(out));
        if let Some(l) = layout {
            cmd.args(["--layout", l]);
        }
        let o = cmd.output().unwrap();
        assert!(o.status.success(), "{o:?}");
    }
    let budget = dir.path().join("b/three-units-2024.report.html");
    let accounts = dir.path().join("f/three-units-2024.report.html");
    let basic = r#"data-row="4" data-key="amount">825.00<"#;
    for (name, edit, expect) in [
        ("same", None, Vec::<&str>::new()),
        (
            "slip",
            Some((basic, basic.replace("825.00", "825.10"))),
            vec!["R901 error"],
        ),
    ] {
        let folder = dir.path().join(name);
        std::fs::create_dir(&folder).unwrap();
        edited(&accounts, &folder.join("accounts.html"), None);
        edited(
            &budget,
            &folder.join("budget.html"),
            edit.as_ref().map(|(a, b)| (*a, b.as_str())),
        );
        let out = juesuan()
            .arg("audit")
            .arg(&folder)
            .arg("--assets")
            .arg(&sketch)
            .arg("--assets")
            .arg(&cites)
            .args(["--format", "json"])
            .output()
            .unwrap();
        let json: Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
        assert_eq!(found(&json), expect, "{name}: {json:#}");
        let pair = &json["pairs"][0];
        assert_eq!(pair["as"], "sketch", "{json:#}");
        assert_eq!(pair["checked"][0]["relations"], 1, "{json:#}");
        let kinds: Vec<&str> = json["documents"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["kind"].as_str().unwrap())
            .collect();
        assert_eq!(kinds, ["final-accounts", "budget-sketch"]);
        for f in json["findings"].as_array().unwrap() {
            let m = f["message"]["zh"].as_str().unwrap();
            assert!(
                m.contains("2024年度部门决算（accounts.html）")
                    && m.contains("2024年度部门预算（示例）（budget.html）"),
                "{m}"
            );
        }
    }
}
