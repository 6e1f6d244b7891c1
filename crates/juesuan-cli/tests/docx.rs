//! `juesuan build --format docx` end to end: the seed's Word report opened by LibreOffice
//! (`soffice --headless`, which `scripts/test` installs when it is missing: package
//! libreoffice-writer-nogui) and read as a reader and as Word would:
//!
//! - it converts to PDF, in A4, with Chinese fonts embedded, portrait and landscape pages;
//! - its text is the report page's text (Chinese, and English with `--lang en`), under one
//!   normalisation: whitespace removed on both sides (LibreOffice's text export starts with a
//!   byte-order mark, which counts as whitespace here); on the page's side, the text of
//!   `<head>`, `<script>`, `<style>` and of the charts' `<svg>` (pictures in Word) is left
//!   out. Page furniture (the footer's page numbers) is not in LibreOffice's text export;
//! - `word/document.xml`: the nine tables are Word tables whose header rows repeat
//!   (`w:tblHeader`) and whose header cells span as the layout's header does (`w:gridSpan`,
//!   `w:vMerge`), amounts right-aligned; each table in a landscape section exactly when its
//!   layout says so; a `TOC` field; a picture for every chart; page numbers in the footer.

mod support;

use serde_json::Value;
use std::collections::BTreeSet;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use support::juesuan;

const STEM: &str = "hongshan-kjj-2023";

/// The seed built once in `lang` as the Word document, the report page and the JSON.
fn built(lang: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("docx-seed-{lang}"));
    let _ = std::fs::remove_dir_all(&dir);
    let out = juesuan()
        .args(["--lang", lang, "build", &format!("examples/{STEM}.toml")])
        .args(["--format", "docx,html,json", "-q", "-o"])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    dir
}

fn zh() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| built("zh"))
}

fn docx(dir: &Path) -> PathBuf {
    dir.join(format!("{STEM}.report.docx"))
}

/// `soffice --headless --convert-to <to>` of `file` into its folder, with a profile of its
/// own; the converted file.
fn convert(file: &Path, to: &str, ext: &str) -> PathBuf {
    let dir = file.parent().unwrap();
    let profile = dir.join(format!("lo-profile-{ext}"));
    let out = Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args(["--headless", "--norestore", "--convert-to", to, "--outdir"])
        .arg(dir)
        .arg(file)
        .output()
        .unwrap_or_else(|e| {
            panic!("soffice: {e} (scripts/test installs LibreOffice: libreoffice-writer-nogui)")
        });
    let converted = file.with_extension(ext);
    assert!(
        out.status.success() && converted.exists(),
        "soffice --convert-to {to}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    converted
}

fn poppler(tool: &str, args: &[&str], pdf: &Path) -> String {
    let out = Command::new(tool)
        .args(args)
        .arg(pdf)
        .args(if tool == "pdftotext" { &["-"][..] } else { &[] })
        .output()
        .unwrap_or_else(|e| panic!("{tool}: {e} (scripts/test installs poppler-utils)"));
    assert!(out.status.success(), "{tool}");
    String::from_utf8(out.stdout).unwrap()
}

fn json(dir: &Path, what: &str) -> Value {
    serde_json::from_slice(&std::fs::read(dir.join(format!("{STEM}.{what}.json"))).unwrap())
        .unwrap()
}

/// A part of the Word document.
fn part(docx: &Path, name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(docx).unwrap()).unwrap();
    let mut text = String::new();
    zip.by_name(name)
        .unwrap_or_else(|e| panic!("{name}: {e}"))
        .read_to_string(&mut text)
        .unwrap();
    text
}

/// Text with every whitespace character (and a byte-order mark) removed.
fn squeezed(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{FEFF}')
        .collect()
}

/// The report page's text as a reader sees it: the body's text nodes but those of scripts,
/// styles and the charts' drawings.
fn page_text(html: &str) -> String {
    let doc = scraper::Html::parse_document(html);
    let body = doc
        .select(&scraper::Selector::parse("body").unwrap())
        .next()
        .unwrap();
    let mut out = String::new();
    for node in body.descendants() {
        let Some(text) = node.value().as_text() else {
            continue;
        };
        let hidden = node.ancestors().any(|a| {
            a.value()
                .as_element()
                .is_some_and(|e| matches!(e.name(), "script" | "style" | "svg"))
        });
        if !hidden {
            out.push_str(text);
        }
    }
    out
}

