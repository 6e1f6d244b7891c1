//! The narrative against its facts and against the published report it reproduces.
//!
//! 1. Every printed figure is the figure its key names, rounded once (checked here with an
//!    independent decimal computation, not the renderer's formatter).
//! 2. The numbers of part three (情况说明) equal the published report's, except for the
//!    published errors listed, with reasons, in the fixture's `expect.toml` `[[narrative]]`.

use juesuan_core::report::ReportData;
use juesuan_render::narrative::{Block, Narrative, narrative};
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::str::FromStr;

mod support;
use support::{ROOT, check_figure, figure_segments};

fn build(example: &str) -> (ReportData, Narrative) {
    let path = format!("{ROOT}/examples/{example}");
    let text = std::fs::read_to_string(&path).unwrap();
    let built = juesuan_input::compile::compile_with_builtins(&path, &text)
        .unwrap_or_else(|p| panic!("{p:?}"));
    let data = juesuan_input::builtin::report_data(&built).unwrap();
    let template = std::fs::read_to_string(format!(
        "{ROOT}/data/kinds/final-accounts/narrative/hubei-wuhan-2023.j2"
    ))
    .unwrap();
    let n = narrative(&data, &template, juesuan_core::Lang::Zh).unwrap_or_else(|e| panic!("{e:#}"));
    (data, n)
}

#[test]
fn every_printed_figure_is_its_figure_rounded_once() {
    for example in [
        "hongshan-kjj-2023.toml",
        "three-units-2024.toml",
        "shanghai-putuo-czj-2024.toml",
    ] {
        let (data, n) = build(example);
        let segs = figure_segments(&n);
        assert!(segs.len() > 20, "{example}: only {} figures", segs.len());
        let errors: Vec<String> = segs
            .iter()
            .filter_map(|(k, t)| check_figure(k, t, &data.figures[*k]).err())
            .collect();
        assert!(errors.is_empty(), "{example}:\n{}", errors.join("\n"));
    }
}

#[test]
fn the_checker_rejects_a_wrong_figure() {
    let (data, n) = build("hongshan-kjj-2023.toml");
    let (key, text) = figure_segments(&n)
        .into_iter()
        .find(|(k, _)| *k == "grand_total")
        .expect("grand_total is printed");
    let f = &data.figures[key];
    assert!(check_figure(key, text, f).is_ok());
    let wrong = Decimal::from_str(text).unwrap() + Decimal::new(1, 2);
    assert!(check_figure(key, &wrong.to_string(), f).is_err());
}

