//! The 部门预算 end to end: `build examples/shanghai-putuo-czj-2025-budget.toml` writes the whole
//! budget disclosure (its text and its nine tables), and every number of its text is compared,
//! section by section, with the published budget it transcribes
//! (fixtures/budget/02_shanghai-putuo-czj-2025-budget.txt); the tables are the golden test's
//! (crates/juesuan-input/tests/golden_budget.rs).
//!
//! Numbers are read from both texts the same way (support/numbers.rs) and aligned in order.
//! Every published number must be printed equal, except the differences listed in
//! [`EXPECTED`], each with its reason.

mod support;

use support::{juesuan, numbers, succeeds};

const PUBLISHED: &str = "fixtures/budget/02_shanghai-putuo-czj-2025-budget.txt";
const PUBLISHED_PDF: &str = "fixtures/budget/02_shanghai-putuo-czj-2025-budget.pdf";
const EXAMPLE: &str = "examples/shanghai-putuo-czj-2025-budget.toml";

/// Why a published number is not what the built text prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Why {
    /// The published text states an amount its own tables contradict.
    Contradicts,
    /// The published text cuts 元 to 万元 at the second decimal (877,080 元 → 87.70) where
    /// juesuan rounds (87.71): the budget system behind these reports truncates.
    Truncated,
    /// The published text prints items 7–11 twice (end of page 7, again on page 8).
    Repeated,
    /// The published text compares the two parts of 公务用车购置及运行费 with last year's
    /// (`与2024年预算一致0万元`); the input states last year's 公务用车 only as a whole.
    PartsComparedUnknown,
}

/// The differences: (section, published number, what the build prints instead — `None` when
/// it prints nothing there —, why).
const EXPECTED: &[(&str, &str, Option<&str>, Why)] = &[
    ("编制说明", "87.70万元", Some("87.71万元"), Why::Truncated),
    // Table 5: 873,617.00 元, 87.36 万元.
    (
        "编制说明",
        "887.36万元",
        Some("87.36万元"),
        Why::Contradicts,
    ),
    ("编制说明", "0.96万元", None, Why::Repeated),
    ("编制说明", "78.21万元", None, Why::Repeated),
    ("编制说明", "204.91万元", None, Why::Repeated),
    ("编制说明", "268.77万元", None, Why::Repeated),
    ("编制说明", "887.36万元", None, Why::Repeated),
    ("编制说明", "78.21万元", Some("78.22万元"), Why::Truncated),
    ("编制说明", "204.91万元", Some("204.92万元"), Why::Truncated),
    ("编制说明", "268.77万元", Some("268.78万元"), Why::Truncated),
    // "公务用车购置费0万元，与2024年预算一致0万元"; the same of 运行费.
    ("一", "0万元", None, Why::PartsComparedUnknown),
    ("一", "0万元", None, Why::PartsComparedUnknown),
];

/// Text of a narrative block of report.json.
fn text(b: &serde_json::Value) -> String {
    match b["segments"].as_array() {
        Some(segments) => segments
            .iter()
            .map(|s| s["text"].as_str().unwrap_or_default())
            .collect(),
        None => b["text"].as_str().unwrap_or_default().to_string(),
    }
}

/// The built text's sections that carry figures: the 编制说明 (a level-1 heading) and each
/// part of 其他相关情况说明 (level 2), with their text.
fn built_sections(report: &serde_json::Value) -> Vec<(String, String)> {
    let mut sections: Vec<(String, String)> = Vec::new();
    let mut inside = false;
    for block in report["narrative"].as_array().unwrap() {
        let t = text(block);
        if block["type"] == "heading" && block["level"] == 1 {
            inside = t.ends_with("部门预算编制说明") || t == "其他相关情况说明";
            if t.ends_with("部门预算编制说明") {
                sections.push(("编制说明".into(), String::new()));
            }
            continue;
        }
        if !inside {
            continue;
        }
        if block["type"] == "heading" {
            sections.push((t, String::new()));
        } else if let Some((_, body)) = sections.last_mut() {
            body.push_str(&t);
        }
    }
    sections
}