/// The page's text and the document's (LibreOffice's text export), normalised, are equal.
fn same_text(dir: &Path) {
    let html = std::fs::read_to_string(dir.join(format!("{STEM}.report.html"))).unwrap();
    let txt = convert(&docx(dir), "txt:Text (encoded):UTF8", "txt");
    let page = squeezed(&page_text(&html));
    let word = squeezed(&std::fs::read_to_string(txt).unwrap());
    if page != word {
        let at = page
            .chars()
            .zip(word.chars())
            .take_while(|(a, b)| a == b)
            .count();
        let around =
            |s: &str| -> String { s.chars().skip(at.saturating_sub(40)).take(100).collect() };
        panic!(
            "the texts differ after {at} characters (page {}, document {}):\npage:     {}\ndocument: {}",
            page.chars().count(),
            word.chars().count(),
            around(&page),
            around(&word)
        );
    }
    assert!(page.chars().count() > 10_000, "too little text compared");
}

#[test]
fn the_word_report_reads_as_the_report_page() {
    same_text(zh());
}

#[test]
fn the_english_word_report_reads_as_the_english_page() {
    let dir = built("en");
    same_text(&dir);
    let words = part(&docx(&dir), "word/document.xml");
    assert!(words.contains(">Contents<") && words.contains("Departmental final accounts 2023"));
}

#[test]
fn the_word_report_converts_to_a4_pdf_with_chinese_fonts() {
    let pdf = convert(&docx(zh()), "pdf", "pdf");
    let info = poppler("pdfinfo", &["-f", "1", "-l", "999"], &pdf);
    let sizes: Vec<(u32, u32)> = info
        .lines()
        .filter(|l| l.starts_with("Page") && l.contains(" size:"))
        .map(|l| {
            let n: Vec<u32> = l
                .split(" size:")
                .nth(1)
                .unwrap()
                .split_whitespace()
                .filter_map(|w| w.split('.').next()?.parse().ok())
                .collect();
            (n[0], n[1])
        })
        .collect();
    assert!(sizes.len() > 40, "{} pages", sizes.len());
    for &(w, h) in &sizes {
        assert!(
            matches!((w.min(h), w.max(h)), (594..=595, 841..=842)),
            "not A4: {w}×{h}"
        );
    }
    // The cover is portrait; the wide tables' pages are landscape.
    assert!(sizes[0].0 < sizes[0].1);
    assert!(sizes.iter().any(|&(w, h)| w > h), "no landscape page");
    // Chinese characters, drawn with a Chinese font the PDF embeds.
    let text = poppler("pdftotext", &[], &pdf);
    for needle in [
        "武汉市洪山区科学技术和经济信息化局",
        "收入支出决算总表",
        "35,549.61",
    ] {
        assert!(squeezed(&text).contains(needle), "the PDF lacks {needle}");
    }
    let fonts = poppler("pdffonts", &[], &pdf);
    assert!(
        fonts
            .lines()
            .any(|l| l.contains("CJK") || l.contains("Han") || l.contains("Song")),
        "no Chinese font embedded:\n{fonts}"
    );
}

/// An element of `word/document.xml`, with what it holds.
#[derive(Debug, Default)]
struct Node {
    name: String,
    attrs: Vec<(String, String)>,
    children: Vec<Node>,
    text: String,
}

impl Node {
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    fn child(&self, name: &str) -> Option<&Node> {
        self.children.iter().find(|c| c.name == name)
    }

    /// Every element named `name` at or under this one, in document order.
    fn all<'a>(&'a self, name: &str, out: &mut Vec<&'a Node>) {
        if self.name == name {
            out.push(self);
        }
        for c in &self.children {
            c.all(name, out);
        }
    }

    fn find(&self, name: &str) -> Vec<&Node> {
        let mut out = Vec::new();
        self.all(name, &mut out);
        out
    }

    /// Its text (`w:t`).
    fn words(&self) -> String {
        self.find("w:t").iter().map(|t| t.text.as_str()).collect()
    }
}

