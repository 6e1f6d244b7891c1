//! Shanghai end to end: `build examples/shanghai-putuo-czj-2024.toml` writes the whole report,
//! and every number of its 情况说明 is compared, section by section, with the published report
//! it transcribes (fixtures/reports/01_shanghai-putuo-czj-2024.txt).
//!
//! The numbers are read from both texts the same way (a number and its unit: 万元, %, 个, 辆,
//! 分, 台（套）…) and aligned in order. Every published number must be printed equal (as a
//! decimal: `6.2万元` is `6.20万元`, `0%` is `0.00%`), except the differences listed in
//! [`EXPECTED`], each with its reason. Those whose reason is that the published text
//! contradicts its own tables must be exactly the numbers the audit of the published report
//! finds contradicted: the list can neither hide a contradiction nor excuse one the tables do
//! not show.

mod support;

use support::numbers;

use std::collections::BTreeSet;
use std::path::Path;
use support::{juesuan, succeeds};

const PUBLISHED: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../fixtures/reports/01_shanghai-putuo-czj-2024.txt"
);
const EXAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../examples/shanghai-putuo-czj-2024.toml"
);

/// Why a published number is not what the built narrative prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Why {
    /// The published narrative contradicts the report's own tables (the audit says so).
    Contradicts,
    /// The published tables disagree among themselves; the facts follow the totals
    /// (the example's choice 1), so this figure prints 0.01 apart.
    TablesDisagree,
    /// The published narrative prints a rate whose base is zero (a category with no budget):
    /// the template prints no rate there.
    ZeroBase,
}

/// The differences: (section heading's number, published number, what the build prints
/// instead — `None` when it prints nothing there —, why).
const EXPECTED: &[(&str, &str, Option<&str>, Why)] = &[
    // 财政拨款收入支出决算总表 totals 2,961.68; the published sentence says 0.3 and 持平 (the
    // example leaves last year's figure out, so the build writes no comparison).
    ("四", "0.3万元", Some("2961.68万元"), Why::Contradicts),
    // 2,106.66 / 2,940.05 = 71.65 %.
    ("五", "71.73%", Some("71.65%"), Why::Contradicts),
    // 208 is 326.71 in the 总表s and 326.72 in the function tables.
    ("五", "326.72万元", Some("326.71万元"), Why::TablesDisagree),
    // 因公出国（境）费 and 公务用车 had no budget: "完成预算的0%" twice.
    ("七", "0%", None, Why::ZeroBase),
    ("七", "0%", None, Why::ZeroBase),
];

/// The text of the 情况说明 (第三部分) of the published report: lines joined without breaks
/// (a number or its unit may be broken over two lines), page markers and spaces removed.
fn published_narrative() -> String {
    let text = std::fs::read_to_string(PUBLISHED).unwrap();
    let joined: String = text
        .lines()
        .filter(|l| !l.starts_with("=== "))
        .flat_map(|l| l.chars().filter(|c| !c.is_whitespace()))
        .collect();
    let begin = joined.rfind("第三部分").expect("第三部分");
    let end = joined[begin..]
        .find("第四部分")
        .map_or(joined.len(), |e| begin + e);
    joined[begin..end].to_string()
}

/// The built report's 情况说明: (section heading, its text), from report.json's blocks.
fn built_sections(report_json: &Path) -> Vec<(String, String)> {
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(report_json).unwrap()).unwrap();
    let mut sections: Vec<(String, String)> = Vec::new();
    let mut inside = false;
    for block in report["narrative"].as_array().unwrap() {
        let text = |b: &serde_json::Value| -> String {
            match b["segments"].as_array() {
                Some(segments) => segments
                    .iter()
                    .map(|s| s["text"].as_str().unwrap_or_default())
                    .collect(),
                None => b["text"].as_str().unwrap_or_default().to_string(),
            }
        };
        if block["type"] == "heading" && block["level"] == 1 {
            inside = text(block).starts_with("第三部分");
            continue;
        }
        if !inside {
            continue;
        }
        if block["type"] == "heading" && block["level"] == 2 {
            sections.push((text(block), String::new()));
        } else if let Some((_, body)) = sections.last_mut() {
            body.push_str(&text(block));
        }
    }
    sections
}

/// The published sections under the built report's headings (which the template words as the
/// published report does): each from its heading to the next.
fn published_sections(headings: &[String]) -> Vec<String> {
    let text = published_narrative();
    let mut starts = Vec::new();
    let mut from = 0;
    for h in headings {
        let h: String = h.chars().filter(|c| !c.is_whitespace()).collect();
        let at = from
            + text[from..]
                .find(&h)
                .unwrap_or_else(|| panic!("the published 情况说明 has no heading {h}"));
        starts.push(at + h.len());
        from = at + h.len();
    }
    starts
        .iter()
        .enumerate()
        .map(|(i, &s)| {
            let end = headings
                .get(i + 1)
                .and_then(|h| {
                    let h: String = h.chars().filter(|c| !c.is_whitespace()).collect();
                    text[s..].find(&h).map(|e| s + e)
                })
                .unwrap_or(text.len());
            text[s..end].to_string()
        })
        .collect()
}

