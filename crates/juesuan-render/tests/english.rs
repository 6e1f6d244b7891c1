//! The English report (`--lang en`): the built-in English narrative and the document around it.
//!
//! 1. Every printed figure is the figure its key names, rounded once.
//! 2. The English narrative prints the same figures as the Chinese one, as often (so no
//!    sentence was dropped or added).
//! 3. The English template writes no Chinese: every CJK run of the narrative comes from the
//!    data (the department's texts, the catalog's names).
//! 4. The English document (narrative, charts, forms, contents) writes no Chinese either, but
//!    for the data and the tables' Chinese-only cells (catalog names).
//! 5. A snapshot of part three of the seed.
//! 6. The English Word document writes no Chinese of its own either.

use juesuan_core::Lang;
use juesuan_core::report::ReportData;
use juesuan_core::views::Views;
use juesuan_render::narrative::{Block, Narrative, Segment, narrative};
use std::collections::BTreeMap;

mod support;
use support::{ROOT, check_figure, figure_segments};
const EXAMPLES: [&str; 3] = [
    "hongshan-kjj-2023.toml",
    "three-units-2024.toml",
    "shanghai-putuo-czj-2024.toml",
];
const SEED: &str = "hongshan-kjj-2023.toml";

struct Built {
    data: ReportData,
    views: Views,
    zh: Narrative,
    en: Narrative,
}

/// The narrative template the CLI uses for `lang`.
fn template(lang: Lang) -> String {
    let assets = juesuan_input::assets::Assets::builtin().unwrap();
    let source = assets
        .narrative("hubei-wuhan-2023", lang, None)
        .expect("built-in narrative template");
    let expected = match lang {
        Lang::Zh => "data/kinds/final-accounts/narrative/hubei-wuhan-2023.j2",
        Lang::En => "data/kinds/final-accounts/narrative/hubei-wuhan-2023.en.j2",
    };
    assert_eq!(source.name, expected);
    source.text.clone()
}

fn build(example: &str) -> Built {
    let path = format!("{ROOT}/examples/{example}");
    let text = std::fs::read_to_string(&path).unwrap();
    let built = juesuan_input::compile::compile_with_builtins(&path, &text)
        .unwrap_or_else(|p| panic!("{p:?}"));
    let data = juesuan_input::builtin::report_data(&built).unwrap();
    let render = |lang: Lang| {
        narrative(&data, &template(lang), lang)
            .unwrap_or_else(|e| panic!("{example} ({lang:?}): {e:#}"))
    };
    let (zh, en) = (render(Lang::Zh), render(Lang::En));
    Built {
        data,
        views: built.views,
        zh,
        en,
    }
}

#[test]
fn every_printed_figure_is_its_figure_rounded_once() {
    for example in EXAMPLES {
        let b = build(example);
        let segs = figure_segments(&b.en);
        assert!(segs.len() > 20, "{example}: only {} figures", segs.len());
        let errors: Vec<String> = segs
            .iter()
            .filter_map(|(k, t)| match b.data.figures.get(*k) {
                Some(f) => check_figure(k, t, f).err(),
                None => Some(format!("{k}: no such figure")),
            })
            .collect();
        assert!(errors.is_empty(), "{example}:\n{}", errors.join("\n"));
    }
}

fn key_counts(n: &Narrative) -> BTreeMap<&str, usize> {
    let mut m = BTreeMap::new();
    for (k, _) in figure_segments(n) {
        *m.entry(k).or_insert(0) += 1;
    }
    m
}

#[test]
fn english_prints_the_same_figures_as_chinese() {
    // The seed has every section; the other examples leave some out, the same way in both.
    for example in EXAMPLES {
        let b = build(example);
        let (zh, en) = (key_counts(&b.zh), key_counts(&b.en));
        assert!(!zh.is_empty());
        let diff: Vec<String> = zh
            .keys()
            .chain(en.keys())
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .filter(|k| zh.get(*k) != en.get(*k))
            .map(|k| format!("{k}: zh {:?}, en {:?}", zh.get(k), en.get(k)))
            .collect();
        assert!(diff.is_empty(), "{example}:\n{}", diff.join("\n"));
    }
}