fn parse(xml: &str) -> Node {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut stack = vec![Node::default()];
    let node = |e: &quick_xml::events::BytesStart| Node {
        name: e.name().as_ref().to_string(),
        attrs: e
            .attributes()
            .map(|a| {
                let a = a.unwrap();
                // Escaped values are left so: none that is compared has an entity.
                (a.key.as_ref().to_string(), a.value.to_string())
            })
            .collect(),
        ..Node::default()
    };
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) => stack.push(node(&e)),
            Event::Empty(e) => {
                let n = node(&e);
                stack.last_mut().unwrap().children.push(n);
            }
            Event::End(_) => {
                let n = stack.pop().unwrap();
                stack.last_mut().unwrap().children.push(n);
            }
            Event::Text(t) => stack.last_mut().unwrap().text.push_str(&t.xml10_content()),
            Event::GeneralRef(r) => {
                let c = match &*r {
                    "amp" => "&",
                    "lt" => "<",
                    "gt" => ">",
                    "quot" => "\"",
                    "apos" => "'",
                    other => panic!("entity {other}"),
                };
                stack.last_mut().unwrap().text.push_str(c);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    stack.pop().unwrap()
}

/// A cell as the header grid places it: (row, column, rowspan, colspan, text).
type Placed = (usize, usize, usize, usize, String);

/// The header cells of a Word table, placed on the grid from `w:gridSpan` and `w:vMerge`.
fn header_of(tbl: &Node) -> Vec<Placed> {
    let rows: Vec<&Node> = tbl
        .children
        .iter()
        .filter(|r| r.name == "w:tr")
        .filter(|r| {
            r.child("w:trPr")
                .and_then(|p| p.child("w:tblHeader"))
                .is_some()
        })
        .collect();
    let mut placed: Vec<Placed> = Vec::new();
    for (r, row) in rows.iter().enumerate() {
        let mut col = 0;
        for tc in row.children.iter().filter(|c| c.name == "w:tc") {
            let pr = tc.child("w:tcPr").unwrap();
            let span: usize = pr
                .child("w:gridSpan")
                .map_or(1, |g| g.attr("w:val").unwrap().parse().unwrap());
            match pr.child("w:vMerge").map(|m| m.attr("w:val")) {
                // Continues the cell above that starts at this column.
                Some(None) | Some(Some("continue")) => {
                    let above = placed
                        .iter_mut()
                        .filter(|p| p.1 == col && p.0 < r)
                        .max_by_key(|p| p.0)
                        .expect("a continued cell has one above");
                    above.2 += 1;
                }
                _ => placed.push((r, col, 1, span, tc.words())),
            }
            col += span;
        }
    }
    placed.sort();
    placed
}