#[test]
fn the_shanghai_narrative_prints_the_published_numbers_but_where_they_contradict_the_tables() {
    let dir = tempfile::tempdir().unwrap();
    succeeds(
        juesuan()
            .args(["build", EXAMPLE, "-o"])
            .arg(dir.path())
            .args(["--format", "html,json"]),
    );
    let built = built_sections(&dir.path().join("shanghai-putuo-czj-2024.report.json"));
    let headings: Vec<String> = built.iter().map(|(h, _)| h.clone()).collect();
    assert_eq!(
        headings.len(),
        11,
        "一…十一 as the published report: {headings:?}"
    );
    let published = published_sections(&headings);

    let (differences, compared, equal) = numbers::differences(&built, &published);
    let expected: Vec<(String, String, Option<String>)> = EXPECTED
        .iter()
        .map(|(s, p, o, _)| (s.to_string(), p.to_string(), o.map(str::to_string)))
        .collect();
    assert_eq!(
        differences, expected,
        "the built narrative's numbers against the published report's ({equal} of {compared} equal)"
    );
    assert!(
        compared > 80 && equal + EXPECTED.len() >= compared,
        "{equal} of {compared}"
    );

    // The contradictions listed are those the audit of the published report finds.
    let listed: BTreeSet<String> = EXPECTED
        .iter()
        .filter(|e| e.3 == Why::Contradicts)
        .map(|e| e.1.to_string())
        .collect();
    assert_eq!(listed, numbers::audited_not_holding(PUBLISHED));
}

#[test]
fn the_built_shanghai_report_audits_clean() {
    let dir = tempfile::tempdir().unwrap();
    let out = juesuan()
        .args(["build", EXAMPLE, "-o"])
        .arg(dir.path())
        .args(["--format", "html"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let audit = juesuan()
        .arg("audit")
        .arg(dir.path().join("shanghai-putuo-czj-2024.report.html"))
        .args(["--format", "json"])
        .output()
        .unwrap();
    let audit: serde_json::Value = serde_json::from_slice(&audit.stdout).unwrap();
    let serious: Vec<&serde_json::Value> = audit["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] == "error" || f["severity"] == "warning")
        .collect();
    assert!(serious.is_empty(), "{serious:#?}");
    // Every part of the report is there (rule D006 finds nothing missing).
    let narrative = &audit["narrative"];
    assert!(narrative["checked"].as_u64().unwrap() > 60, "{narrative}");
}

#[test]
fn numbers_are_read_with_their_units() {
    let n = numbers::numbers(
        "收入6.2万元，占99.79%；项目4个，平均得分99.43分，2024年度，1、支出1511.89万",
    );
    let texts: Vec<&str> = n.iter().map(|n| n.text.as_str()).collect();
    assert_eq!(
        texts,
        ["6.2万元", "99.79%", "4个", "99.43分", "1511.89万元"]
    );
    assert_eq!(n[0], numbers::numbers("6.20万元")[0]);
    assert_ne!(n[0], numbers::numbers("6.20%")[0]);
}

/// The figures the narrative prints (key and printed text), from report.json, in order.
fn printed_figures(report_json: &Path) -> Vec<(String, String)> {
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(report_json).unwrap()).unwrap();
    report["narrative"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|b| b["segments"].as_array())
        .flatten()
        .filter(|s| s["type"] == "figure")
        .map(|s| {
            (
                s["key"].as_str().unwrap().into(),
                s["text"].as_str().unwrap().into(),
            )
        })
        .collect()
}

#[test]
fn the_english_shanghai_narrative_prints_the_same_figures() {
    let dir = tempfile::tempdir().unwrap();
    let mut figures = Vec::new();
    for lang in ["zh", "en"] {
        let out = dir.path().join(lang);
        let r = juesuan()
            .args(["--lang", lang, "build", EXAMPLE, "-o"])
            .arg(&out)
            .args(["--format", "json"])
            .output()
            .unwrap();
        assert_eq!(
            r.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&r.stderr)
        );
        let mut f = printed_figures(&out.join("shanghai-putuo-czj-2024.report.json"));
        f.sort();
        figures.push(f);
    }
    assert!(figures[0].len() > 80, "{}", figures[0].len());
    assert_eq!(figures[0], figures[1]);
}