/// Numbers in text, as written: "35549.61", "64.5%", "2023".
fn numbers(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let digit = c.is_ascii_digit();
        let point =
            c == '.' && !cur.is_empty() && chars.get(i + 1).is_some_and(|d| d.is_ascii_digit());
        if digit || point {
            cur.push(c);
        } else if !cur.is_empty() {
            if c == '%' {
                cur.push('%');
            }
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn part<'a>(lines: impl Iterator<Item = &'a str>, start: &str, end: &str) -> String {
    lines
        .skip_while(|l| !l.starts_with(start))
        .take_while(|l| !l.starts_with(end))
        .collect::<Vec<_>>()
        .join("\n")
}

fn multiset(v: Vec<String>) -> BTreeMap<String, i64> {
    let mut m = BTreeMap::new();
    for x in v {
        *m.entry(x).or_insert(0) += 1;
    }
    m
}

#[derive(serde::Deserialize)]
struct Expect {
    #[serde(default)]
    narrative: Vec<Correction>,
}

#[derive(serde::Deserialize)]
struct Correction {
    /// Numbers the published text prints and ours does not.
    #[serde(default)]
    published: Vec<String>,
    /// Numbers ours prints instead.
    #[serde(default)]
    ours: Vec<String>,
    #[allow(dead_code)]
    why: String,
}

#[test]
fn part_three_numbers_match_the_published_report_but_for_its_errors() {
    let (_, n) = build("hongshan-kjj-2023.toml");
    let ours_text: Vec<String> = n
        .blocks
        .iter()
        .map(|b| match b {
            // Chart captions ("图 1：…") are part of the published text.
            Block::Insert { caption, .. } => caption.clone().unwrap_or_default(),
            _ => b.text(),
        })
        .filter(|t| !t.is_empty())
        .collect();
    let ours = part(ours_text.iter().map(String::as_str), "第三部分", "第四部分");
    let published_text = std::fs::read_to_string(format!(
        "{ROOT}/fixtures/reports/wuhan-hongshan-kjj-2023.txt"
    ))
    .unwrap();
    let published = part(published_text.lines().skip(100), "第三部分", "第四部分");
    let mut diff: BTreeMap<String, i64> = multiset(numbers(&published));
    for (k, v) in multiset(numbers(&ours)) {
        *diff.entry(k).or_insert(0) -= v;
    }
    diff.retain(|_, v| *v != 0);

    let expect: Expect = toml::from_str(
        &std::fs::read_to_string(format!(
            "{ROOT}/fixtures/reports/wuhan-hongshan-kjj-2023.expect.toml"
        ))
        .unwrap(),
    )
    .unwrap();
    let mut allowed: BTreeMap<String, i64> = BTreeMap::new();
    for c in &expect.narrative {
        for p in &c.published {
            *allowed.entry(p.clone()).or_insert(0) += 1;
        }
        for o in &c.ours {
            *allowed.entry(o.clone()).or_insert(0) -= 1;
        }
    }
    allowed.retain(|_, v| *v != 0);
    assert_eq!(
        diff, allowed,
        "numbers of part three: published minus ours (left) differ from the documented \
         corrections (right)"
    );
}

/// The narrative as text, one block per line; inserts as `[[what:arg|caption]]`.
fn plain(n: &Narrative) -> String {
    n.blocks
        .iter()
        .map(|b| match b {
            Block::Heading { level, text } => format!("{} {text}", "#".repeat(*level as usize)),
            Block::Insert { what, arg, caption } => format!(
                "[[{what}{}{}]]",
                arg.as_deref().map(|a| format!(":{a}")).unwrap_or_default(),
                caption
                    .as_deref()
                    .map(|c| format!("|{c}"))
                    .unwrap_or_default()
            ),
            p => p.text(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn snapshot_part_three_of_the_seed() {
    let (_, n) = build("hongshan-kjj-2023.toml");
    let text = plain(&n);
    insta::assert_snapshot!(
        "hongshan_part_three",
        part(text.lines(), "# 第三部分", "# 第四部分")
    );
}

#[test]
fn snapshot_report_of_a_department_without_texts() {
    // three-units-2024 has tables and no disclosure texts: the narrative says what the
    // figures say and leaves the department's own sections empty, never failing.
    let (data, n) = build("three-units-2024.toml");
    insta::assert_snapshot!("three_units_narrative", plain(&n));
    let path = format!("{ROOT}/examples/three-units-2024.toml");
    let built = juesuan_input::compile::compile_with_builtins(
        &path,
        &std::fs::read_to_string(&path).unwrap(),
    )
    .unwrap_or_else(|p| panic!("{p:?}"));
    let model = juesuan_render::report::model(&built.views, &n, &data, juesuan_core::Lang::Zh);
    let html = juesuan_render::report::html(&model).unwrap();
    // The document's structure, not its style sheet: headings, figures and inserts in order.
    let outline: Vec<String> = html
        .lines()
        .filter(|l| {
            l.starts_with("<h")
                || l.starts_with("<figure")
                || l.starts_with("<section")
                || l.starts_with("<li")
        })
        .map(|l| {
            if l.starts_with("<figure") {
                // SVG markup is checked by the chart tests; keep the caption.
                let caption = l.split("<figcaption>").nth(1).unwrap_or("");
                format!("<figure>{caption}")
            } else {
                l.to_string()
            }
        })
        .collect();
    insta::assert_snapshot!("three_units_report_outline", outline.join("\n"));
}

#[test]
fn every_heading_of_the_published_report_and_every_annex_is_generated() {
    let (_, n) = build("hongshan-kjj-2023.toml");
    let norm = |s: &str| -> String {
        s.chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .trim_end_matches('。')
            .to_string()
    };
    let ours: Vec<String> = n
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Heading { text, .. } => Some(norm(text)),
            _ => None,
        })
        .collect();
    let published = std::fs::read_to_string(format!(
        "{ROOT}/fixtures/reports/wuhan-hongshan-kjj-2023.txt"
    ))
    .unwrap();
    // Parts three to five: sections 一、… and subsections （一）… as printed (the 名词解释
    // entries are numbered like subsections but are paragraphs).
    let body = part(published.lines().skip(100), "第三部分", "第五部分");
    let numbered = |l: &str, open: &str, close: char| {
        l.strip_prefix(open).is_some_and(|rest| {
            let num: String = rest
                .chars()
                .take_while(|c| "一二三四五六七八九十".contains(*c))
                .collect();
            !num.is_empty() && rest[num.len()..].starts_with(close)
        })
    };
    let mut missing = Vec::new();
    let mut checked = 0;
    for line in body.lines().map(str::trim) {
        let heading = line.starts_with("第三部分")
            || line.starts_with("第四部分")
            || numbered(line, "", '、')
            || numbered(line, "（", '）');
        checked += usize::from(heading);
        if heading && !ours.iter().any(|h| *h == norm(line)) {
            missing.push(line.to_string());
        }
    }
    // 2 parts, 十四 sections of part three, 5 subsections, 2 sections of part four.
    assert!(
        checked >= 20,
        "only {checked} headings found in the published text"
    );
    assert!(
        missing.is_empty(),
        "published headings not generated: {missing:#?}"
    );
    // Part six: the department-wide evaluation and 22 projects, each with its form.
    for k in 1..=23 {
        assert!(
            ours.iter().any(|h| h.starts_with(&format!("附件{k}"))),
            "附件 {k} missing"
        );
    }
    let forms: Vec<&str> = n
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Insert { what, arg, .. } if what == "evaluation" => arg.as_deref(),
            _ => None,
        })
        .collect();
    assert_eq!(forms.len(), 23, "{forms:?}");
    assert_eq!(forms[0], "department");
}
