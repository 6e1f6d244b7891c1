//! `juesuan audit --format html`: one self-contained page, one block per finding of the text,
//! and for a PDF each finding's figures boxed on the image of its page — where pdftotext
//! prints the figure's word (poppler-utils; `scripts/test` installs it).

mod support;

use std::process::Command as Process;
use support::{juesuan, repo};

const PDF: &str = "fixtures/reports/pdf/01_shanghai-putuo-czj-2024.pdf";

/// `juesuan [--lang LANG] audit FILE --format FORMAT`'s output; an audit with errors exits 1.
fn audit(lang: &str, file: &str, format: &str) -> String {
    let out = juesuan()
        .args(["--lang", lang, "audit", file, "--format", format])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The findings of the text output: one line each, `  错误 N201 …`.
fn text_findings(text: &str) -> Vec<String> {
    text.lines()
        .filter(|l| {
            [
                "  错误 ",
                "  警告 ",
                "  提示 ",
                "  error ",
                "  warning ",
                "  info ",
            ]
            .iter()
            .any(|s| l.starts_with(s))
        })
        .map(|l| l.split_whitespace().nth(1).unwrap_or_default().to_string())
        .collect()
}

/// Each finding block of the page: its rule and its markup.
fn blocks(html: &str) -> Vec<(String, &str)> {
    html.split("<article class=\"finding ")
        .skip(1)
        .map(|b| {
            let b = &b[..b.find("</article>").unwrap()];
            let rule = attr(b, "data-rule").unwrap();
            (rule, b)
        })
        .collect()
}

fn attr(s: &str, name: &str) -> Option<String> {
    let at = s.find(&format!(" {name}=\""))? + name.len() + 3;
    Some(s[at..at + s[at..].find('"')?].to_string())
}

/// A box of a figure: x, y, width, height in hundredths of a point.
fn rects(block: &str) -> Vec<[i64; 4]> {
    block
        .split("<rect class=\"box\"")
        .skip(1)
        .map(|r| ["x", "y", "width", "height"].map(|a| attr(r, a).unwrap().parse().unwrap()))
        .collect()
}

/// `506.206460` → 50621 (hundredths, rounded as the reader rounds: half up).
fn hundredths(s: &str) -> i64 {
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    let digit = |i: usize| frac.as_bytes().get(i).map_or(0, |b| i64::from(b - b'0'));
    int.parse::<i64>().unwrap() * 100 + digit(0) * 10 + digit(1) + i64::from(digit(2) >= 5)
}

/// The words of page `page` of the PDF as pdftotext prints them: (text, xMin, yMin, xMax,
/// yMax) in hundredths of a point.
fn words(page: u32) -> Vec<(String, [i64; 4])> {
    let out = Process::new("pdftotext")
        .args([
            "-f",
            &page.to_string(),
            "-l",
            &page.to_string(),
            "-bbox-layout",
        ])
        .arg(repo().join(PDF))
        .arg("-")
        .output()
        .unwrap();
    let xhtml = String::from_utf8(out.stdout).unwrap();
    xhtml
        .split("<word ")
        .skip(1)
        .map(|w| {
            let text = &w[w.find('>').unwrap() + 1..w.find("</word>").unwrap()];
            let c = ["xMin", "yMin", "xMax", "yMax"]
                .map(|a| hundredths(&attr(&format!(" {w}"), a).unwrap()));
            (text.to_string(), c)
        })
        .collect()
}

/// The boxes a block draws on page `page`.
fn boxes_on(block: &str, page: u32) -> Vec<[i64; 4]> {
    block
        .split("<figure class=\"evidence\"")
        .skip(1)
        .filter(|f| attr(f, "data-page") == Some(page.to_string()))
        .flat_map(|f| rects(&f[..f.find("<details").unwrap_or(f.len())]))
        .collect()
}

#[test]
fn a_pdf_audit_page_boxes_each_finding_s_figures_on_its_page() {
    let text = audit("zh", PDF, "text");
    let html = audit("zh", PDF, "html");
    // One block per finding of the text, in its order.
    let blocks = blocks(&html);
    let rules: Vec<String> = blocks.iter().map(|(r, _)| r.clone()).collect();
    assert_eq!(rules, text_findings(&text));
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("<html lang=\"zh-CN\">"));
    // Self-contained: no external resource; the one script is the figure viewer's, inline,
    // over the narrative as read (every number marked).
    assert!(!html.contains("<script src") && !html.contains("<link"));
    assert_eq!(html.matches("<script>").count(), 1);
    assert!(html.contains("<section class=\"audited-text\" id=\"audited-text\">"));
    // Each page image once, as PNG.
    for page in [6, 10, 21] {
        let image = format!("<image id=\"page-{page}\"");
        assert_eq!(html.matches(&image).count(), 1, "page {page}");
        let at = html.find(&image).unwrap();
        assert!(html[at..].contains("href=\"data:image/png;base64,iVBORw0KGgo"));
    }

    // X104: 收入支出决算总表 第39行 (page 6) against 支出决算表 208 (page 10): the figure boxed on
    // both pages, where pdftotext prints the word 326.71 on page 6 (inside the box, at most two
    // points of padding away from it).
    let (_, x104) = blocks.iter().find(|(r, _)| r == "X104").unwrap();
    assert!(x104.contains("第39行（第 6 页）") && x104.contains("相差 -0.01 万元"));
    assert!(x104.contains("<details class=\"formula\"><summary>公式与数字</summary>"));
    let word: Vec<[i64; 4]> = words(6)
        .into_iter()
        .filter(|(t, _)| t == "326.71")
        .map(|(_, c)| c)
        .collect();
    let [[x0, y0, x1, y1]] = word[..] else {
        panic!("326.71 on page 6: {word:?}");
    };
    let boxes = boxes_on(x104, 6);
    let [[bx, by, bw, bh]] = boxes[..] else {
        panic!("{boxes:?}");
    };
    assert!(
        bx <= x0 && x0 - bx <= 200 && bx + bw >= x1 && bx + bw - x1 <= 200,
        "{boxes:?} {word:?}"
    );
    // Vertically within the word's box (pdftotext gives this PDF's figures their cell's
    // height), about a line of text high.
    assert!(
        by >= y0 - 200 && by + bh <= y1 + 200 && (900..=1600).contains(&bh),
        "{boxes:?} {word:?}"
    );
    assert_eq!(boxes_on(x104, 10).len(), 1);

    // N201: the narrative says 0.3 万元 on page 21: the number boxed inside its word (the
    // sentence is one word for pdftotext), and the table's total it contradicts on page 13.
    let (_, n201) = blocks.iter().find(|(r, _)| r == "N201").unwrap();
    let sentence: Vec<[i64; 4]> = words(21)
        .into_iter()
        .filter(|(t, _)| t.contains("总计0.3万元"))
        .map(|(_, c)| c)
        .collect();
    let [[x0, y0, x1, y1]] = sentence[..] else {
        panic!("{sentence:?}");
    };
    let boxes = boxes_on(n201, 21);
    let [[bx, by, bw, _]] = boxes[..] else {
        panic!("{boxes:?}");
    };
    assert!(
        bx > x0 && bx + bw < x1 && bw < (x1 - x0) / 5,
        "{boxes:?} {sentence:?}"
    );
    assert!(by < y1 && by + 1000 > y0, "{boxes:?} {sentence:?}");
    assert_eq!(boxes_on(n201, 13).len(), 1);
    assert!(n201.contains("相差 -2961.38 万元"));
}

#[test]
fn the_page_is_in_english_and_without_images_for_text() {
    let html = audit("en", PDF, "html");
    assert!(
        html.contains("<html lang=\"en\">") && html.contains("<figcaption>page 6</figcaption>")
    );
    assert!(html.contains("rounding difference: "));
    // The report's text: the same findings, no page to show.
    let txt = "fixtures/reports/01_shanghai-putuo-czj-2024.txt";
    let html = audit("zh", txt, "html");
    let rules: Vec<String> = blocks(&html).into_iter().map(|(r, _)| r).collect();
    assert_eq!(rules, text_findings(&audit("zh", txt, "text")));
    assert!(!rules.is_empty() && !html.contains("<image") && !html.contains("<figure"));
}

#[test]
fn only_audit_prints_html() {
    let out = juesuan()
        .args([
            "check",
            "examples/hongshan-kjj-2023.toml",
            "--format",
            "html",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}