#[test]
fn english_has_the_same_structure_as_chinese() {
    // Same inserts in the same order (tables, charts, forms, key work, page breaks) and as
    // many headings of each level.
    for example in EXAMPLES {
        let b = build(example);
        let inserts = |n: &Narrative| -> Vec<(String, Option<String>)> {
            n.blocks
                .iter()
                .filter_map(|b| match b {
                    Block::Insert { what, arg, .. } => Some((what.clone(), arg.clone())),
                    _ => None,
                })
                .collect()
        };
        let headings = |n: &Narrative| -> Vec<u8> {
            n.blocks
                .iter()
                .filter_map(|b| match b {
                    Block::Heading { level, .. } => Some(*level),
                    _ => None,
                })
                .collect()
        };
        assert_eq!(inserts(&b.zh), inserts(&b.en), "{example}");
        assert_eq!(headings(&b.zh), headings(&b.en), "{example}");
    }
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x2FDF // radicals
        | 0x3000..=0x303F // CJK symbols and punctuation (、。「」, ideographic space)
        | 0x3040..=0x30FF // kana
        | 0x3100..=0x31BF // bopomofo
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F // CJK compatibility forms
        | 0xFF00..=0xFFEF // fullwidth forms （），：
        | 0x20000..=0x2FA1F)
}