#[test]
fn the_nine_tables_are_word_tables_as_the_layout_draws_them() {
    let dir = zh();
    let xml = part(&docx(dir), "word/document.xml");
    let doc = parse(&xml);
    let body = doc
        .child("w:document")
        .and_then(|d| d.child("w:body"))
        .unwrap();
    let views = json(dir, "views");
    let tables = views["tables"].as_array().unwrap();
    assert_eq!(tables.len(), 9);

    // The tables whose top rows repeat on every page, in order: the nine, then the key-work
    // table (its header row).
    let repeated: Vec<usize> = (0..body.children.len())
        .filter(|&i| body.children[i].name == "w:tbl")
        .filter(|&i| !body.children[i].find("w:tblHeader").is_empty())
        .collect();
    assert_eq!(repeated.len(), 10, "the nine tables and the key-work table");

    // Each block-level element's section is the next section break's: landscape or not.
    let blocks = &body.children;
    let mut landscape_at = vec![false; blocks.len()];
    let mut start = 0;
    for (i, c) in blocks.iter().enumerate() {
        let sect = if c.name == "w:sectPr" {
            Some(c)
        } else {
            c.child("w:pPr").and_then(|p| p.child("w:sectPr"))
        };
        if let Some(s) = sect {
            let landscape = s.child("w:pgSz").unwrap().attr("w:orient") == Some("landscape");
            landscape_at[start..=i].fill(landscape);
            start = i + 1;
        }
    }
    assert_eq!(
        start,
        blocks.len(),
        "the body ends with its section's properties"
    );

    let mut spans = 0;
    for (table, &at) in tables.iter().zip(&repeated) {
        let tbl = &body.children[at];
        let number = table["number"]["zh"].as_str().unwrap();
        // The header: the layout's cells, rows and spans.
        let mut expected: Vec<Placed> = table["header"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| {
                let n = |k: &str| usize::try_from(h[k].as_u64().unwrap()).unwrap();
                (
                    n("row"),
                    n("col"),
                    n("rowspan"),
                    n("colspan"),
                    h["text"]["zh"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        expected.sort();
        assert_eq!(header_of(tbl), expected, "{number}: header");
        spans += expected.iter().filter(|p| p.2 > 1 || p.3 > 1).count();
        let header_rows = usize::try_from(table["header_rows"].as_u64().unwrap()).unwrap();
        let rows: Vec<&Node> = tbl.children.iter().filter(|r| r.name == "w:tr").collect();
        assert_eq!(
            rows.iter()
                .filter(|r| !r.find("w:tblHeader").is_empty())
                .count(),
            header_rows,
            "{number}: header rows"
        );
        // Every amount of the body is right-aligned.
        let mut amounts = 0;
        for row in &rows[header_rows..] {
            for tc in row.children.iter().filter(|c| c.name == "w:tc") {
                let words = tc.words();
                let amount = words.contains('.')
                    && words
                        .chars()
                        .all(|c| c.is_ascii_digit() || matches!(c, ',' | '.' | '-'));
                if amount {
                    amounts += 1;
                    let jc = tc.find("w:jc");
                    assert!(
                        jc.iter().all(|j| j.attr("w:val") == Some("right")) && !jc.is_empty(),
                        "{number}: {words} is not right-aligned"
                    );
                }
            }
        }
        assert!(
            amounts > 0 || table["empty"] == true,
            "{number}: no amounts"
        );
        // Its section is landscape exactly when the layout prints it so.
        assert_eq!(
            landscape_at[at],
            table["landscape"] == true,
            "{number}: orientation"
        );
    }
    assert!(spans > 10, "merged header cells: {spans}");
    assert!(tables.iter().any(|t| t["landscape"] == true));
    assert!(tables.iter().any(|t| t["landscape"] == false));

    // The contents are a TOC field over headings 1–2, near the start.
    let instr: Vec<String> = doc
        .find("w:instrText")
        .iter()
        .map(|i| i.text.clone())
        .collect();
    assert!(
        instr
            .iter()
            .any(|i| i.trim().starts_with("TOC \\o \"1-2\"")),
        "{instr:?}"
    );
    let toc_at = xml.find(" TOC ").unwrap();
    assert!(toc_at < xml.find("w:tbl>").unwrap());
    // A picture for every chart the narrative inserts, each a PNG in the package.
    let report = json(dir, "report");
    let charts = report["narrative"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|b| b["type"] == "insert" && b["what"] == "chart")
        .count();
    assert!(charts > 0);
    let blips = doc.find("a:blip");
    assert_eq!(blips.len(), charts);
    let rels = part(&docx(dir), "word/_rels/document.xml.rels");
    let mut zip = zip::ZipArchive::new(std::fs::File::open(docx(dir)).unwrap()).unwrap();
    let mut media = BTreeSet::new();
    for blip in blips {
        let id = blip.attr("r:embed").unwrap();
        let target = rels
            .split("<Relationship ")
            .find(|r| r.contains(&format!("Id=\"{id}\"")))
            .and_then(|r| r.split("Target=\"").nth(1))
            .and_then(|t| t.split('"').next())
            .unwrap();
        let mut png = Vec::new();
        zip.by_name(&format!("word/{target}"))
            .unwrap()
            .read_to_end(&mut png)
            .unwrap();
        assert!(png.starts_with(b"\x89PNG"), "{target}");
        media.insert(target.to_string());
    }
    assert_eq!(media.len(), charts);
    // Page numbers in the footer.
    let footer = part(&docx(dir), "word/footer1.xml");
    assert!(footer.contains(" PAGE "));
    // The fonts of government documents, by role.
    let styles = part(&docx(dir), "word/styles.xml");
    for font in ["方正小标宋简体", "黑体", "仿宋_GB2312"] {
        assert!(styles.contains(&format!("w:eastAsia=\"{font}\"")), "{font}");
    }
}