/// The published sections: the 编制说明 from its heading to the first table, and each part of
/// 其他相关情况说明 from its heading to the next, whitespace and page markers removed.
fn published_sections(headings: &[String], year: &str) -> Vec<String> {
    let raw = std::fs::read_to_string(support::repo().join(PUBLISHED)).unwrap();
    let text: String = raw
        .lines()
        .filter(|l| !l.starts_with("=== "))
        .flat_map(|l| l.chars().filter(|c| !c.is_whitespace()))
        .collect();
    let mut out = Vec::new();
    let explanation = format!("{year}年部门预算编制说明");
    let begin = text.find(&explanation).unwrap() + explanation.len();
    let end = begin
        + text[begin..]
            .find(&format!("{year}年部门财务收支预算总表"))
            .unwrap();
    out.push(text[begin..end].to_string());
    let other = text.rfind("其他相关情况说明").unwrap();
    let rest: Vec<&String> = headings.iter().skip(1).collect();
    for (i, h) in rest.iter().enumerate() {
        let h: String = h.chars().filter(|c| !c.is_whitespace()).collect();
        let at = other
            + text[other..]
                .find(&h)
                .unwrap_or_else(|| panic!("no heading {h}"))
            + h.len();
        let end = rest
            .get(i + 1)
            .map(|n| {
                let n: String = n.chars().filter(|c| !c.is_whitespace()).collect();
                at + text[at..].find(&n).unwrap()
            })
            .unwrap_or_else(|| {
                at + text[at..]
                    .find("项目经费情况说明")
                    .unwrap_or(text.len() - at)
            });
        out.push(text[at..end].to_string());
    }
    out
}

fn build(dir: &std::path::Path, lang: &str) -> serde_json::Value {
    succeeds(juesuan().args(["build", EXAMPLE, "-o"]).arg(dir).args([
        "--format",
        "html,json,xlsx",
        "--lang",
        lang,
    ]));
    serde_json::from_str(
        &std::fs::read_to_string(dir.join("shanghai-putuo-czj-2025-budget.report.json")).unwrap(),
    )
    .unwrap()
}

#[test]
fn the_budget_text_prints_the_published_numbers_but_where_listed() {
    let dir = tempfile::tempdir().unwrap();
    let report = build(dir.path(), "zh");
    for f in ["report.html", "tables.html", "xlsx", "views.json"] {
        assert!(
            dir.path()
                .join(format!("shanghai-putuo-czj-2025-budget.{f}"))
                .exists(),
            "{f} written"
        );
    }
    let built = built_sections(&report);
    let headings: Vec<String> = built.iter().map(|(h, _)| h.clone()).collect();
    assert_eq!(
        headings,
        [
            "编制说明",
            "一、2025年“三公”经费预算情况说明",
            "二、机关运行经费预算",
            "三、政府采购预算情况",
            "四、绩效目标设置情况",
            "五、国有资产占有使用情况"
        ]
    );
    let published = published_sections(&headings, "2025");
    let (differences, compared, equal) = numbers::differences(&built, &published);
    let expected: Vec<(String, String, Option<String>)> = EXPECTED
        .iter()
        .map(|(s, p, o, _)| (s.to_string(), p.to_string(), o.map(str::to_string)))
        .collect();
    assert_eq!(
        differences, expected,
        "the built text's numbers against the published budget's ({equal} of {compared} equal)"
    );
    assert!(compared > 40, "{equal} of {compared}");

    // The numbers listed as contradicting or truncating the tables are exactly those the audit
    // of the published budget finds not holding: the list can neither hide a contradiction nor
    // excuse one the tables do not show.
    let listed: std::collections::BTreeSet<String> = EXPECTED
        .iter()
        .filter(|e| matches!(e.3, Why::Contradicts | Why::Truncated))
        .map(|e| e.1.to_string())
        .collect();
    assert_eq!(listed, numbers::audited_not_holding(PUBLISHED_PDF));
}

#[test]
fn the_english_budget_prints_the_same_figures() {
    let (zh, en) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let figures = |r: &serde_json::Value| -> Vec<(String, String)> {
        r["narrative"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|b| b["segments"].as_array().cloned().unwrap_or_default())
            .filter(|s| s["type"] == "figure")
            .map(|s| {
                (
                    s["key"].as_str().unwrap().to_string(),
                    s["text"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    let (a, b) = (
        figures(&build(zh.path(), "zh")),
        figures(&build(en.path(), "en")),
    );
    assert!(a.len() > 30, "{} figures", a.len());
    assert_eq!(a, b);
}

#[test]
fn the_built_budget_audits_clean() {
    let dir = tempfile::tempdir().unwrap();
    build(dir.path(), "zh");
    let out = juesuan()
        .arg("audit")
        .arg(
            dir.path()
                .join("shanghai-putuo-czj-2025-budget.report.html"),
        )
        .args(["--format", "json"])
        .output()
        .unwrap();
    let audit: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}\n{}", String::from_utf8_lossy(&out.stderr)));
    let serious: Vec<_> = audit["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] != "info")
        .collect();
    assert!(serious.is_empty(), "{serious:#?}");
    let checked = audit["narrative"]["each"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["status"]["holds"] == true)
        .count();
    assert!(checked > 40, "{checked} numbers of the text checked");
}