/// The maximal runs of CJK characters in `text`.
fn cjk_runs(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in text.chars() {
        if is_cjk(c) {
            cur.push(c);
        } else if !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Runs of `text` that occur in none of `sources`: Chinese the template wrote itself.
fn foreign_runs(text: &str, sources: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = cjk_runs(text)
        .into_iter()
        .filter(|r| !sources.iter().any(|s| s.contains(r.as_str())))
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Everything the template wrote, data included: headings, paragraphs' words and captions.
fn written_text(n: &Narrative) -> String {
    n.blocks
        .iter()
        .map(|b| match b {
            Block::Heading { text, .. } => text.clone(),
            Block::Paragraph { segments } => segments
                .iter()
                .filter_map(|s| match s {
                    Segment::Text { text } => Some(text.as_str()),
                    Segment::Figure { .. } => None,
                })
                .collect::<Vec<_>>()
                .join("\u{1}"),
            Block::Insert { caption, .. } => caption.clone().unwrap_or_default(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_checker_finds_chinese_the_template_wrote() {
    let data = r#"{"department":"示例局","reason":"年中追加"}"#;
    assert!(foreign_runs("Department 示例局: main reason 年中追加.", &[data]).is_empty());
    assert_eq!(
        foreign_runs("Total 35549.61 万元, 示例局项目", &[data]),
        vec!["万元".to_string(), "示例局项目".to_string()]
    );
}

#[test]
fn the_english_narrative_writes_no_chinese_of_its_own() {
    for example in EXAMPLES {
        let b = build(example);
        let data = serde_json::to_string(&b.data).unwrap();
        let foreign = foreign_runs(&written_text(&b.en), &[&data]);
        assert!(
            foreign.is_empty(),
            "{example}: Chinese written by the English template: {foreign:?}"
        );
        // And the Chinese narrative is Chinese: the check would see a wrong template.
        assert!(!foreign_runs(&written_text(&b.zh), &[&data]).is_empty());
    }
}

/// The tables' printed cells in English: catalog names stay Chinese (no official English).
fn table_cells(views: &Views) -> String {
    let mut out = String::new();
    for v in &views.tables {
        for row in v.body_grid(Lang::En, views.amount_unit) {
            for c in row {
                out.push_str(&c.text());
                out.push('\n');
            }
        }
    }
    // `data-unit` is a machine-read attribute, in Chinese whatever the language.
    out.push_str(views.amount_unit.zh());
    out
}

fn english_html(b: &Built) -> String {
    let model = juesuan_render::report::model(&b.views, &b.en, &b.data, Lang::En);
    juesuan_render::report::html(&model).unwrap()
}

#[test]
fn the_english_report_writes_no_chinese_of_its_own() {
    for example in EXAMPLES {
        let b = build(example);
        let html = english_html(&b);
        assert!(html.contains("<html lang=\"en\">"), "{example}");
        let data = serde_json::to_string(&b.data).unwrap();
        let cells = table_cells(&b.views);
        let foreign = foreign_runs(&html, &[&data, &cells]);
        assert!(
            foreign.is_empty(),
            "{example}: Chinese written by the English document: {foreign:?}"
        );
    }
}

#[test]
fn the_english_forms_charts_and_key_work_are_labelled_in_english() {
    let b = build(SEED);
    let html = english_html(&b);
    for label in [
        "Unit (seal): ",
        "Date: ",
        "Total score: ",
        "Self-evaluation score: ",
        "Budget execution (10,000 yuan; 20 points)",
        "Overall spending",
        "Fiscal funds for the year",
        "Execution rate (B/A)",
        "Target set at start of year (A)",
        "Actual result (B)",
        "Annual performance indicators (60 points)",
        "Competent department",
        "Implementing unit",
        "Reasons for large deviations or unmet goals",
        "<th scope=\"col\">Key task</th>",
        "Unit: 10,000 yuan",
        "Figure 1: Change in total income and expenditure",
        "<h2 id=\"toc-title\">Contents</h2>",
    ] {
        assert!(html.contains(label), "missing {label:?}");
    }
    // The Chinese labels as the template writes them (the department's texts may use the
    // same words, e.g. a report paragraph "（一）自评得分").
    for zh in [
        "<span>单位名称（盖章）：",
        "<span>填报日期：",
        "<span>自评得分：",
        "<span>总分：",
        ">预算执行情况（万元）（20分）<",
        ">年初目标值（A）<",
        ">实际完成值（B）<",
        ">一级指标<",
        ">项目名称<",
        ">项目实施单位<",
        ">重要事项<",
        ">开展情况<",
        "单位：万元",
        "收入决算结构",
        "图 1",
    ] {
        assert!(
            !html.contains(zh),
            "Chinese label {zh:?} in the English report"
        );
    }
    // The Chinese report keeps its labels.
    let model = juesuan_render::report::model(&b.views, &b.zh, &b.data, Lang::Zh);
    let zh_html = juesuan_render::report::html(&model).unwrap();
    for label in [
        "单位名称（盖章）：",
        "预算执行情况（万元）（20分）",
        "执行率（B/A）",
        "<th scope=\"col\">重要事项</th>",
        "单位：万元",
    ] {
        assert!(
            zh_html.contains(label),
            "missing {label:?} in the Chinese report"
        );
    }
}

#[test]
fn charts_follow_the_language() {
    let b = build(SEED);
    let en = juesuan_render::charts::charts(&b.data, Lang::En);
    let zh = juesuan_render::charts::charts(&b.data, Lang::Zh);
    assert_eq!(en.keys().collect::<Vec<_>>(), zh.keys().collect::<Vec<_>>());
    for (id, svg) in &en {
        assert!(cjk_runs(svg).is_empty(), "{id}: {:?}", cjk_runs(svg));
    }
    assert!(en["grand_total"].contains(">2022<") && en["grand_total"].contains(">2023<"));
    assert!(en["income"].contains(">Appropriations<"));
    assert!(zh["grand_total"].contains(">2022年<") && zh["grand_total"].contains("单位：万元"));
    assert!(zh["income"].contains(">财政拨款收入<"));
    // The amounts are the same, exactly printed, in both languages.
    assert!(en["grand_total"].contains(">35549.61<") && zh["grand_total"].contains(">35549.61<"));
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

fn part<'a>(lines: impl Iterator<Item = &'a str>, start: &str, end: &str) -> String {
    lines
        .skip_while(|l| !l.starts_with(start))
        .take_while(|l| !l.starts_with(end))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn snapshot_english_part_three_of_the_seed() {
    let b = build(SEED);
    let text = plain(&b.en);
    let three = part(text.lines(), "# Part Three", "# Part Four");
    assert!(three.lines().count() > 50);
    insta::assert_snapshot!("hongshan_en_part_three", three);
}

/// The words of a Word document's body (`w:t` of `word/document.xml`), a line each.
fn docx_words(docx: &[u8]) -> String {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(docx)).unwrap();
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    let mut out = String::new();
    for piece in xml.split("<w:t xml:space=\"preserve\">").skip(1) {
        let text = piece.split("</w:t>").next().unwrap();
        out.push_str(
            &text
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&amp;", "&"),
        );
        out.push('\n');
    }
    out
}

#[test]
fn the_english_word_document_writes_no_chinese_of_its_own() {
    for example in EXAMPLES {
        let b = build(example);
        let model = juesuan_render::report::model(&b.views, &b.en, &b.data, Lang::En);
        let docx = juesuan_render::docx::document(&model, &Default::default()).unwrap();
        let words = docx_words(&docx);
        assert!(words.contains("Contents"), "{example}");
        let data = serde_json::to_string(&b.data).unwrap();
        let cells = table_cells(&b.views);
        let foreign = foreign_runs(&words, &[&data, &cells]);
        assert!(
            foreign.is_empty(),
            "{example}: Chinese written by the English Word document: {foreign:?}"
        );
    }
}
